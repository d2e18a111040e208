"""An RQ worker with the app's configuration (``credence worker``)."""

from __future__ import annotations

import os

from credence.config import Settings


def run_worker(settings: Settings, *, burst: bool = False, queue_name: str = "credence") -> None:
    """Work the Credence queue until stopped (or until empty with ``burst``)."""
    from redis import Redis
    from rq import Queue, Worker

    # Tesseract's own threads fight the other workers for the cores: one thread each.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    redis = Redis.from_url(settings.redis_url)
    Worker([Queue(queue_name, connection=redis)], connection=redis).work(burst=burst)
