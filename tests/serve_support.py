"""`credence serve` as a real process on a free port, for the tests that speak HTTP to it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(
    root: Path, database_url: str, *args: str, **env_extra: str
) -> Iterator[str]:
    """Run `credence serve` (waitress) on SQLite or PostgreSQL; yield its base URL.

    The server is stopped (its process group) when the block ends.
    """
    port = free_port()
    env = {**os.environ, "CREDENCE_DATA_DIR": str(root / "data"),
           "CREDENCE_DATABASE_URL": database_url, "CREDENCE_WORKERS": "1", **env_extra}
    if "CREDENCE_REDIS_URL" not in env_extra:
        env.pop("CREDENCE_REDIS_URL", None)
    log_path = root / "serve.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "credence.cli", "serve", "--port", str(port), *args],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(base, proc, log_path)
            yield base
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _wait_healthy(base: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"credence serve did not start: {log_path.read_text()}")
        time.sleep(0.2)
