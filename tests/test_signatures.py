"""Signature detection in a cell: scanned ink (real pixels) and drawn marks (PDF graphics)."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from extractors.signatures import ink_in_cell, mark_in_cell
from extractors.types import BBox, PageGraphics

DPI = 300
CELL = BBox(100, 100, 250, 122)  # points: 150 x 22, a typical signature cell


def _page_with_rules() -> Image.Image:
    """A white page with the cell's ruled lines drawn 2 px thick."""
    img = Image.new("L", (1200, 600), 255)
    d = ImageDraw.Draw(img)
    k = DPI / 72
    x0, y0, x1, y1 = (round(v * k) for v in (CELL.x0, CELL.top, CELL.x1, CELL.bottom))
    for y in (y0, y1):
        d.line([(x0 - 50, y), (x1 + 50, y)], fill=0, width=3)
    for x in (x0, x1):
        d.line([(x, y0 - 20), (x, y1 + 20)], fill=0, width=3)
    return img


def test_an_empty_ruled_cell_is_unsigned():
    result = ink_in_cell(_page_with_rules(), DPI, CELL)
    assert result.signed is False and result.confidence >= 0.7


def test_a_scribble_is_a_signature():
    img = _page_with_rules()
    d = ImageDraw.Draw(img)
    k = DPI / 72
    pts = [(CELL.x0 * k + 40 + i * 12, CELL.top * k + 40 + (18 if i % 2 else -10))
           for i in range(25)]
    d.line(pts, fill=20, width=3)
    result = ink_in_cell(img, DPI, CELL)
    assert result.signed is True and result.spread > 0.4


def test_speckle_is_not_a_signature():
    img = _page_with_rules()
    rng = random.Random(3)
    k = DPI / 72
    for _ in range(6):
        x = rng.uniform(CELL.x0 + 5, CELL.x1 - 5) * k
        y = rng.uniform(CELL.top + 5, CELL.bottom - 5) * k
        img.putpixel((round(x), round(y)), 0)
    assert ink_in_cell(img, DPI, CELL).signed is False


def test_a_rule_left_slanted_by_deskewing_is_not_ink():
    img = _page_with_rules()
    d = ImageDraw.Draw(img)
    k = DPI / 72
    y = (CELL.top + 4) * k
    d.line([(CELL.x0 * k, y), (CELL.x1 * k, y + 3)], fill=0, width=3)
    assert ink_in_cell(img, DPI, CELL).signed is False


def test_printed_words_reaching_into_the_cell_are_masked():
    img = _page_with_rules()
    d = ImageDraw.Draw(img)
    k = DPI / 72
    word = BBox(CELL.x0 + 2, CELL.top + 6, CELL.x0 + 60, CELL.bottom - 6)
    for i in range(12):  # letters: short strokes side by side
        x = (word.x0 + 1 + i * 4.5) * k
        d.line([(x, word.top * k), (x + 6, word.bottom * k)], fill=0, width=4)
    assert ink_in_cell(img, DPI, CELL).signed is True
    assert ink_in_cell(img, DPI, CELL, mask=[word]).signed is False


def test_a_cell_outside_the_image_cannot_be_judged():
    assert ink_in_cell(_page_with_rules(), DPI, BBox(5000, 5000, 5100, 5020)).signed is None


def test_drawn_mark_in_a_born_digital_cell():
    inside = PageGraphics(marks=(BBox(120, 104, 220, 118),))
    neighbour = PageGraphics(marks=(BBox(120, 80, 220, 99),))  # the row above
    assert mark_in_cell(inside, CELL).signed is True
    assert mark_in_cell(neighbour, CELL).signed is False
    assert mark_in_cell(PageGraphics(), CELL).signed is False


def _stroke(img: Image.Image, top: float, bottom: float) -> None:
    """A zig-zag signature across the cell's width between ``top`` and ``bottom`` (points)."""
    d = ImageDraw.Draw(img)
    k = DPI / 72
    pts = [((CELL.x0 + 10 + i * 5) * k, (top if i % 2 else bottom) * k) for i in range(25)]
    d.line(pts, fill=20, width=3)


def test_a_signature_sprawling_down_from_the_row_above_does_not_sign_this_row():
    """GIVEN the row above's signature, most of it above the rule, reaching 8 pt down into
    this empty cell WHEN looked at as a table cell THEN this cell is unsigned (looked at
    alone it would be ink)."""
    img = _page_with_rules()
    _stroke(img, CELL.top - 18, CELL.top + 8)
    assert ink_in_cell(img, DPI, CELL).signed is True
    result = ink_in_cell(img, DPI, CELL, neighbours=True)
    assert result.signed is False


def test_a_signature_reaching_out_of_its_own_row_still_signs_it():
    """GIVEN a signature mostly in this cell whose tail crosses the rule below WHEN looked at
    as a table cell THEN the cell is signed, surely."""
    img = _page_with_rules()
    _stroke(img, CELL.top + 4, CELL.bottom + 5)
    result = ink_in_cell(img, DPI, CELL, neighbours=True)
    assert result.signed is True and result.confidence >= 0.6


def test_a_signature_split_evenly_between_two_rows_is_unsure():
    """GIVEN a stroke split about evenly by the rule under the cell WHEN looked at THEN a
    signature found is unsure (below verification's 0.6), never a sure credit."""
    img = _page_with_rules()
    _stroke(img, CELL.top + 8, CELL.bottom + 12)
    result = ink_in_cell(img, DPI, CELL, neighbours=True)
    assert result.signed is not True or result.confidence < 0.6


def test_a_piece_of_a_broken_rule_on_the_boundary_leaves_a_signature_sure():
    """GIVEN a fax that kept of a rule only a short ragged dash lying on the boundary (half
    in this row, half in the next; too short and ragged for the straight-line pass), and a
    signature in this cell reaching down to the boundary WHEN looked at as a table cell THEN
    the cell is signed surely: the flat dash is no stroke split between two rows."""
    img = _page_with_rules()
    d = ImageDraw.Draw(img)
    k = DPI / 72
    y = CELL.bottom * k
    d.rectangle((round(CELL.x0 * k) + 4, y - 3, round(CELL.x1 * k) - 4, y + 3), fill=255)
    # a ragged dash (a fax's noise): no straight run for the line pass to take out
    d.line([(round((CELL.x0 + 133) * k) + 6 * i, y - 3 + (i % 2) * 4) for i in range(11)],
           fill=10, width=3)
    _stroke(img, CELL.top + 4, CELL.bottom + 1)  # its tail reaches the rule
    result = ink_in_cell(img, DPI, CELL, neighbours=True)
    assert result.signed is True and result.confidence >= 0.6


def test_a_streak_across_a_blank_cell_is_not_a_signature():
    """GIVEN a fax's broken streak (dashes 1-2 px tall) running through a blank cell
    WHEN the cell is looked at THEN it is unsigned: a dash never rises like a pen stroke."""
    for dpi in (200, 300):
        k = dpi / 72
        img = Image.new("L", (round(300 * k), round(150 * k)), 255)
        d = ImageDraw.Draw(img)
        y = round((CELL.top + 8) * k)
        x = 0
        while x < img.width:  # dashes of 6-14 px with 3-5 px gaps, the whole page wide
            d.line([(x, y), (x + 6 + x % 9, y)], fill=30, width=2 if dpi == 300 else 1)
            x += 12 + x % 5
        assert ink_in_cell(img, dpi, CELL, neighbours=True).signed is False, dpi


def test_a_flat_signature_over_a_streak_is_still_a_signature():
    """A low, flat signature (a line that wavers a few points) stays a signature."""
    img = _page_with_rules()
    d = ImageDraw.Draw(img)
    k = DPI / 72
    pts = [(CELL.x0 * k + 30 + i * 20, CELL.top * k + 45 + (6 if i % 3 == 0 else 0))
           for i in range(20)]
    d.line(pts, fill=20, width=3)
    assert ink_in_cell(img, DPI, CELL).signed is True


def _slanted_blank_line(seed: int) -> tuple[Image.Image, BBox]:
    """A free area over an official's caption whose blank signature line, thin and 160
    points long, climbs just under a degree with ragged edges (a damaged scan deskewed not
    quite level): no three rows hold a third of it as one run."""
    k = DPI / 72
    area = BBox(100, 100, 260, 140)
    img = Image.new("L", (round(300 * k), round(200 * k)), 255)
    d = ImageDraw.Draw(img)
    rng = random.Random(seed)
    x0, x1 = round(area.x0 * k), round(area.x1 * k)
    y = (area.bottom - 6) * k
    for x in range(x0, x1):
        mid = y - (x - x0) * 0.0165  # just under a degree
        top = round(mid - 1.5 + rng.choice((-1, 0, 0, 1)))
        d.line([(x, top), (x, top + 1 + rng.choice((0, 0, 1)))], fill=rng.randint(0, 60))
    return img, area


def test_a_blank_line_slanting_a_little_is_not_a_signature():
    """GIVEN an official's blank signature line left slanting just under a degree, its
    edges ragged WHEN the space over the caption is looked at THEN it is unsigned: the
    line's long, flat, straight piece is the rule, not a pen stroke (a sheet of a damaged
    scan was verified on its line)."""
    for seed in range(5):
        img, area = _slanted_blank_line(seed)
        assert ink_in_cell(img, DPI, area).signed is False, seed


def test_a_signature_on_a_slanting_line_is_still_a_signature():
    """GIVEN the same slanting line with a signature written across it WHEN looked at
    THEN it is signed."""
    img, area = _slanted_blank_line(1)
    d = ImageDraw.Draw(img)
    k = DPI / 72
    pts = [(area.x0 * k + 40 + i * 14, area.top * k + 60 + (35 if i % 2 else 0))
           for i in range(22)]
    d.line(pts, fill=20, width=3)
    assert ink_in_cell(img, DPI, area).signed is True


def test_a_gray_line_scanned_as_dots_is_not_a_signature():
    """GIVEN a blank signature line printed in mid-gray and scanned to black and white as
    dots (error diffusion), no dot joined to the next WHEN the space over it is looked at
    THEN it is unsigned: the dots together lie flat along one straight line."""
    k = DPI / 72
    area = BBox(100, 100, 260, 140)
    img = Image.new("L", (round(300 * k), round(200 * k)), 255)
    y = round((area.bottom - 6) * k)
    ImageDraw.Draw(img).rectangle([round(area.x0 * k), y, round(area.x1 * k), y + 4], fill=150)
    img = img.convert("1").convert("L")  # Pillow dithers to dots (Floyd-Steinberg)
    assert ink_in_cell(img, DPI, area).signed is False
