"""A form's column of captions: a caption known by where it stands, not only by its words.

Many forms print their captions down the left of the page, each followed by its value,
typed or written on a line: ``PEACE OFFICER      Priya Petrov``. With no colon after it, a
caption with a word of no caption family beside its family words ("Peace Officer", "Primary
Trainer", "Time Credited") reads on its own line as a value as easily as a caption, so a line
alone leaves it (:func:`extractors.captions.caption_field`, ``strict``). The page says more.
Three or more lines whose captions line up, either at their left ends (each value past a
wide gap) or where their values begin (captions right-aligned or ragged, values at one edge
however close), each holding a value, make a column of captions when half of the pieces or
more are captions already or name a field by their words, and together they name three
fields or more, none for more than half of them: a form asks for several things. Each piece
of the column is then read as a caption ended where its value begins, when its words make
one; a name or a title in the column stays a value. A table of attendees is no such column:
its first column ("Deputy Tilley", "Trooper Hale") names one thing over and over, and a row
of captions printed under its values holds no value.
"""

from __future__ import annotations

from collections import Counter
from statistics import median

from extractors.captions import caption_field, caption_words
from extractors.labels import LabelHit, find_labels
from extractors.layout import Row

#: Lines one under another that make a column.
MIN_ROWS = 3
#: Share of the column's pieces that must name a field or be captions already.
NAMED_SHARE = 0.5
#: Fields the column's captions name, at least: a form asks for several things; a table's
#: first column (ranks and names: "Deputy Tilley") names one thing over and over.
MIN_FIELDS = 3
#: Pieces line up within this share of the text size.
EDGE = 0.6
#: Between a caption and a value that start at one edge: a space this share of the text
#: size at least, and half as wide again as the row's other spaces (a word space is ~0.3-0.6).
VALUE_GAP = 0.9


def labels_of_rows(rows: list[Row]) -> dict[int, list[LabelHit]]:
    """The label hits of every row (:func:`find_labels`), a form's caption column read as
    captions: row index -> hits."""
    hits = {row.index: find_labels(row.text, row.gap_starts) for row in rows}
    for row, starts in _heads_over_values(rows):
        again = find_labels(row.text, row.gap_starts | starts)
        if len(_fields(again)) > len(_fields(hits[row.index])):
            hits[row.index] = again
    for row, end in _column_members(rows, hits):
        hits[row.index] = find_labels(row.text, row.gap_starts | {end}, caption_end=end)
    return hits


#: A table's heads and the values under them start this close (share of the text size).
ALIGNED = 0.4
#: A column's start stands apart from the word before it by this many of the row's usual
#: word spaces at least (tight tables leave less than a wide gap between columns).
COLUMN_SPACE = 2.0
#: Columns a row of heads must share with the row of values under it, its first aside.
MIN_SHARED = 2


def _fields(hits: list[LabelHit]) -> set[str]:
    return {h.field for h in hits if h.field}


def _heads_over_values(rows: list[Row]) -> list[tuple[Row, frozenset[int]]]:
    """(row, offsets of its column starts) of each row of a table's heads set closer than a
    wide gap, whose columns the row of values right under it shows.

    A course table may set its heads a word space or two apart ("State Course Ref.
    Outcome  Trainer of Record  Instruction Hours  Credit Type"): no gap is wide, and the
    heads run together into captions of nothing. The values under them start where their
    heads start, each apart from the value before it: a word of both rows that stands apart
    from its neighbour and starts where a word of the other does is a column's start. Two
    lines of prose share such starts only by chance, so the first words must line up too,
    and at least :data:`MIN_SHARED` more."""
    out = []
    for row, below in zip(rows, rows[1:], strict=False):
        if below.bbox.top - row.bbox.bottom > 2.5 * row.height or len(row.words) < 3:
            continue
        tol = ALIGNED * row.height
        if abs(row.words[0].bbox.x0 - below.words[0].bbox.x0) > tol:
            continue
        theirs = [below.words[j].bbox.x0 for j in _apart(below)]
        shared = [row.starts[i] for i in _apart(row)
                  if any(abs(row.words[i].bbox.x0 - x) <= tol for x in theirs)]
        extra = frozenset(shared) - row.gap_starts
        if len(shared) >= MIN_SHARED and extra:
            out.append((row, extra))
    return out


def _gaps(row: Row) -> list[float]:
    """The space before each word of the row but the first (points)."""
    return [row.words[i].bbox.x0 - row.words[i - 1].bbox.x1 for i in range(1, len(row.words))]


def _apart(row: Row) -> list[int]:
    """Indexes of the words set apart from the word before by :data:`COLUMN_SPACE` of the
    row's word spaces."""
    gaps = _gaps(row)
    if not gaps:
        return []
    # the row's word space: its narrower gaps (a row of values is mostly column gaps)
    usual = max(sorted(gaps)[len(gaps) // 4], 0.15 * row.height)
    return [i for i, gap in enumerate(gaps, start=1) if gap >= COLUMN_SPACE * usual]


def _column_members(rows: list[Row], hits: dict[int, list[LabelHit]]) -> list[tuple[Row, int]]:
    """(row, end of its caption) of each row in a column of captions whose caption is not
    found on the line alone.

    Two ways a form lines its captions up: their left ends at one edge, each caption's value
    past a wide gap; or captions of any length (right-aligned, or ragged) whose values all
    start at one edge, however close to the caption.
    """
    # a row of boxes to tick is a question and its answers, not a caption and its value
    rows = [row for row in rows if "[" not in row.text]
    left_edges = [(row, min(row.gap_starts), row.words[0].bbox.x0)
                  for row in rows if row.gap_starts]
    value_edges = [(row, row.starts[i], row.words[i].bbox.x0)
                   for row in rows for i in _spaced_apart(row)]
    # a box's side between caption and value (``Course Ref. | 0061``): the value starts
    # past the bar, the caption ends before it
    value_edges += [(row, row.starts[i - 1], row.words[i].bbox.x0)
                    for row in rows for i in range(2, len(row.words))
                    if row.is_rule(row.words[i - 1])]
    out: dict[int, tuple[Row, int]] = {}
    for pieces in (left_edges, value_edges):
        for row, end in _columns(pieces, hits):
            out.setdefault(row.index, (row, end))
    return list(out.values())


def _spaced_apart(row: Row) -> list[int]:
    """Indexes of the words that stand apart from the word before them by more than a word
    space: where a value may begin. Words that only happen to start at one edge in lines of
    running or centred text ("Officer Gregory | Brooks") are a word space apart."""
    gaps = _gaps(row)
    out = []
    for i, gap in enumerate(gaps, start=1):
        others = gaps[:i - 1] + gaps[i:]
        if gap >= VALUE_GAP * row.height and (not others or gap >= 1.5 * median(others)):
            out.append(i)
    return out


def _columns(pieces: list[tuple[Row, int, float]],
             hits: dict[int, list[LabelHit]]) -> list[tuple[Row, int]]:
    """The unknown captions of the columns among ``pieces`` (row, caption end, x of the
    edge): pieces whose edges line up, each holding a value past its end."""
    pieces = [p for p in pieces if _holds_a_value(p[0], p[1])
              and (_known(hits[p[0].index], p[1]) or _may_be_caption(p[0].text[:p[1]]))]
    if len(pieces) < MIN_ROWS:
        return []
    tolerance = EDGE * median(row.height for row, _end, _x in pieces)
    pieces.sort(key=lambda p: p[2])
    out: list[tuple[Row, int]] = []
    column: list[tuple[Row, int, float]] = []
    for piece in [*pieces, None]:
        if piece is not None and column and piece[2] - column[0][2] <= tolerance:
            if all(p[0].index != piece[0].index for p in column):
                column.append(piece)
            continue
        if _is_caption_column(column, hits):
            out += [(row, end) for row, end, _x in column
                    if not _known(hits[row.index], end)]
        column = [piece] if piece is not None else []
    return out


def _is_caption_column(column: list[tuple[Row, int, float]],
                       hits: dict[int, list[LabelHit]]) -> bool:
    """Three or more pieces, half of them or more captions already or naming a field by
    their words, naming three fields or more, none of them for more than half the pieces."""
    if len(column) < MIN_ROWS:
        return False
    named = []
    for row, end, _x in column:
        found = [h for h in hits[row.index] if h.start < end]
        if found:
            named.append(found[0].field or "")
        elif (field := caption_field(row.text[:end])) is not None:
            named.append(field)
    fields = Counter(f for f in named if f)
    return (len(named) >= NAMED_SHARE * len(column) and len(fields) >= MIN_FIELDS
            and max(fields.values()) <= NAMED_SHARE * len(named))


def _holds_a_value(row: Row, end: int) -> bool:
    """Past ``end`` the row holds a value: words that are no caption's, or a number. A row
    of captions printed under their values ("Date Trained      Hours Credited") is not a
    caption and its value, whatever stands at its left."""
    bounds = sorted({end, *(g for g in row.gap_starts if g > end), len(row.text)})
    pieces = [row.text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return any(p and (any(c.isdigit() for c in p) or not caption_words(p)) for p in pieces)


def _known(hits: list[LabelHit], end: int) -> bool:
    """A caption (of a field or of something else) begins before ``end``."""
    return any(h.start < end for h in hits)


def _may_be_caption(text: str) -> bool:
    """A piece whose words could make a caption (:func:`caption_words`): a name, a title or
    a value is no member of the column, and does not dilute it."""
    return caption_words(text)
