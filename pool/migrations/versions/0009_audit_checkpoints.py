"""audit checkpoints signed with the audit key; outbox messages addressed to a role

`audit_checkpoint` holds the audit chain's head at moments (daily, at each statement batch, by
hand), each signed with HMAC-SHA256 under the audit key, of which only a fingerprint is stored.
`outbox_message.recipient_role` addresses a message to every active user with a role (the daily
checkpoint e-mail goes to the auditors, who belong to no organisation), so
`recipient_organisation_id` may now be empty; exactly one of the two is set.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ONE_RECIPIENT = "(recipient_organisation_id IS NULL) <> (recipient_role IS NULL)"


def upgrade() -> None:
    op.create_table('audit_checkpoint',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('taken_at', pool.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('head_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('key_fingerprint', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_checkpoint_taken_at'), ['taken_at'], unique=False)

    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_role', sa.String(length=16), nullable=True))
        batch_op.alter_column('recipient_organisation_id', existing_type=sa.Integer(),
                              nullable=True)
        batch_op.create_check_constraint('ck_outbox_message_one_recipient', _ONE_RECIPIENT)


def downgrade() -> None:
    op.execute("DELETE FROM outbox_message WHERE recipient_organisation_id IS NULL")
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint('ck_outbox_message_one_recipient', type_='check')
        batch_op.alter_column('recipient_organisation_id', existing_type=sa.Integer(),
                              nullable=False)
        batch_op.drop_column('recipient_role')

    with op.batch_alter_table('audit_checkpoint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_taken_at'))
        batch_op.drop_index(batch_op.f('ix_audit_checkpoint_event_id'))

    op.drop_table('audit_checkpoint')
