"""The audit log's hash chain: each record event carries the hash of the one before it.

Issue 19: UPDATE and DELETE on ``record_events`` succeeded, so a record's history could be
rewritten without a trace. Migration 0006 adds database triggers that refuse both; this
module makes any change made around them (triggers dropped, a restored copy edited) visible:
every event stores ``prev_hash`` (the previous event's ``hash``) and its own ``hash`` over its
content and ``prev_hash``; the newest hash is also kept in ``record_event_chain``.
:func:`verify_chain` walks the events in id order and names the first broken link.

Events are chained when they are flushed (a ``before_flush`` listener), whoever adds them.
The writer first updates the chain's head row, which takes the database's write lock on it
(a row lock on PostgreSQL, the write lock on SQLite), and only then reads the head: two
transactions never chain to the same predecessor. The lock is held until commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect, select, text, update
from sqlalchemy.orm import Session, SessionTransaction, SessionTransactionOrigin

from credence.db import as_utc, utcnow
from verification.models import RecordEvent, RecordEventChain, TrainingRecord

GENESIS = "0" * 64
_HEAD_ID = 1
#: ``Session.info`` key of the head this transaction holds the lock on (see :func:`_locked_head`).
_HELD_HEAD = "credence.audit.held_head"


def event_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the event's canonical content."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str)
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


def event_content(e: RecordEvent) -> dict[str, Any]:
    """What an event's hash covers: every column but the id and the hashes."""
    return {
        "record_id": e.record_id,
        "actor": e.actor,
        "action": e.action,
        "before": e.before,
        "after": e.after,
        "why": e.why,
        "at": _moment(e.at),
    }


def _moment(at: datetime | None) -> str | None:
    # SQLite gives the stored UTC moment back naive, PostgreSQL in the session's zone: one
    # spelling for both, to the microsecond both keep.
    if at is None:
        return None
    return as_utc(at).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def chain_events(session: Session, events: Iterable[RecordEvent]) -> None:
    """Give ``events`` (in the order they will be inserted) their place in the chain."""
    events = list(events)
    if not events:
        return
    head = _locked_head(session)
    for e in events:
        # Stored as an aware UTC moment so the hash reads the same after the round trip.
        e.at = as_utc(e.at) if e.at is not None else utcnow()
        e.prev_hash = head
        e.hash = head = event_hash(head, event_content(e))
    session.execute(
        update(RecordEventChain).where(RecordEventChain.id == _HEAD_ID).values(head_hash=head)
    )
    session.info[_HELD_HEAD] = head


def _locked_head(session: Session) -> str:
    """The newest event's hash, read under the write lock on the head row.

    The lock is held until the transaction ends, so once this transaction has read the head
    (or moved it), no one else can: a document's records then chain one after the other
    without locking and reading the head again for each (two statements a record, a
    quarter of a sign-in sheet's statements to PostgreSQL). The end of the transaction or
    of a savepoint forgets the head held (a savepoint rolled back may take events with it).
    """
    held = session.info.get(_HELD_HEAD)
    if held is not None:
        return held
    bind = session.connection()
    # An UPDATE first: it takes the lock (and on SQLite begins the write transaction)
    # before the head is read, so no other writer can chain in between.
    touched = bind.execute(
        text("UPDATE record_event_chain SET head_hash = head_hash WHERE id = :id"),
        {"id": _HEAD_ID},
    ).rowcount
    if not touched:  # a schema made without the migration (create_all): start the chain
        bind.execute(
            text("INSERT INTO record_event_chain (id, head_hash) VALUES (:id, :h)"),
            {"id": _HEAD_ID, "h": _last_hash(session)},
        )
    head = bind.execute(
        text("SELECT head_hash FROM record_event_chain WHERE id = :id"), {"id": _HEAD_ID}
    ).scalar_one()
    session.info[_HELD_HEAD] = head
    return head


@event.listens_for(Session, "after_transaction_end")
def _forget_held_head(session: Session, transaction: SessionTransaction) -> None:
    # A flush runs in a subtransaction of its own: its end releases nothing.
    if transaction.origin is not SessionTransactionOrigin.SUBTRANSACTION:
        session.info.pop(_HELD_HEAD, None)


def _last_hash(session: Session) -> str:
    last = session.execute(
        select(RecordEvent.hash).order_by(RecordEvent.id.desc()).limit(1)
    ).scalar_one_or_none()
    return last or GENESIS


@event.listens_for(Session, "before_flush")
def _chain_new_events(session: Session, _flush_context: Any, _instances: Any) -> None:
    new = [o for o in session.new if isinstance(o, RecordEvent)]
    if new:
        # The unit of work inserts one table's rows in the order they were added.
        chain_events(session, sorted(new, key=lambda o: inspect(o).insert_order))
    elif any(isinstance(o, TrainingRecord) for o in session.new):
        # A transaction that adds records takes the chain's lock before its first record,
        # not only before its first event: otherwise one holding the lock could wait on a
        # record another has inserted (the one-credit index) while that one waits for the
        # lock, a deadlock on PostgreSQL.
        _locked_head(session)


@dataclass(frozen=True)
class ChainResult:
    """The outcome of :func:`verify_chain`."""

    events: int
    head: str
    broken_at: int | None = None
    record_id: str | None = None
    why: str | None = None

    @property
    def intact(self) -> bool:
        """True when every link and the head hold."""
        return self.why is None


def verify_chain(session: Session) -> ChainResult:
    """Walk every event in id order; return the first broken link, if any."""
    expected = GENESIS
    count = 0
    query = select(RecordEvent).order_by(RecordEvent.id).execution_options(yield_per=1000)
    for e in session.scalars(query):
        count += 1
        if e.prev_hash != expected:
            why = ("an event before it was removed or changed" if e.prev_hash
                   else "it carries no hash (written around the chain)")
            return ChainResult(count, expected, e.id, e.record_id, why)
        if e.hash != event_hash(expected, event_content(e)):
            return ChainResult(count, expected, e.id, e.record_id, "its content was changed")
        expected = e.hash
    head = session.get(RecordEventChain, _HEAD_ID)
    if head is not None and head.head_hash != expected:
        return ChainResult(count, expected, None, None,
                           "the newest events were removed (the chain's head names another)")
    return ChainResult(count, expected)
