"""The candidates the review page offers for the officer and the course, with the values a
choice fills in and a score that tells them apart.

The matcher keeps up to three closest rows per record, scored by the test that rejected them,
so on the review screen they often all read "100" (issue 18) and a course of another state can
stand beside the officer's own. Here the course candidates are ranked afresh against what was
read (number and title together) among the courses of the officer's state, and every candidate
carries the field values it stands for, so that picking it fills the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from course_catalog.keys import compact_key
from course_catalog.models import Course, Officer
from course_catalog.queries import all_courses

MAX_CANDIDATES = 3


@dataclass(frozen=True)
class Choice:
    """One candidate: its id, what it reads as, a 0-100 score, the fields it fills."""

    kind: str
    id: int
    label: str
    score: int
    values: dict[str, str]


def _read(record_fields: dict[str, Any], name: str) -> str:
    value = (record_fields.get(name) or {}).get("value")
    raw = (record_fields.get(name) or {}).get("raw_text")
    return str(value if value not in (None, "") else raw or "")


def course_score(post_number: str, title: str, course: Course) -> int:
    """How well a catalog course fits the number and title read (0-100).

    The number weighs more than the title (a title is often shortened on the paper), and an
    absent reading gives no points rather than a perfect score.
    """
    number = (
        fuzz.ratio(compact_key(post_number), compact_key(course.post_number)) if post_number else 0
    )
    words = fuzz.token_set_ratio(title.lower(), course.title.lower()) if title else 0
    both = 0.6 * number + 0.4 * words if post_number and title else max(number, words) * 0.8
    return round(both)


def officer_state(
    session: Session, explanation: dict[str, Any], candidate_ids: list[int]
) -> str | None:
    """The state of the officer the record is attributed to, or of the best officer candidate."""
    officer = explanation.get("officer") or {}
    ids = [officer["id"]] if officer.get("id") else candidate_ids[:1]
    for officer_id in ids:
        row = session.get(Officer, officer_id)
        if row is not None:
            return row.state
    return None


def course_choices(
    session: Session, record_fields: dict[str, Any], state: str | None
) -> list[Choice]:
    """The catalog courses closest to what was read, within ``state`` when it is known."""
    number, title = _read(record_fields, "post_number"), _read(record_fields, "course_title")
    if not number and not title:
        return []
    courses = [c for c in all_courses(session) if state is None or c.state == state]
    scored = sorted(
        ((course_score(number, title, c), c) for c in courses),
        key=lambda sc: (-sc[0], sc[1].post_number, sc[1].id),
    )
    return [
        Choice(
            "course",
            c.id,
            f"{c.post_number} {c.title} ({c.state})",
            score,
            {"post_number": c.post_number, "course_title": c.title},
        )
        for score, c in scored[:MAX_CANDIDATES]
        if score > 0
    ]


def officer_choices(session: Session, candidates: list[dict[str, Any]]) -> list[Choice]:
    """The matcher's roster candidates, each with the name and badge it fills in."""
    out = []
    for c in candidates:
        row = session.get(Officer, c["id"])
        if row is None:
            continue
        out.append(
            Choice(
                "officer",
                row.id,
                c.get("label") or f"{row.full_name} #{row.badge_number}",
                round(c.get("score") or 0),
                {"officer_name": row.full_name, "badge_number": row.badge_number},
            )
        )
    return out


def review_choices(
    session: Session,
    record_fields: dict[str, Any],
    explanation: dict[str, Any],
    reasons: list[str],
) -> dict[str, list[Choice]]:
    """Officer and course candidates for the review page, where their rule failed."""
    matches = explanation.get("matches") or {}
    officer_raw = (matches.get("officer") or {}).get("candidates") or []
    out: dict[str, list[Choice]] = {"officer": [], "course": []}
    if "officer_not_on_roster" in reasons or not (explanation.get("officer") or {}).get("id"):
        out["officer"] = officer_choices(session, officer_raw)
    if "post_number_unknown" in reasons or not explanation.get("course"):
        state = officer_state(session, explanation, [c["id"] for c in officer_raw])
        out["course"] = course_choices(session, record_fields, state)
    return out
