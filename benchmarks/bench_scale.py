"""``make bench-scale``: production mode (RQ on Redis, PostgreSQL) with 1 and 2 workers.

On one generated corpus of scanned pages (``credence samples generate --conditions
good_scan``):

1. an embedded-mode run (SQLite, in-process pool) gives the reference records;
2. the same corpus through real ``credence worker`` processes on Redis and a fresh
   PostgreSQL database (built by the Alembic migrations), with 1 and then 2 workers
   (``OMP_THREAD_LIMIT=1``): pages per minute, documents lost or stuck, and whether every
   exported record equals the embedded one (ids and timestamps aside);
3. the queue overhead per document (enqueue to start) with one idle worker;
4. what the database and Redis see per page (transactions, rows written, Redis commands).

``BENCH_PAGES`` (or ``--pages``) sets the corpus size (default 60, a few minutes). Results are
printed and written to ``bench-results/scale.json``. Figures are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
CREDENCE = [sys.executable, "-m", "credence.cli"]
PG_ADMIN = os.environ.get("BENCH_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
VOLATILE = {"record_id", "document_id"}


def generate(out: Path, count: int) -> Path:
    """The corpus, rendered once per size and seed."""
    if not (out / "truth.jsonl").exists():
        subprocess.run([*CREDENCE, "samples", "generate", str(out), "--seed", "21",
                        "--count", str(count), "--conditions", "good_scan"], check=True,
                       stdout=subprocess.DEVNULL)
    return out


def page_count(corpus: Path) -> int:
    """Pages in the corpus, from its ground truth (one line per page)."""
    return sum(1 for _ in open(corpus / "truth.jsonl", encoding="utf-8"))


def environment(data_dir: Path, database_url: str, redis_url: str | None) -> dict[str, str]:
    """The environment of every process of one installation."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CREDENCE_")}
    env.update(CREDENCE_DATA_DIR=str(data_dir), CREDENCE_DATABASE_URL=database_url,
               OMP_THREAD_LIMIT="1", CREDENCE_HEARTBEAT_SECONDS="5")
    if redis_url:
        env["CREDENCE_REDIS_URL"] = redis_url
    return env


def install(env: dict[str, str], corpus: Path) -> None:
    """Schema (Alembic) and reference data, through the CLI as an operator would."""
    run = dict(env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*CREDENCE, "init"], **run)
    for group, name in (("catalog", "courses"), ("standards", "standards"),
                        ("roster", "officers"), ("instructors", "instructors")):
        subprocess.run([*CREDENCE, group, "import", str(corpus / "reference" / f"{name}.csv")],
                       **run)


def with_env(env: dict[str, str]):
    """Settings and a session factory for ``env`` (this process)."""
    from credence.config import load_settings
    from credence.db import make_engine, make_session_factory

    settings = load_settings(env)
    return settings, make_session_factory(make_engine(settings.database_url))


def register(env: dict[str, str], corpus: Path) -> list[str]:
    """Register every document of the corpus; return the ids to process."""
    from credence.db import session_scope
    from ingestion.service import register_inputs

    settings, sessions = with_env(env)
    with session_scope(sessions) as session:
        return register_inputs(session, settings, [corpus / "docs"])[1]


def export(env: dict[str, str]) -> list[dict]:
    """Every record minus ids, by source file and page."""
    from reports.records_export import export_rows

    _, sessions = with_env(env)
    with sessions() as session:
        rows = [{k: v for k, v in r.items() if k not in VOLATILE} for r in export_rows(session)]
    return sorted(rows, key=lambda r: (r["source_filename"], r["page"]))


def embedded_run(corpus: Path, work: Path) -> tuple[list[dict], float]:
    """The reference: embedded mode (SQLite, one process per core)."""
    env = environment(work / "embedded", f"sqlite:///{work}/embedded.db", None)
    install(env, corpus)
    ids = register(env, corpus)
    from ingestion.runner import InProcessRunner

    settings, _ = with_env(env)
    started = time.perf_counter()
    InProcessRunner(settings).run(ids)
    seconds = time.perf_counter() - started
    _report_unfinished(env)
    return export(env), seconds


def _report_unfinished(env: dict[str, str]) -> None:
    """Documents of a run that did not end ``done``, with their errors (on stderr)."""
    from ingestion.models import Document

    _, sessions = with_env(env)
    with sessions() as session:
        for doc in session.scalars(select(Document).where(Document.status != "done")):
            print(f"embedded run: {doc.source_filename} ended {doc.status}: {doc.error}",
                  file=sys.stderr)


def create_database() -> str:
    """A fresh PostgreSQL database for one run."""
    name = f"credence_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def drop_database(url: str) -> None:
    """Drop a database made by :func:`create_database`."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def start_workers(env: dict[str, str], n: int, log: Path) -> list[subprocess.Popen]:
    """``n`` real workers, waited for until each is registered and idle (warmed up)."""
    from redis import Redis
    from rq import Worker

    from ingestion.queue import document_queue

    with open(log, "ab") as out:
        procs = [subprocess.Popen([*CREDENCE, "worker", "--name", f"bench-{i}"], env=env,
                                  stdout=out, stderr=subprocess.STDOUT) for i in range(n)]
    queue = document_queue(Redis.from_url(env["CREDENCE_REDIS_URL"]))
    deadline = time.monotonic() + 60
    while len(Worker.all(queue=queue)) < n and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.0)
    return procs


def cpu_seconds(procs: list[subprocess.Popen]) -> float:
    """CPU time of the workers and everything they reaped (work horses, tesseract)."""
    total = 0
    for p in procs:
        fields = Path(f"/proc/{p.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def stop_workers(procs: list[subprocess.Popen]) -> None:
    """Warm shutdown of the workers started here."""
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=120)


def wait_all_final(
    env: dict[str, str], ids: list[str], timeout: float, poll: float = 0.5
) -> tuple[dict[str, int], int]:
    """Poll every ``poll`` seconds until every document is final (or the timeout); status
    counts and polls made."""
    from ingestion.models import Document

    _, sessions = with_env(env)
    deadline = time.monotonic() + timeout
    polls = 0
    while True:
        polls += 1
        with sessions() as session:
            rows = session.execute(select(Document.status).where(Document.id.in_(ids))).all()
        counts: dict[str, int] = {}
        for (status,) in rows:
            counts[status] = counts.get(status, 0) + 1
        if counts.get("queued", 0) + counts.get("processing", 0) == 0:
            return counts, polls
        if time.monotonic() > deadline:
            return counts, polls
        time.sleep(poll)


def database_stats(url: str) -> dict[str, int]:
    """Transactions and rows written in the run's database so far."""
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    time.sleep(1.5)  # statistics reach pg_stat_database about once a second
    with admin.connect() as conn:
        row = conn.execute(text("SELECT xact_commit, xact_rollback, tup_inserted, tup_updated "
                                "FROM pg_stat_database WHERE datname = :n"), {"n": name}).one()
    admin.dispose()
    return dict(zip(("commits", "rollbacks", "inserted", "updated"), row, strict=True))


def redis_commands(redis) -> int:
    """Commands the Redis server has run so far (all clients)."""
    return sum(v["calls"] for k, v in redis.info("commandstats").items())


def rq_run(corpus: Path, work: Path, workers: int, pages: int) -> dict:
    """One production-mode run with ``workers`` workers; throughput and correctness."""
    from redis import Redis

    from ingestion.runner import RQRunner

    url = create_database()
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    env = environment(work / f"rq{workers}", url, REDIS_URL)
    procs: list[subprocess.Popen] = []
    try:
        install(env, corpus)
        ids = register(env, corpus)
        procs = start_workers(env, workers, work / f"rq{workers}.log")
        before_db, before_redis = database_stats(url), redis_commands(redis)
        before_cpu = cpu_seconds(procs)
        settings, _ = with_env(env)
        started = time.perf_counter()
        RQRunner(settings).submit(ids)
        counts, polls = wait_all_final(env, ids, timeout=60 + 30 * pages)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds(procs) - before_cpu
        load = os.getloadavg()[0]
        after_db, after_redis = database_stats(url), redis_commands(redis)
        after_db["rollbacks"] -= polls  # the benchmark's own read-only polls
        overhead = queue_overhead(env, ids[:30]) if workers == 1 else None
        records = export(env)
    finally:
        stop_workers(procs)
        drop_database(url)
        redis.flushdb()
    return {
        "workers": workers, "seconds": round(seconds, 1), "documents": counts,
        "pages_per_minute": round(pages / seconds * 60, 1),
        "lost_or_stuck": counts.get("queued", 0) + counts.get("processing", 0),
        "worker_cpu_seconds_per_page": round(cpu / pages, 3),
        "load_average_at_end": round(load, 2),
        "per_page": {k: round((after_db[k] - before_db[k]) / pages, 2) for k in after_db}
        | {"redis_commands": round((after_redis - before_redis) / pages, 1)},
        "queue_overhead_ms": overhead, "records": records,
    }


def queue_overhead(env: dict[str, str], ids: list[str]) -> dict[str, float]:
    """Enqueue-to-start per job with one idle worker (jobs of documents already done)."""
    from redis import Redis
    from rq.job import Job

    from ingestion.queue import document_queue, enqueue_document

    settings, _ = with_env(env)
    queue = document_queue(Redis.from_url(env["CREDENCE_REDIS_URL"]))
    delays = []
    for doc_id in ids:
        time.sleep(0.3)  # the worker is idle, waiting on the queue
        job = enqueue_document(queue, settings, doc_id)
        while job.get_status(refresh=True) not in ("finished", "failed"):
            time.sleep(0.01)
        job = Job.fetch(job.id, connection=queue.connection)
        delays.append((job.started_at - job.enqueued_at).total_seconds() * 1000)
    return {"median": round(statistics.median(delays), 1), "max": round(max(delays), 1),
            "samples": len(delays)}


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=int(os.environ.get("BENCH_PAGES", "60")))
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    corpus = generate(OUT / f"scale-corpus-{args.pages}", args.pages)
    pages = page_count(corpus)
    work = Path(tempfile.mkdtemp(prefix="credence-scale-"))
    try:
        reference, embedded_seconds = embedded_run(corpus, work)
        runs = [rq_run(corpus, work, n, pages) for n in (1, 2)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result = summarise(pages, reference, embedded_seconds, runs)
    (OUT / "scale.json").write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(result, indent=2, default=str))
    return 0


def summarise(pages: int, reference: list[dict], embedded_seconds: float, runs: list[dict]):
    """The figures to report."""
    one, two = runs
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"), "pages": pages,
        "cores": os.cpu_count(),
        "embedded": {"seconds": round(embedded_seconds, 1),
                     "pages_per_minute": round(pages / embedded_seconds * 60, 1)},
        "rq": [{k: v for k, v in r.items() if k != "records"} for r in runs],
        "speedup_2_vs_1": round(two["pages_per_minute"] / one["pages_per_minute"], 2),
        "records_identical_to_embedded": [r["records"] == reference for r in runs],
        "differences": [differences(reference, r["records"]) for r in runs],
        "records": len(reference),
        "queue_overhead_ms": one["queue_overhead_ms"],
    }


def differences(reference: list[dict], records: list[dict], limit: int = 10) -> list[dict]:
    """The records that differ from the embedded run: source, page, row and the fields that
    differ (the first ``limit``; :func:`count_differences` counts them all).

    A sign-in sheet's page holds many records: they are compared row by row, in the order
    the export gives them (by row within a page), never by page alone.
    """
    return _differing(reference, records)[:limit]


def count_differences(reference: list[dict], records: list[dict]) -> int:
    """How many records differ from the embedded run (missing or extra ones included)."""
    return len(_differing(reference, records))


def _differing(reference: list[dict], records: list[dict]) -> list[dict]:
    def by_page(rows: list[dict]) -> dict[tuple, list[dict]]:
        out: dict[tuple, list[dict]] = {}
        for r in rows:
            key = (r["source_filename"], r.get("document_sha256"), r["page"])
            out.setdefault(key, []).append(r)
        return out

    ours, theirs = by_page(records), by_page(reference)
    out = []
    for key in sorted(set(theirs) | set(ours), key=lambda k: (k[0], k[1] or "", k[2])):
        refs, gots = theirs.get(key, []), ours.get(key, [])
        for row in range(max(len(refs), len(gots))):
            ref = refs[row] if row < len(refs) else None
            got = gots[row] if row < len(gots) else None
            where = {"source": key[0], "page": key[2], "row": row}
            if got is None:
                out.append({**where, "missing": True})
            elif ref is None:
                out.append({**where, "not_in_embedded_run": True})
            elif got != ref:
                out.append({**where, "fields": {k: [ref[k], got.get(k)] for k in ref
                                                if ref[k] != got.get(k)}})
    return out


if __name__ == "__main__":
    sys.exit(main())
