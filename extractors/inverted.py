"""Whether a page has a dark fill that can hold white text, so that reading lines inverted can pay.

Tesseract reads every line whose characters it is less than 70 % sure of a second time from an
inverted copy (``tessedit_do_invert``): that is how it reads white type on a dark banner or a
shaded heading. On paperwork most such unsure lines are signatures, pen-written entries, stamps
and noise; their inverted copy reads as junk, so the retry costs ~4 % of the reading (agency-a:
1.2 of 28 CPU s) and only now and then swaps one junk reading for another.

White type needs a dark fill behind it, at least a line high and a few letters wide. A page
without one is read without the retry. The fill is looked for on the ~100-dpi analysis copy:
pixels darker than the page's Otsu threshold (tesseract binarises a page with the same split, so
a fill lighter than that is paper to it too, and the white type on it is lost either way), with
some margin toward the paper, opened by a 3-pixel square so that strokes, rules and bold type go.
What stays and is wide enough is a fill: a banner, a dark table heading, a label box, and also
what only looks like one (a scanner's black edge, the desk around a photographed sheet), where
the retry stays as it was.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from extractors.pixels import gray_array, histogram_percentile, otsu_threshold

# The level counted as dark: Otsu's threshold and this share of the way on toward the paper.
_TOWARD_PAPER = 0.25
# A fill holds a line of type: this high (inches; 0.08 in plus the opening's two pixels is about
# a 7-point line) and this wide, and, unless it is wider than _WIDE_FILL, longer than high as a
# line of words is (a square seal or logo is no banner).
_MIN_HEIGHT_IN = 0.08
_MIN_WIDTH_IN = 0.4
_WIDE_FILL_IN = 1.5
_MIN_ASPECT = 2.0
# The share of its box the fill covers (the white letters are holes in it; a grid is mostly paper).
_MIN_COVER = 0.3
# Crops are measured at about the analysis copy's resolution (dots per inch).
_MEASURE_DPI = 100


def dark_fills(small: np.ndarray, dpi: float, threshold: float, paper: float) -> int:
    """How many fills that could hold a line of white type a grayscale page has.

    Args:
        small: the page's pixels (8-bit grayscale), usually the ~100-dpi analysis copy.
        dpi: the resolution of ``small``.
        threshold: the page's Otsu threshold between ink and paper.
        paper: the page's paper level (a high percentile of its gray levels).
    """
    level = threshold + _TOWARD_PAPER * max(0.0, paper - threshold)
    dark = (small < level).astype(np.uint8)
    # every other pixel of the opened mask: a fill is solid, and a quarter of the pixels
    # costs a quarter as much (~1.5 instead of ~6 ms a page at 100 dpi)
    opened = cv2.erode(dark, np.ones((3, 3), np.uint8))[::2, ::2]
    dpi /= 2
    count, _, boxes, _ = cv2.connectedComponentsWithStats(opened, connectivity=8)
    w, h, area = (boxes[1:count, i].astype(np.float64) for i in (2, 3, 4))
    line_high = (h >= _MIN_HEIGHT_IN * dpi) & (w >= _MIN_WIDTH_IN * dpi)
    line_shaped = (w >= _MIN_ASPECT * h) | (w >= _WIDE_FILL_IN * dpi)
    return int((line_high & line_shaped & (area >= _MIN_COVER * w * h)).sum())


def holds_white_type(image: Image.Image, dpi: float) -> bool:
    """Whether an image read alone (a cell, a table's heading band, a sheet's head) has a
    dark fill that could hold white type: :func:`dark_fills` on the image itself, its
    threshold and paper level its own."""
    factor = max(1, round(dpi / _MEASURE_DPI))
    small = gray_array(image.convert("L").reduce(factor) if factor > 1 else image.convert("L"))
    if small.size == 0:
        return False
    counts = np.bincount(small.ravel(), minlength=256)
    paper = histogram_percentile(np.cumsum(counts), 90)
    return dark_fills(small, dpi / factor, otsu_threshold(counts), paper) > 0
