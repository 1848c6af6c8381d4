"""Validate and save monthly realisations (indicators and budget): all of a batch or nothing.

Used by the CSV and XLSX imports, the operator's grid, the IKM/AKIP pages and the demo alike, so
every entry path checks the same rules (kinerja.aturan.angka bounds, kinerja.aturan.batas plausibility,
kinerja.simpan.wewenang authorisation) and writes the same audit trail (kinerja.simpan.jejak).

Every stored month carries a `versi`, 1 when first inserted and one more at every change; a month
emptied and entered again carries on from where it was (never back to 1). A grid
remembers the versi of each row it showed; its entries carry that versi, and a batch in which
any month was changed by someone else since then is refused whole (`SudahBerubah`), naming who
changed it and to what. Entries without a versi (the CLI, the Excel template) replace what is
stored, as a file that says "this is the month" should.

A save costs the same few statements whatever its size: the checks, one locked read of the
months stored, then one delete of the emptied months, one batched upsert and one batched insert
of the audit rows, all through the caller's write session.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, Table, delete, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, RUPIAH, AngkaError, Jenis, cek_angka
from kinerja.aturan.batas import batas_wajar, melebihi
from kinerja.aturan.format import format_angka, format_rupiah, nama_bulan
from kinerja.aturan.teks import cek_teks
from kinerja.errors import PerluKonfirmasi, ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import Perubahan, catat_jejak_banyak
from kinerja.simpan.models import (
    Anggaran,
    Indikator,
    Instansi,
    Jejak,
    Pengguna,
    Realisasi,
    RealisasiAnggaran,
    Target,
    Unit,
    now_utc,
)
from kinerja.simpan.queries import NotFound, list_anggaran, versi_berlaku
from kinerja.simpan.verifikasi import anggaran_diganti, indikator_diganti, periksa_terkunci
from kinerja.simpan.wewenang import periksa_wewenang

# Satuan whose values are not counts: they may have decimals.
NON_COUNT = {"%", "nilai", "persen", "indeks"}
MAKS_BARIS = 20_000  # one batch: a year of every indicator of a large office is far below this


@dataclass(frozen=True)
class EntriRealisasi:
    """One indicator-month as entered. All values None with `hapus` removes the month."""

    kode: str
    bulan: int
    nilai: Decimal | None = None
    pembilang: Decimal | None = None
    penyebut: Decimal | None = None
    keterangan: str = ""
    lokasi: str = ""  # where the entry came from ("baris 3", "sel C5"), for messages
    hapus: bool = False
    versi: int | None = None  # the stored versi this entry was typed over (0: none stored); None: do not check


@dataclass(frozen=True)
class EntriAnggaran:
    """Rupiah spent on one sub-kegiatan in one month."""

    kode: str
    bulan: int
    realisasi: int | Decimal | None
    keterangan: str = ""
    lokasi: str = ""
    hapus: bool = False
    versi: int | None = None  # as EntriRealisasi.versi


class SudahBerubah(ValidationError):
    """Someone else saved one of these months after the user loaded them; nothing of the batch was written."""


def is_count(satuan: str) -> bool:
    """Tell whether a satuan counts things (Dokumen, Laporan, Orang...), so whole numbers only."""
    return satuan.strip().lower() not in NON_COUNT


def jenis_angka(ind: Indikator) -> Jenis:
    """Return the kind of number an indicator's month takes: whole for counts, 4 decimals otherwise."""
    if is_count(ind.satuan):
        return Jenis(f"bilangan bulat ({ind.satuan})", bulat=True, digit=NILAI.digit, desimal=0)
    return NILAI


def _prefix(lokasi: str, label: str) -> str:
    return f"{lokasi}: {label}" if lokasi else label


def _bulan_label(bulan: object) -> str:
    return nama_bulan(bulan) if isinstance(bulan, int) and 1 <= bulan <= 12 else f"bulan {bulan}"


def _bulan_sah(bulan: object) -> bool:
    return isinstance(bulan, int) and not isinstance(bulan, bool) and 1 <= bulan <= 12


def check_entri(entri: EntriRealisasi, ind: Indikator | None, *, khusus: bool = False) -> list[str]:
    """Return the problems of one indicator entry (empty when it may be saved).

    `khusus` is set only by the IKM and AKIP pages, which compute those scores themselves.
    """
    if ind is None:
        return [_prefix(entri.lokasi, f"kode indikator '{str(entri.kode)[:60]}' tidak dikenal")]
    where = _prefix(entri.lokasi, f"{ind.kode} {ind.nama} ({_bulan_label(entri.bulan)})")
    problems: list[str] = []
    if not _bulan_sah(entri.bulan):
        problems.append(f"{where}: bulan harus 1 sampai 12, bukan {str(entri.bulan)[:20]}")
    if ind.sumber != "input":
        kind = "turunan (dihitung dari indikator di bawahnya)" if ind.sumber == "turunan" else "penyerapan anggaran"
        return problems + [f"{where}: indikator {kind} dihitung otomatis, tidak diisi"]
    if ind.nilai_khusus and not khusus:
        return problems + [f"{where}: nilai {ind.nilai_khusus.upper()} diisi dari halaman {ind.nilai_khusus.upper()}, "
                           "tidak diisi di sini"]
    problems += [f"{where}: {p}" for p in cek_teks(entri.keterangan, "keterangan")]
    if entri.hapus:
        return problems
    values = {"pembilang": entri.pembilang, "penyebut": entri.penyebut} if ind.jenis == "rasio" else \
        {"nilai": entri.nilai}
    if all(v is None for v in (entri.nilai, entri.pembilang, entri.penyebut)) and entri.keterangan:
        return problems + [f"{where}: keterangan diisi tanpa nilai; isi nilainya, atau kosongkan keterangannya"]
    if ind.jenis == "rasio":
        if entri.nilai is not None:
            problems.append(f"{where}: indikator rasio diisi pembilang dan penyebut, bukan nilai")
        if entri.pembilang is None or entri.penyebut is None:
            problems.append(f"{where}: pembilang dan penyebut harus diisi keduanya")
    else:
        if entri.pembilang is not None or entri.penyebut is not None:
            problems.append(f"{where}: indikator ini diisi nilai, bukan pembilang/penyebut")
        if entri.nilai is None:
            problems.append(f"{where}: nilai harus diisi")
    jenis = jenis_angka(ind)
    sah: dict[str, Decimal] = {}
    for name, value in values.items():
        if value is None:
            continue
        try:
            sah[name] = cek_angka(value, jenis)
        except AngkaError as e:
            problems.append(f"{where}: {name} {e}")
    if ind.nilai_khusus and "nilai" in sah and sah["nilai"] > 100:
        problems.append(f"{where}: nilai paling tinggi 100, bukan {format_angka(sah['nilai'])}")
    if "pembilang" in sah and "penyebut" in sah and sah["pembilang"] > sah["penyebut"]:
        problems.append(
            f"{where}: pembilang ({format_angka(sah['pembilang'])}) lebih besar dari penyebut "
            f"({format_angka(sah['penyebut'])}); capaian persentase tidak dapat melebihi 100 %"
        )
    return problems


def peringatan_entri(entri: EntriRealisasi, ind: Indikator, target: Decimal | None) -> list[str]:
    """Return why an otherwise valid entry needs the user's confirmation (empty when plausible)."""
    batas = batas_wajar(ind.satuan, ind.agregasi, ind.jenis, target, ind.batas_wajar)
    if entri.hapus or not melebihi(entri.nilai, batas):
        return []
    where = _prefix(entri.lokasi, f"{ind.kode} {ind.nama} ({_bulan_label(entri.bulan)})")
    return [f"{where}: {format_angka(entri.nilai)} {ind.satuan}: {batas.alasan}"]


def _duplicates(keys: Sequence[tuple[str, int]], lokasi: Sequence[str]) -> list[str]:
    seen: dict[tuple[str, int], str] = {}
    problems = []
    for key, where in zip(keys, lokasi, strict=True):
        if key in seen:
            problems.append(_prefix(where, f"{key[0]} bulan {key[1]} sudah ada di {seen[key] or 'baris lain'}"))
        else:
            seen[key] = where
    return problems


@dataclass(frozen=True)
class _Tabel:
    """How one kind of month is stored and audited: an indicator's realisasi or a sub-kegiatan's Rupiah."""

    nama: str  # the audit trail's name of the table
    model: type[Realisasi] | type[RealisasiAnggaran]
    induk: type[Indikator] | type[Anggaran]
    kolom: str  # the stored month's column naming its indicator or budget line
    nilai: Callable[[Any], dict[str, Any]]  # the audited values of a stored month, or those an entry writes
    teks: Callable[[Any], str]  # a stored month in words, for SudahBerubah


def _nilai_realisasi(r: Realisasi | EntriRealisasi) -> dict[str, Any]:
    return {"nilai": r.nilai, "pembilang": r.pembilang, "penyebut": r.penyebut, "keterangan": r.keterangan}


def _nilai_teks(r: Realisasi) -> str:
    if r.pembilang is not None or r.penyebut is not None:
        text = f"pembilang {format_angka(r.pembilang, 0, 4)} dan penyebut {format_angka(r.penyebut, 0, 4)}"
    else:
        text = format_angka(r.nilai, 0, 4) or "kosong"
    return text + _keterangan_teks(r.keterangan)


def _keterangan_teks(keterangan: str) -> str:
    return f" (keterangan: {keterangan[:80]})" if keterangan else ""


REALISASI = _Tabel("realisasi", Realisasi, Indikator, "indikator_id", _nilai_realisasi, _nilai_teks)
ANGGARAN = _Tabel(
    "realisasi_anggaran", RealisasiAnggaran, Anggaran, "anggaran_id",
    lambda r: {"realisasi": int(r.realisasi or 0), "keterangan": r.keterangan},  # an entry's None: refused before
    lambda r: format_rupiah(r.realisasi) + _keterangan_teks(r.keterangan),
)

# (indicator or budget line id, bulan) -> the month stored
Tersimpan = dict[tuple[int, int], Any]


def _muat(session: Session, tabel: _Tabel, instansi_id: int, ids: Iterable[int], *, kunci: bool) -> Tersimpan:
    """Return the months stored for these indicators (budget lines), refusing any that is not this office's.

    With `kunci` their rows are locked first, in id order, so that two batches on the same rows wait
    for each other instead of deadlocking, and the old value each audit row records is the one this
    write replaces; on PostgreSQL two concurrent budget batches would otherwise both pass the pagu
    check. SQLite needs no lock: write_session already holds the database's write lock. The months
    are read by a statement of their own, after the lock: under PostgreSQL's read committed it then
    sees what the batch it waited for committed.
    """
    induk, model, ids = tabel.induk, tabel.model, set(ids)
    query = select(induk.id).where(induk.id.in_(sorted(ids)), induk.instansi_id == instansi_id)  # type: ignore[union-attr]
    mine = set(session.exec(query.order_by(induk.id).with_for_update() if kunci else query).all())
    if ids - mine:  # never by the lookups, which are by this office's kodes: nothing is written into another office
        raise ValidationError([f"{induk.__tablename__} yang diisi bukan milik instansi ini; tidak ada yang disimpan"])
    kolom = getattr(model, tabel.kolom)
    return {(getattr(r, tabel.kolom), r.bulan): r for r in session.exec(select(model).where(kolom.in_(sorted(mine))))}


def _upsert(session: Session, table: Table, keys: tuple[str, str], columns: Iterable[str]) -> Any:
    """Return the statement that inserts a month or, when its key is stored, replaces it and adds one to its
    versi; atomic on SQLite and PostgreSQL, executed once for a whole list of months."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={**{k: stmt.excluded[k] for k in columns if k not in (*keys, "versi")}, "versi": table.c.versi + 1},
    )


def _versi_baru(session: Session, instansi_id: int, tabel: str, kunci: Iterable[str]) -> dict[str, int]:
    """Return the versi each month starts at when its row is inserted: one more than the writes it had before.

    A month that was emptied (its row deleted) and is entered again must not start at 1 again: a grid
    loaded before the emptying still holds versi 1 and would overwrite the new value unnoticed. Every
    write of a month leaves one audit row (an insert, each change, the emptying), so their count is at
    least the versi the deleted row last had. A month never written starts at 1.
    """
    kunci = sorted(set(kunci))
    counts: dict[str, int] = {}
    for start in range(0, len(kunci), 500):
        counts |= dict(session.exec(
            select(Jejak.kunci, func.count()).where(
                Jejak.instansi_id == instansi_id, Jejak.tabel == tabel,
                Jejak.kunci.in_(kunci[start:start + 500]))  # type: ignore[attr-defined]
            .group_by(Jejak.kunci)).all())
    return {k: counts.get(k, 0) + 1 for k in kunci}


def _sama(tabel: _Tabel, old: Any, e: EntriRealisasi | EntriAnggaran) -> bool:
    """Tell whether a month already holds what the entry would write (then nobody's work is lost)."""
    if old is None:
        return e.hapus
    return not e.hapus and tabel.nilai(old) == tabel.nilai(e)


def _cek_versi(session: Session, tabel: _Tabel, instansi_id: int, tahun: int,
               entries: Sequence[EntriRealisasi] | Sequence[EntriAnggaran], stored: Callable[[Any], Any]) -> None:
    """Refuse the batch (SudahBerubah) when a month was changed by someone else since its versi was read.

    `stored(e)` is the row the entry would replace (None: none), read under the write lock; a month
    that already holds what the entry writes is no conflict, since nobody's work would be lost.
    """
    problems = []
    for e in entries:
        old = stored(e)
        if e.versi is None or (old.versi if old else 0) == e.versi or _sama(tabel, old, e):
            continue
        label = f"{e.kode} {_bulan_label(e.bulan)}"
        if old is not None:
            kini = f"diubah oleh {old.diisi_oleh} menjadi {tabel.teks(old)}"
        else:  # emptied since: the audit trail knows by whom
            who = session.exec(select(Jejak.pengguna).where(
                Jejak.instansi_id == instansi_id, Jejak.tabel == tabel.nama,
                Jejak.kunci == f"{tahun}/{e.kode}/{e.bulan}",
            ).order_by(Jejak.id.desc())).first()  # type: ignore[union-attr]
            kini = f"dikosongkan oleh {who or 'pengguna lain'}"
        problems.append(f"{label} sudah {kini} setelah Anda membuka halaman; periksa lalu simpan lagi")
    if problems:
        raise SudahBerubah(problems)


def _tulis(session: Session, tabel: _Tabel, *, instansi_id: int, tahun: int,
           entries: Sequence[EntriRealisasi] | Sequence[EntriAnggaran], induk_id: Callable[[Any], int],
           stored: Tersimpan, who: str) -> int:
    """Write a checked batch and its audit rows; return the months written.

    An emptied month is deleted, a changed or new one upserted, an unchanged one left alone. Each
    kind of write is one statement for the whole batch, and the audit rows one more, in entry order.
    """
    baru = _versi_baru(session, instansi_id, tabel.nama, [
        f"{tahun}/{e.kode}/{e.bulan}" for e in entries if not e.hapus and (induk_id(e), e.bulan) not in stored])
    now = now_utc()
    removed: list[int] = []
    months: list[dict[str, Any]] = []
    changes: list[Perubahan] = []
    for e in entries:
        old = stored.get((induk_id(e), e.bulan))
        before = tabel.nilai(old) if old is not None else None
        kunci = f"{tahun}/{e.kode}/{e.bulan}"
        if e.hapus:
            if old is not None:
                removed.append(old.id)
                changes.append(Perubahan(kunci, before, None))
            continue
        after = tabel.nilai(e)
        if before == after:
            continue
        months.append({tabel.kolom: induk_id(e), "bulan": e.bulan, **after, "diisi_oleh": who, "diubah_pada": now,
                       "versi": baru.get(kunci, 1)})
        changes.append(Perubahan(kunci, before, after))
    table = tabel.model.__table__  # type: ignore[attr-defined]
    if removed:
        session.execute(delete(table).where(table.c.id.in_(removed)))
    if months:
        session.execute(_upsert(session, table, (tabel.kolom, "bulan"), months[0]), months)
    return catat_jejak_banyak(session, instansi_id=instansi_id, oleh=who, tabel=tabel.nama, perubahan=changes)


def _label(pengguna: Pengguna | None, oleh: str) -> str:
    return pengguna.username if pengguna else oleh


def _targets(session: Session, instansi_id: int, tahun: int, ids: set[int], months: set[int]
             ) -> dict[tuple[int, int], Decimal]:
    """Return the annual target of each indicator in the version in force in each month."""
    found: dict[tuple[int, int], Decimal] = {}
    for bulan in months:
        try:
            versi = versi_berlaku(session, instansi_id, tahun, bulan)
        except NotFound:
            continue
        rows = session.exec(select(Target).where(Target.versi_id == versi.id,
                                                 Target.indikator_id.in_(ids)))  # type: ignore[union-attr]
        found |= {(t.indikator_id, bulan): t.tahunan for t in rows}
    return found


def _periksa_awal(session: Session, pengguna: Pengguna | None, aksi: str, instansi_id: int, entries: Sequence[Any],
                  rows: dict[str, Indikator] | dict[str, Anggaran], check: Callable[[Any], list[str]]) -> list[str]:
    """Return the problems a batch shows before anything stored is read: size, authority, each entry, repeats."""
    if len(entries) > MAKS_BARIS:
        return [f"terlalu banyak isian sekaligus ({len(entries)}); paling banyak {MAKS_BARIS}"]
    problems = periksa_wewenang(session, pengguna, aksi, instansi_id=instansi_id,
                                unit_ids={rows[e.kode].unit_id for e in entries if e.kode in rows})
    problems += [p for e in entries for p in check(e)]
    return problems + _duplicates([(e.kode, e.bulan) for e in entries], [e.lokasi for e in entries])


@dataclass
class _Periksa:
    indikator: dict[str, Indikator]
    stored: Tersimpan
    problems: list[str]
    peringatan: list[str]


def _periksa_realisasi(session: Session, instansi_id: int, tahun: int, entries: Sequence[EntriRealisasi],
                       pengguna: Pengguna | None, khusus: bool, *, kunci: bool = False) -> _Periksa:
    """Check a batch of indicator entries; with `kunci` (a write) the months stored are read under the lock."""
    indikator = {
        i.kode: i for i in session.exec(
            select(Indikator).where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun))
    }
    problems = _periksa_awal(session, pengguna, "isi_realisasi", instansi_id, entries, indikator,
                             lambda e: check_entri(e, indikator.get(e.kode), khusus=khusus))
    if not problems:
        problems = _periksa_diganti(session, instansi_id, tahun, entries, lambda e: indikator[e.kode],
                                    indikator_diganti)
    if problems:
        return _Periksa(indikator, {}, problems, [])
    stored = _muat(session, REALISASI, instansi_id, (indikator[e.kode].id for e in entries), kunci=kunci)
    problems = _periksa_terkunci(session, instansi_id, _berubah(entries, indikator, stored), tahun)
    peringatan: list[str] = []
    if not problems:
        ids = {indikator[e.kode].id for e in entries}
        targets = _targets(session, instansi_id, tahun, ids, {e.bulan for e in entries})
        peringatan = [p for e in entries for p in peringatan_entri(
            e, indikator[e.kode], targets.get((indikator[e.kode].id, e.bulan)))]
    return _Periksa(indikator, stored, problems, peringatan)


def _periksa_diganti(session: Session, instansi_id: int, tahun: int, entries: Sequence[Any],
                     row: Callable[[Any], Indikator | Anggaran],
                     diganti: Callable[[Session, int, int, int], dict[int, str]]) -> list[str]:
    """Return why entries of rows a PK revision dropped by their month cannot be written (empty: none such)."""
    reasons = {bulan: diganti(session, instansi_id, tahun, bulan) for bulan in {e.bulan for e in entries}}
    problems = []
    for e in entries:
        r = row(e)
        if r.id in reasons[e.bulan]:
            problems.append(_prefix(e.lokasi, f"{r.kode} {r.nama} ({_bulan_label(e.bulan)}): tidak dapat diisi, "
                                              f"{reasons[e.bulan][r.id]}"))
    return problems


def _periksa_terkunci(session: Session, instansi_id: int, pasangan: set[tuple[int, int]], tahun: int) -> list[str]:
    """Return why any of these (unit_id, bulan) pairs cannot be written now (see periksa_terkunci).

    The office and the units are read once and held here: periksa_terkunci looks each of them up by
    id for every pair, which the session then answers from memory instead of the database.
    """
    held = [session.get(Instansi, instansi_id),
            *session.exec(select(Unit).where(Unit.id.in_({u for u, _ in pasangan})))]  # type: ignore[union-attr]
    problems = periksa_terkunci(session, pasangan, tahun)
    del held
    return problems


def _berubah(entries: Sequence[EntriRealisasi], indikator: dict[str, Indikator], stored: Tersimpan
             ) -> set[tuple[int, int]]:
    """Return the (unit_id, bulan) pairs a batch would change (removing an empty month changes nothing)."""
    return {(indikator[e.kode].unit_id, e.bulan) for e in entries
            if not e.hapus or (indikator[e.kode].id, e.bulan) in stored}


def periksa_realisasi(
    engine: Engine, *, instansi_id: int, tahun: int, entries: Sequence[EntriRealisasi],
    pengguna: Pengguna | None = None,
) -> tuple[list[str], list[str]]:
    """Return (problems, values that need confirmation) of a batch without saving anything."""
    with new_session(engine) as session:
        found = _periksa_realisasi(session, instansi_id, tahun, entries, pengguna, khusus=False)
    return found.problems, found.peringatan


def save_realisasi(
    engine: Engine,
    *,
    instansi_id: int,
    tahun: int,
    entries: Sequence[EntriRealisasi],
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
    yakin: bool = False,
) -> int:
    """Validate a batch of indicator entries and save all of it, or raise ValidationError.

    Values beyond a soft limit raise PerluKonfirmasi unless `yakin` (the user confirmed them).
    """
    with write_session(engine) as session:
        return write_realisasi(
            session, instansi_id=instansi_id, tahun=tahun, entries=entries, pengguna=pengguna, oleh=oleh, yakin=yakin
        )


def write_realisasi(
    session: Session,
    *,
    instansi_id: int,
    tahun: int,
    entries: Sequence[EntriRealisasi],
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
    yakin: bool = False,
    khusus: bool = False,
) -> int:
    """Validate and write a batch inside the caller's write session; return the months written.

    A month that already has a value is replaced; an unchanged month is not rewritten. The
    indicators' rows are locked as their months are read (PostgreSQL; SQLite's write lock is
    already held), so the old value each audit row records is the one this write replaces.
    """
    found = _periksa_realisasi(session, instansi_id, tahun, entries, pengguna, khusus, kunci=True)
    if found.problems:
        raise ValidationError(found.problems)
    indikator, stored = found.indikator, found.stored
    _cek_versi(session, REALISASI, instansi_id, tahun, entries, lambda e: stored.get((indikator[e.kode].id, e.bulan)))
    if found.peringatan and not yakin:
        raise PerluKonfirmasi(found.peringatan)
    return _tulis(session, REALISASI, instansi_id=instansi_id, tahun=tahun, entries=entries,
                  induk_id=lambda e: indikator[e.kode].id, stored=stored, who=_label(pengguna, oleh))


def check_entri_anggaran(entri: EntriAnggaran, node: Anggaran | None) -> list[str]:
    """Return the problems of one budget entry (empty when it may be saved)."""
    if node is None:
        return [_prefix(entri.lokasi, f"kode anggaran '{str(entri.kode)[:60]}' tidak dikenal")]
    where = _prefix(entri.lokasi, f"{node.kode} {node.nama} ({_bulan_label(entri.bulan)})")
    problems = []
    if not _bulan_sah(entri.bulan):
        problems.append(f"{where}: bulan harus 1 sampai 12, bukan {str(entri.bulan)[:20]}")
    if node.tingkat != "sub_kegiatan":
        problems.append(f"{where}: realisasi anggaran diisi per sub kegiatan, bukan per {node.tingkat}")
    problems += [f"{where}: {p}" for p in cek_teks(entri.keterangan, "keterangan")]
    if entri.hapus:
        return problems
    if entri.realisasi is None:
        if entri.keterangan:
            problems.append(f"{where}: keterangan diisi tanpa realisasi; isi Rupiahnya, atau kosongkan keterangannya")
        else:
            problems.append(f"{where}: realisasi harus diisi")
        return problems
    try:
        value = entri.realisasi if isinstance(entri.realisasi, Decimal) else Decimal(int(entri.realisasi))
        cek_angka(value, RUPIAH)
    except (AngkaError, TypeError, ValueError) as e:
        problems.append(f"{where}: realisasi {e}")
    return problems


def save_realisasi_anggaran(
    engine: Engine,
    *,
    instansi_id: int,
    tahun: int,
    entries: Sequence[EntriAnggaran],
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> int:
    """Validate a batch of budget entries and save all of it, or raise ValidationError.

    Besides each entry's own checks, a sub-kegiatan's realisasi over the year may not exceed
    its pagu in the latest version.
    """
    with write_session(engine) as session:
        nodes, problems = _periksa_anggaran(session, instansi_id, tahun, entries, pengguna)
        if problems:
            raise ValidationError(problems)
        # Locked before the totals are read: two concurrent batches would otherwise both pass the pagu check.
        stored = _muat(session, ANGGARAN, instansi_id, (nodes[e.kode].id for e in entries), kunci=True)
        _cek_versi(session, ANGGARAN, instansi_id, tahun, entries, lambda e: stored.get((nodes[e.kode].id, e.bulan)))
        problems = _over_pagu(session, instansi_id, tahun, nodes, entries, stored)
        if problems:
            raise ValidationError(problems)
        return _tulis(session, ANGGARAN, instansi_id=instansi_id, tahun=tahun, entries=entries,
                      induk_id=lambda e: nodes[e.kode].id, stored=stored, who=_label(pengguna, oleh))


def _periksa_anggaran(session: Session, instansi_id: int, tahun: int, entries: Sequence[EntriAnggaran],
                      pengguna: Pengguna | None) -> tuple[dict[str, Anggaran], list[str]]:
    nodes = {
        n.kode: n for n in session.exec(
            select(Anggaran).where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun))
    }
    problems = _periksa_awal(session, pengguna, "isi_anggaran", instansi_id, entries, nodes,
                             lambda e: check_entri_anggaran(e, nodes.get(e.kode)))
    if not problems:
        problems = _periksa_diganti(session, instansi_id, tahun, entries, lambda e: nodes[e.kode], anggaran_diganti)
    if not problems:
        problems = _periksa_terkunci(session, instansi_id, {(nodes[e.kode].unit_id, e.bulan) for e in entries}, tahun)
    return nodes, problems


def periksa_realisasi_anggaran(
    engine: Engine, *, instansi_id: int, tahun: int, entries: Sequence[EntriAnggaran],
    pengguna: Pengguna | None = None,
) -> list[str]:
    """Return every problem of a batch of budget entries, the pagu check included, without saving."""
    with new_session(engine) as session:
        nodes, problems = _periksa_anggaran(session, instansi_id, tahun, entries, pengguna)
        checkable = [e for e in entries if e.kode in nodes and not check_entri_anggaran(e, nodes[e.kode])]
        stored = _muat(session, ANGGARAN, instansi_id, (nodes[e.kode].id for e in checkable), kunci=False)
        return problems + _over_pagu(session, instansi_id, tahun, nodes, checkable, stored)


def _over_pagu(session: Session, instansi_id: int, tahun: int, nodes: dict[str, Anggaran],
               entries: Sequence[EntriAnggaran], stored: Tersimpan) -> list[str]:
    """Return the sub-kegiatan whose realisasi over the year would exceed their pagu after these entries.

    `stored` holds every month of the entries' sub-kegiatan (as `_muat` reads them).
    """
    if not entries:
        return []
    versi = versi_berlaku(session, instansi_id, tahun, 12)
    pagu = {n.node.kode: n.pagu for n in list_anggaran(session, versi)}
    touched = {e.kode for e in entries}
    months: dict[str, dict[int, int]] = {k: {} for k in touched}
    kode_of = {nodes[k].id: k for k in touched}
    for (anggaran_id, bulan), r in stored.items():
        if anggaran_id in kode_of:
            months[kode_of[anggaran_id]][bulan] = r.realisasi
    for e in entries:
        if e.hapus:
            months[e.kode].pop(e.bulan, None)
        elif e.realisasi is not None:
            months[e.kode][e.bulan] = int(e.realisasi)  # bounded to 15 digits by check_entri_anggaran
    problems = []
    for kode in sorted(touched):
        total = sum(months[kode].values())
        if kode in pagu and total > pagu[kode]:
            problems.append(
                f"{kode} {nodes[kode].nama}: realisasi setahun {format_rupiah(total)} melebihi pagu "
                f"{format_rupiah(pagu[kode])}"
            )
    return problems
