"""A second look at a certificate field read unsure.

On a fax, a blurred or speckled scan, tesseract often reads a date, hours, a POST number or a
badge right but scores it low: specks and broken strokes around the value drag down the
confidence of the whole line. The value's own box is then read again on its own, as one text
line (``--psm 7``) on a clean white margin. Only agreement counts: when the second reading
parses to the *same* value, the field takes the better of the two confidences; when it
parses to something else, or to nothing, the first reading stays exactly as it was (and the
record goes to review as ``unreadable``). A re-read can therefore never change a value, only
confirm it, and never credits a value read once.

When tesseract's second look does not confirm the value, the second recognizer (PP-OCRv6,
:mod:`extractors.handwriting`, unless switched off) reads the same box. It is another engine,
trained otherwise, and does not share tesseract's weak spots (an underline touching the
digits, JPEG blocks round a word): when it reads the same value, surely, the two engines
agree and the field takes the second engine's confidence. Text fields (a title, a name) are
confirmed this way too, when the recognizer reads the same letters. As above, it can only
confirm, never change a value.

One exception, for course numbers (:func:`settle_course_number`): a number tesseract scored
low that the second recognizer reads with near certainty one character otherwise is taken as
the second engine reads it. The catalog plays no part in that choice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PIL import Image
from rapidfuzz import fuzz, utils
from rapidfuzz.distance import Hamming

from extractors import handwriting as hand
from extractors._tesseract import ocr_words
from extractors.dates import parse_date
from extractors.inverted import holds_white_type
from extractors.numbers import parse_badge, parse_hours, parse_post_number, plain_id
from extractors.types import BBox, ExtractedField, ExtractedRecord, ReferenceHints, Word

log = logging.getLogger(__name__)

# Below this a required field makes a record ``unreadable`` (verification's threshold).
REREAD_BELOW = 0.6
# A badge or POST number whose partner reading (the officer's name, the course title) fits
# the same roster officer / catalog course needs only this much (verification's
# corroborated floor): a second look could not change the decision, so none is taken.
PARTNERED_FLOOR = 0.3
PARTNER_FIT = 90
_PARTNERS = {"badge_number": ("officer_name", "officers"),
             "post_number": ("course_title", "courses")}
REREAD_TIMEOUT = 20

_PARSERS: dict[str, Callable[[str], Any]] = {
    "training_date": parse_date,
    "hours": lambda text: m.value if (m := parse_hours(text)) else None,
    "post_number": lambda text: m.value if (m := parse_post_number(text)) else None,
    "badge_number": lambda text: m.value if (m := parse_badge(text)) else None,
}


def reread_unsure_fields(record: ExtractedRecord, image: Image.Image | None,
                         dpi: float | None, hints: ReferenceHints | None = None) -> ExtractedRecord:
    """Confirm, by a second reading of its box, each parsed field read below the threshold.

    Args:
        record: a certificate as extracted from an OCR'd page (changed in place).
        image: the page as tesseract saw it (``PageRead.image``); ``None``: nothing to do.
        dpi: that image's resolution.
        hints: the reference pairs; a badge or POST number its partner reading confirms is
            not read again unless it is below even the corroborated floor.

    Returns:
        ``record``.
    """
    if image is None or not dpi:
        return record
    second = hand.enabled()
    for name in (*_PARSERS, *_TEXT_FIELDS):
        f = record.fields.get(name)
        if f is None or f.value is None or f.bbox is None or f.confidence is None:
            continue
        if f.confidence >= REREAD_BELOW:
            continue
        if f.confidence >= PARTNERED_FLOOR and _partner_agrees(record, name, hints):
            continue
        confirmed = _confirm(f, image, dpi)
        if second and (confirmed is None or (confirmed.confidence or 0.0) < REREAD_BELOW):
            # tesseract read the same value again, yet still unsure (an underline through the
            # digits): it is still unreadable, so the other engine gets its look too
            confirmed = _confirm_by_second_reader(confirmed or f, image, dpi) or confirmed
        if confirmed is not None and second and name in _PARSERS \
                and _second_reader_disagrees(f, image, dpi):
            confirmed = None  # the engines surely disagree: the value stays unsure
        if confirmed is not None:
            record.fields[name] = confirmed
    if second:
        settle_course_number(record, image, dpi)
    return record


#: A course number tesseract scores below this gets the second recognizer's look even when
#: it counts as readable: one digit read otherwise is another course.
NUMBER_UNSURE_BELOW = 0.7
#: The second recognizer's least confidence for its reading to stand for tesseract's.
SECOND_READER_CERTAIN = 0.95


def settle_course_number(record: ExtractedRecord, image: Image.Image, dpi: float) -> None:
    """A course number tesseract read unsure, taken as the second recognizer reads it when
    the two readings differ in one character only and the second engine is certain.

    Some print defeats tesseract consistently (a condensed ``5`` read as ``9`` or ``0`` in
    every course number of a form), while the second recognizer, trained otherwise, reads it
    surely. Tesseract's low score says it was unsure of the number; the other engine is sure
    and differs in one place only, the place tesseract doubted. The choice never looks at
    the catalog: a number either engine reads is checked against it afterwards as any other,
    and one read into a course the catalog does not hold goes to review as before. Any
    other disagreement leaves tesseract's reading as it was (changed in place).
    """
    f = record.fields.get("post_number")
    if f is None or f.value is None or f.bbox is None or f.confidence is None \
            or f.confidence >= NUMBER_UNSURE_BELOW:
        return
    read = hand.read_area(image, dpi, _second_reader_area(f.bbox))
    if read is None or read.confidence is None or read.confidence < SECOND_READER_CERTAIN:
        return
    value = _PARSERS["post_number"](read.text)
    if value is None or not _one_character_apart(str(value), str(f.value)):
        return
    log.info("course number %r (%.2f) read %r (%.2f) by the second recognizer: taken",
             f.value, f.confidence, value, read.confidence)
    record.fields["post_number"] = replace(f, value=value, raw_text=read.text,
                                           confidence=round(read.confidence, 3))


def _one_character_apart(a: str, b: str) -> bool:
    """Whether two ids of the same length differ in exactly one letter or digit."""
    a, b = plain_id(a), plain_id(b)
    return len(a) == len(b) and Hamming.distance(a, b) == 1


#: How far (box heights, at least :data:`_WIDE_PAD_PT`) the second recognizer looks beside an
#: unsure number's box: pen strokes tesseract left out of the box ("6." of "6.5 hrs") are
#: read with it.
_WIDE_PAD_HEIGHTS, _WIDE_PAD_PT = 1.2, 12.0


def _second_reader_disagrees(f: ExtractedField, image: Image.Image, dpi: float) -> bool:
    """Whether the second recognizer, reading the value's box widened, surely reads another
    value of the field's type: a number tesseract confirmed by reading the same part of the
    ink twice ("5 HRS" of a pen's "6.5 hrs") is then no confirmation."""
    box = f.bbox
    pad = max(_WIDE_PAD_PT, _WIDE_PAD_HEIGHTS * box.height)
    read = hand.read_area(image, dpi, BBox(box.x0 - pad, box.top - _SECOND_READER_PAD,
                                           box.x1 + pad, box.bottom + _SECOND_READER_PAD),
                          numeric=f.name == "hours")
    if read is None or read.confidence is None or read.confidence < SECOND_READER_SURE:
        return False
    value = _PARSERS[f.name](read.text)
    log.debug("second reader beside %s: %r (%.2f) -> %r vs %r", f.name, read.text,
              read.confidence, value, f.value)
    return value is not None and value != f.value


#: Fields whose value is text as read: confirmed when both engines read the same letters.
_TEXT_FIELDS = ("course_title", "officer_name", "instructor_name")
#: The second recognizer's least confidence for its reading to confirm a value.
SECOND_READER_SURE = 0.9
#: The box is widened by this much (points) all round: the recognizer wants a margin of the
#: page round the letters (it misreads a crop cut at the ink).
_SECOND_READER_PAD = 4.0


def _confirm_by_second_reader(f: ExtractedField, image: Image.Image,
                              dpi: float) -> ExtractedField | None:
    """``f`` confirmed by the second recognizer reading the same value in its box."""
    read = hand.read_area(image, dpi, _second_reader_area(f.bbox), numeric=f.name == "hours")
    if read is None or read.confidence is None or read.confidence < SECOND_READER_SURE:
        return None
    same = _reads_the_same(f, read.text)
    log.debug("second reader on %s: %r (%.2f) %s %r", f.name, read.text, read.confidence,
              "confirms" if same else "differs from", f.value)
    if not same:
        return None
    return replace(f, confidence=round(max(f.confidence or 0.0, read.confidence), 3))


def _second_reader_area(box: BBox) -> BBox:
    """``box`` with the page margin round it the second recognizer wants."""
    return BBox(box.x0 - _SECOND_READER_PAD, box.top - _SECOND_READER_PAD,
                box.x1 + _SECOND_READER_PAD, box.bottom + _SECOND_READER_PAD)


def _reads_the_same(f: ExtractedField, text: str) -> bool:
    """Whether ``text`` read again is the field's value: the same parsed value, or for a
    text field the same letters and digits (case, spaces and punctuation aside)."""
    if f.name in _PARSERS:
        return _PARSERS[f.name](text) == f.value
    return _letters(text) == _letters(str(f.value)) != ""


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _partner_agrees(record: ExtractedRecord, name: str, hints: ReferenceHints | None) -> bool:
    """Whether the value and its partner reading fit one reference row (officer, course)."""
    if hints is None or name not in _PARTNERS:
        return False
    partner_name, pairs_name = _PARTNERS[name]
    partner, pairs = record.value(partner_name), getattr(hints, pairs_name)
    if not partner:
        return False
    key = plain_id(str(record.value(name)))
    return any(plain_id(value) == key and fuzz.token_sort_ratio(
        str(partner), other, processor=utils.default_process) >= PARTNER_FIT
        for value, other in pairs)


def _confirm(f: ExtractedField, image: Image.Image, dpi: float) -> ExtractedField | None:
    read = _read_box(image, dpi, f.bbox)
    if read is None:
        return None
    text, confidence = read
    log.debug("re-read %s: %r (%.2f) -> %r (%.2f)", f.name, f.value, f.confidence, text,
              confidence)
    if not _reads_the_same(f, text) or confidence <= (f.confidence or 0):
        return None
    return replace(f, confidence=round(confidence, 3))


def _read_box(image: Image.Image, dpi: float, bbox: BBox) -> tuple[str, float] | None:
    """The text and lowest word confidence of ``bbox`` (points) read alone as one line."""
    area = BBox(bbox.x0 - 3.0, bbox.top - 0.3 * bbox.height, bbox.x1 + 3.0,
                bbox.bottom + 0.3 * bbox.height)
    words = [w for w in read_alone(image, dpi, area, pad=8.0, timeout=REREAD_TIMEOUT)
             if w.text.strip()]
    if not words or any(w.confidence is None for w in words):
        return None
    return " ".join(w.text for w in words), min(w.confidence for w in words)


def read_alone(image: Image.Image, dpi: float, area: BBox, *, pad: float,
               timeout: float) -> list[Word]:
    """OCR ``area`` (points, clipped to the page) alone as one text line, on a white margin
    of ``pad`` points; the words come back with their boxes in page points.

    Returns no words when the area is too small to read.
    """
    k = dpi / 72.0
    box = (max(0, round(area.x0 * k)), max(0, round(area.top * k)),
           min(image.width, round(area.x1 * k)), min(image.height, round(area.bottom * k)))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        return []
    margin = round(pad * k)
    canvas = Image.new("L", (box[2] - box[0] + 2 * margin, box[3] - box[1] + 2 * margin), 255)
    canvas.paste(image.crop(box).convert("L"), (margin, margin))
    read = ocr_words(canvas, dpi, timeout=timeout, psm=7, invert=holds_white_type(canvas, dpi))
    dx, dy = (box[0] - margin) / k, (box[1] - margin) / k
    return [replace(w, bbox=BBox(w.bbox.x0 + dx, w.bbox.top + dy, w.bbox.x1 + dx,
                                 w.bbox.bottom + dy)) for w in read.words]
