"""The quarterly report per unit and for the office, against figures worked out by hand (data of tests.test_renja)."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from typer.testing import CliRunner

from kinerja.cli import app
from kinerja.dokumen.laporan_triwulan import build_laporan_triwulan_docx
from kinerja.dokumen.word import ke_pdf
from kinerja.simpan.db import new_session
from kinerja.simpan.queries import NotFound, get_instansi
from tests.test_renja import isi_tw2

UNITS = ["CAMAT", "SEKCAM", "PEMUM", "PMD", "TRANTIB", "PELAYANAN", "PERENCANAAN", "UMUMKEU"]


@pytest.fixture
def tw2(seeded: Engine, instansi_id: int) -> Engine:
    isi_tw2(seeded, instansi_id)
    return seeded


def _docx(engine: Engine, unit: str | None, triwulan: int = 2) -> bytes:
    with new_session(engine) as session:
        return build_laporan_triwulan_docx(session, get_instansi(session), 2025, triwulan, unit)


def _table(doc, first_header: str, column: int = 0):
    return next(t for t in doc.tables if t.rows and t.rows[0].cells[column].text == first_header)


def _rows(table) -> list[list[str]]:
    return [[c.text for c in r.cells] for r in table.rows[1:]]


def test_a_unit_s_indicators_with_target_sd_tw_realisasi_capaian_kategori_and_each_triwulan(tw2: Engine) -> None:
    doc = Document(io.BytesIO(_docx(tw2, "PERENCANAAN")))
    table = _table(doc, "No")
    assert [c.text for c in table.rows[0].cells][3:] == [
        "Target tahun", "Target s.d. TW II", "Realisasi s.d. TW II", "Capaian (%)", "Kategori",
        "Capaian TW I (%)", "Capaian TW II (%)"]
    rows = {r[1]: r for r in _rows(table)}
    assert len(rows) == 8  # the 8 rows of the Kasubag Perencanaan's agreement
    # IK-6.1.4: s.d. TW II 1 + 2 + 3 = 6 against 10 × 2/4 = 5 -> 120 %; s.d. TW I 3 against 2,5 -> 120 %
    assert rows["Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"][2:] == [
        "Laporan", "10", "5", "6", "120,00", "Sangat Tinggi", "120,00", "120,00"]
    # IK-6.1 rasio: s.d. TW II 3/4 = 75 % against 100 -> Sedang; s.d. TW I 1/2 = 50 %
    assert rows["Persentase Ketercapaian Target Kinerja Perangkat Daerah"][3:] == [
        "100", "100", "75", "75,00", "Sedang", "50,00", "75,00"]
    empty = rows["Jumlah dokumen perencanaan perangkat daerah yang disusun"]
    assert empty[5:] == ["", "", "", "", ""]  # nothing entered: no realisasi, no capaian, no kategori


def test_the_trend_table_counts_and_averages_each_triwulan(tw2: Engine) -> None:
    doc = Document(io.BytesIO(_docx(tw2, "PERENCANAAN")))
    rows = _rows(_table(doc, "Triwulan"))
    # TW I: IK-6.1 50 (Sangat Rendah) and IK-6.1.4 120 capped at 100 -> (50 + 100) / 2 = 75
    # TW II: IK-6.1 75 (Sedang) and IK-6.1.4 100 -> 87,5
    assert rows == [["s.d. TW I", "2 dari 8", "75,00", "1", "0", "0", "0", "1"],
                    ["s.d. TW II", "2 dari 8", "87,50", "1", "0", "1", "0", "0"]]


def test_the_analysis_and_the_budget_of_the_unit_s_sub_kegiatan(tw2: Engine) -> None:
    doc = Document(io.BytesIO(_docx(tw2, "PERENCANAAN")))
    analisis = _rows(_table(doc, "Indikator", 1))
    assert [r[1] for r in analisis] == ["Jumlah dokumen perencanaan perangkat daerah yang disusun",
                                        "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah"]
    assert analisis[1][2:] == ["Tim evaluasi lengkap", "Data terlambat", "", "Percepat pengumpulan data",
                               "Evaluasi tiap bulan"]
    budget = _rows(_table(doc, "Kode"))
    assert [r[0] for r in budget] == ["6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.4.1", "6.4.2", ""]
    assert budget[3][2:] == ["Rp 7.928.600", "Rp 1.500.000", "18,92", "Rp 6.428.600"]
    # Jumlah: pagu 15.409.900 + 6.155.700 + 3.109.500 + 7.928.600 + 4.887.200 + 18.390.000 = 55.880.900;
    # spent 2.000.000 + 1.500.000 = 3.500.000 -> 6,26 %
    assert budget[-1][1:] == ["Jumlah", "Rp 55.880.900", "Rp 3.500.000", "6,26", "Rp 52.380.900"]


def test_the_notulen_section_is_empty_lines_and_both_signatures(tw2: Engine) -> None:
    doc = Document(io.BytesIO(_docx(tw2, "PERENCANAAN")))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Notulen dialog kinerja / tanggapan pimpinan")
    lines = texts[start + 2:start + 8]
    assert len(lines) == 6 and all(set(line) == {"."} for line in lines)  # nothing written yet
    blocks = ["\n".join(c.text for c in column.cells) for column in doc.tables[-1].columns]
    assert "SEKRETARIS CAMAT" in blocks[0] and "SAMUEL N, SIP" in blocks[0]  # the superior
    assert "KEPALA SUB BAGIAN PERENCANAAN" in blocks[1] and "MERI, S.PI" in blocks[1]


def test_the_office_report_rolls_the_units_up_under_the_camat_s_sasaran(tw2: Engine) -> None:
    doc = Document(io.BytesIO(_docx(tw2, None)))
    roll = _table(doc, "Unit", 1)
    rows = [[c.text for c in r.cells] for r in roll.rows[1:]]
    start = next(i for i, r in enumerate(rows) if r[0].startswith("3. Meningkatnya Kualitas Pelaksanaan Kegiatan"))
    # program 6: SEKCAM's 9 rows, PERENCANAAN's 8, UMUMKEU's 26.
    # PERENCANAAN: IK-6.1 75 and IK-6.1.4 120 -> 100: (75 + 100) / 2 = 87,5 (Tinggi); its nodes 6.1 and 6.4 spent
    # 3.500.000 of 32.603.700 + 23.277.200 = 55.880.900 -> 6,26 %
    assert rows[start + 1][1:] == ["Sekretariat Kecamatan", "9", "82,50", "Tinggi", "0,12"]
    assert rows[start + 2][1:] == ["Sub Bagian Perencanaan dan Kepegawaian", "8", "87,50", "Tinggi", "6,26"]
    assert rows[start + 3][1:4] == ["Sub Bagian Umum dan Keuangan", "26", "93,80"]  # (90 + 97,6) / 2
    assert rows[1][1] == "Diukur langsung pada tingkat kecamatan (tidak diturunkan ke unit)."  # Nilai AKIP


def test_an_unknown_unit_is_refused(tw2: Engine) -> None:
    with pytest.raises(NotFound):
        _docx(tw2, "TIDAKADA")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_every_unit_s_report_is_one_or_two_pages(tw2: Engine, tmp_path: Path) -> None:
    # every unit at triwulan II; the largest unit (26 indicators) and the office also at IV (four trend columns)
    for unit, triwulan in [*((u, 2) for u in [*UNITS, None]), ("UMUMKEU", 4), (None, 4)]:
        path = tmp_path / f"{unit}-{triwulan}.pdf"
        path.write_bytes(ke_pdf(_docx(tw2, unit, triwulan)))
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
        assert 1 <= pages <= 2, (unit, triwulan, pages)


def test_cli_export_triwulan_for_a_unit_and_the_office(tw2: Engine, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINERJA_DATABASE_URL", tw2.url.render_as_string(hide_password=False))
    out = tmp_path / "pmd.docx"
    result = CliRunner().invoke(app, ["export", "triwulan", "--tahun", "2025", "--triwulan", "2", "--unit", "PMD",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Seksi Pemberdayaan Masyarakat dan Desa" in "\n".join(p.text for p in Document(str(out)).paragraphs)
    office = CliRunner().invoke(app, ["export", "triwulan", "--triwulan", "2", "--out", str(tmp_path / "k.docx")])
    assert office.exit_code == 0, office.output
    bad = CliRunner().invoke(app, ["export", "triwulan", "--triwulan", "2", "--unit", "XX",
                                   "--out", str(tmp_path / "x.docx")])
    assert bad.exit_code == 2 and "unit 'XX'" in bad.output and not (tmp_path / "x.docx").exists()
