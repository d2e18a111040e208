"""The tesseract wrapper against the real tesseract (no mocks)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import _tesseract
from extractors._tesseract import (
    detect_orientation,
    ocr_words,
    tesseract_version,
    write_ocr_input,
)
from extractors.errors import OcrFailedError

pytestmark = pytest.mark.ocr

LINES = ["Training Roster for Patrol Division", "Name Badge Signature Date"]
ENGINES = ["api", "cli"] if _tesseract.tesserocr is not None else ["cli"]


@pytest.fixture(params=ENGINES, autouse=True)
def engine(request, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test runs with the warm engine (tesserocr) and with a tesseract process."""
    monkeypatch.setattr(_tesseract, "ENGINE", request.param)
    return request.param


@pytest.fixture(scope="module")
def roster() -> Image.Image:
    """A 300-dpi half-letter page: two header lines and ten roster lines."""
    page = Image.new("L", (2550, 1650), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=42)
    draw.text((300, 150), LINES[0], fill=0, font=font)
    draw.text((300, 300), LINES[1], fill=0, font=font)
    for i in range(10):
        line = f"Officer Jordan Lee {i} badge {5100 + i} present"
        draw.text((300, 450 + i * 100), line, font=font)
    return page


def test_words_have_point_boxes_confidences_and_lines(roster: Image.Image) -> None:
    result = ocr_words(roster, 300, timeout=60)
    assert result.dpi == 300 and (result.width, result.height) == (612, 396)
    first = result.words[0]
    assert first.text == "Training"
    # drawn at pixel (300, 150) at 300 dpi -> about (72, 36) points
    assert first.bbox.x0 == pytest.approx(72, abs=2)
    assert first.bbox.top == pytest.approx(36, abs=6)
    assert all(0.0 <= w.confidence <= 1.0 for w in result.words if w.confidence is not None)
    assert result.mean_confidence is not None and result.mean_confidence > 0.85
    lines = {}
    for w in result.words:
        lines.setdefault(w.line_id, []).append(w.text)
    assert [" ".join(ws) for ws in lines.values()][:2] == LINES
    assert len(lines) == 12
    assert result.seconds > 0 and result.warnings == ()


def test_reads_the_uncompressed_tiff_written_in_the_work_dir(
    roster: Image.Image, tmp_path: Path
) -> None:
    path = write_ocr_input(roster, tmp_path / "p0001_ocr")
    assert path.suffix == ".tif" and Image.open(path).info.get("compression") == "raw"
    for mode in ("1", "RGB", "RGBA", "P"):  # every mode a page may arrive in is written
        assert write_ocr_input(roster.convert(mode), tmp_path / f"p_{mode}").exists()
    from_path = ocr_words(path, 300, timeout=60)
    assert [w.text for w in from_path.words][:4] == ["Training", "Roster", "for", "Patrol"]


def test_blank_page_is_an_empty_result_with_a_warning() -> None:
    result = ocr_words(Image.new("L", (600, 400), 255), 300, timeout=60)
    assert result.words == () and result.mean_confidence is None
    assert result.warnings == ("no text found by ocr",)


def test_timeout_is_an_empty_result_with_a_warning(
    roster: Image.Image, caplog: pytest.LogCaptureFixture
) -> None:
    result = ocr_words(roster, 300, timeout=0.01)
    assert result.words == () and result.timed_out
    assert result.warnings and "timed out" in result.warnings[0]
    assert "[tesseract] timed out" in caplog.text


def test_unknown_language_raises(roster: Image.Image) -> None:
    with pytest.raises(OcrFailedError, match="status|language") as caught:
        ocr_words(roster, 300, timeout=60, lang="xx_not_a_language")
    assert caught.value.code == "ocr_failed"


def test_missing_binary_raises_with_the_cause(
    roster: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pytesseract

    monkeypatch.setattr(_tesseract, "ENGINE", "cli")  # the warm engine runs no binary
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(OcrFailedError, match="not installed") as caught:
        ocr_words(roster, 300, timeout=60)
    assert isinstance(caught.value.__cause__, pytesseract.TesseractNotFoundError)


@pytest.mark.parametrize(("pil_ccw", "expected"), [(90, 90), (180, 180), (270, 270)])
def test_orientation_on_a_half_size_copy(roster: Image.Image, pil_ccw: int, expected: int) -> None:
    """OSD answers how far to turn clockwise; PIL's rotate turns counter-clockwise.

    (At one-third size OSD gets this 10-point roster wrong, confidently.)
    """
    small = roster.reduce(2).rotate(pil_ccw, expand=True)
    assert detect_orientation(small, timeout=60, dpi=150) == expected


def test_orientation_of_a_page_without_text_is_unknown(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="extractors._tesseract")
    assert detect_orientation(Image.new("L", (850, 1100), 255), timeout=60, dpi=100) is None
    assert any("Too few characters" in r.getMessage() for r in caplog.records)


def test_child_processes_use_one_thread() -> None:
    import os

    assert os.environ["OMP_THREAD_LIMIT"] == "1"


def test_version() -> None:
    assert tesseract_version().split(".")[0] in {"4", "5"}


@pytest.mark.skipif(_tesseract.tesserocr is None, reason="tesserocr is not installed")
def test_the_warm_engine_reads_exactly_what_the_command_reads(
    roster: Image.Image, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a page and one line of it WHEN read by the warm engine and by a tesseract
    process THEN the words, boxes, confidences and lines are the same (issue 13)."""
    line = roster.crop((250, 420, 2300, 560)).convert("1")
    reads = {}
    for engine in ("api", "cli"):
        monkeypatch.setattr(_tesseract, "ENGINE", engine)
        page = ocr_words(roster.convert("RGB"), 300, timeout=60)
        alone = ocr_words(line, 300, timeout=60, psm=7)
        reads[engine] = (page.words, page.width, page.height, alone.words)
    assert reads["api"] == reads["cli"]
    assert [w.text for w in reads["api"][3]][:2] == ["Officer", "Jordan"]


@pytest.mark.skipif(_tesseract.tesserocr is None, reason="tesserocr is not installed")
@pytest.mark.parametrize("pil_ccw", [0, 90, 180, 270])
def test_the_warm_orientation_engine_answers_what_the_command_answers(
    roster: Image.Image, pil_ccw: int
) -> None:
    """GIVEN a page turned each way WHEN its orientation is asked of the warm ``osd`` engine
    and of ``tesseract --psm 0`` THEN both give the same turn and confidence (issue 13: the
    command cost ~0.5 s more a run)."""
    small = roster.reduce(2).rotate(pil_ccw, expand=True)
    warm = _tesseract._detect_warm(small, 150)
    command = _tesseract._detect_command(small, 150, timeout=60)
    assert warm == command
    assert warm is not None and warm[0] == pil_ccw


def test_white_type_on_a_dark_band_is_read_by_the_inverted_retry_only() -> None:
    """``invert=False`` switches tesseract's inverted retry off on both engines: the white
    heading reads as junk without it, the dark type below the same either way."""
    fonts = Path("/usr/share/fonts/truetype/dejavu")
    page = Image.new("L", (2550, 1100), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((150, 120, 2400, 300), fill=25)
    draw.text((260, 160), "Harbor Patrol Skills Refresher", fill=255,
              font=ImageFont.truetype(str(fonts / "DejaVuSans-Bold.ttf"), 80))
    draw.text((260, 500), "Issued to the officers named below", fill=0,
              font=ImageFont.truetype(str(fonts / "DejaVuSerif.ttf"), 48))
    retried = [w.text for w in ocr_words(page, 300, timeout=60).words]
    plain = [w.text for w in ocr_words(page, 300, timeout=60, invert=False).words]
    assert retried[:4] == ["Harbor", "Patrol", "Skills", "Refresher"]
    assert not {"Harbor", "Patrol", "Skills", "Refresher"} & set(plain)
    assert retried[-6:] == plain[-6:] == ["Issued", "to", "the", "officers", "named", "below"]
