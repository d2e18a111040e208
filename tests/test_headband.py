"""A sheet's head garbled by the page's reading is read again on its own.

Tesseract's layout analysis may lose a grid of small boxed fields standing over a large
ruled table: the captions vanish and the values come back as other words, while the band cut
out of the page reads cleanly. The sheet here is drawn in a style of its own (a head of boxed
fields with small captions over the values, a ruled attendance table in a typewriter face),
rendered and read for real; the first reading's head is then garbled as tesseract garbles
such heads, and the sheet's reader must read the band above the table alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors import timing
from extractors._tesseract import ocr_words
from extractors.signin import extract_sign_in
from extractors.types import FieldSource, PageText

HEAD = [("CLASS DATE", "October 3, 2024"), ("CONTACT HOURS", "6.5"),
        ("LEAD INSTRUCTOR", "Oriana Feldspar"),
        ("VENUE", "Lakemont Range House"), ("SUBJECT", "Tactical Communication Lab"),
        ("STATE COURSE NO.", "7716-2041")]
PEOPLE = [("Quill, Ansel", "30417"), ("Varga, Delphine", "30522"), ("Okafor, Ezra", "30689"),
          ("Lindqvist, Mira", "30703"), ("Banerjee, Tomas", "30811")]
TABLE_TOP = 600
COLS = [50, 80, 300, 400, 560]


def _sheet(path: Path) -> Path:
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(200, 750, "Roll of Attendance")
    box_w, box_h, left, top = 170, 40, 50, 720
    for i, (caption, value) in enumerate(HEAD):
        x, y = left + (i % 3) * box_w, top - (i // 3) * box_h
        c.rect(x, y - box_h, box_w, box_h)
        c.setFont("Helvetica", 6.5)
        c.drawString(x + 4, y - 10, caption)
        c.setFont("Helvetica", 10)
        c.drawString(x + 6, y - 30, value)
    pitch, rows = 26, 8
    c.setFont("Helvetica-Bold", 10)
    for x, head in zip(COLS, ("#", "Member Name", "ID Number", "Signature"), strict=False):
        c.drawString(x + 4, TABLE_TOP - 17, head)
    c.setFont("Courier", 11)
    for i, (name, badge) in enumerate(PEOPLE):
        y = TABLE_TOP - (i + 2) * pitch + 9
        c.drawString(COLS[0] + 6, y, str(i + 1))
        c.drawString(COLS[1] + 6, y, name)
        c.drawString(COLS[2] + 6, y, badge)
        c.line(COLS[3] + 10, y, COLS[3] + 90, y + 6)  # a stroke for a signature
        c.line(COLS[3] + 90, y + 6, COLS[3] + 130, y)
    for i in range(rows + 1):
        c.line(COLS[0], TABLE_TOP - i * pitch, COLS[-1], TABLE_TOP - i * pitch)
    for x in COLS:
        c.line(x, TABLE_TOP, x, TABLE_TOP - rows * pitch)
    c.save()
    return path


def _page(tmp_path: Path):
    pdf = _sheet(tmp_path / "sheet.pdf")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil().convert("L")
    first = ocr_words(image, 300, timeout=60)
    return PageText(1, 612.0, 792.0, first.words, FieldSource.OCR, dpi=300.0), image


def _garbled_head(text: PageText) -> PageText:
    """The first reading as tesseract gives it on such pages: the head's small captions
    lost and its values read as other words (the table below read well)."""
    head_bottom = 792 - TABLE_TOP
    words = []
    for w in text.words:
        if w.bbox.bottom > head_bottom or w.bbox.top < 60:  # the table, the title
            words.append(w)
        elif not w.text.isupper():  # values: letters read as other letters
            words.append(replace(w, text="".join("ae"[i % 2] if ch.isalnum() else ch
                                                 for i, ch in enumerate(w.text)),
                                 confidence=0.3))
    return replace(text, words=tuple(words))


@pytest.mark.ocr
def test_a_garbled_head_is_read_again_alone(tmp_path):
    text, image = _page(tmp_path)
    garbled = _garbled_head(text)
    assert not any("6.5" == w.text or "Feldspar" in w.text for w in garbled.words)
    with timing.collecting() as times:
        result = extract_sign_in(garbled, image=image, handwriting=False)
    head = result.header.fields
    assert head["training_date"].value == dt.date(2024, 10, 3)
    assert head["hours"].value == 6.5
    assert head["post_number"].value == "7716-2041"
    assert head["course_title"].value == "Tactical Communication Lab"
    assert head["instructor_name"].value == "Oriana Feldspar"
    assert times.tesseract.get("page") == 1  # the band, once
    rows = {r.value("badge_number"): r for r in result.records}
    assert set(rows) == {b for _, b in PEOPLE}
    assert all(r.value("hours") == 6.5 for r in rows.values())


@pytest.mark.ocr
def test_a_head_read_whole_is_not_read_again(tmp_path):
    text, image = _page(tmp_path)
    with timing.collecting() as times:
        result = extract_sign_in(text, image=image, handwriting=False)
    assert result.header.fields["hours"].value == 6.5
    assert result.header.fields["post_number"].value == "7716-2041"
    assert "page" not in times.tesseract  # no band read again
