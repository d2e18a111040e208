"""Page classification: certificates of every layout, sign-in sheets, and pages that are neither."""

from __future__ import annotations

import pytest
from test_certificate_extraction import CASES, make_page

from extractors.classify import certificate_by_record, classify_page
from extractors.types import DocumentKind, FieldSource, PageText


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_certificate_layouts_are_certificates(case: str) -> None:
    result = classify_page(make_page(CASES[case]["rows"]))
    assert result.kind == DocumentKind.CERTIFICATE, result.why
    assert result.confidence >= 0.55
    assert "certificate" in result.why


def _sign_in(title: str | None) -> list:
    rows = [title] if title else []
    rows.append("Course: De-escalation Techniques   Date: 03/03/2026   Instructor: Mark Allen")
    rows.append([(40, "Printed Name"), (250, "Badge #"), (380, "Agency"), (520, "Signature")])
    people = [("Jane Doe", "1234"), ("John Roe", "2345"), ("Ann Park", "3456"),
              ("Ben Cho", "4567"), ("Al Diaz", "5678"), ("Kim Lee", "6789")]
    for name, badge in people:
        rows.append([(40, name), (250, badge), (380, "SPD"), (520, name.split()[0])])
    return rows


@pytest.mark.parametrize("title", ["Class Sign-In Sheet", "ATTENDANCE ROSTER", None],
                         ids=["sign-in", "roster", "no-title"])
def test_sign_in_sheets(title: str | None) -> None:
    result = classify_page(make_page(_sign_in(title)))
    assert result.kind == DocumentKind.SIGN_IN_SHEET, result.why


NOT_TRAINING = {
    "memo": ["MEMORANDUM", "TO: All Patrol Officers", "FROM: Training Division",
             "SUBJECT: De-escalation training",
             "All officers must complete TCOLE course 1849 (8 hours) by June 30, 2026.",
             "Please register with the training unit."],
    "invoice": ["INVOICE #4471", "Bill To: Springfield Police Department",
                "De-escalation Techniques course - 12 seats", "8 hours each",
                "Amount Due: $2,400.00", "Due date: 04/01/2026"],
    "employment_letter": ["Springfield Police Department", "March 3, 2026",
                          "To whom it may concern:",
                          "This letter certifies that Officer Jane Doe is employed by this",
                          "department as a patrol officer since 2019 and is in good standing.",
                          "Sincerely, Chief Dana Ruiz"],
    "announcement": ["Upcoming Training", "Crisis Intervention Course will be held on",
                     "April 14, 2026 at the Regional Academy. Please register by April 1.",
                     "Course hours: 40"],
    "appreciation": ["Certificate of Appreciation", "Presented to the Springfield Rotary Club",
                     "for its generous support of the Police Athletic League", "June 2026"],
}


@pytest.mark.parametrize("case", sorted(NOT_TRAINING), ids=sorted(NOT_TRAINING))
def test_other_documents_are_unknown(case: str) -> None:
    result = classify_page(make_page(NOT_TRAINING[case]))
    assert result.kind == DocumentKind.UNKNOWN, result.why


def test_blank_page_is_unknown() -> None:
    result = classify_page(PageText(1, 612, 792, (), FieldSource.OCR))
    assert result.kind == DocumentKind.UNKNOWN
    assert "too little text" in result.why


def test_scores_are_reported() -> None:
    result = classify_page(make_page(CASES["award_landscape"]["rows"]))
    assert result.scores["certificate"] > result.scores["sign_in_sheet"]
    assert "certify-that" in result.why


def _attested_sheet() -> list:
    """A roster whose prose reads like a certificate: completion wording above and an
    attestation under the table (the kind of sheet that was read as one certificate)."""
    rows = [("REGIONAL POLICE TRAINING CENTER - COMPLETION ROSTER", {"size": 14}),
            "This is to certify that the following personnel have successfully completed",
            "Course: Crisis Communication 2031   Hours: 4   Date: 11/14/2025",
            [(30, "No."), (60, "Member Name"), (300, "ID"), (420, "Initials")]]
    people = [("Okafor, Chidi", "7781"), ("Lindqvist, Mona", "7790"), ("Haddad, Sami", "7802"),
              ("Ferreira, Joana", "7815")]
    for i, (name, badge) in enumerate(people, 1):
        rows.append([(30, str(i)), (60, name), (300, badge), (420, "x")])
    rows.append("I hereby certify that the members listed above attended the entire class.")
    return rows


def test_a_table_of_people_makes_a_sheet_whatever_the_prose() -> None:
    """GIVEN certificate wording around a table of named people with IDs
    WHEN the page is classified
    THEN the table decides: a sign-in sheet, and the why says the wording was overruled."""
    result = classify_page(make_page(_attested_sheet()))
    assert result.kind == DocumentKind.SIGN_IN_SHEET, result.why
    assert "table-of-4-person-rows" in result.why
    assert "overruled" in result.why


def test_signature_captions_under_a_certificate_make_no_table() -> None:
    """GIVEN a certificate whose foot has 'Printed Name | Signature | Date' captions
    WHEN classified THEN it stays a certificate (captions are no rows of people)."""
    rows = ["CERTIFICATE OF COMPLETION",
            "This certifies that Dana Whitfield, ID 5512, has successfully completed",
            "Verbal Defusing for Patrol, course 3310, 6 hours, on 02/02/2026",
            [(40, "Printed Name"), (240, "Signature"), (440, "Date")],
            [(40, "Lt. Omar Reyes"), (440, "02/03/2026")]]
    result = classify_page(make_page(rows))
    assert result.kind == DocumentKind.CERTIFICATE, result.why


RECORD = {"officer_name", "training_date", "hours", "course_title"}


def test_a_page_holding_one_officers_training_is_a_certificate_by_what_it_holds() -> None:
    """GIVEN a page whose title and captions no wording list knows WHEN the reader found an
    officer, a course, the day and the hours on it THEN it is a certificate, and the why says
    structure decided; without the hours or the course it stays unknown."""
    page = make_page(["Marsh Hollow Peace Academy", "Statement of Instruction Given",
                      "Enrolled Member - Rowan Tilley", "Subject Taught - Calm Voice Methods",
                      "Day Held - 4 March 2026", "Time Logged - 6"])
    verdict = classify_page(page)
    assert verdict.kind == DocumentKind.UNKNOWN, verdict.why
    promoted = certificate_by_record(verdict, RECORD)
    assert promoted is not None and promoted.kind == DocumentKind.CERTIFICATE
    assert "structure" in promoted.why
    assert certificate_by_record(verdict, RECORD - {"hours"}) is None
    assert certificate_by_record(verdict, RECORD - {"course_title"}) is None


PLANS = {
    "request": "Training Request: the officer requests to attend the course below",
    "schedule": "The officer named below is scheduled to attend",
    "evaluation": "Course Evaluation - please rate the instructor from 1 to 5",
    "nomination": "Nomination for advanced instruction",
}


@pytest.mark.parametrize("case", sorted(PLANS), ids=sorted(PLANS))
def test_a_request_schedule_or_evaluation_holding_a_record_stays_unknown(case: str) -> None:
    """GIVEN a page that names an officer, course, day and hours for a training not done or
    judged (a request, a schedule, an evaluation) WHEN it is classified THEN it objects, and
    what it holds does not make it a certificate."""
    page = make_page(["Marsh Hollow Peace Academy", PLANS[case], "Member - Rowan Tilley",
                      "Subject - Calm Voice Methods", "Day - 4 March 2026", "Time - 6"])
    verdict = classify_page(page)
    assert verdict.kind == DocumentKind.UNKNOWN and verdict.objections, verdict.why
    assert certificate_by_record(verdict, RECORD) is None


@pytest.mark.parametrize("case", sorted(PLANS), ids=sorted(PLANS))
def test_labels_of_a_whole_record_do_not_outvote_a_request(case: str) -> None:
    """GIVEN a request, schedule or evaluation form whose captions the lexicon reads (officer,
    badge, course number, title, date, hours) WHEN it is classified THEN it stays unknown:
    labels say only that the fields are there, the wording says the training was not done;
    the same labels under completion wording are a certificate."""
    lines = ["Lakeshore Sheriff's Office", PLANS[case], "Officer Name: Rowan Tilley",
             "Badge Number: 4471", "POST Course Number: 2044-10190",
             "Course Title: Calm Voice Methods", "Training Date: 03/04/2026", "Hours: 6"]
    verdict = classify_page(make_page(lines))
    assert verdict.kind == DocumentKind.UNKNOWN and verdict.objections, verdict.why
    done = classify_page(make_page([*lines, "The officer named above completed this course."]))
    assert done.kind == DocumentKind.CERTIFICATE, done.why


def test_a_state_forms_name_and_id_boxes_are_no_short_sheet() -> None:
    """GIVEN a state form whose first section captions 'Officer Name' and 'State ID' over the
    officer's values, then boxes of the agency and the course under it WHEN classified THEN
    it is a certificate: two rows under name/ID captions make a short sheet only when each
    holds a badge number."""
    page = make_page([
        ("Certificate of Completion - Peace Officer Training", {"size": 16}),
        "I certify that the officer named below completed the course named below.",
        [(40, "OFFICER NAME"), (380, "STATE ID")],
        [(40, "Tilley, Rowan"), (380, "4471")],
        [(40, "AGENCY")],
        [(40, "Lakeshore Sheriff's Office Training Unit")],
        [(40, "COURSE TITLE"), (380, "HOURS")],
        [(40, "Calm Contact Skills"), (380, "6")],
        "Completed March 4, 2026",
    ])
    assert classify_page(page).kind == DocumentKind.CERTIFICATE


def test_two_attendees_each_with_a_badge_make_a_short_sheet() -> None:
    """GIVEN a roster of two attendees under 'Member (name) | Member Badge | Acknowledged'
    captions and a certificate's words around it WHEN classified THEN it is a sheet: its
    rows need their signatures decided."""
    page = make_page([
        ("Session Register", {"size": 16}),
        "Every member named below completed the course.",
        [(40, "No."), (80, "Member (name)"), (300, "Member Badge"), (420, "Acknowledged")],
        [(40, "1"), (80, "NGUYEN, SARA"), (300, "SO-1552")],
        [(40, "2"), (80, "Rowan Tilley"), (300, "4471")],
    ])
    assert classify_page(page).kind == DocumentKind.SIGN_IN_SHEET


def test_a_title_caption_standing_alone_over_its_value_is_no_syllabus() -> None:
    """GIVEN a record of training whose course-title caption names the syllabus and stands
    alone on its row over the course's name ('SYLLABUS TITLE', no colon) WHEN classified
    THEN the caption does not make the page a syllabus: it is a certificate. A page that
    says what it is ('Course Agenda' alone on its row) still objects."""
    lines = ["Tidewater Constabulary Academy", "Statement of Instruction Given",
             "Member Name: Rowan Tilley", "Badge Number: 4471",
             "SYLLABUS TITLE", "Verbal De-escalation Methods", "Course No.: 2044-10190",
             "Date Held: 03/04/2026", "Credit Hours: 6"]
    verdict = classify_page(make_page(lines))
    assert verdict.kind == DocumentKind.CERTIFICATE and not verdict.objections, verdict.why
    agenda = classify_page(make_page([lines[0], "Course Agenda", *lines[2:]]))
    assert "announcement" in agenda.objections, agenda.why


def test_a_sheets_headings_with_its_column_rules_read_as_bars_are_a_header() -> None:
    """GIVEN a scanned sign-in sheet whose column rules tesseract read as bars between the
    headings ('Seq |  Clock In [Clock Out |  Printed Name of Member |  ...': nineteen
    tokens, fourteen words) WHEN classified and its table read THEN the bars count as no
    words: it is a sheet, and each attendee is a row of it (read as a certificate of its
    first attendee, an unsigned row was credited)."""
    from extractors.layout import build_rows
    from extractors.signin import extract_sign_in
    from extractors.table import find_header

    head = [(20, "Seq |"), (60, "Clock In [Clock Out |"), (185, "Printed Name of Member |"),
            (320, "Member ID |"), (400, "Member Signature |"), (510, "Unit")]
    people = [("Okafor, Bea", "4471"), ("Lindqvist, Arne", "5902"), ("Mbeki, Thandi", "3318"),
              ("Reyes, Tomas", "7720"), ("Novak, Ilse", "6051")]
    rows = ["Firing Line Attendance", "Range Four  Tuesday 14 April 2026  Qualification  6 hrs",
            (head, {"size": 9, "gap": 12})]
    rows += [([(20, str(i + 1)), (60, "08:00 11:00"), (185, name), (320, badge),
               (400, name.split(",")[0]), (510, "Patrol")], {"size": 9})
             for i, (name, badge) in enumerate(people)]
    page = make_page(rows, source=FieldSource.OCR, conf=0.9)
    verdict = classify_page(page)
    assert verdict.kind == DocumentKind.SIGN_IN_SHEET, verdict.why
    assert find_header(build_rows(page)) is not None
    read = extract_sign_in(page)
    assert [r.value("badge_number") for r in read.records] == [b for _n, b in people]
