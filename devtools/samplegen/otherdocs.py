"""Pages that are not training records but look like they might be.

Clerks scan whatever is in the folder: a memo announcing a class, the vendor's invoice for it,
a flyer. Each names a real course number, hours, dates and sometimes officers, so a reader
that keys on "has a course number and a name" would wrongly take them for certificates. The
truth for these pages is ``case: not_training_document`` with every field ``null``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import wording as wd
from devtools.samplegen.reference import Person

KINDS = ("memo", "invoice", "announcement")


@dataclass(frozen=True)
class OtherFacts:
    """What a non-training page talks about."""

    state: str
    post_number: str
    course_title: str
    hours: float
    day: date
    people: tuple[Person, ...]
    sender: Person
    agency: str
    issuer: str


def draw_other(c: Canvas, facts: OtherFacts, kind: str, rng: random.Random) -> None:
    """Draw a non-training page of ``kind`` (one of :data:`KINDS`) as the current page."""
    c.setPageSize(letter)
    {"memo": _draw_memo, "invoice": _draw_invoice,
     "announcement": _draw_announcement}[kind](c, facts, rng)


def _draw_memo(c: Canvas, f: OtherFacts, rng: random.Random) -> None:
    w, h = letter
    fam = dr.choose_family(rng, mono=False)
    m = 72
    c.setFont(fam.bold, 20)
    c.drawString(m, h - 90, rng.choice(("MEMORANDUM", "INTEROFFICE MEMORANDUM", "Memo")))
    sent = f.day - timedelta(days=rng.randint(10, 40))
    date_style = rng.choice(wd.DATE_STYLES)
    heads = [("TO:", rng.choice(("All Patrol Personnel", "Shift Supervisors",
                                 "Sworn Staff, Patrol Division", "Training Unit"))),
             ("FROM:", f"{f.sender.full}, {rng.choice(('Training Coordinator', 'Captain'))}"),
             ("DATE:", wd.format_date(sent, date_style)),
             ("RE:", f"{f.course_title} ({f.post_number})")]
    y = h - 130
    for head, value in heads:
        c.setFont(fam.bold, 11)
        c.drawString(m, y, head)
        c.setFont(fam.regular, 11)
        c.drawString(m + 60, y, value)
        y -= 18
    c.line(m, y + 4, w - m, y + 4)
    names = ", ".join(p.full for p in f.people)
    body = [
        f"The training unit has scheduled {f.course_title} (course {f.post_number}) for "
        f"{wd.format_date(f.day, date_style)} at {rng.choice(wd.PLACES[f.state])}. The course "
        f"carries {wd.format_hours(f.hours, 'plain')} hours of continuing education credit.",
        f"The following officers are assigned to attend: {names}. Supervisors should adjust "
        "shift schedules accordingly.",
        "Attendance will be taken on a sign-in sheet; certificates will be issued by the "
        "provider after the class. Do not submit this memo as proof of completion.",
    ]
    y -= 24
    for para in body:
        y = dr.draw_lines(c, dr.wrap(para, fam.regular, 11, w - 2 * m), m, y, fam.regular, 11,
                          15) - 10


def _draw_invoice(c: Canvas, f: OtherFacts, rng: random.Random) -> None:
    w, h = letter
    fam = dr.choose_family(rng, mono=False)
    m = 60
    c.setFont(fam.bold, 18)
    c.drawString(m, h - 70, f.issuer)
    c.setFont(fam.regular, 9)
    c.drawString(m, h - 84, f"{rng.choice(wd.STREETS)}  |  {wd.phone(rng)}")
    c.setFont(fam.bold, 26)
    c.drawRightString(w - m, h - 74, "INVOICE")
    c.setFont(fam.regular, 10)
    inv_date = f.day + timedelta(days=rng.randint(1, 20))
    meta = [f"Invoice #: {rng.randrange(10000, 99999)}",
            f"Date: {wd.format_date(inv_date, rng.choice(wd.DATE_STYLES))}",
            f"Terms: Net {rng.choice((15, 30, 45))}"]
    dr.draw_lines(c, meta, w - m - 150, h - 100, fam.regular, 10, 13)
    dr.draw_lines(c, ["BILL TO:", f.agency, "Attn: Training Unit"], m, h - 110, fam.regular,
                  10, 13)
    y = h - 190
    cols = (m, m + 250, m + 330, m + 410)
    c.setFillColor(Color(0.88, 0.88, 0.88))
    c.rect(m, y - 4, w - 2 * m, 18, stroke=0, fill=1)
    c.setFillColor(Color(0, 0, 0))
    c.setFont(fam.bold, 10)
    for x, head in zip(cols, ("Description", "Seats", "Unit Price", "Amount"), strict=True):
        c.drawString(x + 4, y, head)
    seats = len(f.people) + rng.randint(0, 10)
    price = rng.choice((45, 65, 85, 120, 175, 250))
    items = [(f"{f.post_number} {f.course_title}", seats, price),
             (f"Course materials ({wd.format_hours(f.hours, 'plain')} hr course)", seats, 12)]
    c.setFont(fam.regular, 10)
    total = 0
    for desc, qty, unit in items:
        y -= 20
        text = desc if dr.width(desc, fam.regular, 10) < 240 else desc[:40] + "..."
        c.drawString(cols[0] + 4, y, text)
        c.drawString(cols[1] + 4, y, str(qty))
        c.drawString(cols[2] + 4, y, f"${unit:,.2f}")
        c.drawString(cols[3] + 4, y, f"${qty * unit:,.2f}")
        total += qty * unit
    y -= 30
    c.setFont(fam.bold, 11)
    c.drawString(cols[2] + 4, y, "TOTAL")
    c.drawString(cols[3] + 4, y, f"${total:,.2f}")
    c.setFont(fam.regular, 9)
    c.drawString(m, 80, "Please remit payment to the address above. Thank you for your business.")


def _draw_announcement(c: Canvas, f: OtherFacts, rng: random.Random) -> None:
    w, h = letter
    fam = dr.choose_family(rng, mono=False)
    accent = rng.choice(dr.ACCENTS)
    c.setFillColor(accent)
    c.rect(0, h - 150, w, 150, stroke=0, fill=1)
    c.setFillColor(Color(1, 1, 1))
    c.setFont(fam.bold, 34)
    c.drawCentredString(w / 2, h - 80, rng.choice(("UPCOMING TRAINING", "NOW ENROLLING",
                                                   "TRAINING OPPORTUNITY")))
    c.setFont(fam.regular, 14)
    c.drawCentredString(w / 2, h - 110, f.issuer)
    c.setFillColor(Color(0, 0, 0))
    size = dr.fit_size(f.course_title, fam.bold, 24, w - 100)
    c.setFont(fam.bold, size)
    c.drawCentredString(w / 2, h - 210, f.course_title)
    style = rng.choice(wd.DATE_STYLES)
    lines = [f"Course {f.post_number}  -  {wd.format_hours(f.hours, 'plain')} hours credit",
             f"When: {wd.format_date(f.day, style)}, 0800-1700",
             f"Where: {rng.choice(wd.PLACES[f.state])}",
             f"Register by {wd.format_date(f.day - timedelta(days=14), style)}",
             f"Contact {f.sender.full} at {wd.phone(rng)}"]
    dr.draw_centered_lines(c, lines, w / 2, h - 260, fam.regular, 14, 26)
    c.setFont(fam.italic, 11)
    c.drawCentredString(w / 2, 120, "Seating is limited. Lunch is on your own.")
