"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

A column added to kinerja/simpan/models.py without a migration (or a migration without the model) would
work in the tests, which migrate a fresh database, and fail on the office's existing database.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import BACKENDS, throwaway_pg_database
from sqlalchemy import Column, Engine, MetaData, Text
from sqlmodel import SQLModel

import kinerja.simpan.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from kinerja.simpan.db import MIGRATIONS, create_db_engine, migrate


@pytest.fixture(params=BACKENDS)
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own brought to the newest revision by `kinerja.simpan.db.migrate`."""
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path / 'migrasi.db'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    with throwaway_pg_database("kinerja_migrasi") as url:
        engine = create_db_engine(url)
        try:
            migrate(engine)
            yield engine
        finally:
            engine.dispose()


def differences(engine: Engine, metadata: MetaData) -> list:
    """Return what autogenerate would still write: tables, columns, types, nullability, indexes."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)


def test_the_migrations_have_one_head() -> None:
    # two migrations written side by side on the same parent would leave `upgrade head` ambiguous
    assert len(ScriptDirectory(str(MIGRATIONS)).get_heads()) == 1


def test_migrated_database_matches_the_models(migrated: Engine) -> None:
    assert differences(migrated, SQLModel.metadata) == []


def test_a_column_missing_from_the_migrations_is_found(migrated: Engine) -> None:
    # the comparison above can fail: a model column no migration adds shows up as add_column
    metadata = MetaData()
    for table in SQLModel.metadata.sorted_tables:
        table.to_metadata(metadata)
    metadata.tables["instansi"].append_column(Column("kolom_baru", Text, nullable=True))
    found = differences(migrated, metadata)
    # each difference is ("add_column", schema, table, column)
    assert [(d[0], d[2], d[3].name) for d in found] == [("add_column", "instansi", "kolom_baru")]
