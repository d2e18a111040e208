"""Web uploads: register files as one batch and submit them without waiting.

The web app calls :func:`register_uploads` inside its request session, commits, then hands
the queued ids to a :class:`Submitter`: in the embedded default a :class:`BackgroundRunner`
(worker processes beside the web process), with ``CREDENCE_REDIS_URL`` set the RQ runner. Both
run the same job function as ``credence ingest``, :func:`ingestion.jobs.process_document`.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Protocol

from sqlalchemy.orm import Session

from credence.config import Settings
from ingestion.intake import (
    IntakeLimits,
    IntakeTally,
    collect_inputs,
    register_item,
    start_batch,
)
from ingestion.jobs import (
    document_status,
    hold,
    mark_unfinished_failed,
    process_document,
    services,
)
from ingestion.models import DocumentStatus
from ingestion.storage import BlobStore

log = logging.getLogger(__name__)

# What intake can read (README: PDFs, PNG, JPEG, TIFF and zips of these). Anything else is
# refused at the door with a message, before it is stored.
ACCEPTED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".zip")


@dataclass(frozen=True)
class StagedUpload:
    """One uploaded file already streamed to disk, with the name the clerk's browser gave."""

    filename: str
    path: Path


@dataclass
class UploadResult:
    """What one upload registered, and what it refused (file name, why)."""

    batch_id: str | None
    document_ids: list[str] = field(default_factory=list)
    queued_ids: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def refusal_for(filename: str) -> str | None:
    """Why a file of this name is refused, or ``None`` when its type is accepted."""
    suffix = PurePath(filename).suffix.lower()
    if not filename.strip():
        return "the file has no name"
    if suffix not in ACCEPTED_SUFFIXES:
        shown = suffix or "no extension"
        return f"file type {shown} is not accepted (use PDF, PNG, JPEG, TIFF or ZIP)"
    return None


def register_uploads(
    session: Session, settings: Settings, uploads: list[StagedUpload], created_by: str
) -> UploadResult:
    """Store every accepted upload (zips opened) as documents of one new batch.

    Refused files are listed and not stored; when every file is refused no batch is made.
    Flushed, not committed: submit the queued ids only after the caller commits.
    """
    result = UploadResult(batch_id=None)
    accepted = []
    for upload in uploads:
        why = refusal_for(upload.filename)
        if why:
            result.refused.append((upload.filename, why))
        else:
            accepted.append(upload)
    if not accepted:
        return result
    store = BlobStore(settings.blob_dir)
    batch = start_batch(session, created_by)
    result.batch_id = batch.id
    # One tally for the whole upload: its files and zips count together against the caps.
    tally = IntakeTally(IntakeLimits.from_settings(settings))
    for upload in accepted:
        items = collect_inputs([upload.path], max_bytes=settings.max_upload_bytes, tally=tally)
        for item in items:
            doc = register_item(session, store, batch, item, max_bytes=settings.max_upload_bytes)
            result.document_ids.append(doc.id)
            if doc.status == DocumentStatus.QUEUED:
                result.queued_ids.append(doc.id)
    return result


class Submitter(Protocol):
    """Starts document jobs and returns at once.

    ``submit`` MUST return without waiting for the jobs; each id MUST eventually be processed
    with ``process_document``; a job that raises MUST NOT stop the others.
    """

    def submit(self, document_ids: Iterable[str]) -> None: ...


def _run_logged(document_id: str, settings: Settings) -> str:
    try:
        return process_document(document_id, settings)
    except Exception:  # the job already marked the document failed with its error
        log.exception("document %s failed", document_id)
        return DocumentStatus.FAILED


class BackgroundRunner:
    """Runs jobs in the background of the web process: the embedded default.

    A pool of worker *processes* started by a fork server, not threads: PDFium (pypdfium2)
    is not thread-safe, and two pages rendered at once in one process corrupted its heap
    ("malloc(): unaligned tcache chunk detected", seen in benchmarks/bench_web.py). The fork
    server is a clean single-threaded process, so no worker inherits the web server's
    threads or locks (forking the web process itself would).

    A worker that dies (a native crash, the OOM killer) breaks the pool: a fresh pool takes
    the next jobs, and each document the dead pool had not finished is submitted once more;
    one whose second pool dies too is marked failed.
    """

    def __init__(self, settings: Settings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or settings.workers
        self.lock = threading.Lock()
        self.executor = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        # Import the reading code once in the fork server, not in every worker.
        context.set_forkserver_preload(["ingestion.jobs"])
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context)

    def submit(self, document_ids: Iterable[str]) -> None:
        ids = list(document_ids)
        hold(self.settings, ids)
        for doc_id in ids:
            self._submit(doc_id, last_try=False)

    def _submit(self, doc_id: str, *, last_try: bool) -> None:
        with self.lock:
            try:
                future = self.executor.submit(_run_logged, doc_id, self.settings)
            except BrokenProcessPool:
                log.warning("a background worker died: starting a fresh pool")
                self.executor = self._new_pool()
                future = self.executor.submit(_run_logged, doc_id, self.settings)
        future.add_done_callback(lambda f: self._after(f, doc_id, last_try))

    def _after(self, future: Future, doc_id: str, last_try: bool) -> None:
        if not isinstance(future.exception(), BrokenProcessPool):
            return
        if not last_try or document_status(self.settings, doc_id) == DocumentStatus.QUEUED:
            self._submit(doc_id, last_try=True)  # a document never started is never blamed
        else:
            mark_unfinished_failed(services(self.settings), doc_id, "worker process died")

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; with ``wait``, finish the ones submitted."""
        self.executor.shutdown(wait=wait)


def make_submitter(settings: Settings) -> Submitter:
    """The submitter the configuration asks for: RQ when a Redis URL is set.

    With Redis, :class:`ingestion.runner.RQRunner` enqueues without waiting (its ``submit``),
    for ``credence worker`` processes to read.
    """
    if settings.redis_url:
        from ingestion.runner import RQRunner

        return RQRunner(settings)
    return BackgroundRunner(settings)
