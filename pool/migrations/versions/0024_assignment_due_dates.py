"""evaluation_assignment.due_on: the day an evaluator's finding is due, set by the
administrator when assigning (issue 19); optional, so assignments made before have none

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0024'
down_revision: str | None = '0023'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column and no server default: SQLite adds it in place (no table rebuild).
    with op.batch_alter_table('evaluation_assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('evaluation_assignment', schema=None) as batch_op:
        batch_op.drop_column('due_on')
