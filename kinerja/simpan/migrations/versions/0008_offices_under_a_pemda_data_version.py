"""many offices: the pemda an office belongs to, and the data version caches key on

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 07:55:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.add_column(sa.Column('induk_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('versi_data', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_instansi_induk_id'), ['induk_id'], unique=False)
        batch_op.create_foreign_key('fk_instansi_induk_id_instansi', 'instansi', ['induk_id'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('instansi', schema=None) as batch_op:
        batch_op.drop_constraint('fk_instansi_induk_id_instansi', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_instansi_induk_id'))
        batch_op.drop_column('versi_data')
        batch_op.drop_column('induk_id')
