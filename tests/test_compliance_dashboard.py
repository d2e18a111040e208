"""The dashboard's data: counts by status, hours bars, due-soon / overdue lists, alerts."""

from __future__ import annotations

from datetime import date

from compliance_factory import add_course, add_officer, add_record, add_standard

from reports.dashboard import dashboard_summary
from reports.reminders import raise_reminders

AS_OF = date(2026, 11, 15)  # 46 days before the 2026-12-31 deadline


def _roster(session):
    add_standard(session, min_hours=8)
    add_standard(session, "CA-1", state="CA", min_hours=4, applies_to=("sworn", "dispatcher"))
    tx = add_course(session, "1849")
    ca = add_course(session, "CA-1", state="CA", standard="CA-1", hours=4)
    done = add_officer(session, "1", unit="Patrol")
    soon = add_officer(session, "2", unit="Patrol")
    late = add_officer(session, "3", unit="Traffic", cycle_end=date(2026, 10, 31))
    add_officer(session, "4", unit="Patrol", role="dispatcher")
    add_officer(session, "5", state="CA", unit="Traffic", role="dispatcher",
                cycle_end=date(2027, 12, 31))
    add_record(session, done, tx, date(2025, 5, 1), 8)
    add_record(session, soon, tx, date(2025, 5, 1), 5)
    add_record(session, soon, tx, date(2026, 1, 5), 2, status="needs_review")
    add_record(session, late, tx, date(2025, 5, 1), 1)
    return ca


def test_counts_lists_and_bars(session):
    _roster(session)
    summary = dashboard_summary(session, AS_OF)
    assert summary.counts == {
        "compliant": 1, "in_progress": 1, "due_soon": 1, "overdue": 1, "not_applicable": 1,
        "missing_data": 0,
    }
    assert [s.badge_number for s in summary.due_soon] == ["2"]
    assert [s.badge_number for s in summary.overdue] == ["3"]
    bar = next(b for b in summary.bars if b.badge_number == "2")
    assert (bar.credited_hours, bar.pending_hours, bar.min_hours) == (5.0, 2.0, 8.0)
    assert "4" not in {b.badge_number for b in summary.bars}  # dispatcher: not applicable
    assert (summary.units, summary.roles, summary.states) == (
        ("Patrol", "Traffic"), ("dispatcher", "sworn"), ("CA", "TX"))


def test_filters_by_unit_role_and_state(session):
    _roster(session)
    patrol = dashboard_summary(session, AS_OF, unit="Patrol")
    assert sum(patrol.counts.values()) == 3
    assert patrol.filters == {"unit": "Patrol", "role": None, "state": None}
    ca = dashboard_summary(session, AS_OF, state="CA", role="dispatcher")
    assert [b.badge_number for b in ca.bars] == ["5"]


def test_alerts_on_the_dashboard_show_whether_already_raised(session):
    _roster(session)
    before = dashboard_summary(session, AS_OF).alerts
    assert [(a.status.badge_number, a.mark, a.already_raised) for a in before] == [
        ("3", 0, False), ("2", 60, False)]
    raise_reminders(session, AS_OF)
    after = dashboard_summary(session, AS_OF).alerts
    assert all(a.already_raised for a in after)
