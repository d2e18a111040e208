"""Data for the compliance dashboard and the officer profile (the web views render these).

``dashboard_summary`` is roster-wide compliance at a glance (counts by status, hours against
the requirement per officer, the due-soon and overdue lists, the deadline alerts), filterable
by unit, role and state. ``officer_profile`` is one officer's statuses and every training
record attributed to them, each with the scan page it came from and how it was verified.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog.models import Course, Instructor, Officer, Standard
from course_catalog.queries import officer_by_badge
from extractors.errors import CredenceError
from ingestion.models import Document, Page
from reports.compliance import Status, TopicStatus, officer_compliance, roster_compliance
from reports.reminders import Alert, current_alerts
from verification.models import RecordEvent, RecordStatus, TrainingRecord

# The actor ``verification.records`` writes for automatic decisions; anyone else is a person.
SYSTEM_ACTOR = "credence"


class OfficerNotFoundError(CredenceError):
    """No roster officer has the badge asked for."""

    code = "officer_not_found"


@dataclass(frozen=True)
class HoursBar:
    """One bar of the hours chart: credited (and pending) hours against the minimum."""

    badge_number: str
    name: str
    topic: str
    credited_hours: float
    pending_hours: float
    min_hours: float
    status: Status


@dataclass(frozen=True)
class DashboardSummary:
    """Roster-wide compliance on one date, after the filters."""

    as_of: date
    filters: dict[str, str | None]
    counts: dict[str, int]
    bars: tuple[HoursBar, ...]
    due_soon: tuple[TopicStatus, ...]
    overdue: tuple[TopicStatus, ...]
    missing: tuple[TopicStatus, ...]
    alerts: tuple[Alert, ...]
    units: tuple[str, ...]
    roles: tuple[str, ...]
    states: tuple[str, ...]
    statuses: tuple[TopicStatus, ...] = ()  # every officer and topic, for the lists that filter

    def coverage(self) -> tuple[tuple[str, int], ...]:
        """How many officers have how much of their requirement: the at-a-glance chart."""
        edges = (0.25, 0.5, 0.75, 1.0)
        labels = ("under 25%", "25-49%", "50-74%", "75-99%", "100% or more")
        counts = [0] * len(labels)
        for bar in self.bars:
            share = bar.credited_hours / bar.min_hours if bar.min_hours else 1.0
            counts[sum(share + 1e-9 >= e for e in edges)] += 1
        return tuple(zip(labels, counts, strict=True))


@dataclass(frozen=True)
class RecordLine:
    """One training record of an officer, with its evidence and how it was decided."""

    record_id: str
    status: str
    reasons: tuple[str, ...]
    training_date: date | None
    course_title: str | None
    post_number: str | None
    course_format: str | None
    standard: str | None
    instructor: str | None
    instructor_certification: str | None
    hours: float | None
    credit_hours: float
    credit_topics: tuple[str, ...]
    document_id: str
    source_filename: str
    document_sha256: str
    page: int
    page_id: int | None
    page_image_path: str | None
    verification: str


@dataclass(frozen=True)
class OfficerProfile:
    """One officer's statuses and complete record."""

    officer: Officer
    as_of: date
    statuses: tuple[TopicStatus, ...]
    records: tuple[RecordLine, ...]

    @property
    def credited(self) -> tuple[RecordLine, ...]:
        """Verified records, oldest first."""
        return tuple(r for r in self.records if r.status == RecordStatus.VERIFIED)


def dashboard_summary(
    session: Session,
    as_of: date,
    *,
    unit: str | None = None,
    role: str | None = None,
    state: str | None = None,
) -> DashboardSummary:
    """Roster compliance at a glance for the dashboard (read only)."""
    statuses = roster_compliance(session, as_of, unit=unit, role=role, state=state)
    counts = Counter(str(s.status) for s in statuses)
    bars = tuple(
        HoursBar(s.badge_number, s.name, s.topic, s.credited_hours, s.pending_hours,
                 s.requirement.min_hours, s.status)
        for s in statuses
        if s.requirement is not None and s.status is not Status.NOT_APPLICABLE
    )
    by_days = sorted(
        (s for s in statuses if s.days_left is not None), key=lambda s: s.days_left
    )
    units, roles, states = _filter_options(session)
    return DashboardSummary(
        as_of=as_of,
        filters={"unit": unit, "role": role, "state": state},
        counts={str(k): counts.get(str(k), 0) for k in Status},
        bars=bars,
        due_soon=tuple(s for s in by_days if s.status is Status.DUE_SOON),
        overdue=tuple(s for s in by_days if s.status is Status.OVERDUE),
        missing=tuple(s for s in statuses if s.status is Status.MISSING_DATA),
        alerts=tuple(current_alerts(session, statuses)),
        units=units,
        roles=roles,
        states=states,
        statuses=tuple(statuses),
    )


def _filter_options(session: Session) -> tuple[tuple[str, ...], ...]:
    rows = session.execute(select(Officer.unit, Officer.role, Officer.state).distinct()).all()
    return tuple(tuple(sorted({r[i] for r in rows if r[i]})) for i in range(3))


def officer_profile(session: Session, badge: str, as_of: date) -> OfficerProfile:
    """One officer's statuses and every record attributed to them, oldest training first.

    Raises:
        OfficerNotFoundError: no roster officer has ``badge``.
    """
    officer = officer_by_badge(session, badge)
    if officer is None:
        raise OfficerNotFoundError(f"no officer with badge {badge!r} on the roster")
    statuses = tuple(officer_compliance(session, officer, as_of))
    return OfficerProfile(officer, as_of, statuses, tuple(_record_lines(session, officer)))


def _record_lines(session: Session, officer: Officer) -> list[RecordLine]:
    stmt = (
        select(TrainingRecord, Document, Course, Standard, Instructor, Page.id, Page.image_path)
        .join(Document, Document.id == TrainingRecord.document_id)
        .outerjoin(Course, Course.id == TrainingRecord.course_id)
        .outerjoin(Standard, Standard.id == TrainingRecord.standard_id)
        .outerjoin(Instructor, Instructor.id == TrainingRecord.instructor_id)
        .outerjoin(
            Page, (Page.document_id == TrainingRecord.document_id)
            & (Page.number == TrainingRecord.page)
        )
        .where(TrainingRecord.officer_id == officer.id)
        .order_by(TrainingRecord.training_date, TrainingRecord.id)
    )
    rows = session.execute(stmt).all()
    reviews = _reviews(session, [r[0].id for r in rows])
    return [_line(*row, reviews.get(row[0].id)) for row in rows]


def _reviews(session: Session, record_ids: list[str]) -> dict[str, RecordEvent]:
    """The latest human decision per record (events by someone other than Credence)."""
    if not record_ids:
        return {}
    events = session.scalars(
        select(RecordEvent)
        .where(RecordEvent.record_id.in_(record_ids))
        .order_by(RecordEvent.at, RecordEvent.id)
    )
    return {e.record_id: e for e in events if e.actor != SYSTEM_ACTOR and e.action != "created"}


def _line(record, doc, course, standard, instructor, page_id, image_path, review) -> RecordLine:
    fields: dict[str, Any] = record.fields or {}

    def read(name: str) -> Any:
        f = fields.get(name) or {}
        return f.get("matched", f.get("value"))

    hours = (fields.get("hours") or {}).get("value")
    return RecordLine(
        record_id=record.id,
        status=record.status,
        reasons=tuple(record.reasons or ()),
        training_date=record.training_date,
        course_title=course.title if course else read("course_title"),
        post_number=course.post_number if course else read("post_number"),
        course_format=course.format if course else read("training_format"),
        standard=standard.standard if standard else (course.standard if course else None),
        instructor=instructor.name if instructor else read("instructor_name"),
        instructor_certification=instructor.certification_number if instructor else None,
        hours=float(hours) if isinstance(hours, int | float) else None,
        credit_hours=float(record.credit_hours or 0),
        credit_topics=tuple(record.credit_topics or ()),
        document_id=doc.id,
        source_filename=doc.source_filename,
        document_sha256=doc.sha256,
        page=record.page,
        page_id=page_id,
        page_image_path=image_path,
        verification=verification_statement(record, review),
    )


def verification_statement(record: TrainingRecord, review: RecordEvent | None = None) -> str:
    """How the record was decided, in a sentence an auditor can read."""
    rules = (record.explanation or {}).get("rules") or []
    passed = [r.get("rule", "?") for r in rules if r.get("passed")]
    checks = f" ({len(passed)} checks passed: {', '.join(passed)})" if passed else ""
    if review is not None:
        when = review.at.date().isoformat() if review.at else "?"
        why = f": {review.why}" if review.why else ""
        return f"{review.action} by reviewer {review.actor} on {when}{why}{checks}."
    if record.status == RecordStatus.VERIFIED:
        # Only what the record shows: "verified" means every rule that applied passed.
        return (
            "Verified automatically by Credence against the roster, the approved-course"
            f" catalog and the standard in force on the training date{checks}."
        )
    reasons = ", ".join(record.reasons or ()) or "no reason recorded"
    return f"Not credited ({record.status}): {reasons}."
