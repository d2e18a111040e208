"""Checkboxes and fillable fields of born-digital forms, read as text the reader understands.

The forms here are drawn with reportlab in a style of their own: a delivery line whose boxes
are plain rectangles marked by a tick, a cross or a fill, and a fillable form (AcroForm)
whose values exist only in its fields. Each document is read through the real text-layer
reader (pdfium) and the certificate extractor.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from extractors.certificate import extract_certificate
from extractors.marks import EMPTY, MARKED, Checkbox, DrawnPath, boxes_from_paths, place_marks
from extractors.reading import ReadContext, read_document
from extractors.types import BBox, Word

OPTIONS = ("In-Person", "Online", "Scenario-Based", "Blended")


def _form(path: Path, mark: str | None, marked_option: str | None) -> Path:
    """A one-page training record with a delivery line of boxes; ``mark`` is how the
    chosen box is marked (tick, cross, fill) or ``None`` for no mark at all."""
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 15)
    c.drawString(60, 720, "Lakeshore Sheriff Training Unit - Attendance Credit")
    c.setFont("Helvetica", 11)
    y = 680
    for label, value in (("Participant:", "Mireille Dufresne"), ("Employee No.:", "5530"),
                         ("Course:", "Verbal Defusing for Patrol"), ("Course No.:", "3307"),
                         ("Completed on:", "February 11, 2026"), ("Credit hours:", "4")):
        c.drawString(60, y, label)
        c.drawString(170, y, value)
        y -= 22
    c.drawString(60, y - 6, "Delivery:")
    x = 130
    for option in OPTIONS:
        box_y = y - 8
        c.rect(x, box_y, 9, 9, stroke=1, fill=1 if (mark == "fill" and option == marked_option)
               else 0)
        if option == marked_option and mark == "tick":
            p = c.beginPath()
            p.moveTo(x + 1.5, box_y + 4.5)
            p.lineTo(x + 3.8, box_y + 1.5)
            p.lineTo(x + 8, box_y + 8)
            c.drawPath(p, stroke=1, fill=0)
        elif option == marked_option and mark == "cross":
            c.line(x + 1, box_y + 1, x + 8, box_y + 8)
            c.line(x + 1, box_y + 8, x + 8, box_y + 1)
        c.drawString(x + 13, y - 6, option)
        x += 28 + 6 * len(option)
    c.save()
    return path


def _read(path: Path, tmp_path: Path):
    ctx = ReadContext(work_dir=tmp_path / "work", page_image_dir=tmp_path / "pages")
    (page,) = list(read_document(path, ctx))
    return page.text, extract_certificate(page.text)


def _format(record):
    f = record.fields.get("training_format")
    return None if f is None else f.value


def test_a_ticked_box_names_the_delivery_format(tmp_path):
    text, record = _read(_form(tmp_path / "tick.pdf", "tick", "Online"), tmp_path)
    line = next(" ".join(w.text for w in ln.words) for ln in text.lines()
                if "Delivery:" in [w.text for w in ln.words])
    assert line == "Delivery: [_] In-Person [x] Online [_] Scenario-Based [_] Blended"
    assert _format(record) == "online"


def test_a_crossed_or_filled_box_is_marked_too(tmp_path):
    _, crossed = _read(_form(tmp_path / "cross.pdf", "cross", "Scenario-Based"), tmp_path)
    _, filled = _read(_form(tmp_path / "fill.pdf", "fill", "In-Person"), tmp_path)
    assert _format(crossed) == "scenario"
    assert _format(filled) == "classroom"


def test_no_marked_box_states_no_format(tmp_path):
    """A row of empty boxes says nothing about the delivery: no guess (a wrong 'scenario'
    could earn scenario credit)."""
    _, record = _read(_form(tmp_path / "none.pdf", None, None), tmp_path)
    assert _format(record) is None
    assert record.fields["officer_name"].value == "Mireille Dufresne"


def test_a_square_with_no_word_beside_it_is_no_checkbox():
    word = Word("Online", BBox(100, 100, 130, 110), None, 0)
    bullet = DrawnPath(BBox(40, 101, 48, 109))  # far left of any word: a bullet or ornament
    box = DrawnPath(BBox(86, 101, 95, 110))
    tick = DrawnPath(BBox(87, 102, 94, 109), slanted=True)
    found = boxes_from_paths([bullet, box, tick], (word,))
    assert found == [Checkbox(BBox(86, 101, 95, 110), True)]
    placed = place_marks((word,), found)
    assert [w.text for w in placed] == [MARKED, "Online"]
    assert placed[0].line_id == word.line_id


def test_a_typed_x_in_a_box_is_its_mark_not_a_word():
    x = Word("X", BBox(88, 101, 93, 110), None, 0)
    word = Word("Online", BBox(100, 100, 130, 110), None, 0)
    boxes = boxes_from_paths([DrawnPath(BBox(86, 101, 95, 110))], (x, word))
    assert [w.text for w in place_marks((x, word), boxes)] == [MARKED, "Online"]
    empty = boxes_from_paths([DrawnPath(BBox(86, 101, 95, 110))], (word,))
    assert [w.text for w in place_marks((word,), empty)] == [EMPTY, "Online"]


def _fillable(path: Path, values: dict[str, str], checked: str) -> Path:
    """A fillable form: printed captions, the values only inside AcroForm fields."""
    c = Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(60, 730, "County Training Office - Course Completion (fillable)")
    c.setFont("Helvetica", 10)
    form = c.acroForm
    y = 690
    for name, caption in (("name", "Officer name:"), ("badge", "Badge:"),
                          ("course", "Course title:"), ("number", "Course number:"),
                          ("date", "Date of training:"), ("hours", "Hours:")):
        c.drawString(60, y + 5, caption)
        form.textfield(name=name, value=values[name], x=170, y=y, width=260, height=18,
                       borderWidth=0, fontSize=10)
        y -= 28
    c.drawString(60, y + 5, "Format:")
    x = 120
    for option in ("Classroom", "Online", "Scenario"):
        form.checkbox(name=f"fmt_{option.lower()}", x=x, y=y + 3, size=10,
                      checked=option == checked, buttonStyle="cross")
        c.drawString(x + 14, y + 5, option)
        x += 90
    c.save()
    return path


def test_values_typed_into_a_fillable_form_are_read(tmp_path):
    values = {"name": "Oluwaseun Adeyemi", "badge": "K-218", "course": "Calming Tense Encounters",
              "number": "6610", "date": "09/30/2025", "hours": "3.5"}
    _, record = _read(_fillable(tmp_path / "filled.pdf", values, "Online"), tmp_path)
    got = {name: f.value for name, f in record.fields.items()}
    assert got["officer_name"] == "Oluwaseun Adeyemi"
    assert got["badge_number"] == "K-218"
    assert got["post_number"] == "6610"
    assert got["hours"] == 3.5
    assert str(got["training_date"]) == "2025-09-30"
    assert got["training_format"] == "online"


# ------------------------------------------------------------------------------------ scans


def _scan(pdf: Path, out: Path, dpi: int = 300, blur: float = 0.0) -> Path:
    """The form printed and scanned: rendered to a grey image, a little blurred."""
    import pypdfium2
    from PIL import ImageFilter

    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=dpi / 72).to_pil().convert("L")
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    image.save(out, dpi=(dpi, dpi))
    return out


@pytest.mark.ocr
@pytest.mark.parametrize("mark,option,fmt", [("cross", "Online", "online"),
                                             ("tick", "Scenario-Based", "scenario")])
def test_a_scanned_box_row_is_read_by_its_marks(tmp_path, mark, option, fmt):
    pdf = _form(tmp_path / "form.pdf", mark, option)
    text, record = _read(_scan(pdf, tmp_path / "scan.png", blur=0.6), tmp_path)
    marks = [w.text for w in text.words if w.text in (MARKED, EMPTY)]
    assert sorted(marks) == [EMPTY, EMPTY, EMPTY, MARKED], marks
    assert _format(record) == fmt
    assert record.fields["officer_name"].value == "Mireille Dufresne"


@pytest.mark.ocr
def test_a_scanned_row_of_empty_boxes_states_no_format(tmp_path):
    pdf = _form(tmp_path / "form.pdf", None, None)
    text, record = _read(_scan(pdf, tmp_path / "scan.png"), tmp_path)
    assert MARKED not in [w.text for w in text.words]
    assert _format(record) is None


@pytest.mark.ocr
def test_capital_letters_are_not_taken_for_boxes(tmp_path):
    """Bold capitals with a flat top and a straight side (D, O, B, P) in names and headings
    stay letters: a box needs paper outside its sides and thin, straight strokes."""
    path = tmp_path / "names.pdf"
    c = Canvas(str(path), pagesize=letter)
    y = 700
    for size, font in ((22, "Helvetica-Bold"), (14, "Times-Bold"), (11, "Helvetica")):
        c.setFont(font, size)
        c.drawString(60, y, "DOBBS  O'DONNELL  PADDOCK  BODDEN  DEPARTMENT  ROBBED")
        y -= 60
    c.save()
    text, _ = _read(_scan(path, tmp_path / "names.png"), tmp_path)
    words = [w.text for w in text.words]
    assert MARKED not in words and EMPTY not in words
    assert "DEPARTMENT" in words


def test_a_square_half_a_word_high_at_its_start_is_the_hole_of_its_first_letter():
    """On a poor scan the hole of a "0" or a "D" just after a cell's rule, with the rule
    beside it, closes into a small square: half the word's height, it is the letter's hole;
    a box glued to the word it names is about the word's height."""
    from extractors.marks import _not_a_letter
    from extractors.types import BBox, Word

    digits = Word("0886", BBox(270.0, 388.0, 300.0, 398.0), 0.1, 1)
    name = Word("|David", BBox(68.0, 388.0, 110.0, 398.5), 0.89, 1)
    assert not _not_a_letter(BBox(270.4, 390.0, 275.0, 395.5), (digits,))
    assert not _not_a_letter(BBox(70.0, 390.0, 74.5, 396.0), (name,))
    glued = Word("OHybrid", BBox(300.0, 388.0, 345.0, 398.0), 0.4, 2)
    assert _not_a_letter(BBox(300.0, 388.5, 308.5, 397.5), (glued,))


def test_a_box_read_as_a_character_of_its_own_is_the_box_however_tall_its_word():
    """Tesseract may read a marked box as a character (``6]``) in a word box stretched to
    the whole line's height; the square is as wide as that word, so it is no letter's hole
    (a hole is narrower than its letter)."""
    from extractors.marks import _not_a_letter
    from extractors.types import BBox, Word

    box_word = Word("6]", BBox(59.5, 298.8, 70.8, 317.8), 0.42, 3)
    assert _not_a_letter(BBox(61.0, 306.0, 70.6, 313.4), (box_word,))
    letter = Word("0886", BBox(59.5, 298.8, 90.0, 317.8), 0.4, 3)
    assert not _not_a_letter(BBox(60.0, 306.0, 65.0, 313.4), (letter,))
