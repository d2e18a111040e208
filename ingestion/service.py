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
from ingestion.intake import check_paths, collect_inputs, register_item, start_batch
from ingestion.models import Document, DocumentStatus
from ingestion.operations import find_orphans
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
    session: Session, settings: Settings, paths: list[Path], created_by: str | None = None
) -> tuple[str, list[str]]:
    """Store and register every input under ``paths``; return the batch id and document ids."""
    check_paths(paths)
    store = BlobStore(settings.blob_dir)
    batch = start_batch(session, created_by)
    ids = []
    for item in collect_inputs(paths, max_bytes=settings.max_upload_bytes):
        doc = register_item(session, store, batch, item, max_bytes=settings.max_upload_bytes)
        ids.append(doc.id)
    return batch.id, ids


def ingest_paths(
    sessions: sessionmaker[Session],
    settings: Settings,
    runner: JobRunner,
    paths: list[Path],
    on_done: OnDone | None = None,
) -> IngestResult:
    """Register ``paths``, process every queued document and wait; return the summary."""
    with session_scope(sessions) as session:
        batch_id, ids = register_inputs(session, settings, paths)
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
