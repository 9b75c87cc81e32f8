"""membership_bound: contributors' dated caps and floors; distribution_run_usage_period.
bounds_applied: which of them bound a period's split (issue 18)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'membership_bound',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('membership_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column('share', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['membership_id'], ['membership.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('membership_bound', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_bound_membership_id'), ['membership_id'], unique=False)
    with op.batch_alter_table('distribution_run_usage_period', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bounds_applied', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('distribution_run_usage_period', schema=None) as batch_op:
        batch_op.drop_column('bounds_applied')
    with op.batch_alter_table('membership_bound', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_bound_membership_id'))
    op.drop_table('membership_bound')
