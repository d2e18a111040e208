"""Captions and values parted by a box's side that OCR read as a bar (``Hours | 6.5``).

A form may print each value in a box right of its caption. Tesseract reads the box's left
side as a word of its own, ``|``, standing taller than the text, with the caption a few
points left of it and the value a point right of it: no gap is wide enough to part them,
so the captions went unread. Pages here are laid out as tesseract returns such words, in a
wording of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from extractors.certificate import extract_certificate
from extractors.layout import build_rows
from extractors.types import BBox, FieldSource, PageText, Word

SIZE = 8.0


def _words(text: str, x: float, y: float, line_id: int) -> list[Word]:
    out = []
    for token in text.split(" "):
        w = len(token) * 0.5 * SIZE
        out.append(Word(token, BBox(x, y, x + w, y + SIZE), 0.95, line_id))
        x += w + 0.5 * SIZE
    return out


def _width(text: str) -> float:
    return len(text) * 0.5 * SIZE


def _boxed_form(rows: list[tuple[str, str]], bar_height: float = 15.0) -> PageText:
    """Right-aligned captions, each value in a box whose side is read as a bar."""
    words = []
    for line_id, (caption, value) in enumerate(rows):
        y = 120.0 + 32.0 * line_id
        words += _words(caption, 150.0 - _width(caption), y, line_id)
        words.append(Word("|", BBox(155.0, y - 3.5, 157.0, y - 3.5 + bar_height), 0.93,
                          line_id))
        words += _words(value, 158.0, y, line_id)
    title = [replace(w, bbox=BBox(w.bbox.x0, 60.0, w.bbox.x1 * 1.5, 76.0))
             for w in _words("Record of Instruction", 200.0, 60.0, len(rows))]
    return PageText(1, 612, 792, tuple(words + title), FieldSource.OCR, mean_confidence=0.95)


def test_captions_and_values_parted_by_a_box_side_read_as_a_bar():
    """GIVEN a form whose values sit in boxes right of right-aligned captions of its own
    wording, OCR reading each box's left side as a bar between caption and value
    WHEN extracted
    THEN each caption labels the value past its bar."""
    page = _boxed_form([("Trainee of Record", "Marisol Quintero"), ("Program Code", "7734-118"),
                        ("Module Title", "Crisis Communication Fundamentals"),
                        ("Led By", "Ignatius Porter"), ("Completed On", "04/19/2025"),
                        ("Hours Earned", "6.5")])
    record = extract_certificate(page)
    assert record.value("officer_name") == "Marisol Quintero"
    assert record.value("post_number") == "7734-118"
    assert record.value("course_title") == "Crisis Communication Fundamentals"
    assert record.value("instructor_name") == "Ignatius Porter"
    assert record.value("training_date") == dt.date(2025, 4, 19)
    assert record.value("hours") == 6.5


def test_a_bar_as_tall_as_the_text_is_a_letter_not_a_box_side():
    """GIVEN a line of prose where OCR read the word ``I`` as a bar as tall as the text
    THEN the line is not cut into columns there; a bar standing taller than the text
    (a box's side) does cut it."""
    words = [*_words("Trainee of Record", 60.0, 120.0, 0),
             Word("|", BBox(132.0, 120.0, 134.0, 128.0), 0.6, 0),
             *_words("attended the class", 137.0, 120.0, 0)]
    page = PageText(1, 612, 792, tuple(words), FieldSource.OCR, mean_confidence=0.9)
    (row,) = build_rows(page)
    assert row.gap_starts == frozenset()
    bar = replace(words[3], bbox=BBox(132.0, 116.5, 134.0, 131.5))
    (row,) = build_rows(replace(page, words=(*words[:3], bar, *words[4:])))
    assert row.gap_starts == {row.text.index("attended")}


def test_a_caption_no_list_holds_heads_the_next_box_not_the_value_beside_it():
    """GIVEN a form of boxes, captions over values, where the box right of the title's
    holds a number under a caption of its own wording (``FOLIO NO.``) that no list holds
    WHEN extracted
    THEN that caption is not read as the title beside it, and the title under its caption
    ends where the next box's column begins."""
    lines = [("COMPLETED ON", "HOURS EARNED", 100.0), ("04/19/2025", "6.5", 114.0),
             ("MODULE TITLE", "FOLIO NO.", 140.0),
             ("Crisis Communication Fundamentals", "7734-118", 154.0)]
    words = []
    for line_id, (left, right, y) in enumerate(lines):
        words += _words(left, 60.0, y, line_id) + _words(right, 262.0, y, line_id)
    page = PageText(1, 612, 792, tuple(words), FieldSource.OCR, mean_confidence=0.95)
    record = extract_certificate(page)
    assert record.value("course_title") == "Crisis Communication Fundamentals"
    assert record.value("training_date") == dt.date(2025, 4, 19)
    assert record.value("hours") == 6.5
