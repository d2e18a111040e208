"""Read functions over the reference data. They never write and never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog import snapshot
from course_catalog.keys import normalize_badge, normalize_post_number
from course_catalog.memo import remembered
from course_catalog.models import Course, Instructor, Officer, Standard
from extractors.types import ReferenceHints


def standards_for(session: Session, state: str, topic: str) -> list[Standard]:
    """Every version of the standard for ``topic`` in ``state``, oldest first.

    Args:
        session: an open session.
        state: two-letter code (any case).
        topic: topic tag (any case; tags are stored lower-case).

    Returns:
        Standards ordered by ``effective_from``, then id.
    """
    stmt = (
        select(Standard)
        .where(Standard.state == state.strip().upper(), Standard.topic == topic.strip().lower())
        .order_by(Standard.effective_from, Standard.id)
    )
    return list(session.scalars(stmt))


def standards_named(session: Session, state: str, standard: str) -> list[Standard]:
    """The rows of standard ``standard`` in ``state`` (normally one: its topic's version).

    Returns:
        Rows ordered by topic, then id; empty when the state has no such standard.
    """
    stmt = (
        select(Standard)
        .where(Standard.state == state.strip().upper(), Standard.standard == standard.strip())
        .order_by(Standard.topic, Standard.id)
    )
    return list(session.scalars(stmt))


def standard_in_force(session: Session, state: str, topic: str, on_date: date) -> Standard | None:
    """The standard in force on ``on_date``: the latest ``effective_from`` on or before it.

    Two versions that take effect on the same day are a catalog error; this function then
    returns the one loaded last (highest id). Verification checks for such ties itself and
    sends the record to review.

    Returns:
        The standard, or ``None`` when no version had taken effect yet.
    """
    stmt = (
        select(Standard)
        .where(
            Standard.state == state.strip().upper(),
            Standard.topic == topic.strip().lower(),
            Standard.effective_from <= on_date,
        )
        .order_by(Standard.effective_from.desc(), Standard.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def all_courses(session: Session) -> Sequence[Course]:
    """The whole catalog, in id order: the process's shared copy (read only) when current,
    else loaded once per transaction."""
    snap = snapshot.current(session)
    if snap is not None:
        return snap.courses
    return remembered(session, "all_courses",
                      lambda: tuple(session.scalars(select(Course).order_by(Course.id))))


def all_officers(session: Session) -> Sequence[Officer]:
    """The whole roster, in id order: shared (read only) or per transaction, as above."""
    snap = snapshot.current(session)
    if snap is not None:
        return snap.officers
    return remembered(session, "all_officers",
                      lambda: tuple(session.scalars(select(Officer).order_by(Officer.id))))


def all_instructors(session: Session) -> Sequence[Instructor]:
    """The whole instructor registry, in id order: shared (read only) or per transaction."""
    snap = snapshot.current(session)
    if snap is not None:
        return snap.instructors
    return remembered(session, "all_instructors",
                      lambda: tuple(session.scalars(select(Instructor).order_by(Instructor.id))))


def course_by_post_number(session: Session, number: str) -> Course | None:
    """The course stored under ``number``, compared in normal form (case, spaces, dashes).

    No OCR correction here: that is ``verification.matching``'s job, with its reasons.

    Returns:
        The course, or ``None`` when none or more than one course has that normal form.
    """
    exact = session.scalars(select(Course).where(Course.post_number == number.strip())).first()
    if exact is not None:
        return exact
    key = normalize_post_number(number)
    if not key:
        return None
    hits = [c for c in all_courses(session) if normalize_post_number(c.post_number) == key]
    return hits[0] if len(hits) == 1 else None


def officer_by_badge(session: Session, badge: str) -> Officer | None:
    """The roster officer with ``badge`` (``#``, ``No.``, spaces and case ignored).

    Returns:
        The officer, or ``None`` when none or more than one officer has that badge.
    """
    exact = session.scalars(select(Officer).where(Officer.badge_number == badge.strip())).first()
    if exact is not None:
        return exact
    key = normalize_badge(badge)
    if not key:
        return None
    hits = [o for o in all_officers(session) if normalize_badge(o.badge_number) == key]
    return hits[0] if len(hits) == 1 else None


def reference_hints(session: Session) -> ReferenceHints:
    """The vocabulary extractors may use to choose between readings (plain data).

    Returns:
        Sorted, de-duplicated officer full names, badges, instructor names, course titles
        and POST numbers, and the badge/name and number/title pairs.
    """
    return snapshot.shared(session, "reference_hints", lambda: _hints(session))


def _hints(session: Session) -> ReferenceHints:
    officers = all_officers(session)
    courses = all_courses(session)
    return ReferenceHints(
        officer_names=tuple(sorted({o.full_name for o in officers})),
        badge_numbers=tuple(sorted({o.badge_number for o in officers})),
        instructor_names=tuple(sorted({i.name for i in all_instructors(session)})),
        course_titles=tuple(sorted({c.title for c in courses})),
        post_numbers=tuple(sorted({c.post_number for c in courses})),
        officers=tuple(sorted({(o.badge_number, o.full_name) for o in officers})),
        courses=tuple(sorted({(c.post_number, c.title) for c in courses})),
    )
