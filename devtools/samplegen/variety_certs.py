"""Certificate layout families of the ``variety`` profile.

The classic layouts (:mod:`certificates`) each put labels one way. These families cover the
other ways real forms do it, each with its own random field order, captions
(:mod:`variety_words`), fonts (:mod:`fontpool`), date and hours forms:

    caption_under: values typed on evenly spaced lines, a small caption under each line.
    boxed_values: a caption before each value, the value inside a drawn box.
    two_column: the person's facts in one column, the course's in the other.
    prose_band: landscape, the facts inside sentences, signer and instructor apart.
    course_table: the person above, the course facts in a one-row ruled table.
    handfilled: a printed blank form whose values were written in by hand.

:func:`draw_variety_certificate` returns what it printed (exact strings, canonical names),
like :func:`certificates.draw_certificate`, so the truth of every variation is exact. A
value is never wrapped across lines (it is shrunk to fit instead), so the text layer of a
born-digital page holds each printed value as one run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import drawing as dr
from devtools.samplegen import fontpool
from devtools.samplegen import variety_words as vw
from devtools.samplegen import wording as wd
from devtools.samplegen.certificates import CertificateFacts, Printed

VARIETY_LAYOUTS = ("caption_under", "boxed_values", "two_column", "prose_band",
                   "course_table", "handfilled")
_PERSON = ("officer_name", "badge_number")
_COURSE = ("course_title", "post_number", "training_date", "hours", "instructor_name",
           "location", "training_format")
# The certificate's own number: never worded like a badge caption ("Serial No." is one).
_SERIAL_LABELS = ("Certificate No.", "Certificate #", "Cert. ID", "Verification Code",
                  "Record #")
_HAND_INK = (Color(0.08, 0.12, 0.42), Color(0.1, 0.1, 0.1), Color(0.15, 0.2, 0.5))


@dataclass
class VTexts:
    """Every string one certificate prints, chosen once."""

    facts: CertificateFacts
    values: dict[str, str | None]
    captions: dict[str, str]
    name_canonical: str | None
    instructor_canonical: str | None
    rank: str
    heading: str
    signer: str
    signer_title: str
    issue_date: str
    serial: str | None
    order: list[str] = field(default_factory=list)

    def printed(self, layout: str) -> Printed:
        return Printed(dict(self.values),
                       self.name_canonical if self.values["officer_name"] else None,
                       self.instructor_canonical if self.values["instructor_name"] else None,
                       layout)

    def present(self, fields: tuple[str, ...] | list[str]) -> list[str]:
        """The fields of ``fields`` this certificate prints, in its own order."""
        return [f for f in self.order if f in fields and self.values.get(f)]


@dataclass(frozen=True)
class VStyle:
    body: dr.FontFamily
    heading: dr.FontFamily
    accent: Color
    ink: Color
    upper_captions: bool
    colon: str


def draw_variety_certificate(c: Canvas, facts: CertificateFacts, layout: str,
                             rng: random.Random) -> Printed:
    """Draw one certificate of a :data:`VARIETY_LAYOUTS` family on the current page."""
    t = choose_texts(facts, rng)
    s = VStyle(fontpool.choose(rng, mono=layout != "handfilled" and rng.random() < 0.15),
               fontpool.choose(rng, serif=rng.random() < 0.5, mono=False),
               rng.choice(dr.ACCENTS), rng.choice(dr.INKS), rng.random() < 0.35,
               rng.choice((":", ":", "", " -")))
    _DRAW[layout](c, t, s, rng)
    return t.printed(layout)


def choose_texts(f: CertificateFacts, rng: random.Random) -> VTexts:
    """The printed strings of one certificate (truth is taken from them)."""
    values: dict[str, str | None] = dict.fromkeys(_PERSON + _COURSE)
    name_canonical = instr_canonical = None
    if f.officer:
        values["officer_name"], name_canonical = wd.format_name(
            f.officer, rng.choice(wd.NAME_STYLES))
    values["badge_number"] = f.badge_number
    style = rng.choice(vw.DATE_STYLES)
    if f.training_date:
        values["training_date"] = (vw.format_range(f.date_start, f.training_date, style, rng)
                                   if f.date_start else vw.format_date(f.training_date, style))
    if f.hours is not None:
        values["hours"] = vw.format_hours(f.hours, rng)
    values["post_number"] = f.post_number
    title = f.course_title
    values["course_title"] = title.upper() if title and rng.random() < 0.2 else title
    if f.instructor:
        values["instructor_name"], instr_canonical = wd.format_name(
            f.instructor, rng.choice(("natural", "natural_middle", "upper_natural",
                                      "last_first")))
    # the place is left off some forms: the truth then says null
    values["location"] = f.location if rng.random() < 0.8 else None
    if f.show_format and f.training_format:
        values["training_format"] = wd.format_word(rng, f.training_format)
    signer, _ = wd.format_name(f.coordinator, rng.choice(("natural", "natural_middle")))
    issued = f.training_date or f.date_start
    issue_date = vw.format_date(issued.replace(day=min(issued.day, 28)) if issued else
                                _fallback_day(), rng.choice(vw.DATE_STYLES))
    order = list(_PERSON) + list(_COURSE)
    if rng.random() < 0.5:
        head, tail = order[2:4], order[4:]
        rng.shuffle(tail)
        order = order[:2] + head + tail
    else:
        rng.shuffle(order)
    return VTexts(
        facts=f, values=values,
        captions={k: vw.caption(rng, k) for k in vw.CAPTIONS},
        name_canonical=name_canonical, instructor_canonical=instr_canonical,
        rank=wd.rank_for(rng, f.officer_role) if f.officer else "",
        heading=rng.choice(vw.CERT_HEADINGS), signer=signer,
        signer_title=rng.choice(vw.SIGNER_TITLES), issue_date=issue_date,
        serial=wd.serial_number(rng, (issued or _fallback_day()).year)
        if rng.random() < 0.5 else None,
        order=order)


def _fallback_day():
    from datetime import date

    return date(2025, 6, 2)


# --- shared pieces ---------------------------------------------------------------------------


def _cap(t: VTexts, s: VStyle, key: str) -> str:
    text = t.captions[key]
    return (text.upper() if s.upper_captions else text) + s.colon


def _draw_value(c: Canvas, text: str, x: float, y: float, max_w: float, font: str,
                size: float) -> None:
    """Draw a value on one line, shrunk to fit ``max_w`` (never wrapped)."""
    c.setFont(font, dr.fit_size(text, font, size, max_w, min_size=5))
    c.drawString(x, y, text)


def _header(c: Canvas, t: VTexts, s: VStyle, w: float, y: float, rng: random.Random) -> float:
    """Issuer and heading, centred or left; returns the y under them."""
    centred = rng.random() < 0.6
    c.setFillColor(s.accent)
    issuer = t.facts.issuer
    size = dr.fit_size(issuer, s.heading.bold, 13, w - 100)
    c.setFont(s.heading.bold, size)
    (c.drawCentredString(w / 2, y, issuer) if centred else c.drawString(50, y, issuer))
    y -= 30
    heading = t.heading.upper() if rng.random() < 0.4 else t.heading
    size = dr.fit_size(heading, s.heading.bold, 20, w - 100)
    c.setFont(s.heading.bold, size)
    (c.drawCentredString(w / 2, y, heading) if centred else c.drawString(50, y, heading))
    c.setFillColor(s.ink)
    return y - 30


def _signatures(c: Canvas, t: VTexts, s: VStyle, w: float, y: float,
                rng: random.Random) -> None:
    """The signer's block (never the instructor) and, on some forms, the instructor's."""
    y = max(y, 70)
    blocks = [[t.signer, t.signer_title]]
    if t.values["instructor_name"] and rng.random() < 0.5:
        blocks.append([t.values["instructor_name"], rng.choice(vw.INSTRUCTOR_TITLES)])
    if rng.random() < 0.5:
        blocks.reverse()
    x = 60
    for lines in blocks:
        dr.draw_signature_block(c, x, y, 200, lines, s.body.regular, 8.5, rng)
        x += 260
    c.setFont(s.body.regular, 7.5)
    bits = [f"{rng.choice(('Issued', 'Date of issue', 'Printed'))} {t.issue_date}"]
    if t.serial:
        bits.append(wd.labelled(rng, rng.choice(_SERIAL_LABELS), t.serial))
    c.drawString(60, 36, "    ".join(bits))


def _format_marks(c: Canvas, t: VTexts, s: VStyle, x: float, y: float,
                  rng: random.Random) -> float:
    """The delivery format as a row of boxes, the right one ticked (a drawn mark)."""
    c.setFont(s.body.bold, 9)
    head = _cap(t, s, "training_format")
    c.drawString(x, y, head)
    cx = x + dr.width(head, s.body.bold, 9) + 12
    fmt = t.facts.training_format
    for key in ("classroom", "online", "scenario", "hybrid"):
        word = t.values["training_format"] if key == fmt else wd.FORMAT_WORDS[key][0]
        c.rect(cx, y - 1, 8, 8)
        if key == fmt:
            c.saveState()
            c.setLineWidth(1.3)
            c.line(cx + 1, y + 3, cx + 3.5, y)
            c.line(cx + 3.5, y, cx + 9, y + 9)
            c.restoreState()
        c.setFont(s.body.regular, 9)
        c.drawString(cx + 12, y, word)
        cx += dr.width(word, s.body.regular, 9) + 26
    return y - 22


# --- caption under -------------------------------------------------------------------------


def _draw_caption_under(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    y = _header(c, t, s, w, h - 60, rng)
    lead = rng.choice(vw.NAME_LEADS)
    c.setFont(s.body.italic, 10)
    c.drawString(60, y, f"{lead}:" if not lead.endswith("that") else lead)
    y -= 34
    fields = t.present(_PERSON + _COURSE)
    fields = [f for f in fields if f != "training_format"]
    gap = rng.uniform(40, 50)
    rows: list[list[str]] = []
    for f in fields:
        wide = f in ("officer_name", "course_title", "location")
        if rows and not wide and len(rows[-1]) < 2 and rows[-1][0] not in (
                "officer_name", "course_title", "location"):
            rows[-1].append(f)
        else:
            rows.append([f])
    span = w - 120
    for row in rows:
        cell = span / len(row)
        for i, f in enumerate(row):
            x = 60 + i * cell
            c.setLineWidth(0.6)
            c.line(x, y - 3, x + cell - 16, y - 3)
            _draw_value(c, t.values[f] or "", x + 4, y, cell - 24, s.body.regular, 11.5)
            c.setFont(s.body.regular, 7)
            c.drawString(x, y - 12, t.captions[f].upper() if s.upper_captions
                         else t.captions[f])
        y -= gap
    if t.values["training_format"]:
        y = _format_marks(c, t, s, 60, y, rng)
    c.setFont(s.body.regular, 8.5)
    c.drawString(60, y - 4, rng.choice(vw.CLOSINGS))
    _signatures(c, t, s, w, min(y - 60, 140), rng)


# --- boxed values ----------------------------------------------------------------------------


def _draw_boxed_values(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    portrait = rng.random() < 0.7
    w, h = letter if portrait else landscape(letter)
    c.setPageSize((w, h))
    y = _header(c, t, s, w, h - 56, rng)
    fields = [f for f in t.present(_PERSON + _COURSE) if f != "training_format"]
    cap_w = max(dr.width(_cap(t, s, f), s.body.bold, 9) for f in fields) + 10
    box_h = rng.uniform(20, 26)
    x0 = 60
    for f in fields:
        c.setFont(s.body.bold, 9)
        c.drawRightString(x0 + cap_w - 6, y - box_h + 7, _cap(t, s, f))
        c.setLineWidth(0.8)
        c.rect(x0 + cap_w, y - box_h, w - 2 * x0 - cap_w, box_h)
        _draw_value(c, t.values[f] or "", x0 + cap_w + 6, y - box_h + 7,
                    w - 2 * x0 - cap_w - 12, s.body.regular, 11)
        y -= box_h + rng.uniform(6, 12)
    if t.values["training_format"]:
        y = _format_marks(c, t, s, x0, y - 8, rng)
    _signatures(c, t, s, w, min(y - 50, 130), rng)


# --- two columns -----------------------------------------------------------------------------


def _draw_two_column(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    y = _header(c, t, s, w, h - 60, rng)
    if t.values["course_title"]:
        c.setFont(s.body.bold, 9)
        c.drawString(60, y, _cap(t, s, "course_title"))
        _draw_value(c, t.values["course_title"], 60, y - 16, w - 120, s.heading.bold, 14)
        y -= 44
    left = [f for f in t.present(_PERSON + ("location",))]
    right = [f for f in t.present(_COURSE) if f not in ("course_title", "location")]
    if rng.random() < 0.5:
        left, right = right, left
    col_w = (w - 140) / 2
    leaders = rng.random() < 0.5
    y_end = y
    for col, fields in enumerate((left, right)):
        x = 60 + col * (col_w + 20)
        yy = y
        for f in fields:
            cap = _cap(t, s, f)
            c.setFont(s.body.bold, 9)
            c.drawString(x, yy, cap)
            if leaders:  # a caption, dot leaders, then the value on the same line
                vx = x + max(dr.width(cap, s.body.bold, 9) + 8, col_w * 0.42)
                c.setFont(s.body.regular, 8)
                room = vx - x - dr.width(cap, s.body.bold, 9) - 8
                dots = "." * max(0, int(room / dr.width(".", s.body.regular, 8)))
                c.drawString(x + dr.width(cap, s.body.bold, 9) + 3, yy, dots)
                _draw_value(c, t.values[f] or "", vx, yy, col_w - (vx - x), s.body.regular,
                            10.5)
                yy -= 22
            else:  # caption above, value below
                _draw_value(c, t.values[f] or "", x + 8, yy - 14, col_w - 8, s.body.regular,
                            11)
                yy -= 36
        y_end = min(yy, y_end)
    _signatures(c, t, s, w, min(y_end - 50, 140), rng)


# --- prose band ------------------------------------------------------------------------------


def _draw_prose_band(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    w, h = landscape(letter)
    c.setPageSize((w, h))
    inner = dr.draw_border(c, w, h, rng, s.accent)
    y = _header(c, t, s, w, h - inner - 24, rng)
    v, k = t.values, dr.keep
    c.setFont(s.body.italic, 12)
    c.drawCentredString(w / 2, y, rng.choice(vw.NAME_LEADS))
    y -= 32
    if v["officer_name"]:
        line = f"{t.rank} {v['officer_name']}".strip()
        size = dr.fit_size(line, s.heading.bold, 24, w - 2 * inner - 60)
        c.setFont(s.heading.bold, size)
        c.drawCentredString(w / 2, y, line)
        y -= 22
    if v["badge_number"]:
        c.setFont(s.body.regular, 10.5)
        c.drawCentredString(w / 2, y, f"{t.captions['badge_number']} {v['badge_number']}")
        y -= 22
    c.setFont(s.body.italic, 12)
    c.drawCentredString(w / 2, y, rng.choice(vw.COURSE_LEADS))
    y -= 26
    if v["course_title"]:
        size = dr.fit_size(v["course_title"], s.heading.bold, 17, w - 2 * inner - 60)
        c.setFont(s.heading.bold, size)
        c.drawCentredString(w / 2, y, v["course_title"])
        y -= 24
    parts = []
    if v["post_number"]:
        parts.append(f"({k(t.captions['post_number'])} {k(v['post_number'])})")
    if v["location"]:
        parts.append(f"{rng.choice(('held at', 'at', 'given at'))} {k(v['location'])}")
    if v["training_date"]:
        parts.append(f"{rng.choice(('on', 'concluding', 'dated'))} {k(v['training_date'])}")
    if v["hours"]:
        parts.append(f"{rng.choice(('for a total of', 'earning', 'credited with'))}"
                     f" {k(v['hours'])}"
                     + ("" if any(u in v["hours"] for u in ("hr", "hour")) else " hours"))
    if v["instructor_name"]:
        parts.append(f"{rng.choice(('under', 'led by', 'with'))} "
                     f"{k(t.captions['instructor_name'])} {k(v['instructor_name'])}")
    if v["training_format"]:
        parts.append(f"({k(t.captions['training_format'])}: {k(v['training_format'])})")
    sentence = " ".join(parts) + "."
    lines = dr.wrap(sentence, s.body.regular, 11.5, w - 2 * inner - 120)
    y = dr.draw_centered_lines(c, lines, w / 2, y, s.body.regular, 11.5, 16)
    base = inner + 50
    blocks = [[t.signer, t.signer_title]]
    if rng.random() < 0.5:
        dr.draw_seal(c, w / 2, base + 14, 34, rng, s.accent, "TRAINING UNIT")
    dr.draw_signature_block(c, w - inner - 240, base, 200, blocks[0], s.body.regular, 9, rng)
    c.setFont(s.body.regular, 7.5)
    c.drawString(inner + 20, inner + 4, f"{rng.choice(('Issued', 'Awarded'))} {t.issue_date}")


# --- course table -----------------------------------------------------------------------------


def _draw_course_table(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    w, h = landscape(letter) if rng.random() < 0.5 else letter
    c.setPageSize((w, h))
    y = _header(c, t, s, w, h - 56, rng)
    v = t.values
    for f in t.present(_PERSON + ("course_title", "location")):
        c.setFont(s.body.bold, 10)
        cap = _cap(t, s, f)
        c.drawString(60, y, cap)
        x = 60 + max(dr.width(cap, s.body.bold, 10) + 10, 130)
        _draw_value(c, v[f] or "", x, y, w - 60 - x, s.body.regular, 11)
        y -= 22
    y -= 10
    cols = [f for f in t.present(_COURSE) if f not in ("course_title", "location")]
    extras = [(rng.choice(("Result", "Outcome", "Status")),
               rng.choice(("Pass", "Passed", "Complete", "Satisfactory"))),
              (rng.choice(("Credit Type", "Category")),
               rng.choice(("Mandated", "In-Service", "Elective", "Required")))]
    cells = [(_cap(t, s, f).rstrip(":- "), v[f] or "") for f in cols]
    for extra in rng.sample(extras, rng.randint(0, 2)):
        cells.insert(rng.randrange(len(cells) + 1), extra)
    weights = [max(dr.width(val, s.body.regular, 10), dr.width(head, s.body.bold, 8)) + 16
               for head, val in cells]
    scale = (w - 120) / sum(weights)
    x, row_h = 60.0, 22.0
    c.setLineWidth(0.7)
    for (head, val), wt in zip(cells, weights, strict=True):
        cw = wt * scale
        c.setFillColor(Color(0.88, 0.88, 0.9))
        c.rect(x, y - row_h, cw, row_h, stroke=1, fill=1)
        c.setFillColor(s.ink)
        c.rect(x, y - 2 * row_h, cw, row_h, stroke=1, fill=0)
        _draw_value(c, head, x + 4, y - row_h + 7, cw - 8, s.body.bold, 8)
        _draw_value(c, val, x + 4, y - 2 * row_h + 7, cw - 8, s.body.regular, 10)
        x += cw
    y -= 2 * row_h + 30
    c.setFont(s.body.regular, 9)
    c.drawString(60, y, rng.choice(vw.CLOSINGS))
    _signatures(c, t, s, w, min(y - 50, 130), rng)


# --- hand-filled form ------------------------------------------------------------------------


def _draw_handfilled(c: Canvas, t: VTexts, s: VStyle, rng: random.Random) -> None:
    w, h = letter
    c.setPageSize((w, h))
    y = _header(c, t, s, w, h - 60, rng)
    fields = [f for f in t.present(_PERSON + _COURSE) if f != "training_format"]
    hand = fontpool.choose_hand(rng, [t.values[f] or "" for f in fields])
    ink = rng.choice(_HAND_INK)
    for f in fields:
        cap = _cap(t, s, f)
        c.setFillColor(s.ink)
        c.setFont(s.body.regular, 9.5)
        c.drawString(60, y, cap)
        x = 60 + max(dr.width(cap, s.body.regular, 9.5) + 8, 150)
        c.setLineWidth(0.5)
        c.line(x, y - 2, w - 60, y - 2)
        c.setFillColor(ink)
        face = hand or s.body.italic
        _draw_value(c, t.values[f] or "", x + rng.uniform(2, 20), y + rng.uniform(0, 2),
                    w - 64 - x - 20, face, rng.uniform(11, 14))
        y -= rng.uniform(30, 38)
    c.setFillColor(s.ink)
    if t.values["training_format"]:
        y = _format_marks(c, t, s, 60, y, rng)
    _signatures(c, t, s, w, min(y - 50, 130), rng)


_DRAW = {"caption_under": _draw_caption_under, "boxed_values": _draw_boxed_values,
         "two_column": _draw_two_column, "prose_band": _draw_prose_band,
         "course_table": _draw_course_table, "handfilled": _draw_handfilled}
