"""Fixtures: a fresh database per test, on SQLite always and on PostgreSQL when asked.

Set KINERJA_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run every
database test on PostgreSQL too. The suite creates its own throw-away database there and drops
it at the end, so it never touches what the URL's database holds.

The suite runs in parallel (`pytest -n 2`, pytest-xdist): every database, file, port and LibreOffice
profile a test uses is its own (tmp_path, a uniquely named throw-away database, a free port).
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import SQLModel

import kinerja.simpan.models  # noqa: F401
from kinerja.simpan.db import create_db_engine, migrate, new_session
from kinerja.simpan.queries import get_instansi
from kinerja.simpan.seed import init_database
from tests._app import akun, app_url, db, demo_db, demo_template, navigation_only, quick  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED_2025 = DATA / "mangkutana-2025"
PG_URL = os.environ.get("KINERJA_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1, ... under pytest -n; names a stray database's run


@contextmanager
def throwaway_pg_database(prefix: str) -> Iterator[str]:
    """Create an empty PostgreSQL database next to KINERJA_TEST_POSTGRES_URL's; drop it afterwards."""
    assert PG_URL, "KINERJA_TEST_POSTGRES_URL is not set"
    name = f"{prefix}_{WORKER}_{uuid.uuid4().hex[:10]}"  # unique per call: xdist workers never share one
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def seeded_database(backend: str, folder: Path) -> Iterator[Engine]:
    """A database of its own (SQLite file or a throw-away PostgreSQL database) with the 2025 seed."""
    if backend == "sqlite":
        engine = create_db_engine(f"sqlite:///{folder / 'kinerja.db'}")
        init_database(engine, DATA)
        yield engine
        engine.dispose()
        return
    with throwaway_pg_database("kinerja_seeded") as url:
        engine = create_db_engine(url)
        try:
            init_database(engine, DATA)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """Create a throw-away PostgreSQL database for this run, migrated once; drop it at the end."""
    if not PG_URL:
        yield None
        return
    with throwaway_pg_database("kinerja_test") as url:
        engine = create_db_engine(url)
        migrate(engine)
        engine.dispose()
        yield url


def _truncate(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path, pg_database: str | None) -> Iterator[Engine]:
    """An empty, migrated database: a SQLite file, or the run's PostgreSQL database emptied."""
    if request.param == "sqlite":
        eng = create_db_engine(f"sqlite:///{tmp_path / 'kinerja.db'}")
        migrate(eng)
        yield eng
        eng.dispose()
    else:
        eng = create_db_engine(pg_database)
        _truncate(eng)
        yield eng
        _truncate(eng)
        eng.dispose()


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """A database holding the 2025 PK of Kecamatan Mangkutana, nothing entered yet."""
    init_database(engine, DATA)
    return engine


@pytest.fixture
def instansi_id(seeded: Engine) -> int:
    with new_session(seeded) as session:
        return get_instansi(session).id


def buat_orang(engine: Engine, instansi_id: int, siapa: dict[str, tuple[str, str, str | None]]) -> dict:
    """Store the office's people straight in the database: {key: (username, peran, unit kode or None)}.

    For tests of write rules, where how an account was made does not matter; returns detached copies.
    """
    from sqlmodel import select

    from kinerja.simpan.db import write_session
    from kinerja.simpan.models import Pengguna, Unit

    with write_session(engine) as session:
        units = {u.kode: u.id for u in session.exec(select(Unit).where(Unit.instansi_id == instansi_id))}
        people = {k: Pengguna(username=u, peran=peran, unit_id=units[kode] if kode else None, instansi_id=instansi_id,
                              nama=u, password_hash="-") for k, (u, peran, kode) in siapa.items()}
        session.add_all(people.values())
        session.flush()
        return {k: Pengguna(**p.model_dump()) for k, p in people.items()}
