"""Paper grain (extractors/grain.py): a grainy gray scan is read from a smoothed copy.

The page is drawn here in a style of its own (a boxed form, typewriter values, a gray
recycled-paper scan at 200 dpi with a heavy grain, JPEG-compressed) and read with the real
tesseract.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractors._tesseract import ocr_words
from extractors.grain import GRAINY, measure_grain, smooth_grain
from extractors.preprocess import prepare_scan
from extractors.reading import ReadContext, read_document

FONTS = Path("/usr/share/fonts/truetype/dejavu")
VALUES = ("2024-11-06", "Harborview", "Eugene,", "6.5", "OR-CI-2217", "MORENO,")


def _form(width: int, height: int, scale: float) -> Image.Image:
    """A boxed form: a small caption and a typewritten value in each box."""
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    mono = ImageFont.truetype(str(FONTS / "DejaVuSansMono.ttf"), round(30 * scale))
    caption = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), round(16 * scale))
    rows = [("Date of session", "2024-11-06"),
            ("Venue", "Harborview Training Hall, Eugene, OR"),
            ("Hours", "6.5"), ("Lesson code", "OR-CI-2217"), ("Attendee", "MORENO, LUCIA T.")]
    y = round(300 * scale)
    for label, value in rows:
        draw.rectangle((round(120 * scale), y, round(1580 * scale), y + round(110 * scale)),
                       outline=0, width=max(1, round(2 * scale)))
        draw.text((round(130 * scale), y + round(6 * scale)), label.upper(), font=caption, fill=0)
        draw.text((round(140 * scale), y + round(50 * scale)), value, font=mono, fill=0)
        y += round(110 * scale)
    return page


def _grainy_scan(path: Path, sigma: float = 32.0) -> Path:
    """The form on gray paper with a grain of ``sigma`` gray levels, as a 200-dpi JPEG.

    (Since a sparse page's contrast stretch stopped blackening the paper's noise, tesseract
    reads this form as scanned up to a grain of ~27 levels; from 30 to 35 it reads nothing
    of it as scanned and every value smoothed.)"""
    arr = np.asarray(_form(1700, 2200, 1.0)).astype(np.float32)
    arr = 205 - 165 * (1 - arr / 255)  # gray paper, dark gray type
    arr += np.random.default_rng(2).normal(0, sigma, arr.shape)
    image = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(0.6))
    image.save(path, quality=55, dpi=(200, 200))
    return path


def _found(words) -> set[str]:
    return {w.text for w in words} & set(VALUES)


@pytest.fixture(scope="module")
def grainy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _grainy_scan(tmp_path_factory.mktemp("grain") / "grainy.jpg")


def test_a_grainy_scan_is_read_from_a_smoothed_copy(grainy: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        page = next(read_document(grainy, ReadContext(work_dir=Path(work),
                                                      keep_page_images=False)))
    assert any(step.startswith("grain ") and step.endswith("read smoothed")
               for step in page.steps), page.steps
    assert _found(page.text.words) == set(VALUES)


def test_the_smoothing_is_what_reads_the_grainy_page(grainy: Path) -> None:
    """The same prepared page read as scanned loses values tesseract reads once smoothed."""
    with Image.open(grainy) as image:
        prepared = prepare_scan(image, image.info.get("dpi"))
    assert prepared.reads_smoothed and prepared.dpi == 300
    as_scanned = ocr_words(prepared.image, prepared.dpi, timeout=60)
    smoothed = ocr_words(smooth_grain(prepared.image), prepared.dpi, timeout=60)
    assert _found(smoothed.words) == set(VALUES)
    assert len(_found(as_scanned.words)) < len(VALUES)


def test_the_page_kept_for_analysis_is_not_smoothed(grainy: Path) -> None:
    """Rules, marks and signatures are measured on the page as scanned: the median would
    erase their thin strokes."""
    with tempfile.TemporaryDirectory() as work:
        page = next(read_document(grainy, ReadContext(work_dir=Path(work),
                                                      keep_page_images=False)))
    assert measure_grain(page.image) >= GRAINY


def test_a_clean_scan_has_no_grain_to_smooth() -> None:
    clean = _form(2550, 3300, 1.5)
    paper = Image.fromarray((235 - 200 * (1 - np.asarray(clean) / 255.0)).astype(np.uint8))
    assert measure_grain(paper) < GRAINY
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / "clean.png"
        paper.save(path, dpi=(300, 300))
        page = next(read_document(path, ReadContext(work_dir=Path(work),
                                                    keep_page_images=False)))
    assert not any(step.startswith("grain ") for step in page.steps)


def test_a_bilevel_page_is_never_smoothed() -> None:
    """A fax's one-pixel strokes would be erased; its noise is specks, not grain."""
    rng = np.random.default_rng(5)
    ink = np.asarray(_form(2550, 3300, 1.5)) < 128
    ink |= rng.random(ink.shape) < 0.01  # salt-and-pepper noise everywhere
    fax = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8))
    assert measure_grain(fax) == 0.0


def test_a_page_read_at_200_dpi_is_not_smoothed(tmp_path: Path) -> None:
    """At 200 dpi three pixels are as wide as a small letter's stroke."""
    with Image.open(_grainy_scan(tmp_path / "g.jpg")) as image:
        prepared = prepare_scan(image, image.info.get("dpi"), target_dpi=200)
    if prepared.dpi >= 250:
        pytest.skip("the page was brought to 300 dpi")
    assert prepared.grain >= GRAINY and not prepared.reads_smoothed
