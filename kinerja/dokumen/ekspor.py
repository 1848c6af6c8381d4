"""Write the LKjIP tables as XLSX (xlsxwriter), DOCX (python-docx) and CSV.

Text typed by users (names, sasaran, keterangan) can never become a formula. This module is the
one neutralising writer of the project: `netral` for every CSV text cell (a cell that starts with
= + - @ or a tab/carriage return gets a leading apostrophe, the OWASP CSV-injection rule) and
`buka_workbook` for every XLSX workbook (strings stay strings: no formulas, URLs or numbers).
"""

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

import xlsxwriter
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from kinerja.aturan.format import format_angka, format_rupiah
from kinerja.dokumen.lkjip import TINGKAT_LABEL, BarisAnggaran, LaporanLKjIP

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEKS_SAJA = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def netral(value: str) -> str:
    """Return a CSV cell's text so that a spreadsheet shows it as typed, never runs it as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def buka_workbook(buffer: IO[bytes] | str) -> xlsxwriter.Workbook:
    """Open an xlsxwriter workbook (a buffer or a file name) in which every string stays text."""
    return xlsxwriter.Workbook(buffer, {"in_memory": True, **TEKS_SAJA})


@dataclass(frozen=True)
class Kolom:
    """A column of an exported table: header, width, kind (text|angka|persen|rupiah), and getter."""

    judul: str
    lebar: int
    jenis: str
    ambil: Callable[[object], object]
    grup: str = ""


def kolom_pengukuran(laporan: LaporanLKjIP) -> list[Kolom]:
    """Return the Pengukuran Kinerja columns, with Renstra and last year's when there are any."""
    interim = laporan.triwulan < 4
    cols = [
        Kolom("No", 5, "text", lambda r: r.no),
        Kolom("Sasaran", 38, "text", lambda r: r.sasaran),
        Kolom("Indikator Kinerja", 42, "text", lambda r: r.indikator),
        Kolom("Satuan", 11, "text", lambda r: r.satuan),
        Kolom("Target", 10, "angka", lambda r: r.target),
    ]
    if interim:
        cols += [
            Kolom("Target s.d. TW", 11, "angka", lambda r: r.target_sd_tw),
            Kolom("Pembilang", 10, "angka", lambda r: r.pembilang),
            Kolom("Penyebut", 10, "angka", lambda r: r.penyebut),
        ]
    cols += [
        Kolom("Realisasi s.d. TW" if interim else "Realisasi", 11, "angka", lambda r: r.realisasi),
        Kolom("Capaian (%)", 11, "persen", lambda r: r.capaian),
        Kolom("Kategori", 13, "text", lambda r: r.kategori),
    ]
    rows = [r for t in laporan.unit for r in t.baris]
    if any(r.target_renstra is not None for r in rows):
        cols.append(Kolom("Target Renstra", 11, "angka", lambda r: r.target_renstra))
    if laporan.ada_tahun_lalu:
        lalu = f"Tahun {laporan.tahun - 1}"
        cols += [
            Kolom("Realisasi", 11, "angka", lambda r: r.realisasi_lalu, grup=lalu),
            Kolom("Capaian (%)", 11, "persen", lambda r: r.capaian_lalu, grup=lalu),
        ]
    return cols


KOLOM_ANGGARAN = [
    Kolom("Kode", 9, "text", lambda r: r.kode),
    Kolom("Tingkat", 13, "text", lambda r: TINGKAT_LABEL[r.tingkat]),
    Kolom("Program / Kegiatan / Sub Kegiatan", 60, "text", lambda r: r.nama),
    Kolom("Pagu (Rp)", 17, "rupiah", lambda r: r.pagu),
    Kolom("Realisasi (Rp)", 17, "rupiah", lambda r: r.realisasi),
    Kolom("%", 9, "persen", lambda r: r.persen),
    Kolom("Sisa (Rp)", 17, "rupiah", lambda r: r.sisa),
]
KOLOM_EFISIENSI = [
    Kolom("Kode", 9, "text", lambda r: r.kode),
    Kolom("Tingkat", 13, "text", lambda r: TINGKAT_LABEL[r.tingkat]),
    Kolom("Program / Kegiatan", 60, "text", lambda r: r.nama),
    Kolom("Capaian Kinerja (%)", 14, "persen", lambda r: r.capaian),
    Kolom("Penyerapan Anggaran (%)", 14, "persen", lambda r: r.penyerapan),
    Kolom("Selisih", 11, "persen", lambda r: r.selisih),
    Kolom("Keterangan", 16, "text", lambda r: r.keterangan),
]


def _judul_blok(laporan: LaporanLKjIP, judul: str) -> list[str]:
    return [
        judul,
        f"{laporan.instansi.nama}, {laporan.instansi.kabupaten}",
        laporan.periode,
        laporan.catatan_versi,
        f"Dicetak {laporan.dicetak:%d-%m-%Y}",
    ]


def anggaran_dengan_jumlah(laporan: LaporanLKjIP) -> list[BarisAnggaran]:
    """Return the Realisasi Anggaran lines followed by their Jumlah line."""
    return [*laporan.anggaran, laporan.anggaran_jumlah]


def _sheets(laporan: LaporanLKjIP) -> list[tuple[str, str, list[Kolom], Sequence[object]]]:
    """Return (sheet name, title, columns, rows) of every table of the report."""
    cols = kolom_pengukuran(laporan)
    sheets = []
    for n, table in enumerate(laporan.unit):
        title = "PENGUKURAN KINERJA" + (" (SASARAN STRATEGIS)" if n == 0 else "") + f" {table.unit_nama.upper()}"
        sheets.append((table.unit_kode[:31], title, cols, table.baris))
    sheets.append(("Realisasi Anggaran", "REALISASI ANGGARAN", KOLOM_ANGGARAN, anggaran_dengan_jumlah(laporan)))
    sheets.append(("Efisiensi", "EFISIENSI: CAPAIAN KINERJA DAN PENYERAPAN ANGGARAN", KOLOM_EFISIENSI,
                   laporan.efisiensi))
    return sheets


def export_lkjip_xlsx(laporan: LaporanLKjIP) -> bytes:
    """Return the LKjIP workbook: one sheet per table, A4 landscape, numbers stored as numbers."""
    buffer = io.BytesIO()
    book = buka_workbook(buffer)
    fmt = {
        "judul": book.add_format({"bold": True, "font_size": 13}),
        "info": book.add_format({"italic": True, "font_color": "#444444"}),
        "head": book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                 "border": 1, "bg_color": "#DDEBF7"}),
        "text": book.add_format({"text_wrap": True, "valign": "top", "border": 1}),
        "angka": book.add_format({"num_format": "#,##0.##", "valign": "top", "border": 1}),
        "persen": book.add_format({"num_format": "#,##0.00", "valign": "top", "border": 1}),
        "rupiah": book.add_format({"num_format": '"Rp" #,##0', "valign": "top", "border": 1}),
        "bold_text": book.add_format({"text_wrap": True, "valign": "top", "border": 1, "bold": True}),
    }
    for name, title, cols, rows in _sheets(laporan):
        sheet = book.add_worksheet(name)
        for r, line in enumerate(_judul_blok(laporan, title)):
            sheet.write_string(r, 0, line, fmt["judul"] if r == 0 else fmt["info"])
        head = 6
        grouped = any(c.grup for c in cols)
        for c, col in enumerate(cols):
            sheet.set_column(c, c, col.lebar)
            if grouped and not col.grup:
                sheet.merge_range(head, c, head + 1, c, col.judul, fmt["head"])
            elif grouped:
                sheet.write_string(head + 1, c, col.judul, fmt["head"])
            else:
                sheet.write_string(head, c, col.judul, fmt["head"])
        for grup in dict.fromkeys(c.grup for c in cols if c.grup):
            idx = [i for i, c in enumerate(cols) if c.grup == grup]
            sheet.merge_range(head, idx[0], head, idx[-1], grup, fmt["head"])
        first = head + (2 if grouped else 1)
        for r, row in enumerate(rows, start=first):
            program = getattr(row, "tingkat", "") in ("program", "jumlah")
            for c, col in enumerate(cols):
                value = col.ambil(row)
                if col.jenis == "text":
                    sheet.write_string(r, c, str(value or ""), fmt["bold_text"] if program else fmt["text"])
                elif value is None:
                    sheet.write_blank(r, c, None, fmt[col.jenis])
                else:
                    sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt[col.jenis])
        sheet.freeze_panes(first, 0)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(head, first - 1)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    book.close()
    return buffer.getvalue()


def _text_of(col: Kolom, value: object) -> str:
    if value is None:
        return ""
    if col.jenis == "angka":
        return format_angka(value)  # type: ignore[arg-type]
    if col.jenis == "persen":
        return format_angka(value, 2, 2)  # type: ignore[arg-type]
    if col.jenis == "rupiah":
        return format_rupiah(value)  # type: ignore[arg-type]
    return str(value)


def tabel_teks(cols: list[Kolom], rows: Sequence[object]) -> list[dict[str, str]]:
    """Return a table's rows as Indonesian-formatted text, keyed by column header."""
    return [{f"{c.judul} {c.grup}".strip(): _text_of(c, c.ambil(row)) for c in cols} for row in rows]


def export_lkjip_docx(laporan: LaporanLKjIP) -> bytes:
    """Return the LKjIP tables as a Word document (A4 landscape), numbers in Indonesian format."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(9)
    doc.add_heading(f"Tabel LKjIP {laporan.instansi.nama} {laporan.periode}", level=1)
    for line in _judul_blok(laporan, "")[1:]:
        doc.add_paragraph(line)
    for _, title, cols, rows in _sheets(laporan):
        doc.add_heading(title.title(), level=2)
        table = doc.add_table(rows=1, cols=len(cols))
        table.style = "Table Grid"
        for cell, col in zip(table.rows[0].cells, cols, strict=True):
            cell.text = f"{col.judul} ({col.grup})" if col.grup else col.judul
            cell.paragraphs[0].runs[0].bold = True
        for row in rows:
            cells = table.add_row().cells
            for cell, col in zip(cells, cols, strict=True):
                cell.text = _text_of(col, col.ambil(row))
                if col.jenis != "text":
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _csv(cols: list[Kolom], rows: Sequence[object], lead: tuple[str, list[str]] | None = None) -> bytes:
    """Write one table as CSV (UTF-8 with BOM for Excel); `lead` adds a first column (header, values)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(([lead[0]] if lead else []) + [f"{c.judul} {c.grup}".strip() for c in cols])
    for n, row in enumerate(rows):
        values = [
            netral(str(col.ambil(row) or "")) if col.jenis == "text" else _csv_number(col.ambil(row))
            for col in cols
        ]
        writer.writerow(([netral(lead[1][n])] if lead else []) + values)
    return out.getvalue().encode("utf-8-sig")


def _csv_number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value).quantize(Decimal('0.0001')):f}"  # type: ignore[arg-type]


def export_lkjip_csv(laporan: LaporanLKjIP) -> dict[str, bytes]:
    """Return the three LKjIP tables as CSV files ('pengukuran', 'anggaran', 'efisiensi')."""
    rows = [r for t in laporan.unit for r in t.baris]
    units = [t.unit_nama for t in laporan.unit for _ in t.baris]
    return {
        "pengukuran": _csv(kolom_pengukuran(laporan), rows, ("Unit", units)),
        "anggaran": _csv(KOLOM_ANGGARAN, anggaran_dengan_jumlah(laporan)),
        "efisiensi": _csv(KOLOM_EFISIENSI, laporan.efisiensi),
    }


def write_lkjip(laporan: LaporanLKjIP, out: Path) -> list[Path]:
    """Write the report to `out` by its suffix; CSV writes one file per table beside it."""
    suffix = out.suffix.lower()
    if suffix == ".xlsx":
        out.write_bytes(export_lkjip_xlsx(laporan))
        return [out]
    if suffix == ".docx":
        out.write_bytes(export_lkjip_docx(laporan))
        return [out]
    if suffix == ".csv":
        paths = []
        for name, data in export_lkjip_csv(laporan).items():
            path = out if name == "pengukuran" else out.with_name(f"{out.stem}-{name}.csv")
            path.write_bytes(data)
            paths.append(path)
        return paths
    raise ValueError(f"jenis berkas '{suffix}' tidak dikenal; gunakan .xlsx, .docx atau .csv")
