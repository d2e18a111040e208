"""A written number's decimal point, when the recognizer read the digits and dropped the dot.

A pen's decimal point is a small blot on the line between two digits. The second recognizer
(PP-OCR's recognition model) often drops it: ``2.0 credit hours`` comes back as
``20 CREDIT HOURS`` at 0.99, and ``1.5`` as ``15``. Hours read ten times too high are held
only when the course credits fewer; on a longer course they would be credited.

Tesseract loses a printed point the same way on a worn scan, a fax or a phone photo (a
``4.5`` under ``CREDITED HOURS`` read ``45``, ``9.5`` read ``95``): such hours are held
(``hours_exceed_course``) and every row of a sheet with them. So a printed number of hours
read from a scan is looked at the same way (:func:`restore_printed_point`).

So when a number of hours is read from a crop, the crop's ink is looked at again: the
digits' strokes, grouped into columns (a pen's digit may be several pieces), and blots far
smaller than a digit sitting on the digits' baseline. When the reading starts with a whole
number of ``n`` digits, the ink's first ``n`` columns are each as narrow as a digit, and
exactly one blot lies between two of those columns, the point is put back there. Anything
less clear leaves the reading as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cv2
import numpy as np
from PIL import Image

from extractors.numbers import parse_hours
from extractors.pixels import crop_area
from extractors.types import BBox, ExtractedRecord, FieldSource

#: A pixel darker than this is ink.
DARK = 150
#: A row of the crop this dark across is a rule, not writing.
RULE_ROW = 0.6
#: A blot is at most this share of the digits' height, wide and tall ...
DOT_MOST = 0.45
#: ... at least this share of it (and 3 pixels): a scan's speck is smaller ...
DOT_LEAST = 0.08
#: ... and fills this share of its box (a round or square blot, not a thin stroke).
DOT_FILL = 0.35
#: The blot's bottom lies this close to the digits' baseline (shares of their height).
ABOVE_BASELINE, BELOW_BASELINE = 0.3, 0.15
#: A stroke piece counts towards a digit's column from this share of the digits' height.
PIECE = 0.25
#: A digit's column is at most this share of its own height wide.
DIGIT_WIDTH = 1.3
_LEADING_NUMBER = re.compile(r"^\s*(\d{2,3})(?![\d.,])")


@dataclass(frozen=True)
class _Piece:
    """One connected run of ink: its box (pixels, right and bottom edges exclusive) and
    how many pixels it holds."""

    box: BBox
    area: int


def with_decimal_point(crop: Image.Image, text: str) -> str:
    """``text`` with the decimal point the ink of ``crop`` shows in its leading number put
    back (``20 CREDIT HOURS`` -> ``2.0 CREDIT HOURS``); ``text`` itself otherwise."""
    m = _LEADING_NUMBER.match(text)
    if m is None:
        return text
    digits = m.group(1)
    after = _point_after(_pieces(crop), len(digits))
    if after is None:
        return text
    return text[:m.start(1) + after] + "." + text[m.start(1) + after:]


#: The value's box is widened by this much (points) all round: tesseract's box is tight, and
#: the point itself may lie outside the letters it kept.
_PRINTED_PAD_PT = 2.0


def restore_printed_point(record: ExtractedRecord, image: Image.Image | None,
                          dpi: float | None) -> ExtractedRecord:
    """``record`` with the decimal point of its hours put back when tesseract read a whole
    number of two or three digits from a scan and the ink of its box shows the point
    (:func:`with_decimal_point`); changed in place. A point only divides the hours: a speck
    taken for one can hold a record's credit short, never make it more."""
    f = record.fields.get("hours")
    if image is None or not dpi or f is None or f.source != FieldSource.OCR \
            or f.bbox is None or not f.raw_text or _LEADING_NUMBER.match(f.raw_text) is None:
        return record
    b, pad = f.bbox, _PRINTED_PAD_PT
    crop = crop_area(image, dpi, BBox(b.x0 - pad, b.top - pad, b.x1 + pad, b.bottom + pad))
    if crop is None:
        return record
    pointed = with_decimal_point(crop, f.raw_text)
    hours = parse_hours(pointed) if pointed != f.raw_text else None
    if hours is not None and hours.value is not None:
        record.fields["hours"] = replace(f, value=hours.value, raw_text=pointed)
    return record


def _pieces(crop: Image.Image) -> list[_Piece]:
    dark = (np.asarray(crop.convert("L")) < DARK).astype(np.uint8)
    dark[dark.mean(axis=1) > RULE_ROW, :] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    return [_Piece(BBox(int(x), int(y), int(x + w), int(y + h)), int(a))
            for x, y, w, h, a in stats[1:n]]


def _point_after(pieces: list[_Piece], n_digits: int) -> int | None:
    """After how many of the leading ``n_digits`` digits the one blot on the baseline
    stands, or ``None`` when the ink does not show exactly that."""
    if not pieces:
        return None
    tallest = max(p.box.height for p in pieces)
    tall = [p for p in pieces if p.box.height >= 0.6 * tallest]
    baseline = float(np.median([p.box.bottom for p in tall]))
    height = float(np.median([p.box.height for p in tall]))
    dot_like = [p for p in pieces if _dot_shaped(p, height) and _on(p, baseline, height)]
    strokes = [p for p in pieces if p not in dot_like
               and p.box.height >= PIECE * height and p.box.top < baseline - 0.3 * height]
    # the reading's digits are the ink's first columns, each no wider than a digit is (two
    # digits run together into one column would put the point a digit late)
    digits = _columns(strokes)[:n_digits]
    if len(digits) != n_digits or any(c.x1 - c.x0 > DIGIT_WIDTH * c.height for c in digits):
        return None
    # a blot on the baseline of the two digits either side (their own: a line written
    # uphill stands higher at its end), its middle before the next digit's first ink and
    # past the last ink of the one before (by half its width at most: a pen's dot may
    # touch it)
    gaps = [i + 1 for i, (left, right) in enumerate(zip(digits, digits[1:], strict=False))
            for d in dot_like
            if _dot_shaped(d, max(left.height, right.height))
            and _on(d, max(left.bottom, right.bottom), max(left.height, right.height))
            and left.x1 - d.box.width / 2 <= (d.box.x0 + d.box.x1) / 2 < right.x0]
    return gaps[0] if len(gaps) == 1 else None


def _dot_shaped(p: _Piece, height: float) -> bool:
    """A blot far smaller than letters ``height`` tall, filling its box."""
    least, most = max(3.0, DOT_LEAST * height), DOT_MOST * height
    w, h = p.box.width, p.box.height
    return least <= w <= most and least <= h <= most and p.area >= DOT_FILL * w * h


def _on(p: _Piece, baseline: float, height: float) -> bool:
    """Whether ``p`` sits on the baseline of letters ``height`` tall."""
    return baseline - ABOVE_BASELINE * height <= p.box.bottom <= baseline + BELOW_BASELINE * height


@dataclass(frozen=True)
class _Column:
    """The strokes of one letter: their extent across, their lowest ink and tallest piece."""

    x0: float
    x1: float
    bottom: float
    height: float


def _columns(strokes: list[_Piece]) -> list[_Column]:
    """The strokes merged where their extents across overlap: one column per letter."""
    out: list[_Column] = []
    for p in sorted(strokes, key=lambda p: p.box.x0):
        if out and p.box.x0 <= out[-1].x1:
            c = out[-1]
            out[-1] = _Column(c.x0, max(c.x1, p.box.x1), max(c.bottom, p.box.bottom),
                              max(c.height, p.box.height))
        else:
            out.append(_Column(p.box.x0, p.box.x1, p.box.bottom, p.box.height))
    return out
