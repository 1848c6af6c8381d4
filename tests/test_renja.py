"""The Evaluasi Renja (Permendagri 86/2017) against figures worked out by hand, in XLSX, DOCX and from the CLI.

`isi_tw2` enters known months up to triwulan II; every expected figure below is derived from them in
the comments. The Rp columns come from the budget lines entered; K per triwulan follows the agregasi.
"""

import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import Engine
from typer.testing import CliRunner

from kinerja.aturan.capaian import total_realisasi_anggaran
from kinerja.baca.laporan import compute_capaian_tahun
from kinerja.baca.renja import build_evaluasi_renja
from kinerja.cli import app
from kinerja.dokumen.renja import build_renja_docx, build_renja_xlsx, kolom_renja
from kinerja.dokumen.word import ke_pdf
from kinerja.simpan.analisis import EntriAnalisis, save_analisis
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.realisasi import EntriAnggaran, EntriRealisasi, save_realisasi, save_realisasi_anggaran

D = Decimal
PERENCANAAN = "Sub Bagian Perencanaan dan Kepegawaian"
UMUMKEU = "Sub Bagian Umum dan Keuangan"
# Pagu from data/mangkutana-2025/anggaran.csv
PAGU = {"6": 2_873_283_457, "6.1": 32_603_700, "6.1.1": 15_409_900, "6.1.4": 7_928_600, "6.2.1": 2_170_964_177}


def isi_tw2(engine: Engine, instansi_id: int) -> None:
    """Known months up to June, and an analysis of triwulan II."""
    save_realisasi(engine, instansi_id=instansi_id, tahun=2025, entries=[
        # IK-6.1.4 Laporan, jumlah, target 10: TW I = 1 + 2 = 3, TW II = 3; s.d. TW II 6
        EntriRealisasi(kode="IK-6.1.4", bulan=2, nilai=D(1)),
        EntriRealisasi(kode="IK-6.1.4", bulan=3, nilai=D(2)),
        EntriRealisasi(kode="IK-6.1.4", bulan=5, nilai=D(3)),
        # IK-6.2.1 Orang/bulan, rata_rata, target 25: TW I = (24 + 26) / 2 = 25, TW II = (25 + 25 + 22) / 3 = 24,
        # s.d. TW II = (24 + 26 + 25 + 25 + 22) / 5 = 24,4
        EntriRealisasi(kode="IK-6.2.1", bulan=1, nilai=D(24)),
        EntriRealisasi(kode="IK-6.2.1", bulan=2, nilai=D(26)),
        EntriRealisasi(kode="IK-6.2.1", bulan=4, nilai=D(25)),
        EntriRealisasi(kode="IK-6.2.1", bulan=5, nilai=D(25)),
        EntriRealisasi(kode="IK-6.2.1", bulan=6, nilai=D(22)),
        # IK-6.1 rasio, jumlah, target 100 %: TW I = 1/2 = 50 %, TW II = 2/2 = 100 %, s.d. TW II = 3/4 = 75 %
        EntriRealisasi(kode="IK-6.1", bulan=3, pembilang=D(1), penyebut=D(2)),
        EntriRealisasi(kode="IK-6.1", bulan=4, pembilang=D(2), penyebut=D(2)),
        # IK-6.3 rasio, terakhir, target 100 %: TW I = March 15/20 = 75 %, TW II = June 18/20 = 90 %; s.d. = 90 %
        EntriRealisasi(kode="IK-6.3", bulan=1, pembilang=D(10), penyebut=D(20)),
        EntriRealisasi(kode="IK-6.3", bulan=3, pembilang=D(15), penyebut=D(20)),
        EntriRealisasi(kode="IK-6.3", bulan=6, pembilang=D(18), penyebut=D(20)),
    ])
    save_realisasi_anggaran(engine, instansi_id=instansi_id, tahun=2025, entries=[
        # 6.1.4: TW I Rp 1.000.000, TW II Rp 500.000; 6.1.1: TW II Rp 2.000.000
        EntriAnggaran(kode="6.1.4", bulan=2, realisasi=1_000_000),
        EntriAnggaran(kode="6.1.4", bulan=4, realisasi=500_000),
        EntriAnggaran(kode="6.1.1", bulan=6, realisasi=2_000_000),
    ])
    save_analisis(engine, instansi_id=instansi_id, tahun=2025, triwulan=2, entries=[
        EntriAnalisis(kode="IK-6.1.4", faktor_pendorong="Tim evaluasi lengkap", faktor_penghambat="Data terlambat",
                      rencana_tindak_lanjut="Percepat pengumpulan data", rekomendasi_pimpinan="Evaluasi tiap bulan"),
        EntriAnalisis(kode="IK-6.1.1", faktor_penghambat="Data terlambat"),
        EntriAnalisis(kode="IK-6.2.1", faktor_penghambat="Dua pegawai pindah"),
    ])


@pytest.fixture
def tw2(seeded: Engine, instansi_id: int) -> Engine:
    isi_tw2(seeded, instansi_id)
    return seeded


def _evaluasi(engine: Engine, triwulan: int = 2):
    with new_session(engine) as session:
        return build_evaluasi_renja(session, get_instansi(session), 2025, triwulan)


def _xlsx(engine: Engine, triwulan: int = 2):
    with new_session(engine) as session:
        data = build_renja_xlsx(session, get_instansi(session), 2025, triwulan)
    return openpyxl.load_workbook(io.BytesIO(data))["Evaluasi Renja"]


def _rows_by_indicator(sheet) -> dict[str, tuple]:
    """Rows of the form by their indicator's name (column E)."""
    return {row[4]: row for row in sheet.iter_rows(min_row=11, values_only=True) if row[4]}


# Column indexes of the XLSX (0-based): see kolom_renja
TARGET_K, TARGET_RP = 10, 11
TW_K = {1: 12, 2: 14, 3: 16, 4: 18}
TW_RP = {1: 13, 2: 15, 3: 17, 4: 19}
REAL_K, REAL_RP, CAP_K, CAP_RP, RENSTRA_K = 20, 21, 22, 23, 24


def test_the_columns_are_the_form_s_with_every_pair_split_k_and_rp(tw2: Engine) -> None:
    ev = _evaluasi(tw2)
    cols = kolom_renja(ev)
    assert len(cols) == 30
    assert [c.judul for c in cols[:6]] == ["No", "Sasaran", "Kode", "Program / Kegiatan / Sub Kegiatan",
                                           "Indikator kinerja program (outcome) / kegiatan (output)", "Satuan"]
    assert [c.judul for c in cols[6:28]] == ["K", "Rp"] * 11
    assert [c.sub for c in cols[12:20]] == ["I", "I", "II", "II", "III", "III", "IV", "IV"]
    assert [c.judul for c in cols[28:]] == ["Unit penanggung jawab", "Keterangan"]
    sheet = _xlsx(tw2)
    assert sheet.cell(7, 7).value == "Target Renstra akhir periode (2025)"  # the latest Renstra target known
    assert sheet.cell(8, 13).value == "I" and sheet.cell(9, 13).value == "K" and sheet.cell(9, 14).value == "Rp"
    assert [sheet.cell(10, c).value for c in (1, 2, 30)] == [1, 2, 30]  # the column numbers row


def test_per_triwulan_k_follows_the_agregasi_and_rp_the_quarter_s_spending(tw2: Engine) -> None:
    rows = _rows_by_indicator(_xlsx(tw2))
    laporan = rows["Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"]
    assert laporan[2] == "6.1.4" and laporan[5] == "Laporan" and laporan[28] == PERENCANAAN
    assert (laporan[TARGET_K], laporan[TARGET_RP]) == (10, PAGU["6.1.4"])
    assert (laporan[TW_K[1]], laporan[TW_K[2]]) == (3, 3)  # 1 + 2 in Feb-Mar, 3 in May
    assert (laporan[TW_RP[1]], laporan[TW_RP[2]]) == (1_000_000, 500_000)
    assert laporan[REAL_K] == 6 and laporan[REAL_RP] == 1_500_000
    assert laporan[CAP_K] == pytest.approx(60)  # 6 / 10 annual target
    assert laporan[CAP_RP] == pytest.approx(1_500_000 * 100 / PAGU["6.1.4"])  # 18,92 %
    assert laporan[RENSTRA_K] == 6  # realisasi Renstra s.d. this year = this year's realisasi
    assert laporan[29] == "Capaian s.d. TW II: 120,00 % (Sangat Tinggi)"  # 6 / (10 × 2/4)
    for tw in (3, 4):  # the quarters after the one chosen stay empty
        assert laporan[TW_K[tw]] is None and laporan[TW_RP[tw]] is None

    gaji = rows["Jumlah Orang yang Menerima Gaji dan Tunjangan ASN"]
    assert (gaji[TW_K[1]], gaji[TW_K[2]]) == (25, 24)  # the mean of each quarter's months
    assert gaji[REAL_K] == pytest.approx(24.4) and gaji[CAP_K] == pytest.approx(97.6)
    assert gaji[TW_RP[1]] is None and gaji[REAL_RP] is None  # no budget entered: empty, not 0

    rasio = rows["Persentase Ketercapaian Target Kinerja Perangkat Daerah"]
    assert (rasio[TW_K[1]], rasio[TW_K[2]], rasio[REAL_K]) == (50, 100, 75)  # 1/2, 2/2, 3/4
    # the kegiatan 6.1 holds its subtree's spending: TW I 1.000.000, TW II 500.000 + 2.000.000
    assert (rasio[TW_RP[1]], rasio[TW_RP[2]], rasio[REAL_RP]) == (1_000_000, 2_500_000, 3_500_000)

    aset = rows["Persentase Aset Teradministrasi"]
    assert (aset[TW_K[1]], aset[TW_K[2]], aset[REAL_K]) == (75, 90, 90)  # March 15/20, June 18/20


def test_a_derived_program_row_shows_its_level_and_the_program_s_budget(tw2: Engine) -> None:
    row = _rows_by_indicator(_xlsx(tw2))["Persentase Penunjang Urusan Perangkat Daerah Berjalan Sesuai Standar"]
    assert row[2] == "6" and row[3] == "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA"
    assert row[1].startswith("Meningkatnya Kualitas Pelaksanaan Kegiatan Penunjang")  # the Camat's sasaran
    # IK-6 = mean capaian s.d. TW of the kegiatan indicators that have one: IK-6.1 75 and IK-6.3 90
    # TW I: IK-6.1 50 and IK-6.3 75 -> 62,5
    assert (row[TW_K[1]], row[TW_K[2]], row[REAL_K]) == (62.5, 82.5, 82.5)
    assert row[REAL_RP] == 3_500_000 and row[TARGET_RP] == PAGU["6"]


def test_the_budget_absorption_indicator_per_triwulan_is_the_quarter_s_spending_over_the_pagu(
        seeded: Engine, instansi_id: int) -> None:
    save_realisasi_anggaran(seeded, instansi_id=instansi_id, tahun=2025, entries=[
        EntriAnggaran(kode="6.2.1", bulan=1, realisasi=180_000_000),
        EntriAnggaran(kode="6.2.2", bulan=5, realisasi=20_000_000),
    ])
    row = next(b for b in _evaluasi(seeded).baris if b.indikator_kode == "IK-6.2")
    pagu = 2_210_249_677  # kegiatan 6.2
    assert row.triwulan_k[0] == pytest.approx(D(180_000_000 * 100) / pagu)
    assert row.triwulan_k[1] == pytest.approx(D(20_000_000 * 100) / pagu)
    assert row.realisasi_k == pytest.approx(D(200_000_000 * 100) / pagu)  # the quarters add up to the year
    assert row.triwulan_rp[:2] == (180_000_000, 20_000_000)


def test_the_footer_averages_the_capaian_columns_and_bands_the_predikat(tw2: Engine) -> None:
    ev = _evaluasi(tw2)
    # tingkat capaian kinerja of the rows that have one (against the annual target, capped at 100):
    # IK-6 82,5; IK-6.1 75; IK-6.3 90; IK-6.1.4 60; IK-6.2.1 97,6 -> 405,1 / 5 = 81,02 -> Tinggi
    assert ev.penutup.rata_rata_kinerja == pytest.approx(D("81.02"))
    assert ev.penutup.predikat == "Tinggi"
    # anggaran: 6 (3,5 jt of its pagu), 6.1 (3,5 jt), 6.1.1 (2 jt), 6.1.4 (1,5 jt)
    expected = (D(3_500_000) / PAGU["6"] + D(3_500_000) / PAGU["6.1"] + D(2_000_000) / PAGU["6.1.1"]
                + D(1_500_000) / PAGU["6.1.4"]) * 100 / 4
    assert ev.penutup.rata_rata_anggaran == pytest.approx(expected)
    sheet = _xlsx(tw2)
    footer = {r[0]: r for r in sheet.iter_rows(min_row=11, values_only=True) if r[0] and str(r[0])[0].isalpha()}
    assert footer["Rata-rata capaian kinerja (%)"][6] == pytest.approx(81.02)
    assert footer["Rata-rata capaian anggaran (%)"][6] == pytest.approx(float(expected))
    assert footer["Predikat kinerja"][6] == "Tinggi"


def test_the_footer_joins_the_analyses_per_unit_once_per_text(tw2: Engine) -> None:
    p = _evaluasi(tw2).penutup
    assert p.faktor_penghambat == (
        f"{PERENCANAAN}:\n"
        "- Jumlah dokumen perencanaan perangkat daerah yang disusun; Jumlah Laporan Evaluasi Kinerja Perangkat "
        "Daerah: Data terlambat\n"
        f"{UMUMKEU}:\n- Jumlah Orang yang Menerima Gaji dan Tunjangan ASN: Dua pegawai pindah")
    assert p.faktor_pendorong == (f"{PERENCANAAN}:\n"
                                  "- Jumlah Laporan Evaluasi Kinerja Perangkat Daerah: Tim evaluasi lengkap")
    assert p.tindak_lanjut_triwulan.endswith("Evaluasi Kinerja Perangkat Daerah: Percepat pengumpulan data")
    assert p.tindak_lanjut_renja.endswith(": Evaluasi tiap bulan")
    sheet = _xlsx(tw2)
    texts = {r[0]: r[6] for r in sheet.iter_rows(min_row=11, values_only=True) if isinstance(r[0], str)}
    assert texts["Faktor penghambat pencapaian kinerja"] == p.faktor_penghambat
    assert texts["Tindak lanjut yang diperlukan dalam triwulan berikutnya (Triwulan III)"] == p.tindak_lanjut_triwulan
    assert texts["Tindak lanjut yang diperlukan dalam Renja tahun berikutnya (2026)"] == p.tindak_lanjut_renja


def test_the_xlsx_prints_a4_landscape_one_page_wide_with_the_header_repeated(tw2: Engine) -> None:
    sheet = _xlsx(tw2)
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # one page wide (fitToWidth 1 is the default), any height
    assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$7:$10"  # the three header rows and the column numbers
    row = next(r for r in range(11, 80) if sheet.cell(r, 3).value == "6.1.4")
    assert sheet.cell(row, 21).number_format == "#,##0" and isinstance(sheet.cell(row, 22).value, int)
    assert sheet.cell(row, 23).number_format == "#,##0.00"
    # a long name wraps: its row is taller than a row of one line
    long_name = next(r for r in range(11, 80) if sheet.cell(r, 3).value == "6.8.1")
    assert sheet.row_dimensions[long_name].height > 30


def test_the_docx_holds_the_same_figures_and_the_footer(tw2: Engine) -> None:
    with new_session(tw2) as session:
        data = build_renja_docx(session, get_instansi(session), 2025, 2)
    doc = Document(io.BytesIO(data))
    table, footer = doc.tables[0], doc.tables[1]
    header = [c.text for c in table.rows[1].cells]
    assert header[5:7] == ["K", "Rp"] and header[11:13] == ["I K", "I Rp"]
    row = next([c.text for c in r.cells] for r in table.rows if r.cells[1].text == "6.1.4")
    # No, Kode, nama, indikator, satuan, Renstra K Rp, lalu K Rp, target K Rp, TW I K Rp, TW II K Rp ...
    assert row[9:15] == ["10", "7.928.600", "3", "1.000.000", "3", "500.000"]
    assert row[19:23] == ["6", "1.500.000", "60,00", "18,92"]
    assert any(c.text == "Sasaran: Meningkatnya kualitas penyelenggaraan Pemerintahan dan Akuntabilitas Kinerja "
                         "Perangkat Daerah" for c in table.columns[0].cells)
    labels = {r.cells[0].text: r.cells[1].text for r in footer.rows}
    assert labels["Rata-rata capaian kinerja (%)"] == "81,02 %" and labels["Predikat kinerja"] == "Tinggi"
    assert "Dua pegawai pindah" in labels["Faktor penghambat pencapaian kinerja"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_docx_renders_to_a_few_a3_landscape_pages(tw2: Engine, tmp_path: Path) -> None:
    with new_session(tw2) as session:
        pdf = ke_pdf(build_renja_docx(session, get_instansi(session), 2025, 2))
    (tmp_path / "r.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 2 <= pages <= 5  # 57 rows whose names wrap
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert "(A3)" in info and float(size[2]) > float(size[4])  # 28 columns: A3, landscape


def test_cli_export_renja_writes_xlsx_and_docx(tw2: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_DATABASE_URL", tw2.url.render_as_string(hide_password=False))
    for ext in ("xlsx", "docx"):
        out = tmp_path / f"renja.{ext}"
        result = CliRunner().invoke(app, ["export", "renja", "--tahun", "2025", "--triwulan", "2", "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 5000
    sheet = openpyxl.load_workbook(tmp_path / "renja.xlsx")["Evaluasi Renja"]
    assert _rows_by_indicator(sheet)["Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"][REAL_K] == 6
    refused = CliRunner().invoke(app, ["export", "renja", "--triwulan", "2", "--out", str(tmp_path / "renja.csv")])
    assert refused.exit_code == 2 and "tidak cocok" in refused.output


def test_every_row_of_the_xlsx_equals_the_engine(tw2: Engine) -> None:
    with new_session(tw2) as session:
        capaian = compute_capaian_tahun(session, get_instansi(session), 2025, 2)
    data = capaian.data_tahun.data
    pagu = {n.node.kode: n.pagu for n in capaian.data_tahun.anggaran}
    nama = {b.indikator.nama: b.indikator.kode for b in capaian.data_tahun.baris}
    rows = _rows_by_indicator(_xlsx(tw2))
    assert len(rows) == 57
    for name, row in rows.items():
        h = capaian.hasil[nama[name]]
        assert row[TARGET_K] == pytest.approx(float(h.target_tahunan))
        assert row[REAL_K] == (None if h.realisasi is None else pytest.approx(float(h.realisasi))), name
        assert row[CAP_K] == (None if h.capaian_tahunan is None else pytest.approx(float(h.capaian_tahunan))), name
        if row[2]:  # a budget row: its pagu and its subtree's spending s.d. June
            spent = total_realisasi_anggaran(data.anggaran, data.realisasi_anggaran, row[2], 6)
            assert (row[TARGET_RP], row[REAL_RP]) == (pagu[row[2]], spent), name
