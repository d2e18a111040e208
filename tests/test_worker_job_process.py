"""``credence worker``'s job process: jobs run one after the other in a process that stays,
under a supervisor that replaces it when it dies (issue 13, keeping issue 5's recovery).

Real workers on Redis and the test database; the document is a real multi-page scan read
by tesseract.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from production_support import (
    _children,
    document,
    embedded_export,
    exported,
    multipage_scan,
    production_env,
    register,
    start_worker,
    stop_worker,
    wait_for,
)
from rq.registry import FailedJobRegistry

from credence.db import make_engine, make_session_factory
from ingestion.models import DocumentStatus
from ingestion.operations import queue_status
from ingestion.queue import connect, document_queue
from ingestion.runner import RQRunner


def test_a_job_process_killed_mid_document_is_replaced_and_the_document_read_again(
    monkeypatch, tmp_path, corpus, database_url, redis_url
):
    """GIVEN a worker reading a twelve-page scan WHEN its job process is killed with SIGKILL
    (as the OOM killer would) in the middle of the document THEN the worker lives on, hands
    the job back at once (no status check needed), a new job process reads the document
    again, and the records are exactly those of a clean run; while the job ran, the worker
    kept beating (listed alive after three heartbeat periods of work)."""
    scan = multipage_scan(corpus, tmp_path / "twelve-pages.tiff", 12)
    expected = embedded_export(tmp_path, [scan], monkeypatch)
    settings = production_env(monkeypatch, tmp_path, database_url, redis_url)
    [doc_id] = register(settings, [scan])
    log_path = tmp_path / "worker.log"
    worker = start_worker("--name", "steady", log_path=log_path)
    try:
        wait_for(lambda: len(_children(worker.pid)) == 1, 60, "the job process")
        [first] = _children(worker.pid)
        RQRunner(settings).submit([doc_id])
        wait_for(lambda: document(settings, doc_id).status == "processing", 60, "processing")
        time.sleep(3.5)  # three heartbeats (CREDENCE_HEARTBEAT_SECONDS=1) into the OCR
        sessions = make_session_factory(make_engine(settings.database_url))
        with sessions() as session:
            status = queue_status(session, connect(redis_url), settings)
        assert [(w.name, w.alive) for w in status.workers] == [("steady", True)]
        assert document(settings, doc_id).status == DocumentStatus.PROCESSING
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: document(settings, doc_id).status == "done", 180, "read again")
        assert worker.poll() is None  # the supervisor lives on
        [second] = _children(worker.pid)
        assert second != first
    finally:
        stop_worker(worker)
    assert exported(settings) == expected
    assert document(settings, doc_id).attempts == 2
    assert FailedJobRegistry(queue=document_queue(connect(redis_url))).count == 0
    log = log_path.read_text()
    assert "the job process died" in log and "handed back" in log


def test_a_job_process_is_replaced_after_its_share_of_jobs(
    monkeypatch, tmp_path, corpus, database_url, redis_url
):
    """GIVEN CREDENCE_WORKER_JOBS_PER_PROCESS=2 and five documents WHEN a burst worker runs
    THEN every document is read (three job processes in turn) and the worker exits 0."""
    monkeypatch.setenv("CREDENCE_WORKER_JOBS_PER_PROCESS", "2")
    settings = production_env(monkeypatch, tmp_path, database_url, redis_url)
    docs = sorted((corpus / "docs").glob("*/*"))[:5]
    ids = register(settings, docs)
    RQRunner(settings).submit(ids)
    done = subprocess.run([sys.executable, "-m", "credence.cli", "worker", "--burst"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [document(settings, i).status for i in ids] == [DocumentStatus.DONE] * 5
    assert done.stderr.count("a fresh job process") == 2
    assert document_queue(connect(redis_url)).count == 0
    assert FailedJobRegistry(queue=document_queue(connect(redis_url))).count == 0
