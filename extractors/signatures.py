"""Is there a signature in a box? Ink in a scanned cell, or a drawn mark on a PDF page.

A scanned cell is looked at inside its rules (a margin is left so the table's own lines do
not count), long straight runs (a rule left slanted by deskewing) are removed, and printed
words of other columns are masked. What is left is judged by how much ink there is and how
far it spreads across the cell: speckle is a few scattered dots, a signature a wide stroke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from extractors.timing import timed
from extractors.types import BBox, PageGraphics, PageText

# One thread, as in extractors.convergence: a pool once run is inherited dead by a fork.
cv2.setNumThreads(1)

#: Share of the cell's pixels that must be ink, and share of its width the ink must span.
MIN_INK = 0.004
MIN_SPREAD = 0.12
#: Confidence of a signature whose stroke is split about evenly with the next row (review).
SHARED_CONFIDENCE = 0.5
#: A stroke counts as shared between two rows only when it is at least this share of a row
#: high: one that crosses the rule reaches well into both rows.
_SHARED_STROKE_HEIGHT = 0.2
#: The least width (points) of a drawn mark that signs a born-digital cell.
MIN_MARK_PT = 6.0
DARK = 150


@dataclass(frozen=True)
class InkResult:
    """The decision for one cell.

    Attributes:
        signed: ink found (``None`` when the cell could not be looked at).
        confidence: 0..1, how clear the decision was.
        ink: share of the cell's pixels that are ink after cleaning.
        spread: share of the cell's width the ink spans.
    """

    signed: bool | None
    confidence: float | None
    ink: float = 0.0
    spread: float = 0.0


@timed("signatures")
def ink_in_cell(image: Image.Image, dpi: float, cell: BBox,
                mask: list[BBox] | tuple[BBox, ...] = (), *,
                neighbours: bool = False) -> InkResult:
    """Whether the scanned cell ``cell`` (points) holds handwriting ink.

    Args:
        image: the page as read (grayscale, same frame as the word boxes).
        dpi: the image resolution.
        cell: the signature cell in points, rule to rule.
        mask: boxes of printed words to ignore (points).
        neighbours: the cell is one of a column of cells (a table's rows): strokes that
            belong to the row above or below are not this cell's (see :func:`_foreign_ink`).
    """
    k = dpi / 72.0
    margin_x, margin_y = 2.5 * k, 0.12 * cell.height * k
    x0, x1 = round(cell.x0 * k + margin_x), round(cell.x1 * k - margin_x)
    y0, y1 = round(cell.top * k + margin_y), round(cell.bottom * k - margin_y)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(image.width, x1), min(image.height, y1)
    if x1 - x0 < 8 or y1 - y0 < 4:
        return InkResult(None, None)
    dark = _drop_straight_lines(_dark_without_words(image, k, (x0, y0, x1, y1), mask))
    shared = False
    if neighbours and dark.mean() >= MIN_INK and (dark[:2].any() or dark[-2:].any()):
        # ink reaching the top or bottom of the looked-at part may come from a neighbour
        # (only then is the cost of following strokes, ~10 ms a cell, paid)
        foreign, shared = _foreign_ink(image, k, cell, (x0, y0, x1, y1), mask)
        dark &= ~foreign
    if dark.mean() >= MIN_INK:
        dark = _drop_rule_pieces(_drop_thin_dashes(dark, k), k)
    ink = float(dark.mean())
    cols = np.nonzero(dark.sum(axis=0) >= 1)[0]
    spread = float(cols[-1] - cols[0] + 1) / dark.shape[1] if cols.size >= 2 else 0.0
    # A real stroke is many columns wide AND continuous, speckle is isolated dots: count
    # the columns that hold ink, not only the first-to-last distance.
    filled = cols.size / dark.shape[1]
    signed = ink >= MIN_INK and spread >= MIN_SPREAD and filled >= 0.5 * MIN_SPREAD
    margin = min(ink / MIN_INK, spread / MIN_SPREAD) if signed else \
        max(MIN_INK / max(ink, 1e-6), MIN_SPREAD / max(spread, 1e-6))
    confidence = round(min(0.99, 0.5 + 0.25 * min(2.0, margin - 1.0)), 3)
    if signed and shared:
        confidence = min(confidence, SHARED_CONFIDENCE)
    return InkResult(signed, confidence, round(ink, 5), round(spread, 3))


def _dark_without_words(image: Image.Image, k: float, box: tuple[int, int, int, int],
                        mask: list[BBox] | tuple[BBox, ...]) -> np.ndarray:
    """Dark pixels of ``box`` (pixels) with the printed words' boxes (``mask``, points) cleared."""
    x0, y0, x1, y1 = box
    dark = np.asarray(image.crop(box), dtype=np.uint8) < DARK
    for b in mask:
        mx0, mx1 = round(b.x0 * k) - x0, round(b.x1 * k) - x0
        my0, my1 = round(b.top * k) - y0, round(b.bottom * k) - y0
        dark[max(0, my0): max(0, my1), max(0, mx0): max(0, mx1)] = False
    return dark


def _foreign_ink(image: Image.Image, k: float, cell: BBox, box: tuple[int, int, int, int],
                 mask: list[BBox] | tuple[BBox, ...]) -> tuple[np.ndarray, bool]:
    """Ink of the looked-at part of a cell (``box``, pixels) that belongs to a neighbour.

    A signature often sprawls over the rule into the row under (or over) it. Its strokes are
    followed as connected ink through a band reaching half a row beyond the cell, the rules
    taken out but a stroke they cut joined again; a stroke with most of its ink outside the
    cell is the neighbour's. One split about evenly between two rows makes the decision
    unsure (review), whichever row it is counted for.

    Returns:
        The neighbour's pixels within ``box``, and whether a stroke is shared about evenly.
    """
    x0, y0, x1, y1 = box
    top, bottom = round(cell.top * k), round(cell.bottom * k)
    reach = round(0.6 * cell.height * k)
    by0, by1 = max(0, top - reach), min(image.height, bottom + reach)
    dark = _dark_without_words(image, k, (x0, by0, x1, by1), mask)
    strokes = _drop_straight_lines(dark)
    cut = dark & ~strokes
    above, below = np.zeros_like(dark), np.zeros_like(dark)
    for step in range(1, max(3, round(3.0 * k)) + 1):  # the rule and the band cleared round it
        above[step:] |= strokes[:-step]
        below[:-step] |= strokes[step:]
    _count, labels, stats, _centres = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(strokes | (cut & above & below), dtype=np.uint8),
        connectivity=8, ltype=cv2.CV_32S)
    total = np.bincount(labels.ravel(), minlength=stats.shape[0])
    inside = np.bincount(labels[max(0, top - by0): bottom - by0].ravel(), minlength=total.size)
    share = inside / np.maximum(total, 1)
    foreign = share < 0.5
    foreign[0] = False
    big = total >= 0.002 * (x1 - x0) * max(1, bottom - top)
    # A stroke shared between two rows reaches well into both; a flat piece of a broken rule
    # (a fax's dashed line the straight-line pass left) lies on the boundary, "split about
    # evenly" without belonging to either row's signature.
    tall = stats[:, cv2.CC_STAT_HEIGHT] >= _SHARED_STROKE_HEIGHT * (bottom - top)
    shared = bool(np.any((share >= 0.5) & (share < 0.65) & big & tall
                         & (np.arange(total.size) > 0)))
    return foreign[labels[y0 - by0: y1 - by0]], shared


def _label(ink: np.ndarray) -> np.ndarray:
    """Connected ink (8-neighbour) labelled 1, 2, ...; 0 is paper.

    OpenCV's labelling (a Python union-find over pixel runs cost ~3 ms a cell, a third of
    the signature checks of a sheet). Callers use the labels only to tell the pieces apart.
    """
    _count, labels = cv2.connectedComponents(np.ascontiguousarray(ink, dtype=np.uint8),
                                             connectivity=8, ltype=cv2.CV_32S)
    return labels


def _drop_straight_lines(dark: np.ndarray) -> np.ndarray:
    """Clear long straight runs (a rule's remnant, even slightly slanted), keep the rest.

    Rows are dilated by one pixel up and down first, so a rule that drifts a pixel or two
    across the cell still forms one long run; columns that are mostly ink (a vertical rule)
    are cleared too. A signature's strokes are curved and short in any one row band.
    """
    out = dark.copy()
    h, w = dark.shape
    thick = dark.copy()
    thick[1:] |= dark[:-1]
    thick[:-1] |= dark[1:]
    run = max(8, int(0.3 * w))
    if w > run:
        # starts[:, q]: pixels q .. q + run - 1 all dark (for 1 <= q <= w - run; an erosion
        # along the rows), then every pixel such a run covers (a dilation back over it)
        line = np.ones((1, run), np.uint8)
        starts = cv2.erode(thick.view(np.uint8), line, anchor=(0, 0),
                           borderType=cv2.BORDER_CONSTANT, borderValue=1)
        starts[:, 0] = 0
        starts[:, w - run + 1:] = 0
        full = cv2.dilate(starts, line, anchor=(run - 1, 0), borderType=cv2.BORDER_CONSTANT,
                          borderValue=0).view(bool)
        grown = full.copy()
        grown[1:] |= full[:-1]
        grown[:-1] |= full[1:]
        out &= ~grown
    out[:, dark.mean(axis=0) > 0.6] = False
    return out


def _drop_thin_dashes(dark: np.ndarray, k: float) -> np.ndarray:
    """Clear flat pieces of ink no taller than a hairline: a fax's or copier's streak.

    A streak crosses the whole page as a broken, one- or two-pixel line; in a blank
    signature cell its dashes spread wide enough to look like a signature, and no dash is a
    full straight run for :func:`_drop_straight_lines`. A pen stroke, however flat the
    signature, rises and falls by more than a hairline somewhere along it.
    """
    labels = _label(dark)
    if labels.max() == 0:
        return dark
    ys = np.nonzero(labels)[0]
    ids = labels[labels > 0]
    top = np.full(labels.max() + 1, labels.shape[0], dtype=np.int64)
    bottom = np.zeros(labels.max() + 1, dtype=np.int64)
    np.minimum.at(top, ids, ys)
    np.maximum.at(bottom, ids, ys)
    flat = (bottom - top + 1) <= max(2, round(0.9 * k))
    flat[0] = False
    return dark & ~flat[labels]


#: A rule's own thickness, points, scanned thick or smeared.
_RULE_THICKNESS_PT = 1.5
#: How far a rule may slant (degrees) and still be one: a page deskewed to within a degree.
_RULE_SLANT = math.tan(math.radians(1.0))
#: How far a rule's middle strays from a straight line (points), its edges ragged by noise.
_RULE_WOBBLE_PT = 0.5


def _drop_rule_pieces(dark: np.ndarray, k: float) -> np.ndarray:
    """Clear pieces of a ruled line that no three rows hold as one straight run.

    A blank signature line left slanting a little (a page deskewed to within a degree), or
    one whose rows a damaged scan broke up (dithered, dotted), escapes
    :func:`_drop_straight_lines`, and its longest piece looked like a signature's stroke.
    Such a piece is a third of the width long or more, no taller than a rule and its slant,
    and straight: the middle of its ink in each column lies on one line. A pen's flattest
    stroke still rises and falls off any line (a low wavering signature), and one crossing
    the rule joins it into a taller piece: both stay.
    """
    _count, labels, stats, _centres = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(dark, dtype=np.uint8), connectivity=8, ltype=cv2.CV_32S)
    width, height = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    flat = (width >= 0.3 * dark.shape[1]) & (
        height <= _RULE_THICKNESS_PT * k + _RULE_SLANT * width)
    flat[0] = False  # the paper
    wobble = max(1.5, _RULE_WOBBLE_PT * k)
    out = dark
    for i in np.flatnonzero(flat):
        ys, xs = np.nonzero(labels == i)
        if _straight(xs, ys, wobble):
            out = out & (labels != i)
    # a line printed in gray and scanned as dots: no piece is long, all of them together
    # lie along one straight line, flat and a third of the width long or more
    ys, xs = np.nonzero(out)
    if xs.size and xs.max() - xs.min() + 1 >= 0.3 * dark.shape[1] and (
            ys.max() - ys.min() + 1 <= _RULE_THICKNESS_PT * k
            + _RULE_SLANT * (xs.max() - xs.min() + 1)) and _straight(xs, ys, wobble):
        return np.zeros_like(out)
    return out


def _straight(xs: np.ndarray, ys: np.ndarray, wobble: float) -> bool:
    """Whether the column middles of the pixels (``xs``, ``ys``) lie on one straight line,
    19 columns in 20 within ``wobble`` pixels of it."""
    cols, inverse = np.unique(xs, return_inverse=True)
    if cols.size < 3:
        return False
    middle = np.bincount(inverse, weights=ys) / np.bincount(inverse)
    slope, offset = np.polyfit(cols, middle, 1)
    return float(np.percentile(np.abs(middle - (slope * cols + offset)), 95)) <= wobble


@timed("signatures")
def mark_in_cell(graphics: PageGraphics, cell: BBox) -> InkResult:
    """Whether a born-digital page draws a curve or image inside ``cell``.

    A signature applied to a PDF is a drawn path or a pasted picture; the table itself is
    straight lines and rectangles, which :class:`PageGraphics` keeps apart.

    A mark belongs to the cell that holds most of its height: a signature that sprawls
    over the rule into the row under it (its box grown further by the curve's control
    points) does not sign that row. It must be wide enough to be more than a speck:
    a sixth of the cell, or 6 points (initials in a wide "Initials" column).
    """
    inner = BBox(cell.x0 + 1, cell.top + 1, max(cell.x0 + 1, cell.x1 - 1),
                 max(cell.top + 1, cell.bottom - 1))
    for m in graphics.marks:
        w = min(m.x1, inner.x1) - max(m.x0, inner.x0)
        h = min(m.bottom, inner.bottom) - max(m.top, inner.top)
        if w > min(0.15 * inner.width, MIN_MARK_PT) and h > 0.5 * m.height:
            return InkResult(True, 0.99, spread=round(w / inner.width, 3))
    return InkResult(False, 0.97)


def ink_in_area(page: PageText, area: BBox, image: Image.Image | None,
                graphics: PageGraphics | None) -> InkResult:
    """A signature in a free area of the page (an official's line under a table): a drawn
    mark on a born-digital page, else ink on the scan with the printed words read surely
    left out. Undecided when the area is too small or there is nothing to look at."""
    if area.bottom - area.top < 8 or area.x1 - area.x0 < 20:
        return InkResult(None, None)
    if graphics is not None:
        return mark_in_cell(graphics, area)
    if image is not None and page.dpi:
        printed = [w.bbox for w in page.words
                   if area.top <= w.bbox.center_y < area.bottom and w.bbox.x1 > area.x0
                   and w.bbox.x0 < area.x1 and (w.confidence or 0) >= 0.8]
        return ink_in_cell(image, page.dpi, area, printed)
    return InkResult(None, None)
