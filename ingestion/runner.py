"""Job runners: one interface, an in-process pool (embedded default) and RQ (production).

Both run the same job function, :func:`ingestion.jobs.process_document`, on document ids.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from credence.config import Settings
from extractors._tesseract import fork_safe
from ingestion.jobs import (
    document_status,
    hold,
    largest_first,
    mark_unfinished_failed,
    process_document,
    services,
)
from ingestion.models import Document, DocumentStatus

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
    """Runs jobs in this process, or in a pool of worker processes (one per core).

    A pool worker can die under a document (a native crash in a reader, the OOM killer), and
    a job can end in an error that left its document unfinished (the database refused the
    claim). Neither may stop the batch or leave a document silently ``queued``: documents
    the dead pool never started go to a fresh pool; a document that was being read, or whose
    job ended in such an error, gets one more try alone in its own process (so a document
    that kills its process cannot take another with it), and is marked failed with the
    error if that try does not finish it either.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or settings.workers

    def run(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        ids = list(document_ids)
        hold(self.settings, ids)
        if self.workers <= 1 or len(ids) <= 1:
            for doc_id in ids:
                _report(on_done, doc_id, _run_one(doc_id, self.settings).status or "failed")
            return
        pending, alone = largest_first(self.settings, ids), {}
        while pending:
            outcomes = self._pool_round(pending, self.workers)
            pending = []
            for doc_id, outcome in outcomes.items():
                status = outcome.status or document_status(self.settings, doc_id)
                if status in FINAL:
                    _report(on_done, doc_id, status)
                elif outcome.pool_died and status == DocumentStatus.QUEUED:
                    pending.append(doc_id)  # never started: the next pool takes it
                else:
                    alone[doc_id] = outcome.error
            if pending and len(pending) == len(outcomes):
                alone.update(dict.fromkeys(pending, "worker process died"))
                pending = []  # no pool got anything done: go one by one
        for doc_id, error in alone.items():
            _report(on_done, doc_id, self._second_chance(doc_id, error))

    def submit(self, document_ids: Iterable[str]) -> None:
        """Process the documents in a background thread; return at once."""
        ids = list(document_ids)
        threading.Thread(target=self.run, args=(ids,), name="credence-ingest", daemon=True).start()

    def _pool_round(self, ids: list[str], workers: int) -> dict[str, JobOutcome]:
        """Run ``ids`` in a pool of ``workers`` processes; the outcome of each."""
        # fork (see _start_method): workers start in milliseconds and share the already
        # imported code; each opens its own database connections (ingestion.jobs keys them
        # by pid). Objects the parent no longer uses (an old engine's SQLite connection) are
        # collected here and the rest frozen, so that no child ever closes a file the
        # parent opened.
        gc.collect()
        gc.freeze()
        outcomes, context = {}, multiprocessing.get_context(_start_method())
        try:
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                futures = {pool.submit(_run_one, d, self.settings): d for d in ids}
                for future in as_completed(futures):
                    try:
                        outcomes[futures[future]] = future.result()
                    except BrokenProcessPool:
                        outcomes[futures[future]] = JobOutcome(None, "worker process died", True)
        finally:
            gc.unfreeze()
        return outcomes

    def _second_chance(self, document_id: str, error: str | None) -> str:
        """One more try alone; a document still unfinished after it is marked failed."""
        log.warning("document %s: trying again alone after %s", document_id, error)
        outcome = self._pool_round([document_id], 1)[document_id]
        status = outcome.status or document_status(self.settings, document_id)
        if status in FINAL:
            return status
        return mark_unfinished_failed(services(self.settings), document_id,
                                      outcome.error or error or "job ended unfinished")

def _start_method() -> str:
    """How the pool starts its workers: ``fork`` when nothing in this process can be caught
    half-way by a fork, else ``spawn`` (a fresh interpreter: ~2 s more to import the reader).

    A fork copies one thread. Another thread's lock (a web server's, a batch run in the
    background by :meth:`InProcessRunner.submit`) or a thread pool's bookkeeping (libgomp's
    team, :func:`extractors._tesseract.fork_safe`) comes over without the thread that would
    release or serve it, and the child waits for ever.
    """
    if threading.active_count() == 1 and fork_safe():
        return "fork"
    log.info("starting reader processes fresh: this process has %d threads%s",
             threading.active_count(), "" if fork_safe() else " and an OpenMP thread team")
    return "spawn"


FINAL = frozenset({DocumentStatus.DONE, DocumentStatus.FAILED, DocumentStatus.COPY})


@dataclass(frozen=True)
class JobOutcome:
    """How one in-process job ended: its document's status, or the error it ended in."""

    status: str | None
    error: str | None = None
    pool_died: bool = False


def _run_one(document_id: str, settings: Settings) -> JobOutcome:
    try:
        return JobOutcome(process_document(document_id, settings))
    except Exception as e:  # usually the job already marked the document failed
        log.exception("document %s failed", document_id)
        return JobOutcome(None, f"{type(e).__name__}: {e}")


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
        """Enqueue one job per document (a document with a live job is not enqueued again).

        The largest files go first, as in the embedded pool: a long document taken last
        keeps one worker busy while the others wait.
        """
        from ingestion.queue import enqueue_document

        for doc_id in largest_first(self.settings, list(document_ids)):
            enqueue_document(self.queue, self.settings, doc_id)

    def run(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        """Enqueue, then wait until every document is done, failed or a copy."""
        ids = list(document_ids)
        self.submit(ids)
        self.wait(ids, on_done)

    def wait(self, document_ids: Iterable[str], on_done: OnDone | None = None) -> None:
        """Poll the documents' status (our table mirrors the jobs) until each is final."""
        pending = set(document_ids)
        while pending:
            time.sleep(self.poll_seconds)
            with self.sessions() as session:
                for doc_id in sorted(pending):
                    status = session.get(Document, doc_id).status
                    if status in FINAL:
                        pending.discard(doc_id)
                        _report(on_done, doc_id, status)


def make_runner(settings: Settings) -> JobRunner:
    """The runner the configuration asks for: RQ when a Redis URL is set."""
    if settings.redis_url:
        return RQRunner(settings)
    return InProcessRunner(settings)
