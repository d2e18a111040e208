"""An RQ worker with the app's configuration (``credence worker``)."""

from __future__ import annotations

import logging
import os

from credence.config import Settings
from ingestion.logcontext import install_document_filter


def run_worker(
    settings: Settings, *, burst: bool = False, with_scheduler: bool = True, name: str | None = None
) -> bool:
    """Work the Credence queue until stopped (or until it is empty with ``burst``).

    The worker beats every ``settings.heartbeat_seconds`` while busy, so ``credence status``
    can tell a live worker from a killed one and hand a dead worker's job to another. It also
    runs RQ's scheduler, which puts retries back on the queue after their back-off.

    Returns:
        What ``Worker.work`` returns: whether any job was run.
    """
    from rq import Worker

    from ingestion.jobs import on_work_horse_killed
    from ingestion.queue import connect, document_queue, worker_ttl

    # Tesseract's own threads fight the other workers for the cores: one thread each.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    redis = connect(settings.redis_url)
    redis.ping()  # unreachable: a one-line message from the CLI, not a retry loop
    _warm_up()
    worker = Worker(
        [document_queue(redis)],
        connection=redis,
        name=name,
        job_monitoring_interval=settings.heartbeat_seconds,
        worker_ttl=worker_ttl(settings.heartbeat_seconds),
        work_horse_killed_handler=on_work_horse_killed,
    )
    return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO")


def _warm_up() -> None:
    # Each job runs in a fresh fork of this process: build the label matcher (spaCy) once
    # here instead of once per document.
    from extractors.handwriting import warm_up
    from extractors.labels import find_labels

    find_labels("Officer Name: Badge No.")
    warm_up()  # the second recognizer, once (CREDENCE_HANDWRITING=off: not loaded)


def configure_worker_logging(level: int = logging.INFO) -> None:
    """Log to stderr with the document id on every line (worker entry point only)."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if type(h) is logging.StreamHandler]
    if not ours:
        ours = [logging.StreamHandler()]
        root.addHandler(ours[0])
    root.setLevel(level)
    install_document_filter(ours)
