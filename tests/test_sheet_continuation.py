"""A sign-in sheet's last page that holds only the last attendee and the official's signature.

Such a page has too little table to read as a sheet on its own (one person row), so it was
taken for an unknown page: its attendee was lost, and the sheet ended before the official's
signature at its foot, so every row of the first page went to review as "not signed". A page
that says it goes on from the one before ("Page 2 of 2", "(cont.)") right after a sheet page
is that sheet's. The sheet is drawn here in a style of its own (reportlab, a text layer).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors.reading import ReadContext
from extractors.signin import goes_on
from extractors.types import BBox, FieldSource, PageText, ReferenceHints, Word
from ingestion.pipeline import read_and_extract
from tests.sheet_drawing import rule_grid, scribble

HEADS = ("Seq", "Participant", "Payroll ID", "Initials on Entry")
FIRST_PAGE = [("1", "Odalys Ferreira", "PR-5521"), ("2", "Bram Castellanos", "PR-5530"),
              ("3", "Yusuf Adeyemi", "PR-5547"), ("4", "Ines Kowalczyk", "PR-5563")]
LAST_PAGE = [("5", "Thaddeus Mbeki", "PR-5580")]


def _table(c: Canvas, top: float, rows: list[tuple[str, ...]], seed: int) -> float:
    """The ruled table of ``rows`` under the headings; the y of its bottom."""
    xs = [40, 90, 300, 420, 572]
    row_h, n = 24.0, len(rows) + 1
    bottom = rule_grid(c, xs, top, row_h, n)
    c.setFont("Times-Bold", 10)
    for head, x in zip(HEADS, xs, strict=False):
        c.drawString(x + 4, top - row_h + 8, head)
    c.setFont("Times-Roman", 11)
    for i, row in enumerate(rows):
        base = top - (i + 2) * row_h + 8
        for text, x in zip(row, xs, strict=False):
            c.drawString(x + 4, base, text)
        scribble(c, xs[3] + 10, base - 5, 120, 16, seed + i)
    return bottom


def _two_page_sheet(path: Path) -> None:
    c = Canvas(str(path), pagesize=letter)
    w, h = letter
    c.setFont("Times-Bold", 16)
    c.drawString(40, h - 60, "Range Day Attendance")
    c.setFont("Times-Roman", 11)
    c.drawString(40, h - 90, "Program: Verbal De-escalation Refresher    Program No.: 7731")
    c.drawString(40, h - 106, "Date: 05/09/2026    Hours: 4    Instructor: Harlan Voss")
    _table(c, h - 140, FIRST_PAGE, 1)
    c.showPage()
    c.setFont("Times-Roman", 10)
    c.drawString(40, h - 50, "Range Day Attendance (cont.)")
    c.drawRightString(572, h - 50, "Page 2 of 2")
    bottom = _table(c, h - 80, LAST_PAGE, 9)
    c.line(320, bottom - 60, 560, bottom - 60)
    scribble(c, 330, bottom - 58, 170, 20, 99)
    c.setFont("Times-Roman", 9)
    c.drawString(320, bottom - 72, "Instructor Signature")
    c.showPage()
    c.save()


def test_the_last_page_of_one_attendee_and_the_officials_signature_is_the_sheets(tmp_path):
    """GIVEN a two-page sheet whose second page holds one attendee and the official's
    signature, and says it goes on ("(cont.)", "Page 2 of 2")
    WHEN read
    THEN that attendee is read with the first page's class facts, and every row carries the
    official's signature found at the foot of the last page."""
    path = tmp_path / "sheet.pdf"
    _two_page_sheet(path)
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    reading = read_and_extract(path, ctx, ReferenceHints())
    rows = [r for r in reading.records if r.row_index is not None]
    assert [(r.value("officer_name"), r.value("badge_number")) for r in rows] == [
        (name, badge) for _, name, badge in FIRST_PAGE + LAST_PAGE]
    last = rows[-1]
    assert last.page_number == 2
    assert last.value("post_number") == "7731" and last.value("hours") == 4.0
    assert all(r.value("official_signed") is True for r in rows)
    assert all(r.value("signed") is True for r in rows)


def _page(*lines: str) -> PageText:
    words = []
    for i, line in enumerate(lines):
        x = 40.0
        for text in line.split():
            words.append(Word(text, BBox(x, 60 + 20 * i, x + 6 * len(text), 70 + 20 * i),
                              0.9, i))
            x += 6 * len(text) + 5
    return PageText(2, 612, 792, tuple(words), FieldSource.OCR)


def test_what_a_page_that_goes_on_says_of_itself():
    assert goes_on(_page("Attendance (continued)"))
    assert goes_on(_page("Roll Call (cont.)"))
    assert goes_on(_page("Page 3 af 4"))  # "of" as OCR slipped on it
    assert not goes_on(_page("Page 1 of 2"))
    assert not goes_on(_page("Cont. Ed. Hours: 4"))  # continuing education, not a sequel
    assert not goes_on(_page("Contact: Sgt. Reyes"))
