"""Dithered pages (extractors/dither.py): a page of light gray text printed or scanned as a
field of dots is read from a smoothed copy; clean and noisy black-and-white scans are not.

The page is drawn here in a style of its own (a colon list under a serif heading, gray toner)
and dithered two ways a bilevel scanner or fax does it: error diffusion and an ordered
(Bayer) matrix. It is read with the real tesseract through :func:`read_document`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors._tesseract import ocr_words
from extractors.dither import CLEARLY_DITHERED, DITHERED, looks_bilevel, measure_dither
from extractors.preprocess import prepare_scan
from extractors.reading import ReadContext, read_document

FONTS = Path("/usr/share/fonts/truetype/dejavu")
DPI = 240
LINES = (("Member", "Okonkwo, Priscilla"), ("Shield", "77-310"),
         ("Lesson", "Calming Tense Encounters"), ("Code", "QX-4471"),
         ("Attended", "March 3, 2024"), ("Credit", "3.5 hours"), ("Led by", "Barrow, Tomasz"))
VALUES = {"Okonkwo,", "Priscilla", "77-310", "QX-4471", "2024", "3.5", "Tomasz"}
#: An ordered dither's threshold matrix (Bayer 4 x 4), in gray levels.
BAYER = (np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]]) + 0.5) * 16


def _page(toner: int) -> Image.Image:
    """The record at ``DPI``, its type printed at gray level ``toner``."""
    s = DPI / 100
    page = Image.new("L", (round(850 * s), round(1100 * s)), 255)
    draw = ImageDraw.Draw(page)
    heading = ImageFont.truetype(str(FONTS / "DejaVuSerif-Bold.ttf"), round(26 * s))
    body = ImageFont.truetype(str(FONTS / "DejaVuSerif.ttf"), round(14 * s))
    draw.text((round(120 * s), round(110 * s)), "Record of Course Attendance", font=heading,
              fill=toner)
    for i, (caption, value) in enumerate(LINES):
        y = round((330 + 48 * i) * s)
        draw.text((round(120 * s), y), caption + ":", font=body, fill=toner)
        draw.text((round(300 * s), y), value, font=body, fill=toner)
    return page


def _error_diffused(page: Image.Image) -> Image.Image:
    return page.convert("1")  # Pillow dithers by Floyd-Steinberg error diffusion


def _ordered(page: Image.Image) -> Image.Image:
    arr = np.asarray(page, dtype=np.float32)
    h, w = arr.shape
    matrix = np.tile(BAYER, (h // 4 + 1, w // 4 + 1))[:h, :w]
    return Image.fromarray(np.where(arr < matrix, 0, 255).astype(np.uint8), "L")


def _noisy_fax() -> Image.Image:
    """The record printed black, on a ruled form of hairlines, with fax line noise."""
    page = _page(0)
    draw = ImageDraw.Draw(page)
    s = DPI / 100
    for i in range(len(LINES) + 1):
        y = round((322 + 48 * i) * s)
        draw.line((round(110 * s), y, round(760 * s), y), fill=0, width=1)
    arr = np.asarray(page).copy()
    rng = np.random.default_rng(7)
    ys, xs = rng.integers(0, arr.shape[0], 4000), rng.integers(0, arr.shape[1], 4000)
    arr[ys, xs] = 0
    return Image.fromarray(arr).point(lambda v: 0 if v < 128 else 255)


def _read(image: Image.Image, tmp: Path):
    path = tmp / "scan.png"
    image.save(path, dpi=(DPI, DPI))
    with tempfile.TemporaryDirectory() as work:
        return next(iter(read_document(path, ReadContext(work_dir=Path(work)))))


def _first_reading(image: Image.Image) -> set[str]:
    """What the page prepared as it came reads (the reading this module adds to)."""
    prepared = prepare_scan(image, (DPI, DPI))
    return {w.text for w in ocr_words(prepared.image, prepared.dpi, timeout=60).words}


@pytest.mark.parametrize("dither", [_error_diffused, _ordered], ids=["diffused", "ordered"])
def test_light_toner_dithered_to_dots_is_read_from_a_smoothed_copy(dither, tmp_path) -> None:
    scan = dither(_page(175))
    assert looks_bilevel(scan)
    assert measure_dither(scan.convert("L")) >= CLEARLY_DITHERED
    assert len(_first_reading(scan) & VALUES) <= 2  # the dots read as noise, or not at all
    page = _read(scan, tmp_path)
    assert any(step.startswith("dither") and "read smoothed" in step for step in page.steps)
    assert len({w.text for w in page.text.words} & VALUES) >= len(VALUES) - 1


def test_a_mid_gray_ordered_dither_read_in_part_but_surely_is_read_smoothed(tmp_path) -> None:
    # Tesseract leaves out what it cannot make out: the first reading is sure and short.
    scan = _ordered(_page(140))
    first = _first_reading(scan)
    assert not first >= VALUES
    page = _read(scan, tmp_path)
    assert any("read smoothed" in step for step in page.steps)
    assert len({w.text for w in page.text.words} & VALUES) >= len(VALUES) - 1


def test_a_clean_black_and_white_scan_is_read_once(tmp_path) -> None:
    scan = _page(0).point(lambda v: 0 if v < 128 else 255)
    assert measure_dither(scan) < DITHERED
    page = _read(scan, tmp_path)
    assert not any(step.startswith("dither") for step in page.steps)
    assert {w.text for w in page.text.words} >= VALUES


def test_a_noisy_fax_of_hairline_rules_is_not_taken_for_a_dither(tmp_path) -> None:
    scan = _noisy_fax()
    assert measure_dither(scan) < DITHERED  # lone specks and hairlines are no dots
    page = _read(scan, tmp_path)
    assert not any(step.startswith("dither") for step in page.steps)
    assert len({w.text for w in page.text.words} & VALUES) >= 5
