"""Read functions for the web app: batches with counts, upload progress, documents, the queue.

They read only. ``created_by`` limits a clerk to their own batches; ``None`` means all
(reviewers and admins).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingestion.models import Batch, Document, DocumentStatus, Page
from verification.models import RecordStatus, TrainingRecord

FINAL_STATUSES = frozenset({DocumentStatus.DONE, DocumentStatus.FAILED, DocumentStatus.COPY})
# What the clerk sees for each document status.
STATUS_LABELS = {
    DocumentStatus.QUEUED: "queued",
    DocumentStatus.PROCESSING: "reading",
    DocumentStatus.DONE: "done",
    DocumentStatus.FAILED: "failed",
    DocumentStatus.COPY: "done (copy of an earlier upload)",
}


@dataclass
class BatchSummary:
    """One row of the batch list."""

    batch: Batch
    documents: int = 0
    documents_by_status: Counter = field(default_factory=Counter)
    records_by_status: Counter = field(default_factory=Counter)

    @property
    def finished(self) -> bool:
        return sum(self.documents_by_status[s] for s in FINAL_STATUSES) == self.documents


def find_batch(session: Session, batch_id: str, created_by: str | None) -> Batch | None:
    """The batch, when it exists and is in the caller's scope."""
    batch = session.get(Batch, batch_id)
    if batch is None or (created_by is not None and batch.created_by != created_by):
        return None
    return batch


def find_document(session: Session, document_id: str, created_by: str | None) -> Document | None:
    """The document, when it exists and its batch is in the caller's scope."""
    doc = session.get(Document, document_id)
    if doc is None or (created_by is not None and doc.batch_id is None):
        return None
    if created_by is not None and find_batch(session, doc.batch_id, created_by) is None:
        return None
    return doc


def list_batches(
    session: Session, created_by: str | None = None, limit: int = 200
) -> list[BatchSummary]:
    """Newest batches first, each with document and record counts."""
    stmt = select(Batch).order_by(Batch.created_at.desc(), Batch.id).limit(limit)
    if created_by is not None:
        stmt = stmt.where(Batch.created_by == created_by)
    summaries = {b.id: BatchSummary(b) for b in session.scalars(stmt)}
    if not summaries:
        return []
    docs = session.execute(
        select(Document.batch_id, Document.id, Document.status).where(
            Document.batch_id.in_(summaries)
        )
    ).all()
    source_of = {}
    for batch_id, doc_id, status in docs:
        s = summaries[batch_id]
        s.documents += 1
        s.documents_by_status[status] += 1
        source_of[doc_id] = batch_id
    records = session.execute(
        select(TrainingRecord.document_id, TrainingRecord.status).where(
            TrainingRecord.document_id.in_(source_of)
        )
    ).all()
    for doc_id, status in records:
        summaries[source_of[doc_id]].records_by_status[status] += 1
    return list(summaries.values())


def batch_progress(session: Session, batch: Batch) -> dict[str, Any]:
    """Per-document status and the batch totals, JSON-able (polled by the upload page)."""
    docs = session.scalars(
        select(Document)
        .where(Document.batch_id == batch.id)
        .order_by(Document.created_at, Document.id)
    ).all()
    sources = [d.copy_of_id if d.status == DocumentStatus.COPY else d.id for d in docs]
    counts: dict[str, Counter] = {s: Counter() for s in sources}
    for doc_id, status in session.execute(
        select(TrainingRecord.document_id, TrainingRecord.status).where(
            TrainingRecord.document_id.in_(sources)
        )
    ):
        counts[doc_id][status] += 1
    rows = [
        {
            "id": d.id,
            "filename": d.source_filename,
            "status": STATUS_LABELS.get(d.status, d.status),
            "state": d.status,
            "error": d.error,
            "records": dict(counts[src]),
        }
        for d, src in zip(docs, sources, strict=True)
    ]
    by_state = Counter(d.status for d in docs)
    return {
        "batch_id": batch.id,
        "total": len(docs),
        "finished": sum(by_state[s] for s in FINAL_STATUSES),
        "counts": {STATUS_LABELS.get(k, k): v for k, v in by_state.items()},
        "done": all(d.status in FINAL_STATUSES for d in docs),
        "documents": rows,
    }


def document_pages(session: Session, document: Document) -> list[Page]:
    """The pages read from a document (its original's, for a copy), in order."""
    source = document.copy_of_id if document.status == DocumentStatus.COPY else document.id
    stmt = select(Page).where(Page.document_id == source).order_by(Page.number)
    return list(session.scalars(stmt))


def document_records(session: Session, document: Document) -> list[TrainingRecord]:
    """The records read from a document (its original's, for a copy), in page order."""
    source = document.copy_of_id if document.status == DocumentStatus.COPY else document.id
    stmt = (
        select(TrainingRecord)
        .where(TrainingRecord.document_id == source)
        .order_by(TrainingRecord.page, TrainingRecord.row_index)
    )
    return list(session.scalars(stmt))


def record_page(session: Session, record: TrainingRecord) -> Page | None:
    """The page a record was read from."""
    stmt = select(Page).where(Page.document_id == record.document_id, Page.number == record.page)
    return session.scalars(stmt).first()


@dataclass(frozen=True)
class QueueFilters:
    """Filters of the review queue; every one optional."""

    reason: str | None = None
    course_id: int | None = None
    state: str | None = None  # two-letter state of the catalog course matched
    status: str = RecordStatus.NEEDS_REVIEW
    date_from: date | None = None
    date_to: date | None = None
    batch_id: str | None = None


def _queue_rows(session: Session, filters: QueueFilters) -> list[TrainingRecord]:
    stmt = (
        select(TrainingRecord)
        .join(Document, Document.id == TrainingRecord.document_id)
        .where(TrainingRecord.status == filters.status)
        .order_by(TrainingRecord.created_at, TrainingRecord.id)
    )
    if filters.course_id is not None:
        stmt = stmt.where(TrainingRecord.course_id == filters.course_id)
    if filters.date_from is not None:
        stmt = stmt.where(TrainingRecord.training_date >= filters.date_from)
    if filters.date_to is not None:
        stmt = stmt.where(TrainingRecord.training_date <= filters.date_to)
    if filters.batch_id:
        stmt = stmt.where(Document.batch_id == filters.batch_id)
    return list(session.scalars(stmt))


def review_queue(
    session: Session, filters: QueueFilters, limit: int = 500
) -> tuple[list[TrainingRecord], Counter]:
    """Records in the queue, oldest first, and the count per reason (before the reason filter).

    Reasons live in a JSON list, so that filter and the counts run here rather than in SQL;
    the queue is at most a few thousand rows.
    """
    rows = _queue_rows(session, filters)
    if filters.state:
        rows = [rec for rec in rows if _course_state(rec) == filters.state]
    per_reason = Counter(r for rec in rows for r in (rec.reasons or []))
    if filters.reason:
        rows = [rec for rec in rows if filters.reason in (rec.reasons or [])]
    return rows[:limit], per_reason


def _course_state(record: TrainingRecord) -> str | None:
    course = (record.explanation or {}).get("course") or {}
    return course.get("state")


def next_in_queue(session: Session, filters: QueueFilters, after_id: str | None) -> str | None:
    """The id of the oldest record still in the queue other than ``after_id``."""
    rows, _ = review_queue(session, filters, limit=2)
    return next((r.id for r in rows if r.id != after_id), None)


def queued_upload_ids(session: Session) -> list[str]:
    """Web-uploaded documents still waiting to be read, oldest first.

    In the embedded mode the queue lives in the web process's memory; after a restart these
    would wait forever. Only web batches (``created_by`` set) are listed: a ``credence ingest``
    running beside the server reads its own queued documents.
    """
    stmt = (
        select(Document.id)
        .join(Batch, Batch.id == Document.batch_id)
        .where(Document.status == DocumentStatus.QUEUED, Batch.created_by.is_not(None))
        .order_by(Document.created_at, Document.id)
    )
    return list(session.scalars(stmt))
