"""The standards file's cycle, sub-topic, scenario and online columns (README "Standards file")."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from course_catalog.importers import RowError, import_officers, import_standards
from course_catalog.models import Officer, Standard

TODAYS = """state,topic,standard,effective_from,min_hours,cycle_months,scenario_required,certified_instructor_required,applies_to
TX,de-escalation,TX-DEESC-2020,2020-01-01,4,24,false,no,sworn
"""  # noqa: E501

EXTENDED = """state,topic,standard,effective_from,min_hours,cycle_months,scenario_required,certified_instructor_required,applies_to,cycle_kind,cycle_anchor,parent_topic,scenario_min_hours,online_allowed
TX,de-escalation,TX-UNIT-2023,2023-09-01,8,24,false,no,sworn,fixed,2023-09-01,,,
CO,de-escalation,CO-2021,2021-01-01,4,60,false,no,sworn,Rolling,,,,no
MN,de-escalation,MN-2024,2024-07-01,16,36,false,no,sworn,,,,,
MN,crisis-intervention,MN-2024-CI,2024-07-01,6,36,false,no,sworn,,,De-Escalation,,
IL,de-escalation,IL-2022,2022-01-01,30,36,true,no,sworn,officer,,,12,true
"""  # noqa: E501

BAD = """state,topic,standard,effective_from,min_hours,cycle_months,scenario_required,certified_instructor_required,applies_to,cycle_kind,cycle_anchor,parent_topic,scenario_min_hours,online_allowed
TX,de-escalation,TX-A,2023-09-01,8,24,false,no,sworn,fixed,,,,
TX,firearms,TX-B,2023-09-01,8,24,false,no,sworn,weekly,,,,
TX,patrol,TX-C,2023-09-01,8,24,false,no,sworn,officer,2023-09-01,,,
TX,crisis,TX-D,2023-09-01,8,24,false,no,sworn,,,crisis,,
TX,scenes,TX-E,2023-09-01,8,24,false,no,sworn,,,,9,
TX,online,TX-F,2023-09-01,8,24,false,no,sworn,,,,,maybe
TX,ok,TX-G,2023-09-01,8,24,false,no,sworn,,,,,
"""  # noqa: E501


def test_todays_standards_file_is_still_valid(session):
    report = import_standards(session, io.StringIO(TODAYS))
    assert (report.created, report.errors) == (1, [])
    s = session.scalars(select(Standard)).one()
    assert (s.cycle_kind, s.cycle_anchor, s.parent_topic, s.online_allowed) == (
        None, None, None, None)


def test_extended_columns_load(session):
    report = import_standards(session, io.StringIO(EXTENDED))
    assert (report.created, report.errors) == (5, [])
    rows = {s.standard: s for s in session.scalars(select(Standard))}
    assert (rows["TX-UNIT-2023"].cycle_kind, rows["TX-UNIT-2023"].cycle_anchor) == (
        "fixed", date(2023, 9, 1))
    assert (rows["CO-2021"].cycle_kind, rows["CO-2021"].online_allowed) == ("rolling", False)
    assert rows["MN-2024-CI"].parent_topic == "de-escalation"
    assert (rows["IL-2022"].scenario_min_hours, rows["IL-2022"].online_allowed) == (12.0, True)


def test_inconsistent_rows_are_reported_per_row_and_good_rows_load(session):
    report = import_standards(session, io.StringIO(BAD))
    assert report.created == 1
    assert report.errors == [
        RowError(2, "cycle_anchor", "a fixed statewide cycle needs the date one window starts"),
        RowError(3, "cycle_kind", "'weekly' is not one of officer, fixed, rolling"),
        RowError(4, "cycle_anchor", "only a fixed cycle (cycle_kind fixed) has an anchor date"),
        RowError(5, "parent_topic", "a topic cannot be a sub-topic of itself"),
        RowError(6, "scenario_min_hours", "9.0 is more than min_hours 8.0"),
        RowError(7, "online_allowed", "'maybe' is not true/false (yes/no, 1/0 also accepted)"),
    ]


def test_re_import_without_the_new_columns_keeps_them(session):
    import_standards(session, io.StringIO(EXTENDED))
    report = import_standards(
        session,
        io.StringIO(TODAYS.replace("TX-DEESC-2020,2020-01-01", "TX-UNIT-2023,2023-09-01")),
    )
    assert (report.updated, report.errors) == (1, [])
    s = session.scalars(select(Standard).where(Standard.standard == "TX-UNIT-2023")).one()
    assert (s.min_hours, s.cycle_kind, s.cycle_anchor) == (4.0, "fixed", date(2023, 9, 1))


def test_roster_unit_column_is_optional(session):
    roster = "badge_number,first_name,last_name,state,role,unit\n7,Ann,Lee,TX,sworn,Patrol\n"
    assert import_officers(session, io.StringIO(roster)).errors == []
    assert session.scalars(select(Officer)).one().unit == "Patrol"
