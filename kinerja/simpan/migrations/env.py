"""Alembic environment: runs on the connection that `kinerja.simpan.db.migrate` hands over."""

from alembic import context
from sqlmodel import SQLModel

import kinerja.simpan.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from kinerja.simpan.db import create_db_engine

target_metadata = SQLModel.metadata
config = context.config


def run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:  # `alembic -x url=... revision --autogenerate` from the command line
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///kinerja.db")
    with create_db_engine(url).begin() as conn:
        run(conn)
