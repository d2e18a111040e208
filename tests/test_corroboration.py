"""Corroboration: a sign-in row and a certificate of the same training are one training.

Real SQLite database; hand-made reference data (one Texas course, one officer).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from course_catalog.models import Course, Officer, Standard
from extractors.types import DocumentKind, ExtractedField, ExtractedRecord, FieldSource
from ingestion.models import Document
from verification.corroboration import link_corroboration
from verification.models import RecordEvent, RecordStatus
from verification.records import record_training

D = date.fromisoformat
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def ref(session):
    """One classroom de-escalation course, its standard and one officer."""
    session.add_all([
        Officer(badge_number="1001", first_name="John", last_name="Smith", state="TX",
                role="sworn"),
        Course(post_number="1848", title="De-escalation Basics", state="TX",
               topics=["de-escalation"], hours=8.0, format="classroom",
               standard="TX-DEESC-2020", approved_from=D("2019-06-01"), approved_until=None),
        Standard(state="TX", topic="de-escalation", standard="TX-DEESC-2020",
                 effective_from=D("2020-01-01"), min_hours=4, cycle_months=24,
                 scenario_required=False, certified_instructor_required=False,
                 applies_to=["sworn"]),
    ])  # fmt: skip
    session.flush()


def _doc(session, doc_id: str) -> str:
    session.add(Document(id=doc_id, sha256=doc_id.ljust(64, "0"), source_filename=f"{doc_id}.pdf",
                         size_bytes=1, status="done"))  # fmt: skip
    session.flush()
    return doc_id


def _record(kind: DocumentKind, hours: float = 8.0, **extra) -> ExtractedRecord:
    values = {"officer_name": "John Smith", "badge_number": "1001",
              "training_date": D("2022-03-15"), "hours": hours, "post_number": "1848",
              "course_title": "De-escalation Basics", **extra}
    if kind == DocumentKind.SIGN_IN_SHEET:
        values["signed"] = True
        values["official_signed"] = True  # the sheet is signed by a training official
    fields = {k: ExtractedField(k, v, str(v), 0.95, None, 1, FieldSource.OCR)
              for k, v in values.items()}
    return ExtractedRecord(1, kind, fields, row_index=3 if kind == DocumentKind.SIGN_IN_SHEET
                           else None)


def _store(session, doc_id: str, extracted: ExtractedRecord, at: datetime):
    record = record_training(session, document_id=_doc(session, doc_id), extracted=extracted,
                             row_index=extracted.row_index or 0, received_at=at)
    link_corroboration(session, record)
    return record


def test_sign_in_row_and_certificate_link_as_one_training_credited_once(session, ref):
    """GIVEN a verified sign-in row WHEN the certificate of the same training arrives THEN
    it is linked as corroborating evidence, both records name each other, one credit."""
    row = _store(session, "sheet", _record(DocumentKind.SIGN_IN_SHEET), T0)
    assert row.status == RecordStatus.VERIFIED
    cert = _store(session, "cert", _record(DocumentKind.CERTIFICATE), T0 + timedelta(hours=1))
    assert cert.status == RecordStatus.DUPLICATE and cert.duplicate_of_id == row.id
    assert cert.credit_hours == 0 and row.credit_hours == 8.0
    assert row.explanation["corroboration"] == {
        "role": "corroborated_by", "record_id": cert.id, "document_id": "cert",
        "document_kind": "certificate", "agrees": True, "differences": {}}
    assert cert.explanation["corroboration"]["record_id"] == row.id
    assert cert.explanation["corroboration"]["role"] == "corroborates"
    actions = {e.action for e in session.query(RecordEvent).filter_by(record_id=row.id)}
    assert "corroborated" in actions


def test_disagreeing_evidence_sends_the_later_record_to_review_without_credit(session, ref):
    """GIVEN a certificate saying 8 h WHEN a sign-in row of the same class says 4 h THEN the
    row goes to review with the difference named, and is never credited."""
    cert = _store(session, "cert", _record(DocumentKind.CERTIFICATE), T0)
    row = _store(session, "sheet", _record(DocumentKind.SIGN_IN_SHEET, hours=4.0),
                 T0 + timedelta(hours=1))
    assert cert.status == RecordStatus.VERIFIED
    assert row.status == RecordStatus.NEEDS_REVIEW and row.credit_hours == 0
    assert "duplicate" in row.reasons
    assert row.explanation["corroboration"]["differences"] == {
        "hours": {"certificate": 8.0, "sign_in_sheet": 4.0}}


def test_earlier_received_sheet_processed_last_still_links(session, ref):
    """GIVEN the certificate processed first but received later WHEN the sheet row (received
    first) is stored THEN the certificate is demoted and the two are linked."""
    cert = _store(session, "cert", _record(DocumentKind.CERTIFICATE), T0 + timedelta(days=1))
    row = _store(session, "sheet", _record(DocumentKind.SIGN_IN_SHEET), T0)
    assert row.status == RecordStatus.VERIFIED
    assert cert.status == RecordStatus.DUPLICATE
    assert row.explanation["corroboration"]["record_id"] == cert.id
    assert cert.explanation["corroboration"]["record_id"] == row.id


def test_two_certificates_are_plain_duplicates_not_corroboration(session, ref):
    first = _store(session, "c1", _record(DocumentKind.CERTIFICATE), T0)
    second = _store(session, "c2", _record(DocumentKind.CERTIFICATE), T0 + timedelta(hours=1))
    assert second.status == RecordStatus.DUPLICATE
    assert "corroboration" not in (first.explanation or {})
    assert link_corroboration(session, second) == []
