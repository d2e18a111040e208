"""Sign-in sheets laid out unlike our generator's: other agencies' tables and footers.

Each sheet is drawn here with reportlab (not with ``devtools.samplegen``): zebra shading
instead of rules, no rules at all, footers whose official's caption is a title alone
("Training Coordinator") or introduces its line ("Certified by: ____"), a "Date" line beside
the official's line. The real extractor reads them; one sheet is OCR'd by the real tesseract.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2
import pytest
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors.reading import ReadContext, read_document
from extractors.signatures import mark_in_cell
from extractors.signin import extract_sign_in
from extractors.table import column_role
from extractors.types import BBox, PageGraphics
from tests.sheet_drawing import rule_grid, scribble
from verification.rules import check_signed

ROWS = [("Victor Kowalski", "SO-7804", True), ("Linda Runningwater", "K603", False),
        ("Samuel Holloway", "A289", True), ("Leah Szymanski", "A561", True),
        ("Carlos Vasquez", "9336", True)]


def draw_sheet(path: Path, *, rules: str, footer: str, official_signed: bool = True,
               rows=ROWS, missing_rule: int | None = None, sprawl: bool = False) -> None:
    """A one-page sheet: header lines, a Badge/Name/Signature table, an official's footer.

    Args:
        rules: ``grid`` (every cell ruled), ``zebra`` (shaded header and every other row,
            no lines) or ``none``.
        missing_rule: the index of a horizontal grid rule left out (a fax's broken line).
        sprawl: signatures half again as tall as a row, reaching into the row under them.
        footer: ``under`` ("Date ____   Training Coordinator" captions under their lines,
            one rule under both), or ``inline`` ("Certified by: ____   Date: ____").
    """
    c = Canvas(str(path), pagesize=letter)
    w, h = letter
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(w / 2, h - 50, "Attendance Record")
    c.setFont("Helvetica", 10)
    c.drawString(36, h - 85, "Course Title: De-escalation Techniques")
    c.drawString(320, h - 85, "Course #: 1849")
    c.drawString(36, h - 101, "Date(s): 03/14/2026")
    c.drawString(320, h - 101, "Total Hours: 8")
    c.drawString(36, h - 117, "Instructor(s): Maria Lopez")
    c.drawString(320, h - 117, "Location/Venue: County Academy")
    xs, row_h, top = [36.0, 126.0, 336.0, 576.0], 22.0, h - 150
    n = len(rows) + 1
    if rules == "zebra":
        c.setFillColor(Color(0.85, 0.85, 0.88))
        for i in range(0, n, 2):  # the header and every other row: no rule of their own
            c.rect(xs[0], top - (i + 1) * row_h, xs[-1] - xs[0], row_h, stroke=0, fill=1)
        c.setFillColor(black)
    elif rules == "grid":
        for i in range(n + 1):
            if i != missing_rule:
                c.line(xs[0], top - i * row_h, xs[-1], top - i * row_h)
        for x in xs:
            c.line(x, top, x, top - n * row_h)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(("Employee ID", "Printed Name", "Signature"), xs, strict=False):
        c.drawString(x + 4, top - row_h + 7, head)
    c.setFont("Helvetica", 10)
    for i, (name, badge, signed) in enumerate(rows):
        base = top - (i + 2) * row_h + 7
        c.drawString(xs[0] + 4, base, badge)
        c.drawString(xs[1] + 4, base, name)
        if signed and sprawl:
            scribble(c, xs[2] + 8, base - 7 - 0.4 * row_h, 150, 1.5 * row_h, i)
        elif signed:
            scribble(c, xs[2] + 8, base - 4, 120, row_h - 7, i)
    y = top - n * row_h - 50
    c.setLineWidth(0.6)
    if footer == "attested":
        # an attestation sentence one row pitch under the table, then the instructor's line
        c.setFont("Helvetica", 8)
        c.drawString(xs[0], top - (n + 1) * row_h + 7,
                     "The undersigned instructor attests that each person listed above "
                     "was present for the whole session.")
        c.line(40, y + 10, 300, y + 10)
        if official_signed:
            scribble(c, 60, y + 11, 170, 20, 99)
        c.drawString(40, y, "Lead Instructor Signature")
        c.drawString(330, y + 12, "Date: 03/14/2026")
    elif footer == "under":
        c.line(40, y + 10, 540, y + 10)  # one rule under both captions, as a scan's rules join
        if official_signed:
            scribble(c, 310, y + 11, 170, 20, 99)
        c.setFont("Helvetica", 8.5)
        c.drawString(40, y, "Date")
        c.drawString(300, y, "Training Coordinator")
    else:
        c.setFont("Helvetica", 9)
        c.drawString(36, y, "Certified by:")
        c.line(100, y - 2, 300, y - 2)
        if official_signed:
            scribble(c, 110, y, 150, 18, 99)
        c.drawString(330, y, "Date:")
        c.line(360, y - 2, 460, y - 2)
    c.showPage()
    c.save()


def _read(path: Path, tmp_path: Path):
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    return [extract_sign_in(page.text, image=page.image, graphics=page.graphics)
            for page in read_document(path, ctx)]


def _rows(result) -> list[tuple[str | None, str | None, bool | None]]:
    return [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records]


@pytest.mark.parametrize("rules", ["grid", "zebra", "none"])
@pytest.mark.parametrize("footer", ["under", "inline", "attested"])
def test_born_digital_rows_and_official_whatever_the_rules_and_footer(tmp_path, rules, footer):
    """GIVEN a born-digital sheet ruled as a grid, zebra-shaded (the last row has no edge of
    its own) or not ruled at all, with a "Training Coordinator" or "Certified by:" footer
    WHEN read THEN every attendee row is found with its badge and signature, nothing of the
    footer becomes a row, and the official's signature is found."""
    path = tmp_path / "sheet.pdf"
    draw_sheet(path, rules=rules, footer=footer)
    (result,) = _read(path, tmp_path)
    assert _rows(result) == list(ROWS)
    assert result.official is not None and result.official.value is True


@pytest.mark.parametrize("footer", ["under", "inline", "attested"])
def test_born_digital_blank_official_line_is_not_signed(tmp_path, footer):
    """GIVEN the same sheet whose official's line is blank WHEN read THEN the official's
    signature is read as missing (every row then goes to review), not as unknown."""
    path = tmp_path / "sheet.pdf"
    draw_sheet(path, rules="grid", footer=footer, official_signed=False)
    (result,) = _read(path, tmp_path)
    assert result.official is not None and result.official.value is False
    assert len(result.records) == len(ROWS)


def test_a_name_cell_naming_an_instructor_is_not_the_officials_caption(tmp_path):
    """GIVEN an attendee printed as "Harold Kim (Instructor)" WHEN read THEN the row is
    read like any other (a title beside a name is not the official's caption, which would
    end the table)."""
    rows = [*ROWS[:2], ("Harold Kim (Instructor)", "T232", True), *ROWS[2:]]
    path = tmp_path / "sheet.pdf"
    draw_sheet(path, rules="none", footer="under", rows=rows)
    (result,) = _read(path, tmp_path)
    assert [b for _n, b, _s in _rows(result)] == [b for _n, b, _s in rows]


def test_two_attendees_in_one_band_are_never_trusted(tmp_path):
    """GIVEN a grid whose rule between the 3rd and 4th attendee is missing WHEN read THEN the
    band holding both rows gives a name and badge read as unsure (below the 0.6 that
    verification trusts), so neither attendee can be credited with the other's badge; the
    other rows are read as usual."""
    path = tmp_path / "sheet.pdf"
    draw_sheet(path, rules="grid", footer="under", missing_rule=4)
    (result,) = _read(path, tmp_path)
    merged = [r for r in result.records if r.value("badge_number") not in
              {b for _n, b, _s in ROWS[:2] + ROWS[4:]}]
    assert len(merged) == 1
    for name in ("officer_name", "badge_number"):
        assert merged[0].fields[name].confidence is not None
        assert merged[0].fields[name].confidence < 0.6
    assert {r.value("badge_number") for r in result.records} >= {"SO-7804", "K603", "9336"}


def test_scanned_unruled_sheet_footer_is_not_a_row_and_official_is_found(tmp_path):
    """GIVEN an unruled sheet whose footer joins "Date ____" and "Training Coordinator ____"
    on one line, scanned at 200 dpi WHEN OCR'd THEN the official's signature above its
    caption is found and is not read as an attendee row, and each attendee row keeps its
    signature decision."""
    pdf = tmp_path / "sheet.pdf"
    draw_sheet(pdf, rules="none", footer="under")
    scan = tmp_path / "sheet.png"
    pypdfium2.PdfDocument(str(pdf))[0].render(scale=200 / 72).to_pil().convert("L").save(
        scan, dpi=(200, 200))
    (result,) = _read(scan, tmp_path)
    got = _rows(result)
    assert len(got) == len(ROWS)
    assert [s for _n, _b, s in got] == [s for _n, _b, s in ROWS]
    assert sum(b == want for (_n, b, _s), (_wn, want, _ws) in zip(got, ROWS, strict=True)) >= 4
    assert result.official is not None and result.official.value is True


def _draw_grid_sheet(path: Path, heads: tuple[str, ...], cells: list[tuple[str, ...]],
                     official: str = "Instructor Signature", signed_in: int = -1,
                     official_line: tuple[float, float, float] = (300, 540, 50)) -> None:
    """A ruled sheet with the given column headings; the column ``signed_in`` (the last by
    default) holds each row's signature; the official's caption ``official`` under a signed
    line (``official_line``: its x from and to, and how far under the table)."""
    c = Canvas(str(path), pagesize=letter)
    w, h = letter
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(w / 2, h - 50, "Class Sign-In")
    c.setFont("Helvetica", 10)
    c.drawString(36, h - 85, "Course: De-escalation Techniques    Course #: 1849")
    c.drawString(36, h - 101, "Date: 03/14/2026    Hours: 8    Instructor: Maria Lopez")
    width = (576 - 36) / len(heads)
    xs = [36 + i * width for i in range(len(heads) + 1)]
    row_h, top, n = 22.0, h - 140, len(cells) + 1
    rule_grid(c, xs, top, row_h, n)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(heads, xs, strict=False):
        upper, _, lower = head.rpartition("\n")
        c.drawString(x + 4, top - row_h + (11 if upper else 7), upper or lower)
        if upper:
            c.drawString(x + 4, top - row_h + 2, lower)
    c.setFont("Helvetica", 10)
    for i, row in enumerate(cells):
        base = top - (i + 2) * row_h + 7
        for text, x in zip(row, xs, strict=False):
            c.drawString(x + 4, base, text)
        scribble(c, xs[signed_in % len(heads)] + 8, base - 4, width - 20, row_h - 7, i)
    x0, x1, under = official_line
    y = top - n * row_h - under
    c.line(x0, y + 10, x1, y + 10)
    scribble(c, x0 + 10, y + 11, 170, 20, 99)
    c.setFont("Helvetica", 8.5)
    c.drawString(x0, y, official)
    c.showPage()
    c.save()


def test_a_name_printed_in_last_and_first_name_columns_is_one_name(tmp_path):
    """GIVEN a roster with "Badge # | Last Name | First Name | Signature" columns WHEN read
    THEN each row's name is the whole name, first name first."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Badge #", "Last Name", "First Name", "Signature"),
                     [("SO-7804", "Kowalski", "Victor"), ("K603", "Runningwater", "Linda")])
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        ("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")]


def test_a_name_cell_written_with_a_small_first_letter_is_still_a_name(tmp_path):
    """GIVEN a roster row whose name was entered with a small first letter ('lorna Vickers',
    as a hand or a phone keyboard leaves it) WHEN read THEN the cell is read as the name,
    with capitals, not left unreadable."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Name", "Badge #", "Signature"),
                     [("lorna Vickers", "SO-7804"), ("Linda Runningwater", "K603")])
    (result,) = _read(path, tmp_path)
    assert [r.value("officer_name") for r in result.records] == [
        "Lorna Vickers", "Linda Runningwater"]


@pytest.mark.parametrize("heading", ["Attendee", "Officer", "Participant", "Member", "Deputy"])
def test_a_name_column_headed_by_who_signs(tmp_path, heading):
    """GIVEN a sheet whose name column is headed by who signs ("Attendee", "Member") WHEN
    read THEN it is the table (not a page without one) and each row's name is read."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, (heading, "ID", "Signature"),
                     [("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")])
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records] == [("Victor Kowalski", "SO-7804", True),
                                         ("Linda Runningwater", "K603", True)]
    assert result.official is not None and result.official.value is True


def test_scanned_header_value_read_unsure_is_confirmed_by_a_second_reading(tmp_path):
    """GIVEN a scanned sheet whose header date tesseract scored low (here: lowered by hand)
    WHEN the page is read THEN the date's box is read again on its own, and the same date
    read surely confirms it (a second reading never changes the value)."""
    pdf = tmp_path / "sheet.pdf"
    draw_sheet(pdf, rules="grid", footer="under")
    scan = tmp_path / "sheet.png"
    pypdfium2.PdfDocument(str(pdf))[0].render(scale=300 / 72).to_pil().convert("L").save(
        scan, dpi=(300, 300))
    ctx = ReadContext(work_dir=tmp_path / "work", keep_page_images=False)
    (page,) = list(read_document(scan, ctx))
    words = tuple(replace(w, confidence=0.3) if "03/14/2026" in w.text else w
                  for w in page.text.words)
    assert words != page.text.words
    weak = replace(page.text, words=words)
    result = extract_sign_in(weak, image=page.image)
    date = result.header.fields["training_date"]
    assert date.value.isoformat() == "2026-03-14"
    assert date.confidence >= 0.6
    assert all(r.fields["training_date"] is date for r in result.records)


def test_headings_printed_on_two_lines_are_one_header(tmp_path):
    """GIVEN headings on two lines ("Officer / Printed Name", "Badge / Number", "Officer /
    Signature") WHEN read THEN the signature column is found (each row's signature is
    decided, not left unknown) and names and badges are read."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Officer\nPrinted Name", "Badge\nNumber", "Officer\nSignature"),
                     [("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")])
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records] == [("Victor Kowalski", "SO-7804", True),
                                         ("Linda Runningwater", "K603", True)]


def test_born_digital_name_typed_in_the_signature_cell_is_left_to_a_person(tmp_path):
    """GIVEN a born-digital roster whose signature cells hold typed names in an italic face
    (no drawn mark) WHEN read THEN the signature is undecided with the typed words as its
    evidence, and the rule ``not_signed`` does not pass (the row goes to review)."""
    path = tmp_path / "sheet.pdf"
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(306, 742, "Class Sign-In")
    c.setFont("Helvetica", 10)
    c.drawString(36, 707, "Course: De-escalation Techniques    Course #: 1849")
    c.drawString(36, 691, "Date: 03/14/2026    Hours: 8    Instructor: Maria Lopez")
    xs, top = [36, 216, 396, 576], 652
    for i in range(4):
        c.line(36, top - 22 * i, 576, top - 22 * i)
    for x in xs:
        c.line(x, top, x, top - 66)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(("Printed Name", "Badge #", "Signature"), xs, strict=False):
        c.drawString(x + 4, top - 15, head)
    for i, (name, badge) in enumerate([("Victor Kowalski", "SO-7804"),
                                       ("Linda Runningwater", "K603")]):
        base = top - 22 * (i + 2) + 7
        c.setFont("Helvetica", 10)
        c.drawString(40, base, name)
        c.drawString(220, base, badge)
        c.setFont("Times-BoldItalic", 12)
        c.drawString(404, base, f"{name[0]}. {name.split()[-1]}")
    c.showPage()
    c.save()
    (result,) = _read(path, tmp_path)
    assert [r.value("badge_number") for r in result.records] == ["SO-7804", "K603"]
    for rec in result.records:
        assert rec.fields["signed"].value is None
        assert "typed" in rec.fields["signed"].raw_text
        rec.fields["official_signed"] = replace(rec.fields["signed"], name="official_signed",
                                                value=True)
        assert check_signed(rec).passed is False


def test_a_signature_sprawling_into_the_row_under_it_does_not_sign_that_row(tmp_path):
    """GIVEN a born-digital roster whose signatures are taller than a row and reach over
    the rule into the row under them, where an attendee did not sign WHEN read THEN the
    unsigned row stays unsigned (a mark signs the row that holds most of it)."""
    path = tmp_path / "sheet.pdf"
    draw_sheet(path, rules="grid", footer="under", sprawl=True)
    (result,) = _read(path, tmp_path)
    assert _rows(result) == list(ROWS)


def test_initials_and_overflow_marks_on_a_born_digital_page():
    """GIVEN drawn marks around a wide cell WHEN looked at THEN small initials inside it
    sign it, a mark mostly in the row above does not, and a speck does not."""
    cell = BBox(400, 100, 550, 122)
    initials = PageGraphics(marks=(BBox(420, 104, 432, 118),))
    from_above = PageGraphics(marks=(BBox(405, 80, 540, 106),))
    speck = PageGraphics(marks=(BBox(420, 108, 423, 110),))
    assert mark_in_cell(initials, cell).signed is True
    assert mark_in_cell(from_above, cell).signed is False
    assert mark_in_cell(speck, cell).signed is False


def test_two_tables_side_by_side_each_attendee_is_read(tmp_path):
    """GIVEN a landscape sheet printed as two tables side by side ("# | Printed Name |
    Badge # | Signature" twice), the right-hand attendees 5-8 WHEN read THEN every attendee
    of both tables is one record with its own badge and signature, left table first."""
    path = tmp_path / "sheet.pdf"
    c = Canvas(str(path), pagesize=(792, 612))
    c.setFont("Helvetica-Bold", 15)
    c.drawCentredString(396, 570, "Class Sign-In Sheet")
    c.setFont("Helvetica", 10)
    c.drawString(36, 540, "Course: De-escalation Techniques    Course #: 1849    Date: 03/14/2026")
    c.drawString(36, 524, "Hours: 8    Instructor: Maria Lopez    Location: County Academy")
    people = [("Victor Kowalski", "SO-7804", True), ("Linda Runningwater", "K603", False),
              ("Samuel Holloway", "A289", True), ("Leah Szymanski", "A561", True),
              ("Carlos Vasquez", "9336", True), ("Grace Ellsworth", "A307", False),
              ("Luis Nakamura", "68218", True), ("Robert Achebe", "8259", True)]
    widths = [20, 140, 70, 130] * 2
    xs = [36.0]
    for w in widths:
        xs.append(xs[-1] + w)
    top, row_h = 490, 22
    for i in range(6):
        c.line(xs[0], top - i * row_h, xs[-1], top - i * row_h)
    for x in xs:
        c.line(x, top, x, top - 5 * row_h)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(("#", "Printed Name", "Badge #", "Signature") * 2, xs, strict=False):
        c.drawString(x + 4, top - 15, head)
    c.setFont("Helvetica", 10)
    for k, (name, badge, signed) in enumerate(people):
        half, i = divmod(k, 4)
        x, base = xs[4 * half], top - (i + 2) * row_h + 7
        c.drawString(x + 4, base, str(k + 1))
        c.drawString(xs[4 * half + 1] + 4, base, name)
        c.drawString(xs[4 * half + 2] + 4, base, badge)
        if signed:
            scribble(c, xs[4 * half + 3] + 8, base - 4, 100, row_h - 7, k)
    c.line(300, 340, 540, 340)
    scribble(c, 310, 341, 170, 20, 99)
    c.setFont("Helvetica", 8.5)
    c.drawString(300, 330, "Training Coordinator Signature")
    c.showPage()
    c.save()
    (result,) = _read(path, tmp_path)
    assert _rows(result) == people
    assert [r.row_index for r in result.records] == list(range(8))


def test_an_attendee_titled_training_officer_is_a_row_not_the_officials_caption(tmp_path):
    """GIVEN a roster with a "Rank" column where an attendee is a "Training Officer" WHEN
    read THEN that row and the rows after it are attendees (the table does not end at a
    row that carries a badge)."""
    path = tmp_path / "sheet.pdf"
    rows = [("Deputy", "Victor Kowalski", "SO-7804"), ("Training Officer", "Linda Runningwater",
                                                        "K603"),
            ("Sergeant", "Samuel Holloway", "A289")]
    _draw_grid_sheet(path, ("Rank", "Printed Name", "Badge #", "Signature"), rows)
    (result,) = _read(path, tmp_path)
    assert [r.value("badge_number") for r in result.records] == ["SO-7804", "K603", "A289"]
    assert result.official is not None and result.official.value is True


@pytest.mark.parametrize("heads", [("Name (Last, First, MI)", "Badge / ID Number", "Signature"),
                                   ("Name of Officer (Print)", "Badge #",
                                    "Signature of Attendee")])
def test_longer_column_headings_are_a_header(tmp_path, heads):
    """GIVEN headings of four or five words ("Name (Last, First, MI)", "Badge / ID Number")
    WHEN read THEN the table is found and each row read (up to three words were allowed)."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, heads, [("Kowalski, Victor", "SO-7804"), ("Runningwater, Linda",
                                                                      "K603")])
    (result,) = _read(path, tmp_path)
    assert not result.problems
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        ("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")]


def test_narrow_ruled_cells_are_headed_by_the_words_standing_in_them():
    """GIVEN a ruled header whose narrow cells stand closer than a word gap, and OCR that
    reads each rule as part of the heading after it ('|Unit', '|Start') WHEN the columns are
    built THEN each cell takes the heading words inside its rules: the ID column is the badge
    column and the signature is the last cell, not a time column next to the ID."""
    from extractors.layout import Row
    from extractors.table import build_columns
    from extractors.types import Rule, Word

    y0, y1 = 200.0, 212.0
    heads = [("No.", 40), ("|Member", 62), ("name", 102), ("|Unit", 210), ("|ID", 245),
             ("|Start", 270), ("|End", 308), ("{Signed", 334)]
    words = tuple(Word(t, BBox(x, y0, x + 5.2 * len(t), y1), 0.9, 1) for t, x in heads)
    edges = [36, 58, 206, 242, 266, 304, 330, 560]
    vertical = [Rule(x, 190.0, 600.0) for x in edges]
    columns = build_columns(Row(3, words), vertical, 612.0)
    roles = [c.role for c in columns]
    assert roles[1] == "name" and roles[3] == "badge" and roles[-1] == "signature", roles
    assert roles[4] != "signature" and roles[5] != "signature"


def test_a_name_split_round_a_rank_column_with_a_shield_number(tmp_path):
    """GIVEN a roster headed "Surname | Rank | First | Shield | Signature" (a rank between the
    two halves of the name, the officer's number captioned "Shield") and an official's line
    captioned by the act of signing ("Supervisor Approval") WHEN read THEN each row's name
    is the whole name without the rank, its badge the shield number, and the sheet is signed
    by its official."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Surname", "Rank", "First", "Shield", "Signature"),
                     [("Kowalski", "Sgt.", "Victor", "SO-7804"),
                      ("Runningwater", "Det.", "Linda", "K603")], official="Supervisor Approval")
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records] == [("Victor Kowalski", "SO-7804", True),
                                         ("Linda Runningwater", "K603", True)]
    assert result.official is not None and result.official.value is True


@pytest.mark.parametrize("heads,cells", [
    (("Given Name", "Time In", "Family Name", "Shield", "Signature"),
     [("Victor", "0800", "Kowalski", "SO-7804"), ("Linda", "0815", "Runningwater", "K603")]),
    (("Surname", "Assignment", "First", "Shield", "Signature"),
     [("Kowalski", "Patrol", "Victor", "SO-7804"), ("Runningwater", "Records", "Linda", "K603")]),
])
def test_a_name_split_round_a_time_or_unit_column_is_one_name(tmp_path, heads, cells):
    """GIVEN a roster whose name halves stand apart, a time-in or an assignment column between
    "Given Name" and "Family Name" (columns in an agency's own order) WHEN read THEN each
    row's name is the whole name, first name first, without the column between."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, heads, cells)
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        ("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")]


def test_a_first_name_past_the_badge_column_is_not_taken_into_the_name(tmp_path):
    """GIVEN "Surname | Time In | Shield | First | Shield" columns (past the badge, a name
    and a badge again: another attendee's columns, as in two rosters side by side) WHEN
    read THEN the first name past the badge is not joined to the surname. (With no badge
    after it, "Surname | Shield | Given", it is: test_a_badge_column_between_the_surname_
    and_the_given_name.)"""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Surname", "Time In", "Shield", "First", "Shield", "Signature"),
                     [("Kowalski", "0800", "SO-7804", "Victor", "K603")])
    (result,) = _read(path, tmp_path)
    assert [r.value("officer_name") for r in result.records] != ["Victor Kowalski"]


@pytest.mark.parametrize("heading,role", [
    ("Class Name", "other"), ("Academy Course No.", "other"), ("Instructor Name", "other"),
    ("Officer Name", "name"), ("Surname", "name"), ("Shield", "badge"), ("Star #", "badge"),
    ("Employee ID", "badge")])
def test_a_courses_caption_is_no_attendees_column(heading, role):
    """GIVEN a heading WHEN typed THEN a caption of the course's facts holding "name" or
    "no." ("Class Name", "Academy Course No.") names no attendee's column, so a row of such
    captions under a sheet's header lines is never taken for the table's header; an
    attendee's name or number heading keeps its role."""
    assert column_role(heading) == role


@pytest.mark.parametrize("caption", ["Approved - Range Staff", "Session closed by",
                                     "Reviewed by:", "Class Supervisor"])
def test_an_officials_sign_off_caption_in_other_words_is_found(tmp_path, caption):
    """GIVEN a sheet whose official's line is captioned by a sign-off in words of its own (an
    approval with a dash, a short '... by' caption) WHEN read THEN the official's line is
    found and looked at: signed."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Officer Name", "ID", "Signature"),
                     [("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")],
                     official=caption)
    (result,) = _read(path, tmp_path)
    assert result.official is not None and result.official.value is True, result.official
    assert result.official.raw_text == caption


def test_a_badge_column_between_the_surname_and_the_given_name(tmp_path):
    """GIVEN a roster with "Surname | Shield | Given | Signature" columns WHEN read THEN
    the name's two parts round the badge are one name."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Surname", "Shield", "Given", "Signature"),
                     [("Kowalski", "SO-7804", "Victor"), ("Runningwater", "K603", "Linda")])
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        ("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")]


def test_a_signature_column_between_the_surname_and_the_given_name(tmp_path):
    """GIVEN a roster with "Family Name | Sign Here | Given | Shield" columns (each row signed
    between its name's two parts) WHEN read THEN the two parts are one name, the badge past
    them is the row's, and the signature is still seen."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Family Name", "Sign Here", "Given", "Shield"),
                     [("Kowalski", "", "Victor", "SO-7804"),
                      ("Runningwater", "", "Linda", "K603")], signed_in=1)
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records] == [("Victor Kowalski", "SO-7804", True),
                                         ("Linda Runningwater", "K603", True)]


def test_the_badge_and_the_signature_between_the_surname_and_the_given_name(tmp_path):
    """GIVEN a roster with "Surname | Grade | Member ID | Signature | Given Name" columns (the
    given name last, past the badge and the signature) WHEN read THEN the two parts are one
    name, with the row's badge and signature (the surname alone read as no name, and every
    row went to review as unreadable)."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Surname", "Grade", "Member ID", "Signature", "Given Name"),
                     [("Kowalski", "Sgt.", "SO-7804", "", "Victor"),
                      ("Runningwater", "Det.", "K603", "", "Linda")], signed_in=3)
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number"), r.value("signed"))
            for r in result.records] == [("Victor Kowalski", "SO-7804", True),
                                         ("Linda Runningwater", "K603", True)]


@pytest.mark.parametrize("scan", [False, True], ids=["pdf", "scan"])
def test_the_officials_long_line_under_a_closed_grid_is_no_attendee_row(tmp_path, scan):
    """GIVEN a grid drawn whole (its column rules stop at its bottom edge) and, a row's
    height under it, the official's signed line running most of the table's width
    WHEN read (as drawn, and as a 300-dpi scan)
    THEN the band between the grid and that line is no attendee row, and the official's
    signature is looked at and seen."""
    path = tmp_path / "sheet.pdf"
    _draw_grid_sheet(path, ("Officer Name", "ID", "Signature"),
                     [("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")],
                     official="Approved - Range Staff", official_line=(60, 520, 36))
    if scan:
        path = tmp_path / "sheet.png"
        pypdfium2.PdfDocument(str(tmp_path / "sheet.pdf"))[0].render(
            scale=300 / 72).to_pil().convert("L").save(path, dpi=(300, 300))
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        ("Victor Kowalski", "SO-7804"), ("Linda Runningwater", "K603")]
    assert result.official is not None and result.official.value is True, result.official


def test_a_row_of_values_over_its_captions_is_no_two_line_heading(tmp_path):
    """GIVEN a sheet whose head prints each value over its caption, the course's name and
    number right over "Program Name   State Approval #" WHEN read THEN that pair of rows is
    not taken for the table's heading (a name and a number sign): the attendees are read
    from the table under it; and the unlisted number caption is a caption, so the one
    beside it does not read its words as a value."""
    path = tmp_path / "sheet.pdf"
    c = Canvas(str(path), pagesize=letter)
    w, h = letter
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(w / 2, h - 50, "Roll Call")
    for y, pairs in ((h - 90, (("Scene Control Refresher", "Program Name"),
                                ("4410-20031", "State Approval #"))),
                     (h - 125, (("06-11-2024", "Session Held"), ("4", "Credit Hrs")))):
        for x, (value, caption) in zip((40, 320), pairs, strict=True):
            c.setFont("Helvetica", 10)
            c.drawString(x, y, value)
            c.setFont("Helvetica", 7)
            c.drawString(x - 2, y - 11, caption)
    heads, xs, top, row_h = ("Name", "Badge", "Signature"), (36, 260, 400, 576), h - 170, 22.0
    people = [("Odette Farrow", "7731"), ("Silas Wren", "7745"), ("Nadia Holm", "7802")]
    for i in range(len(people) + 2):
        c.line(xs[0], top - i * row_h, xs[-1], top - i * row_h)
    for x in xs:
        c.line(x, top, x, top - (len(people) + 1) * row_h)
    c.setFont("Helvetica-Bold", 9)
    for head, x in zip(heads, xs, strict=False):
        c.drawString(x + 4, top - row_h + 7, head)
    c.setFont("Helvetica", 10)
    for i, (name, badge) in enumerate(people):
        base = top - (i + 2) * row_h + 7
        c.drawString(xs[0] + 4, base, name)
        c.drawString(xs[1] + 4, base, badge)
        scribble(c, xs[2] + 8, base - 4, 150, row_h - 7, i)
    c.showPage()
    c.save()
    (result,) = _read(path, tmp_path)
    assert [(r.value("officer_name"), r.value("badge_number")) for r in result.records] == [
        (n, b) for n, b in people]
    head = {k: f.value for k, f in result.header.fields.items()}
    assert head["post_number"] == "4410-20031"
    assert str(head["training_date"]) == "2024-06-11"
    # the unlisted number caption beside the course's is a caption, never the title
    assert head.get("course_title") != "State Approval"
