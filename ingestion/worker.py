"""An RQ worker with the app's configuration (``credence worker``).

RQ runs each job in a fresh fork of the worker (the work horse), so a crash in a native
reader or the OOM killer takes only that job, and the worker reports it
(``on_work_horse_killed``, issue 5). What a job needs that is the same for every job is made
ready once, in the worker, before it forks (issue 13): the reading code and its label
matcher, tesseract's engine with its model loaded (``extractors._tesseract.warm_engine``),
and the reference copy (roster, catalog, instructors, with the roster index and the readers'
hints). Before each job the worker asks the database for the reference token (one query)
and loads the copy again only when it changed; the job itself still checks the token in its
own transaction (``course_catalog.snapshot``), so it never reads a stale copy. Without this
each job loaded all of it again: agency-a through two RQ workers ran at 0.74 x the speed of
the embedded pool.
"""

from __future__ import annotations

import logging
import os

from credence.config import Settings
from ingestion.logcontext import install_document_filter

log = logging.getLogger(__name__)


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
    from ingestion.jobs import on_work_horse_killed
    from ingestion.queue import connect, document_queue, worker_ttl

    # Tesseract's own threads fight the other workers for the cores: one thread each (and
    # no OpenMP thread exists in the worker when it forks a work horse).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    redis = connect(settings.redis_url)
    redis.ping()  # unreachable: a one-line message from the CLI, not a retry loop
    _warm_up()
    worker = _preloaded_worker_class()(
        [document_queue(redis)],
        connection=redis,
        name=name,
        job_monitoring_interval=settings.heartbeat_seconds,
        worker_ttl=worker_ttl(settings.heartbeat_seconds),
        work_horse_killed_handler=on_work_horse_killed,
    )
    return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO")


def _warm_up() -> None:
    # Each job runs in a fresh fork of this process: build the label matcher (spaCy) and
    # load tesseract's model once here instead of once per document.
    import numpy.ma  # noqa: F401  (imported on first use by the page analysis)
    from PIL import Image, ImageChops, ImageSequence  # noqa: F401

    from extractors._tesseract import warm_engine
    from extractors.handwriting import warm_up
    from extractors.labels import find_labels

    Image.init()  # every image format's plugin, imported once here instead of in every job
    find_labels("Officer Name: Badge No.")
    warm_engine()
    warm_up()  # the second recognizer, once (CREDENCE_HANDWRITING=off: not loaded)


def refresh_reference() -> None:
    """Bring this process's reference copy up to date (loaded only if the token changed).

    Called in the worker before each fork, so the work horse inherits it. The engine's
    connections are closed afterwards: a work horse opens its own (``ingestion.jobs``).
    A database that cannot be reached now is the job's problem, not the worker's.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from course_catalog.queries import reference_hints
    from ingestion.jobs import services
    from verification.verify import warm_reference

    svc = services()
    try:
        with svc.sessions() as session:
            reference_hints(session)
            warm_reference(session)
    except SQLAlchemyError as e:
        log.warning("reference copy not refreshed before the job: %s", e)
    finally:
        svc.sessions.kw["bind"].dispose()


def _preloaded_worker_class():
    from rq import Worker

    class PreloadedWorker(Worker):
        """An RQ worker that refreshes the shared state before it forks each work horse."""

        def execute_job(self, job, queue):
            refresh_reference()
            return super().execute_job(job, queue)

    return PreloadedWorker


def configure_worker_logging(level: int = logging.INFO) -> None:
    """Log to stderr with the document id on every line (worker entry point only)."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if type(h) is logging.StreamHandler]
    if not ours:
        ours = [logging.StreamHandler()]
        root.addHandler(ours[0])
    root.setLevel(level)
    install_document_filter(ours)
