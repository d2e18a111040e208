"""``credence review decide`` (contract): a reviewer's decision from the command line.

On SQLite and PostgreSQL, migrated as ``credence init`` does. Records are made from the sample
generator's ground truth with the misreadings a scan produces, so each test knows the answer.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen.corpus import generate_corpus
from extractors.types import DocumentKind, ExtractedField, ExtractedRecord, FieldSource
from ingestion.models import Document, DocumentStatus
from review_ui.accounts import create_user
from tests.production_support import database_url, import_reference, production_env  # noqa: F401
from verification import review
from verification.models import LearnedMapping, RecordStatus, TrainingRecord
from verification.records import record_training


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate_corpus(
        tmp_path_factory.mktemp("corpus"), seed=11, count=6, conditions=("clean",)
    )


@pytest.fixture
def sessions(monkeypatch, tmp_path, database_url, corpus):  # noqa: F811
    settings = production_env(monkeypatch, tmp_path, database_url, None)
    import_reference(settings, corpus)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    with session_scope(factory) as s:
        create_user(s, "rita", "a-long-password", "reviewer")
        create_user(s, "carl", "a-long-password", "clerk")
    yield factory
    engine.dispose()


@pytest.fixture
def truths(corpus) -> list[dict]:
    lines = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    return [t["fields"] for t in lines if t["expected_status"] == "verified"]


def _store(factory, fields: dict, confidence: dict | None = None,
           kind: DocumentKind = DocumentKind.CERTIFICATE) -> str:
    with session_scope(factory) as s:
        doc = Document(
            id=f"doc_{uuid.uuid4().hex[:16]}", sha256=uuid.uuid4().hex * 2,
            source_filename="t.pdf", size_bytes=1, status=DocumentStatus.DONE,
        )
        s.add(doc)
        s.flush()
        extracted = ExtractedRecord(1, kind, {
            n: ExtractedField(
                n, date.fromisoformat(v) if n == "training_date" else v, str(v),
                (confidence or {}).get(n), None, 1, FieldSource.OCR,
            )
            for n, v in fields.items() if v is not None
        })
        return record_training(s, document_id=doc.id, extracted=extracted).id


def _decide(*args: str, capsys) -> tuple[int, str, str]:
    code = main(["review", "decide", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def _record(factory, record_id: str) -> tuple[TrainingRecord, list[tuple[str, str, str]]]:
    with factory() as s:
        record = s.get(TrainingRecord, record_id)
        s.expunge(record)
        events = [(e.action, e.actor, e.why) for e in review.record_history(s, record_id)]
        return record, events


def test_set_and_approve_corrects_verifies_and_learns(sessions, truths, capsys):
    """GIVEN a certificate whose badge and POST number were misread WHEN a reviewer sets the
    right values and approves from the command line THEN it is verified with the web's history
    (corrected, reverified, approved by that user) and the misreadings are learned."""
    truth = truths[0]
    misread = {**truth, "badge_number": "Q7" + truth["badge_number"],
               "post_number": truth["post_number"] + "9"}
    record_id = _store(sessions, misread)
    code, out, err = _decide(
        record_id, "--set", f"badge_number={truth['badge_number']}",
        "--set", f"post_number={truth['post_number']}", "--approve", "--as", "rita", capsys=capsys,
    )
    assert (code, err) == (0, "")
    assert out.strip() == f"record {record_id}: verified"
    record, events = _record(sessions, record_id)
    assert record.status == RecordStatus.VERIFIED and record.credit_hours > 0
    assert record.fields["badge_number"]["read_value"] == misread["badge_number"]
    assert record.fields["badge_number"]["corrected_by"] == "rita"
    assert [a for a, _, _ in events] == ["created", "corrected", "reverified", "approved"]
    assert {actor for _, actor, _ in events[1:]} == {"rita"}
    with sessions() as s:
        kinds = {m.kind for m in s.scalars(select(LearnedMapping))}
    assert kinds == {"officer", "course_post_number"}


def test_approve_is_refused_while_checks_fail(sessions, truths, capsys):
    record_id = _store(sessions, {**truths[1], "post_number": "NO-SUCH-9999"})
    code, out, err = _decide(record_id, "--approve", "--as", "rita", capsys=capsys)
    assert code == 1 and "post_number_unknown" in err and out == ""
    record, events = _record(sessions, record_id)
    assert record.status == RecordStatus.NEEDS_REVIEW and record.version == 1
    assert [a for a, _, _ in events] == ["created"]


def test_reject_with_a_reason(sessions, truths, capsys):
    record_id = _store(sessions, {**truths[1], "post_number": "NO-SUCH-9999"})
    code, out, _ = _decide(record_id, "--reject", "not one of ours", "--as", "rita",
                           capsys=capsys)
    assert code == 0 and out.strip() == f"record {record_id}: rejected (post_number_unknown)"
    record, events = _record(sessions, record_id)
    assert record.status == RecordStatus.REJECTED and record.credit_hours == 0
    assert events[-1] == ("rejected", "rita", "not one of ours")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--approve", "--as", "nobody"], "no user 'nobody'"),
        (["--approve", "--as", "carl"], "may not decide"),
        (["--set", "shoe_size=12", "--approve", "--as", "rita"], "unknown field 'shoe_size'"),
        (["--set", "hours", "--approve", "--as", "rita"], "FIELD=VALUE"),
        (["--reject", " ", "--as", "rita"], "needs a reason"),
        (["--set", "signed=yes", "--approve", "--as", "rita"], "only for a sign-in sheet"),
        (["--set", "signed=perhaps", "--approve", "--as", "rita"], "yes or no"),
    ],
    ids=["unknown-user", "clerk", "unknown-field", "malformed-set", "empty-reason",
         "signed-certificate", "signed-word"],
)
def test_refusals_exit_1_and_change_nothing(sessions, truths, capsys, args, message):
    record_id = _store(sessions, {**truths[2], "post_number": "NO-SUCH-9999"})
    code, out, err = _decide(record_id, *args, capsys=capsys)
    assert code == 1 and message in err and out == ""
    record, events = _record(sessions, record_id)
    assert record.status == RecordStatus.NEEDS_REVIEW and [a for a, _, _ in events] == ["created"]


def test_a_reviewer_decides_a_sign_in_rows_signature(sessions, truths, capsys):
    """GIVEN a sign-in row whose signature cell the reader left undecided (held as
    missing) WHEN a reviewer who looked at the cell says it is signed THEN the row is
    verified, and the history says who decided it; saying it is not signed holds it."""
    signed_sheet = {"official_signed": True}  # the training official signed the sheet
    unsure = _store(sessions, {**truths[0], **signed_sheet}, kind=DocumentKind.SIGN_IN_SHEET)
    assert _record(sessions, unsure)[0].status == RecordStatus.NEEDS_REVIEW
    code, out, err = _decide(unsure, "--set", "signed=yes", "--approve", "--as", "rita",
                             capsys=capsys)
    assert code == 0, err
    record, events = _record(sessions, unsure)
    assert record.status == RecordStatus.VERIFIED and record.fields["signed"]["value"] is True
    assert record.fields["signed"]["corrected_by"] == "rita"
    unsigned = _store(sessions, {**truths[1], **signed_sheet}, kind=DocumentKind.SIGN_IN_SHEET)
    code, _, err = _decide(unsigned, "--set", "signed=no", "--approve", "--as", "rita",
                           capsys=capsys)
    assert code == 1 and "not_signed" in err
    assert _record(sessions, unsigned)[0].status == RecordStatus.NEEDS_REVIEW


def test_a_reviewer_decides_a_sheets_official_signature(sessions, truths, capsys):
    """GIVEN a signed sign-in row whose sheet's official signature the reader could not
    confirm WHEN a reviewer who looked at the official's line says it is signed THEN the row
    is verified; on a certificate the field is refused."""
    unsure = _store(sessions, {**truths[0], "signed": True}, kind=DocumentKind.SIGN_IN_SHEET)
    assert _record(sessions, unsure)[0].status == RecordStatus.NEEDS_REVIEW
    code, _, err = _decide(unsure, "--set", "official_signed=yes", "--approve", "--as", "rita",
                           capsys=capsys)
    assert code == 0, err
    record, _ = _record(sessions, unsure)
    assert record.status == RecordStatus.VERIFIED
    assert record.fields["official_signed"]["corrected_by"] == "rita"
    certificate = _store(sessions, {**truths[1], "post_number": "NO-SUCH-9999"})
    code, _, err = _decide(certificate, "--set", "official_signed=yes", "--approve", "--as",
                           "rita", capsys=capsys)
    assert code == 1 and "only for a sign-in sheet" in err


def test_unknown_record_exits_1(sessions, capsys):
    code, _, err = _decide("rec_does_not_exist", "--approve", "--as", "rita", capsys=capsys)
    assert code == 1 and "no record 'rec_does_not_exist'" in err


def test_decided_record_is_not_decided_twice(sessions, truths, capsys):
    record_id = _store(sessions, truths[3], confidence={"officer_name": 0.2})
    assert _decide(record_id, "--approve", "--as", "rita", capsys=capsys)[0] == 0
    code, _, err = _decide(record_id, "--reject", "late", "--as", "rita", capsys=capsys)
    assert code == 1 and "not waiting for review" in err
    assert _record(sessions, record_id)[0].status == RecordStatus.VERIFIED


def test_help_lists_the_command():
    out = subprocess.run(
        [sys.executable, "-m", "credence.cli", "--help"], capture_output=True, text=True,
        check=False,
    )
    assert "review" in out.stdout
    sub = subprocess.run(
        [sys.executable, "-c", "from credence.cli import main; main(['review','decide','-h'])"],
        capture_output=True, text=True, check=False,
    )
    for option in ("--set FIELD=VALUE", "--approve", "--reject REASON", "--as USERNAME"):
        assert option in sub.stdout
