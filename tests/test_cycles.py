"""Cycles as states define them: fixed windows, officer anchors, rolling resets."""

from __future__ import annotations

from datetime import date

import pytest
from compliance_factory import DEESC, add_course, add_officer, add_record, add_standard

from reports.compliance import Status, officer_compliance
from reports.cycles import (
    CycleUnknownError,
    add_months,
    fixed_cycle,
    last_completion,
    officer_cycle,
    rolling_cycle,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 15), -3, date(2024, 12, 15)),
        (date(2025, 9, 1), 24, date(2027, 9, 1)),
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("anchor", "months", "on", "start", "end"),
    [
        # Texas: 2-year units Sep 1 - Aug 31.
        (date(2023, 9, 1), 24, date(2025, 8, 31), date(2023, 9, 1), date(2025, 8, 31)),
        (date(2023, 9, 1), 24, date(2025, 9, 1), date(2025, 9, 1), date(2027, 8, 31)),
        (date(2023, 9, 1), 24, date(2019, 12, 1), date(2019, 9, 1), date(2021, 8, 31)),
        # Utah / Massachusetts: training years ending June 30.
        (date(2020, 7, 1), 12, date(2026, 6, 30), date(2025, 7, 1), date(2026, 6, 30)),
        (date(2020, 7, 1), 12, date(2026, 7, 1), date(2026, 7, 1), date(2027, 6, 30)),
        # Georgia / Maryland: calendar years.
        (date(2000, 1, 1), 12, date(2025, 12, 31), date(2025, 1, 1), date(2025, 12, 31)),
        (date(2000, 1, 1), 12, date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31)),
    ],
    ids=["tx-last-day", "tx-next-unit", "tx-before-anchor", "ut-june-30", "ut-july-1",
         "ga-dec-31", "ga-jan-1"],
)
def test_fixed_statewide_windows(anchor, months, on, start, end):
    cycle = fixed_cycle(anchor, months, on)
    assert (cycle.start, cycle.end, cycle.kind) == (start, end, "fixed")


def test_officer_cycle_needs_roster_dates():
    with pytest.raises(CycleUnknownError, match="cycle_end empty"):
        officer_cycle(date(2025, 1, 1), None, 24, date(2025, 6, 1))
    cycle = officer_cycle(date(2025, 1, 1), date(2028, 6, 30), 48, date(2025, 6, 1))
    assert (cycle.start, cycle.end) == (date(2025, 1, 1), date(2028, 6, 30))


@pytest.mark.parametrize(
    ("months", "on", "start", "end"),
    [
        (12, date(2025, 6, 1), date(2025, 1, 1), date(2025, 12, 31)),  # annual: year 1
        (12, date(2027, 6, 1), date(2027, 1, 1), date(2027, 12, 31)),  # annual: year 3
        (12, date(2028, 2, 1), date(2027, 1, 1), date(2027, 12, 31)),  # after: the last year
        (24, date(2025, 6, 1), date(2025, 1, 1), date(2027, 12, 31)),  # once per licence
        (36, date(2025, 6, 1), date(2025, 1, 1), date(2027, 12, 31)),
    ],
    ids=["12-in-36-y1", "12-in-36-y3", "12-in-36-after", "24-in-36", "36-in-36"],
)
def test_requirement_repeats_inside_a_longer_roster_cycle(months, on, start, end):
    cycle = officer_cycle(date(2025, 1, 1), date(2027, 12, 31), months, on)
    assert (cycle.start, cycle.end) == (start, end)


def test_last_completion_resets_the_running_total():
    credits = [(date(2020, 3, 1), 2), (date(2020, 5, 1), 2), (date(2023, 1, 1), 3)]
    assert last_completion(credits, 4, date(2024, 1, 1)) == date(2020, 5, 1)
    assert last_completion(credits, 4, date(2020, 4, 1)) is None
    credits.append((date(2024, 2, 1), 1))
    assert last_completion(credits, 4, date(2024, 3, 1)) == date(2024, 2, 1)


def test_rolling_cycle_from_completion_or_roster_anchor():
    cycle = rolling_cycle(None, None, 60, 4, [(date(2021, 6, 1), 4)], date(2024, 1, 1))
    assert (cycle.start, cycle.end, cycle.completed_on) == (
        date(2021, 6, 2), date(2026, 6, 1), date(2021, 6, 1))
    first = rolling_cycle(date(2023, 2, 1), None, 60, 4, [], date(2024, 1, 1))
    assert (first.start, first.end, first.completed_on) == (date(2023, 2, 1), date(2028, 2, 1),
                                                            None)
    with pytest.raises(CycleUnknownError, match="no completed course"):
        rolling_cycle(None, None, 60, 4, [], date(2024, 1, 1))


def _deesc(session, officer, as_of):
    (s,) = [s for s in officer_compliance(session, officer, as_of) if s.topic == DEESC]
    return s


def test_fixed_statewide_cycle_ignores_roster_dates(session):
    """Texas-style unit: the statewide window applies even to an officer without dates."""
    add_standard(session, "TX-UNIT", cycle_kind="fixed", cycle_anchor=date(2023, 9, 1),
                 cycle_months=24, min_hours=8)
    officer = add_officer(session, "1", cycle_start=None, cycle_end=None)
    course = add_course(session, "1849", standard="TX-UNIT")
    add_record(session, officer, course, date(2025, 8, 31), 8)  # last day of the 2023 unit
    done = _deesc(session, officer, date(2025, 8, 31))
    assert (done.status, done.cycle.kind) == (Status.COMPLIANT, "fixed")
    nxt = _deesc(session, officer, date(2025, 9, 1))  # the next unit starts empty
    assert (nxt.status, nxt.credited_hours, nxt.deadline) == (
        Status.IN_PROGRESS, 0.0, date(2027, 8, 31))


def test_rolling_reset_five_years_from_last_course(session):
    """Colorado-style: 5 years from the last completed mandated course."""
    add_standard(session, "CO-ROLL", state="CO", cycle_kind="rolling", cycle_months=60,
                 min_hours=4)
    officer = add_officer(session, "2", state="CO", cycle_start=date(2019, 1, 1),
                          cycle_end=None)
    course = add_course(session, "CO-1", state="CO", standard="CO-ROLL", hours=4)
    never = _deesc(session, officer, date(2020, 1, 1))
    assert (never.status, never.deadline) == (Status.IN_PROGRESS, date(2024, 1, 1))
    add_record(session, officer, course, date(2021, 6, 1), 4)
    good = _deesc(session, officer, date(2024, 1, 1))
    assert (good.status, good.deadline, good.cycle.completed_on) == (
        Status.COMPLIANT, date(2026, 6, 1), date(2021, 6, 1))
    assert _deesc(session, officer, date(2026, 3, 3)).status is Status.DUE_SOON
    assert _deesc(session, officer, date(2026, 6, 2)).status is Status.OVERDUE
    add_record(session, officer, course, date(2026, 4, 1), 4)  # retaken: the clock resets
    renewed = _deesc(session, officer, date(2026, 6, 2))
    assert (renewed.status, renewed.deadline) == (Status.COMPLIANT, date(2031, 4, 1))


def test_rolling_without_any_anchor_says_what_is_missing(session):
    add_standard(session, "CO-ROLL", state="CO", cycle_kind="rolling", cycle_months=60)
    officer = add_officer(session, "3", state="CO", cycle_start=None, cycle_end=None)
    s = _deesc(session, officer, date(2024, 1, 1))
    assert s.status is Status.MISSING_DATA
    assert "no completed course yet" in s.missing[0]
