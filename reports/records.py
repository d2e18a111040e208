"""Finding records and reading the audit trail, for the web app's records and audit pages.

``search_records`` filters every extracted record by officer, badge, file, course, date,
status and reason and returns them in the export's contract shape, so the page, the CSV and
the XLSX of a search are the same rows. ``audit_events`` lists who did what and when across
records, with each change said in words.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from course_catalog.models import Course, Officer
from ingestion.models import Document, Page
from reports.records_export import contract_row
from verification.models import RecordEvent, TrainingRecord


@dataclass(frozen=True)
class RecordFilters:
    """A records search; every filter optional, text filters match a part, any case."""

    officer: str | None = None
    badge: str | None = None
    file: str | None = None
    course: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str | None = None
    reason: str | None = None

    def active(self) -> bool:
        """Whether any filter is set."""
        return any(v not in (None, "") for v in self.__dict__.values())


def _has(needle: str | None, *hay: Any) -> bool:
    if not needle:
        return True
    n = needle.strip().lower()
    return any(n in str(h).lower() for h in hay if h not in (None, ""))


def _keep(row: dict[str, Any], f: RecordFilters) -> bool:
    """The filters held in the record's JSON (names, badges, courses, reasons)."""
    return (
        _has(f.officer, row["officer_name"])
        and _has(f.badge, row["badge_number"], row["officer_badge_matched"])
        and _has(
            f.course, row["post_number"], row["course_post_number_matched"], row["course_title"]
        )
        and (not f.reason or f.reason in row["reasons"])
    )


def search_records(session: Session, f: RecordFilters) -> Iterator[dict[str, Any]]:
    """Records matching ``f``, newest training first, in the export's contract shape.

    Status, dates and the file name are filtered in SQL; the read values live in a JSON
    column, so name, badge, course and reason are filtered here, row by row.
    """
    officer, course = aliased(Officer), aliased(Course)
    query = (
        select(TrainingRecord, Document, officer.badge_number, course.post_number)
        .join(Document, Document.id == TrainingRecord.document_id)
        .outerjoin(officer, officer.id == TrainingRecord.officer_id)
        .outerjoin(course, course.id == TrainingRecord.course_id)
        .order_by(
            TrainingRecord.training_date.desc().nulls_last(),
            Document.created_at.desc(),
            TrainingRecord.page,
            TrainingRecord.row_index,
        )
    )
    if f.status:
        query = query.where(TrainingRecord.status == f.status)
    if f.date_from:
        query = query.where(TrainingRecord.training_date >= f.date_from)
    if f.date_to:
        query = query.where(TrainingRecord.training_date <= f.date_to)
    if f.file:
        query = query.where(func.lower(Document.source_filename).contains(f.file.strip().lower()))
    for record, doc, badge, post in session.execute(query).yield_per(500):
        row = contract_row(record, doc, badge, post)
        if _keep(row, f):
            yield row


@dataclass(frozen=True)
class AuditLine:
    """One event of the audit trail, said in words."""

    at: datetime | None
    actor: str
    action: str
    record_id: str
    changes: tuple[str, ...]
    why: str | None


def _words(value: Any) -> str:
    if value in (None, "", []):
        return "(empty)"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe_change(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[str, ...]:
    """What an event changed, one sentence per value: 'badge number: 1234 → 91234'."""
    before, after = before or {}, after or {}
    out = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            for name in dict.fromkeys([*old, *new]):
                if old.get(name) != new.get(name):
                    label = name.replace("_", " ")
                    out.append(f"{label}: {_words(old.get(name))} → {_words(new.get(name))}")
        elif old != new:
            out.append(f"{key.replace('_', ' ')}: {_words(old)} → {_words(new)}")
    return tuple(out)


def audit_events(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    record_id: str | None = None,
    people_only: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> tuple[list[AuditLine], int]:
    """Events across records, newest first, one page of them, and how many match in all.

    ``people_only`` leaves out the events the system wrote itself (actor ``credence``).
    """
    query = select(RecordEvent)
    if actor:
        query = query.where(RecordEvent.actor == actor)
    if action:
        query = query.where(RecordEvent.action == action)
    if record_id:
        query = query.where(RecordEvent.record_id == record_id)
    if people_only:
        query = query.where(RecordEvent.actor != "credence")
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(
        query.order_by(RecordEvent.id.desc()).offset(offset).limit(limit)
    ).all()
    lines = [
        AuditLine(e.at, e.actor, e.action, e.record_id, describe_change(e.before, e.after), e.why)
        for e in events
    ]
    return lines, total


def audit_actors(session: Session) -> list[str]:
    """Everyone who has written an event, for the audit page's filter."""
    return list(session.scalars(select(RecordEvent.actor).distinct().order_by(RecordEvent.actor)))


def audit_actions(session: Session) -> list[str]:
    """Every kind of event written so far."""
    return list(session.scalars(select(RecordEvent.action).distinct().order_by(RecordEvent.action)))


@dataclass(frozen=True)
class RecordSource:
    """Where a record was read: the file's name, the page's id (for its image), when."""

    filename: str
    page_id: int | None
    received_at: datetime | None


def record_sources(session: Session, records: list[TrainingRecord]) -> dict[str, RecordSource]:
    """File name, page image and reception time of each record (the queue's columns)."""
    doc_ids = {r.document_id for r in records}
    if not doc_ids:
        return {}
    names = dict(
        session.execute(
            select(Document.id, Document.source_filename).where(Document.id.in_(doc_ids))
        ).all()
    )
    pages = {
        (d, n): pid
        for pid, d, n in session.execute(
            select(Page.id, Page.document_id, Page.number).where(Page.document_id.in_(doc_ids))
        )
    }
    return {
        r.id: RecordSource(
            names.get(r.document_id, r.document_id),
            pages.get((r.document_id, r.page)),
            r.received_at or r.created_at,
        )
        for r in records
    }


def batch_label(filenames: list[str], created_at: datetime | None) -> str:
    """A batch named by what it holds and when: 'roster-march.pdf + 3 more, 2026-03-02 14:05'."""
    when = created_at.strftime("%Y-%m-%d %H:%M") if created_at else ""
    if not filenames:
        return f"empty batch {when}".strip()
    first = filenames[0].rsplit("/", 1)[-1]
    more = f" + {len(filenames) - 1} more" if len(filenames) > 1 else ""
    return f"{first}{more}, {when}".rstrip(", ")


def batch_labels(session: Session, batches: list[Any]) -> dict[str, str]:
    """A readable name for each batch (by its files and upload time)."""
    ids = [b.id for b in batches]
    if not ids:
        return {}
    files: dict[str, list[str]] = {i: [] for i in ids}
    for batch_id, name in session.execute(
        select(Document.batch_id, Document.source_filename)
        .where(Document.batch_id.in_(ids))
        .order_by(Document.created_at, Document.id)
    ):
        files[batch_id].append(name)
    return {b.id: batch_label(files[b.id], b.created_at) for b in batches}
