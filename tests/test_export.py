"""Export: every record in the contract's fields, in jsonl, csv and a real xlsx."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from openpyxl import load_workbook

from course_catalog.models import Course, Officer
from ingestion.models import Document, DocumentStatus
from reports.records_export import EXPORT_FIELDS, export_rows, write_csv, write_jsonl, write_xlsx
from verification.models import TrainingRecord


def _seed(session) -> None:
    course = Course(post_number="01849", title="De-escalation Techniques", state="TX",
                    topics=["de-escalation"], hours=8.0, format="classroom",
                    standard="TX-DEESC-2023", approved_from=date(2023, 1, 1))
    officer = Officer(badge_number="4411", first_name="Ana", last_name="Ruiz", state="TX",
                      role="sworn")
    session.add_all([course, officer])
    session.add(Document(id="doc_1", sha256="ab" * 32, source_filename="in/cert.pdf",
                         size_bytes=10, status=DocumentStatus.DONE))
    session.flush()
    fields = {
        "officer_name": {"value": "Ana Ruiz", "confidence": 0.97},
        "badge_number": {"value": "4411", "confidence": 0.99},
        "training_date": {"value": "2026-03-03", "confidence": 0.95},
        "hours": {"value": 8.0, "confidence": 0.9},
        "post_number": {"value": "01849", "confidence": 0.93},
        "course_title": {"value": "De-escalation <b>Techniques</b>", "confidence": 0.9},
    }
    session.add(TrainingRecord(id="rec_1", document_id="doc_1", page=1, document_kind="certificate",
                               fields=fields, status="verified", reasons=[],
                               credit_topics=["de-escalation"], credit_hours=8.0,
                               officer_id=officer.id, course_id=course.id,
                               training_date=date(2026, 3, 3)))
    session.add(TrainingRecord(id="rec_2", document_id="doc_1", page=2, document_kind="unknown",
                               fields={}, status="needs_review",
                               reasons=["not_training_document"]))
    session.flush()


def test_jsonl_has_every_contract_field(session):
    _seed(session)
    out = io.StringIO()
    assert write_jsonl(export_rows(session), out) == 2
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert tuple(first) == EXPORT_FIELDS
    assert first["document_sha256"] == "ab" * 32
    assert first["officer_badge_matched"] == "4411"
    assert first["course_post_number_matched"] == "01849"
    assert first["training_date"] == "2026-03-03"
    assert first["hours"] == 8.0 and first["credit_hours"] == 8.0
    assert first["credit_topics"] == ["de-escalation"]
    assert first["field_confidence"]["badge_number"] == 0.99
    assert second["status"] == "needs_review"
    assert second["reasons"] == ["not_training_document"]
    assert second["credit_hours"] == 0.0 and second["officer_name"] is None


def test_status_filter(session):
    _seed(session)
    rows = list(export_rows(session, status="needs_review"))
    assert [r["record_id"] for r in rows] == ["rec_2"]


def test_csv_round_trip(session):
    _seed(session)
    out = io.StringIO()
    write_csv(export_rows(session), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["credit_topics"] == "de-escalation"
    assert rows[0]["course_title"] == "De-escalation <b>Techniques</b>"
    assert json.loads(rows[0]["field_confidence"])["hours"] == 0.9
    assert rows[1]["reasons"] == "not_training_document"


def test_xlsx_has_typed_dates_and_numbers(session, tmp_path):
    _seed(session)
    path = tmp_path / "records.xlsx"
    assert write_xlsx(export_rows(session), path) == 2
    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert tuple(header) == EXPORT_FIELDS
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["training_date"].date() == date(2026, 3, 3)
    assert row["hours"] == 8.0 and isinstance(row["credit_hours"], int | float)
    assert sheet.cell(row=2, column=header.index("hours") + 1).data_type == "n"
