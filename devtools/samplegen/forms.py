"""Fixed-layout forms: one agency's own printed certificate forms, filled in many times.

Unlike :mod:`devtools.samplegen.certificates` (a new wording and arrangement per page),
a :class:`FormStyle` is one printed form: the same headings, captions and boxes on every
copy; only the filled-in values change. Styles are drawn from a seed with captions of
their own, so a form is new to the reader. Used by the layout-learning tests and by
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

from devtools.samplegen import wording as wd
from devtools.samplegen.degrade import scan_document, write_container
from devtools.samplegen.plan import PlannedRecord, plan_corpus
from devtools.samplegen.reference import build_reference, write_reference_csvs

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


def generate_form_corpus(out: Path, seed: int, styles: int, per_style: int,
                         conditions: tuple[str, ...] = ("clean",)) -> Path:
    """Write ``styles`` forms x ``per_style`` filled copies, reference CSVs and truth.jsonl.

    Copies of one form are dealt the ``conditions`` round-robin; ``truth.jsonl`` lines carry
    ``file``, ``layout``, ``condition``, ``fields`` and ``expected_status``.
    """
    out = Path(out)
    ref, recs = valid_records(seed, styles * per_style)
    write_reference_csvs(ref, out / "reference")
    lines = []
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
