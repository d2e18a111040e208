"""Reference data for the admin pages: list and search rows, edit one row through the importer.

Editing goes through the same importer as a CSV file (a one-row CSV), so a row edited on a
page is validated exactly like an imported one and reports its errors the same way.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog import importers
from course_catalog.models import Course, Instructor, Officer, Standard

KINDS = {
    "courses": (Course, importers.COURSES, importers.import_courses),
    "standards": (Standard, importers.STANDARDS, importers.import_standards),
    "officers": (Officer, importers.OFFICERS, importers.import_officers),
    "instructors": (Instructor, importers.INSTRUCTORS, importers.import_instructors),
}
# Columns that identify a row (the importer upserts on them): shown, not editable.
KEY_COLUMNS = {
    "courses": ("post_number",),
    "standards": ("state", "topic", "standard"),
    "officers": ("badge_number",),
    "instructors": ("certification_number",),
}


def columns(kind: str) -> list[str]:
    """The CSV columns of ``kind``, in the contract's order."""
    return [c.name for c in KINDS[kind][1].columns]


def cell(value: Any) -> str:
    """A model value as the CSV spells it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_values(kind: str, row: Any) -> dict[str, str]:
    """A row's values keyed by CSV column."""
    return {name: cell(getattr(row, name, None)) for name in columns(kind)}


def list_rows(session: Session, kind: str, search: str | None = None, limit: int = 500) -> list:
    """Rows of ``kind`` in id order; ``search`` keeps rows with the text in any column."""
    model = KINDS[kind][0]
    rows = list(session.scalars(select(model).order_by(model.id)))
    needle = (search or "").strip().lower()
    if needle:
        rows = [r for r in rows if any(needle in v.lower() for v in row_values(kind, r).values())]
    return rows[:limit]


def get_row(session: Session, kind: str, row_id: int) -> Any:
    """One row by id, or ``None``."""
    return session.get(KINDS[kind][0], row_id)


def import_rows(session: Session, kind: str, source: importers.Source) -> importers.ImportReport:
    """Import a CSV of ``kind`` (the same importer as the CLI)."""
    return KINDS[kind][2](session, source)


def edit_row(
    session: Session, kind: str, row: Any, values: dict[str, str]
) -> importers.ImportReport:
    """Update ``row`` with ``values`` through the importer; its key columns cannot change."""
    merged = row_values(kind, row)
    for name in columns(kind):
        if name in values and name not in KEY_COLUMNS[kind]:
            merged[name] = values[name]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(kind))
    writer.writeheader()
    writer.writerow(merged)
    return import_rows(session, kind, io.StringIO(out.getvalue()))
