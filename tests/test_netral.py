"""Text typed by users never becomes a spreadsheet formula: `netral` (CSV) and `buka_workbook` (XLSX).

Every writer of kinerja/dokumen/ekspor.py is fed a report whose user-typed texts (office, unit, sasaran,
indicator and budget names) are formulas, and the files it writes are read back as a
spreadsheet would read them.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from docx import Document

from kinerja.aturan.teks import netral
from kinerja.dokumen.ekspor import buka_workbook, export_lkjip_csv, export_lkjip_docx, export_lkjip_xlsx
from kinerja.dokumen.lkjip import BarisAnggaran, BarisEfisiensi, BarisPengukuran, LaporanLKjIP, TabelUnit
from kinerja.simpan.models import Instansi

D = Decimal
RUMUS = '=HYPERLINK("http://x")'


@pytest.mark.parametrize(("text", "expected"), [
    ("=1+1", "'=1+1"),
    ("+62812", "'+62812"),
    ("-5", "'-5"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    (RUMUS, "'" + RUMUS),
    ("Dokumen terlampir", "Dokumen terlampir"),
    ("Rp 5.000 = lunas", "Rp 5.000 = lunas"),  # a formula sign inside the text is harmless
    ("", ""),
])
def test_netral_prefixes_only_what_a_spreadsheet_would_run(text: str, expected: str) -> None:
    assert netral(text) == expected


def test_buka_workbook_keeps_formulas_urls_and_numbers_as_text() -> None:
    buffer = io.BytesIO()
    book = buka_workbook(buffer)
    sheet = book.add_worksheet("x")
    for col, text in enumerate((RUMUS, "http://x.example/a", "0812345", "1e5")):
        sheet.write(0, col, text)  # the generic write, which would convert without the options
    book.close()
    cells = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["x"][1]
    assert [(c.value, c.data_type, c.hyperlink) for c in cells] == [
        (RUMUS, "s", None), ("http://x.example/a", "s", None), ("0812345", "s", None), ("1e5", "s", None)]


def laporan_jahil() -> LaporanLKjIP:
    """A one-row report in which every user-typed text is a formula."""
    baris = BarisPengukuran(
        kode="IK-1", no="1", sasaran=RUMUS + " sasaran", indikator=RUMUS + " indikator", satuan="@satuan",
        target=D(10), target_sd_tw=D(10), realisasi=D(5), pembilang=None, penyebut=None, capaian=D(50),
        kategori="Sangat Rendah", target_renstra=None, realisasi_lalu=None, capaian_lalu=None,
    )
    return LaporanLKjIP(
        instansi=Instansi(kode="x", nama="+Kecamatan", kabupaten="-Kabupaten"), tahun=2025, triwulan=4,
        versi_nama="PK", versi_tanggal=date(2025, 1, 2), dicetak=date(2026, 1, 5), ada_tahun_lalu=False,
        unit=[TabelUnit("U", RUMUS + " unit", [baris])],
        anggaran=[BarisAnggaran(kode="1", tingkat="program", nama=RUMUS + " program", pagu=100, realisasi=150,
                                persen=D(150), sisa=-50)],
        efisiensi=[BarisEfisiensi(kode="1", tingkat="program", nama=RUMUS + " efisiensi", capaian=D(50),
                                  penyerapan=D(150), selisih=D(-100), keterangan="Kurang efisien")],
    )


def test_xlsx_writes_every_typed_formula_as_a_string() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_lkjip_xlsx(laporan_jahil())))
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    typed = [c for c in cells if not isinstance(c.value, int | float) and c.value.startswith(("=", "+", "-", "@"))]
    # the sasaran, indicator, satuan, the office in the title block of each sheet, budget and efisiensi names
    assert {c.value for c in typed} == {RUMUS + " sasaran", RUMUS + " indikator", "@satuan", RUMUS + " program",
                                        RUMUS + " efisiensi", "+Kecamatan, -Kabupaten"}
    assert all(c.data_type == "s" for c in typed)
    assert not any(c.data_type == "f" for c in cells)
    # a negative number stays a number: only text is neutralised
    sisa = book["Realisasi Anggaran"].cell(row=8, column=7)
    assert (sisa.value, sisa.data_type) == (-50, "n")


def test_csv_prefixes_every_typed_formula_and_leaves_numbers_alone() -> None:
    files = {name: list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
             for name, data in export_lkjip_csv(laporan_jahil()).items()}
    grup, pengukuran = files["pengukuran"][1], files["pengukuran"][2]
    # the sasaran's group row comes first, neutralised like every text cell
    assert grup[:3] == ["'" + RUMUS + " unit", "", "'" + RUMUS + " sasaran"] and grup[-1] == "sasaran"
    assert pengukuran[:5] == ["'" + RUMUS + " unit", "1", "'" + RUMUS + " sasaran", "'" + RUMUS + " indikator",
                              "'@satuan"]
    assert files["anggaran"][1][2] == "'" + RUMUS + " program"
    assert files["anggaran"][1][6] == "-50"  # Sisa is a number, not text to neutralise
    assert files["efisiensi"][1][2] == "'" + RUMUS + " efisiensi"
    assert files["efisiensi"][1][5] == "-100.0000"
    cells = [cell for rows in files.values() for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_docx_shows_typed_text_as_typed() -> None:
    # Word runs no formulas: the apostrophe of CSV must not leak into the document
    doc = Document(io.BytesIO(export_lkjip_docx(laporan_jahil())))
    texts = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert {RUMUS + " sasaran", RUMUS + " indikator", RUMUS + " program"} <= texts
    assert not any(t.startswith("'") for t in texts)


def test_the_cli_csv_outputs_never_carry_a_formula(seeded, tmp_path, monkeypatch):
    """`kinerja indikator`, `anggaran` and `export capaian` print text a spreadsheet would otherwise run."""
    from sqlmodel import select
    from typer.testing import CliRunner

    from kinerja.cli import app
    from kinerja.simpan.db import write_session
    from kinerja.simpan.models import Anggaran, Indikator

    with write_session(seeded) as session:
        ind = session.exec(select(Indikator).where(Indikator.kode == "IK-6.1.1")).one()
        ind.nama = '=HYPERLINK("http://x","klik")'
        node = session.exec(select(Anggaran).where(Anggaran.kode == "6.1.1")).one()
        node.nama = "@SUM(A1:A9)"
        session.add_all([ind, node])
    monkeypatch.setenv("KINERJA_DATABASE_URL", seeded.url.render_as_string(hide_password=False))
    runner = CliRunner()
    for command, bad in ((["indikator"], '=HYPERLINK'), (["export", "capaian"], '=HYPERLINK'),
                         (["anggaran"], "@SUM")):
        out = runner.invoke(app, [*command, "--tahun", "2025"]).stdout
        cells = [c for line in csv.reader(io.StringIO(out)) for c in line]
        assert any(c.startswith("'" + bad) for c in cells), command
        assert not any(c.startswith(("=", "@", "+")) for c in cells), command
