"""Hand-made documents of styles of their own, one per reading mechanism (issue 12, point 4).

Each document is drawn here with reportlab (and, for the scan, rasterised with pypdfium2 and
roughened with PIL), and its expected fields are written beside it as ``NAME.expected.json``.
People, agencies, numbers and wording are invented; none come from any corpus, and no layout
here is the sample generator's (devtools/samplegen): that is the point of a golden pair.

Regenerate the committed files with ``python tests/samples/golden/make_golden.py``.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent
W, H = letter


def _scribble(c: canvas.Canvas, x: float, y: float, width: float, seed: int) -> None:
    """A pen signature: a few joined loops drawn as curves, no text."""
    rng = random.Random(seed)
    c.saveState()
    c.setLineWidth(1.1)
    path = c.beginPath()
    path.moveTo(x, y)
    step = width / 5
    for i in range(5):
        x0 = x + i * step
        path.curveTo(x0 + step * 0.3, y + rng.uniform(6, 12), x0 + step * 0.6,
                     y - rng.uniform(2, 6), x0 + step, y + rng.uniform(-2, 4))
    c.drawPath(path, stroke=1, fill=0)
    c.restoreState()


# ------------------------------------------------------------------ structure before wording
SHEET_ROWS = [
    ("Marisol Brandt", "P-2207", True),
    ("Tobias Lindqvist", "P-2213", True),
    ("Hannah Oyelaran", "P-2219", False),
    ("Ezra Kowalczyk", "P-2230", True),
    ("Priya Ramaswamy", "P-2241", True),
]


def sheet_under_attestation(path: Path) -> dict:
    """A ruled roll whose prose below it reads like a certificate's attestation.

    Mechanism: a table of person rows with an ID and a signature column makes the page a sheet
    whatever its wording; each row's signature is decided from its ink.
    """
    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    c.setFont("Times-Bold", 15)
    c.drawCentredString(W / 2, H - 60, "Harrow Valley Township Police")
    c.setFont("Times-Roman", 12)
    c.drawCentredString(W / 2, H - 80, "Roll of Attendance")
    c.setFont("Times-Roman", 11)
    c.drawString(60, H - 115, "Course Title: Calming Volatile Encounters")
    c.drawString(360, H - 115, "POST Course No.: 7315")
    c.drawString(60, H - 133, "Date of Class: 09/23/2025")
    c.drawString(360, H - 133, "Hours: 5")
    c.drawString(60, H - 151, "Instructor: Rowan Abernathy")
    cols = [60, 100, 300, 400, 552]
    heads = ["Line", "Full Name", "ID No.", "Signature"]
    top, row_h = H - 180, 30
    c.setFont("Times-Bold", 11)
    for x, head in zip(cols, heads, strict=False):
        c.drawString(x + 4, top - 19, head)
    c.setFont("Times-Roman", 11)
    records = []
    for i, (name, badge, signed) in enumerate(SHEET_ROWS, start=1):
        y = top - row_h * (i + 1) + 11
        c.drawString(cols[0] + 4, y, str(i))
        c.drawString(cols[1] + 4, y, name)
        c.drawString(cols[2] + 4, y, badge)
        if signed:
            _scribble(c, cols[3] + 10, y + 2, 110, seed=i)
        records.append({"officer_name": name, "badge_number": badge, "signed": signed,
                        "post_number": "7315", "training_date": "2025-09-23", "hours": 5.0})
    rows = len(SHEET_ROWS) + 1
    for r in range(rows + 1):
        c.line(cols[0], top - r * row_h, cols[-1], top - r * row_h)
    for x in cols:
        c.line(x, top, x, top - rows * row_h)
    c.setFont("Times-Italic", 11)
    text = c.beginText(60, top - rows * row_h - 30)
    text.textLines("I attest that every person who signed above attended this course of\n"
                   "instruction in full and has successfully completed it.")
    c.drawText(text)
    c.save()
    return {"kind": "sign_in_sheet", "records": records}


# ------------------------------------------------------------------ captions under the lines
def certificate_captions_below(path: Path) -> dict:
    """Values set on rules with small captions under each rule, evenly spaced.

    Mechanism: a caption below a line labels the value above it; no value is claimed by the
    neighbouring caption, and a title does not swallow the number beside it.
    """
    c = canvas.Canvas(str(path), pagesize=landscape(letter), invariant=1)
    pw, ph = landscape(letter)
    c.setFont("Helvetica-Bold", 24)
    c.drawCentredString(pw / 2, ph - 90, "Record of Training Completed")
    c.setFont("Helvetica", 12)
    c.drawCentredString(pw / 2, ph - 115, "Lakemont Regional Public Safety Academy")

    def slot(x: float, y: float, width: float, value: str, caption: str) -> None:
        c.setFont("Helvetica", 14)
        c.drawString(x + 6, y + 5, value)
        c.line(x, y, x + width, y)
        c.setFont("Helvetica", 8)
        c.drawString(x + 6, y - 11, caption)

    slot(90, ph - 200, 330, "Desmond Achterberg", "Name of Officer")
    slot(470, ph - 200, 200, "4471", "Badge Number")
    slot(90, ph - 270, 400, "Tactical Communication and De-escalation", "Course")
    slot(540, ph - 270, 130, "8802", "POST Course Number")
    slot(90, ph - 340, 160, "8.0", "Hours Credited")
    slot(300, ph - 340, 170, "06/11/2025", "Date Completed")
    slot(520, ph - 340, 150, "Classroom", "Format")
    slot(90, ph - 430, 260, "Lt. Imogen Fairweather", "Course Instructor")
    c.save()
    return {"kind": "certificate", "records": [{
        "officer_name": "Desmond Achterberg", "badge_number": "4471", "post_number": "8802",
        "course_title": "Tactical Communication and De-escalation", "hours": 8.0,
        "training_date": "2025-06-11", "training_format": "classroom",
    }]}


# ------------------------------------------------------------------ delivery checkboxes
def certificate_delivery_boxes(path: Path) -> dict:
    """The delivery method as a row of drawn boxes, one ticked with a cross.

    Mechanism: marks are structure: the ticked box's word is the format, the others are not.
    """
    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    c.setFont("Courier-Bold", 16)
    c.drawString(72, H - 90, "TRAINING COMPLETION FORM")
    c.setFont("Courier", 11)
    lines = [
        "Employee: Oluwaseun Pettersen",
        "Badge: 5126",
        "Class: Defusing Conflict in the Field",
        "POST #: 3390",
        "Completed: 2025-10-02",
        "Credit Hours: 3",
    ]
    y = H - 130
    for line in lines:
        c.drawString(72, y, line)
        y -= 20
    c.drawString(72, y, "Delivery:")
    x = 150
    for word, ticked in (("Classroom", False), ("Online", True), ("Scenario", False)):
        c.rect(x, y - 1, 9, 9)
        if ticked:
            c.line(x + 1.5, y + 0.5, x + 7.5, y + 6.5)
            c.line(x + 1.5, y + 6.5, x + 7.5, y + 0.5)
        c.drawString(x + 14, y, word)
        x += 110
    c.save()
    return {"kind": "certificate", "records": [{
        "officer_name": "Oluwaseun Pettersen", "badge_number": "5126", "post_number": "3390",
        "hours": 3.0, "training_date": "2025-10-02", "training_format": "online",
    }]}


# ------------------------------------------------------------------ fillable form
def certificate_fillable(path: Path) -> dict:
    """A fillable PDF: captions printed, every value only inside an AcroForm text field.

    Mechanism: form field values are read where their widgets stand.
    """
    c = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, H - 80, "In-Service Training Credit Request")
    form = c.acroForm
    fields = [
        ("Officer name", "officer", "Greta Vanderhoek"),
        ("Badge no.", "badge", "7731"),
        ("Course title", "course", "Crisis Intervention Skills"),
        ("POST course no.", "post", "6154"),
        ("Date attended", "date", "05/19/2025"),
        ("Hours", "hours", "4"),
    ]
    y = H - 130
    for caption, name, value in fields:
        c.setFont("Helvetica", 11)
        c.drawString(72, y + 5, caption + ":")
        form.textfield(name=name, value=value, x=200, y=y, width=300, height=20,
                       borderWidth=0, fontName="Helvetica", fontSize=11)
        y -= 34
    c.save()
    return {"kind": "certificate", "records": [{
        "officer_name": "Greta Vanderhoek", "badge_number": "7731", "post_number": "6154",
        "course_title": "Crisis Intervention Skills", "hours": 4.0,
        "training_date": "2025-05-19",
    }]}


# ------------------------------------------------------------------ signing date
def certificate_signed_later(path: Path) -> dict:
    """The training date in prose, the signer's own date in the signature block beside him.

    Mechanism: a date in a signature block is the day the paper was signed, not the training
    date; the signer is not the instructor.
    """
    c = canvas.Canvas(str(path), pagesize=landscape(letter), invariant=1)
    pw, ph = landscape(letter)
    c.setFont("Times-Bold", 26)
    c.drawCentredString(pw / 2, ph - 100, "Certificate of Attendance")
    c.setFont("Times-Roman", 14)
    body = [
        "This is to acknowledge that",
        "Officer Anselm Quiroga-Baptiste, Badge 9034",
        "attended Respectful Contact and Tactical Restraint (POST 2618)",
        "held on March 28, 2025, for a total of 6 hours,",
        "taught by Instructor Perpetua Kamau.",
    ]
    y = ph - 150
    for line in body:
        c.drawCentredString(pw / 2, y, line)
        y -= 24
    c.line(120, 140, 340, 140)
    _scribble(c, 140, 146, 150, seed=42)
    c.setFont("Times-Roman", 10)
    c.drawString(120, 127, "Training Coordinator")
    c.drawString(400, 146, "Date")
    c.line(430, 140, 560, 140)
    c.setFont("Times-Roman", 12)
    c.drawString(440, 146, "04/02/2025")
    c.save()
    return {"kind": "certificate", "records": [{
        "officer_name": "Anselm Quiroga-Baptiste", "badge_number": "9034",
        "post_number": "2618", "hours": 6.0, "training_date": "2025-03-28",
        "instructor_name": "Perpetua Kamau",
    }]}


# ------------------------------------------------------------------ the sheet as a scan
def scanned_sheet(path: Path) -> dict:
    """The ruled roll of ``sheet_under_attestation`` printed, scanned at 200 dpi and tilted.

    Mechanism: the same structure read from pixels: ruled cells, row ink, OCR slips.
    """
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    pdf_path = path.with_suffix(".tmp.pdf")
    expected = sheet_under_attestation(pdf_path)
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        image = pdf[0].render(scale=200 / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    pdf_path.unlink()
    image = image.rotate(0.6, resample=Image.BICUBIC, fillcolor=255, expand=False)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    rng = random.Random(7)
    pixels = image.load()
    for _ in range(4000):  # toner specks
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        pixels[x, y] = rng.randrange(0, 120)
    image.save(path, dpi=(200, 200))
    return expected


DOCUMENTS = {
    "sheet-under-attestation.pdf": sheet_under_attestation,
    "certificate-captions-below.pdf": certificate_captions_below,
    "certificate-delivery-boxes.pdf": certificate_delivery_boxes,
    "certificate-fillable.pdf": certificate_fillable,
    "certificate-signed-later.pdf": certificate_signed_later,
    "sheet-scanned.png": scanned_sheet,
}


def main() -> None:
    for name, draw in DOCUMENTS.items():
        expected = draw(HERE / name)
        out = HERE / (name.rsplit(".", 1)[0] + ".expected.json")
        out.write_text(json.dumps(expected, indent=2) + "\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
