"""Hand-made reference data and training records for the compliance report tests.

Rows are written with the real models into the real test database; nothing is mocked.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from course_catalog.models import Course, Officer, Standard
from ingestion.models import Document, Page
from verification.models import RecordEvent, TrainingRecord

_ids = itertools.count(1)

DEESC = "de-escalation"


def add_standard(
    session: Session,
    standard: str = "TX-DEESC-2020",
    *,
    state: str = "TX",
    topic: str = DEESC,
    effective_from: date = date(2020, 1, 1),
    min_hours: float = 8.0,
    cycle_months: int = 24,
    applies_to: tuple[str, ...] = ("sworn",),
    **extra,
) -> Standard:
    s = Standard(
        state=state,
        topic=topic,
        standard=standard,
        effective_from=effective_from,
        min_hours=min_hours,
        cycle_months=cycle_months,
        scenario_required=extra.pop("scenario_required", False),
        certified_instructor_required=extra.pop("certified_instructor_required", False),
        applies_to=list(applies_to),
        **extra,
    )
    session.add(s)
    session.flush()
    return s


def add_officer(
    session: Session,
    badge: str,
    *,
    state: str = "TX",
    role: str = "sworn",
    cycle_start: date | None = date(2025, 1, 1),
    cycle_end: date | None = date(2026, 12, 31),
    unit: str | None = None,
    first: str = "Pat",
    last: str | None = None,
) -> Officer:
    o = Officer(
        badge_number=badge,
        first_name=first,
        last_name=last or f"Officer{badge}",
        state=state,
        role=role,
        cycle_start=cycle_start,
        cycle_end=cycle_end,
        unit=unit,
    )
    session.add(o)
    session.flush()
    return o


def add_course(
    session: Session,
    post_number: str,
    *,
    topics: tuple[str, ...] = (DEESC,),
    hours: float = 8.0,
    format: str = "classroom",
    standard: str = "TX-DEESC-2020",
    state: str = "TX",
    title: str | None = None,
) -> Course:
    c = Course(
        post_number=post_number,
        title=title or f"Course {post_number}",
        state=state,
        topics=list(topics),
        hours=hours,
        format=format,
        standard=standard,
        approved_from=date(2019, 1, 1),
        approved_until=None,
    )
    session.add(c)
    session.flush()
    return c


def add_record(
    session: Session,
    officer: Officer,
    course: Course | None,
    day: date | None,
    hours: float,
    *,
    status: str = "verified",
    standard: Standard | None = None,
    image: Path | None = None,
    reasons: tuple[str, ...] = (),
) -> TrainingRecord:
    """One record on its own one-page document; credited only when ``verified``."""
    n = next(_ids)
    digest = hashlib.sha256(f"doc-{n}".encode()).hexdigest()
    doc = Document(
        id=f"doc{n:06d}",
        sha256=digest,
        source_filename=f"scans/cert-{n}.pdf",
        size_bytes=1000,
        status="done",
        page_count=1,
    )
    session.add(doc)
    session.add(
        Page(
            document_id=doc.id, number=1, kind="certificate", source="ocr", width=612,
            height=792, image_path=str(image) if image else None,
        )
    )
    verified = status == "verified"
    record = TrainingRecord(
        id=f"rec{n:06d}",
        document_id=doc.id,
        page=1,
        document_kind="certificate",
        fields={
            "hours": {"value": hours, "raw_text": str(hours), "confidence": 0.97},
            "course_title": {"value": course.title if course else "Unknown class"},
        },
        status=status,
        reasons=list(reasons),
        credit_topics=list(course.topics) if verified and course else [],
        credit_hours=hours if verified else 0.0,
        officer_id=officer.id,
        course_id=course.id if course else None,
        standard_id=standard.id if standard else None,
        training_date=day,
        explanation={"rules": [{"rule": "check_officer", "passed": True},
                               {"rule": "check_course", "passed": True}]},
    )
    session.add(record)
    session.flush()  # no ORM relationship orders the history row after its record
    session.add(RecordEvent(record_id=record.id, actor="credence", action="created"))
    session.flush()
    return record
