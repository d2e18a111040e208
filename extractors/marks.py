"""Checkboxes as words: a drawn or scanned box becomes ``[x]`` (marked) or ``[_]`` (empty).

Forms state a choice by a mark in a box (``Delivery: [x] Classroom [ ] Online``). The box is a
drawing, not text: a text layer has no character for it, and tesseract reads a box as ``O``,
``[J``, ``0`` or nothing. The readers downstream understand marks written as text, so the
page's boxes are found by their geometry and put into the words where they stand, on the line
of the word they precede; a word OCR made of the box itself is replaced.

Born-digital pages: small square paths (``boxes_from_paths``); a box is marked when a
slanted stroke (a cross, a tick) or a smaller path or a mark character lies inside it, or it
is filled dark. (Scans: not yet; tesseract glues a box to the word after it, so a scanned
box needs finding on the image and its line reading again without it.)
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.types import BBox, Word

MARKED, EMPTY = "[x]", "[_]"
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
               and 0 <= w.bbox.x0 - box.x1 <= 3 * side and w.text.strip() not in MARK_CHARS
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
