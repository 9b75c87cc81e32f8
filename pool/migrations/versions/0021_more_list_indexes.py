"""indexes the remaining administrator's lists order and filter by (issue 17)

The usage report list is ordered by the day filed and filtered by period; the payment list
by the day received (and its date range); the statement list by period. At ten times the demo
(2,000 licensees filing quarterly, their payments, a statement per contributor and quarter)
a page must not sort the whole table. The licensee list orders by organisation name over a
table small enough to read whole; runs are one per pool and period (their unique key).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-07 16:45:00
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0021'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ('usage_report', 'period_start'),
    ('usage_report', 'submitted_at'),
    ('payment', 'received_on'),
    ('statement', 'period_start'),
)


def upgrade() -> None:
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_{column}'), [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_{column}'))
