"""The head of a sign-in sheet read on its own, when the page's reading garbled it.

Tesseract lays out the whole page before it reads a line. A sheet whose head is a grid of
small boxed fields (a caption in small capitals, the value under it) standing over a large
ruled table of handwritten rows is a page its layout analysis often gets wrong: the boxes'
captions vanish and their values come back as a run of nonsense words, while the same band
cut out of the page and read alone reads letter for letter. The table below is what throws
the layout off, so the band above it is read again without it.

Only a head that lacks a class fact every row needs (the date, the hours, the course) pays
for the second reading, once per page. The two readings are then combined field by field: the
reading that found more of the head's fields is kept, and a field only the other one found
is taken from it. Nothing is credited from this reading that a first reading would not be:
its values go through the same extraction, re-reads and verification.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PIL import Image

from extractors._tesseract import ocr_words
from extractors.inverted import holds_white_type
from extractors.types import ExtractedRecord, PageText

log = logging.getLogger(__name__)

#: The facts a sheet's head must give every row: without one of them no row is credited.
NEEDED = ("training_date", "hours")
COURSE = ("course_title", "post_number")
#: A band lower than this (points) holds no line of a head.
_MIN_BAND_PT = 24.0
#: Kept clear of the table's heading row, so that no heading word is cut in half.
_CLEARANCE_PT = 2.0


def lacks_a_class_fact(read: ExtractedRecord) -> bool:
    """The head misses the date, the hours or the course (title and number)."""
    return any(read.value(f) in (None, "") for f in NEEDED) \
        or all(read.value(f) in (None, "") for f in COURSE)


def read_band_alone(page: PageText, image: Image.Image, limit: float,
                    timeout: float) -> PageText | None:
    """The words of the band from the page's top down to ``limit`` (points), read from
    that band of ``image`` alone; ``None`` when the band is too low to hold a head.

    The band starts at the page's top edge and spans its width, so its words' boxes are
    already in page points."""
    if page.dpi is None:
        return None
    bottom = limit - _CLEARANCE_PT
    if bottom < _MIN_BAND_PT:
        return None
    k = page.dpi / 72.0
    crop = image.convert("L").crop((0, 0, image.width, min(image.height, round(bottom * k))))
    read = ocr_words(crop, page.dpi, timeout=timeout, purpose="sheet head",
                     invert=holds_white_type(crop, page.dpi))
    words = tuple(w for w in read.words if w.text.strip())
    return replace(page, words=words) if words else None


def combine(first: ExtractedRecord, again: ExtractedRecord,
            fields: tuple[str, ...]) -> tuple[ExtractedRecord, bool]:
    """The reading that found more of ``fields``, with the ones only the other found.

    Returns the combined record and whether ``again`` was the one kept whole."""
    def found(read: ExtractedRecord) -> int:
        return sum(read.value(f) not in (None, "") for f in fields)

    base, other = (again, first) if found(again) > found(first) else (first, again)
    taken = {f: other.fields[f] for f in fields
             if base.value(f) in (None, "") and other.value(f) not in (None, "")}
    if taken:
        log.debug("page %d: head fields %s taken from the other reading",
                  first.page_number, sorted(taken))
    return replace(base, fields={**base.fields, **taken}), base is again
