"""Configuration read from the environment (see ../shared/spec/contract.md, "Configuration").

A leaf module: imports no Credence package.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, resolved once.

    Attributes:
        data_dir: originals (content-addressed), page images and the SQLite file.
        database_url: any SQLAlchemy URL; SQLite under ``data_dir`` by default.
        redis_url: unset means jobs run in-process (the embedded default).
        workers: in-process worker processes for ``credence ingest`` (one per core).
        ocr_timeout: seconds one tesseract call may take before the page is given up.
        max_image_pixels: larger images are refused as decompression bombs.
        max_upload_bytes: larger files are refused at intake.
        keep_work_files: keep each job's work folder for debugging.
        job_timeout: seconds one document job may run on an RQ worker before it is killed.
        job_retries: how often RQ retries a job after a transient error or a crashed worker.
        retry_backoff: seconds to wait before each retry (the last one repeats).
        heartbeat_seconds: how often a busy RQ worker reports it is alive; one silent for
            three beats is taken for dead and its job is recovered.
        jobs_per_process: how many jobs an RQ worker's job process works before a fresh one
            takes over (1: RQ's fork of a new work horse for every job).
        smtp_host: SMTP server for reminder e-mails; unset means reminders are not e-mailed.
        smtp_port: its port.
        smtp_from: the sender address of reminder e-mails.
        alert_to: recipients of reminder e-mails (comma-separated in the environment).
        max_archive_bytes: the most one zip may expand to (nested zips included); counted
            while expanding, the member that crosses it and the rest are not stored.
        max_archive_files: the most members one zip may hold (nested zips included).
        max_batch_bytes: the most one upload or one ``credence ingest`` may store in all.
        max_batch_files: the most files one upload or one ``credence ingest`` may register.
        login_max_failures: wrong passwords for one account before it is locked.
        login_max_address_failures: wrong passwords from one address before it is locked.
        login_lockout_minutes: how long a lockout lasts (an admin can lift it sooner), and
            the window in which failures are counted.
        serve_threads: threads of the production web server answering requests.
        serve_connection_limit: connections it accepts at once.
        serve_timeout: seconds an idle or stalled client connection is kept.
        trusted_proxy: the address of the reverse proxy in front (TLS); its
            ``X-Forwarded-*`` headers are believed, no one else's.
        hsts_seconds: ``Strict-Transport-Security`` max-age sent on HTTPS requests (0: none).
    """

    data_dir: Path
    database_url: str
    redis_url: str | None = None
    workers: int = field(default_factory=_default_workers)
    ocr_timeout: float = 120.0
    max_image_pixels: int = 120_000_000
    max_upload_bytes: int = 200 * 1024 * 1024
    keep_work_files: bool = False
    job_timeout: int = 1800
    job_retries: int = 3
    retry_backoff: tuple[int, ...] = (10, 60, 300)
    heartbeat_seconds: int = 10
    jobs_per_process: int = 200
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "credence@localhost"
    alert_to: tuple[str, ...] = ()
    max_archive_bytes: int = 1024 * 1024 * 1024
    max_archive_files: int = 1000
    max_batch_bytes: int = 4 * 1024 * 1024 * 1024
    max_batch_files: int = 5000
    login_max_failures: int = 5
    login_max_address_failures: int = 20
    login_lockout_minutes: float = 15.0
    serve_threads: int = 8
    serve_connection_limit: int = 100
    serve_timeout: int = 120
    trusted_proxy: str | None = None
    hsts_seconds: int = 31_536_000

    @property
    def blob_dir(self) -> Path:
        """Where originals live, named by their sha256."""
        return self.data_dir / "originals"

    @property
    def page_dir(self) -> Path:
        """Where page images kept for review live."""
        return self.data_dir / "pages"

    @property
    def work_dir(self) -> Path:
        """Parent of the per-job work folders."""
        return self.data_dir / "work"


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default: the process environment)."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("CREDENCE_DATA_DIR", "./credence-data")).expanduser().resolve()
    database_url = env.get("CREDENCE_DATABASE_URL") or f"sqlite:///{data_dir / 'credence.db'}"
    redis_url = env.get("CREDENCE_REDIS_URL") or None
    kwargs: dict = {}
    if env.get("CREDENCE_WORKERS"):
        kwargs["workers"] = max(1, int(env["CREDENCE_WORKERS"]))
    if env.get("CREDENCE_OCR_TIMEOUT"):
        kwargs["ocr_timeout"] = float(env["CREDENCE_OCR_TIMEOUT"])
    if env.get("CREDENCE_MAX_UPLOAD_MB"):
        kwargs["max_upload_bytes"] = int(float(env["CREDENCE_MAX_UPLOAD_MB"]) * 1024 * 1024)
    if env.get("CREDENCE_KEEP_WORK_FILES"):
        kwargs["keep_work_files"] = env["CREDENCE_KEEP_WORK_FILES"].lower() in ("1", "true", "yes")
    kwargs.update(_queue_settings(env))
    kwargs.update(_smtp_settings(env))
    kwargs.update(_limit_settings(env))
    kwargs.update(_web_settings(env))
    return Settings(data_dir=data_dir, database_url=database_url, redis_url=redis_url, **kwargs)


def _queue_settings(env: dict[str, str]) -> dict:
    """The RQ job policy from ``CREDENCE_JOB_TIMEOUT``, ``_JOB_RETRIES``, ``_RETRY_BACKOFF``..."""
    kwargs: dict = {}
    if env.get("CREDENCE_JOB_TIMEOUT"):
        kwargs["job_timeout"] = max(1, int(env["CREDENCE_JOB_TIMEOUT"]))
    if env.get("CREDENCE_JOB_RETRIES"):
        kwargs["job_retries"] = max(0, int(env["CREDENCE_JOB_RETRIES"]))
    if env.get("CREDENCE_RETRY_BACKOFF"):
        kwargs["retry_backoff"] = tuple(int(s) for s in env["CREDENCE_RETRY_BACKOFF"].split(","))
    if env.get("CREDENCE_HEARTBEAT_SECONDS"):
        kwargs["heartbeat_seconds"] = max(1, int(env["CREDENCE_HEARTBEAT_SECONDS"]))
    if env.get("CREDENCE_WORKER_JOBS_PER_PROCESS"):
        kwargs["jobs_per_process"] = max(1, int(env["CREDENCE_WORKER_JOBS_PER_PROCESS"]))
    return kwargs


def _smtp_settings(env: dict[str, str]) -> dict:
    """``CREDENCE_SMTP_HOST``/``_PORT``/``_FROM`` and ``CREDENCE_ALERT_TO`` (reminder e-mail)."""
    kwargs: dict = {}
    if env.get("CREDENCE_SMTP_HOST"):
        kwargs["smtp_host"] = env["CREDENCE_SMTP_HOST"]
    if env.get("CREDENCE_SMTP_PORT"):
        kwargs["smtp_port"] = int(env["CREDENCE_SMTP_PORT"])
    if env.get("CREDENCE_SMTP_FROM"):
        kwargs["smtp_from"] = env["CREDENCE_SMTP_FROM"]
    if env.get("CREDENCE_ALERT_TO"):
        to = env["CREDENCE_ALERT_TO"].split(",")
        kwargs["alert_to"] = tuple(a.strip() for a in to if a.strip())
    return kwargs


def _mb(value: str) -> int:
    return int(float(value) * 1024 * 1024)


# variable -> (field, conversion); limits on what intake expands and stores (issue 19).
_LIMITS = {
    "CREDENCE_MAX_ARCHIVE_MB": ("max_archive_bytes", _mb),
    "CREDENCE_MAX_ARCHIVE_FILES": ("max_archive_files", int),
    "CREDENCE_MAX_BATCH_MB": ("max_batch_bytes", _mb),
    "CREDENCE_MAX_BATCH_FILES": ("max_batch_files", int),
}
# Accounts and the web server.
_WEB = {
    "CREDENCE_LOGIN_MAX_FAILURES": ("login_max_failures", int),
    "CREDENCE_LOGIN_MAX_ADDRESS_FAILURES": ("login_max_address_failures", int),
    "CREDENCE_LOGIN_LOCKOUT_MINUTES": ("login_lockout_minutes", float),
    "CREDENCE_SERVE_THREADS": ("serve_threads", int),
    "CREDENCE_SERVE_CONNECTION_LIMIT": ("serve_connection_limit", int),
    "CREDENCE_SERVE_TIMEOUT": ("serve_timeout", int),
    "CREDENCE_TRUSTED_PROXY": ("trusted_proxy", str),
    "CREDENCE_HSTS_SECONDS": ("hsts_seconds", int),
}


def _converted(env: dict[str, str], table: dict) -> dict:
    kwargs: dict = {}
    for name, (attr, convert) in table.items():
        if env.get(name):
            kwargs[attr] = convert(env[name])
    return kwargs


def _limit_settings(env: dict[str, str]) -> dict:
    """Caps on archives and batches (``CREDENCE_MAX_ARCHIVE_MB`` ...)."""
    return _converted(env, _LIMITS)


def _web_settings(env: dict[str, str]) -> dict:
    """Login throttling and the production server (``CREDENCE_LOGIN_*``, ``CREDENCE_SERVE_*``)."""
    return _converted(env, _WEB)
