"""Job runners: one interface, an in-process pool (embedded default) and RQ (production).

Both run the same job function, :func:`ingestion.jobs.process_document`, on document ids.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Protocol

from credence.config import Settings
from ingestion.jobs import process_document

log = logging.getLogger(__name__)

OnDone = Callable[[str, str], None]


class JobRunner(Protocol):
    """Runs document jobs.

    ``run`` MUST process every id with ``process_document`` and MUST return only when each
    has reached a final status; it SHOULD call ``on_done(document_id, status)`` as each
    finishes. A job that raises MUST NOT stop the others.

    ``submit`` MUST return at once, having handed every id to something that will process
    it (a background thread, RQ); progress is read from the documents' status.
    """

    def run(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None: ...

    def submit(self, document_ids: Iterable[str]) -> None: ...


class InProcessRunner:
    """Runs jobs in this process, or in a pool of worker processes (one per core)."""

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or settings.workers

    def run(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        ids = list(document_ids)
        if self.workers <= 1 or len(ids) <= 1:
            for doc_id in ids:
                _report(on_done, doc_id, _run_one(doc_id, self.settings))
            return
        # fork: workers start in milliseconds and share the already imported code; each
        # opens its own database connections (ingestion.jobs keys them by pid).
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(self.workers, mp_context=context) as pool:
            futures = {pool.submit(_run_one, d, self.settings): d for d in ids}
            for future in as_completed(futures):
                _report(on_done, futures[future], future.result())

    def submit(self, document_ids: Iterable[str]) -> None:
        """Process the documents in a background thread; return at once."""
        ids = list(document_ids)
        threading.Thread(target=self.run, args=(ids,), name="credence-ingest", daemon=True).start()


def _run_one(document_id: str, settings: Settings) -> str:
    try:
        return process_document(document_id, settings)
    except Exception:  # the job already marked the document failed with the error
        log.exception("document %s failed", document_id)
        return "failed"


def _report(on_done: OnDone | None, document_id: str, status: str) -> None:
    if on_done is not None:
        on_done(document_id, status)


class RQRunner:
    """Enqueues one job per document on Redis; ``run`` waits for the workers to finish them."""

    def __init__(self, settings: Settings, poll_seconds: float = 0.5) -> None:
        from credence.db import make_engine, make_session_factory
        from ingestion.queue import connect, document_queue

        self.settings = settings
        self.poll_seconds = poll_seconds
        self.redis = connect(settings.redis_url)
        self.queue = document_queue(self.redis)
        self.sessions = make_session_factory(make_engine(settings.database_url))

    def submit(self, document_ids: Iterable[str]) -> None:
        """Enqueue one job per document (a document with a live job is not enqueued again)."""
        from ingestion.queue import enqueue_document

        for doc_id in document_ids:
            enqueue_document(self.queue, self.settings, doc_id)

    def run(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        """Enqueue, then wait until every document is done, failed or a copy."""
        ids = list(document_ids)
        self.submit(ids)
        self.wait(ids, on_done)

    def wait(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        """Poll the documents' status (our table mirrors the jobs) until each is final."""
        from ingestion.models import Document, DocumentStatus

        pending = set(document_ids)
        final = {DocumentStatus.DONE, DocumentStatus.FAILED, DocumentStatus.COPY}
        while pending:
            time.sleep(self.poll_seconds)
            with self.sessions() as session:
                for doc_id in sorted(pending):
                    status = session.get(Document, doc_id).status
                    if status in final:
                        pending.discard(doc_id)
                        _report(on_done, doc_id, status)


def make_runner(settings: Settings) -> JobRunner:
    """The runner the configuration asks for: RQ when a Redis URL is set."""
    if settings.redis_url:
        return RQRunner(settings)
    return InProcessRunner(settings)
