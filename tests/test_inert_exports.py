"""Formula text in exports opens as text (issue 19, point 1).

GIVEN a roster name, a location read from a scan and a reviewer's correction that each hold
text a spreadsheet would evaluate, WHEN every CSV and XLSX export is written (records,
compliance summary, officer workbook, the web download), THEN each such cell is text: quote
prefixed in CSV, a string cell with the quote prefix in XLSX; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from compliance_factory import add_course, add_officer, add_record, add_standard
from openpyxl import load_workbook
from webapp_support import PASSWORD, login, make_app, make_settings, stop_app

from credence.db import Base, make_engine, make_session_factory, session_scope
from credence.models import import_all_models
from reports.cells import inert, is_dangerous
from reports.compliance import roster_compliance
from reports.dashboard import officer_profile
from reports.exports import (
    write_officer_csv,
    write_officer_xlsx,
    write_summary_csv,
    write_summary_xlsx,
)
from reports.records_export import export_rows, write_csv, write_xlsx
from review_ui.accounts import create_user
from verification.review import correct_record

AS_OF = date(2025, 7, 1)
ROSTER_NAME = "=1+2"
SCANNED_LOCATION = "+1+cmd|' /C calc'!A0"
CORRECTION = '=HYPERLINK("http://example.invalid/x","open")'
# Every trigger, also behind spaces; each must come out as text.
TRIGGERS = ["=SUM(A1)", "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", "   =1+1", " @x"]


@pytest.mark.parametrize("value", TRIGGERS)
def test_inert_quotes_every_trigger(value):
    assert inert(value) == "'" + value


@pytest.mark.parametrize("value", [12, 4.5, -3, None, True, "-3", "+1.5", "Ana Garcia", "a=b",
                                   date(2025, 1, 1)])
def test_inert_leaves_numbers_and_plain_text(value):
    assert inert(value) == value and not is_dangerous(value)


def _seed(session):
    """An officer whose first name is a formula, a scanned location and a reviewer's formula."""
    standard = add_standard(session, min_hours=8)
    course = add_course(session, "1849", hours=8, title="De-escalation Techniques")
    officer = add_officer(session, "1001", first=ROSTER_NAME, last="Garcia")
    scanned = add_record(session, officer, course, date(2025, 2, 3), 4, standard=standard)
    scanned.fields = {**scanned.fields, "location": {"value": SCANNED_LOCATION,
                                                     "raw_text": SCANNED_LOCATION,
                                                     "confidence": 0.91, "source": "ocr"}}
    review = add_record(session, officer, course, date(2025, 3, 3), 2, status="needs_review",
                        reasons=("unreadable",))
    # The officer as read, so that verifying again after the correction keeps the officer.
    review.fields = {**review.fields,
                     "officer_name": {"value": f"{ROSTER_NAME} Garcia", "confidence": 0.95},
                     "badge_number": {"value": "1001", "confidence": 0.95}}
    session.flush()
    correct_record(session, review, {"instructor_name": CORRECTION}, actor="rev1",
                   expected_version=review.version)
    session.commit()
    return officer


def _all_text(cells) -> set:
    return {c for c in cells if isinstance(c, str)}


def test_records_csv_and_xlsx_are_inert(session, tmp_path):
    _seed(session)
    out = io.StringIO()
    write_csv(export_rows(session), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    locations = {r["location"] for r in rows}
    assert "'" + SCANNED_LOCATION in locations
    assert "'" + CORRECTION in {r["instructor_name"] for r in rows}
    for row in rows:
        assert not any(is_dangerous(v) for v in row.values()), row

    path = tmp_path / "records.xlsx"
    write_xlsx(export_rows(session), path)
    _assert_workbook_inert(path, {SCANNED_LOCATION, CORRECTION})
    sheet = load_workbook(path)["records"]
    hours = [c.value for c in sheet["K"][1:]]
    assert all(isinstance(h, float | int) for h in hours if h is not None)


def test_compliance_and_officer_exports_are_inert(session, tmp_path):
    _seed(session)
    statuses = roster_compliance(session, AS_OF)
    out = io.StringIO()
    write_summary_csv(statuses, out)
    names = {r["name"] for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert any(n.startswith("'" + ROSTER_NAME) for n in names)

    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(statuses, path, AS_OF)
    _assert_workbook_inert(path, {f"{ROSTER_NAME} Garcia"})

    profile = officer_profile(session, "1001", AS_OF)
    out = io.StringIO()
    write_officer_csv(profile, out)
    instructors = {r["instructor"] for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert "'" + CORRECTION in instructors
    path = tmp_path / "officer.xlsx"
    write_officer_xlsx(profile, path)
    _assert_workbook_inert(path, {f"{ROSTER_NAME} Garcia", CORRECTION})


def _assert_workbook_inert(path, expected: set[str]) -> None:
    """No formula cell anywhere; each expected text is a quote-prefixed string cell."""
    book = load_workbook(path)
    found = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if is_dangerous(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    found.add(cell.value)
    assert expected <= found, (expected, found)


def test_compliance_download_is_inert(tmp_path):
    settings = make_settings(tmp_path)
    import_all_models()
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    with session_scope(make_session_factory(engine)) as s:
        _seed(s)
        create_user(s, "rev1", PASSWORD, "reviewer")
    engine.dispose()
    app = make_app(settings)
    try:
        client = app.test_client()
        login(client, "rev1")
        r = client.get(f"/reports/compliance.xlsx?as_of={AS_OF}")
        assert r.status_code == 200
        path = tmp_path / "download.xlsx"
        path.write_bytes(r.data)
        _assert_workbook_inert(path, {f"{ROSTER_NAME} Garcia"})
        r = client.get(f"/reports/compliance.csv?as_of={AS_OF}")
        assert f"'{ROSTER_NAME} Garcia" in r.get_data(as_text=True)
    finally:
        stop_app(app)


def test_imports_keep_values_as_given(session, tmp_path):
    """An imported roster name is stored as written; only exports make it inert."""
    from course_catalog import importers
    from course_catalog.models import Officer

    csv_path = tmp_path / "officers.csv"
    csv_path.write_text("badge_number,first_name,last_name,state,role\n"
                        "77,=1+2,Stone,TX,sworn\n", encoding="utf-8")
    importers.import_officers(session, csv_path)
    session.flush()
    assert session.query(Officer).filter_by(badge_number="77").one().first_name == "=1+2"


def test_hours_a_reviewer_typed_export_as_a_number(session):
    """A correction is stored as the reviewer typed it ("3.5"); the export reads it as hours."""
    standard = add_standard(session, min_hours=8)
    course = add_course(session, "1849", hours=8, title="De-escalation Techniques")
    officer = add_officer(session, "1002", first="Lena", last="Okafor")
    record = add_record(session, officer, course, date(2025, 3, 3), 2, standard=standard,
                        status="needs_review", reasons=("unreadable",))
    session.flush()
    correct_record(session, record, {"hours": "3.5"}, actor="rev1",
                   expected_version=record.version)
    session.commit()
    (row,) = [r for r in export_rows(session) if r["record_id"] == record.id]
    assert row["hours"] == 3.5
