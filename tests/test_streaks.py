"""A streak drawn across the whole page by a fax line or a dirty scanner lamp is erased before
OCR, and the label it ran through is read again; lines printed on the form stay.

The form is drawn in a style of its own (a serif face, captions before values, underlines),
rendered at a fax's 200 dpi, and a dotted streak is drawn from edge to edge through the upper
half of one caption's letters, the way such streaks cut them.
"""

from __future__ import annotations

import numpy as np
import pypdfium2
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors._tesseract import ocr_words
from extractors.preprocess import prepare_scan
from extractors.streaks import erase_streaks

DPI = 200
CAPTION_Y = 600  # baseline of the caption the streak runs through (points from the bottom)


def _form(tmp_path):
    path = tmp_path / "form.pdf"
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 16)
    c.drawString(90, 720, "Bramble County Sheriff - Training Roll")
    c.setFont("Times-Roman", 12)
    for i, (caption, value) in enumerate((("Instruction Module:", "Verbal Tactics 2"),
                                          ("Lesson Identifier:", "LX-3318"),
                                          ("Session Length:", "6 hours"))):
        y = 660 - i * 30
        c.drawString(90, y, caption)
        c.drawString(230, y, value)
        c.line(225, y - 3, 520, y - 3)
    c.rect(90, 420, 430, 90)  # a printed box: its rules reach no margin
    c.drawString(100, 480, "Remarks")
    c.save()
    page = pypdfium2.PdfDocument(path)[0]
    return np.asarray(page.render(scale=DPI / 72).to_pil().convert("L")).copy()


def _streak(gray: np.ndarray, y_pt: float) -> np.ndarray:
    """A dotted 2-pixel line from edge to edge at ``y_pt`` (points from the top)."""
    out = gray.copy()
    row = round(y_pt * DPI / 72)
    dots = (np.arange(out.shape[1]) % 5) < 3
    out[row:row + 2, dots] = 20
    return out


def _caption_streaked(tmp_path) -> np.ndarray:
    gray = _form(tmp_path)
    # through the middle of the second caption's letters (left there, tesseract read it
    # "Lessor tocnuner" and the value beside it "LA=-SITO")
    return _streak(gray, 792 - (660 - 30) - 5)


def _words(image, dpi) -> str:
    return " ".join(w.text for w in ocr_words(image, dpi, timeout=60).words)


def test_a_streak_from_edge_to_edge_is_found_and_erased(tmp_path):
    from PIL import Image
    clean = _form(tmp_path)
    streaked = _caption_streaked(tmp_path)
    out, found = erase_streaks(Image.fromarray(streaked), DPI, 128)
    assert found == 1
    erased = np.asarray(out)
    # the paper under the streak is paper again, in both margins
    row = round((792 - 630 - 5) * DPI / 72)
    assert erased[row:row + 2, :50].min() > 200 and erased[row:row + 2, -50:].min() > 200
    # a stroke that runs through the streak (ink just above and below it) is kept whole
    through = (clean[row - 1] < 128) & (clean[row + 2] < 128) & (clean[row:row + 2] < 128).all(0)
    assert through.sum() > 20
    assert (erased[row:row + 2, through] < 128).all()


def test_lines_printed_on_the_form_are_no_streak(tmp_path):
    from PIL import Image
    clean = _form(tmp_path)
    out, found = erase_streaks(Image.fromarray(clean), DPI, 128)
    assert found == 0 and out.tobytes() == Image.fromarray(clean).tobytes()


@pytest.mark.ocr
def test_the_caption_under_a_streak_is_read_after_preparation(tmp_path):
    from PIL import Image
    streaked = Image.fromarray(_caption_streaked(tmp_path))
    prepared = prepare_scan(streaked, (DPI, DPI))
    assert any(step.startswith("erase_streaks") for step in prepared.steps)
    text = _words(prepared.image, prepared.dpi)
    assert "Lesson Identifier:" in text and "LX-3318" in text
