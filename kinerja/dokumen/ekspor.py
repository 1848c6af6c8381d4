"""Write the LKjIP tables as XLSX (xlsxwriter), DOCX (python-docx) and CSV.

Text typed by users (names, sasaran, keterangan) can never become a formula. This module is the
one neutralising writer of the project: `netral` for every CSV text cell (a cell that starts with
= + - @ or a tab/carriage return gets a leading apostrophe, the OWASP CSV-injection rule) and
`buka_workbook` for every XLSX workbook (strings stay strings: no formulas, URLs or numbers).
"""

import csv
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

import xlsxwriter

from kinerja.aturan.format import format_angka, format_rupiah
from kinerja.aturan.teks import netral
from kinerja.dokumen.lkjip import TINGKAT_LABEL, BarisAnggaran, BarisPengukuran, LaporanLKjIP
from kinerja.dokumen.lkjip_isi import kelompok_sasaran, nomor_tabel
from kinerja.dokumen.word import dokumen_baru, judul_tabel, ke_bytes, lebar_isi_cm, paragraf, tabel

TEKS_SAJA = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


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
        Kolom("Kategori", 13, "text", lambda r: r.kategori_dicek),
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
        laporan.catatan_angka,
        f"Dicetak {laporan.dicetak:%d-%m-%Y}",
    ]


def anggaran_dengan_jumlah(laporan: LaporanLKjIP) -> list[BarisAnggaran]:
    """Return the Realisasi Anggaran lines followed by their Jumlah line."""
    return [*laporan.anggaran, laporan.anggaran_jumlah]


@dataclass(frozen=True)
class BarisGrup:
    """A group row: the sasaran printed once above its indicators."""

    teks: str


@dataclass(frozen=True)
class TabelLaporan:
    """One table of the report as the exports print it."""

    sheet: str
    nomor: str  # as in the LKjIP draft: '3.2', 'L.1'
    judul: str
    kolom: list[Kolom]
    baris: Sequence[object]  # data rows, and BarisGrup rows in the Pengukuran tables

    @property
    def judul_lengkap(self) -> str:
        """The caption: 'Tabel 3.2 Pengukuran Kinerja ...'."""
        return f"Tabel {self.nomor} {self.judul}"


def _dengan_grup(baris: list[BarisPengukuran]) -> list[object]:
    rows: list[object] = []
    for sasaran, items in kelompok_sasaran(baris):
        rows.append(BarisGrup(sasaran))
        rows.extend(items)
    return rows


def tabel_laporan(laporan: LaporanLKjIP) -> list[TabelLaporan]:
    """Return every table of the report, numbered as in the LKjIP draft, sasaran as group rows."""
    nomor = nomor_tabel(laporan)
    cols = [c for c in kolom_pengukuran(laporan) if c.judul != "Sasaran"]  # the group rows carry it
    tables = []
    for n, table in enumerate(laporan.unit):
        judul = (f"Pengukuran Kinerja Sasaran Strategis ({table.unit_nama}) {laporan.periode}" if n == 0
                 else f"Pengukuran Kinerja {table.unit_nama} {laporan.periode}")
        tables.append(TabelLaporan(table.unit_kode[:31], nomor.unit[table.unit_kode], judul, cols,
                                   _dengan_grup(table.baris)))
    tables.append(TabelLaporan("Realisasi Anggaran", nomor.anggaran, f"Realisasi Anggaran {laporan.periode}",
                               KOLOM_ANGGARAN, anggaran_dengan_jumlah(laporan)))
    tables.append(TabelLaporan("Efisiensi", nomor.efisiensi, "Efisiensi: Capaian Kinerja dan Penyerapan Anggaran",
                               KOLOM_EFISIENSI, laporan.efisiensi))
    return tables


def _tebal(row: object) -> bool:
    return getattr(row, "tingkat", "") in ("program", "jumlah")


def tinggi_baris(teks: Sequence[tuple[str, float]], tinggi_baris_pt: float = 15.0) -> float:
    """Return a row height (points) that shows every wrapped text: (text, column width in characters) pairs.

    xlsxwriter cannot autofit heights and Excel does not recompute them on opening, so the lines are
    counted here, wrapping at word boundaries: a width counts '0' characters, and text of the default
    font fits about a tenth more letters than that, less one for the cell's padding."""
    lines = 1
    for text, width in teks:
        per_line = max(1, math.floor(width * 1.1) - 1)
        count = sum(max(1, len(textwrap.wrap(part, per_line, break_long_words=True))) for part in text.split("\n"))
        lines = max(lines, count)
    return lines * tinggi_baris_pt


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
    fmt["grup"] = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "bold": True,
                                   "bg_color": "#F2F2F2"})
    for t in tabel_laporan(laporan):
        cols, rows = t.kolom, t.baris
        sheet = book.add_worksheet(t.sheet)
        blok = _judul_blok(laporan, t.judul_lengkap)
        for r, line in enumerate(blok):
            sheet.write_string(r, 0, line, fmt["judul"] if r == 0 else fmt["info"])
        head = len(blok)
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
        sheet.set_row(head + (1 if grouped else 0), tinggi_baris([(c.judul, c.lebar) for c in cols]))
        first = head + (2 if grouped else 1)
        for r, row in enumerate(rows, start=first):
            if isinstance(row, BarisGrup):
                sheet.merge_range(r, 0, r, len(cols) - 1, row.teks, fmt["grup"])
                sheet.set_row(r, tinggi_baris([(row.teks, sum(c.lebar for c in cols))]))
                continue
            texts = []
            for c, col in enumerate(cols):
                value = col.ambil(row)
                if col.jenis == "text":
                    sheet.write_string(r, c, str(value or ""), fmt["bold_text"] if _tebal(row) else fmt["text"])
                    texts.append((str(value or ""), col.lebar))
                elif value is None:
                    sheet.write_blank(r, c, None, fmt[col.jenis])
                else:
                    sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value, fmt[col.jenis])
            sheet.set_row(r, tinggi_baris(texts))
        sheet.freeze_panes(first, 0)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
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
    """Return the LKjIP tables as a Word document (A4 landscape), numbered and captioned as in the draft."""
    doc = dokumen_baru(landscape=True, ukuran=9)
    doc.add_heading(f"Tabel LKjIP {laporan.instansi.nama} {laporan.periode}", level=1)
    for line in _judul_blok(laporan, "")[1:]:
        paragraf(doc, line)
    width = lebar_isi_cm(doc)
    for t in tabel_laporan(laporan):
        cols = t.kolom
        scale = width / sum(c.lebar for c in cols)
        header = [f"{c.judul} ({c.grup})" if c.grup else c.judul for c in cols]
        rows, grup, tebal = [], set(), set()
        for n, row in enumerate(t.baris):
            if isinstance(row, BarisGrup):
                grup.add(n)
                rows.append([row.teks] + [""] * (len(cols) - 1))
                continue
            if _tebal(row):
                tebal.add(n)
            rows.append([_text_of(c, c.ambil(row)) for c in cols])
        judul_tabel(doc, t.judul_lengkap)
        tabel(doc, header, rows, [c.lebar * scale for c in cols], grup=grup, jumlah=tebal,
              kanan={i for i, c in enumerate(cols) if c.jenis != "text"}, utuh=False)
        doc.add_paragraph()
    return ke_bytes(doc)


JENIS_BARIS = "Jenis baris"


def jenis_baris(row: object) -> str:
    """Name a row's kind for a CSV's "Jenis baris" column: sasaran (a group row), indikator, rincian or jumlah."""
    if isinstance(row, BarisGrup):
        return "sasaran"
    if isinstance(row, BarisPengukuran):
        return "indikator"
    return "jumlah" if getattr(row, "tingkat", "") == "jumlah" else "rincian"


def _nilai_csv(cols: list[Kolom], row: object) -> list[str]:
    if isinstance(row, BarisGrup):  # the group row holds its sasaran in the Sasaran column, nothing else
        return [netral(row.teks) if col.judul == "Sasaran" else "" for col in cols]
    return [netral(str(col.ambil(row) or "")) if col.jenis == "text" else _csv_number(col.ambil(row))
            for col in cols]


def _csv(cols: list[Kolom], rows: Sequence[object], lead: tuple[str, list[str]] | None = None,
         angka: str = "", nomor: Sequence[str] = ()) -> bytes:
    """Write one table as CSV (UTF-8 with BOM for Excel); `lead` adds a first column (header, values).

    `angka` (which figures the table counts) fills a column "Angka" on every row, so a CSV read
    without its title still says it; a CSV has no title block to hold the line. `nomor` fills a column
    "Tabel" with each row's table number in the LKjIP draft ('3.2', 'L.1'). The last column, "Jenis baris",
    names each row's kind (`jenis_baris`), so a reader keeps only the indicators, or only the Jumlah row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(([lead[0]] if lead else []) + [f"{c.judul} {c.grup}".strip() for c in cols]
                    + (["Angka"] if angka else []) + (["Tabel"] if nomor else []) + [JENIS_BARIS])
    for n, row in enumerate(rows):
        writer.writerow(([netral(lead[1][n])] if lead else []) + _nilai_csv(cols, row) + ([angka] if angka else [])
                        + ([nomor[n]] if nomor else []) + [jenis_baris(row)])
    return out.getvalue().encode("utf-8-sig")


def _csv_number(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return f"{Decimal(value).quantize(Decimal('0.0001')):f}"  # type: ignore[arg-type]


def export_lkjip_csv(laporan: LaporanLKjIP) -> dict[str, bytes]:
    """Return the three LKjIP tables as CSV files ('pengukuran', 'anggaran', 'efisiensi') as the XLSX has them:
    the sasaran as a group row above its indicators, the budget with its Jumlah row, and the table numbers.

    Each indicator row also keeps its sasaran in a column, and the column "Jenis baris" (sasaran, indikator,
    rincian, jumlah) lets a spreadsheet filter the rows back to one record per indicator."""
    per_unit = [(t, _dengan_grup(t.baris)) for t in laporan.unit]
    rows = [r for _, rs in per_unit for r in rs]
    units = [t.unit_nama for t, rs in per_unit for _ in rs]
    angka = laporan.catatan_angka.removeprefix("Angka: ")
    nomor = nomor_tabel(laporan)
    anggaran = anggaran_dengan_jumlah(laporan)
    return {
        "pengukuran": _csv(kolom_pengukuran(laporan), rows, ("Unit", units), angka,
                           [nomor.unit[t.unit_kode] for t, rs in per_unit for _ in rs]),
        "anggaran": _csv(KOLOM_ANGGARAN, anggaran, angka=angka, nomor=[nomor.anggaran] * len(anggaran)),
        "efisiensi": _csv(KOLOM_EFISIENSI, laporan.efisiensi, angka=angka,
                          nomor=[nomor.efisiensi] * len(laporan.efisiensi)),
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
