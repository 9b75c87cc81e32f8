"""invoice.patent_id, invoice.agreement_id nullable, pool.evaluation_fee_minor: evaluation fees
invoiced to the contributor that submitted a patent (issue 19)

An evaluation fee bills a contributor for a patent, under no licence agreement: the invoice's
agreement becomes optional and it names the patent instead, at most one live fee per patent.
On SQLite, making `agreement_id` nullable rebuilds `invoice`; the migration runs with foreign
keys unenforced and checked before the commit (`pool.migrate`).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0025'
down_revision: str | None = '0024'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = "status <> 'cancelled'"


def upgrade() -> None:
    with op.batch_alter_table('pool', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('evaluation_fee_minor', sa.BigInteger(), nullable=False, server_default='0')
        )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.alter_column('agreement_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('patent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_invoice_patent_id_patent', 'patent', ['patent_id'], ['id'])
        batch_op.create_index(
            'uq_invoice_evaluation_fee',
            ['patent_id'],
            unique=True,
            sqlite_where=sa.text(LIVE),
            postgresql_where=sa.text(LIVE),
        )


def downgrade() -> None:
    fees = op.get_bind().execute(
        sa.text("SELECT count(*) FROM invoice WHERE kind = 'evaluation_fee'")
    ).scalar_one()
    if fees:
        raise RuntimeError(
            f"{fees} evaluation fee invoices have no agreement; "
            "0024 cannot hold them (cancel and remove them first)"
        )
    with op.batch_alter_table('invoice', schema=None) as batch_op:
        batch_op.drop_index('uq_invoice_evaluation_fee')
        batch_op.drop_constraint('fk_invoice_patent_id_patent', type_='foreignkey')
        batch_op.drop_column('patent_id')
        batch_op.alter_column('agreement_id', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('pool', schema=None) as batch_op:
        batch_op.drop_column('evaluation_fee_minor')
