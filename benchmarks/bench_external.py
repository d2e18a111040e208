"""``make bench-external``: Credence against bare tesseract on a corpus it was not built for.

On the scanned documents of an external corpus (``EXTERNAL_CORPUS``, default
``../shared/corpora/agency-a``; any folder with ``docs/`` and the four reference CSVs):

1. the page images are taken out of the files as they are (``pdfimages -all`` for image-only
   PDFs; image files and multi-page TIFFs are handed over whole) and read by bare
   ``OMP_THREAD_LIMIT=1 tesseract IMG stdout``, two processes at a time;
2. the same files go through ``credence ingest`` with two worker processes, in a fresh data
   folder with the corpus's reference data loaded;
3. the per-stage split each document stored (``documents.timings``, ``extractors.timing``)
   is summed over the batch and printed with the tesseract runs per page, and every page
   that paid more than one full OCR is listed with the reason.

With ``--rq`` it also runs the whole corpus through PostgreSQL, Redis and two real
``credence worker`` processes and compares it with the embedded run (speed and records).
Figures are printed and written to ``bench-results/external.json``; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
RQ_LOG = OUT / "external-rq-workers.log"
CREDENCE = [sys.executable, "-m", "credence.cli"]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "agency-a"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"}
REFERENCE = (("catalog", "courses"), ("standards", "standards"), ("roster", "officers"),
             ("instructors", "instructors"))
PROCESSES = 2


def scanned_files(docs: Path) -> list[Path]:
    """Image files and PDFs without a text layer (damaged files and archives left out)."""
    import pypdfium2 as pdfium

    found = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        suffix = path.suffix.lower()
        if suffix in IMAGE_SUFFIXES:
            found.append(path)
        elif suffix == ".pdf":
            try:
                pdf = pdfium.PdfDocument(str(path))
                chars = sum(pdf[i].get_textpage().count_chars() for i in range(len(pdf)))
                pdf.close()
            except pdfium.PdfiumError:
                continue  # a damaged file: nothing for bare tesseract to read either
            if chars == 0:
                found.append(path)
    return found


def page_images(files: list[Path], out: Path) -> list[Path]:
    """The images bare tesseract reads: a PDF's embedded images, image files as they are.

    pdfium takes each image out as ``pdfimages -all`` does (a JPEG's bytes as they are,
    other images losslessly as PNG).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out.mkdir(parents=True, exist_ok=True)
    images: list[Path] = []
    for n, path in enumerate(files):
        if path.suffix.lower() != ".pdf":
            images.append(path)
            continue
        pdf = pdfium.PdfDocument(str(path))
        for i in range(len(pdf)):
            for k, obj in enumerate(pdf[i].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE])):
                obj.extract(out / f"d{n:03d}-p{i:03d}-{k}")
        pdf.close()
        images.extend(sorted(out.glob(f"d{n:03d}-*")))
    return images


def children_cpu_seconds() -> float:
    """User + system CPU seconds of every child process this one has waited for so far.

    The machine is shared: wall time grows with other work's load, CPU seconds much less,
    so both are reported. A child's own children (an ingest's worker processes) count once
    the child has waited for them, which the pool does before ``credence ingest`` exits.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_tesseract(images: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds for ``tesseract IMG stdout`` over ``images``, two at a time."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def read(image: Path) -> None:
        subprocess.run(["tesseract", str(image), "stdout"], env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    cpu, started = children_cpu_seconds(), time.perf_counter()
    with ThreadPoolExecutor(PROCESSES) as pool:
        list(pool.map(read, images))
    return time.perf_counter() - started, children_cpu_seconds() - cpu


def environment(data_dir: Path, database_url: str | None = None,
                redis_url: str | None = None) -> dict[str, str]:
    """The environment of one installation's processes.

    The operator's own ``CREDENCE_*`` settings pass through (``CREDENCE_HANDWRITING=off``,
    ``CREDENCE_OCR_ENGINE=cli``, a time-out...): the benchmark measures the installation as
    configured. Only where its data lives and how many workers it runs are the benchmark's.
    """
    owned = {"CREDENCE_DATA_DIR", "CREDENCE_DATABASE_URL", "CREDENCE_REDIS_URL",
             "CREDENCE_WORKERS"}
    env = {k: v for k, v in os.environ.items() if k not in owned}
    env.update(CREDENCE_DATA_DIR=str(data_dir), CREDENCE_WORKERS=str(PROCESSES),
               OMP_THREAD_LIMIT="1", CREDENCE_HEARTBEAT_SECONDS="5")
    if database_url:
        env["CREDENCE_DATABASE_URL"] = database_url
    if redis_url:
        env["CREDENCE_REDIS_URL"] = redis_url
    return env


def install(env: dict[str, str], corpus: Path) -> None:
    """Schema and the corpus's reference data, through the CLI."""
    run = dict(env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*CREDENCE, "init"], **run)
    for group, name in REFERENCE:
        subprocess.run([*CREDENCE, group, "import", str(corpus / f"{name}.csv")], **run)


def copy_folder(files: list[Path], docs: Path, out: Path) -> Path:
    """A folder holding copies of ``files``, names kept unique (intake refuses links out)."""
    out.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copyfile(path, out / "__".join(path.relative_to(docs).parts))
    return out


def credence_ingest(folder: Path, corpus: Path,
                    work: Path) -> tuple[float, float, list[tuple[str, dict]]]:
    """Wall and CPU seconds of ``credence ingest folder`` (fresh data folder, its worker
    processes included), and the timings kept."""
    env = environment(work)
    install(env, corpus)
    cpu, started = children_cpu_seconds(), time.perf_counter()
    subprocess.run([*CREDENCE, "ingest", str(folder)], env=env, check=False,
                   stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, children_cpu_seconds() - cpu, stored_timings(f"sqlite:///{work}/credence.db")


def stored_timings(database_url: str) -> list[tuple[str, dict]]:
    """The file name and ``timings`` of every document the database kept them for."""
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT source_filename, timings FROM documents "
                                 "WHERE timings IS NOT NULL"))
        out = [(Path(name).name, json.loads(t) if isinstance(t, str) else t) for name, t in rows]
    engine.dispose()
    return out


def summed(timings: list[tuple[str, dict]]) -> dict:
    """Batch totals: seconds per stage (and share), tesseract runs per page, extra reads."""
    from extractors.timing import STAGES, StageTimes

    total = StageTimes()
    for name, t in timings:
        one = StageTimes.from_dict(t)
        one.extra_full_reads = [f"{name} {why}" for why in one.extra_full_reads]
        total.add(one)
    seconds = sum(total.seconds.values()) or 1.0
    order = [s for s in STAGES if s in total.seconds] + sorted(set(total.seconds) - set(STAGES))
    pages = max(total.pages, 1)
    return {
        "pages": total.pages,
        "stages": {s: {"seconds": round(total.seconds[s], 2),
                       "share": round(total.seconds[s] / seconds, 3)} for s in order},
        "tesseract_runs_per_page": {k: round(v / pages, 2) for k, v in total.tesseract.items()},
        "pages_with_more_than_one_full_ocr": total.extra_full_reads,
    }


def rq_comparison(corpus: Path, work: Path) -> dict:
    """The whole corpus embedded (2 processes) and through 2 RQ workers: speed and records."""
    from redis import Redis

    from benchmarks import bench_scale as scale
    from ingestion.runner import InProcessRunner, RQRunner

    embedded_env = environment(work / "embedded")
    install(embedded_env, corpus)
    ids = scale.register(embedded_env, corpus)
    settings, _ = scale.with_env(embedded_env)
    cpu, own, started = children_cpu_seconds(), time.process_time(), time.perf_counter()
    InProcessRunner(settings).run(ids)
    embedded = time.perf_counter() - started
    embedded_cpu = children_cpu_seconds() - cpu + time.process_time() - own
    reference = scale.export(embedded_env)

    url = scale.create_database()
    redis = Redis.from_url(scale.REDIS_URL)
    redis.flushdb()
    env = environment(work / "rq", url, scale.REDIS_URL)
    procs: list[subprocess.Popen] = []
    try:
        install(env, corpus)
        ids = scale.register(env, corpus)
        cpu = children_cpu_seconds()
        # the workers' log is kept beside the results: a document that fails under RQ
        # must be explainable after the run
        RQ_LOG.unlink(missing_ok=True)
        procs = scale.start_workers(env, PROCESSES, RQ_LOG)
        settings, _ = scale.with_env(env)
        started = time.perf_counter()
        RQRunner(settings).submit(ids)
        # polled often: a run of ~20 s must not wait up to half a second more than it took
        counts, _ = scale.wait_all_final(env, ids, timeout=1800, poll=0.1)
        rq = time.perf_counter() - started
        scale.stop_workers(procs)  # waited for: their CPU seconds count from here
        procs = []
        rq_cpu = children_cpu_seconds() - cpu  # the workers' start-up (imports, model) too
        records = scale.export(env)
        failed = failed_documents(env)
    finally:
        scale.stop_workers(procs)
        scale.drop_database(url)
        redis.flushdb()
    return {
        "embedded_seconds": round(embedded, 1), "rq_seconds": round(rq, 1),
        "embedded_cpu_seconds": round(embedded_cpu, 1), "rq_cpu_seconds": round(rq_cpu, 1),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "rq_speed_vs_embedded": round(embedded / rq, 3), "rq_documents": counts,
        "records": len(records), "embedded_records": len(reference),
        "records_differing": scale.count_differences(reference, records),
        "differences": scale.differences(reference, records, limit=5),
        "rq_failed_documents": failed, "embedded_failed_documents": failed_documents(embedded_env),
        "rq_worker_log": str(RQ_LOG.relative_to(ROOT)),
    }


def failed_documents(env: dict[str, str]) -> list[dict]:
    """The documents that ended failed, with their error (file name, code, message)."""
    from benchmarks import bench_scale as scale
    from ingestion.models import Document

    _, sessions = scale.with_env(env)
    with sessions() as session:
        rows = session.execute(select(Document.source_filename, Document.error_code,
                                      Document.error).where(Document.status == "failed"))
        return [{"file": name, "code": code, "error": (error or "")[:300]}
                for name, code, error in rows]


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path,
                        default=Path(os.environ.get("EXTERNAL_CORPUS", DEFAULT_CORPUS)))
    parser.add_argument("--repeats", type=int, default=1, help="runs of each side (best kept)")
    parser.add_argument("--rq", action="store_true", help="also compare 2 RQ workers")
    parser.add_argument("--rq-only", action="store_true",
                        help="only the RQ comparison (results in external-rq.json)")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="credence-external-"))
    if args.rq_only:
        try:
            rq = {"date": datetime.now(UTC).isoformat(timespec="minutes"),
                  "commit": _commit(), "corpus": corpus.name,
                  **rq_comparison(corpus, work / "rq")}
        finally:
            shutil.rmtree(work, ignore_errors=True)
        (OUT / "external-rq.json").write_text(json.dumps(rq, indent=2))
        print(f"production mode: {json.dumps(rq)}")
        return 0
    try:
        files = scanned_files(corpus / "docs")
        images = page_images(files, work / "images")
        folder = copy_folder(files, corpus / "docs", work / "scans")
        bare, ours, bare_cpu, ours_cpu, timings = [], [], [], [], []
        for n in range(args.repeats):
            wall, cpu = bare_tesseract(images)
            bare.append(wall)
            bare_cpu.append(cpu)
            wall, cpu, timings = credence_ingest(folder, corpus, work / f"data{n}")
            ours.append(wall)
            ours_cpu.append(cpu)
        result = {
            "date": datetime.now(UTC).isoformat(timespec="minutes"),
            "commit": _commit(), "corpus": corpus.name, "documents": len(files),
            "page_images": len(images), "processes": PROCESSES,
            "bare_tesseract_seconds": [round(s, 1) for s in bare],
            "credence_ingest_seconds": [round(s, 1) for s in ours],
            "ratio": round(min(ours) / min(bare), 3),
            # each run's own ratio (bare, then ours, back to back) and their median: the
            # machine's speed drifts between runs by more than a target's margin
            "pair_ratios": [round(o / b, 3) for b, o in zip(bare, ours, strict=True)],
            "median_pair_ratio": round(statistics.median(
                o / b for b, o in zip(bare, ours, strict=True)), 3),
            "bare_tesseract_cpu_seconds": [round(s, 1) for s in bare_cpu],
            "credence_ingest_cpu_seconds": [round(s, 1) for s in ours_cpu],
            "cpu_ratio": round(min(ours_cpu) / max(min(bare_cpu), 1e-9), 3),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "settings": {k: v for k, v in os.environ.items() if k.startswith("CREDENCE_")},
            # the largest process this benchmark waited for: an ingest worker (bare
            # tesseract and the CLI's imports are smaller)
            "peak_rss_mb_largest_process": round(
                resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "split": summed(timings),
        }
        if args.rq:
            result["rq"] = rq_comparison(corpus, work / "rq")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    (OUT / "external.json").write_text(json.dumps(result, indent=2))
    _print(result)
    return 0


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "unknown"


def _print(result: dict) -> None:
    split = result["split"]
    print(f"{result['corpus']} ({result['commit']}, {result['date']}): {result['documents']} "
          f"scanned documents, {result['page_images']} page images, {split['pages']} pages read")
    print(f"bare tesseract ({PROCESSES} processes): {result['bare_tesseract_seconds']} s; "
          f"credence ingest ({PROCESSES} workers): {result['credence_ingest_seconds']} s; "
          f"ratio {result['ratio']} x (wall); largest process "
          f"{result['peak_rss_mb_largest_process']} MB")
    if len(result["pair_ratios"]) > 1:
        print(f"each run's ratio (wall): {result['pair_ratios']}; median "
              f"{result['median_pair_ratio']} x")
    print(f"CPU seconds (user+sys, all processes): bare {result['bare_tesseract_cpu_seconds']}, "
          f"credence {result['credence_ingest_cpu_seconds']}; ratio {result['cpu_ratio']} x; "
          f"load average at the end {result['load_average']}; settings {result['settings']}")
    print("where the time went (summed over the batch, both processes):")
    for name, s in split["stages"].items():
        print(f"  {name:<16} {s['seconds']:8.2f} s  {100 * s['share']:5.1f} %")
    print(f"tesseract runs per page: {split['tesseract_runs_per_page']}")
    extra = split["pages_with_more_than_one_full_ocr"]
    print(f"pages with more than one full OCR: {len(extra)}")
    for line in extra:
        print(f"  {line}")
    if "rq" in result:
        print(f"production mode: {json.dumps(result['rq'])}")


if __name__ == "__main__":
    raise SystemExit(main())
