"""What the LKjIP draft says, gathered from the database: sasaran, comparisons, analysis, budget, numbering.

The office's sasaran strategis are the rows of the first Pengukuran Kinerja table (the head of the
office's own PK, e.g. the Camat's). Table numbers are decided here once, so the draft (DOCX) and the
table exports (XLSX, CSV, DOCX tables) print the same "Tabel 3.x" for the same table.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session, select

from kinerja.aturan.capaian import KATEGORI_URUT, bulan_akhir, mean_capaian
from kinerja.baca.perbandingan import Perbandingan, list_perbandingan
from kinerja.dokumen.dokumen_pk import IsiPK, load_isi_pk
from kinerja.dokumen.lkjip import BarisAnggaran, BarisPengukuran, LaporanLKjIP, build_lkjip
from kinerja.simpan.analisis import load_analisis
from kinerja.simpan.models import Analisis, Instansi, ProfilInstansi
from kinerja.simpan.queries import NotFound, list_anggaran, list_baris, versi_berlaku


def kelompok_sasaran(baris: list[BarisPengukuran]) -> list[tuple[str, list[BarisPengukuran]]]:
    """Group consecutive rows by sasaran: the sasaran is printed once, above its indicators."""
    groups: list[tuple[str, list[BarisPengukuran]]] = []
    for row in baris:
        if groups and groups[-1][0] == row.sasaran:
            groups[-1][1].append(row)
        else:
            groups.append((row.sasaran, [row]))
    return groups


@dataclass(frozen=True)
class NomorTabel:
    """The number of every table of the LKjIP draft ('2.1', '3.4', 'L.2')."""

    pk: str
    pagu_program: str
    kategori: str
    pengukuran: str
    sebaran: str
    sasaran: list[tuple[str, str]]  # per sasaran strategis: (comparison table, supporting programs table)
    anggaran: str
    anggaran_sasaran: str
    efisiensi: str
    unit: dict[str, str]  # unit kode -> number of its Pengukuran Kinerja table (the office's is `pengukuran`)


def nomor_tabel(laporan: LaporanLKjIP) -> NomorTabel:
    """Number the tables of the draft in the order they are printed."""
    groups = kelompok_sasaran(laporan.unit[0].baris) if laporan.unit else []
    per_sasaran = [(f"3.{4 + 2 * k}", f"3.{5 + 2 * k}") for k in range(len(groups))]
    after = 4 + 2 * len(groups)
    unit = {t.unit_kode: f"L.{n}" for n, t in enumerate(laporan.unit[1:], 1)}
    if laporan.unit:
        unit[laporan.unit[0].unit_kode] = "3.2"
    return NomorTabel(pk="2.1", pagu_program="2.2", kategori="3.1", pengukuran="3.2", sebaran="3.3",
                      sasaran=per_sasaran, anggaran=f"3.{after}", anggaran_sasaran=f"3.{after + 1}",
                      efisiensi=f"3.{after + 2}", unit=unit)


@dataclass(frozen=True)
class SasaranStrategis:
    """One sasaran strategis of the office with everything Bab III A says about it."""

    nomor: int
    sasaran: str
    baris: list[BarisPengukuran]
    perbandingan: dict[str, Perbandingan]
    analisis: dict[str, Analisis]
    pendukung: list[BarisAnggaran]  # the nodes of its indicators with their kegiatan (none: every program)
    program: list[BarisAnggaran]  # the nodes its indicators hang on (budget per sasaran); empty: office-wide

    @property
    def rata_rata(self) -> Decimal | None:
        """The mean capaian of its indicators, each capped at 100."""
        return mean_capaian(r.capaian for r in self.baris)


@dataclass
class IsiLKjIP:
    """Everything the LKjIP draft prints."""

    laporan: LaporanLKjIP
    profil: ProfilInstansi | None
    pk: IsiPK | None  # the office's own agreement (Bab II and Lampiran I)
    sasaran: list[SasaranStrategis] = field(default_factory=list)
    nomor: NomorTabel | None = None

    @property
    def baris_sasaran(self) -> list[BarisPengukuran]:
        """The indicator rows of the office's sasaran strategis."""
        return [r for s in self.sasaran for r in s.baris]

    @property
    def rata_rata(self) -> Decimal | None:
        """The mean capaian of the office's indicators, each capped at 100 (the project rule)."""
        return mean_capaian(r.capaian for r in self.baris_sasaran)

    @property
    def sebaran(self) -> dict[str, int]:
        """How many of the office's indicators fall in each kategori ('' = no capaian yet)."""
        counts = dict.fromkeys((*KATEGORI_URUT, ""), 0)
        for r in self.baris_sasaran:
            counts[r.kategori] = counts.get(r.kategori, 0) + 1
        return counts

    @property
    def program(self) -> list[BarisAnggaran]:
        """The programs of the budget tree (their pagu sums to the office's pagu)."""
        return [r for r in self.laporan.anggaran if r.tingkat == "program"]


def _pendukung(laporan: LaporanLKjIP, node_kode: list[str], induk: dict[str, str | None]) -> list[BarisAnggaran]:
    """The listed programs / kegiatan, each followed by its kegiatan children, in budget-tree order."""
    wanted = set(node_kode)
    rows = []
    for r in laporan.anggaran:
        if r.tingkat == "sub_kegiatan":
            continue
        if r.kode in wanted or induk.get(r.kode) in wanted:
            rows.append(r)
    return rows


def load_isi_lkjip(session: Session, instansi: Instansi, tahun: int, triwulan: int = 4,
                   dicetak: date | None = None, hanya_disahkan: bool = False) -> IsiLKjIP:
    """Collect the LKjIP draft of a year (s.d. a triwulan): tables, comparisons, analysis, profile and PK."""
    laporan = build_lkjip(session, instansi, tahun, triwulan, dicetak or date.today(), hanya_disahkan)
    versi = versi_berlaku(session, instansi.id, tahun, bulan_akhir(triwulan))
    profil = session.get(ProfilInstansi, instansi.id)
    pk = None
    if laporan.unit:
        try:
            pk = load_isi_pk(session, versi, laporan.unit[0].unit_kode)
        except NotFound:
            pk = None
    node_of = {b.indikator.kode: b.anggaran_kode for b in list_baris(session, versi)}
    induk = {n.node.kode: n.induk_kode for n in list_anggaran(session, versi)}
    perbandingan = list_perbandingan(session, instansi, tahun, triwulan, hanya_disahkan)
    analisis = load_analisis(session, instansi.id, tahun, triwulan)
    sasaran = []
    groups = kelompok_sasaran(laporan.unit[0].baris) if laporan.unit else []
    for n, (teks, rows) in enumerate(groups, 1):
        nodes = list(dict.fromkeys(k for r in rows if (k := node_of.get(r.kode))))
        programs = [r for r in laporan.anggaran if r.kode in nodes]
        # an office-wide sasaran (AKIP, IKM) hangs on no node: every program supports it
        pendukung = _pendukung(laporan, nodes, induk) if nodes else \
            [r for r in laporan.anggaran if r.tingkat == "program"]
        sasaran.append(SasaranStrategis(
            nomor=n, sasaran=teks, baris=rows,
            perbandingan={r.kode: perbandingan[r.kode] for r in rows if r.kode in perbandingan},
            analisis={r.kode: analisis[r.kode] for r in rows if r.kode in analisis},
            pendukung=pendukung, program=programs,
        ))
    return IsiLKjIP(laporan=laporan, profil=profil, pk=pk, sasaran=sasaran, nomor=nomor_tabel(laporan))


def profil_kosong(session: Session, instansi_id: int) -> bool:
    """Tell whether the office has not filled its profile yet (Bab I would print placeholders)."""
    profil = session.exec(select(ProfilInstansi).where(ProfilInstansi.instansi_id == instansi_id)).first()
    return profil is None or not any(
        getattr(profil, f) for f in ("alamat", "dasar_hukum", "tugas_pokok", "fungsi", "struktur_organisasi",
                                     "sumber_daya", "isu_strategis"))
