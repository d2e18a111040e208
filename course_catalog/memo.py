"""Reference data remembered for the rest of one transaction.

A sign-in sheet's rows are verified one after another against the same roster, catalog and
standards; loading the roster and matching the sheet's course again for every row was most of
a sheet's verification time. What is remembered lives in the session's ``info`` and is
forgotten when the transaction ends (commit or rollback) and whenever the session flushes a
change to reference data, so within a transaction it is never staler than the session's own
reads. Callers that change other data a remembered value depends on (learned mappings) call
:func:`forget` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from course_catalog.models import Course, Instructor, Officer, Standard

T = TypeVar("T")

_KEY = "credence.memo"
_REFERENCE = (Course, Instructor, Officer, Standard)


def remembered(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, computed once per transaction for ``key``."""
    if any(isinstance(obj, _REFERENCE) for obj in (*session.new, *session.deleted)):
        forget(session)  # an unflushed addition or deletion would not be seen otherwise
    memo: dict[Hashable, Any] = session.info.setdefault(_KEY, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(session: Session) -> None:
    """Drop everything remembered in ``session``."""
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _transaction_ended(session: Session, *_: Any) -> None:
    forget(session)


@event.listens_for(Session, "after_flush")
def _reference_changed(session: Session, _flush_context: Any) -> None:
    if _KEY not in session.info:
        return
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, _REFERENCE) for obj in changed):
        forget(session)
