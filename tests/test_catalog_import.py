"""CSV importers and catalog read functions, on a real SQLite database."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from course_catalog.importers import (
    ImportFileError,
    RowError,
    import_courses,
    import_instructors,
    import_officers,
    import_standards,
)
from course_catalog.models import Course, Instructor, Officer, Standard
from course_catalog.queries import (
    course_by_post_number,
    officer_by_badge,
    reference_hints,
    standard_in_force,
    standards_for,
)

D = date.fromisoformat

COURSES_HEADER = (
    "post_number,title,state,topics,hours,format,standard,approved_from,approved_until,provider"
)
COURSES = f"""{COURSES_HEADER}
1849,De-escalation Techniques,TX,De-escalation; Crisis-Intervention,8,scenario,TX-DEESC-2023,2023-09-01,2026-08-31,TCOLE Academy
0080,Crisis Intervention,wa,crisis-intervention,4.5,classroom,WA-CIT-2021,2021-01-01,,
"""  # noqa: E501

STANDARDS = """state,topic,standard,effective_from,min_hours,cycle_months,scenario_required,certified_instructor_required,applies_to
TX,de-escalation,TX-DEESC-2020,2020-01-01,4,24,false,no,sworn
TX,De-Escalation,TX-DEESC-2023,2023-09-01,8,24,TRUE,yes,sworn; Dispatcher
"""  # noqa: E501

OFFICERS = """badge_number,first_name,last_name,state,role,cycle_start,cycle_end
1001,John,Smith,TX,sworn,2023-09-01,2025-08-31
0042,Luis,De la Cruz,tx,Dispatcher,,
"""

INSTRUCTORS = """name,certification_number,topics,certified_from,certified_until
Dana Reyes,TXI-100,de-escalation,2022-01-01,2024-12-31
Tom Kim,TXI-200,firearms;de-escalation,2019-01-01,
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


# --- happy paths ---------------------------------------------------------------------------


def test_import_courses_from_a_path(session, tmp_path):
    report = import_courses(session, write(tmp_path, "courses.csv", COURSES))
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    c = session.scalars(select(Course).where(Course.post_number == "0080")).one()
    assert c.state == "WA" and c.hours == 4.5 and c.approved_until is None and c.provider is None
    tx = session.scalars(select(Course).where(Course.post_number == "1849")).one()
    assert tx.topics == ["de-escalation", "crisis-intervention"]
    assert tx.approved_until == D("2026-08-31") and tx.provider == "TCOLE Academy"
    assert report.format_lines()[0] == (
        "courses: 2 created, 0 updated, 0 unchanged, 0 rows rejected"
    )


def test_import_standards_officers_instructors_from_streams(session):
    assert import_standards(session, io.StringIO(STANDARDS)).created == 2
    assert import_officers(session, io.StringIO(OFFICERS)).created == 2
    assert import_instructors(session, io.BytesIO(INSTRUCTORS.encode())).created == 2
    s2023 = session.scalars(select(Standard).where(Standard.standard == "TX-DEESC-2023")).one()
    assert s2023.topic == "de-escalation" and s2023.scenario_required is True
    assert s2023.certified_instructor_required is True
    assert s2023.applies_to == ["sworn", "dispatcher"] and s2023.cycle_months == 24
    luis = session.scalars(select(Officer).where(Officer.badge_number == "0042")).one()
    assert luis.state == "TX" and luis.role == "dispatcher" and luis.cycle_start is None
    kim = session.scalars(select(Instructor).where(Instructor.name == "Tom Kim")).one()
    assert kim.topics == ["firearms", "de-escalation"] and kim.certified_until is None


def test_bom_and_crlf_and_free_column_order(session, tmp_path):
    text = "\ufeffTitle,POST_NUMBER,state,topics,hours,format,standard,approved_until,approved_from,notes\r\n"  # noqa: E501
    text += "De-escalation,1849,TX,de-escalation,8,hybrid,S,,2023-01-01,ignored\r\n"
    report = import_courses(session, write(tmp_path, "c.csv", text))
    assert report.errors == [] and report.created == 1
    assert course_by_post_number(session, "1849").format == "hybrid"


# --- row errors ----------------------------------------------------------------------------


def test_bad_rows_are_reported_by_row_and_column_and_good_rows_load(session, tmp_path):
    text = f"""{COURSES_HEADER}
1849,De-escalation Techniques,TX,de-escalation,8,scenario,S,2023-09-01,,
2001,Bad Date,TX,de-escalation,8,scenario,S,2023-13-01,,
2002,Bad Hours,TX,de-escalation,eight,scenario,S,2023-01-01,,
2003,Bad Format,TX,de-escalation,8,lecture,S,2023-01-01,,
2004,Bad State,Texas,de-escalation,8,online,S,2023-01-01,,
2005,,TX,de-escalation,8,online,S,2023-01-01,,
2006,Window,TX,de-escalation,8,online,S,2023-01-01,2022-12-31,
2007,No Topics,TX, ; ,8,online,S,2023-01-01,,
2008,Shifted, row,TX,de-escalation,8,online,S,2023-01-01,,
0080,Crisis,WA,crisis-intervention,4,classroom,S,2021-01-01,,
"""
    report = import_courses(session, write(tmp_path, "c.csv", text))
    assert report.created == 2
    assert {c.post_number for c in session.scalars(select(Course))} == {"1849", "0080"}
    got = {(e.row, e.column) for e in report.errors}
    assert got == {
        (3, "approved_from"),
        (4, "hours"),
        (5, "format"),
        (6, "state"),
        (7, "title"),
        (8, "approved_until"),
        (9, "topics"),
        (10, None),
    }
    by_row = {e.row: e.reason for e in report.errors}
    assert "2023-13-01" in by_row[3] and "ISO date" in by_row[3]
    assert "lecture" in by_row[5] and "classroom" in by_row[5]
    assert "11 values" in by_row[10]
    lines = report.format_lines()
    assert lines[0] == "courses: 2 created, 0 updated, 0 unchanged, 8 rows rejected"
    assert "  row 4, column hours: 'eight' is not a decimal number" in lines


def test_bad_booleans_roles_and_numbers_in_standards(session):
    text = """state,topic,standard,effective_from,min_hours,cycle_months,scenario_required,certified_instructor_required,applies_to
TX,de-escalation,A,2020-01-01,4,24,maybe,false,sworn
TX,de-escalation,B,2021-01-01,4,two,false,false,sworn
TX,de-escalation,C,2022-01-01,-1,24,false,false,sworn
TX,de-escalation,D,2023-01-01,4,24,false,false,sworn;janitor
TX,de-escalation,E,2024-01-01,4,24,0,1,civilian
"""  # noqa: E501
    report = import_standards(session, io.StringIO(text))
    assert {(e.row, e.column) for e in report.errors} == {
        (2, "scenario_required"),
        (3, "cycle_months"),
        (4, "min_hours"),
        (5, "applies_to"),
    }
    assert report.created == 1
    e = session.scalars(select(Standard)).one()
    assert (e.standard, e.scenario_required, e.certified_instructor_required) == ("E", False, True)


def test_duplicate_keys_in_one_file_reject_every_copy(session):
    text = f"""{COURSES_HEADER}
1849,De-escalation Techniques,TX,de-escalation,8,scenario,S,2023-09-01,,
1849,De-escalation (old),TX,de-escalation,4,classroom,S,2020-01-01,,
TC1882,Verbal,GA,de-escalation,4,classroom,S,2020-01-01,,
tc 1882,Verbal,GA,de-escalation,4,classroom,S,2020-01-01,,
"""
    report = import_courses(session, io.StringIO(text))
    assert report.created == 0 and count(session, Course) == 0
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "post_number"), (3, "post_number"), (4, "post_number"), (5, "post_number"),
    ]  # fmt: skip
    assert "rows 2, 3" in report.errors[0].reason


def test_two_standards_taking_effect_the_same_day_are_refused(session):
    header = STANDARDS.splitlines()[0]
    import_standards(session, io.StringIO(STANDARDS))
    clash = f"{header}\nTX,de-escalation,TX-DEESC-2023b,2023-09-01,8,24,true,true,sworn\n"
    report = import_standards(session, io.StringIO(clash))
    assert report.created == 0
    assert [(e.row, e.column) for e in report.errors] == [(2, "effective_from")]
    assert "TX-DEESC-2023" in report.errors[0].reason


def test_a_post_number_spelled_differently_from_an_existing_one_is_refused(session):
    import_courses(
        session, io.StringIO(f"{COURSES_HEADER}\nTC1882,A,GA,x,4,online,S,2020-01-01,,\n")
    )
    report = import_courses(
        session, io.StringIO(f"{COURSES_HEADER}\ntc 1882,B,GA,x,4,online,S,2020-01-01,,\n")
    )
    assert report.created == 0 and report.errors[0].column == "post_number"
    assert count(session, Course) == 1  # "tc 1882" is other text, but not another course


# --- file-level errors ---------------------------------------------------------------------


def test_missing_required_column_loads_nothing_and_names_it(session):
    text = "post_number,title,state,topics,hours,format,standard,approved_from\n"
    text += "1849,De-escalation,TX,de-escalation,8,scenario,S,2023-09-01\n"
    report = import_courses(session, io.StringIO(text))
    assert report.file_rejected and count(session, Course) == 0
    assert report.errors == [
        RowError(1, "approved_until", "required column is missing; nothing was loaded")
    ]
    assert report.format_lines()[0] == "courses: file rejected, nothing loaded"


def test_not_utf8_is_a_file_error(session, tmp_path):
    path = write(tmp_path, "c.csv", COURSES.replace("Techniques", "Técnicas"), "latin-1")
    report = import_courses(session, path)
    assert report.file_rejected and report.errors[0].row == 2
    assert "UTF-8" in report.errors[0].reason and count(session, Course) == 0


def test_empty_file_and_missing_file(session, tmp_path):
    assert import_officers(session, io.StringIO("")).file_rejected
    with pytest.raises(ImportFileError):
        import_officers(session, tmp_path / "nope.csv")


def test_broken_quoting_is_a_file_error(session):
    text = 'badge_number,first_name,last_name,state,role\n1001,"John"x,Smith,TX,sworn\n'
    report = import_officers(session, io.StringIO(text))
    assert report.file_rejected and report.errors[0].row == 2


def test_quoted_multiline_cell_keeps_line_numbers(session):
    text = f'{COURSES_HEADER}\n1849,"De-escalation\nTechniques",TX,x,8,online,S,2023-01-01,,\n'
    text += "1850,Crisis,TX,x,nine,online,S,2023-01-01,,\n"
    report = import_courses(session, io.StringIO(text))
    assert report.created == 1 and [(e.row, e.column) for e in report.errors] == [(4, "hours")]


# --- upsert --------------------------------------------------------------------------------


def test_upsert_updates_changed_rows_and_counts_unchanged(session):
    import_courses(session, io.StringIO(COURSES))
    changed = COURSES.replace("2026-08-31", "2025-12-31")
    report = import_courses(session, io.StringIO(changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert course_by_post_number(session, "1849").approved_until == D("2025-12-31")
    assert count(session, Course) == 2


def test_upsert_leaves_optional_columns_the_file_does_not_have(session):
    import_courses(session, io.StringIO(COURSES))
    no_provider = "\n".join(line.rsplit(",", 1)[0] for line in COURSES.splitlines())
    report = import_courses(session, io.StringIO(no_provider))
    assert report.unchanged == 2 and report.errors == []
    assert course_by_post_number(session, "1849").provider == "TCOLE Academy"


def test_officers_upsert_on_badge(session):
    import_officers(session, io.StringIO(OFFICERS))
    moved = OFFICERS.replace("1001,John,Smith,TX", "1001,John,Smith-Jones,TX")
    report = import_officers(session, io.StringIO(moved))
    assert (report.updated, report.unchanged) == (1, 1)
    assert officer_by_badge(session, "#1001").last_name == "Smith-Jones"
    assert officer_by_badge(session, "42") is None  # leading zeros matter
    assert officer_by_badge(session, "No. 0042").first_name == "Luis"


# --- queries -------------------------------------------------------------------------------


def test_standard_in_force_around_the_effective_date(session):
    import_standards(session, io.StringIO(STANDARDS))
    assert standard_in_force(session, "tx", "De-escalation", D("2019-12-31")) is None
    assert standard_in_force(session, "TX", "de-escalation", D("2023-08-31")).standard == (
        "TX-DEESC-2020"
    )
    assert standard_in_force(session, "TX", "de-escalation", D("2023-09-01")).standard == (
        "TX-DEESC-2023"
    )
    assert [s.standard for s in standards_for(session, "TX", "de-escalation")] == [
        "TX-DEESC-2020",
        "TX-DEESC-2023",
    ]
    assert standards_for(session, "CA", "de-escalation") == []


def test_course_lookup_and_reference_hints(session):
    import_courses(session, io.StringIO(COURSES))
    import_officers(session, io.StringIO(OFFICERS))
    import_instructors(session, io.StringIO(INSTRUCTORS))
    assert course_by_post_number(session, " 0080 ").title == "Crisis Intervention"
    assert course_by_post_number(session, "80") is None
    hints = reference_hints(session)
    assert hints.officer_names == ("John Smith", "Luis De la Cruz")
    assert hints.badge_numbers == ("0042", "1001")
    assert hints.instructor_names == ("Dana Reyes", "Tom Kim")
    assert hints.post_numbers == ("0080", "1849")
    assert "De-escalation Techniques" in hints.course_titles
