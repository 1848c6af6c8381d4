"""The thread on an indicator-month: the superior's response (tanggapan atasan) and the unit's answer."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Indikator, Pengguna, Tanggapan, Unit
from kinerja.simpan.verifikasi import unit_pengesah, unit_verifikator
from kinerja.simpan.wewenang import ADMIN, HANYA_MELIHAT, KABUPATEN, OPERATOR, PIMPINAN, periksa_wewenang

MAKS_ISI = 2000


@dataclass(frozen=True)
class Pesan:
    """One message of a thread, as the screens show it."""

    oleh: str
    isi: str
    waktu: datetime


def _boleh(session: Session, pengguna: Pengguna | None, ind: Indikator) -> list[str]:
    """Return why this user may not write in the thread of this indicator (its unit, its checkers, the admin)."""
    if pengguna is None:
        return []
    problems = periksa_wewenang(session, pengguna, "lihat", instansi_id=ind.instansi_id)
    if problems:
        return problems
    now = session.get(Pengguna, pengguna.id)
    if now.peran == KABUPATEN:  # a pemda reads every office and writes in none
        return [HANYA_MELIHAT]
    if now.peran == ADMIN or (now.peran == OPERATOR and now.unit_id == ind.unit_id):
        return []
    units = session.exec(select(Unit).where(Unit.instansi_id == ind.instansi_id)).all()
    unit = next(u for u in units if u.id == ind.unit_id)
    checkers = {u.id for u in (unit_verifikator(unit, units), unit_pengesah(unit, units)) if u is not None}
    if now.peran == PIMPINAN and now.unit_id in checkers:
        return []
    return ["hanya unit pengisi, atasan yang memeriksa, dan admin yang dapat menulis tanggapan indikator ini"]


def tambah_tanggapan(
    engine: Engine, *, instansi_id: int, tahun: int, kode: str, bulan: int, isi: str,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> Tanggapan:
    """Add a message to the thread of an indicator-month; the thread is kept, never edited."""
    problems = cek_teks(isi, "tanggapan", MAKS_ISI)
    if not isi.strip():
        problems.append("tanggapan kosong")
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    if problems:
        raise ValidationError(problems)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        ind = session.exec(select(Indikator).where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun,
                                                   Indikator.kode == kode)).first()
        if ind is None:
            raise ValidationError([f"kode indikator '{kode[:60]}' tidak dikenal"])
        problems = _boleh(session, pengguna, ind)
        if problems:
            raise ValidationError(problems)
        row = Tanggapan(indikator_id=ind.id, bulan=bulan, pengguna_id=pengguna.id if pengguna else None, oleh=who,
                        isi=isi.strip())
        session.add(row)
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="tanggapan", kunci=f"{tahun}/{kode}/{bulan}",
                    sebelum=None, sesudah={"isi": isi.strip()})
        return row


def list_tanggapan(session: Session, instansi_id: int, tahun: int, bulan: int) -> dict[str, list[Pesan]]:
    """Return the threads of a month: indicator kode -> its messages, oldest first."""
    rows = session.exec(
        select(Indikator.kode, Tanggapan).join(Tanggapan, Tanggapan.indikator_id == Indikator.id)
        .where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Tanggapan.bulan == bulan)
        .order_by(Tanggapan.waktu, Tanggapan.id)
    ).all()
    threads: dict[str, list[Pesan]] = {}
    for kode, t in rows:
        threads.setdefault(kode, []).append(Pesan(oleh=t.oleh, isi=t.isi, waktu=t.waktu))
    return threads
