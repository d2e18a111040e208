"""Checkboxes as words: a drawn or scanned box becomes ``[x]`` (marked) or ``[_]`` (empty).

Forms state a choice by a mark in a box (``Delivery: [x] Classroom [ ] Online``). The box is a
drawing, not text: a text layer has no character for it, and tesseract reads a box as ``O``,
``[J``, ``0`` or nothing. The readers downstream understand marks written as text, so the
page's boxes are found by their geometry and put into the words where they stand, on the line
of the word they precede; a word OCR made of the box itself is replaced.

Born-digital pages: small square paths (``boxes_from_paths``); a box is marked when a
slanted stroke (a cross, a tick) or a smaller path or a mark character lies inside it, or it
is filled dark. Scans: square outlines of ink on the page image (``boxes_in_image``), marked
when their inside holds ink; where tesseract glued a box to the word after it, that stretch
of the line is read again with the boxes painted out (``checkbox_words``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw

from extractors.pixels import gray_array
from extractors.reread import read_alone
from extractors.timing import timed
from extractors.types import BBox, Word

MARKED, EMPTY = "[x]", "[_]"
#: A box beside a word is about its height; a letter's hole is about half of it.
_MIN_BOX_SHARE = 0.6
#: A letter's hole is at most about two thirds of the letter's width ("0", "D", "O").
_HOLE_WIDTH = 0.75
#: Characters a text layer uses to mark a box (typed into it, or a symbol font's glyph).
MARK_CHARS = frozenset("xX✓✔✗✘☒☑■●")
#: A box is a square of about text size: between these sides, in points.
_MIN_SIDE_PT, _MAX_SIDE_PT = 4.5, 20.0
_SQUARE = (0.72, 1.38)  # width / height


@dataclass(frozen=True)
class Checkbox:
    """A box on the page (page points, top-left origin) and whether it holds a mark."""

    bbox: BBox
    marked: bool


@dataclass(frozen=True)
class DrawnPath:
    """A path object's box on the shown page, and whether it is filled with a dark colour."""

    bbox: BBox
    dark_fill: bool = False
    slanted: bool = False  # draws a slanted or curved stroke: a cross or a tick


def _squarish(box: BBox, lo: float = _MIN_SIDE_PT, hi: float = _MAX_SIDE_PT) -> bool:
    w, h = box.x1 - box.x0, box.bottom - box.top
    return lo <= w <= hi and lo <= h <= hi and _SQUARE[0] <= w / h <= _SQUARE[1]


def _inside(inner: BBox, outer: BBox, slack: float = 1.0) -> bool:
    return (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
            and inner.top >= outer.top - slack and inner.bottom <= outer.bottom + slack)


def _area(box: BBox) -> float:
    return max(0.0, box.x1 - box.x0) * max(0.0, box.bottom - box.top)


def boxes_from_paths(paths: list[DrawnPath], words: tuple[Word, ...]) -> list[Checkbox]:
    """The checkboxes a born-digital page draws.

    A box is a square path of about text size with a word on its line to its right (a
    square with no word near it is a bullet or a logo's part). It is marked when a smaller
    path lies inside it, a mark character is typed in it, or it is filled dark.
    """
    squares = [p for p in paths if _squarish(p.bbox)]
    out: list[Checkbox] = []
    for sq in squares:
        box = sq.bbox
        if any(_inside(box, c.bbox) and _area(c.bbox) < 0.95 * _area(box) for c in out):
            continue  # the inner square of a box drawn twice
        if any(_same_box(box, c.bbox) for c in out):
            continue
        if not _labelled(box, words):
            continue
        inner = [p for p in paths if p is not sq and _inside(p.bbox, box, 1.5)
                 and (p.slanted or _area(p.bbox) < 0.8 * _area(box))]
        typed = [w for w in words if w.text.strip() in MARK_CHARS and _inside(w.bbox, box, 2.0)]
        out.append(Checkbox(box, bool(inner or typed or sq.dark_fill)))
    return out


def _same_box(a: BBox, b: BBox) -> bool:
    return abs(a.x0 - b.x0) < 1.5 and abs(a.top - b.top) < 1.5 \
        and abs(a.x1 - b.x1) < 1.5 and abs(a.bottom - b.bottom) < 1.5


def _labelled(box: BBox, words: tuple[Word, ...]) -> bool:
    """A word starts right of the box, on its line, within a few box widths."""
    side = box.x1 - box.x0
    mid = (box.top + box.bottom) / 2
    return any(w.bbox.top - side < mid < w.bbox.bottom + side * 0.5
               and -0.5 * side <= w.bbox.x0 - box.x1 <= 3 * side
               and w.bbox.x1 > box.x1 + side and w.text.strip() not in MARK_CHARS
               for w in words)


def place_marks(words: tuple[Word, ...], boxes: list[Checkbox]) -> tuple[Word, ...]:
    """The words with each box written in as ``[x]`` / ``[_]`` on the line of the word to its
    right; words that are the box itself (a mark character typed in it, OCR's ``[J`` for
    it) give way."""
    if not boxes:
        return words
    kept = [w for w in words if not any(_covers(b.bbox, w.bbox) for b in boxes)]
    added = []
    for b in boxes:
        line = _line_of(b.bbox, kept)
        if line is None:
            continue
        added.append(Word(MARKED if b.marked else EMPTY, b.bbox, 1.0, line))
    return tuple(sorted([*kept, *added], key=lambda w: (w.line_id, w.bbox.x0)))


def _covers(box: BBox, word: BBox) -> bool:
    """A word that is (mostly) the box: its area lies inside the box and is no wider."""
    inter_w = min(box.x1, word.x1) - max(box.x0, word.x0)
    inter_h = min(box.bottom, word.bottom) - max(box.top, word.top)
    if inter_w <= 0 or inter_h <= 0:
        return False
    return inter_w * inter_h >= 0.6 * _area(word) and (word.x1 - word.x0) <= 1.6 * (box.x1 - box.x0)


def _line_of(box: BBox, words: list[Word]) -> int | None:
    """The line of the nearest word right of the box whose height band holds its middle."""
    mid = (box.top + box.bottom) / 2
    right = [w for w in words if w.bbox.top - 2 <= mid <= w.bbox.bottom + 2 and w.bbox.x0 >= box.x0]
    if not right:
        return None
    return min(right, key=lambda w: w.bbox.x0).line_id


# ------------------------------------------------------------------------------------ scans


def boxes_in_image(image: Image.Image, dpi: float, words: tuple[Word, ...]) -> list[Checkbox]:
    """The square outlines of about text size on a scanned page (``image`` upright), in
    points; marked when their inside holds ink. A solid square is a bullet, not a box.

    A box stands before the word it names, so only the stretch just before each word that
    starts a line or follows a gap is searched (a tenth of the page, not all of it). There,
    each short horizontal run of ink is tried as a box's top edge: a bottom edge about as
    far down as the run is long, and a left and a right side, each straight, thin and
    covering most of the square.
    """
    gray = gray_array(image if image.mode == "L" else image.convert("L"))
    threshold = _threshold(gray)
    k = dpi / 72.0
    out: list[Checkbox] = []
    for area in _search_areas(words):
        x0, y0 = max(0, int(area.x0 * k)), max(0, int(area.top * k))
        x1 = min(gray.shape[1], int(area.x1 * k) + 1)
        y1 = min(gray.shape[0], int(area.bottom * k) + 1)
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        # ink only where boxes are looked for (a tenth of the page), not page-wide
        for found in _squares(gray[y0:y1, x0:x1] < threshold, k):
            box = Checkbox(_to_points(found, k, x0, y0), found[4])
            if not any(_same_box(box.bbox, c.bbox) for c in out):
                out.append(box)
    return out


def _search_areas(words: tuple[Word, ...]) -> list[BBox]:
    """Where a box may stand: before each word that starts its line or follows a gap of half
    a line's height, from two and a half heights left of it to a height and a half into it
    (tesseract may have glued the box to the word)."""
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line_id, []).append(w)
    areas = []
    for line in lines.values():
        line.sort(key=lambda w: w.bbox.x0)
        height = max(w.bbox.bottom - w.bbox.top for w in line)
        top = min(w.bbox.top for w in line) - 0.6 * height
        bottom = max(w.bbox.bottom for w in line) + 0.6 * height
        prev_end = None
        for w in line:
            if prev_end is None or w.bbox.x0 - prev_end >= 0.5 * height:
                areas.append(BBox(w.bbox.x0 - 2.5 * height, top, w.bbox.x0 + 1.6 * height,
                                  bottom))
            prev_end = w.bbox.x1
    return areas


def _to_points(found: tuple[int, int, int, int, bool], k: float, ox: int, oy: int) -> BBox:
    x0, y0, x1, y1, _ = found
    return BBox((ox + x0) / k, (oy + y0) / k, (ox + x1 + 1) / k, (oy + y1 + 1) / k)


def _squares(ink: np.ndarray, k: float, strict: bool = True
             ) -> list[tuple[int, int, int, int, bool]]:
    """Squares in ``ink`` (``k`` pixels a point): (x0, y0, x1, y1, marked) in pixels."""
    lo, hi = int(_MIN_SIDE_PT * k), int(_MAX_SIDE_PT * k) + 1
    sy, sx, sx1 = _side_candidates(ink, lo, hi)
    out: list[tuple[int, int, int, int, bool]] = []
    starts = {(y, x0 + d) for y, x0 in zip(sy.tolist(), sx.tolist(), strict=True)
              for d in (-2, -1, 0, 1, 2)}
    for y, x0, x1 in zip(sy.tolist(), sx.tolist(), sx1.tolist(), strict=True):
        if (y - 1, x0) in starts:
            continue  # a thick top edge gives a run on each of its rows: its first is tried
        near = max(2, (x1 - x0) // 6)
        if any(abs(x0 - o[0]) <= near and 0 <= y - o[1] <= near for o in out):
            continue
        found = _square_below(ink, y, x0, x1, strict)
        if found is not None:
            out.append(found)
    return out


def _side_candidates(ink: np.ndarray, lo: int, hi: int
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Runs of ink ``lo``..``hi`` pixels long (row, first and last column) with ink under
    both ends halfway down a square: the top edges a box could have. Filtering here, on
    whole arrays, keeps the per-candidate checks to a few hundred runs a page."""
    width = ink.shape[1] + 1
    padded = np.zeros((ink.shape[0], width + 1), dtype=np.int8)  # paper either side
    padded[:, 1:-1] = ink
    edges = (padded[:, 1:] - padded[:, :-1]).ravel()
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    length = ends - starts
    keep = (length >= lo) & (length <= hi)
    y, x0 = np.divmod(starts[keep], width)
    x1 = x0 + length[keep] - 1
    both = np.ones(y.shape, dtype=bool)
    for share in (0.25, 0.5, 0.7):  # both sides go on down, at three heights
        row = np.minimum(y + ((x1 - x0) * share).astype(int), ink.shape[0] - 1)
        left = np.zeros(y.shape, dtype=bool)
        right = np.zeros(y.shape, dtype=bool)
        for d in range(4):
            left |= ink[row, np.minimum(x0 + d, ink.shape[1] - 1)]
            right |= ink[row, np.maximum(x1 - d, 0)]
        both &= left & right
    return y[both], x0[both], x1[both]


def _threshold(gray: np.ndarray) -> int:
    """Between paper and ink: the light and dark percentiles of a sample of the page."""
    counts = np.bincount(gray[::4, ::4].ravel(), minlength=256).cumsum()
    total = counts[-1]
    light = int(np.searchsorted(counts, 0.90 * total))
    dark = int(np.searchsorted(counts, 0.01 * total))
    return int(dark + 0.55 * (light - dark)) if light - dark > 40 else light - 20


def _square_below(ink: np.ndarray, y: int, x0: int, x1: int, strict: bool = True
                  ) -> tuple[int, int, int, int, bool] | None:
    side = x1 - x0
    t = max(2, side // 8)  # a side's thickness, with room for a little skew
    first, last = y + int(side * _SQUARE[0]), min(ink.shape[0] - 1, y + int(side * _SQUARE[1]))
    # the rows a bottom edge may be on: ink across eight tenths of the top edge's columns
    cover = ink[first:last + 1, x0:x1 + 1].mean(axis=1)
    rows = first + np.flatnonzero(cover >= 0.8)
    if not rows.size:
        return None
    # and a straight left and right side from the top edge down to it
    sides = (_straight_sides(ink, y, last, max(0, x0 - 1), x0 + t)
             & _straight_sides(ink, y, last, x1 - t + 1, x1 + 2))
    for yb in rows[sides[rows - y]].tolist():
        if strict and not (_thin_sides(ink, y, yb, x0, x1)
                           and _clear_outside(ink, y, yb, x0, x1)):
            continue
        m = max(2, round(side * 0.22))
        inside = ink[y + m:yb - m + 1, x0 + m:x1 - m + 1]
        if inside.size == 0:
            return None
        fill = float(inside.mean())
        if fill > 0.88:
            return None  # a solid square: a bullet
        return x0, y, x1, yb, fill > 0.06
    return None


def _straight_sides(ink: np.ndarray, y0: int, last: int, x0: int, x1: int) -> np.ndarray:
    """For each bottom row ``y0 + i`` up to ``last``: whether there is an upright side
    between columns ``x0`` and ``x1`` from ``y0`` down to that row, i.e. some 3-pixel-wide
    column holds ink on nine rows in ten. A letter's bowl (``P``, ``D``, ``B``) curves across
    the columns and covers none of them that far; a drawn box's side is straight."""
    band = ink[y0:last + 1, x0:x1]
    if band.shape[1] < 3:
        columns = band.any(axis=1)[:, None]
    else:
        columns = band[:, :-2] | band[:, 1:-1] | band[:, 2:]  # each 3-pixel-wide column
    inked = np.cumsum(columns, axis=0)  # rows with ink from y0 down, per column
    rows = np.arange(1, band.shape[0] + 1)[:, None]
    return (inked / rows >= 0.9).any(axis=1)


def _thin_sides(ink: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> bool:
    """A box is drawn with a pen: each side, measured at its middle, is a thin stroke (at
    most a quarter of the side). A letter's bowl (``d``, ``o``) is thick where it curves."""
    side = max(x1 - x0, y1 - y0)
    limit = max(3, int(0.25 * side))
    mid_y, mid_x = (y0 + y1) // 2, (x0 + x1) // 2
    runs = (_run(ink[mid_y, x0:x1 + 1]), _run(ink[mid_y, x0:x1 + 1][::-1]),
            _run(ink[y0:y1 + 1, mid_x]), _run(ink[y0:y1 + 1, mid_x][::-1]))
    return all(r <= limit for r in runs)


def _clear_outside(ink: np.ndarray, y0: int, y1: int, x0: int, x1: int) -> bool:
    """Paper just outside both sides at mid-height. A round letter (``O``, ``D``, ``B``)
    bulges out there past the flat run at its top; a drawn box does not."""
    side = y1 - y0
    w = max(2, side // 8)
    rows = slice(y0 + int(0.3 * side), y0 + int(0.7 * side) + 1)
    left = ink[rows, max(0, x0 - 2 - w):max(0, x0 - 2)]
    right = ink[rows, x1 + 3:x1 + 3 + w]
    return all(band.size == 0 or float(band.mean()) < 0.1 for band in (left, right))


def _run(line: np.ndarray) -> int:
    """How many pixels of ink ``line`` starts with (a pixel or two of paper first allowed)."""
    start = next((i for i in range(min(3, line.size)) if line[i]), None)
    if start is None:
        return 0
    rest = np.flatnonzero(~line[start:])
    return int(rest[0]) if rest.size else int(line.size - start)


def _not_a_letter(box: BBox, words: tuple[Word, ...]) -> bool:
    """A square inside a word (past its first letter) is a letter; so is one at the start of
    a word read cleanly (letters only, sure): a box glued to a word leaves OCR unsure. A
    square well under the word's height is the hole of its first letter ("0", "D"), unless
    it is about as wide as the word: a letter's hole is narrower than the letter, while a
    box read as a character of its own (``6]``) is the word's whole width, however tall
    tesseract made the word's box."""
    side = box.x1 - box.x0
    for w in words:
        if not (w.bbox.top < box.bottom and w.bbox.bottom > box.top
                and w.bbox.x0 - 0.5 * side < box.x0 < w.bbox.x1):
            continue
        if box.x0 > w.bbox.x0 + side:
            return False
        if side < _MIN_BOX_SHARE * (w.bbox.bottom - w.bbox.top) and any(
                c.isalnum() for c in w.text) and side < _HOLE_WIDTH * (w.bbox.x1 - w.bbox.x0):
            return False
        if w.text.isalpha() and len(w.text) >= 3 and (w.confidence or 0.0) >= 0.9:
            return False
    return True


@timed("marks")
def checkbox_words(image: Image.Image, dpi: float, words: tuple[Word, ...],
                   timeout: float) -> tuple[Word, ...]:
    """A scanned page's words with its checkboxes written in as ``[x]`` / ``[_]``.

    Tesseract reads a box as a word of its own (``O``, ``[J``), or glues it to the word after
    it (``[Scenario``, ``OHybrid``, a garbled ``Ciassroom``). A box word gives way to the mark;
    the words a box is glued to are read again, once per line, with the boxes painted out.
    """
    boxes = _in_rows([b for b in boxes_in_image(image, dpi, words)
                      if _labelled_or_glued(b.bbox, words) and _not_a_letter(b.bbox, words)])
    if not boxes:
        return words
    words = _clip_to_boxes(_reread_glued(image, dpi, words, boxes, timeout), boxes)
    return place_marks(words, [b for b in boxes if _labelled(b.bbox, words)])


def _clip_to_boxes(words: tuple[Word, ...], boxes: list[Checkbox]) -> tuple[Word, ...]:
    """A word read again with the boxes painted out may still carry their place in its box
    (a stroke's fringe read as a quote): its letters start right of the box."""
    out = []
    for w in words:
        for b in boxes:
            if (w.bbox.x0 < b.bbox.x1 < w.bbox.x1 - (b.bbox.x1 - b.bbox.x0)
                    and w.bbox.top < b.bbox.bottom and w.bbox.bottom > b.bbox.top):
                w = replace(w, bbox=BBox(b.bbox.x1 + 0.5, w.bbox.top, w.bbox.x1, w.bbox.bottom))
        out.append(w)
    return tuple(out)


def _in_rows(boxes: list[Checkbox]) -> list[Checkbox]:
    """Boxes that stand in a row of at least two of about the same size: the options of one
    question. A lone square by a word is too often a letter OCR could not read."""
    def kin(a: BBox, b: BBox) -> bool:
        side = a.x1 - a.x0
        return (a is not b and abs((a.top + a.bottom) - (b.top + b.bottom)) < side
                and abs((b.x1 - b.x0) - side) < 0.25 * side)
    return [b for b in boxes if any(kin(b.bbox, o.bbox) for o in boxes)]


def _glued(box: BBox, word: BBox) -> bool:
    """A word that starts on the box and runs on well past it."""
    side = box.x1 - box.x0
    return (word.x0 <= box.x1 - 0.3 * side and word.x1 > box.x1 + side
            and word.x0 >= box.x0 - side and word.top < box.bottom and word.bottom > box.top)


def _labelled_or_glued(box: BBox, words: tuple[Word, ...]) -> bool:
    return _labelled(box, words) or any(_glued(box, w.bbox) for w in words)


def _reread_glued(image: Image.Image, dpi: float, words: tuple[Word, ...],
                  boxes: list[Checkbox], timeout: float) -> tuple[Word, ...]:
    spans: dict[int, list[Word]] = {}
    for w in words:
        if any(_glued(b.bbox, w.bbox) for b in boxes):
            spans.setdefault(w.line_id, []).append(w)
    if not spans:
        return words
    clean = image.convert("L").copy()
    paint = ImageDraw.Draw(clean)
    k = dpi / 72.0
    for b in boxes:  # the box's stroke reaches past the edge rows and columns found
        m = 0.25 * (b.bbox.x1 - b.bbox.x0) * k + 2
        paint.rectangle((b.bbox.x0 * k - m, b.bbox.top * k - m, b.bbox.x1 * k + m,
                         b.bbox.bottom * k + m), fill=255)
    out = list(words)
    for line, glued in spans.items():
        area = BBox(min(w.bbox.x0 for w in glued) - 2, min(w.bbox.top for w in glued) - 3,
                    max(w.bbox.x1 for w in glued) + 2, max(w.bbox.bottom for w in glued) + 3)
        again = [w for w in read_alone(clean, dpi, area, pad=8.0, timeout=timeout)
                 if w.text.strip()]
        if not again:
            continue
        out = [w for w in out if not (w.line_id == line and w.bbox.x0 < area.x1
                                      and w.bbox.x1 > area.x0)]
        out += [replace(w, line_id=line) for w in again]
    return tuple(sorted(out, key=lambda w: (w.line_id, w.bbox.x0)))
