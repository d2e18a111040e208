"""Ingest as one operation: register every input, run the jobs, summarise the outcome.

The CLI and the web app call these; they never touch intake or the runner directly.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from credence.config import Settings
from credence.db import session_scope
from ingestion.intake import (
    IntakeLimits,
    IntakeTally,
    check_paths,
    collect_inputs,
    register_item,
    start_batch,
)
from ingestion.models import Document, DocumentStatus
from ingestion.orphans import find_orphans
from ingestion.runner import JobRunner, OnDone
from ingestion.storage import BlobStore
from verification.models import TrainingRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the ingest report."""

    document_id: str
    source_filename: str
    status: str
    error: str | None
    copy_of: str | None
    record_statuses: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass
class IngestResult:
    """What one ingest run did, document by document."""

    batch_id: str
    documents: list[DocumentSummary] = field(default_factory=list)

    def document_counts(self) -> Counter:
        return Counter(d.status for d in self.documents)

    def record_counts(self) -> Counter:
        return Counter(s for d in self.documents for s in d.record_statuses)


def register_inputs(
    session: Session, settings: Settings, paths: list[Path], created_by: str | None = None,
    agency: str | None = None,
) -> tuple[str, list[str]]:
    """Store and register every input under ``paths``; return the batch id and document ids."""
    check_paths(paths)
    store = BlobStore(settings.blob_dir)
    batch = start_batch(session, created_by, agency)
    ids = []
    tally = IntakeTally(IntakeLimits.from_settings(settings))
    for item in collect_inputs(paths, max_bytes=settings.max_upload_bytes, tally=tally):
        doc = register_item(session, store, batch, item, max_bytes=settings.max_upload_bytes)
        ids.append(doc.id)
    return batch.id, ids


def ingest_paths(
    sessions: sessionmaker[Session],
    settings: Settings,
    runner: JobRunner,
    paths: list[Path],
    on_done: OnDone | None = None,
    agency: str | None = None,
) -> IngestResult:
    """Register ``paths``, process every queued document and wait; return the summary."""
    with session_scope(sessions) as session:
        batch_id, ids = register_inputs(session, settings, paths, agency=agency)
        queued = list(
            session.scalars(
                select(Document.id).where(
                    Document.id.in_(ids), Document.status == DocumentStatus.QUEUED
                )
            )
        )
    runner.run(queued, on_done)
    with sessions() as session:
        return IngestResult(batch_id, [summarise_document(session, i) for i in ids])


def rereadable(doc: Document) -> bool:
    """Whether ``doc`` is a failed reading that can be read again.

    A failed *intake* (over a limit, an unsafe zip path: never the original of its digest,
    ``copy_of_id`` is itself) cannot: its bytes were refused or are not a document to read.
    """
    return doc.status == DocumentStatus.FAILED and doc.copy_of_id is None


def requeue_failed(
    session: Session, document_ids: list[str] | None = None, batch_id: str | None = None
) -> list[str]:
    """Put failed readings back in the queue, to be read again; return their ids.

    Every one when neither ``document_ids`` nor ``batch_id`` is given. The error is cleared
    (the next reading records its own); the caller commits, then runs or submits the ids.
    Issue 19: a document whose reading failed could never be read again without Redis.
    """
    query = select(Document).where(
        Document.status == DocumentStatus.FAILED, Document.copy_of_id.is_(None)
    )
    if document_ids is not None:
        query = query.where(Document.id.in_(document_ids))
    if batch_id is not None:
        query = query.where(Document.batch_id == batch_id)
    ids = []
    for doc in session.scalars(query.order_by(Document.created_at, Document.id)):
        doc.status, doc.error_code, doc.error, doc.held_by = DocumentStatus.QUEUED, None, None, None
        ids.append(doc.id)
    session.flush()
    return ids


def count_rereadable(session: Session, batch_id: str) -> int:
    """How many documents of a batch failed in reading and can be read again."""
    return len(session.scalars(
        select(Document.id).where(
            Document.batch_id == batch_id,
            Document.status == DocumentStatus.FAILED,
            Document.copy_of_id.is_(None),
        )
    ).all())


def retry_failed(
    sessions: sessionmaker[Session], settings: Settings, runner: JobRunner,
    on_done: OnDone | None = None,
) -> list[DocumentSummary]:
    """Read every failed reading again (``credence ingest --retry-failed``); wait."""
    with session_scope(sessions) as session:
        ids = requeue_failed(session)
    if ids:
        log.info("reading %d failed document(s) again", len(ids))
        runner.run(ids, on_done)
    with sessions() as session:
        return [summarise_document(session, i) for i in ids]


def resume_orphans(
    sessions: sessionmaker[Session], settings: Settings, runner: JobRunner,
    on_done: OnDone | None = None,
) -> list[DocumentSummary]:
    """Embedded mode: read the documents an ended run left queued or processing; wait.

    A ``credence ingest`` killed mid-batch (or a machine that lost power) leaves its
    documents unfinished with no one to read them; the next run on the machine finishes
    them first. Documents a live process holds are left to it.
    """
    with sessions() as session:
        ids = find_orphans(session)
    if not ids:
        return []
    log.info("resuming %d document(s) an ended run left unfinished", len(ids))
    runner.run(ids, on_done)
    with sessions() as session:
        return [summarise_document(session, i) for i in ids]


def summarise_document(session: Session, document_id: str) -> DocumentSummary:
    """The outcome of one document (a copy reports its original's records)."""
    doc = session.get(Document, document_id)
    source_id = doc.copy_of_id if doc.status == DocumentStatus.COPY else doc.id
    records = session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.document_id == source_id)
        .order_by(TrainingRecord.page, TrainingRecord.row_index)
    ).all()
    return DocumentSummary(
        document_id=doc.id,
        source_filename=doc.source_filename,
        status=doc.status,
        error=doc.error,
        copy_of=doc.copy_of_id if doc.status == DocumentStatus.COPY else None,
        record_statuses=tuple(r.status for r in records),
        reasons=tuple(sorted({reason for r in records for reason in r.reasons})),
    )
