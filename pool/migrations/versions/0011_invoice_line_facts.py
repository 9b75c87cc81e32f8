"""invoice_line.facts: the facts an invoice line's words are written from

A JSON text (billing/line_facts.py): the basis, the units, the report line's units and net
sales, the percentage or per-unit rate with its tier or band and unit price, each discount with
its factor and how they stack, the amount before the caps and the caps that cut it, or a fixed
fee's kind and date. Lines issued before this revision keep it empty and show their English
`explanation`, which stays as it was (the audit trail digests it).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facts', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_column('facts')
