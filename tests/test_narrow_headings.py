"""A sheet of narrow columns whose headings stand nearly touching ("Clocked Out  Attendee").

Headings were parted only at gaps wider than 1.2 row heights; a narrow time column's heading
ran into the name column's, so the table had no name column, and a clean typed sign-in log
was read as a certificate of its first attendee (its other rows lost). The sheet is drawn
here in a style of its own (reportlab) and read from its text layer and as a 300-dpi scan.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from extractors.layout import build_rows
from extractors.reading import ReadContext
from extractors.table import header_chunks
from extractors.types import BBox, FieldSource, PageText, ReferenceHints, Word
from ingestion.pipeline import read_and_extract
from tests.sheet_drawing import rule_grid, scribble

#: Column edges (points) and headings: the headings of the two time columns nearly fill them.
EDGES = (36, 84, 150, 330, 420, 560, 756)
HEADS = ("Clock In", "Clocked Out", "Attendee", "Unit", "Initials", "Shield No.")
ROWS = [("0800", "1200", "Halvorsen, Ingrid", "Traffic", "7420"),
        ("0805", "1200", "Osei, Kwabena", "Patrol", "7433"),
        ("0810", "1130", "Lindqvist, Maren", "K-9", "7451"),
        ("0800", "1200", "Quintana, Rafael", "Records", "7466")]


def _log(path: Path) -> None:
    c = Canvas(str(path), pagesize=landscape(letter))
    w, h = landscape(letter)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(36, h - 50, "Shift Briefing Training Log")
    c.setFont("Helvetica", 10)
    c.drawString(36, h - 78, "Lesson: Calming Volatile Callers    Lesson No.: 4417-06")
    c.drawString(36, h - 94, "Date: 08/22/2026    Hours: 3    Instructor: Petra Novak")
    top, row_h = h - 130, 22.0
    rule_grid(c, EDGES, top, row_h, len(ROWS) + 1)
    c.setFont("Helvetica-Bold", 9.5)
    for head, x in zip(HEADS, EDGES, strict=False):
        c.drawString(x + 2, top - row_h + 7, head)
    c.setFont("Helvetica", 10)
    for i, row in enumerate(ROWS):
        base = top - (i + 2) * row_h + 7
        for text, x in zip(row[:4], EDGES, strict=False):
            c.drawString(x + 3, base, text)
        c.drawString(EDGES[5] + 3, base, row[4])
        scribble(c, EDGES[4] + 10, base - 4, 100, 12, i)
    c.showPage()
    c.save()


def _scan(pdf: Path, out: Path) -> Path:
    page = pypdfium2.PdfDocument(str(pdf))[0]
    page.render(scale=300 / 72).to_pil().convert("L").save(out, dpi=(300, 300))
    return out


@pytest.mark.parametrize("scanned", [False, True], ids=["text-layer", "scan"])
def test_a_log_of_narrow_columns_is_a_sheet_of_every_attendee(tmp_path, scanned) -> None:
    path = tmp_path / "log.pdf"
    _log(path)
    if scanned:
        path = _scan(path, tmp_path / "log.png")
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    reading = read_and_extract(path, ctx, ReferenceHints())
    assert [p.kind for p in reading.pages] == ["sign_in_sheet"]
    got = [(r.value("officer_name"), r.value("badge_number")) for r in reading.records]
    want = [(" ".join(reversed(name.split(", "))), badge) for _, _, name, _, badge in ROWS]
    assert got == want
    assert all(r.value("signed") is True for r in reading.records)


def _row(*cells: tuple[str, float]) -> PageText:
    words = []
    for text, x in cells:
        for token in text.split():
            words.append(Word(token, BBox(x, 100, x + 5 * len(token), 109), 0.95, 0))
            x += 5 * len(token) + 2.5
    return PageText(1, 792, 612, tuple(words), FieldSource.OCR)


def test_headings_part_at_a_narrower_gap_only_where_that_finds_the_name_column() -> None:
    # "Clocked Out" ends 10 points (1.1 row heights) before "Attendee": two headings
    narrow = build_rows(_row(("Clocked Out", 40.0), ("Attendee", 102.5), ("Unit", 200.0),
                             ("Shield No.", 300.0)))
    assert [t for t, _a, _b in header_chunks(narrow[0])] == ["Clocked Out", "Attendee", "Unit",
                                                             "Shield No."]
    # a caption and its value are no row of headings, however close they stand
    value = build_rows(_row(("Officer", 40.0), ("Cert. No.", 82.5), ("3588", 200.0)))
    assert [t for t, _a, _b in header_chunks(value[0])] == ["Officer Cert. No.", "3588"]
    # with a name heading found at the usual gap, a close pair stays one heading
    usual = build_rows(_row(("Printed Name", 40.0), ("Badge No.", 200.0), ("Time", 260.0),
                            ("In", 287.0)))
    assert [t for t, _a, _b in header_chunks(usual[0])] == ["Printed Name", "Badge No.",
                                                            "Time In"]
