"""The charts (kinerja.baca.grafik) and the operator's own view (kinerja.baca.unit_saya): what they draw and list."""

from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import Engine

from kinerja.aturan.capaian import IndikatorDef
from kinerja.baca import grafik
from kinerja.baca.ringkasan import tren_indikator
from kinerja.baca.unit_saya import info_formulir, rencana_dan_capaian, tahun_unit
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import get_instansi, list_units, load_data_tahun
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi

D = Decimal
DOKUMEN = IndikatorDef("IK-6.1.1", D(3))  # 3 Dokumen a year, counted: Rencana Aksi 0,75 / 1,5 / 2,25 / 3
RASIO = IndikatorDef("IK-6.1", D(100), jenis="rasio")


def tren(nilai: dict[int, float], realisasi_sd: dict[int, float], rasio: bool = False) -> pd.DataFrame:
    """An indicator's months as ringkasan.tren_indikator gives them; the cumulative runs on to December."""
    rows = []
    for b in range(1, 13):
        v = nilai.get(b)
        last_sd = max((m for m in realisasi_sd if m <= b), default=None)
        rows.append({"bulan": b, "nama_bulan": grafik.BULAN[b - 1], "nilai": None if rasio else v,
                     "pembilang": v if rasio else None, "penyebut": (v and 4.0) if rasio else None,
                     "realisasi_sd": realisasi_sd[last_sd] if last_sd else None})
    return pd.DataFrame(rows)


def trace(fig, name: str):
    return next(t for t in fig.data if t.name == name)


def test_the_cumulative_line_stops_at_the_last_month_with_data() -> None:
    # January 1, February 1: realisasi s.d. 1 then 2, which tren_indikator repeats (2) through December.
    fig = grafik.tren_indikator(tren({1: 1, 2: 1}, {1: 1, 2: 2}), DOKUMEN, "Dokumen", "Dokumen", 2025)
    line = trace(fig, "Realisasi s.d. bulan")
    assert list(line.x) == ["Januari", "Februari"] and list(line.y) == [1, 2]
    assert "data s.d. Februari" in fig.layout.title.subtitle.text


def test_the_cumulative_line_of_a_computed_indicator_stops_at_the_years_last_month() -> None:
    # A budget indicator: penyerapan s.d. each month repeats after March; the year's data ends in March.
    anggaran = IndikatorDef("IK-X", D(100), sumber="anggaran")
    fig = grafik.tren_indikator(tren({}, {1: 10, 2: 20, 3: 30}), anggaran, "Serapan", "%", 2025, bulan_data=3)
    assert list(trace(fig, "Realisasi s.d. bulan").y) == [10, 20, 30]


def test_the_rencana_aksi_target_is_drawn_as_steps_per_triwulan() -> None:
    fig = grafik.tren_indikator(tren({1: 1}, {1: 1}), DOKUMEN, "Dokumen", "Dokumen", 2025)
    target = trace(fig, "Target Rencana Aksi s.d. triwulan")
    assert target.line.shape == "hv"
    # 3 a year, a quarter each triwulan: 0,75 for Jan-Mar, 1,5 Apr-Jun, 2,25 Jul-Sep, 3 Oct-Dec.
    assert list(target.y) == [0.75] * 3 + [1.5] * 3 + [2.25] * 3 + [3.0] * 3


def test_a_ratios_counts_and_its_percentages_do_not_share_an_axis() -> None:
    fig = grafik.tren_indikator(tren({1: 3}, {1: 75}, rasio=True), RASIO, "Persentase", "%", 2025)
    bars, line = trace(fig, "Pembilang bulan ini (jumlah)"), trace(fig, "Realisasi s.d. bulan")
    assert bars.yaxis != line.yaxis
    assert fig.layout.yaxis.title.text == "%" and fig.layout.yaxis2.title.text == "Pembilang (jumlah)"
    # A count indicator's monthly values and its cumulative are both Dokumen: one axis is right there.
    fig = grafik.tren_indikator(tren({1: 1}, {1: 1}), DOKUMEN, "Dokumen", "Dokumen", 2025)
    assert {t.yaxis for t in fig.data} == {"y"}


def test_a_flagged_capaian_says_so_on_its_chart() -> None:
    fig = grafik.tren_indikator(tren({1: 9}, {1: 9}), DOKUMEN, "Dokumen", "Dokumen", 2025,
                                dicek="perlu dicek (di atas 200,00 %)")
    assert "⚠ perlu dicek (di atas 200,00 %)" in fig.layout.title.subtitle.text
    plain = grafik.tren_indikator(tren({1: 1}, {1: 1}), DOKUMEN, "Dokumen", "Dokumen", 2025)
    assert "perlu dicek" not in plain.layout.title.subtitle.text


def test_no_chart_is_drawn_on_empty_data() -> None:
    assert grafik.tren_indikator(tren({}, {}), DOKUMEN, "Dokumen", "Dokumen", 2025) is None
    kosong = pd.DataFrame({"unit": ["A"], "unit_nama": ["A"], "capaian": [None], "kategori": ["Belum ada data"]})
    assert grafik.capaian_per_unit(kosong, "s.d. Triwulan I 2025") is None
    assert grafik.capaian_per_triwulan(kosong.assign(triwulan=1), 2025) is None
    kurva = pd.DataFrame({"bulan": range(1, 13), "nama_bulan": grafik.BULAN, "realisasi": [None] * 12,
                          "penyerapan": [None] * 12, "rencana_aksi": [None] * 12})
    assert grafik.penyerapan_kumulatif(kurva, 2025) is None


def test_every_chart_says_what_and_when() -> None:
    per_unit = pd.DataFrame({"unit": ["A", "B"], "unit_nama": ["Seksi A", "Seksi B"], "capaian": [92.0, None],
                             "kategori": ["Sangat Tinggi", "Belum ada data"]})
    fig = grafik.capaian_per_unit(per_unit, "s.d. Triwulan II 2025")
    assert (fig.layout.title.text, fig.layout.title.subtitle.text) == ("Capaian per unit", "s.d. Triwulan II 2025")
    # The legend sits above the plot, clear of the axis title under it.
    assert fig.layout.legend.y == 1.0 and fig.layout.legend.yanchor == "bottom"
    # The unit without data still has its row, labelled instead of drawn.
    assert list(trace(fig, "Belum ada data").text) == ["belum ada data"]


def test_capaian_per_triwulan_is_one_panel_per_unit_with_the_others_in_grey() -> None:
    tw = pd.DataFrame({"unit_nama": ["A", "A", "B", "B", "C", "C"], "triwulan": [1, 2] * 3,
                       "capaian": [80.0, 90.0, 70.0, 75.0, 60.0, None]})
    fig = grafik.capaian_per_triwulan(tw, 2025)
    # 3 panels, each: its own unit in blue and the 2 others in grey.
    assert len(fig.data) == 9
    assert sum(t.line.color == grafik.BIRU for t in fig.data) == 3
    assert [a.text for a in fig.layout.annotations] == ["A", "B", "C"]
    sorot = grafik.capaian_per_triwulan(tw, 2025, sorot="B")
    blue = [t for t in sorot.data if t.line.color == grafik.BIRU]
    assert len(sorot.data) == 3 and [list(t.y) for t in blue] == [[70.0, 75.0]]
    # C's second triwulan has no capaian: its line ends at TW I instead of dropping to zero.
    assert [list(t.y) for t in sorot.data if t.line.color == grafik.ABU] == [[80.0, 90.0], [60.0]]


def test_the_small_multiples_are_two_a_row_with_titles_that_fit_half_a_phone() -> None:
    # the seed's 8 units: 2 columns (read at 1366 px and at 390 px alike), so 4 rows
    units = ["Camat", "Sekretariat Kecamatan", "Seksi Pemerintahan Umum", "Seksi Pemberdayaan Masyarakat dan Desa",
             "Seksi Ketentraman dan Ketertiban Umum", "Seksi Pelayanan Publik",
             "Sub Bagian Perencanaan dan Kepegawaian", "Sub Bagian Umum dan Keuangan"]
    tw = pd.DataFrame({"unit_nama": units, "triwulan": [1] * 8, "capaian": [90.0] * 8})
    fig = grafik.capaian_per_triwulan(tw, 2025)
    layout = fig.to_dict()["layout"]
    x_domains = {tuple(v["domain"]) for k, v in layout.items() if k.startswith("xaxis")}
    y_domains = {tuple(v["domain"]) for k, v in layout.items() if k.startswith("yaxis")}
    assert (len(x_domains), len(y_domains)) == (2, 4)
    titles = [a.text for a in fig.layout.annotations]
    # a long name wraps onto a second line instead of being cut: 'Seksi Pemberdayaan' / 'Masyarakat dan Desa'
    assert titles[3] == "Seksi Pemberdayaan<br>Masyarakat dan Desa"
    assert all(len(line) <= grafik.LEBAR_JUDUL_PANEL for t in titles for line in t.split("<br>"))
    assert [t.replace("<br>", " ") for t in titles] == units  # every name whole


def test_the_lowest_list_keeps_only_capaian_below_the_tinggi_band() -> None:
    table = pd.DataFrame({
        "kode": ["a", "b", "c", "d", "e", "b"],
        # 75,99 is Sedang (below 76); 76 is Tinggi; no capaian is missing, not low; b appears in two agreements.
        "capaian_sd_tw": pd.array([75.99, 40.0, 76.0, None, 95.0, 40.0], dtype="Float64"),
    })
    low = grafik.indikator_terendah(table)
    assert list(low["kode"]) == ["b", "a"] and list(low["capaian_sd_tw"]) == [40.0, 75.99]
    assert grafik.indikator_terendah(table[table["kode"].isin(["c", "d", "e"])]).empty


def _perencanaan(engine: Engine) -> tuple[object, int]:
    with new_session(engine) as session:
        office = get_instansi(session)
        unit = next(u for u in list_units(session, office.id) if u.kode == "PERENCANAAN")
    return office, unit.id


def test_the_operators_view_shows_rencana_aksi_capaian_and_the_year(seeded: Engine) -> None:
    office, unit_id = _perencanaan(seeded)
    save_realisasi(seeded, instansi_id=office.id, tahun=2025, oleh="uji", entries=[
        EntriRealisasi("IK-6.1.1", 1, nilai=D(1)), EntriRealisasi("IK-6.1.1", 2, nilai=D(1)),
        EntriRealisasi("IK-6.1", 2, pembilang=D(3), penyebut=D(4))])
    with new_session(seeded) as session:
        tabel, kategori = rencana_dan_capaian(session, office, 2025, unit_id)
        data_tahun = load_data_tahun(session, office, 2025)
    row = tabel[tabel["indikator"] == "Jumlah dokumen perencanaan perangkat daerah yang disusun"].iloc[0]
    assert (row["target"], row["Rencana Aksi TW I"], row["Rencana Aksi TW IV"]) == ("3", "0,75", "3")
    # Data only in triwulan I: 2 of the 0,75 planned = 266,67 %, Sangat Tinggi, and above the 200 % ceiling:
    # flagged as on the Camat's tables. Later triwulan stay empty.
    assert row["Capaian TW I"] == "266,67 % ⚠ perlu dicek" and row["Capaian TW II"] == ""
    assert kategori.loc[row.name, "Capaian TW I"] == "Sangat Tinggi"
    rasio = tabel[tabel["indikator"] == "Persentase Ketercapaian Target Kinerja Perangkat Daerah"].iloc[0]
    assert rasio["Capaian TW I"] == "75,00 %"  # 3 / 4 = 75 % of a 100 % target: Sedang, not flagged
    assert kategori.loc[rasio.name, "Capaian TW I"] == "Sedang"
    bulanan = tahun_unit(data_tahun, unit_id).set_index("kode")
    assert list(bulanan.loc["IK-6.1.1", ["Jan", "Feb", "Mar"]]) == ["1", "1", ""]
    assert bulanan.loc["IK-6.1", "Feb"] == "3/4"


def test_the_phone_form_shows_targets_and_last_month(seeded: Engine) -> None:
    office, unit_id = _perencanaan(seeded)
    save_realisasi(seeded, instansi_id=office.id, tahun=2025, oleh="uji",
                   entries=[EntriRealisasi("IK-6.1.1", 4, nilai=D(2))])
    with new_session(seeded) as session:
        data_tahun = load_data_tahun(session, office, 2025)
    info = info_formulir(data_tahun, unit_id, 5)
    # May is in triwulan II: 3 Dokumen a year, 1,5 s.d. triwulan II; April held 2.
    assert info["IK-6.1.1"].target_tahunan == "3 Dokumen" and info["IK-6.1.1"].target_sd_tw == "1,5 Dokumen"
    assert info["IK-6.1.1"].bulan_lalu == "April: 2"
    assert info["IK-6.1.2"].bulan_lalu == "April: belum diisi"
    assert info_formulir(data_tahun, unit_id, 1)["IK-6.1.1"].bulan_lalu == ""


@pytest.mark.parametrize("bulan_terakhir", [2, 7])
def test_the_stored_trend_of_an_indicator_ends_where_its_entries_end(seeded: Engine, bulan_terakhir: int) -> None:
    office, _ = _perencanaan(seeded)
    save_realisasi(seeded, instansi_id=office.id, tahun=2025, oleh="uji",
                   entries=[EntriRealisasi("IK-6.1.1", b, nilai=D(1)) for b in range(1, bulan_terakhir + 1)])
    with new_session(seeded) as session:
        data_tahun = load_data_tahun(session, office, 2025)
    stored = tren_indikator(data_tahun, "IK-6.1.1")
    assert stored["realisasi_sd"].iloc[-1] == bulan_terakhir  # the stored trend runs flat to December ...
    fig = grafik.tren_indikator(stored, DOKUMEN, "Dokumen", "Dokumen", 2025)
    line = trace(fig, "Realisasi s.d. bulan")
    assert len(line.x) == bulan_terakhir and line.y[-1] == bulan_terakhir  # ... the chart's line does not
