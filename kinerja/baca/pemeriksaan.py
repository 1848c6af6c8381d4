"""A unit's month as the people who fill and check it see it: its status, its figures, its waiting time.

Read-only: the steps are kinerja.simpan.verifikasi's, the threads kinerja.simpan.tanggapan's, the files
kinerja.simpan.bukti's. The tables here are what the operator's banner and the verifier's screen show.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from pathlib import PurePath
from zoneinfo import ZoneInfo

import pandas as pd
from sqlmodel import Session, select

from kinerja.aturan.capaian import aggregate, compute_penyerapan, compute_rasio, persen_serapan
from kinerja.aturan.format import format_angka, format_persen
from kinerja.simpan.jadwal import list_batas
from kinerja.simpan.models import (
    Anggaran,
    Bukti,
    Indikator,
    Instansi,
    Realisasi,
    RealisasiAnggaran,
    StatusBulan,
    Unit,
    now_utc,
)
from kinerja.simpan.queries import DataTahun, list_units
from kinerja.simpan.verifikasi import (
    DIAJUKAN,
    DIKEMBALIKAN,
    DIVERIFIKASI,
    DRAF,
    LABEL,
    Menunggu,
    alasan_terkunci,
    status_of,
    unit_pengesah,
    unit_verifikator,
)
from kinerja.simpan.wewenang import diisi_tangan


@dataclass(frozen=True)
class KeadaanBulan:
    """Where a unit's month stands: its status, the last note, why it cannot be written, and who checks it."""

    status: str
    catatan: str
    diubah_oleh: str
    diubah_pada: datetime | None
    terkunci: str | None  # why the figures cannot be written now (None: they can)
    batas: date | None  # the deadline of the month's figures
    verifikator: str | None  # the unit whose pimpinan verify, and the one whose pimpinan approve
    pengesah: str | None

    @property
    def label(self) -> str:
        return LABEL[self.status]

    @property
    def boleh_ajukan(self) -> bool:
        """Tell whether the unit may submit the month now (a draft, or returned to be fixed)."""
        return self.status in (DRAF, DIKEMBALIKAN)


def keadaan_bulan(session: Session, unit: Unit, tahun: int, bulan: int, sekarang: datetime | None = None
                  ) -> KeadaanBulan:
    """Return the state of a unit's month."""
    row = status_of(session, unit.id, tahun, bulan)
    units = list_units(session, unit.instansi_id)
    office = session.get(Instansi, unit.instansi_id)
    verifikator, pengesah = unit_verifikator(unit, units), unit_pengesah(unit, units)
    return KeadaanBulan(
        status=row.status if row else DRAF, catatan=row.catatan if row else "",
        diubah_oleh=row.diubah_oleh if row else "", diubah_pada=row.diubah_pada if row else None,
        terkunci=alasan_terkunci(session, unit, tahun, bulan, sekarang),
        batas=list_batas(session, office, tahun)[bulan - 1].batas,
        verifikator=verifikator.nama if verifikator else None, pengesah=pengesah.nama if pengesah else None,
    )


def _angka(value: Decimal | None) -> str:
    return format_angka(value, 0, 4)


def _rasio(pembilang: Decimal | None, penyebut: Decimal | None, persen: Decimal | None) -> str:
    if pembilang is None and penyebut is None:
        return ""
    text = f"{_angka(pembilang)} / {_angka(penyebut)}"
    return f"{text} ({format_persen(persen)})" if persen is not None else text


def lembar_indikator(data_tahun: DataTahun, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return the unit's indicators with target, realisasi of the month and s.d. the month, and keterangan.

    Columns: kode, indikator, satuan, target, bulan_ini, sd_bulan, keterangan (text, shown as is).
    """
    data = data_tahun.data
    defs = {i.kode: i for i in data.indikator}
    rows = []
    for ind in data_tahun.indikator_unit(unit_id):
        d = defs[ind.kode]
        months = data.realisasi.get(ind.kode, {})
        e = months.get(bulan)
        if ind.sumber == "turunan":
            bulan_ini, sd = "", "dihitung dari indikator di bawahnya"
        elif ind.sumber == "anggaran":
            serapan = compute_penyerapan(data.anggaran, data.realisasi_anggaran, d.anggaran_kode, bulan) \
                if d.anggaran_kode else None
            bulan_ini, sd = "", format_persen(serapan) if serapan is not None else "belum ada data"
        elif ind.jenis == "rasio":
            persen_bulan = e.pembilang * 100 / e.penyebut if e and e.pembilang is not None and e.penyebut else None
            bulan_ini = _rasio(e.pembilang, e.penyebut, persen_bulan) if e else ""
            sd = _rasio(*_urut(compute_rasio(months, ind.agregasi, bulan)))
        else:
            bulan_ini = _angka(e.nilai) if e else ""
            sd = _angka(aggregate({m: v.nilai for m, v in months.items()}, ind.agregasi, bulan))
        rows.append({"kode": ind.kode, "indikator": ind.nama, "satuan": ind.satuan, "target": _angka(d.target),
                     "bulan_ini": bulan_ini, "sd_bulan": sd, "keterangan": e.keterangan if e else ""})
    return pd.DataFrame(rows, columns=["kode", "indikator", "satuan", "target", "bulan_ini", "sd_bulan", "keterangan"])


def _urut(hasil: tuple[Decimal | None, Decimal | None, Decimal | None]) -> tuple:
    """Reorder compute_rasio's (persen, pembilang, penyebut) as (pembilang, penyebut, persen)."""
    persen, pembilang, penyebut = hasil
    return pembilang, penyebut, persen


def lembar_anggaran(session: Session, data_tahun: DataTahun, unit_id: int, bulan: int) -> pd.DataFrame:
    """Return the unit's sub-kegiatan: pagu, realisasi of the month and s.d. the month, penyerapan, keterangan."""
    spent = data_tahun.data.realisasi_anggaran
    nodes = [n for n in data_tahun.anggaran if n.node.tingkat == "sub_kegiatan" and n.unit.id == unit_id]
    notes = {r.anggaran_id: r.keterangan for r in session.exec(select(RealisasiAnggaran).where(
        RealisasiAnggaran.bulan == bulan,
        RealisasiAnggaran.anggaran_id.in_([n.node.id for n in nodes])))}  # type: ignore[union-attr]
    rows = []
    for n in nodes:
        months = spent.get(n.node.kode, {})
        upto = [v for m, v in months.items() if m <= bulan]
        sd = sum(upto) if upto else None
        serapan = persen_serapan(sd, n.pagu)
        rows.append({"kode": n.node.kode, "sub_kegiatan": n.node.nama, "pagu": n.pagu,
                     "bulan_ini": months.get(bulan), "sd_bulan": sd,
                     "penyerapan": float(serapan) if serapan is not None else None,
                     "keterangan": notes.get(n.node.id, "")})
    return pd.DataFrame(rows, columns=["kode", "sub_kegiatan", "pagu", "bulan_ini", "sd_bulan", "penyerapan",
                                       "keterangan"])


@dataclass(frozen=True)
class Kelengkapan:
    """How much of a unit's month is entered: indicators typed by the unit, and sub-kegiatan."""

    indikator: int
    indikator_total: int
    anggaran: int
    anggaran_total: int


def kelengkapan_bulan(session: Session, instansi_id: int, tahun: int, unit_id: int, bulan: int) -> Kelengkapan:
    """Count the unit's entered indicators and sub-kegiatan of a month against what it should enter."""
    own = session.exec(select(Indikator).where(
        Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Indikator.unit_id == unit_id))
    kodes = [i for i in own if diisi_tangan(i)]
    subs = session.exec(select(Anggaran.id).where(
        Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun, Anggaran.unit_id == unit_id,
        Anggaran.tingkat == "sub_kegiatan")).all()
    filled = session.exec(select(Realisasi.indikator_id).where(
        Realisasi.bulan == bulan, Realisasi.indikator_id.in_([i.id for i in kodes]))).all()  # type: ignore[union-attr]
    spent = session.exec(select(RealisasiAnggaran.anggaran_id).where(
        RealisasiAnggaran.bulan == bulan, RealisasiAnggaran.anggaran_id.in_(subs))).all()  # type: ignore[union-attr]
    return Kelengkapan(indikator=len(filled), indikator_total=len(kodes), anggaran=len(spent), anggaran_total=len(subs))


def bukti_per_indikator(session: Session, files: Iterable[Bukti]) -> dict[str | None, list[Bukti]]:
    """Group evidence files by the indicator kode they back (None: the unit's month as a whole)."""
    files = list(files)
    ids = {b.indikator_id for b in files if b.indikator_id is not None}
    rows = session.exec(select(Indikator.id, Indikator.kode).where(Indikator.id.in_(ids))).all() if ids else []  # type: ignore[union-attr]
    kode_of = {i: kode for i, kode in rows}
    grouped: dict[str | None, list[Bukti]] = {}
    for b in files:
        grouped.setdefault(kode_of.get(b.indikator_id) if b.indikator_id else None, []).append(b)
    return grouped


def daftar_menunggu(session: Session, instansi_id: int) -> list[Menunggu]:
    """Return every unit-month of the office waiting for a check (what the admin oversees), oldest first."""
    units = {u.id: u for u in list_units(session, instansi_id)}
    rows = session.exec(select(StatusBulan).where(
        StatusBulan.instansi_id == instansi_id,
        StatusBulan.status.in_([DIAJUKAN, DIVERIFIKASI]))).all()  # type: ignore[attr-defined]
    found = [Menunggu(units[r.unit_id], r.tahun, r.bulan, r.status, r.diubah_pada,
                      "verifikasi" if r.status == DIAJUKAN else "sahkan") for r in rows]
    return sorted(found, key=lambda m: (m.sejak, m.unit.urutan))


def lama_menunggu(sejak: datetime, sekarang: datetime | None = None) -> str:
    """Say how long something has waited: 'baru saja', '25 menit', '3 jam', '4 hari'."""
    sekarang = sekarang or now_utc()
    if sejak.tzinfo is None:
        sekarang = sekarang.replace(tzinfo=None)
    detik = max(0, int((sekarang - sejak).total_seconds()))
    if detik < 60:
        return "baru saja"
    if detik < 3600:
        return f"{detik // 60} menit"
    if detik < 86400:
        return f"{detik // 3600} jam"
    return f"{detik // 86400} hari"


def format_waktu(waktu: datetime | None, zona_waktu: str) -> str:
    """Show a stored time in the office's zone: '12-04-2025 10:05 WITA'."""
    if waktu is None:
        return ""
    try:
        zona: tzinfo = ZoneInfo(zona_waktu)
    except (KeyError, ValueError):
        zona = UTC
    local = (waktu if waktu.tzinfo else waktu.replace(tzinfo=UTC)).astimezone(zona)
    return f"{local:%d-%m-%Y %H:%M} {local.tzname()}"


def nama_unduhan(bukti: Bukti) -> str:
    """Return a safe file name for a download: the uploaded name's letters, with the stored type's extension."""
    ext = PurePath(bukti.nama_berkas).suffix
    stem = re.sub(r"[^\w\- ]+", "_", PurePath(bukti.nama_asli).stem, flags=re.ASCII).strip(" _")[:80]
    return f"{stem or 'bukti'}{ext}"
