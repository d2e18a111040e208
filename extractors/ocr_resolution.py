"""The resolution a low-resolution scan is read at: its own, or brought to 300 dpi.

Tesseract's cost grows with the pixels it is given: a 200-dpi page brought to 300 dpi holds
2.25 times the pixels and its first reading costs ~1.2-1.3 times that of the page as it came
(issue 13, agency-a's 31 pages at 200 dpi: 110 vs 85 CPU seconds). On running text the
native reading is as good or better (fewer specks grown into letters on faxes: its mean word
confidence was higher on 28 of 31 pages). What the extra pixels buy is the small print of a
ruled form: the headings of a sign-in sheet's table, in small type between rules or on a
shaded band, came back as noise at 200 dpi and took every row of the table with them.

So a page at 200-250 dpi is read at its own resolution unless it is ruled into rows (a table
or a form of lines to fill in); anything coarser is always brought up.
"""

from __future__ import annotations

from PIL import Image

from extractors.table import find_rules

#: Scans from this resolution (and under ``preprocess.MIN_OCR_DPI``) may be read as they are.
MIN_NATIVE_DPI = 195
#: A page with this many rules in a ladder (see :func:`ruled_rows`) is a table or a form of
#: lines to fill in: a heading and four rows.
MIN_TABLE_RULES = 5
#: The spacing of a ladder's rungs, points: a row holds at least one line of small writing
#: (a certificate's double border, 5-12 pt apart, is no row) and at most an inch.
ROW_PITCH_PT = (14.0, 72.0)


def reads_at_native_dpi(gray: Image.Image, dpi: float) -> bool:
    """Whether the grayscale scan ``gray`` (square pixels at ``dpi``) is read as it is.

    Only when its resolution is ``MIN_NATIVE_DPI`` or finer and it is not ruled into rows.
    The rule search works on a half-size copy (~20 ms for a 200-dpi letter page).
    """
    if dpi < MIN_NATIVE_DPI:
        return False
    untimed = getattr(find_rules, "__wrapped__", find_rules)  # preprocessing's time, not tables'
    rules = untimed(gray, dpi)
    return ruled_rows(sorted(r.pos for r in rules.horizontal)) < MIN_TABLE_RULES


def ruled_rows(positions: list[float]) -> int:
    """The most rules in one ladder: rules one below the other, each a row's height
    (:data:`ROW_PITCH_PT`) under the last. ``positions`` are sorted, in points."""
    lo, hi = ROW_PITCH_PT
    best = run = 1 if positions else 0
    for above, below in zip(positions, positions[1:], strict=False):
        run = run + 1 if lo <= below - above <= hi else 1
        best = max(best, run)
    return best
