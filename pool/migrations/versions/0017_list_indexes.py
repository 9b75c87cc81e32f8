"""indexes the administrator's lists order by (issue 17)

The patent list is ordered by submission (the onboarding queue: oldest first) and the invoice
list by issue date, which its year filter also bounds; at ten times the demo (15,000 patents,
tens of thousands of invoices) a page must not sort the whole table. The other lists' filters
and orders use existing indexes (state, pool, owner, status, action, entity, time) or tables
small enough to read whole (agreements: one per licensee and pool).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:00:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('patent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_submitted_at'), ['submitted_at'], unique=False)
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invoice_issued_on'), ['issued_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invoice_issued_on'))
    with op.batch_alter_table('patent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_submitted_at'))
