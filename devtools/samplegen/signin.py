"""Sign-in sheets: planning, drawing and ground truth, one truth line per attendee row.

Two layouts (issue 3, point 7):

* ``typed_roster`` — a pre-printed class roster: names and badges typed in the table, the
  officers sign in the signature column;
* ``handwritten`` — a blank sheet filled in by hand: names and badges written with a
  jittered oblique face (no handwriting font is installed; the jitter of size, slant and
  baseline per letter is what makes OCR unsure, as real handwriting does).

A sheet has a header (course, course number, date, hours, instructor, location) read once
and applied to every row, 5-30 attendee rows, some unsigned, a few attributed to someone not
on the roster (an outsider, or one officer's name with another's badge), and a training
official's signature at the foot. More rows than fit on a page continue on the next page
under a "page 2 of 2" line and the column header only.

Sheets are planned with their own random source (``credence-sheets-<seed>``), so a corpus
generated without sheets is byte-identical to one from before sheets existed. A state's
roster in the reference data holds about ten officers, too few for a 30-row class: sheets
draw on a roster grown to :data:`ROSTER_PER_STATE` officers per state (:func:`grow_roster`,
its own random source, badges far from every badge the certificates print), which is the
reference data written with such a corpus.

Some sheets lack the training official's signature at the foot (about one in ten): none of
their rows may be credited (``not_signed``). For some valid rows of signed sheets a
certificate of the same training is written as its own document, named to sort (and so be
received) after the sheet: the certificate is a ``duplicate`` that corroborates the row.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import wording as wd
from devtools.samplegen.plan import (
    PlannedDocument,
    PlannedPage,
    PlannedRecord,
    _base_record,
    _far_from,
    _unknown_badge,
    date_domain,
    duplicate_of,
)
from devtools.samplegen.reference import (
    ROLES,
    STATES,
    Officer,
    Person,
    Reference,
    _cycle_for,
    _random_person,
    _unique_badge,
)
from devtools.samplegen.rules import Claim, expected_reasons

SHEET_LAYOUTS = ("typed_roster", "handwritten")
ROW_HEIGHT = 22.0
MIN_ROWS, MAX_ROWS = 5, 30
#: Rows that fit under the header on page 1, and on a continuation page.
ROWS_FIRST_PAGE, ROWS_NEXT_PAGE = 20, 27
UNSIGNED_SHARE, OUTSIDER_SHARE = 0.12, 0.08
#: Share of sheets the training official did not sign; share of the valid rows of signed
#: sheets that also get a certificate of the same training (corroboration).
OFFICIAL_UNSIGNED_SHARE, CORROBORATED_SHARE = 0.1, 0.08
#: Officers per state on the roster sheets draw from (the reference's own ~10 are kept).
ROSTER_PER_STATE = 40
_OFFICIAL_CAPTIONS = ("Training Official / Instructor Signature", "Training Coordinator Signature",
                      "Signature of Training Official", "Training Coordinator / Official Signature")
_TITLES = ("TRAINING SIGN-IN SHEET", "Class Roster / Sign-In Sheet", "ATTENDANCE ROSTER",
           "Sign-In Sheet", "Training Attendance Sheet", "CLASS SIGN-IN ROSTER")
_NAME_HEADS = ("Printed Name", "Name (Print)", "Officer Name", "Name", "Print Name")
_BADGE_HEADS = ("Badge #", "Badge / ID", "ID Number", "Badge No.", "PID")
_SIGN_HEADS = ("Signature", "Officer Signature", "Sign", "Signature")
_HAND_INK = Color(0.08, 0.12, 0.42)


@dataclass
class SheetRow:
    """One attendee line of a sheet and its expected outcome.

    Attributes:
        case: ``valid``, ``not_signed`` or ``officer_not_on_roster``.
        variant: ``signed``, ``unsigned``, ``unknown_person``, ``badge_name_conflict``.
        officer: the roster officer the row is about (``None``: nobody, for the matcher).
        person: the name written.
        badge: the badge written.
        signed: whether the signature cell holds a signature.
        printed_name: the name as written on the sheet.
        canonical: natural-order name (the truth's ``officer_name``).
    """

    case: str
    variant: str
    officer: Officer | None
    person: Person
    badge: str
    signed: bool
    printed_name: str = ""
    canonical: str = ""


@dataclass
class PlannedSheet:
    """One sign-in sheet document (one or more pages)."""

    index: int
    layout: str
    condition: str
    rel_path: str
    state: str
    post_number: str
    course_post_number: str
    course_topics: tuple[str, ...]
    title: str
    day: date
    hours: float
    instructor: Person | None
    location: str
    rows: list[SheetRow] = field(default_factory=list)
    official_signed: bool = True
    blank_rows: int = 0


def plan_sheet(rng: random.Random, ref: Reference, index: int, layout: str, condition: str,
               used: set, rows: int | None = None) -> PlannedSheet | None:
    """Plan one sheet: a valid class and ``rows`` attendees (5-30 when not given).

    ``used`` holds (badge, course, date) keys already planned; a sheet row never repeats
    one, so every row's expected outcome is its own (no accidental duplicates).
    """
    courses = [c for c in ref.courses if c.format != "online"]
    for _ in range(200):
        base = _base_record(rng, ref, courses, "valid", "valid", "valid", "sheet")
        if base is None or base.course is None or base.instructor is None:
            continue
        course = base.course
        if base.date_start is not None or not date_domain(ref, course, "valid"):
            continue
        ext = ".pdf" if condition in ("clean",) else (".pdf" if rng.random() < 0.7 else ".tif")
        prefix = {"clean": "sheet_", "fax": "faxsheet_"}.get(condition, "scansheet_")
        sheet = PlannedSheet(
            index=index, layout=layout, condition=condition,
            rel_path=f"docs/{condition}/{prefix}{index + 1:04d}{ext}", state=course.state,
            post_number=base.post_number, course_post_number=course.post_number,
            course_topics=tuple(course.topics), title=base.title, day=base.day,
            hours=base.hours, instructor=base.instructor, location=base.location,
            official_signed=rng.random() >= OFFICIAL_UNSIGNED_SHARE)
        n = rows if rows is not None else rng.randint(MIN_ROWS, MAX_ROWS)
        sheet.rows = _plan_rows(rng, ref, sheet, n, used)
        if len(sheet.rows) >= min(n, MIN_ROWS):
            if layout in ("handwritten", "hand_filled"):
                sheet.blank_rows = rng.randint(0, 3)
            return sheet
    return None


def _claim(sheet: PlannedSheet, person: Person, badge: str) -> Claim:
    return Claim(person, badge, sheet.day, sheet.hours, sheet.course_post_number, sheet.title,
                 sheet.instructor)


def _plan_rows(rng: random.Random, ref: Reference, sheet: PlannedSheet, n: int,
               used: set) -> list[SheetRow]:
    """Attendees of one class: roster officers of the state, a few unsigned or wrong."""
    pool = [o for o in ref.officers if o.state == sheet.state]
    rng.shuffle(pool)
    out: list[SheetRow] = []
    for officer in pool:
        if len(out) >= n:
            break
        key = (officer.badge_number, sheet.course_post_number, sheet.day)
        if key in used or expected_reasons(ref, _claim(sheet, officer.person,
                                                       officer.badge_number)):
            continue  # e.g. a dispatcher for a sworn-only course
        used.add(key)
        roll = rng.random()
        if roll < OUTSIDER_SHARE:
            out.append(_wrong_officer_row(rng, ref, sheet, officer))
        elif roll < OUTSIDER_SHARE + UNSIGNED_SHARE:
            out.append(SheetRow("not_signed", "unsigned", officer, officer.person,
                                officer.badge_number, False))
        else:
            out.append(SheetRow("valid", "signed", officer, officer.person,
                                officer.badge_number, True))
    for row in out:
        style = rng.choice(("natural", "natural", "last_first", "upper_last_first",
                            "upper_natural"))
        row.printed_name, row.canonical = wd.format_name(row.person, style)
    return out


def _wrong_officer_row(rng: random.Random, ref: Reference, sheet: PlannedSheet,
                       officer: Officer) -> SheetRow:
    """An outsider with an unknown badge, or another officer's name with this one's badge."""
    others = [o for o in ref.officers if o.state == sheet.state
              and o.person.last != officer.person.last and o.person.first != officer.person.first]
    if others and rng.random() < 0.5:
        return SheetRow("officer_not_on_roster", "badge_name_conflict", None,
                        rng.choice(others).person, officer.badge_number, True)
    return SheetRow("officer_not_on_roster", "unknown_person", None, rng.choice(ref.outsiders),
                    _unknown_badge(rng, ref, sheet.state), True)


# --- drawing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetStyle:
    """The look of one sheet, drawn once so every page of it agrees."""

    family: dr.FontFamily
    columns: tuple[tuple[str, str, float], ...]  # (role, heading, width)
    title: str
    date_style: str
    labels: dict[str, str]
    rows_first_page: int
    rows_next_page: int


def choose_style(rng: random.Random, sheet: PlannedSheet) -> SheetStyle:
    """Column headings, widths and labels for one sheet."""
    cols = [("no", "No.", 28.0), ("name", rng.choice(_NAME_HEADS), 170.0),
            ("badge", rng.choice(_BADGE_HEADS), 80.0)]
    if rng.random() < 0.5:
        cols.append(("agency", "Agency", 90.0))
    cols.append(("signature", rng.choice(_SIGN_HEADS), 150.0))
    if rng.random() < 0.3:
        cols.append(("time", "Time In", 50.0))
    total = sum(w for _, _, w in cols)
    scale = 540.0 / total
    columns = tuple((r, h, w * scale) for r, h, w in cols)
    labels = {k: wd.label(rng, k, sheet.state) for k in
              ("course_title", "post_number", "training_date", "hours", "instructor_name",
               "location")}
    labels["course_title"] = rng.choice(("Course Title", "Course", "Course Name", "Training"))
    labels["training_date"] = rng.choice(("Date", "Training Date", "Date of Training",
                                          "Course Date"))
    return SheetStyle(dr.choose_family(rng, mono=False), columns, rng.choice(_TITLES),
                      wd.choose_date_style(rng), labels, ROWS_FIRST_PAGE, ROWS_NEXT_PAGE)


def page_rows(sheet: PlannedSheet, style: SheetStyle) -> list[list[int]]:
    """Row indices on each page (blank trailing rows included as ``-1``)."""
    indices = list(range(len(sheet.rows))) + [-1] * sheet.blank_rows
    pages = [indices[: style.rows_first_page]]
    rest = indices[style.rows_first_page:]
    while rest:
        pages.append(rest[: style.rows_next_page])
        rest = rest[style.rows_next_page:]
    if pages[-1] and all(i == -1 for i in pages[-1]) and len(pages) > 1:
        pages.pop()  # a page of nothing but blank rows would not be printed
    return pages


def draw_sheet(c: Canvas, sheet: PlannedSheet, rng: random.Random) -> list[list[int]]:
    """Draw every page of a sheet; return the row indices printed on each page."""
    style = choose_style(rng, sheet)
    pages = page_rows(sheet, style)
    start = 0
    for number, indices in enumerate(pages, start=1):
        c.setPageSize(letter)
        top = _draw_header(c, sheet, style, rng) if number == 1 else \
            _draw_continuation(c, style, number, len(pages))
        _draw_table(c, sheet, style, indices, top, start, rng)
        start += len(indices)
        if number == len(pages):
            _draw_footer(c, sheet, style, rng, top - ROW_HEIGHT * (len(indices) + 1) - 40)
        c.showPage()
    return pages


def _draw_header(c: Canvas, sheet: PlannedSheet, style: SheetStyle,
                 rng: random.Random) -> float:
    """Title, agency and the class facts; returns the y of the table's top."""
    w, h = letter
    fam = style.family
    c.setFont(fam.bold, 16)
    c.drawCentredString(w / 2, h - 60, style.title)
    c.setFont(fam.regular, 9)
    c.drawCentredString(w / 2, h - 76, rng.choice(wd.AGENCIES[sheet.state]))
    values = {
        "course_title": sheet.title, "post_number": sheet.post_number,
        "training_date": wd.format_date(sheet.day, style.date_style),
        "hours": wd.format_hours(sheet.hours, "plain"),
        "instructor_name": sheet.instructor.full if sheet.instructor else "",
        "location": sheet.location,
    }
    pairs = [("course_title", "post_number"), ("training_date", "hours"),
             ("instructor_name", "location")]
    y = h - 110
    for left, right in pairs:
        c.setFont(fam.bold, 10)
        c.drawString(36, y, f"{style.labels[left]}:")
        c.drawString(340, y, f"{style.labels[right]}:")
        c.setFont(fam.regular, 10)
        lx = 36 + dr.width(f"{style.labels[left]}: ", fam.bold, 10)
        rx = 340 + dr.width(f"{style.labels[right]}: ", fam.bold, 10)
        for vx, text, limit in ((lx, values[left], 330 - lx), (rx, values[right], 576 - rx)):
            c.setFont(fam.regular, dr.fit_size(text, fam.regular, 10, limit, min_size=6))
            c.drawString(vx, y, text)
        y -= 20
    return y - 16


def _draw_continuation(c: Canvas, style: SheetStyle, number: int, total: int) -> float:
    w, h = letter
    c.setFont(style.family.bold, 12)
    c.drawString(36, h - 50, f"{style.title} (continued)")
    c.setFont(style.family.regular, 9)
    c.drawRightString(w - 36, h - 50, f"Page {number} of {total}")
    return h - 80


def _draw_table(c: Canvas, sheet: PlannedSheet, style: SheetStyle, indices: list[int],
                top: float, start: int, rng: random.Random) -> None:
    """The ruled table: a heading row, then one row per index (-1: a blank row)."""
    x0 = 36.0
    xs = [x0]
    for _, _, w in style.columns:
        xs.append(xs[-1] + w)
    n = len(indices) + 1
    bottom = top - n * ROW_HEIGHT
    c.saveState()
    c.setLineWidth(0.8)
    for i in range(n + 1):
        c.line(xs[0], top - i * ROW_HEIGHT, xs[-1], top - i * ROW_HEIGHT)
    for x in xs:
        c.line(x, top, x, bottom)
    c.restoreState()
    c.setFont(style.family.bold, 9)
    for (_, head, _), x in zip(style.columns, xs, strict=False):
        c.drawString(x + 4, top - ROW_HEIGHT + 7, head)
    for pos, index in enumerate(indices):
        baseline = top - (pos + 2) * ROW_HEIGHT + 7
        if sheet.layout == "typed_roster" or index >= 0:
            c.setFont(style.family.regular, 9)
            c.drawString(xs[0] + 4, baseline, str(start + pos + 1))
        if index < 0:
            continue
        _draw_row(c, sheet, style, sheet.rows[index], xs, baseline, rng)


def _draw_row(c: Canvas, sheet: PlannedSheet, style: SheetStyle, row: SheetRow,
              xs: list[float], baseline: float, rng: random.Random) -> None:
    cells = {role: (x, w) for (role, _, w), x in zip(style.columns, xs, strict=False)}
    texts = {"name": row.printed_name, "badge": row.badge,
             "agency": rng.choice(wd.AGENCIES[sheet.state]).split()[0],
             "time": f"{rng.randint(7, 8):02d}:{rng.choice(('00', '05', '10', '15', '55'))}"}
    for role, text in texts.items():
        if role not in cells:
            continue
        x, w = cells[role]
        if sheet.layout == "handwritten":
            draw_handwriting(c, text, x + 4, baseline - 1, w - 8, rng)
        else:
            size = dr.fit_size(text, style.family.regular, 10, w - 8)
            c.setFont(style.family.regular, size)
            c.drawString(x + 4, baseline, text)
    if row.signed:
        x, w = cells["signature"]
        # squashed to stay mostly inside its own row, as a signer keeps to the box
        c.saveState()
        c.translate(0, baseline - 5)
        c.scale(1, 0.62)
        dr.draw_scribble(c, x + 6, 0, min(w - 12, 110), rng)
        c.restoreState()


def draw_handwriting(c: Canvas, text: str, x: float, y: float, max_width: float,
                     rng: random.Random) -> None:
    """Write ``text`` letter by letter with jittered size, slant and baseline, in pen ink."""
    size = rng.uniform(10.5, 12.5)
    face = "Helvetica-Oblique"
    natural = dr.width(text, face, size)
    squeeze = min(1.0, max_width / max(natural, 1.0))
    c.saveState()
    c.setFillColor(_HAND_INK)
    pos = x
    for ch in text:
        s = size * rng.uniform(0.92, 1.08)
        c.saveState()
        c.translate(pos, y + rng.uniform(-0.9, 0.9))
        c.rotate(rng.uniform(-5, 5))
        c.setFont(face, s)
        c.drawString(0, 0, ch)
        c.restoreState()
        pos += dr.width(ch, face, s) * squeeze * rng.uniform(0.97, 1.06)
    c.restoreState()


def _draw_footer(c: Canvas, sheet: PlannedSheet, style: SheetStyle, rng: random.Random,
                 y: float) -> None:
    y = max(y, 60.0)
    lines = [rng.choice(_OFFICIAL_CAPTIONS)]
    dr.draw_signature_block(c, 300, y, 220, lines, style.family.regular, 8, rng,
                            signed=sheet.official_signed)


# --- truth -----------------------------------------------------------------------------------


def sheet_truth(sheet: PlannedSheet, pages: list[list[int]]) -> list[dict]:
    """Truth lines, one per attendee row: ``page`` and ``row`` (0-based slot on the page)."""
    lines = []
    for number, indices in enumerate(pages, start=1):
        for slot, index in enumerate(indices):
            if index < 0:
                continue
            lines.append(_row_truth(sheet, number, slot, sheet.rows[index]))
    return lines


def _row_truth(sheet: PlannedSheet, page: int, slot: int, row: SheetRow) -> dict:
    # a sheet the official did not sign is no evidence for any of its rows
    reasons = [row.case] if row.case != "valid" else []
    if not sheet.official_signed and "not_signed" not in reasons:
        reasons.append("not_signed")
    verified = not reasons
    fields = {
        "officer_name": row.canonical,
        "badge_number": row.badge,
        "training_date": sheet.day.isoformat(),
        "hours": float(sheet.hours),
        "post_number": sheet.post_number,
        "course_title": sheet.title,
        "instructor_name": sheet.instructor.full if sheet.instructor else None,
        "location": sheet.location,
        "training_format": None,
        "signed": row.signed,
    }
    return {
        "file": sheet.rel_path, "page": page, "row": slot, "condition": sheet.condition,
        "layout": sheet.layout, "container": "pdf" if sheet.rel_path.endswith(".pdf") else "tiff",
        "kind": "sign_in_sheet",
        "case": row.case if sheet.official_signed or row.case != "valid" else "not_signed",
        "variant": row.variant if sheet.official_signed else f"{row.variant}/official_unsigned",
        "handwritten": sheet.layout == "handwritten",
        "expected_status": "verified" if verified else "needs_review",
        "expected_reasons": reasons,
        "fields": fields, "printed": {"officer_name": row.printed_name,
                                      "badge_number": row.badge},
        "expected_match": {
            "officer_badge": row.officer.badge_number if row.officer else None,
            "course_post_number": sheet.course_post_number,
        },
        "expected_credit": {"topics": list(sheet.course_topics) if verified else [],
                            "hours": float(sheet.hours) if verified else 0.0},
        "official_signed": sheet.official_signed,
        "duplicate_of": None, "date_range": None,
    }


# --- documents -------------------------------------------------------------------------------


def render_sheet_pdf(sheet: PlannedSheet, seed: int) -> tuple[bytes, list[list[int]]]:
    """Draw a planned sheet as a born-digital PDF; return it and the rows on each page."""
    import io

    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    pages = draw_sheet(c, sheet, random.Random(f"credence-sheet-{seed}-{sheet.index}"))
    c.save()
    return buf.getvalue(), pages


def write_sheet(sheet: PlannedSheet, seed: int, out) -> list[dict]:
    """Render, degrade and write one sheet; return its truth lines."""
    import numpy as np

    from devtools.samplegen import variety_sheets as vs
    from devtools.samplegen.degrade import scan_document, write_container

    variety = sheet.layout in vs.VARIETY_SHEET_LAYOUTS
    if variety:
        pdf_bytes, pages, look = vs.render_sheet_pdf(sheet, seed)
    else:
        pdf_bytes, pages = render_sheet_pdf(sheet, seed)
    path = out / sheet.rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    scans = None
    if sheet.condition == "clean":
        path.write_bytes(pdf_bytes)
    else:
        rng = np.random.default_rng([seed, 50_000 + sheet.index, 7919])
        container = "pdf" if sheet.rel_path.endswith(".pdf") else "tiff"
        scans = scan_document(pdf_bytes, sheet.condition, rng, container)
        write_container(scans, path, container, rng)
    if not variety:
        return sheet_truth(sheet, pages)
    lines = vs.sheet_truth_lines(sheet, pages, look)
    for line in lines:  # what a damage level did to the row's page
        if scans is not None and scans[line["page"] - 1].damage is not None:
            line["scan"] = {"damage": scans[line["page"] - 1].damage,
                            "dpi": scans[line["page"] - 1].dpi,
                            "skew": scans[line["page"] - 1].skew}
    return lines


def plan_sheets(ref: Reference, seed: int, count: int, conditions: tuple[str, ...],
                used: set, layouts: tuple[str, ...] = SHEET_LAYOUTS) -> list[PlannedSheet]:
    """Plan ``count`` sheets, ``layouts`` alternating, conditions dealt round-robin."""
    rng = random.Random(f"credence-sheets-{seed}")
    sheets = []
    for i in range(count):
        condition = conditions[i % len(conditions)]
        if layouts == SHEET_LAYOUTS:
            # layouts alternate, shifted each round of conditions so both meet every condition
            layout = layouts[(i + i // len(conditions)) % len(layouts)]
        else:  # more families: deal them in turn, and shift the conditions instead
            layout = layouts[i % len(layouts)]
            condition = conditions[(i + i // len(layouts)) % len(conditions)]
        sheet = plan_sheet(rng, ref, i, layout, condition, used)
        if sheet is not None:
            sheets.append(sheet)
    return sheets


def write_sheets(ref: Reference, seed: int, count: int, docs: list, out,
                 conditions, layouts: tuple[str, ...] | None = None) -> list[dict]:
    """Plan and write ``count`` sheets next to the planned certificate documents ``docs``.

    ``ref`` is the roster the sheets draw on (:func:`grow_roster`); certificates that
    corroborate a row are written here too, each its own document.
    """
    used = {page.record.key() for doc in docs for page in doc.pages if page.record}
    used = {(who, what, day) for who, what, day in used}
    truth: list[dict] = []
    rng = random.Random(f"credence-corroboration-{seed}")
    for sheet in plan_sheets(ref, seed, count, tuple(conditions), used,
                             layouts or SHEET_LAYOUTS):
        lines = write_sheet(sheet, seed, out)
        truth.extend(write_corroborations(rng, ref, sheet, lines, seed, out))
        truth.extend(lines)
    return truth


def grow_roster(ref: Reference, seed: int, avoid_badges: Iterable[str | None] = (),
                per_state: int = ROSTER_PER_STATE) -> Reference:
    """The reference with each state's roster grown to ``per_state`` officers.

    The reference's own officers are kept as they are (certificates planned on them stay
    right); the new ones get names on no other list and badges at least two edits from
    every badge in ``avoid_badges`` (the off-roster badges certificates print), so an
    "unknown badge" case never becomes a new officer's badge. Same seed, same roster.
    """
    rng = random.Random(f"credence-roster-{seed}")
    names = {o.person.full for o in ref.officers} | {i.person.full for i in ref.instructors}
    names |= {p.full for p in ref.outsiders}
    outsider_last = {p.last for p in ref.outsiders}
    badges = {o.badge_number for o in ref.officers}
    printed = sorted({b for b in avoid_badges if b} - badges)
    extra: list[Officer] = []
    for state in STATES:
        for _ in range(per_state - sum(o.state == state for o in ref.officers)):
            person = _random_person(rng, names)
            while person.last in outsider_last:
                person = _random_person(rng, names)
            names.add(person.full)
            badge = _unique_badge(rng, state, badges)
            while not _far_from(badge, printed):
                badge = _unique_badge(rng, state, badges)
            start, end = _cycle_for(rng, state)
            role = rng.choices(ROLES, weights=(80, 14, 6))[0]
            extra.append(Officer(person, badge, state, role, start, end,
                                 suffix_in_last_name=bool(person.suffix) and rng.random() < 0.5))
    return replace(ref, officers=ref.officers + tuple(extra))


#: Certificate documents that corroborate a sheet row get indices from here (render seeds).
_CERT_INDEX = 200_000


def write_corroborations(rng: random.Random, ref: Reference, sheet: PlannedSheet,
                         lines: list[dict], seed: int, out) -> list[dict]:
    """For some valid rows of a signed sheet, a certificate of the same training.

    The certificate is its own file named ``<sheet>_cert_p<page>r<row>`` in the sheet's
    folder and container, so it sorts (is received) after the sheet; its truth is a
    ``duplicate`` of the row, and the row's truth names it in ``corroborated_by``.
    """
    from devtools.samplegen.certificates import LAYOUTS
    from devtools.samplegen.corpus import write_document
    from devtools.samplegen.variety_certs import VARIETY_LAYOUTS
    from devtools.samplegen.variety_sheets import VARIETY_SHEET_LAYOUTS

    if sheet.layout in VARIETY_SHEET_LAYOUTS:
        LAYOUTS = VARIETY_LAYOUTS  # noqa: N806 - a corroborating certificate of the same profile

    course = ref.course(sheet.course_post_number)
    if not sheet.official_signed or course is None:
        return []
    rows = {r.officer.badge_number: r for r in sheet.rows if r.officer is not None}
    truth: list[dict] = []
    for line in lines:
        row = rows.get(line["expected_match"]["officer_badge"] or "")
        if line["expected_status"] != "verified" or row is None or row.officer is None \
                or rng.random() >= CORROBORATED_SHARE:
            continue
        original = PlannedRecord(
            case="valid", variant="sign_in_row", state=sheet.state, officer=row.officer,
            person=row.person, role=row.officer.role, badge=row.badge, course=course,
            post_number=sheet.post_number, title=sheet.title, day=sheet.day, date_start=None,
            hours=sheet.hours, instructor=sheet.instructor, location=sheet.location,
            fmt=course.format, page=line["page"], rel_path=sheet.rel_path)
        cert = duplicate_of(rng, original)
        stem, ext = sheet.rel_path.rsplit(".", 1)
        doc = PlannedDocument(
            _CERT_INDEX + 100 * sheet.index + 30 * (line["page"] - 1) + line["row"],
            sheet.condition, "pdf" if ext == "pdf" else "tiff",
            f"{stem}_cert_p{line['page']}r{line['row']:02d}.{ext}")
        doc.pages.append(PlannedPage("certificate", rng.choice(LAYOUTS), record=cert))
        cert.doc_index, cert.page, cert.condition = doc.index, 1, sheet.condition
        cert.layout, cert.rel_path = doc.pages[0].layout, doc.rel_path
        for t in write_document(doc, ref, seed, out):
            t["duplicate_of"]["row"] = line["row"]
            t["corroborates"] = {"file": sheet.rel_path, "page": line["page"],
                                 "row": line["row"]}
            truth.append(t)
        line["corroborated_by"] = doc.rel_path
    return truth
