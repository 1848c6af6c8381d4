"""An office's data version: bumped in the same transaction as every write of its data (issue 13).

Screens cache what they compute from an office's year under (office, year, `Instansi.versi_data`)
(kinerja.baca.singgahan). Because the bump commits together with the write, a cache keyed on the
version never shows figures older than the version it read, on any app process.

How a write is noticed, without each write function having to remember it: SQLAlchemy session
events. `after_flush` sees the ORM rows added, changed or removed; `do_orm_execute` sees the
insert/update/delete statements run through `session.execute` (the batched saves). Which office:
the authority check every write function runs inside its transaction (`wewenang.periksa_wewenang`)
notes it, and so does every ORM row that carries an `instansi_id` (a seed makes the office itself).
`before_commit` then runs `naikkan`: one UPDATE of those offices' rows, the last statement of the
transaction, so their row locks are held only for the commit. It watches every session, not only
`write_session`'s, so a write made some other way (a test helper, a script) cannot leave a cache stale.
"""

import logging
from itertools import chain

from sqlalchemy import Engine, TextClause, event, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from kinerja.simpan.models import Instansi, Jejak, Pengguna, PercobaanMasuk, Sesi

log = logging.getLogger("kinerja")

# session.info keys
_BERUBAH = "kinerja_versi_berubah"  # the transaction changed some office's data
_KANTOR = "kinerja_versi_kantor"  # the ids of the offices it acted for

# Tables that are not an office's data: a page run (sesi), a sign-in (percobaan_masuk) and the audit
# trail that records every write (jejak; a sign-in and a sign-out write it too) never change a version.
# A cache must therefore never hold the audit trail.
BUKAN_DATA = frozenset({Sesi.__tablename__, PercobaanMasuk.__tablename__, Jejak.__tablename__})
# The columns of a user that a sign-in writes: failures in a row and the lock. A change of only these is no data.
KOLOM_MASUK = frozenset({"gagal_masuk", "terkunci_sampai"})
_DML = ("insert", "update", "delete", "merge")


def catat_kantor(session: Session, instansi_id: int | None) -> None:
    """Note that this transaction acts for an office (the write functions' authority check calls this)."""
    if instansi_id is not None:
        session.info.setdefault(_KANTOR, set()).add(instansi_id)


def naikkan(session: Session) -> set[int] | None:
    """Bump the data version of the offices this transaction changed (run by COMMIT, see `_before_commit`).

    Returns the offices bumped (None: every office, when data changed but no office was noted),
    or an empty set when nothing of any office's data changed.
    """
    session.flush()  # the pending rows are seen by after_flush before deciding
    if not session.info.get(_BERUBAH):
        return set()
    ids = session.info.get(_KANTOR)
    bump = update(Instansi.__table__).values(versi_data=Instansi.__table__.c.versi_data + 1)
    if ids:
        bump = bump.where(Instansi.__table__.c.id.in_(sorted(ids)))
    else:
        log.warning("Data berubah tanpa instansi yang diketahui: versi data semua instansi dinaikkan")
    # On the connection, not session.execute: the bump itself is not a change the events below should see.
    session.connection().execute(bump)
    session.info.pop(_BERUBAH, None)
    session.info.pop(_KANTOR, None)
    return set(ids) if ids else None


def versi_data(bind: Session | Engine, instansi_id: int) -> int:
    """Return an office's data version (one SELECT by primary key)."""
    query = select(Instansi.__table__.c.versi_data).where(Instansi.__table__.c.id == instansi_id)
    if isinstance(bind, Engine):
        with bind.connect() as connection:
            return connection.execute(query).scalar_one()
    return bind.execute(query).scalar_one()


def _data_berubah(session: OrmSession, obj: object, baru: bool) -> bool:
    """Tell whether a flushed ORM row is office data, and note its office."""
    tabel = getattr(type(obj), "__tablename__", None)
    if tabel in BUKAN_DATA:
        return False
    if isinstance(obj, Pengguna) and not baru:
        changed = {a.key for a in inspect(obj).attrs if a.history.has_changes()}
        if changed <= KOLOM_MASUK:
            return False
    catat_kantor(session, obj.id if isinstance(obj, Instansi) else getattr(obj, "instansi_id", None))  # type: ignore[arg-type]
    return True


@event.listens_for(Session, "before_commit")
def _before_commit(session: OrmSession) -> None:
    naikkan(session)  # type: ignore[arg-type]


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost one: committed (bumped) or rolled back (changed nothing)
        session.info.pop(_BERUBAH, None)
        session.info.pop(_KANTOR, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session: OrmSession, _flush_context: object) -> None:
    dirty = (o for o in session.dirty if session.is_modified(o, include_collections=False))
    flags = [_data_berubah(session, o, True) for o in session.new]
    flags += [_data_berubah(session, o, False) for o in chain(dirty, session.deleted)]
    if any(flags):
        session.info[_BERUBAH] = True


@event.listens_for(Session, "do_orm_execute")
def _do_orm_execute(state: ORMExecuteState) -> None:
    session = state.session
    if state.is_select:
        return
    statement = state.statement
    if getattr(statement, "is_dml", False):
        if statement.table.name not in BUKAN_DATA:  # type: ignore[attr-defined]
            session.info[_BERUBAH] = True
    elif isinstance(statement, TextClause) and (statement.text.split(None, 1) or [""])[0].lower() in _DML:
        session.info[_BERUBAH] = True  # hand-written SQL: which table is not known, so it counts
