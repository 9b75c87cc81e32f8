"""patent_inventor: a patent's inventors and their shares (issue 16)

Each inventor's share is kept in hundredths of a percent (`share_bp`; a patent's inventors sum
to 10,000) and the order they were listed in (`position`, unique per patent), which breaks ties
when a cent of remuneration is left over (allocation/remuneration.py).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 08:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'patent_inventor',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('staff_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('share_bp', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('patent_id', 'position', name='uq_patent_inventor_position'),
    )
    with op.batch_alter_table('patent_inventor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_inventor_patent_id'), ['patent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('patent_inventor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_inventor_patent_id'))
    op.drop_table('patent_inventor')
