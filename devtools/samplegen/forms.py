"""Fixed-layout forms: one agency's own printed certificate forms, filled in many times.

Unlike :mod:`devtools.samplegen.certificates` (a new wording and arrangement per page),
a :class:`FormStyle` (or a sheet form, :func:`sheet_form_style`) is one printed form: the
same headings, captions and boxes on every copy; only the filled-in values change. Styles
are drawn from a seed with captions of their own, so a form is new to the reader. Used by
the layout-learning tests and by
``make bench-layouts``.
"""

from __future__ import annotations

import io
import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import signin as sg
from devtools.samplegen import wording as wd
from devtools.samplegen.degrade import scan_document, write_container
from devtools.samplegen.plan import PlannedRecord, plan_corpus
from devtools.samplegen.reference import build_reference, write_reference_csvs
from devtools.samplegen.signin import PlannedSheet, SheetStyle

FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
          "course_title", "instructor_name", "location")
# Captions of our own, deliberately unlike the usual certificate labels.
_CAPTIONS = {
    "officer_name": ("Enrollee", "Member Attending", "Trainee of Record", "Attendee Full Name"),
    "badge_number": ("Personnel Badge", "Member Badge No.", "Badge Reference", "Badge / Serial"),
    "training_date": ("Date Concluded", "Session Closing Date", "Completion Day", "Date Held"),
    "hours": ("Credit Hours Granted", "Hours Credited", "Instruction Hours", "Clock Hours"),
    "post_number": ("POST Course Ref.", "POST Approval Code", "POST Course No.", "POST Ref"),
    "course_title": ("Program Subject", "Curriculum Module", "Course Subject", "Program Name"),
    "instructor_name": ("Lead Presenter", "Facilitated By", "Presenting Instructor",
                        "Trainer of Record"),
    "location": ("Venue", "Held At Facility", "Training Site", "Delivery Venue"),
}
_TITLES = ("Record of Completed Instruction", "In-Service Credit Form",
           "Continuing Education Attestation", "Training Completion Record",
           "Proficiency Course Acknowledgement", "Instruction Credit Voucher")
# Each form states that the instruction was completed, as a completion record does.
_STATEMENTS = ("The member named below has completed the instruction described on this form.",
               "This form attests that the enrollee below attended and completed the session.",
               "Completion of the following in-service instruction is recorded here.",
               "The trainee identified below satisfactorily completed this program.")
_NOTES = ("Retain this form with the member's personnel file.",
          "This record is issued under the agency's continuing education policy.",
          "Alterations void this form. Questions go to the training unit.",
          "Submit the original to the records section within ten days.")
_FONTS = (("Helvetica", "Helvetica-Bold"), ("Times-Roman", "Times-Bold"),
          ("Courier", "Courier-Bold"))


@dataclass(frozen=True)
class FormField:
    """One box of the form: a field's caption and where its value goes (points, bottom-left)."""

    name: str
    caption: str
    x: float
    y: float
    width: float
    caption_below: bool


@dataclass(frozen=True)
class FormStyle:
    """One printed form of an agency."""

    name: str
    agency: str
    title: str
    form_number: str
    note: str
    statement: str
    pagesize: tuple[float, float]
    fonts: tuple[str, str]
    fields: tuple[FormField, ...]
    date_style: str
    boxed: bool


def form_style(seed: int, index: int, agency: str | None = None) -> FormStyle:
    """The ``index``-th form of a seeded family (two indexes of one seed: one agency)."""
    rng = random.Random(f"credence-form-{seed}-{index}")
    agency_rng = random.Random(f"credence-form-agency-{seed}")
    agency = agency or agency_rng.choice([a for v in wd.AGENCIES.values() for a in v])
    size = rng.choice((LETTER, landscape(LETTER), A4))
    w, h = size
    names = list(FIELDS)
    rng.shuffle(names)
    columns = rng.choice((1, 2)) if w < h else 2
    top = h - rng.uniform(190, 240)
    step = rng.uniform(52, 64)
    col_w = (w - 120) / columns
    fields = []
    for i, name in enumerate(names):
        col, row = i % columns, i // columns
        width = col_w - 30 if name not in ("course_title",) or columns == 1 else col_w - 30
        fields.append(FormField(name, rng.choice(_CAPTIONS[name]), 60 + col * col_w,
                                top - row * step, width, rng.random() < 0.5))
    return FormStyle(
        name=f"form-{seed}-{index}", agency=agency, title=rng.choice(_TITLES),
        form_number=f"Form {rng.choice('ABCDKLMRT')}{rng.randint(10, 99)}-{rng.randint(1, 9)}",
        note=rng.choice(_NOTES), statement=rng.choice(_STATEMENTS), pagesize=size,
        fonts=rng.choice(_FONTS),
        fields=tuple(fields), date_style=rng.choice(("long", "numeric", "iso", "abbrev")),
        boxed=rng.random() < 0.5,
    )


def printed_values(rec: PlannedRecord, style: FormStyle) -> dict[str, str]:
    """What each box of ``style`` shows for ``rec``."""
    officer, _ = wd.format_name(rec.person, "natural")
    instructor = wd.format_name(rec.instructor, "natural")[0] if rec.instructor else ""
    return {
        "officer_name": officer,
        "badge_number": rec.badge or "",
        "training_date": wd.format_date(rec.day, style.date_style) if rec.day else "",
        "hours": wd.format_hours(rec.hours, "plain") if rec.hours is not None else "",
        "post_number": rec.post_number,
        "course_title": rec.title,
        "instructor_name": instructor,
        "location": rec.location or "",
    }


def draw_form(c: Canvas, style: FormStyle, values: dict[str, str]) -> None:
    """Draw one filled copy of ``style``."""
    w, h = style.pagesize
    regular, bold = style.fonts
    c.setPageSize(style.pagesize)
    c.setFont(bold, 15)
    c.drawCentredString(w / 2, h - 70, style.agency)
    c.setFont(bold, 19)
    c.drawCentredString(w / 2, h - 100, style.title)
    c.setFont(regular, 9)
    c.drawRightString(w - 50, h - 40, style.form_number)
    c.setLineWidth(1.2)
    c.line(50, h - 115, w - 50, h - 115)
    c.setFont(regular, 10.5)
    c.drawCentredString(w / 2, h - 140, style.statement)
    for f in style.fields:
        caption_y = f.y - 13 if f.caption_below else f.y + 16
        c.setFont(bold, 8.5)
        c.drawString(f.x, caption_y, f.caption.upper())
        c.setLineWidth(0.6)
        if style.boxed:
            c.rect(f.x - 4, f.y - 17, f.width, 44, stroke=1, fill=0)
        else:
            c.line(f.x, f.y - 3, f.x + f.width - 8, f.y - 3)
        c.setFont(regular, 11.5)
        c.drawString(f.x + 2, f.y + 1, values.get(f.name, ""))
    c.setFont(regular, 8.5)
    c.drawString(60, 70, style.note)
    c.line(w - 260, 105, w - 60, 105)
    c.setFont(bold, 8)
    c.drawString(w - 260, 93, "TRAINING UNIT SUPERVISOR SIGNATURE")


def render_form_pdf(style: FormStyle, values: dict[str, str]) -> bytes:
    """One filled copy as a born-digital PDF."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=style.pagesize, invariant=1, pageCompression=1)
    draw_form(c, style, values)
    c.showPage()
    c.save()
    return buf.getvalue()


def write_form(path: Path, style: FormStyle, values: dict[str, str], condition: str,
               seed: int) -> None:
    """Write a filled copy as ``condition`` makes it (``clean``: vector PDF; else a scan)."""
    pdf = render_form_pdf(style, values)
    path.parent.mkdir(parents=True, exist_ok=True)
    if condition == "clean":
        path.write_bytes(pdf)
        return
    rng = np.random.default_rng([seed, len(path.name), sum(path.name.encode())])
    pages = scan_document(pdf, condition, rng, "pdf")
    write_container(pages, path, "pdf", rng)


def valid_records(seed: int, count: int) -> tuple[Any, list[PlannedRecord]]:
    """The reference data and ``count`` valid planned certificate records of a seed."""
    ref = build_reference(seed)
    docs = plan_corpus(ref, seed, count * 2, ("clean",), False)
    recs = [p.record for d in docs for p in d.pages
            if p.record is not None and p.record.case == "valid" and p.record.badge]
    return ref, recs[:count]


def truth_fields(rec: PlannedRecord) -> dict[str, Any]:
    """The ground truth of a filled form (contract field names)."""
    return {
        "officer_name": wd.format_name(rec.person, "natural")[1],
        "badge_number": rec.badge,
        "training_date": rec.day.isoformat() if rec.day else None,
        "hours": float(rec.hours) if rec.hours is not None else None,
        "post_number": rec.post_number,
        "course_title": rec.title,
        "instructor_name": wd.format_name(rec.instructor, "natural")[1]
        if rec.instructor else None,
        "location": rec.location,
        "training_format": None,
    }


# --- sign-in sheet forms ------------------------------------------------------------------

_SHEET_TITLES = ("Session Attendance Register", "Instruction Roll Call", "Member Attendance Log",
                 "In-Service Session Register")
# The name and badge headings still say what they are; the signature column's heading is
# one no lexicon holds, so only its cells (or a learned layout) can type it.
_SHEET_NAME_HEADS = ("Member Name", "Name of Enrollee", "Attending Member (name)")
_SHEET_BADGE_HEADS = ("Personnel No.", "Member Badge", "Badge Ref.")
_SHEET_MARK_HEADS = ("Acknowledged", "Attendance Confirmed", "Presence Attested")
#: Attendees on one copy of a sheet form (one page).
SHEET_ROWS = (3, 6)


@dataclass(frozen=True)
class SheetForm:
    """One printed sign-in sheet form: its header boxes (captions of our own, above or below
    the value's line, as on our certificate forms), its table and its agency line.

    ``official_caption`` gives the training official's block words of the form's own: that
    caption under the official's line (at ``official_x``), and ``attestation`` printed
    between the table and the line; without it the block is a sign-in sheet's usual one."""

    name: str
    agency: str
    style: SheetStyle
    fields: tuple[FormField, ...]
    table_top: float
    official_caption: str | None = None
    attestation: str | None = None
    official_x: float = 300.0


_SHEET_HEADER = ("course_title", "post_number", "training_date", "hours", "instructor_name",
                 "location")


def sheet_form_style(seed: int, index: int) -> SheetForm:
    """The ``index``-th sign-in sheet form of a seeded family: headings, captions, places
    and widths that stay the same on every copy."""
    rng = random.Random(f"credence-sheet-form-{seed}-{index}")
    cols = [("no", "No.", 28.0), ("name", rng.choice(_SHEET_NAME_HEADS), rng.uniform(160, 200)),
            ("badge", rng.choice(_SHEET_BADGE_HEADS), rng.uniform(75, 95)),
            ("signature", rng.choice(_SHEET_MARK_HEADS), rng.uniform(140, 170))]
    scale = 540.0 / sum(w for _, _, w in cols)
    style = SheetStyle(dr.choose_family(rng, mono=False),
                       tuple((r, h, w * scale) for r, h, w in cols), rng.choice(_SHEET_TITLES),
                       rng.choice(("long", "numeric", "iso", "abbrev")), {}, 20, 27)
    w, h = LETTER
    names = list(_SHEET_HEADER)
    rng.shuffle(names)
    top, step, col_w = h - rng.uniform(130, 150), rng.uniform(44, 52), (w - 100) / 2
    below = rng.random() < 0.5
    fields = tuple(FormField(n, rng.choice(_CAPTIONS[n]), 50 + (i % 2) * col_w,
                             top - (i // 2) * step, col_w - 24, below)
                   for i, n in enumerate(names))
    agency = random.Random(f"credence-form-agency-{seed}").choice(
        [a for v in wd.AGENCIES.values() for a in v])
    return SheetForm(f"sheet-{seed}-{index}", agency, style, fields, top - 3 * step - 6)


def _sheet_values(sheet: PlannedSheet, form: SheetForm) -> dict[str, str]:
    return {"course_title": sheet.title, "post_number": sheet.post_number,
            "training_date": wd.format_date(sheet.day, form.style.date_style),
            "hours": wd.format_hours(sheet.hours, "plain"),
            "instructor_name": sheet.instructor.full if sheet.instructor else "",
            "location": sheet.location}


def render_sheet_form_pdf(sheet: PlannedSheet, form: SheetForm, seed: int) -> bytes:
    """One filled copy of a sheet form (one page) as a born-digital PDF."""
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=LETTER, invariant=1, pageCompression=1)
    w, h = LETTER
    fam = form.style.family
    c.setFont(fam.bold, 16)
    c.drawCentredString(w / 2, h - 60, form.style.title)
    c.setFont(fam.regular, 10)
    c.drawCentredString(w / 2, h - 78, form.agency)
    values = _sheet_values(sheet, form)
    for f in form.fields:
        c.setFont(fam.bold, 8)
        c.drawString(f.x, f.y - 12 if f.caption_below else f.y + 14, f.caption.upper())
        c.setLineWidth(0.6)
        c.line(f.x, f.y - 3, f.x + f.width, f.y - 3)
        text = values[f.name]
        c.setFont(fam.regular, dr.fit_size(text, fam.regular, 10.5, f.width - 4, min_size=6))
        c.drawString(f.x + 2, f.y + 1, text)
    rng = random.Random(f"credence-sheet-copy-{seed}-{sheet.index}")
    indices = list(range(len(sheet.rows)))
    sg._draw_table(c, sheet, form.style, indices, form.table_top, 0, rng)
    table_bottom = form.table_top - sg.ROW_HEIGHT * (len(indices) + 1)
    if form.official_caption is None:
        sg._draw_footer(c, sheet, form.style, rng, table_bottom - 40)
    else:
        _draw_official_block(c, sheet, form, table_bottom, rng)
    c.showPage()
    c.save()
    return buf.getvalue()


def _draw_official_block(c: Canvas, sheet: PlannedSheet, form: SheetForm, table_bottom: float,
                         rng: random.Random) -> None:
    """The official's block in the form's own words, under the table: the attestation
    sentence, then the signature line with its caption (signed as the sheet says)."""
    fam = form.style.family
    if form.attestation:
        c.setFont(fam.regular, 8.5)
        c.drawString(50, table_bottom - 22, form.attestation)
    dr.draw_signature_block(c, form.official_x, max(60.0, table_bottom - 66), 220,
                            [form.official_caption], fam.regular, 8, rng,
                            signed=sheet.official_signed)


def _write_pdf(path: Path, pdf: bytes, condition: str, seed: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if condition == "clean":
        path.write_bytes(pdf)
        return
    rng = np.random.default_rng([seed, len(path.name), sum(path.name.encode())])
    write_container(scan_document(pdf, condition, rng, "pdf"), path, "pdf", rng)


def write_sheet_forms(out: Path, ref: Any, seed: int, forms: int, per_form: int,
                      conditions: tuple[str, ...]) -> list[dict[str, Any]]:
    """``forms`` sheet forms x ``per_form`` filled copies; their truth lines (one per row)."""
    rng = random.Random(f"credence-sheet-forms-{seed}")
    used: set = set()
    lines = []
    for f in range(forms):
        style = sheet_form_style(seed, f)
        name = style.name
        for k in range(per_form):
            condition = conditions[k % len(conditions)]
            sheet = sg.plan_sheet(rng, ref, 1000 * (f + 1) + k, "typed_roster", condition, used,
                                  rows=rng.randint(*SHEET_ROWS))
            if sheet is None:
                continue
            sheet.rel_path = f"docs/{name}/copy-{k + 1:02d}-{condition}.pdf"
            _write_pdf(out / sheet.rel_path, render_sheet_form_pdf(sheet, style, seed),
                       condition, seed)
            for line in sg.sheet_truth(sheet, [list(range(len(sheet.rows)))]):
                lines.append({**line, "layout": name})
    return lines


def generate_form_corpus(out: Path, seed: int, styles: int, per_style: int,
                         conditions: tuple[str, ...] = ("clean",), sheets: int = 0) -> Path:
    """Write ``styles`` forms x ``per_style`` filled copies, reference CSVs and truth.jsonl,
    and ``sheets`` sign-in sheet forms x ``per_style`` copies.

    Copies of one form are dealt the ``conditions`` round-robin; ``truth.jsonl`` lines carry
    ``file``, ``layout``, ``condition``, ``kind``, ``fields`` and ``expected_status``.
    """
    out = Path(out)
    ref, recs = valid_records(seed, styles * per_style)
    write_reference_csvs(ref, out / "reference")
    lines = write_sheet_forms(out, ref, seed, sheets, per_style, conditions) if sheets else []
    for s in range(styles):
        style = form_style(seed, s)
        for k in range(per_style):
            rec = recs[(s * per_style + k) % len(recs)]
            condition = conditions[k % len(conditions)]
            rel = f"docs/{style.name}/copy-{k + 1:02d}-{condition}.pdf"
            write_form(out / rel, style, printed_values(rec, style), condition, seed)
            lines.append({"file": rel, "page": 1, "layout": style.name, "condition": condition,
                          "kind": "certificate", "expected_status": "verified",
                          "fields": truth_fields(rec)})
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(json.dumps(line) + "\n")
    return out
