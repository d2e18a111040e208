"""A second reading of an unsure certificate field confirms its value or changes nothing
(extractors.reread), with the real tesseract on a drawn page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.reread import REREAD_BELOW, reread_unsure_fields, settle_course_number
from extractors.types import (
    BBox,
    DocumentKind,
    ExtractedField,
    ExtractedRecord,
    FieldSource,
    ReferenceHints,
)

pytestmark = pytest.mark.ocr


@pytest.fixture(scope="module")
def page() -> Image.Image:
    """300 dpi: "March 3, 2026" at pixel (300, 300), "8.0" at (300, 500), ~42 px high."""
    image = Image.new("L", (2550, 1200), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=42)
    draw.text((300, 300), "March 3, 2026", fill=0, font=font)
    draw.text((300, 500), "8.0", fill=0, font=font)
    return image


def _field(name, value, top_px, right_px, confidence=0.3):
    k = 72 / 300
    box = BBox(300 * k, top_px * k, right_px * k, (top_px + 50) * k)
    return ExtractedField(name, value, str(value), confidence, box, 1, FieldSource.OCR)


def _record(*fields):
    return ExtractedRecord(1, DocumentKind.CERTIFICATE, {f.name: f for f in fields})


def test_an_unsure_value_read_the_same_again_takes_the_better_confidence(page):
    record = _record(_field("training_date", dt.date(2026, 3, 3), 300, 620),
                     _field("hours", 8.0, 500, 380))
    reread_unsure_fields(record, page, 300)
    assert record.fields["training_date"].value == dt.date(2026, 3, 3)
    assert record.fields["training_date"].confidence >= REREAD_BELOW
    assert record.fields["hours"].value == 8.0 and record.fields["hours"].confidence >= 0.6


def test_a_second_reading_that_disagrees_changes_nothing(page):
    """The first reading said March 8: the box says March 3. Neither is trusted: the field
    stays as read, unsure, and the record goes to review."""
    first = _field("training_date", dt.date(2026, 3, 8), 300, 620)
    record = _record(first, _field("hours", 6.0, 500, 380))
    reread_unsure_fields(record, page, 300)
    assert record.fields["training_date"] == first
    assert record.fields["hours"].value == 6.0 and record.fields["hours"].confidence == 0.3


def test_sure_fields_and_text_layer_pages_are_not_read_again(page):
    sure = _field("training_date", dt.date(2026, 3, 8), 300, 620, confidence=0.9)
    record = _record(sure)
    assert reread_unsure_fields(record, page, 300).fields["training_date"] == sure
    unsure = _field("training_date", dt.date(2026, 3, 3), 300, 620)
    record = _record(unsure)
    assert reread_unsure_fields(record, None, None).fields["training_date"] == unsure


@pytest.fixture(scope="module")
def number_page() -> Image.Image:
    """300 dpi: the POST number "1849" at pixel (300, 500), ~42 px high."""
    image = Image.new("L", (2550, 1200), 255)
    ImageDraw.Draw(image).text((300, 500), "1849", fill=0,
                               font=ImageFont.load_default(size=42))
    return image


def _post_record(post_confidence: float, title: str):
    k = 72 / 300
    post = ExtractedField("post_number", "1849", "1849", post_confidence,
                          BBox(300 * k, 500 * k, 400 * k, 550 * k), 1, FieldSource.OCR)
    title_f = ExtractedField("course_title", title, title, 0.9, None, 1, FieldSource.OCR)
    return ExtractedRecord(1, DocumentKind.CERTIFICATE, {"post_number": post,
                                                         "course_title": title_f})


@pytest.mark.parametrize(("confidence", "title", "read_again"), [
    (0.45, "De-escalation Techniques", False),   # the title confirms it: no second look
    (0.45, "Firearms Qualification", True),      # the title does not: read again
    (0.2, "De-escalation Techniques", True),     # below even the corroborated floor
])
def test_a_number_its_partner_confirms_is_not_read_again(number_page, confidence, title,
                                                         read_again):
    """GIVEN a POST number read unsure, clearly printed in its box WHEN its title fits the
    catalog course of that number THEN no second look is taken (verification accepts it
    as corroborated, so a second look could not change the decision) and the confidence
    stays; otherwise the second look confirms it and raises the confidence."""
    hints = ReferenceHints(courses=(("1849", "De-escalation Techniques"),))
    record = _post_record(confidence, title)
    reread_unsure_fields(record, number_page, 300, hints)
    post = record.fields["post_number"]
    assert post.value == "1849"
    assert (post.confidence > confidence) is read_again


@pytest.fixture(scope="module")
def hand_page() -> Image.Image:
    """300 dpi: hours "7.5" written in a handwriting font at pixel (300, 480), a date under
    it at (300, 700), and a printed title at (300, 900)."""
    from devtools.samplegen.handsheets import hand_font_path
    path = hand_font_path("Humor-Sans.ttf")
    if path is None:
        pytest.fail("handwriting fonts missing: run scripts/setup.sh (make setup)")
    image = Image.new("L", (2550, 1200), 255)
    draw = ImageDraw.Draw(image)
    hand = ImageFont.truetype(str(path), 60)
    draw.text((300, 480), "7.5", fill=0, font=hand)
    draw.text((300, 700), "11/14/2025", fill=0, font=hand)
    draw.text((300, 900), "Calming Voices in Crisis", fill=0, font=ImageFont.load_default(size=42))
    return image


def _box(left_px, top_px, right_px, bottom_px) -> BBox:
    k = 72 / 300
    return BBox(left_px * k, top_px * k, right_px * k, bottom_px * k)


def test_a_value_tesseract_cannot_read_again_is_confirmed_by_the_second_recognizer(hand_page):
    """GIVEN hours and a date written by hand, read unsure WHEN read again THEN tesseract's
    second look does not read them, the second recognizer reads the same values surely, and
    the two engines' agreement confirms them."""
    hours = ExtractedField("hours", 7.5, "7.5", 0.3, _box(295, 485, 420, 555), 1, FieldSource.OCR)
    date = ExtractedField("training_date", dt.date(2025, 11, 14), "11/14/2025", 0.3,
                          _box(295, 705, 700, 775), 1, FieldSource.OCR)
    record = reread_unsure_fields(_record(hours, date), hand_page, 300)
    assert record.fields["hours"].value == 7.5
    assert record.fields["hours"].confidence >= 0.9
    assert record.fields["training_date"].value == dt.date(2025, 11, 14)
    assert record.fields["training_date"].confidence >= 0.9


def test_the_second_recognizer_never_confirms_another_value(hand_page, monkeypatch):
    """GIVEN hours read as 5.5 where the hand wrote 7.5 WHEN read again by both engines THEN
    the field stays as it was, unsure; with the second recognizer switched off nothing is
    confirmed either."""
    wrong = ExtractedField("hours", 5.5, "5.5", 0.3, _box(295, 485, 420, 555), 1, FieldSource.OCR)
    assert reread_unsure_fields(_record(wrong), hand_page, 300).fields["hours"] == wrong
    monkeypatch.setenv("CREDENCE_HANDWRITING", "off")
    right = replace(wrong, value=7.5, raw_text="7.5")
    assert reread_unsure_fields(_record(right), hand_page, 300).fields["hours"] == right


def test_an_unsure_title_read_the_same_again_is_confirmed(hand_page):
    """GIVEN a printed title read unsure WHEN its box is read again THEN the same letters
    confirm it; a title that says something else than the box stays unsure."""
    box = _box(295, 895, 1000, 950)
    title = ExtractedField("course_title", "Calming Voices in Crisis", "Calming Voices in Crisis",
                           0.25, box, 1, FieldSource.OCR)
    assert reread_unsure_fields(_record(title), hand_page, 300).fields[
        "course_title"].confidence >= REREAD_BELOW
    other = replace(title, value="Calming Voices in Custody")
    assert reread_unsure_fields(_record(other), hand_page, 300).fields["course_title"] == other


def test_a_value_tesseract_confirms_still_unsure_gets_the_second_recognizers_look():
    """GIVEN a course number printed over a thick underline, read unsure WHEN read again
    THEN tesseract reads the same number but still below the threshold (alone it would stay
    unreadable), so the second recognizer reads it too and, reading the same number surely,
    confirms it; a number the box does not hold is still never confirmed."""
    image = Image.new("L", (2550, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=42)
    draw.text((300, 150), "1250-30412", fill=0, font=font)
    x0, y0, x1, y1 = draw.textbbox((300, 150), "1250-30412", font=font)
    draw.line((x0 + 3, y1 - 2, x1 - 3, y1 - 2), fill=0, width=7)
    box = _box(x0 - 2, y0 - 2, x1 + 2, y1 + 2)
    number = ExtractedField("post_number", "1250-30412", "1250-30412", 0.3, box, 1,
                            FieldSource.OCR)
    read = reread_unsure_fields(_record(number), image, 300).fields["post_number"]
    assert read.value == "1250-30412" and read.confidence >= 0.9
    other = replace(number, value="1250-30473", raw_text="1250-30473")
    assert reread_unsure_fields(_record(other), image, 300).fields["post_number"] == other


def test_a_number_confirmed_from_part_of_its_ink_is_not_confirmed():
    """GIVEN hours written '6.5 HRS' of which tesseract boxed only '5 HRS' (its '6.' left
    outside the box) and read them unsure WHEN read again THEN tesseract reading the same
    part again confirms nothing: the second recognizer, looking beside the box, surely reads
    6.5, so the value stays unsure (the record goes to review); a box holding the whole
    value is confirmed as before."""
    image = Image.new("L", (2550, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=42)
    draw.text((300, 150), "6.5 HRS", fill=0, font=font)
    x0, y0, x1, y1 = draw.textbbox((300, 150), "6.5 HRS", font=font)
    part_x0 = draw.textbbox((300, 150), "6.", font=font)[2]
    part = ExtractedField("hours", 5.0, "5 HRS", 0.2, _box(part_x0 + 6, y0 - 2, x1 + 2, y1 + 2),
                          1, FieldSource.OCR)
    read = reread_unsure_fields(_record(part), image, 300).fields["hours"]
    assert read.value == 5.0 and read.confidence < REREAD_BELOW
    whole = replace(part, value=6.5, raw_text="6.5 HRS", bbox=_box(x0 - 2, y0 - 2, x1 + 2, y1 + 2))
    assert reread_unsure_fields(_record(whole), image, 300).fields["hours"].confidence >= 0.6


@pytest.fixture(scope="module")
def narrow_number() -> tuple[Image.Image, BBox]:
    """300 dpi: a course number printed in a condensed sans, and its box in points."""
    path = "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf"
    image = Image.new("L", (2550, 400), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(path, 50)
    draw.text((400, 150), "7315-45206", fill=0, font=font)
    x0, y0, x1, y1 = draw.textbbox((400, 150), "7315-45206", font=font)
    return image, _box(x0 - 2, y0 - 2, x1 + 2, y1 + 2)


def _number(value: str, confidence: float, box: BBox) -> ExtractedRecord:
    return _record(ExtractedField("post_number", value, value, confidence, box, 1,
                                  FieldSource.OCR))


@pytest.mark.parametrize(("first", "confidence", "settled"), [
    ("7319-45206", 0.55, "7315-45206"),   # one digit off, unsure: the second engine's reading
    ("7315-45206", 0.65, "7315-45206"),   # the same number: nothing to settle
    ("7319-45206", 0.92, "7319-45206"),   # tesseract sure: left alone
    ("7319-45286", 0.55, "7319-45286"),   # two digits off: a disagreement, left unsure
])
def test_an_unsure_course_number_one_character_off_is_taken_as_the_second_engine_reads_it(
        narrow_number, first, confidence, settled):
    """GIVEN a course number tesseract read unsure with one digit otherwise than printed
    (as it reads a condensed 5 as a 9) WHEN the second recognizer reads the box surely and
    differs in that one digit only THEN the number is taken as the second engine reads it;
    a sure tesseract reading, or one further off, is left as it was."""
    image, box = narrow_number
    record = _number(first, confidence, box)
    settle_course_number(record, image, 300)
    post = record.fields["post_number"]
    assert post.value == settled
    assert (post.confidence >= 0.95) is (first != settled)


def test_the_catalog_plays_no_part_in_settling_a_course_number(narrow_number, monkeypatch):
    """GIVEN an unsure course number read one digit off into a number the catalog holds WHEN
    settled THEN it is put back to the printed number the catalog does not hold (the record
    will go to review as an unknown course), and with the second recognizer switched off
    nothing changes."""
    image, box = narrow_number
    hints = ReferenceHints(courses=(("7319-45206", "Calm Approach Workshop"),),
                           post_numbers=("7319-45206",))
    record = reread_unsure_fields(_number("7319-45206", 0.62, box), image, 300, hints)
    assert record.fields["post_number"].value == "7315-45206"
    monkeypatch.setenv("CREDENCE_HANDWRITING", "off")
    record = reread_unsure_fields(_number("7319-45206", 0.62, box), image, 300, hints)
    assert record.fields["post_number"].value == "7319-45206"
