"""Sign-in sheet layout families of the ``variety`` profile.

Planning, rows and truth are the classic sheets' (:mod:`signin`); what changes is how a
sheet looks. Families (:data:`VARIETY_SHEET_LAYOUTS`):

    ruled_table: portrait, columns in a random order with optional extra columns.
    landscape_log: landscape, many columns (rank, unit, time in, time out), fewer rows per
        page, so a class runs to more pages.
    split_names: the name in two columns (last, first), in either order.
    hand_filled: a blank roster the attendees filled in by hand (handwriting fonts).

Each sheet also draws a header style (``labels_before``: ``Caption: value``;
``captions_under``: values on lines, captions under them; ``boxed``: a grid of boxes with a
small caption on top), captions and headings from :mod:`variety_words`, a date form, a font,
and sometimes an attestation sentence under the table (a sheet that "certifies" is still a
sheet). The choice is recorded in each truth line's ``sheet_style``.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import fontpool
from devtools.samplegen import variety_words as vw
from devtools.samplegen import wording as wd
from devtools.samplegen.signin import PlannedSheet, SheetRow, sheet_truth

VARIETY_SHEET_LAYOUTS = ("ruled_table", "landscape_log", "split_names", "hand_filled")
HEADER_STYLES = ("labels_before", "captions_under", "boxed")
_HEADER_FIELDS = ("course_title", "post_number", "training_date", "hours", "instructor_name",
                  "location")
_HAND_INK = dr.SIGNATURE_INKS


@dataclass(frozen=True)
class VSheetStyle:
    """The look of one sheet, drawn once so every page agrees."""

    family: dr.FontFamily
    pagesize: tuple[float, float]
    header: str
    heading: str
    columns: tuple[tuple[str, str, float], ...]  # (role, heading, width in points)
    captions: dict[str, str]
    values: dict[str, str | None]  # header field -> printed text (None: not printed)
    row_height: float
    rows_first_page: int
    rows_next_page: int
    note: str | None
    official_caption: str
    hand: str | None

    def describe(self) -> dict:
        """What the truth records about the look."""
        return {"header": self.header, "columns": [r for r, _, _ in self.columns],
                "landscape": self.pagesize[0] > self.pagesize[1], "note": bool(self.note),
                "hand": self.hand}


def choose_style(rng: random.Random, sheet: PlannedSheet) -> VSheetStyle:
    """Columns, header, captions and printed header values of one sheet."""
    wide = sheet.layout == "landscape_log"
    pagesize = landscape(letter) if wide or rng.random() < 0.15 else letter
    roles = ["badge", "signature"]
    roles += ["last", "first"] if sheet.layout == "split_names" else ["name"]
    extras = ["rank", "unit", "time_in", "time_out"]
    want = rng.randint(2, 4) if wide else rng.randint(0, 2)
    for extra in rng.sample(extras, want):
        roles.append(extra)
    if "time_out" in roles and "time_in" not in roles:
        roles.append("time_in")
    rng.shuffle(roles)
    if sheet.layout == "split_names" and rng.random() < 0.7:  # usually last then first
        i, j = roles.index("last"), roles.index("first")
        if i > j:
            roles[i], roles[j] = roles[j], roles[i]
    if rng.random() < 0.8:
        roles.insert(0, "no")
    base = {"no": 26, "name": 160, "last": 95, "first": 85, "badge": 75, "signature": 140,
            "rank": 45, "unit": 70, "time_in": 48, "time_out": 48}
    total = sum(base[r] for r in roles)
    scale = (pagesize[0] - 72) / total
    columns = tuple((r, rng.choice(vw.SHEET_HEADS[r]), base[r] * scale) for r in roles)
    date_style = rng.choice(vw.DATE_STYLES)
    values: dict[str, str | None] = {
        "course_title": sheet.title, "post_number": sheet.post_number,
        "training_date": vw.format_date(sheet.day, date_style),
        "hours": vw.format_hours(sheet.hours, rng),
        "instructor_name": sheet.instructor.full if sheet.instructor else None,
        "location": sheet.location if rng.random() < 0.75 else None,
    }
    header = rng.choice(HEADER_STYLES)
    row_h = rng.uniform(20, 26) if sheet.layout != "hand_filled" else rng.uniform(24, 28)
    header_h = {"labels_before": 150, "captions_under": 200, "boxed": 200}[header]
    first = int((pagesize[1] - header_h - 110) // row_h) - 1
    following = int((pagesize[1] - 160) // row_h) - 1
    hand = None
    if sheet.layout == "hand_filled":
        texts = [r.printed_name for r in sheet.rows] + [r.badge for r in sheet.rows]
        hand = fontpool.choose_hand(rng, texts)
    return VSheetStyle(
        family=fontpool.choose(rng, mono=False), pagesize=pagesize, header=header,
        heading=rng.choice(vw.SHEET_HEADINGS), columns=columns,
        captions={k: vw.caption(rng, k) for k in _HEADER_FIELDS}, values=values,
        row_height=row_h, rows_first_page=max(4, first), rows_next_page=max(6, following),
        note=rng.choice(vw.SHEET_NOTES) if rng.random() < 0.45 else None,
        official_caption=rng.choice(vw.OFFICIAL_CAPTIONS), hand=hand)


def page_rows(sheet: PlannedSheet, style: VSheetStyle) -> list[list[int]]:
    """Row indices on each page (blank trailing rows as ``-1``)."""
    indices = list(range(len(sheet.rows))) + [-1] * sheet.blank_rows
    pages = [indices[: style.rows_first_page]]
    rest = indices[style.rows_first_page:]
    while rest:
        pages.append(rest[: style.rows_next_page])
        rest = rest[style.rows_next_page:]
    if len(pages) > 1 and all(i == -1 for i in pages[-1]):
        pages.pop()
    return pages


def draw_sheet(c: Canvas, sheet: PlannedSheet, rng: random.Random,
               style: VSheetStyle) -> list[list[int]]:
    """Draw every page of a sheet; return the row indices printed on each page."""
    pages = page_rows(sheet, style)
    start = 0
    w, h = style.pagesize
    for number, indices in enumerate(pages, start=1):
        c.setPageSize(style.pagesize)
        if number == 1:
            top = _draw_header(c, sheet, style, rng)
        else:
            c.setFont(style.family.bold, 11)
            c.drawString(36, h - 46, f"{style.heading} ({rng.choice(('cont.', 'continued'))})")
        c.setFont(style.family.regular, 8.5)
        c.drawRightString(w - 36, h - 30 if number == 1 else h - 46,
                          f"Page {number} of {len(pages)}")
        top = top if number == 1 else h - 70
        bottom = _draw_table(c, sheet, style, indices, top, start, rng)
        start += len(indices)
        if number == len(pages):
            _draw_footer(c, sheet, style, rng, bottom)
        c.showPage()
    return pages


def _draw_header(c: Canvas, sheet: PlannedSheet, style: VSheetStyle,
                 rng: random.Random) -> float:
    w, h = style.pagesize
    fam = style.family
    c.setFont(fam.bold, 15)
    c.drawCentredString(w / 2, h - 50, style.heading)
    c.setFont(fam.regular, 9)
    c.drawCentredString(w / 2, h - 64, rng.choice(wd.AGENCIES[sheet.state]))
    fields = [f for f in _HEADER_FIELDS if style.values[f]]
    if rng.random() < 0.5:
        fields = fields[2:] + fields[:2]
    y = h - 92
    if style.header == "labels_before":
        half = (w - 72) / 2
        for i, f in enumerate(fields):
            x = 36 + (i % 2) * half
            cap = style.captions[f] + ":"
            c.setFont(fam.bold, 9.5)
            c.drawString(x, y, cap)
            vx = x + dr.width(cap, fam.bold, 9.5) + 5
            _value(c, style.values[f] or "", vx, y, x + half - vx - 10, fam.regular, 10)
            if i % 2 == 1:
                y -= 18
        return y - (30 if len(fields) % 2 == 0 else 48)
    per_row = 2 if style.header == "captions_under" else 3
    cell = (w - 72) / per_row
    rows = [fields[i:i + per_row] for i in range(0, len(fields), per_row)]
    for row in rows:
        for i, f in enumerate(row):
            x = 36 + i * cell
            if style.header == "captions_under":
                c.line(x, y - 3, x + cell - 14, y - 3)
                _value(c, style.values[f] or "", x + 3, y, cell - 20, fam.regular, 10.5)
                c.setFont(fam.regular, 7)
                c.drawString(x, y - 12, style.captions[f])
            else:
                c.rect(x, y - 26, cell, 34)
                c.setFont(fam.regular, 6.5)
                c.drawString(x + 3, y, style.captions[f].upper())
                _value(c, style.values[f] or "", x + 5, y - 18, cell - 10, fam.regular, 10)
        y -= 40 if style.header == "captions_under" else 34
    return y - 24


def _value(c: Canvas, text: str, x: float, y: float, max_w: float, font: str,
           size: float) -> None:
    c.setFont(font, dr.fit_size(text, font, size, max_w, min_size=5))
    c.drawString(x, y, text)


def _draw_table(c: Canvas, sheet: PlannedSheet, style: VSheetStyle, indices: list[int],
                top: float, start: int, rng: random.Random) -> float:
    """The ruled table; returns its bottom."""
    rh = style.row_height
    xs = [36.0]
    for _, _, w in style.columns:
        xs.append(xs[-1] + w)
    n = len(indices) + 1
    bottom = top - n * rh
    c.saveState()
    c.setLineWidth(0.7)
    for i in range(n + 1):
        c.line(xs[0], top - i * rh, xs[-1], top - i * rh)
    for x in xs:
        c.line(x, top, x, bottom)
    c.restoreState()
    for (_, head, w), x in zip(style.columns, xs, strict=False):
        _value(c, head, x + 3, top - rh + 7, w - 6, style.family.bold, 8.5)
    for pos, index in enumerate(indices):
        baseline = top - (pos + 2) * rh + 7
        cells = {role: (x, w) for (role, _, w), x in zip(style.columns, xs, strict=False)}
        if "no" in cells and (sheet.layout != "hand_filled" or index >= 0):
            c.setFont(style.family.regular, 8.5)
            c.drawString(cells["no"][0] + 4, baseline, str(start + pos + 1))
        if index >= 0:
            _draw_row(c, style, sheet.rows[index], cells, baseline, rng)
    return bottom


def row_texts(row: SheetRow, rng: random.Random) -> dict[str, str]:
    """What each column of one attendee row holds."""
    last = " ".join(p for p in (row.person.last, row.person.suffix) if p)
    hour_in = rng.randint(6, 9)
    return {"name": row.printed_name, "last": last, "first": row.person.first,
            "badge": row.badge, "rank": rng.choice(vw.RANKS), "unit": rng.choice(vw.UNITS),
            "time_in": f"{hour_in:02d}{rng.choice((':', ''))}{rng.choice(('00', '05', '55'))}",
            "time_out": f"{hour_in + rng.randint(2, 8):02d}:{rng.choice(('00', '10', '30'))}"}


def _draw_row(c: Canvas, style: VSheetStyle, row: SheetRow,
              cells: dict[str, tuple[float, float]], baseline: float,
              rng: random.Random) -> None:
    texts = row_texts(row, rng)
    hand = style.hand
    ink = rng.choice(_HAND_INK)
    for role, text in texts.items():
        if role not in cells:
            continue
        x, w = cells[role]
        if hand:
            c.saveState()
            c.setFillColor(ink)
            _value(c, text, x + rng.uniform(2, 6), baseline + rng.uniform(-1.5, 1.5), w - 8,
                   hand, rng.uniform(10, 13))
            c.restoreState()
        else:
            _value(c, text, x + 4, baseline, w - 8, style.family.regular, 9.5)
    if row.signed:
        x, w = cells["signature"]
        c.saveState()
        c.translate(0, baseline - 5)
        c.scale(1, 0.6)
        dr.draw_scribble(c, x + 5, 0, min(w - 10, 110), rng)
        c.restoreState()


def _draw_footer(c: Canvas, sheet: PlannedSheet, style: VSheetStyle, rng: random.Random,
                 bottom: float) -> None:
    w, _ = style.pagesize
    y = bottom - 22
    if style.note:
        c.setFont(style.family.italic, 8.5)
        c.drawString(36, max(y, 96), style.note)
        y -= 20
    y = max(y - 24, 52)
    dr.draw_signature_block(c, w - 290, y, 230, [style.official_caption],
                            style.family.regular, 8, rng, signed=sheet.official_signed)


# --- documents -------------------------------------------------------------------------------


def render_sheet_pdf(sheet: PlannedSheet, seed: int) -> tuple[bytes, list[list[int]], dict]:
    """A planned sheet as a born-digital PDF, its rows per page and its style's record."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    rng = random.Random(f"credence-vsheet-{seed}-{sheet.index}")
    style = choose_style(rng, sheet)
    pages = draw_sheet(c, sheet, rng, style)
    c.save()
    return buf.getvalue(), pages, {"style": style.describe(), "values": style.values}


def sheet_truth_lines(sheet: PlannedSheet, pages: list[list[int]], look: dict) -> list[dict]:
    """The classic per-row truth, with what this look printed (a place left off: null)."""
    lines = sheet_truth(sheet, pages)
    for line in lines:
        line["handwritten"] = sheet.layout == "hand_filled"
        line["sheet_style"] = look["style"]
        line["printed_header"] = dict(look["values"])
        if look["values"]["location"] is None:
            line["fields"]["location"] = None
        if sheet.layout == "split_names":
            row = next(r for r in sheet.rows if r.badge == line["printed"]["badge_number"]
                       and r.canonical == line["fields"]["officer_name"])
            last = " ".join(p for p in (row.person.last, row.person.suffix) if p)
            line["printed"]["officer_name"] = f"{last} | {row.person.first}"
    return lines
