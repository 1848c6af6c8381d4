"""Engine, sessions and migrations: SQLite by default, PostgreSQL with the same code."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

from kinerja.config import get_settings
from kinerja.simpan import versi  # noqa: F401  (registers the session events that bump versi_data)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
WRITE = "kinerja_write"
# How long a SQLite writer queues behind another before "database is locked". Every write transaction
# is kept to about a second (validation and preparation happen before it), so this is reached only
# when something is stuck, not when ten people press Simpan at once.
SQLITE_BUSY_TIMEOUT_S = 60


def _sqlite_pragmas(engine: Engine) -> None:
    """Turn on WAL and foreign keys, and make writers queue instead of failing or racing.

    pysqlite's own transaction handling is switched off so that SQLAlchemy emits BEGIN itself:
    reads use a deferred BEGIN, writes (`write_session`) BEGIN IMMEDIATE, which takes the write
    lock before anything is read, so two writers cannot both read and then overwrite each other.
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_db_engine(url: str) -> Engine:
    """Create an engine for a URL, with the SQLite settings when it is SQLite."""
    if url.startswith("sqlite"):
        memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_S},
            poolclass=StaticPool if memory else None,
        )
        _sqlite_pragmas(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def _cached_engine(url: str) -> Engine:
    return create_db_engine(url)


def get_engine(url: str | None = None) -> Engine:
    """Return the (shared) engine for a URL, by default KINERJA_DATABASE_URL."""
    return _cached_engine(url or get_settings().database_url)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command  # imported here: only init, demo and the app's start migrate (CLI start-up)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def list_revisions() -> set[str]:
    """Return every schema revision this version of Kinerja knows (a backup of a newer one is refused)."""
    from alembic.config import Config  # imported here, like migrate()
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return {rev.revision for rev in ScriptDirectory.from_config(config).walk_revisions()}


def has_schema(engine: Engine) -> bool:
    """Tell whether the database has been migrated at least once."""
    return inspect(engine).has_table("alembic_version")


def new_session(engine: Engine) -> Session:
    """Open a session whose objects stay readable after commit."""
    return Session(engine, expire_on_commit=False)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """Open a session for one atomic write: all of it commits, or none of it on an error.

    A write that changes an office's data bumps its `versi_data` in the same transaction, as the last
    statement before COMMIT (kinerja.simpan.versi's session events), so a cache keyed on it sees the write at once.
    """
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={WRITE: True})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
