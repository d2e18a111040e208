"""Concurrency safety on SQLite and PostgreSQL, with real processes racing each other.

GIVEN two processes released at the same moment by a barrier, WHEN both process the same
document, or both upload the same bytes, or each processes a different document of the same
training, THEN the database constraints (not luck) leave one document, one set of pages and
records, and one credit: the record of the document received first.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

from production_support import document, exported, import_reference, production_env, register
from sqlalchemy import func, select

from credence.config import Settings
from credence.db import make_engine, make_session_factory, session_scope
from ingestion.jobs import process_document
from ingestion.models import Document, DocumentStatus, Page
from ingestion.service import register_inputs
from verification.models import RecordEvent, TrainingRecord

FORK = multiprocessing.get_context("fork")


def _race(target, *argsets) -> None:
    barrier = FORK.Barrier(len(argsets))
    procs = [FORK.Process(target=target, args=(barrier, *args)) for args in argsets]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * len(procs)


def _process_after(barrier, document_id: str, settings: Settings) -> None:
    barrier.wait()
    process_document(document_id, settings)


def _register_after(barrier, path: Path, settings: Settings) -> None:
    sessions = make_session_factory(make_engine(settings.database_url))
    barrier.wait()
    with session_scope(sessions) as session:
        register_inputs(session, settings, [path])


def _count(settings: Settings, *query):
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.scalar(select(func.count()).select_from(*query))
    finally:
        engine.dispose()


def test_two_workers_on_one_document_leave_one_set_of_records(
    monkeypatch, tmp_path, corpus, database_url
):
    settings = production_env(monkeypatch, tmp_path, database_url, None)
    import_reference(settings, corpus)
    [doc_id] = register(settings, [corpus / "docs" / "clean" / "doc_0006.pdf"])

    _race(_process_after, (doc_id, settings), (doc_id, settings))

    assert document(settings, doc_id).status == DocumentStatus.DONE
    assert _count(settings, Page) == 1
    assert _count(settings, TrainingRecord) == 1
    assert _count(settings, RecordEvent) == 1  # one "created": the loser changed nothing
    assert [r["status"] for r in exported(settings)] == ["verified"]


def test_two_uploads_of_the_same_bytes_at_once_make_one_original(
    monkeypatch, tmp_path, corpus, database_url
):
    settings = production_env(monkeypatch, tmp_path, database_url, None)
    path = corpus / "docs" / "clean" / "doc_0003.pdf"

    _race(_register_after, (path, settings), (path, settings))

    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        docs = session.scalars(select(Document)).all()
    engine.dispose()
    assert Counter(d.status for d in docs) == {DocumentStatus.QUEUED: 1, DocumentStatus.COPY: 1}
    original = next(d for d in docs if d.status == DocumentStatus.QUEUED)
    copy = next(d for d in docs if d.status == DocumentStatus.COPY)
    assert copy.copy_of_id == original.id and original.copy_of_id is None


def test_the_same_training_in_two_documents_at_once_is_credited_once(
    monkeypatch, tmp_path, corpus, database_url
):
    settings = production_env(monkeypatch, tmp_path, database_url, None)
    import_reference(settings, corpus)
    first = corpus / "docs" / "clean" / "doc_0006.pdf"
    # A re-scan of the same certificate: other bytes, the same training.
    rescan = tmp_path / "rescan.pdf"
    rescan.write_bytes(first.read_bytes() + b"\n% re-scanned\n")
    [first_id] = register(settings, [first])
    [later_id] = register(settings, [rescan])

    # The later document is released first: the outcome must not depend on who finishes.
    _race(_process_after, (later_id, settings), (first_id, settings))

    rows = {r["source_filename"]: r for r in exported(settings)}
    assert rows["doc_0006.pdf"]["status"] == "verified"
    assert rows["doc_0006.pdf"]["credit_hours"] > 0
    assert rows["rescan.pdf"]["status"] == "duplicate"
    assert rows["rescan.pdf"]["credit_hours"] == 0
