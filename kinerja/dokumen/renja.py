"""Write the Evaluasi Renja (kinerja.baca.renja) as an XLSX form and a Word document.

The XLSX keeps numbers as numbers with Indonesian display formats, prints on A4 landscape one page
wide with its three header rows repeated, and sets each row's height from its wrapped text. The DOCX
(kinerja.dokumen.word) puts each sasaran as a group row above its program and the K / Rp pairs under
merged group headers.
"""

import io
import math
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from decimal import Decimal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from sqlmodel import Session

from kinerja.aturan.capaian import ROMAWI
from kinerja.aturan.format import format_angka, format_persen, nama_triwulan
from kinerja.baca.renja import SASARAN, BarisRenja, EvaluasiRenja, build_evaluasi_renja
from kinerja.dokumen import word
from kinerja.dokumen.ekspor import buka_workbook
from kinerja.dokumen.lkjip import catatan_angka
from kinerja.simpan.models import Instansi

TINGKAT = {SASARAN: "Sasaran", "program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}
UKURAN_DOCX = 7
# 28 columns with Rupiah of 13 characters do not fit A4 at a readable size: the form is printed on A3 landscape
# (as such forms are), and a printer's "fit to page" brings it to A4 when needed.
A3_CM = (42.0, 29.7)


@dataclass(frozen=True)
class KolomRenja:
    """One column of the form: its group header, its own header, kind, widths and getter."""

    grup: str  # '' for a column that stands alone
    judul: str  # 'K' / 'Rp', or the header of a column that stands alone
    jenis: str  # text | angka | rupiah | persen
    lebar: float  # XLSX characters
    cm: float  # DOCX
    ambil: Callable[[BarisRenja], object]
    sub: str = ""  # the triwulan (I..IV) of a per-triwulan pair
    singkat: str = ""  # the pair's short name on a screen


def _pasangan(grup: str, singkat: str, k: Callable[[BarisRenja], object], rp: Callable[[BarisRenja], object], *,
              persen: bool = False, sub: str = "", rp_kosong: bool = False) -> list[KolomRenja]:
    return [
        KolomRenja(grup, "K", "persen" if persen else "angka", 9, 1.15 if persen else 0.9, k, sub, singkat),
        KolomRenja(grup, "Rp", "persen" if persen else "rupiah", 8 if persen or rp_kosong else 15,
                   0.55 if rp_kosong else 1.15 if persen else 2.0, rp, sub, "" if rp_kosong else singkat),
    ]


def _tw(i: int) -> tuple[Callable[[BarisRenja], object], Callable[[BarisRenja], object]]:
    return (lambda b: b.triwulan_k[i]), (lambda b: b.triwulan_rp[i])


def kolom_renja(ev: EvaluasiRenja) -> list[KolomRenja]:
    """Return the form's columns (Permendagri 86/2017), every kinerja / anggaran pair split K and Rp."""
    n = ev.tahun
    akhir = f" ({ev.tahun_renstra_akhir})" if ev.tahun_renstra_akhir else ""
    kosong: Callable[[BarisRenja], object] = lambda b: None  # noqa: E731  (the app holds no Renstra budget)
    triwulan = "Realisasi kinerja dan anggaran Renja pada triwulan"
    cols = [
        KolomRenja("", "No", "text", 5, 0.6, lambda b: str(b.no)),
        KolomRenja("", "Sasaran", "text", 24, 0, lambda b: b.sasaran),
        KolomRenja("", "Kode", "text", 8, 1.0, lambda b: b.kode),
        KolomRenja("", "Program / Kegiatan / Sub Kegiatan", "text", 28, 2.8, lambda b: b.nama),
        KolomRenja("", "Indikator kinerja program (outcome) / kegiatan (output)", "text", 30, 3.0,
                   lambda b: b.indikator),
        KolomRenja("", "Satuan", "text", 9, 1.5, lambda b: b.satuan),
        *_pasangan(f"Target Renstra akhir periode{akhir}", "Target Renstra",
                   lambda b: b.target_renstra_k, kosong, rp_kosong=True),
        *_pasangan(f"Realisasi capaian Renstra s.d. Renja tahun lalu ({n - 1})", f"Renstra s.d. {n - 1}",
                   lambda b: b.realisasi_renstra_lalu_k, kosong, rp_kosong=True),
        *_pasangan(f"Target kinerja dan anggaran Renja tahun {n}", "Target Renja",
                   lambda b: b.target_k, lambda b: b.target_rp),
    ]
    for i in range(4):
        cols += _pasangan(triwulan, f"TW {ROMAWI[i + 1]}", *_tw(i), sub=ROMAWI[i + 1])
    cols += [
        *_pasangan(f"Realisasi capaian kinerja dan anggaran Renja tahun {n} s.d. {nama_triwulan(ev.triwulan)}",
                   "Realisasi", lambda b: b.realisasi_k, lambda b: b.realisasi_rp),
        *_pasangan(f"Tingkat capaian kinerja dan realisasi anggaran Renja tahun {n} (%)", "Capaian %",
                   lambda b: b.capaian_k, lambda b: b.capaian_rp, persen=True),
        *_pasangan(f"Realisasi kinerja dan anggaran Renstra s.d. tahun {n}", f"Renstra s.d. {n}",
                   lambda b: b.realisasi_renstra_k, kosong, rp_kosong=True),
        *_pasangan(f"Tingkat capaian kinerja dan realisasi anggaran Renstra s.d. tahun {n} (%)",
                   "Kemajuan Renstra %", lambda b: b.capaian_renstra_k, kosong, persen=True, rp_kosong=True),
        KolomRenja("", "Unit penanggung jawab", "text", 16, 1.8, lambda b: b.unit),
        KolomRenja("", "Keterangan", "text", 18, 2.5, lambda b: b.keterangan),
    ]
    return cols


def baris_penutup(ev: EvaluasiRenja) -> list[tuple[str, str]]:
    """Return the footer rows as (label, text) in the order of the form."""
    p = ev.penutup
    return [
        ("Rata-rata capaian kinerja (%)", format_persen(p.rata_rata_kinerja)),
        ("Rata-rata capaian anggaran (%)", format_persen(p.rata_rata_anggaran)),
        ("Predikat kinerja", p.predikat),
        ("Faktor pendorong keberhasilan pencapaian", p.faktor_pendorong),
        ("Faktor penghambat pencapaian kinerja", p.faktor_penghambat),
        (f"Tindak lanjut yang diperlukan dalam triwulan berikutnya"
         f"{f' ({nama_triwulan(ev.triwulan + 1)})' if ev.triwulan < 4 else ''}", p.tindak_lanjut_triwulan),
        (f"Tindak lanjut yang diperlukan dalam Renja tahun berikutnya ({ev.tahun + 1})", p.tindak_lanjut_renja),
    ]


def judul_blok(ev: EvaluasiRenja) -> list[str]:
    """The lines above the table."""
    return [
        ev.judul,
        f"{ev.instansi.nama}, {ev.instansi.kabupaten}",
        f"Periode pelaksanaan: {nama_triwulan(ev.triwulan)} tahun {ev.tahun}; target menurut {ev.versi_nama}.",
        "K = kinerja dalam satuan indikator; Rp = anggaran dalam Rupiah. Tingkat capaian terhadap target "
        "tahunan Renja; kategori capaian s.d. triwulan di kolom Keterangan.",
        catatan_angka(ev.hanya_disahkan),
    ]


# --- XLSX --------------------------------------------------------------------------------------------


def _baris_teks(text: str, lebar: float) -> int:
    """Estimate the lines a wrapped text takes in a column `lebar` characters wide (9 pt)."""
    per_line = max(1, int(lebar))  # about one character of 9 pt per unit of width, bold included
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _tinggi(lines: int) -> float:
    return max(15.0, 12.0 * lines + 3)


def _format_angka_xlsx(value: Decimal | int) -> str:
    return "angka_bulat" if Decimal(value) == Decimal(value).to_integral_value() else "angka"


def build_renja_xlsx(session: Session, instansi: Instansi, tahun: int, triwulan: int,
                     hanya_disahkan: bool = False) -> bytes:
    """Return the Evaluasi Renja as an XLSX form (A4 landscape, one page wide, header rows repeated)."""
    return export_renja_xlsx(build_evaluasi_renja(session, instansi, tahun, triwulan, hanya_disahkan))


def export_renja_xlsx(ev: EvaluasiRenja) -> bytes:
    """Write a computed Evaluasi Renja as XLSX."""
    cols = kolom_renja(ev)
    buffer = io.BytesIO()
    book = buka_workbook(buffer)
    base = {"valign": "top", "border": 1, "font_size": 9}
    fmt = {
        "judul": book.add_format({"bold": True, "font_size": 12}),
        "info": book.add_format({"italic": True, "font_size": 9}),
        "head": book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                 "border": 1, "bg_color": "#DDEBF7", "font_size": 9}),
        "nomor": book.add_format({"align": "center", "border": 1, "font_size": 8, "italic": True,
                                  "bg_color": "#F2F2F2"}),
        "text": book.add_format({**base, "text_wrap": True}),
        "text_bold": book.add_format({**base, "text_wrap": True, "bold": True}),
        "angka": book.add_format({**base, "num_format": "#,##0.00"}),
        "angka_bulat": book.add_format({**base, "num_format": "#,##0"}),
        "persen": book.add_format({**base, "num_format": "#,##0.00"}),
        "rupiah": book.add_format({**base, "num_format": "#,##0"}),
        "label": book.add_format({**base, "bold": True, "text_wrap": True}),
        "isi": book.add_format({**base, "text_wrap": True}),
    }
    sheet = book.add_worksheet("Evaluasi Renja")
    for r, line in enumerate(judul_blok(ev)):
        sheet.write_string(r, 0, line, fmt["judul"] if r == 0 else fmt["info"])
    top = len(judul_blok(ev)) + 1
    for c, col in enumerate(cols):
        sheet.set_column(c, c, col.lebar)
    c = 0
    while c < len(cols):
        col = cols[c]
        if not col.grup:
            sheet.merge_range(top, c, top + 2, c, col.judul, fmt["head"])
            c += 1
            continue
        end = c
        while end + 1 < len(cols) and cols[end + 1].grup == col.grup:
            end += 1
        sheet.merge_range(top, c, top, end, col.grup, fmt["head"])
        for s in range(c, end + 1, 2):
            if cols[s].sub:
                sheet.merge_range(top + 1, s, top + 1, s + 1, cols[s].sub, fmt["head"])
            else:
                sheet.merge_range(top + 1, s, top + 2, s, "K", fmt["head"])
                sheet.merge_range(top + 1, s + 1, top + 2, s + 1, "Rp", fmt["head"])
                continue
            sheet.write_string(top + 2, s, "K", fmt["head"])
            sheet.write_string(top + 2, s + 1, "Rp", fmt["head"])
        c = end + 1
    sheet.set_row(top, 54)
    nomor = top + 3
    for c in range(len(cols)):
        sheet.write_number(nomor, c, c + 1, fmt["nomor"])
    first = nomor + 1
    for r, row in enumerate(ev.baris, start=first):
        bold = row.tingkat in (SASARAN, "program")
        lines = 1
        for c, col in enumerate(cols):
            value = col.ambil(row)
            if col.jenis == "text":
                text = str(value or "")
                sheet.write_string(r, c, text, fmt["text_bold"] if bold else fmt["text"])
                lines = max(lines, _baris_teks(text, col.lebar))
            elif value is None:
                sheet.write_blank(r, c, None, fmt[col.jenis if col.jenis != "angka" else "angka_bulat"])
            elif col.jenis == "angka":
                sheet.write_number(r, c, float(value), fmt[_format_angka_xlsx(value)])  # type: ignore[arg-type]
            else:
                sheet.write_number(r, c, float(value) if isinstance(value, Decimal) else value,  # type: ignore[arg-type]
                                   fmt[col.jenis])
        sheet.set_row(r, _tinggi(lines))
    r = first + len(ev.baris)
    label_end = 5
    value_width = sum(col.lebar for col in cols[label_end + 1:])
    for label, text in baris_penutup(ev):
        sheet.merge_range(r, 0, r, label_end, label, fmt["label"])
        number = {0: ev.penutup.rata_rata_kinerja, 1: ev.penutup.rata_rata_anggaran}.get(r - first - len(ev.baris))
        if number is not None:
            sheet.merge_range(r, label_end + 1, r, len(cols) - 1, "", fmt["persen"])
            sheet.write_number(r, label_end + 1, float(number), fmt["persen"])
        else:
            sheet.merge_range(r, label_end + 1, r, len(cols) - 1, text if number is None and text else "",
                              fmt["isi"])
        sheet.set_row(r, _tinggi(max(_baris_teks(text, value_width), _baris_teks(label, 60))))
        r += 1
    sheet.freeze_panes(first, 6)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, nomor)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    book.close()
    return buffer.getvalue()


# --- DOCX --------------------------------------------------------------------------------------------


def _teks(col: KolomRenja, value: object) -> str:
    if value is None:
        return ""
    if col.jenis == "angka":
        return format_angka(value)  # type: ignore[arg-type]
    if col.jenis == "persen":
        return format_angka(value, 2, 2)  # type: ignore[arg-type]
    if col.jenis == "rupiah":
        return format_angka(value, 0, 0)  # type: ignore[arg-type]
    return str(value)


def _tulis_sel(cell: _Cell, text: str) -> None:
    """Replace a (merged) header cell's content by one bold centred paragraph."""
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    para = cell.paragraphs[0]
    for run in list(para.runs):
        run._element.getparent().remove(run._element)
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run(text)
    run.bold = True
    run.font.size = Pt(UKURAN_DOCX)


def _kepala_grup(table: Table, cols: list[KolomRenja]) -> None:
    """Add the group header row above the K / Rp row: pairs under their merged group, single columns merged down.

    Cells are reached through their row's `w:tc` elements: `Table.cell` rebuilds the whole grid on every call.
    """
    tr = table.rows[0]._tr
    tr.addprevious(deepcopy(tr))
    top, bottom = table.rows[0]._tr, table.rows[1]._tr
    spans: list[tuple[int, int, str]] = []
    c = 0
    while c < len(cols):
        end = c
        while cols[c].grup and end + 1 < len(cols) and cols[end + 1].grup == cols[c].grup:
            end += 1
        spans.append((c, end, cols[c].grup or cols[c].judul))
        c = end + 1
    for start, end, label in reversed(spans):  # right to left: merging never moves a cell still to visit
        first = _Cell(top.tc_lst[start], table)
        if not cols[start].grup:
            merged = first.merge(_Cell(bottom.tc_lst[start], table))
        else:
            merged = first.merge(_Cell(top.tc_lst[end], table)) if end > start else first
        _tulis_sel(merged, label)


def build_renja_docx(session: Session, instansi: Instansi, tahun: int, triwulan: int,
                     hanya_disahkan: bool = False) -> bytes:
    """Return the Evaluasi Renja as a Word document (A4 landscape)."""
    return export_renja_docx(build_evaluasi_renja(session, instansi, tahun, triwulan, hanya_disahkan))


def export_renja_docx(ev: EvaluasiRenja) -> bytes:
    """Write a computed Evaluasi Renja as DOCX: the sasaran as group rows, the footer as a table below."""
    cols = [c for c in kolom_renja(ev) if c.judul != "Sasaran"]
    doc = word.dokumen_baru(landscape=True, ukuran=8)
    doc.sections[0].page_width, doc.sections[0].page_height = Cm(A3_CM[0]), Cm(A3_CM[1])
    lines = judul_blok(ev)
    word.paragraf(doc, lines[0], bold=True, tengah=True, ukuran=10)
    for line in lines[1:]:
        word.paragraf(doc, line, ukuran=7)
    header = [f"{c.sub} {c.judul}".strip() if c.grup else c.judul for c in cols]
    rows: list[list[str]] = []
    grup, tebal = set(), set()
    for b in ev.baris:
        if b.sasaran:
            grup.add(len(rows))
            rows.append([f"Sasaran: {b.sasaran}"] + [""] * (len(cols) - 1))
        if b.tingkat in (SASARAN, "program"):
            tebal.add(len(rows))
        rows.append([_teks(c, c.ambil(b)) for c in cols])
    kanan = {i for i, c in enumerate(cols) if c.jenis != "text"}
    lebar = [c.cm for c in cols]
    table = word.tabel(doc, header, rows, lebar, kanan=kanan, grup=grup, jumlah=tebal, ukuran=UKURAN_DOCX)
    _kepala_grup(table, cols)
    word.paragraf(doc, "")
    total = sum(lebar)
    word.tabel(doc, ["Uraian", "Hasil evaluasi"], [list(p) for p in baris_penutup(ev)], [6.0, total - 6.0],
               ukuran=7)
    return word.ke_bytes(doc)



def pratinjau_renja(ev: EvaluasiRenja) -> list[dict[str, str]]:
    """Return the form's rows as Indonesian text for a screen: the row's name and indicator, its figures, the rest."""
    cols = kolom_renja(ev)
    figures = [c for c in cols if c.jenis != "text" and c.singkat]
    rows = []
    for b in ev.baris:
        row = {"Program / Kegiatan / Sub Kegiatan": f"{b.kode or ''} {b.nama or TINGKAT[b.tingkat]}".strip(),
               "Indikator": b.indikator, "Satuan": b.satuan}
        for c in figures:
            label = f"{c.singkat} {c.judul}"
            row[label] = _teks(c, c.ambil(b))
        row |= {"Unit": b.unit, "Keterangan": b.keterangan}
        rows.append(row)
    return rows
