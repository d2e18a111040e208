"""PostgreSQL lost in the middle of a batch, for real (connections refused by the server).

GIVEN documents queued for a running worker, WHEN the database refuses every connection,
THEN their jobs fail with a transient error and wait for a retry (nothing is marked done,
nothing lands in the failed registry), and WHEN the database is back they end done, each
exactly once.
"""

from __future__ import annotations

from conftest import PG_ADMIN_URL
from production_support import (
    document,
    exported,
    production_env,
    register,
    start_worker,
    stop_worker,
    wait_for,
)
from rq.registry import FailedJobRegistry
from sqlalchemy import create_engine, make_url, text

from ingestion.models import DocumentStatus
from ingestion.queue import connect, document_queue
from ingestion.runner import RQRunner


def _allow_connections(database_url: str, allow: bool) -> None:
    name = make_url(database_url).database
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}'))
        if not allow:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
    admin.dispose()


def test_documents_retry_through_a_database_outage_and_end_done_once(
    monkeypatch, tmp_path, corpus, postgres_url, redis_url
):
    settings = production_env(
        monkeypatch,
        tmp_path,
        postgres_url,
        redis_url,
        CREDENCE_RETRY_BACKOFF="1,2",
        CREDENCE_JOB_RETRIES="6",
    )
    paths = [corpus / "docs" / "clean" / n for n in ("doc_0001.pdf", "doc_0003.pdf")]
    ids = register(settings, paths)
    redis = connect(redis_url)
    queue = document_queue(redis)
    worker = start_worker(log_path=tmp_path / "worker.log")
    try:  # the worker is stopped whatever fails: a stray one would take later tests' jobs
        _allow_connections(postgres_url, False)
        try:
            RQRunner(settings).submit(ids)
            wait_for(
                lambda: queue.scheduled_job_registry.get_job_count(cleanup=False) == len(ids),
                60,
                "both jobs to wait for a retry",
            )
            assert FailedJobRegistry(queue=queue).count == 0
        finally:
            _allow_connections(postgres_url, True)
        wait_for(
            lambda: all(document(settings, i).status == DocumentStatus.DONE for i in ids),
            90,
            "the documents to be done after the outage",
        )
    finally:
        stop_worker(worker)
    # The failed attempts never reached the database: each document was claimed once.
    assert [document(settings, i).attempts for i in ids] == [1, 1]
    assert FailedJobRegistry(queue=queue).count == 0
    records = exported(settings)
    assert sorted(r["source_filename"] for r in records) == ["doc_0001.pdf", "doc_0003.pdf"]
