"""A close-up phone photo of a ruled sheet: no desk shows, yet the keystone is undone.

The sheet here is drawn for this test (its own wording, columns and fonts), printed to pixels,
then photographed by a perspective transform that pushes the paper's edges out of the frame,
uneven light, blur and a coarse JPEG. The keystone can only be measured from the sheet's own
rules; a flat scan, however rotated, must come through untouched.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from devtools.samplegen.degrade import _perspective_coeffs
from extractors.convergence import LineFamily, binarise, find_page_quad, long_lines
from extractors.perspective import _keystone_degrees, square_up
from extractors.preprocess import prepare_scan

W, H = letter
ROWS = [
    ("Odalys Fenwick", "4471", True),
    ("Bartholomew Achebe", "4486", True),
    ("Signe Halvorsen", "4502", False),
    ("Cormac Delacroix", "4519", True),
    ("Yusra Montgomery", "4533", True),
    ("Leopold Nakashima", "4547", True),
]


def _scribble(c: canvas.Canvas, x: float, y: float, width: float, seed: int) -> None:
    rng = random.Random(seed)
    path = c.beginPath()
    path.moveTo(x, y)
    step = width / 6
    for i in range(6):
        x0 = x + i * step
        path.curveTo(x0 + step * 0.3, y + rng.uniform(5, 11), x0 + step * 0.7,
                     y - rng.uniform(2, 5), x0 + step, y + rng.uniform(-2, 3))
    c.setLineWidth(1.2)
    c.drawPath(path, stroke=1, fill=0)


def _sheet(dpi: int = 200) -> Image.Image:
    """A class register: a banner of class facts, then a ruled grid of attendees."""
    import pypdfium2 as pdfium

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    c.setFont("Courier-Bold", 16)
    c.drawString(54, H - 62, "LAKEMOOR COUNTY SHERIFF ACADEMY")
    c.setFont("Courier", 12)
    c.drawString(54, H - 82, "Class Register / Sign-In")
    c.setFont("Helvetica", 10)
    c.drawString(54, H - 112, "Subject: Night Vehicle Stops")
    c.drawString(340, H - 112, "Session date: 02/14/2025")
    c.line(54, H - 116, 558, H - 116)
    c.drawString(54, H - 134, "Lead trainer: Quentin Abara")
    c.drawString(340, H - 134, "Contact hours: 3")
    c.line(54, H - 138, 558, H - 138)
    cols = [54, 84, 300, 400, 558]
    top, row_h = H - 170, 34
    c.setFont("Helvetica-Bold", 10)
    for x, head in zip(cols, ["No.", "Attendee Name", "Badge", "Signature"], strict=False):
        c.drawString(x + 5, top - 22, head)
    c.setFont("Helvetica", 12)
    for i, (name, badge, signed) in enumerate(ROWS, start=1):
        y = top - row_h * (i + 1) + 12
        c.drawString(cols[0] + 6, y, str(i))
        c.drawString(cols[1] + 6, y, name)
        c.drawString(cols[2] + 6, y, badge)
        if signed:
            _scribble(c, cols[3] + 12, y + 2, 120, seed=i)
    rows = len(ROWS) + 4  # four blank lines at the foot, as printed registers have
    for r in range(rows + 1):
        c.line(cols[0], top - r * row_h, cols[-1], top - r * row_h)
    for x in cols:
        c.line(x, top, x, top - rows * row_h)
    c.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    try:
        return pdf[0].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def _close_up_photo(page: Image.Image) -> Image.Image:
    """The page photographed from so close that its edges are outside the frame, the phone
    tilted (bottom nearer: the bottom is wider than the top), lit from one side, soft and
    compressed hard."""
    w, h = page.size
    corners = [(-0.01 * w, -0.02 * h), (1.0 * w, -0.035 * h),
               (1.07 * w, 1.02 * h), (-0.08 * w, 1.035 * h)]
    coeffs = _perspective_coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    photo = page.transform(page.size, Image.Transform.PERSPECTIVE, coeffs,
                           Image.Resampling.BICUBIC, fillcolor=255)
    gx = np.linspace(0.72, 1.0, w)[None, :]
    gy = np.linspace(1.0, 0.9, h)[:, None]
    lit = np.asarray(photo, dtype=np.float64) * gx * gy
    photo = Image.fromarray(np.clip(lit, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(0.9))
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=40)
    return Image.open(io.BytesIO(out.getvalue())).convert("L")


@pytest.fixture(scope="module")
def sheet() -> Image.Image:
    return _sheet()


def _vertical_leans(image: Image.Image) -> np.ndarray:
    small = image.resize((850, round(image.height * 850 / image.width)), Image.Resampling.BOX)
    return long_lines(binarise(np.asarray(small)), vertical=True)


def test_a_close_up_photo_is_squared_up_from_its_rules(sheet: Image.Image) -> None:
    """GIVEN a sheet photographed so close that no desk shows, its rules converging WHEN
    squared up THEN a keystone is found from the rules, and afterwards the table's vertical
    rules lean alike (a straight fit of lean against position is flat)."""
    photo = _close_up_photo(sheet)
    before = LineFamily(_vertical_leans(photo)).fit(850)
    assert before is not None and abs(before[0]) * 600 > 0.01  # they fan out by > 0.5 deg
    squared, keystone = square_up(photo)
    assert keystone > 1.0
    after = LineFamily(_vertical_leans(squared)).fit(850)
    assert after is not None and abs(after[0]) * 600 < 0.003
    leans = _vertical_leans(squared)[:, 1]
    assert (np.abs(leans) < 0.002).sum() >= 5, leans  # the five column rules stand upright


@pytest.mark.parametrize(("angle", "fill"), [(0.0, 255), (1.7, 255), (-3.2, 255), (2.4, 0)])
def test_a_flat_scan_is_not_warped_however_rotated(sheet: Image.Image, angle: float,
                                                   fill: int) -> None:
    """GIVEN a flatbed scan of the same sheet, level or rotated, filling the image (black
    corners where a scanner turned it) WHEN squared up THEN it is left as it is: parallel
    rules measure no keystone, and the image's own frame is no rule (deskew turns it)."""
    scan = sheet.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    quad = find_page_quad(scan)
    assert quad is not None  # the rules were measured ...
    assert _keystone_degrees(quad) < 0.15  # ... and found parallel
    assert square_up(scan) == (scan, 0.0)
    steps = prepare_scan(scan, (200, 200)).steps
    assert not any(s.startswith("perspective") for s in steps), steps


def test_a_page_without_long_lines_is_left_alone() -> None:
    """GIVEN a page of text only (no rule or underline to measure) WHEN squared up THEN
    nothing is done: no keystone is guessed."""
    page = Image.new("L", (1700, 2200), 255)
    from PIL import ImageDraw

    draw = ImageDraw.Draw(page)
    for i in range(30):
        draw.text((150, 150 + 60 * i), "plain words of a letter " * 4, fill=0)
    assert find_page_quad(page) is None
    assert square_up(page) == (page, 0.0)


@pytest.mark.ocr
def test_a_close_up_photo_of_a_sheet_reads_its_rows(tmp_path: Path, sheet: Image.Image) -> None:
    """GIVEN the close-up, keystoned, unevenly lit JPEG photo of a sign-in sheet WHEN read
    through the whole pipeline (real tesseract) THEN it is a sheet and every row gives its
    attendee's name, badge and whether they signed."""
    from extractors.reading import ReadContext
    from extractors.types import DocumentKind, ReferenceHints
    from ingestion.pipeline import read_and_extract

    path = tmp_path / "IMG_0412.jpg"
    _close_up_photo(sheet).save(path, quality=40, dpi=(200, 200))
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    reading = read_and_extract(path, ctx, ReferenceHints())
    [page] = reading.pages
    assert page.kind == DocumentKind.SIGN_IN_SHEET, page.why
    got = [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
           for r in reading.records]
    assert got == ROWS
