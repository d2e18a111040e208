"""Square up a photographed page: undo the keystone of a phone held at an angle.

A photo of a certificate lying on a desk shows the sheet as a quadrilateral, not a rectangle:
its edges converge. Deskewing turns the page as a whole, but the rows of a form then still
tilt one way at the top and another at the bottom, and across a wide table a label and its
value end up half a row apart, so tesseract and the row builder pair the wrong words.

Only a photo has converging edges: a flatbed scan or a fax, however skewed, shows the sheet
with parallel edges (or no edges at all, the paper filling the image). So the correction runs
when the four edges of a sheet are found against a darker surface and at least one pair of
opposite edges is clearly not parallel; a photo taken so close that the paper fills the frame
has no edges to find, and its keystone is measured from the rules and underlines printed on
it instead (:mod:`extractors.convergence`). The whole photo is mapped, not only the sheet, so
nothing printed is cut off, even where a dark banner across the top of the sheet hides its
true top edge from the measurement.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from extractors.convergence import find_page_quad
from extractors.pixels import gray_array

# The sheet is looked for on a copy about this wide (pixels): edges, not text, matter here.
_WORK_WIDTH = 400
# Opposite edges must converge by more than this (degrees) for the photo to be corrected.
MIN_KEYSTONE_DEGREES = 0.4
# The sheet must cover this share of the photo, and be this much brighter than the surface.
_MIN_SHEET, _MAX_SHEET = 0.3, 0.97
_MIN_SHEET_CONTRAST = 40.0


def square_up(image: Image.Image, reduced: tuple[int, Image.Image] | None = None
              ) -> tuple[Image.Image, float]:
    """The photo with the sheet's keystone undone, and the keystone found (degrees).

    Returns the image unchanged, with 0.0, when neither the sheet's edges on a darker surface
    nor the long lines printed on it converge (a scan, skewed or not). ``reduced``: a
    grayscale ``(k, image.reduce(k))`` already made, for the line search to use if it fits.
    """
    corners = find_sheet(image)
    if corners is None:
        corners = find_page_quad(image, reduced)
    if corners is None:
        return image, 0.0
    keystone = _keystone_degrees(corners)
    if keystone < MIN_KEYSTONE_DEGREES:
        return image, 0.0
    return _warp(image, corners), keystone


def find_sheet(image: Image.Image) -> np.ndarray | None:
    """The sheet's corners (top-left, top-right, bottom-right, bottom-left) in ``image``
    pixels, or ``None`` when no sheet stands out from a darker surface on all four sides."""
    scale = image.width / _WORK_WIDTH
    small = image.resize((_WORK_WIDTH, max(1, round(image.height / scale))),
                         Image.Resampling.BOX)
    paper = _paper_mask(np.asarray(gray_array(small), dtype=np.uint8))
    if paper is None:
        return None
    edges = [_fit_edge(paper, side) for side in ("left", "right", "top", "bottom")]
    if any(e is None for e in edges):
        return None
    left, right, top, bottom = edges
    corners = np.array([_cross(left, top), _cross(right, top), _cross(right, bottom),
                        _cross(left, bottom)], dtype=np.float64)
    h, w = paper.shape
    inside = (corners[:, 0] > -0.05 * w) & (corners[:, 0] < 1.05 * w) \
        & (corners[:, 1] > -0.05 * h) & (corners[:, 1] < 1.05 * h)
    if not inside.all():
        return None
    return corners * scale


def _paper_mask(arr: np.ndarray) -> np.ndarray | None:
    """Where the sheet is: bright after the print is closed over (a local maximum of ~6
    work pixels hides text lines), and clearly brighter than the rest."""
    closed = _local_max(arr, 3)
    lo, hi = np.percentile(closed, (5, 95))
    paper = closed > (lo + hi) / 2  # desk and sheet are the two levels left
    share = float(paper.mean())
    if not _MIN_SHEET <= share <= _MAX_SHEET:
        return None
    if float(np.median(closed[paper]) - np.median(closed[~paper])) < _MIN_SHEET_CONTRAST:
        return None
    return paper


def _local_max(arr: np.ndarray, r: int) -> np.ndarray:
    """The maximum over each pixel's (2r+1)-square, the image's edge repeated beyond it (a
    grayscale dilation: OpenCV's, ~10x cheaper than stacking shifted copies)."""
    size = 2 * r + 1
    return cv2.dilate(np.ascontiguousarray(arr, dtype=np.uint8), np.ones((size, size), np.uint8),
                      borderType=cv2.BORDER_REPLICATE)


def _fit_edge(paper: np.ndarray, side: str) -> tuple[float, float, bool] | None:
    """A line along one edge of the sheet: ``(a, b, vertical)`` with ``x = a*y + b`` for the
    left and right edges, ``y = a*x + b`` for the top and bottom ones.

    Each scan line across the middle 70 % of the sheet gives the first paper pixel from that
    side (a run of paper, so a bright speck on the desk is not the sheet); the line is fitted
    to them twice, the second time without the points farthest from the first fit (a torn
    corner, a thumb, a shadow).
    """
    vertical = side in ("left", "right")
    grid = paper if vertical else paper.T
    if side in ("right", "bottom"):
        grid = grid[:, ::-1]
    n_lines, length = grid.shape
    run = max(3, length // 16)  # longer than any closed-over text line inside a dark banner
    # sure[i, j]: pixels j .. j + run - 1 of line i are all paper (a window sum of run)
    filled = np.zeros((n_lines, length + 1), dtype=np.int32)
    np.cumsum(grid, axis=1, out=filled[:, 1:])
    sure = (filled[:, run:] - filled[:, :-run]) == run
    has = sure.any(axis=1)
    first = sure.argmax(axis=1).astype(np.float64)
    lines = np.arange(n_lines)
    rows = np.flatnonzero(has)
    if len(rows) < 0.3 * n_lines:
        return None
    lo, hi = rows[0] + 0.15 * (rows[-1] - rows[0]), rows[-1] - 0.15 * (rows[-1] - rows[0])
    keep = has & (lines >= lo) & (lines <= hi)
    ys, xs = lines[keep].astype(np.float64), first[keep]
    if len(ys) < 10 or float(np.median(xs)) < 2:
        return None  # the sheet runs off the photo on this side: no edge to measure
    a, b = np.polyfit(ys, xs, 1)
    err = np.abs(xs - (a * ys + b))
    near = err <= np.percentile(err, 80)
    a, b = np.polyfit(ys[near], xs[near], 1)
    if side in ("right", "bottom"):
        a, b = -a, (length - 1) - b
    return float(a), float(b), vertical


def _cross(v: tuple[float, float, bool], h: tuple[float, float, bool]) -> tuple[float, float]:
    """Where a vertical edge ``x = a*y + b`` meets a horizontal one ``y = c*x + d``."""
    a, b, _ = v
    c, d, _ = h
    y = (c * b + d) / (1 - a * c)
    return a * y + b, y


def _keystone_degrees(corners: np.ndarray) -> float:
    """How far the sheet's opposite edges are from parallel (the larger pair, degrees)."""
    tl, tr, br, bl = corners

    def angle(p: np.ndarray, q: np.ndarray) -> float:
        d = q - p
        return float(np.degrees(np.arctan2(d[1], d[0])))

    top, bottom = angle(tl, tr), angle(bl, br)
    left, right = angle(tl, bl), angle(tr, br)
    return max(abs(top - bottom), abs(left - right))


def _warp(image: Image.Image, corners: np.ndarray) -> Image.Image:
    """Map the sheet's quadrilateral to a rectangle, carrying the rest of the photo along.

    The rectangle keeps the sheet's mean edge lengths; the output canvas keeps the photo's
    margins around it (desk included), so print outside the measured edges is not lost.
    Pixels from beyond the photo are white. Bicubic: bilinear softened a lone digit enough
    for tesseract to read "4" as "a".
    """
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    mx = max(0.0, float(min(tl[0], bl[0])))
    my = max(0.0, float(min(tl[1], tr[1])))
    out_w = round(width + mx + max(0.0, image.width - float(max(tr[0], br[0]))))
    out_h = round(height + my + max(0.0, image.height - float(max(bl[1], br[1]))))
    target = np.array([(mx, my), (mx + width, my), (mx + width, my + height), (mx, my + height)])
    coeffs = _perspective_coeffs(target, corners)
    return image.transform((out_w, out_h), Image.Transform.PERSPECTIVE, tuple(coeffs),
                           Image.Resampling.BICUBIC, fillcolor=255)


def _perspective_coeffs(out_pts: np.ndarray, in_pts: np.ndarray) -> np.ndarray:
    """PIL's eight coefficients taking each output point to its input point."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(out_pts, in_pts, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))

