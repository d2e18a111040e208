"""Export every extracted record in the contract's fields (jsonl, csv, xlsx)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from course_catalog.models import Course, Officer
from ingestion.models import Document
from reports.cells import append_row, inert
from verification.models import TrainingRecord
from verification.rules import read_hours

EXPORT_FIELDS = (
    "record_id",
    "document_id",
    "document_sha256",
    "source_filename",
    "page",
    "document_kind",
    "officer_name",
    "badge_number",
    "officer_badge_matched",
    "training_date",
    "hours",
    "post_number",
    "course_post_number_matched",
    "course_title",
    "instructor_name",
    "location",
    "training_format",
    "signed",
    "status",
    "reasons",
    "credit_topics",
    "credit_hours",
    "field_confidence",
)

_READ_FIELDS = (
    "officer_name",
    "badge_number",
    "post_number",
    "course_title",
    "instructor_name",
    "location",
    "training_format",
    "signed",
)

FORMATS = ("jsonl", "csv", "xlsx")


def export_rows(session: Session, status: str | None = None) -> Iterator[dict[str, Any]]:
    """Yield one contract-shaped dict per record, oldest document first."""
    officer = aliased(Officer)
    course = aliased(Course)
    query = (
        select(TrainingRecord, Document, officer.badge_number, course.post_number)
        .join(Document, Document.id == TrainingRecord.document_id)
        .outerjoin(officer, officer.id == TrainingRecord.officer_id)
        .outerjoin(course, course.id == TrainingRecord.course_id)
        .order_by(Document.created_at, Document.id, TrainingRecord.page, TrainingRecord.row_index)
    )
    if status:
        query = query.where(TrainingRecord.status == status)
    for record, doc, badge_matched, post_matched in session.execute(query).yield_per(500):
        yield contract_row(record, doc, badge_matched, post_matched)


def contract_row(
    record: TrainingRecord, doc: Document, badge_matched, post_matched
) -> dict[str, Any]:
    fields = record.fields or {}
    row: dict[str, Any] = {
        "record_id": record.id,
        "document_id": doc.id,
        "document_sha256": doc.sha256,
        "source_filename": doc.source_filename,
        "page": record.page,
        "document_kind": record.document_kind,
    }
    for name in _READ_FIELDS:
        row[name] = (fields.get(name) or {}).get("value")
    row["officer_badge_matched"] = badge_matched
    row["course_post_number_matched"] = post_matched
    row["training_date"] = _iso((fields.get("training_date") or {}).get("value"))
    # A reviewer's correction is stored as typed ("4.0"); verification reads it as a number,
    # so the export must too, or a corrected record exports no hours.
    row["hours"] = read_hours((fields.get("hours") or {}).get("value"))
    row["status"] = record.status
    row["reasons"] = list(record.reasons or [])
    row["credit_topics"] = list(record.credit_topics or [])
    row["credit_hours"] = float(record.credit_hours or 0)
    row["field_confidence"] = {
        name: f.get("confidence") for name, f in fields.items() if f.get("confidence") is not None
    }
    return {k: row.get(k) for k in EXPORT_FIELDS}


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_jsonl(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """One JSON object per line; returns the number written."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(rows: Iterator[dict[str, Any]], out: IO[str]) -> int:
    """A header row, then one row per record; lists joined with ``;``, objects as JSON.

    Text a spreadsheet would evaluate is written inert (``reports.cells``).
    """
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({k: inert(_flat(v)) for k, v in row.items()})
        n += 1
    return n


def write_xlsx(rows: Iterator[dict[str, Any]], path: Path) -> int:
    """A real workbook with typed dates and numbers (openpyxl, streaming write)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("records")
    append_row(sheet, EXPORT_FIELDS)
    n = 0
    for row in rows:
        values = []
        for key in EXPORT_FIELDS:
            value = row[key]
            if key == "training_date" and value:
                value = date.fromisoformat(value)
            plain = isinstance(value, str | int | float | date | type(None))
            values.append(value if plain else _flat(value))
        append_row(sheet, values)
        n += 1
    workbook.save(path)
    return n


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
