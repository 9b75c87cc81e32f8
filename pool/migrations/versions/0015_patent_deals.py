"""patent_deal, patent_deal_patent, deal_receipt: the register of transfers, licences, capital
contributions and pledges of the pool's patents (issue 18)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'patent_deal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pool_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=24), nullable=False),
        sa.Column('supplier_organisation_id', sa.Integer(), nullable=False),
        sa.Column('counterparty_organisation_id', sa.Integer(), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('effective_on', sa.Date(), nullable=False),
        sa.Column('contract_amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('registration_number', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('registered_on', sa.Date(), nullable=True),
        sa.Column('consent_on', sa.Date(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('end_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column('notes', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column('recorded_by_user_id', sa.Integer(), nullable=True),
        sa.Column('created_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['counterparty_organisation_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['supplier_organisation_id'], ['organisation.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('patent_deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_deal_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_patent_deal_pool_id'), ['pool_id'], unique=False)
        batch_op.create_index(
            batch_op.f('ix_patent_deal_supplier_organisation_id'), ['supplier_organisation_id'],
            unique=False,
        )
    op.create_table(
        'patent_deal_patent',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['patent_deal.id'], ),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('deal_id', 'patent_id', name='uq_patent_deal_patent'),
    )
    with op.batch_alter_table('patent_deal_patent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_patent_deal_patent_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_patent_deal_patent_patent_id'), ['patent_id'], unique=False)
    op.create_table(
        'deal_receipt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deal_id', sa.Integer(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('created_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['deal_id'], ['patent_deal.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('deal_id', 'reference', name='uq_deal_receipt_reference'),
    )
    with op.batch_alter_table('deal_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deal_receipt_deal_id'), ['deal_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deal_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deal_receipt_deal_id'))
    op.drop_table('deal_receipt')
    with op.batch_alter_table('patent_deal_patent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_deal_patent_patent_id'))
        batch_op.drop_index(batch_op.f('ix_patent_deal_patent_deal_id'))
    op.drop_table('patent_deal_patent')
    with op.batch_alter_table('patent_deal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_patent_deal_supplier_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_patent_deal_pool_id'))
        batch_op.drop_index(batch_op.f('ix_patent_deal_kind'))
    op.drop_table('patent_deal')
