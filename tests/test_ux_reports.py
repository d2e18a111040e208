"""The pure parts behind issue 18's pages: changes in words, batch names, sheet row warnings,
course candidate scores, the fields a page marks to check, the reject reason kept."""

from __future__ import annotations

from datetime import UTC, datetime

from course_catalog.models import Course
from reports.batches import SheetRows
from reports.records import batch_label, describe_change
from review_ui.candidates import course_score
from review_ui.presenters import reject_reason, unsure_fields
from verification.models import TrainingRecord


def test_changes_are_said_in_words():
    before = {"status": "needs_review", "fields": {"badge_number": "1234"}, "reasons": ["x"]}
    after = {"status": "verified", "fields": {"badge_number": "91234"}, "reasons": []}
    assert describe_change(before, after) == (
        "status: needs_review → verified",
        "badge number: 1234 → 91234",
        "reasons: x → (empty)",
    )
    assert describe_change(None, None) == ()


def test_a_batch_is_named_by_its_files_and_time():
    at = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)
    assert (
        batch_label(["scans/march.pdf", "b.pdf", "c.pdf"], at)
        == "march.pdf + 2 more, 2026-03-02 14:05"
    )
    assert batch_label(["one.pdf"], at) == "one.pdf, 2026-03-02 14:05"


def test_sheet_rows_warn_when_rows_are_lost_or_unread():
    assert SheetRows(1, 10, 10, 0).warning is None
    assert "3 of 10 rows made no record" in SheetRows(1, 10, 7, 0).warning
    assert "2 row(s) with neither name nor badge" in SheetRows(2, 5, 5, 2).warning
    assert "no attendee row could be read" in SheetRows(1, 1, 1, 1).warning


def test_course_scores_rank_number_and_title_and_differ():
    def course(number, title):
        return Course(post_number=number, title=title, state="TX")

    read = ("2210", "De-escalation for Patrol Officers")
    near = course_score(*read, course("22107", "De-escalation for Patrol Officers"))
    other = course_score(*read, course("0080", "Patrol Tactics: De-escalation Scenarios"))
    far = course_score(*read, course("1850", "Crisis Intervention Training"))
    assert near > other > far
    assert course_score("", "", course("1850", "Crisis Intervention Training")) == 0


def test_fields_to_check_come_from_confidence_and_failing_rules():
    record = TrainingRecord(
        fields={
            "officer_name": {"value": "Ana Diaz", "confidence": 0.95},
            "badge_number": {"value": "1234", "confidence": 0.95},
            "hours": {"value": 4.0, "confidence": 0.2},
            "training_date": {"value": None, "raw_text": None},
        },
        reasons=["officer_not_on_roster", "missing_field"],
        explanation={
            "rules": [
                {
                    "reason": "missing_field",
                    "passed": False,
                    "evidence": {"missing": ["training_date"]},
                }
            ]
        },
    )
    assert set(unsure_fields(record)) == {"officer_name", "badge_number", "hours", "training_date"}


def test_the_reject_reason_keeps_preset_and_note():
    assert reject_reason("unsigned", "") == "unsigned"
    assert reject_reason("rescan needed", " page 2 cut off ") == "rescan needed: page 2 cut off"
    assert reject_reason(None, "other") == "other"
    assert reject_reason("", "  ") == ""
