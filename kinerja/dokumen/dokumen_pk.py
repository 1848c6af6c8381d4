"""The printable Perjanjian Kinerja of one unit (DOCX, and PDF through LibreOffice when installed)."""

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table
from sqlmodel import Session, select

from kinerja.aturan.format import format_angka, format_rupiah, nama_bulan
from kinerja.simpan.models import Instansi, Pejabat, Perjanjian, Unit, Versi
from kinerja.simpan.queries import NodeAnggaran, NotFound, list_anggaran, list_baris

PARAGRAF = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta berorientasi "
    "pada hasil, kami yang bertanda tangan dibawah ini:",
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, dalam "
    "rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen perencanaan. "
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggungjawab kami.",
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi terhadap capaian kinerja "
    "dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka pemberian penghargaan dan sanksi.",
)


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed, so no PDF can be made."""


@dataclass(frozen=True)
class IsiPK:
    """What one agreement prints."""

    instansi: Instansi
    versi: Versi
    unit: Unit
    tanggal: date
    pertama: Pejabat
    kedua: Pejabat
    sasaran: list[tuple[str, str, str, str]]  # no, sasaran, indikator, target with satuan
    anggaran: list[tuple[str, str, str, int]]  # kode, tingkat, nama, pagu
    jumlah_anggaran: int = 0  # the pagu of the lines above, each Rupiah once


def load_isi_pk(session: Session, versi: Versi, unit_kode: str) -> IsiPK:
    """Collect one unit's agreement in one version: parties, sasaran rows and the budget it covers."""
    unit = session.exec(select(Unit).where(Unit.instansi_id == versi.instansi_id, Unit.kode == unit_kode)).first()
    pk = None
    if unit is not None:
        pk = session.exec(
            select(Perjanjian).where(Perjanjian.versi_id == versi.id, Perjanjian.unit_id == unit.id)
        ).first()
    if unit is None or pk is None:
        raise NotFound(f"unit '{unit_kode}' tidak punya perjanjian di {versi.nama} {versi.tahun}")
    baris = [b for b in list_baris(session, versi) if b.unit.id == unit.id]
    nodes = {b.anggaran_kode for b in baris if b.anggaran_kode}
    tree = list_anggaran(session, versi)
    return IsiPK(
        instansi=session.get(Instansi, versi.instansi_id), versi=versi, unit=unit, tanggal=pk.tanggal,
        pertama=session.get(Pejabat, pk.pihak_pertama_id), kedua=session.get(Pejabat, pk.pihak_kedua_id),
        sasaran=[(b.no, b.sasaran, b.indikator.nama, f"{format_angka(b.target.tahunan)} {b.indikator.satuan}")
                 for b in baris],
        anggaran=[(n.node.kode, n.node.tingkat, n.node.nama, n.pagu) for n in tree if n.node.kode in nodes],
        jumlah_anggaran=jumlah_pagu(tree, nodes),
    )


def jumlah_pagu(tree: list[NodeAnggaran], kode: set[str]) -> int:
    """Sum the pagu of the listed nodes, leaving out a node whose parent or ancestor is listed too."""
    induk = {n.node.kode: n.induk_kode for n in tree}

    def inside_listed(node: str) -> bool:
        parent = induk.get(node)
        while parent is not None:
            if parent in kode:
                return True
            parent = induk.get(parent)
        return False

    return sum(n.pagu for n in tree if n.node.kode in kode and not inside_listed(n.node.kode))


def judul_pk(versi: Versi) -> str:
    """Return the document title: 'PERJANJIAN KINERJA PERUBAHAN TAHUN 2025' (PK Awal: no qualifier)."""
    jenis = versi.nama.upper().removeprefix("PK").strip()
    qualifier = "" if jenis in ("", "AWAL") else f" {jenis}"
    return f"PERJANJIAN KINERJA{qualifier} TAHUN {versi.tahun}"


def tanggal_id(value: date) -> str:
    """Format a date as '01 Oktober 2025'."""
    return f"{value.day:02d} {nama_bulan(value.month)} {value.year}"


def _centered(doc: Document, text: str, bold: bool = True, size: int = 12) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _table(doc: Document, header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _signatures(doc: Document, isi: IsiPK) -> None:
    tempat = isi.instansi.tempat or isi.instansi.kabupaten
    doc.add_paragraph(f"{tempat}, {tanggal_id(isi.tanggal)}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table = doc.add_table(rows=1, cols=2)
    for cell, (label, p) in zip(table.rows[0].cells, (("PIHAK KEDUA", isi.kedua), ("PIHAK PERTAMA", isi.pertama)),
                                strict=True):
        cell.text = ""
        para = cell.paragraphs[0]
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(f"{label}\n{p.jabatan}\n\n\n\n").bold = True
        para.add_run(p.nama).bold = True
        if p.nip:
            para.add_run(f"\nNIP {p.nip}")


def build_pk_docx(isi: IsiPK) -> bytes:
    """Return the agreement as a Word document in the layout of the signed PK."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    doc.styles["Normal"].font.name, doc.styles["Normal"].font.size = "Arial", Pt(11)
    _centered(doc, judul_pk(isi.versi))
    _centered(doc, f"{isi.instansi.nama.upper()}\n{isi.instansi.kabupaten.upper()}")
    doc.add_paragraph(PARAGRAF[0])
    for p, role in ((isi.pertama, "Selanjutnya disebut pihak pertama."),
                    (isi.kedua, "Selaku atasan pihak pertama, selanjutnya disebut pihak kedua.")):
        doc.add_paragraph(f"Nama\t: {p.nama}\nJabatan\t: {p.jabatan}")
        doc.add_paragraph(role)
    doc.add_paragraph(PARAGRAF[1])
    doc.add_paragraph(PARAGRAF[2])
    _signatures(doc, isi)
    doc.add_page_break()
    _centered(doc, f"{judul_pk(isi.versi)}\n{isi.instansi.nama}\n{isi.unit.nama}", size=11)
    _table(doc, ["No", "Sasaran", "Indikator", "Target"], [list(r) for r in isi.sasaran], [1.2, 6.5, 6.5, 2.8])
    doc.add_paragraph()
    label = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}
    rows = [[str(n), f"{label[t]}: {nama}", format_rupiah(pagu)]
            for n, (_, t, nama, pagu) in enumerate(isi.anggaran, 1)]
    if rows:
        rows.append(["", "Jumlah", format_rupiah(isi.jumlah_anggaran)])
    budget = _table(doc, ["No", "Program / Kegiatan / Sub Kegiatan", "Anggaran"], rows, [1.2, 11.8, 4.0])
    if rows:
        for cell in budget.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    _signatures(doc, isi)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def docx_to_pdf(data: bytes) -> bytes:
    """Convert a DOCX to PDF with LibreOffice (soffice); raise PdfUnavailable when it is not installed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise PdfUnavailable("PDF membutuhkan LibreOffice (apt-get install -y libreoffice-writer); unduh DOCX saja")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "pk.docx"
        source.write_bytes(data)
        subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)], check=True,
                       capture_output=True, timeout=120)
        return (Path(tmp) / "pk.pdf").read_bytes()
