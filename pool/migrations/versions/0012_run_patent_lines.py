"""distribution_run_patent_line: each run line split over the contributor's patents

One row per patent and contributor x country x usage-period line of a run (allocation.
per_patent): the patent's grade and tier, days in force and weight as the run used them, and
its exact part of the line's amount. Runs computed before this revision have none.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('distribution_run_patent_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('contributor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('usage_start', sa.Date(), nullable=False),
    sa.Column('usage_end', sa.Date(), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('patent_id', sa.Integer(), nullable=False),
    sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('days_in_force', sa.Integer(), nullable=False),
    sa.Column('factor', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('weight', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['contributor_organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
    sa.ForeignKeyConstraint(['run_id'], ['distribution_run.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('distribution_run_patent_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_distribution_run_patent_line_contributor_organisation_id'), ['contributor_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distribution_run_patent_line_patent_id'), ['patent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_distribution_run_patent_line_run_id'), ['run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('distribution_run_patent_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_distribution_run_patent_line_run_id'))
        batch_op.drop_index(batch_op.f('ix_distribution_run_patent_line_patent_id'))
        batch_op.drop_index(batch_op.f('ix_distribution_run_patent_line_contributor_organisation_id'))

    op.drop_table('distribution_run_patent_line')
