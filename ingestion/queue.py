"""The RQ side of production mode: one queue of document jobs and its retry policy.

A document job is ``ingestion.jobs.run_document_job(document_id)`` with the job id
``doc-<document id>``, so enqueueing a document that already has a live job does nothing
(rq docs: job ids). Retries (with back-off) are meant for transient trouble only: the job
function drops the retries of any other error (``ingestion.jobs.run_document_job``).
Only this package imports ``rq`` (STYLE rule 1).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, Retry
from rq.callbacks import Callback
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.timeouts import JobTimeoutException
from rq.worker import Worker
from sqlalchemy.exc import DBAPIError, OperationalError

from credence.config import Settings
from credence.db import as_utc

if TYPE_CHECKING:
    from rq.worker import BaseWorker

log = logging.getLogger(__name__)

QUEUE_NAME = "credence"
JOB_PREFIX = "doc-"
JOB_FUNCTION = "ingestion.jobs.run_document_job"
FAILURE_CALLBACK = "ingestion.jobs.on_document_job_failed"
# A job still in one of these states will run: enqueueing its document again must not.
ACTIVE = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}
# Failed jobs (with their errors) stay visible to `credence status` for a week.
FAILURE_TTL = 7 * 24 * 3600

# Errors that say "try again later" rather than "this document is bad": the database or
# Redis went away for a moment, or the machine was too slow this once (job timeout).
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    RedisConnectionError,
    RedisTimeoutError,
    JobTimeoutException,
    ConnectionError,
    TimeoutError,
)


def is_transient(error: BaseException) -> bool:
    """Whether a retry may succeed where this attempt failed.

    The chain of causes counts too: a wrapper may translate a job timeout or a lost
    connection into its own error (``OcrFailedError(...) from e``).
    """
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, TRANSIENT_ERRORS):
            return True
        if isinstance(current, DBAPIError) and current.connection_invalidated:
            return True
        current = current.__cause__ or current.__context__
    return False


def connect(redis_url: str) -> Redis:
    """A Redis client for ``redis_url`` that fails fast when the server is not there."""
    return Redis.from_url(redis_url, socket_connect_timeout=5, health_check_interval=30)


def document_queue(redis: Redis) -> Queue:
    """The one queue every Credence worker listens on."""
    return Queue(QUEUE_NAME, connection=redis)


def job_id_for(document_id: str) -> str:
    """The RQ job id of a document's job."""
    return f"{JOB_PREFIX}{document_id}"


def document_id_of(job_id: str) -> str | None:
    """The document a job id belongs to (``None`` for jobs that are not ours)."""
    return job_id[len(JOB_PREFIX) :] if job_id.startswith(JOB_PREFIX) else None


def retry_policy(settings: Settings) -> Retry | None:
    """RQ's retry with back-off from the settings (``None``: no retries)."""
    if settings.job_retries < 1:
        return None
    backoff = list(settings.retry_backoff) or [0]
    return Retry(max=settings.job_retries, interval=backoff)


def enqueue_document(queue: Queue, settings: Settings, document_id: str) -> Job:
    """Put the document's job on the queue unless a live job for it is already there.

    A finished or failed job of the same id is replaced: this is a new attempt with the
    full retry budget.
    """
    job_id = job_id_for(document_id)
    try:
        existing = Job.fetch(job_id, connection=queue.connection)
        if existing.get_status(refresh=False) in ACTIVE:
            return existing
        existing.delete()
    except NoSuchJobError:
        pass
    return queue.enqueue(
        JOB_FUNCTION,
        document_id,
        job_id=job_id,
        job_timeout=settings.job_timeout,
        retry=retry_policy(settings),
        on_failure=Callback(FAILURE_CALLBACK),
        failure_ttl=FAILURE_TTL,
        result_ttl=3600,
        description=f"process document {document_id}",
    )


def active_document_ids(queue: Queue) -> set[str]:
    """Documents whose job is queued, running, scheduled for a retry or deferred."""
    job_ids = set(queue.get_job_ids())
    for registry in (queue.started_job_registry, queue.scheduled_job_registry):
        job_ids.update(registry.get_job_ids(cleanup=False))
    job_ids.update(queue.deferred_job_registry.get_job_ids(cleanup=False))
    return {d for j in job_ids if (d := document_id_of(j))}


def worker_is_alive(worker: BaseWorker, heartbeat_seconds: int) -> bool:
    """Whether the worker reported in recently enough.

    A busy worker beats every ``heartbeat_seconds``; an idle one every ``worker_ttl - 15``
    seconds (rq's dequeue timeout). Three missed beats mean it is gone.
    """
    if worker.last_heartbeat is None:
        return False
    age = (datetime.now(UTC) - as_utc(worker.last_heartbeat)).total_seconds()
    busy = worker.get_state() == "busy"
    limit = 3 * heartbeat_seconds if busy else worker_ttl(heartbeat_seconds)
    return age <= limit


def worker_ttl(heartbeat_seconds: int) -> int:
    """How long a worker's registration lives without a beat (idle beats are ttl - 15 s)."""
    return 3 * heartbeat_seconds + 15


def recover_abandoned_jobs(queue: Queue, heartbeat_seconds: int) -> list[str]:
    """Hand the jobs of dead workers to RQ's abandoned-job handling now; return their ids.

    RQ notices an abandoned job only when its heartbeat TTL runs out (a minute or more). A
    job whose worker has missed three beats (killed with SIGKILL, machine lost) is expired
    at once instead, so ``StartedJobRegistry.cleanup`` retries it (or fails it when no
    retries are left) and runs its failure callback, exactly as it would later.
    """
    return _expire_started(
        queue, lambda job_id: not _runs_on_live_worker(queue.connection, job_id, heartbeat_seconds))


def recover_jobs_of(queue: Queue, worker_name: str) -> list[str]:
    """Hand the jobs a worker process that died was running to RQ's abandoned-job handling
    now (retried while they have retries, else failed); return their ids.

    Its registration is ended first, so a new process can work under the same name.
    """
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name,
                                connection=queue.connection)
    if worker is not None:
        worker.register_death()

    def ran_there(job_id: str) -> bool:
        try:
            return Job.fetch(job_id, connection=queue.connection).worker_name == worker_name
        except NoSuchJobError:
            return False

    return _expire_started(queue, ran_there)


def _expire_started(queue: Queue, abandoned) -> list[str]:
    """Expire the started jobs ``abandoned(job_id)`` picks, so ``StartedJobRegistry.cleanup``
    retries or fails them and runs their failure callback, exactly as it would later."""
    registry = StartedJobRegistry(queue=queue)
    expired = []
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        if not abandoned(job_id):
            continue
        queue.connection.zadd(registry.key, {f"{job_id}:{execution_id}": 0}, xx=True)
        expired.append(job_id)
    if expired:
        log.warning("recovering %d abandoned job(s): %s", len(expired), ", ".join(expired))
        registry.cleanup()
    return expired


def _runs_on_live_worker(redis: Redis, job_id: str, heartbeat_seconds: int) -> bool:
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return False
    if not job.worker_name:
        return True  # being picked up this very moment: not ours to judge
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + job.worker_name, redis)
    return worker is not None and worker_is_alive(worker, heartbeat_seconds)

