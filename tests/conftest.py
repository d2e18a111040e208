"""Shared fixtures: a real database per test (SQLite file by default).

Every table is created from the models; the migration test checks that Alembic builds the
same schema, so unit tests do not pay for a migration run each.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from credence.db import Base, make_engine, make_session_factory
from credence.models import import_all_models

import_all_models()


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
