"""The reference data, loaded once per process and shared until it changes.

Every document is verified against the whole roster, catalog and instructor registry. Loading
them for every transaction cost more than reading a born-digital certificate, and with a
state-wide roster (thousands of officers) more than OCR'ing a page. So each process keeps one
copy, a :class:`Snapshot`, tagged with the database's reference token (migration 0005: triggers
give the token a new random value in the same transaction as any change to the reference
tables). A transaction uses the snapshot only when the token it sees is the snapshot's: a
change committed by any process, or made earlier in this very transaction, makes it load
afresh. A database without the token (built by ``create_all``, not by migrations) never
shares: each transaction loads its own, as :mod:`course_catalog.memo` does.

The rows in a snapshot are detached copies, loaded by a session of their own: read them,
never change them (changes go through a session's own query).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from course_catalog.memo import remembered
from course_catalog.models import Course, Instructor, Officer, ReferenceRevision, Standard

T = TypeVar("T")

_KEEP = 4  # databases a process remembers a snapshot for (tests open many)


@dataclass(eq=False)
class Snapshot:
    """The reference rows as of one token, and what was computed from them."""

    token: str
    courses: tuple[Course, ...]
    officers: tuple[Officer, ...]
    instructors: tuple[Instructor, ...]
    _derived: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` once per snapshot (two threads may both compute; one result stays)."""
        try:
            return self._derived[key]
        except KeyError:
            return self._derived.setdefault(key, compute())


_snapshots: dict[str, Snapshot] = {}
_has_table: dict[str, bool] = {}
_lock = threading.Lock()
_REFERENCE = (Course, Instructor, Officer, Standard)


def current(session: Session) -> Snapshot | None:
    """The shared snapshot, when it holds what this transaction sees; else ``None``."""
    if any(isinstance(o, _REFERENCE) for o in (*session.new, *session.dirty, *session.deleted)):
        return None  # this session is changing reference rows the snapshot cannot show yet
    return remembered(session, "reference_snapshot", lambda: _for(session))


def shared(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per snapshot when there is one, else once per transaction.

    ``compute`` must depend on nothing but the reference rows (read through
    :mod:`course_catalog.queries`).
    """
    snap = current(session)
    if snap is None:
        return remembered(session, key, compute)
    return snap.derived(key, compute)


def _for(session: Session) -> Snapshot | None:
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        return None  # bound to one connection (a test's outer transaction): do not share
    key = engine.url.render_as_string(hide_password=False)
    if not _has_token(key, engine):
        return None
    token = _token(session)
    if token is None:
        return None
    snap = _snapshots.get(key)
    if snap is not None and snap.token == token:
        return snap
    fresh = _load(engine)
    if fresh is None:
        return None
    with _lock:
        _snapshots.pop(key, None)
        _snapshots[key] = fresh
        while len(_snapshots) > _KEEP:
            _snapshots.pop(next(iter(_snapshots)))
    # Not the same token: this transaction sees changes not committed (its own) or is
    # older than the last commit; it reads its own rows.
    return fresh if fresh.token == token else None


def _has_token(key: str, engine: Engine) -> bool:
    """Whether the database has the token's table (asked once per database and process).

    Asked on a connection of its own: a failed query would end the caller's transaction on
    PostgreSQL.
    """
    if key not in _has_table:
        try:
            _has_table[key] = inspect(engine).has_table(ReferenceRevision.__tablename__)
        except SQLAlchemyError:
            return False
    return _has_table[key]


def _token(session: Session) -> str | None:
    return session.scalar(select(ReferenceRevision.token).where(ReferenceRevision.id == 1))


def _load(engine: Engine) -> Snapshot | None:
    """Committed reference rows and their token, read in one transaction of its own."""
    with Session(engine, expire_on_commit=False) as own:
        token = _token(own)
        if token is None:
            return None
        snap = Snapshot(
            token,
            tuple(own.scalars(select(Course).order_by(Course.id))),
            tuple(own.scalars(select(Officer).order_by(Officer.id))),
            tuple(own.scalars(select(Instructor).order_by(Instructor.id))),
        )
        own.expunge_all()  # detached as loaded: the rollback on close must not expire them
    return snap
