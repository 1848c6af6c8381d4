"""plausibility limits, the office's time zone, and the reason column of the audit trail

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('zona_waktu', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='Asia/Makassar'))
        batch_op.add_column(sa.Column('batas_cek_capaian', sa.Numeric(precision=20, scale=4), nullable=False,
                                      server_default='200'))
    with op.batch_alter_table('indikator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batas_wajar', sa.Numeric(precision=20, scale=4), nullable=True))
    with op.batch_alter_table('jejak', schema=None) as batch_op:
        batch_op.add_column(sa.Column('alasan', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('jejak', schema=None) as batch_op:
        batch_op.drop_column('alasan')
    with op.batch_alter_table('indikator', schema=None) as batch_op:
        batch_op.drop_column('batas_wajar')
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.drop_column('batas_cek_capaian')
        batch_op.drop_column('zona_waktu')
