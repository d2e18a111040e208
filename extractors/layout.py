"""Geometry over a page's lines: rows, text spans with boxes, and what lies right of / below.

A :class:`Row` is one visual line: the reader's lines that sit at the same height are merged
(OCR may split ``Name: Jane Doe      Badge: 1234`` into two blocks), words left to right,
joined by single spaces. A :class:`Segment` is a character range of a row; its box is the
union of the word boxes it covers (a partial word gets the matching share of its box).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from statistics import mean

from extractors.types import BBox, Line, PageText, Word

GAP_FACTOR = 1.8  # a horizontal gap wider than this many text heights separates columns
BELOW_FACTOR = 4.5  # a value sits at most this many label heights under its label
MIN_BELOW_PT = 40.0


#: A word that may be a drawn rule read as a character (a box's side between caption and
#: value), and how much taller than the row's text it stands when it is one (a letter ``I``
#: read as a bar is as tall as the text).
_RULE_WORD = re.compile(r"^[|]+$")
RULE_HEIGHT = 1.4


@dataclass(frozen=True)
class Row:
    """One visual line of a page: words left to right and their text."""

    index: int
    words: tuple[Word, ...]

    @cached_property
    def starts(self) -> tuple[int, ...]:
        """Character offset of each word in :attr:`text`."""
        out, pos = [], 0
        for w in self.words:
            out.append(pos)
            pos += len(w.text) + 1
        return tuple(out)

    @cached_property
    def text(self) -> str:
        """The words joined by single spaces."""
        return " ".join(w.text for w in self.words)

    @cached_property
    def bbox(self) -> BBox:
        """The box around all words of the row."""
        return BBox.enclosing([w.bbox for w in self.words])

    @cached_property
    def height(self) -> float:
        """The mean word height (the text size).

        Words of punctuation only (a full stop, a speck read as ``.`` or ``-``) are left out
        when the row has others: their boxes are a fraction of the text size, and a row
        ending ``2025. . .`` would look smaller than the prose it continues.
        """
        words = [w for w in self.words if any(ch.isalnum() for ch in w.text)] or self.words
        return max(1.0, float(mean(w.bbox.height for w in words)))

    @cached_property
    def core(self) -> BBox:
        """The box of the row's words of letters or digits (all words when it has none).

        A speck read as ``;`` or ``'`` may stand far above or below the text on a fax; a
        row's nearness to the rows over and under it is judged by its text, not its specks.
        """
        words = [w for w in self.words if any(ch.isalnum() for ch in w.text)] or self.words
        return BBox.enclosing([w.bbox for w in words])

    @cached_property
    def gap_starts(self) -> frozenset[int]:
        """Offsets of words that follow a wide horizontal gap (a column break).

        A box's upright side read as a word of its own (``Hours | 8.00``, the bar standing
        taller than the text) is such a break however close the words stand to it: the word
        after it starts the next column.
        """
        out = set()
        for i in range(1, len(self.words)):
            gap = self.words[i].bbox.x0 - self.words[i - 1].bbox.x1
            if gap > GAP_FACTOR * self.height or i > 1 and self.is_rule(self.words[i - 1]):
                out.add(self.starts[i])
        return frozenset(out)

    def follows_rule(self, offset: int) -> bool:
        """Whether the word starting at ``offset`` stands right after a drawn rule (a box's
        side, :meth:`is_rule`): the two are in one box, not columns apart."""
        i = next((i for i, s in enumerate(self.starts) if s == offset), None)
        return i is not None and i > 0 and self.is_rule(self.words[i - 1])

    def is_rule(self, word: Word) -> bool:
        """Whether ``word`` is a drawn upright rule read as a bar: taller than the text."""
        return bool(_RULE_WORD.match(word.text)) and word.bbox.height >= RULE_HEIGHT * self.height

    def x_at(self, offset: int) -> float:
        """The x position of a character offset (interpolated inside a word)."""
        for w, s in zip(self.words, self.starts, strict=True):
            if offset <= s + len(w.text):
                frac = max(0.0, min(1.0, (offset - s) / max(1, len(w.text))))
                return w.bbox.x0 + frac * w.bbox.width
        return self.bbox.x1

    def segment(self, start: int = 0, end: int | None = None) -> Segment:
        """A segment of this row (the whole row by default)."""
        return Segment(self, start, len(self.text) if end is None else end)


@dataclass(frozen=True)
class Segment:
    """A character range ``[start, end)`` of one row."""

    row: Row
    start: int
    end: int

    @property
    def text(self) -> str:
        """The segment's text."""
        return self.row.text[self.start : self.end]

    def strip(self, chars: str | None = None) -> Segment:
        """The same segment without leading / trailing whitespace (and ``chars``)."""
        text = self.text
        left = len(text) - len(text.lstrip(chars))
        right = len(text.rstrip(chars))
        if right <= left:
            return Segment(self.row, self.start + left, self.start + left)
        return Segment(self.row, self.start + left, self.start + right)

    def sub(self, start: int, end: int) -> Segment:
        """The part ``[start, end)`` of this segment (offsets relative to it)."""
        return Segment(self.row, self.start + start, self.start + end)

    def pieces(self) -> list[tuple[Word, float, float]]:
        """Words the segment touches, with the covered fraction of each (from, to)."""
        out = []
        for w, s in zip(self.row.words, self.row.starts, strict=True):
            e = s + len(w.text)
            if e <= self.start or s >= self.end:
                continue
            n = max(1, len(w.text))
            out.append((w, (max(s, self.start) - s) / n, (min(e, self.end) - s) / n))
        return out

    @property
    def words(self) -> list[Word]:
        """The words the segment touches."""
        return [w for w, _a, _b in self.pieces()]

    @property
    def bbox(self) -> BBox | None:
        """The union of the covered parts of the word boxes."""
        boxes = [_slice(w.bbox, a, b) for w, a, b in self.pieces()]
        return BBox.enclosing(boxes) if boxes else None

    @property
    def is_blank(self) -> bool:
        """Whether the segment holds no letter or digit."""
        return not any(c.isalnum() for c in self.text)


def _slice(box: BBox, a: float, b: float) -> BBox:
    if a <= 0.0 and b >= 1.0:
        return box
    return BBox(box.x0 + a * box.width, box.top, box.x0 + b * box.width, box.bottom)


def build_rows(page: PageText) -> list[Row]:
    """The page's visual lines, top to bottom, merging reader lines at the same height.

    Args:
        page: words with the reader's ``line_id`` grouping.

    Returns:
        Rows in reading order; each row's words are sorted left to right.
    """
    lines = [ln for ln in page.lines() if ln.words]
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.bbox.center_y):
        row = next((r for r in rows if _same_row(r, line)), None)
        if row is None:
            rows.append([line])
        else:
            row.append(line)
    merged = [tuple(sorted((w for ln in r for w in ln.words), key=lambda w: w.bbox.x0))
              for r in rows]
    merged.sort(key=lambda ws: (min(w.bbox.top for w in ws), ws[0].bbox.x0))
    return [Row(i, ws) for i, ws in enumerate(merged)]


def _same_row(row: list[Line], line: Line) -> bool:
    box = line.bbox
    for other in row:
        ob = other.bbox
        if box.x0 < ob.x1 and ob.x0 < box.x1:
            return False  # overlapping horizontally: a different line of the same column
    ref = row[0].bbox
    tol = 0.5 * min(ref.height, box.height)
    return abs(ref.center_y - box.center_y) <= tol


def segment_bbox(segments: list[Segment]) -> BBox | None:
    """The union of the segments' boxes."""
    boxes = [b for b in (s.bbox for s in segments) if b is not None]
    return BBox.enclosing(boxes) if boxes else None


def read_confidence(segments: list[Segment]) -> float:
    """How sure the reader was of these words: half the weakest, half the mean.

    Text-layer words carry no confidence and count as 1.0. One bad word matters more than
    the mean says (a single wrong digit spoils a number), but a long title should not be
    judged by its worst word alone.
    """
    confs = [1.0 if w.confidence is None else w.confidence for s in segments for w in s.words]
    if not confs:
        return 1.0
    return 0.5 * min(confs) + 0.5 * mean(confs)


def cut_at_gap(seg: Segment) -> Segment:
    """The segment up to the first wide gap after its first word (the next column).

    A stray mark before the gap (``Z :``, ``|``, a checkbox) is not the value, so the cut is
    made at the next gap.
    """
    for off in sorted(seg.row.gap_starts):
        if off <= seg.start:
            continue
        if off >= seg.end:
            break
        if sum(c.isalnum() for c in seg.row.text[seg.start : off]) >= 2:
            return Segment(seg.row, seg.start, off).strip()
    return seg


def column_bounds(
    row: Row, spans: list[tuple[int, int]], i: int, width: float
) -> tuple[float, float]:
    """The x-range that belongs to the ``i``-th label of a row of labels (form style).

    Values are mostly left-aligned under their label and run to the right, so a boundary
    sits three quarters of the way from one label's end to the next label's start.
    """
    xs = [(row.x_at(s), row.x_at(e)) for s, e in spans]
    lo = 0.0 if i == 0 else xs[i][0] - 0.25 * (xs[i][0] - xs[i - 1][1])
    hi = width if i == len(xs) - 1 else xs[i + 1][0] - 0.25 * (xs[i + 1][0] - xs[i][1])
    return lo, hi


def region_segment(row: Row, lo: float, hi: float) -> Segment | None:
    """The contiguous words of ``row`` whose centres fall in ``[lo, hi)``."""
    idx = [i for i, w in enumerate(row.words) if lo <= (w.bbox.x0 + w.bbox.x1) / 2 < hi]
    if not idx:
        return None
    first, last = idx[0], idx[-1]
    return Segment(row, row.starts[first], row.starts[last] + len(row.words[last].text))


def chunk_segment(row: Row, lo: float, hi: float) -> Segment | None:
    """The row's gap-separated chunks that start in ``[lo, hi)`` (a form's value column)."""
    bounds = sorted({0, *row.gap_starts})
    chunks = []
    for i, start in enumerate(bounds):
        end = bounds[i + 1] - 1 if i + 1 < len(bounds) else len(row.text)
        if lo <= row.x_at(start) < hi:
            chunks.append((start, end))
    if not chunks:
        return None
    return Segment(row, chunks[0][0], chunks[-1][1]).strip()


def overlapping_chunk(row: Row, lo: float, hi: float) -> Segment | None:
    """The gap-separated chunk of ``row`` overlapping ``[lo, hi)`` the most.

    Used for a signature name printed over its caption.
    """
    bounds = sorted({0, *row.gap_starts})
    best, best_overlap = None, 0.0
    for i, start in enumerate(bounds):
        end = bounds[i + 1] - 1 if i + 1 < len(bounds) else len(row.text)
        x0, x1 = row.x_at(start), row.x_at(end)
        overlap = min(x1, hi) - max(x0, lo)
        if overlap > best_overlap:
            best, best_overlap = Segment(row, start, end).strip(), overlap
    return best


def row_below(rows: list[Row], row: Row, lo: float, hi: float) -> Row | None:
    """The nearest row under ``row`` with words in ``[lo, hi)``, close enough to be its value."""
    limit = row.core.bottom + max(BELOW_FACTOR * row.height, MIN_BELOW_PT)
    for other in rows[row.index + 1 :]:
        if other.core.top < row.core.bottom - 0.3 * row.height:
            continue
        if other.core.top > limit:
            return None
        if region_segment(other, lo, hi) is not None:
            return other
    return None


def row_above(rows: list[Row], row: Row, lo: float, hi: float) -> Row | None:
    """The nearest row over ``row`` with words in ``[lo, hi)`` (a caption's value)."""
    limit = row.core.top - max(2.5 * row.height, 24.0)
    for other in reversed(rows[: row.index]):
        if other.core.bottom > row.core.top + 0.3 * row.height:
            continue
        if other.core.bottom < limit:
            return None
        if region_segment(other, lo, hi) is not None:
            return other
    return None


def next_row(rows: list[Row], row: Row, max_gap_factor: float = 1.5,
             size_tolerance: float = 0.2) -> Row | None:
    """The row right under ``row`` when it continues it (a wrapped title), else ``None``.

    ``size_tolerance`` is how far the two rows' text sizes may differ, as a share of the
    upper row's: word boxes from OCR vary with the letters in them (a row of digits and
    capitals stands lower than one with ascenders and descenders).
    """
    if row.index + 1 >= len(rows):
        return None
    nxt = rows[row.index + 1]
    gap = nxt.bbox.top - row.bbox.bottom
    same_size = abs(nxt.height - row.height) <= size_tolerance * row.height
    overlaps = nxt.bbox.x0 < row.bbox.x1 and row.bbox.x0 < nxt.bbox.x1
    close = -0.5 * row.height <= gap <= max_gap_factor * row.height  # boxes may overlap a bit
    return nxt if close and same_size and overlaps else None
