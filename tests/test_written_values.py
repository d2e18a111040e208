"""Dates and hours written by pen into a typed form's blanks (issue 16, header values).

Our own forms (:mod:`devtools.samplegen.handforms`): a sign-in sheet whose header leaves
``Session Date: ____`` and ``Contact Hours: ____`` to be written in, and a one-officer
training record with ``Date of Class: ____`` and ``Hours: ____``, written in a Debian
handwriting font no corpus uses, saved as a 300-dpi scan and as a 200-dpi black-and-white
fax. Each is read by the real pipeline (:func:`ingestion.pipeline.extract_page`: the
reader, tesseract, the page's classification, the sheet or certificate reader, the second
recognizer on the blanks).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from devtools.samplegen.drawing import find_font_file
from devtools.samplegen.handforms import (
    render_hand_form_record,
    render_hand_form_sheet,
    write_hand_form,
)
from extractors import handwriting as hand
from extractors.certificate import extract_certificate
from extractors.reading import ReadContext, read_document
from extractors.types import BBox, DocumentKind, ReferenceHints
from extractors.written import (
    SEEN_AGAIN,
    WrittenReading,
    _against_the_page,
    _date,
    plausible_hours,
    read_written_values,
)
from ingestion.pipeline import extract_page

FONT = "dkg.ttf"
RENDER = {"sheet": render_hand_form_sheet, "record": render_hand_form_record}


def _read(kind: str, fax: bool, tmp: Path, written: bool = True, seed: int = 1):
    form = RENDER[kind](FONT, seed=seed, written=written)
    path = write_hand_form(form, tmp / f"{kind}-{fax}-{written}.png", fax=fax, seed=seed)
    (page,) = list(read_document(path, ReadContext(tmp / "work", keep_page_images=False)))
    _outcome, records = extract_page(page, ReferenceHints())
    return form, records


@pytest.fixture(scope="module")
def tmp(tmp_path_factory):
    if find_font_file(FONT) is None:
        pytest.fail("handwriting fonts missing: run scripts/setup.sh (make setup)")
    return tmp_path_factory.mktemp("handforms")


def _day(form) -> dt.date:
    month, day, year = form.day.split("/")
    return dt.date(int(year), int(month), int(day))


@pytest.mark.ocr
@pytest.mark.parametrize("fax", [False, True], ids=["scan300", "fax200"])
def test_a_sheet_header_written_by_hand_is_read(tmp, fax):
    """GIVEN a typed sheet whose date and hours were written on their blank lines by hand
    WHEN it is read through the pipeline (as a scan, and as a black-and-white fax)
    THEN every attendee row carries the written date and hours, read surely enough to be
    checked by the rules (>= 0.6), and the typed course number."""
    form, records = _read("sheet", fax, tmp)
    assert len(records) == len(form.people)
    for rec in records:
        assert rec.kind == DocumentKind.SIGN_IN_SHEET
        assert rec.value("training_date") == _day(form)
        assert rec.value("hours") == float(form.hours)
        assert rec.confidence("training_date") >= 0.6 and rec.confidence("hours") >= 0.6
        assert rec.value("post_number") == form.post_number


@pytest.mark.ocr
@pytest.mark.parametrize("fax", [False, True], ids=["scan300", "fax200"])
def test_a_certificate_date_written_by_hand_is_read(tmp, fax):
    """GIVEN a typed training record whose date of class and hours were written by pen
    WHEN it is read through the pipeline
    THEN the date and hours are the written ones, with the typed officer and course."""
    form, (rec,) = _read("record", fax, tmp)
    assert rec.kind == DocumentKind.CERTIFICATE
    assert rec.value("training_date") == _day(form)
    assert rec.confidence("training_date") >= 0.6
    assert rec.value("hours") == float(form.hours)
    assert rec.value("badge_number") == form.people[0].badge
    assert rec.value("post_number") == form.post_number


@pytest.mark.ocr
@pytest.mark.parametrize("kind", ["sheet", "record"])
def test_an_empty_blank_stays_missing(tmp, kind):
    """GIVEN the same form with its date and hours lines left empty
    WHEN it is read (as a fax, specks and all)
    THEN no date and no hours are made up: the fields stay missing."""
    _form, records = _read(kind, True, tmp, written=False)
    assert records
    for rec in records:
        assert rec.value("training_date") is None
        assert rec.value("hours") is None


@pytest.mark.ocr
def test_switched_off_the_written_date_is_not_read(tmp, monkeypatch):
    """With ``CREDENCE_HANDWRITING=off`` the reading is tesseract's alone: the pen-written
    date of the fax stays unread (so the second recognizer is what reads it)."""
    monkeypatch.setenv(hand.SETTING, "off")
    _form, records = _read("sheet", True, tmp)
    assert records and all(rec.value("training_date") is None for rec in records)


@pytest.mark.ocr
def test_an_unsure_value_is_never_changed(tmp):
    """GIVEN a training record whose date was written by pen, and another date for it read
    unsure (0.4) by the first reading
    WHEN the writing is read by the second recognizer (which reads the written date)
    THEN the unsure value stays exactly as it was, confidence and all: the record goes to
    review, the writing never replaces a value (it can only confirm one)."""
    form = render_hand_form_record(FONT, seed=1)
    path = write_hand_form(form, tmp / "record-unsure.png")
    (page,) = list(read_document(path, ReadContext(tmp / "work", keep_page_images=False)))
    record = extract_certificate(page.text, ReferenceHints())
    read = read_written_values(record, page.text, page.image, page.text.dpi, by_hand=True)
    assert read.value("training_date") == _day(form)  # the writing is readable
    wrong = _day(form) + dt.timedelta(days=1)
    unsure = replace(record, fields={**record.fields, "training_date": replace(
        read.fields["training_date"], value=wrong, confidence=0.4)})
    again = read_written_values(unsure, page.text, page.image, page.text.dpi, by_hand=True)
    assert again.value("training_date") == wrong
    assert again.confidence("training_date") == 0.4


@pytest.mark.ocr
def test_a_corrected_year_is_judged_by_the_officials_date(tmp):
    """GIVEN a faxed sheet whose header date's year was written over (a digit corrected, so
    the second recognizer reads the year a decade off, surely), and the official's
    ``Date:`` beside the signature with the same day and the right two-digit year
    WHEN it is read through the pipeline
    THEN the misread year is not taken: the date is missing or right on every row, never a
    decade off (the rows go to review for their date)."""
    form = render_hand_form_sheet(FONT, seed=1, corrected_year=True, dated=True)
    path = write_hand_form(form, tmp / "corrected-year.png", fax=True, seed=1)
    (page,) = list(read_document(path, ReadContext(tmp / "work", keep_page_images=False)))
    _outcome, records = extract_page(page, ReferenceHints())
    assert len(records) == len(form.people)
    for rec in records:
        assert rec.value("training_date") in (None, _day(form))
        assert rec.value("post_number") == form.post_number


# --- the parsers, without OCR --------------------------------------------------------------


def test_a_written_date_whose_slashes_read_as_strokes():
    assert _date("07/23/2026") == dt.date(2026, 7, 23)
    assert _date("0712312026") == dt.date(2026, 7, 23)  # upright slashes read as ones
    assert _date("7l23l2026") == dt.date(2026, 7, 23)
    assert _date("1112312026") == dt.date(2026, 11, 23)  # only 11|23|2026 is a date
    assert _date("0712372026") is None  # the strokes differ: no reading
    assert _date("7123/2026") is None
    assert _date("0713212026") is None  # 07|32|... is no date, 07|3|2|... no year
    assert _date("03/14/1026") is None  # a year's 2 read as a 1: no training was held then
    assert _date("0311411026") is None
    assert _date("12/23/20÷5") is None  # a corrected year, not the 23rd of December 2020
    assert _date("on 12/23/2025 and 12/24/2025") is None  # two days: not one date
    assert _date("12/23/2025.") == dt.date(2025, 12, 23)


def _reading(text: str) -> WrittenReading:
    return WrittenReading(_date(text), text, 0.9, BBox(300, 90, 400, 110))


def test_a_year_both_readers_slipped_on_is_taken_from_the_day_written_again():
    """Tesseract and the second recognizer agree on July 23rd, not on the year; the page
    writes July 23rd again (the official's 7/23/26) and the fax's own stamp another day."""
    texts, looked = ["07/23 /2 016"], [_reading("07/23/1026")]
    assert looked[0].value is None
    elsewhere = [dt.date(2026, 7, 31), dt.date(2026, 7, 23)]
    (made,) = _against_the_page([], texts, looked, elsewhere)
    assert made.value == dt.date(2026, 7, 23) and made.confidence == SEEN_AGAIN
    # the day written again must fit each reading's year within one slip
    assert _against_the_page([], texts, looked, [dt.date(2025, 7, 23)]) == []
    # two days written again that both fit: no choice made
    assert _against_the_page([], ["07/23/202x"], [_reading("07/23/202y")],
                             [dt.date(2026, 7, 23), dt.date(2027, 7, 23)]) == []
    # the readings must agree on the month and day
    assert _against_the_page([], ["07/28 /2 016"], looked, elsewhere) == []
    # one reading alone is not enough
    assert _against_the_page([], [], looked, elsewhere) == []


def test_a_read_year_the_page_contradicts_is_no_reading():
    read = _reading("02/23/2015")
    assert _against_the_page([read], [], [read], [dt.date(2025, 2, 23)]) == []
    # another day, or a year far off (an expiry printed years later), contradicts nothing
    assert _against_the_page([read], [], [read], [dt.date(2025, 2, 24)]) == [read]
    assert _against_the_page([read], [], [read], [dt.date(2027, 2, 23)]) == [read]


def test_hours_must_be_plausible():
    assert plausible_hours("8.0") == 8.0
    assert plausible_hours("7.5") == 7.5
    assert plausible_hours("0") is None
    assert plausible_hours("80") is None  # a misread, not a course's day
    assert plausible_hours("2.3") is None  # hours come in quarters


def _table_form(path: Path) -> Path:
    """A one-officer record in a style of its own: its class facts in a ruled table whose
    last head, the hours', stands against the table's right border, the hours cell left
    blank (nobody wrote them in)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(150, 730, "Harrow Point Firearms School")
    c.setFont("Helvetica", 12)
    c.drawString(60, 680, "Student: Odile Marchbank        Badge No. 5150")
    c.drawString(60, 660, "Subject: Low Light Decision Making")
    cols, top, pitch = [60, 200, 330, 428], 620, 24
    c.setFont("Helvetica", 9)
    for x, head in zip(cols, ("Board Course No.", "Date Held", "Contact Hours"), strict=False):
        c.drawString(x + 4, top - 15, head)
    c.setFont("Helvetica", 11)
    c.drawString(cols[0] + 4, top - pitch - 16, "6630")
    c.drawString(cols[1] + 4, top - pitch - 16, "04/09/2025")
    for i in range(3):
        c.line(cols[0], top - i * pitch, cols[-1], top - i * pitch)
    for x in cols:
        c.line(x, top, x, top - 2 * pitch)
    c.save()
    return path


@pytest.mark.ocr
def test_a_table_border_beside_a_blank_is_no_written_value(tmp_path):
    """GIVEN a record whose hours cell was left blank, its caption against the table's
    right border WHEN the blank right of the caption is looked at for writing THEN the
    border (which runs on down the table) is no pen stroke: no hours are read from it,
    the field stays missing (a border read as ``1`` had credited an hour)."""
    import pypdfium2
    from PIL import Image

    pdf = _table_form(tmp_path / "form.pdf")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil().convert("L")
    # scanned a little askew at 150 dpi: the deskewed border is a stroke a few pixels
    # wide, no column of it dark all the way down the blank
    image = image.rotate(-1.5, resample=Image.Resampling.BICUBIC, fillcolor=255).reduce(2)
    png = tmp_path / "form.png"
    image.save(png, dpi=(150, 150))
    (page,) = list(read_document(png, ReadContext(tmp_path / "work", keep_page_images=False)))
    record = extract_certificate(page.text)
    assert record.value("hours") is None
    assert str(record.value("training_date")) == "2025-04-09"
    again = read_written_values(record, page.text, page.image, page.text.dpi, by_hand=True)
    assert again.value("hours") is None


def test_one_thin_stroke_read_as_a_one_is_no_value():
    """A box's side or a rule's piece in a blank is read ``1`` by the second recognizer: a
    lone stroke-like character from ink far narrower than tall gives no value (a pen's
    ``1`` then goes to review unread); a wider mark or another digit is read as usual."""
    from extractors.written import _lone_stroke

    thin = BBox(261.0, 157.5, 265.4, 168.1)  # 0.4 pt of ink inside the 2 pt margins
    assert _lone_stroke("1", thin) and _lone_stroke("l", thin) and _lone_stroke("1 hr", thin)
    assert not _lone_stroke("4", thin)
    assert not _lone_stroke("11", thin)
    assert not _lone_stroke("1", BBox(100.0, 100.0, 112.0, 112.0))  # a mark as wide as tall
