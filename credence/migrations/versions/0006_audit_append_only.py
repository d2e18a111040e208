"""audit_append_only: record_events refuses UPDATE and DELETE and carries a hash chain

Issue 19: UPDATE and DELETE on the audit table succeeded on SQLite and PostgreSQL. Triggers
now refuse both (and TRUNCATE on PostgreSQL), whoever tries: the app, SQL typed by hand.
Each event gets ``prev_hash`` and ``hash`` (verification.audit); the events already there are
chained here in id order, before the triggers exist. ``record_event_chain`` holds the newest
hash, the row writers lock while they chain.

SQLite drops a table's triggers when batch mode rebuilds the table: a later migration that
rebuilds ``record_events`` must create its triggers again (``create_triggers``).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 11:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_PG_FUNCTION = 'credence_audit_append_only'
_MESSAGE = 'record_events is append-only'

_events = sa.table(
    'record_events',
    sa.column('id', sa.Integer()),
    sa.column('record_id', sa.String()),
    sa.column('actor', sa.String()),
    sa.column('action', sa.String()),
    sa.column('before', sa.JSON()),
    sa.column('after', sa.JSON()),
    sa.column('why', sa.Text()),
    sa.column('at', sa.DateTime(timezone=True)),
    sa.column('prev_hash', sa.String()),
    sa.column('hash', sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table('record_events') as batch:
        batch.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    op.create_table(
        'record_event_chain',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('head_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_record_event_chain')),
    )
    head = _chain_existing_events()
    op.execute(sa.text("INSERT INTO record_event_chain (id, head_hash) VALUES (1, :h)")
               .bindparams(h=head))
    create_triggers()


def _chain_existing_events() -> str:
    """Hash the events already stored, oldest first; return the newest hash."""
    from verification.audit import GENESIS, event_content, event_hash

    bind = op.get_bind()
    head = GENESIS
    rows = bind.execute(sa.select(_events).order_by(_events.c.id)).all()
    for row in rows:
        digest = event_hash(head, event_content(row))
        bind.execute(
            _events.update().where(_events.c.id == row.id).values(prev_hash=head, hash=digest)
        )
        head = digest
    return head


def create_triggers() -> None:
    """The triggers that refuse changing or removing an event."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"CREATE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_MESSAGE}: % refused', TG_OP; END $$"
        )
        op.execute(
            "CREATE TRIGGER record_events_append_only BEFORE UPDATE OR DELETE ON record_events "
            f"FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
        op.execute(
            "CREATE TRIGGER record_events_no_truncate BEFORE TRUNCATE ON record_events "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()"
        )
        return
    for event in ('UPDATE', 'DELETE'):
        op.execute(
            f"CREATE TRIGGER record_events_no_{event.lower()} BEFORE {event} ON record_events "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: {event} refused'); END"
        )


def drop_triggers() -> None:
    """Remove the triggers (downgrade; a test that tampers on purpose)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS record_events_append_only ON record_events")
        op.execute("DROP TRIGGER IF EXISTS record_events_no_truncate ON record_events")
        op.execute(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()")
    else:
        for event in ('update', 'delete'):
            op.execute(f"DROP TRIGGER IF EXISTS record_events_no_{event}")


def downgrade() -> None:
    drop_triggers()
    op.drop_table('record_event_chain')
    with op.batch_alter_table('record_events') as batch:
        batch.drop_column('hash')
        batch.drop_column('prev_hash')
