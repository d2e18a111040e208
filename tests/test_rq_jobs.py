"""Document jobs on real RQ workers (real Redis, SQLite and PostgreSQL).

GIVEN documents registered the way ``credence ingest`` registers them, WHEN their jobs go
through ``RQRunner`` to real ``credence worker`` processes, THEN they end exactly as an
embedded-mode run ends them; bad input fails once, errors that retrying cannot fix go
straight to RQ's FailedJobRegistry, and a document that times out every time fails after
its retries without holding up the documents queued behind it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from production_support import (
    SAMPLES,
    document,
    embedded_export,
    exported,
    import_reference,
    multipage_scan,
    production_env,
    register,
    run_burst_worker,
)
from rq.job import Job
from rq.registry import FailedJobRegistry

from ingestion.models import DocumentStatus
from ingestion.queue import connect, document_queue, job_id_for
from ingestion.runner import RQRunner


def _inputs(corpus: Path, tmp_path: Path) -> Path:
    """The born-digital certificates, one scan, and a corrupt image, in one folder."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for pdf in sorted((corpus / "docs" / "clean").iterdir()):
        shutil.copy(pdf, folder / pdf.name)
    shutil.copy(corpus / "docs" / "good_scan" / "scan_0002.pdf", folder / "scan_0002.pdf")
    shutil.copy(SAMPLES / "corrupt.png", folder / "corrupt.png")
    return folder


@pytest.mark.parametrize("jobs_per_process", ["200", "1"], ids=["job-process", "fork-per-job"])
def test_rq_workers_end_documents_as_an_embedded_run_does(
    monkeypatch, tmp_path, corpus, database_url, redis_url, jobs_per_process
):
    """Either way of running jobs (a job process that stays, or RQ's fork per job) ends
    every document as the embedded run does."""
    monkeypatch.setenv("CREDENCE_WORKER_JOBS_PER_PROCESS", jobs_per_process)
    folder = _inputs(corpus, tmp_path)
    expected = embedded_export(tmp_path, [folder], monkeypatch, reference=corpus)
    settings = production_env(monkeypatch, tmp_path, database_url, redis_url)
    import_reference(settings, corpus)
    ids = register(settings, [folder])

    RQRunner(settings).submit(ids)
    assert document_queue(connect(redis_url)).count == len(ids)
    assert run_burst_worker() == 0

    statuses = {document(settings, i).source_filename: document(settings, i) for i in ids}
    bad = statuses.pop("corrupt.png")
    assert bad.status == DocumentStatus.FAILED and bad.error_code == "corrupt_file"
    assert bad.attempts == 1  # bad input is a result, never retried
    assert all(d.status == DocumentStatus.DONE and d.attempts == 1 for d in statuses.values())
    redis = connect(redis_url)
    assert FailedJobRegistry(queue=document_queue(redis)).count == 0
    assert Job.fetch(job_id_for(bad.id), connection=redis).get_status() == "finished"
    got = exported(settings)
    assert got == expected
    assert {r["status"] for r in got} >= {"verified", "needs_review"}


def test_an_error_retrying_cannot_fix_fails_at_once_into_the_failed_registry(
    monkeypatch, tmp_path, corpus, redis_url
):
    settings = production_env(
        monkeypatch, tmp_path, f"sqlite:///{tmp_path}/c.db", redis_url, CREDENCE_JOB_RETRIES="3"
    )
    [doc_id] = register(settings, [corpus / "docs" / "clean" / "doc_0001.pdf"])
    sha = document(settings, doc_id).sha256
    # The blob store mount is missing on this worker: not the document's fault, not transient.
    (settings.blob_dir / sha[:2] / sha[2:4] / sha).unlink()

    RQRunner(settings).submit([doc_id])
    assert run_burst_worker() == 0

    doc = document(settings, doc_id)
    assert doc.status == DocumentStatus.FAILED and doc.error_code == "internal_error"
    assert "FileNotFoundError" in doc.error
    assert doc.attempts == 1  # three retries were allowed; none was spent on this
    registry = FailedJobRegistry(queue=document_queue(connect(redis_url)))
    assert registry.get_job_ids() == [job_id_for(doc_id)]


def test_a_poison_document_fails_after_its_retries_and_does_not_block_the_queue(
    monkeypatch, tmp_path, corpus, redis_url
):
    # A 2-second job timeout: the six-page scan needs more every time (>= 0.75 s a page).
    settings = production_env(
        monkeypatch,
        tmp_path,
        f"sqlite:///{tmp_path}/p.db",
        redis_url,
        CREDENCE_JOB_TIMEOUT="2",
        CREDENCE_JOB_RETRIES="2",
    )
    poison = multipage_scan(corpus, tmp_path / "poison.tiff", pages=6)
    [poison_id] = register(settings, [poison])
    [good_id] = register(settings, [corpus / "docs" / "clean" / "doc_0006.pdf"])

    RQRunner(settings).submit([poison_id, good_id])
    assert run_burst_worker() == 0

    assert document(settings, good_id).status == DocumentStatus.DONE
    doc = document(settings, poison_id)
    assert doc.status == DocumentStatus.FAILED
    assert "JobTimeoutException" in doc.error
    assert doc.attempts == 3  # the first try and its two retries
    registry = FailedJobRegistry(queue=document_queue(connect(redis_url)))
    assert registry.get_job_ids() == [job_id_for(poison_id)]


def test_a_worker_keeps_its_reference_copy_up_to_date_between_jobs(
    monkeypatch, tmp_path, corpus, redis_url
):
    """GIVEN one running worker, which loads the roster once before it forks its jobs
    (issue 13) WHEN an officer is removed from the roster between two jobs THEN the second
    job verifies against the roster as changed, not the copy the worker loaded first."""
    from production_support import start_worker, stop_worker, wait_for
    from sqlalchemy import delete

    from course_catalog.models import Officer
    from credence.db import make_engine, make_session_factory, session_scope

    clean = sorted((corpus / "docs" / "clean").iterdir())
    verified = [r for r in embedded_export(tmp_path, clean, monkeypatch, corpus)
                if r["status"] == "verified"]
    officer = verified[0]  # the second job's officer, removed between the jobs
    other = next(r for r in verified if r["officer_badge_matched"] != officer[
        "officer_badge_matched"])
    first, second = (next(p for p in clean if p.name == Path(r["source_filename"]).name)
                     for r in (other, officer))
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/w.db", redis_url)
    import_reference(settings, corpus)
    worker = start_worker(log_path=tmp_path / "worker.log")
    try:
        runner = RQRunner(settings, poll_seconds=0.1)
        [first_id] = register(settings, [first])
        runner.submit([first_id])
        wait_for(lambda: document(settings, first_id).status == "done", 120, "the first job")
        assert [(r["status"], r["reasons"]) for r in exported(settings)] == [("verified", [])]
        [second_id] = register(settings, [second])
        sessions = make_session_factory(make_engine(settings.database_url))
        with session_scope(sessions) as session:
            session.execute(
                delete(Officer).where(Officer.badge_number == officer["officer_badge_matched"]))
        runner.submit([second_id])
        wait_for(lambda: document(settings, second_id).status == "done", 120, "the second job")
    finally:
        stop_worker(worker)
    got = {Path(r["source_filename"]).name: r for r in exported(settings)}[second.name]
    assert got["status"] == "needs_review"
    assert "officer_not_on_roster" in got["reasons"]
