"""Word documents laid out the same in Word and LibreOffice: pages, tables, captions, and PDF.

Every DOCX of the project is built here. A table sets its grid (`w:tblGrid/w:gridCol`) as well as
each cell's width and a fixed layout: LibreOffice reads the grid, Word reads the cells, and without
both the two lay a table out differently (a "No" column as wide as "Sasaran"). Header rows repeat on
every page and no row splits across a page break.
"""

import atexit
import io
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document as _new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell, _Row

FONT = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans: same line breaks
UKURAN_FONT = 11
MARGIN_CM = 2.0
MARGIN_LANDSCAPE_CM = 1.5
WARNA_KEPALA = "D9E2F3"
WARNA_GRUP = "F2F2F2"
PDF_TIMEOUT = 180
MARGIN_SEL_CM = 0.1  # left and right padding inside a table cell
# Arial advance widths in em, rounded up per class of character: a conservative estimate of a word's width.
_EM_LEBAR = {**dict.fromkeys("mwMW%@", 0.95), **dict.fromkeys(".,:;'|!il", 0.28)}
_EM_HURUF_KECIL, _EM_HURUF_BESAR, _EM_LAIN = 0.56, 0.78, 0.6
TEBAL = 1.1  # Arial Bold is about a tenth wider
UTUH_MAKS = 12  # a table this short is kept on one page


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, so no PDF can be made."""


def dokumen_baru(landscape: bool = False, ukuran: float = UKURAN_FONT) -> Document:
    """Return an empty A4 document (portrait or landscape) with sensible margins and one base font."""
    doc = _new_document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        margin = MARGIN_LANDSCAPE_CM
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        margin = MARGIN_CM
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margin))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = doc.styles[name]
        style.font.name = FONT
        # East-Asian and complex-script fonts too, or Word falls back to the theme font for some runs.
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
            rfonts.attrib.pop(qn(theme), None)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(ukuran)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Heading 1", ukuran + 3), ("Heading 2", ukuran + 1), ("Heading 3", ukuran),
                       ("Caption", ukuran)):
        style = doc.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(4)
    return doc


def lebar_isi_cm(doc: Document) -> float:
    """Return the width between the margins of the document's last section, in cm."""
    section = doc.sections[-1]
    return (section.page_width - section.left_margin - section.right_margin) / 360000


def lebar_kata_cm(kata: str, ukuran: float, bold: bool = False) -> float:
    """Estimate, on the safe side, how wide a word prints in Arial at `ukuran` points, in cm."""
    em = 0.0
    for ch in kata:
        if ch in _EM_LEBAR:
            em += _EM_LEBAR[ch]
        elif ch.islower() or ch.isdigit():
            em += _EM_HURUF_KECIL
        elif ch.isupper():
            em += _EM_HURUF_BESAR
        else:
            em += _EM_LAIN
    return em * ukuran * (TEBAL if bold else 1.0) * 2.54 / 72


def kata_terpanjang_cm(teks: str, ukuran: float, bold: bool = False) -> float:
    """Return the estimated width of the widest word of a text, in cm (0 for no text)."""
    return max((lebar_kata_cm(w, ukuran, bold) for w in str(teks).split()), default=0.0)


def _sesuaikan_lebar(lebar: list[float], perlu: list[float]) -> list[float]:
    """Widen every column narrower than its longest word, taking the room from columns that have some."""
    widths = list(lebar)
    deficit = sum(max(0.0, p - w) for w, p in zip(widths, perlu, strict=True))
    if deficit <= 0:
        return widths
    widths = [max(w, p) for w, p in zip(widths, perlu, strict=True)]
    slack = [max(0.0, w - p) for w, p in zip(widths, perlu, strict=True)]
    total = sum(slack)
    if total > 0:
        take = min(deficit, total)
        widths = [w - take * s / total for w, s in zip(widths, slack, strict=True)]
    return widths


def _set_cell_width(cell: _Cell, cm: float) -> None:
    cell.width = Cm(cm)


def _insert(parent: object, child: object, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first of its schema successors present, so Word reads the XML as valid."""
    for tag in successors:
        found = parent.find(qn(tag))  # type: ignore[attr-defined]
        if found is not None:
            found.addprevious(child)
            return
    parent.append(child)  # type: ignore[attr-defined]


def _shade(cell: _Cell, color: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color)
    _insert(tc_pr, shd, ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"))


def _cell_margins(tbl_pr: object) -> None:
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(MARGIN_SEL_CM * 567)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    _insert(tbl_pr, mar, ("w:tblLook", "w:tblCaption", "w:tblDescription"))


def _row_flag(row: _Row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        flag = OxmlElement(tag)
        tr_pr.append(flag)


def _gaya_tabel(doc: Document, ukuran: float) -> str:
    """The style id of table text at a size (no spacing), made once per document."""
    name = f"Teks Tabel {ukuran:g}"
    styles = doc.styles
    if name in [st.name for st in styles]:
        return styles[name].style_id
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = styles["Normal"]
    style.font.size = Pt(ukuran)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    return style.style_id


def _write(cell: _Cell, text: str, style: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
           keep_with_next: bool = False) -> None:
    para = cell.paragraphs[0]
    para._p.style = style  # by id: assigning a style object searches every style of the document
    if align is not None:
        para.alignment = align
    if keep_with_next:
        para.paragraph_format.keep_with_next = True
    run = para.add_run(str(text))  # a newline becomes a line break
    if bold:
        run.bold = True


def tabel(doc: Document, header: list[str], rows: list[list[str]], lebar_cm: list[float], *,
          kanan: Iterable[int] = frozenset(), grup: Iterable[int] = frozenset(),
          jumlah: Iterable[int] = frozenset(), tengah: Iterable[int] = frozenset(),
          ukuran: float | None = None, utuh: bool | None = None) -> Table:
    """Add a bordered table whose layout Word and LibreOffice agree on, and return it.

    `lebar_cm` gives each column's width (grid and cells, fixed layout). Column indexes in `kanan`
    are right-aligned (numbers), in `tengah` centred. Row indexes (of `rows`) in `grup` are group
    rows: one merged bold cell across the table holding the row's non-empty texts joined by a space
    (e.g. the sasaran above its indicators); rows in `jumlah` are bold (Jumlah rows). The header row
    repeats on every page and no row splits across pages. `ukuran` is the font size of the table text;
    `utuh` keeps the whole table on one page (default: tables of at most UTUH_MAKS rows).
    """
    if len(header) != len(lebar_cm):
        raise ValueError(f"{len(header)} kolom tetapi {len(lebar_cm)} lebar")
    kanan, grup, jumlah, tengah = set(kanan), set(grup), set(jumlah), set(tengah)
    size = ukuran or doc.styles["Normal"].font.size.pt
    style = _gaya_tabel(doc, size)
    perlu = [kata_terpanjang_cm(h, size, bold=True) for h in header]
    for i, values in enumerate(rows):
        if i not in grup:
            perlu = [max(p, kata_terpanjang_cm(v, size, bold=i in jumlah)) for p, v in zip(perlu, values, strict=False)]
    lebar_cm = _sesuaikan_lebar(list(lebar_cm), [p + 2 * MARGIN_SEL_CM + 0.05 for p in perlu])
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # w:tblLayout type="fixed"
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        _insert(tbl_pr, tbl_w, ("w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
                                "w:tblCellMar", "w:tblLook"))
    tbl_w.set(qn("w:w"), str(round(sum(lebar_cm) * 567)))
    tbl_w.set(qn("w:type"), "dxa")
    _cell_margins(tbl_pr)
    for column, width in zip(table.columns, lebar_cm, strict=True):
        column.width = Cm(width)  # w:gridCol
    for r, row in enumerate(table.rows):
        cells = row.cells
        for cell, width in zip(cells, lebar_cm, strict=True):
            _set_cell_width(cell, width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        _row_flag(row, "w:cantSplit")
        together = (utuh if utuh is not None else len(rows) <= UTUH_MAKS) and r < len(rows)
        if r == 0:
            _row_flag(row, "w:tblHeader")
            for cell, text in zip(cells, header, strict=True):
                _write(cell, text, style, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, keep_with_next=True)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
                _shade(cell, WARNA_KEPALA)
            continue
        i = r - 1
        values = rows[i]
        if len(values) != len(header):
            raise ValueError(f"baris {i + 1}: {len(values)} sel untuk {len(header)} kolom")
        if i in grup:
            merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
            _set_cell_width(merged, sum(lebar_cm))
            _write(merged, " ".join(v for v in values if v), style, bold=True, keep_with_next=True)
            _shade(merged, WARNA_GRUP)
            continue
        for c, (cell, text) in enumerate(zip(cells, values, strict=True)):
            align = (WD_ALIGN_PARAGRAPH.RIGHT if c in kanan else WD_ALIGN_PARAGRAPH.CENTER if c in tengah
                     else None)
            _write(cell, text, style, bold=i in jumlah, align=align, keep_with_next=together)
    return table


def judul_tabel(doc: Document, teks: str) -> None:
    """Add the caption above a table ('Tabel 3.1 Pengukuran Kinerja ...'), kept on the table's page."""
    para = doc.add_paragraph(style="Caption")
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.keep_with_next = True
    para.paragraph_format.space_before = Pt(6)
    para.paragraph_format.space_after = Pt(3)
    para.add_run(teks)


def paragraf(doc: Document, teks: str, *, bold: bool = False, tengah: bool = False, rata: bool = False,
             ukuran: float | None = None) -> None:
    """Add a paragraph of ordinary editable text (centred, or justified when `rata`)."""
    para = doc.add_paragraph()
    if tengah:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif rata:
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = para.add_run(teks)
    run.bold = bold
    if ukuran is not None:
        run.font.size = Pt(ukuran)


def ke_bytes(doc: Document) -> bytes:
    """Return the document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


_profile_lock = threading.Lock()
_profile_dir: list[Path] = []


def _profile() -> Path:
    """A LibreOffice user profile of this process, so that conversions never wait on another's lock."""
    if not _profile_dir:
        path = Path(tempfile.mkdtemp(prefix="kinerja-lo-"))
        atexit.register(shutil.rmtree, path, True)
        _profile_dir.append(path)
    return _profile_dir[0]


def ke_pdf(docx: bytes) -> bytes:
    """Convert a DOCX to PDF with LibreOffice headless; raise PdfUnavailable when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable("PDF membutuhkan LibreOffice (apt-get install -y libreoffice-writer-nogui); "
                             "unduh DOCX saja")
    with _profile_lock, tempfile.TemporaryDirectory(prefix="kinerja-pdf-") as tmp:
        source = Path(tmp) / "dokumen.docx"
        source.write_bytes(docx)
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", tmp, str(source)],
            capture_output=True, timeout=PDF_TIMEOUT, check=False,
        )
        target = Path(tmp) / "dokumen.pdf"
        if result.returncode != 0 or not target.is_file():
            message = (result.stderr or result.stdout).decode(errors="replace").strip()
            raise PdfUnavailable(f"LibreOffice gagal membuat PDF: {message or 'tanpa keterangan'}")
        return target.read_bytes()


@dataclass(frozen=True)
class Penandatangan:
    """One signature block: the lines above the space (e.g. 'PIHAK PERTAMA\\nCAMAT'), the name and NIP."""

    judul: str
    nama: str
    nip: str | None = None


def tanda_tangan(doc: Document, pihak: list[Penandatangan], *, tempat_tanggal: str | None = None) -> Table:
    """Add side-by-side signature blocks (a borderless table that never splits), below an optional place and date."""
    if tempat_tanggal:
        para = doc.add_paragraph(tempat_tanggal)
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        para.paragraph_format.keep_with_next = True
        para.paragraph_format.space_before = Pt(8)
    width = lebar_isi_cm(doc) / len(pihak)
    table = doc.add_table(rows=3, cols=len(pihak))  # titles, the space to sign, names: names stay level
    table.autofit = False
    for column in table.columns:
        column.width = Cm(width)
    for r, row in enumerate(table.rows):
        _row_flag(row, "w:cantSplit")
        if r == 1:
            row.height = Cm(2.0)
        for cell, p in zip(row.cells, pihak, strict=True):
            _set_cell_width(cell, width)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
            para = cell.paragraphs[0]
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.keep_with_next = r < 2
            if r == 0:
                para.add_run(p.judul).bold = True
            elif r == 2 and p.nama:
                name = para.add_run(p.nama)
                name.bold = name.underline = True
                if p.nip:
                    para.add_run(f"\nNIP {p.nip}")
    return table
