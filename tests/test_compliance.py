"""Per-officer compliance status around every edge, on hand-made officers and records."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from compliance_factory import DEESC, add_course, add_officer, add_record, add_standard

from reports.compliance import Status, officer_compliance, roster_compliance


def _status(session, officer, as_of):
    (status,) = [s for s in officer_compliance(session, officer, as_of) if s.topic == DEESC]
    return status


@pytest.fixture
def texas(session):
    """TX: 8 h per officer cycle, sworn only; one officer with a 2025-2026 cycle."""
    add_standard(session, min_hours=8, cycle_months=24)
    officer = add_officer(session, "100")
    course = add_course(session, "1849", hours=8)
    return officer, course


def test_hours_exactly_at_minimum_are_compliant(session, texas):
    officer, course = texas
    add_record(session, officer, course, date(2025, 3, 1), 4.5)
    add_record(session, officer, course, date(2025, 6, 1), 3.5)
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.COMPLIANT
    assert s.credited_hours == 8.0
    assert s.needed_hours == 0.0


def test_decimal_hours_summing_to_the_minimum_are_compliant(session):
    add_standard(session, min_hours=0.3)
    officer = add_officer(session, "101")
    course = add_course(session, "1849")
    add_record(session, officer, course, date(2025, 3, 1), 0.1)
    add_record(session, officer, course, date(2025, 3, 2), 0.2)
    assert _status(session, officer, date(2025, 7, 1)).status is Status.COMPLIANT


def test_just_under_the_minimum_is_not_compliant(session, texas):
    officer, course = texas
    add_record(session, officer, course, date(2025, 3, 1), 7.9)
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.IN_PROGRESS
    assert s.needed_hours == pytest.approx(0.1)
    assert s.deadline == date(2026, 12, 31)
    assert s.days_left == (date(2026, 12, 31) - date(2025, 7, 1)).days


@pytest.mark.parametrize(
    ("day", "counts"),
    [
        (date(2024, 12, 31), False),  # the day before the cycle starts
        (date(2025, 1, 1), True),  # the first day of the cycle
        (date(2026, 12, 31), True),  # the deadline itself
    ],
    ids=["day-before-start", "first-day", "deadline-day"],
)
def test_cycle_boundaries(session, texas, day, counts):
    officer, course = texas
    add_record(session, officer, course, day, 8)
    s = _status(session, officer, date(2026, 12, 31))
    assert (s.status is Status.COMPLIANT) is counts
    assert s.credited_hours == (8.0 if counts else 0.0)


def test_training_after_the_report_date_is_not_counted_yet(session, texas):
    officer, course = texas
    add_record(session, officer, course, date(2025, 8, 2), 8)
    assert _status(session, officer, date(2025, 8, 1)).credited_hours == 0.0
    assert _status(session, officer, date(2025, 8, 2)).status is Status.COMPLIANT


@pytest.mark.parametrize(
    ("days_before_deadline", "expected"),
    [
        (91, Status.IN_PROGRESS),
        (90, Status.DUE_SOON),
        (0, Status.DUE_SOON),
        (-1, Status.OVERDUE),
    ],
    ids=["91-days", "90-days", "deadline-day", "day-after"],
)
def test_due_soon_and_overdue_around_the_deadline(session, texas, days_before_deadline, expected):
    officer, course = texas
    add_record(session, officer, course, date(2025, 2, 1), 2)
    as_of = date(2026, 12, 31) - timedelta(days=days_before_deadline)
    s = _status(session, officer, as_of)
    assert s.status is expected
    assert s.days_left == days_before_deadline
    assert s.needed_hours == 6.0


def test_standard_changing_mid_cycle(session):
    """GIVEN 8 h under the 2020 standard and a 2023-style update to 12 h on 2025-07-01
    WHEN the report is run before and after the change
    THEN the requirement in force on the report date applies, earlier hours still count,
    and the change is noted."""
    add_standard(session, "TX-DEESC-2020", min_hours=8)
    add_standard(session, "TX-DEESC-2025", effective_from=date(2025, 7, 1), min_hours=12)
    officer = add_officer(session, "102")
    course = add_course(session, "1849")
    add_record(session, officer, course, date(2025, 3, 1), 8)
    before = _status(session, officer, date(2025, 6, 30))
    after = _status(session, officer, date(2025, 7, 1))
    assert (before.status, before.requirement.standard) == (Status.COMPLIANT, "TX-DEESC-2020")
    assert after.requirement.standard == "TX-DEESC-2025"
    assert after.status is Status.IN_PROGRESS
    assert (after.credited_hours, after.needed_hours) == (8.0, 4.0)
    assert any("TX-DEESC-2025" in n and "changed" in n for n in after.notes)


def test_annual_requirement_inside_a_multi_year_cycle(session):
    """An annual 4 h requirement inside a 3-year licence: last year's hours do not count."""
    add_standard(session, "MD-ANNUAL", state="MD", min_hours=4, cycle_months=12)
    officer = add_officer(
        session, "103", state="MD", cycle_start=date(2024, 1, 1), cycle_end=date(2026, 12, 31)
    )
    course = add_course(session, "MD-1", state="MD", standard="MD-ANNUAL", hours=4)
    add_record(session, officer, course, date(2024, 11, 1), 4)
    s = _status(session, officer, date(2025, 5, 1))
    assert (s.cycle.start, s.deadline) == (date(2025, 1, 1), date(2025, 12, 31))
    assert s.credited_hours == 0.0
    assert s.status is Status.IN_PROGRESS
    last_year = _status(session, officer, date(2024, 12, 1))
    assert last_year.status is Status.COMPLIANT


def test_multi_year_requirement_counts_the_whole_cycle(session):
    add_standard(session, "MN-3Y", state="MN", min_hours=16, cycle_months=36)
    officer = add_officer(
        session, "104", state="MN", cycle_start=date(2024, 7, 1), cycle_end=date(2027, 6, 30)
    )
    course = add_course(session, "MN-1", state="MN", standard="MN-3Y")
    add_record(session, officer, course, date(2024, 8, 1), 8)
    add_record(session, officer, course, date(2026, 8, 1), 8)
    s = _status(session, officer, date(2026, 9, 1))
    assert (s.cycle.start, s.deadline) == (date(2024, 7, 1), date(2027, 6, 30))
    assert s.status is Status.COMPLIANT


def test_role_the_requirement_does_not_cover(session, texas):
    _, course = texas
    dispatcher = add_officer(session, "200", role="dispatcher")
    s = _status(session, dispatcher, date(2025, 7, 1))
    assert s.status is Status.NOT_APPLICABLE
    assert s.requirement.applies_to == ("sworn",)
    assert "dispatcher" in s.notes[0]


def test_records_in_review_are_pending_not_credited(session, texas):
    officer, course = texas
    add_record(session, officer, course, date(2025, 3, 1), 4)
    add_record(session, officer, course, date(2025, 4, 1), 4, status="needs_review",
               reasons=("unreadable",))
    add_record(session, officer, None, date(2025, 5, 1), 2, status="needs_review",
               reasons=("post_number_unknown",))
    add_record(session, officer, course, date(2025, 5, 2), 8, status="rejected")
    add_record(session, officer, course, date(2025, 5, 3), 8, status="duplicate")
    s = _status(session, officer, date(2025, 7, 1))
    assert s.credited_hours == 4.0
    assert (s.pending_hours, s.pending_records) == (6.0, 2)
    assert s.status is Status.IN_PROGRESS


def test_hours_for_another_topic_do_not_count(session, texas):
    officer, _ = texas
    firearms = add_course(session, "FA-1", topics=("firearms",))
    add_record(session, officer, firearms, date(2025, 3, 1), 8)
    assert _status(session, officer, date(2025, 7, 1)).credited_hours == 0.0


def test_no_cycle_dates_says_what_is_missing(session, texas):
    _, course = texas
    officer = add_officer(session, "300", cycle_start=None, cycle_end=None)
    add_record(session, officer, course, date(2025, 3, 1), 8)
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.MISSING_DATA
    assert "no cycle dates" in s.missing[0] and "cycle_start" in s.missing[0]
    assert s.days_left is None


def test_state_with_no_standard_loaded(session, texas):
    officer = add_officer(session, "301", state="OK")
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.MISSING_DATA
    assert s.missing == ("no de-escalation standard loaded for state OK",)


def test_officers_get_their_states_topics_and_always_de_escalation(session, texas):
    add_standard(session, "TX-FA", topic="firearms")
    add_standard(session, "NM-FA", state="NM", topic="firearms")
    add_standard(session, "CA-UOF", state="CA", topic="use-of-force")
    nm = add_officer(session, "305", state="NM")
    topics = {s.topic: s for s in officer_compliance(session, nm, date(2025, 7, 1))}
    assert sorted(topics) == [DEESC, "firearms"]  # not California's use-of-force
    assert topics[DEESC].missing == ("no de-escalation standard loaded for state NM",)
    nowhere = add_officer(session, "306", state="OK")
    assert len(officer_compliance(session, nowhere, date(2025, 7, 1))) == 3  # all missing


def test_overlapping_standards_are_reported_not_guessed(session):
    # The importer refuses this; a hand-edited database can still hold it.
    add_standard(session, "GA-A", state="GA", effective_from=date(2024, 1, 1))
    add_standard(session, "GA-B", state="GA", effective_from=date(2024, 1, 1), min_hours=2)
    officer = add_officer(session, "302", state="GA")
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.MISSING_DATA
    assert "overlapping standards" in s.missing[0]
    assert "GA-A" in s.missing[0] and "GA-B" in s.missing[0]


def test_standard_not_yet_in_force(session):
    add_standard(session, "WA-2026", state="WA", effective_from=date(2026, 1, 1))
    officer = add_officer(session, "303", state="WA")
    s = _status(session, officer, date(2025, 7, 1))
    assert s.status is Status.NOT_APPLICABLE
    assert "takes effect 2026-01-01" in s.notes[0]


def test_officer_cycle_ended(session, texas):
    officer, course = texas
    short = add_officer(session, "304")
    add_record(session, officer, course, date(2025, 3, 1), 8)
    met = _status(session, officer, date(2027, 2, 1))
    assert met.status is Status.MISSING_DATA
    assert "current cycle dates" in met.missing[0]
    overdue = _status(session, short, date(2027, 2, 1))
    assert overdue.status is Status.OVERDUE
    assert overdue.days_left == -32


def test_online_hours_refused_when_the_state_excludes_online(session):
    add_standard(session, "IL-1", state="IL", online_allowed=False, min_hours=8)
    officer = add_officer(session, "400", state="IL")
    online = add_course(session, "IL-ON", state="IL", format="online", standard="IL-1")
    classroom = add_course(session, "IL-CL", state="IL", standard="IL-1", hours=4)
    add_record(session, officer, online, date(2025, 3, 1), 8)
    add_record(session, officer, classroom, date(2025, 4, 1), 4)
    s = _status(session, officer, date(2025, 7, 1))
    assert (s.credited_hours, s.needed_hours) == (4.0, 4.0)
    assert "8 h of online training not accepted" in s.notes


def test_scenario_hours_counted_separately(session):
    """Illinois-style: 12 scenario hours inside 30 per cycle; hybrid hours do not count."""
    add_standard(session, "IL-2", state="IL", min_hours=30, cycle_months=36,
                 scenario_min_hours=12)
    officer = add_officer(session, "401", state="IL", cycle_end=date(2027, 12, 31))
    classroom = add_course(session, "C", state="IL", standard="IL-2", hours=20)
    hybrid = add_course(session, "H", state="IL", standard="IL-2", format="hybrid")
    scenario = add_course(session, "S", state="IL", standard="IL-2", format="scenario")
    add_record(session, officer, classroom, date(2025, 2, 1), 20)
    add_record(session, officer, hybrid, date(2025, 3, 1), 8)
    add_record(session, officer, scenario, date(2025, 4, 1), 8)
    s = _status(session, officer, date(2025, 7, 1))
    assert s.credited_hours == 36.0
    (part,) = s.parts
    assert (part.name, part.min_hours, part.credited_hours, part.needed_hours) == (
        "scenario", 12.0, 8.0, 4.0)
    assert (s.status, s.needed_hours) == (Status.IN_PROGRESS, 4.0)
    add_record(session, officer, scenario, date(2025, 5, 1), 4)
    assert _status(session, officer, date(2025, 7, 1)).status is Status.COMPLIANT


def test_sub_topic_minimum_inside_the_requirement(session):
    """Minnesota-style: 16 h of which crisis intervention 6 h."""
    add_standard(session, "MN-16", state="MN", min_hours=16, cycle_months=36)
    add_standard(session, "MN-16-CI", state="MN", topic="crisis-intervention", min_hours=6,
                 cycle_months=36, parent_topic=DEESC)
    officer = add_officer(session, "402", state="MN", cycle_end=date(2027, 12, 31))
    general = add_course(session, "G", state="MN", standard="MN-16", hours=16)
    crisis = add_course(session, "CI", state="MN", standard="MN-16", hours=6,
                        topics=(DEESC, "crisis-intervention"))
    add_record(session, officer, general, date(2025, 2, 1), 16)
    statuses = officer_compliance(session, officer, date(2025, 7, 1))
    assert [s.topic for s in statuses] == [DEESC]  # a sub-topic is not a topic of its own
    (s,) = statuses
    assert s.credited_hours == 16.0
    assert [(p.name, p.credited_hours, p.needed_hours) for p in s.parts] == [
        ("crisis-intervention", 0.0, 6.0)]
    assert (s.status, s.needed_hours) == (Status.IN_PROGRESS, 6.0)
    add_record(session, officer, crisis, date(2025, 3, 1), 6)
    assert _status(session, officer, date(2025, 7, 1)).status is Status.COMPLIANT


def test_roster_filters_and_order(session, texas):
    add_officer(session, "050", unit="Patrol", role="dispatcher")
    add_officer(session, "060", unit="Patrol")
    everyone = roster_compliance(session, date(2025, 7, 1))
    assert [s.badge_number for s in everyone] == ["050", "060", "100"]
    patrol_sworn = roster_compliance(session, date(2025, 7, 1), unit="Patrol", role="sworn")
    assert [s.badge_number for s in patrol_sworn] == ["060"]
    assert roster_compliance(session, date(2025, 7, 1), state="ca") == []


@pytest.mark.postgres
def test_roster_compliance_on_postgresql(postgres_url):
    """The fast loading path (raw dates and JSON) reads PostgreSQL's native types too."""
    from credence.db import Base, make_engine, make_session_factory

    engine = make_engine(postgres_url)
    Base.metadata.create_all(engine)
    try:
        with make_session_factory(engine)() as session:
            add_standard(session, min_hours=8)
            officer = add_officer(session, "100")
            course = add_course(session, "1849")
            add_record(session, officer, course, date(2025, 3, 1), 5)
            add_record(session, officer, course, date(2025, 4, 1), 3)
            add_record(session, officer, course, date(2025, 5, 1), 2, status="needs_review")
            (s,) = roster_compliance(session, date(2025, 7, 1))
            assert (s.status, s.credited_hours, s.pending_hours) == (Status.COMPLIANT, 8.0, 2.0)
            session.rollback()
    finally:
        engine.dispose()
