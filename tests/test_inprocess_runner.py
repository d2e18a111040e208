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
import subprocess
import sys
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


@pytest.mark.parametrize("next_run", ["ingest", "status --recover"])
def test_a_killed_ingest_is_finished_by_the_next_run(monkeypatch, tmp_path, corpus, scans,
                                                     capsys, next_run):
    """GIVEN `credence ingest` killed with SIGKILL (with its pool workers) mid-batch, its
    documents left queued or processing WHEN the clerk runs `credence ingest` again (here on
    the same files, all copies now), or `credence status --recover`, THEN that run finishes
    the documents the dead one left, with the records a clean run gives, and says so."""
    from credence.cli import main

    expected = embedded_export(tmp_path, scans, monkeypatch, reference=corpus)
    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    monkeypatch.setenv("CREDENCE_WORKERS", "2")
    sessions = make_session_factory(make_engine(settings.database_url))
    doomed = subprocess.Popen([sys.executable, "-m", "credence.cli", "ingest",
                               *map(str, scans)], start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _statuses(sessions).get("processing"), 60, "a document processing")
        time.sleep(0.3)
    finally:
        os.killpg(doomed.pid, signal.SIGKILL)
        doomed.wait(timeout=10)
        # SIGKILL is delivered at once but a process still busy in the kernel takes a moment
        # to end; the next run, seconds later here, must see the pool workers gone.
        wait_for(lambda: not _live_members(doomed.pid), 10, "the killed run's processes ending")
    left = _statuses(sessions)
    assert left.get("queued", 0) + left.get("processing", 0) >= 1, left

    if next_run == "ingest":
        assert main(["ingest", *map(str, scans)]) == 0
        assert "an earlier run left unfinished" in capsys.readouterr().out
        assert _statuses(sessions) == {"done": len(scans), "copy": len(scans)}
    else:
        assert main(["status", "--recover"]) == 0
        assert "an ended run left unfinished" in capsys.readouterr().out
        assert _statuses(sessions) == {"done": len(scans)}
    assert exported(settings) == expected


def _live_members(pgid: int) -> list[int]:
    """Processes of process group ``pgid`` that have not ended (zombies count as ended)."""
    live = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            state, _ppid, pgrp = stat.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError, ValueError):
            continue
        if int(pgrp) == pgid and state != "Z":
            live.append(int(stat.parent.name))
    return live


def _statuses(sessions) -> dict[str, int]:
    from collections import Counter

    from sqlalchemy import select

    with sessions() as session:
        return dict(Counter(session.scalars(select(Document.status))))


def test_orphans_are_documents_whose_process_has_ended(session):
    """GIVEN queued and processing documents held by an ended process, by this process, by a
    process of another host, and by none (just registered, or left alone for long) WHEN the
    orphans are looked for THEN only the ended process's and the long-abandoned ones are."""
    from datetime import UTC, datetime, timedelta

    from ingestion.holders import this_process
    from ingestion.orphans import ORPHAN_QUIET, find_orphans

    ended = subprocess.Popen(["true"])
    ended.wait()
    host = this_process().rpartition(":")[0]
    old = datetime.now(UTC) - ORPHAN_QUIET - timedelta(minutes=1)
    cases = {
        "doc_ended_q": ("queued", f"{host}:{ended.pid}", None),
        "doc_ended_p": ("processing", f"{host}:{ended.pid}", None),
        "doc_mine": ("processing", this_process(), None),
        "doc_other_host": ("queued", f"another-host.example:{ended.pid}", None),
        "doc_fresh": ("queued", None, None),
        "doc_abandoned": ("queued", None, old),
        "doc_done": ("done", f"{host}:{ended.pid}", None),
    }
    for doc_id, (status, holder, _updated) in cases.items():
        session.add(Document(id=doc_id, sha256=doc_id.ljust(64, "0"), source_filename=doc_id,
                             size_bytes=1, status=status, held_by=holder))
    session.flush()
    for doc_id, (_status, _holder, updated) in cases.items():
        if updated is not None:  # past any onupdate: set as stored
            session.execute(Document.__table__.update().where(Document.id == doc_id)
                            .values(updated_at=updated))
    assert sorted(find_orphans(session)) == ["doc_abandoned", "doc_ended_p", "doc_ended_q"]


def _descendants(pid: int) -> list[int]:
    from production_support import _children

    out, todo = [], [pid]
    while todo:
        kids = _children(todo.pop())
        out += kids
        todo += kids
    return out


def test_the_web_background_pool_survives_a_worker_killed_mid_document(
    monkeypatch, tmp_path, corpus, scans
):
    """GIVEN web uploads read by the background pool (fork-server workers) WHEN a worker is
    killed with SIGKILL in the middle of a document THEN every document still ends done with
    the records of a clean run, and the next upload is read by a fresh pool."""
    from ingestion.uploads import BackgroundRunner

    expected = embedded_export(tmp_path, scans, monkeypatch, reference=corpus)
    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    sessions = make_session_factory(make_engine(settings.database_url))
    first, later = scans[:-1], scans[-1:]
    ids = register(settings, first)
    runner = BackgroundRunner(settings, workers=2)
    try:
        runner.submit(ids)
        wait_for(lambda: any(_status(sessions, d).status == "processing" for d in ids), 60,
                 "a document processing")
        time.sleep(0.3)
        holder = next(_status(sessions, d).held_by for d in ids
                      if _status(sessions, d).status == "processing")
        worker = int(holder.rpartition(":")[2])
        assert worker in _descendants(os.getpid())  # one of our pool's processes
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: all(_status(sessions, d).status == "done" for d in ids), 300,
                 "every document done")
        [late] = register(settings, later)
        runner.submit([late])
        wait_for(lambda: _status(sessions, late).status == "done", 120, "the next upload")
    finally:
        runner.shutdown(wait=False)
    assert exported(settings) == expected


def test_the_pool_takes_the_largest_files_first(monkeypatch, tmp_path, corpus):
    """GIVEN a batch of files of many sizes WHEN the pool is given them THEN it gets them
    largest first, so a long document does not start last and keep one core busy alone."""
    from ingestion.jobs import largest_first

    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    files = sorted(p for p in (corpus / "docs").rglob("*") if p.is_file())
    ids = register(settings, files)
    assert len(set(ids)) >= 6
    ordered = largest_first(settings, ids)
    assert sorted(ordered) == sorted(ids)
    sessions = make_session_factory(make_engine(settings.database_url))
    sizes = [_status(sessions, d).size_bytes for d in ordered]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > sizes[-1]


# --- forking a process that has read pages itself ------------------------------------------

_READ_THEN_BATCH = """
import sys
from PIL import Image, ImageDraw, ImageFont
from credence.config import load_settings
from extractors._tesseract import ocr_words
from ingestion.jobs import document_status
from ingestion.runner import InProcessRunner, _start_method

page = Image.new("L", (1600, 400), 255)
font = ImageFont.truetype("DejaVuSans.ttf", 40)
ImageDraw.Draw(page).text((40, 150), "Read here first, in the parent process", font=font, fill=0)
assert ocr_words(page, 300, timeout=60).words  # the warm engine of this process has read
print(_start_method())
settings = load_settings()
InProcessRunner(settings, workers=2).run(sys.argv[1:])
print(*(document_status(settings, d) for d in sys.argv[1:]))
"""


@pytest.mark.parametrize("omp_thread_limit", [None, "4"], ids=["unset", "operator-4"])
def test_a_process_that_read_pages_itself_then_runs_a_batch_finishes_it(
    monkeypatch, tmp_path, corpus, scans, omp_thread_limit
):
    """GIVEN a process whose own tesseract engine has read a page (``credence ingest`` of one
    file reads in its own process; a later batch in the same process forks a pool), with
    ``OMP_THREAD_LIMIT`` unset, or set above 1 by an operator WHEN it runs a batch of scans
    THEN every document ends: no child inherits libgomp's thread team without its threads
    (it hung in tesseract's first parallel region). Unset, the limit is 1 from the start and
    the pool forks; above 1 a team exists and the pool starts its workers fresh instead."""
    settings = _pool_settings(monkeypatch, tmp_path, corpus)
    ids = register(settings, scans[:2])
    env = {k: v for k, v in os.environ.items() if k != "OMP_THREAD_LIMIT"}
    if omp_thread_limit:
        env["OMP_THREAD_LIMIT"] = omp_thread_limit
    done = subprocess.run([sys.executable, "-c", _READ_THEN_BATCH, *ids], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    method, statuses = done.stdout.splitlines()[-2:]
    assert method == ("spawn" if omp_thread_limit else "fork")
    assert statuses.split() == [DocumentStatus.DONE] * 2


def test_the_pool_is_started_fresh_while_another_thread_runs():
    """A fork copies only the calling thread: a lock another thread holds at that moment (a
    web server's, a batch run in the background) would never be released in the child."""
    from ingestion.runner import _start_method

    assert threading.active_count() == 1 and _start_method() == "fork"
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert _start_method() == "spawn"
    finally:
        release.set()
        other.join()
    assert _start_method() == "fork"
