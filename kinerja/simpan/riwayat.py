"""Write the Renstra period, the Renstra targets per year, and the realisations of years before the app.

Every batch is validated whole and written whole or not at all (the admin's grids and the CSV
imports of `kinerja.dokumen.impor_riwayat` go through the same checks): numbers through
`parse_angka` (NILAI), a kode that this office has as an indicator in some year, a year within
bounds, a capaian of 0 to 1000. Authorised as `kelola_renstra` (admin only); every change leaves one
audit row. A history year must come before the first year that has a PK in the app, because the
years the app holds are read from the app itself.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, AngkaError, parse_angka
from kinerja.aturan.format import format_angka, format_sel
from kinerja.aturan.teks import cek_teks
from kinerja.errors import ValidationError
from kinerja.simpan.db import write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Indikator, Instansi, Pengguna, RiwayatRealisasi, TargetRenstra, Versi, now_utc
from kinerja.simpan.wewenang import pastikan_wewenang

TAHUN_MIN, TAHUN_MAKS = 2000, 2100
MAKS_PERIODE = 10  # years of one Renstra period (5, or 6 across a transition such as 2021-2026)
MAKS_CAPAIAN = Decimal(1000)
MAKS_SUMBER = 200


@dataclass(frozen=True)
class EntriTargetRenstra:
    """One Renstra target as typed or read from a file; an empty target removes the year's target."""

    kode: str
    tahun: object
    target: object
    lokasi: str = ""  # where it came from, e.g. "renstra.csv baris 3", for the messages


@dataclass(frozen=True)
class EntriRiwayat:
    """One earlier year's figures as typed or read from a file; no realisasi and no capaian removes the row."""

    kode: str
    tahun: object
    realisasi: object
    capaian: object
    sumber: str = ""
    lokasi: str = ""


def _who(pengguna: Pengguna | None, oleh: str) -> str:
    return pengguna.username if pengguna else oleh


def _where(lokasi: str, kode: str, tahun: object) -> str:
    return f"{lokasi}: " if lokasi else f"{kode} tahun {tahun}: "


def _tahun(value: object, where: str, problems: list[str]) -> int | None:
    if isinstance(value, bool):
        value = None
    try:
        number = parse_angka(value, NILAI)
    except AngkaError as e:
        problems.append(f"{where}tahun {e}")
        return None
    if number is None:
        problems.append(f"{where}tahun harus diisi")
        return None
    if number != number.to_integral_value() or not TAHUN_MIN <= number <= TAHUN_MAKS:
        problems.append(f"{where}tahun harus bilangan bulat {TAHUN_MIN}-{TAHUN_MAKS}, bukan {format_sel(number)}")
        return None
    return int(number)


def _angka(value: object, what: str, where: str, problems: list[str]) -> Decimal | None:
    try:
        return parse_angka(value, NILAI)
    except AngkaError as e:
        problems.append(f"{where}{what} {e}")
        return None


def _kode_dikenal(session: Session, instansi_id: int) -> set[str]:
    return set(session.exec(select(Indikator.kode).where(Indikator.instansi_id == instansi_id).distinct()))


def tahun_pk_pertama(session: Session, instansi_id: int) -> int | None:
    """Return the first year that has a PK in the app (drafts included), or None."""
    return session.exec(select(func.min(Versi.tahun)).where(Versi.instansi_id == instansi_id)).one()


def _cek_kode(kode: str, known: set[str], where: str, problems: list[str]) -> None:
    if not kode.strip():
        problems.append(f"{where}kode harus diisi")
    elif kode not in known:
        problems.append(f"{where}kode '{kode[:60]}' bukan indikator instansi ini pada tahun mana pun")


def _cek_ganda(keys: Sequence[tuple[str, int | None]], wheres: Sequence[str], problems: list[str]) -> None:
    seen: dict[tuple[str, int], str] = {}
    for key, where in zip(keys, wheres, strict=True):
        if key[1] is None:
            continue
        k = (key[0], key[1])
        if k in seen:
            problems.append(f"{where}{key[0]} tahun {key[1]} sudah ada di {seen[k].rstrip(': ')}")
        else:
            seen[k] = where


def _cek_periode(awal: int | None, akhir: int | None) -> list[str]:
    problems: list[str] = []
    if (awal is None) != (akhir is None):
        problems.append("tahun awal dan tahun akhir Renstra harus diisi keduanya, atau dikosongkan keduanya")
    elif awal is not None and akhir is not None:
        for label, value in (("tahun awal", awal), ("tahun akhir", akhir)):
            if isinstance(value, bool) or not TAHUN_MIN <= value <= TAHUN_MAKS:
                problems.append(f"{label} Renstra harus {TAHUN_MIN}-{TAHUN_MAKS}, bukan {value}")
        if not problems and not 0 < akhir - awal < MAKS_PERIODE:
            problems.append(f"periode Renstra {awal}-{akhir} tidak wajar: tahun akhir harus sesudah tahun awal, "
                            f"paling lama {MAKS_PERIODE} tahun")
    return problems


def _tulis_periode(session: Session, office: Instansi, awal: int | None, akhir: int | None, who: str) -> bool:
    before = {"renstra_awal": office.renstra_awal, "renstra_akhir": office.renstra_akhir}
    after = {"renstra_awal": awal, "renstra_akhir": akhir}
    if before == after:
        return False
    catat_jejak(session, instansi_id=office.id, oleh=who, tabel="instansi", kunci="periode_renstra",
                sebelum=before, sesudah=after)
    office.renstra_awal, office.renstra_akhir = awal, akhir
    session.add(office)
    return True


def simpan_periode_renstra(
    engine: Engine, *, instansi_id: int, awal: int | None, akhir: int | None,
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> bool:
    """Set the first and last year of the Renstra period (both None: no period); return whether it changed."""
    problems = _cek_periode(awal, akhir)
    if problems:
        raise ValidationError(problems)
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_renstra", instansi_id=instansi_id)
        office = session.exec(select(Instansi).where(Instansi.id == instansi_id).with_for_update()).one()
        return _tulis_periode(session, office, awal, akhir, _who(pengguna, oleh))


def simpan_target_renstra(
    engine: Engine, *, instansi_id: int, entries: Sequence[EntriTargetRenstra],
    periode: tuple[int, int] | None = None, pengguna: Pengguna | None = None, oleh: str = "cli",
) -> int:
    """Save Renstra targets per kode and year (an empty target removes one); return how many changed.

    With `periode` (awal, akhir) the Renstra period is set in the same transaction, before the years are checked.
    """
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_renstra", instansi_id=instansi_id)
        office = session.exec(select(Instansi).where(Instansi.id == instansi_id).with_for_update()).one()
        problems = _cek_periode(*periode) if periode else []
        if problems:
            raise ValidationError(problems)
        if periode:
            _tulis_periode(session, office, periode[0], periode[1], _who(pengguna, oleh))
        known = _kode_dikenal(session, instansi_id)
        parsed: list[tuple[str, int | None, Decimal | None]] = []
        wheres = []
        for e in entries:
            where = _where(e.lokasi, e.kode, e.tahun)
            _cek_kode(e.kode, known, where, problems)
            tahun = _tahun(e.tahun, where, problems)
            awal, akhir = office.renstra_awal, office.renstra_akhir
            if tahun is not None and awal is not None and akhir is not None and not awal <= tahun <= akhir:
                problems.append(f"{where}tahun {tahun} di luar periode Renstra {awal}-{akhir}")
            parsed.append((e.kode, tahun, _angka(e.target, "target", where, problems)))
            wheres.append(where)
        _cek_ganda([(k, t) for k, t, _ in parsed], wheres, problems)
        if problems:
            raise ValidationError(problems)
        existing = {(r.kode, r.tahun): r for r in session.exec(select(TargetRenstra).where(
            TargetRenstra.instansi_id == instansi_id).with_for_update())}
        changed = 0
        for kode, tahun, target in parsed:
            assert tahun is not None
            row = existing.get((kode, tahun))
            old = row.target if row else None
            if old == target:  # Decimal equality is by value: 71.6000 == 71.6
                continue
            if target is None:
                session.delete(row)
            else:
                row = row or TargetRenstra(instansi_id=instansi_id, kode=kode, tahun=tahun, target=target)
                row.target = target
                session.add(row)
            catat_jejak(session, instansi_id=instansi_id, oleh=_who(pengguna, oleh), tabel="target_renstra",
                        kunci=f"{kode}/{tahun}", sebelum={"target": old} if old is not None else None,
                        sesudah={"target": target} if target is not None else None)
            changed += 1
        return changed


def _riwayat_dict(r: RiwayatRealisasi) -> dict[str, object]:
    return {"realisasi": r.realisasi, "capaian": r.capaian, "sumber": r.sumber}


def simpan_riwayat(
    engine: Engine, *, instansi_id: int, entries: Sequence[EntriRiwayat],
    pengguna: Pengguna | None = None, oleh: str = "cli",
) -> int:
    """Save earlier years' realisasi / capaian / sumber per kode and year; return how many rows changed."""
    with write_session(engine) as session:
        pastikan_wewenang(session, pengguna, "kelola_renstra", instansi_id=instansi_id)
        known = _kode_dikenal(session, instansi_id)
        first = tahun_pk_pertama(session, instansi_id)
        problems: list[str] = []
        parsed: list[tuple[str, int | None, Decimal | None, Decimal | None, str]] = []
        wheres = []
        for e in entries:
            where = _where(e.lokasi, e.kode, e.tahun)
            _cek_kode(e.kode, known, where, problems)
            tahun = _tahun(e.tahun, where, problems)
            if tahun is not None and first is not None and tahun >= first:
                problems.append(f"{where}tahun {tahun} sudah ada di aplikasi (perjanjian kinerja sejak {first}); "
                                f"riwayat hanya untuk tahun sebelum {first}")
            realisasi = _angka(e.realisasi, "realisasi", where, problems)
            capaian = _angka(e.capaian, "capaian", where, problems)
            if capaian is not None and capaian > MAKS_CAPAIAN:
                problems.append(f"{where}capaian harus 0-{format_angka(MAKS_CAPAIAN)} %, "
                                f"bukan {format_angka(capaian)}")
            sumber = (e.sumber or "").strip()
            problems += [where + p for p in cek_teks(sumber, "sumber", MAKS_SUMBER)]
            parsed.append((e.kode, tahun, realisasi, capaian, sumber))
            wheres.append(where)
        _cek_ganda([(p[0], p[1]) for p in parsed], wheres, problems)
        if problems:
            raise ValidationError(problems)
        existing = {(r.kode, r.tahun): r for r in session.exec(select(RiwayatRealisasi).where(
            RiwayatRealisasi.instansi_id == instansi_id).with_for_update())}
        who = _who(pengguna, oleh)
        changed = 0
        for kode, tahun, realisasi, capaian, sumber in parsed:
            assert tahun is not None
            row = existing.get((kode, tahun))
            before = _riwayat_dict(row) if row else None
            after = None if realisasi is None and capaian is None else \
                {"realisasi": realisasi, "capaian": capaian, "sumber": sumber}
            if _sama(before, after):
                continue
            if after is None:
                session.delete(row)
            else:
                row = row or RiwayatRealisasi(instansi_id=instansi_id, kode=kode, tahun=tahun)
                row.realisasi, row.capaian, row.sumber = realisasi, capaian, sumber
                row.diisi_oleh, row.diubah_pada = who, now_utc()
                session.add(row)
            catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="riwayat_realisasi",
                        kunci=f"{kode}/{tahun}", sebelum=before, sesudah=after)
            changed += 1
        return changed


def _sama(before: dict[str, object] | None, after: dict[str, object] | None) -> bool:
    if before is None or after is None:
        return before is after
    for key, old in before.items():
        new = after[key]
        if isinstance(old, Decimal) and isinstance(new, Decimal):
            if old.compare(new) != 0:
                return False
        elif old != new:
            return False
    return True
