"""Certificate layouts drawn with reportlab.

A certificate's *facts* (who, what, when) come from the corpus plan; everything about how they
are printed (layout, labels, date and name formats, fonts, decorations, distractor numbers) is
drawn from a ``random.Random`` here. :func:`draw_certificate` returns what it printed so that
the ground truth records the exact strings on the page.

Layouts (:data:`LAYOUTS`):
    award: landscape, border, centred prose ("This certifies that NAME has ...").
    letter: portrait letterhead and prose paragraphs, with a letter date as a distractor.
    vendor: an online vendor's printout, a grid of label/value rows.
    post_form: a state form: boxes with small labels above values, format check boxes.
    minimal: plain typed lines, often monospaced.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import wording as wd
from devtools.samplegen.reference import Person

LAYOUTS = ("award", "letter", "vendor", "post_form", "minimal")

# The record fields a certificate can print, in contract order.
PRINTED_FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
                  "course_title", "instructor_name", "location", "training_format")


@dataclass(frozen=True)
class CertificateFacts:
    """What one certificate states; ``None`` means the certificate does not print it.

    Attributes:
        state: two-letter state of the course (drives wording such as "TCOLE Course #").
        officer: the person named on the certificate.
        officer_role: roster role, for rank words ("Deputy", "Dispatcher").
        badge_number: printed exactly as given.
        training_date: completion date (the last day when ``date_start`` is set).
        date_start: first day of a multi-day course, printed as a range.
        hours: documented hours.
        post_number: printed exactly as given (a California control number may be longer
            than the catalog's course certification number).
        course_title: printed as given.
        instructor: the instructor of record.
        location: where the course was held.
        training_format: the course's delivery format (``classroom``...).
        show_format: whether the format is printed.
        issuer: who issues the certificate (academy, vendor, agency).
        coordinator: a second signatory who is not the instructor (a distractor name).
        agency: the officer's employing agency, sometimes printed.
    """

    state: str
    officer: Person | None
    officer_role: str | None
    badge_number: str | None
    training_date: date | None
    date_start: date | None
    hours: float | None
    post_number: str | None
    course_title: str | None
    instructor: Person | None
    location: str | None
    training_format: str | None
    show_format: bool
    issuer: str
    coordinator: Person
    agency: str | None = None


@dataclass(frozen=True)
class Printed:
    """What a page printed: exact strings per field, plus the canonical names.

    Attributes:
        values: field -> exact printed text (no label), ``None`` when not printed.
        officer_name: natural-order name ("Jane Q. Doe Jr.") when printed.
        instructor_name: the instructor's name without rank when printed.
        layout: the layout used.
    """

    values: dict[str, str | None]
    officer_name: str | None
    instructor_name: str | None
    layout: str


@dataclass
class _Texts:
    """Every printed string of one certificate, chosen once and shared by all layouts."""

    facts: CertificateFacts
    name: str | None
    name_canonical: str | None
    rank: str
    badge: str | None
    date: str | None
    date_style: str
    hours: str | None
    post: str | None
    title: str | None
    instructor: str | None
    instructor_canonical: str | None
    location: str | None
    fmt: str | None
    labels: dict[str, str]
    serial: str | None
    provider: str | None
    issue_date: str
    coordinator: str
    coordinator_title: str
    instructor_title: str
    hours_unit: str

    def printed(self, layout: str) -> Printed:
        values = {
            "officer_name": self.name, "badge_number": self.badge, "training_date": self.date,
            "hours": self.hours, "post_number": self.post, "course_title": self.title,
            "instructor_name": self.instructor, "location": self.location,
            "training_format": self.fmt,
        }
        return Printed(values, self.name_canonical if self.name else None,
                       self.instructor_canonical if self.instructor else None, layout)


@dataclass(frozen=True)
class _Style:
    body: dr.FontFamily
    heading: dr.FontFamily
    accent: Color
    ink: Color
    scale: float


def draw_certificate(c: Canvas, facts: CertificateFacts, layout: str,
                     rng: random.Random) -> Printed:
    """Draw one certificate as the current page of ``c`` (the caller calls ``showPage``).

    Args:
        c: the canvas; the page size is set here.
        facts: what to print.
        layout: one of :data:`LAYOUTS`.
        rng: the page's random source; every wording and style choice comes from it.

    Returns:
        What was printed, field by field.
    """
    texts = _choose_texts(facts, layout, rng)
    style = _choose_style(rng, layout)
    {"award": _draw_award, "letter": _draw_letter, "vendor": _draw_vendor,
     "post_form": _draw_post_form, "minimal": _draw_minimal}[layout](c, texts, style, rng)
    return texts.printed(layout)


# --- choosing the words --------------------------------------------------------------------


def _choose_texts(f: CertificateFacts, layout: str, rng: random.Random) -> _Texts:
    prose = layout in ("award", "letter")
    name_styles = wd.NAME_STYLES
    if layout == "letter" or (layout == "award" and rng.random() < 0.85):
        name_styles = ("natural", "natural_middle", "upper_natural", "title_case_middle")
    elif layout == "post_form":
        name_styles = ("last_first", "last_first_middle", "upper_last_first", "natural_middle")
    name = canonical = None
    if f.officer:
        name, canonical = wd.format_name(f.officer, rng.choice(name_styles))
    date_style = wd.choose_date_style(rng, prose=prose)
    printed_date = None
    if f.training_date:
        printed_date = (wd.format_date_range(f.date_start, f.training_date, date_style, rng)
                        if f.date_start else wd.format_date(f.training_date, date_style))
    instructor = instr_canonical = None
    if f.instructor:
        instr_style = rng.choice(("natural", "natural", "natural_middle", "upper_natural"))
        instructor, instr_canonical = wd.format_name(f.instructor, instr_style)
        if rng.random() < 0.3:
            instructor = f"{rng.choice(wd.INSTRUCTOR_RANKS)} {instructor}"
    coordinator, _ = wd.format_name(f.coordinator, rng.choice(("natural", "natural_middle")))
    fmt = wd.format_word(rng, f.training_format) if f.show_format and f.training_format else None
    if layout == "post_form" and fmt:
        fmt = wd.FORMAT_WORDS[f.training_format][0]
    hours = None
    if f.hours is not None:
        hours = wd.format_hours(f.hours, rng.choice(wd.HOURS_STYLES if prose else
                                                    wd.HOURS_STYLES[:3]))
    labels = {key: wd.label(rng, key, f.state) for key in wd.LABELS}
    year = (f.training_date or date(2025, 6, 1)).year
    issued = (f.training_date or date(2025, 6, 1)) + timedelta(days=rng.randint(0, 21))
    title = f.course_title
    if title and rng.random() < 0.15:
        title = title.upper()
    return _Texts(
        facts=f, name=name, name_canonical=canonical,
        rank=wd.rank_for(rng, f.officer_role) if f.officer else "",
        badge=f.badge_number, date=printed_date, date_style=date_style, hours=hours,
        post=f.post_number, title=title, instructor=instructor,
        instructor_canonical=instr_canonical, location=f.location, fmt=fmt, labels=labels,
        serial=wd.serial_number(rng, year) if rng.random() < 0.6 else None,
        provider=wd.provider_number(rng, f.state, f.post_number) if rng.random() < 0.45 else None,
        issue_date=wd.format_date(issued, rng.choice(wd.DATE_STYLES)),
        coordinator=coordinator,
        coordinator_title=rng.choice(("Training Coordinator", "Academy Director",
                                      "Training Manager", "Chief of Training",
                                      "Program Administrator", "Training Officer")),
        instructor_title=rng.choice(("Instructor", "Lead Instructor", "Course Instructor",
                                     "Instructor of Record", "Primary Instructor")),
        hours_unit=rng.choice(wd.HOURS_UNITS),
    )


def _choose_style(rng: random.Random, layout: str) -> _Style:
    mono = layout == "minimal" and rng.random() < 0.45
    body = dr.choose_family(rng, mono=True) if mono else dr.choose_family(rng, mono=False)
    heading = body if mono or rng.random() < 0.3 else dr.choose_family(
        rng, serif=layout == "award" and rng.random() < 0.7, mono=False)
    return _Style(body, heading, rng.choice(dr.ACCENTS), rng.choice(dr.INKS),
                  rng.uniform(0.92, 1.1))


def _hours_phrase(t: _Texts, rng: random.Random) -> str:
    """``8.0 Contact Hours``, ``Credit Hours: 8``, ``Duration: 8.0 hrs``..."""
    lab = t.labels["hours"]
    if lab == "Duration":
        return f"Duration: {t.hours} {t.hours_unit}"
    form = rng.randrange(3)
    if form == 0:
        return f"{t.hours} {lab}"
    if form == 1:
        return wd.labelled(rng, lab, t.hours)
    return f"{t.hours} {t.hours_unit}"


def _date_phrase(t: _Texts, rng: random.Random) -> str:
    if t.date_style == "ordinal" and not t.facts.date_start:
        return rng.choice(("on this ", "on the ", "Given this ", "Completed this ")) + t.date
    if rng.random() < 0.5:
        return wd.labelled(rng, t.labels["training_date"], t.date)
    return rng.choice(("on ", "Completed ", "completed on ", "")) + t.date


def _badge_phrase(t: _Texts, rng: random.Random) -> str:
    return wd.labelled(rng, t.labels["badge_number"], t.badge, rng.choice((": ", " ", ": ")))


# --- award -----------------------------------------------------------------------------------


def _draw_award(c: Canvas, t: _Texts, s: _Style, rng: random.Random) -> None:
    w, h = landscape(letter)
    c.setPageSize((w, h))
    if rng.random() < 0.35:
        c.setFillColor(Color(0.99, 0.97, 0.9))
        c.rect(0, 0, w, h, stroke=0, fill=1)
    inner = dr.draw_border(c, w, h, rng, s.accent)
    cx = w / 2
    y = h - inner - 18
    if rng.random() < 0.5:
        dr.draw_shield(c, cx, y - 8, 34, s.accent)
        y -= 40
    c.setFillColor(s.accent)
    issuer_size = dr.fit_size(t.facts.issuer, s.heading.bold, 15 * s.scale, w - 2 * inner - 40)
    y = dr.draw_centered_lines(c, [t.facts.issuer], cx, y, s.heading.bold, issuer_size, 20)
    if rng.random() < 0.4:
        board = wd.STATE_BOARDS[t.facts.state]
        y = dr.draw_centered_lines(c, [board], cx, y + 4, s.heading.italic, 10, 14)
    title = rng.choice(("Certificate of Completion", "Certificate of Training",
                        "CERTIFICATE OF COMPLETION", "Certificate of Achievement",
                        "Certificate of Attendance", "Training Certificate",
                        "Certificate of Course Completion"))
    font = s.heading.italic if rng.random() < 0.35 else s.heading.bold
    y = dr.draw_centered_lines(c, [title], cx, y - 14, font, 30 * s.scale, 34)
    c.setFillColor(s.ink)
    certify = rng.choice(("This certifies that", "This is to certify that", "Be it known that",
                          "We hereby certify that", "This certificate is awarded to",
                          "Presented to", "Proudly presented to"))
    y = dr.draw_centered_lines(c, [certify], cx, y - 2, s.body.italic, 13, 28)
    badge_done = False
    if t.name:
        name_line = f"{t.rank} {t.name}".strip()
        if t.badge and rng.random() < 0.4:
            name_line += f"  ({_badge_phrase(t, rng)})"
            badge_done = True
        size = dr.fit_size(name_line, s.heading.bold, 24 * s.scale, w - 2 * inner - 60)
        y = dr.draw_centered_lines(c, [name_line], cx, y, s.heading.bold, size, 22)
    if t.badge and not badge_done:
        y = dr.draw_centered_lines(c, [_badge_phrase(t, rng)], cx, y, s.body.regular, 11, 20)
    done = rng.choice(("has successfully completed", "has satisfactorily completed",
                       "successfully completed", "has completed the requirements of",
                       "attended and completed", "for successful completion of"))
    y = dr.draw_centered_lines(c, [done], cx, y - 2, s.body.italic, 12, 22)
    if t.title:
        size = dr.fit_size(t.title, s.heading.bold, 18 * s.scale, w - 2 * inner - 60)
        y = dr.draw_centered_lines(c, [t.title], cx, y, s.heading.bold, size, 20)
    parts = []
    if t.post:
        parts.append(wd.labelled(rng, t.labels["post_number"], t.post, rng.choice((" ", ": "))))
    if t.hours:
        parts.append(_hours_phrase(t, rng))
    joiner = rng.choice(("   |   ", "     ", "  -  ", "   \u2022   "))
    lines = [joiner.join(parts)] if rng.random() < 0.5 else parts
    if t.date:
        lines.append(_date_phrase(t, rng))
    if t.location:
        lines.append(wd.labelled(rng, t.labels["location"], t.location))
    if t.fmt:
        lines.append(wd.labelled(rng, t.labels["training_format"], t.fmt))
    y = dr.draw_centered_lines(c, [ln for ln in lines if ln], cx, y, s.body.regular, 11.5, 15)
    _award_footer(c, t, s, rng, w, inner, y)


def _award_footer(c: Canvas, t: _Texts, s: _Style, rng: random.Random, w: float, inner: float,
                  y_text: float) -> None:
    base = inner + 46
    sig_w = 190
    if t.instructor:
        dr.draw_signature_block(c, inner + 30, base, sig_w, [t.instructor, t.instructor_title],
                                s.body.regular, 9.5, rng)
        dr.draw_signature_block(c, w - inner - 30 - sig_w, base, sig_w,
                                [t.coordinator, t.coordinator_title], s.body.regular, 9.5, rng)
    else:
        dr.draw_signature_block(c, w - inner - 30 - sig_w, base, sig_w,
                                [t.coordinator, t.coordinator_title], s.body.regular, 9.5, rng)
    if rng.random() < 0.6 and y_text > base + 60:
        dr.draw_seal(c, w / 2, base + 12, 38, rng, s.accent)
    c.setFont(s.body.regular, 7.5)
    c.setFillColor(s.ink)
    if t.serial:
        c.drawString(inner + 4, inner - 6, wd.labelled(rng, t.labels["serial"], t.serial))
    if t.provider:
        c.drawRightString(w - inner - 4, inner - 6,
                          wd.labelled(rng, t.labels["provider"], t.provider))


# --- letter ----------------------------------------------------------------------------------


def _draw_letter(c: Canvas, t: _Texts, s: _Style, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    m = rng.uniform(60, 80)
    y = _letterhead(c, t, s, rng, w, h, m)
    c.setFillColor(s.ink)
    size = 11 * s.scale
    lead = size * 1.45
    c.setFont(s.body.regular, size)
    if rng.random() < 0.5:
        c.drawRightString(w - m, y, t.issue_date)
    else:
        c.drawString(m, y, t.issue_date)
    y -= 2 * lead
    if t.name and rng.random() < 0.6:
        subject = rng.choice(("RE: Training Completion - ", "Subject: Certificate of Training, ",
                              "RE: "))
        c.setFont(s.body.bold, size)
        c.drawString(m, y, subject + t.name)
        y -= 2 * lead
    salutation = rng.choice(("To Whom It May Concern:", "Dear Training Coordinator:",
                             "To the Records Custodian:", "Dear Sir or Madam:"))
    y = dr.draw_lines(c, [salutation], m, y, s.body.regular, size, 2 * lead)
    for para in _letter_paragraphs(t, rng):
        lines = dr.wrap(para, s.body.regular, size, w - 2 * m)
        y = dr.draw_lines(c, lines, m, y, s.body.regular, size, lead) - lead * 0.8
    closing = rng.choice(("Sincerely,", "Respectfully,", "Regards,", "Respectfully submitted,"))
    y = dr.draw_lines(c, [closing], m, y - 4, s.body.regular, size, lead)
    dr.draw_signature_block(c, m, y - 30, 180, [t.coordinator, t.coordinator_title,
                                                t.facts.issuer], s.body.regular, 10, rng)
    c.setFont(s.body.regular, 8)
    if t.serial:
        c.drawString(m, 40, wd.labelled(rng, t.labels["serial"], t.serial))
    if t.provider:
        c.drawRightString(w - m, 40, wd.labelled(rng, t.labels["provider"], t.provider))


def _letterhead(c: Canvas, t: _Texts, s: _Style, rng: random.Random, w: float, h: float,
                m: float) -> float:
    y = h - 60
    centred = rng.random() < 0.5
    c.setFillColor(s.accent)
    if not centred:
        dr.draw_shield(c, m + 18, y - 10, 40, s.accent)
    size = dr.fit_size(t.facts.issuer, s.heading.bold, 16, w - 2 * m - 50)
    lines = [rng.choice(wd.STREETS),
             f"{wd.STATE_NAMES[t.facts.state]}  |  Tel. {wd.phone(rng)}"]
    if centred:
        c.setFont(s.heading.bold, size)
        c.drawCentredString(w / 2, y, t.facts.issuer)
        dr.draw_centered_lines(c, lines, w / 2, y - 15, s.body.regular, 9, 11)
    else:
        c.setFont(s.heading.bold, size)
        c.drawString(m + 48, y, t.facts.issuer)
        dr.draw_lines(c, lines, m + 48, y - 15, s.body.regular, 9, 11)
    c.setStrokeColor(s.accent)
    c.setLineWidth(1.2)
    c.line(m, y - 44, w - m, y - 44)
    return y - 80


def _letter_paragraphs(t: _Texts, rng: random.Random) -> list[str]:
    """The body of the letter: the facts in one of several sentence patterns."""
    k = dr.keep
    who = k(f"{t.rank} {t.name}".strip()) if t.name else k("the above-named officer")
    badge = f" ({k(_badge_phrase(t, rng))})" if t.badge else ""
    course = k(t.title or "the course")
    post = f" ({k(t.labels['post_number'])} {k(t.post)})" if t.post else ""
    when = f" on {k(t.date)}" if t.date else ""
    if t.date and t.date_style == "ordinal" and not t.facts.date_start:
        when = f" on the {k(t.date)}"
    where = f" at {k(t.location)}" if t.location else ""
    unit = rng.choice(("contact hours", "credit hours", "hours", "training hours", "hrs."))
    hours = f"{k(t.hours)} {unit}" if t.hours else ""
    by = f" The course was presented by {k(t.instructor)}." if t.instructor else ""
    fmt = f" {k(t.labels['training_format'])}: {k(t.fmt)}." if t.fmt else ""
    pattern = rng.randrange(3)
    if pattern == 0:
        first = (f"This letter certifies that {who}{badge} successfully completed {course}"
                 f"{post}{when}{where}.{by}")
        if hours:
            first += f" The training provided {hours} of instruction."
    elif pattern == 1:
        first = (f"Please be advised that {who}{badge} attended {course}{post}{where}{when}."
                 + (f" The training consisted of {hours}." if hours else "") + by)
    else:
        first = (f"Our records show that {who}{badge} has completed the requirements of"
                 f" {course}{post}" + (f" for a total of {hours}" if hours else "") + "."
                 + (f" Date of training: {k(t.date)}." if t.date else "")
                 + (f" Location: {k(t.location)}." if t.location else "")
                 + (f" Instructor of record: {k(t.instructor)}." if t.instructor else ""))
    second = rng.choice((
        "Please retain this letter with the officer's training file.",
        "A copy of the class roster is on file with our office and is available on request.",
        "This letter may be used as proof of attendance for audit purposes.",
        "If you have questions regarding this training, please contact our office.",
    ))
    return [first + fmt, second]


# --- vendor ----------------------------------------------------------------------------------


def _draw_vendor(c: Canvas, t: _Texts, s: _Style, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    m = 54
    band = rng.uniform(56, 80)
    c.setFillColor(s.accent)
    c.rect(0, h - band, w, band, stroke=0, fill=1)
    c.setFillColor(white)
    c.setFont(s.heading.bold, 20)
    c.drawString(m, h - band / 2 - 2, t.facts.issuer)
    c.setFont(s.body.regular, 9)
    c.drawString(m, h - band / 2 - 16, rng.choice(("Online Law Enforcement Training",
                                                  "Continuing Education for Public Safety",
                                                  "Accredited Online Training")))
    c.setFillColor(s.ink)
    title = rng.choice(("Certificate of Completion", "Course Completion Certificate",
                        "Transcript of Completion", "Completion Record"))
    c.setFont(s.heading.bold, 22)
    c.drawCentredString(w / 2, h - band - 50, title)
    c.setFont(s.body.italic, 10)
    c.drawCentredString(w / 2, h - band - 68, rng.choice((
        "This document verifies completion of the following course.",
        "The student named below has met all course requirements.",
        "Official record of course completion")))
    rows = _vendor_rows(t, rng)
    y = _draw_grid(c, rows, m, h - band - 96, w - 2 * m, s, rng)
    c.setFont(s.body.regular, 8)
    printed = t.issue_date + rng.choice((" 2:14 PM", " 09:41", " 16:03:22", ""))
    c.drawString(m, 40, f"Printed {printed}")
    slug = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))
    c.drawRightString(w - m, 40, f"Verify at https://verify.example.org/{slug}")
    if y > 150 and rng.random() < 0.5:
        dr.draw_signature_block(c, m, 110, 180, [t.coordinator, t.coordinator_title],
                                s.body.regular, 9, rng)


def _vendor_rows(t: _Texts, rng: random.Random) -> list[tuple[str, str]]:
    lab = t.labels
    rows: list[tuple[str, str]] = []
    if t.name:
        rows.append((rng.choice(("Student Name", "Name", "Learner", "Participant")), t.name))
    if t.facts.agency and rng.random() < 0.6:
        rows.append((lab["agency"], t.facts.agency))
    if t.badge:
        rows.append((lab["badge_number"], t.badge))
    if t.title:
        rows.append((rng.choice(("Course Title", "Course", "Course Name")), t.title))
    if rng.random() < 0.5:  # the vendor's own catalogue code: not the POST number
        rows.append((rng.choice(("Catalog #", "Vendor Course Code", "Item No.")),
                     f"{rng.choice(('BL', 'OL', 'VC', 'CE'))}-{rng.randrange(10000, 99999)}"))
    if t.post:
        rows.append((lab["post_number"], t.post))
    if t.date:
        rows.append((lab["training_date"], t.date))
    if t.hours:
        rows.append((lab["hours"], t.hours))
    if t.fmt:
        rows.append((lab["training_format"], t.fmt))
    if rng.random() < 0.5:
        rows.append(("Score", f"{rng.randrange(80, 101)}%"))
    if rng.random() < 0.5:
        rows.append(("Status", rng.choice(("Passed", "Complete", "Completed"))))
    if t.instructor:
        rows.append((lab["instructor_name"], t.instructor))
    if t.location:
        rows.append((lab["location"], t.location))
    if t.serial:
        rows.append((lab["serial"], t.serial))
    if t.provider:
        rows.append((lab["provider"], t.provider))
    return rows


def _draw_grid(c: Canvas, rows: list[tuple[str, str]], x: float, y: float, w: float,
               s: _Style, rng: random.Random) -> float:
    """A two-column table with ruled rows; return the y below it."""
    row_h = rng.uniform(21, 26)
    label_w = w * rng.uniform(0.3, 0.38)
    shade = rng.random() < 0.5
    c.setLineWidth(0.6)
    for i, (lab, value) in enumerate(rows):
        top = y - i * row_h
        if shade and i % 2 == 0:
            c.setFillColor(Color(0.92, 0.93, 0.95))
            c.rect(x, top - row_h, w, row_h, stroke=0, fill=1)
        c.setFillColor(s.ink)
        c.setStrokeColor(Color(0.5, 0.5, 0.5))
        c.rect(x, top - row_h, w, row_h, stroke=1, fill=0)
        c.line(x + label_w, top, x + label_w, top - row_h)
        c.setFont(s.body.bold, 10)
        c.drawString(x + 6, top - row_h + 7, lab)
        size = dr.fit_size(value, s.body.regular, 10.5, w - label_w - 12)
        c.setFont(s.body.regular, size)
        c.drawString(x + label_w + 6, top - row_h + 7, value)
    return y - len(rows) * row_h


# --- state POST form -------------------------------------------------------------------------


def _draw_post_form(c: Canvas, t: _Texts, s: _Style, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    m = 42
    c.setFillColor(s.ink)
    c.setFont(s.body.regular, 8)
    form_no = f"Form {rng.choice(('TRN', 'CE', 'POST', 'TC'))}-{rng.randrange(1, 40)}"
    revision = f"{rng.randrange(1, 13):02d}/{rng.randrange(2015, 2024)}"
    c.drawString(m, h - 36, f"{form_no} (Rev. {revision})")
    c.drawRightString(w - m, h - 36, f"STATE OF {wd.STATE_NAMES[t.facts.state].upper()}")
    c.setFont(s.heading.bold, 12)
    c.drawCentredString(w / 2, h - 58, wd.STATE_BOARDS[t.facts.state].upper())
    c.setFont(s.heading.bold, 16)
    c.drawCentredString(w / 2, h - 80, rng.choice((
        "TRAINING COMPLETION REPORT", "REPORT OF TRAINING", "CERTIFICATE OF COURSE COMPLETION",
        "Continuing Education Completion Record", "COURSE COMPLETION RECORD")))
    lab = t.labels
    y = h - 100
    y = _section(c, "SECTION A - OFFICER INFORMATION", m, y, w - 2 * m, s)
    name_label = rng.choice(("Name (Last, First, MI)", "Officer Name", "Name of Officer",
                             "Student Name"))
    y = _box_row(c, [(name_label, t.name, 0.62), (lab["badge_number"], t.badge, 0.38)],
                 m, y, w - 2 * m, s)
    agency = t.facts.agency or t.facts.issuer
    y = _box_row(c, [(lab["agency"], agency, 1.0)], m, y, w - 2 * m, s)
    y = _section(c, "SECTION B - COURSE INFORMATION", m, y - 8, w - 2 * m, s)
    y = _box_row(c, [(lab["course_title"], t.title, 1.0)], m, y, w - 2 * m, s)
    date_label = "Date(s) of Training" if t.facts.date_start else lab["training_date"]
    y = _box_row(c, [(lab["post_number"], t.post, 0.3), (date_label, t.date, 0.45),
                     (lab["hours"], t.hours, 0.25)], m, y, w - 2 * m, s)
    y = _box_row(c, [(lab["location"], t.location, 0.55),
                     (lab["instructor_name"], t.instructor, 0.45)], m, y, w - 2 * m, s)
    y = _format_boxes(c, t, m, y - 16, s)
    y = _section(c, "SECTION C - CERTIFICATION", m, y - 10, w - 2 * m, s)
    statement = ("I certify that the individual named above attended and successfully completed "
                 "the course described in Section B and that the information on this form is "
                 "true and correct.")
    y = dr.draw_lines(c, dr.wrap(statement, s.body.regular, 9, w - 2 * m), m, y - 14,
                      s.body.regular, 9, 12)
    dr.draw_signature_block(c, m, y - 40, 230, [t.coordinator, t.coordinator_title],
                            s.body.regular, 9, rng)
    dr.draw_signature_block(c, w - m - 160, y - 40, 160, ["Date signed: " + t.issue_date],
                            s.body.regular, 9, rng, signed=False)
    c.setFont(s.body.regular, 7.5)
    if t.serial:
        c.drawString(m, 34, wd.labelled(rng, t.labels["serial"], t.serial))
    c.drawRightString(w - m, 34, rng.choice(("Retain original in training file",
                                            "Distribution: Original - Agency; Copy - Officer",
                                            "Page 1 of 1")))
    if t.provider:
        c.drawCentredString(w / 2, 34, wd.labelled(rng, t.labels["provider"], t.provider))


def _section(c: Canvas, title: str, x: float, y: float, w: float, s: _Style) -> float:
    c.saveState()
    c.setFillColor(Color(0.85, 0.85, 0.85))
    c.rect(x, y - 16, w, 16, stroke=1, fill=1)
    c.restoreState()
    c.setFont(s.body.bold, 9)
    c.drawString(x + 4, y - 12, title)
    return y - 16


def _box_row(c: Canvas, cells: list[tuple[str, str | None, float]], x: float, y: float,
             w: float, s: _Style) -> float:
    """A row of boxes, each with a small label at the top and the value below it."""
    row_h = 34
    cx = x
    c.setLineWidth(0.7)
    for label_text, value, share in cells:
        cw = w * share
        c.rect(cx, y - row_h, cw, row_h)
        c.setFont(s.body.regular, 6.8)
        c.drawString(cx + 3, y - 9, label_text.upper())
        if value:
            size = dr.fit_size(value, s.body.regular, 11, cw - 10)
            c.setFont(s.body.regular, size)
            c.drawString(cx + 6, y - row_h + 8, value)
        cx += cw
    return y - row_h


def _format_boxes(c: Canvas, t: _Texts, x: float, y: float, s: _Style) -> float:
    c.setFont(s.body.bold, 9)
    head = t.labels["training_format"] + ":"
    c.drawString(x, y, head)
    cx = x + max(110, dr.width(head, s.body.bold, 9) + 14)
    for fmt in ("classroom", "online", "scenario", "hybrid"):
        word = wd.FORMAT_WORDS[fmt][0]
        checked = t.fmt is not None and fmt == t.facts.training_format
        dr.draw_checkbox(c, cx, y - 2, 9, checked, s.body.bold)
        c.setFont(s.body.regular, 9.5)
        c.drawString(cx + 13, y, word)
        cx += dr.width(word, s.body.regular, 9.5) + 34
    return y - 6


# --- minimal ---------------------------------------------------------------------------------


def _draw_minimal(c: Canvas, t: _Texts, s: _Style, rng: random.Random) -> None:
    portrait = rng.random() < 0.75
    w, h = letter if portrait else landscape(letter)
    c.setPageSize((w, h))
    m = rng.uniform(60, 90)
    y = h - rng.uniform(70, 110)
    size = rng.choice((10.5, 11, 12, 12.5)) * s.scale
    lead = size * rng.uniform(1.5, 1.9)
    c.setFillColor(s.ink)
    if rng.random() < 0.8:
        title = rng.choice(("CERTIFICATE OF COMPLETION", "Certificate of Completion",
                            "TRAINING RECORD", "Completion Certificate", "TRAINING VERIFICATION"))
        c.setFont(s.heading.bold, size + 5)
        if rng.random() < 0.5:
            c.drawCentredString(w / 2, y, title)
        else:
            c.drawString(m, y, title)
        y -= 2.2 * lead
    if rng.random() < 0.5:
        c.setFont(s.body.regular, size)
        c.drawString(m, y, t.facts.issuer)
        y -= 1.8 * lead
    lines = _minimal_lines(t, rng)
    tab = rng.random() < 0.5
    col = m + max(dr.width(lab, s.body.bold, size) for lab, _ in lines) + 14
    right = w - rng.uniform(40, 60)
    for lab, value in lines:
        if tab:
            c.setFont(s.body.bold, size)
            c.drawString(m, y, lab)
            y = _draw_fitted(c, value, col, y, right - col, s.body.regular, size, lead)
        else:
            y = _draw_fitted(c, f"{lab} {value}", m, y, right - m, s.body.regular, size, lead)
    if rng.random() < 0.7:
        dr.draw_signature_block(c, m, y - 40, 200, [t.coordinator, t.coordinator_title],
                                s.body.regular, size - 1.5, rng)
    if t.serial:
        c.setFont(s.body.regular, 8)
        c.drawString(m, 40, wd.labelled(rng, t.labels["serial"], t.serial))


def _draw_fitted(c: Canvas, text: str, x: float, y: float, max_w: float, font: str,
                 size: float, lead: float) -> float:
    """Draw ``text`` shrunk a little to fit ``max_w``, wrapped if it still does not."""
    fitted = dr.fit_size(text, font, size, max_w, min_size=size * 0.8)
    lines = dr.wrap(text, font, fitted, max_w)
    return dr.draw_lines(c, lines, x, y, font, fitted, lead * (0.8 if len(lines) > 1 else 1)) \
        - (lead * 0.2 if len(lines) > 1 else 0)


def _minimal_lines(t: _Texts, rng: random.Random) -> list[tuple[str, str]]:
    lab = t.labels
    colon = rng.choice((":", ":", ""))
    pairs = [
        (lab["officer_name"], f"{t.rank} {t.name}".strip() if t.name else None),
        (lab["badge_number"], t.badge),
        (lab["course_title"], t.title),
        (lab["post_number"], t.post),
        (lab["training_date"], t.date),
        (lab["hours"], t.hours),
        (lab["instructor_name"], t.instructor),
        (lab["location"], t.location),
        (lab["training_format"], t.fmt),
        (lab["provider"], t.provider),
    ]
    if rng.random() < 0.4:  # some forms put the course before the person
        pairs = pairs[2:4] + pairs[:2] + pairs[4:]
    upper = rng.random() < 0.3
    return [((k.upper() if upper else k) + colon, v) for k, v in pairs if v]
