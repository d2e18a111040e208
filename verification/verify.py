"""Turn one extracted record into a decision: verified (credited) or why not.

The default is ``needs_review``. A record is ``verified``, and credited, only when every rule
passed; a rule that could not be evaluated never counts as passed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from course_catalog import queries, snapshot
from course_catalog.memo import remembered
from course_catalog.models import Course, Instructor, Officer, Standard
from extractors.types import DocumentKind, ExtractedRecord
from verification import learning, rules
from verification.matching import (
    MatchResult,
    Roster,
    match_course,
    match_instructor,
    match_officer,
    split_instructor_names,
)
from verification.models import RecordStatus
from verification.reasons import Reason

log = logging.getLogger(__name__)


@dataclass
class VerificationResult:
    """The decision on one record and everything it was based on.

    Attributes:
        status: ``verified`` | ``needs_review`` | ``duplicate``.
        reasons: reason codes, sorted and unique; empty exactly when verified.
        outcomes: every rule's outcome, in evaluation order.
        officer, course, instructor: the reference rows matched (``None`` when not).
        standard: the standard in force for the course on the training date (the first
            course topic that has one).
        credit_topics: the course's topics when verified, else empty.
        credit_hours: documented hours when verified (never above the course's), else 0.
        explanation: JSON-able account of the decision (catalog course, standard, roster
            officer, instructor, every rule's outcome and every match's ``why``).
        duplicate_of_id: the earlier record of the same training, when ``duplicate``.
        training_date: the date read, when it parsed.
        matches: the raw match results (officer, course, title, instructors).
    """

    status: str
    reasons: list[Reason]
    outcomes: list[rules.RuleOutcome]
    officer: Officer | None = None
    course: Course | None = None
    standard: Standard | None = None
    instructor: Instructor | None = None
    credit_topics: list[str] = field(default_factory=list)
    credit_hours: float = 0.0
    explanation: dict[str, Any] = field(default_factory=dict)
    duplicate_of_id: str | None = None
    training_date: date | None = None
    matches: dict[str, Any] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.status == RecordStatus.VERIFIED


def verify_extraction(
    session: Session, extracted: ExtractedRecord, *, exclude_record_id: str | None = None
) -> VerificationResult:
    """Check one extracted record against the roster, the catalog, the standards and history.

    Reads only; never writes or flushes anything of its own.

    Args:
        session: open session.
        extracted: one record as read from a page (a certificate or a sign-in row).
        exclude_record_id: the record being re-verified, so it is not its own duplicate.

    Returns:
        The decision with its reasons, matches and explanation.
    """
    if extracted.kind not in (DocumentKind.CERTIFICATE, DocumentKind.SIGN_IN_SHEET):
        return _not_training(extracted)

    on_date = rules.read_date(extracted.value("training_date"))
    hours = rules.read_hours(extracted.value("hours"))
    officer_m = match_officer(
        _roster(session),
        _text(extracted.value("officer_name")),
        _text(extracted.value("badge_number")),
    )
    # A reviewer's earlier correction of this very misreading (verification.learning).
    officer_m = learning.apply_learned_officer(
        session,
        officer_m,
        _text(extracted.value("officer_name")),
        _text(extracted.value("badge_number")),
    )
    course_m = _course_match(
        session, _text(extracted.value("post_number")), _text(extracted.value("course_title"))
    )
    officer, course = officer_m.item, course_m.item
    standards = remembered(
        session,
        ("standards", course.id if course else None, on_date),
        lambda: _standards_context(session, course, on_date),
    )
    instructor_ms = _match_instructors(session, extracted, course, standards, on_date)

    # Fields a requirement depends on must be read confidently too.
    requirements = standards.requirements
    also = ["training_format"] if any(s.scenario_required for s in requirements) else []
    if any(s.certified_instructor_required for s in requirements):
        also.append("instructor_name")
    outcomes = [
        rules.check_required_present(extracted),
        rules.check_readable(
            extracted, also, corroborated=rules.corroborated_fields(extracted, officer_m, course_m)
        ),
        rules.check_signed(extracted),
        rules.check_officer(officer_m),
        rules.check_course_known(course_m),
        rules.check_course_state(officer, course),
        rules.check_title(extracted.value("course_title"), course),
        rules.check_approval_window(course, on_date),
        rules.check_curriculum(course, on_date, standards),
        rules.check_scenario(course, extracted.value("training_format"), standards),
        rules.check_instructor(
            extracted.value("instructor_name"), instructor_ms, standards, on_date
        ),
        rules.check_hours(hours, course),
        rules.check_duplicate(session, officer, course, on_date, exclude_record_id),
    ]
    result = _decide(outcomes)
    result.officer, result.course, result.training_date = officer, course, on_date
    result.standard = _standard_of(standards)
    result.instructor = _chosen_instructor(instructor_ms, standards, on_date)
    result.matches = {"officer": officer_m, "course": course_m, "instructors": instructor_ms}
    if result.verified and course is not None and hours is not None:
        result.credit_topics = list(course.topics)
        result.credit_hours = min(hours, course.hours)
    result.explanation = _explain(result, officer_m, course_m, instructor_ms, standards)
    log.info(
        "verified page %s: %s %s",
        extracted.page_number,
        result.status,
        [str(r) for r in result.reasons],
    )
    return result


def warm_reference(session: Session) -> None:
    """Build the shared roster index now (a worker before it forks its jobs, issue 13)."""
    _roster(session)


def _roster(session: Session) -> Roster:
    return snapshot.shared(session, "roster", lambda: Roster.of(queries.all_officers(session)))


def _course_match(
    session: Session, post_number: str | None, title: str | None
) -> MatchResult[Course]:
    """The catalog match (a reviewer's learned mapping included) of a number and title.

    Remembered for the transaction: every row of a sign-in sheet carries the same header.
    """

    def compute() -> MatchResult[Course]:
        found = match_course(queries.all_courses(session), post_number, title=title)
        return learning.apply_learned_course(session, found, post_number, title)

    return remembered(session, ("course_match", post_number, title), compute)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _not_training(extracted: ExtractedRecord) -> VerificationResult:
    outcome = rules.RuleOutcome(
        Reason.NOT_TRAINING_DOCUMENT,
        False,
        {"document_kind": str(extracted.kind)},
        "check_training_document",
    )
    result = VerificationResult(
        RecordStatus.NEEDS_REVIEW, [Reason.NOT_TRAINING_DOCUMENT], [outcome]
    )
    result.explanation = {
        "status": result.status,
        "reasons": [str(Reason.NOT_TRAINING_DOCUMENT)],
        "rules": [outcome.to_dict()],
    }
    return result


def _standards_context(
    session: Session, course: Course | None, on_date: date | None
) -> rules.StandardsContext:
    """The course's own standard, every version per topic, and what was in force that day."""
    if course is None:
        return rules.StandardsContext()
    own = tuple(queries.standards_named(session, course.state, course.standard))
    versions = {}
    for topic in dict.fromkeys([*course.topics, *(s.topic for s in own)]):
        rows = queries.standards_for(session, course.state, topic)
        if rows:
            versions[topic] = rows
    in_force = rules.standards_in_force(versions, on_date) if on_date else {}
    return rules.StandardsContext(own, versions, in_force)


def _match_instructors(
    session: Session,
    extracted: ExtractedRecord,
    course: Course | None,
    standards: rules.StandardsContext,
    on_date: date | None,
) -> list[MatchResult[Instructor]]:
    names = split_instructor_names(_text(extracted.value("instructor_name")))
    if not names:
        return []
    requiring = [s.topic for s in standards.requirements if s.certified_instructor_required]
    topics = list(dict.fromkeys(requiring)) or (list(course.topics) if course else [])
    registry = queries.all_instructors(session)
    return [match_instructor(registry, n, topics=topics, on_date=on_date) for n in names]


def _decide(outcomes: list[rules.RuleOutcome]) -> VerificationResult:
    failed = [o for o in outcomes if not o.passed and not o.skipped]
    # A skipped rule always has a failed rule behind it (the missing input); should that ever
    # not hold, the skipped reasons are shown rather than an empty list.
    shown = failed or [o for o in outcomes if not o.passed]
    reasons = sorted({o.reason for o in shown}, key=str)
    duplicate = next((o for o in outcomes if o.reason == Reason.DUPLICATE and not o.passed), None)
    if duplicate is not None and not duplicate.skipped:
        status = RecordStatus.DUPLICATE
    elif not reasons and all(o.passed for o in outcomes):
        status = RecordStatus.VERIFIED
    else:
        status = RecordStatus.NEEDS_REVIEW
    dup_id = duplicate.evidence.get("duplicate_of") if status == RecordStatus.DUPLICATE else None
    return VerificationResult(status, reasons, outcomes, duplicate_of_id=dup_id)


def _standard_of(standards: rules.StandardsContext) -> Standard | None:
    """The standard in force for the course's own topic (the course's, when it passed)."""
    if not standards.own:
        return None
    own = standards.own[0]
    return standards.in_force.get(own.topic) or own


def _chosen_instructor(
    matches: Sequence[MatchResult[Instructor]],
    standards: rules.StandardsContext,
    on_date: date | None,
) -> Instructor | None:
    found = [m.item for m in matches if m.item is not None]
    if not found:
        return None
    requiring = [s.topic for s in standards.requirements if s.certified_instructor_required]
    if on_date is not None and requiring:
        for i in found:
            if any(rules.instructor_certified(i, t, on_date) for t in requiring):
                return i
    return found[0]


def _explain(
    result: VerificationResult,
    officer_m: MatchResult[Officer],
    course_m: MatchResult[Course],
    instructor_ms: Sequence[MatchResult[Instructor]],
    standards: rules.StandardsContext,
) -> dict[str, Any]:
    o, c, s, i = result.officer, result.course, result.standard, result.instructor
    notes = []
    if o is not None and s is not None and s.applies_to and o.role not in s.applies_to:
        notes.append(f"{s.standard} applies to {', '.join(s.applies_to)}; the officer is {o.role}")
    return _jsonable(
        {
            "status": result.status,
            "reasons": [str(r) for r in result.reasons],
            "training_date": result.training_date,
            "officer": o and {"id": o.id, "badge_number": o.badge_number, "name": o.full_name},
            "course": c
            and {
                "id": c.id,
                "post_number": c.post_number,
                "title": c.title,
                "state": c.state,
                "standard": c.standard,
                "hours": c.hours,
                "format": c.format,
            },
            "standard": s
            and {
                "id": s.id,
                "name": s.standard,
                "topic": s.topic,
                "effective_from": s.effective_from,
            },
            "standards_in_force": {
                t: {"id": v.id, "name": v.standard} for t, v in standards.in_force.items()
            },
            "instructor": i
            and {
                "id": i.id,
                "name": i.name,
                "certification_number": i.certification_number,
            },
            "matches": {
                "officer": officer_m.to_dict(),
                "course": course_m.to_dict(),
                "instructors": [m.to_dict() for m in instructor_ms],
            },
            "rules": [out.to_dict() for out in result.outcomes],
            "credit_topics": result.credit_topics,
            "credit_hours": result.credit_hours,
            "duplicate_of": result.duplicate_of_id,
            "notes": notes,
        }
    )


def _jsonable(value: Any) -> Any:
    """Dates to ISO strings, enums to their values, tuples and sets to lists, recursively."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value
