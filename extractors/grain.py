"""Paper grain: the fine mottle of a gray page scanned at low quality, and its smoothing.

A page scanned in grayscale from gray or recycled paper, or at 200 dpi and JPEG-compressed,
carries a grain of one- and two-pixel mottles all over the paper and along every stroke.
Tesseract binarises the page with one global threshold: the grain turns into ragged glyph
edges and dots touching the letters, and a clean-looking line of typewriter text comes back
as another word (a place name read as a different word, a ``0`` as an ``8``), even though the
page looks sharp to the eye. The specks :func:`extractors.preprocess.despeckle` removes are a
different damage: isolated dots on white paper, a few per thousand pixels, which this page
may not have at all.

A 3 x 3 median smooths the grain and keeps strokes two pixels wide or wider, which at
300 dpi is every printed letter. It erases thinner lines (a ruled table's hairlines, a fine
pen, a signature's tail), so only tesseract's full reading of the page gets the smoothed
copy (:func:`extractors.reading.ocr_upright`); rules, checkboxes, signatures and handwritten
cells are measured on the page as scanned. (Smoothing the page itself lost two handwritten
sign-in sheets' tables.) A bilevel page (a fax, a black-and-white scan: nearly no gray
level between ink and paper) is never smoothed; its damage is specks, not grain.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from extractors.pixels import gray_array

#: Mean gray-level step between a paper pixel and its 3 x 3 median at which a page counts as
#: grainy. A clean 300-dpi scan measures about 0.4-0.55; the pages tesseract misread for
#: grain measured 0.65 and above (0.9-2 on 200-dpi JPEG scans).
GRAINY = 0.65
#: A page with fewer pixels than this share between ink and paper levels is bilevel.
_BILEVEL_SHARE = 0.02
#: Paper: median level at least this light (ink and the edges of strokes are left out).
_PAPER_LEVEL = 160


def measure_grain(image: Image.Image) -> float:
    """The grain of a grayscale page: the mean step between each paper pixel and its 3 x 3
    median, measured on the page's central half; 0.0 for a bilevel page.

    The central half spares margins that are only scanner bed or a dark border.
    """
    w, h = image.size
    arr = gray_array(image.crop((w // 4, h // 4, w - w // 4, h - h // 4)))
    if arr.size == 0 or bilevel(arr):
        return 0.0
    median = cv2.medianBlur(arr, 3)
    paper = median >= _PAPER_LEVEL
    if not paper.any():
        return 0.0
    step = np.abs(arr.astype(np.int16) - median.astype(np.int16))
    return float(step[paper].mean())


def bilevel(arr: np.ndarray) -> bool:
    """Whether a grayscale array is black and white: nearly no level between ink and paper
    (a fax, a black-and-white scan, a dithered page)."""
    middle = np.count_nonzero((arr > 32) & (arr < 224))
    return middle < _BILEVEL_SHARE * arr.size


def smooth_grain(image: Image.Image) -> Image.Image:
    """The page with a 3 x 3 median applied (OpenCV: ~10 ms on a 300-dpi page, where
    Pillow's ``MedianFilter`` costs ~0.5 s)."""
    return Image.fromarray(cv2.medianBlur(gray_array(image), 3), "L")
