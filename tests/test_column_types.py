"""Columns typed by their cells and headings read through OCR slips.

The sheets here are drawn with reportlab in a style of their own (a two-column header block,
a grey heading row, a "Remarks" column): a signature column whose heading is left blank, a
heading row shaded with no rule under it, two unheaded columns of ink. They are scanned at
200 dpi and read by the real tesseract.
"""

from __future__ import annotations

import random
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors.reading import ReadContext, read_document
from extractors.signin import extract_sign_in
from extractors.table import column_role

PEOPLE = [("Okafor, Chidi", "7731", True), ("Brennan, Moira", "7745", True),
          ("Takahashi, Ren", "7802", False), ("Villanueva, Rosa", "7810", True),
          ("Abernathy, Cole", "7826", True)]


def _scrawl(c: Canvas, x: float, y: float, w: float, h: float, seed: int) -> None:
    r = random.Random(seed)
    c.saveState()
    c.setLineWidth(1.3)
    p = c.beginPath()
    p.moveTo(x, y + h * 0.4)
    for k in range(1, 7):
        nx = x + w * k / 6
        p.curveTo(nx - w / 9, y + h * r.random(), nx - w / 14, y + h * r.random(), nx,
                  y + h * r.uniform(0.1, 0.9))
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def _draw(path: Path, heads: tuple[str, ...], widths: tuple[float, ...],
          ink_columns: tuple[int, ...], *, rule_under_heading: bool = True,
          heading_baseline: float = 5.0) -> None:
    """A ruled roll: a shaded heading row, one row per person; ``ink_columns`` get a scrawl
    in the rows of people who signed (and, past the first, in every row).
    ``heading_baseline``: height of the headings' baseline over the shade's lower edge."""
    c = Canvas(str(path), pagesize=letter)
    _w, h = letter
    c.setFont("Times-Bold", 14)
    c.drawString(50, h - 60, "MUNICIPAL PUBLIC SAFETY INSTITUTE - CLASS ROLL")
    c.setFont("Times-Roman", 11)
    c.drawString(50, h - 92, "Course: Verbal De-escalation for Patrol")
    c.drawString(330, h - 92, "Course No.: 2207")
    c.drawString(50, h - 110, "Session Date: 05/19/2026")
    c.drawString(330, h - 110, "Contact Hours: 6")
    c.drawString(50, h - 128, "Lead Instructor: Paul Ferreira")
    xs = [50.0]
    for wdt in widths:
        xs.append(xs[-1] + wdt)
    top, head_h, row_h = h - 160, 18.0, 30.0
    c.setFillColor(Color(0.78, 0.78, 0.78))
    c.rect(xs[0], top - head_h, xs[-1] - xs[0], head_h, stroke=0, fill=1)
    c.setFillColor(black)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(heads, xs, strict=False):
        c.drawString(x + 4, top - head_h + heading_baseline, head)
    bottom = top - head_h - len(PEOPLE) * row_h
    c.setLineWidth(0.8)
    c.line(xs[0], top, xs[-1], top)
    if rule_under_heading:
        c.line(xs[0], top - head_h, xs[-1], top - head_h)
    for i in range(1, len(PEOPLE) + 1):
        c.line(xs[0], top - head_h - i * row_h, xs[-1], top - head_h - i * row_h)
    for x in xs:
        c.line(x, top, x, bottom)
    c.setFont("Helvetica", 11)
    for i, (name, badge, signed) in enumerate(PEOPLE):
        base = top - head_h - (i + 1) * row_h + 10
        c.drawString(xs[0] + 5, base, name)
        c.drawString(xs[1] + 5, base, badge)
        for n, col in enumerate(ink_columns):
            if signed or n > 0:
                _scrawl(c, xs[col] + 10, base - 5, widths[col] - 30, row_h - 10, 10 * i + n)
    c.setFont("Times-Roman", 10)
    c.drawString(50, bottom - 40, "Instructor: ______________________")
    c.showPage()
    c.save()


def _scan(pdf: Path, tmp_path: Path):
    png = tmp_path / "scan.png"
    image = pypdfium2.PdfDocument(str(pdf))[0].render(scale=200 / 72).to_pil().convert("L")
    image.rotate(0.8, fillcolor=255).save(png, dpi=(200, 200))
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    (page,) = list(read_document(png, ctx))
    return extract_sign_in(page.text, image=page.image, handwriting=False)


def test_a_signature_column_without_a_heading_is_found_by_its_ink(tmp_path):
    """GIVEN a scanned roll whose last column has no heading at all, signed by all but one
    WHEN read THEN that column is the signature column (its cells hold ink and no print)
    and each row's signature is decided as drawn."""
    pdf = tmp_path / "roll.pdf"
    _draw(pdf, ("Member Name (Last, First)", "Badge", ""), (200, 90, 220), (2,))
    result = _scan(pdf, tmp_path)
    got = {r.value("badge_number"): r.value("signed") for r in result.records}
    assert got == {badge: signed for _n, badge, signed in PEOPLE}


def test_two_unheaded_columns_of_ink_leave_signatures_undecided(tmp_path):
    """GIVEN a roll with two unheaded columns that both hold handwriting in most rows WHEN
    read THEN neither is taken for the signatures: no row is called signed or unsigned."""
    pdf = tmp_path / "roll.pdf"
    _draw(pdf, ("Member Name (Last, First)", "Badge", "", ""), (180, 80, 125, 125), (2, 3))
    result = _scan(pdf, tmp_path)
    assert len(result.records) == len(PEOPLE)
    assert all(r.value("signed") is None for r in result.records)


def test_first_row_under_a_shaded_heading_row_without_a_rule_is_read(tmp_path):
    """GIVEN a roll whose grey heading row has no rule under it (the shade's edge is the
    only border) and whose headings are printed so low that their brackets reach past that
    edge WHEN scanned and read THEN the first person's row is read like the others."""
    pdf = tmp_path / "roll.pdf"
    _draw(pdf, ("Member Name (Last, First)", "Badge (ID)", "Signature"), (200, 90, 220), (2,),
          rule_under_heading=False, heading_baseline=0.5)
    result = _scan(pdf, tmp_path)
    assert [r.value("badge_number") for r in result.records] == [b for _n, b, _s in PEOPLE]
    assert [r.value("signed") for r in result.records] == [s for _n, _b, s in PEOPLE]


@pytest.mark.parametrize(("heading", "role"), [
    ("Sinature", "signature"), ("Slgnature", "signature"), ("Initails", "signature"),
    ("Pr1nted Name", "name"), ("Bacge", "badge"), ("Officer Ilse Varga Nunn", "other"),
    ("Remarks", "other"), ("Shift", "other"), ("Totals", "other")])
def test_a_heading_with_an_ocr_slip_still_names_its_column(heading, role):
    """GIVEN a column heading read with one wrong or missing letter WHEN typed THEN it names
    the same role; a heading of another word names none."""
    assert column_role(heading) == role
