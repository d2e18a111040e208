"""Registers every table on ``Base.metadata`` (for Alembic and ``create_all``)."""

from __future__ import annotations


def import_all_models() -> None:
    """Import each package's models so their tables exist on the shared metadata."""
    import course_catalog.models  # noqa: F401
    import ingestion.models  # noqa: F401
    import reports.models  # noqa: F401
    import review_ui.models  # noqa: F401
    import verification.models  # noqa: F401
