"""Every number a pimpinan reads on the Beranda, the Anggaran page and the LKjIP, worked out by hand.

The seeded 2025 PK of Kecamatan Mangkutana gets a handful of realisations (ENTRIES, BUDGET below);
each expected figure is written as the sum that gives it, from the targets and pagu of
data/mangkutana-2025 and the rules of DOMAIN.md, never copied from the code's output.
"""

import csv
import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine

from kinerja.aturan.akip import compute_akip
from kinerja.aturan.capaian import (
    Bulanan,
    DataKinerja,
    IndikatorDef,
    NodeDef,
    compute_penyerapan,
    compute_periode,
    mean_capaian,
)
from kinerja.aturan.format import format_angka
from kinerja.aturan.ikm import compute_ikm_from_counts, sampel_minimum
from kinerja.baca.laporan import Capaian, compute_capaian_tahun
from kinerja.baca.ringkasan import (
    anggaran_per_unit,
    anggaran_table,
    append_jumlah,
    capaian_per_triwulan,
    capaian_per_unit,
    indikator_table,
    kelengkapan,
    kurva_penyerapan,
    latest_bulan,
    latest_triwulan,
    penyerapan_total,
    skor_khusus,
    tren_indikator,
)
from kinerja.dokumen.ekspor import export_lkjip_csv, export_lkjip_docx, export_lkjip_xlsx
from kinerja.dokumen.lkjip import build_lkjip, nilai_efisiensi
from kinerja.simpan.db import get_engine, new_session
from kinerja.simpan.penilaian import save_akip, save_survei_ikm
from kinerja.simpan.queries import DataTahun, NotFound, get_instansi, load_data_tahun
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.revisi import copy_tahun, publish_versi
from kinerja.simpan.seed import init_database
from tests._app import add_users, open_app

D = Decimal
DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = date(2026, 3, 20)

# The 6 programs' pagu: 10.745.500 + 68.188.400 + 12.680.600 + 27.348.100 + 14.221.800 + 2.873.283.457
PAGU_TOTAL = 3_006_467_857

ENTRIES = [
    EntriRealisasi(kode="IK-4.1.1", bulan=2, nilai=D(3)),  # PEMUM, 12 Dokumen a year
    EntriRealisasi(kode="IK-4.1.1", bulan=5, nilai=D(6)),
    EntriRealisasi(kode="IK-5.1.1", bulan=4, nilai=D(8)),  # PEMUM, 22 Dokumen a year
    EntriRealisasi(kode="IK-4.1", bulan=3, pembilang=D(3), penyebut=D(4)),  # PEMUM, rasio, 100 %
    EntriRealisasi(kode="IK-2.1.1", bulan=1, nilai=D(1)),  # PMD, 10 Lembaga a year
    EntriRealisasi(kode="IK-1.1", bulan=5, pembilang=D(1), penyebut=D(2)),  # PELAYANAN, rasio, 100 %
]
BUDGET = [
    EntriAnggaran(kode="6.1.1", bulan=1, realisasi=5_000_000),  # PERENCANAAN
    EntriAnggaran(kode="4.1.1", bulan=3, realisasi=10_000_000),  # PEMUM
    EntriAnggaran(kode="1.1.1", bulan=5, realisasi=10_745_500),  # PELAYANAN: the whole pagu
    EntriAnggaran(kode="6.1.2", bulan=6, realisasi=1_155_700),  # PERENCANAAN
]
SPENT_TW2 = 5_000_000 + 10_000_000 + 10_745_500 + 1_155_700  # = 26.901.200, all of it by June

pytestmark = pytest.mark.usefixtures("navigation_only", "quick")


def close(value: object, expected: Fraction | int | str | None) -> bool:
    """Tell whether a figure equals an exact value (None and NaN both mean 'no value')."""
    if expected is None:
        return value is None or value != value
    return abs(Fraction(str(value)) - Fraction(expected)) < Fraction(1, 10**12)


@pytest.fixture
def entered(seeded: Engine, instansi_id: int) -> Engine:
    save_realisasi(seeded, instansi_id=instansi_id, tahun=2025, entries=ENTRIES)
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, entries=BUDGET)
    return seeded


def data_tahun_of(engine: Engine) -> DataTahun:
    with new_session(engine) as session:
        return load_data_tahun(session, get_instansi(session), 2025)


def capaian_of(engine: Engine, triwulan: int) -> Capaian:
    with new_session(engine) as session:
        return compute_capaian_tahun(session, get_instansi(session), 2025, triwulan)


# --- capaian per unit and per triwulan (Beranda) -----------------------------------------------

# unit -> (capaian, kategori, rows in its PK, rows with a capaian)
PER_UNIT = {
    1: {
        # IK-4 is the mean of the kegiatan indicator below program 4: IK-4.1 = 3 / 4 = 75
        "CAMAT": (75, "Sedang", 8, 1),
        # IK-4.1 75; IK-4.1.1 3 of 12 × 1/4 = 3 -> 100; IK-5.1.1 nothing until April
        "PEMUM": (Fraction(75 + 100, 2), "Tinggi", 3, 2),
        # IK-2.1.1: 1 of 10 × 1/4 = 2,5 -> 40
        "PMD": (40, "Sangat Rendah", 5, 1),
        "PELAYANAN": (None, "Belum ada data", 2, 0),  # IK-1.1 is entered in May
        "SEKCAM": (None, "Belum ada data", 9, 0),
    },
    2: {
        # IK-4 75 and IK-1 = IK-1.1 = 1 / 2 = 50: (75 + 50) / 2
        "CAMAT": (Fraction(75 + 50, 2), "Rendah", 8, 2),
        # IK-4.1 75; IK-4.1.1 (3 + 6) of 12 × 2/4 = 6 is 150, capped at 100; IK-5.1.1 8 of 22 × 2/4 = 11
        "PEMUM": ((75 + 100 + Fraction(800, 11)) / 3, "Tinggi", 3, 3),
        # IK-2.1.1: 1 of 10 × 2/4 = 5 -> 20
        "PMD": (20, "Sangat Rendah", 5, 1),
        "PELAYANAN": (50, "Sangat Rendah", 2, 1),  # 50 is below the 51 of Rendah
        "SEKCAM": (None, "Belum ada data", 9, 0),
    },
}


@pytest.mark.parametrize("triwulan", [1, 2])
def test_capaian_per_unit_is_the_capped_mean_of_its_rows(entered: Engine, triwulan: int) -> None:
    table = capaian_per_unit(capaian_of(entered, triwulan)).set_index("unit")
    assert list(table.index) == ["CAMAT", "SEKCAM", "PEMUM", "PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN",
                                 "UMUMKEU"]
    assert (table.loc["CAMAT", "unit_nama"], table.loc["PEMUM", "unit_nama"]) == ("Camat", "Seksi Pemerintahan Umum")
    for unit, (capaian, kategori, rows, with_capaian) in PER_UNIT[triwulan].items():
        row = table.loc[unit]
        assert close(row["capaian"], capaian), unit
        assert (row["kategori"], row["indikator"], row["ada_capaian"]) == (kategori, rows, with_capaian), unit


def test_capaian_per_triwulan_has_every_unit_at_every_triwulan(entered: Engine) -> None:
    with new_session(entered) as session:
        tren = capaian_per_triwulan(session, get_instansi(session), 2025, 2)
    assert len(tren) == 2 * 8
    assert list(tren.index) == list(range(16))
    for (unit, tw), row in tren.set_index(["unit", "triwulan"]).iterrows():
        expected = PER_UNIT[tw].get(unit, (None,))[0]
        assert close(row["capaian"], expected), (unit, tw)


# --- completeness (Beranda) ----------------------------------------------------------------------


def test_kelengkapan_is_the_share_of_expected_entries_each_month(entered: Engine) -> None:
    grid = kelengkapan(data_tahun_of(entered), 6).set_index("unit")
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun"]
    assert list(grid.columns) == ["unit_nama", *months]
    expected = {
        # 3 input indicators + 2 sub-kegiatan = 5: Feb IK-4.1.1; Mar IK-4.1 and 4.1.1's budget; Apr IK-5.1.1; ...
        "PEMUM": [0, 20, 40, 20, 20, 0],
        # 5 indicators + 3 sub-kegiatan = 8: 1 of 8 = 12,5, shown half up as 13
        "PMD": [13, 0, 0, 0, 0, 0],
        "TRANTIB": [0] * 6,
        # 2 indicators + 1 sub-kegiatan: IK-1.1 and 1.1.1 in May, 2 of 3 = 66,67 -> 67
        "PELAYANAN": [0, 0, 0, 0, 67, 0],
        # 8 indicators + 6 sub-kegiatan = 14: 1 of 14 = 7,14 -> 7
        "PERENCANAAN": [7, 0, 0, 0, 0, 7],
        "UMUMKEU": [0] * 6,
    }
    assert {unit: list(row[months]) for unit, row in grid.iterrows()} == expected
    assert list(grid.index) == list(expected)  # in the office's order of units, not alphabetical
    assert grid.loc["PEMUM", "unit_nama"] == "Seksi Pemerintahan Umum"


def test_kelengkapan_counts_a_unit_that_only_runs_sub_kegiatan(entered: Engine) -> None:
    # without its agreement rows, PELAYANAN still runs 1.1.1, spent in May: 1 of 1 = 100 %
    data_tahun = data_tahun_of(entered)
    data_tahun.baris = [b for b in data_tahun.baris if b.unit.kode != "PELAYANAN"]
    grid = kelengkapan(data_tahun, 5).set_index("unit")
    assert list(grid.loc["PELAYANAN"]) == ["Seksi Pelayanan Publik", 0, 0, 0, 0, 100]
    assert list(grid.index) == ["PEMUM", "PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN", "UMUMKEU"]


def test_kelengkapan_follows_the_order_the_admin_gave_the_units(entered: Engine) -> None:
    data_tahun = data_tahun_of(entered)
    next(b.unit for b in data_tahun.baris if b.unit.kode == "PEMUM").urutan = 99  # moved to the end
    grid = kelengkapan(data_tahun, 1)
    assert list(grid["unit"]) == ["PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN", "UMUMKEU", "PEMUM"]


# --- the worst indicators (Beranda) -------------------------------------------------------------


def test_indikator_table_puts_the_worst_first_and_no_capaian_last(entered: Engine) -> None:
    table = indikator_table(capaian_of(entered, 2))
    assert len(table) == 66
    assert list(table.index) == list(range(66))  # renumbered: no stray "index" column on screen
    assert list(table.columns[:6]) == ["kode", "unit", "unit_nama", "no", "sasaran", "indikator"]
    top = [(r["unit"], r["kode"]) for _, r in table.head(7).iterrows()]
    # 20 (IK-2.1.1); 50 twice, in document order; 8/11 = 72,73; 75 twice, in document order; 150
    assert top == [("PMD", "IK-2.1.1"), ("CAMAT", "IK-1"), ("PELAYANAN", "IK-1.1"), ("PEMUM", "IK-5.1.1"),
                   ("CAMAT", "IK-4"), ("PEMUM", "IK-4.1"), ("PEMUM", "IK-4.1.1")]
    assert [close(v, e) for v, e in zip(table["capaian_sd_tw"].head(7),
                                         [20, 50, 50, Fraction(800, 11), 75, 75, 150], strict=True)] == [True] * 7
    assert table["capaian_sd_tw"].iloc[7:].isna().all()


def test_indikator_table_keeps_document_order_among_equal_capaian(entered: Engine) -> None:
    # every row gets 100 or 50 in turn: each group must stay in the order of the agreements
    capaian = capaian_of(entered, 2)
    kodes = list(dict.fromkeys(b.indikator.kode for b in capaian.data_tahun.baris))
    capaian.hasil = {k: replace(capaian.hasil[k], capaian_sd_tw=D(50 if n % 2 else 100)) for n, k in enumerate(kodes)}
    table = indikator_table(capaian)
    for nilai in (50, 100):
        shown = [(r["unit"], r["no"]) for _, r in table[table["capaian_sd_tw"] == nilai].iterrows()]
        in_document = [(b.unit.kode, b.no) for b in capaian.data_tahun.baris
                       if capaian.hasil[b.indikator.kode].capaian_sd_tw == nilai]
        assert shown == in_document
    assert list(table["capaian_sd_tw"][:3]) == [50, 50, 50]


# --- IKM and AKIP cards (Beranda) ------------------------------------------------------------


@pytest.fixture
def dinilai(seeded: Engine, instansi_id: int) -> Engine:
    # Two respondents answer 4 to every unsur, one answers 3: NRR 11/3, IKM 11/3 × 25 = 91,666..., kept
    # to 4 decimals as 91,6667 and shown as 91,67 (A: from 88,31)
    save_survei_ikm(seeded, instansi_id=instansi_id, tahun=2025, bulan=6, answers=[[4] * 9, [4] * 9, [3] * 9])
    # 22,5 + 20 + 10 + 20 = 72,5 (BB: above 70)
    save_akip(seeded, instansi_id=instansi_id, tahun=2025, bulan=12, komponen={
        "perencanaan": D("22.5"), "pengukuran": D(20), "pelaporan": D(10), "evaluasi": D(20)})
    return seeded


@pytest.mark.parametrize(("triwulan", "expected"), [
    (1, {"ikm": (None, D("87.5"), None, None), "akip": (None, D("70.05"), None, None)}),
    (2, {"ikm": (D("91.6667"), D("87.5"), Fraction("91.6667") / Fraction("87.5") * 100, "A Sangat Baik"),
         "akip": (None, D("70.05"), None, None)}),
    (4, {"ikm": (D("91.6667"), D("87.5"), Fraction("91.6667") / Fraction("87.5") * 100, "A Sangat Baik"),
         "akip": (D("72.5"), D("70.05"), Fraction("72.5") / Fraction("70.05") * 100, "BB Sangat Baik")}),
])
def test_ikm_and_akip_cards(dinilai: Engine, triwulan: int, expected: dict) -> None:
    skor = skor_khusus(capaian_of(dinilai, triwulan))
    assert set(skor) == {"ikm", "akip"}
    for key, (nilai, target, capaian, label) in expected.items():
        assert skor[key]["nilai"] == nilai, key
        assert skor[key]["target"] == target, key
        assert close(skor[key]["capaian"], capaian), key
        assert skor[key]["label"] == label, key
    assert (skor["ikm"]["nama"], skor["akip"]["nama"]) == ("Indeks Kepuasan Masyarakat (IKM)",
                                                           "Nilai AKIP Perangkat Daerah")
    if triwulan > 1:
        assert format_angka(skor["ikm"]["nilai"]) == "91,67"


def test_ikm_and_akip_cards_wherever_their_rows_stand(dinilai: Engine) -> None:
    capaian = capaian_of(dinilai, 4)
    capaian.data_tahun.baris.reverse()  # another office may list the scores after its other sasaran
    assert {k: v["label"] for k, v in skor_khusus(capaian).items()} == {"ikm": "A Sangat Baik",
                                                                         "akip": "BB Sangat Baik"}


@pytest.mark.parametrize(("komponen", "total", "predikat"), [
    # the demo's LHE: 22,61 + 20,05 + 10,40 + 17,32 = 70,38 (above 70: BB)
    (("22.61", "20.05", "10.40", "17.32"), "70.38", ("BB", "Sangat Baik")),
    (("30", "30", "15", "25"), "100", ("AA", "Sangat Memuaskan")),
    (("20", "20", "10", "20"), "70", ("B", "Baik")),  # exactly 70 is not above 70
])
def test_nilai_akip_is_the_sum_of_its_components(komponen, total, predikat) -> None:
    hasil = compute_akip(*(D(k) for k in komponen))
    assert (hasil.total, (hasil.predikat, hasil.arti)) == (D(total), predikat)


@pytest.mark.parametrize(("populasi", "sampel"), [
    (1, 1),
    # 3,841 × 20 × ¼ / (0,05² × 19 + 3,841 × ¼) = 19,205 / 1,00775 = 19,06 -> 20
    (20, 20),
    # 3,841 × 21 × ¼ / (0,05² × 20 + 3,841 × ¼) = 20,16525 / 1,01025 = 19,96 -> 20
    (21, 20),
    (100, 80),
])
def test_ikm_minimum_sample_krejcie_morgan(populasi: int, sampel: int) -> None:
    assert sampel_minimum(populasi) == sampel


def test_ikm_minimum_sample_needs_a_population() -> None:
    with pytest.raises(ValueError, match="^populasi harus lebih dari 0$"):
        sampel_minimum(0)


def test_ikm_from_no_counts_has_no_respondents() -> None:
    hasil = compute_ikm_from_counts([])
    assert (hasil.ikm, hasil.responden) == (None, 0)


# --- absorption: total, per program, per unit, and the curve (Beranda, Anggaran) ---------------


@pytest.mark.parametrize(("sd_bulan", "spent"), [
    (1, 5_000_000),
    (3, 5_000_000 + 10_000_000),
    (5, 5_000_000 + 10_000_000 + 10_745_500),
    (6, SPENT_TW2),
    (12, SPENT_TW2),
])
def test_penyerapan_total_is_everything_spent_over_the_six_programs(entered: Engine, sd_bulan: int,
                                                                    spent: int) -> None:
    realisasi, pagu, persen = penyerapan_total(data_tahun_of(entered), sd_bulan)
    assert (realisasi, pagu) == (spent, PAGU_TOTAL)
    assert close(persen, Fraction(spent * 100, PAGU_TOTAL))


def test_penyerapan_total_before_anything_is_spent_is_no_value(seeded: Engine) -> None:
    assert penyerapan_total(data_tahun_of(seeded), 12) == (0, PAGU_TOTAL, None)


def test_anggaran_per_program_with_its_jumlah(entered: Engine) -> None:
    table = append_jumlah(anggaran_table(data_tahun_of(entered), 6), "nama")  # programs unless told otherwise
    expected = [
        ("1", 10_745_500, 10_745_500, 100),
        ("2", 68_188_400, 0, 0),
        ("3", 12_680_600, 0, 0),
        ("4", 27_348_100, 10_000_000, Fraction(10_000_000 * 100, 27_348_100)),
        ("5", 14_221_800, 0, 0),
        ("6", 2_873_283_457, 5_000_000 + 1_155_700, Fraction(6_155_700 * 100, 2_873_283_457)),
        ("", PAGU_TOTAL, SPENT_TW2, Fraction(SPENT_TW2 * 100, PAGU_TOTAL)),
    ]
    assert len(table) == len(expected)
    for (_, row), (kode, pagu, spent, persen) in zip(table.iterrows(), expected, strict=True):
        assert (row["kode"], row["pagu"], row["realisasi"], row["sisa"]) == (kode, pagu, spent, pagu - spent)
        assert close(row["penyerapan"], persen), kode
    assert table["nama"].iloc[0] == "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK"
    assert table["nama"].iloc[-1] == "Jumlah"
    assert table["sisa"].iloc[-1] == 2_979_566_657  # 3.006.467.857 − 26.901.200
    assert list(table.index) == list(range(7))


def test_anggaran_per_unit_sums_the_sub_kegiatan_each_unit_runs(entered: Engine) -> None:
    table = append_jumlah(anggaran_per_unit(data_tahun_of(entered), 6), "unit_nama")
    expected = [
        ("PELAYANAN", 10_745_500, 10_745_500),  # 1.1.1
        ("PMD", 12_241_800 + 55_946_600 + 7_980_900, 0),  # 2.1.1, 2.1.2, 5.1.2
        ("TRANTIB", 4_533_600 + 3_911_000 + 4_236_000, 0),  # 3.1.1, 3.1.2, 3.2.1
        ("PEMUM", 27_348_100 + 6_240_900, 10_000_000),  # 4.1.1, 5.1.1
        ("PERENCANAAN", 15_409_900 + 6_155_700 + 3_109_500 + 7_928_600 + 4_887_200 + 18_390_000,
         5_000_000 + 1_155_700),  # 6.1.1-6.1.4, 6.4.1, 6.4.2
        # every other sub-kegiatan of program 6: its pagu less PERENCANAAN's 55.880.900
        ("UMUMKEU", 2_873_283_457 - 55_880_900, 0),
        ("", PAGU_TOTAL, SPENT_TW2),
    ]
    assert [(r["unit"], r["pagu"], r["realisasi"]) for _, r in table.iterrows()] == expected
    for (_, row), (unit, pagu, spent) in zip(table.iterrows(), expected, strict=True):
        assert close(row["penyerapan"], Fraction(spent * 100, pagu)), unit
        assert row["sisa"] == pagu - spent
    assert (table["unit_nama"].iloc[0], table["unit_nama"].iloc[-1]) == ("Seksi Pelayanan Publik", "Jumlah")
    assert list(table.index) == list(range(7))


def test_append_jumlah_leaves_an_empty_table_empty(seeded: Engine) -> None:
    empty = anggaran_table(data_tahun_of(seeded), 12, "tidak_ada")
    assert append_jumlah(empty, "nama").empty


def spent_by(bulan: int) -> int | None:
    return sum(e.realisasi for e in BUDGET if e.bulan <= bulan) if bulan <= 6 else None


@pytest.mark.parametrize(("rencana_aksi", "markers"), [
    # no Rencana Aksi: a quarter of the 100 % target each triwulan
    ((None, None, None, None), {3: 25, 6: 50, 9: 75, 12: 100}),
    # 10 / 40 / 70 of a target of 100; TW IV left empty keeps its default, the annual 100
    ((D(10), D(40), D(70), None), {3: 10, 6: 40, 9: 70, 12: 100}),
])
def test_kurva_penyerapan_by_month_with_rencana_aksi_at_triwulan_ends(entered: Engine, rencana_aksi: tuple,
                                                                      markers: dict) -> None:
    data_tahun = data_tahun_of(entered)
    data_tahun.data.indikator = [replace(i, rencana_aksi=rencana_aksi) if i.sumber == "anggaran" else i
                              for i in data_tahun.data.indikator]
    kurva = kurva_penyerapan(data_tahun)
    assert list(kurva["bulan"]) == list(range(1, 13))
    assert kurva["nama_bulan"].iloc[0] == "Januari" and kurva["nama_bulan"].iloc[11] == "Desember"
    for _, row in kurva.iterrows():
        bulan = row["bulan"]
        spent = spent_by(bulan)  # months after the latest entry (June) are not drawn
        assert close(row["realisasi"], spent), bulan
        assert close(row["penyerapan"], None if spent is None else Fraction(spent * 100, PAGU_TOTAL)), bulan
        assert close(row["rencana_aksi"], markers.get(bulan)), bulan


def test_kurva_before_any_budget_is_entered_draws_only_the_rencana_aksi(seeded: Engine) -> None:
    kurva = kurva_penyerapan(data_tahun_of(seeded))
    assert kurva["realisasi"].isna().all() and kurva["penyerapan"].isna().all()
    assert list(kurva["rencana_aksi"].dropna()) == [25, 50, 75, 100]


def test_kurva_without_an_absorption_indicator_uses_a_quarter_a_triwulan(entered: Engine) -> None:
    data_tahun = data_tahun_of(entered)
    data_tahun.data.indikator = [i for i in data_tahun.data.indikator if i.sumber != "anggaran"]
    kurva = kurva_penyerapan(data_tahun).set_index("bulan")
    assert [kurva.loc[b, "rencana_aksi"] for b in (3, 6, 9, 12)] == [25, 50, 75, 100]
    assert close(kurva.loc[6, "penyerapan"], Fraction(SPENT_TW2 * 100, PAGU_TOTAL))


def test_kurva_rencana_aksi_is_a_share_of_the_annual_target(entered: Engine) -> None:
    # absorption target 80 % with Rencana Aksi 20 / 40 / 60 / 80: the curve is against 100 % of the pagu
    data_tahun = data_tahun_of(entered)
    data_tahun.data.indikator = [
        replace(i, target=D(80), rencana_aksi=(D(20), D(40), D(60), D(80))) if i.sumber == "anggaran" else i
        for i in data_tahun.data.indikator
    ]
    kurva = kurva_penyerapan(data_tahun).set_index("bulan")
    assert [kurva.loc[b, "rencana_aksi"] for b in (3, 6, 9, 12)] == [25, 50, 75, 100]  # 20/80, 40/80, ...


# --- efisiensi (LKjIP) ----------------------------------------------------------------------------


@pytest.mark.parametrize(("capaian", "penyerapan", "selisih", "keterangan"), [
    ("85.454", "85.4549", "0", "Efisien"),  # both show as 85,45: equal as the reader sees them
    ("85.45436964224019655857", "85.45436964224019655857187577", "0", "Efisien"),  # the demo's 6.2
    ("85.444", "85.445", "-0.01", "Kurang efisien"),  # 85,44 against 85,45 (half up)
    ("85.455", "85.45", "0.01", "Efisien"),  # 85,46 (half up) against 85,45
    ("75", "36.57", "38.43", "Efisien"),
    ("50", "100", "-50", "Kurang efisien"),
    ("150", "90", "10", "Efisien"),  # capaian capped at 100: 100 − 90
    ("100", "100", "0", "Efisien"),
    ("0", "0.01", "-0.01", "Kurang efisien"),
])
def test_efisien_when_capaian_as_shown_is_at_least_penyerapan_as_shown(capaian, penyerapan, selisih, keterangan):
    assert nilai_efisiensi(D(capaian), D(penyerapan)) == (D(selisih), keterangan)


@pytest.mark.parametrize(("capaian", "penyerapan"), [(None, D(50)), (D(50), None), (None, None)])
def test_no_efisiensi_without_capaian_or_penyerapan(capaian, penyerapan):
    assert nilai_efisiensi(capaian, penyerapan) == (None, "")


def test_lkjip_efisiensi_of_the_year(entered: Engine) -> None:
    with new_session(entered) as session:
        report = build_lkjip(session, get_instansi(session), 2025, 4, TODAY)
    rows = {r.kode: r for r in report.efisiensi}
    assert [r.tingkat for r in report.efisiensi].count("program") == 6
    assert len(rows) == 6 + 14  # programs and kegiatan, no sub-kegiatan
    # IK-1 = IK-1.1 = 1 / 2 = 50 against 10.745.500 of 10.745.500 = 100 %
    for kode in ("1", "1.1"):
        assert (rows[kode].capaian, rows[kode].penyerapan) == (50, 100)
        assert (rows[kode].selisih, rows[kode].keterangan) == (-50, "Kurang efisien")
    # IK-4 = IK-4.1 = 75 against 10.000.000 / 27.348.100 = 36,5655...% -> 36,57: 75,00 − 36,57
    for kode in ("4", "4.1"):
        assert rows[kode].capaian == 75
        assert close(rows[kode].penyerapan, Fraction(10_000_000 * 100, 27_348_100))
        assert (rows[kode].selisih, rows[kode].keterangan) == (D("38.43"), "Efisien")
    # 6.1 spent 6.155.700 of 32.603.700 but IK-6.1 has nothing yet: no verdict
    assert close(rows["6.1"].penyerapan, Fraction(6_155_700 * 100, 32_603_700))
    assert (rows["6.1"].capaian, rows["6.1"].selisih, rows["6.1"].keterangan) == (None, None, "")
    assert (rows["2"].penyerapan, rows["2"].keterangan) == (None, "")  # nothing spent on program 2 yet


def test_absorption_indicator_equal_to_its_absorption_is_efisien(seeded: Engine, instansi_id: int) -> None:
    # 1.000.000.000 of 6.2's 2.210.249.677 is 45,2437573187348100673424...%: its 28-digit quotient
    # used to end in ...4245074 while the capaian mean was cut at 20 decimals (...6734), so IK-6.2's
    # capaian came out 5e-21 below the very absorption it is made of: "Kurang efisien".
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025,
                            entries=[EntriAnggaran(kode="6.2.1", bulan=12, realisasi=1_000_000_000)])
    with new_session(seeded) as session:
        report = build_lkjip(session, get_instansi(session), 2025, 4, TODAY)
    row = next(r for r in report.efisiensi if r.kode == "6.2")
    assert row.capaian == row.penyerapan
    assert close(row.penyerapan, Fraction(1_000_000_000 * 100, 2_210_249_677))
    assert (row.selisih, row.keterangan) == (0, "Efisien")


def test_absorption_and_the_capaian_made_of_it_are_the_same_number() -> None:
    nodes = [NodeDef("K", None, 2_210_249_677), NodeDef("S", "K", 2_210_249_677)]
    spent = {"S": {12: 1_000_000_000}}
    ind = IndikatorDef("IK-K", D(100), agregasi="terakhir", sumber="anggaran", anggaran_kode="K")
    hasil = compute_periode(DataKinerja(indikator=[ind], anggaran=nodes, realisasi_anggaran=spent), 4)["IK-K"]
    penyerapan = compute_penyerapan(nodes, spent, "K", 12)
    assert penyerapan == hasil.realisasi == hasil.capaian_sd_tw == mean_capaian([hasil.capaian_sd_tw])
    assert penyerapan.as_tuple().exponent == -20


# --- the LKjIP's Pengukuran Kinerja, this year and last --------------------------------------------


def test_lkjip_interim_rows_show_target_sd_tw_and_the_ratio_components(laporan) -> None:
    rows = {r.kode: r for t in laporan.unit for r in t.baris}
    assert [len(t.baris) for t in laporan.unit] == [8, 9, 3, 5, 5, 2, 8, 26]  # DOMAIN.md: 66 rows, 8 PKs
    ratio = rows["IK-4.1"]  # 3 of 4 in March, against 100 %
    assert (ratio.target, ratio.target_sd_tw, ratio.pembilang, ratio.penyebut) == (100, 100, 3, 4)
    assert (ratio.realisasi, ratio.capaian, ratio.kategori) == (75, 75, "Sedang")
    assert (ratio.no, ratio.sasaran[:45]) == ("1", "Terselenggaranya rekomendasi forum koordinasi")
    count = rows["IK-4.1.1"]  # 3 + 6 Dokumen by May, against 12 × 2/4 = 6
    assert (count.target, count.target_sd_tw, count.realisasi, count.capaian) == (12, 6, 9, 150)
    assert (count.pembilang, count.penyebut, count.kategori) == (None, None, "Sangat Tinggi")
    assert count.indikator.startswith("Jumlah") and count.satuan == "Dokumen"
    assert (count.realisasi_lalu, count.capaian_lalu) == (None, None)  # no 2024 in the database
    assert not laporan.ada_tahun_lalu


def test_lkjip_names_every_budget_line(laporan) -> None:
    assert laporan.anggaran[0].nama == laporan.efisiensi[0].nama == (
        "PROGRAM PENYELENGGARAAN PEMERINTAHAN DAN PELAYANAN PUBLIK")
    assert [r.kode for r in laporan.anggaran[:3]] == ["1", "1.1", "1.1.1"]


def test_lkjip_of_a_year_without_an_agreement_says_so(seeded: Engine) -> None:
    with new_session(seeded) as session, pytest.raises(NotFound, match="tidak ada perjanjian kinerja tahun 2030"):
        build_lkjip(session, get_instansi(session), 2030, 4, TODAY)


def test_lkjip_puts_last_years_realisasi_and_capaian_beside_this_years(entered: Engine, instansi_id: int) -> None:
    baru = copy_tahun(entered, instansi_id=instansi_id, dari=2025, ke=2026, tanggal=date(2026, 1, 2))
    publish_versi(entered, versi_id=baru.id)
    with new_session(entered) as session:
        report = build_lkjip(session, get_instansi(session), 2026, 2, TODAY)
    assert report.ada_tahun_lalu
    rows = {r.kode: r for t in report.unit for r in t.baris}
    # 2025 s.d. TW II: IK-4.1.1 9 of 6 = 150 %; IK-5.1.1 8 of 11; 2026 has nothing yet
    assert (rows["IK-4.1.1"].realisasi_lalu, rows["IK-4.1.1"].capaian_lalu) == (9, 150)
    assert rows["IK-5.1.1"].realisasi_lalu == 8 and close(rows["IK-5.1.1"].capaian_lalu, Fraction(800, 11))
    assert (rows["IK-4.1.1"].realisasi, rows["IK-4.1.1"].capaian) == (None, None)
    assert (rows["IK-6.1.4"].realisasi_lalu, rows["IK-6.1.4"].capaian_lalu) == (None, None)


# --- the month-by-month trend of one indicator (Per unit & indikator) ---------------------------


def test_latest_month_and_triwulan_open_the_screens_on_the_latest_data() -> None:
    empty = DataKinerja(indikator=[])
    assert (latest_bulan(empty), latest_triwulan(empty)) == (None, 1)
    both = DataKinerja(indikator=[], realisasi={"A": {9: Bulanan(nilai=D(1))}}, realisasi_anggaran={"S": {6: 10}})
    assert (latest_bulan(both), latest_triwulan(both)) == (9, 3)
    budget_later = DataKinerja(indikator=[], realisasi={"A": {2: Bulanan(nilai=D(1))}},
                               realisasi_anggaran={"S": {7: 10}})
    assert (latest_bulan(budget_later), latest_triwulan(budget_later)) == (7, 3)
    assert latest_triwulan(DataKinerja(indikator=[], realisasi_anggaran={"S": {4: 10}})) == 2


def none_but(months: dict[int, object]) -> list[object]:
    """Twelve months: None except the given ones."""
    return [months.get(b) for b in range(1, 13)]


@pytest.mark.parametrize(("kode", "column", "expected"), [
    # 3 Dokumen in February and 6 in May: 3 s.d. Feb-Apr, 9 from May
    ("IK-4.1.1", "nilai", none_but({2: 3, 5: 6})),
    ("IK-4.1.1", "realisasi_sd", [None] + [3] * 3 + [9] * 8),
    # 3 of 4 in March: 75 % from March on
    ("IK-4.1", "pembilang", none_but({3: 3})),
    ("IK-4.1", "penyebut", none_but({3: 4})),
    ("IK-4.1", "realisasi_sd", [None] * 2 + [75] * 10),
    # the Camat's IK-4 is derived: only at triwulan ends, the mean of IK-4.1's capaian
    ("IK-4", "realisasi_sd", none_but({3: 75, 6: 75, 9: 75, 12: 75})),
    # 25 Orang/bulan, averaged over the months entered: 25, (25 + 24) / 2
    ("IK-6.2.1", "realisasi_sd", [25] + [Fraction(49, 2)] * 11),
    # 6.2.2 spends its 39.285.500 in March, of 6.2's 2.210.249.677
    ("IK-6.2", "realisasi_sd", [None] * 2 + [Fraction(39_285_500 * 100, 2_210_249_677)] * 10),
])
def test_tren_indikator_month_by_month(entered: Engine, kode: str, column: str, expected: list) -> None:
    data_tahun = data_tahun_of(entered)
    data_tahun.data.realisasi["IK-6.2.1"] = {1: Bulanan(nilai=D(25)), 2: Bulanan(nilai=D(24))}
    data_tahun.data.realisasi_anggaran["6.2.2"] = {3: 39_285_500}
    tren = tren_indikator(data_tahun, kode)
    assert list(tren["bulan"]) == list(range(1, 13)) and tren["nama_bulan"].iloc[4] == "Mei"
    assert [close(v, e) for v, e in zip(tren[column], expected, strict=True)] == [True] * 12


# --- Jumlah rows of every budget table ------------------------------------------------------------


@pytest.fixture
def laporan(entered: Engine):
    with new_session(entered) as session:
        return build_lkjip(session, get_instansi(session), 2025, 2, TODAY)


def test_lkjip_jumlah_sums_the_programs_only(laporan) -> None:
    jumlah = laporan.anggaran_jumlah
    assert len(laporan.anggaran) == 6 + 14 + 35
    assert (jumlah.kode, jumlah.nama, jumlah.pagu, jumlah.realisasi, jumlah.sisa) == (
        "", "Jumlah", PAGU_TOTAL, SPENT_TW2, PAGU_TOTAL - SPENT_TW2)
    assert close(jumlah.persen, Fraction(SPENT_TW2 * 100, PAGU_TOTAL))
    # all 55 lines would count every Rupiah three times
    assert sum(r.pagu for r in laporan.anggaran) == 3 * PAGU_TOTAL


def test_xlsx_budget_sheet_ends_with_the_jumlah_row(laporan) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(laporan)))["Realisasi Anggaran"]
    last = [c.value for c in list(sheet.iter_rows(min_row=8))[-1]]
    assert sheet.max_row == 7 + 55 + 1
    assert last[:5] == ["", "", "Jumlah", PAGU_TOTAL, SPENT_TW2]
    assert last[5] == pytest.approx(SPENT_TW2 * 100 / PAGU_TOTAL)  # 0,8948 %
    assert last[6] == 2_979_566_657


def test_csv_budget_file_ends_with_the_jumlah_row(laporan) -> None:
    rows = list(csv.reader(io.StringIO(export_lkjip_csv(laporan)["anggaran"].decode("utf-8-sig"))))
    assert len(rows) == 1 + 55 + 1
    assert rows[-1][:5] == ["", "", "Jumlah", "3006467857", "26901200"]
    assert rows[-1][5] == "0.8948"  # 26.901.200 × 100 / 3.006.467.857 = 0,89478...
    assert rows[-1][6] == "2979566657"


def test_docx_budget_table_ends_with_the_jumlah_row(laporan) -> None:
    doc = Document(io.BytesIO(export_lkjip_docx(laporan)))
    budget = next(t for t in doc.tables if t.rows[0].cells[3].text == "Pagu (Rp)")
    assert [c.text for c in budget.rows[-1].cells] == [
        "", "", "Jumlah", "Rp 3.006.467.857", "Rp 26.901.200", "0,89", "Rp 2.979.566.657"]
    assert len(budget.rows) == 1 + 55 + 1


# --- the same Jumlah on screen ---------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The app's own database (KINERJA_DATABASE_URL), seeded with the 2025 PK and given BUDGET."""
    url = f"sqlite:///{tmp_path / 'k.db'}"
    monkeypatch.setenv("KINERJA_DATABASE_URL", url)
    engine = get_engine(url)
    init_database(engine, DATA)
    with new_session(engine) as session:
        instansi_id = get_instansi(session).id
    save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=2025, entries=BUDGET)
    return engine


def test_anggaran_page_tables_end_with_their_jumlah(db: Engine) -> None:
    akun = add_users(db)
    at = open_app(akun.pimpinan, "pages/anggaran.py")  # opens on triwulan II, the latest with data
    program, per_unit = at.dataframe[0].value, at.dataframe[1].value
    assert list(program["nama"].iloc[:-1].str[:8]) == ["PROGRAM "] * 6
    for table, label in ((program, "nama"), (per_unit, "unit_nama")):
        last = table.iloc[-1]
        assert (last[label], last["pagu"], last["realisasi"], last["sisa"]) == (
            "Jumlah", PAGU_TOTAL, SPENT_TW2, 2_979_566_657)
        assert close(last["penyerapan"], Fraction(SPENT_TW2 * 100, PAGU_TOTAL))


def test_laporan_page_shows_the_budget_table_with_its_jumlah(db: Engine) -> None:
    akun = add_users(db)
    at = open_app(akun.pimpinan, "pages/laporan.py")
    budget = next(d.value for d in at.dataframe if "Pagu (Rp)" in d.value.columns)
    assert len(budget) == 55 + 1
    assert list(budget.iloc[-1]) == ["", "", "Jumlah", "Rp 3.006.467.857", "Rp 26.901.200", "0,89",
                                     "Rp 2.979.566.657"]
    efisiensi = next(d.value for d in at.dataframe if "Keterangan" in d.value.columns)
    assert len(efisiensi) == 6 + 14
