"""Verification rules, decisions and stored records, on a real SQLite database.

The reference data is hand-made: Texas de-escalation standards 2020 and 2023 (the 2023 one
takes effect 2023-09-01 and requires scenario training and a certified instructor), a 2020
course and a 2023 course, two officers with nearly the same name, and a California course
whose certificates carry control numbers.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from course_catalog.models import Course, Instructor, Officer, Standard
from extractors.types import DocumentKind, ExtractedField, ExtractedRecord, FieldSource
from ingestion.models import Document
from verification import rules
from verification.models import RecordEvent, RecordStatus, TrainingRecord
from verification.reasons import DESCRIPTIONS, Reason
from verification.records import record_id_for, record_training, reverify_record
from verification.verify import verify_extraction

D = date.fromisoformat

CONTRACT_CODES = {
    "unreadable", "missing_field", "officer_not_on_roster", "post_number_unknown",
    "course_title_mismatch", "outside_approval_window", "superseded_standard",
    "scenario_required", "instructor_not_certified", "hours_exceed_course", "not_signed",
    "duplicate", "not_training_document",
}  # fmt: skip


# --- reference data and builders -------------------------------------------------------------


@pytest.fixture
def ref(session):
    """The hand-made catalog, standards, roster and registry (see module docstring)."""
    rows = {
        "john": Officer(badge_number="1001", first_name="John", last_name="Smith", state="TX",
                        role="sworn"),
        "jon": Officer(badge_number="1002", first_name="Jon", last_name="Smith", state="TX",
                       role="sworn"),
        "maria": Officer(badge_number="2001", first_name="Maria", last_name="Garcia", state="TX",
                         role="dispatcher"),
        "alex": Officer(badge_number="5001", first_name="Alex", last_name="Kim", state="CA",
                        role="sworn"),
        # 2023 curriculum, scenario-based, approved 2023-09-01 .. 2026-08-31
        "c2023": Course(post_number="1849", title="De-escalation Techniques", state="TX",
                        topics=["de-escalation"], hours=8.0, format="scenario",
                        standard="TX-DEESC-2023", approved_from=D("2023-09-01"),
                        approved_until=D("2026-08-31")),
        # 2020 curriculum, classroom, open-ended approval: the curriculum trap
        "c2020": Course(post_number="1848", title="De-escalation Basics", state="TX",
                        topics=["de-escalation"], hours=4.0, format="classroom",
                        standard="TX-DEESC-2020", approved_from=D("2019-06-01"),
                        approved_until=None),
        # approved under the 2023 standard but classroom only
        "lecture": Course(post_number="1847", title="De-escalation Lecture", state="TX",
                          topics=["de-escalation"], hours=4.0, format="classroom",
                          standard="TX-DEESC-2023", approved_from=D("2023-09-01"),
                          approved_until=None),
        # approved under a standard Texas never had
        "bogus": Course(post_number="1851", title="Verbal Judo", state="TX",
                        topics=["de-escalation"], hours=4.0, format="scenario",
                        standard="TX-DEESC-2018", approved_from=D("2018-01-01"),
                        approved_until=None),
        "firearms": Course(post_number="2000", title="Firearms Qualification", state="TX",
                           topics=["firearms"], hours=4.0, format="classroom",
                           standard="TX-FA-2019", approved_from=D("2019-01-01"),
                           approved_until=None),
        # two topics; approved under the de-escalation standard
        "multi": Course(post_number="1852", title="De-escalation and Crisis Response",
                        state="TX", topics=["de-escalation", "crisis-intervention"], hours=8.0,
                        format="hybrid", standard="TX-DEESC-2023",
                        approved_from=D("2023-09-01"), approved_until=None),
        "nostd": Course(post_number="3000", title="Report Writing", state="TX",
                        topics=["report-writing"], hours=2.0, format="classroom",
                        standard="TX-RW-2019", approved_from=D("2019-01-01"),
                        approved_until=None),
        "ca": Course(post_number="2540-20182", title="Tactical Communication", state="CA",
                     topics=["de-escalation"], hours=8.0, format="hybrid",
                     standard="CA-DEESC-2021", approved_from=D("2021-01-01"),
                     approved_until=None),
        "s2020": Standard(state="TX", topic="de-escalation", standard="TX-DEESC-2020",
                          effective_from=D("2020-01-01"), min_hours=4, cycle_months=24,
                          scenario_required=False, certified_instructor_required=False,
                          applies_to=["sworn"]),
        "s2023": Standard(state="TX", topic="de-escalation", standard="TX-DEESC-2023",
                          effective_from=D("2023-09-01"), min_hours=8, cycle_months=24,
                          scenario_required=True, certified_instructor_required=True,
                          applies_to=["sworn", "dispatcher"]),
        "scit": Standard(state="TX", topic="crisis-intervention", standard="TX-CIT-2018",
                         effective_from=D("2018-09-01"), min_hours=16, cycle_months=48,
                         scenario_required=False, certified_instructor_required=False,
                         applies_to=["sworn"]),
        "sfa": Standard(state="TX", topic="firearms", standard="TX-FA-2019",
                        effective_from=D("2019-01-01"), min_hours=4, cycle_months=12,
                        scenario_required=False, certified_instructor_required=False,
                        applies_to=["sworn"]),
        "sca": Standard(state="CA", topic="de-escalation", standard="CA-DEESC-2021",
                        effective_from=D("2021-01-01"), min_hours=8, cycle_months=24,
                        scenario_required=True, certified_instructor_required=False,
                        applies_to=["sworn"]),
        "reyes1": Instructor(name="Dana Reyes", certification_number="TXI-100",
                             topics=["de-escalation"], certified_from=D("2022-01-01"),
                             certified_until=D("2024-12-31")),
        "reyes2": Instructor(name="Dana Reyes", certification_number="TXI-101",
                             topics=["de-escalation"], certified_from=D("2025-01-01"),
                             certified_until=None),
        "park": Instructor(name="Lee Park", certification_number="TXI-300",
                           topics=["de-escalation"], certified_from=D("2021-01-01"),
                           certified_until=D("2023-12-31")),
        "kim": Instructor(name="Tom Kim", certification_number="TXI-200",
                          topics=["firearms"], certified_from=D("2019-01-01"),
                          certified_until=None),
    }  # fmt: skip
    session.add_all(rows.values())
    session.flush()
    return rows


def _field(name, value, confidence=0.95, raw_text=None):
    raw = raw_text if raw_text is not None else (None if value is None else str(value))
    return ExtractedField(name, value, raw, confidence, None, 1, FieldSource.OCR)


BASE = {
    "officer_name": "John Smith",
    "badge_number": "1001",
    "training_date": D("2024-03-15"),
    "hours": 8.0,
    "post_number": "1849",
    "course_title": "De-escalation Techniques",
    "instructor_name": "Dana Reyes",
    "training_format": "scenario",
}


def cert(kind=DocumentKind.CERTIFICATE, page=1, drop=(), confidences=None, **changes):
    """A certificate as read: BASE, with ``changes`` applied and ``drop`` fields absent."""
    values = {**BASE, **changes}
    confidences = confidences or {}
    fields = {
        name: _field(name, value, confidences.get(name, 0.95))
        for name, value in values.items()
        if name not in drop
    }
    return ExtractedRecord(page, kind, fields)


def verify(session, record):
    result = verify_extraction(session, record)
    assert result.reasons == sorted(set(result.reasons), key=str)
    assert (result.status == RecordStatus.VERIFIED) == (not result.reasons)
    if result.status != RecordStatus.VERIFIED:
        assert result.credit_topics == [] and result.credit_hours == 0
    return result


def reasons(session, record) -> set[str]:
    return {str(r) for r in verify(session, record).reasons}


# --- the reason codes ------------------------------------------------------------------------


def test_reason_enum_has_exactly_the_contract_codes_each_described():
    assert {r.value for r in Reason} == CONTRACT_CODES
    assert all(DESCRIPTIONS[r] and r.description == DESCRIPTIONS[r] for r in Reason)


def test_a_complete_matching_certificate_is_verified_and_credited(session, ref):
    result = verify(session, cert())
    assert result.status == RecordStatus.VERIFIED
    assert result.credit_topics == ["de-escalation"]
    assert result.credit_hours == 8.0
    assert result.officer is ref["john"] and result.course is ref["c2023"]
    assert result.standard is ref["s2023"] and result.instructor is ref["reyes1"]
    exp = result.explanation
    assert exp["course"]["id"] == ref["c2023"].id and exp["course"]["post_number"] == "1849"
    assert exp["standard"] == {
        "id": ref["s2023"].id, "name": "TX-DEESC-2023", "topic": "de-escalation",
        "effective_from": "2023-09-01",
    }  # fmt: skip
    assert exp["officer"]["id"] == ref["john"].id and exp["officer"]["badge_number"] == "1001"
    assert exp["instructor"]["id"] == ref["reyes1"].id
    assert exp["matches"]["officer"]["why"] and exp["matches"]["course"]["why"]
    assert all(rule["passed"] for rule in exp["rules"])


def test_not_training_document_carries_only_that_reason(session, ref):
    result = verify(session, ExtractedRecord(1, DocumentKind.UNKNOWN, {}))
    assert result.status == RecordStatus.NEEDS_REVIEW
    assert result.reasons == [Reason.NOT_TRAINING_DOCUMENT]


def test_missing_required_field(session, ref):
    assert reasons(session, cert(drop=("hours",))) == {"missing_field"}
    assert reasons(session, cert(course_title="  ")) == {"missing_field"}
    assert reasons(session, cert()) == set()


def test_missing_badge_never_matches_by_name_alone(session, ref):
    """GIVEN two officers named (nearly) John Smith WHEN no badge is read THEN nobody."""
    result = verify(session, cert(drop=("badge_number",)))
    assert {str(r) for r in result.reasons} == {"missing_field"}
    assert result.officer is None


def test_low_confidence_or_unparsed_required_field_is_unreadable(session, ref):
    assert reasons(session, cert(confidences={"hours": 0.4})) == {"unreadable"}
    unparsed = cert()
    unparsed.fields["training_date"] = _field("training_date", None, 0.9, raw_text="1S/O3/2O24")
    assert "unreadable" in reasons(session, unparsed)
    assert reasons(session, cert(hours="eight")) >= {"unreadable"}
    assert reasons(session, cert(confidences={"hours": 0.6})) == set()  # at the threshold
    assert reasons(session, cert(hours=0)) == {"unreadable"}


def test_fields_confirmed_by_a_second_field_need_less_confidence(session, ref):
    """GIVEN a badge and name read weakly that both fit one roster officer, and a POST number
    and title read weakly that both fit one catalog course
    THEN they are readable enough; a weak field without such a partner is not.
    """
    weak = {"badge_number": 0.45, "officer_name": 0.4, "post_number": 0.5, "course_title": 0.45}
    assert verify(session, cert(confidences=weak)).status == RecordStatus.VERIFIED
    # Below the floor even a corroborated field is unreadable.
    assert reasons(session, cert(confidences={"badge_number": 0.2})) == {"unreadable"}
    # The title does not fit the course well: the weak POST number stands alone.
    alone = cert(course_title="Firearms Qualification", confidences={"post_number": 0.5})
    assert "unreadable" in reasons(session, alone)
    # Dates and hours have no partner on the page: their own confidence must do.
    assert reasons(session, cert(confidences={"training_date": 0.5})) == {"unreadable"}
    assert reasons(session, cert(confidences={"hours": 0.5})) == {"unreadable"}


def test_a_training_date_in_the_future_is_unreadable(session, ref):
    """A misread year must not slip through an open-ended approval window."""
    later = date.today() + timedelta(days=1000)
    assert "unreadable" in reasons(session, cert(training_date=later))


def test_text_layer_fields_without_confidence_are_trusted(session, ref):
    record = cert()
    for name, f in list(record.fields.items()):
        record.fields[name] = ExtractedField(name, f.value, f.raw_text, None, None, 1,
                                             FieldSource.TEXT_LAYER)  # fmt: skip
    assert reasons(session, record) == set()


def test_officer_not_on_roster(session, ref):
    assert reasons(session, cert(badge_number="9999")) == {"officer_not_on_roster"}
    assert reasons(session, cert(badge_number="#1001", officer_name="SMITH, JOHN A.")) == set()


def test_similar_names_with_different_badges_are_never_confused(session, ref):
    jon = verify(session, cert(officer_name="Jon Smith", badge_number="1002"))
    john = verify(session, cert(officer_name="John Smith", badge_number="1001"))
    assert jon.officer is ref["jon"] and john.officer is ref["john"]
    # John's name on Jon's badge: the badge and the name point at two different people.
    crossed = verify(session, cert(officer_name="John Smith", badge_number="1002"))
    assert crossed.officer is None
    assert {str(r) for r in crossed.reasons} == {"officer_not_on_roster"}
    assert "fits John Smith #1001 better" in crossed.explanation["matches"]["officer"]["why"]


def test_name_badge_conflict_is_not_attributed(session, ref):
    result = verify(session, cert(officer_name="Maria Garcia", badge_number="1001"))
    assert result.officer is None
    assert {str(r) for r in result.reasons} == {"officer_not_on_roster"}
    why = result.explanation["matches"]["officer"]["why"]
    assert "held by John Smith" in why and "does not fit" in why


def test_ocr_misread_badge_is_corrected_only_when_the_name_confirms(session, ref):
    assert verify(session, cert(badge_number="1OO1")).officer is ref["john"]
    assert verify(session, cert(badge_number="1OO1", officer_name="J. Smith")).officer is None


def test_post_number_unknown(session, ref):
    assert reasons(session, cert(post_number="7777")) == {"post_number_unknown"}


def test_ocr_misread_post_number_is_corrected(session, ref):
    result = verify(session, cert(post_number="l849"))
    assert result.status == RecordStatus.VERIFIED and result.course is ref["c2023"]
    assert result.explanation["matches"]["course"]["method"] == "ocr_corrected"


def test_course_of_another_state_does_not_credit(session, ref):
    """A California course on a Texas officer's certificate: not in *their* catalog."""
    result = verify(session, cert(post_number="2540-20182-21-003",
                                  course_title="Tactical Communication"))  # fmt: skip
    assert result.course is ref["ca"]
    assert {str(r) for r in result.reasons} == {"post_number_unknown"}
    state_rule = next(o for o in result.outcomes if o.rule == "check_course_state")
    assert state_rule.evidence["course_state"] == "CA"


def test_california_control_number_matches_course_certification(session, ref):
    record = cert(officer_name="Alex Kim", badge_number="5001",
                  post_number="2540-20182-21-003", course_title="Tactical Communication",
                  training_format="hybrid", hours=8, instructor_name=None)  # fmt: skip
    result = verify(session, record)
    assert result.course is ref["ca"] and result.status == RecordStatus.VERIFIED


def test_course_title_mismatch(session, ref):
    assert reasons(session, cert(course_title="Firearms Qualification")) == {
        "course_title_mismatch"
    }
    assert reasons(session, cert(course_title="De-escalation")) == set()


@pytest.mark.parametrize(
    ("day", "inside"),
    [("2023-09-01", True), ("2026-08-31", True), ("2026-09-01", False)],
)
def test_approval_window_edges(session, ref, day, inside):
    # Dana Reyes's second certification (2025 on) covers the later dates
    got = reasons(session, cert(training_date=D(day)))
    assert got == (set() if inside else {"outside_approval_window"})


def test_approval_window_day_before_approval(session, ref):
    got = reasons(session, cert(training_date=D("2023-08-31")))
    # the 2023 course was not approved yet, and the 2020 standard was still in force
    assert got == {"outside_approval_window", "superseded_standard"}


def test_curriculum_trap_around_the_effective_date(session, ref):
    """GIVEN a course approved under the 2020 standard WHEN taken the day before the 2023
    standard took effect THEN it counts; WHEN taken on that day THEN it is superseded."""
    old = {"post_number": "1848", "course_title": "De-escalation Basics", "hours": 4,
           "training_format": "classroom", "instructor_name": None}  # fmt: skip
    day_before = verify(session, cert(training_date=D("2023-08-31"), **old))
    assert day_before.status == RecordStatus.VERIFIED
    assert day_before.standard is ref["s2020"]
    on_the_day = verify(session, cert(training_date=D("2023-09-01"), **old))
    assert {str(r) for r in on_the_day.reasons} >= {"superseded_standard"}
    rule = next(o for o in on_the_day.outcomes if o.rule == "check_curriculum")
    assert "approved under TX-DEESC-2020, but TX-DEESC-2023" in rule.evidence["problems"][0]


def test_curriculum_before_any_standard_and_unknown_standard(session, ref):
    old = {"post_number": "1848", "course_title": "De-escalation Basics", "hours": 4,
           "training_format": "classroom"}  # fmt: skip
    early = verify(session, cert(training_date=D("2019-12-31"), **old))
    assert {str(r) for r in early.reasons} == {"superseded_standard"}
    rule = next(o for o in early.outcomes if o.rule == "check_curriculum")
    assert "no TX standard was in force on 2019-12-31" in rule.evidence["problems"][0]

    bogus = verify(session, cert(post_number="1851", course_title="Verbal Judo", hours=4))
    assert {str(r) for r in bogus.reasons} == {"superseded_standard"}
    rule = next(o for o in bogus.outcomes if o.rule == "check_curriculum")
    assert "'TX-DEESC-2018' is not a TX standard" in rule.evidence["problems"][0]


def test_multi_topic_course_is_judged_by_its_own_standard_and_credits_every_topic(session, ref):
    """GIVEN a course tagged de-escalation and crisis-intervention, approved under the
    de-escalation standard WHEN verified THEN the trap is checked on the de-escalation series
    only (the crisis-intervention series never held that standard) and both topics credit."""
    multi = {"post_number": "1852", "course_title": "De-escalation and Crisis Response"}
    result = verify(session, cert(training_format="Blended (online + classroom)", **multi))
    assert result.status == RecordStatus.VERIFIED
    assert result.credit_topics == ["de-escalation", "crisis-intervention"]
    rule = next(o for o in result.outcomes if o.rule == "check_curriculum")
    assert [t["topic"] for t in rule.evidence["governed_topics"]] == ["de-escalation"]
    assert rule.evidence["other_topics"] == ["crisis-intervention"]
    before = verify(session, cert(training_date=D("2023-08-31"), **multi))
    assert "superseded_standard" in {str(r) for r in before.reasons}


def test_course_without_any_state_standard_goes_to_review(session, ref):
    got = reasons(session, cert(post_number="3000", course_title="Report Writing", hours=2))
    assert got == {"superseded_standard"}


def test_firearms_course_credits_firearms(session, ref):
    result = verify(session, cert(post_number="2000", course_title="Firearms Qualification",
                                  hours=4, training_format="classroom"))  # fmt: skip
    assert result.status == RecordStatus.VERIFIED
    assert result.credit_topics == ["firearms"] and result.credit_hours == 4


def test_scenario_required(session, ref):
    lecture = {"post_number": "1847", "course_title": "De-escalation Lecture", "hours": 4}
    assert reasons(session, cert(training_format=None, **lecture)) == {"scenario_required"}
    # the catalog says scenario, but the document says this session was classroom
    assert reasons(session, cert(training_format="Classroom")) == {"scenario_required"}
    assert reasons(session, cert(training_format="Scenario-based")) == set()
    assert reasons(session, cert(drop=("training_format",))) == set()


def test_a_format_read_unsure_that_says_what_the_catalog_says_stands(session, ref):
    """GIVEN a scenario-required course whose document's format was read unsure (a free
    reading, 0.5) WHEN it says what the catalog says of the course (scenario) THEN it is
    corroborated and the record verifies; WHEN it says another format THEN it still needs
    a sure reading (and a sure classroom fails the scenario rule)."""
    unsure = {"training_format": 0.5}
    assert reasons(session, cert(training_format="Scenario-Based", confidences=unsure)) == set()
    assert reasons(session, cert(training_format="Classroom", confidences=unsure)) == {
        "scenario_required", "unreadable"}


def test_instructor_not_certified(session, ref):
    assert reasons(session, cert(drop=("instructor_name",))) == {"instructor_not_certified"}
    assert reasons(session, cert(instructor_name="Tom Kim")) == {"instructor_not_certified"}
    assert reasons(session, cert(instructor_name="Pat Nobody")) == {"instructor_not_certified"}
    # Lee Park's certification ended 2023-12-31
    assert (
        reasons(session, cert(instructor_name="Lee Park", training_date=D("2023-12-31"))) == set()
    )
    assert reasons(session, cert(instructor_name="Lee Park", training_date=D("2024-01-01"))) == {
        "instructor_not_certified"
    }
    # one of two instructors named is enough; a label left in front of the name is ignored
    assert reasons(session, cert(instructor_name="Tom Kim; D. Reyes")) == set()
    assert reasons(session, cert(instructor_name="Instructor DANA REYES")) == set()


def test_recertified_instructor_is_matched_to_the_certification_in_force(session, ref):
    result = verify(session, cert(training_date=D("2025-06-01")))
    assert result.status == RecordStatus.VERIFIED and result.instructor is ref["reyes2"]


def test_hours_equal_pass_and_above_fail(session, ref):
    assert reasons(session, cert(hours=8)) == set()
    assert reasons(session, cert(hours=8.5)) == {"hours_exceed_course"}
    partial = verify(session, cert(hours=6))
    assert partial.status == RecordStatus.VERIFIED and partial.credit_hours == 6


def test_sign_in_row_must_be_signed(session, ref):
    row = {"kind": DocumentKind.SIGN_IN_SHEET, "training_format": None, "official_signed": True}
    assert reasons(session, cert(signed=True, **row)) == set()
    # a sheet is evidence only when a training official signed it
    assert reasons(session, cert(signed=True, **{**row, "official_signed": False})) == {
        "not_signed"}
    assert reasons(session, cert(signed=False, **row)) == {"not_signed"}
    assert reasons(session, cert(**row)) == {"missing_field"}
    assert reasons(session, cert(signed=True, confidences={"signed": 0.3}, **row)) == {"unreadable"}


def test_certificate_does_not_need_an_officer_signature(session, ref):
    assert reasons(session, cert(signed=False)) == set()


# --- stored records ----------------------------------------------------------------------------


def _document(session, doc_id: str) -> str:
    session.add(Document(id=doc_id, sha256=doc_id.ljust(64, "0"), source_filename=f"{doc_id}.pdf",
                         size_bytes=1, status="done"))  # fmt: skip
    session.flush()
    return doc_id


def test_record_training_stores_the_decision_and_an_event(session, ref):
    doc = _document(session, "doc1")
    rec = record_training(session, document_id=doc, extracted=cert(post_number="l849"))
    assert rec.id == record_id_for(doc, 1, 0) and rec.id.startswith("rec_")
    assert rec.status == RecordStatus.VERIFIED and rec.reasons == []
    assert rec.credit_topics == ["de-escalation"] and rec.credit_hours == 8.0
    assert (rec.officer_id, rec.course_id) == (ref["john"].id, ref["c2023"].id)
    assert rec.standard_id == ref["s2023"].id and rec.instructor_id == ref["reyes1"].id
    assert rec.training_date == D("2024-03-15")
    assert rec.fields["post_number"]["value"] == "l849"
    assert rec.fields["post_number"]["matched"] == "1849"
    assert rec.fields["training_date"]["value"] == "2024-03-15"
    assert rec.explanation["course"]["post_number"] == "1849"
    events = session.scalars(select(RecordEvent).where(RecordEvent.record_id == rec.id)).all()
    assert [(e.action, e.actor, e.after["status"]) for e in events] == [
        ("created", "credence", "verified")
    ]


def test_record_training_is_idempotent(session, ref):
    doc = _document(session, "doc1")
    first = record_training(session, document_id=doc, extracted=cert())
    again = record_training(session, document_id=doc, extracted=cert(hours=1))
    assert again is first and again.credit_hours == 8.0
    assert session.scalar(select(TrainingRecord).where(TrainingRecord.id != first.id)) is None
    assert len(session.scalars(select(RecordEvent)).all()) == 1


def test_the_same_training_from_a_second_document_is_a_duplicate(session, ref):
    first = record_training(session, document_id=_document(session, "doc1"), extracted=cert())
    second = record_training(session, document_id=_document(session, "doc2"), extracted=cert())
    assert first.status == RecordStatus.VERIFIED
    assert second.status == RecordStatus.DUPLICATE and second.duplicate_of_id == first.id
    assert second.reasons == ["duplicate"]
    assert second.credit_hours == 0 and second.credit_topics == []
    # a different date is different training
    third = record_training(session, document_id=_document(session, "doc3"),
                            extracted=cert(training_date=D("2024-03-16")))  # fmt: skip
    assert third.status == RecordStatus.VERIFIED


def test_the_document_received_first_is_the_original_whatever_finishes_first(session, ref):
    """GIVEN two documents of one training, the later-received one processed first
    WHEN the earlier-received one is recorded
    THEN it is the credited original and the other is demoted to its duplicate, with history.
    """
    from datetime import UTC, datetime, timedelta

    t0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    later = record_training(session, document_id=_document(session, "doc2"), extracted=cert(),
                            received_at=t0 + timedelta(seconds=1))  # fmt: skip
    assert later.status == RecordStatus.VERIFIED
    first = record_training(session, document_id=_document(session, "doc1"), extracted=cert(),
                            received_at=t0)  # fmt: skip
    assert first.status == RecordStatus.VERIFIED and first.credit_hours == 8.0
    assert later.status == RecordStatus.DUPLICATE and later.duplicate_of_id == first.id
    assert later.credit_hours == 0 and later.reasons == ["duplicate"]
    events = session.scalars(select(RecordEvent).where(RecordEvent.record_id == later.id)).all()
    assert [e.action for e in events] == ["created", "demoted_duplicate"]
    assert events[1].before["status"] == "verified"
    credited = session.scalars(
        select(TrainingRecord).where(TrainingRecord.status == RecordStatus.VERIFIED)
    ).all()
    assert [r.id for r in credited] == [first.id]


def test_duplicate_of_a_record_in_review(session, ref):
    first = record_training(session, document_id=_document(session, "doc1"),
                            extracted=cert(confidences={"hours": 0.3}))  # fmt: skip
    second = record_training(session, document_id=_document(session, "doc2"), extracted=cert())
    assert first.status == RecordStatus.NEEDS_REVIEW
    assert second.status == RecordStatus.DUPLICATE and second.duplicate_of_id == first.id


def test_sign_in_rows_of_one_page_are_separate_records(session, ref):
    doc = _document(session, "sheet")
    rows = [
        cert(kind=DocumentKind.SIGN_IN_SHEET, signed=True, official_signed=True),
        cert(kind=DocumentKind.SIGN_IN_SHEET, signed=True, official_signed=True,
             officer_name="Jon Smith", badge_number="1002"),
    ]  # fmt: skip
    recs = [record_training(session, document_id=doc, extracted=r, row_index=i)
            for i, r in enumerate(rows)]  # fmt: skip
    assert len({r.id for r in recs}) == 2
    assert [r.status for r in recs] == [RecordStatus.VERIFIED, RecordStatus.VERIFIED]


def test_reverify_after_a_correction_keeps_history(session, ref):
    rec = record_training(session, document_id=_document(session, "doc1"),
                          extracted=cert(confidences={"hours": 0.3}))  # fmt: skip
    assert rec.status == RecordStatus.NEEDS_REVIEW and rec.reasons == ["unreadable"]
    fields = dict(rec.fields)
    fields["hours"] = {**fields["hours"], "confidence": 1.0, "source": "derived"}
    rec.fields = fields  # what a reviewer's correction does
    reverify_record(session, rec, actor="reviewer:ann", why="hours checked on the scan")
    assert rec.status == RecordStatus.VERIFIED and rec.credit_hours == 8.0
    event = session.scalars(select(RecordEvent).where(RecordEvent.action == "reverified")).one()
    assert event.actor == "reviewer:ann" and event.why == "hours checked on the scan"
    assert event.before["status"] == "needs_review" and event.after["status"] == "verified"


def test_reverify_is_not_its_own_duplicate(session, ref):
    rec = record_training(session, document_id=_document(session, "doc1"), extracted=cert())
    reverify_record(session, rec, actor="credence", why="catalog updated")
    assert rec.status == RecordStatus.VERIFIED and rec.duplicate_of_id is None


def test_reverify_after_catalog_change_withdraws_credit(session, ref):
    rec = record_training(session, document_id=_document(session, "doc1"), extracted=cert())
    ref["c2023"].approved_until = D("2024-01-31")
    session.flush()
    reverify_record(session, rec, actor="credence", why="approval shortened")
    assert rec.status == RecordStatus.NEEDS_REVIEW
    assert rec.reasons == ["outside_approval_window"] and rec.credit_hours == 0


@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("Classroom / Lecture", "classroom"),
        ("Scenario-based", "scenario"),
        ("Reality-Based Training", "scenario"),
        ("Blended (online + classroom)", "hybrid"),
        ("Web-based", "online"),
        ("webinar", "webinar"),
        (None, None),
    ],
)
def test_printed_format_words(printed, read):
    assert rules.read_format(printed) == read


# --- reference data remembered within a transaction (course_catalog.memo) ---------------------


def test_roster_changes_in_the_same_transaction_are_seen(session, ref):
    """The roster and catalog are loaded once per transaction for speed, yet an officer added
    (not yet flushed), a badge edited or a course added in the same transaction counts."""
    assert reasons(session, cert(badge_number="7777")) >= {"officer_not_on_roster"}
    session.add(Officer(badge_number="7777", first_name="John", last_name="Smithers",
                        state="TX", role="sworn"))  # fmt: skip
    assert verify(session, cert(badge_number="7777", officer_name="John Smithers")).verified
    ref["john"].badge_number = "1009"
    session.flush()
    assert "officer_not_on_roster" in reasons(session, cert())
    assert "post_number_unknown" in reasons(session, cert(post_number="1850"))
    session.add(Course(post_number="1850", title="De-escalation Techniques II", state="TX",
                       topics=["de-escalation"], hours=8.0, format="scenario",
                       standard="TX-DEESC-2023", approved_from=D("2023-09-01"),
                       approved_until=None))  # fmt: skip
    session.flush()
    assert "post_number_unknown" not in reasons(
        session, cert(post_number="1850", course_title="De-escalation Techniques II"))


def test_rows_of_one_sheet_share_one_catalog_match(session, ref):
    """Twenty rows with the same header match the course once; each row is still decided."""
    rows = [cert(kind=DocumentKind.SIGN_IN_SHEET, page=1, officer_name=n, badge_number=b,
                 signed=True) for n, b in (("John Smith", "1001"), ("Jane Smith", "1001"))] * 10
    results = [verify_extraction(session, r) for r in rows]
    assert {id(r.matches["course"]) for r in results} == {id(results[0].matches["course"])}
    assert [r.officer is ref["john"] for r in results] == [True, False] * 10


def test_a_badge_one_character_off_goes_to_review_attributed_never_credited(session, ref):
    """Maria Garcia #2001 read as 20001: her record, held for a reviewer to confirm."""
    result = verify(session, cert(officer_name="Maria Garcia", badge_number="20001"))
    assert result.status == RecordStatus.NEEDS_REVIEW and result.credit_hours == 0
    assert "officer_not_on_roster" in {str(r) for r in result.reasons}
    assert result.officer is ref["maria"]
    assert result.explanation["matches"]["officer"]["method"] == "near_badge"
