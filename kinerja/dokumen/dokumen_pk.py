"""The printable Perjanjian Kinerja of one unit (DOCX; PDF through kinerja.dokumen.word.ke_pdf)."""

from dataclasses import dataclass
from datetime import date

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from sqlmodel import Session, select

from kinerja.aturan.format import format_angka, format_rupiah, nama_bulan
from kinerja.dokumen.word import Penandatangan, dokumen_baru, ke_bytes, paragraf, tabel, tanda_tangan
from kinerja.simpan.models import Instansi, Pejabat, Perjanjian, Unit, Versi
from kinerja.simpan.queries import NodeAnggaran, NotFound, list_anggaran, list_baris

LEBAR_SASARAN = [1.0, 6.9, 6.9, 2.2]  # 17 cm between 2 cm margins
LEBAR_ANGGARAN = [1.0, 12.6, 3.4]
UKURAN_LAMPIRAN = 9

PARAGRAF = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta berorientasi "
    "pada hasil, kami yang bertanda tangan dibawah ini:",
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, dalam "
    "rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen perencanaan. "
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggungjawab kami.",
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi terhadap capaian kinerja "
    "dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka pemberian penghargaan dan sanksi.",
)


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


def _signatures(doc: Document, isi: IsiPK) -> None:
    tempat = isi.instansi.tempat or isi.instansi.kabupaten
    tanda_tangan(doc, [Penandatangan(f"PIHAK KEDUA\n{isi.kedua.jabatan}", isi.kedua.nama, isi.kedua.nip),
                       Penandatangan(f"PIHAK PERTAMA\n{isi.pertama.jabatan}", isi.pertama.nama, isi.pertama.nip)],
                 tempat_tanggal=f"{tempat}, {tanggal_id(isi.tanggal)}")


def _party(doc: Document, p: Pejabat, role: str) -> None:
    para = doc.add_paragraph()
    para.paragraph_format.tab_stops.add_tab_stop(Cm(2.5))
    para.paragraph_format.space_after = Pt(0)
    para.add_run(f"Nama\t: {p.nama}\nJabatan\t: {p.jabatan}")
    doc.add_paragraph(role)


def tulis_pk(doc: Document, isi: IsiPK) -> None:
    """Write the agreement (one page) and its lampiran (sasaran and budget tables) into `doc`."""
    _centered(doc, judul_pk(isi.versi))
    _centered(doc, f"{isi.instansi.nama.upper()}\n{isi.instansi.kabupaten.upper()}")
    paragraf(doc, PARAGRAF[0], rata=True)
    _party(doc, isi.pertama, "Selanjutnya disebut pihak pertama.")
    _party(doc, isi.kedua, "Selaku atasan pihak pertama, selanjutnya disebut pihak kedua.")
    paragraf(doc, PARAGRAF[1], rata=True)
    paragraf(doc, PARAGRAF[2], rata=True)
    _signatures(doc, isi)
    doc.add_page_break()
    _centered(doc, f"{judul_pk(isi.versi)}\n{isi.instansi.nama}\n{isi.unit.nama}", size=11)
    tabel(doc, ["No", "Sasaran", "Indikator", "Target"], [list(r) for r in isi.sasaran], LEBAR_SASARAN,
          tengah={0}, kanan={3}, ukuran=UKURAN_LAMPIRAN)
    doc.add_paragraph()
    label = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}
    rows = [[str(n), nama if nama.upper().startswith(label[t].upper()) else f"{label[t]}: {nama}",
             format_rupiah(pagu)] for n, (_, t, nama, pagu) in enumerate(isi.anggaran, 1)]
    if rows:
        rows.append(["", "Jumlah", format_rupiah(isi.jumlah_anggaran)])
    tabel(doc, ["No", "Program / Kegiatan / Sub Kegiatan", "Anggaran"], rows, LEBAR_ANGGARAN, tengah={0},
          kanan={2}, jumlah={len(rows) - 1} if rows else set(), ukuran=UKURAN_LAMPIRAN)
    _signatures(doc, isi)


def build_pk_docx(isi: IsiPK) -> bytes:
    """Return the agreement as a Word document in the layout of the signed PK (A4, agreement then lampiran)."""
    doc = dokumen_baru()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Cm(1.5)
    tulis_pk(doc, isi)
    return ke_bytes(doc)
