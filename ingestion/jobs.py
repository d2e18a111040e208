"""Job functions: importable by path, taking ids, run the same in-process or on RQ workers."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePosixPath

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from course_catalog.queries import reference_hints
from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory, session_scope
from extractors import timing
from extractors.errors import CredenceError, InputFileError
from extractors.reading import ReadContext
from ingestion.holders import this_process
from ingestion.logcontext import document_context
from ingestion.models import Document, DocumentStatus
from ingestion.pipeline import read_and_extract, save_reading, work_folder
from ingestion.storage import BlobStore
from verification.layouts import document_agency, layout_hints

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Services:
    """What a job needs, built once per process."""

    settings: Settings
    sessions: sessionmaker[Session]
    store: BlobStore


@lru_cache(maxsize=4)
def _services_for(settings: Settings, pid: int) -> Services:
    # Keyed by pid: a forked worker must never reuse its parent's database connections.
    engine = make_engine(settings.database_url)
    return Services(settings, make_session_factory(engine), BlobStore(settings.blob_dir))


def services(settings: Settings | None = None) -> Services:
    """The per-process services for ``settings`` (default: from the environment)."""
    return _services_for(settings or load_settings(), os.getpid())


def process_document(
    document_id: str,
    settings: Settings | None = None,
    *,
    will_retry: Callable[[BaseException], bool] | None = None,
) -> str:
    """Read, extract, verify and save one document; return its final status.

    Bad input (a corrupt or unsupported file) is a result, not a job failure: the document
    is marked failed with the error and the batch goes on. Anything unexpected marks the
    document failed too and is re-raised, so RQ's failed-job registry sees it.

    Safe to run again, and twice at once: a finished document is left alone, pages and
    records have stable keys, and the save is one transaction (a crash before it leaves
    nothing behind; a concurrent save of the same document loses to the database's unique
    constraints and then finds everything already there).

    Args:
        document_id: the document to process.
        settings: default from the environment.
        will_retry: says whether an error will be retried (RQ); such a document goes back
            to ``queued`` instead of ``failed``, so no one reads a failure that is not final.
    """
    with document_context(document_id), timing.collecting():
        return _process(document_id, services(settings), will_retry or (lambda e: False))


def _process(document_id: str, svc: Services, will_retry: Callable[[BaseException], bool]) -> str:
    with timing.stage("claim"), session_scope(svc.sessions) as session:
        if not _claim(session, document_id):
            return session.get(Document, document_id).status
        doc = session.get(Document, document_id)
        sha256, attempts = doc.sha256, doc.attempts
        hints = replace(reference_hints(session),
                        layouts=layout_hints(session, document_agency(session, document_id)))
    adapter = logging.LoggerAdapter(log, {"document_id": document_id})
    adapter.info("document %s: processing (attempt %s)", document_id, attempts)
    try:
        reading = _read(svc, document_id, sha256, hints)
        with timing.stage("save"):
            _save(svc, document_id, reading)
    except InputFileError as e:
        adapter.info("document %s failed: %s", document_id, e)
        _mark_failed(svc, document_id, e.code, str(e))
        return DocumentStatus.FAILED
    except Exception as e:
        code = e.code if isinstance(e, CredenceError) else "internal_error"
        message = str(e) if isinstance(e, CredenceError) else f"{type(e).__name__}: {e}"
        if will_retry(e):
            _mirror_job_failure(document_id, True, message)
        else:
            _mark_failed(svc, document_id, code, message)
        raise
    adapter.info("document %s: done", document_id)
    return DocumentStatus.DONE


def _claim(session: Session, document_id: str) -> bool:
    doc = session.get(Document, document_id)
    if doc is None:
        raise LookupError(f"no document {document_id}")
    if doc.status in (DocumentStatus.DONE, DocumentStatus.COPY) or doc.copy_of_id:
        return False
    doc.status = DocumentStatus.PROCESSING
    doc.attempts = (doc.attempts or 0) + 1
    doc.held_by = this_process()
    return True


def document_status(settings: Settings, document_id: str) -> str:
    """The document's status as the database has it now."""
    with services(settings).sessions() as session:
        return session.get(Document, document_id).status


def largest_first(settings: Settings, document_ids: list[str]) -> list[str]:
    """``document_ids`` with the largest files first (the same order otherwise).

    A pool takes jobs in order; a 30-page PDF left for last keeps one core busy while the
    others wait. The file size is the only measure of the work known before reading.
    """
    if len(document_ids) < 2:
        return list(document_ids)
    try:
        with services(settings).sessions() as session:
            sizes = dict(session.execute(
                select(Document.id, Document.size_bytes).where(Document.id.in_(document_ids))
            ).all())
    except SQLAlchemyError as e:
        # The order only saves time; a database that is down now must not stop the queueing
        # (the jobs wait for it and retry, issue 5).
        log.warning("queueing in the given order, file sizes not read: %s", e)
        return list(document_ids)
    return sorted(document_ids, key=lambda d: -(sizes.get(d) or 0))


def hold(settings: Settings, document_ids: list[str]) -> None:
    """Record this process as the one that will read the queued ``document_ids``."""
    if not document_ids:
        return
    with session_scope(services(settings).sessions) as session:
        session.execute(
            update(Document)
            .where(Document.id.in_(document_ids), Document.status == DocumentStatus.QUEUED)
            .values(held_by=this_process())
        )


def _read(svc: Services, document_id: str, sha256: str, hints):
    settings = svc.settings
    with work_folder(settings.work_dir, document_id, keep=settings.keep_work_files) as work:
        ctx = ReadContext(
            work_dir=work,
            ocr_timeout=settings.ocr_timeout,
            max_image_pixels=settings.max_image_pixels,
            page_image_dir=settings.page_dir / document_id,
        )
        return read_and_extract(svc.store.path_for(sha256), ctx, hints)


def _save(svc: Services, document_id: str, reading) -> None:
    # A concurrent job may credit the same training first; the database refuses the second
    # credit, and one more attempt then records this one as a duplicate.
    for attempt in (1, 2):
        try:
            with session_scope(svc.sessions) as session:
                save_reading(session, document_id, reading)
            return
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("document %s: concurrent credit, saving again", document_id)


def _mark_failed(svc: Services, document_id: str, code: str, message: str) -> None:
    with session_scope(svc.sessions) as session:
        doc = session.get(Document, document_id)
        if doc.status == DocumentStatus.DONE:
            return  # another worker finished it meanwhile: its result stands
        doc.status = DocumentStatus.FAILED
        doc.error_code = code
        # The readers see the stored original, named by its hash; the clerk knows the file.
        named = message.replace(doc.sha256, PurePosixPath(doc.source_filename).name)
        doc.error = named[:2000]


def mark_unfinished_failed(svc: Services, document_id: str, message: str) -> str:
    """Mark a document its job left unfinished as failed with ``message``; its final status.

    A document that did finish meanwhile (done, or failed with its own error) keeps that.
    """
    with session_scope(svc.sessions) as session:
        doc = session.get(Document, document_id)
        if doc.status in (DocumentStatus.QUEUED, DocumentStatus.PROCESSING):
            log.error("document %s: failed for good: %s", document_id, message)
            doc.status = DocumentStatus.FAILED
            doc.error_code, doc.error = "internal_error", message[:2000]
        return doc.status


# -- RQ ---------------------------------------------------------------------------------


def run_document_job(document_id: str) -> str:
    """The RQ job: :func:`process_document` with settings from the worker's environment.

    RQ retries a failed job while it has retries left; only transient errors (database or
    Redis gone for a moment, a job timeout) keep them. Any other error means the document
    or the code is wrong, and trying again would only fail again and hold up the queue.
    """
    from rq import get_current_job

    from ingestion.queue import is_transient

    job = get_current_job()

    def will_retry(error: BaseException) -> bool:
        return job is not None and bool(job.retries_left) and is_transient(error)

    try:
        return process_document(document_id, will_retry=will_retry)
    except Exception as e:
        if job is not None and not is_transient(e):
            job.retries_left = 0  # RQ reads this very object when it decides on a retry
        raise


def on_document_job_failed(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ failure callback (raised, timed out or abandoned): mirror the job in our table.

    With retries left the document goes back to ``queued``; otherwise it is ``failed``
    with the error. A document already done is never touched.
    """
    message = f"{exc_type.__name__}: {exc_value}" if exc_type else "job failed"
    _mirror_job_failure(job.args[0], bool(job.retries_left), message)


def on_work_horse_killed(job, retpid, ret_val, rusage) -> None:
    """Worker hook for a work horse that died (a crash in a native reader, OOM kill)."""
    _mirror_job_failure(
        job.args[0], bool(job.retries_left), f"worker process died (wait status {ret_val})"
    )


def _mirror_job_failure(document_id: str, retrying: bool, message: str) -> None:
    svc = services()
    with document_context(document_id), session_scope(svc.sessions) as session:
        doc = session.get(Document, document_id)
        if doc is None or doc.status in (DocumentStatus.DONE, DocumentStatus.COPY):
            return
        if retrying:
            log.warning("document %s: will retry after %s", document_id, message)
            doc.status = DocumentStatus.QUEUED
            doc.error_code, doc.error = "retrying", f"retrying after {message}"[:2000]
            return
        log.error("document %s: failed for good: %s", document_id, message)
        if doc.status != DocumentStatus.FAILED or doc.error_code == "retrying":
            doc.status = DocumentStatus.FAILED
            doc.error_code, doc.error = "internal_error", message[:2000]
