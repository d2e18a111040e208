"""A ruled table whose cells the first reading left empty is read again without its rules.

Tesseract's layout analysis may take a grid of ruled cells for pictures and return no words
for whole columns. The sheet here is drawn in a style of its own (a shaded header, a ruled
grid, a typewriter face in the cells), rendered and OCR'd for real; the first reading is then
stripped of its badge column's words, as tesseract does on such pages, and the mechanism
must find the inked empty cells and read them back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors._tesseract import ocr_words
from extractors.gridread import reread_ruled_table
from extractors.types import FieldSource, PageText

PEOPLE = [("Ingrid Solberg", "40417"), ("Tobias Wren", "40522"), ("Malik Osei", "40689"),
          ("Renata Vukovic", "40703")]
COLS = [50, 80, 300, 400, 560]


def _sheet(path: Path) -> Path:
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(50, 740, "Harbourside Academy - Attendance")
    top, pitch, rows = 700, 26, 8
    c.setFillColor(Color(0.8, 0.8, 0.8))
    c.rect(COLS[0], top - pitch, COLS[-1] - COLS[0], pitch, stroke=0, fill=1)
    c.setFillColor(Color(0, 0, 0))
    c.setFont("Helvetica-Bold", 10)
    for x, head in zip(COLS, ("#", "Member Name", "ID Number", "Signature"), strict=False):
        c.drawString(x + 4, top - 17, head)
    c.setFont("Courier", 11)
    for i, (name, badge) in enumerate(PEOPLE):
        y = top - (i + 2) * pitch + 9
        c.drawString(COLS[0] + 6, y, str(i + 1))
        c.drawString(COLS[1] + 6, y, name)
        c.drawString(COLS[2] + 6, y, badge)
    c.setLineWidth(1)
    for i in range(rows + 1):
        c.line(COLS[0], top - i * pitch, COLS[-1], top - i * pitch)
    for x in COLS:
        c.line(x, top, x, top - rows * pitch)
    c.save()
    return path


@pytest.mark.ocr
def test_inked_cells_left_empty_are_read_again(tmp_path):
    pdf = _sheet(tmp_path / "sheet.pdf")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil().convert("L")
    first = ocr_words(image, 300, timeout=60)
    # the first reading as tesseract gives it on such pages: the ID column came back empty
    missing = [w for w in first.words if not (COLS[2] < (w.bbox.x0 + w.bbox.x1) / 2 < COLS[3])]
    text = PageText(1, 612.0, 792.0, tuple(missing), FieldSource.OCR, dpi=300.0)
    assert not any(w.text in {b for _, b in PEOPLE} for w in text.words)
    again = reread_ruled_table(text, image, timeout=60)
    found = {w.text for w in again.words}
    assert {b for _, b in PEOPLE} <= found
    assert "Solberg" in found and "Harbourside" in found


@pytest.mark.ocr
def test_a_table_read_whole_is_not_read_again(tmp_path):
    pdf = _sheet(tmp_path / "sheet.pdf")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil().convert("L")
    first = ocr_words(image, 300, timeout=60)
    text = PageText(1, 612.0, 792.0, first.words, FieldSource.OCR, dpi=300.0)
    assert reread_ruled_table(text, image, timeout=60) is text
    assert replace(text) == text


def _shaded_sheet(path: Path, logo: bool = False) -> Path:
    """A sheet with a dark shaded heading band (light letters on it would be another
    test): tesseract's layout analysis tends to drop such a band whole."""
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 15)
    c.drawString(120, 745, "Lakeshore Transit Police - Class Register")
    top, pitch, rows = 690, 28, 9
    if logo:  # a badge-shaped block above the table, in line with its first column rule
        c.rect(COLS[1] - 12, 730, 24, 40, stroke=0, fill=1)
        c.rect(COLS[1] - 1, top + 4, 2, 20, stroke=0, fill=1)
    c.setFillColor(Color(0.62, 0.62, 0.62))
    c.rect(COLS[0], top - pitch, COLS[-1] - COLS[0], pitch, stroke=0, fill=1)
    c.setFillColor(Color(0, 0, 0))
    c.setFont("Times-Bold", 11)
    for x, head in zip(COLS, ("No.", "Member Name", "ID Number", "Signature"), strict=False):
        c.drawString(x + 4, top - 18, head)
    c.setFont("Courier", 11)
    for i, (name, badge) in enumerate(PEOPLE):
        y = top - (i + 2) * pitch + 10
        c.drawString(COLS[0] + 6, y, str(i + 1))
        c.drawString(COLS[1] + 6, y, name)
        c.drawString(COLS[2] + 6, y, badge)
    c.setLineWidth(1)
    # the heading's lower edge is the change of shade: no rule under it
    for i in [0] + list(range(2, rows + 1)):
        c.line(COLS[0], top - i * pitch, COLS[-1], top - i * pitch)
    for x in COLS:
        c.line(x, top, x, top - rows * pitch)
    c.save()
    return path


def _heading_words(words, lo: float, hi: float):
    return [w for w in words if lo < w.bbox.center_y < hi]


@pytest.mark.ocr
@pytest.mark.parametrize("damage", ["lost", "garbled"])
def test_a_table_heading_the_reading_lost_is_read_from_its_band(tmp_path, damage):
    from extractors.layout import build_rows
    from extractors.table import find_person_table
    pdf = _shaded_sheet(tmp_path / "sheet.pdf")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil().convert("L")
    first = ocr_words(image, 300, timeout=60)
    band = (792 - 690, 792 - 690 + 28)  # the heading band, from the top, in points
    heading = _heading_words(first.words, *band)
    rest = [w for w in first.words if w not in heading]
    if damage == "garbled":  # as a fax leaves it: every heading word one or two letters off
        rest += [replace(w, text=w.text[:-2] + "xq" if len(w.text) > 3 else "|")
                 for w in heading]
    text = PageText(1, 612.0, 792.0, tuple(rest), FieldSource.OCR, dpi=300.0)
    assert find_person_table(build_rows(text), 612.0) is None
    again = reread_ruled_table(text, image, timeout=60)
    table = find_person_table(build_rows(again), 612.0)
    assert table is not None and table.person_rows == len(PEOPLE)
    read = " ".join(w.text for w in _heading_words(again.words, *band))
    assert "Member Name" in read and "Signature" in read
    assert "xq" not in read
    assert "Solberg" in {w.text for w in again.words}


@pytest.mark.ocr
def test_a_page_with_no_table_heading_in_its_band_is_left_alone(tmp_path):
    """A grid whose top band holds no column headings (a plain ruled box of text) keeps the
    page's reading as it was."""
    path = tmp_path / "box.pdf"
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    for i in range(6):
        c.line(60, 700 - i * 30, 550, 700 - i * 30)
        c.drawString(70, 700 - i * 30 - 20, f"Remark {i + 1}: equipment returned in good order")
    for x in (60, 250, 400, 550):
        c.line(x, 700, x, 550)
    c.save()
    image = pypdfium2.PdfDocument(path)[0].render(scale=300 / 72).to_pil().convert("L")
    first = ocr_words(image, 300, timeout=60)
    text = PageText(1, 612.0, 792.0, first.words, FieldSource.OCR, dpi=300.0)
    assert reread_ruled_table(text, image, timeout=60) is text


def test_a_column_rule_running_on_into_a_logo_still_makes_the_grid(tmp_path):
    """A rule's extent used to run from the logo above the table to the table's foot, and the
    table's own rules no longer ran together with it: the grid was lost."""
    from extractors.gridread import _grid
    from extractors.table import find_rules
    pdf = _shaded_sheet(tmp_path / "sheet.pdf", logo=True)
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72).to_pil().convert("L")
    rules = find_rules(image, 200)
    grid = _grid(list(rules.horizontal), list(rules.vertical))
    assert grid is not None
    xs, ys = grid
    assert [round(x) for x in xs] == pytest.approx(COLS, abs=2)
    assert ys[0] == pytest.approx(792 - 690, abs=2)
    assert ys[-1] == pytest.approx(792 - 690 + 9 * 28, abs=2)
