"""Read a sign-in sheet page into one :class:`ExtractedRecord` per attendee row.

The chain: rows of words -> the column header row (``Printed Name | Badge # | Signature``)
-> columns (vertical rules, else the header's cells) -> row bands (horizontal rules, else
the pitch of the text lines) -> per band the name and badge cells and whether the signature
cell holds ink. The sheet's header (course, number, date, hours, instructor, location) is
read once, from the words above the table, by the certificate reader with its label and
format tolerance, and applied to every row; a continuation page ("page 2 of 2", no header)
inherits the header of the page it continues.

A sheet is evidence only when a training official signed it: the caption under the table
("Training Official / Instructor Signature", "Training Coordinator Signature") is found and
the space above it is looked at for ink like a signature cell. The official signs once, at
the foot of the last page, so the decision is made per sheet: :func:`settle_official` writes
it on every attendee row of the sheet (``official_signed``) once all its pages are read.

What could not be read is said, never guessed: a page whose table cannot be found gives one
empty record with a ``sheet_problem`` field; a row whose cells are unsure keeps their
confidence so verification sends it to review.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace

from PIL import Image

from extractors import handwriting as hand
from extractors import headband
from extractors.certificate import extract_certificate
from extractors.column_types import UNSURE_SIGNATURE, type_open_columns
from extractors.decimal_point import restore_printed_point
from extractors.layout import Row, build_rows, read_confidence
from extractors.layout_evidence import LayoutHint, learned_columns, learned_sheet
from extractors.layout_fingerprint import LayoutMatch
from extractors.learned_places import read_learned_places
from extractors.names import cell_name
from extractors.numbers import badge_value, parse_badge
from extractors.official_place import (
    OFFICIAL_SPAN_PT,
    SURE,
    read_learned_official,
    table_end,
    unknown_official_line,
)
from extractors.reread import read_alone, reread_unsure_fields
from extractors.signatures import InkResult, ink_in_area, ink_in_cell, mark_in_cell
from extractors.table import (
    Band,
    Column,
    TableGrid,
    build_bands,
    build_columns,
    find_header,
    find_rules,
)
from extractors.types import (
    BBox,
    DocumentKind,
    ExtractedField,
    ExtractedRecord,
    FieldSource,
    PageGraphics,
    PageText,
    ReferenceHints,
    Word,
)
from extractors.written import read_written_values

log = logging.getLogger(__name__)

HEADER_FIELDS = ("training_date", "hours", "post_number", "course_title", "instructor_name",
                 "location", "training_format")
_OFFICIAL = re.compile(
    r"\b(official|coordinator|instructor|trainer|supervisor)\b.*\bsign"
    r"|\bsign\w*\s+of\s+(the\s+)?(training\s+)?(official|coordinator|instructor)"
    r"|\b(training|range|certifying)\s+officer\b.*\bsign", re.I)
#: An official's title alone, as printed under a signature line ("Training Coordinator").
_OFFICIAL_ROLE = re.compile(
    r"\b(official|coordinator|instructor|trainer|supervisor|(training|range|certifying)\s+"
    r"officer|training\s+(manager|director|sergeant|lieutenant))\b", re.I)
#: A certifying phrase that introduces the official's signature ("Certified by: ____").
_CERTIFIED_BY = re.compile(
    r"\b(certified|approved|verified|attested|witnessed)\s+by\b"
    # "Approved - Training Unit", "Verified: ____"
    r"|\b(certified|approved|verified|attested)\s*[-–:]"
    # a short sign-off caption ending in "... by" ("Roster closed by", "Reviewed by:")
    r"|^\W*(?:[A-Za-z]+\s+){0,2}[A-Za-z]+ed\s+by\s*:?\s*$", re.I)
#: A caption that introduces its line (the signature is right of it, not above it).
_INLINE_CAPTION = re.compile(r"(\bby|:)\s*$", re.I)
#: The least width of a signature line (the caption is often shorter than the line it
#: stands under); how far above it the signature is looked for is OFFICIAL_SPAN_PT.
OFFICIAL_LINE_PT = 200.0
_CONTINUED = re.compile(r"\bpage\s+([2-9]|\d\d)\s+of\s+\d+\b|\bcontinued\b|\bcont'?d\b", re.I)
#: What a page that goes on from the page before says of itself: "Page 2 of 3" (any short
#: word for "of", which OCR slips on: "Page 2 af 2"), "(cont.)", "(continued)".
_GOES_ON = re.compile(
    r"\bpage\s+(?:[2-9]|\d\d)\s+\w{1,3}\s+\d+\b|\(\s*cont(?:\.|'?d|inued)?\s*\)", re.I)
#: A name or badge cell read below this confidence is kept but marked unsure (review).
WEAK_CELL = 0.6
#: Seconds for re-reading one cell on its own (a few hundred milliseconds normally).
REREAD_TIMEOUT = 10.0


@dataclass(frozen=True)
class SheetHeader:
    """The class facts read from a sheet's first page, applied to each of its rows."""

    fields: dict[str, ExtractedField]
    page_number: int


@dataclass(frozen=True)
class SignInResult:
    """What one sign-in page gave.

    Attributes:
        records: one per attendee row (or one empty record saying what could not be read).
        header: the header in force for this page (read here, or inherited), for the next.
        problems: what could not be read, in words, for the reviewer and the log.
        official: the training official's signature found at the foot of this page
            (``official_signed``; ``None``: no official's signature line on this page).
        foot: with no official's line found, the one signature line under the table that
            may be the official's, undecided (:func:`unknown_official_line`).
    """

    records: list[ExtractedRecord]
    header: SheetHeader | None
    problems: tuple[str, ...] = field(default=())
    official: ExtractedField | None = None
    foot: ExtractedField | None = None


def extract_sign_in(page: PageText, *, image: Image.Image | None = None,
                    graphics: PageGraphics | None = None, hints: ReferenceHints | None = None,
                    inherited: SheetHeader | None = None,
                    handwriting: bool | None = None) -> SignInResult:
    """Read a sign-in sheet page.

    Args:
        page: the words of the page.
        image: the page image as OCR saw it (scans), for rules and signature ink.
        graphics: the page's rules and drawn marks (born-digital pages).
        hints: reference vocabulary for the header fields.
        inherited: the header of the previous sheet page, used when this page has none.
        handwriting: read handwritten or unreadable name and badge cells of a scan again
            with the second recognizer (:mod:`extractors.handwriting`), and header values
            written into their blanks (:mod:`extractors.written`); ``None``: as
            ``CREDENCE_HANDWRITING`` says (default on).

    Returns:
        The records, the header in force and the problems found.
    """
    rows = build_rows(page)
    grid_rules = graphics if graphics is not None else (
        find_rules(image, page.dpi) if image is not None and page.dpi else PageGraphics())
    table_header = find_header(rows)
    by_hand = hand.enabled() if handwriting is None else handwriting
    header = read_header(page, rows, table_header, hints, inherited, image, by_hand)
    problems = []
    if header is None:
        problems.append("no sheet header (course, date, hours) found and none to inherit")
    if table_header is None:
        problems.append("no table with a name and badge/signature column found")
        return SignInResult([_problem_record(page, header, problems)], header, tuple(problems))
    grid = build_grid(page, rows, table_header, grid_rules)
    learned = learned_sheet(page, hints.layouts) if hints is not None else None
    if learned is not None:  # the columns' roles of a decided copy of this form (issue 17)
        grid = learned_columns(grid, page, *learned)
    grid = type_open_columns(grid, page, image, graphics)
    log.debug("page %d: columns %s", page.page_number,
              [(c.role, round(c.x0), round(c.x1), c.heading) for c in grid.columns])
    official = find_official_signature(page, rows, grid, image, graphics, grid_rules)
    foot = None
    if official is None:
        foot = unknown_official_line(page, table_end(grid), image, graphics, grid_rules)
    if learned is not None:  # where a decided copy of this form had the official sign
        official = learned_official(page, grid, official, learned, image, graphics) or official
    if not grid.bands:
        problems.append("a table header but no attendee rows under it")
    marks = graphics.marks if graphics is not None else ()
    officers = hints.officers if hints is not None and by_hand else ()
    records = [rec for part, first_slot in side_by_side(grid) for band in part.bands
               if (rec := read_row(page, part, replace(band, slot=first_slot + band.slot), header,
                                   image, graphics, marks, by_hand, officers)) is not None]
    if not records:
        if grid.bands:
            problems.append("every row of the table is empty")
        return SignInResult([_problem_record(page, header, problems)], header, tuple(problems),
                            official, foot)
    log.debug("page %d: %d attendee rows (%s)", page.page_number, len(records),
              "ruled" if grid.ruled else "by pitch")
    if learned is not None:
        records = [replace(r, layout_id=learned[0].layout_id) for r in records]
    return SignInResult(records, header, tuple(problems), official, foot)


def build_grid(page: PageText, rows: list[Row], header: Row, rules: PageGraphics) -> TableGrid:
    """Columns and row bands of the table under ``header``.

    The table ends above the training official's caption: on a sheet without rules, or
    whose footer stands on the pitch of the rows, the official's signature and its caption
    would otherwise be read as attendee rows (and the official's line never found).
    """
    columns = build_columns(header, list(rules.vertical), page.width)
    bands, ruled = build_bands(header, rows, list(rules.horizontal), columns,
                               list(rules.vertical))
    badges = [c for c in columns if c.role == "badge"]
    captions = [r.bbox for r in rows if r.bbox.top > header.bbox.bottom
                and any(_is_official_caption(c.text) for c in _row_chunks(r))
                and not _has_badge(r, badges)]
    if captions:
        end = min(c.top for c in captions)
        bands = tuple(b for b in bands if b.top < end - 2 and (b.top + b.bottom) / 2 < end)
    if not ruled:
        # unruled: the official's signature above its caption is no row either
        bands = _drop_trailing_unnamed(page, bands, columns)
    return TableGrid(header, columns, bands, ruled)


def _has_badge(row: Row, badges: list[Column]) -> bool:
    """Whether the row holds a number in a badge column: an attendee's row (a rank or
    title cell reading "Field Training Officer"), never the official's caption."""
    return any(c.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < c.x1 and any(ch.isdigit() for ch in w.text)
               for w in row.words for c in badges)


def _drop_trailing_unnamed(page: PageText, bands: tuple[Band, ...],
                           columns: tuple[Column, ...]) -> tuple[Band, ...]:
    """Bands without a printed name or badge at the end of an unruled table."""
    cells = [c for c in columns if c.role in ("name", "badge")]
    out = list(bands)
    while out and not any(out[-1].top <= w.bbox.center_y < out[-1].bottom
                          and c.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < c.x1
                          and sum(ch.isalnum() for ch in w.text) >= 2
                          for w in page.words for c in cells):
        out.pop()
    return tuple(out)


def side_by_side(grid: TableGrid) -> list[tuple[TableGrid, int]]:
    """The table, or its halves when it is printed as tables side by side, with the slot
    each part's first row is counted from.

    Some sheets fit twice the attendees on a page by repeating the columns ("# | Name |
    Badge | Signature | # | Name | Badge | Signature"): each repeat is a table of its own,
    read down the left one first. Without this the right-hand attendees were never read.
    """
    keys = [(i, c.role) for i, c in enumerate(grid.columns)
            if c.role in ("name", "badge", "signature")]
    roles = [r for _i, r in keys]
    for size in range(2, len(roles) // 2 + 1):
        if len(roles) % size or "name" not in roles[:size] \
                or not {"badge", "signature"} & set(roles[:size]):
            continue
        if all(roles[i] == roles[i % size] for i in range(len(roles))):
            # a part runs from the column after the previous part's last heading (its own
            # "#" column, whatever OCR made of it) to its own last one
            cuts = [0] + [keys[k - 1][0] + 1 for k in range(size, len(keys), size)]
            ends = [*cuts[1:], len(grid.columns)]
            n = len(grid.bands) and max(b.slot for b in grid.bands) + 1
            return [(replace(grid, columns=grid.columns[a:b]), g * n)
                    for g, (a, b) in enumerate(zip(cuts, ends, strict=True))]
    return [(grid, 0)]


# --- the header --------------------------------------------------------------------------


def goes_on(page: PageText) -> bool:
    """Whether the page says it goes on from the page before ("Page 2 of 2", "(cont.)").

    A sheet's last page may hold one or two attendees and the official's signature: too
    little table for the page to read as a sheet on its own, yet it is the sheet's."""
    return any(_GOES_ON.search(row.text) for row in build_rows(page))


def read_header(page: PageText, rows: list[Row], table_header: Row | None,
                hints: ReferenceHints | None, inherited: SheetHeader | None,
                image: Image.Image | None = None,
                by_hand: bool | None = None) -> SheetHeader | None:
    """The class facts above the table, or the inherited ones on a continuation page.

    On a scan, a date, hours or course number read unsure is read again on its own, as on a
    certificate (:func:`reread_unsure_fields`: a second reading can only confirm the value,
    never change it, but for a course number the second recognizer surely reads one
    character otherwise). It is done once here, for the header every row of the sheet carries.
    A date, hours or course number still missing or unreadable is looked for in the blank
    after its label, written by hand (:func:`read_written_values`; ``by_hand`` as
    :func:`extract_sign_in`'s ``handwriting``).
    """
    limit = table_header.bbox.top if table_header is not None else page.height
    above = [w for r in rows if r.bbox.bottom <= limit + 1 for w in r.words]
    continued = any(_CONTINUED.search(r.text) for r in rows if r.bbox.bottom <= limit + 1)
    fields: dict[str, ExtractedField] = {}
    if above and not continued:
        sub = replace(page, words=tuple(above))
        read = extract_certificate(sub, hints)
        if image is not None and page.dpi:
            read = restore_printed_point(read, image, page.dpi)
            read = reread_unsure_fields(read, image, page.dpi, hints)
            if table_header is not None and headband.lacks_a_class_fact(read):
                read, sub = _head_read_alone(read, sub, image, limit, hints)
            read = read_learned_places(read, sub, image, page.dpi, hints)
            read = read_written_values(read, sub, image, page.dpi, by_hand=by_hand, whole=page)
        fields = {k: v for k, v in read.fields.items() if k in HEADER_FIELDS}
    if _enough(fields):
        return SheetHeader(fields, page.page_number)
    if inherited is not None:
        return inherited
    return SheetHeader(fields, page.page_number) if fields else None


def _head_read_alone(read: ExtractedRecord, sub: PageText, image: Image.Image, limit: float,
                     hints: ReferenceHints | None) -> tuple[ExtractedRecord, PageText]:
    """``read`` combined with the reading of the band above the table read alone
    (:mod:`extractors.headband`), and the words of the reading kept whole."""
    band = headband.read_band_alone(sub, image, limit, REREAD_TIMEOUT)
    if band is None:
        return read, sub
    again = restore_printed_point(extract_certificate(band, hints), image, band.dpi)
    again = reread_unsure_fields(again, image, band.dpi, hints)
    combined, kept_again = headband.combine(read, again, HEADER_FIELDS)
    return combined, band if kept_again else sub


def _enough(fields: dict[str, ExtractedField]) -> bool:
    """A header names the class: a course (title or number) and a date."""
    return ("course_title" in fields or "post_number" in fields) and "training_date" in fields


# --- the training official's signature ------------------------------------------------------


def find_official_signature(page: PageText, rows: list[Row], grid: TableGrid,
                            image: Image.Image | None, graphics: PageGraphics | None,
                            rules: PageGraphics | None = None) -> ExtractedField | None:
    """The official's signature line under the table: ``official_signed`` True/False/None.

    Every official's caption under the table is looked at: the space above a caption
    printed under its line ("Training Coordinator"), or right of a caption that introduces
    its line ("Certified by: ____"). The sheet counts as signed only when each line found
    holds a signature: an official's line left blank is never made up for by another.

    Returns ``None`` when this page has no such caption (a sheet's first page of two); a
    field whose value is ``None`` when the caption is there but the space for the signature
    could not be looked at (no image).
    """
    table_bottom = table_end(grid)
    captions = []
    for row in (r for r in rows if r.bbox.top >= table_bottom - 2):
        chunks = _row_chunks(row)
        for i, chunk in enumerate(chunks):
            if _is_official_caption(chunk.text):
                limit = chunks[i + 1].bbox.x0 - 4 if i + 1 < len(chunks) else page.width
                captions.append((chunk, limit))
    if not captions:
        return None
    looked = [(c, area, ink_in_area(page, area, image, graphics)) for c, limit in captions
              for area in [_official_area(page, c, limit, table_bottom, rules)]]
    decided = [x for x in looked if x[2].signed is not None]
    if not decided:
        caption, area, ink = looked[-1]
    else:
        # the sheet is signed when every official's line is; else the first blank line
        caption, area, ink = next((x for x in decided if x[2].signed is False), decided[-1])
    raw = caption.text if ink.signed is not None else f"{caption.text} (not looked at)"
    return ExtractedField("official_signed", ink.signed, raw, ink.confidence, area,
                          page.page_number, FieldSource.DERIVED, table_end=table_bottom)


def learned_official(page: PageText, grid: TableGrid, read: ExtractedField | None,
                     learned: tuple[LayoutHint, LayoutMatch], image: Image.Image | None,
                     graphics: PageGraphics | None) -> ExtractedField | None:
    """The official's signature measured where the learned layout has it (issue 17), when
    the general reader found no official's line (``read`` is ``None``) or left it undecided
    or unsure; ``None``: keep the general reading.

    A sure general reading stands. An undecided or unsure one is replaced only by a measure
    of the same line (the places overlap): a place elsewhere could be another official's
    line, and one line left open is never made up for by another.
    """
    if read is not None and read.value is not None and (read.confidence or 0.0) >= SURE:
        return None
    hint, found = learned
    at_place = read_learned_official(page, table_end(grid), hint, found, image, graphics)
    if at_place is None or at_place.bbox is None:
        return None
    if read is not None and (read.bbox is None or not _overlap(read.bbox, at_place.bbox)):
        return None
    return at_place


def _overlap(a: BBox, b: BBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def _is_official_caption(text: str) -> bool:
    """An official's signature caption: an official's signature named, a certifying phrase
    ("Certified by:"), or an official's title alone ("Training Coordinator") as printed
    under a signature line. A title beside other words ("Kim (Instructor)") is not one."""
    if _OFFICIAL.search(text) or _CERTIFIED_BY.search(text):
        return True
    if _OFFICIAL_ROLE.search(text) is None:
        return False
    rest = _OFFICIAL_ROLE.sub(" ", text)
    return not re.sub(r"\b(training|signature|sign|of|the|and|or|date|" + _ROLE_QUALIFIERS
                      + "|" + _SIGNING_ACTS
                      + r")\b|[^a-z]", "", rest, flags=re.I)


#: Words that say whose official it is: "Session Supervisor", "Lead Instructor".
_ROLE_QUALIFIERS = r"session|class|course|program|lead|head|chief|senior|academy|range|unit"
#: Words for the act a signature performs: "Instructor Attestation", "Supervisor Approval"
#: under a line name the official's signature as "Instructor Signature" does.
_SIGNING_ACTS = (r"attest\w*|certification|approval|verification|authori[sz]ation|"
                 r"acknowledg\w*|endorsement")


def _row_chunks(row: Row) -> list[Row]:
    """The row cut at wide gaps ("Date      Training Coordinator" is two captions)."""
    chunks: list[list[Word]] = []
    for w in row.words:
        if chunks and w.bbox.x0 - chunks[-1][-1].bbox.x1 > 2.0 * row.height:
            chunks.append([w])
        elif chunks:
            chunks[-1].append(w)
        else:
            chunks.append([w])
    return [Row(row.index, tuple(ws)) for ws in chunks]


def _official_area(page: PageText, caption: Row, limit: float, table_bottom: float,
                   rules: PageGraphics | None) -> BBox:
    """Where the official signs: right of an introducing caption, else above the caption."""
    box = _caption_box(caption)
    horizontal = rules.horizontal if rules is not None else ()
    if _INLINE_CAPTION.search(caption.text):
        # "Certified by: ______": the line starts at the caption and the signature sits on it
        line = next((r for r in horizontal if box.top - 2 <= r.pos <= box.bottom + 8
                     and box.x1 - 6 <= r.a <= box.x1 + 30 and r.length >= 40), None)
        x1 = min(limit, line.b if line is not None else box.x1 + OFFICIAL_LINE_PT)
        top = max(table_bottom + 2, box.top - 0.6 * OFFICIAL_SPAN_PT)
        return BBox(box.x1 + 1, min(top, box.top), max(x1, box.x1 + 2), box.bottom + 2)
    # a caption under its line: the line (when drawn or found) says how wide the space is
    line = next((r for r in horizontal if box.top - 14 <= r.pos <= box.top + 1
                 and r.a <= box.x1 and r.b >= box.x0 and r.length >= 60), None)
    if line is not None:
        x0, x1 = min(line.a, box.x0), max(line.b, box.x1)
    else:
        x0, x1 = box.x0, max(box.x1, box.x0 + OFFICIAL_LINE_PT)
    # the caption may touch the table (its rule read into the caption's line): then there is
    # no room above it to look at, which is "not looked at", never an error
    top = min(max(table_bottom + 2, box.top - OFFICIAL_SPAN_PT), box.top + 1)
    return BBox(max(0.0, x0 - 4), top, min(page.width, x1), box.top + 1)


def _caption_box(caption: Row) -> BBox:
    """Where the official's caption is: its well-read words set the top.

    A signature that runs down into the caption is read together with the caption's first
    words as one tall, unreadable "word"; its top is the signature's, and the space looked
    at above it would miss the signature. The whole row still sets the width.
    """
    row = caption.bbox
    sure = [w.bbox.top for w in caption.words if (w.confidence or 0) >= 0.5]
    top = min(sure) if sure else row.top
    return BBox(row.x0, top, row.x1, max(row.bottom, top + 1))


def settle_official(records: list[ExtractedRecord], official: ExtractedField | None,
                    foot: ExtractedField | None = None) -> None:
    """Write the sheet's ``official_signed`` on each of its attendee rows (in place).

    Args:
        records: the records of every page of one sheet.
        official: the official's signature found on any of its pages, ``None`` if none was.
        foot: when none was, the undecided line under the table that may be the official's
            (its place shown to the reviewer, whose decision teaches the form).
    """
    official = official or foot
    if official is None:
        page = records[-1].page_number if records else 0
        official = ExtractedField("official_signed", None, "no training official's signature "
                                  "line found under the table", None, None, page,
                                  FieldSource.DERIVED)
    for rec in records:
        if rec.kind == DocumentKind.SIGN_IN_SHEET and rec.row_index is not None:
            rec.fields["official_signed"] = official


# --- one row -----------------------------------------------------------------------------


def read_row(page: PageText, grid: TableGrid, band: Band, header: SheetHeader | None,
             image: Image.Image | None, graphics: PageGraphics | None,
             marks: tuple[BBox, ...], by_hand: bool = False,
             officers: tuple[tuple[str, str], ...] = ()) -> ExtractedRecord | None:
    """One attendee row, or ``None`` when the row is empty (no name, badge or signature).

    On a scan with ``by_hand``, a handwritten or unreadable name or badge cell is read again
    by the second recognizer and the readings are chosen between with the roster
    (``officers``) and the columns' types (:func:`extractors.handwriting.read_row_by_hand`).
    """
    name_cols = _name_columns(grid)
    name_col = _spanning(name_cols)
    badge_col, sig_col = grid.column("badge"), grid.column("signature")
    in_band = [w for w in page.words if band.top <= w.bbox.center_y < band.bottom]
    name_cells = [_cell_words(in_band, c) for c in name_cols]
    as_read = None
    badge_words = _cell_words(in_band, badge_col)
    if image is not None and graphics is None and page.dpi:
        name_cells = [reread_cell(image, page.dpi, _cell_box(band, c), ws)
                      for c, ws in zip(name_cols, name_cells, strict=True)]
        badge_words = reread_cell(image, page.dpi, _cell_box(band, badge_col), badge_words)
        if by_hand:
            # the second recognizer reads one box: never one over a time column between
            # a name's parts, whose figures it would take into the name
            hand_box = _cell_box(band, name_col) if _side_by_side(grid, name_cols) else None
            second = hand.read_row_by_hand(
                image, page.dpi, hand_box, _joined_name(name_cols, name_cells),
                _cell_box(band, badge_col), badge_words, officers, badge_value, cell_name)
            name_cells, badge_words = [second.name_words], second.badge_words
            as_read = second.name_as_read
            name_cols = [name_col] if name_col is not None else []
            if second.notes:
                log.debug("page %d band %d: %s", page.page_number, band.slot,
                          "; ".join(second.notes))
    name_words = _joined_name(name_cols, name_cells)
    signature = _signature(page, band, sig_col, in_band, image, graphics)
    if not name_words and not badge_words and signature.signed is not True:
        return None
    fields: dict[str, ExtractedField] = {}
    if header is not None:
        fields.update(header.fields)
    source = FieldSource.OCR if page.source == FieldSource.OCR else FieldSource.TEXT_LAYER
    name = _name_field(page, name_words, _cell_box(band, name_col), source)
    if name is not None and as_read is not None:
        name = replace(name, raw_text=as_read)  # spelt as the roster's: the reading stays
    badge = _badge_field(page, badge_words, _cell_box(band, badge_col), source)
    if _stacked(name_words) or _stacked(badge_words):
        # Two lines of text in one band: a rule between two rows was not found (a fax's
        # broken line) and the band holds two attendees. Which name goes with which badge
        # is not known, so neither is trusted.
        log.debug("page %d band %d: two text lines in one row", page.page_number, band.slot)
        name, badge = _unsure(name), _unsure(badge)
    if name is not None:
        fields["officer_name"] = name
    if badge is not None:
        fields["badge_number"] = badge
    typed = _cell_words(in_band, sig_col) if graphics is not None else []
    if signature.signed is False and typed:
        # Born-digital: words typed in the signature cell ("/s/ J. Doe", a name in a script
        # font) are no drawn signature, nor proof of none; a person decides.
        fields["signed"] = ExtractedField(
            "signed", None, "typed in the signature cell, not drawn: "
            + " ".join(w.text for w in typed), None, _cell_box(band, sig_col),
            page.page_number, FieldSource.DERIVED)
    elif signature.signed is not None and sig_col is not None:
        fields["signed"] = ExtractedField(
            "signed", signature.signed, f"ink {signature.ink:.4f} spread {signature.spread:.2f}",
            signature.confidence, _cell_box(band, sig_col), page.page_number, FieldSource.DERIVED)
    elif (unsure := _unsure_signature(page, band, grid, in_band, image, graphics)) is not None:
        fields["signed"] = unsure
    return ExtractedRecord(page.page_number, DocumentKind.SIGN_IN_SHEET, fields,
                           row_index=band.slot)


def _unsure_signature(page: PageText, band: Band, grid: TableGrid, in_band: list[Word],
                      image: Image.Image | None,
                      graphics: PageGraphics | None) -> ExtractedField | None:
    """An undecided signature where a short table's only inked open column may hold them.

    Its value stays unread (so the row waits for a person); the cell's box is kept, for the
    reviewer to look at and for a decision to teach where the form's signatures are.
    """
    col = grid.column(UNSURE_SIGNATURE)
    if col is None:
        return None
    ink = _signature(page, band, col, in_band, image, graphics)
    if ink.signed is not True:
        return None
    return ExtractedField(
        "signed", None, f"ink in the column headed {col.heading!r}, too few rows to call it "
        "the signatures", None, _cell_box(band, col), page.page_number, FieldSource.DERIVED)


def _unsure(f: ExtractedField | None) -> ExtractedField | None:
    return None if f is None else replace(f, confidence=min(f.confidence or 1.0, 0.3))


def _stacked(words: list[Word]) -> bool:
    """Whether a cell's words stand on two lines, one wholly above the other."""
    tall = [w for w in words if sum(c.isalnum() for c in w.text) >= 2]
    return any(a.bbox.bottom <= b.bbox.top + 0.1 * min(a.bbox.height, b.bbox.height)
               for a in tall for b in tall)


def _name_columns(grid: TableGrid) -> list[Column]:
    """The first name column and the name columns right after it ("Last Name | First Name",
    also with a rank column between them: "Last | Rank | First").

    A name column further on, past other columns, is another attendee's (a sheet printed
    as two tables side by side), never part of this name.
    """
    cols = list(grid.columns)
    start = next((i for i, c in enumerate(cols) if c.role == "name"), None)
    if start is None:
        return []
    names, k = [cols[start]], start + 1
    while k < len(cols):
        if cols[k].role == "name":
            names.append(cols[k])
        elif not (cols[k].role == "rank" and k + 1 < len(cols) and cols[k + 1].role == "name"):
            break
        k += 1
    return names + _other_part(names, cols[k:])


#: Columns that may stand between a surname's column and the given name's: they hold
#: nothing that names or identifies the attendee ("Last | Time Out | First", "| Unit |").
_BETWEEN_PARTS = frozenset({"time", "rank", "agency", "other"})


def _name_part(col: Column) -> str | None:
    if re.search(r"\blast\b|surname|family", col.heading, re.I):
        return "last"
    if re.search(r"\bfirst\b|given|forename", col.heading, re.I):
        return "first"
    return None


def _other_part(names: list[Column], rest: list[Column]) -> list[Column]:
    """The column of the name's other part, past columns of times, units or ranks.

    A sheet's columns may come in any order; "Last Name" and "First Name" headings say the
    two columns are one name even with a time column, the badge, the signature or both
    between them. Only the part the name still lacks is taken, never past another name column, nor
    past the badge when a name or badge column follows the part, nor past the signature
    when a name column follows it (a second table of attendees side by side).
    """
    parts = {_name_part(c) for c in names}
    if len(names) != 1 or None in parts:
        return []
    crossed: set[str] = set()
    for i, col in enumerate(rest):
        if col.role == "name":
            part = _name_part(col)
            if part is None or part in parts:
                return []
            after = {c.role for c in rest[i + 1:]}
            if "badge" in crossed and after & {"name", "badge"} or crossed and "name" in after:
                return []  # past a badge, a name and a badge again: a second table
            return [col]
        if col.role in ("badge", "signature") and col.role not in crossed:
            # "Last | Badge | First", "Last | Signed | Given Name", "Last | Emp. No. |
            # Signature | First Name": the name's two parts round its badge, its signature
            # or both, each heading saying which part it holds
            crossed.add(col.role)
            continue
        if col.role not in _BETWEEN_PARTS:
            return []
    return []


def _side_by_side(grid: TableGrid, cols: list[Column]) -> bool:
    """Whether no column but a rank's stands between the first and last of ``cols`` (the
    name reader drops a rank read into a name; a time's or unit's words it would keep)."""
    inside = [c for c in grid.columns if cols and cols[0].x0 <= c.x0 <= cols[-1].x0
              and c.role != "rank"]
    return len(inside) == len(cols)


def _spanning(cols: list[Column]) -> Column | None:
    """One column over several (a name printed in "Last Name | First Name" columns)."""
    if not cols:
        return None
    return Column(cols[0].role, cols[0].x0, cols[-1].x1, " | ".join(c.heading for c in cols))


def _joined_name(cols: list[Column], cells: list[list[Word]]) -> list[Word]:
    """The words of a name split over columns, as one name.

    "Last Name | First Name" columns are read as "Last, First", which the name reader
    turns round; other splits are read left to right.
    """
    if len(cols) < 2:
        return cells[0] if cells else []
    last = next((i for i, c in enumerate(cols) if _name_part(c) == "last"), None)
    if last is None or not cells[last] or not any(_name_part(c) == "first" for c in cols):
        return [w for ws in cells for w in ws]
    head = cells[last]
    head = [*head[:-1], replace(head[-1], text=head[-1].text.rstrip(",") + ",")]
    return head + [w for i, ws in enumerate(cells) if i != last for w in ws]


#: Characters OCR makes of a cell's own ruled line when a word touches it ("|BEGAY,").
_RULE_MARKS = "|[]{}¦"


def _cell_words(words: list[Word], col: Column | None) -> list[Word]:
    """The words of one cell, left to right, without bits of the cell's rules stuck to them."""
    if col is None:
        return []
    inside = (_unruled(w) for w in words if col.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < col.x1)
    return sorted((w for w in inside if any(c.isalnum() for c in w.text)),
                  key=lambda w: w.bbox.x0)


def _unruled(word: Word) -> Word:
    text = word.text.strip(_RULE_MARKS)
    return word if text == word.text else replace(word, text=text)


def reread_cell(image: Image.Image, dpi: float, cell: BBox | None,
                words: list[Word]) -> list[Word]:
    """Read a scanned cell again on its own when a word of it was read unsure.

    Tesseract gives a word that touches a ruled line a confidence near zero even when it
    read the letters right (the rule joins the word's first blob); read alone, inside its
    rules, the cell gets a confidence of its own. The reading with the higher confidence
    is kept, so a re-read can only help. Cells read well are not re-read (it costs a
    tesseract run).
    """
    if cell is None or not words or all((w.confidence or 0) >= WEAK_CELL for w in words):
        return words
    mx, my = 2.5, 0.12 * cell.height  # inside the rules, as the signature check looks
    if cell.x1 - cell.x0 <= 2 * mx or cell.bottom - cell.top <= 2 * my:
        return words
    area = BBox(cell.x0 + mx, cell.top + my, cell.x1 - mx, cell.bottom - my)
    read = read_alone(image, dpi, area, pad=6.0, timeout=REREAD_TIMEOUT)
    again = [_unruled(replace(w, line_id=words[0].line_id)) for w in read]
    again = [w for w in again if any(c.isalnum() for c in w.text)]
    if again and (_confidence(again) or 0) > (_confidence(words) or 0):
        return again
    return words


def _cell_box(band: Band, col: Column | None) -> BBox | None:
    return BBox(col.x0, band.top, col.x1, band.bottom) if col is not None else None


def _confidence(words: list[Word]) -> float | None:
    if all(w.confidence is None for w in words):
        return None
    return round(read_confidence([Row(0, tuple(words)).segment()]), 3)


def _name_field(page: PageText, words: list[Word], cell: BBox | None,
                source: FieldSource) -> ExtractedField | None:
    # a row number spilling over from the "No." column is not part of the name
    while words and words[0].text.strip(".)").isdigit():
        words = words[1:]
    if not words:
        return None
    raw = " ".join(w.text for w in words)
    value = cell_name(raw)
    box = BBox.enclosing([w.bbox for w in words])
    conf = _confidence(words)
    if value is None:
        conf = min(conf or 1.0, 0.3)  # letters that do not read as a name: not trusted
    return ExtractedField("officer_name", value, raw, conf, box if cell is None else cell,
                          page.page_number, source)


def _badge_field(page: PageText, words: list[Word], cell: BBox | None,
                 source: FieldSource) -> ExtractedField | None:
    if not words:
        return None
    raw = " ".join(w.text for w in words)
    found = parse_badge(raw.replace(" ", "")) or parse_badge(raw)
    conf = _confidence(words)
    box = BBox.enclosing([w.bbox for w in words])
    return ExtractedField("badge_number", found.value if found else None, raw, conf,
                          box if cell is None else cell, page.page_number, source)


def _signature(page: PageText, band: Band, col: Column | None, in_band: list[Word],
               image: Image.Image | None, graphics: PageGraphics | None) -> InkResult:
    """Ink in the row's signature cell (scans) or a drawn mark in it (born-digital)."""
    if col is None:
        return InkResult(None, None)
    cell = BBox(col.x0, band.top, col.x1, band.bottom)
    if graphics is not None:
        return mark_in_cell(graphics, cell)
    if image is not None and page.dpi:
        # Printed words of neighbouring cells that reach into this one are not ink; words
        # read inside the cell are the signature itself and stay.
        mask = [w.bbox for w in in_band if not col.x0 <= w.bbox.x0 < col.x1]
        return ink_in_cell(image, page.dpi, cell, mask, neighbours=True)
    return InkResult(None, None)


def _problem_record(page: PageText, header: SheetHeader | None,
                    problems: list[str]) -> ExtractedRecord:
    """One record saying what could not be read; it lacks a name and badge, so never credits."""
    fields = dict(header.fields) if header is not None else {}
    fields["sheet_problem"] = ExtractedField("sheet_problem", "; ".join(problems), None, None,
                                             None, page.page_number, FieldSource.DERIVED)
    return ExtractedRecord(page.page_number, DocumentKind.SIGN_IN_SHEET, fields)
