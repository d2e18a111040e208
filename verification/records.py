"""Persisting decisions: one ``TrainingRecord`` per extracted record, with its history.

Service functions: they take the session first, add and flush, and never commit.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from credence.db import as_utc
from extractors.types import BBox, DocumentKind, ExtractedField, ExtractedRecord, FieldSource
from verification.models import RecordEvent, RecordStatus, TrainingRecord
from verification.reasons import Reason
from verification.rules import read_date
from verification.verify import VerificationResult, verify_extraction

log = logging.getLogger(__name__)


def record_id_for(document_id: str, page: int, row_index: int = 0) -> str:
    """The stable id of the record read from ``row_index`` of ``page`` of a document.

    The same page processed twice (a re-run after a crash) gives the same id, so the record
    is not created twice.
    """
    digest = hashlib.sha1(f"{document_id}:{page}:{row_index}".encode()).hexdigest()
    return f"rec_{digest[:16]}"


def record_training(
    session: Session,
    *,
    document_id: str,
    extracted: ExtractedRecord,
    row_index: int = 0,
    actor: str = "credence",
    received_at: datetime | None = None,
) -> TrainingRecord:
    """Verify one extracted record and store it with a ``created`` event.

    Idempotent: when a record with the same id exists it is returned unchanged (no new
    verification, no new event). Of two records of the same training, the one whose
    document was received first is the original: when this record's document came first,
    an existing record of the same training is demoted to ``duplicate`` of this one (with
    its own event), so the outcome does not depend on which worker finished first.

    Args:
        session: open session; the record is added and flushed, not committed.
        document_id: the source document (must exist in ``documents``).
        extracted: the record as read.
        row_index: the row on a sign-in sheet (0 for a certificate).
        actor: who created it, for the history.
        received_at: when the source document was received (orders duplicates).

    Returns:
        The stored record.
    """
    record_id = record_id_for(document_id, extracted.page_number, row_index)
    plog = logging.LoggerAdapter(log, {"document_id": document_id, "page": extracted.page_number})
    existing = session.get(TrainingRecord, record_id)
    if existing is not None:
        plog.info("record %s already exists; left unchanged", record_id)
        return existing
    result = verify_extraction(session, extracted)
    demoted = []
    while (later := _received_later(session, result, received_at, document_id)) is not None:
        demoted.append((later, _snapshot(later)))
        later.status = RecordStatus.DUPLICATE  # frees the one-credit index for this record
        session.flush()
        result = verify_extraction(session, extracted)
    record = TrainingRecord(
        id=record_id,
        document_id=document_id,
        page=extracted.page_number,
        row_index=row_index,
        document_kind=str(extracted.kind),
        received_at=received_at,
    )
    _apply(record, extracted, result)
    session.add(record)
    session.flush()  # the event's foreign key needs the record row first (no relationship)
    session.add(
        RecordEvent(record_id=record_id, actor=actor, action="created", after=_snapshot(record))
    )
    for later, before in demoted:
        _demote(session, later, before, record_id, actor)
    session.flush()
    plog.info("record %s: %s %s", record_id, record.status, record.reasons)
    return record


def _received_later(
    session: Session, result: VerificationResult, received_at: datetime | None, document_id: str
) -> TrainingRecord | None:
    """The existing record this one was found a duplicate of, if its document came later."""
    if result.status != RecordStatus.DUPLICATE or received_at is None:
        return None
    first = session.get(TrainingRecord, result.duplicate_of_id)
    if first is None or first.received_at is None:
        return None
    theirs = (as_utc(first.received_at), first.document_id)
    return first if theirs > (as_utc(received_at), document_id) else None



def _demote(
    session: Session, record: TrainingRecord, before: dict[str, Any], original_id: str, actor: str
) -> None:
    """Make ``record`` the duplicate of ``original_id``, with an event saying why."""
    record.status = RecordStatus.DUPLICATE
    record.reasons = sorted(set(record.reasons or []) | {str(Reason.DUPLICATE)})
    record.credit_topics = []
    record.credit_hours = 0.0
    record.duplicate_of_id = original_id
    why = f"the same training arrived in a document received earlier ({original_id})"
    log_change(session, record, actor, "demoted_duplicate", before, why)


def reverify_record(
    session: Session, record: TrainingRecord, actor: str, why: str | None
) -> TrainingRecord:
    """Verify a stored record again (after a correction or a catalog change).

    The stored fields' ``value`` (as read, or as corrected by a reviewer) is verified afresh;
    the record is not its own duplicate. A ``reverified`` event keeps the before and after.

    Args:
        session: open session; changes are flushed, not committed.
        record: the record to verify again.
        actor: who asked.
        why: why, for the history.

    Returns:
        The same record, updated.
    """
    before = _snapshot(record)
    extracted = extracted_from_record(record)
    result = verify_extraction(session, extracted, exclude_record_id=record.id)
    _apply(record, extracted, result)
    log_change(session, record, actor, "reverified", before, why)
    session.flush()
    return record


def log_change(
    session: Session,
    record: TrainingRecord,
    actor: str,
    action: str,
    before: dict[str, Any] | None,
    why: str | None,
) -> None:
    """Append one event to ``record``'s history: ``before`` and the record as it is now."""
    session.add(
        RecordEvent(
            record_id=record.id,
            actor=actor,
            action=action,
            before=before,
            after=_snapshot(record),
            why=why,
        )
    )


def extracted_from_record(record: TrainingRecord) -> ExtractedRecord:
    """Rebuild the extracted record from a stored record's ``fields``."""
    fields = {}
    for name, d in (record.fields or {}).items():
        value = d.get("value")
        if name == "training_date" and isinstance(value, str):
            value = read_date(value) or value  # unparsable stays a string: "unreadable"
        bbox = d.get("bbox")
        fields[name] = ExtractedField(
            name=name,
            value=value,
            raw_text=d.get("raw_text"),
            confidence=d.get("confidence"),
            bbox=BBox.from_list(bbox) if bbox else None,
            page_number=d.get("page", record.page),
            source=_source(d.get("source")),
            table_end=d.get("table_end"),
        )
    return ExtractedRecord(record.page, DocumentKind(record.document_kind), fields)


def _apply(record: TrainingRecord, extracted: ExtractedRecord, result: VerificationResult) -> None:
    record.fields = _fields(extracted, result)
    record.status = result.status
    record.reasons = [str(r) for r in result.reasons]
    record.credit_topics = list(result.credit_topics)
    record.credit_hours = float(result.credit_hours)
    record.officer_id = result.officer.id if result.officer else None
    record.course_id = result.course.id if result.course else None
    record.standard_id = result.standard.id if result.standard else None
    record.instructor_id = result.instructor.id if result.instructor else None
    record.training_date = result.training_date
    record.duplicate_of_id = result.duplicate_of_id
    record.explanation = result.explanation


def _fields(extracted: ExtractedRecord, result: VerificationResult) -> dict[str, Any]:
    """Each field's evidence, plus ``matched``: the reference value it was matched to.

    ``value`` stays as read (the contract exports it "as read"); ``matched`` is the roster,
    catalog or registry spelling the decision used, e.g. ``1849`` for a ``l849`` read.
    """
    matched: dict[str, Any] = {}
    if result.officer is not None:
        matched["officer_name"] = result.officer.full_name
        matched["badge_number"] = result.officer.badge_number
    if result.course is not None:
        matched["post_number"] = result.course.post_number
        title = next((o for o in result.outcomes if o.rule == "check_title"), None)
        if title is not None and title.passed:
            matched["course_title"] = result.course.title
    if result.instructor is not None:
        matched["instructor_name"] = result.instructor.name
    out = {}
    for name, f in extracted.fields.items():
        d = f.to_dict()
        d["value"] = _json_value(d.get("value"))
        if name in matched:
            d["matched"] = matched[name]
        out[name] = d
    return out


def _json_value(value: Any) -> Any:
    """What the JSON column can hold: extractors may hand over Decimals or tuples."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return value


def _source(value: Any) -> FieldSource:
    try:
        return FieldSource(value)
    except ValueError:
        return FieldSource.DERIVED


def _snapshot(record: TrainingRecord) -> dict[str, Any]:
    return {
        "status": record.status,
        "reasons": list(record.reasons or []),
        "credit_topics": list(record.credit_topics or []),
        "credit_hours": record.credit_hours,
        "officer_id": record.officer_id,
        "course_id": record.course_id,
        "duplicate_of_id": record.duplicate_of_id,
    }
