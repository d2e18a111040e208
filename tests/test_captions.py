"""Captions no wording list holds, typed by their words (extractors/captions.py).

The forms here are drawn in a style of their own: captions made of ordinary words ("Enrolled
Trooper No.", "Seat Time (hrs)", "Cohort Leader") that no phrase list of the reader holds,
with a dash after them or printed under their values.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas
from test_certificate_extraction import make_page

from extractors.captions import caption_field
from extractors.certificate import extract_certificate
from extractors.labels import find_labels
from extractors.reading import ReadContext, read_document
from extractors.types import DocumentKind, ReferenceHints
from ingestion.pipeline import extract_page


@pytest.mark.parametrize(("caption", "field"), [
    ("Enrolled Trooper No.", "badge_number"),
    ("Shield", "badge_number"),
    ("Lesson Key", "post_number"),
    ("Seat Time (hrs)", "hours"),
    ("Cohort Leader", "instructor_name"),
    ("Venue of Instruction", "location"),
    ("Session Mode", "training_format"),
    ("Day Concluded", "training_date"),
    ("Delivered On", "training_date"),
    ("Module Subject", "course_title"),
    ("Graduate of Record", "officer_name"),
    ("Site Trained", "location"),  # where it was held, not when
    ("Campus Held", "location"),
    ("Course Participant", "officer_name"),  # the last word says who: the participant
    ("Lesson Attendee", "officer_name"),
    ("Subject Taught", "course_title"),  # what was taught; "Taught By" is who
    ("Taught By", "instructor_name"),
    ("Trooper Licence Nbr", "badge_number"),  # the trooper's own licence: names the trooper
    ("Enrollee Certification #", "badge_number"),
    ("Recruit Trained", "officer_name"),  # who was trained; "Date Trained" is when
    ("Cadet Trained On", "training_date"),
])
def test_a_caption_is_typed_by_the_families_of_its_words(caption: str, field: str) -> None:
    assert caption_field(caption) == field


@pytest.mark.parametrize("caption", [
    "Use of Force Training",  # two words of no family: a title, not a caption
    "Member Signature",  # a signature's caption
    "Training Captain",  # a signer's rank under the name
    "Certificate No.",  # the paper's own number
    "Cert. Nbr",
    "Certificate Holder",  # no number of anyone's
    "Registry No.",  # an identifier of what?
    "Badge No. 4471",  # a caption holds no number
    "Prepared By",
    "Credit Type",  # the kind of a count (Mandated, Elective), not the count
    "Type of Credit",
    "Hours Category",
])
def test_words_that_are_no_field_caption_are_left(caption: str) -> None:
    assert caption_field(caption) is None


def test_a_caption_naming_the_kind_of_credit_is_no_hours_label() -> None:
    """GIVEN a course table whose last head names the kind of credit, its value a word
    WHEN its captions are found THEN the listed "Credit" in it names no hours there (a
    number beside it would be read as hours), while "Session Type" stays a format and
    "Credit Hours" hours."""
    assert not [h for h in find_labels("Credit Type") if h.field == "hours"]
    assert not [h for h in find_labels("Type of Credit") if h.field == "hours"]
    assert [h.field for h in find_labels("Credit Hours")] == ["hours"]
    assert [h.field for h in find_labels("Session Type")] == ["training_format"]
    rows = [
        ("Quarry Ridge Training Unit", {"size": 16}),
        ("Course Credit Record", {"size": 18}),
        [(60, "Trainee:"), (250, "Wendell Arbury")],
        [(60, "Badge No.:"), (250, "6620")],
        ([(60, "Board Course No."), (200, "Date Held"), (330, "Credit Type")],
         {"size": 9, "gap": 12}),
        [(60, "5521"), (200, "04/09/2025"), (330, "2 - Mandated")],
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("hours") is None
    assert str(record.value("training_date")) == "2025-04-09"


def test_strict_captions_need_two_family_words_and_nothing_else() -> None:
    """Words with no colon or dash after them are a caption only when every word is one."""
    assert caption_field("Module Subject", strict=True) == "course_title"
    assert caption_field("Firearms Training", strict=True) is None
    assert caption_field("Training", strict=True) is None


def test_dash_captions_over_values_in_two_columns() -> None:
    """GIVEN a form whose captions end in a dash over their values, two to a row
    WHEN extracted THEN every value is read under its own caption."""
    left, right = 60, 420
    rows = [
        ("Marsh Hollow Peace Academy", {"size": 16}),
        ("Statement of Instruction", {"size": 18}),
        [(left, "Module Subject -")],
        [(left, "Calm Voice Methods")],
        [(left, "Graduate of Record -"), (right, "Lesson Key -")],
        [(left, "Rowan Tilley"), (right, "MH-2207")],
        [(left, "Enrolled Trooper No. -"), (right, "Session Mode -")],
        [(left, "T-5512"), (right, "Classroom")],
        [(left, "Venue of Instruction -"), (right, "Seat Time (hrs) -")],
        [(left, "Marsh Hollow Range House"), (right, "6.5")],
        [(right, "Cohort Leader -")],
        [(right, "Inez Okonkwo")],
        [(right, "Day Concluded -")],
        [(right, "14 March 2026")],
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("course_title") == "Calm Voice Methods"
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("post_number") == "MH-2207"
    assert record.value("badge_number") == "T-5512"
    assert record.value("training_format") == "classroom"
    assert record.value("location") == "Marsh Hollow Range House"
    assert record.value("hours") == 6.5
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"


def test_captions_printed_under_their_values() -> None:
    """GIVEN a form that prints each caption under its value, with no colon or dash, two
    captions to a row where two values share one WHEN extracted THEN each caption reads the
    value over it, not the next one under it; the tall title's words claim nothing."""
    left, right = 60, 420
    rows = [
        ("Module Completion Form", {"size": 22}),
        ([(left, "Rowan Tilley")], {"gap": 14}),
        ([(left, "Enrolled Graduate")], {"size": 9}),
        ([(left, "T-5512")], {"gap": 14}),
        ([(left, "Enrolled Trooper No.")], {"size": 9}),
        ([(left, "Calm Voice Methods")], {"gap": 14}),
        ([(left, "Module Subject")], {"size": 9}),
        ([(left, "MH-2207"), (right, "Inez Okonkwo")], {"gap": 14}),
        ([(left, "Lesson Key"), (right, "Cohort Leader")], {"size": 9}),
        ([(left, "14 March 2026"), (right, "6.5")], {"gap": 14}),
        ([(left, "Day Concluded"), (right, "Seat Time (hrs)")], {"size": 9}),
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("badge_number") == "T-5512"
    assert record.value("course_title") == "Calm Voice Methods"
    assert record.value("post_number") == "MH-2207"
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"
    assert record.value("hours") == 6.5


def _draw_scanned_form(path: Path) -> Path:
    """The dash-caption form drawn, rendered at 300 dpi and saved as a scan."""
    pdf = path.with_suffix(".pdf")
    c = _statement(pdf)
    c.setFont("Helvetica", 11)
    cells = [("Module Subject -", "Calm Voice Methods", "Lesson Key -", "MH-2207"),
             ("Graduate of Record -", "Rowan Tilley", "Enrolled Trooper No. -", "T-5512"),
             ("Day Concluded -", "14 March 2026", "Seat Time (hrs) -", "6.5"),
             ("Cohort Leader -", "Inez Okonkwo", "Venue of Instruction -", "Range House")]
    y = 650
    for cap1, val1, cap2, val2 in cells:
        c.setFont("Helvetica-Oblique", 10)
        c.drawString(72, y, cap1)
        c.drawString(330, y, cap2)
        c.setFont("Helvetica", 13)
        c.drawString(80, y - 18, val1)
        c.drawString(338, y - 18, val2)
        y -= 56
    return _saved_as_scan(c, pdf, path)


def _statement(pdf: Path) -> Canvas:
    """A letter page headed with the academy's name and the statement's title."""
    c = Canvas(str(pdf), pagesize=letter)
    c.setFont("Helvetica-Bold", 17)
    c.drawString(72, 720, "Marsh Hollow Peace Academy")
    c.setFont("Helvetica", 15)
    c.drawString(72, 695, "Statement of Instruction")
    return c


def _saved_as_scan(c: Canvas, pdf: Path, path: Path) -> Path:
    """The drawn page saved, rendered at 300 dpi and written to ``path`` as a scan."""
    c.save()
    page = pdfium.PdfDocument(str(pdf))[0]
    page.render(scale=300 / 72, grayscale=True).to_pil().save(path, dpi=(300, 300))
    return path


def test_a_scanned_form_in_captions_no_list_holds_is_read_as_a_certificate(tmp_path) -> None:
    """GIVEN a scan of a form titled and captioned in words no list holds
    WHEN it is read with tesseract and extracted THEN its values are read under their
    captions and the page, holding one officer's whole training, is a certificate."""
    scan = _draw_scanned_form(tmp_path / "statement.png")
    ctx = ReadContext(work_dir=tmp_path / "work")
    page = next(read_document(scan, ctx))
    outcome, records = extract_page(page, ReferenceHints())
    assert outcome.kind == DocumentKind.CERTIFICATE, outcome.why
    (record,) = records
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("badge_number") == "T-5512"
    assert record.value("post_number") == "MH-2207"
    assert record.value("hours") == 6.5
    assert str(record.value("training_date")) == "2026-03-14"
    assert record.value("instructor_name") == "Inez Okonkwo"


# A one-row table of the course's facts: a listed caption ("Instructor"), captions of
# unlisted words that name their field only as captions ("Dated", "Seat Time": one family
# word each, which alone on a line could be a value's) and one that names nothing of a
# record ("Batch No."), each over its value across wide gaps.
_TABLE_CAPTIONS = [(60, "Instructor"), (250, "Dated"), (420, "Batch No."),
                   (560, "Seat Time")]
_TABLE_VALUES = [(60, "Inez Okonkwo"), (250, "14 March 2026"), (420, "B-17"), (560, "6.5")]


def test_a_row_of_captions_with_one_naming_nothing_reads_column_by_column() -> None:
    """GIVEN a course table whose caption row holds a listed caption, captions no list
    holds and one naming nothing of a record WHEN extracted THEN the row is read as a row
    of captions all the same: each caption reads only the value under it, the unlisted
    captions read the date and the hours, and the batch number is no field's value."""
    rows = [
        ("Marsh Hollow Peace Academy", {"size": 16}),
        ("Statement of Instruction", {"size": 18}),
        [(60, "Graduate of Record:"), (250, "Rowan Tilley")],
        [(60, "Enrolled Trooper No.:"), (250, "T-5512")],
        [(60, "Module Subject:"), (250, "Calm Voice Methods")],
        (_TABLE_CAPTIONS, {"size": 9, "gap": 12}),
        _TABLE_VALUES,
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"
    assert record.value("hours") == 6.5
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("post_number") in (None, "")
    assert "B-17" not in {str(f.value) for f in record.fields.values()}


def test_a_scanned_course_table_with_unlisted_captions_is_a_certificate(tmp_path) -> None:
    """GIVEN a scan of that form, the course table ruled, read by tesseract WHEN extracted
    THEN the page is a certificate with the table's instructor, date and hours."""
    pdf = tmp_path / "statement.pdf"
    c = _statement(pdf)
    c.setFont("Helvetica", 12)
    person = (("Graduate of Record:", "Rowan Tilley"), ("Enrolled Trooper No.:", "T-5512"),
              ("Module Subject:", "Calm Voice Methods"))
    for y, (cap, val) in zip((650, 626, 602), person, strict=True):
        c.drawString(72, y, cap)
        c.drawString(230, y, val)
    xs = [72, 232, 372, 472, 560]
    c.setLineWidth(0.7)
    for y in (570, 552, 530):
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, 530, x, 570)
    for x, (_, cap), (_, val) in zip(xs, _TABLE_CAPTIONS, _TABLE_VALUES, strict=False):
        c.setFont("Helvetica-Bold", 9)
        c.drawString(x + 6, 557, cap)
        c.setFont("Helvetica", 11)
        c.drawString(x + 6, 536, val)
    scan = _saved_as_scan(c, pdf, tmp_path / "statement.png")
    page = next(read_document(scan, ReadContext(work_dir=tmp_path / "work")))
    outcome, records = extract_page(page, ReferenceHints())
    assert outcome.kind == DocumentKind.CERTIFICATE, outcome.why
    (record,) = records
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"
    assert record.value("hours") == 6.5


def test_a_word_past_a_wide_gap_heads_its_own_column() -> None:
    """GIVEN a label word right after a caption of something else WHEN it follows that
    caption at a word's space THEN it is part of it ("Training Provider Hours" names the
    provider's hours, no record field); past a wide gap it heads the next column and names
    its own field."""
    from extractors.labels import find_labels

    glued = find_labels("Training Provider Hours")
    apart = find_labels("Training Provider    Hours", frozenset({21}))
    assert [h.field for h in glued] == [None]
    assert [(h.text, h.field) for h in apart] == [("Training Provider", None), ("Hours", "hours")]


# A form's captions down its left edge with no colon or dash, each value past a wide gap:
# some captions any line would read ("Lesson Key", "Module Subject", "Date Completed"),
# others a word of no caption family beside one family word, which on a line alone could as
# well be a value ("Attending Deputy", "Accrued Hours", "Guest Facilitator").
_COLUMN_FORM = [("Lesson Key", "MH-2207"), ("Attending Deputy", "Rowan Tilley"),
                ("Module Subject", "Calm Voice Methods"), ("Accrued Hours", "6.5"),
                ("Guest Facilitator", "Inez Okonkwo"), ("Date Completed", "14 March 2026")]


def test_a_forms_column_of_captions_reads_every_caption_in_it() -> None:
    """GIVEN a form whose captions stand one under another at the left edge, half of them
    captions on their own and half only where they stand WHEN extracted THEN every caption
    of the column reads the value right of it."""
    rows = [("Marsh Hollow Peace Academy", {"size": 16}),
            ("Statement of Instruction", {"size": 18}),
            *[[(60, caption), (260, value)] for caption, value in _COLUMN_FORM]]
    record = extract_certificate(make_page(rows))
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("hours") == 6.5
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert record.value("post_number") == "MH-2207"
    assert record.value("course_title") == "Calm Voice Methods"


def test_a_table_of_ranks_and_names_is_no_column_of_captions() -> None:
    """GIVEN a roll whose rows begin with a rank and a name ("Deputy Tilley") under a
    caption line and a row of captions, all at one left edge WHEN its labels are found THEN
    the names stay values: two captions over many rows of values are a table's, not a
    column of captions."""
    from extractors.caption_column import labels_of_rows
    from extractors.layout import build_rows

    people = [("Deputy Tilley", "T-5512"), ("Trooper Okonkwo", "T-7710"),
              ("Deputy Marsh", "T-1184"), ("Trooper Hale", "T-3021")]
    rows = [("Roll of Attendance", {"size": 16}),
            [(60, "Module Subject"), (260, "Calm Voice Methods")],
            [(60, "Attendee"), (260, "Badge Number")],
            *[[(60, name), (260, badge)] for name, badge in people]]
    page_rows = build_rows(make_page(rows))
    hits = labels_of_rows(page_rows)
    assert hits[page_rows[1].index] and hits[page_rows[2].index]  # two captions known
    for row in page_rows[3:]:
        assert not hits[row.index], row.text


def test_a_scanned_form_with_a_column_of_captions_is_a_certificate(tmp_path) -> None:
    """GIVEN a scan of that form, read by tesseract WHEN extracted THEN the page, its
    captions found where they stand, is a certificate with the officer, hours and
    facilitator right of their captions."""
    pdf = tmp_path / "statement.pdf"
    c = _statement(pdf)
    y = 650
    for caption, value in _COLUMN_FORM:
        c.setFont("Helvetica", 10)
        c.drawString(72, y, caption.upper())
        c.setFont("Times-Roman", 13)
        c.drawString(250, y, value)
        c.line(245, y - 4, 540, y - 4)
        y -= 36
    scan = _saved_as_scan(c, pdf, tmp_path / "statement.png")
    page = next(read_document(scan, ReadContext(work_dir=tmp_path / "work")))
    outcome, records = extract_page(page, ReferenceHints())
    assert outcome.kind == DocumentKind.CERTIFICATE, outcome.why
    (record,) = records
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("hours") == 6.5
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"


def test_right_aligned_captions_whose_values_start_at_one_edge_are_read() -> None:
    """GIVEN a form whose captions are set flush right against the column of their values,
    a space wider than a word's apart and no gap wide enough to split the line, most of
    them in words no list holds ("Syllabus Title", "Attending Deputy", "Accrued Hours")
    WHEN classified and extracted THEN it is a certificate (a caption naming the syllabus
    says what was taught, not that the page is a syllabus) and every caption reads its
    value."""
    from test_certificate_extraction import _advance

    from extractors.classify import classify_page

    size, edge = 12.0, 200.0
    captions = [("Syllabus Title", "Calm Voice Methods"), ("Attending Deputy", "Rowan Tilley"),
                ("Deputy Shield No.", "T-5512"), ("Accrued Hours", "6.5"),
                ("Guest Facilitator", "Inez Okonkwo"), ("Date Concluded", "14 March 2026"),
                ("Lesson Key", "MH-2207")]
    rows = [("Marsh Hollow Peace Academy", {"size": 16}),
            ("Statement of Instruction", {"size": 18}),
            *[[(edge - 1.2 * size - _advance(caption, size), caption), (edge, value)]
              for caption, value in captions]]
    page = make_page(rows)
    verdict = classify_page(page)
    assert verdict.kind == DocumentKind.CERTIFICATE, verdict.why
    record = extract_certificate(page)
    assert record.value("course_title") == "Calm Voice Methods"
    assert record.value("officer_name") == "Rowan Tilley"
    assert record.value("badge_number") == "T-5512"
    assert record.value("hours") == 6.5
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert str(record.value("training_date")) == "2026-03-14"


#: A training record whose course title is captioned "Syllabus Title:".
_SYLLABUS_RECORD = [[(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
                    [(60, "Graduate of Record:"), (230, "Rowan Tilley")],
                    [(60, "Enrolled Trooper No.:"), (230, "T-5512")],
                    [(60, "Lesson Key:"), (230, "MH-2207")],
                    [(60, "Seat Time (hrs):"), (230, "6.5")],
                    [(60, "Day Concluded:"), (230, "14 March 2026")]]


def test_a_caption_naming_the_syllabus_does_not_make_the_page_an_announcement() -> None:
    """GIVEN a training record whose course title is captioned "Syllabus Title:" WHEN
    classified THEN the caption's word does not count as an announcement's wording (a
    syllabus handed out before a course), while the same word in a sentence still does."""
    from extractors.classify import classify_page

    record = _SYLLABUS_RECORD
    title = [("Marsh Hollow Peace Academy", {"size": 16}),
             ("Statement of Instruction", {"size": 18})]
    verdict = classify_page(make_page([*title, *record]))
    assert verdict.kind == DocumentKind.CERTIFICATE, verdict.why
    handout = classify_page(make_page([*title, *record,
                                       "The syllabus for the next session follows."]))
    assert "announcement" in handout.objections


def test_a_misread_title_caption_still_blanks_the_words_before_it() -> None:
    """GIVEN the same record whose title caption came out of the scan with its head word
    misread ("Syllabus Titl -", only the last word matched as a title's label) WHEN
    classified THEN the caption's first word still says nothing of what the page is."""
    from extractors.classify import classify_page

    record = [[(60, "Syllabus Titl -"), (230, "Calm Voice Methods")], *_SYLLABUS_RECORD[1:]]
    title = [("Marsh Hollow Peace Academy", {"size": 16}),
             ("Statement of Instruction", {"size": 18})]
    verdict = classify_page(make_page([*title, *record]))
    assert verdict.kind == DocumentKind.CERTIFICATE, verdict.why
    assert not verdict.objections, verdict.why


def test_a_caption_whose_last_word_is_the_objection_still_objects() -> None:
    """GIVEN the same record under a line "Course Request: file with the unit" (a caption
    whose head noun is the request itself) WHEN classified THEN the page is left to a person
    as a request, though the caption would otherwise be read as the course's title."""
    from extractors.classify import classify_page

    record = _SYLLABUS_RECORD
    title = [("Marsh Hollow Peace Academy", {"size": 16}),
             ("Course Request: file with the unit", {"size": 12})]
    verdict = classify_page(make_page([*title, *record]))
    assert verdict.kind == DocumentKind.UNKNOWN, verdict.why
    assert verdict.objections, verdict.why


@pytest.mark.parametrize("caption", ["CE Credit (hrs):", "Hours (hrs.):", "Credit (hours):"])
def test_a_caption_with_its_unit_in_brackets_is_one_caption(caption) -> None:
    """GIVEN an hours caption whose unit stands in brackets after it, both words listed hours
    captions ("Credit", "hrs") WHEN the record is read THEN the caption is one caption and
    the hours are the figure after its colon (the bracket is no value)."""
    rows = [[(60, "Graduate of Record:"), (230, "Rowan Tilley")],
            [(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
            [(60, "Day Concluded:"), (230, "14 March 2026"), (380, caption), (470, "3.50")]]
    record = extract_certificate(make_page(rows))
    assert record.value("hours") == 3.5
    assert str(record.value("training_date")) == "2026-03-14"


def test_the_named_officers_own_badge_is_found_far_from_the_name() -> None:
    """GIVEN a record whose officer number stands rows under the name, in a second column,
    under "Serial No." (a caption the lexicon keeps for the paper's own number), the name
    read without its accent ("Ramirez" for the roster's "Ramírez") WHEN read with the roster
    THEN the badge is that officer's roster badge; another officer's roster badge printed
    there is never taken for it."""
    def page(number: str):
        return make_page([
            [(60, "Graduate of Record:"), (230, "Ines Ramirez")],
            [(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
            [(60, "Lesson Key:"), (230, "MH-2207")],
            [(60, "Day Concluded:"), (230, "14 March 2026"), (420, "Serial No.:"),
             (520, number)],
            [(60, "Seat Time (hrs):"), (230, "6.5")]])

    hints = ReferenceHints(officers=(("00417", "Ines Ramírez"), ("00552", "Tomas Ferreira")),
                           badge_numbers=("00417", "00552"),
                           officer_names=("Ines Ramírez", "Tomas Ferreira"))
    assert extract_certificate(page("00417"), hints).value("badge_number") == "00417"
    assert extract_certificate(page("00552"), hints).value("badge_number") is None


@pytest.mark.parametrize("caption", ["OFFICER CERTIFICATION NO.", "Officer Cert. Number -"])
def test_an_officers_certification_number_is_the_officers_number(caption) -> None:
    """GIVEN the officer's number captioned as the officer's certification number (a peace
    officer's licence), beside "Certificate No." of the paper itself WHEN read THEN the badge
    is the officer's number and never the paper's."""
    record = extract_certificate(make_page([
        [(60, "Graduate of Record:"), (230, "Rowan Tilley")],
        [(60, caption), (230, "T-5512")],
        [(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
        [(60, "Certificate No.:"), (230, "2026-0113")]]))
    assert record.value("badge_number") == "T-5512"


def test_captions_read_with_a_slipped_letter_or_a_dash_glued_to_them() -> None:
    """GIVEN a scan's captions with one letter slipped ("Sesion Leader", "Lacation of
    Training", "Credted Hours") and a caption's dash glued to its last word ("Day Concluded-")
    WHEN read THEN each caption still names its field and its value is read; a short word one
    letter from a caption word ("Peace" from "place") is not read as that word."""
    record = extract_certificate(make_page([
        [(60, "Graduate of Record -"), (230, "Rowan Tilley")],
        [(60, "Sesion Leader -"), (230, "Inez Okonkwo")],
        [(60, "Lacation of Training -"), (230, "Marsh Hollow Range House")],
        [(60, "Day Concluded- 14 March 2026")],
        [(60, "Credted Hours -"), (230, "6.5")]]))
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert record.value("location") == "Marsh Hollow Range House"
    assert str(record.value("training_date")) == "2026-03-14"
    assert record.value("hours") == 6.5
    assert caption_field("Peace Officer") == "officer_name"


def test_a_tail_word_before_a_dash_and_a_code_behind_leader_dots() -> None:
    """GIVEN "Hrs. Completed -" (a tail word after a full stop, before a dash) and a course's
    number after "Lesson Code:" and a run of leader dots WHEN read with the catalog THEN the
    hours are the caption's and the course number is the catalog's number."""
    record = extract_certificate(make_page([
        [(60, "Graduate of Record -"), (230, "Rowan Tilley")],
        [(60, "Hrs. Completed -"), (230, "6.5")],
        [(60, "Syllabus Title: Calm Voice Methods    Lesson Code: .......... MH-2207")],
        [(60, "Day Concluded -"), (230, "14 March 2026")]]),
        ReferenceHints(post_numbers=("MH-2207",), courses=(("MH-2207", "Calm Voice Methods"),)))
    assert record.value("hours") == 6.5
    assert record.value("post_number") == "MH-2207"


def test_a_table_of_the_course_headed_approval_code() -> None:
    """GIVEN a one-row table of the course under "Approval Code | Date Held | Venue" WHEN
    read THEN the code is the course's number and the date the training's."""
    record = extract_certificate(make_page([
        [(60, "Graduate of Record:"), (230, "Rowan Tilley")],
        [(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
        [(60, "APPROVAL CODE"), (230, "DATE HELD"), (400, "VENUE")],
        [(60, "MH-2207"), (230, "14 March 2026"), (400, "Marsh Hollow")]]))
    assert record.value("post_number") == "MH-2207"
    assert str(record.value("training_date")) == "2026-03-14"


def test_a_caption_made_of_two_listed_words_of_other_fields_is_typed_whole() -> None:
    """GIVEN a row of captions under their values whose second caption is two listed words
    of other things ("Course" a title's, "Director" no field's) WHEN read THEN "Course
    Director" is one caption, the teacher's, and its value the instructor."""
    record = extract_certificate(make_page([
        [(60, "Graduate of Record:"), (230, "Rowan Tilley")],
        [(60, "Syllabus Title:"), (230, "Calm Voice Methods")],
        [(60, "6.5"), (300, "INEZ OKONKWO")],
        [(60, "Hours Earned"), (300, "Course Director")]]))
    assert record.value("instructor_name") == "Inez Okonkwo"
    assert record.value("course_title") == "Calm Voice Methods"


@pytest.mark.parametrize("line", ["Member No. T-5512", "Member Number T-5512", "Member #: T-5512"])
def test_a_members_number_without_a_colon_is_the_badge(line) -> None:
    """GIVEN a record in sentences whose officer's number stands on a line of its own after
    "Member No." with no colon WHEN read THEN it is the badge."""
    record = extract_certificate(make_page([
        ("This is to certify that", {}),
        ("Rowan Tilley", {"size": 16}),
        (line, {}),
        ("has completed Calm Voice Methods on 14 March 2026 earning 6.5 hours", {})]))
    assert record.value("badge_number") == "T-5512"


@pytest.mark.parametrize(("heads", "values"), [
    # an identifier's head ("Board Permit #") no family holds, among typed captions
    ([(60, "Board Permit #"), (150, "Logged Hours"), (240, "Delivery Mode"), (330, "Cadre"),
      (440, "Day Given")],
     [(60, "7702"), (150, "Six (6)"), (240, "Classroom"), (330, "Ilse Varga"),
      (440, "May 2, 2025")]),
    # a caption of nothing ("Credit Type") heads its own column: the hours caption right of
    # it reads only its own column
    ([(60, "Permit #"), (150, "Credit Type"), (240, "Result"), (330, "Credit Hrs"),
      (420, "Lead Presenter"), (510, "Day Given")],
     [(60, "7702"), (150, "Required"), (240, "Pass"), (330, "Six (6)"), (420, "Ilse Varga"),
      (510, "05/02/2025")]),
])
def test_a_course_table_read_column_by_column_past_heads_of_other_things(heads, values):
    """GIVEN a course table whose row of heads holds heads naming nothing of a record WHEN
    extracted THEN each field's head reads the value in its own column."""
    rows = [
        ("Lakeshore Defensive Tactics Institute", {"size": 16}),
        ("Record of Course Credit", {"size": 18}),
        [(60, "Participant:"), (250, "Hollis Brandt")],
        [(60, "Subject:"), (250, "Verbal Control Tactics")],
        (heads, {"size": 9, "gap": 12}),
        values,
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("hours") == 6.0
    assert record.value("instructor_name") == "Ilse Varga"
    assert str(record.value("training_date")) == "2025-05-02"


def test_a_course_tables_heads_set_close_are_split_where_their_values_start() -> None:
    """GIVEN a course table whose heads stand a few word spaces apart, no gap wide, over a
    row of values that start where their heads start WHEN extracted THEN the heads are
    split at the values' columns and each reads its own value (run together, they were
    one caption of nothing)."""
    small = {"size": 9}
    rows = [
        ("Fenwick Valley Regional Academy", {"size": 16}),
        ("Course Completion Record", {"size": 18}),
        [(60, "Attendee:"), (250, "Bruno Castellane")],
        [(60, "Subject:"), (250, "Scene Safety and Calm Contact")],
        ([(60, "Approval Ref."), (130, "Result"), (168, "Trainer of Record"),
          (256, "Instruction Hours"), (344, "Credit Type"), (405, "Date of Session")],
         {**small, "gap": 12}),
        ([(60, "TC 2290"), (130, "Passed"), (168, "Marta Quillon"), (256, "Three (3)"),
          (344, "Elective"), (405, "June 4, 2025")], small),
    ]
    record = extract_certificate(make_page(rows))
    assert record.value("hours") == 3.0
    assert record.value("instructor_name") == "Marta Quillon"
    assert str(record.value("training_date")) == "2025-06-04"


def test_a_listed_label_with_a_tail_of_its_own_covers_the_tail() -> None:
    """GIVEN captions that run on past a listed label with a joining word ("Hours of
    Instruction", "Hours in Class"), their values right after them, no colon WHEN
    extracted THEN the tail is part of the caption and the value after it is read."""
    for caption in ("Hours of Instruction", "Hours in Class"):
        rows = [
            ("Copperline Academy of Public Safety", {"size": 16}),
            ("Continuing Education Credit", {"size": 18}),
            [(60, "Participant:"), (250, "Hollis Brandt")],
            [(60, "Subject:"), (250, "Verbal Control Tactics")],
            [(60, f"{caption} 6.0")],
        ]
        assert extract_certificate(make_page(rows)).value("hours") == 6.0, caption
