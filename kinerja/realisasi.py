"""Validate and save monthly realisations (indicators and budget): all of a batch or nothing.

Used by the CSV and XLSX imports, the operator's grid and the demo alike, so every entry path
checks the same rules and writes the same audit trail.
"""

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from kinerja.db import write_session
from kinerja.format import format_angka, format_rupiah, nama_bulan
from kinerja.models import (
    Anggaran,
    Indikator,
    Jejak,
    Pengguna,
    Realisasi,
    RealisasiAnggaran,
    now_utc,
)
from kinerja.queries import list_anggaran, versi_berlaku

MAX_DECIMALS = 4
# Satuan whose values are not counts: they may have decimals.
NON_COUNT = {"%", "nilai", "persen", "indeks"}


class ValidationError(ValueError):
    """A batch was refused; `problems` says, in Indonesian, where and what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


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


@dataclass(frozen=True)
class EntriAnggaran:
    """Rupiah spent on one sub-kegiatan in one month."""

    kode: str
    bulan: int
    realisasi: int | Decimal | None
    keterangan: str = ""
    lokasi: str = ""
    hapus: bool = False


def is_count(satuan: str) -> bool:
    """Tell whether a satuan counts things (Dokumen, Laporan, Orang...), so whole numbers only."""
    return satuan.strip().lower() not in NON_COUNT


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _prefix(lokasi: str, label: str) -> str:
    return f"{lokasi}: {label}" if lokasi else label


def check_entri(entri: EntriRealisasi, ind: Indikator | None) -> list[str]:
    """Return the problems of one indicator entry (empty when it may be saved)."""
    if ind is None:
        return [_prefix(entri.lokasi, f"kode indikator '{entri.kode}' tidak dikenal")]
    where = _prefix(entri.lokasi, f"{ind.kode} {ind.nama} ({_bulan_label(entri.bulan)})")
    problems: list[str] = []
    if not isinstance(entri.bulan, int) or not 1 <= entri.bulan <= 12:
        problems.append(f"{where}: bulan harus 1 sampai 12, bukan {entri.bulan}")
    if ind.sumber != "input":
        kind = "turunan (dihitung dari indikator di bawahnya)" if ind.sumber == "turunan" else "penyerapan anggaran"
        return problems + [f"{where}: indikator {kind} dihitung otomatis, tidak diisi"]
    if entri.hapus:
        return problems
    if ind.jenis == "rasio":
        if entri.nilai is not None:
            problems.append(f"{where}: indikator rasio diisi pembilang dan penyebut, bukan nilai")
        if entri.pembilang is None or entri.penyebut is None:
            problems.append(f"{where}: pembilang dan penyebut harus diisi keduanya")
        values = {"pembilang": entri.pembilang, "penyebut": entri.penyebut}
    else:
        if entri.pembilang is not None or entri.penyebut is not None:
            problems.append(f"{where}: indikator ini diisi nilai, bukan pembilang/penyebut")
        if entri.nilai is None:
            problems.append(f"{where}: nilai harus diisi")
        values = {"nilai": entri.nilai}
    for name, value in values.items():
        if value is None:
            continue
        if value < 0:
            problems.append(f"{where}: {name} tidak boleh negatif ({format_angka(value)})")
        if _decimals(value) > MAX_DECIMALS:
            problems.append(f"{where}: {name} paling banyak {MAX_DECIMALS} angka di belakang koma")
        if is_count(ind.satuan) and value != value.to_integral_value():
            problems.append(f"{where}: {name} harus bilangan bulat ({ind.satuan}), bukan {format_angka(value)}")
        if ind.nilai_khusus and value > 100:
            problems.append(f"{where}: nilai paling tinggi 100, bukan {format_angka(value)}")
    if (
        entri.pembilang is not None
        and entri.penyebut is not None
        and entri.pembilang > entri.penyebut
    ):
        problems.append(
            f"{where}: pembilang ({format_angka(entri.pembilang)}) lebih besar dari penyebut "
            f"({format_angka(entri.penyebut)})"
        )
    return problems


def _bulan_label(bulan: object) -> str:
    return nama_bulan(bulan) if isinstance(bulan, int) and 1 <= bulan <= 12 else f"bulan {bulan}"


def check_wewenang(pengguna: Pengguna | None, unit_ids: Iterable[int], instansi_id: int | None = None) -> list[str]:
    """Return why this user may not write for these units of this office (empty when allowed)."""
    if pengguna is None:
        return []
    if not pengguna.aktif:
        return ["akun ini tidak aktif"]
    if instansi_id is not None and pengguna.instansi_id != instansi_id:
        return ["pengguna hanya dapat mengisi data instansinya sendiri"]
    if pengguna.peran == "admin":
        return []
    if pengguna.peran != "operator":
        return ["peran pimpinan hanya dapat melihat, tidak mengisi"]
    if any(u != pengguna.unit_id for u in unit_ids):
        return ["operator hanya dapat mengisi indikator dan anggaran unitnya sendiri"]
    return []


def _duplicates(keys: Sequence[tuple[str, int]], lokasi: Sequence[str]) -> list[str]:
    seen: dict[tuple[str, int], str] = {}
    problems = []
    for key, where in zip(keys, lokasi, strict=True):
        if key in seen:
            problems.append(_prefix(where, f"{key[0]} bulan {key[1]} sudah ada di {seen[key] or 'baris lain'}"))
        else:
            seen[key] = where
    return problems


def _upsert(session: Session, model: type, values: dict, keys: tuple[str, str]) -> None:
    """Insert or replace one row by its natural key, atomically on SQLite and PostgreSQL."""
    table = model.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys), set_={k: stmt.excluded[k] for k in values if k not in keys}
    )
    session.execute(stmt)


def _jejak(session: Session, instansi_id: int, pengguna: str, tabel: str, kunci: str,
           sebelum: dict | None, sesudah: dict | None) -> None:
    aksi = "tambah" if sebelum is None else "hapus" if sesudah is None else "ubah"
    session.add(Jejak(
        instansi_id=instansi_id, pengguna=pengguna, tabel=tabel, kunci=kunci, aksi=aksi,
        sebelum=json.dumps(sebelum, default=_json_value) if sebelum else "",
        sesudah=json.dumps(sesudah, default=_json_value) if sesudah else "",
    ))


def _json_value(value: object) -> str:
    """Write a Decimal the same way whatever its stored scale (1.0000 and 1 are both '1')."""
    return format(value.normalize(), "f") if isinstance(value, Decimal) else str(value)


def _label(pengguna: Pengguna | None, oleh: str) -> str:
    return pengguna.username if pengguna else oleh


def save_realisasi(
    engine: Engine,
    *,
    instansi_id: int,
    tahun: int,
    entries: Sequence[EntriRealisasi],
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> int:
    """Validate a batch of indicator entries and save all of it, or raise ValidationError."""
    with write_session(engine) as session:
        return write_realisasi(
            session, instansi_id=instansi_id, tahun=tahun, entries=entries, pengguna=pengguna, oleh=oleh
        )


def write_realisasi(
    session: Session,
    *,
    instansi_id: int,
    tahun: int,
    entries: Sequence[EntriRealisasi],
    pengguna: Pengguna | None = None,
    oleh: str = "cli",
) -> int:
    """Validate and write a batch inside the caller's write session; return the months written.

    A month that already has a value is replaced; an unchanged month is not rewritten.
    """
    indikator = {
        i.kode: i for i in session.exec(
            select(Indikator).where(Indikator.instansi_id == instansi_id, Indikator.tahun == tahun))
    }
    problems = [p for e in entries for p in check_entri(e, indikator.get(e.kode))]
    problems += _duplicates([(e.kode, e.bulan) for e in entries], [e.lokasi for e in entries])
    problems += check_wewenang(pengguna, [indikator[e.kode].unit_id for e in entries if e.kode in indikator],
                               instansi_id)
    if problems:
        raise ValidationError(problems)
    ids = [indikator[e.kode].id for e in entries]
    existing = {
        (r.indikator_id, r.bulan): r
        for r in session.exec(select(Realisasi).where(Realisasi.indikator_id.in_(ids)))  # type: ignore[union-attr]
    }
    who = _label(pengguna, oleh)
    written = 0
    for e in entries:
        ind = indikator[e.kode]
        old = existing.get((ind.id, e.bulan))
        before = _realisasi_dict(old) if old else None
        if e.hapus:
            if old is not None:
                session.delete(old)
                _jejak(session, instansi_id, who, "realisasi", f"{e.kode}/{e.bulan}", before, None)
                written += 1
            continue
        after = {"nilai": e.nilai, "pembilang": e.pembilang, "penyebut": e.penyebut,
                 "keterangan": e.keterangan}
        if before == after:
            continue
        _upsert(session, Realisasi, {
            "indikator_id": ind.id, "bulan": e.bulan, **after, "diisi_oleh": who,
            "diubah_pada": now_utc(),
        }, ("indikator_id", "bulan"))
        _jejak(session, instansi_id, who, "realisasi", f"{e.kode}/{e.bulan}", before, after)
        written += 1
    return written


def _realisasi_dict(r: Realisasi) -> dict:
    return {"nilai": r.nilai, "pembilang": r.pembilang, "penyebut": r.penyebut, "keterangan": r.keterangan}


def check_entri_anggaran(entri: EntriAnggaran, node: Anggaran | None) -> list[str]:
    """Return the problems of one budget entry (empty when it may be saved)."""
    if node is None:
        return [_prefix(entri.lokasi, f"kode anggaran '{entri.kode}' tidak dikenal")]
    where = _prefix(entri.lokasi, f"{node.kode} {node.nama} ({_bulan_label(entri.bulan)})")
    problems = []
    if not isinstance(entri.bulan, int) or not 1 <= entri.bulan <= 12:
        problems.append(f"{where}: bulan harus 1 sampai 12, bukan {entri.bulan}")
    if node.tingkat != "sub_kegiatan":
        problems.append(f"{where}: realisasi anggaran diisi per sub kegiatan, bukan per {node.tingkat}")
    if entri.hapus:
        return problems
    if entri.realisasi is None:
        problems.append(f"{where}: realisasi harus diisi")
    elif entri.realisasi < 0:
        problems.append(f"{where}: realisasi tidak boleh negatif")
    elif entri.realisasi != int(entri.realisasi):
        problems.append(f"{where}: realisasi ditulis dalam Rupiah bulat, bukan {format_angka(entri.realisasi)}")
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
        nodes = {
            n.kode: n for n in session.exec(
                select(Anggaran).where(Anggaran.instansi_id == instansi_id, Anggaran.tahun == tahun))
        }
        problems = [p for e in entries for p in check_entri_anggaran(e, nodes.get(e.kode))]
        problems += _duplicates([(e.kode, e.bulan) for e in entries], [e.lokasi for e in entries])
        problems += check_wewenang(pengguna, [nodes[e.kode].unit_id for e in entries if e.kode in nodes], instansi_id)
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
        problems = _over_pagu(session, instansi_id, tahun, nodes, entries)
        if problems:
            raise ValidationError(problems)
        who = _label(pengguna, oleh)
        written = 0
        for e in entries:
            node = nodes[e.kode]
            old = existing.get((node.id, e.bulan))
            before = {"realisasi": old.realisasi, "keterangan": old.keterangan} if old else None
            if e.hapus:
                if old is not None:
                    session.delete(old)
                    _jejak(session, instansi_id, who, "realisasi_anggaran", f"{e.kode}/{e.bulan}", before, None)
                    written += 1
                continue
            after = {"realisasi": int(e.realisasi or 0), "keterangan": e.keterangan}
            if before == after:
                continue
            _upsert(session, RealisasiAnggaran, {
                "anggaran_id": node.id, "bulan": e.bulan, **after, "diisi_oleh": who,
                "diubah_pada": now_utc(),
            }, ("anggaran_id", "bulan"))
            _jejak(session, instansi_id, who, "realisasi_anggaran", f"{e.kode}/{e.bulan}", before, after)
            written += 1
        return written


def _over_pagu(session: Session, instansi_id: int, tahun: int, nodes: dict[str, Anggaran],
               entries: Sequence[EntriAnggaran]) -> list[str]:
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
            months[e.kode][e.bulan] = int(e.realisasi)
    problems = []
    for kode in sorted(touched):
        total = sum(months[kode].values())
        if kode in pagu and total > pagu[kode]:
            problems.append(
                f"{kode} {nodes[kode].nama}: realisasi setahun {format_rupiah(total)} melebihi pagu "
                f"{format_rupiah(pagu[kode])}"
            )
    return problems
