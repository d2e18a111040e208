"""batches.agency and learned_layouts.columns: layouts per agency, sheets' columns (issue 17)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # add_column in place (no batch copy): other tables refer to both
    op.add_column('batches', sa.Column('agency', sa.String(length=200), nullable=True))
    op.add_column('learned_layouts', sa.Column('columns', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('learned_layouts') as batch:
        batch.drop_column('columns')
    with op.batch_alter_table('batches') as batch:
        batch.drop_column('agency')
