"""Table geometry of a sign-in sheet: ruled lines, the column header, columns and row bands.

Rules come from the PDF's own drawing (born-digital pages, :class:`PageGraphics`) or are
found in the page image (scans, :func:`find_rules`). The column header row is found from the
words (``Printed Name | Badge # | Signature``); columns come from the vertical rules when
there are any, else from the header's cells; row bands come from the horizontal rules under
the header, else from the pitch of the text lines (missing or faint rules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

import cv2
import numpy as np
from PIL import Image
from rapidfuzz import fuzz

from extractors.captions import caption_field
from extractors.labels import find_labels
from extractors.layout import Row
from extractors.pixels import gray_array
from extractors.timing import timed
from extractors.types import BBox, PageGraphics, Rule

# One thread, as in extractors.convergence: a pool once run is inherited dead by a fork.
cv2.setNumThreads(1)

#: A dark run at least this long (in points) is part of a ruled line, not of a letter.
RUN_PT = 10.0
#: Ink darker than this (0-255) counts as dark.
DARK = 150
#: The most words a column heading has ("Name (Last, First, MI)", "Officer Printed Name").
HEADING_WORDS = 5

COLUMN_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rx, re.I))
    for role, rx in (
        # "sign" opens its word ("Signature", "Sign Here"), never inside one ("Assignment")
        ("signature", r"\bsign|signature|initial"),
        # a name column may be headed by who signs ("Attendee", "Officer") alone
        ("name", r"name|print|^\W*(?:attendee|participant|officer|student|trainee|member|deputy|"
                 r"trooper|recruit|cadet|enrollee)s?\W*$|"
                 r"^\W*(?:last|first|surname|given)\W*$"),
        ("no", r"^\W*(?:no|#|line|ln)\W*$"),
        ("badge", r"badge|\bid\b|\bid\s*#|pid|number|\bno\b|#|personnel|employee|cert|serial|"
                  r"shield|\bstar\b"),
        ("agency", r"agency|dept|department|unit|organi"),
        ("time", r"time|\bin\b|\bout\b"),
        ("rank", r"rank|title"),
    )
)


@dataclass(frozen=True)
class Column:
    """One column of the table: its role, x-range in points and heading."""

    role: str
    x0: float
    x1: float
    heading: str = ""


@dataclass(frozen=True)
class Band:
    """One row band under the header: its 0-based slot and y-range in points."""

    slot: int
    top: float
    bottom: float


@dataclass(frozen=True)
class TableGrid:
    """The table found on a page.

    Attributes:
        header: the column header row (words).
        columns: left to right, each with a role (``name``, ``badge``, ``signature``, ...).
        bands: the body rows, top to bottom.
        ruled: whether the bands came from ruled lines (else from text pitch).
    """

    header: Row
    columns: tuple[Column, ...]
    bands: tuple[Band, ...]
    ruled: bool

    def column(self, role: str) -> Column | None:
        """The first column of ``role``, if any."""
        return next((c for c in self.columns if c.role == role), None)


@timed("tables")
def find_rules(image: Image.Image, dpi: float) -> PageGraphics:
    """Horizontal and vertical ruled lines of a scanned page, in points.

    A pixel belongs to a rule when it starts a dark run of at least :data:`RUN_PT`; a pixel
    row (column) is a rule when such runs cover a good share of it, summed over a few
    neighbouring rows so that a line left slightly slanted by deskewing still counts.
    """
    arr = np.asarray(gray_array(image), dtype=np.uint8) < DARK
    if dpi >= 200:
        # Half resolution, a pixel dark when any of its four is: a hairline rule survives
        # and the search costs a quarter (it was a third of a sheet page's extraction time).
        h, w = arr.shape[0] // 2 * 2, arr.shape[1] // 2 * 2
        arr = arr[0:h:2, 0:w:2] | arr[1:h:2, 0:w:2] | arr[0:h:2, 1:w:2] | arr[1:h:2, 1:w:2]
        dpi = dpi / 2
    scale = 72.0 / dpi
    run = max(8, round(RUN_PT / scale))
    horizontal = _rules_along(arr, run, scale, min_cover=0.25)
    # a vertical rule needs little cover (a table may be short), so it must be one stretch
    vertical = _rules_along(np.ascontiguousarray(arr.T), run, scale, min_cover=0.06,
                            one_stretch=True)
    return PageGraphics(tuple(horizontal), tuple(vertical))


def _rules_along(dark: np.ndarray, run: int, scale: float, min_cover: float,
                 one_stretch: bool = False) -> list[Rule]:
    """Rules running along axis 1 of ``dark`` (rows of the array); with ``one_stretch``
    a rule is the one stretch of :func:`_line_stretch` (several underlines side by side on
    one line of a form are one horizontal "rule" from the first to the last)."""
    h, w = dark.shape
    if w <= run:
        return []
    # long[:, x]: pixels x + 1 .. x + run all dark (a full dark run starts there). An
    # erosion along the rows (OpenCV's, the minimum over the next ``run`` pixels) finds
    # them at a fraction of the cost of a cumulative sum and a difference.
    full = cv2.erode(np.ascontiguousarray(dark).view(np.uint8), np.ones((1, run), np.uint8),
                     anchor=(0, 0), borderType=cv2.BORDER_CONSTANT, borderValue=1)
    long = full[:, 1: w - run + 1].view(bool)
    counts = long.sum(axis=1)
    spread = max(1, round(1.2 / scale))  # ~1.2 pt either side
    smooth = np.convolve(counts, np.ones(2 * spread + 1, dtype=np.int64), mode="same")
    is_rule = smooth >= min_cover * w
    rules = []
    y = 0
    while y < h:
        if not is_rule[y]:
            y += 1
            continue
        start = y
        while y < h and is_rule[y]:
            y += 1
        core = slice(start, y)
        centre = start + int(np.argmax(counts[core]))
        starts = long[max(0, centre - spread): centre + spread + 1].any(axis=0)
        if one_stretch:
            stretch = _line_stretch(starts, run, min_cover * w)
        else:
            cols = np.nonzero(starts)[0]
            stretch = (int(cols[0]), int(cols[-1]) + run) if cols.size else None
        if stretch is not None:
            rules.append(Rule(centre * scale, stretch[0] * scale, stretch[1] * scale))
    return rules


def _line_stretch(starts: np.ndarray, run: int, min_length: float) -> tuple[int, int] | None:
    """Where along its axis a rule runs: the longest stretch of dark runs with no gap wider
    than two runs, when it covers ``min_length`` (else no rule).

    Dark runs summed over a whole pixel column can make a "rule" of a column of letters
    that happen to line up (a name column's strokes, row after row), and a real rule's
    ends can run on into ink in line with it (a logo above the table, a dark page edge
    below): a ruled line is one stretch, so only that stretch is kept.
    """
    at = np.nonzero(starts)[0]
    if not at.size:
        return None
    best, covered = None, 0.0
    first, last, dark = int(at[0]), int(at[0]) + run, run
    for p in at[1:]:
        p = int(p)
        if p > last + 2 * run:
            if dark > covered:
                best, covered = (first, last), dark
            first, last, dark = p, p + run, run
        else:
            dark += min(run, p + run - last)
            last = max(last, p + run)
    if dark > covered:
        best, covered = (first, last), dark
    return best if covered >= min_length else None


#: Heading words an OCR slip may spoil ("Sinature", "Pr1nted"), by the role they name. Only
#: words long enough that one or two wrong letters still leave them unmistakable.
_ROLE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("signature", ("signature", "signatures", "initials")),
    ("name", ("printed",)),
    ("badge", ("badge", "personnel", "employee", "serial")),
    ("agency", ("agency", "department", "organization")),
)
#: Fields whose captions name no attendee's column, though they hold "name" or "no."
_NOT_A_PERSONS = frozenset({"course_title", "post_number", "instructor_name", "location",
                            "training_format"})
#: How alike (rapidfuzz ratio, 0-100) a heading word must be to a role word.
_ROLE_WORD_SIMILARITY = 80


def column_role(text: str) -> str:
    """The role a column heading names (``other`` when none).

    The heading's words are matched exactly first; a short heading no pattern matches is
    matched word by word against the role words, allowing an OCR slip (a word spelt right
    that the patterns refused stays refused).
    """
    for role, pattern in COLUMN_ROLES:
        if pattern.search(text):
            if role in ("name", "badge") and caption_field(text) in _NOT_A_PERSONS:
                return "other"  # "Program Name", "Board Course No.": a course's caption
            return role
    words = [w.lower() for w in re.findall(r"[^\W\d_]{5,}", text)]
    if len(text.split()) > HEADING_WORDS:
        return "other"  # a line of prose or a value ("Officer Ilse Varga"), no heading
    for role, names in _ROLE_WORDS:
        # a word spelt right was the patterns' to judge: only a slip is matched here
        if any(w != n and fuzz.ratio(w, n) >= _ROLE_WORD_SIMILARITY
               for w in words for n in names):
            return role
    return "other"


def find_header(rows: list[Row]) -> Row | None:
    """The column header row: a name column and a badge or signature column.

    Headings printed on two lines ("Officer / Signature", "Badge / Number") are read as one
    header row: the line under a row, close enough to be the same heading, is joined to it.
    """
    for i, row in enumerate(rows):
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None and _stacked_under(row, below):
            both = Row(row.index, tuple(sorted(row.words + below.words, key=lambda w: w.bbox.x0)))
            if _is_header(both, max_words=2 * HEADING_WORDS):
                return both
        if _is_header(row, max_words=HEADING_WORDS):
            return row
    return None


def _stacked_under(row: Row, below: Row) -> bool:
    """Whether ``below`` is the second line of ``row``'s headings (no gap between them).

    Headings carry no digits; a first attendee row right under a tight header does (its
    badge, its row number), and stays a row. Nor does a heading's upper line hold a value's
    number.
    """
    gap = below.bbox.top - row.bbox.bottom
    return -0.3 * row.height <= gap <= 0.5 * row.height and \
        abs(below.height - row.height) <= 0.3 * row.height and \
        not any(ch.isdigit() for ch in below.text) and not _VALUE_NUMBER.search(row.text)


#: A number of three digits or more (a course number, a date, a badge): a value's, never a
#: heading's. A form's row of values right over its captions ("Tactics 2940-20182" over
#: "Program Name  State Approval #") is no heading's upper line.
_VALUE_NUMBER = re.compile(r"\d{3}")


def _is_header(row: Row, max_words: int) -> bool:
    chunks = header_chunks(row)
    # the bars a scan's column rules read as ("|", "[") are no words
    words = sum(1 for w in row.text.split() if any(c.isalnum() for c in w))
    if len(chunks) < 2 or words > 3 * max_words:
        return False
    # Column headings are short and carry no values ("Course Name: Patrol Rifle" is a
    # labelled header field, not a heading; "Kowalski, Victor 7804" a row). Brackets and
    # slashes are no words: "Name (Last, First, MI)", "Badge / ID Number".
    for text, _a, _b in chunks:
        words = [w for w in text.split() if any(c.isalpha() for c in w)]
        if len(words) > max_words or re.search(r":\s*\S", text) \
                or (len(words) > 3 and any(c.isdigit() for c in text)):
            return False
    roles = {column_role(chunk) for chunk, _x0, _x1 in chunks}
    return "name" in roles and bool(roles & {"badge", "signature"})


#: Gap (row heights) that parts two headings; a narrower one where that is what finds the
#: name column: a narrow column's heading stands a little closer to the next
#: ("Departure  Participant", 1.19 row heights apart), still three times a word space.
HEADING_GAP = 1.2
HEADING_GAP_NARROW = 0.8


def header_chunks(row: Row) -> list[tuple[str, float, float]]:
    """The header's cells: gap-separated runs of words, with their x-range.

    Headings are parted at gaps of :data:`HEADING_GAP` row heights; when that leaves no
    heading of a name column and the narrower gap gives one, at the narrower gap, if the row
    reads as a row of headings already (three or more, no number: "Officer  Cert. No. 3588"
    is a caption and its value, whatever its gaps)."""
    chunks = _chunks_at(row, HEADING_GAP)
    if _heads_a_name(chunks) or len(chunks) < 3 or any(c.isdigit() for c in row.text):
        return chunks
    narrow = _chunks_at(row, HEADING_GAP_NARROW)
    return narrow if _heads_a_name(narrow) else chunks


def _heads_a_name(chunks: list[tuple[str, float, float]]) -> bool:
    return any(column_role(text) == "name" for text, _a, _b in chunks)


def _chunks_at(row: Row, factor: float) -> list[tuple[str, float, float]]:
    chunks: list[tuple[str, float, float]] = []
    gap = factor * row.height
    current: list = []
    for w in row.words:
        if not any(c.isalnum() or c == "#" for c in w.text):
            # OCR reads a vertical rule as "|": it separates cells, it is not a heading
            if current:
                chunks.append(_chunk(current))
            current = []
            continue
        if current and w.bbox.x0 - current[-1].bbox.x1 > gap:
            chunks.append(_chunk(current))
            current = []
        current.append(w)
    if current:
        chunks.append(_chunk(current))
    return chunks


def _chunk(words: list) -> tuple[str, float, float]:
    # a heading on two lines reads its upper line first
    top = min(w.bbox.center_y for w in words)
    lines = sorted(words, key=lambda w: (w.bbox.center_y - top > 0.6 * w.bbox.height,
                                         w.bbox.x0))
    return (" ".join(w.text for w in lines), min(w.bbox.x0 for w in words),
            max(w.bbox.x1 for w in words))


def build_columns(header: Row, vertical: list[Rule], page_width: float) -> tuple[Column, ...]:
    """Columns from the vertical rules crossing the header, else from the header's cells."""
    chunks = header_chunks(header)
    y = header.bbox.center_y
    xs = sorted({round(r.pos, 1) for r in vertical if r.a - 4 <= y <= r.b + 4})
    if len(xs) >= 3:
        # Each ruled cell is headed by the words standing in it. Cells narrower than a gap
        # ("Badge/ID | Time In | Time Out | Signature") run together as one chunk when the
        # rules are read as part of the words ("|Badge/ID"): the word places part them.
        out = []
        for x0, x1 in zip(xs, xs[1:], strict=False):
            inside = [w for w in header.words if x0 - 2 <= (w.bbox.x0 + w.bbox.x1) / 2 < x1
                      and any(c.isalnum() or c == "#" for c in w.text)]
            text = _chunk(inside)[0].strip(" |{}[]") if inside else ""
            out.append(Column(column_role(text) if text else "other", x0, x1, text))
        return tuple(out)
    out = []
    for i, (text, a, _b) in enumerate(chunks):
        left = 0.0 if i == 0 else (chunks[i - 1][2] + a) / 2
        right = page_width if i == len(chunks) - 1 else (chunks[i + 1][1] + chunks[i][2]) / 2
        # Headings are left-aligned in their cells: the cell starts a little before them.
        if i > 0:
            left = min(left, a - 4)
        out.append(Column(column_role(text), left, right, text))
    return tuple(out)


def build_bands(header: Row, rows: list[Row], horizontal: list[Rule],
                columns: tuple[Column, ...], vertical: list[Rule] | None = None
                ) -> tuple[tuple[Band, ...], bool]:
    """Row bands under the header: between ruled lines, else by the pitch of text rows.

    ``vertical``: the page's upright rules; column rules that stop at the last ruled line
    close the table there (no row goes on past it at the rows' pitch)."""
    left, right = columns[0].x0, columns[-1].x1
    width = max(1.0, right - left)
    table = [r for r in horizontal if min(r.b, right) - max(r.a, left) >= 0.6 * width]
    below = [r.pos for r in _without_footer_line(table, header)]
    below = _merge_close(below, 3.0)
    end = _grid_bottom(header, columns, vertical or [])
    under = [pos for pos in below if end is not None and pos > end + _CLOSED_PT]
    if end is not None and len(under) > _MOST_FOOTER_LINES:
        end = None  # rows' rules go on under it: the column rules were found only in part
    if end is not None:  # a line under the grid's bottom edge is a signature's, no row's
        below = [pos for pos in below if pos <= end + _CLOSED_PT]
    if len(below) >= 2:
        heights = [b - a for a, b in zip(below, below[1:], strict=False)]
        pitch = median(heights)
        bands, slot = [], 0
        for a, b in zip(below, below[1:], strict=False):
            if b - a < 0.4 * pitch:
                continue
            if b - a > 2.5 * pitch:
                break  # the table ended; what follows is the footer
            bands.append(Band(slot, a, b))
            slot += 1
        if bands:
            closed = end is not None and abs(bands[-1].bottom - end) <= _CLOSED_PT
            return _extend_by_pitch(bands, header, rows, columns, closed), True
    return _bands_by_pitch(header, rows, columns), False


def _without_footer_line(table: list[Rule], header: Row) -> list[Rule]:
    """The table's rules without the signature lines that follow its last rule.

    The table's rules run from its left edge to its right edge; a signature line under
    the table (or two side by side, "Date ____  Coordinator ____", that a scan's rule
    search joins into one) stops short of an edge. Only such lines at the end are dropped:
    inside the table a rule a scan found only in part still parts two rows.
    """
    rules = sorted((r for r in table if r.pos > header.bbox.center_y), key=lambda r: r.pos)
    if len(rules) < 3:
        return rules
    width = median(r.b for r in rules) - median(r.a for r in rules)
    a0, b0 = median(r.a for r in rules), median(r.b for r in rules)
    while len(rules) > 2 and (abs(rules[-1].a - a0) > 0.04 * width
                              or abs(rules[-1].b - b0) > 0.04 * width):
        rules.pop()
    return rules


#: Column rules that end this close (points) to the last ruled line end there.
_CLOSED_PT = 4.0
#: Lines under a grid's bottom edge that may be its footer's (an official's signature line,
#: a date's); more are the rows of a grid whose column rules were found only in part.
_MOST_FOOTER_LINES = 2


def _grid_bottom(header: Row, columns: tuple[Column, ...], vertical: list[Rule]
                 ) -> float | None:
    """Where the table's column rules stop, when two or more of them run down from its
    heading and all stop at one height: the bottom edge of a grid drawn whole. A zebra
    table's shading has no such rules (and its last row may have no edge of its own)."""
    left, right = columns[0].x0, columns[-1].x1
    inside = [v for v in vertical if left - _CLOSED_PT <= v.pos <= right + _CLOSED_PT
              and v.a <= header.bbox.bottom + _CLOSED_PT and v.b > header.bbox.bottom]
    if len(inside) < 2:
        return None
    ends = sorted(v.b for v in inside)
    return ends[-1] if ends[-1] - ends[0] <= _CLOSED_PT else None


def _extend_by_pitch(bands: list[Band], header: Row, rows: list[Row],
                     columns: tuple[Column, ...], closed: bool = False) -> tuple[Band, ...]:
    """Ruled bands, plus the text rows that go on at the same pitch past the first or last rule.

    Zebra-shaded tables draw rectangles only behind every other row: the rows before the
    first shaded one and after the last have no edge of their own (their rule is the page's
    white). A row whose text sits where the next band's text would sit, one pitch on, is
    such a row; a footer under the table is further away or off the pitch, or is no row of
    cells: a sentence running across the columns ("I certify that the persons who signed
    above...") or a labelled line ("Date: ...") one pitch under the last rule. A grid
    ``closed`` by its column rules has no row past its last rule (the official's signature
    under it, read as words, is none).
    """
    left, right = columns[0].x0, columns[-1].x1
    pitch = median(b.bottom - b.top for b in bands)
    body = [r for r in rows if _below_heading(r, header)
            and r.bbox.x0 < right and r.bbox.x1 > left and r.height < 0.9 * pitch
            and _cell_row(r, columns)]
    # a row's line of text is where most of its words sit: a signature's loop read as a
    # word may stretch its box up or down
    mids = [(r, median(w.bbox.center_y for w in r.words)) for r in body]
    offsets = [mid - b.top for b in bands for _r, mid in mids if b.top <= mid < b.bottom]
    if not offsets:
        return tuple(bands)
    offset = median(offsets)

    def text_at(top: float) -> bool:
        return any(abs(mid - (top + offset)) <= 0.2 * pitch for _r, mid in mids)

    after = []
    while not closed and text_at(bands[-1].bottom + len(after) * pitch):
        top = bands[-1].bottom + len(after) * pitch
        after.append((top, top + pitch))
    before = []
    # The header's words may reach below its cell's edge (rule marks read as "|", a shaded
    # heading row shorter than the body's rows): a row may start a little above them.
    while (top := bands[0].top - (len(before) + 1) * pitch) >= header.bbox.bottom - 0.25 * pitch \
            and text_at(top):
        before.append((top, top + pitch))
    spans = [*reversed(before), *((b.top, b.bottom) for b in bands), *after]
    return tuple(Band(i, a, b) for i, (a, b) in enumerate(spans))


def _below_heading(row: Row, header: Row) -> bool:
    """Whether a line is under the table's heading: its top is, or its middle is (a
    signature reaching up, or a heading read alone whose boxes reach down, make the
    first row's box overlap the heading's)."""
    return row is not header and (row.bbox.top > header.bbox.bottom - 1
                                  or row.bbox.center_y > header.bbox.bottom)


def _cell_row(row: Row, columns: tuple[Column, ...]) -> bool:
    """Whether a row's words stay inside the table's cells: no word runs over a column's
    edge and no field label is printed on it."""
    edges = [c.x1 for c in columns[:-1]]
    # a rule read as a word ("|", "[") lies on an edge by nature: only real words count
    words = [w for w in row.words if any(ch.isalnum() for ch in w.text)]
    if any(_runs_over(w.bbox, x) for w in words for x in edges):
        return False
    if _sentence(words, row.height) and any(words[0].bbox.x0 < x < words[-1].bbox.x1
                                            for x in edges):
        return False  # a sentence across the columns ("The undersigned attests ...")
    return not _labelled_line(row)


def _sentence(words: list, height: float) -> bool:
    """Six words or more, each one word space from the next: a line of prose. Cells of a
    row stand apart by their padding."""
    return len(words) >= 6 and all(b.bbox.x0 - a.bbox.x1 < 1.2 * height
                                   for a, b in zip(words, words[1:], strict=False))


def _runs_over(box: BBox, edge: float) -> bool:
    """Whether a word runs over a column's edge: a good part of it on each side. A number
    written by hand often starts on the rule before its cell, or a scan's column rule
    sits a little off where the heading put the edge; that word is still in its cell."""
    part = max(2.0, 0.2 * (box.x1 - box.x0))
    return box.x0 + part < edge < box.x1 - part


def _labelled_line(row: Row) -> bool:
    """A field label with its colon ("Date: ..."); a title in a cell ("Harold Kim
    (Instructor)") is an attendee's."""
    return ":" in row.text and any(h.field for h in find_labels(row.text, row.gap_starts))


def _prose_row(row: Row, columns: tuple[Column, ...]) -> bool:
    """A line of prose or a labelled line, not a row of cells: a sentence of six words or
    more running over a column's edge, or a labelled line."""
    if len(row.words) >= 6 and not _cell_row(row, columns):
        return True
    return _labelled_line(row)


def _merge_close(values: list[float], tol: float) -> list[float]:
    out: list[float] = []
    for v in values:
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _bands_by_pitch(header: Row, rows: list[Row],
                    columns: tuple[Column, ...]) -> tuple[Band, ...]:
    """Bands centred on the text rows under the header, slots counted by their pitch."""
    left, right = columns[0].x0, columns[-1].x1
    body = [r for r in rows if _below_heading(r, header)
            and r.bbox.x0 < right and r.bbox.x1 > left]
    if not body:
        return ()
    ended = next((i for i, r in enumerate(body) if _prose_row(r, columns)), len(body))
    body = body[:ended]  # a sentence or a labelled line under the rows: the table ended
    if not body:
        return ()
    centres = [r.bbox.center_y for r in body]
    steps = [b - a for a, b in zip([header.bbox.center_y, *centres], centres, strict=False)]
    pitch = median(steps[:8]) if steps else 2.0 * header.height
    pitch = max(pitch, 1.4 * header.height)
    bands, last = [], header.bbox.center_y
    for row, centre in zip(body, centres, strict=True):
        if centre - last > 2.6 * pitch:
            break  # a wide gap: the table ended
        slot = round((centre - header.bbox.center_y) / pitch) - 1
        if slot < 0 or (bands and slot <= bands[-1].slot):
            continue
        bands.append(Band(slot, centre - pitch / 2, centre + pitch / 2))
        last = centre
        del row
    return tuple(bands)


@dataclass(frozen=True)
class PersonTable:
    """A table of people found on a page: its column header and the rows that name someone.

    Attributes:
        header: the column header row.
        person_rows: body rows with a name in the name column and a value in another
            column (a badge / ID, an agency, a time, a signature's OCR residue).
        badge_rows: how many of them hold a number in a badge / ID column.
        course_columns: columns headed by a course's facts (course, date, hours): a
            certificate's one-row table of the officer's training has several, a sheet's
            table of attendees hardly any.
    """

    header: Row
    person_rows: int
    badge_rows: int
    course_columns: int = 0


@timed("tables")
def find_person_table(rows: list[Row], page_width: float) -> PersonTable | None:
    """The table of attendees on a page, judged by its structure, not by its wording.

    A column header naming a name column and a badge or signature column, with body rows
    under it that fill the name column and at least one other: that is a sign-in table
    whatever prose is printed around it (an attestation "I certify that the persons who
    signed above attended" under the table made such sheets read as certificates). A
    certificate's footer captions ("Printed Name  Signature  Date") have no such rows, and a
    form of captions over values ends its "table" at its next caption row.
    """
    header = find_header(rows)
    if header is None:
        return None
    columns = build_columns(header, [], page_width)
    body = [r for r in rows if _below_heading(r, header)]
    persons = badges = 0
    last = header.bbox.center_y
    pitch = 2.4 * header.height
    for row in body:
        if row.bbox.center_y - last > 4.0 * pitch:
            break  # a wide gap: the table ended
        if any(h.field for h in find_labels(row.text, row.gap_starts)):
            break  # a caption or a labelled field ("Course Title", "Hours:"): a form, not rows
        last = row.bbox.center_y
        filled = _filled_roles(row, columns)
        if "name" in filled and len(filled - {"name", "no"}) >= 1:
            persons += 1
            badges += "badge" in filled and _badge_digits(row, columns)
    facts = sum(bool(_COURSE_FACT.search(c.heading or "")) for c in columns)
    return PersonTable(header, persons, badges, facts)


#: Headings of a course's facts, not of a person's.
_COURSE_FACT = re.compile(r"\b(?:course|class|subject|topic|date|hours?|hrs|credits?)\b", re.I)


def _filled_roles(row: Row, columns: tuple[Column, ...]) -> set[str]:
    """The roles of the columns this row has words in (a name: a word of two letters)."""
    out = set()
    for w in row.words:
        centre = (w.bbox.x0 + w.bbox.x1) / 2
        col = next((c for c in columns if c.x0 <= centre < c.x1), None)
        if col is None or not any(ch.isalnum() for ch in w.text):
            continue
        if col.role == "name" and sum(ch.isalpha() for ch in w.text) < 2:
            continue
        out.add(col.role)
    return out


def _badge_digits(row: Row, columns: tuple[Column, ...]) -> bool:
    return any(c.role == "badge" and c.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < c.x1
               and sum(ch.isdigit() for ch in w.text) >= 2 for w in row.words for c in columns)
