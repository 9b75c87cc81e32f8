"""evidence_document, evaluation_assignment, evaluation_finding; pool.
requires_independent_evaluation: essentiality evaluation by independent evaluators (issue 19)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import pool.db


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A constant default ('0' reads as false on both databases), not sa.false(): on SQLite an
    # expression default makes Alembic rebuild the table, and dropping the old `pool` fails
    # once patents and agreements refer to it (foreign keys are on).
    with op.batch_alter_table('pool', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'requires_independent_evaluation',
                sa.Boolean(),
                nullable=False,
                server_default='0',
            )
        )
    op.create_table(
        'evidence_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('version_label', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column('standard_sections', sa.JSON(), nullable=False),
        sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('uploaded_by_user_id', sa.Integer(), nullable=False),
        sa.Column('uploaded_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['uploaded_by_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('patent_id', 'sha256', name='uq_evidence_patent_sha256'),
    )
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_document_patent_id'), ['patent_id'], unique=False)
    op.create_table(
        'evaluation_assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('evaluator_user_id', sa.Integer(), nullable=False),
        sa.Column('assigned_by_user_id', sa.Integer(), nullable=False),
        sa.Column('assigned_on', sa.Date(), nullable=False),
        sa.Column('tie_breaker', sa.Boolean(), nullable=False),
        sa.Column('assigned_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['evaluator_user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['assigned_by_user_id'], ['user.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('patent_id', 'evaluator_user_id', name='uq_assignment_patent_evaluator'),
    )
    with op.batch_alter_table('evaluation_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_assignment_patent_id'), ['patent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_assignment_evaluator_user_id'), ['evaluator_user_id'], unique=False)
    op.create_table(
        'evaluation_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('assignment_id', sa.Integer(), nullable=False),
        sa.Column('patent_id', sa.Integer(), nullable=False),
        sa.Column('evaluator_user_id', sa.Integer(), nullable=False),
        sa.Column('essential', sa.Boolean(), nullable=False),
        sa.Column('sections', sa.JSON(), nullable=False),
        sa.Column('grade', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column('tier', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
        sa.Column('reasoning', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
        sa.Column('claim_chart_id', sa.Integer(), nullable=False),
        sa.Column('recorded_on', sa.Date(), nullable=False),
        sa.Column('recorded_at', pool.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['assignment_id'], ['evaluation_assignment.id'], ),
        sa.ForeignKeyConstraint(['patent_id'], ['patent.id'], ),
        sa.ForeignKeyConstraint(['evaluator_user_id'], ['user.id'], ),
        sa.ForeignKeyConstraint(['claim_chart_id'], ['evidence_document.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('assignment_id'),
    )
    with op.batch_alter_table('evaluation_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_finding_patent_id'), ['patent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('evaluation_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_finding_patent_id'))
    op.drop_table('evaluation_finding')
    with op.batch_alter_table('evaluation_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_assignment_evaluator_user_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_assignment_patent_id'))
    op.drop_table('evaluation_assignment')
    with op.batch_alter_table('evidence_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_document_patent_id'))
    op.drop_table('evidence_document')
    with op.batch_alter_table('pool', schema=None) as batch_op:
        batch_op.drop_column('requires_independent_evaluation')
