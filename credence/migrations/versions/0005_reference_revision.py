"""reference_revision: a token that changes with every change to the reference data

Every process keeps one copy of the roster, catalog and instructor registry and reads it
again only when this token differs from the one it loaded with (course_catalog.snapshot).
Triggers change the token in the same transaction as any insert, update or delete on the
four reference tables, whoever makes it (an import, the web app, SQL typed by hand). The
token is random, not a counter: a transaction that rolls back never leaves behind a value
another change could reach again.

SQLite drops a table's triggers when batch mode rebuilds the table: a later migration that
rebuilds one of these tables must create its triggers again (``create_triggers``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

TABLES = ('courses', 'officers', 'instructors', 'standards')
_PG_FUNCTION = 'credence_reference_changed'


def upgrade() -> None:
    op.create_table(
        'reference_revision',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('token', sa.String(length=64), nullable=False),
    )
    op.execute("INSERT INTO reference_revision (id, token) VALUES (1, 'initial')")
    create_triggers()


def create_triggers() -> None:
    """The triggers that change the token, on every reference table."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"CREATE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN UPDATE reference_revision "
            "SET token = md5(random()::text || clock_timestamp()::text); "
            "RETURN NULL; END $$"
        )
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
            )
        return
    for table in TABLES:  # SQLite: row triggers only
        for event in ('INSERT', 'UPDATE', 'DELETE'):
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_changed AFTER {event} ON {table} "
                "BEGIN UPDATE reference_revision SET token = lower(hex(randomblob(16))); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")
    else:
        for table in TABLES:
            for event in ('insert', 'update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_changed")
    op.drop_table('reference_revision')
