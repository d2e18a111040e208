"""learned_layouts and layout_uses: forms learned from reviewers' decisions (issue 17)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'learned_layouts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('agency', sa.String(length=200), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('fingerprint', sa.JSON(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('sources', sa.JSON(), nullable=False),
        sa.Column('strength', sa.Float(), nullable=False),
        sa.Column('thumbnail_path', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_learned_layouts_agency', 'learned_layouts', ['agency'])
    op.create_table(
        'layout_uses',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('layout_id', sa.Integer(),
                  sa.ForeignKey('learned_layouts.id', ondelete='CASCADE'), nullable=False),
        sa.Column('record_id', sa.String(length=40), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('changed_by_reviewer', sa.Boolean(), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('layout_id', 'record_id', name='uq_layout_uses_record'),
    )
    op.create_index('ix_layout_uses_layout_id', 'layout_uses', ['layout_id'])
    op.create_index('ix_layout_uses_record_id', 'layout_uses', ['record_id'])


def downgrade() -> None:
    op.drop_table('layout_uses')
    op.drop_table('learned_layouts')
