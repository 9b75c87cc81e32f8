"""challenge, challenge_document, challenge_finding: challenges of an admitted patent's
essentiality or grade (issue 19)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0023'
down_revision: str | None = '0022'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _string(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        'challenge',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pool_id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('challenger_organisation_id', sa.Integer(), nullable=False),
        sa.Column('challenger_user_id', sa.Integer(), nullable=False),
        sa.Column('ground', sa.String(length=16), nullable=False),
        sa.Column('reasons', _string(8000), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('reevaluator_user_id', sa.Integer(), nullable=True),
        sa.Column('assigned_on', sa.Date(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.Column('effective_on', sa.Date(), nullable=True),
        sa.Column('outcome_reasons', _string(4000), nullable=True),
        sa.Column('filed_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['pool_id'], ['pool.id'], ),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['challenger_organisation_id'], ['organisation.id'], ),
        sa.ForeignKeyConstraint(['challenger_user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['reevaluator_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        for column in ('pool_id', 'patent_id', 'challenger_organisation_id', 'state',
                       'reevaluator_user_id'):
            batch_op.create_index(batch_op.f(f'ix_challenge_{column}'), [column], unique=False)
    op.create_table(
        'challenge_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('challenge_id', sa.Integer(), nullable=False),
        sa.Column('title', _string(200), nullable=False),
        sa.Column('filename', _string(200), nullable=False),
        sa.Column('content_type', _string(100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', _string(64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_user_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], ),
        sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('challenge_id', 'sha256', name='uq_challenge_document_sha256'),
    )
    with op.batch_alter_table('challenge_document', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_challenge_document_challenge_id'), ['challenge_id'], unique=False
        )
    op.create_table(
        'challenge_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('challenge_id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('evaluator_user_id', sa.Integer(), nullable=False),
        sa.Column('essential', sa.Boolean(), nullable=False),
        sa.Column('sections', sa.JSON(), nullable=False),
        sa.Column('grade', sa.String(length=2), nullable=True),
        sa.Column('tier', sa.String(length=2), nullable=True),
        sa.Column('reasoning', _string(8000), nullable=False),
        sa.Column('claim_chart_id', sa.Integer(), nullable=True),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['challenge_id'], ['challenge.id'], ),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['evaluator_user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['claim_chart_id'], ['evidence_document.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('challenge_id'),
    )
    with op.batch_alter_table('challenge_finding', schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f('ix_challenge_finding_patent_id'), ['patent_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('challenge_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_finding_patent_id'))
    op.drop_table('challenge_finding')
    with op.batch_alter_table('challenge_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_document_challenge_id'))
    op.drop_table('challenge_document')
    with op.batch_alter_table('challenge', schema=None) as batch_op:
        for column in ('reevaluator_user_id', 'state', 'challenger_organisation_id',
                       'patent_id', 'pool_id'):
            batch_op.drop_index(batch_op.f(f'ix_challenge_{column}'))
    op.drop_table('challenge')
