"""the audit trail is append-only: the database itself refuses UPDATE and DELETE on jejak

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

"""
from typing import Sequence, Union

from alembic import op


revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

MESSAGE = "jejak hanya dapat ditambah: riwayat perubahan tidak dapat diubah atau dihapus"


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION jejak_tolak_ubah() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{MESSAGE}';
            END $$;
        """)
        op.execute("CREATE TRIGGER jejak_append_only BEFORE UPDATE OR DELETE ON jejak "
                   "FOR EACH ROW EXECUTE FUNCTION jejak_tolak_ubah()")
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER jejak_tolak_{event.lower()} BEFORE {event} ON jejak "
                   f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS jejak_append_only ON jejak")
        op.execute("DROP FUNCTION IF EXISTS jejak_tolak_ubah()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS jejak_tolak_{event}")
