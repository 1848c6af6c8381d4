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
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from kinerja.aturan.angka import NILAI, RUPIAH, AngkaError, Jenis, cek_angka
from kinerja.aturan.batas import batas_wajar, melebihi
from kinerja.aturan.format import format_angka, format_rupiah, nama_bulan
from kinerja.aturan.teks import cek_teks
from kinerja.errors import PerluKonfirmasi, ValidationError
from kinerja.simpan.db import new_session, write_session
from kinerja.simpan.jejak import catat_jejak
from kinerja.simpan.models import Anggaran, Indikator, Jejak, Pengguna, Realisasi, RealisasiAnggaran, Target, now_utc
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


def _upsert(session: Session, model: type, values: dict, keys: tuple[str, str], versi_baru: int = 1) -> None:
    """Insert (at `versi_baru`) or replace (versi + 1) one row by its natural key, atomically on SQLite and
    PostgreSQL."""
    table = model.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(**values, versi=versi_baru)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={**{k: stmt.excluded[k] for k in values if k not in keys}, "versi": table.c.versi + 1},
    )
    session.execute(stmt)


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


def _cek_versi(session: Session, instansi_id: int, tahun: int, tabel: str, entries: Sequence[Any],
               stored: Callable[[Any], Any], sama: Callable[[Any, Any], bool], teks: Callable[[Any], str]) -> None:
    """Refuse the batch (SudahBerubah) when a month was changed by someone else since its versi was read.

    `stored(e)` is the row the entry would replace (None: none), read under the write lock; a month
    that already holds what the entry writes is no conflict, since nobody's work would be lost.
    """
    problems = []
    for e in entries:
        old = stored(e)
        if e.versi is None or (old.versi if old else 0) == e.versi or sama(old, e):
            continue
        label = f"{e.kode} {_bulan_label(e.bulan)}"
        if old is not None:
            kini = f"diubah oleh {old.diisi_oleh} menjadi {teks(old)}"
        else:  # emptied since: the audit trail knows by whom
            who = session.exec(select(Jejak.pengguna).where(
                Jejak.instansi_id == instansi_id, Jejak.tabel == tabel, Jejak.kunci == f"{tahun}/{e.kode}/{e.bulan}",
            ).order_by(Jejak.id.desc())).first()  # type: ignore[union-attr]
            kini = f"dikosongkan oleh {who or 'pengguna lain'}"
        problems.append(f"{label} sudah {kini} setelah Anda membuka halaman; periksa lalu simpan lagi")
    if problems:
        raise SudahBerubah(problems)


def _nilai_teks(r: Realisasi) -> str:
    if r.pembilang is not None or r.penyebut is not None:
        text = f"pembilang {format_angka(r.pembilang, 0, 4)} dan penyebut {format_angka(r.penyebut, 0, 4)}"
    else:
        text = format_angka(r.nilai, 0, 4) or "kosong"
    return text + (f" (keterangan: {r.keterangan[:80]})" if r.keterangan else "")


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


@dataclass
class _Periksa:
    indikator: dict[str, Indikator]
    problems: list[str]
    peringatan: list[str]


def _periksa_realisasi(session: Session, instansi_id: int, tahun: int, entries: Sequence[EntriRealisasi],
                       pengguna: Pengguna | None, khusus: bool) -> _Periksa:
    indikator = {
        i.kode: i for i in session.exec(
            select(Indikator).where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun))
    }
    if len(entries) > MAKS_BARIS:
        return _Periksa(indikator, [f"terlalu banyak isian sekaligus ({len(entries)}); paling banyak {MAKS_BARIS}"],
                        [])
    problems = periksa_wewenang(session, pengguna, "isi_realisasi", instansi_id=instansi_id,
                                unit_ids={indikator[e.kode].unit_id for e in entries if e.kode in indikator})
    problems += [p for e in entries for p in check_entri(e, indikator.get(e.kode), khusus=khusus)]
    problems += _duplicates([(e.kode, e.bulan) for e in entries], [e.lokasi for e in entries])
    if not problems:
        problems = _periksa_diganti(session, instansi_id, tahun, entries, lambda e: indikator[e.kode],
                                    indikator_diganti)
    peringatan: list[str] = []
    if not problems:
        problems = periksa_terkunci(session, _berubah(session, entries, indikator), tahun)
    if not problems:
        ids = {indikator[e.kode].id for e in entries}
        targets = _targets(session, instansi_id, tahun, ids, {e.bulan for e in entries})
        peringatan = [p for e in entries for p in peringatan_entri(
            e, indikator[e.kode], targets.get((indikator[e.kode].id, e.bulan)))]
    return _Periksa(indikator, problems, peringatan)


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


def _berubah(session: Session, entries: Sequence[EntriRealisasi], indikator: dict[str, Indikator]
             ) -> set[tuple[int, int]]:
    """Return the (unit_id, bulan) pairs a batch would change (removing an empty month changes nothing)."""
    ids = {indikator[e.kode].id for e in entries}
    stored = {(r.indikator_id, r.bulan) for r in session.exec(
        select(Realisasi).where(Realisasi.indikator_id.in_(ids)))}  # type: ignore[union-attr]
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
    indicators' rows are locked first (PostgreSQL; SQLite's write lock is already held), so the
    old value each audit row records is the one this write replaces.
    """
    found = _periksa_realisasi(session, instansi_id, tahun, entries, pengguna, khusus)
    if found.problems:
        raise ValidationError(found.problems)
    indikator = found.indikator
    ids = sorted({indikator[e.kode].id for e in entries})
    session.exec(select(Indikator.id).where(Indikator.id.in_(ids)).order_by(Indikator.id).with_for_update()).all()  # type: ignore[union-attr]
    existing = {
        (r.indikator_id, r.bulan): r
        for r in session.exec(select(Realisasi).where(Realisasi.indikator_id.in_(ids)))  # type: ignore[union-attr]
    }
    _cek_versi(session, instansi_id, tahun, "realisasi", entries,
               lambda e: existing.get((indikator[e.kode].id, e.bulan)), _sama, _nilai_teks)
    if found.peringatan and not yakin:
        raise PerluKonfirmasi(found.peringatan)
    who = _label(pengguna, oleh)
    baru = _versi_baru(session, instansi_id, "realisasi", [
        f"{tahun}/{e.kode}/{e.bulan}" for e in entries
        if not e.hapus and (indikator[e.kode].id, e.bulan) not in existing])
    written = 0
    for e in entries:
        ind = indikator[e.kode]
        old = existing.get((ind.id, e.bulan))
        before = _realisasi_dict(old) if old else None
        kunci = f"{tahun}/{e.kode}/{e.bulan}"
        if e.hapus:
            if old is not None:
                session.delete(old)
                catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="realisasi", kunci=kunci,
                            sebelum=before, sesudah=None)
                written += 1
            continue
        after = {"nilai": e.nilai, "pembilang": e.pembilang, "penyebut": e.penyebut, "keterangan": e.keterangan}
        if before == after:
            continue
        _upsert(session, Realisasi, {
            "indikator_id": ind.id, "bulan": e.bulan, **after, "diisi_oleh": who, "diubah_pada": now_utc(),
        }, ("indikator_id", "bulan"), baru.get(kunci, 1))
        catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="realisasi", kunci=kunci,
                    sebelum=before, sesudah=after)
        written += 1
    return written


def _realisasi_dict(r: Realisasi) -> dict:
    return {"nilai": r.nilai, "pembilang": r.pembilang, "penyebut": r.penyebut, "keterangan": r.keterangan}


def _sama(old: Realisasi | None, e: EntriRealisasi) -> bool:
    """Tell whether a month already holds what the entry would write (then nobody's work is lost)."""
    if old is None:
        return e.hapus
    return not e.hapus and _realisasi_dict(old) == {"nilai": e.nilai, "pembilang": e.pembilang,
                                                     "penyebut": e.penyebut, "keterangan": e.keterangan}


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
        ids = sorted({nodes[e.kode].id for e in entries})
        # Lock the sub-kegiatan rows (in id order, so two batches cannot deadlock) before reading their
        # totals: on PostgreSQL two concurrent batches would otherwise both pass the pagu check.
        # SQLite needs no lock here: write_session already holds the database's write lock.
        session.exec(select(Anggaran.id).where(Anggaran.id.in_(ids)).order_by(Anggaran.id).with_for_update()).all()  # type: ignore[union-attr]
        existing = {
            (r.anggaran_id, r.bulan): r
            for r in session.exec(select(RealisasiAnggaran).where(RealisasiAnggaran.anggaran_id.in_(ids)))  # type: ignore[union-attr]
        }
        _cek_versi(session, instansi_id, tahun, "realisasi_anggaran", entries,
                   lambda e: existing.get((nodes[e.kode].id, e.bulan)), _sama_anggaran,
                   lambda r: format_rupiah(r.realisasi) + (f" (keterangan: {r.keterangan[:80]})" if r.keterangan
                                                          else ""))
        problems = _over_pagu(session, instansi_id, tahun, nodes, entries)
        if problems:
            raise ValidationError(problems)
        who = _label(pengguna, oleh)
        baru = _versi_baru(session, instansi_id, "realisasi_anggaran", [
            f"{tahun}/{e.kode}/{e.bulan}" for e in entries
            if not e.hapus and (nodes[e.kode].id, e.bulan) not in existing])
        written = 0
        for e in entries:
            node = nodes[e.kode]
            old = existing.get((node.id, e.bulan))
            before = {"realisasi": old.realisasi, "keterangan": old.keterangan} if old else None
            kunci = f"{tahun}/{e.kode}/{e.bulan}"
            if e.hapus:
                if old is not None:
                    session.delete(old)
                    catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="realisasi_anggaran", kunci=kunci,
                                sebelum=before, sesudah=None)
                    written += 1
                continue
            after = {"realisasi": int(e.realisasi or 0), "keterangan": e.keterangan}
            if before == after:
                continue
            _upsert(session, RealisasiAnggaran, {
                "anggaran_id": node.id, "bulan": e.bulan, **after, "diisi_oleh": who, "diubah_pada": now_utc(),
            }, ("anggaran_id", "bulan"), baru.get(kunci, 1))
            catat_jejak(session, instansi_id=instansi_id, oleh=who, tabel="realisasi_anggaran", kunci=kunci,
                        sebelum=before, sesudah=after)
            written += 1
        return written


def _sama_anggaran(old: RealisasiAnggaran | None, e: EntriAnggaran) -> bool:
    if old is None:
        return e.hapus
    return not e.hapus and e.realisasi is not None and (old.realisasi, old.keterangan) == (int(e.realisasi),
                                                                                          e.keterangan)


def _periksa_anggaran(session: Session, instansi_id: int, tahun: int, entries: Sequence[EntriAnggaran],
                      pengguna: Pengguna | None) -> tuple[dict[str, Anggaran], list[str]]:
    nodes = {
        n.kode: n for n in session.exec(
            select(Anggaran).where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun))
    }
    if len(entries) > MAKS_BARIS:
        return nodes, [f"terlalu banyak isian sekaligus ({len(entries)}); paling banyak {MAKS_BARIS}"]
    problems = periksa_wewenang(session, pengguna, "isi_anggaran", instansi_id=instansi_id,
                                unit_ids={nodes[e.kode].unit_id for e in entries if e.kode in nodes})
    problems += [p for e in entries for p in check_entri_anggaran(e, nodes.get(e.kode))]
    problems += _duplicates([(e.kode, e.bulan) for e in entries], [e.lokasi for e in entries])
    if not problems:
        problems = _periksa_diganti(session, instansi_id, tahun, entries, lambda e: nodes[e.kode], anggaran_diganti)
    if not problems:
        problems = periksa_terkunci(session, {(nodes[e.kode].unit_id, e.bulan) for e in entries}, tahun)
    return nodes, problems


def periksa_realisasi_anggaran(
    engine: Engine, *, instansi_id: int, tahun: int, entries: Sequence[EntriAnggaran],
    pengguna: Pengguna | None = None,
) -> list[str]:
    """Return every problem of a batch of budget entries, the pagu check included, without saving."""
    with new_session(engine) as session:
        nodes, problems = _periksa_anggaran(session, instansi_id, tahun, entries, pengguna)
        checkable = [e for e in entries if e.kode in nodes and not check_entri_anggaran(e, nodes[e.kode])]
        return problems + _over_pagu(session, instansi_id, tahun, nodes, checkable)


def _over_pagu(session: Session, instansi_id: int, tahun: int, nodes: dict[str, Anggaran],
               entries: Sequence[EntriAnggaran]) -> list[str]:
    if not entries:
        return []
    versi = versi_berlaku(session, instansi_id, tahun, 12)
    pagu = {n.node.kode: n.pagu for n in list_anggaran(session, versi)}
    touched = {e.kode for e in entries}
    ids = [nodes[k].id for k in touched]
    months: dict[str, dict[int, int]] = {k: {} for k in touched}
    kode_of = {nodes[k].id: k for k in touched}
    for r in session.exec(select(RealisasiAnggaran).where(RealisasiAnggaran.anggaran_id.in_(ids))):  # type: ignore[union-attr]
        months[kode_of[r.anggaran_id]][r.bulan] = r.realisasi
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
