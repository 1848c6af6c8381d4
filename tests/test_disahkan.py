"""Approved figures only ("hanya angka yang disahkan"): the capaian, the budget and every export can count
only the unit-months the head approved, and each export says which figures it counts.

Runs on SQLite and PostgreSQL. The months and their statuses are set up once per test by `tahun_bertahap`;
every expected figure is worked out by hand beside it.
"""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.ringkasan import anggaran_table, capaian_per_triwulan, penyerapan_total
from kinerja.cli import app
from kinerja.dokumen.ekspor import export_lkjip_csv, export_lkjip_docx, export_lkjip_xlsx
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Unit
from kinerja.simpan.queries import get_instansi, load_data_tahun, load_realisasi, load_realisasi_anggaran
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran
from kinerja.simpan.verifikasi import DIAJUKAN, DIKEMBALIKAN, DISAHKAN, DIVERIFIKASI, DRAF, ubah_status

TAHUN = 2025
D = Decimal
SEMUA = "Angka: semua realisasi yang tercatat"
DISAHKAN_SAJA = "Angka: hanya realisasi yang sudah disahkan"

# The steps (as the system, pengguna=None) that bring a month from draf to each status.
LANGKAH = {
    DRAF: [],
    DIAJUKAN: ["ajukan"],
    DIVERIFIKASI: ["ajukan", "verifikasi"],
    DISAHKAN: ["ajukan", "verifikasi", "sahkan"],
    DIKEMBALIKAN: ["ajukan", "kembalikan"],
}
# unit -> (indicator, {bulan: (value, status)}); both indicators are counts (jumlah) with the default Rencana Aksi.
BULAN = {
    # IK-6.1.4: 10 Laporan a year, so target s.d. TW I = 10 x 1/4 = 2,5 and s.d. TW II = 10 x 2/4 = 5.
    "PERENCANAAN": ("IK-6.1.4", {1: (1, DISAHKAN), 2: (2, DIVERIFIKASI), 3: (1, DISAHKAN), 4: (1, DIAJUKAN),
                                 5: (1, DIKEMBALIKAN), 6: (2, DRAF)}),
    # IK-4.1.1: 12 Dokumen a year, so target s.d. TW I = 3 and s.d. TW II = 6.
    "PEMUM": ("IK-4.1.1", {1: (2, DISAHKAN), 2: (2, DISAHKAN), 3: (2, DISAHKAN), 4: (3, DISAHKAN), 5: (1, DIAJUKAN)}),
}
# Sub kegiatan 6.1.4 (PERENCANAAN, pagu Rp 7.928.600): January (approved) and April (only submitted).
ANGGARAN = {1: 1_000_000, 4: 500_000}


def _unit_id(engine: Engine, kode: str) -> int:
    with new_session(engine) as session:
        return session.exec(select(Unit.id).where(Unit.kode == kode)).one()


@pytest.fixture
def tahun_bertahap(seeded: Engine, instansi_id: int) -> Engine:
    """Enter every month of BULAN and ANGGARAN, then take each unit-month to its status."""
    for kode_ind, months in BULAN.values():
        save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN,
                       entries=[EntriRealisasi(kode=kode_ind, bulan=b, nilai=D(v)) for b, (v, _) in months.items()])
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=TAHUN,
                            entries=[EntriAnggaran(kode="6.1.4", bulan=b, realisasi=v) for b, v in ANGGARAN.items()])
    for unit, (_, months) in BULAN.items():
        for bulan, (_, status) in months.items():
            for aksi in LANGKAH[status]:
                ubah_status(seeded, unit_id=_unit_id(seeded, unit), tahun=TAHUN, bulan=bulan, aksi=aksi,
                            catatan="perbaiki" if aksi == "kembalikan" else "", pengguna=None)
    return seeded


@pytest.mark.parametrize(("kode", "triwulan", "hanya", "realisasi", "capaian"), [
    # PERENCANAAN, all months: TW I 1 + 2 + 1 = 4 -> 4 / 2,5 = 160 %; TW II 4 + 1 + 1 + 2 = 8 -> 8 / 5 = 160 %.
    ("IK-6.1.4", 1, False, D(4), D(160)),
    ("IK-6.1.4", 2, False, D(8), D(160)),
    # approved only: January 1 + March 1 = 2 (February is only verified) -> TW I 2 / 2,5 = 80 %, TW II 2 / 5 = 40 %.
    ("IK-6.1.4", 1, True, D(2), D(80)),
    ("IK-6.1.4", 2, True, D(2), D(40)),
    # PEMUM, all months: TW I 2 + 2 + 2 = 6 -> 6 / 3 = 200 %; TW II 6 + 3 + 1 = 10 -> 10 / 6 = 166,67 %.
    ("IK-4.1.1", 1, False, D(6), D(200)),
    ("IK-4.1.1", 2, False, D(10), D(10) / D(6) * 100),
    # approved only: TW I the same 6 (all approved); TW II 6 + 3 = 9 (May only submitted) -> 9 / 6 = 150 %.
    ("IK-4.1.1", 1, True, D(6), D(200)),
    ("IK-4.1.1", 2, True, D(9), D(150)),
])
def test_capaian_counts_approved_months_only_when_asked(tahun_bertahap, kode, triwulan, hanya, realisasi, capaian):
    with new_session(tahun_bertahap) as session:
        hasil = compute_capaian_tahun(session, get_instansi(session), TAHUN, triwulan, hanya)
    assert hasil.hanya_disahkan is hanya
    assert hasil.hasil[kode].realisasi == realisasi
    assert hasil.hasil[kode].capaian_sd_tw.quantize(D("0.0001")) == capaian.quantize(D("0.0001"))


def test_the_loaded_months_are_exactly_the_approved_ones(tahun_bertahap, instansi_id):
    with new_session(tahun_bertahap) as session:
        semua = load_realisasi(session, instansi_id, TAHUN)
        sah = load_realisasi(session, instansi_id, TAHUN, hanya_disahkan=True)
        anggaran_semua = load_realisasi_anggaran(session, instansi_id, TAHUN)
        anggaran_sah = load_realisasi_anggaran(session, instansi_id, TAHUN, hanya_disahkan=True)
    assert sorted(semua["IK-6.1.4"]) == [1, 2, 3, 4, 5, 6]
    assert sorted(sah["IK-6.1.4"]) == [1, 3]
    assert sorted(sah["IK-4.1.1"]) == [1, 2, 3, 4]
    assert anggaran_semua["6.1.4"] == {1: 1_000_000, 4: 500_000}
    assert anggaran_sah["6.1.4"] == {1: 1_000_000}  # April is only submitted


def test_budget_and_the_unit_chart_follow_the_choice(tahun_bertahap):
    with new_session(tahun_bertahap) as session:
        office = get_instansi(session)
        semua = load_data_tahun(session, office, TAHUN)
        sah = load_data_tahun(session, office, TAHUN, hanya_disahkan=True)
        tren = {hanya: capaian_per_triwulan(session, office, TAHUN, 2, hanya_disahkan=hanya) for hanya in (False, True)}
    assert sah.hanya_disahkan and not semua.hanya_disahkan
    sub = {r["kode"]: r for r in anggaran_table(semua, 6, "sub_kegiatan").to_dict("records")}
    sub_sah = {r["kode"]: r for r in anggaran_table(sah, 6, "sub_kegiatan").to_dict("records")}
    assert sub["6.1.4"]["realisasi"] == 1_500_000  # 1.000.000 + 500.000
    assert sub_sah["6.1.4"]["realisasi"] == 1_000_000  # January only
    # the office: only 6.1.4 has spending, so 1.000.000 of the total pagu Rp 3.006.467.857
    assert penyerapan_total(sah, 6)[:2] == (1_000_000, 3_006_467_857)
    # PERENCANAAN's only agreement row with a capaian s.d. TW II is IK-6.1.4 (its other seven rows are empty):
    # all months 160 %, capped at 100 in the unit's mean -> 100; approved only 40 % -> 40.
    def perencanaan(df):
        return df[(df["unit"] == "PERENCANAAN") & (df["triwulan"] == 2)].iloc[0]["capaian"]
    assert perencanaan(tren[False]) == 100.0
    assert perencanaan(tren[True]) == 40.0


@pytest.fixture
def laporan(tahun_bertahap):
    with new_session(tahun_bertahap) as session:
        office = get_instansi(session)
        return {hanya: build_lkjip(session, office, TAHUN, 2, date(2025, 7, 15), hanya) for hanya in (False, True)}


def _realisasi_baris(rows: list[list[str]], indikator: str, kolom: int) -> str:
    return next(r for r in rows if indikator in r)[kolom]


@pytest.mark.parametrize(("hanya", "baris"), [(False, SEMUA), (True, DISAHKAN_SAJA)])
def test_every_lkjip_file_says_which_figures_it_counts(laporan, hanya, baris):
    report = laporan[hanya]
    assert report.hanya_disahkan is hanya
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(report)))
    for sheet in book.worksheets:  # the title block of every sheet, above the table head (row 7)
        block = [sheet.cell(r, 1).value for r in range(1, 7)]
        assert baris in block, sheet.title
    doc = Document(io.BytesIO(export_lkjip_docx(report)))
    assert baris in [p.text for p in doc.paragraphs]
    for name, data in export_lkjip_csv(report).items():
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        kolom = rows[0].index("Angka")  # a column, since a CSV has no title block
        assert {r[kolom] for r in rows[1:]} == {baris.removeprefix("Angka: ")}, name


def test_the_lkjip_figures_differ_by_the_choice(laporan):
    # PERENCANAAN's IK-6.1.4 s.d. TW II: 8 Laporan in all, 2 approved (see BULAN).
    def realisasi(report) -> Decimal:
        return next(b.realisasi for t in report.unit for b in t.baris if b.kode == "IK-6.1.4")
    assert realisasi(laporan[False]) == D(8)
    assert realisasi(laporan[True]) == D(2)


def test_the_command_line_takes_the_flag_and_the_file_says_it(tahun_bertahap, tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATABASE_URL", tahun_bertahap.url.render_as_string(hide_password=False))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for hanya, baris in ((False, SEMUA), (True, DISAHKAN_SAJA)):
        flag = ["--hanya-disahkan"] if hanya else []
        out = tmp_path / f"lkjip-{hanya}.xlsx"
        result = runner.invoke(app, ["export", "lkjip", "--tahun", "2025", "--triwulan", "2", "--out", str(out),
                                     *flag])
        assert result.exit_code == 0, result.output
        sheet = openpyxl.load_workbook(out)["PERENCANAAN"]
        assert baris in [sheet.cell(r, 1).value for r in range(1, 7)]
        csv_out = runner.invoke(app, ["export", "capaian", "--tahun", "2025", "--triwulan", "2", *flag])
        assert csv_out.exit_code == 0, csv_out.output
        rows = {r["kode"]: r for r in csv.DictReader(io.StringIO(csv_out.stdout))}
        assert rows["IK-6.1.4"]["realisasi_sd_tw"] == ("2.00" if hanya else "8.00")  # see BULAN
        assert rows["IK-6.1.4"]["capaian_sd_tw"] == ("40.00" if hanya else "160.00")
    assert Path(tmp_path / "lkjip-True.xlsx").exists()
