"""Alembic environment: migrations run against the URL given by ``credence.schema``."""

from __future__ import annotations

from alembic import context

from credence.db import Base, make_engine
from credence.models import import_all_models

import_all_models()
config = context.config


def run_migrations() -> None:
    """Run migrations online, on the connection passed in or a new engine."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
