"""compliance reports: cycle and sub-topic columns on standards, officer unit, alerts_sent

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('standards') as batch:
        batch.add_column(sa.Column('cycle_kind', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('cycle_anchor', sa.Date(), nullable=True))
        batch.add_column(sa.Column('parent_topic', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('scenario_min_hours', sa.Float(), nullable=True))
        batch.add_column(sa.Column('online_allowed', sa.Boolean(), nullable=True))
    with op.batch_alter_table('officers') as batch:
        batch.add_column(sa.Column('unit', sa.String(length=100), nullable=True))
    op.create_table('alerts_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=64), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('mark', sa.Integer(), nullable=False),
    sa.Column('emailed', sa.Boolean(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_alerts_sent_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts_sent')),
    sa.UniqueConstraint('officer_id', 'topic', 'deadline', 'mark', name='uq_alerts_sent_key')
    )
    op.create_index(op.f('ix_alerts_sent_officer_id'), 'alerts_sent', ['officer_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_alerts_sent_officer_id'), table_name='alerts_sent')
    op.drop_table('alerts_sent')
    with op.batch_alter_table('officers') as batch:
        batch.drop_column('unit')
    with op.batch_alter_table('standards') as batch:
        batch.drop_column('online_allowed')
        batch.drop_column('scenario_min_hours')
        batch.drop_column('parent_topic')
        batch.drop_column('cycle_anchor')
        batch.drop_column('cycle_kind')
