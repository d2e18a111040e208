"""A worker killed with SIGKILL in the middle of a document, for real.

GIVEN a real ``credence worker`` reading a three-page scan, WHEN the worker and its work
horse are killed with SIGKILL while the document is ``processing``, THEN ``credence status
--recover`` (``ingestion.operations.requeue_stuck``) sees the worker stop beating, hands its
job to RQ's abandoned-job handling (a retry), and another worker finishes the document
with exactly the records a clean run gives: nothing lost, nothing twice.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta

from production_support import (
    document,
    embedded_export,
    exported,
    kill_worker_tree,
    multipage_scan,
    production_env,
    register,
    run_burst_worker,
    start_worker,
    stop_worker,
    wait_for,
)
from rq.registry import FailedJobRegistry

from credence.db import make_engine, make_session_factory, session_scope
from ingestion.models import DocumentStatus
from ingestion.operations import queue_status, requeue_stuck
from ingestion.queue import connect, document_queue, job_id_for
from ingestion.runner import RQRunner


def test_a_worker_killed_mid_document_is_recovered_with_the_records_of_a_clean_run(
    monkeypatch, tmp_path, corpus, database_url, redis_url
):
    scan = multipage_scan(corpus, tmp_path / "three-pages.tiff", 3)
    expected = embedded_export(tmp_path, [scan], monkeypatch)
    settings = production_env(monkeypatch, tmp_path, database_url, redis_url)
    [doc_id] = register(settings, [scan])
    log_path = tmp_path / "worker.log"
    worker = start_worker("--name", "doomed", log_path=log_path)
    try:
        RQRunner(settings).submit([doc_id])
        wait_for(lambda: document(settings, doc_id).status == "processing", 60, "processing")
        time.sleep(1.0)  # well into the OCR of the first pages
        kill_worker_tree(worker)
    finally:
        stop_worker(worker, signal.SIGKILL)
    assert document(settings, doc_id).status == DocumentStatus.PROCESSING
    assert exported(settings) == []  # nothing half-saved

    redis = connect(redis_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    time.sleep(3.5)  # three missed heartbeats (CREDENCE_HEARTBEAT_SECONDS=1)
    with sessions() as session:
        status = queue_status(session, redis, settings)
    assert [(w.name, w.alive) for w in status.workers] == [("doomed", False)]
    with session_scope(sessions) as session:
        recovered, requeued = requeue_stuck(session, redis, settings, timedelta(0))
    assert recovered == [job_id_for(doc_id)]
    assert requeued == []  # the job is back on the queue: not enqueued a second time
    assert document(settings, doc_id).status == DocumentStatus.QUEUED
    assert document_queue(redis).count == 1

    assert run_burst_worker() == 0

    doc = document(settings, doc_id)
    assert (doc.status, doc.attempts) == (DocumentStatus.DONE, 2)
    assert exported(settings) == expected
    assert len(expected) == 3
    assert FailedJobRegistry(queue=document_queue(redis)).count == 0
    lines = log_path.read_text().splitlines()
    assert any(f"[document={doc_id}]" in line and "processing" in line for line in lines)
    job_lines = [line for line in lines if " ingestion." in line or " extractors." in line]
    assert job_lines and all(f"[document={doc_id}]" in line for line in job_lines)
