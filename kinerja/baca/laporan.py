"""Tables of one office's year: indicators, budget and capaian s.d. a triwulan."""

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from kinerja.aturan.capaian import Hasil, bulan_akhir, compute_periode, kategori_capaian
from kinerja.simpan.models import Instansi
from kinerja.simpan.queries import DataTahun, load_data_tahun

INDIKATOR_COLUMNS = [
    "kode", "unit", "unit_nama", "no", "sasaran", "indikator", "satuan", "target", "polaritas",
    "agregasi", "jenis", "sumber", "anggaran_kode",
]
CAPAIAN_COLUMNS = [
    "kode", "unit", "no", "indikator", "satuan", "target_tahunan", "target_sd_tw", "realisasi_sd_tw",
    "capaian_sd_tw", "capaian_tahunan", "kategori",
]


def indikator_rows(data_tahun: DataTahun) -> list[dict[str, object]]:
    """Return one row per indicator per agreement, in document order."""
    return [
        {
            "kode": b.indikator.kode, "unit": b.unit.kode, "unit_nama": b.unit.nama, "no": b.no,
            "sasaran": b.sasaran, "indikator": b.indikator.nama, "satuan": b.indikator.satuan,
            "target": b.target.tahunan, "polaritas": b.indikator.polaritas,
            "agregasi": b.indikator.agregasi, "jenis": b.indikator.jenis, "sumber": b.indikator.sumber,
            "anggaran_kode": b.anggaran_kode or "",
        }
        for b in data_tahun.baris
    ]


def anggaran_rows(data_tahun: DataTahun) -> list[dict[str, object]]:
    """Return the budget tree, one row per node, parents first."""
    return [
        {"kode": n.node.kode, "tingkat": n.node.tingkat, "induk": n.induk_kode or "", "nama": n.node.nama,
         "unit": n.unit.kode, "pagu": n.pagu}
        for n in data_tahun.anggaran
    ]


@dataclass
class Capaian:
    """The capaian of a year s.d. a triwulan, with the year it was computed from."""

    data_tahun: DataTahun
    triwulan: int
    hasil: dict[str, Hasil]

    @property
    def hanya_disahkan(self) -> bool:
        """Tell whether these capaian count approved unit-months only."""
        return self.data_tahun.hanya_disahkan

    def rows(self) -> list[dict[str, object]]:
        """Return one row per indicator per agreement (the `export capaian` columns and more)."""
        rows = []
        for b in self.data_tahun.baris:
            h = self.hasil[b.indikator.kode]
            rows.append({
                "kode": b.indikator.kode, "unit": b.unit.kode, "unit_nama": b.unit.nama, "no": b.no,
                "sasaran": b.sasaran, "indikator": b.indikator.nama, "satuan": b.indikator.satuan,
                "sumber": b.indikator.sumber, "jenis": b.indikator.jenis,
                "target_tahunan": h.target_tahunan, "target_sd_tw": h.target_sd_tw,
                "realisasi_sd_tw": h.realisasi, "pembilang": h.pembilang, "penyebut": h.penyebut,
                "capaian_sd_tw": h.capaian_sd_tw, "capaian_tahunan": h.capaian_tahunan,
                "kategori": h.kategori or "",
            })
        return rows


def compute_capaian_tahun(
    session: Session, instansi: Instansi, tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> Capaian:
    """Compute capaian s.d. a triwulan with the version in force at its end (`hanya_disahkan`: approved months)."""
    data_tahun = load_data_tahun(session, instansi, tahun, bulan_akhir(triwulan), hanya_disahkan)
    return Capaian(data_tahun=data_tahun, triwulan=triwulan, hasil=compute_periode(data_tahun.data, triwulan))


def keterangan_angka(hanya_disahkan: bool) -> str:
    """Say which figures a table or file shows: every realisation entered, or approved ones only."""
    return "hanya realisasi yang sudah disahkan" if hanya_disahkan else "semua realisasi yang tercatat"


def kategori_of(value: Decimal | None) -> str:
    """Return the kategori name, or '' when there is no capaian."""
    return kategori_capaian(value) or ""
