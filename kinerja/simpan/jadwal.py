"""The office's input calendar: the deadline day, per-month deadlines, reopenings, and who is late.

The rules of a closed month are in kinerja.simpan.verifikasi (`batas_waktu`, `alasan_terkunci`); this
module writes the admin's settings (each change is authorised as `atur_isian` and leaves one
audit row) and reads the calendar back for the admin's screen.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.format import nama_bulan, nama_bulan_singkat
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import baca_nilai, catat_jejak
from kinerja.simpan.models import BatasIsian, BukaIsian, Instansi, Jejak, Pengguna, Unit, now_utc
from kinerja.simpan.verifikasi import DIAJUKAN, DIKEMBALIKAN, DRAF, batas_waktu, status_tahun
from kinerja.simpan.wewenang import pastikan_wewenang


def _who(pengguna: Pengguna | None, oleh: str) -> str:
    return pengguna.username if pengguna else oleh


def simpan_hari_batas(
    engine: Engine, *, instansi_id: int, hari: int | None, pengguna: Pengguna | None = None, oleh: str = "cli"
) -> bool:
    """Set the day of the next month by which figures are due (None: no deadline); return whether it changed."""
    if hari is not None and (isinstance(hari, bool) or not 1 <= hari <= 31):
        raise ValidationError([f"tanggal batas harus 1 sampai 31, atau kosong untuk tanpa batas, bukan {hari}"])
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "atur_isian", instansi_id=instansi_id)
        office = session.exec(select(Instansi).where(Instansi.id == instansi_id).with_for_update()).one()
        if office.hari_batas_isian == hari:
            return False
        catat_jejak(session, instansi_id=instansi_id, oleh=_who(pengguna, oleh), tabel="instansi",
                    kunci="hari_batas_isian", sebelum={"hari_batas_isian": office.hari_batas_isian},
                    sesudah={"hari_batas_isian": hari})
        office.hari_batas_isian = hari
        session.add(office)
        return True


def simpan_batas_bulan(
    engine: Engine, *, instansi_id: int, tahun: int, bulan: int, batas: date | None,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> bool:
    """Set the deadline of one month's figures (None: back to the office's day); return whether it changed."""
    problems = []
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    elif batas is not None and batas < date(tahun, bulan, 1):
        problems.append(f"batas waktu {batas:%d-%m-%Y} lebih awal dari awal bulan {nama_bulan(bulan)} {tahun}")
    if problems:
        raise ValidationError(problems)
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "atur_isian", instansi_id=instansi_id)
        row = session.exec(select(BatasIsian).where(
            BatasIsian.instansi_id == instansi_id, BatasIsian.tahun == tahun, BatasIsian.bulan == bulan,
        ).with_for_update()).first()
        old = row.batas if row else None
        if old == batas:
            return False
        if batas is None:
            session.delete(row)
        else:
            row = row or BatasIsian(instansi_id=instansi_id, tahun=tahun, bulan=bulan, batas=batas)
            row.batas = batas
            session.add(row)
        catat_jejak(session, instansi_id=instansi_id, oleh=_who(pengguna, oleh), tabel="batas_isian",
                    kunci=f"{tahun}/{bulan}", sebelum={"batas": old} if old else None,
                    sesudah={"batas": batas} if batas else None)
        return True


@dataclass(frozen=True)
class BatasBulan:
    """The deadline of one month: the office's rule, the admin's date for that month, and the one that holds."""

    bulan: int
    umum: date | None
    khusus: date | None

    @property
    def batas(self) -> date | None:
        return self.khusus or self.umum


def list_batas(session: Session, instansi: Instansi, tahun: int) -> list[BatasBulan]:
    """Return the twelve deadlines of a year."""
    khusus = {b.bulan: b.batas for b in session.exec(select(BatasIsian).where(
        BatasIsian.instansi_id == instansi.id, BatasIsian.tahun == tahun))}
    return [BatasBulan(b, batas_waktu(instansi, tahun, b), khusus.get(b)) for b in range(1, 13)]


def hari_ini(instansi: Instansi, sekarang: datetime | None = None) -> date:
    """Return today's date in the office's time zone."""
    try:
        zona: tzinfo = ZoneInfo(instansi.zona_waktu)
    except (KeyError, ValueError):
        zona = UTC
    return (sekarang or now_utc()).astimezone(zona).date()


def _pengajuan_pertama(session: Session, instansi: Instansi, tahun: int) -> dict[tuple[str, int], date]:
    """Return when each unit-month was first submitted, by the audit trail: (unit kode, bulan) -> local date."""
    rows = session.exec(select(Jejak).where(Jejak.instansi_id == instansi.id, Jejak.tabel == "status_bulan")
                        .order_by(Jejak.id)).all()
    first: dict[tuple[str, int], date] = {}
    for r in rows:
        parts = r.kunci.split("/")
        if len(parts) != 3 or parts[0] != str(tahun) or not parts[1].isdigit():
            continue
        if (baca_nilai(r.sesudah) or {}).get("status") == DIAJUKAN:
            waktu = r.waktu if r.waktu.tzinfo else r.waktu.replace(tzinfo=UTC)
            first.setdefault((parts[2], int(parts[1])), hari_ini(instansi, waktu))
    return first


def bulan_lewat_batas(
    session: Session, instansi: Instansi, tahun: int, sekarang: datetime | None = None
) -> list[BatasBulan]:
    """Return the months of a year whose deadline has passed (today in the office's zone is after it)."""
    today = hari_ini(instansi, sekarang)
    return [b for b in list_batas(session, instansi, tahun) if b.batas is not None and b.batas < today]


def belum_diajukan(status: str) -> bool:
    """Tell whether a month with this status still waits for its unit to submit (a draft, or returned)."""
    return status in (DRAF, DIKEMBALIKAN)


def rekap_keterlambatan(
    session: Session, instansi: Instansi, tahun: int, units: Iterable[Unit], sekarang: datetime | None = None
) -> pd.DataFrame:
    """Return per unit the months past their deadline not submitted now, and those submitted late.

    Columns: unit, unit_nama, belum_diajukan, terlambat (month names), jumlah_belum, jumlah_terlambat.
    A month returned to the unit (dikembalikan) and not submitted again counts as not submitted.
    """
    lewat = bulan_lewat_batas(session, instansi, tahun, sekarang)
    status = status_tahun(session, instansi.id, tahun)
    pertama = _pengajuan_pertama(session, instansi, tahun)
    rows = []
    for unit in units:
        belum, telat = [], []
        for b in lewat:
            if belum_diajukan(status.get((unit.id, b.bulan), DRAF)):
                belum.append(b.bulan)
            elif (unit.kode, b.bulan) in pertama and pertama[(unit.kode, b.bulan)] > b.batas:  # type: ignore[operator]
                telat.append(b.bulan)
        rows.append({
            "unit": unit.kode, "unit_nama": unit.nama,
            "belum_diajukan": ", ".join(nama_bulan_singkat(m) for m in belum),
            "terlambat": ", ".join(nama_bulan_singkat(m) for m in telat),
            "jumlah_belum": len(belum), "jumlah_terlambat": len(telat),
        })
    return pd.DataFrame(rows, columns=["unit", "unit_nama", "belum_diajukan", "terlambat", "jumlah_belum",
                                       "jumlah_terlambat"])


@dataclass(frozen=True)
class Dibuka:
    """A reopening still in force: which unit and month, until when, why, by whom."""

    unit: str
    bulan: int
    sampai: datetime
    alasan: str
    oleh: str


def list_dibuka(session: Session, instansi_id: int, tahun: int, sekarang: datetime | None = None) -> list[Dibuka]:
    """Return the reopenings of a year that are still in force, soonest ending first."""
    sekarang = sekarang or now_utc()
    rows = session.exec(select(BukaIsian, Unit).join(Unit, Unit.id == BukaIsian.unit_id).where(
        Unit.instansi_id == instansi_id, BukaIsian.tahun == tahun, BukaIsian.sampai >= sekarang,
    ).order_by(BukaIsian.sampai)).all()
    return [Dibuka(u.nama, b.bulan, b.sampai, b.alasan, b.oleh) for b, u in rows]
