"""Approved figures only in every document: the Evaluasi Renja, the quarterly reports, the LKjIP draft, the
evidence pack and the comparison with earlier years count only the approved unit-months when asked, and each
file says which figures it counts in the LKjIP's words ("Angka: …"). The LKjIP tables mark a capaian above
the office's ceiling "perlu dicek" beside its kategori, as the screens do.

Runs on SQLite and PostgreSQL. The months are those of `tahun_bertahap` (tests/test_disahkan.py): for
PERENCANAAN's IK-6.1.4 (10 Laporan a year, target s.d. TW II = 5) January 1 and March 1 are approved,
February 2 verified, April 1 submitted, May 1 returned and June 2 a draft; sub kegiatan 6.1.4 spent
Rp 1.000.000 in January (approved) and Rp 500.000 in April (submitted). So s.d. TW II:
- all figures: 1 + 2 + 1 + 1 + 1 + 2 = 8 Laporan -> 8 / 5 = 160 %; TW I alone 1 + 2 + 1 = 4; Rp 1.500.000;
- approved only: 1 + 1 = 2 Laporan -> 2 / 5 = 40 %; TW I alone 2; Rp 1.000.000.
"""

import csv
import io
import zipfile
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from sqlmodel import select
from typer.testing import CliRunner

from kinerja.baca.perbandingan import list_perbandingan
from kinerja.cli import app
from kinerja.dokumen.ekspor import export_lkjip_csv, export_lkjip_docx, export_lkjip_xlsx
from kinerja.dokumen.laporan_triwulan import build_laporan_triwulan_docx
from kinerja.dokumen.lkjip import build_lkjip
from kinerja.dokumen.lkjip_docx import build_lkjip_docx
from kinerja.dokumen.lkjip_isi import load_isi_lkjip
from kinerja.dokumen.paket import build_paket_sakip
from kinerja.dokumen.renja import build_renja_docx, build_renja_xlsx
from kinerja.simpan.db import new_session
from kinerja.simpan.models import Indikator, Unit
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriRealisasi, save_realisasi
from kinerja.simpan.revisi import copy_tahun, publish_versi, simpan_batas_cek
from kinerja.simpan.verifikasi import DISAHKAN, ubah_status
from tests import test_disahkan
from tests.test_disahkan import BULAN, DISAHKAN_SAJA, SEMUA, TAHUN

tahun_bertahap = test_disahkan.tahun_bertahap  # the months and statuses of the docstring

D = Decimal
LAPORAN = "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"  # IK-6.1.4
# (flag, the "Angka" line, realisasi s.d. TW II, TW I alone, capaian s.d. TW II, Rp of 6.1.4 s.d. TW II)
CAKUPAN = [
    (False, SEMUA, 8, 4, "160,00", 1_500_000),
    (True, DISAHKAN_SAJA, 2, 2, "40,00", 1_000_000),
]
# Evaluasi Renja XLSX columns (0-based, as in tests/test_renja.py): K of TW I, realisasi K and Rp s.d. the triwulan.
TW1_K, REAL_K, REAL_RP = 12, 20, 21
DICEK = "perlu dicek (di atas 200,00 %)"


def _teks_docx(data: bytes) -> tuple[list[str], list[list[str]]]:
    doc = Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs], [[c.text for c in r.cells] for t in doc.tables for r in t.rows]


def _baris(rows: list[list[str]], nama: str) -> list[str]:
    return next(r for r in rows if nama in r)


@pytest.mark.parametrize(("hanya", "angka", "realisasi", "tw1", "capaian", "rp"), CAKUPAN)
def test_evaluasi_renja_counts_and_says_which_figures(tahun_bertahap, hanya, angka, realisasi, tw1, capaian, rp):
    with new_session(tahun_bertahap) as session:
        office = get_instansi(session)
        xlsx = build_renja_xlsx(session, office, TAHUN, 2, hanya)
        docx = build_renja_docx(session, office, TAHUN, 2, hanya)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    assert angka in [sheet.cell(r, 1).value for r in range(1, 7)]  # the title block above the table head
    row = next(r for r in sheet.iter_rows(min_row=11, values_only=True) if r[4] == LAPORAN)
    assert (row[TW1_K], row[REAL_K], row[REAL_RP]) == (tw1, realisasi, rp)
    paragraphs, rows = _teks_docx(docx)
    assert angka in paragraphs
    cells = next(r for r in rows if r[1] == "6.1.4")  # the sub kegiatan that carries IK-6.1.4
    assert cells[19:21] == [str(realisasi), f"{rp:,}".replace(",", ".")]


@pytest.mark.parametrize(("hanya", "angka", "realisasi", "tw1", "capaian", "rp"), CAKUPAN)
def test_the_quarterly_reports_count_and_say_which_figures(tahun_bertahap, hanya, angka, realisasi, tw1, capaian,
                                                          rp):
    with new_session(tahun_bertahap) as session:
        office = get_instansi(session)
        unit = build_laporan_triwulan_docx(session, office, TAHUN, 2, "PERENCANAAN", hanya)
        kantor = build_laporan_triwulan_docx(session, office, TAHUN, 2, None, hanya)
    paragraphs, rows = _teks_docx(unit)
    assert angka in paragraphs
    cells = _baris(rows, LAPORAN)
    assert cells[5:7] == [str(realisasi), capaian]  # Realisasi s.d. TW II, Capaian (%)
    assert angka in _teks_docx(kantor)[0]


@pytest.mark.parametrize(("hanya", "angka", "realisasi", "tw1", "capaian", "rp"), CAKUPAN)
def test_the_lkjip_draft_counts_and_says_which_figures(tahun_bertahap, hanya, angka, realisasi, tw1, capaian, rp):
    with new_session(tahun_bertahap) as session:
        isi = load_isi_lkjip(session, get_instansi(session), TAHUN, 2, date(2025, 7, 15), hanya)
    paragraphs, rows = _teks_docx(build_lkjip_docx(isi))
    assert any(angka + "." in p for p in paragraphs)  # "... versi yang berlaku .... Angka: ...."
    cells = _baris(rows, LAPORAN)  # No, Indikator, Satuan, Target, Realisasi, Capaian (%), Kategori
    assert cells[4:6] == [str(realisasi), capaian]


@pytest.mark.parametrize(("hanya", "angka", "realisasi", "tw1", "capaian", "rp"), CAKUPAN)
def test_the_evidence_pack_counts_and_says_which_figures(tahun_bertahap, tmp_path, hanya, angka, realisasi, tw1,
                                                         capaian, rp):
    with new_session(tahun_bertahap) as session:
        office_id = get_instansi(session).id
    data = build_paket_sakip(tahun_bertahap, instansi_id=office_id, tahun=TAHUN, folder_bukti=tmp_path / "bukti",
                             dicetak=date(2026, 1, 5), hanya_disahkan=hanya)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        readme = z.read("README.txt").decode("utf-8").splitlines()
        rencana = openpyxl.load_workbook(io.BytesIO(z.read("04-rencana-aksi/rencana-aksi-2025.xlsx"))).active
        bulanan = openpyxl.load_workbook(io.BytesIO(z.read("03-pengukuran-berkala/realisasi-bulanan-2025.xlsx")))
        renja = openpyxl.load_workbook(io.BytesIO(z.read("05-evaluasi-renja/evaluasi-renja-tw2-2025.xlsx"))).active
        triwulan = _teks_docx(z.read("03-pengukuran-berkala/laporan-triwulan-2-PERENCANAAN-2025.docx"))
        draf = _teks_docx(z.read(next(n for n in z.namelist() if n.startswith("08-laporan-kinerja/draf-lkjip"))))[0]
    assert f"{angka}." in readme
    # Rencana Aksi: Unit, Kode, Indikator, Satuan, Target tahunan, then (target, realisasi, capaian) per triwulan.
    assert rencana.cell(2, 1).value == angka
    row = next(r for r in rencana.iter_rows(min_row=4, values_only=True) if r[1] == "IK-6.1.4")
    assert (row[6], row[9], row[10]) == (tw1, realisasi, float(capaian.replace(",", ".")))
    # the months as entered: February (2, only verified) is left out when only approved months count
    sheet = bulanan["PERENCANAAN"]
    assert sheet.cell(2, 1).value == angka
    months = next(r for r in sheet.iter_rows(min_row=4, values_only=True) if r[0] == "IK-6.1.4")[3:9]
    assert months == ((1, "", 1, "", "", "") if hanya else (1, 2, 1, 1, 1, 2))
    assert angka in [renja.cell(r, 1).value for r in range(1, 7)]
    assert angka in triwulan[0] and _baris(triwulan[1], LAPORAN)[5] == str(realisasi)
    assert any(angka + "." in p for p in draf)


def _ubah(engine: Engine, kode: str, tahun: int, bulan: int, *aksi: str) -> None:
    with new_session(engine) as session:
        unit_id = session.exec(select(Unit.id).where(Unit.kode == kode)).one()
    for a in aksi:
        ubah_status(engine, unit_id=unit_id, tahun=tahun, bulan=bulan, aksi=a, catatan="", pengguna=None)


def test_the_comparison_with_earlier_years_follows_the_choice(tahun_bertahap):
    # 2024 is an app year too: IK-6.1.4 March 3 Laporan (approved) and September 4 (only submitted).
    with new_session(tahun_bertahap) as session:
        office_id = get_instansi(session).id
    versi = copy_tahun(tahun_bertahap, instansi_id=office_id, dari=2025, ke=2024, tanggal=date(2024, 1, 2),
                       oleh="uji")
    publish_versi(tahun_bertahap, versi_id=versi.id, oleh="uji")
    save_realisasi(tahun_bertahap, instansi_id=office_id, tahun=2024, oleh="uji", entries=[
        EntriRealisasi(kode="IK-6.1.4", bulan=3, nilai=D(3)), EntriRealisasi(kode="IK-6.1.4", bulan=9, nilai=D(4))])
    _ubah(tahun_bertahap, "PERENCANAAN", 2024, 3, "ajukan", "verifikasi", "sahkan")
    _ubah(tahun_bertahap, "PERENCANAAN", 2024, 9, "ajukan")
    with new_session(tahun_bertahap) as session:
        office = get_instansi(session)
        semua = list_perbandingan(session, office, TAHUN, 2)["IK-6.1.4"]
        sah = list_perbandingan(session, office, TAHUN, 2, hanya_disahkan=True)["IK-6.1.4"]
    # 2025 s.d. TW II: 8 (160 %) in all, 2 (40 %) approved; 2024 (the year, target 10): 3 + 4 = 7 -> 70 %, or 3 -> 30 %.
    assert (semua.nilai(2025).realisasi, semua.nilai(2025).capaian) == (D(8), D(160))
    assert (sah.nilai(2025).realisasi, sah.nilai(2025).capaian) == (D(2), D(40))
    assert (semua.nilai(2024).realisasi, semua.nilai(2024).capaian) == (D(7), D(70))
    assert (sah.nilai(2024).realisasi, sah.nilai(2024).capaian) == (D(3), D(30))
    # capaian 2025 against 2024 in points: 160 - 70 = +90 in all, 40 - 30 = +10 approved only
    assert (semua.selisih, sah.selisih) == (D(90), D(10))



def test_the_lkjip_draft_compares_with_the_approved_figures_of_earlier_years(tahun_bertahap):
    # The draft compares the Camat's indicators. IK-6 (target 100 %) is derived: the mean capaian of the
    # indicators one level below it. In 2024 only IK-6.3 (a ratio of the latest month, target 100 %) is
    # entered: March 8 / 10 (approved) and August 4 / 10 (only submitted). So IK-6.3 in 2024: all figures
    # 4 / 10 = 40 % -> capaian 40 %, approved only 8 / 10 = 80 % -> 80 %; IK-6, their mean: 40 % or 80 %.
    with new_session(tahun_bertahap) as session:
        office_id = get_instansi(session).id
    versi = copy_tahun(tahun_bertahap, instansi_id=office_id, dari=2025, ke=2024, tanggal=date(2024, 1, 2),
                       oleh="uji")
    publish_versi(tahun_bertahap, versi_id=versi.id, oleh="uji")
    save_realisasi(tahun_bertahap, instansi_id=office_id, tahun=2024, oleh="uji", entries=[
        EntriRealisasi(kode="IK-6.3", bulan=3, pembilang=D(8), penyebut=D(10)),
        EntriRealisasi(kode="IK-6.3", bulan=8, pembilang=D(4), penyebut=D(10))])
    with new_session(tahun_bertahap) as session:
        unit = session.exec(select(Unit.kode).join(Indikator, Indikator.unit_id == Unit.id).where(
            Indikator.kode == "IK-6.3", Indikator.tahun == 2024)).first()
    _ubah(tahun_bertahap, unit, 2024, 3, "ajukan", "verifikasi", "sahkan")
    _ubah(tahun_bertahap, unit, 2024, 8, "ajukan")
    for hanya, tahun_lalu in ((False, ["40 %", "40,00"]), (True, ["80 %", "80,00"])):
        with new_session(tahun_bertahap) as session:
            isi = load_isi_lkjip(session, get_instansi(session), TAHUN, 2, date(2025, 7, 15), hanya)
        # one sasaran per table here, so the only 2024 row is IK-6's (the one Camat indicator with 2024 figures)
        assert [r[2:4] for r in _baris_tahun_draf(build_lkjip_docx(isi), "2024")] == [tahun_lalu], hanya


def _baris_tahun_draf(data: bytes, tahun: str) -> list[list[str]]:
    """The rows of one year in the draft's comparison tables (Tahun, Target, Realisasi, Capaian, ...)."""
    found = []
    for table in Document(io.BytesIO(data)).tables:
        rows = [[c.text for c in r.cells] for r in table.rows]
        if rows[0][:3] == ["Tahun", "Target", "Realisasi"]:
            found += [r for r in rows[1:] if r[0] == tahun]
    return found


@pytest.mark.parametrize(("hanya", "angka", "realisasi", "tw1", "capaian", "rp"), CAKUPAN)
def test_the_command_line_takes_the_flag_for_renja_and_the_quarterly_report(tahun_bertahap, tmp_path, monkeypatch,
                                                                            hanya, angka, realisasi, tw1, capaian,
                                                                            rp):
    monkeypatch.setenv("KINERJA_DATABASE_URL", tahun_bertahap.url.render_as_string(hide_password=False))
    runner = CliRunner()
    flag = ["--hanya-disahkan"] if hanya else []
    renja, triwulan = tmp_path / "renja.xlsx", tmp_path / "tw.docx"
    for args in (["renja", "--out", str(renja)], ["triwulan", "--out", str(triwulan), "--unit", "PERENCANAAN"]):
        result = runner.invoke(app, ["export", *args, "--tahun", "2025", "--triwulan", "2", *flag])
        assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(renja).active
    assert angka in [sheet.cell(r, 1).value for r in range(1, 7)]
    assert next(r for r in sheet.iter_rows(min_row=11, values_only=True) if r[4] == LAPORAN)[REAL_K] == realisasi
    paragraphs, rows = _teks_docx(triwulan.read_bytes())
    assert angka in paragraphs and _baris(rows, LAPORAN)[5] == str(realisasi)


def test_the_command_line_packs_approved_figures_only(tahun_bertahap, tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATABASE_URL", tahun_bertahap.url.render_as_string(hide_password=False))
    monkeypatch.setenv("KINERJA_BUKTI_DIR", str(tmp_path / "bukti"))
    out = tmp_path / "paket.zip"
    result = CliRunner().invoke(app, ["export", "paket-sakip", "--tahun", "2025", "--out", str(out),
                                      "--hanya-disahkan"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        assert f"{DISAHKAN_SAJA}." in z.read("README.txt").decode("utf-8").splitlines()


# --- "perlu dicek" in the LKjIP tables ----------------------------------------------------------------------


@pytest.fixture
def di_atas_batas(seeded: Engine, instansi_id: int) -> Engine:
    """IK-6.1.1 (3 Dokumen a year): 2 entered in January, so s.d. TW I 2 / (3 x 1/4 = 0,75) = 266,67 % > 200 %.
    IK-6.1.4 (10 Laporan a year): 1 in January -> 1 / 2,5 = 40 %, below the ceiling."""
    save_realisasi(seeded, instansi_id=instansi_id, tahun=TAHUN, entries=[
        EntriRealisasi(kode="IK-6.1.1", bulan=1, nilai=D(2)), EntriRealisasi(kode="IK-6.1.4", bulan=1, nilai=D(1))])
    return seeded


def _tabel_lkjip(engine: Engine) -> tuple[str, dict[str, list[list[str]]]]:
    """Return IK-6.1.1's name and, per format, the rows of every Pengukuran table as text."""
    with new_session(engine) as session:
        office = get_instansi(session)
        laporan = build_lkjip(session, office, TAHUN, 1, date(2025, 4, 15))
        draf = build_lkjip_docx(load_isi_lkjip(session, office, TAHUN, 1, date(2025, 4, 15)))
    nama = next(b.indikator for t in laporan.unit for b in t.baris if b.kode == "IK-6.1.1")
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(laporan)))
    rows = {
        "xlsx": [[str(c) for c in r if c is not None] for s in book.worksheets for r in s.iter_rows(values_only=True)],
        "docx": _teks_docx(export_lkjip_docx(laporan))[1],
        "csv": list(csv.reader(io.StringIO(export_lkjip_csv(laporan)["pengukuran"].decode("utf-8-sig")))),
        "draf": _teks_docx(draf)[1],
    }
    return nama, rows


def test_the_lkjip_tables_mark_a_capaian_above_the_ceiling(di_atas_batas):
    nama, rows = _tabel_lkjip(di_atas_batas)
    for fmt, table in rows.items():
        row = _baris(table, nama)
        assert "Sangat Tinggi; " + DICEK in row, (fmt, row)  # 266,67 % is Sangat Tinggi, and above 200 %
        laporan = _baris(table, LAPORAN)  # 40 %: Sangat Rendah, not marked
        assert "Sangat Rendah" in laporan and not any("perlu dicek" in c for c in laporan), (fmt, laporan)
    assert "266,67" in _baris(rows["docx"], nama)


def test_the_mark_follows_the_office_s_ceiling(di_atas_batas, instansi_id):
    simpan_batas_cek(di_atas_batas, instansi_id=instansi_id, nilai=D(300))  # 266,67 % is now below it
    nama, rows = _tabel_lkjip(di_atas_batas)
    for fmt, table in rows.items():
        row = _baris(table, nama)
        assert "Sangat Tinggi" in row and not any("perlu dicek" in c for c in row), (fmt, row)


def test_the_fixture_months_are_as_described():
    # guards the hand-worked figures above: PERENCANAAN's months and statuses come from tests/test_disahkan.py
    kode, months = BULAN["PERENCANAAN"]
    assert kode == "IK-6.1.4"
    assert {b: v for b, (v, _) in months.items()} == {1: 1, 2: 2, 3: 1, 4: 1, 5: 1, 6: 2}
    assert [b for b, (_, s) in months.items() if s == DISAHKAN] == [1, 3]
