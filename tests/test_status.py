"""``credence status``: queue depth, workers, failed jobs, stuck documents; retry and recover.

Against the real Redis and real ``credence worker`` processes. Also the bad-input cases of
production mode: Redis or PostgreSQL unreachable gives one line naming the URL (password
hidden), and documents registered before Redis went away stay queued until recovered.
"""

from __future__ import annotations

import shutil

from production_support import (
    document,
    production_env,
    register,
    run_burst_worker,
    start_worker,
    stop_worker,
    wait_for,
)
from rq.registry import FailedJobRegistry

from credence.cli import EXIT_OK, EXIT_UNAVAILABLE, main
from credence.db import make_engine, make_session_factory
from ingestion.models import DocumentStatus
from ingestion.operations import queue_status
from ingestion.queue import connect, document_queue, job_id_for
from ingestion.runner import RQRunner


def _status(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["status", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_failed_jobs_are_listed_with_their_error_and_can_be_retried(
    monkeypatch, tmp_path, corpus, redis_url, capsys
):
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/s.db", redis_url)
    [doc_id] = register(settings, [corpus / "docs" / "clean" / "doc_0001.pdf"])
    blob = settings.blob_dir / document(settings, doc_id).sha256[:2]
    shutil.move(blob, tmp_path / "away")  # the blob store mount is missing on the worker
    RQRunner(settings).submit([doc_id])
    assert run_burst_worker() == 0

    code, out, _ = _status(capsys)
    assert code == EXIT_OK
    assert "documents: 1 failed" in out
    assert "failed jobs: 1" in out
    failed_line = next(line for line in out.splitlines() if job_id_for(doc_id) in line)
    assert "doc_0001.pdf" in failed_line and "FileNotFoundError" in failed_line

    shutil.move(tmp_path / "away", blob)  # mount fixed: retry from the status command
    code, out, _ = _status(capsys, "--retry-failed")
    assert "retrying 1 failed job(s)" in out and "1 queued" in out
    assert document(settings, doc_id).status == DocumentStatus.QUEUED
    assert FailedJobRegistry(queue=document_queue(connect(redis_url))).count == 0
    assert run_burst_worker() == 0
    assert document(settings, doc_id).status == DocumentStatus.DONE


def test_live_workers_are_listed_and_the_health_probe_exit_code_follows_them(
    monkeypatch, tmp_path, redis_url, capsys
):
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/w.db", redis_url)
    code, out, _ = _status(capsys, "--require-workers", "1")
    assert code == EXIT_UNAVAILABLE and "workers: 0 alive of 0" in out
    worker = start_worker("--name", "probe")
    try:
        redis = connect(redis_url)
        sessions = make_session_factory(make_engine(settings.database_url))

        def registered() -> bool:
            with sessions() as session:
                workers = queue_status(session, redis, settings).workers
            return [(w.alive, w.state) for w in workers] == [(True, "idle")]

        wait_for(registered, 60, "the worker to register and wait for work")
        code, out, _ = _status(capsys, "--require-workers", "1")
        assert code == EXIT_OK
        line = next(line for line in out.splitlines() if "probe" in line)
        assert line.split()[0] == "ALIVE" and "idle" in line and "last heartbeat" in line
    finally:
        stop_worker(worker)
    code, out, _ = _status(capsys, "--require-workers", "1")
    assert code == EXIT_UNAVAILABLE


def test_redis_lost_before_enqueue_leaves_documents_queued_until_recovered(
    monkeypatch, tmp_path, corpus, redis_url, capsys
):
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/r.db", redis_url)
    monkeypatch.setenv("CREDENCE_REDIS_URL", "redis://:hunter2@127.0.0.1:1/0")
    code = main(["ingest", str(corpus / "docs" / "clean")])
    _, err = capsys.readouterr()
    assert code == EXIT_UNAVAILABLE
    assert err.strip().splitlines() == [
        "credence: Redis unavailable at redis://:***@127.0.0.1:1/0: "
        + err.split(": ", 2)[2].strip()
    ]
    assert "hunter2" not in err and "Traceback" not in err

    monkeypatch.setenv("CREDENCE_REDIS_URL", redis_url)
    code, out, _ = _status(capsys, "--stuck-after", "0")
    assert "documents: 3 queued" in out and "stuck documents: 3" in out  # none marked done
    code, out, _ = _status(capsys, "--recover", "--stuck-after", "0")
    assert "re-enqueued 3 stuck document(s)" in out and "3 queued" in out
    assert run_burst_worker() == 0
    code, out, _ = _status(capsys, "--stuck-after", "0")
    assert "documents: 3 done" in out and "stuck documents: 0" in out
    assert settings.redis_url == redis_url


def test_an_unreachable_database_is_one_line_naming_it_without_the_password(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv(
        "CREDENCE_DATABASE_URL", "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/credence"
    )
    code, out, err = _status(capsys)
    assert code == EXIT_UNAVAILABLE
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "credence: database unavailable at postgresql+psycopg://postgres:***@127.0.0.1:1/credence"
    )
    assert "hunter2" not in err
