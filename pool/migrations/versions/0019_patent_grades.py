"""patent_grade: the dated history of a patent's grade and tier (issue 19)

Every admitted patent gets its current grade and tier as one history row from its admission
(`source` "admission", `effective_on` = `admitted_on`, recorded by "migration 0019"), so runs
computed after the upgrade read the same grades as before it. Patents never admitted get none.

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-07 16:40:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0019'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    grades = op.create_table(
        'patent_grade',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('pool_id', sa.Integer(), nullable=False),
        sa.Column('grade', sa.String(length=2), nullable=True),
        sa.Column('tier', sa.String(length=2), nullable=True),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('recorded_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('patent_grade', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_grade_patent_id'), ['patent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patent_grade_pool_id'), ['pool_id'], unique=False)
    patent = sa.table(
        'patent',
        sa.column('id', sa.Integer()),
        sa.column('pool_id', sa.Integer()),
        sa.column('grade', sa.String()),
        sa.column('tier', sa.String()),
        sa.column('admitted_on', sa.Date()),
    )
    admitted = op.get_bind().execute(
        sa.select(patent.c.id, patent.c.pool_id, patent.c.grade, patent.c.tier, patent.c.admitted_on)
        .where(patent.c.admitted_on.is_not(None))
        .order_by(patent.c.id)
    ).all()
    now = datetime.now(UTC)
    if admitted:
        op.bulk_insert(
            grades,
            [
                {
                    'patent_id': patent_id, 'pool_id': pool_id, 'grade': grade, 'tier': tier,
                    'effective_on': admitted_on, 'source': 'admission',
                    'reason': None, 'reference': None, 'recorded_by_user_id': None,
                    'recorded_by': 'migration 0019', 'recorded_at': now,
                }
                for patent_id, pool_id, grade, tier, admitted_on in admitted
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table('patent_grade', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_grade_pool_id'))
        batch_op.drop_index(batch_op.f('ix_patent_grade_patent_id'))
    op.drop_table('patent_grade')
