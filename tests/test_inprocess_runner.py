"""The embedded runner's pool when a worker process dies under a document, for real.

The in-process pool (embedded default) forks one worker per core. A worker can die under a
document: a native crash in a reader, the OOM killer. The batch must go on, nothing may be
left ``queued`` or ``processing`` with no one working on it, and the documents that were in
the dead worker's hands end with exactly the records a clean run gives, or failed with the
reason when they kill their process every time.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest
from production_support import embedded_export, exported, production_env, register, wait_for

from credence.db import make_engine, make_session_factory
from ingestion.models import Document, DocumentStatus
from ingestion.runner import InProcessRunner


@pytest.fixture
def scans(corpus: Path) -> list[Path]:
    """The corpus's scanned certificates (each takes seconds of OCR: time to be killed in)."""
    out = sorted((corpus / "docs" / "good_scan").iterdir())
    assert len(out) >= 3
    return out


def _pool_settings(monkeypatch, tmp_path: Path, corpus: Path):
    from production_support import import_reference

    settings = production_env(monkeypatch, tmp_path / "pool", f"sqlite:///{tmp_path}/pool.db",
                              None)
    import_reference(settings, corpus)
    return settings


def _run_in_background(settings, ids: list[str]):
    reported: list[tuple[str, str]] = []
    runner = InProcessRunner(settings, workers=2)
    thread = threading.Thread(target=runner.run, args=(ids, lambda d, s: reported.append((d, s))))
    thread.start()
    return thread, reported


def _status(sessions, doc_id: str) -> Document:
    with sessions() as session:
        return session.get(Document, doc_id)


def _kill_pool_workers() -> int:
    killed = 0
    for child in multiprocessing.active_children():
        os.kill(child.pid, signal.SIGKILL)
        killed += 1
    return killed


def test_a_pool_worker_killed_mid_document_leaves_the_records_of_a_clean_run(
    monkeypatch, tmp_path, corpus, scans
):
    expected = embedded_export(tmp_path, scans, monkeypatch, reference=corpus)
    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    sessions = make_session_factory(make_engine(settings.database_url))
    ids = register(settings, scans)
    thread, reported = _run_in_background(settings, ids)
    wait_for(lambda: any(_status(sessions, d).status == "processing" for d in ids), 60,
             "a document processing")
    time.sleep(0.5)  # into the OCR of its first page
    assert _kill_pool_workers() >= 1
    thread.join(timeout=600)
    assert not thread.is_alive()

    assert sorted(reported) == sorted((d, DocumentStatus.DONE) for d in ids)  # once each
    assert {_status(sessions, d).status for d in ids} == {DocumentStatus.DONE}
    assert exported(settings) == expected
    assert len(expected) >= len(scans)


def test_a_document_that_kills_its_process_every_time_fails_and_the_batch_goes_on(
    monkeypatch, tmp_path, corpus, scans
):
    expected = embedded_export(tmp_path, scans[1:], monkeypatch, reference=corpus)
    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    sessions = make_session_factory(make_engine(settings.database_url))
    ids = register(settings, scans)
    doomed = ids[0]
    thread, reported = _run_in_background(settings, ids)
    kills, claims_killed = 0, 0
    while thread.is_alive():  # SIGKILL whatever reads the doomed document, every attempt
        doc = _status(sessions, doomed)
        if doc.status == DocumentStatus.PROCESSING and doc.attempts > claims_killed:
            time.sleep(0.3)
            kills += _kill_pool_workers()
            claims_killed = doc.attempts
        time.sleep(0.05)
    thread.join()

    doc = _status(sessions, doomed)
    assert (doc.status, doc.attempts) == (DocumentStatus.FAILED, 2)
    assert doc.error_code == "internal_error"
    assert "worker process died" in doc.error
    assert kills >= 2
    assert sorted(reported) == sorted(
        [(doomed, DocumentStatus.FAILED)] + [(d, DocumentStatus.DONE) for d in ids[1:]]
    )
    assert exported(settings) == expected
