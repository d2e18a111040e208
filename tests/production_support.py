"""Helpers for the production-mode tests: real Redis, real SQLite/PostgreSQL, real workers.

Each test gets its own Redis database number (per xdist worker) flushed before and after,
and its own database: a SQLite file or a PostgreSQL database made by ``postgres_url``.
Workers are real ``credence worker`` processes that inherit the test's environment.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redis import Redis

from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema
from ingestion.models import Document
from ingestion.runner import InProcessRunner
from ingestion.service import register_inputs
from reports.records_export import export_rows

# Redis databases the production tests may take, one each at a time. Several test sessions
# may run on one machine at once (xdist workers, other engineers): a database is taken with a
# lock key, so no one else's worker ever steals our jobs.
REDIS_DBS = range(8, 16)
LOCK_KEY = "credence-tests:lock"
SAMPLES = Path(__file__).parent / "samples" / "reading"
BACKENDS = ("sqlite", "postgresql")
VOLATILE = {"record_id", "document_id"}


def _take_redis_db(token: str, timeout: float = 600) -> Redis:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for db in REDIS_DBS:
            client = Redis.from_url(f"redis://127.0.0.1:6379/{db}")
            if client.set(LOCK_KEY, token, nx=True, ex=900):
                return client
            client.close()
        time.sleep(0.5)
    pytest.fail("no free Redis database for the production tests")


def _empty(client: Redis) -> None:
    for key in client.scan_iter(count=1000):
        if key != LOCK_KEY.encode():
            client.delete(key)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An empty Redis database of our own on the real server (127.0.0.1:6379)."""
    try:
        Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except Exception as e:  # the server is part of this machine and of CI: fail loudly
        pytest.fail(f"Redis at 127.0.0.1:6379 is not reachable: {e}")
    token = uuid.uuid4().hex
    client = _take_redis_db(token)
    _empty(client)
    try:
        yield f"redis://127.0.0.1:6379/{client.connection_pool.connection_kwargs['db']}"
    finally:
        _empty(client)
        if client.get(LOCK_KEY) == token.encode():
            client.delete(LOCK_KEY)
        client.close()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path: Path) -> str:
    """The same test on SQLite and on a fresh PostgreSQL database."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'credence.db'}"


def create_schema(url: str) -> None:
    """Every table and trigger, by the migrations, as `credence init` builds them."""
    upgrade_schema(url)


def production_env(
    monkeypatch, tmp_path: Path, database_url: str, redis_url: str | None, **extra: str
) -> Settings:
    """Point this process (and every worker it starts) at the test's servers."""
    create_schema(database_url)
    env = {
        "CREDENCE_DATA_DIR": str(tmp_path / "data"),
        "CREDENCE_DATABASE_URL": database_url,
        "CREDENCE_RETRY_BACKOFF": "0",
        "CREDENCE_HEARTBEAT_SECONDS": "1",
        "CREDENCE_OCR_TIMEOUT": "60",
        "OMP_THREAD_LIMIT": "1",
        **extra,
    }
    if redis_url:
        env["CREDENCE_REDIS_URL"] = redis_url
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if not redis_url:
        monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    return load_settings()


def register(settings: Settings, paths: list[Path]) -> list[str]:
    """Store and register ``paths``; return the document ids (committed)."""
    sessions = make_session_factory(make_engine(settings.database_url))
    with session_scope(sessions) as session:
        return register_inputs(session, settings, paths)[1]


def start_worker(*args: str, log_path: Path | None = None) -> subprocess.Popen:
    """A real ``credence worker`` process in its own process group (so it can be killed whole)."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "credence.cli", "worker", *args],
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def kill_worker_tree(proc: subprocess.Popen) -> None:
    """SIGKILL a worker and every process under it, as a lost machine would lose them.

    RQ puts its work horse in a session of its own, so killing the worker's process group
    alone would leave the horse running to the end of the document.
    """
    pids, todo = [], [proc.pid]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(_children(pid))
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=10)


def stop_worker(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a worker we started (its process group: the worker and its work horse)."""
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def run_burst_worker(timeout: float = 180) -> int:
    """Work the queue until it is empty, in a separate process; return its exit code."""
    done = subprocess.run(
        [sys.executable, "-m", "credence.cli", "worker", "--burst"],
        capture_output=True,
        timeout=timeout,
    )
    return done.returncode


def wait_for(predicate: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``predicate`` until it holds; fail naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")


def document(settings: Settings, document_id: str) -> Document:
    """A fresh read of one document row."""
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            return session.get(Document, document_id)
    finally:
        engine.dispose()


def exported(settings: Settings) -> list[dict]:
    """Every exported record minus what differs between databases (ids), by source and page."""
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            rows = [
                {k: v for k, v in row.items() if k not in VOLATILE} for row in export_rows(session)
            ]
    finally:
        engine.dispose()
    return sorted(rows, key=lambda r: (r["source_filename"], r["page"]))


def embedded_export(
    tmp_path: Path, paths: list[Path], monkeypatch, reference: Path | None = None
) -> list[dict]:
    """The records a clean embedded-mode run (SQLite, in-process) gives for ``paths``."""
    with monkeypatch.context() as m:
        settings = production_env(m, tmp_path / "embedded", f"sqlite:///{tmp_path}/emb.db", None)
        if reference is not None:
            import_reference(settings, reference)
        ids = register(settings, paths)
        InProcessRunner(settings, workers=1).run(ids)
        return exported(settings)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """A small seeded corpus: born-digital and scanned certificates, reference CSVs, truth."""
    from devtools.samplegen.corpus import generate_corpus

    out = tmp_path_factory.mktemp("corpus")
    return Path(generate_corpus(out, seed=7, count=6, conditions=("clean", "good_scan")))


def multipage_scan(corpus: Path, path: Path, pages: int) -> Path:
    """A TIFF of ``pages`` copies of one of the corpus's good scans (a long document)."""
    from PIL import Image

    page = Image.open(corpus / "docs" / "good_scan" / "scan_0004.tiff")
    page.load()
    page.save(path, save_all=True, append_images=[page.copy() for _ in range(pages - 1)])
    return path


def import_reference(settings: Settings, corpus: Path) -> None:
    """Load the corpus's catalog, standards, roster and instructors."""
    from course_catalog import importers

    sessions = make_session_factory(make_engine(settings.database_url))
    with session_scope(sessions) as session:
        for kind, name in (
            ("courses", "courses"),
            ("standards", "standards"),
            ("officers", "officers"),
            ("instructors", "instructors"),
        ):
            getattr(importers, f"import_{kind}")(session, corpus / "reference" / f"{name}.csv")
