"""Columns typed by what their cells hold, where the heading leaves the role open.

A heading misread by OCR, smudged by a fax, left blank, or worded in a way no lexicon holds
leaves a column without a role, yet its cells say what it is: the column whose attendee rows
hold handwriting ink and no printed words is where they signed. Without it every row's
signature stays undecided and a whole sheet waits for a reviewer.

The heading decides wherever it names a role; the cells decide only a column the heading left
open, only when the table has no signature column, and only when exactly one such column
holds ink in most attendee rows. Two open columns of ink (a handwritten agency and a
signature, say) leave the question to a person.

Too few attendee rows to type a column (one or two) can still point at it: when exactly one
open column holds ink in every attendee row, it is marked an unsure signature column. Its
rows' signatures are then held undecided with the cell shown, so a reviewer decides them
looking at the right place, and a decision teaches the form where its signatures are.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PIL import Image

from extractors.signatures import ink_in_cell, mark_in_cell
from extractors.table import Band, Column, TableGrid
from extractors.types import BBox, PageGraphics, PageText, Word

log = logging.getLogger(__name__)

#: Roles a heading leaves open; the cells may give such a column a role.
_OPEN = "other"
#: The role of the one open column inked in every row of a table too short to type it.
UNSURE_SIGNATURE = "signature?"
#: The fewest attendee rows that can type a column (two could be chance).
MIN_ROWS = 3
#: Share of the attendee rows whose cell must hold ink for the column to be signatures.
MIN_SIGNED_SHARE = 0.6
#: A word tesseract read at least this surely is print (a row number, a typed value): a
#: signature is not read as a word with confidence. Such words are no ink of a signature.
_PRINTED_CONFIDENCE = 0.6
#: Share of attendee rows whose cell may hold printed words in a column of signatures.
_MAX_PRINTED_SHARE = 0.2
#: A column narrower than this (points) is a row number's or a mark's, not a signature's.
MIN_WIDTH_PT = 50.0


def type_open_columns(grid: TableGrid, page: PageText, image: Image.Image | None,
                      graphics: PageGraphics | None) -> TableGrid:
    """``grid`` with its signature column found by its cells when no heading named one."""
    if grid.column("signature") is not None or (image is None and graphics is None):
        return grid
    attendees = [b for b in grid.bands if _has_attendee(page, grid, b)]
    if not attendees:
        return grid
    short = len(attendees) < MIN_ROWS
    share = 1.0 if short else MIN_SIGNED_SHARE
    inked = [c for c in grid.columns if c.role == _OPEN and c.x1 - c.x0 >= MIN_WIDTH_PT
             and _signature_share(c, attendees, page, image, graphics) >= share]
    if short:
        return _mark_unsure(grid, inked, page)
    if len(inked) != 1:
        if len(inked) > 1:
            log.debug("page %d: %d unheaded columns hold ink; none taken for signatures",
                      page.page_number, len(inked))
        return grid
    found = inked[0]
    log.debug("page %d: column %r typed as signatures by its cells", page.page_number,
              found.heading)
    columns = tuple(replace(c, role="signature") if c is found else c for c in grid.columns)
    return replace(grid, columns=columns)


def _mark_unsure(grid: TableGrid, inked: list[Column], page: PageText) -> TableGrid:
    """``grid`` with the one inked open column of a short table marked an unsure signature
    column (never a signature column: two rows could be chance)."""
    if len(inked) != 1:
        return grid
    log.debug("page %d: column %r inked in every row of a short table: unsure signatures",
              page.page_number, inked[0].heading)
    columns = tuple(replace(c, role=UNSURE_SIGNATURE) if c is inked[0] else c
                    for c in grid.columns)
    return replace(grid, columns=columns)


def _has_attendee(page: PageText, grid: TableGrid, band: Band) -> bool:
    """Whether the band holds a printed name or badge (an attendee's row, not a blank one)."""
    cells = [c for c in grid.columns if c.role in ("name", "badge")]
    return any(sum(ch.isalnum() for ch in w.text) >= 2 for c in cells
               for w in _in_cell(page.words, c, band))


def _signature_share(col: Column, bands: list[Band], page: PageText,
                     image: Image.Image | None, graphics: PageGraphics | None) -> float:
    """Share of ``bands`` whose cell in ``col`` holds a signature and no printed word."""
    signed = printed = 0
    for band in bands:
        words = _in_cell(page.words, col, band)
        if any(_printed(w) for w in words):
            printed += 1  # a typed value or a row number: data, not a signature
            continue
        cell = BBox(col.x0, band.top, col.x1, band.bottom)
        if graphics is not None:
            ink = mark_in_cell(graphics, cell)
        else:
            # words of the neighbouring cells reaching in are masked; a signature's own
            # "words" (read unsure) stay ink
            mask = [w.bbox for w in page.words if band.top <= w.bbox.center_y < band.bottom
                    and not col.x0 <= w.bbox.x0 < col.x1]
            ink = ink_in_cell(image, page.dpi, cell, mask, neighbours=True)
        signed += ink.signed is True
    if printed > _MAX_PRINTED_SHARE * len(bands):
        return 0.0
    return signed / len(bands)


def _printed(word: Word) -> bool:
    return any(ch.isalnum() for ch in word.text) and \
        (word.confidence is None or word.confidence >= _PRINTED_CONFIDENCE)


def _in_cell(words: tuple[Word, ...], col: Column, band: Band) -> list[Word]:
    return [w for w in words if band.top <= w.bbox.center_y < band.bottom
            and col.x0 <= (w.bbox.x0 + w.bbox.x1) / 2 < col.x1]
