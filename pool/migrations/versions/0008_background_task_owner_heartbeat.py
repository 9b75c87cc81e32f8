"""background_task.owner and heartbeat_at: only tasks whose owner stopped beating are failed

A restart marked every queued or running task failed, including those another live instance
was still running (issue 14). Each task now names the runner that owns it, and that runner
refreshes the heartbeat while the task is unfinished (pool/services/tasks/ownership.py). Rows
from before this revision have neither; they count as interrupted once created long enough ago.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('background_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=120),
                                      nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', pool.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('background_task', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('owner')
