"""Shared fixtures: a real database per test (SQLite file by default).

Every table is created from the models; the migration test checks that Alembic builds the
same schema, so unit tests do not pay for a migration run each.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy.orm import Session

from credence.db import Base, make_engine, make_session_factory
from credence.models import import_all_models

import_all_models()

# No time limit per Hypothesis example: speed lives in benchmarks, and on a machine shared
# with other work a 0.1 ms date round trip once took 268 ms (DeadlineExceeded, a false
# failure). Tests that set their own settings keep them.
settings.register_profile("credence", deadline=None)
settings.load_profile("credence")

# Fixtures of the production-mode tests (real Redis, SQLite and PostgreSQL, real workers).
pytest_plugins = ("production_support",)


def pytest_sessionstart(session) -> None:
    session.config.stash[_STARTED] = time.time()


def pytest_terminal_summary(terminalreporter, config) -> None:
    """Show the hostile corpus's line (tests/test_hostile_corpus.py), also under xdist."""
    cache = getattr(config, "cache", None)  # absent under -p no:cacheprovider
    found = cache.get("credence/hostile", None) if cache else None
    if found and found["at"] >= config.stash.get(_STARTED, 0):
        terminalreporter.write_line(found["line"])


_STARTED = pytest.StashKey[float]()


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def session_factory(db_url: str):
    engine = make_engine(db_url)
    Base.metadata.create_all(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def session(session_factory) -> Iterator[Session]:
    s = session_factory()
    try:
        yield s
    finally:
        s.rollback()
        s.close()


PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A freshly created PostgreSQL database, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    name = f"credence_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as e:  # the server is part of this machine and of CI: fail loudly
        pytest.fail(f"PostgreSQL at 127.0.0.1:5432 is not reachable: {e}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium under Playwright, one per test module (tests that drive pages)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.ux_scenario import ARGS, CHROMIUM

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
