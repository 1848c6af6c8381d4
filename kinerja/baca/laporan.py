"""Tables of one office's year: indicators, budget and capaian s.d. a triwulan."""

from dataclasses import dataclass
from decimal import Decimal

from sqlmodel import Session

from kinerja.aturan.capaian import Hasil, bulan_akhir, compute_periode, kategori_capaian
from kinerja.simpan.models import Instansi, Versi
from kinerja.simpan.queries import (
    DataTahun,
    build_data,
    list_anggaran,
    list_baris,
    load_data_tahun,
    load_realisasi,
    load_realisasi_anggaran,
    versi_berlaku,
)

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


def capaian_dari(data_tahun: DataTahun, triwulan: int) -> Capaian:
    """Compute capaian s.d. a triwulan from a loaded year (pure: no database).

    The year must be loaded with the version in force at the end of the triwulan (`tahun_per_triwulan`).
    """
    return Capaian(data_tahun=data_tahun, triwulan=triwulan, hasil=compute_periode(data_tahun.data, triwulan))


def compute_capaian_tahun(
    session: Session, instansi: Instansi, tahun: int, triwulan: int, hanya_disahkan: bool = False
) -> Capaian:
    """Compute capaian s.d. a triwulan with the version in force at its end (`hanya_disahkan`: approved months)."""
    return capaian_dari(load_data_tahun(session, instansi, tahun, bulan_akhir(triwulan), hanya_disahkan), triwulan)


def tahun_pada(session: Session, data_tahun: DataTahun, bulan: int) -> DataTahun:
    """Return a loaded year as of the version in force at the end of `bulan`, without reading it again.

    The realisations do not depend on the version, so they are shared; only when a PK Perubahan
    puts another version in force are that version's rows, targets and pagu read.
    """
    return _dengan_versi(session, data_tahun, versi_berlaku(session, data_tahun.instansi.id, data_tahun.tahun, bulan))


def _dengan_versi(session: Session, data_tahun: DataTahun, versi: Versi) -> DataTahun:
    if versi.id == data_tahun.versi.id:
        return data_tahun
    baris, nodes = list_baris(session, versi), list_anggaran(session, versi)
    data = build_data(baris, nodes, data_tahun.data.realisasi, data_tahun.data.realisasi_anggaran)
    return DataTahun(instansi=data_tahun.instansi, tahun=data_tahun.tahun, versi=versi, baris=baris,
                     anggaran=nodes, data=data, hanya_disahkan=data_tahun.hanya_disahkan)


def tahun_per_triwulan(session: Session, data_tahun: DataTahun, sampai: int) -> dict[int, DataTahun]:
    """Return a loaded year as of each triwulan I..`sampai` (its version in force at the triwulan's end).

    A version is read once however many triwulan it covers; the realisations are never read again.
    """
    per_versi: dict[int | None, DataTahun] = {data_tahun.versi.id: data_tahun}
    result = {}
    for tw in range(1, sampai + 1):
        versi = versi_berlaku(session, data_tahun.instansi.id, data_tahun.tahun, bulan_akhir(tw))
        if versi.id not in per_versi:
            per_versi[versi.id] = _dengan_versi(session, data_tahun, versi)
        result[tw] = per_versi[versi.id]
    return result


def hanya_yang_disahkan(session: Session, data_tahun: DataTahun) -> DataTahun:
    """Return a loaded year with only the approved unit-months' realisations (its rows are not read again)."""
    if data_tahun.hanya_disahkan:
        return data_tahun
    office_id, tahun = data_tahun.instansi.id, data_tahun.tahun
    data = build_data(data_tahun.baris, data_tahun.anggaran, load_realisasi(session, office_id, tahun, True),
                      load_realisasi_anggaran(session, office_id, tahun, True))
    return DataTahun(instansi=data_tahun.instansi, tahun=tahun, versi=data_tahun.versi, baris=data_tahun.baris,
                     anggaran=data_tahun.anggaran, data=data, hanya_disahkan=True)


def keterangan_angka(hanya_disahkan: bool) -> str:
    """Say which figures a table or file shows: every realisation entered, or approved ones only."""
    return "hanya realisasi yang sudah disahkan" if hanya_disahkan else "semua realisasi yang tercatat"


def kategori_of(value: Decimal | None) -> str:
    """Return the kategori name, or '' when there is no capaian."""
    return kategori_capaian(value) or ""
