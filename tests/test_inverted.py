"""Tesseract's inverted retry only where white type can stand (extractors/inverted.py).

Tesseract reads each line it is unsure of a second time from an inverted copy, for white type
on a dark fill. Pages without such a fill are read without that retry. The pages are drawn
here in a style of their own (a range notice: a banner, a seal, a bold heading, a shaded
table heading, a signature) and read with the real tesseract.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.inverted import holds_white_type
from extractors.preprocess import prepare_scan
from extractors.reading import ReadContext, read_document

pytestmark = pytest.mark.ocr

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
BODY = ("Qualification course: Low Light Pistol", "Range master: Ingrid Solberg",
        "Relay time: 0730 to 1130", "Members attending sign below")
BANNER = "Northgate Range Notice"


def _font(name: str, points: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / name), round(points * DPI / 72))


def _notice(*, banner: bool = False, shaded_heading: bool = False,
            scanner_edge: bool = False) -> Image.Image:
    """A letter page at 300 dpi: a seal, a bold heading (or a white banner), body lines,
    a table heading (or a shaded one with white type) and a signature."""
    page = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(page)
    draw.ellipse((180, 150, 390, 360), fill=30)  # the agency's seal: a dark disc
    if banner:
        draw.rectangle((450, 170, 2380, 340), fill=35)
        draw.text((520, 205), BANNER, font=_font("DejaVuSans-Bold.ttf", 22), fill=255)
    else:
        draw.text((470, 200), BANNER, font=_font("DejaVuSans-Bold.ttf", 26), fill=0)
    draw.rectangle((180, 430, 2380, 446), fill=0)  # a thick rule under the heading
    for i, line in enumerate(BODY):
        draw.text((240, 560 + 110 * i), line, font=_font("DejaVuSerif.ttf", 12), fill=0)
    top = 1100
    if shaded_heading:
        draw.rectangle((200, top, 2350, top + 90), fill=60)
    colour = 255 if shaded_heading else 0
    for x, word in ((240, "Member"), (1000, "Shield"), (1600, "Initials")):
        draw.text((x, top + 18), word, font=_font("DejaVuSans.ttf", 12), fill=colour)
    for k in range(6):
        draw.line((200, top + 90 + 100 * (k + 1), 2350, top + 90 + 100 * (k + 1)), fill=0, width=3)
    signature = [(1650 + 6 * t, 2950 + 45 * math.sin(t / 9) + 20 * math.sin(t / 3))
                 for t in range(100)]
    draw.line(signature, fill=20, width=7)  # a pen signature: a thick wavy stroke
    if scanner_edge:
        draw.rectangle((0, 3180, 2550, 3300), fill=15)  # the lid's shadow along the foot
    return page


def _prepared(page: Image.Image):
    return prepare_scan(page, (DPI, DPI))


def test_a_page_of_dark_type_a_seal_rules_and_a_signature_has_no_fill() -> None:
    prepared = _prepared(_notice())
    assert prepared.stats.dark_fills == 0 and not prepared.reads_inverted


@pytest.mark.parametrize("kind", ["banner", "shaded_heading"])
def test_white_type_on_a_banner_or_a_shaded_heading_stands_on_a_fill(kind: str) -> None:
    prepared = _prepared(_notice(**{kind: True}))
    assert prepared.stats.dark_fills >= 1 and prepared.reads_inverted


def test_a_scanners_dark_edge_keeps_the_retry() -> None:
    """What only looks like a fill keeps tesseract's default: no saving, nothing lost."""
    assert _prepared(_notice(scanner_edge=True)).reads_inverted


def _words(page: Image.Image, tmp_path: Path, name: str) -> list[str]:
    path = tmp_path / f"{name}.png"
    page.save(path, dpi=(DPI, DPI))
    pages = read_document(path, ReadContext(work_dir=tmp_path / f"work-{name}"))
    return [w.text for page in pages for w in page.text.words]


def test_the_reader_reads_white_type_and_the_page_without_a_fill_alike(tmp_path) -> None:
    banner = _words(_notice(banner=True, shaded_heading=True), tmp_path, "banner")
    for word in (*BANNER.split(), "Member", "Shield", "Initials"):
        assert word in banner
    plain = _words(_notice(), tmp_path, "plain")
    for line in BODY:
        assert " ".join(line.split()) in " ".join(plain)
    for line in BODY:
        assert " ".join(line.split()) in " ".join(banner)


def test_a_cell_read_alone_is_measured_on_itself() -> None:
    """Cells, heading bands and a sheet's head are read alone: a pen-written cell, on a
    lightly shaded row too, has no fill; a dark heading cell with white type has one."""
    cell = Image.new("L", (700, 110), 255)
    draw = ImageDraw.Draw(cell)
    draw.line([(40 + 6 * t, 55 + 25 * math.sin(t / 5)) for t in range(100)], fill=30, width=6)
    assert not holds_white_type(cell, DPI)
    shaded = Image.new("L", (700, 110), 215)
    draw = ImageDraw.Draw(shaded)
    draw.text((40, 25), "Okafor, Bea", font=_font("DejaVuSans-Bold.ttf", 12), fill=0)
    assert not holds_white_type(shaded, DPI)
    heading = Image.new("L", (700, 110), 40)
    draw = ImageDraw.Draw(heading)
    draw.text((40, 25), "Shield", font=_font("DejaVuSans-Bold.ttf", 12), fill=255)
    assert holds_white_type(heading, DPI)
