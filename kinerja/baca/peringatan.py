"""The early warning for the Camat: what will miss its annual target at the current pace ("Berisiko tidak tercapai")."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from sqlmodel import Session

from kinerja.aturan.format import format_angka, format_persen, format_rupiah, nama_bulan
from kinerja.aturan.proyeksi import Proyeksi, ProyeksiTahun, proyeksi_tahun, sejak_bulan
from kinerja.baca.ringkasan import _rencana_aksi_anggaran, latest_bulan
from kinerja.simpan.anggaran_kas import load_anggaran_kas
from kinerja.simpan.models import Unit
from kinerja.simpan.queries import DataTahun

METODE = (
    "Proyeksi akhir tahun mengikuti laju sejauh ini: indikator jumlah dan anggaran sub kegiatan memakai realisasi "
    "kumulatif s.d. bulan terakhir yang terisi dibagi rencana s.d. bulan itu (Rencana Aksi, atau anggaran kas bila "
    "diisi; tanpa Rencana Aksi sama dengan garis lurus) dikali target tahunan atau pagu, indikator rata-rata, nilai "
    "terakhir dan rasio memakai nilainya sejauh ini, dan yang belum ada datanya tidak diproyeksikan."
)
# The figures right after the name, so a laptop or a phone shows them without scrolling sideways.
KOLOM = ["Uraian", "Proyeksi akhir tahun", "Target tahunan", "Meleset dari target", "Meleset (% target)",
         "Berisiko sejak", "Unit penanggung jawab", "Kode", "Jenis", "Metode"]


@dataclass(frozen=True)
class Berisiko:
    """One indicator or budget line projected to miss its annual target."""

    jenis: str  # "Indikator" | "Anggaran"
    kode: str
    nama: str
    unit: str
    satuan: str  # "Rp" for a budget line
    proyeksi: Proyeksi
    sejak: int  # the first month from which every month's projection missed the target


@dataclass(frozen=True)
class BelumAdaData:
    """An indicator or budget line with nothing entered yet: not projected."""

    jenis: str
    kode: str
    nama: str
    unit: str


@dataclass(frozen=True)
class Peringatan:
    """The at-risk list of a year s.d. the latest month with data, and what has no data yet."""

    sd_bulan: int | None
    berisiko: list[Berisiko]
    belum_ada_data: list[BelumAdaData]


def compute_peringatan(
    data_tahun: DataTahun, kas: Mapping[str, Mapping[int, int]] | None = None, sd_bulan: int | None = None,
) -> Peringatan:
    """Project every indicator and sub kegiatan and list those that will miss their annual target."""
    data = data_tahun.data
    sd_bulan = sd_bulan or latest_bulan(data)
    units: dict[int, Unit] = {b.unit.id: b.unit for b in data_tahun.baris} | {n.unit.id: n.unit
                                                                              for n in data_tahun.anggaran}
    indikator = {}
    for b in data_tahun.baris:
        indikator.setdefault(b.indikator.kode, b)
    lines = {n.node.kode: n for n in data_tahun.anggaran if n.node.tingkat == "sub_kegiatan"}
    if sd_bulan is None:
        return Peringatan(None, [], [
            *(BelumAdaData("Indikator", k, b.indikator.nama, _unit(units, b.indikator.unit_id, b.unit))
              for k, b in indikator.items()),
            *(BelumAdaData("Anggaran", k, n.node.nama, n.unit.nama) for k, n in lines.items())])
    rencana = _rencana_aksi_anggaran(data_tahun)
    per_bulan: dict[int, ProyeksiTahun] = {
        b: proyeksi_tahun(data, b, rencana, kas, sub_kegiatan=list(lines)) for b in range(1, sd_bulan + 1)}
    now = per_bulan[sd_bulan]
    berisiko: list[Berisiko] = []
    belum: list[BelumAdaData] = []
    for kode, b in indikator.items():
        p, unit = now.indikator.get(kode), _unit(units, b.indikator.unit_id, b.unit)
        if p is None:
            belum.append(BelumAdaData("Indikator", kode, b.indikator.nama, unit))
        elif p.berisiko:
            sejak = sejak_bulan(lambda m, k=kode: per_bulan[m].indikator.get(k), sd_bulan) or sd_bulan
            berisiko.append(Berisiko("Indikator", kode, b.indikator.nama, unit, b.indikator.satuan, p, sejak))
    for kode, n in lines.items():
        p = now.anggaran.get(kode)
        if p is None:
            belum.append(BelumAdaData("Anggaran", kode, n.node.nama, n.unit.nama))
        elif p.berisiko:
            sejak = sejak_bulan(lambda m, k=kode: per_bulan[m].anggaran.get(k), sd_bulan) or sd_bulan
            berisiko.append(Berisiko("Anggaran", kode, n.node.nama, n.unit.nama, "Rp", p, sejak))
    berisiko.sort(key=lambda r: (-(r.proyeksi.kurang_persen or Decimal(0)), r.jenis, r.kode))
    return Peringatan(sd_bulan, berisiko, belum)


def _unit(units: Mapping[int, Unit], unit_id: int, fallback: Unit) -> str:
    return units[unit_id].nama if unit_id in units else fallback.nama


def load_peringatan(session: Session, data_tahun: DataTahun) -> Peringatan:
    """Load the anggaran kas of a year already loaded (targets of the version in force at its end); compute the warning.

    The year is the screen's own load (`load_data_tahun(..., 12, hanya_disahkan)`): it is not read a second time.
    """
    return compute_peringatan(data_tahun, load_anggaran_kas(session, data_tahun.instansi.id, data_tahun.tahun))


def _angka(value: Decimal, satuan: str) -> str:
    if satuan == "Rp":
        return format_rupiah(value.quantize(Decimal(1)))
    return f"{format_angka(value)} {satuan}".strip()


def tabel_berisiko(peringatan: Peringatan) -> pd.DataFrame:
    """Return the at-risk list as the Beranda shows it: Indonesian labels and number formats."""
    rows = [{
        "Jenis": r.jenis, "Kode": r.kode, "Uraian": r.nama, "Unit penanggung jawab": r.unit,
        "Proyeksi akhir tahun": _angka(r.proyeksi.nilai, r.satuan), "Target tahunan": _angka(r.proyeksi.target,
                                                                                             r.satuan),
        "Meleset dari target": _angka(r.proyeksi.kurang, r.satuan),  # below it, or above it when lower is better
        "Meleset (% target)": format_persen(r.proyeksi.kurang_persen),
        "Berisiko sejak": nama_bulan(r.sejak), "Metode": r.proyeksi.metode,
    } for r in peringatan.berisiko]
    return pd.DataFrame(rows, columns=KOLOM)
