"""Job functions: importable by path, taking ids, run the same in-process or on RQ workers."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from course_catalog.queries import reference_hints
from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory, session_scope
from extractors.errors import CredenceError, InputFileError
from extractors.reading import ReadContext
from ingestion.models import Document, DocumentStatus
from ingestion.pipeline import read_and_extract, save_reading, work_folder
from ingestion.storage import BlobStore

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


def process_document(document_id: str, settings: Settings | None = None) -> str:
    """Read, extract, verify and save one document; return its final status.

    Bad input (a corrupt or unsupported file) is a result, not a job failure: the document
    is marked failed with the error and the batch goes on. Anything unexpected marks the
    document failed too and is re-raised, so RQ's failed-job registry sees it.
    """
    svc = services(settings)
    with session_scope(svc.sessions) as session:
        if not _claim(session, document_id):
            return session.get(Document, document_id).status
        sha256 = session.get(Document, document_id).sha256
        hints = reference_hints(session)
    adapter = logging.LoggerAdapter(log, {"document_id": document_id})
    try:
        reading = _read(svc, document_id, sha256, hints)
        _save(svc, document_id, reading)
    except InputFileError as e:
        adapter.info("document %s failed: %s", document_id, e)
        _mark_failed(svc, document_id, e.code, str(e))
        return DocumentStatus.FAILED
    except CredenceError as e:
        _mark_failed(svc, document_id, e.code, str(e))
        raise
    except Exception as e:
        _mark_failed(svc, document_id, "internal_error", f"{type(e).__name__}: {e}")
        raise
    return DocumentStatus.DONE


def _claim(session: Session, document_id: str) -> bool:
    doc = session.get(Document, document_id)
    if doc is None:
        raise LookupError(f"no document {document_id}")
    if doc.status in (DocumentStatus.DONE, DocumentStatus.COPY) or doc.copy_of_id:
        return False
    doc.status = DocumentStatus.PROCESSING
    doc.attempts = (doc.attempts or 0) + 1
    return True


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
        doc.status = DocumentStatus.FAILED
        doc.error_code = code
        doc.error = message[:2000]
