"""A learned layout's places read again on a scan where the page's reading gave nothing
(issue 17).

A page read with a learned layout (:mod:`extractors.layout_evidence`) knows where its date,
hours, course number, badge and officer's name sit. On a fax or a blurred scan, tesseract's
reading of the whole page may garble the value there ('NRO' for '0080', 'OBA 2023' for a
date) or lose its line altogether:
the field is then missing, and the record waits for review, though the value is printed at
the place the layout points to. That place is read again on its own, as one line
(:func:`extractors.reread.read_alone`), and by the second recognizer
(:func:`extractors.handwriting.read_area`); a reading that parses as the field's type is
the field's value, with its reader's confidence. The layout gives the place, never the
value: nothing printed there, nothing read; the two engines surely reading different values,
nothing taken (a reading too unsure to verify is no reading). Verification then judges the
value as any other.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PIL import Image

from extractors import handwriting as hand
from extractors.dates import parse_date
from extractors.layout_fingerprint import match_layout
from extractors.names import normalise_name
from extractors.numbers import parse_badge, parse_post_number, plain_id
from extractors.reread import read_alone
from extractors.types import (
    BBox,
    ExtractedField,
    ExtractedRecord,
    FieldSource,
    PageText,
    ReferenceHints,
)
from extractors.written import UNSURE, plausible_hours

log = logging.getLogger(__name__)

_PARSERS: dict[str, Callable[[str], Any]] = {
    "training_date": parse_date,
    "hours": plausible_hours,
    "post_number": lambda text: m.value if (m := parse_post_number(text)) else None,
    "badge_number": lambda text: m.value if (m := parse_badge(text)) else None,
    "officer_name": normalise_name,
}
_IDS = ("post_number", "badge_number")
#: How far right of the learned box a value is looked for when nothing was read at it
#: (page widths): the first copy's value may have been shorter than this one's.
RUN_ON = 0.12
#: A gap between words wider than this (line heights) ends the value's run.
WORD_GAP = 1.5
REREAD_TIMEOUT = 20


def read_learned_places(record: ExtractedRecord, page: PageText, image: Image.Image | None,
                        dpi: float | None, hints: ReferenceHints | None) -> ExtractedRecord:
    """``record`` with its missing date, hours, course number, badge and officer's name read
    again at the places of the learned layout it was read with (scans only; else unchanged)."""
    if image is None or not dpi or record.layout_id is None or hints is None:
        return record
    hint = next((h for h in hints.layouts if h.layout_id == record.layout_id), None)
    if hint is None:
        return record
    found = match_layout(hint.fingerprint, page)
    if not found.matched:
        return record
    fields = dict(record.fields)
    for name, box in hint.fields:
        if name not in _PARSERS or record.value(name) is not None:
            continue
        area = _place(page, found.transform.box(box))
        read = _read(image, dpi, area, name)
        if read is None:
            continue
        value, text, confidence = read
        log.debug("page %s %s=%r (%.2f) read again at layout %s's place from %r",
                  page.page_number, name, value, confidence, hint.layout_id, text)
        fields[name] = ExtractedField(name, value, text, round(confidence, 3), area,
                                      page.page_number, FieldSource.OCR)
    return replace(record, fields=fields)


def _place(page: PageText, box: tuple[float, float, float, float]) -> BBox:
    """The learned box (page-width units) in points, run on to the right over the words
    read on its line (this copy's value may be longer than the first's), else by
    :data:`RUN_ON`."""
    w = page.width or 1.0
    x0, top, x1, bottom = (v * w for v in box)
    height = max(bottom - top, 6.0)
    line = sorted((wd for wd in page.words if top - 0.5 * height <= wd.bbox.center_y
                   <= bottom + 0.5 * height and wd.bbox.x1 > x0), key=lambda wd: wd.bbox.x0)
    end = x1
    for word in line:
        if word.bbox.x0 > end + WORD_GAP * height:
            break
        end = max(end, word.bbox.x1)
    if end <= x1:
        end = x1 + RUN_ON * w
    return BBox(x0 - 2.0, top - 0.3 * height, min(w, end + 2.0), bottom + 0.3 * height)


def _read(image: Image.Image, dpi: float, area: BBox,
          name: str) -> tuple[Any, str, float] | None:
    """The value both readers agree on (or the one that read it), its text and confidence."""
    parse = _PARSERS[name]
    readings = []
    words = [w for w in read_alone(image, dpi, area, pad=8.0, timeout=REREAD_TIMEOUT)
             if w.text.strip()]
    if words and all(w.confidence is not None for w in words):
        text = " ".join(w.text for w in words)
        if (value := parse(text)) is not None:
            readings.append((value, text, min(w.confidence for w in words)))
    if hand.enabled() and (cand := hand.read_area(image, dpi, area,
                                                         numeric=name == "hours")) is not None:
        if (value := parse(cand.text)) is not None:
            readings.append((value, cand.text, cand.confidence or 0.0))
    # a reading under verification's threshold would be unreadable: it is no reading, and
    # no vote against a sure one
    sure = [r for r in readings if r[2] >= UNSURE]
    # numbers are compared by their letters and digits ('CJK 0401' is 'CJK0401'), names
    # by their letters
    values = {plain_id(str(r[0])) if name in _IDS else
              "".join(c for c in str(r[0]).lower() if c.isalnum()) if name == "officer_name"
              else r[0] for r in sure}
    if len(values) > 1:
        log.debug("%s at its learned place %s: the readers disagree %s", name, area, sure)
    if len(values) != 1:
        return None  # nothing there, or the engines disagree: the place gives nothing
    return max(sure, key=lambda r: r[2])
