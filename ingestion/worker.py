"""An RQ worker with the app's configuration (``credence worker``).

Where jobs run (issue 13). RQ's own worker forks a fresh work horse per job, so a crash in a
native reader or the OOM killer takes only that job. On this machine a forked process pays
for it: every page the horse writes of what it inherited is copied, and agency-a's
documents took ~20 % more CPU read in a fresh fork than in a process that had read the one
before. So by default ``credence worker`` is a small supervisor that starts one job
process, which loads the reading code and the reference copy once and works job after job
in itself (RQ's ``SimpleWorker``), beating for its job from a thread while it runs. When the
job process dies (a native crash, the OOM killer), the supervisor hands the job it was
running to RQ's abandoned-job handling at once (retried while it has retries, else failed
with its document mirrored), and starts a new job process: the crash still takes only that
job. After ``jobs_per_process`` jobs the job process is replaced, so memory a reader leaks
does not build up. ``CREDENCE_WORKER_JOBS_PER_PROCESS=1`` is RQ's fork per job (issue 5's
work horse, with the worker made ready before it forks).

What a job needs that is the same for every job is made ready once, before the first:
the reading code and its label matcher, tesseract's engine with its model loaded
(``extractors._tesseract.warm_engine``), the second recognizer with its model session, and
the reference copy (roster, catalog, instructors, with the roster index and the readers'
hints). Before each job the worker asks the database for the reference token (one query)
and loads the copy again only when it changed; the job itself still checks the token in its
own transaction (``course_catalog.snapshot``), so it never reads a stale copy.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import threading
import uuid

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
        Whether any job was run.
    """
    from ingestion.queue import connect

    # Tesseract's own threads fight the other workers for the cores: one thread each (and
    # no OpenMP thread exists in a process that forks).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    connect(settings.redis_url).ping()  # unreachable: a one-line message from the CLI
    if settings.jobs_per_process == 1:
        return _work(settings, burst, with_scheduler, name, fork_per_job=True)
    return _supervise(settings, burst, with_scheduler, name or uuid.uuid4().hex)


def _work(settings: Settings, burst: bool, with_scheduler: bool, name: str | None, *,
          fork_per_job: bool) -> bool:
    """Make the reader ready and work the queue in this process (RQ's loop)."""
    from ingestion.jobs import on_work_horse_killed
    from ingestion.queue import connect, document_queue, worker_ttl

    redis = connect(settings.redis_url)
    _warm_up()
    common = dict(connection=redis, name=name, job_monitoring_interval=settings.heartbeat_seconds,
                  worker_ttl=worker_ttl(settings.heartbeat_seconds))
    if fork_per_job:
        worker = _preloaded_worker_class()([document_queue(redis)],
                                           work_horse_killed_handler=on_work_horse_killed,
                                           **common)
        return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO")
    worker = _job_process_worker_class()([document_queue(redis)], **common)
    return worker.work(burst=burst, with_scheduler=with_scheduler, logging_level="INFO",
                       max_jobs=settings.jobs_per_process)


#: The job process's exit status when it stopped after its share of jobs (a new one goes
#: on), and when it stopped with no job run (a burst on an empty queue).
_REPLACE_ME, _RAN_NOTHING = 75, 1


def _supervise(settings: Settings, burst: bool, with_scheduler: bool, name: str) -> bool:
    """Run job processes one after the other until the work is done or a stop is asked.

    SIGTERM and SIGINT are passed to the job process (RQ's warm shutdown: the job in hand
    is finished; a second one stops it at once); the job process has a process group of its
    own, as RQ's work horse has, so a signal to the worker's group reaches it once.
    """
    from ingestion.queue import connect, document_queue, recover_jobs_of

    stopping, ran, child = False, False, 0

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        if child:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signum)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, forward)
    stop_signals = {signal.SIGTERM, signal.SIGINT}
    while True:
        # a stop signal must not land between the fork and the job process's own handlers
        # (it would run the supervisor's handler in the child and be lost): held until then
        signal.pthread_sigmask(signal.SIG_BLOCK, stop_signals)
        child = os.fork()
        if child == 0:
            for signum in stop_signals:
                signal.signal(signum, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
            os._exit(_job_process(settings, burst, with_scheduler, name))
        signal.pthread_sigmask(signal.SIG_UNBLOCK, stop_signals)
        if stopping:  # asked while the job process was being started
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
        _, status = os.waitpid(child, 0)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            # what the job process started in its own group (RQ's scheduler) goes with it
            os.killpg(child, signal.SIGKILL)
        child = 0
        code = os.waitstatus_to_exitcode(status)
        if code in (0, _RAN_NOTHING):
            return ran or code == 0
        ran = ran or code == _REPLACE_ME
        if code == _REPLACE_ME:
            log.info("worker %s: a fresh job process after %d jobs", name,
                     settings.jobs_per_process)
        else:
            # died in the middle of its work: its job goes back (or fails) now, not when a
            # status check finds the worker silent
            log.error("worker %s: the job process died (exit %s); recovering its job", name,
                      code)
            recovered = recover_jobs_of(document_queue(connect(settings.redis_url)), name)
            log.warning("worker %s: job(s) %s handed back", name, ", ".join(recovered) or "none")
            ran = ran or bool(recovered)
        if stopping:
            return ran


def _job_process(settings: Settings, burst: bool, with_scheduler: bool, name: str) -> int:
    """The job process's life (in the forked child): its exit status for the supervisor."""
    os.setpgrp()
    _die_with_parent()
    try:
        ran = _work(settings, burst, with_scheduler, name, fork_per_job=False)
    except BaseException:  # noqa: BLE001 - the supervisor decides; the trace goes to the log
        log.exception("worker %s: the job process stopped on an error", name)
        return 2
    finally:
        logging.shutdown()
    from ingestion.queue import connect, document_queue

    # max_jobs reached: the queue may still hold work, for a fresh process
    more = document_queue(connect(settings.redis_url)).count > 0 or not burst
    return _REPLACE_ME if ran and more and not _stop_asked else (0 if ran else _RAN_NOTHING)


def _die_with_parent() -> None:
    """Linux: the job process is killed when its supervisor dies (no orphan keeps reading)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


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


def refresh_reference(*, before_fork: bool = False) -> None:
    """Bring this process's reference copy up to date (loaded only if the token changed).

    Called before each job: in the job process, or in the worker before it forks, so the
    work horse inherits it. Before a fork the engine's connections are closed afterwards:
    a work horse opens its own (``ingestion.jobs``). A database that cannot be reached now
    is the job's problem, not the worker's.
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
        if before_fork:
            svc.sessions.kw["bind"].dispose()


def _preloaded_worker_class():
    from rq import Worker

    class PreloadedWorker(Worker):
        """An RQ worker that refreshes the shared state before it forks each work horse."""

        def execute_job(self, job, queue):
            refresh_reference(before_fork=True)
            return super().execute_job(job, queue)

    return PreloadedWorker


#: Set in the job process when a stop was asked (its stop signal): it must not be replaced.
_stop_asked = False


def _job_process_worker_class():
    from rq.worker import SimpleWorker, WorkerStatus

    class JobProcessWorker(SimpleWorker):
        """RQ's in-process worker, with the reference refreshed before each job and the
        worker's and job's heartbeats kept by a thread while the job runs (the forking
        worker beats from its parent; this one has none)."""

        def execute_job(self, job, queue):
            refresh_reference()
            execution = self.prepare_execution(job)
            with _beating(self, job, execution):
                self.perform_job(job, queue, execution)
            self.set_state(WorkerStatus.IDLE)

        def request_stop(self, signum, frame):
            global _stop_asked
            _stop_asked = True
            return super().request_stop(signum, frame)

    return JobProcessWorker


@contextlib.contextmanager
def _beating(worker, job, execution):
    """A thread that keeps the worker's, the execution's and the job's heartbeats while
    the job runs, so the worker is never taken for dead in the middle of a long document."""
    done = threading.Event()

    def beat():
        while not done.wait(worker.job_monitoring_interval):
            try:
                worker.maintain_heartbeats(job, execution)
            except Exception as e:  # noqa: BLE001 - Redis away for a moment: beat again later
                log.warning("heartbeat not sent: %s", e)

    thread = threading.Thread(target=beat, name="credence-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def configure_worker_logging(level: int = logging.INFO) -> None:
    """Log to stderr with the document id on every line (worker entry point only)."""
    root = logging.getLogger()
    ours = [h for h in root.handlers if type(h) is logging.StreamHandler]
    if not ours:
        ours = [logging.StreamHandler()]
        root.addHandler(ours[0])
    root.setLevel(level)
    install_document_filter(ours)
