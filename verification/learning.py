"""Learning from corrections: a reviewer's mapping of a misread text to a reference row.

When a reviewer corrects a record so that an OCR'd name and badge, POST number or title now
points at a roster officer or a catalog course, the text *as read* is kept with that target.
A later document carrying exactly the same misreading is matched through the mapping before
any fuzzy matching, and its explanation says so (``method = "learned"``). Keys are normalised
texts, so only the same misreading benefits: a mapping never widens what fuzzy matching accepts.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog import memo
from course_catalog.keys import compact_key, normalize_badge
from course_catalog.models import Course, Officer
from verification.matching import EXACT, MatchResult
from verification.models import LearnedMapping

OFFICER = "officer"
COURSE_POST_NUMBER = "course_post_number"
COURSE_TITLE = "course_title"
LEARNED = "learned"


def _words(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def officer_key(name: str | None, badge: str | None) -> str | None:
    """The key of an officer misreading: badge and name as read, both required."""
    badge_key, name_key = normalize_badge(badge), _words(name)
    return f"{badge_key}|{name_key}" if badge_key and name_key else None


def course_key(post_number: str | None, title: str | None) -> tuple[str, str] | None:
    """(kind, key) of a course misreading: the POST number as read, else the title."""
    if post_number and compact_key(post_number):
        return COURSE_POST_NUMBER, compact_key(post_number)
    if _words(title):
        return COURSE_TITLE, _words(title)
    return None


def find_mapping(session: Session, kind: str, key: str | None) -> LearnedMapping | None:
    """The mapping learned for ``key``, if any."""
    if not key:
        return None
    stmt = select(LearnedMapping).where(LearnedMapping.kind == kind, LearnedMapping.raw_key == key)
    return session.scalars(stmt).first()


def learn_mapping(
    session: Session, kind: str, key: str | None, target_id: int, actor: str, record_id: str
) -> LearnedMapping | None:
    """Keep (or re-point) the mapping ``key`` -> ``target_id``; flushed, not committed."""
    if not key:
        return None
    row = find_mapping(session, kind, key)
    if row is None:
        row = LearnedMapping(kind=kind, raw_key=key, target_id=target_id)
        session.add(row)
    row.target_id, row.created_by, row.record_id = target_id, actor, record_id
    session.flush()
    memo.forget(session)  # matches remembered in this transaction may now differ
    return row


def _learned_why(what: str, label: str, row: LearnedMapping) -> str:
    when = row.created_at.date().isoformat() if row.created_at else "earlier"
    return (
        f"{what} was mapped to {label} by reviewer {row.created_by} on {when} "
        f"(learned from the correction of record {row.record_id})"
    )


def apply_learned_officer(
    session: Session, found: MatchResult[Officer], name: str | None, badge: str | None
) -> MatchResult[Officer]:
    """An exact roster match stands; otherwise a learned mapping for this misreading wins."""
    if found.matched and found.method == EXACT:
        return found
    row = find_mapping(session, OFFICER, officer_key(name, badge))
    officer = session.get(Officer, row.target_id) if row else None
    if officer is None:
        return found
    label = f"{officer.full_name} #{officer.badge_number}"
    why = _learned_why(f"name {name!r} with badge {badge!r}", label, row)
    return MatchResult(officer, 100.0, why, LEARNED, found.candidates, officer.badge_number)


def apply_learned_course(
    session: Session, found: MatchResult[Course], post_number: str | None, title: str | None
) -> MatchResult[Course]:
    """An exact catalog match stands; otherwise a learned mapping for this misreading wins."""
    if found.matched and found.method == EXACT:
        return found
    kind_key = course_key(post_number, title)
    row = find_mapping(session, *kind_key) if kind_key else None
    course = session.get(Course, row.target_id) if row else None
    if course is None:
        return found
    what = f"POST number {post_number!r}" if post_number else f"title {title!r}"
    label = f"{course.post_number} {course.title} ({course.state})"
    why = _learned_why(what, label, row)
    return MatchResult(course, 100.0, why, LEARNED, found.candidates, course.post_number)
