"""documents.held_by: the process that holds a queued or processing document

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 06:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.add_column(sa.Column('held_by', sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('documents') as batch:
        batch.drop_column('held_by')
