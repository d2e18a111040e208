"""Operating production mode: what the queue holds, who works it, what failed or is stuck.

Service functions for ``credence status`` and the admin page of the web app. They take the
session first and never commit; anything they put on the queue is enqueued only after the
caller's commit (an ``after_commit`` hook), so a worker never claims a document whose new
status is not yet visible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq.job import Job
from rq.registry import FailedJobRegistry
from rq.worker import Worker
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from credence.config import Settings
from credence.db import as_utc
from ingestion.holders import holder_is_gone
from ingestion.models import Document, DocumentStatus
from ingestion.queue import (
    active_document_ids,
    document_id_of,
    document_queue,
    enqueue_document,
    recover_abandoned_jobs,
    worker_is_alive,
)

log = logging.getLogger(__name__)

# A document queued or processing for longer than this without a live job is stuck.
DEFAULT_STUCK_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class WorkerInfo:
    """One registered RQ worker."""

    name: str
    hostname: str | None
    pid: int | None
    state: str
    current_job: str | None
    last_heartbeat: datetime | None
    alive: bool


@dataclass(frozen=True)
class FailedJobInfo:
    """A job in RQ's FailedJobRegistry, with the document and the error it ended on."""

    job_id: str
    document_id: str | None
    source_filename: str | None
    error: str
    ended_at: datetime | None


@dataclass(frozen=True)
class StuckDocument:
    """A document that has sat in ``queued`` or ``processing`` with nothing working on it."""

    document_id: str
    source_filename: str
    status: str
    since: datetime
    attempts: int
    # The process holding it (``host:pid``) has ended: stuck whatever its age (issue 19).
    dead_holder: str | None = None


@dataclass
class QueueStatus:
    """Everything ``credence status`` and the admin page show."""

    redis_url: str | None
    queued: int = 0
    running: int = 0
    scheduled: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    workers: list[WorkerInfo] = field(default_factory=list)
    failed: list[FailedJobInfo] = field(default_factory=list)
    stuck: list[StuckDocument] = field(default_factory=list)

    @property
    def live_workers(self) -> int:
        """How many workers beat recently."""
        return sum(1 for w in self.workers if w.alive)

    @property
    def healthy(self) -> bool:
        """Nothing failed, nothing stuck, and someone is working the queue (RQ mode)."""
        has_workers = self.redis_url is None or self.live_workers > 0
        return has_workers and not self.failed and not self.stuck


def queue_status(
    session: Session,
    redis: Redis | None,
    settings: Settings,
    stuck_after: timedelta = DEFAULT_STUCK_AFTER,
) -> QueueStatus:
    """Queue depth, workers, failed jobs and stuck documents (``redis=None``: embedded mode)."""
    status = QueueStatus(redis_url=settings.redis_url if redis is not None else None)
    status.documents = _document_counts(session)
    active: set[str] = set()
    if redis is not None:
        queue = document_queue(redis)
        status.queued = queue.count
        status.running = queue.started_job_registry.get_job_count(cleanup=False)
        status.scheduled = queue.scheduled_job_registry.get_job_count(cleanup=False)
        status.workers = list_workers(redis, settings.heartbeat_seconds)
        status.failed = failed_jobs(session, redis)
        active = active_document_ids(queue)
    status.stuck = find_stuck_documents(session, active, stuck_after)
    return status


def _document_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Document.status, func.count()).group_by(Document.status))
    return {status: n for status, n in rows}


def list_workers(redis: Redis, heartbeat_seconds: int) -> list[WorkerInfo]:
    """Every worker registered on the Credence queue, alive or recently gone."""
    queue = document_queue(redis)
    workers = []
    for w in sorted(Worker.all(queue=queue), key=lambda w: w.name):
        workers.append(
            WorkerInfo(
                name=w.name,
                hostname=w.hostname,
                pid=w.pid,
                state=str(w.get_state()),
                current_job=w.get_current_job_id(),
                last_heartbeat=w.last_heartbeat,
                alive=worker_is_alive(w, heartbeat_seconds),
            )
        )
    return workers


def failed_jobs(session: Session, redis: Redis, limit: int = 200) -> list[FailedJobInfo]:
    """Jobs in the FailedJobRegistry, newest first, with the last line of their error."""
    registry = FailedJobRegistry(queue=document_queue(redis))
    out = []
    for job_id in registry.get_job_ids(end=limit - 1, desc=True, cleanup=False):
        job = Job.fetch_many([job_id], connection=redis)[0]
        doc_id = document_id_of(job_id)
        doc = session.get(Document, doc_id) if doc_id else None
        out.append(
            FailedJobInfo(
                job_id=job_id,
                document_id=doc_id,
                source_filename=doc.source_filename if doc else None,
                error=_last_error_line(job, doc),
                ended_at=job.ended_at if job else None,
            )
        )
    return out


def _last_error_line(job: Job | None, doc: Document | None) -> str:
    text = ""
    if job is not None:
        result = job.latest_result()
        text = (result.exc_string if result else None) or ""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if lines:
        return lines[-1].strip()
    return (doc.error if doc else None) or "unknown error"


def find_stuck_documents(
    session: Session, active: set[str], stuck_after: timedelta = DEFAULT_STUCK_AFTER
) -> list[StuckDocument]:
    """Documents queued or processing with no live job: since before ``stuck_after``, or
    held by a process of this host that has ended (a killed ``credence ingest``)."""
    cutoff = datetime.now(UTC) - stuck_after
    rows = session.scalars(
        select(Document)
        .where(Document.status.in_((DocumentStatus.QUEUED, DocumentStatus.PROCESSING)))
        .order_by(Document.updated_at)
    )
    stuck = []
    for d in rows:
        dead = d.held_by if d.held_by and holder_is_gone(d.held_by) else None
        if d.id not in active and (dead or as_utc(d.updated_at) < cutoff):
            stuck.append(StuckDocument(d.id, d.source_filename, d.status, d.updated_at,
                                       d.attempts or 0, dead))
    return stuck


def retry_failed(
    session: Session, redis: Redis, settings: Settings, document_ids: list[str] | None = None
) -> list[str]:
    """Queue the failed jobs again (all, or those of ``document_ids``) with fresh retries.

    Their documents go back to ``queued`` now; the jobs are enqueued after the commit.
    """
    queue = document_queue(redis)
    registry = FailedJobRegistry(queue=queue)
    wanted = set(document_ids) if document_ids is not None else None
    ids = []
    for job_id in registry.get_job_ids(cleanup=False):
        doc_id = document_id_of(job_id)
        if doc_id is None or (wanted is not None and doc_id not in wanted):
            continue
        registry.remove(job_id)
        ids.append(doc_id)
    _requeue_after_commit(session, queue, settings, ids)
    return ids


def requeue_stuck(
    session: Session,
    redis: Redis,
    settings: Settings,
    stuck_after: timedelta = DEFAULT_STUCK_AFTER,
) -> tuple[list[str], list[str]]:
    """Recover after crashes: hand dead workers' jobs back, re-enqueue stuck documents.

    First the jobs of workers that stopped beating go through RQ's abandoned-job handling
    (retried while they have retries, else failed, the document mirrored by the failure
    callback). Then every document still queued or processing past ``stuck_after`` with no
    job anywhere in Redis (Redis restarted without its data, a crash between commit and
    enqueue) is enqueued again.

    Returns:
        The job ids handed back, and the document ids enqueued again.
    """
    queue = document_queue(redis)
    recovered = recover_abandoned_jobs(queue, settings.heartbeat_seconds)
    stuck = find_stuck_documents(session, active_document_ids(queue), stuck_after)
    ids = [s.document_id for s in stuck]
    _requeue_after_commit(session, queue, settings, ids)
    return recovered, ids


def _requeue_after_commit(session: Session, queue, settings: Settings, ids: list[str]) -> None:
    for doc in session.scalars(select(Document).where(Document.id.in_(ids))):
        if doc.status not in (DocumentStatus.DONE, DocumentStatus.COPY):
            doc.status = DocumentStatus.QUEUED
    session.flush()

    def enqueue(_session: Session) -> None:
        for doc_id in ids:
            enqueue_document(queue, settings, doc_id)
        log.info("enqueued %d document(s) again", len(ids))

    if ids:
        event.listen(session, "after_commit", enqueue, once=True)
