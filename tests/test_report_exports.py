"""Compliance exports written, then opened and read back (csv, openpyxl, pdfplumber)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest
from compliance_factory import add_course, add_officer, add_record, add_standard
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from credence.cli import main
from reports.compliance import roster_compliance
from reports.dashboard import OfficerNotFoundError, officer_profile
from reports.exports import (
    SUMMARY_FIELDS,
    write_officer_csv,
    write_officer_pdf,
    write_officer_xlsx,
    write_summary_csv,
    write_summary_pdf,
    write_summary_xlsx,
)
from verification.models import RecordEvent

AS_OF = date(2025, 7, 1)


def _page_jpeg(path: Path, text: str) -> Path:
    image = Image.new("RGB", (850, 1100), "white")
    ImageDraw.Draw(image).text((100, 100), text, fill="black")
    image.save(path, "JPEG", quality=80)
    return path


@pytest.fixture
def agency(session, tmp_path):
    """TX 8 h; Garcia compliant (two certificates with scans), Ng short with one in review,
    Diaz without cycle dates, Cole a dispatcher."""
    standard = add_standard(session, min_hours=8)
    course = add_course(session, "1849", hours=4, title="De-escalation Techniques")
    garcia = add_officer(session, "1001", first="Ana", last="Garcia", unit="Patrol")
    ng = add_officer(session, "1002", first="Tom", last="Ng", unit="Patrol")
    add_officer(session, "1003", first="Lu", last="Diaz", cycle_start=None, cycle_end=None)
    add_officer(session, "1004", first="Bo", last="Cole", role="dispatcher")
    first = add_record(session, garcia, course, date(2025, 2, 3), 4, standard=standard,
                       image=_page_jpeg(tmp_path / "p1.jpg", "CERTIFICATE 1"))
    add_record(session, garcia, course, date(2025, 5, 6), 4, standard=standard,
               image=_page_jpeg(tmp_path / "p2.jpg", "CERTIFICATE 2"))
    add_record(session, garcia, None, date(2025, 6, 1), 2, status="needs_review",
               reasons=("post_number_unknown",))
    add_record(session, ng, course, date(2025, 3, 1), 4)
    add_record(session, ng, course, date(2025, 4, 1), 4, status="needs_review",
               reasons=("unreadable",))
    session.add(RecordEvent(record_id=first.id, actor="rivera", action="approved",
                            why="signature checked against the original", at=datetime(2025, 2, 10)))
    session.commit()
    return garcia


def test_summary_csv(session, agency):
    out = io.StringIO()
    assert write_summary_csv(roster_compliance(session, AS_OF), out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == list(SUMMARY_FIELDS)
    by_badge = {r["badge_number"]: r for r in rows}
    assert by_badge["1001"]["status"] == "compliant"
    assert (by_badge["1002"]["status"], by_badge["1002"]["needed_hours"],
            by_badge["1002"]["pending_hours"]) == ("in_progress", "4.0", "4.0")
    assert by_badge["1002"]["deadline"] == "2026-12-31"
    assert by_badge["1003"]["status"] == "missing_data"
    assert "no cycle dates" in by_badge["1003"]["missing"]
    assert by_badge["1004"]["status"] == "not_applicable"


def test_summary_xlsx_has_typed_dates_and_numbers(session, agency, tmp_path):
    path = tmp_path / "summary.xlsx"
    write_summary_xlsx(roster_compliance(session, AS_OF), path, AS_OF)
    sheet = load_workbook(path)["compliance"]
    header = [c.value for c in sheet[1]]
    assert header == list(SUMMARY_FIELDS)
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    ng = next(r for r in rows if r["badge_number"] == "1002")
    assert isinstance(ng["deadline"], datetime) and ng["deadline"].date() == date(2026, 12, 31)
    assert (ng["credited_hours"], ng["min_hours"], ng["days_left"]) == (4, 8, 548)
    assert isinstance(ng["credited_hours"], float | int) and isinstance(ng["days_left"], int)
    assert ng["scenario_required"] is False
    assert load_workbook(path)["about"]["B1"].value.date() == AS_OF


def test_summary_pdf_text(session, agency, tmp_path):
    path = tmp_path / "summary.pdf"
    write_summary_pdf(roster_compliance(session, AS_OF), path, AS_OF)
    with pdfplumber.open(path) as pdf:
        text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "compliance as of 2025-07-01" in text
    assert "1001 Ana Garcia" in text and "compliant" in text
    assert "in progress" in text and "2026-12-31" in text
    assert "no cycle dates on the roster" in text


def test_officer_profile_lists_every_record_with_its_page(session, agency):
    profile = officer_profile(session, "#1001", AS_OF)
    assert [r.status for r in profile.records] == ["verified", "verified", "needs_review"]
    first = profile.records[0]
    assert (first.post_number, first.standard, first.page) == ("1849", "TX-DEESC-2020", 1)
    assert first.page_image_path.endswith("p1.jpg")
    assert first.verification.startswith("approved by reviewer rivera on 2025-02-10")
    assert profile.records[1].verification.startswith("Verified automatically")
    assert "post_number_unknown" in profile.records[2].verification
    with pytest.raises(OfficerNotFoundError):
        officer_profile(session, "9999", AS_OF)


def test_officer_csv_and_xlsx(session, agency, tmp_path):
    profile = officer_profile(session, "1001", AS_OF)
    out = io.StringIO()
    assert write_officer_csv(profile, out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [(r["training_date"], r["credit_hours"]) for r in rows] == [
        ("2025-02-03", "4.0"), ("2025-05-06", "4.0"), ("2025-06-01", "0.0")]
    path = tmp_path / "officer.xlsx"
    write_officer_xlsx(profile, path)
    book = load_workbook(path)
    records = list(book["records"].iter_rows(min_row=2, values_only=True))
    assert records[0][2] == datetime(2025, 2, 3) and records[0][10] == 4
    assert book["status"]["G2"].value == "compliant"


def test_officer_evidence_packet_pdf(session, agency, tmp_path):
    path = tmp_path / "packet.pdf"
    assert write_officer_pdf(officer_profile(session, "1001", AS_OF), path) == 3
    with pdfplumber.open(path) as pdf:
        texts = [p.extract_text() for p in pdf.pages]
        images = sum(len(p.images) for p in pdf.pages)
    text = "\n".join(texts)
    assert "Training record: Ana Garcia (badge 1001)" in text
    assert "De-escalation Techniques" in text and "POST number 1849" in text
    assert "Standard TX-DEESC-2020" in text
    assert "scans/cert-" in text and "page 1" in text
    assert "How it was verified: approved by reviewer rivera" in text
    assert "Records not credited (1)" in text and "post_number_unknown" in text
    assert "Credited training 2 of 2" in texts[2]
    assert images == 2  # one scan page per credited training


def test_cli_reports(session, agency, tmp_path, monkeypatch, db_url, capsys):
    monkeypatch.setenv("CREDENCE_DATABASE_URL", db_url)
    assert main(["report", "compliance", "--format", "csv", "--as-of", "2025-07-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("badge_number,name,") and "1001,Ana Garcia" in out
    xlsx = tmp_path / "c.xlsx"
    assert main(["report", "compliance", "--format", "xlsx", "-o", str(xlsx),
                 "--as-of", "2025-07-01"]) == 0
    assert load_workbook(xlsx)["compliance"].max_row == 5
    pdf = tmp_path / "o.pdf"
    assert main(["report", "officer", "1001", "--format", "pdf", "-o", str(pdf),
                 "--as-of", "2025-07-01"]) == 0
    with pdfplumber.open(pdf) as doc:
        assert "Ana Garcia" in doc.pages[0].extract_text()
    assert main(["report", "officer", "1001", "--format", "pdf"]) == 2
    assert main(["report", "officer", "nobody", "--format", "csv"]) == 1
    assert "no officer with badge 'nobody'" in capsys.readouterr().err
