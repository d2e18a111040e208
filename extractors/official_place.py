"""Where a sheet's training official signs when the form captions the line in words of its
own (issue 17).

The general reader knows an official's signature line by its caption
(:func:`extractors.signin.find_official_signature`). A form may caption it in words no list
holds (a proctor's countersignature): the sheet then waits for a person with
``official_signed`` undecided. The reader still shows that person where it would look
(:func:`unknown_official_line`): the one signature line drawn under the table (or the one
of several that holds ink), with the table's end kept beside it, since the block moves with
the number of rows. It never decides that line: whose line it is, a person says.

A reviewer who decides ``official_signed`` on such a sheet teaches its form where the
official signs (:mod:`verification.layouts`): that place and the printed words of the block
round it (its caption, an attestation sentence), measured from the table's end in page
widths. On a later copy of the form (:func:`read_learned_official`) the place is found again
below that copy's table, the block's words must be there, and the ink there is measured as
on any official's line (:func:`extractors.signatures.ink_in_area`). The layout points,
never supplies: only a sure measure decides, signed or blank; an unsure one leaves the
sheet undecided, for review.
"""

from __future__ import annotations

import logging
import math

from PIL import Image

from extractors.layout_evidence import LayoutHint
from extractors.layout_fingerprint import LayoutMatch, similar, token
from extractors.signatures import ink_in_area
from extractors.table import TableGrid
from extractors.types import BBox, ExtractedField, FieldSource, PageGraphics, PageText, Rule

log = logging.getLogger(__name__)

#: How far above its line (points) an official's signature is looked for.
OFFICIAL_SPAN_PT = 36.0
#: The least length (points) of a drawn line that may be a signature line.
MIN_LINE_PT = 60.0
#: How far under its line (points) the line's caption may reach.
CAPTION_PT = 26.0
#: An ink measure at least this sure decides the official's line at a learned place.
SURE = 0.7
#: Share of the block's printed words that must be found where the layout has them, and how
#: far from there (page widths) each may be.
BLOCK_HELD = 0.6
BLOCK_TOLERANCE = 0.025
#: Share of the words printed right under the line (its caption) that must be found: the
#: line moves with its caption, not with a sentence across the page.
CAPTION_HELD = 0.8
#: Said in the field's evidence when the value was measured at a learned place.
LEARNED_NOTE = "at the official's place learned"


def table_end(grid: TableGrid) -> float:
    """The bottom of the table (points): its last row's, else its heading's."""
    return grid.bands[-1].bottom if grid.bands else grid.header.bbox.bottom


def foot_lines(page: PageText, end: float, rules: PageGraphics | None) -> list[tuple[Rule, str]]:
    """Signature lines drawn under the table: horizontal lines at least
    :data:`MIN_LINE_PT` long below its end, each with the words printed under it."""
    out: list[tuple[Rule, str]] = []
    for line in sorted(rules.horizontal if rules is not None else (), key=lambda r: r.pos):
        if line.pos <= end + 6 or line.length < MIN_LINE_PT:
            continue
        if any(abs(line.pos - r.pos) < 3 and line.a < r.b and r.a < line.b for r, _ in out):
            continue  # the same line drawn twice (a box's edges)
        under = sorted((w for w in page.words if line.pos - 2 <= w.bbox.top
                        and w.bbox.center_y <= line.pos + CAPTION_PT
                        and w.bbox.x1 > line.a and w.bbox.x0 < line.b),
                       key=lambda w: (round(w.bbox.top), w.bbox.x0))
        out.append((line, " ".join(w.text for w in under)))
    return out


def line_area(page: PageText, line: Rule, end: float) -> BBox:
    """Where a signature on ``line`` sits: over the line, below the table's end."""
    top = max(end + 2, line.pos - OFFICIAL_SPAN_PT)
    return BBox(max(0.0, line.a - 4), min(top, line.pos), min(page.width, line.b), line.pos + 1)


def unknown_official_line(page: PageText, end: float, image: Image.Image | None,
                          graphics: PageGraphics | None,
                          rules: PageGraphics | None) -> ExtractedField | None:
    """The signature line under the table that may be the official's, left undecided.

    Looked at when no caption under the table reads as an official's: the one line drawn
    there, or of several the one that holds a signature. Its value stays ``None`` (the
    reader does not know whose line it is); its place and the table's end are kept, for
    the reviewer to look at and for a decision to teach the form.
    """
    looked = [(line, caption, area, ink_in_area(page, area, image, graphics))
              for line, caption in foot_lines(page, end, rules)
              for area in [line_area(page, line, end)]]
    inked = [x for x in looked if x[3].signed]
    pick = inked[0] if len(inked) == 1 else looked[0] if len(looked) == 1 else None
    if pick is None:
        return None
    _line, caption, area, ink = pick
    held = "holds a signature" if ink.signed else "is blank" if ink.signed is False \
        else "could not be looked at"
    return ExtractedField(
        "official_signed", None, f"no caption under the table reads as a training "
        f"official's; a line captioned {caption!r} {held}: whose line it is, a person "
        "decides", None, area, page.page_number, FieldSource.DERIVED, table_end=end)


def read_learned_official(page: PageText, end: float, hint: LayoutHint, found: LayoutMatch,
                          image: Image.Image | None,
                          graphics: PageGraphics | None) -> ExtractedField | None:
    """``official_signed`` measured at the place the learned layout ``hint`` has, below this
    page's table; ``None`` when the place does not hold here (its block's printed words
    are not where the layout has them: another page of the sheet, another form).

    A sure measure gives the value (a signature, or a blank line); an unsure one gives an
    undecided field that says where it looked.
    """
    place = hint.official
    if place is None:
        return None
    w, t = page.width or 1.0, found.transform
    x0, top, x1, bottom = place.box
    # the caption under the line stands with it; an attestation may span the page
    caption = [b for b in place.block if x0 <= b[1] <= x1 and bottom - 0.005 <= b[2]
               <= bottom + CAPTION_PT / w]
    held, total = _block_held(page, end, place.block, found)
    held_caption, _ = _block_held(page, end, tuple(caption), found)
    if held < max(1, math.ceil(BLOCK_HELD * total)) or \
            held_caption < math.ceil(CAPTION_HELD * len(caption)):
        log.debug("page %s: the official's block of layout %s is not here (%d of %d words, "
                  "%d of %d of its caption)", page.page_number, hint.layout_id, held, total,
                  held_caption, len(caption))
        return None
    area = BBox(max(0.0, (t.scale * x0 + t.dx) * w), end + t.scale * top * w,
                min(w, (t.scale * x1 + t.dx) * w), end + t.scale * bottom * w)
    if area.bottom > page.height:
        return None
    ink = ink_in_area(page, area, image, graphics)
    sure = ink.signed is not None and (ink.confidence or 0.0) >= SURE
    what = ("a signature" if ink.signed else "a blank line") if sure \
        else "no sure reading of the ink"
    log.debug("page %s: official's place of layout %s: %s %s", page.page_number,
              hint.layout_id, what, ink)
    return ExtractedField(
        "official_signed", ink.signed if sure else None,
        f"{what} {LEARNED_NOTE} ({hint.why}; ink {ink.ink:.4f} spread {ink.spread:.2f})",
        ink.confidence, area, page.page_number, FieldSource.DERIVED, table_end=end)


def _block_held(page: PageText, end: float, block: tuple[tuple[str, float, float], ...],
                found: LayoutMatch) -> tuple[int, int]:
    """How many of the block's printed words are on ``page`` where the layout has them."""
    w, t = page.width or 1.0, found.transform
    words = [(tok, (wd.bbox.x0 + wd.bbox.x1) / 2 / w, (wd.bbox.center_y - end) / w)
             for wd in page.words if (tok := token(wd.text)) is not None]
    held = 0
    for tok, x, dy in block:
        ex, ey = t.scale * x + t.dx, t.scale * dy
        if any(abs(px - ex) <= BLOCK_TOLERANCE and abs(py - ey) <= BLOCK_TOLERANCE
               and similar(tok, ptok) for ptok, px, py in words):
            held += 1
    return held, len(block)
