"""Tiered verification of a unit's month (verifikasi berjenjang) and the input windows.

A unit's figures of one month go draf -> diajukan (the unit submits) -> diverifikasi (its superior
checks) -> disahkan (the head approves). The superior or the head can return them (dikembalikan)
with a note the operator sees; the unit fixes and submits again. Submitted, verified and approved
months are locked for every write; only an admin reopens one, with a reason, and the reopening is
in the audit trail like every step.

Who verifies and who approves are the pimpinan users of two units set per unit by the admin
(`Unit.verifikator_unit_id`, `Unit.pengesah_unit_id`); by default the sekretariat verifies (the
pimpinan unit verifies the sekretariat itself) and the pimpinan unit approves.

A PK revision (PK Perubahan) that drops an indicator or a sub kegiatan from its berlaku_bulan on
closes that row's later months for good (`indikator_diganti`, `anggaran_diganti`): it is in no
agreement any more.

An input window closes a month at its deadline: the office's day of the next month
(`Instansi.hari_batas_isian`, none until the admin sets one) or a date set for that month
(`BatasIsian`). After it, only a reopening for a unit (`BukaIsian`, with a reason, until a date)
lets that unit write the month again.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.format import nama_bulan
from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import (
    BatasIsian,
    BukaIsian,
    Instansi,
    Pagu,
    Pengguna,
    StatusBulan,
    Target,
    Unit,
    Versi,
    now_utc,
)
from kinerja.simpan.wewenang import ADMIN, HANYA_MELIHAT, KABUPATEN, PIMPINAN, periksa_wewenang

DRAF, DIAJUKAN, DIVERIFIKASI, DISAHKAN, DIKEMBALIKAN = "draf", "diajukan", "diverifikasi", "disahkan", "dikembalikan"
STATUS = (DRAF, DIAJUKAN, DIVERIFIKASI, DISAHKAN, DIKEMBALIKAN)
TERKUNCI = frozenset({DIAJUKAN, DIVERIFIKASI, DISAHKAN})
LABEL = {DRAF: "Draf", DIAJUKAN: "Diajukan", DIVERIFIKASI: "Diverifikasi", DISAHKAN: "Disahkan",
         DIKEMBALIKAN: "Dikembalikan"}


@dataclass(frozen=True)
class Langkah:
    """One step of the workflow: from which statuses, to which, by whom, and whether it needs a note."""

    dari: frozenset[str]
    ke: str
    oleh: str  # pengisi | verifikator | pengesah | admin
    perlu_catatan: bool = False


LANGKAH: dict[str, Langkah] = {
    "ajukan": Langkah(frozenset({DRAF, DIKEMBALIKAN}), DIAJUKAN, "pengisi"),
    "verifikasi": Langkah(frozenset({DIAJUKAN}), DIVERIFIKASI, "verifikator"),
    "sahkan": Langkah(frozenset({DIVERIFIKASI}), DISAHKAN, "pengesah"),
    "kembalikan": Langkah(frozenset({DIAJUKAN, DIVERIFIKASI}), DIKEMBALIKAN, "pemeriksa", perlu_catatan=True),
    "buka": Langkah(frozenset({DIAJUKAN, DIVERIFIKASI, DISAHKAN}), DRAF, "admin", perlu_catatan=True),
}


def unit_verifikator(unit: Unit, units: Iterable[Unit]) -> Unit | None:
    """Return the unit whose pimpinan verify this unit's months (the admin's choice, or the default)."""
    by_id = {u.id: u for u in units}
    if unit.verifikator_unit_id in by_id:
        return by_id[unit.verifikator_unit_id]
    sekretariat = next((u for u in by_id.values() if u.jenis == "sekretariat"), None)
    if sekretariat is not None and unit.jenis not in ("sekretariat", "pimpinan"):
        return sekretariat
    return unit_pengesah(unit, by_id.values())


def unit_pengesah(unit: Unit, units: Iterable[Unit]) -> Unit | None:
    """Return the unit whose pimpinan approve this unit's months (the admin's choice, or the pimpinan unit)."""
    by_id = {u.id: u for u in units}
    if unit.pengesah_unit_id in by_id:
        return by_id[unit.pengesah_unit_id]
    return next((u for u in by_id.values() if u.jenis == "pimpinan"), None)


def status_of(session: Session, unit_id: int, tahun: int, bulan: int) -> StatusBulan | None:
    """Return the stored status row of a unit-month (None: still a draft nobody submitted)."""
    return session.exec(select(StatusBulan).where(
        StatusBulan.unit_id == unit_id, StatusBulan.tahun == tahun, StatusBulan.bulan == bulan)).first()


def _boleh(session: Session, pengguna: Pengguna | None, langkah: Langkah, unit: Unit, status: str) -> list[str]:
    """Return why this user may not take this step on this unit's month (empty: allowed)."""
    if pengguna is None:
        return []
    if langkah.oleh == "pengisi":
        return periksa_wewenang(session, pengguna, "isi_realisasi", instansi_id=unit.instansi_id, unit_ids=[unit.id])
    base = periksa_wewenang(session, pengguna, "lihat", instansi_id=unit.instansi_id)
    if base:
        return base
    now = session.get(Pengguna, pengguna.id)
    if now.peran == KABUPATEN:  # a pemda reads every office and writes in none
        return [HANYA_MELIHAT]
    units = session.exec(select(Unit).where(Unit.instansi_id == unit.instansi_id)).all()
    if langkah.oleh == "admin":
        return [] if now.peran == ADMIN else ["hanya admin yang dapat membuka kembali bulan yang terkunci"]
    tahap = langkah.oleh if langkah.oleh != "pemeriksa" else ("verifikator" if status == DIAJUKAN else "pengesah")
    pemeriksa = unit_verifikator(unit, units) if tahap == "verifikator" else unit_pengesah(unit, units)
    if now.peran != PIMPINAN or pemeriksa is None or now.unit_id != pemeriksa.id:
        siapa = pemeriksa.nama if pemeriksa else "pimpinan yang ditunjuk admin"
        kerja = "memverifikasi" if tahap == "verifikator" else "mengesahkan"
        return [f"hanya pimpinan {siapa} yang dapat {kerja} isian {unit.nama}"]
    return []


def ubah_status(
    engine: Engine, *, unit_id: int, tahun: int, bulan: int, aksi: str, catatan: str = "",
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> StatusBulan:
    """Take one workflow step on a unit's month (ajukan, verifikasi, sahkan, kembalikan, buka); record it."""
    langkah = LANGKAH.get(aksi)
    if langkah is None:
        raise ValidationError([f"langkah '{aksi}' tidak dikenal ({', '.join(LANGKAH)})"])
    problems = cek_teks(catatan, "catatan", 2000)
    if not 1 <= bulan <= 12:
        problems.append(f"bulan harus 1 sampai 12, bukan {bulan}")
    if langkah.perlu_catatan and not catatan.strip():
        problems.append("catatan harus diisi: " + ("sebutkan apa yang harus diperbaiki" if aksi == "kembalikan"
                                                    else "sebutkan alasan membuka kembali"))
    if problems:
        raise ValidationError(problems)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise ValidationError(["unit tidak ada"])
        row = session.exec(select(StatusBulan).where(
            StatusBulan.unit_id == unit_id, StatusBulan.tahun == tahun, StatusBulan.bulan == bulan,
        ).with_for_update()).first()
        before = row.status if row else DRAF
        if before not in langkah.dari:
            raise ValidationError([f"{unit.nama} {nama_bulan(bulan)} {tahun} berstatus {LABEL[before].lower()}; "
                                   f"langkah '{aksi}' tidak dapat dilakukan sekarang"])
        problems = _boleh(session, pengguna, langkah, unit, before)
        if problems:
            raise ValidationError(problems)
        if aksi == "ajukan":  # Sedang or below at a triwulan's end needs its analysis first (issue 10)
            from kinerja.simpan.analisis import analisis_kurang  # here: analisis imports this module

            problems = analisis_kurang(session, unit_id, tahun, bulan)
            if problems:
                raise ValidationError(problems)
        row = row or StatusBulan(instansi_id=unit.instansi_id, unit_id=unit_id, tahun=tahun, bulan=bulan)
        row.status, row.catatan, row.diubah_oleh, row.diubah_pada = langkah.ke, catatan.strip(), who, now_utc()
        session.add(row)
        catat_jejak(session, instansi_id=unit.instansi_id, oleh=who, tabel="status_bulan",
                    kunci=f"{tahun}/{bulan}/{unit.kode}", sebelum={"status": before},
                    sesudah={"status": langkah.ke}, alasan=catatan.strip())
        session.flush()
        return row


def batas_waktu(instansi: Instansi, tahun: int, bulan: int, khusus: date | None = None) -> date | None:
    """Return the last day a month's figures may be entered (None: no deadline set)."""
    if khusus is not None:
        return khusus
    if instansi.hari_batas_isian is None:
        return None
    tahun_berikut, bulan_berikut = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    hari = min(instansi.hari_batas_isian, calendar.monthrange(tahun_berikut, bulan_berikut)[1])
    return date(tahun_berikut, bulan_berikut, hari)


def _hari_ini(instansi: Instansi, sekarang: datetime) -> date:
    try:
        zona = ZoneInfo(instansi.zona_waktu)
    except (KeyError, ValueError):
        zona = UTC  # type: ignore[assignment]
    return sekarang.astimezone(zona).date()


def alasan_terkunci(
    session: Session, unit: Unit, tahun: int, bulan: int, sekarang: datetime | None = None
) -> str | None:
    """Say why a unit's month cannot be written now (submitted, verified, approved, or past its deadline)."""
    label = f"{unit.nama} {nama_bulan(bulan)} {tahun}" if 1 <= bulan <= 12 else unit.nama
    row = status_of(session, unit.id, tahun, bulan)
    if row is not None and row.status in TERKUNCI:
        return (f"{label} sudah {LABEL[row.status].lower()}, sehingga terkunci; minta admin membukanya kembali "
                "bila perlu diubah")
    if not 1 <= bulan <= 12:
        return None
    instansi = session.get(Instansi, unit.instansi_id)
    khusus = session.exec(select(BatasIsian.batas).where(
        BatasIsian.instansi_id == unit.instansi_id, BatasIsian.tahun == tahun, BatasIsian.bulan == bulan)).first()
    batas = batas_waktu(instansi, tahun, bulan, khusus)
    sekarang = sekarang or now_utc()
    if batas is None or _hari_ini(instansi, sekarang) <= batas:
        return None
    dibuka = session.exec(select(BukaIsian).where(
        BukaIsian.unit_id == unit.id, BukaIsian.tahun == tahun, BukaIsian.bulan == bulan,
        BukaIsian.sampai >= sekarang)).first()
    if dibuka is not None:
        return None
    return (f"batas waktu isian {label} ({batas:%d-%m-%Y}) sudah lewat; minta admin membukanya kembali untuk "
            "unit ini")


def _diganti(session: Session, instansi_id: int, tahun: int, bulan: int, kolom: str) -> dict[int, str]:
    """Return the rows (Target.indikator_id or Pagu.anggaran_id) a published PK revision dropped by `bulan`."""
    model = Target if kolom == "indikator_id" else Pagu
    versions = list(session.exec(select(Versi).where(
        Versi.instansi_id == instansi_id, Versi.tahun == tahun, Versi.status == "terbit").order_by(Versi.nomor)))
    in_force = [v for v in versions if v.berlaku_bulan <= bulan]
    if len(in_force) < 2:
        return {}
    listed = {v.id: set(session.exec(select(getattr(model, kolom)).where(model.versi_id == v.id)))
              for v in in_force}
    found: dict[int, str] = {}
    for before, after in zip(in_force, in_force[1:], strict=False):
        for dropped in listed[before.id] - listed[after.id]:
            found[dropped] = (f"diganti oleh {after.nama} yang berlaku sejak {nama_bulan(after.berlaku_bulan)}: "
                              "tidak ada lagi di perjanjian kinerja")
    return {i: why for i, why in found.items() if i not in listed[in_force[-1].id]}


def indikator_diganti(session: Session, instansi_id: int, tahun: int, bulan: int) -> dict[int, str]:
    """Return the indicators a PK revision in force at `bulan` dropped, with why their month cannot be written.

    A PK Perubahan may leave an indicator out from its berlaku_bulan on. Its months before that stay as
    reported under the earlier version; from then on the indicator is in no agreement, so nothing may
    be entered for it (the grids show it read-only, with this reason). Indikator id -> reason.
    """
    return _diganti(session, instansi_id, tahun, bulan, "indikator_id")


def anggaran_diganti(session: Session, instansi_id: int, tahun: int, bulan: int) -> dict[int, str]:
    """Return the budget nodes a PK revision in force at `bulan` dropped (no pagu any more), with the reason."""
    return _diganti(session, instansi_id, tahun, bulan, "anggaran_id")


def periksa_terkunci(
    session: Session, pasangan: Iterable[tuple[int, int]], tahun: int, sekarang: datetime | None = None
) -> list[str]:
    """Return why any of these (unit_id, bulan) pairs cannot be written now (empty: all may be)."""
    problems = []
    for unit_id, bulan in sorted(set(pasangan)):
        unit = session.get(Unit, unit_id)
        alasan = alasan_terkunci(session, unit, tahun, bulan, sekarang) if unit else None
        if alasan:
            problems.append(alasan)
    return problems


def buka_isian(
    engine: Engine, *, unit_id: int, tahun: int, bulan: int, hari: int, alasan: str,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> BukaIsian:
    """Open a closed month again for one unit for `hari` days, for a recorded reason (admin only)."""
    problems = cek_teks(alasan, "alasan", 2000)
    if not alasan.strip():
        problems.append("alasan membuka kembali harus diisi")
    if not 1 <= hari <= 60:
        problems.append("lama dibuka harus 1 sampai 60 hari")
    if problems:
        raise ValidationError(problems)
    who = pengguna.username if pengguna else oleh
    with write_session(engine) as session:
        unit = session.get(Unit, unit_id)
        if unit is None:
            raise ValidationError(["unit tidak ada"])
        problems = periksa_wewenang(session, pengguna, "atur_isian", instansi_id=unit.instansi_id)
        if problems:
            raise ValidationError(problems)
        sampai = now_utc() + timedelta(days=hari)
        row = BukaIsian(unit_id=unit_id, tahun=tahun, bulan=bulan, sampai=sampai, alasan=alasan.strip(), oleh=who)
        session.add(row)
        catat_jejak(session, instansi_id=unit.instansi_id, oleh=who, tabel="buka_isian",
                    kunci=f"{tahun}/{bulan}/{unit.kode}", sebelum=None, sesudah={"sampai": sampai},
                    alasan=alasan.strip())
        return row


@dataclass(frozen=True)
class Menunggu:
    """A unit-month waiting for this user's step, with how long it has waited."""

    unit: Unit
    tahun: int
    bulan: int
    status: str
    sejak: datetime
    aksi: str  # verifikasi | sahkan


def kotak_masuk(engine: Engine, pengguna: Pengguna) -> list[Menunggu]:
    """Return what waits for this user to verify or approve, oldest first."""
    with new_session(engine) as session:
        now = session.get(Pengguna, pengguna.id)
        if now is None or not now.aktif or now.peran != PIMPINAN or now.unit_id is None:
            return []
        units = session.exec(select(Unit).where(Unit.instansi_id == now.instansi_id)).all()
        waiting = session.exec(select(StatusBulan).where(
            StatusBulan.instansi_id == now.instansi_id, StatusBulan.status.in_([DIAJUKAN, DIVERIFIKASI])  # type: ignore[attr-defined]
        )).all()
        by_id = {u.id: u for u in units}
        found = []
        for row in waiting:
            unit = by_id[row.unit_id]
            pemeriksa = unit_verifikator(unit, units) if row.status == DIAJUKAN else unit_pengesah(unit, units)
            if pemeriksa is not None and pemeriksa.id == now.unit_id:
                aksi = "verifikasi" if row.status == DIAJUKAN else "sahkan"
                found.append(Menunggu(unit, row.tahun, row.bulan, row.status, row.diubah_pada, aksi))
        return sorted(found, key=lambda m: (m.sejak, m.unit.urutan))


def status_tahun(session: Session, instansi_id: int, tahun: int) -> dict[tuple[int, int], str]:
    """Return the status of every unit-month of a year that has left draf: (unit_id, bulan) -> status."""
    rows = session.exec(select(StatusBulan).where(StatusBulan.instansi_id == instansi_id,
                                                  StatusBulan.tahun == tahun)).all()
    return {(r.unit_id, r.bulan): r.status for r in rows}


