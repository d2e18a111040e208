"""Reviewer decisions (verification.review) and learning from corrections, on a real database.

Records are made from the sample corpus's ground truth (valid certificates), then given the
misreadings a scan produces, so each test knows what the right answer is.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from course_catalog import importers
from course_catalog.models import Officer
from devtools.samplegen.corpus import generate_corpus
from extractors.types import DocumentKind, ExtractedField, ExtractedRecord, FieldSource
from ingestion.models import Document, DocumentStatus
from verification import review
from verification.learning import LEARNED
from verification.models import LearnedMapping, RecordEvent, RecordStatus, TrainingRecord
from verification.records import record_training


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(
        tmp_path_factory.mktemp("corpus"), seed=5, count=12, conditions=("clean",)
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_backend(request):
    """A session factory on SQLite, or on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield request.getfixturevalue("session_factory")
        return
    from credence.db import Base, make_engine, make_session_factory

    engine = make_engine(request.getfixturevalue("postgres_url"))
    Base.metadata.create_all(engine)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


@pytest.fixture
def sessions(any_backend, corpus):
    session_factory = any_backend
    with session_factory() as s:
        ref = corpus / "reference"
        importers.import_courses(s, ref / "courses.csv")
        importers.import_standards(s, ref / "standards.csv")
        importers.import_officers(s, ref / "officers.csv")
        importers.import_instructors(s, ref / "instructors.csv")
        s.commit()
    return session_factory


@pytest.fixture
def valid_fields(corpus) -> list[dict]:
    lines = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    return [t["fields"] for t in lines if t["expected_status"] == "verified"]


def _store(session, fields: dict, confidence: dict | None = None) -> TrainingRecord:
    """A document and the record read from it, with ``fields`` as read."""
    doc = Document(
        id=f"doc_{uuid.uuid4().hex[:16]}",
        sha256=uuid.uuid4().hex * 2,
        source_filename="t.pdf",
        size_bytes=1,
        status=DocumentStatus.DONE,
    )
    session.add(doc)
    session.flush()
    extracted = ExtractedRecord(
        1,
        DocumentKind.CERTIFICATE,
        {
            n: ExtractedField(
                n,
                date.fromisoformat(v) if n == "training_date" and v else v,
                None if v is None else str(v),
                (confidence or {}).get(n),
                None,
                1,
                FieldSource.OCR,
            )
            for n, v in fields.items()
            if v is not None
        },
    )
    return record_training(session, document_id=doc.id, extracted=extracted)


def _events(session, record_id: str) -> list[str]:
    return [e.action for e in review.record_history(session, record_id)]


def test_correction_previews_saves_and_is_learned_for_the_next_document(sessions, valid_fields):
    """GIVEN a certificate whose badge was misread WHEN the reviewer picks the roster officer
    THEN the preview says verified without saving, saving verifies it with its history, and a
    later document with the same misreading is matched through the learned mapping."""
    truth = valid_fields[0]
    misread = {**truth, "badge_number": "Z9Z9-" + truth["badge_number"]}
    with sessions() as s:
        record = _store(s, misread)
        s.commit()
        assert record.status == RecordStatus.NEEDS_REVIEW
        assert "officer_not_on_roster" in record.reasons
        officer = s.scalars(
            select(Officer).where(Officer.badge_number == truth["badge_number"])
        ).one()

        preview = review.preview_correction(s, record, {}, officer_id=officer.id)
        assert preview.status == RecordStatus.VERIFIED
        assert record.status == RecordStatus.NEEDS_REVIEW and record.version == 1
        assert _events(s, record.id) == ["created"]

        review.correct_record(
            s, record, {}, actor="rev1", expected_version=1, officer_id=officer.id, why="badge"
        )
        s.commit()
        assert record.status == RecordStatus.VERIFIED and record.officer_id == officer.id
        assert record.fields["badge_number"]["read_value"] == misread["badge_number"]
        assert record.fields["badge_number"]["corrected_by"] == "rev1"
        assert _events(s, record.id) == ["created", "corrected", "reverified"]
        corrected = review.record_history(s, record.id)[1]
        assert corrected.before["fields"]["badge_number"] == misread["badge_number"]
        assert corrected.after["fields"]["badge_number"] == officer.badge_number
        assert corrected.actor == "rev1"
        mapping = s.scalars(select(LearnedMapping)).one()
        assert mapping.target_id == officer.id and mapping.created_by == "rev1"

        again = _store(s, {**misread, "training_date": "2025-01-02"})
        match = again.explanation["matches"]["officer"]
        assert again.officer_id == officer.id
        assert match["method"] == LEARNED and "rev1" in match["why"]


def test_approve_confirms_fields_read_with_low_confidence(sessions, valid_fields):
    with sessions() as s:
        record = _store(s, valid_fields[1], confidence={"officer_name": 0.2})
        s.commit()
        assert record.reasons == ["unreadable"]
        review.approve_record(s, record, actor="rev1", expected_version=1, note="legible")
        s.commit()
        assert record.status == RecordStatus.VERIFIED and record.credit_hours > 0
        assert record.fields["officer_name"]["confirmed_by"] == "rev1"
        assert _events(s, record.id)[-1] == "approved"
        assert review.record_history(s, record.id)[-1].why == "legible"


def test_approve_never_credits_a_record_whose_rules_fail(sessions, valid_fields):
    with sessions() as s:
        record = _store(s, {**valid_fields[0], "post_number": "NO-SUCH-9999"})
        s.commit()
        with pytest.raises(review.ReviewError, match="post_number_unknown"):
            review.approve_record(s, record, actor="rev1", expected_version=1)
        s.rollback()
        fresh = s.get(TrainingRecord, record.id)
        assert fresh.status == RecordStatus.NEEDS_REVIEW and fresh.version == 1
        assert _events(s, record.id) == ["created"]


def test_reject_needs_a_reason_and_keeps_the_record(sessions, valid_fields):
    with sessions() as s:
        record = _store(s, {**valid_fields[0], "post_number": "NO-SUCH-9999"})
        s.commit()
        with pytest.raises(review.ReviewError, match="reason"):
            review.reject_record(s, record, actor="rev1", expected_version=1, reason="  ")
        review.reject_record(s, record, actor="rev1", expected_version=1, reason="not ours")
        s.commit()
        assert record.status == RecordStatus.REJECTED and record.credit_hours == 0
        assert [(e.action, e.why) for e in review.record_history(s, record.id)][-1] == (
            "rejected",
            "not ours",
        )


def test_two_reviewers_cannot_overwrite_each_other(sessions, valid_fields):
    """GIVEN two reviewers who opened the same record (version 1) WHEN the first rejects it
    THEN the second one's correction is refused and the record stays as the first left it."""
    with sessions() as s:
        record_id = _store(s, {**valid_fields[0], "post_number": "NO-SUCH-9999"}).id
        s.commit()
    first, second = sessions(), sessions()
    try:
        mine, theirs = first.get(TrainingRecord, record_id), second.get(TrainingRecord, record_id)
        assert mine.version == theirs.version == 1
        review.reject_record(first, mine, actor="rev1", expected_version=1, reason="duplicate scan")
        first.commit()
        # The second reviewer still holds the page as it was (version 1, needs_review).
        with pytest.raises(review.RecordChangedError, match="changed by someone else"):
            review.correct_record(
                second, theirs, {"post_number": "1849"}, actor="rev2", expected_version=1
            )
        second.rollback()
        with pytest.raises(review.RecordChangedError):
            review.reject_record(second, theirs, actor="rev2", expected_version=1, reason="x")
    finally:
        first.close()
        second.close()
    with sessions() as s:
        record = s.get(TrainingRecord, record_id)
        assert record.status == RecordStatus.REJECTED and record.version == 2
        actors = [e.actor for e in s.scalars(select(RecordEvent)).all() if e.record_id == record_id]
        assert actors == ["credence", "rev1"]


def test_fix_and_approve_in_one_decision_learns_the_course(sessions, valid_fields):
    """GIVEN a POST number misread WHEN the reviewer types the right one and approves
    THEN the record is credited, the history shows the correction and the approval, and the
    misread number now maps to that course for later documents."""
    truth = valid_fields[0]
    misread = {**truth, "post_number": "ZZ" + truth["post_number"] + "ZZ"}
    with sessions() as s:
        record = _store(s, misread)
        s.commit()
        assert "post_number_unknown" in record.reasons
        review.approve_record(
            s,
            record,
            {"post_number": truth["post_number"], "hours": str(truth["hours"])},
            actor="rev2",
            expected_version=1,
        )
        s.commit()
        assert record.status == RecordStatus.VERIFIED
        assert _events(s, record.id) == ["created", "corrected", "reverified", "approved"]
        corrected = review.record_history(s, record.id)[1]
        assert corrected.after == {"fields": {"post_number": truth["post_number"]}}
        later = _store(s, {**misread, "training_date": "2025-01-03"})
        course = later.explanation["matches"]["course"]
        assert course["method"] == LEARNED and later.course_id == record.course_id


def test_a_sheet_rows_signatures_are_shown_as_yes_or_no_and_a_certificate_has_none():
    """GIVEN a sign-in row whose signature was read absent and whose official's signature is
    undecided, and a certificate WHEN the review form's fields are laid out THEN the row
    shows 'Signed: no' and an empty 'Official signed' to decide, with no ink figures offered
    as a value to take; the certificate shows neither."""
    from review_ui.presenters import field_rows

    def field(value, raw):
        return {"value": value, "raw_text": raw, "confidence": 0.97, "bbox": None, "page": 1}

    row = TrainingRecord(document_kind="sign_in_sheet", page=1, fields={
        "officer_name": field("Rowan Tilley", "TILLEY, ROWAN"),
        "signed": field(False, "ink 0.0000 spread 0.00"),
        "official_signed": field(None, "Certifying Officer (not looked at)")})
    shown = {r["name"]: r for r in field_rows(row)}
    assert shown["signed"]["value"] == "no" and shown["signed"]["editable"]
    assert shown["signed"]["takes"] == [] and shown["official_signed"]["takes"] == []
    assert shown["official_signed"]["value"] == "" and shown["official_signed"]["editable"]
    certificate = TrainingRecord(document_kind="certificate", page=1, fields={
        "officer_name": field("Rowan Tilley", "Rowan Tilley")})
    assert not {"signed", "official_signed"} & {r["name"] for r in field_rows(certificate)}
