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
