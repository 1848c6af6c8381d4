"""The analysis of each indicator per triwulan: the unit's four fields and the pimpinan's recommendation.

The unit (its operator, or the admin) writes faktor pendorong, faktor penghambat, upaya / solusi
and rencana tindak lanjut; the pimpinan (or the admin) writes the rekomendasi pimpinan. The unit's
fields of a triwulan lock with the triwulan's last month (3, 6, 9, 12) of that unit: once it is
submitted, verified or approved (or past its deadline), like the month's figures; the
recommendation stays writable. Every write is checked against the `versi` the writer read, like a
month's realisasi, and leaves one audit row per analysis ("2025/IK-6.1.1/TW2").
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from kinerja.aturan.capaian import ROMAWI, TRIWULAN, bulan_akhir, compute_periode
from kinerja.aturan.format import format_persen
from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Analisis, Indikator, Instansi, Pengguna, Unit, now_utc
from kinerja.simpan.queries import NotFound, load_data_tahun
from kinerja.simpan.realisasi import EntriRealisasi, SudahBerubah, write_realisasi  # SudahBerubah: screens reload
from kinerja.simpan.verifikasi import periksa_terkunci, unit_pengesah, unit_verifikator
from kinerja.simpan.wewenang import periksa_wewenang

KOLOM_UNIT = ("faktor_pendorong", "faktor_penghambat", "upaya", "rencana_tindak_lanjut")
KOLOM_PIMPINAN = "rekomendasi_pimpinan"
KOLOM = (*KOLOM_UNIT, KOLOM_PIMPINAN)
LABEL_KOLOM = {
    "faktor_pendorong": "Faktor pendorong", "faktor_penghambat": "Faktor penghambat",
    "upaya": "Upaya / solusi", "rencana_tindak_lanjut": "Rencana tindak lanjut",
    "rekomendasi_pimpinan": "Rekomendasi pimpinan",
}
MAKS_ISI = 2000
# Sedang or below (capaian s.d. TW < 76) asks for these before the triwulan's last month is submitted.
KATEGORI_WAJIB = frozenset({"Sedang", "Rendah", "Sangat Rendah"})
WAJIB = ("faktor_penghambat", "rencana_tindak_lanjut")


@dataclass(frozen=True)
class EntriAnalisis:
    """The fields of one indicator's analysis as typed; None leaves a field as stored."""

    kode: str
    faktor_pendorong: str | None = None
    faktor_penghambat: str | None = None
    upaya: str | None = None
    rencana_tindak_lanjut: str | None = None
    rekomendasi_pimpinan: str | None = None
    lokasi: str = ""  # where the entry came from ("baris 3"), for messages
    versi: int | None = None  # the stored versi this entry was typed over (0: none stored); None: do not check

    def isian(self) -> dict[str, str]:
        """Return the fields this entry writes, stripped."""
        return {k: getattr(self, k).strip() for k in KOLOM if getattr(self, k) is not None}


def load_analisis(session: Session, instansi_id: int, tahun: int, triwulan: int) -> dict[str, Analisis]:
    """Return the stored analyses of a triwulan by indicator kode (indicators without one are absent)."""
    rows = session.exec(
        select(Indikator.kode, Analisis).join(Analisis, Analisis.indikator_id == Indikator.id)
        .where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun, Analisis.triwulan == triwulan)
    ).all()
    return {kode: a for kode, a in rows}


def _isi(a: Analisis | None) -> dict[str, str]:
    return {k: (getattr(a, k) if a else "") for k in KOLOM}


def _where(e: EntriAnalisis, ind: Indikator | None, triwulan: int) -> str:
    name = f"{e.kode} {ind.nama}" if ind else e.kode
    text = f"{name} (triwulan {ROMAWI.get(triwulan, triwulan)})"
    return f"{e.lokasi}: {text}" if e.lokasi else text


def save_analisis(
    engine: Engine, *, instansi_id: int, tahun: int, triwulan: int, entries: Sequence[EntriAnalisis],
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> int:
    """Validate a batch of analyses and save all of it, or raise ValidationError; return the analyses changed."""
    with write_session(engine) as session:
        return write_analisis(session, instansi_id=instansi_id, tahun=tahun, triwulan=triwulan, entries=entries,
                              pengguna=pengguna, oleh=oleh)


def save_templat(
    engine: Engine, *, instansi_id: int, tahun: int, realisasi: Sequence[EntriRealisasi],
    analisis: Mapping[int, Sequence[EntriAnalisis]], pengguna: Pengguna | None = None, oleh: str = "cli",
    yakin: bool = False,
) -> tuple[int, int]:
    """Save a filled Excel template: its months and its analyses, all of it or nothing; return how many of each."""
    with write_session(engine) as session:
        months = write_realisasi(session, instansi_id=instansi_id, tahun=tahun, entries=realisasi,
                                 pengguna=pengguna, oleh=oleh, yakin=yakin) if realisasi else 0
        written = sum(write_analisis(session, instansi_id=instansi_id, tahun=tahun, triwulan=tw, entries=entries,
                                     pengguna=pengguna, oleh=oleh) for tw, entries in sorted(analisis.items()))
        return months, written


def write_analisis(
    session: Session, *, instansi_id: int, tahun: int, triwulan: int, entries: Sequence[EntriAnalisis],
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> int:
    """Write a batch of analyses inside the caller's write session (see `save_analisis`)."""
    if triwulan not in TRIWULAN:
        raise ValidationError([f"triwulan harus 1 sampai 4, bukan {triwulan}"])
    indikator = {i.kode: i for i in session.exec(
        select(Indikator).where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun))}
    problems = []
    seen: set[str] = set()
    for e in entries:
        ind = indikator.get(e.kode)
        if ind is None:
            problems.append(f"{e.lokasi + ': ' if e.lokasi else ''}kode indikator '{str(e.kode)[:60]}' tidak dikenal "
                            f"di tahun {tahun}")
            continue
        if e.kode in seen:
            problems.append(f"{_where(e, ind, triwulan)}: indikator ini muncul dua kali")
        seen.add(e.kode)
        problems += [f"{_where(e, ind, triwulan)}: {p}" for k, v in e.isian().items()
                     for p in cek_teks(v, LABEL_KOLOM[k].lower(), MAKS_ISI)]
    if problems:
        raise ValidationError(problems)
    ids = sorted(indikator[e.kode].id for e in entries)
    session.exec(select(Indikator.id).where(Indikator.id.in_(ids)).order_by(Indikator.id).with_for_update()).all()  # type: ignore[union-attr]
    stored = {a.indikator_id: a for a in session.exec(select(Analisis).where(
        Analisis.indikator_id.in_(ids), Analisis.triwulan == triwulan))}  # type: ignore[union-attr]
    # Only fields that change are writes: a grid sending back a field as shown asks for no permission.
    changes = []
    for e in entries:
        ind = indikator[e.kode]
        old = _isi(stored.get(ind.id))
        berubah = {k: v for k, v in e.isian().items() if v != old[k]}
        if berubah:
            changes.append((e, ind, berubah))
    unit_ids = {ind.unit_id for _, ind, b in changes if set(b) & set(KOLOM_UNIT)}
    if unit_ids:
        problems += periksa_wewenang(session, pengguna, "isi_analisis", instansi_id=instansi_id, unit_ids=unit_ids)
    rekomendasi = {ind.unit_id for _, ind, b in changes if KOLOM_PIMPINAN in b}
    if rekomendasi:
        problems += periksa_wewenang(session, pengguna, "beri_rekomendasi", instansi_id=instansi_id)
        problems += _bukan_atasan(session, pengguna, instansi_id, rekomendasi)
    if not problems and unit_ids:
        problems = periksa_terkunci(session, {(u, bulan_akhir(triwulan)) for u in unit_ids}, tahun)
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    conflicts = []
    for e, ind, _ in changes:
        old_row = stored.get(ind.id)
        if e.versi is not None and (old_row.versi if old_row else 0) != e.versi:
            who = old_row.diisi_oleh if old_row else "pengguna lain"
            conflicts.append(f"analisis {_where(e, ind, triwulan)} sudah diubah oleh {who} setelah Anda membuka "
                             "halaman; periksa lalu simpan lagi")
    if conflicts:
        raise SudahBerubah(conflicts)
    who = pengguna.username if pengguna else oleh
    for e, ind, berubah in changes:
        row = stored.get(ind.id)
        before = _isi(row) if row else None
        if row is None:
            row = Analisis(indikator_id=ind.id, triwulan=triwulan, versi=0)
        for k, v in berubah.items():
            setattr(row, k, v)
        row.diisi_oleh, row.diubah_pada, row.versi = who, now_utc(), row.versi + 1
        session.add(row)
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="analisis",
                    kunci=f"{tahun}/{e.kode}/TW{triwulan}", sebelum=before, sesudah=_isi(row))
    session.flush()
    return len(changes)


def _bukan_atasan(session: Session, pengguna: Pengguna | None, instansi_id: int, unit_ids: set[int]) -> list[str]:
    """A pimpinan recommends only to the units they verify or approve (the admin and the system to any unit)."""
    now = session.get(Pengguna, pengguna.id) if pengguna is not None else None
    if now is None or now.peran != "pimpinan":
        return []
    units = session.exec(select(Unit).where(Unit.instansi_id == instansi_id)).all()
    by_id = {u.id: u for u in units}
    problems = []
    for unit_id in sorted(unit_ids):
        unit = by_id[unit_id]
        atasan = {u.id for u in (unit_verifikator(unit, units), unit_pengesah(unit, units)) if u is not None}
        if now.unit_id not in atasan:
            problems.append(f"rekomendasi untuk {unit.nama} hanya dapat diberikan oleh pimpinan yang memverifikasi "
                            "atau mengesahkan isiannya")
    return problems


def analisis_kurang(session: Session, unit_id: int, tahun: int, bulan: int) -> list[str]:
    """Return why a unit's month may not be submitted yet: indicators at Sedang or below lacking their analysis.

    Only the last month of a triwulan (3, 6, 9, 12) asks for it: every indicator the unit owns whose
    capaian s.d. that triwulan is Sedang or below needs its faktor penghambat and rencana tindak lanjut.
    """
    if bulan not in (3, 6, 9, 12):
        return []
    unit = session.get(Unit, unit_id)
    instansi = session.get(Instansi, unit.instansi_id) if unit else None
    if instansi is None:
        return []
    try:
        data_tahun = load_data_tahun(session, instansi, tahun, bulan)
    except NotFound:
        return []
    triwulan = bulan // 3
    hasil = compute_periode(data_tahun.data, triwulan)
    stored = load_analisis(session, instansi.id, tahun, triwulan)
    problems, seen = [], set()
    for b in data_tahun.baris:
        ind = b.indikator
        if ind.unit_id != unit_id or ind.kode in seen:
            continue
        seen.add(ind.kode)
        h = hasil[ind.kode]
        if h.kategori not in KATEGORI_WAJIB:
            continue
        isi = _isi(stored.get(ind.kode))
        kosong = [LABEL_KOLOM[k].lower() for k in WAJIB if not isi[k].strip()]
        if kosong:
            problems.append(
                f"{ind.kode} {ind.nama}: capaian s.d. triwulan {ROMAWI[triwulan]} {format_persen(h.capaian_sd_tw)} "
                f"({h.kategori}); isi {' dan '.join(kosong)} di halaman Analisis triwulan sebelum mengajukan")
    return problems
