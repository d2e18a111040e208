"""Certificate extraction on page fixtures of many layouts and wordings, and end to end.

Each case is a page (rows of text with synthetic boxes, see ``make_page``) with the
expected values stored beside it. Fields listed under ``absent`` must not be extracted: they
guard against distractors (serial numbers, provider numbers, issue dates, signature captions,
the agency name).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.certificate import extract_certificate
from extractors.classify import classify_page
from extractors.types import BBox, DocumentKind, FieldSource, PageText, ReferenceHints, Word

D = dt.date

# ------------------------------------------------------------------ page fixtures from text
# A row is a string (centred on the page), or a list of ``(x, text)`` chunks (a grid or a
# form row). Options per row: ``size`` (points), ``gap`` (space above, points), ``conf``
# (word confidence for OCR-like pages). Words get boxes from a fixed advance of
# ``0.5 * size`` per character, close enough to a proportional font for the layout rules.

RowSpec = str | list[tuple[float, str]] | tuple[Any, dict[str, Any]]


def make_page(rows: list[RowSpec], *, width: float = 792, height: float = 612,
              source: FieldSource = FieldSource.TEXT_LAYER, conf: float | None = None,
              page_number: int = 1) -> PageText:
    """A page whose rows are laid out top to bottom from y=48."""
    words: list[Word] = []
    y = 48.0
    for line_id, spec in enumerate(rows):
        content, opts = spec if isinstance(spec, tuple) else (spec, {})
        size = opts.get("size", 12.0)
        y += opts.get("gap", 0.0)
        chunks = content if isinstance(content, list) else [(None, content)]
        row_conf = opts.get("conf", conf)
        for x, text in chunks:
            x0 = (width - _advance(text, size)) / 2 if x is None else x
            words += _words(text, x0, y, size, row_conf, line_id)
        y += size * 1.9
    return PageText(page_number, width, height, tuple(words), source,
                    mean_confidence=conf)


def _advance(text: str, size: float) -> float:
    return len(text) * 0.5 * size


def _words(text: str, x: float, y: float, size: float, conf: float | None,
           line_id: int) -> list[Word]:
    out = []
    for token in text.split(" "):
        if token:
            w = _advance(token, size)
            out.append(Word(token, BBox(x, y, x + w, y + size), conf, line_id))
        x += _advance(token + " ", size)
    return out



CASES: dict[str, dict[str, Any]] = {
    "award_landscape": {
        "rows": [
            ("SPRINGFIELD POLICE DEPARTMENT", {"size": 16}),
            ("Certificate of Completion", {"size": 28, "gap": 10}),
            ("This certifies that", {"gap": 10}),
            ("JANE Q. DOE", {"size": 24}),
            "Badge #1234",
            "has successfully completed",
            ("De-escalation Techniques", {"size": 20}),
            "TCOLE Course #1849 - 8.0 hrs",
            "on the 3rd day of March, 2026",
            "Held at Springfield Regional Training Center",
            ([(100, "Sgt. Mark Allen"), (520, "Dana Ruiz")], {"gap": 30}),
            [(100, "Lead Instructor"), (520, "Training Coordinator")],
            [(60, "Certificate No. 2026-000123"), (520, "Issued 03/05/2026")],
        ],
        "expected": {
            "officer_name": "Jane Q. Doe", "badge_number": "1234", "post_number": "1849",
            "course_title": "De-escalation Techniques", "hours": 8.0,
            "training_date": D(2026, 3, 3), "instructor_name": "Mark Allen",
            "location": "Springfield Regional Training Center",
        },
        "absent": ["training_format"],
    },
    "letter_prose": {
        "rows": [
            [(72, "Riverside County Sheriff's Office")],
            [(72, "1200 Main Street, Riverside, CA 92501 Phone: (951) 555-0142")],
            ([(72, "March 10, 2026")], {"gap": 20}),
            ([(72, "To Whom It May Concern:")], {"gap": 10}),
            ([(72, "This letter confirms that Officer Maria de la Cruz (POST ID 55-1234)")],
             {"gap": 10}),
            [(72, "completed Crisis Communication and De-escalation (POST Course No.")],
            [(72, "2540-20182-20-003, Eight (8) hours) on 3 March 2026 at the Riverside")],
            [(72, "Public Safety Academy. The course was delivered in a classroom setting.")],
            ([(72, "Instructor: Dr. Alan O'Neil")], {"gap": 10}),
            ([(72, "Sincerely,")], {"gap": 20}),
            [(72, "Lt. Kim Baxter, Training Manager")],
            [(72, "Printed on 03/10/2026")],
        ],
        "expected": {
            "officer_name": "Maria de la Cruz", "badge_number": "55-1234",
            "post_number": "2540-20182-20-003", "hours": 8.0, "training_date": D(2026, 3, 3),
            "instructor_name": "Alan O'Neil", "training_format": "classroom",
            "course_title": "Crisis Communication and De-escalation",
        },
        "absent": [],
    },
    "vendor_grid": {
        "rows": [
            [(40, "PoliceTrain Online"), (560, "Certificate ID: AB-99812")],
            ("Course Completion Certificate", {"size": 20, "gap": 10}),
            ([(40, "Learner: DOE, JANE Q."), (420, "Employee #: 00417")], {"gap": 10}),
            [(40, "Course: 1849 - De-escalation for Patrol")],
            [(40, "Date Completed: 2026-03-03"), (300, "Credit Hours: 6.0"),
             (520, "Contact Hours: 8.0")],
            [(40, "Delivery: Online (self-paced)"), (420, "Provider #: 44321")],
            [(40, "Issued: 03/05/2026"), (420, "Phone: 800-555-0199")],
        ],
        "expected": {
            "officer_name": "Jane Q. Doe", "badge_number": "00417", "post_number": "1849",
            "course_title": "De-escalation for Patrol", "training_date": D(2026, 3, 3),
            "hours": 6.0, "training_format": "online",
        },
        "absent": ["instructor_name", "location"],
    },
    "state_form_label_above": {
        "rows": [
            ("FLORIDA CRIMINAL JUSTICE STANDARDS AND TRAINING", {"size": 14}),
            ("Training Completion Form", {"size": 16}),
            ([(40, "Officer Name"), (300, "Badge / ID"), (480, "Date of Training")],
             {"size": 8, "gap": 10}),
            [(40, "SMITH-JONES, ROBERT"), (300, "B-7731"), (480, "03/02/2026 - 03/03/2026")],
            ([(40, "Course Title"), (480, "POST Control No.")], {"size": 8}),
            [(40, "Tactical Communication"), (480, "CJK 0297")],
            ([(40, "Hours"), (200, "Location"), (480, "Instructor")], {"size": 8}),
            [(40, "16"), (200, "Orlando, FL"), (480, "Lt. Karen Wu")],
            ([(40, "Format"), (480, "Date Issued")], {"size": 8}),
            [(40, "Scenario-based"), (480, "03/12/2026")],
        ],
        "expected": {
            "officer_name": "Robert Smith-Jones", "badge_number": "B-7731",
            "training_date": D(2026, 3, 3), "course_title": "Tactical Communication",
            "post_number": "CJK 0297", "hours": 16.0, "location": "Orlando, FL",
            "instructor_name": "Karen Wu", "training_format": "scenario",
        },
        "absent": [],
    },
    "table_row": {
        "rows": [
            ("Training Record - Certificate of Attendance", {"size": 16}),
            ([(30, "Name"), (190, "ID"), (260, "Course"), (480, "Course #"), (560, "Date"),
              (660, "Hours")], {"gap": 20}),
            [(30, "Patrick O'Brien Jr."), (190, "88120"), (260, "Verbal De-escalation"),
             (480, "0080"), (560, "3/3/26"), (660, "4.0")],
            ([(30, "Provider # 7781   Roster #: 2026-17")], {"gap": 30}),
        ],
        "expected": {
            "officer_name": "Patrick O'Brien Jr.", "badge_number": "88120",
            "course_title": "Verbal De-escalation", "post_number": "0080",
            "training_date": D(2026, 3, 3), "hours": 4.0,
        },
        "absent": ["instructor_name"],
    },
    "award_presented": {
        "rows": [
            ("Georgia Public Safety Training Center", {"size": 14}),
            ("CERTIFICATE OF TRAINING", {"size": 26}),
            "Presented to",
            ("Andre L. Washington III", {"size": 22}),
            "for the successful completion of",
            ("ICAT: Integrating Communications, Assessment, and Tactics", {"size": 16}),
            "GPSTC Course # TC1882",
            "Course Date(s): March 2-3, 2026",
            "Sixteen (16) Contact Hours",
            "Instructors: Sam Lee, Ann Park",
            "Location: Forsyth, GA",
            ([(80, "Instructor Signature"), (520, "Director")], {"gap": 30}),
        ],
        "expected": {
            "officer_name": "Andre L. Washington III", "post_number": "TC1882",
            "course_title": "ICAT: Integrating Communications, Assessment, and Tactics",
            "training_date": D(2026, 3, 3), "hours": 16.0, "instructor_name": "Sam Lee",
            "location": "Forsyth, GA",
        },
        "absent": ["badge_number"],
    },
    "distractor_dates_ids": {
        "rows": [
            ("Metro Police Academy", {"size": 14}),
            ("Certificate", {"size": 26}),
            "This is to certify that",
            ("Officer Lee Ann Park", {"size": 20}),
            "PID 2233445",
            "has satisfactorily completed the course",
            ("Mental Health Crisis Response", {"size": 18}),
            "TCOLE Course No. 3843  Credit Hours: 4",
            "Completed on 02/14/2026",
            ([(60, "Certificate Serial 0000981"), (300, "Provider No. 1234"),
              (520, "Printed on 02/20/2026")], {"gap": 20}),
            [(60, "Phone 512-555-0100"), (520, "Expires 02/14/2028")],
        ],
        "expected": {
            "officer_name": "Lee Ann Park", "badge_number": "2233445", "post_number": "3843",
            "course_title": "Mental Health Crisis Response", "hours": 4.0,
            "training_date": D(2026, 2, 14),
        },
        "absent": ["instructor_name", "location"],
    },
    "national_curriculum_online": {
        "rows": [
            ("PERF / ICAT Online Learning", {"size": 14}),
            ("Certificate of Completion", {"size": 24}),
            "Awarded to",
            ("DESHAWN MCALLISTER", {"size": 20}),
            "Officer ID: 77-0042",
            "for completing",
            ("ICAT Train-the-Trainer (PER-922)", {"size": 16}),
            "Completed: May 14th, 2026",
            "Duration: 90 minutes",
            "Delivery Method: Web-based",
        ],
        "expected": {
            "officer_name": "Deshawn McAllister", "badge_number": "77-0042",
            "post_number": "PER-922", "course_title": "ICAT Train-the-Trainer",
            "training_date": D(2026, 5, 14), "hours": 1.5, "training_format": "online",
        },
        "absent": ["instructor_name"],
    },
    # A form of numbered boxes: each caption carries its box's number ("7. HOURS") and the
    # next box's number must not become the value of the caption before it.
    "numbered_boxes": {
        "rows": [
            ("STATE ACADEMY - IN-SERVICE COMPLETION", {"size": 15}),
            ([(40, "1. MEMBER NAME"), (430, "2. EMPLOYEE NO.")], {"size": 6, "gap": 8}),
            [(40, "OKONKWO, ADA M."), (430, "40915")],
            ([(40, "3. TITLE OF COURSE"), (500, "4. COURSE NO.")], {"size": 6}),
            [(40, "Verbal Defusing Skills"), (500, "3318")],
            ([(40, "5. COMPLETION DATE"), (260, "6. CONTACT HOURS"), (420, "7. PRESENTER")],
             {"size": 6}),
            [(40, "2025-09-30"), (260, "6"), (420, "Ofc. Lena Varga")],
            "I certify that the member named above attended and completed this course.",
        ],
        "expected": {
            "officer_name": "Ada M. Okonkwo", "badge_number": "40915",
            "course_title": "Verbal Defusing Skills", "post_number": "3318",
            "training_date": D(2025, 9, 30), "hours": 6.0, "instructor_name": "Lena Varga",
        },
        "absent": ["location"],
    },
    # Numbered boxes whose captions the vocabulary does not all know: an unknown caption
    # ("6. ROOM") still ends the box before it, a board's acronym before a label
    # ("4. NV COURSE NUMBER") is no value, and OCR's comma for a box's dot ("7, HOURS").
    "numbered_boxes_other_words": {
        "rows": [
            ("COUNTY SHERIFF - TRAINING RECORD", {"size": 15}),
            ([(40, "1. DEPUTY NAME"), (430, "2. SHIELD NO.")], {"size": 6, "gap": 8}),
            [(40, "Marisol Quintero"), (430, "S-2208")],
            ([(40, "3. TITLE OF COURSE"), (500, "4. NV COURSE NUMBER")], {"size": 6}),
            [(40, "Calming Volatile Encounters"), (500, "NV-LE-2207")],
            ([(40, "5. COMPLETION DATE"), (260, "6. ROOM"), (420, "7, HOURS")],
             {"size": 6}),
            [(40, "March 3, 2026"), (260, "B-14"), (420, "3.5")],
            "I certify that the deputy named above completed this course.",
        ],
        "expected": {
            "officer_name": "Marisol Quintero", "badge_number": "S-2208",
            "course_title": "Calming Volatile Encounters", "post_number": "NV-LE-2207",
            "training_date": D(2026, 3, 3), "hours": 3.5,
        },
        "absent": [],
    },
    # Box captions that leave out their number sign ("OFFICER LICENSE" over "L-20931",
    # "COURSE CONTROL" over the course's number): the caption still names its field.
    "captions_without_number_signs": {
        "rows": [
            ("REGIONAL TRAINING AUTHORITY - RECORD OF ATTENDANCE", {"size": 14}),
            ([(40, "PARTICIPANT NAME"), (430, "OFFICER LICENSE")], {"size": 6, "gap": 8}),
            [(40, "Ingrid Solberg"), (430, "L-20931")],
            ([(40, "COURSE TITLE"), (500, "COURSE CONTROL")], {"size": 6}),
            [(40, "Calm Voices in Crisis Calls"), (500, "RT-4410")],
            ([(40, "DATE OF TRAINING"), (300, "HOURS")], {"size": 6}),
            [(40, "11/02/2025"), (300, "5")],
            "I certify that the participant named above attended this course.",
        ],
        "expected": {
            "officer_name": "Ingrid Solberg", "badge_number": "L-20931",
            "course_title": "Calm Voices in Crisis Calls", "post_number": "RT-4410",
            "training_date": D(2025, 11, 2), "hours": 5.0,
        },
        "absent": [],
    },
    "checkbox_form": {
        "rows": [
            ("REPORT OF TRAINING", {"size": 16}),
            ([(40, "NAME (LAST, FIRST, MI)"), (400, "POST CERT #")], {"size": 7, "gap": 10}),
            [(40, "Fitzgerald IV, Patricia"), (400, "B231")],
            ([(40, "TITLE")], {"size": 7}),
            [(40, "Crisis Intervention Team (CIT) Training")],
            ([(40, "COURSE ID"), (250, "COMPLETED ON"), (450, "CONTACT HOURS")], {"size": 7}),
            [(40, "2540-20182-20-003"), (250, "Oct 1, 2025"), (450, "40.0")],
            "Format: [_] Classroom [X] Online [_] Scenario-Based [_] Hybrid",
            "I certify that the individual named above attended and successfully completed "
            "the course described in Section B.",
            [(40, "Ngozi Ortega-Ruiz  Date signed: 5 October 2025")],
            [(40, "Training Manager")],
        ],
        "expected": {
            "officer_name": "Patricia Fitzgerald IV", "badge_number": "B231",
            "course_title": "Crisis Intervention Team (CIT) Training",
            "post_number": "2540-20182-20-003", "training_date": D(2025, 10, 1), "hours": 40.0,
            "training_format": "online",
        },
        "absent": ["instructor_name", "location"],
    },
    # The date of a signature block is the day the paper was signed, not the training's.
    "signature_line_date_after_the_signer": {
        "rows": [
            ("Harbor Point Police Academy", {"size": 18}),
            "Record of In-Service Training",
            [(60, "Name: Tomasz Wierzbicki"), (430, "ID: 7702")],
            [(60, "Course: Communicating Under Stress"), (430, "Course #: 5518")],
            [(60, "Hours: 6")],
            ("", {"gap": 40}),
            [(60, "Signed: L. Okafor"), (430, "11/20/2025")],
        ],
        "expected": {"officer_name": "Tomasz Wierzbicki", "badge_number": "7702",
                     "post_number": "5518", "hours": 6.0},
        "absent": ["training_date"],
    },
    "signature_captions_under_the_lines": {
        "rows": [
            ("Harbor Point Police Academy", {"size": 18}),
            "Record of In-Service Training",
            [(60, "Name: Tomasz Wierzbicki"), (430, "ID: 7702")],
            [(60, "Course: Communicating Under Stress"), (430, "Course #: 5518")],
            [(60, "Training date: 11/14/2025"), (430, "Hours: 6")],
            ("", {"gap": 40}),
            [(60, "L. Okafor"), (430, "11/20/2025")],
            ([(60, "Signature"), (430, "Date")], {"size": 8}),
        ],
        "expected": {"training_date": D(2025, 11, 14), "hours": 6.0},
        "absent": [],
    },
    "signature_then_date_labels_on_one_line": {
        "rows": [
            ("Harbor Point Police Academy", {"size": 18}),
            "Certificate of Completion",
            [(60, "Name: Tomasz Wierzbicki"), (430, "ID: 7702")],
            [(60, "Course: Communicating Under Stress"), (430, "Hours: 6")],
            ("", {"gap": 40}),
            [(60, "Signature: ____________"), (430, "Date: 11/20/2025")],
        ],
        "expected": {"officer_name": "Tomasz Wierzbicki", "hours": 6.0},
        "absent": ["training_date"],
    },
    "one_sentence_award": {
        "rows": ["Awarded to JANE DOE on March 3, 2026 for completion of 8 hours of "
                 "De-escalation Techniques at the Lakeside Training Center."],
        "expected": {
            "officer_name": "Jane Doe", "training_date": D(2026, 3, 3), "hours": 8.0,
            "course_title": "De-escalation Techniques", "location": "Lakeside Training Center",
        },
        "absent": ["training_format", "badge_number"],
    },
}


def _assert_fields(record, expected: dict[str, Any], absent: list[str]) -> None:
    got = {name: f.value for name, f in record.fields.items()}
    for name, value in expected.items():
        assert got.get(name) == value, f"{name}: expected {value!r}, got {got.get(name)!r}"
    for name in absent:
        assert name not in record.fields, f"{name} should be absent, got {got.get(name)!r}"


@pytest.mark.parametrize("case", sorted(CASES), ids=sorted(CASES))
def test_extracts_certificate_fields(case: str) -> None:
    spec = CASES[case]
    record = extract_certificate(make_page(spec["rows"]))
    assert record.kind == DocumentKind.CERTIFICATE
    _assert_fields(record, spec["expected"], spec["absent"])
    for f in record.fields.values():
        assert f.page_number == 1 and f.bbox is not None
        assert f.confidence is not None and 0.0 < f.confidence <= 1.0
        assert f.source == FieldSource.TEXT_LAYER
    assert "signed" not in record.fields


def test_labelled_value_is_surer_than_prose_guess() -> None:
    """GIVEN a date behind a label, and one in bare prose WHEN extracted THEN the first is surer."""
    labelled = extract_certificate(make_page(["Certificate of Completion", "Jane Doe",
                                              "Training Date: 03/03/2026"]))
    prose = extract_certificate(make_page(["Certificate of Completion", "Jane Doe",
                                           "Something happened 03/03/2026"]))
    assert labelled.confidence("training_date") > prose.confidence("training_date")


def test_a_bare_date_alone_on_the_page_is_the_training_date() -> None:
    """GIVEN an award certificate printing its date alone under the course
    WHEN it is the only date on the page THEN it is read as surely as a prose date;
    beside another date (an issue date) it stays a weak guess."""
    rows = ["Certificate of Completion", "Presented to", "Jane Doe", "has completed",
            "De-escalation Techniques", "10/31/2025"]
    sole = extract_certificate(make_page(rows))
    assert sole.value("training_date") == dt.date(2025, 10, 31)
    assert sole.confidence("training_date") >= 0.7
    two = extract_certificate(make_page([*rows, "Certificate No. 1234", "11/02/2025"]))
    assert two.confidence("training_date") < 0.6


def test_the_course_number_the_catalog_knows_beats_a_vendor_code() -> None:
    """GIVEN a vendor printout with its own "Catalog #" above the state's "Course #"
    WHEN the catalog's numbers are given as hints THEN the catalog's number is the one read;
    without hints, or when neither is known, nothing is thrown away."""
    rows = ["Certificate of Completion", "Participant Doe, Jane", "Badge # 3588",
            "Catalog # CE-24947", "Course # PER-922", "Credit Hours 16.00"]
    hinted = extract_certificate(make_page(rows), ReferenceHints(post_numbers=("PER-922",)))
    assert hinted.value("post_number") == "PER-922"
    unknown = extract_certificate(make_page(rows), ReferenceHints(post_numbers=("1849",)))
    assert unknown.value("post_number") in ("CE-24947", "PER-922")


def test_state_course_no_label_above_its_value() -> None:
    page = make_page(["Continuing Education Completion Record",
                      [(46, "STATE COURSE NO."), (204, "COMPLETION DATE"), (442, "HOURS")],
                      [(49, "2210"), (208, "10/6/2025"), (445, "2.0")]])
    record = extract_certificate(page)
    assert record.value("post_number") == "2210"
    assert record.value("hours") == 2.0


def test_a_date_label_naming_what_it_is_the_date_of() -> None:
    """``Date of Roster:``: the word after "of" is an id caption elsewhere ("Roster #"),
    here it only says which date; the date after the colon is the training date."""
    rows = ["Record of Instruction", "Awarded to Sgt. Teodor Vasquez",
            "for completing Verbal Judo Foundations", "Badge: 4471",
            "Date of Roster: Tuesday, February 10, 2026", "Hours: 3"]
    assert extract_certificate(make_page(rows)).value("training_date") == D(2026, 2, 10)


@pytest.mark.parametrize("caption", ["Badge / 1D:", "Badge lD:", "Badge N0.", "Badge / 10 No."])
def test_an_id_word_read_with_a_digit_for_its_letter_still_labels(caption: str) -> None:
    rows = ["Record of Instruction", "Awarded to Sgt. Teodor Vasquez",
            "for completing Verbal Judo Foundations", f"{caption} 4471",
            "Hours: 3", "Completed: 2026-02-11"]
    assert extract_certificate(make_page(rows)).value("badge_number") == "4471"


def test_hours_whose_unit_wraps_onto_a_row_a_speck_stretched() -> None:
    """``... time: 6.5`` / ``hours.``: the tail row's box was stretched by a speck under
    it to half again the text's size; it still ends the sentence."""
    rows = ["This letter certifies that Officer Hana Kovac (Badge No. 7731)",
            "completed the course Calm Approaches (Course No. 5521) on 3 May 2026.",
            [(72, "The session was led by Sgt. Ivo Marsh. Total time in class: 6.5")],
            ([(72, "hours.")], {"size": 18.0, "gap": -3.0})]
    assert extract_certificate(make_page(rows)).value("hours") == 6.5


@pytest.mark.parametrize("line", [
    "Ravenna Academy (MTC Course No. OR-DT-0412) on 3 May 2026.",
    "the course Calm Approaches Course No. OR-DT-0412 on 3 May 2026.",
])
def test_a_course_number_in_a_letter_s_brackets_with_a_board_acronym(line: str) -> None:
    """A letter names the course number in brackets after the board's acronym, and the
    number has two letter groups before its digits."""
    rows = ["To the Training Unit:", "This letter certifies that Officer Hana Kovac (Badge",
            "No. 7731) completed the course Calm Approaches at the", line]
    assert extract_certificate(make_page(rows)).value("post_number") == "OR-DT-0412"


@pytest.mark.parametrize("title", ["CIT Training", "Advanced Training", "Patrol Training"])
def test_a_label_after_a_value_ending_in_a_label_word(title: str) -> None:
    """GIVEN "Course Name: CIT Training Course Number: C)K0297" on one line (the value's last
    word and the next label's first word make "Training Course")
    WHEN extracted THEN both labels are read: the title and the number (J read as ')')."""
    line = f"Course Name: {title} Course Number: C)K0297"
    record = extract_certificate(make_page([line, "Training Date: Jan 20, 2021"]))
    assert record.value("course_title") == title
    assert record.value("post_number") == "CJK0297"


def test_credit_hours_preferred_and_noted() -> None:
    record = extract_certificate(make_page(["8 Contact Hours (6.0 Credit Hours)"]))
    f = record.fields["hours"]
    assert f.value == 6.0
    assert "contact" in f.raw_text.lower()


def test_impossible_date_keeps_raw_text() -> None:
    record = extract_certificate(make_page(["Date of Training: 02/30/2026"]))
    f = record.fields["training_date"]
    assert f.value is None and f.raw_text == "02/30/2026"
    assert f.confidence < 0.5


def test_ocr_confidence_lowers_field_confidence() -> None:
    rows = CASES["award_landscape"]["rows"]
    clean = extract_certificate(make_page(rows))
    noisy = extract_certificate(make_page(rows, source=FieldSource.OCR, conf=0.6))
    for name in ("officer_name", "post_number", "training_date"):
        assert noisy.confidence(name) < clean.confidence(name)
    assert noisy.fields["officer_name"].source == FieldSource.OCR


NOISY_AWARD = [
    ("This certifies that", {"conf": 0.93}),
    ("JANE Q. DOE", {"size": 24, "conf": 0.9}),
    ("Badge #l234", {"conf": 0.7}),
    ("has successfully completed", {"conf": 0.9}),
    ("De-escalatlon Technlques", {"size": 20, "conf": 0.62}),
    ("TCOLE Course #l849 B.0 hrs", {"conf": 0.6}),
    ("on 0З/03/2026", {"conf": 0.7}),
]


def test_ocr_lookalikes_in_numeric_fields() -> None:
    record = extract_certificate(make_page(NOISY_AWARD, source=FieldSource.OCR))
    assert record.value("badge_number") == "1234"
    assert record.value("hours") == 8.0
    assert record.value("training_date") == D(2026, 3, 3)
    # a POST number keeps what was read when there is no catalog to check against
    assert record.value("post_number") == "l849"


def test_hints_correct_unambiguous_post_number_and_title() -> None:
    hints = ReferenceHints(post_numbers=("1849", "1850", "3843"),
                           course_titles=("De-escalation Techniques", "Crisis Intervention"))
    plain = extract_certificate(make_page(NOISY_AWARD, source=FieldSource.OCR))
    record = extract_certificate(make_page(NOISY_AWARD, source=FieldSource.OCR), hints)
    post = record.fields["post_number"]
    assert post.value == "1849" and post.raw_text == "l849"
    assert post.source == FieldSource.DERIVED
    assert post.confidence < plain.confidence("post_number")
    title = record.fields["course_title"]
    assert title.value == "De-escalation Techniques"
    assert title.raw_text == "De-escalatlon Technlques"


def test_hints_do_not_correct_ambiguous_number_or_other_wording() -> None:
    hints = ReferenceHints(post_numbers=("1849", "I849"),
                           course_titles=("De-escalation Techniques for Supervisors",))
    rows = ["This certifies that", "Jane Doe", "has completed", "De-escalation Techniques",
            "Course #: l849"]
    record = extract_certificate(make_page(rows), hints)
    assert record.value("post_number") == "l849"
    assert record.value("course_title") == "De-escalation Techniques"


@pytest.mark.parametrize("label", ["Training:", "Course Title:"])
def test_a_catalog_title_never_cuts_down_a_labelled_title(label: str) -> None:
    """GIVEN "Training: De-escalation Techniques Course" and a catalog title that is the
    shorter "De-escalation Techniques" WHEN extracted THEN the title is the page's whole
    wording (the catalog decides whether it is the same course, not what the page says)."""
    hints = ReferenceHints(course_titles=("De-escalation Techniques",))
    rows = [f"{label} De-escalation Techniques Course", "TCOLE Course #: 1849",
            "Completion Date: 01/04/2026"]
    record = extract_certificate(make_page(rows, source=FieldSource.OCR), hints)
    assert record.value("course_title") == "De-escalation Techniques Course"


def test_hints_locate_name_without_anchor() -> None:
    """GIVEN a bare award layout with no 'certifies that' WHEN roster names are given THEN the
    name line is found with more confidence, and the agency line is never taken."""
    rows = [("Lakeside Police Department", {"size": 14}),
            ("Certificate of Completion", {"size": 24}),
            ("ROBERT T. NGUYEN", {"size": 22}), "De-escalation Techniques", "March 3, 2026"]
    guess = extract_certificate(make_page(rows)).fields["officer_name"]
    assert guess.value == "Robert T. Nguyen" and guess.confidence < 0.6
    hints = ReferenceHints(officer_names=("Robert Nguyen", "Jane Doe"))
    record = extract_certificate(make_page(rows), hints)
    assert record.value("officer_name") == "Robert T. Nguyen"
    assert record.confidence("officer_name") > guess.confidence


def test_name_before_completion_wording() -> None:
    rows = ["Certificate of Completion", "Jane Doe", "has completed the following course:",
            "De-Escalation Strategies", "Completion Date: 03/03/2026", "Credit Hours: 2.00"]
    record = extract_certificate(make_page(rows))
    assert record.value("officer_name") == "Jane Doe"
    assert record.value("course_title") == "De-Escalation Strategies"
    one_line = extract_certificate(make_page(
        ["Sgt. Ana Ruiz successfully completed Verbal Defense and Influence on 4/2/2026."]))
    assert one_line.value("officer_name") == "Ana Ruiz"
    assert one_line.value("course_title") == "Verbal Defense and Influence"
    assert one_line.value("training_date") == D(2026, 4, 2)


@pytest.mark.parametrize(("row", "fmt"), [
    ("Format: [_] Classroom [X] Online [_] Scenario-Based [_] Hybrid", "online"),
    ("Mode: Classroom [J Online [_] Scenario-Based (J Hybrid", "classroom"),
    ("Delivery: Blended (online + classroom)", "hybrid"),
    ("Method of Instruction: Instructor-led", "classroom"),
    ("Format: Classroom Online Scenario-Based Hybrid", None),
    ("Scenario-Based", "scenario"),
    ("Our vendor, eLearning Solutions, hosts a Virtual Classroom", None),
], ids=["x-mark", "ocr-boxes", "blended", "instructor-led", "unmarked-list", "alone", "names"])
def test_training_format_only_when_stated(row: str, fmt: str | None) -> None:
    record = extract_certificate(make_page(["Certificate of Completion", row]))
    assert record.value("training_format") == fmt


def test_name_with_digit_confusions_keeps_raw_reading() -> None:
    page = make_page(["Officer: J0HN SMlTH", "Certificate of Completion"], conf=0.6)
    f = extract_certificate(page).fields["officer_name"]
    assert f.value == "John Smith" and f.raw_text == "J0HN SMlTH"


def test_hints_restore_accents_but_never_swap_people() -> None:
    rows = ["This certifies that", "Keisha Ramirez", "has completed", "De-escalation Basics",
            "Instructor: Bridget R. Oyelowo"]
    hints = ReferenceHints(officer_names=("Keisha Ramírez", "Kesha Ramirez Jr"),
                           instructor_names=("Bridget Oyelowo",))
    record = extract_certificate(make_page(rows), hints)
    assert record.value("officer_name") == "Keisha Ramírez"
    assert record.value("instructor_name") == "Bridget Oyelowo"
    other = extract_certificate(make_page(rows), ReferenceHints(officer_names=("Keisha Ramos",)))
    assert other.value("officer_name") == "Keisha Ramirez"


def test_empty_page_gives_empty_record() -> None:
    record = extract_certificate(PageText(3, 612, 792, (), FieldSource.OCR))
    assert record.page_number == 3 and record.fields == {}


# ------------------------------------------------------------------------ end to end (PDF)


def _render_certificate(path: Path) -> None:
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=landscape(letter))
    w, h = landscape(letter)
    lines = [
        ("Helvetica-Bold", 16, "AUSTIN REGIONAL POLICE ACADEMY"),
        ("Times-Bold", 30, "Certificate of Completion"),
        ("Helvetica", 13, "This is to certify that"),
        ("Times-BoldItalic", 26, "Officer Samuel R. Ortiz"),
        ("Helvetica", 12, "TCOLE PID 1002934"),
        ("Helvetica", 13, "has successfully completed"),
        ("Times-Bold", 20, "Crisis Intervention Training"),
        ("Helvetica", 12, "TCOLE Course #1850  |  40.0 Credit Hours"),
        ("Helvetica", 12, "Course Dates: 01/12/2026 - 01/16/2026"),
        ("Helvetica", 12, "Location: Austin, Texas"),
    ]
    y = h - 70
    for font, size, text in lines:
        c.setFont(font, size)
        c.drawCentredString(w / 2, y, text)
        y -= size * 2.0
    c.setFont("Helvetica", 11)
    c.line(90, 95, 290, 95)
    c.drawString(110, 100, "Cpl. Dana Whitfield")
    c.drawString(120, 80, "Lead Instructor")
    c.line(500, 95, 700, 95)
    c.drawString(540, 80, "Training Coordinator")
    c.setFont("Helvetica", 8)
    c.drawString(40, 30, "Certificate No. 2026-004417   Provider #2041   Printed on 01/20/2026")
    c.save()


def _read_pdf(path: Path, work: Path) -> list[PageText]:
    from extractors.reading import ReadContext, read_document

    ctx = ReadContext(work_dir=work, keep_page_images=False)
    return [page.text for page in read_document(path, ctx)]


def test_end_to_end_rendered_pdf(tmp_path: Path) -> None:
    pytest.importorskip("reportlab")
    pdf = tmp_path / "certificate.pdf"
    _render_certificate(pdf)
    (page,) = _read_pdf(pdf, tmp_path / "work")
    assert page.source == FieldSource.TEXT_LAYER
    assert classify_page(page).kind == DocumentKind.CERTIFICATE
    record = extract_certificate(page)
    _assert_fields(record, {
        "officer_name": "Samuel R. Ortiz", "badge_number": "1002934", "post_number": "1850",
        "course_title": "Crisis Intervention Training", "hours": 40.0,
        "training_date": D(2026, 1, 16), "location": "Austin, Texas",
        "instructor_name": "Dana Whitfield",
    }, ["training_format"])
    name = record.fields["officer_name"]
    assert name.bbox.top < record.fields["course_title"].bbox.top  # boxes are in page space
    assert json.dumps({k: f.to_dict() for k, f in record.fields.items()})


# ------------------------------------------------------------- the sample generator's truth


def _norm(field: str, value: Any) -> Any:
    """As ``devtools.evaluation`` compares: case, spacing and punctuation do not count."""
    if value is None:
        return None
    if field == "hours":
        return round(float(value), 2)
    text = " ".join(str(getattr(value, "isoformat", lambda: value)()).replace(",", " ").split())
    text = text.lower()
    if field in ("post_number", "badge_number"):
        return text.replace(" ", "").replace("#", "")
    return text.replace(".", "")


def _corpus_hints(reference: Path) -> ReferenceHints:
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        with open(reference / name, newline="", encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    officers, courses = rows("officers.csv"), rows("courses.csv")
    return ReferenceHints(
        officer_names=tuple(f"{o['first_name']} {o['last_name']}" for o in officers),
        badge_numbers=tuple(o["badge_number"] for o in officers),
        instructor_names=tuple(i["name"] for i in rows("instructors.csv")),
        course_titles=tuple(c["title"] for c in courses),
        post_numbers=tuple(c["post_number"] for c in courses),
    )


def test_sample_generator_born_digital_certificates(tmp_path: Path) -> None:
    """GIVEN born-digital documents from the sample generator WHEN each page is classified
    and extracted with the corpus's reference hints THEN kinds match the truth and nearly
    every field matches it (the generator is still changing, so a few misses are allowed)."""
    corpus_mod = pytest.importorskip("devtools.samplegen.corpus")
    out = corpus_mod.generate_corpus(tmp_path / "corpus", seed=5, count=16, conditions=("clean",))
    hints = _corpus_hints(out / "reference")
    truth = [json.loads(line) for line in (out / "truth.jsonl").read_text().splitlines() if line]
    pages: dict[str, list[PageText]] = {}
    right = total = 0
    misses = []
    for t in truth:
        if t["file"] not in pages:
            pages[t["file"]] = _read_pdf(out / t["file"], tmp_path / "work")
        page = pages[t["file"]][t["page"] - 1]
        assert classify_page(page).kind.value == t["kind"], t["file"]
        if t["kind"] != "certificate":
            continue
        record = extract_certificate(page, hints)
        for name, expected in (t.get("fields") or {}).items():
            if expected is None:
                continue
            total += 1
            ok = _norm(name, record.value(name)) == _norm(name, expected)
            right += ok
            if not ok:
                misses.append((t["file"], name, expected, record.value(name)))
    assert total > 50
    assert right / total >= 0.95, misses


WORDS = st.sampled_from([
    "Certificate", "of", "Completion", "This", "certifies", "that", "JANE", "DOE,", "Q.", "Badge",
    "#", "#1234", "No.", "Hours:", "8.0", "hrs", "Date:", "03/03/2026", "March", "3,", "2026",
    "TCOLE", "Course", "1849", "Instructor:", "Sgt.", "Location:", "(", ")", "|", "___", "X",
    "Online", "Classroom", "Issued", "Provider", "ID", "l849", "0З/03/2026", "Eight", "(8)",
])


@given(rows=st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), max_size=12),
       conf=st.one_of(st.none(), st.floats(0.0, 1.0)))
@settings(max_examples=150, deadline=None)
def test_junk_pages_never_raise(rows: list[str], conf: float | None) -> None:
    page = make_page(rows, conf=conf)
    record = extract_certificate(page, ReferenceHints(post_numbers=("1849",),
                                                      officer_names=("Jane Doe",)))
    classify_page(page)
    for f in record.fields.values():
        assert f.confidence is None or 0.0 <= f.confidence <= 1.0


# --- OCR slips fixed with the reference data or a sure pattern --------------------------------


def test_first_ordinal_read_as_I_or_l_in_a_place_is_1st():
    from extractors.places import fix_ordinals

    assert fix_ordinals("Campus, 19010 Ist Ave S") == "Campus, 19010 1st Ave S"
    assert fix_ordinals("lst Floor, City Hall") == "1st Floor, City Hall"
    for kept in ("Istanbul Police Academy", "Hirst Hall", "First Street", "Lst"):
        assert fix_ordinals(kept) == kept


@pytest.mark.parametrize(("line", "place"), [
    ("Site: Santa Rosa; California", "Santa Rosa, California"),
    ("Location: Doral; FL 33172", "Doral, FL 33172"),
    ("Location: Regional Training Center; Format: Classroom", "Regional Training Center"),
    ("Location: Building 4; Room 12", "Building 4"),
])
def test_a_semicolon_before_a_state_is_a_comma_elsewhere_it_ends_the_place(line, place):
    record = extract_certificate(make_page([line, "Training Date: 01/22/2025"]))
    assert record.value("location") == place


@pytest.mark.parametrize(("line", "place"), [
    ("Location: Lakeside Firing Range. Marion, IA", "Lakeside Firing Range, Marion, IA"),
    ("Site: Hall B. Grand Forks, North Dakota", "Hall B, Grand Forks, North Dakota"),
    ("Location: Annex Hall, Marion, IA. The session ran long", "Annex Hall, Marion, IA"),
])
def test_a_full_stop_before_a_closing_city_and_state_is_a_comma(line, place):
    """OCR reads the comma before a city as a full stop: what follows is only the city and
    its state, so no sentence ended there; a full stop before prose still ends the place."""
    record = extract_certificate(make_page([line, "Training Date: 01/22/2025"]))
    assert record.value("location") == place


def test_registry_spelling_fixes_a_repeated_word_and_one_lost_letter_only_when_unique():
    from extractors.certificate import _registry_spelling
    from extractors.types import ExtractedField, FieldSource

    def read(value):
        return ExtractedField("name", value, value, 0.9, None, 1, FieldSource.OCR)

    officers = ("Sarah Nguyen", "Tom Lee")
    assert _registry_spelling(read("Sarah T. Nguyen Nguyen"), officers, False).value == (
        "Sarah T. Nguyen")
    assert _registry_spelling(read("Nguyen Nguyen"), ("Nguyen Nguyen",), False).value == (
        "Nguyen Nguyen")
    instructors = ("Francisco Kaminski", "Tom Lee")
    assert _registry_spelling(read("Francisco Kaminsk"), instructors, True).value == (
        "Francisco Kaminski")
    two = ("Francisco Kaminski", "Francisco Kaminska")
    assert _registry_spelling(read("Francisco Kaminsk"), two, True).value == "Francisco Kaminsk"
    assert _registry_spelling(read("Tom Leee"), instructors, True).value == "Tom Leee"  # short


def test_the_instructor_is_the_name_over_the_caption_not_the_next_columns_signer():
    """Two signature columns whose lines OCR merged: "Instructor of Record" and, far to its
    right, the training manager's name (seen on a phone photo of an award certificate)."""
    page = make_page([
        "Certificate of Completion",
        "This certifies that Jane Doe",
        "completed De-escalation Techniques on March 3, 2026",
        ([(120, "James Brannigan")], {"gap": 120}),
        [(120, "Instructor of Record"), (470, "Brianna Carrasco")],
        [(470, "Training Manager")],
    ], source=FieldSource.OCR, conf=0.95)
    record = extract_certificate(page)
    assert record.value("instructor_name") == "James Brannigan"


def test_a_role_line_beside_the_trainer_caption_is_the_next_signers_not_a_name():
    """GIVEN two signature blocks side by side, each a name over its role line, the
    trainer's name read unsurely (a pen's) and the other signer's role line typed
    (``Trainer`` and, far to its right, ``Document Steward``)
    WHEN extracted
    THEN the instructor is the name over ``Trainer``, never the other block's role."""
    page = make_page([
        "Certificate of Completion",
        "This certifies that Jane Doe",
        "completed De-escalation Techniques on March 3, 2026",
        ([(120, "Okonkwo-Baird, Fenella"), (470, "Marisol Ventana")],
         {"gap": 120, "conf": 0.45}),
        [(120, "Trainer"), (470, "Document Steward")],
    ], source=FieldSource.OCR, conf=0.95)
    record = extract_certificate(page)
    assert record.value("instructor_name") == "Fenella Okonkwo-Baird"


def test_two_instructor_captions_side_by_side_each_name_their_own_signer():
    """GIVEN two signature blocks side by side whose captions both read as an instructor's
    (``Lead Trainer`` and, far to its right, ``Program Proctor``), each under its signer's
    name WHEN extracted THEN the captions stay two (merged across the gap they named the
    other block's signer) and the instructor is the name over the listed caption."""
    page = make_page([
        "Certificate of Completion",
        "This certifies that Jane Doe",
        "completed De-escalation Techniques on March 3, 2026",
        ([(120, "Sgt. Hollis Brandt"), (470, "Commander Amarachi Owusu-Whitfield")], {"gap": 120}),
        [(120, "Lead Trainer"), (470, "Program Proctor")],
    ], source=FieldSource.OCR, conf=0.95)
    record = extract_certificate(page)
    assert record.value("instructor_name") == "Hollis Brandt"


@pytest.mark.parametrize(("over", "caption"), [
    ([(120, "Course"), (400, "Firearms Skills")], "Instructor"),
    ([(120, "Result"), (400, "Passed Clean")], "Trainer")])
def test_a_name_far_right_of_its_caption_under_a_column_of_captions_is_still_read(
        over, caption):
    """GIVEN a form of captions and values set far apart without colons, one under the
    other (``Course      Firearms Skills`` over ``Instructor      Kim Ode``; a caption on no
    list over it, its value two capitalised words, ``Result      Passed Clean``)
    THEN the name right of the instructor's caption is the instructor."""
    page = make_page([
        "Certificate of Completion",
        "This certifies that Jane Doe completed the course below on March 3, 2026",
        over,
        [(120, caption), (400, "Kim Ode")],
    ], source=FieldSource.OCR, conf=0.95)
    record = extract_certificate(page)
    assert record.value("instructor_name") == "Kim Ode"


@pytest.mark.parametrize(("read", "name"), [
    ("This letter certifies that PATRICIA FITZGERALD !V (Badge Number: 2636) completed",
     "Patricia Fitzgerald IV"),
    ("This certifies that John Smith Il (Badge 1001) completed", "John Smith II"),
    ("This certifies that Ann Lee IV (Badge 1001) completed", "Ann Lee IV"),
    ("This certifies that Mark Li (Badge 1001) completed", "Mark Li"),
])
def test_a_numeral_suffix_read_with_a_stroke_for_its_I_is_kept(read: str, name: str) -> None:
    record = extract_certificate(make_page([read, "Completion Date: 01/04/2026"]))
    assert record.value("officer_name") == name


@pytest.mark.parametrize("speck", ["", " .", " ,", " ‘"])
def test_a_place_wrapped_after_at_and_a_speck_is_found(speck: str) -> None:
    """GIVEN a letter whose "at <place>" wraps to the next line, with a speck read as a lone
    mark after "at" WHEN extracted THEN the place is the next line's address."""
    rows = ["This letter certifies that LIAM LINDQVIST (Personnel # 00434) successfully",
            f"completed LETCSA De-escalation Skills (Course # 0061) on 03/03/2022 at{speck}",
            "CJTC Burien Campus, 19010 1st Ave S, Burien, WA 98148. The course was presented"]
    record = extract_certificate(make_page(rows))
    assert record.value("location") == "CJTC Burien Campus, 19010 1st Ave S, Burien, WA 98148"


def test_a_catalog_title_that_covers_the_whole_labelled_value_is_still_used() -> None:
    """GIVEN a title label whose value is the catalog title plus a stray mark WHEN extracted
    with the catalog THEN the catalog title found there is taken (nothing is cut from it)."""
    icat = "ICAT - Integrating Communications, Assessment & Tactics"
    hints = ReferenceHints(course_titles=(icat,))
    rows = [f"Course: ; {icat}", "Completion Date: 01/30/2023"]
    record = extract_certificate(make_page(rows, source=FieldSource.OCR), hints)
    assert record.value("course_title") == icat


@pytest.mark.parametrize(("catalog", "expected"), [(("TC1882", "1849"), "TC1882"),
                                                   (("1849",), None)])
def test_a_speck_glued_before_a_lettered_number_is_dropped_only_for_a_catalog_number(
        catalog, expected) -> None:
    """GIVEN "Course Number: 1TC1882" (a speck read as 1 stuck to TC1882) WHEN the catalog
    holds TC1882 THEN that is the number; otherwise nothing is invented."""
    rows = ["Course Name: De-escalation and Crisis Response Course Number: 1TC1882",
            "Training Date: May 18, 2021 Hours Completed: 8"]
    record = extract_certificate(make_page(rows, source=FieldSource.OCR),
                                 ReferenceHints(post_numbers=catalog))
    assert record.value("post_number") == expected


# ------------------------------------------- layouts of other agencies (probe, not samplegen)


def test_captions_printed_under_their_values_read_the_value_over_them() -> None:
    """GIVEN a signature-line form: each value on a line, its small caption under it, and
    the next field's value further down WHEN extracted THEN each caption reads the value
    over it, never the next row's (a course number must not become the badge)."""
    small = {"size": 8}
    rows = [("FRANKLIN COUNTY SHERIFF'S OFFICE", {"size": 14}),
            ("Certificate of Attendance", {"size": 24, "gap": 10}),
            ([(60, "Keisha Langford"), (400, "51207")], {"gap": 30}),
            ([(60, "Officer Name"), (400, "Badge Number")], small),
            ([(60, "Verbal De-escalation for Patrol"), (400, "4410")], {"gap": 30}),
            ([(60, "Course Title"), (400, "Course Number")], small),
            ([(60, "09/09/2026"), (230, "8"), (420, "Harris County Training Center")],
             {"gap": 30}),
            ([(60, "Date of Training"), (230, "Hours"), (420, "Location")], small)]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {
        "officer_name": "Keisha Langford", "badge_number": "51207", "post_number": "4410",
        "course_title": "Verbal De-escalation for Patrol", "hours": 8.0,
        "training_date": D(2026, 9, 9), "location": "Harris County Training Center"}, [])


def test_a_table_header_with_narrow_gaps_heads_every_column() -> None:
    """GIVEN a vendor transcript whose column heads sit closer than a column gap
    (``Course Code Course Title ...``) WHEN extracted THEN each head reads its own column."""
    small = {"size": 9}
    rows = ["Learner Transcript / Certificate of Completion",
            "Student Name: Yolanda Ibarra", "PSID: 8127",
            ([(50, "Course Code"), (110, "Course Title"), (360, "Completion Date"),
              (450, "CE Hours"), (510, "Delivery")], small),
            ([(50, "4410"), (110, "Verbal De-escalation for Patrol"), (360, "08/26/2026"),
              (450, "8.00"), (510, "Online")], small)]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {
        "officer_name": "Yolanda Ibarra", "badge_number": "8127", "post_number": "4410",
        "course_title": "Verbal De-escalation for Patrol", "training_date": D(2026, 8, 26),
        "hours": 8.0, "training_format": "online"}, [])


def test_a_phrase_across_a_column_gap_is_two_heads() -> None:
    """GIVEN heads ``Course`` and ``Dates`` in neighbouring columns WHEN extracted THEN they
    are not the one label "Course Dates": the date range is the training date, surely."""
    small = {"size": 9}
    rows = ["Name of Officer: Sofia Lindqvist", "License #: 2648",
            ([(50, "POST Course #"), (135, "Course"), (385, "Dates"), (485, "Hours")], small),
            ([(50, "OH-22917"), (135, "De-escalation and Crisis Response"),
              (385, "Oct 13-14, 2026"), (485, "8")], small)]
    record = extract_certificate(make_page(rows))
    assert record.value("training_date") == D(2026, 10, 14)
    assert record.confidence("training_date") >= 0.6
    assert record.value("course_title") == "De-escalation and Crisis Response"
    assert record.value("hours") == 8.0


@pytest.mark.parametrize("date", ["2026-07-29", "07/29/2026", "July 29, 2026"])
def test_a_footer_strip_of_fields_without_colons_and_the_day_is_never_hours(date: str) -> None:
    """GIVEN a footer running its fields together (``Date of Completion 2026-07-29 Hours
    Completed 8``) WHEN extracted THEN date and hours are read from their labels, and the
    day of the month before ``Hours`` is never read as 29 hours (it could be credited)."""
    rows = ["This is to certify that", ("Russell Pennington", {"size": 24}), "has completed",
            ("De-escalation and Crisis Response", {"size": 18}),
            (f"Officer ID 3921 Course No. OH-22917 Date of Completion {date} "
             "Hours Completed 8", {"size": 9})]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {"badge_number": "3921", "post_number": "OH-22917",
                            "training_date": D(2026, 7, 29), "hours": 8.0}, [])
    assert record.confidence("training_date") >= 0.9


def test_a_date_then_the_word_hours_is_no_quantity() -> None:
    """GIVEN only ``Completed 2026-03-03 Hours`` (the value lost) WHEN extracted THEN no
    hours are read from the date's day."""
    record = extract_certificate(make_page(["Jane Doe", "Completed 2026-03-03 Hours"]))
    assert record.value("hours") is None


@pytest.mark.parametrize("label", ["PSID", "PSID #", "DPSST No."])
def test_state_officer_ids_are_badge_labels(label: str) -> None:
    record = extract_certificate(make_page(["Presented to", "Colin Brennan",
                                            [(72, label), (240, "4476")]]))
    assert record.value("badge_number") == "4476"


def test_a_state_form_with_captions_right_under_a_section_heading_reads_below() -> None:
    """GIVEN a state form whose first captions sit right under a section heading (nearer
    to it than to their values) WHEN extracted THEN captions still read the values below
    them: the page's other caption rows sit as near their values as the rows above."""
    small = {"size": 7}
    rows = [("TRAINING COMPLETION REPORT", {"size": 14}),
            ([(46, "SECTION A - OFFICER INFORMATION")], {"size": 7, "gap": 12}),
            ([(46, "OFFICER NAME"), (374, "POST ID")], small),
            ([(49, "Rodriguez, Siobhan"), (377, "B1632")], {"gap": 12}),
            ([(46, "TRAINING")], {**small, "gap": 6}),
            ([(49, "DE-ESCALATION: COMMUNICATION AND TACTICS")], {"gap": 12}),
            ([(46, "COURSE CONTROL #"), (204, "DATE(S)"), (442, "DURATION")],
             {**small, "gap": 6}),
            ([(49, "2540-20115"), (207, "5/24/2021"), (444, "4.0")], {"gap": 12})]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {"badge_number": "B1632", "post_number": "2540-20115",
                            "training_date": D(2021, 5, 24), "hours": 4.0}, [])


@pytest.mark.parametrize("label", ["Badge/Serial No.:", "Serial # / Badge:", "Badge/Serial",
                                   "Badge / Serial"])
def test_a_badge_label_offered_with_an_id_word_is_the_badge(label: str) -> None:
    record = extract_certificate(make_page(["Officer: Carmen Ortega", f"{label} 4471"]))
    assert record.value("badge_number") == "4471"


@pytest.mark.parametrize(("row", "hours"), [("Credit Hours Awarded: 16", 16.0),
                                             ("Total Hours Completed: 7.5", 7.5)])
def test_a_label_running_on_to_its_colon(row: str, hours: float) -> None:
    record = extract_certificate(make_page(["Jane Doe", row]))
    assert record.value("hours") == hours
    assert record.confidence("hours") >= 0.9


AWARD_WITH_NUMBER = ["Certificate of Completion", "Presented to", ("Sgt. Erik Johansson",
                     {"size": 24}), "Officer ID: 3007", "in recognition of completing",
                     ("0612 - Tactical Communication in Crisis Situations", {"size": 17}),
                     "September 3, 2026 • 16 CE Hours • Online",
                     [(110, "Alicia Monroe")], [(110, "Course Facilitator"),
                                                (480, "Chief of Police")]]


def test_an_unlabelled_number_before_its_own_catalog_title_is_the_course_number() -> None:
    """GIVEN an award printing "0612 - <title>" with no label WHEN the catalog pairs 0612
    with that title THEN 0612 is the course number and the title is read without it; a
    catalog that pairs the number with another title takes nothing."""
    title = "Tactical Communication in Crisis Situations"
    hinted = extract_certificate(make_page(AWARD_WITH_NUMBER), ReferenceHints(
        course_titles=(title,), post_numbers=("0612",), courses=(("0612", title),)))
    _assert_fields(hinted, {"post_number": "0612", "course_title": title,
                            "officer_name": "Erik Johansson", "training_format": "online",
                            "instructor_name": "Alicia Monroe", "hours": 16.0}, [])
    other = extract_certificate(make_page(AWARD_WITH_NUMBER), ReferenceHints(
        course_titles=("Firearms",), post_numbers=("0612",), courses=(("0612", "Firearms"),)))
    assert other.value("course_title") == title
    assert other.value("post_number") in (None, "0612")
    assert other.confidence("post_number") is None or other.confidence("post_number") < 0.75


@pytest.mark.parametrize(("printed", "catalog"), [("1849-A", "1849"), ("DE-2023-01", "DE-2023")])
def test_a_number_with_a_hyphenated_suffix_is_never_the_shorter_catalog_number(
        printed: str, catalog: str) -> None:
    """GIVEN "Course #: 1849-A" (a lettered section or module) WHEN the catalog holds only
    1849 THEN the number read is 1849-A as printed, never the catalog's 1849 (that would
    credit another course)."""
    rows = ["Jane Doe", f"Course #: {printed}", f"Course Title: De-escalation ({printed})"]
    record = extract_certificate(make_page(rows), ReferenceHints(
        post_numbers=(catalog,), course_titles=("De-escalation",),
        courses=((catalog, "De-escalation"),)))
    assert record.value("post_number") == printed


def test_a_watermark_across_the_page_stays_out_of_the_rows(tmp_path: Path) -> None:
    """GIVEN a born-digital form with a grey watermark set at 30 degrees across its rows
    WHEN read and extracted THEN the watermark's letters join no row: every field reads as
    printed, and two rows it crosses are not run together."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "watermarked.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter)
    w, h = letter
    c.saveState()
    c.setFillGray(0.85)
    c.setFont("Helvetica-Bold", 60)
    c.translate(w / 2, h / 2)
    c.rotate(30)
    c.drawCentredString(0, 100, "OFFICIAL RECORD")
    c.restoreState()
    fields = [("Officer Name", "Helen Prescott"), ("Badge Number", "4102"),
              ("Hours", "8"), ("Instructor", "Patricia Vaughn"),
              ("Location", "Ohio Peace Officer Training Academy, London, Ohio")]
    for i, (label, value) in enumerate(fields):
        y = h - 330 - 26 * i
        c.setFont("Helvetica-Bold", 10)
        c.drawString(66, y, label)
        c.setFont("Helvetica", 11)
        c.drawString(238, y, value)
    c.save()
    (page,) = _read_pdf(pdf, tmp_path / "work")
    record = extract_certificate(page)
    _assert_fields(record, {"officer_name": "Helen Prescott", "badge_number": "4102",
                            "hours": 8.0, "instructor_name": "Patricia Vaughn",
                            "location": "Ohio Peace Officer Training Academy, London, Ohio"}, [])


def test_dot_leaders_join_a_label_to_its_value() -> None:
    rows = ["CERTIFICATE OF COMPLETION",
            "Officer ............................ Irene Castaneda",
            "Course ............................. Verbal De-escalation for Patrol",
            "Course No. ......................... 4410"]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {"officer_name": "Irene Castaneda", "post_number": "4410",
                            "course_title": "Verbal De-escalation for Patrol"}, [])


def test_a_catalog_number_alone_under_its_title_is_the_course_number() -> None:
    """GIVEN an award printing the title, then "0612" alone on the next line WHEN the
    catalog pairs them THEN 0612 is the course number; a lone number under any other
    title is not taken."""
    title = "Tactical Communication in Crisis Situations"
    rows = ["This is to certify that", "Deputy Lars Pedersen", "has satisfactorily completed",
            title, "0612", "17 September 2026", "16 Credit Hours", "Badge No. 3372"]
    hints = ReferenceHints(post_numbers=("0612",), course_titles=(title,),
                           courses=(("0612", title),))
    assert extract_certificate(make_page(rows), hints).value("post_number") == "0612"
    other = ReferenceHints(post_numbers=("0612",), courses=(("0612", "Firearms"),))
    assert extract_certificate(make_page(rows), other).value("post_number") is None


def test_program_id_and_presenter_are_labels() -> None:
    rows = [[(60, "Program"), (230, "Verbal De-escalation for Patrol")],
            [(60, "Program ID"), (230, "4410")], [(60, "Presenter"), (230, "Michael Strand")]]
    record = extract_certificate(make_page(rows))
    _assert_fields(record, {"post_number": "4410", "instructor_name": "Michael Strand",
                            "course_title": "Verbal De-escalation for Patrol"}, [])


def test_an_unreadable_labelled_date_is_not_replaced_by_another_date_on_the_page() -> None:
    """GIVEN a letter dated at its top whose "Date of training:" value cannot be read (broken
    across lines by a scan) WHEN extracted THEN the training date stays unread (review), not
    the letter's own date; a readable labelled date is read as before."""
    letter = ["Florida Public Safety Institute", "12/19/25", "RE: Training Completion",
              "Our records show that Robert L. Johnson has completed the requirements of",
              "Crisis Intervention Team Training for a total of 40 hours.",
              "Date of training: 11th dé", "ry of December, 2025."]
    unread = extract_certificate(make_page(letter))
    assert unread.value("training_date") is None
    assert "11th" in unread.fields["training_date"].raw_text
    readable = [*letter[:5], "Date of training: December 11, 2025."]
    assert extract_certificate(make_page(readable)).value("training_date") == dt.date(2025, 12, 11)


def test_a_fax_header_from_line_is_no_unreadable_date() -> None:
    """GIVEN a faxed letter whose header reads "FROM: ACADEMY OFFICE 875 555 6685" and whose
    body gives the training date WHEN extracted THEN the date in the body is read: the
    sender line is not an unreadable start date that would hold the field unread."""
    rows = ["JUL-23-2023 08:20 FROM: ACADEMY OFFICE 875 555 6685 P.4/1",
            "RE: Training Completion - MICHAEL O'NEILL",
            "Deputy MICHAEL O'NEILL (Officer ID 0002) has completed the requirements of",
            "Patrol Tactics (State Course No. 0080) for a total of 16 training hours",
            "on August 15, 2025 at Spokane, WA."]
    assert extract_certificate(make_page(rows)).value("training_date") == D(2025, 8, 15)


@pytest.mark.parametrize(("row", "field", "value"), [
    ("Employee: Jane Doe", "officer_name", "Jane Doe"),
    ("Deputy: Jane Doe", "officer_name", "Jane Doe"),
    ("Name of Attendee: Jane Doe", "officer_name", "Jane Doe"),
    ("Length of Course: 8 hours", "hours", 8.0),
    ("Delivered by: Karen Blackwell", "instructor_name", "Karen Blackwell"),
    ("Speaker: Karen Blackwell", "instructor_name", "Karen Blackwell"),
    ("City, State: Austin, TX", "location", "Austin, TX"),
])
def test_more_label_wordings(row: str, field: str, value: Any) -> None:
    record = extract_certificate(make_page(["Certificate of Completion", row]))
    assert record.value(field) == value


def test_a_deputy_chief_signing_is_no_officer_label() -> None:
    rows = ["This certifies that", "Jane Doe", "has completed", "De-escalation Techniques",
            "Deputy Chief Robert Hall"]
    assert extract_certificate(make_page(rows)).value("officer_name") == "Jane Doe"


def test_a_place_wrapping_to_the_next_row_stops_at_a_label_there() -> None:
    """GIVEN "at <place>, Columbus, OH" with "Officer ID: 2087" on the next, close row WHEN
    extracted THEN the place ends at "OH" (the next row's label is not part of it)."""
    rows = [("consisting of 8 hours of instruction, on July 9, 2026", {"conf": 0.9}),
            ("at Franklin County Sheriff's Training Center, Columbus, OH", {"conf": 0.8}),
            ("Officer ID: 2087", {"conf": 0.99})]
    record = extract_certificate(make_page(rows, source=FieldSource.OCR))
    assert record.value("location") == "Franklin County Sheriff's Training Center, Columbus, OH"
    assert record.value("badge_number") == "2087"


@pytest.mark.parametrize("code", ["4410", "#4410", "(4410)"])
def test_a_transcript_never_mixes_its_rows(code: str) -> None:
    """GIVEN a vendor transcript of two courses, the first unknown to the catalog (its title
    cell unreadable as a title), the second the catalog's de-escalation course WHEN
    extracted THEN the record never pairs the second row's course with the first row's date
    and hours (that would credit the wrong day and hours): the course read is the first
    row's, or the date and hours are the second row's."""
    small = {"size": 9}
    title = "Verbal De-escalation for Patrol"
    hints = ReferenceHints(post_numbers=("4410",), course_titles=(title,),
                           courses=(("4410", title),))
    rows = ["Learner Transcript", "Student Name: Yolanda Ibarra", "PSID: 8127",
            ([(50, "Course Code"), (120, "Course Title"), (360, "Completion Date"),
              (450, "CE Hours")], small),
            ([(50, "7702"), (120, "report writing basics"), (360, "01/12/2026"),
              (450, "2.00")], small),
            ([(50, code), (120, title), (360, "08/26/2026"), (450, "8.00")], small)]
    record = extract_certificate(make_page(rows), hints)
    if record.value("post_number") == "4410":
        assert record.value("training_date") == D(2026, 8, 26)
        assert record.value("hours") == 8.0


def test_a_course_word_and_its_number_are_read_apart() -> None:
    """GIVEN "De-escalation Techniques (Course 1849) on 5 May 2026." with no label WHEN the
    catalog holds 1849 THEN 1849 is the course number; "Badge 1849" never makes one."""
    hints = ReferenceHints(post_numbers=("1849",), course_titles=("De-escalation Techniques",))
    rows = ["Presented to Sean Pratt, Badge 5520, for completing",
            "De-escalation Techniques (Course 1849) on 5 May 2026."]
    assert extract_certificate(make_page(rows), hints).value("post_number") == "1849"
    rows = ["Presented to Sean Pratt, Badge 1849, for completing",
            "De-escalation Techniques on 5 May 2026."]
    assert extract_certificate(make_page(rows), hints).value("post_number") is None


def test_completed_heading_a_table_column_is_the_date() -> None:
    """GIVEN a transcript with the column heads ``Course # | Course Name | Completed |
    Credits | Type`` WHEN extracted THEN "Completed" reads the date under it, surely."""
    small = {"size": 9}
    rows = ["Learner Name: Cole Barrett", "Agency ID #: 7718",
            ([(50, "Course #"), (120, "Course Name"), (400, "Completed"), (480, "Credits"),
              (530, "Type")], small),
            ([(50, "ICAT-200"), (120, "ICAT: Integrating Communications"), (400, "09/24/2026"),
              (480, "16"), (530, "Online")], small),
            "Type of Training: In-person"]
    record = extract_certificate(make_page(rows))
    assert record.value("training_date") == D(2026, 9, 24)
    assert record.confidence("training_date") >= 0.75
    assert record.value("hours") == 16.0


def _letter(closing: str, role: str) -> list:
    return [
        ("Marsh Creek Sheriff's Office", {"size": 14}),
        "February 2, 2026",
        "This letter confirms that Deputy Ines Kowal (ID 5521) has successfully completed the",
        "course \u201cListening First: Crisis Contact",
        "Skills\u201d (Course No. 2290) on January 28, 2026, a total of 6 hours.",
        closing,
        ("Owen Pryce", {"gap": 20}),
        role,
    ]


@pytest.mark.parametrize("closing, role, instructor", [
    ("Sincerely,", "Training Coordinator", None),
    ("", "Chief of Training", None),
    ("", "Course Instructor", "Owen Pryce"),
])
def test_a_registered_instructor_signing_in_another_role_is_not_the_instructor(
        closing: str, role: str, instructor: str | None) -> None:
    """GIVEN a letter signed by a person the instructor registry knows
    WHEN the signature block names another role (a coordinator, a chief, or a closing
    'Sincerely,' over it) THEN that signer is not read as the instructor; under a teaching
    role they are. AND a quoted title wrapping onto the next line is read whole."""
    hints = ReferenceHints(instructor_names=("Owen Pryce",))
    record = extract_certificate(make_page(_letter(closing, role)), hints)
    assert record.value("instructor_name") == instructor
    assert record.value("course_title") == "Listening First: Crisis Contact Skills"


def test_a_training_date_wrapped_onto_a_row_of_smaller_boxes_beats_the_letters_date() -> None:
    """GIVEN a letter dated at its top whose body says "on 14" at a line's end and "October
    2025." with a speck at the next line's start, OCR boxes there a quarter smaller WHEN
    extracted THEN the wrapped date is the training date, not the letter's own."""
    rows = ["Brightwater Harbor Marine Patrol", "October 20, 2025",
            "Dear Personnel Officer:",
            "We confirm that Deputy Colm Aarestad (Badge 3318) completed Verbal Judo Refresher",
            ("(Course No. 5520) for 4 hours at the harbor annex on 14", {"size": 12}),
            ("October 2025. . , and passed the written check.", {"size": 9}),
            "Yours truly,", "Ilse Marchetti"]
    record = extract_certificate(make_page(rows, source=FieldSource.OCR, conf=0.9))
    assert record.value("training_date") == dt.date(2025, 10, 14)


def test_a_letters_own_date_is_never_the_training_date() -> None:
    """GIVEN a letter that greets its reader and gives no training date but its own WHEN
    extracted THEN the training date is absent (review), not the day the letter was written;
    a certificate with one bare date keeps it (test_a_bare_date_alone_on_the_page...)."""
    rows = ["Brightwater Harbor Marine Patrol", "October 20, 2025",
            "To whom it may concern:",
            "Deputy Colm Aarestad (Badge 3318) has completed Verbal Judo Refresher",
            "(Course No. 5520), 4 hours.", "Respectfully,", "Ilse Marchetti"]
    record = extract_certificate(make_page(rows))
    assert record.value("training_date") is None
    assert record.value("badge_number") == "3318"


@pytest.mark.parametrize("connector", ["and", "of", "for"])
def test_a_quoted_title_cut_after_a_connector_word_is_read_whole(connector: str) -> None:
    """GIVEN a letter whose quoted course title breaks after "and" / "of" / "for", the
    closing quote on the next line WHEN extracted THEN the title is the whole quoted text,
    not its first line without the connector."""
    rows = ["Lakeshore Transit Police", "March 9, 2026",
            "This letter confirms that Officer Tamsin Greaves (ID 7710) completed the course",
            f"\u201cCalm Approaches to Persons in Crisis {connector}",
            "Their Families\u201d (Course No. 6618) on March 2, 2026, for 4 hours.",
            "Regards,", "Hal Okoro"]
    record = extract_certificate(make_page(rows))
    assert record.value("course_title") == \
        f"Calm Approaches to Persons in Crisis {connector} Their Families"
    assert record.value("post_number") == "6618"


@pytest.mark.parametrize("title_line", [
    "Course Title: Calm Approaches to Persons in Crisis\u2019",
    "Course Title: \u2018Calm Approaches to Persons in Crisis\u2019",
])
def test_curly_quote_marks_round_a_title_are_no_part_of_it(title_line: str) -> None:
    """GIVEN a title in curly single quotes, or with one read into a speck after it (a
    blurred scan's 'Crisis’') WHEN extracted THEN the title is read without them, as a
    title in straight quotes is (a verified record never keeps the mark)."""
    rows = ["Certificate of Training", "This is to certify that", "Officer Mara Lindgren",
            "Badge 4417", "has completed the course", title_line, "Hours: 3.0",
            "Completed on 04/02/2026"]
    record = extract_certificate(make_page(rows))
    assert record.value("course_title") == "Calm Approaches to Persons in Crisis"


def test_a_caption_without_its_number_sign_does_not_swallow_a_longer_label() -> None:
    """GIVEN "Approved Course ID: AC-5512" on a line ("Approved Course" is also a caption
    without its number sign) WHEN extracted THEN the label is "Course ID" after a qualifier and the
    number is the course's, not a badge after "ID"."""
    rows = ["Certificate of Training", "This is to certify that", "Officer Mara Lindgren",
            "Badge 4417", "has completed the course", "Verbal Tactics for Patrol",
            "Approved Course ID: AC-5512 \u2022 Hours: 3.0", "Completed on 04/02/2026"]
    record = extract_certificate(make_page(rows))
    assert record.value("post_number") == "AC-5512"
    assert record.value("badge_number") == "4417"


def test_a_faxed_award_with_a_slip_in_its_anchor_and_specks_round_the_name() -> None:
    """GIVEN a faxed award whose "This certifies that" is read with a wrong letter, a speck
    read as ";" reaching down from it into the name's row, and specks read as short words
    ("10", "ie") either side of the name WHEN extracted THEN the name under the anchor is the
    officer's, without the specks."""
    rows = ["Harbor Point Fire Academy", "Award of Merit", "This certifes that ;",
            ("10 ROWAN ABERNETHY ie", {"size": 16}), "has completed the course",
            "Hostage Negotiation Basics", "Course No. 7781 Hours: 6", "Date: 03/02/2026",
            "Badge 5521"]
    page = make_page(rows, source=FieldSource.OCR, conf=0.9)
    words = []
    for w in page.words:
        if w.text in ("10", "ie"):
            w = replace(w, confidence=0.3)
        elif w.text == ";":  # a streak of the fax, read as a tall semicolon
            w = replace(w, confidence=0.2, bbox=replace(w.bbox, bottom=w.bbox.bottom + 22))
        words.append(w)
    record = extract_certificate(replace(page, words=tuple(words)))
    assert record.value("officer_name") == "Rowan Abernethy"
    assert record.value("post_number") == "7781"


@pytest.mark.parametrize(("lead", "place"), [
    ("dated Wednesday,", "Marsh Hollow, Oregon"),
    ("concluding", "Range House, Kent, WA"),
    ("on Fri.", "Harlow Basin Armory"),
])
def test_a_place_in_prose_ends_before_the_words_leading_into_its_date(lead: str,
                                                                      place: str) -> None:
    """GIVEN a sentence "... held at PLACE <lead-in> <date>" WHEN extracted THEN the place
    stops at its last capitalised word: a lower-case word or a weekday leads into the date."""
    rows = ["This certifies that Rowan Tilley", "completed Calm Voice Methods (4 hours)",
            f"held at {place} {lead} March 14, 2026 under Inez Okonkwo."]
    assert extract_certificate(make_page(rows)).value("location") == place


@pytest.mark.parametrize("lead", ["Assigned", "Current Duty"], ids=["one-word", "two-words"])
def test_a_caption_with_words_before_its_listed_phrase_heads_its_own_column(lead: str) -> None:
    """GIVEN a form row of two captions over their values, the second caption starting with a
    word or two before its listed phrase ("Assigned Badge No.") WHEN read THEN each value goes
    to the caption over it: the badge is the number under it, not the course number under
    its neighbour, and no printed number serves as both."""
    page = make_page([
        ("Completion Record", {"size": 18}),
        [(60, "Course Title:")],
        [(68, "Calm Response Methods")],
        [(60, "State Course No.:"), (330, f"{lead} Badge No.:")],
        [(68, "CR7310"), (338, "5521")],
        [(60, "Member Name:"), (330, "Date Held:")],
        [(68, "Willa Strand"), (338, "March 4, 2026")],
        [(60, "Hours: 6")],
    ])
    rec = extract_certificate(page)
    assert rec.value("badge_number") == "5521"
    assert rec.value("post_number") == "CR7310"
    assert rec.value("officer_name") == "Willa Strand"


def test_one_printed_number_never_serves_as_badge_and_course_number() -> None:
    """GIVEN a page whose only number sits under a course-number caption, beside a badge
    caption ('Assigned ID No.') no value stands under WHEN read THEN the number is the
    course's; the badge is not given the same number."""
    page = make_page([
        ("Completion Record", {"size": 18}),
        [(60, "Course No.:"), (330, "Assigned ID No.:")],
        [(68, "CR7310")],
        [(60, "Member Name: Willa Strand")],
        [(60, "Date Held: March 4, 2026"), (330, "Hours: 6")],
    ])
    rec = extract_certificate(page)
    assert rec.value("post_number") == "CR7310"
    assert rec.value("badge_number") != "CR7310"


def test_a_title_set_large_inside_a_sentence_is_read_without_a_listed_lead_in() -> None:
    """GIVEN prose in wording no list holds, the officer's name and the course each set alone
    in a large font between its lines WHEN read THEN the large line after the unfinished
    sentence is the course title, and the large name is not taken for it."""
    page = make_page([
        ("Harbor Point Police Academy", {"size": 16}),
        "The academy records that",
        ("Willa Strand", {"size": 22}),
        "took part in the full programme of",
        ("CALM CONTACT AND VERBAL SKILLS", {"size": 18}),
        "on 4 March 2026, six hours in all.",
    ])
    rec = extract_certificate(page)
    assert rec.value("course_title") == "CALM CONTACT AND VERBAL SKILLS"
    assert rec.value("officer_name") == "Willa Strand"


def test_a_seals_small_words_are_no_course_title() -> None:
    """GIVEN a certificate whose seal prints tiny words ('COURSE' over 'CADRE') and whose
    course is named nowhere else WHEN read THEN no course title is taken from the seal."""
    page = make_page([
        ("Harbor Point Police Academy", {"size": 16}),
        "Officer: Willa Strand",
        "Date: March 4, 2026     Hours: 6",
        ([(380, "COURSE")], {"size": 5, "gap": 40}),
        ([(384, "CADRE")], {"size": 5}),
    ])
    rec = extract_certificate(page)
    assert rec.value("course_title") is None


def test_a_caption_opened_by_a_bracket_inside_prose_names_its_field() -> None:
    """GIVEN prose ending in a bracketed caption whose last word is a course word ('(Format
    of Class: Online)') WHEN read THEN the caption is the training format's, and its value
    is not taken for the course title, which stays the one the sentence names."""
    page = make_page([
        "Harbor Point Police Academy", "This confirms that", ("Willa Strand", {"size": 22}),
        "completed Calm Contact Skills on March 4, 2026, 6 hours,",
        "led by Bell, Marcus (Format of Class: Online).",
    ])
    rec = extract_certificate(page)
    assert rec.value("training_format") == "online"
    assert rec.value("course_title") == "Calm Contact Skills"


def test_the_named_officers_own_badge_under_another_numbers_caption_is_read() -> None:
    """GIVEN a certificate that prints the officer's number beside the name under a caption
    the lexicon keeps for a certificate's serial number WHEN the roster gives that very
    officer that number THEN it is read as the badge; WHEN the roster gives the number to
    someone else THEN it is not."""
    rows = [("Harbor Point Police Academy", {"size": 16}), "This certifies that",
            ("Willa Strand", {"size": 22}), "Serial No. 5521",
            "completed Calm Contact Skills on March 4, 2026 (6 hours)."]
    own = ReferenceHints(badge_numbers=("5521",), officers=(("5521", "Willa Strand"),),
                         officer_names=("Willa Strand",))
    assert extract_certificate(make_page(rows), own).value("badge_number") == "5521"
    other = ReferenceHints(badge_numbers=("5521",), officers=(("5521", "Rowan Tilley"),),
                           officer_names=("Rowan Tilley",))
    assert extract_certificate(make_page(rows), other).value("badge_number") is None


def test_the_read_titles_own_catalog_number_is_read_under_a_caption_no_list_holds() -> None:
    """GIVEN a certificate whose course table heads the course's number with a caption no list
    holds ('Ledger Ref.') and prints it right after the date's year WHEN the catalog gives the
    read title that very number THEN it is the course's number; WHEN the catalog gives the
    number to another course THEN no course number is read (the record goes to review)."""
    rows = [("Lakeshore Regional Training Council", {"size": 16}),
            "Participant: Willa Strand", "Program: Calm Contact Skills",
            ([(60, "Trainer"), (220, "Completed"), (420, "Ledger Ref."), (560, "Credit Hours")],
             {"gap": 20}),
            ([(60, "Rowan Tilley"), (220, "March 4, 2026 7712"), (560, "6")], {}),
            "Keep this notice with the member's training file."]
    own = ReferenceHints(post_numbers=("7712",), course_titles=("Calm Contact Skills",),
                         courses=(("7712", "Calm Contact Skills"),))
    rec = extract_certificate(make_page(rows), own)
    assert rec.value("post_number") == "7712"
    assert rec.value("training_date") == D(2026, 3, 4)
    other = ReferenceHints(post_numbers=("7712",),
                           course_titles=("Calm Contact Skills", "Boat Handling"),
                           courses=(("7712", "Boat Handling"), ("5100", "Calm Contact Skills")))
    assert extract_certificate(make_page(rows), other).value("post_number") is None
    # the title printed with "&" where the catalog writes "and"
    amp = [r.replace("Calm Contact Skills", "Calm & Clear Contact") if isinstance(r, str) else r
           for r in rows]
    catalog = ReferenceHints(post_numbers=("7712",), course_titles=("Calm and Clear Contact",),
                             courses=(("7712", "Calm and Clear Contact"),))
    assert extract_certificate(make_page(amp), catalog).value("post_number") == "7712"


def test_a_captions_colon_read_as_a_semicolon_still_ends_the_caption() -> None:
    """GIVEN a faxed notice whose captions' colons came out of OCR as semicolons ('Badge No.;
    5521', 'Trainee; Willa Strand') WHEN read THEN each value after it is read as the
    caption's, listed captions and captions of caption words alike."""
    page = make_page(["Lakeshore Regional Training Council", "Trainee; Willa Strand",
                      "Badge No.; 5521", "Program; Calm Contact Skills",
                      "Held; March 4, 2026", "Hours Earned; 6"],
                     source=FieldSource.OCR, conf=0.9)
    rec = extract_certificate(page)
    assert rec.value("officer_name") == "Willa Strand"
    assert rec.value("course_title") == "Calm Contact Skills"
    assert rec.value("badge_number") == "5521"
    assert rec.value("hours") == 6.0
    assert rec.value("training_date") == D(2026, 3, 4)
    # the full stop of an abbreviation read as a comma before a dash ("Badge No, - 5521")
    page = make_page(["Lakeshore Regional Training Council", "Trainee - Willa Strand",
                      "Badge No, - 5521"], source=FieldSource.OCR, conf=0.9)
    assert extract_certificate(page).value("badge_number") == "5521"


def test_a_teacher_named_by_a_role_in_a_sentence_is_the_instructor() -> None:
    """GIVEN award wording that names the teacher by a role no list holds, the sentence
    wrapped between the joining word and the role ('... taught under' / 'Guest Facilitator
    MARA QUILL') or after the role ('with Senior Trainer' / 'Ode, Kim') WHEN read THEN the
    name after the role is the instructor."""
    wrapped_before_role = make_page([
        ("Lakeshore Regional Training Council", {"size": 16}), "This confirms that",
        ("Willa Strand", {"size": 22}), "completed Calm Contact Skills on March 4, 2026,",
        "a course of 6 hours taught under", "Guest Facilitator MARA QUILL (in person).",
    ])
    assert extract_certificate(wrapped_before_role).value("instructor_name") == "Mara Quill"
    wrapped_after_role = make_page([
        ("Lakeshore Regional Training Council", {"size": 16}), "This confirms that",
        ("Willa Strand", {"size": 22}),
        "completed Calm Contact Skills (6 hours) on March 4, 2026 with Senior Trainer",
        "Ode, Kim.",
    ])
    assert extract_certificate(wrapped_after_role).value("instructor_name") == "Kim Ode"


def test_a_name_read_alike_in_two_places_is_surer_than_either_reading() -> None:
    """GIVEN a scanned form that prints the teacher's name over a caption of its own wording
    ('Class Leader') and again over the signature block's role WHEN read THEN the
    instructor's confidence is that of two readings agreeing, higher than the caption's
    reading alone (the same page without the signature block)."""
    small = {"size": 6}
    top = [("Lakeshore Regional Training Council", {"size": 16}),
           ([(60, "Willa Strand")], {"size": 10, "gap": 10}), ([(60, "TRAINEE")], small),
           ([(60, "Calm Contact Skills")], {"size": 10, "gap": 16}),
           ([(60, "COURSE TITLE")], small),
           ([(60, "KIM ODE")], {"size": 10, "gap": 16}), ([(60, "Class Leader")], small)]
    signed = [([(60, "Rowan Tilley"), (300, "KIM ODE")], {"size": 10, "gap": 60}),
              ([(60, "Registrar"), (300, "Lead Trainer")], small)]
    once = extract_certificate(make_page(top, source=FieldSource.OCR, conf=0.8))
    twice = extract_certificate(make_page(top + signed, source=FieldSource.OCR, conf=0.8))
    assert once.value("instructor_name") == twice.value("instructor_name") == "Kim Ode"
    assert twice.confidence("instructor_name") > once.confidence("instructor_name")
    assert twice.confidence("instructor_name") >= 0.6


def test_a_place_ending_its_row_before_the_dates_verb_leaves_the_verb_out() -> None:
    """GIVEN prose that wraps between the date's verb and the date ('held at Harbor Hall,
    Lakeshore concluding' / '4 March 2026 ...') WHEN read THEN the place is the hall, without
    the verb, and the date is the next row's."""
    page = make_page([
        ("Lakeshore Regional Training Council", {"size": 16}), "This confirms that",
        ("Willa Strand", {"size": 22}), "completed Calm Contact Skills",
        "(Course Code 7712) held at Harbor Hall, Lakeshore concluding",
        "4 March 2026 for a total of 6 hours.",
    ])
    rec = extract_certificate(page)
    assert rec.value("location") == "Harbor Hall, Lakeshore"
    assert rec.value("training_date") == D(2026, 3, 4)


def test_captions_qualified_by_full_and_glued_to_their_leader_dots() -> None:
    """GIVEN a two-column form whose name caption carries two qualifiers ('Full Legal Name -'
    over its value) and a faxed form whose caption's dash is glued to both the caption and
    its leader dots ('Trainee-........ Strand, Willa') WHEN read THEN each names the
    officer."""
    two_columns = make_page([
        ("Lakeshore Regional Training Council", {"size": 16}),
        "Program Name -", "CALM CONTACT SKILLS",
        ([(60, "Full Legal Name -"), (320, "Class Leader -")], {"gap": 10}),
        ([(66, "STRAND, WILLA"), (326, "Ode, Kim")], {}),
        ([(60, "Badge No. -"), (320, "Date Held -")], {"gap": 10}),
        ([(66, "5521"), (326, "4 Mar 2026")], {}),
    ], source=FieldSource.OCR, conf=0.9)
    rec = extract_certificate(two_columns)
    assert rec.value("officer_name") == "Willa Strand"
    assert rec.value("instructor_name") == "Kim Ode"
    leaders = make_page(["Lakeshore Regional Training Council",
                         "Trainee-........ Strand, Willa   Hours Earned ...... 6.0 hours"],
                        source=FieldSource.OCR, conf=0.9)
    assert extract_certificate(leaders).value("officer_name") == "Willa Strand"


def test_a_course_tables_heads_read_past_one_word_heads_of_their_own() -> None:
    """GIVEN a certificate's course table whose row of heads mixes captions of unlisted
    wording ('Credited Hours', 'Class Leader') with one-word heads of things no record holds
    ('Grade', 'Remarks') WHEN read THEN each caption reads its own column's value, and the
    one-word heads keep theirs ('Pass' is nobody's name, 'Mandatory' no hours)."""
    rows = [("Lakeshore Regional Training Council", {"size": 16}),
            "Trainee: Willa Strand", "Badge No.: 5521", "Program: Calm Contact Skills",
            ([(60, "Course No."), (170, "Credited Hours"), (290, "Remarks"),
              (390, "Date Held"), (500, "Class Leader"), (640, "Grade")], {"gap": 20}),
            ([(60, "7712"), (170, "Six (6)"), (290, "Mandatory"), (390, "03/04/2026"),
              (500, "Kim Ode"), (640, "Pass")], {})]
    rec = extract_certificate(make_page(rows, source=FieldSource.OCR, conf=0.9))
    assert rec.value("hours") == 6.0
    assert rec.value("instructor_name") == "Kim Ode"
    assert rec.value("training_date") == D(2026, 3, 4)
    assert rec.value("post_number") == "7712"


def test_captions_under_values_with_another_name_after_a_slash_and_a_signers_row() -> None:
    """GIVEN a form of small captions under their values, one naming its number two ways
    ('BADGE/PAYROLL') and a signature block at the foot whose caption row names a signer beside
    a teacher ('Lead Trainer   Registrar') WHEN read THEN each caption reads the value
    over it (the badge included), and the signers' row does not turn the page's captions
    round."""
    small = {"size": 6}
    page = make_page([
        ("Harbor Point Police Academy", {"size": 16}),
        ([(60, "Willa Strand")], {"size": 10, "gap": 10}),
        ([(60, "MEMBER NAME")], small),
        ([(60, "5521")], {"size": 10, "gap": 16}),
        ([(60, "BADGE/PAYROLL")], small),
        ([(60, "Calm Contact Skills")], {"size": 10, "gap": 16}),
        ([(60, "COURSE TITLE")], small),
        ([(60, "03/04/2026"), (300, "6")], {"size": 10, "gap": 16}),
        ([(60, "DATE HELD"), (300, "CREDIT HOURS")], small),
        ([(60, "Rowan Tilley"), (300, "Kim Ode")], {"size": 10, "gap": 60}),
        ([(60, "Lead Trainer"), (300, "Registrar")], small),
        ([(60, "Printed 03/05/2026")], {"size": 6, "gap": 30}),
    ])
    rec = extract_certificate(page)
    assert rec.value("badge_number") == "5521"
    assert rec.value("hours") == 6.0
    assert rec.value("course_title") == "Calm Contact Skills"
    assert rec.value("training_date") == D(2026, 3, 4)


def test_a_form_of_captions_under_values_reads_one_word_and_unlisted_captions() -> None:
    """GIVEN a form of small captions under their values where some captions are one word
    no list holds ('ENROLLEE', 'PROGRAM'), one carries a qualifier ('COUNTY MEMBER NO.') and
    one sits beside a caption no list holds ('TRAINER (PRINT)   LEDGER NO.') WHEN read THEN
    each value is its caption's: the name is not taken for a title nor the title for the
    trainer."""
    small = {"size": 6}
    page = make_page([
        ("Harbor Point Police Academy", {"size": 16}),
        ([(60, "5521")], {"size": 10, "gap": 10}),
        ([(60, "COUNTY MEMBER NO.")], small),
        ([(60, "Strand, Willa")], {"size": 10, "gap": 16}),
        ([(60, "ENROLLEE")], small),
        ([(60, "6.0 hours"), (300, "2026/03/04")], {"size": 10, "gap": 16}),
        ([(60, "CLOCK HOURS"), (300, "COURSE END DATE")], small),
        ([(60, "Rowan Tilley"), (300, "LG-2231")], {"size": 10, "gap": 16}),
        ([(60, "TRAINER (PRINT)"), (300, "LEDGER NO.")], small),
        ([(60, "CALM CONTACT SKILLS")], {"size": 10, "gap": 16}),
        ([(60, "PROGRAM")], small),
        ([(60, "Printed 03/05/2026")], {"size": 6, "gap": 60}),
    ])
    rec = extract_certificate(page)
    assert rec.value("officer_name") == "Willa Strand"
    assert rec.value("badge_number") == "5521"
    assert rec.value("instructor_name") == "Rowan Tilley"
    assert rec.value("course_title") == "CALM CONTACT SKILLS"
    assert rec.value("hours") == 6.0


def test_a_number_read_behind_the_residue_of_dot_leaders_is_read() -> None:
    """GIVEN a faxed form whose dot leaders OCR read as a short unsure word before the value
    ('Length (hrs): wou 8.0', 'Date: ,., 03/04/2026') WHEN read THEN the hours and the date
    are read past the residue; a sure word before a number is no residue."""
    page = make_page([
        "Harbor Point Police Academy",
        "Member Name: Willa Strand",
        "Length (hrs): wou 8.0",
        "Date Held: ,., 03/04/2026",
        "Course Title: Calm Contact Skills",
    ], source=FieldSource.OCR, conf=0.9)
    words = tuple(replace(w, confidence=0.2) if w.text in ("wou", ",.,") else w
                  for w in page.words)
    rec = extract_certificate(replace(page, words=words))
    assert rec.value("hours") == 8.0
    assert rec.value("training_date") == D(2026, 3, 4)
    sure = extract_certificate(page)  # "wou" read surely: a word, not a leader
    assert sure.value("hours") is None


@pytest.mark.parametrize("row,fmt", [
    ("Course No. CR7310 * 6 Clock Hours * Classroom / Lecture", "classroom"),
    ("Course No. CR7310 ▪ 6 Clock Hours ▪ Online", "online"),
    ("Course No. CR7310 ¢ 6 Clock Hours ¢ Online", "online"),  # a scanned bullet read as ¢
])
def test_a_format_said_alone_between_stars_or_squares_is_read(row: str, fmt: str) -> None:
    """GIVEN a line listing the course number, the hours and the delivery between stars or
    squares, the delivery said in two words of one format ('Classroom / Lecture') WHEN read
    THEN the format is read, as between bullets."""
    page = make_page(["Harbor Point Police Academy", "This certifies that",
                      ("Willa Strand", {"size": 22}), "completed Calm Contact Skills", row])
    assert extract_certificate(page).value("training_format") == fmt


@pytest.mark.parametrize("row,fmt", [
    ("Course No. CR7310 * 6 Clock Hours * Blended (classroom + web-based)", "hybrid"),
    ("Course No. CR7310 ▪ 6 Clock Hours ▪ Online (self-paced, 3 modules)", "online"),
    ("Course No. CR7310 • 6 Clock Hours • Lecture (scenario drills optional)", "classroom"),
])
def test_a_listed_format_explained_in_parentheses_is_the_format_before_them(
        row: str, fmt: str) -> None:
    """GIVEN a listed delivery with its parts or details in parentheses after it ('Blended
    (classroom + web-based)') WHEN read THEN the format is the one before the parentheses:
    the words inside explain it, never add a second format (a drill in brackets is no
    scenario course)."""
    page = make_page(["Harbor Point Police Academy", "This certifies that",
                      ("Willa Strand", {"size": 22}), "completed Calm Contact Skills", row])
    assert extract_certificate(page).value("training_format") == fmt


@pytest.mark.parametrize("row,fmt", [
    ("[_] In-Class | [_] Web-based | [_] Role-play [x] Blendded", "hybrid"),  # a slip
    ("[_] In-Class | [_] Web-based | [_] Role-play [x] Qzvvq", None),  # mark unreadable
    ("[_] In-Class", None),
])
def test_only_the_marked_box_says_the_format(row: str, fmt) -> None:
    """GIVEN a delivery line of boxes whose marked option OCR misspelt ('Blendded') WHEN
    read THEN the marked option is the format when its word is plainly one format's; an
    option beside an empty box is never the format, and no option is chosen by elimination
    when the marked one cannot be read (a wrong 'scenario' could earn scenario credit)."""
    page = make_page(["Harbor Point Police Academy", "This certifies that",
                      ("Willa Strand", {"size": 22}), "completed Calm Contact Skills",
                      "Delivery Method:", row])
    assert extract_certificate(page).value("training_format") == fmt


@pytest.mark.parametrize("sentence,fmt", [
    ("The class was given in a hybrid / blended format at the range.", "hybrid"),
    ("It was held as a scenario-based session.", "scenario"),
    ("The unit was run in a live role-play training format.", "scenario"),
    ("Students met in a small evening lecture session.", "classroom"),
    ("The course was offered in a convenient format.", None),
])
def test_a_format_named_in_a_sentence_about_the_delivery_is_read(sentence: str, fmt) -> None:
    """GIVEN prose saying how the training was given ('in a hybrid / blended format', 'as a
    scenario-based session') WHEN read THEN that is the format; a sentence naming no format
    word gives none."""
    page = make_page(["Harbor Point Police Academy", "This certifies that",
                      ("Willa Strand", {"size": 22}), "completed Calm Contact Skills", sentence])
    assert extract_certificate(page).value("training_format") == fmt


@pytest.mark.parametrize("foot", ["Issued 06/02/25", "Printed on 2025-06-02",
                                  "Valid through June 2, 2027", "Reissued - 6/2/2025"])
def test_the_papers_own_date_is_never_the_training_date(foot: str) -> None:
    """GIVEN a form with no training date whose only date is the paper's own ('Issued
    06/02/25', no colon) at its foot WHEN read THEN no training date is read (the record
    goes to review as missing one), never the issue date."""
    page = make_page([
        ("Harbor Point Police Academy", {"size": 16}),
        "Member Name: Willa Strand", "Badge No.: 5521", "Course Title: Calm Contact Skills",
        "Course No.: CR7310", "Hours Credited: 4.00",
        ([(60, foot)], {"size": 7, "gap": 200}),
    ])
    assert extract_certificate(page).value("training_date") is None


def test_a_numbered_box_caption_read_with_slips_still_names_its_field() -> None:
    """``5. MCOLES COURSE NQ``: a numbered box's caption holds no value, so its last words
    are matched with an OCR slip; the agency word before them is left aside."""
    rows = ["Training Completion Record",
            [(72, "1. NAME (Last, First)"), (420, "2. BADGE NO.")],
            [(72, "VOSS, HELENA"), (420, "5127")],
            [(72, "4. COURSE TITLE"), (420, "5. MCOLES COURSE NQ")],
            [(72, "Calm Approaches"), (420, "MI-DE-3302")],
            [(72, "6. DATE OF TRAINING"), (260, "7. HOURS"), (420, "8. INSTRUCTOR")],
            [(72, "04/14/2026"), (260, "6"), (420, "Lt, Oren Baptiste")]]
    record = extract_certificate(make_page(rows))
    assert record.value("post_number") == "MI-DE-3302"
    assert record.value("instructor_name") == "Oren Baptiste"
    assert record.value("officer_name") == "Helena Voss"


@pytest.mark.parametrize(("text", "name"), [
    ("Cpl, Paul Greer", "Paul Greer"),  # an abbreviated rank's full stop read as a comma
    ("Det, Ana Ruiz", "Ana Ruiz"),
])
def test_a_rank_read_with_a_comma_is_still_a_rank(text: str, name: str) -> None:
    from extractors.names import normalise_name

    assert normalise_name(text) == name
    # a surname that is a rank word is written out, never abbreviated: not taken for a rank
    assert normalise_name("MAJOR, ANA LUCIA") != "Ana Lucia"
