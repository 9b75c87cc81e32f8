"""contributor bank details; payout batches and their lines

`contributor_bank_details` holds where a contributor organisation is paid (an IBAN and BIC,
or a Chinese account, bank name and CNAPS code), one row per organisation. `payout_batch`
is one pain.001 credit-transfer file of a pool; `payout_line` one payment in it, with the
account copied, at most one pending per contributor and pool (partial unique index).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table('contributor_bank_details',
    sa.Column('organisation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('account_holder', S(length=140), nullable=False),
    sa.Column('scheme', S(length=8), nullable=False),
    sa.Column('iban', S(length=34), nullable=True),
    sa.Column('bic', S(length=11), nullable=True),
    sa.Column('account_number', S(length=34), nullable=True),
    sa.Column('bank_name', S(length=140), nullable=True),
    sa.Column('cnaps_code', S(length=12), nullable=True),
    sa.Column('updated_at', pool.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('organisation_id')
    )
    op.create_table('payout_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('message_id', S(length=35), nullable=False),
    sa.Column('currency', S(length=3), nullable=False),
    sa.Column('status', S(length=32), nullable=False),
    sa.Column('execution_date', sa.Date(), nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('line_count', sa.Integer(), nullable=False),
    sa.Column('created_at', pool.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('message_id')
    )
    op.create_index(op.f('ix_payout_batch_pool_id'), 'payout_batch', ['pool_id'], unique=False)
    op.create_table('payout_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('pool_id', sa.Integer(), nullable=False),
    sa.Column('contributor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('end_to_end_id', S(length=35), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('status', S(length=32), nullable=False),
    sa.Column('account_holder', S(length=140), nullable=False),
    sa.Column('scheme', S(length=8), nullable=False),
    sa.Column('iban', S(length=34), nullable=True),
    sa.Column('bic', S(length=11), nullable=True),
    sa.Column('account_number', S(length=34), nullable=True),
    sa.Column('bank_name', S(length=140), nullable=True),
    sa.Column('cnaps_code', S(length=12), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('bank_reference', S(length=60), nullable=True),
    sa.Column('returned_on', sa.Date(), nullable=True),
    sa.Column('return_reason', S(length=200), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['payout_batch.id'], ),
    sa.ForeignKeyConstraint(['contributor_organisation_id'], ['organisation.id'], ),
    sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('end_to_end_id')
    )
    op.create_index(op.f('ix_payout_line_batch_id'), 'payout_line', ['batch_id'], unique=False)
    op.create_index(
        op.f('ix_payout_line_contributor_organisation_id'), 'payout_line',
        ['contributor_organisation_id'], unique=False,
    )
    op.create_index(
        'uq_payout_line_pending', 'payout_line', ['pool_id', 'contributor_organisation_id'],
        unique=True, sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index('uq_payout_line_pending', table_name='payout_line')
    op.drop_index(op.f('ix_payout_line_contributor_organisation_id'), table_name='payout_line')
    op.drop_index(op.f('ix_payout_line_batch_id'), table_name='payout_line')
    op.drop_table('payout_line')
    op.drop_index(op.f('ix_payout_batch_pool_id'), table_name='payout_batch')
    op.drop_table('payout_batch')
    op.drop_table('contributor_bank_details')
