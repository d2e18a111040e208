"""document_timings: where each document's processing time went

Issue 13: ``documents.timings`` holds the per-stage wall time and tesseract runs of the
document's processing (``extractors.timing.StageTimes.to_dict``), so a benchmark or an
operator can sum where a batch's time went. NULL for documents processed before.

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-05 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on every backend: a batch (copy-and-move) on SQLite would drop the
    # documents table, which rows of other tables refer to.
    op.add_column('documents', sa.Column('timings', sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column('documents', 'timings')  # SQLite >= 3.35 drops a column in place
