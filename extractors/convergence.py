"""Measure a photo's keystone from the page's own straight lines, when no sheet edge shows.

A phone held close enough for the paper to fill the frame leaves no desk around the sheet,
so its edges cannot be found (:func:`extractors.perspective.find_sheet`). The print itself
still shows the keystone: a form's rules and underlines are straight and, on paper, parallel
or square; in the photo the vertical ones lean more the farther they are to one side and the
horizontal ones fan out from top to bottom, each family running towards a vanishing point.

Under a homography, the lean of a line of one family (dx/dy for the near-vertical ones,
measured where it crosses the middle of the page) is a linear function of where it crosses:
``lean = a * x + b``. A flat scan, however rotated, has ``a = 0``: every rule leans the same.
So the long lines are found on a small binarised copy, the two straight fits are made
robustly, and a quadrilateral built from them is what the page's rectangle looks like in
the photo. The caller decides whether it converges enough to be worth undoing.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from extractors.pixels import gray_array

# One thread: OpenCV's pool, once run, is inherited dead by a forked batch worker, which then
# waits on it for ever; parallelism comes from one worker process per core anyway.
cv2.setNumThreads(1)

# Lines are looked for on a copy about this wide (pixels, ~100 dpi for a letter page).
_WORK_WIDTH = 850
# A line counts when it is at least this share of the page's width (height for verticals):
# a table rule, a field's underline, a box edge; never a line of text.
_MIN_LINE_SHARE = 0.12
# Near-horizontal / near-vertical: within this many degrees of the axis.
_MAX_TILT_DEGREES = 12.0
# A family needs this many lines, spread over this share of the page across them, to be fitted.
_MIN_LINES = 3
_MIN_SPREAD = 0.35
# Lines farther than this from a family's fit (lean units, dx/dy) are dropped as outliers:
# a shadow's edge, a curled corner, a handwritten stroke.
_MAX_RESIDUAL = 0.006
# The fan of leans across the lines must be this many times their scatter about the fit.
_MIN_SIGNAL = 4.0
# A line this close to the image's edge (share of the page across it) is the image's frame:
# the fill a scanner or a rotation leaves, always square to the image, never print.
_BORDER = 0.025


@dataclass(frozen=True)
class LineFamily:
    """Long lines of one direction, as ``(cross, lean, length)`` rows.

    For the near-vertical family ``cross`` is the x where a line meets the page's middle row
    and ``lean`` is dx/dy; for the near-horizontal one, the y where it meets the middle
    column and dy/dx.
    """

    lines: np.ndarray

    def fit(self, extent: float) -> tuple[float, float] | None:
        """``(a, b)`` with ``lean = a * cross + b``, or ``None`` when the lines are too few
        or too bunched together (``extent``: the page's size across the lines) to say."""
        lines = self.lines
        for _ in range(3):  # fit, drop the far ones, fit again
            if len(lines) < _MIN_LINES:
                return None
            cross, lean, length = lines[:, 0], lines[:, 1], lines[:, 2]
            if float(np.ptp(cross)) < _MIN_SPREAD * extent:
                return None
            a, b = np.polyfit(cross, lean, 1, w=np.sqrt(length))
            residual = np.abs(lean - (a * cross + b))
            keep = residual <= max(_MAX_RESIDUAL, 2.5 * float(np.median(residual)))
            if keep.all():
                return _significant(a, b, cross, lean, length)
            lines = lines[keep]
        return None


def _significant(a: float, b: float, cross: np.ndarray, lean: np.ndarray, length: np.ndarray
                 ) -> tuple[float, float]:
    """The fit when the lines clearly fan out; else the lines taken as parallel (``a = 0``).

    Clearly: the change of lean across the lines is several times the scatter of the lines
    about the fit. A certificate's few ornaments and underlines scatter by a few tenths of a
    degree and would otherwise pass for a keystone of that size; a photo's rules fan out
    smoothly, each within a hundredth of a degree of the fit.
    """
    residual = lean - (a * cross + b)
    scatter = float(np.sqrt(np.average(residual ** 2, weights=length)))
    if abs(a) * float(np.ptp(cross)) > _MIN_SIGNAL * scatter:
        return float(a), float(b)
    return 0.0, float(np.average(lean, weights=length))


def find_page_quad(image: Image.Image,
                   reduced: tuple[int, Image.Image] | None = None) -> np.ndarray | None:
    """Where the page's rectangle (its 10 %..90 % frame) lies in ``image``: corners
    (top-left, top-right, bottom-right, bottom-left) in ``image`` pixels, from the long
    lines printed on it; ``None`` when there are too few lines in either direction.

    ``reduced``: ``(k, copy)``, a grayscale ``image.reduce(k)`` the caller has made already
    (used when ``k`` is the reduction wanted here)."""
    # an integer reduction: a third of the cost of resizing to an exact width
    factor = max(1, round(image.width / _WORK_WIDTH))
    if reduced is not None and reduced[0] == factor:
        small = reduced[1]
    else:
        gray = image if image.mode == "L" else image.convert("L")
        small = gray.reduce(factor)
    scale = image.width / small.width
    h, w = small.height, small.width
    ink = binarise(np.asarray(gray_array(small), dtype=np.uint8))
    vertical = LineFamily(long_lines(ink, vertical=True))
    horizontal = LineFamily(long_lines(ink, vertical=False))
    v_fit, h_fit = vertical.fit(w), horizontal.fit(h)
    if v_fit is None and h_fit is None:
        return None
    # A family with too few lines to fit is taken as square to the other (no convergence
    # measured there): the rotation left is deskew's job.
    if v_fit is None:
        v_fit = (0.0, -_lean_at(h_fit, h / 2))
    if h_fit is None:
        h_fit = (0.0, -_lean_at(v_fit, w / 2))
    xs = (0.1 * w, 0.9 * w)
    ys = (0.1 * h, 0.9 * h)
    # verticals: x = cross + lean * (y - h/2); horizontals: y = cross + lean * (x - w/2)
    left, right = ((x, _lean_at(v_fit, x)) for x in xs)
    top, bottom = ((y, _lean_at(h_fit, y)) for y in ys)
    corners = [_meet(left, top, w, h), _meet(right, top, w, h),
               _meet(right, bottom, w, h), _meet(left, bottom, w, h)]
    return np.array(corners, dtype=np.float64) * scale


def binarise(gray: np.ndarray) -> np.ndarray:
    """Ink as 1, paper as 0, against the local paper level (a photo is lit unevenly)."""
    return cv2.adaptiveThreshold(gray, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 31, 15)


def long_lines(ink: np.ndarray, *, vertical: bool) -> np.ndarray:
    """The long straight lines of one direction as ``(cross, lean, length)`` rows.

    Text is opened away first (a run of ink ~1/40 of the page long survives only along a
    rule), then each remaining stroke, a rule or a piece of one, is fitted with a line.
    """
    grid = ink.T if vertical else ink
    h, w = grid.shape
    kernel = np.ones((1, max(9, w // 40)), np.uint8)
    opened = cv2.morphologyEx(np.ascontiguousarray(grid), cv2.MORPH_OPEN, kernel)
    # close small gaps along a leaning rule (the opening cuts it into a staircase)
    joined = cv2.dilate(opened, np.ones((3, 7), np.uint8))
    count, labels, boxes = _components(joined)
    rows = []
    min_len = _MIN_LINE_SHARE * w
    for i in range(1, count):
        x, y, cw, ch = boxes[i]
        if cw < min_len or ch > cw * np.tan(np.radians(_MAX_TILT_DEGREES)) + 8:
            continue
        ys, xs = np.nonzero((labels[y:y + ch, x:x + cw] == i) & (opened[y:y + ch, x:x + cw] > 0))
        if len(xs) < min_len / 2:
            continue
        lean, at = np.polyfit(xs + x, ys + y, 1)
        cross = at + lean * (w / 2)
        if not _BORDER * h < cross < (1 - _BORDER) * h:
            continue  # the frame of a rotated or cropped scan, not a line printed on the page
        rows.append((cross, lean, float(cw)))
    return np.array(rows, dtype=np.float64).reshape(-1, 3)


def _components(mask: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """``connectedComponentsWithStats`` (8-neighbour) without its statistics pass: the
    labels, and each label's bounding box ``(x, y, width, height)`` from the outer border
    of its piece (every piece has one, a piece inside another's hole too). OpenCV's
    statistics cost ~5 ms a call on a ~100-dpi page, the border ~1 ms."""
    count, labels = cv2.connectedComponents(mask, connectivity=8, ltype=cv2.CV_32S)
    boxes = np.zeros((count, 4), dtype=np.int64)
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    for contour, (_next, _prev, _child, parent) in zip(
            contours, hierarchy[0] if hierarchy is not None else (), strict=True):
        if parent < 0:  # an outer border (the others are holes' borders)
            x, y = contour[0, 0]
            boxes[labels[y, x]] = cv2.boundingRect(contour)
    return count, labels, boxes


def _lean_at(fit: tuple[float, float], cross: float) -> float:
    a, b = fit
    return a * cross + b


def _meet(v: tuple[float, float], hz: tuple[float, float], w: float, h: float
          ) -> tuple[float, float]:
    """Where the vertical ``x = cx + lv*(y - h/2)`` meets the horizontal
    ``y = cy + lh*(x - w/2)``."""
    cx, lv = v
    cy, lh = hz
    # x = cx + lv*(cy + lh*(x - w/2) - h/2)  =>  x*(1 - lv*lh) = cx + lv*(cy - lh*w/2 - h/2)
    x = (cx + lv * (cy - lh * w / 2 - h / 2)) / (1 - lv * lh)
    return x, cy + lh * (x - w / 2)
