"""A form's column of captions: a caption known by where it stands, not only by its words.

Many forms print their captions down the left of the page, each followed, past a wide gap,
by its value, typed or written on a line: ``PEACE OFFICER      Priya Petrov``. With no colon
after it, a caption with a word of no caption family beside its family words ("Peace
Officer", "Primary Trainer", "Credited Hours") reads on its own line as a value as easily as
a caption, so a line alone leaves it (:func:`extractors.captions.caption_field`, ``strict``).
The page says more: where three or more lines stand one under another with their first
pieces at one left edge, each followed by a gap and a value, and at least half of those
pieces are captions already (listed labels, or captions of something else such as "Serial
No."), the pieces form a column of captions, and each of the others is read as a caption
ended by its gap. Its words must still make a caption of a field; a name or a title in the
column stays a value. A table of attendees is no such column: its header is one line of
captions over many rows of values.
"""

from __future__ import annotations

from statistics import median

from extractors.captions import caption_words
from extractors.labels import LabelHit, find_labels
from extractors.layout import Row

#: Lines one under another that make a column.
MIN_ROWS = 3
#: Share of the column's first pieces that must be captions already.
KNOWN_SHARE = 0.5
#: First pieces start at one left edge: within this share of the text size.
EDGE = 0.6


def labels_of_rows(rows: list[Row]) -> dict[int, list[LabelHit]]:
    """The label hits of every row (:func:`find_labels`), a form's caption column read as
    captions: row index -> hits."""
    hits = {row.index: find_labels(row.text, row.gap_starts) for row in rows}
    for row, end in _column_members(rows, hits):
        hits[row.index] = find_labels(row.text, row.gap_starts, caption_end=end)
    return hits


def _column_members(rows: list[Row], hits: dict[int, list[LabelHit]]) -> list[tuple[Row, int]]:
    """(row, end of its first piece) of each row in a column of captions whose first piece
    is not a caption yet."""
    pieces = [(row, min(row.gap_starts)) for row in rows if row.gap_starts]
    pieces = [(row, end) for row, end in pieces if _holds_a_value(row, end)
              and (_known(hits[row.index], end) or _may_be_caption(row.text[:end]))]
    if len(pieces) < MIN_ROWS:
        return []
    tolerance = EDGE * median(row.height for row, _end in pieces)
    pieces.sort(key=lambda p: p[0].words[0].bbox.x0)
    out: list[tuple[Row, int]] = []
    column: list[tuple[Row, int]] = []
    for piece in [*pieces, None]:
        if piece is not None and column and \
                piece[0].words[0].bbox.x0 - column[0][0].words[0].bbox.x0 <= tolerance:
            column.append(piece)
            continue
        known = [p for p in column if _known(hits[p[0].index], p[1])]
        if len(column) >= MIN_ROWS and len(known) >= 2 \
                and len(known) >= KNOWN_SHARE * len(column):
            out += [p for p in column if p not in known]
        column = [piece] if piece is not None else []
    return out


def _holds_a_value(row: Row, end: int) -> bool:
    """Past the first gap the row holds a value: words that are no caption's, or a number.
    A row of captions printed under their values ("Date Trained      Hours Credited") is
    not a caption and its value, whatever stands at its left."""
    bounds = sorted(g for g in row.gap_starts if g >= end) + [len(row.text)]
    pieces = [row.text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return any(p and (any(c.isdigit() for c in p) or not caption_words(p)) for p in pieces)


def _known(hits: list[LabelHit], end: int) -> bool:
    """A caption (of a field or of something else) begins in the first piece."""
    return any(h.start < end for h in hits)


def _may_be_caption(text: str) -> bool:
    """A first piece whose words could make a caption (:func:`caption_words`): a name, a
    title or a value is no member of the column, and does not dilute it. A box to tick
    holds an answer, not a caption's words."""
    return "[" not in text and caption_words(text)
