"""invoice_line.units as BigInteger, like the report line's units it is charged from

A report line may carry up to 10^12 units (`MAX_UNITS`), stored in a BigInteger column; its
invoice line's `integer` column held 2^31-1 on PostgreSQL, so such a report answered 500
("integer out of range", issue 13). SQLite's INTEGER already holds 64 bits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 02:10:36
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.alter_column('units', existing_type=sa.Integer(), type_=sa.BigInteger(),
                              existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.alter_column('units', existing_type=sa.BigInteger(), type_=sa.Integer(),
                              existing_nullable=False)
