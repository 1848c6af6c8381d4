"""The LKjIP tables (PermenPANRB 53/2014): Pengukuran Kinerja, Realisasi Anggaran, Efisiensi.

Computed for a year s.d. a triwulan with the version of the agreements in force at the end of
that period; last year's realisasi and capaian stand beside this year's when the database has
last year.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel import Session

from kinerja.aturan.batas import label_dicek
from kinerja.aturan.capaian import (
    HUNDRED,
    bulan_akhir,
    compute_penyerapan,
    mean_capaian,
    persen_serapan,
    round_shown,
    total_realisasi_anggaran,
)
from kinerja.aturan.format import nama_triwulan
from kinerja.baca.laporan import Capaian, compute_capaian_tahun, keterangan_angka
from kinerja.simpan.models import Instansi
from kinerja.simpan.queries import NotFound, list_tahun

TINGKAT_LABEL = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan", "jumlah": ""}
EFISIEN, KURANG_EFISIEN = "Efisien", "Kurang efisien"


@dataclass(frozen=True)
class BarisPengukuran:
    """One row of a Pengukuran Kinerja table."""

    kode: str
    no: str
    sasaran: str
    indikator: str
    satuan: str
    target: Decimal
    target_sd_tw: Decimal
    realisasi: Decimal | None
    pembilang: Decimal | None
    penyebut: Decimal | None
    capaian: Decimal | None
    kategori: str
    target_renstra: Decimal | None
    realisasi_lalu: Decimal | None
    capaian_lalu: Decimal | None
    dicek: str = ""  # "perlu dicek (di atas 200,00 %)" for a capaian above the office's ceiling

    @property
    def kategori_dicek(self) -> str:
        """The kategori as the tables print it, with "perlu dicek" beside it as on the screens."""
        return "; ".join(t for t in (self.kategori, self.dicek) if t)


@dataclass(frozen=True)
class TabelUnit:
    """The Pengukuran Kinerja of one agreement."""

    unit_kode: str
    unit_nama: str
    baris: list[BarisPengukuran]


@dataclass(frozen=True)
class BarisAnggaran:
    """One line of the Realisasi Anggaran table."""

    kode: str
    tingkat: str
    nama: str
    pagu: int
    realisasi: int
    persen: Decimal | None
    sisa: int


@dataclass(frozen=True)
class BarisEfisiensi:
    """Capaian kinerja against penyerapan anggaran of one program or kegiatan."""

    kode: str
    tingkat: str
    nama: str
    capaian: Decimal | None
    penyerapan: Decimal | None
    selisih: Decimal | None
    keterangan: str


@dataclass
class LaporanLKjIP:
    """Everything the LKjIP exports print."""

    instansi: Instansi
    tahun: int
    triwulan: int
    versi_nama: str
    versi_tanggal: date
    dicetak: date
    ada_tahun_lalu: bool
    unit: list[TabelUnit] = field(default_factory=list)
    anggaran: list[BarisAnggaran] = field(default_factory=list)
    efisiensi: list[BarisEfisiensi] = field(default_factory=list)
    hanya_disahkan: bool = False  # the figures count approved unit-months only

    @property
    def anggaran_jumlah(self) -> BarisAnggaran:
        """The Jumlah line under the Realisasi Anggaran table (the programs summed)."""
        return jumlah_anggaran(self.anggaran)

    @property
    def periode(self) -> str:
        """Say which period the report covers ('Tahun 2025' or 's.d. Triwulan II 2025')."""
        return f"Tahun {self.tahun}" if self.triwulan == 4 else f"s.d. {nama_triwulan(self.triwulan)} {self.tahun}"

    @property
    def catatan_versi(self) -> str:
        """Say which version of the agreements the targets come from."""
        return (f"Target menurut {self.versi_nama} (ditetapkan {self.versi_tanggal:%d-%m-%Y}), versi yang berlaku "
                f"pada akhir {nama_triwulan(self.triwulan)} {self.tahun}.")

    @property
    def catatan_angka(self) -> str:
        """Say which figures the report counts: every realisation entered, or approved unit-months only."""
        return catatan_angka(self.hanya_disahkan)


def catatan_angka(hanya_disahkan: bool) -> str:
    """The "Angka: …" line every document carries: which figures it counts (all, or approved unit-months only)."""
    return f"Angka: {keterangan_angka(hanya_disahkan)}"


def _pengukuran(capaian: Capaian, lalu: Capaian | None) -> list[TabelUnit]:
    tables: dict[str, TabelUnit] = {}
    for b in capaian.data_tahun.baris:
        h = capaian.hasil[b.indikator.kode]
        old = lalu.hasil.get(b.indikator.kode) if lalu else None
        row = BarisPengukuran(
            kode=b.indikator.kode, no=b.no, sasaran=b.sasaran, indikator=b.indikator.nama, satuan=b.indikator.satuan,
            target=h.target_tahunan, target_sd_tw=h.target_sd_tw, realisasi=h.realisasi, pembilang=h.pembilang,
            penyebut=h.penyebut, capaian=h.capaian_sd_tw, kategori=h.kategori or "",
            target_renstra=b.indikator.target_renstra,
            realisasi_lalu=old.realisasi if old else None, capaian_lalu=old.capaian_sd_tw if old else None,
            dicek=label_dicek(h.capaian_sd_tw, capaian.data_tahun.instansi.batas_cek_capaian),
        )
        tables.setdefault(b.unit.kode, TabelUnit(b.unit.kode, b.unit.nama, [])).baris.append(row)
    return list(tables.values())


def _anggaran(capaian: Capaian) -> list[BarisAnggaran]:
    data, sd = capaian.data_tahun.data, bulan_akhir(capaian.triwulan)
    rows = []
    for n in capaian.data_tahun.anggaran:
        spent = total_realisasi_anggaran(data.anggaran, data.realisasi_anggaran, n.node.kode, sd) or 0
        rows.append(BarisAnggaran(
            kode=n.node.kode, tingkat=n.node.tingkat, nama=n.node.nama, pagu=n.pagu, realisasi=spent,
            persen=persen_serapan(spent, n.pagu), sisa=n.pagu - spent,
        ))
    return rows


def jumlah_anggaran(rows: list[BarisAnggaran]) -> BarisAnggaran:
    """Return the Jumlah line: the programs' pagu, realisasi and sisa summed (kegiatan are inside them)."""
    programs = [r for r in rows if r.tingkat == "program"]
    pagu, spent = sum(r.pagu for r in programs), sum(r.realisasi for r in programs)
    return BarisAnggaran(kode="", tingkat="jumlah", nama="Jumlah", pagu=pagu, realisasi=spent,
                         persen=persen_serapan(spent, pagu), sisa=pagu - spent)


def nilai_efisiensi(capaian: Decimal | None, penyerapan: Decimal | None) -> tuple[Decimal | None, str]:
    """Return (selisih, keterangan) of a node from its capaian (capped at 100) and penyerapan as shown.

    Project rule: "Efisien" when the capaian kinerja, capped at 100, is at least the penyerapan
    anggaran, both rounded to the 2 decimals they are shown with; what a reader sees decides.
    """
    if capaian is None or penyerapan is None:
        return None, ""
    selisih = round_shown(min(capaian, HUNDRED)) - round_shown(penyerapan)
    return selisih, EFISIEN if selisih >= 0 else KURANG_EFISIEN


def _efisiensi(capaian: Capaian) -> list[BarisEfisiensi]:
    """Capaian of the indicators on each program and kegiatan against the node's absorption."""
    data, sd = capaian.data_tahun.data, bulan_akhir(capaian.triwulan)
    rows = []
    for n in capaian.data_tahun.anggaran:
        if n.node.tingkat == "sub_kegiatan":
            continue
        on_node = [capaian.hasil[i.kode].capaian_sd_tw for i in data.indikator if i.anggaran_kode == n.node.kode]
        nilai = mean_capaian(on_node)
        serapan = compute_penyerapan(data.anggaran, data.realisasi_anggaran, n.node.kode, sd)
        selisih, keterangan = nilai_efisiensi(nilai, serapan)
        rows.append(BarisEfisiensi(kode=n.node.kode, tingkat=n.node.tingkat, nama=n.node.nama, capaian=nilai,
                                   penyerapan=serapan, selisih=selisih, keterangan=keterangan))
    return rows


def build_lkjip(session: Session, instansi: Instansi, tahun: int, triwulan: int, dicetak: date,
                hanya_disahkan: bool = False) -> LaporanLKjIP:
    """Compute the LKjIP tables of a year s.d. a triwulan (`hanya_disahkan`: approved unit-months only)."""
    if tahun not in list_tahun(session, instansi.id):
        raise NotFound(f"tidak ada perjanjian kinerja tahun {tahun}")
    capaian = compute_capaian_tahun(session, instansi, tahun, triwulan, hanya_disahkan)
    lalu = (
        compute_capaian_tahun(session, instansi, tahun - 1, triwulan, hanya_disahkan)
        if tahun - 1 in list_tahun(session, instansi.id)
        else None
    )
    versi = capaian.data_tahun.versi
    return LaporanLKjIP(
        instansi=instansi, tahun=tahun, triwulan=triwulan, versi_nama=versi.nama, versi_tanggal=versi.tanggal,
        dicetak=dicetak, ada_tahun_lalu=lalu is not None, unit=_pengukuran(capaian, lalu),
        anggaran=_anggaran(capaian), efisiensi=_efisiensi(capaian), hanya_disahkan=hanya_disahkan,
    )
