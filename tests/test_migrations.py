"""Alembic builds exactly the models' schema, idempotently, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from credence.db import Base, make_engine
from credence.schema import upgrade_schema


def _assert_schema_matches_models(url: str) -> None:
    upgrade_schema(url)
    upgrade_schema(url)  # `credence init` twice is harmless
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == []
    assert {"documents", "records", "courses", "standards", "officers"} <= tables


def test_migrations_on_sqlite(tmp_path):
    _assert_schema_matches_models(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_migrations_on_postgresql(postgres_url):
    _assert_schema_matches_models(postgres_url)
