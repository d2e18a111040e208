"""Text in a ruled table that the page's reading missed.

Tesseract's page layout analysis often takes a grid of ruled cells for pictures: whole
columns of a scanned sign-in sheet (the row numbers, the badges, the headings on a shaded
header) come back with no words while the names beside them are read. Structure says the
text is there: a ruled cell holding ink but no word. Such a page is read once more with the
table's rules painted out, and the words inside the table are taken from that reading.

Only a page that looks like a table of people and whose table the first reading could not
make out pays for it: a heading naming a name column, no person table found, a grid of rules,
and at least two inked cells with no word.
"""

from __future__ import annotations

import logging
from dataclasses import replace

import cv2
import numpy as np
from PIL import Image

from extractors._tesseract import OcrResult, ocr_words
from extractors.inverted import holds_white_type
from extractors.layout import Row, build_rows
from extractors.pixels import gray_array
from extractors.table import (
    column_role,
    find_header,
    find_person_table,
    find_rules,
    header_chunks,
)
from extractors.timing import timed
from extractors.types import BBox, PageText, Rule

log = logging.getLogger(__name__)

MIN_PERSON_ROWS = 3
#: Row rules a grid needs before its heading is worth reading alone: a heading and three
#: attendee rows.
_MIN_ROW_RULES = 5
#: A cell counts as inked when this share of its inside (margins left out) is dark.
_INKED = 0.01
_DARK = 150
#: A heading band lower than this (points) holds no line of text; one taller is read only
#: this far down (a grid with no row rules under its heading).
_MIN_BAND_PT = 8.0
_MAX_BAND_PT = 60.0
#: About the widest stroke of a bold heading letter (points).
_STROKE_PT = 1.5


@timed("tables")
def reread_ruled_table(text: PageText, image: Image.Image, timeout: float) -> PageText:
    """``text`` with the words inside its ruled table read again, when the first reading
    left inked cells of a table of people empty; else ``text`` unchanged.

    A grid with no heading made out (a shaded heading band tesseract's layout analysis
    dropped whole, or one a fax garbled) gets its heading band read alone first, so that
    the table can be recognised as one."""
    if text.dpi is None:
        return text
    headless = find_header(build_rows(text)) is None
    if not headless and not _wants_table(text):
        return text
    rules = find_rules(image.convert("L"), text.dpi)
    grid = _grid(list(rules.horizontal), list(rules.vertical))
    if grid is None:
        return text
    if headless:
        if len(grid[1]) < _MIN_ROW_RULES:
            return text  # a few ruled boxes (a form's), no table of attendees
        text = _read_heading_band(text, image, grid, timeout)
        if not _wants_table(text):
            return text
    xs, ys = grid
    missed = _missed_cells(text, image, xs, ys)
    if missed < 2:
        return text
    area = BBox(xs[0], ys[0], xs[-1], ys[-1])
    again = _read_without_rules(image, text.dpi, area, xs, ys, timeout)
    inside = [w for w in again.words if _centre_in(w.bbox, area)]
    before = [w for w in text.words if _centre_in(w.bbox, area)]
    if len(inside) <= len(before):
        return text
    log.debug("page %d: %d inked cells had no words; table read again: %d -> %d words",
              text.page_number, missed, len(before), len(inside))
    base = 1 + max((w.line_id for w in text.words), default=0)
    kept = [w for w in text.words if not _centre_in(w.bbox, area)]
    moved = [replace(w, line_id=base + w.line_id) for w in inside]
    return replace(text, words=tuple(kept + moved))


def _names_a_name_column(rows: list[Row]) -> bool:
    return any(column_role(chunk) == "name" for row in rows for chunk, _a, _b in header_chunks(row))


def _wants_table(text: PageText) -> bool:
    """A heading names a name column, yet no table of people was made out."""
    rows = build_rows(text)
    if not _names_a_name_column(rows):
        return False
    table = find_person_table(rows, text.width)
    return (table is None or table.person_rows < MIN_PERSON_ROWS
            or table.badge_rows < table.person_rows // 2)


def _grid(horizontal: list[Rule], vertical: list[Rule]
          ) -> tuple[list[float], list[float]] | None:
    """The x of the table's column rules and the y of its row rules: vertical rules that
    run together over the same stretch, and the horizontal rules spanning them.

    The stretch is the one most vertical rules share, not the longest rule's: a rule's
    extent may run on into unrelated ink in line with it (a logo above the table, a dark
    page edge below it), and such a rule shares its stretch with no other."""
    if len(vertical) < 3:
        return None
    longest, together = max(((r, _running_with(r, vertical)) for r in vertical),
                            key=lambda pair: (len(pair[1]), pair[0].b - pair[0].a))
    cols = sorted(r.pos for r in together)
    if len(cols) < 3:
        return None
    width = cols[-1] - cols[0]
    rows = sorted(r.pos for r in horizontal if longest.a - 4 <= r.pos <= longest.b + 4
                  and min(r.b, cols[-1]) - max(r.a, cols[0]) >= 0.8 * width)
    return (cols, rows) if len(rows) >= 3 else None


def _running_with(ref: Rule, vertical: list[Rule]) -> list[Rule]:
    """The vertical rules that overlap ``ref`` over most of the longer of the two."""
    return [r for r in vertical
            if min(r.b, ref.b) - max(r.a, ref.a) >= 0.7 * max(r.b - r.a, ref.b - ref.a)]


def _read_heading_band(text: PageText, image: Image.Image,
                       grid: tuple[list[float], list[float]], timeout: float) -> PageText:
    """``text`` with its table's heading as read from the grid's top band alone, when the
    page's reading found no heading there (none at all under a shade, or one garbled by a
    fax); unchanged unless the band's own reading names columns.

    The band runs from the grid's top rule to its next row rule (a shaded heading often
    ends in a change of shade, not a rule, so the band may hold the first row too: only
    the line that reads as a heading is taken, and replaces what the page's reading had in
    its place)."""
    xs, ys = grid
    top, bottom = ys[0], min(ys[1], ys[0] + _MAX_BAND_PT)
    if bottom - top < _MIN_BAND_PT:
        return text
    k = text.dpi / 72.0
    crop = image.convert("L").crop((round(xs[0] * k), round(top * k),
                                    round(xs[-1] * k), round(bottom * k)))
    band = _off_the_shade(crop, text.dpi)
    read = ocr_words(band, text.dpi, timeout=timeout, psm=6, purpose="table heading",
                     invert=holds_white_type(band, text.dpi))
    base = 1 + max((w.line_id for w in text.words), default=0)
    found = [replace(w, bbox=BBox(w.bbox.x0 + xs[0], w.bbox.top + top, w.bbox.x1 + xs[0],
                                  w.bbox.bottom + top), line_id=base + w.line_id)
             for w in read.words if w.text.strip()]
    heading = next((row for row in build_rows(replace(text, words=tuple(found)))
                    if _names_a_name_column([row])), None)
    if heading is None:
        return text  # the band read as no heading (a title, a row, noise): leave it
    span = heading.bbox
    kept = [w for w in text.words
            if not (xs[0] < (w.bbox.x0 + w.bbox.x1) / 2 < xs[-1]
                    and span.top - 1 < w.bbox.center_y < span.bottom + 1)]
    log.debug("page %d: the table's heading read alone: %s", text.page_number, heading.text)
    return replace(text, words=tuple(kept) + tuple(heading.words))


def _off_the_shade(crop: Image.Image, dpi: float) -> Image.Image:
    """``crop`` with its paper and shades made white and its letters kept dark: each pixel
    divided by the lightest level around it (wider than a stroke). Tesseract binarises a
    crop with one threshold, and a mid-gray shade falls on the ink side of it."""
    gray = np.asarray(crop, dtype=np.uint8)
    size = max(3, round(_STROKE_PT * 2 * dpi / 72.0)) | 1
    paper = cv2.dilate(gray, np.ones((size, size), np.uint8))
    out = np.minimum(255.0, gray.astype(np.float32) * 255.0 / np.maximum(paper, 1))
    return Image.fromarray(out.astype(np.uint8))


def _missed_cells(text: PageText, image: Image.Image, xs: list[float], ys: list[float]) -> int:
    """Cells holding ink in their inside but no word's centre (signature cells aside)."""
    k = text.dpi / 72.0
    gray = gray_array(image.convert("L"))
    centres = [((w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.top + w.bbox.bottom) / 2)
               for w in text.words if w.text.strip()]
    # a signature column's cells hold ink and no words by nature
    signed = {i for i, (x0, x1) in enumerate(zip(xs, xs[1:], strict=False))
              if column_role(" ".join(w.text for w in text.words
                                      if x0 < (w.bbox.x0 + w.bbox.x1) / 2 < x1
                                      and ys[0] < (w.bbox.top + w.bbox.bottom) / 2 < ys[1]))
              == "signature"}
    missed = 0
    for y0, y1 in zip(ys, ys[1:], strict=False):
        for i, (x0, x1) in enumerate(zip(xs, xs[1:], strict=False)):
            if i in signed or any(x0 < cx < x1 and y0 < cy < y1 for cx, cy in centres):
                continue
            m = 3.0
            cell = gray[int((y0 + m) * k):int((y1 - m) * k), int((x0 + m) * k):int((x1 - m) * k)]
            if cell.size and float((cell < _DARK).mean()) > _INKED:
                missed += 1
    return missed


def _read_without_rules(image: Image.Image, dpi: float, area: BBox, xs: list[float],
                        ys: list[float], timeout: float) -> OcrResult:
    """The page read again with the table's rules painted out (the table only: a field's
    underline above it keeps the letters that sit on it). Each stretch of a rule between
    two crossing rules takes the paper colour beside it: white painted across a shaded
    header would leave edges that read as letters."""
    gray = gray_array(image.convert("L")).copy()
    k = dpi / 72.0
    half = max(2, round(1.2 * k))  # a rule's half width, with the blur of a scan
    for y in ys:
        r = round(y * k)
        for x0, x1 in zip(xs, xs[1:], strict=False):
            c0, c1 = round(x0 * k), round(x1 * k)
            above = gray[max(0, r - 3 * half):r - half, c0:c1]
            below = gray[r + half + 1:r + 3 * half, c0:c1]
            _paint(gray, slice(r - half, r + half + 1), slice(c0, c1), above, below)
    for x in xs:
        c = round(x * k)
        for y0, y1 in zip(ys, ys[1:], strict=False):
            r0, r1 = round(y0 * k), round(y1 * k)
            left = gray[r0:r1, max(0, c - 3 * half):c - half]
            right = gray[r0:r1, c + half + 1:c + 3 * half]
            _paint(gray, slice(r0 - half, r1 + half + 1), slice(c - half, c + half + 1),
                   left, right)
    table = Image.fromarray(gray)
    return ocr_words(table, dpi, timeout=timeout, purpose="ruled table",
                     invert=holds_white_type(table, dpi))


def _paint(gray: np.ndarray, rows: slice, cols: slice, *beside: np.ndarray) -> None:
    paper = [b for b in beside if b.size]
    if paper:
        gray[rows, cols] = int(np.median(np.concatenate([b.ravel() for b in paper])))


def _centre_in(box: BBox, area: BBox) -> bool:
    cx, cy = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    return area.x0 <= cx <= area.x1 and area.top - 2 <= cy <= area.bottom
