"""payee details per pool; fapiao request data per organisation

`pool_payee` holds the bank account licensees pay into (legal name, bank, account number,
SWIFT/BIC, CNAPS code, bank address), one row per pool, printed on its invoices.
`fapiao_details` holds what a licensee asks its fapiao to be issued to (buyer name as on the
business licence, unified social credit code, registered address and phone, bank and account),
one row per organisation.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pool_payee',
    sa.Column('pool_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('legal_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('account_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('swift_bic', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=True),
    sa.Column('cnaps_code', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('bank_address', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('updated_at', pool.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
    sa.PrimaryKeyConstraint('pool_id')
    )
    op.create_table('fapiao_details',
    sa.Column('organisation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('buyer_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('uscc', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('bank_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('bank_account', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('updated_at', pool.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], ),
    sa.PrimaryKeyConstraint('organisation_id')
    )


def downgrade() -> None:
    op.drop_table('fapiao_details')
    op.drop_table('pool_payee')
