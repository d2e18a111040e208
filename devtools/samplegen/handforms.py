"""Typed forms whose date and hours are written in by pen (issue 16: written header values).

Two documents of our own, each a typed form with blank lines after some labels on which a
hand wrote the value, in a Debian handwriting font no corpus uses
(:data:`devtools.samplegen.handsheets.HAND_FONTS`):

- a sign-in sheet whose header prints the course and its number and leaves ``Session
  Date: ______`` and ``Contact Hours: ____`` to be written in, over a ruled table of
  typed attendees;
- a training record (a certificate-like form) with the officer, badge, course and number
  typed and the ``Date of Class`` and ``Hours`` lines written in.

Either can be left with its blanks empty (``written=False``) and turned into a fax
(:func:`as_fax`: 200 dpi, black and white, with the specks a fax line leaves).
Everything random comes from the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from devtools.samplegen.drawing import find_font_file
from devtools.samplegen.handsheets import DPI, _as_scan, _scribble, _write, plan_rows

FAX_DPI = 200


@dataclass(frozen=True)
class HandForm:
    """A rendered form and what was written (or typed) on it."""

    image: Image.Image
    kind: str  # sheet | record
    course: str
    post_number: str
    day: str  # as written, MM/DD/YYYY
    hours: str
    written: bool
    people: tuple  # the typed attendees (sheet) or the one officer (record)


def _fonts(font_file: str) -> tuple[Path, Path]:
    hand_path, print_path = find_font_file(font_file), find_font_file("DejaVuSans.ttf")
    if hand_path is None or print_path is None:
        raise FileNotFoundError(f"font {font_file} or DejaVuSans.ttf is not installed")
    return hand_path, print_path


def _blank(d: ImageDraw.ImageDraw, label: str, x: float, y: float, line_w: float,
           font: ImageFont.FreeTypeFont) -> float:
    """A typed label and the blank line after it; returns where the line starts (px)."""
    d.text((x, y), label, fill=20, font=font, anchor="ls")
    start = x + d.textlength(label, font=font) + 0.4 * font.size
    d.line([(start, y + 0.25 * font.size), (start + line_w, y + 0.25 * font.size)],
           fill=40, width=2)
    return start


def _overwrite(d: ImageDraw.ImageDraw, text: str, index: int, digit: str, x: float, y: float,
               max_w: float, font_path: Path, rng: random.Random) -> None:
    """``text`` written as :func:`_write` writes it, with its ``index``-th letter written over
    by ``digit``: a writer's corrected slip (a year begun with last year's digit)."""
    state = rng.getstate()
    _write(d, text, x, y, max_w, font_path, rng)
    rng.setstate(state)  # the same size and jitter as the writing it corrects
    size = rng.uniform(14, 17) * DPI / 72.0
    font = ImageFont.truetype(str(font_path), round(size))
    while d.textlength(text, font=font) > max_w and size > 20:
        size *= 0.92
        font = ImageFont.truetype(str(font_path), round(size))
    dx = d.textlength(text[:index], font=font)
    d.text((x + dx + 0.08 * size, y - 0.05 * size), digit, fill=30, font=font, anchor="ls")


def render_hand_form_sheet(font_file: str, seed: int, written: bool = True,
                           corrected_year: bool = False, dated: bool = False) -> HandForm:
    """A typed sign-in sheet whose date and hours are written by hand on their lines.

    ``corrected_year``: the date's year was written over (one of its digits corrected);
    ``dated``: the official wrote the same day, with a two-digit year, beside the signature.
    """
    rng = random.Random(f"handform-sheet-{font_file}-{seed}")
    hand_path, print_path = _fonts(font_file)
    pt = DPI / 72.0
    page = Image.new("L", (int(8.5 * DPI), int(11 * DPI)), 250)
    d = ImageDraw.Draw(page)
    typed = lambda size: ImageFont.truetype(str(print_path), round(size * pt))  # noqa: E731
    course, number = "Calm Contact and Verbal Skills", f"{rng.randint(1000, 9999)}"
    day = f"{rng.randint(1, 12):02d}/{rng.randint(10, 28)}/2025"
    hours = rng.choice(("4", "6", "8", "7.5"))
    d.text((40 * pt, 46 * pt), "CLASS ATTENDANCE RECORD", fill=20, font=typed(15))
    f10 = typed(10)
    d.text((40 * pt, 88 * pt), f"Course Title: {course}", fill=20, font=f10, anchor="ls")
    d.text((40 * pt, 110 * pt), f"Course Number: {number}", fill=20, font=f10, anchor="ls")
    date_at = _blank(d, "Session Date:", 40 * pt, 134 * pt, 130 * pt, f10)
    hours_at = _blank(d, "Contact Hours:", 300 * pt, 134 * pt, 70 * pt, f10)
    if written and corrected_year:
        _overwrite(d, day, len(day) - 2, "1", date_at + 6 * pt, 134 * pt, 120 * pt, hand_path,
                   rng)
        _write(d, hours, hours_at + 8 * pt, 134 * pt, 60 * pt, hand_path, rng)
    elif written:
        _write(d, day, date_at + 6 * pt, 134 * pt, 120 * pt, hand_path, rng)
        _write(d, hours, hours_at + 8 * pt, 134 * pt, 60 * pt, hand_path, rng)
    people = plan_rows(rng, 5)
    cols = [("Printed Name", 230), ("Badge #", 100), ("Signature", 200)]
    x0, top, row_h = 40.0, 170.0, 28.0
    xs = [x0]
    for _, cw in cols:
        xs.append(xs[-1] + cw)
    for i in range(len(people) + 2):
        y = (top + i * row_h) * pt
        d.line([(x0 * pt, y), (xs[-1] * pt, y)], fill=30, width=3)
    for x in xs:
        d.line([(x * pt, top * pt), (x * pt, (top + (len(people) + 1) * row_h) * pt)],
               fill=30, width=3)
    for (head, _), x in zip(cols, xs, strict=False):
        d.text(((x + 6) * pt, (top + 9) * pt), head, fill=20, font=f10)
    for i, person in enumerate(people):
        y = top + (i + 1) * row_h
        d.text(((xs[0] + 6) * pt, (y + 9) * pt), person.full, fill=20, font=f10)
        d.text(((xs[1] + 6) * pt, (y + 9) * pt), person.badge, fill=20, font=f10)
        _scribble(d, (xs[2] + 10) * pt, (y + row_h / 2) * pt, 110 * pt, 7 * pt, rng)
    foot = top + (len(people) + 1) * row_h + 60
    _scribble(d, 330 * pt, (foot - 14) * pt, 150 * pt, 9 * pt, rng)
    d.line([(320 * pt, foot * pt), (560 * pt, foot * pt)], fill=30, width=3)
    d.text((330 * pt, (foot + 4) * pt), "Training Official Signature", fill=20, font=typed(9))
    if dated:
        month, dom, year = day.split("/")
        on = _blank(d, "Date:", 40 * pt, foot * pt, 110 * pt, typed(9))
        _write(d, f"{int(month)}/{int(dom)}/{year[2:]}", on + 6 * pt, foot * pt, 90 * pt,
               hand_path, rng)
    return HandForm(_as_scan(page, rng), "sheet", course, number, day, hours, written, people)


def render_hand_form_record(font_file: str, seed: int, written: bool = True) -> HandForm:
    """A typed training record (one officer) whose date and hours are written by hand."""
    rng = random.Random(f"handform-record-{font_file}-{seed}")
    hand_path, print_path = _fonts(font_file)
    pt = DPI / 72.0
    page = Image.new("L", (int(11 * DPI), int(8.5 * DPI)), 250)  # landscape, as awards are
    d = ImageDraw.Draw(page)
    typed = lambda size: ImageFont.truetype(str(print_path), round(size * pt))  # noqa: E731
    (person,) = plan_rows(rng, 1)
    course, number = "Calm Contact and Verbal Skills", f"{rng.randint(1000, 9999)}"
    day = f"{rng.randint(1, 12):02d}/{rng.randint(10, 28)}/2025"
    hours = rng.choice(("4", "6", "8", "7.5"))
    d.text((250 * pt, 70 * pt), "Record of Completed Training", fill=20, font=typed(22))
    f12 = typed(12)
    lines = [(f"Officer Name: {person.full}", 150), (f"Badge #: {person.badge}", 180),
             (f"Course Title: {course}", 210), (f"Course Number: {number}", 240)]
    for text, y in lines:
        d.text((110 * pt, y * pt), text, fill=20, font=f12, anchor="ls")
    date_at = _blank(d, "Date of Class:", 110 * pt, 280 * pt, 150 * pt, f12)
    hours_at = _blank(d, "Hours:", 420 * pt, 280 * pt, 80 * pt, f12)
    if written:
        _write(d, day, date_at + 8 * pt, 280 * pt, 140 * pt, hand_path, rng)
        _write(d, hours, hours_at + 10 * pt, 280 * pt, 70 * pt, hand_path, rng)
    _scribble(d, 470 * pt, 420 * pt, 160 * pt, 9 * pt, rng)
    d.line([(450 * pt, 436 * pt), (690 * pt, 436 * pt)], fill=30, width=3)
    d.text((460 * pt, 442 * pt), "Authorized Signature", fill=20, font=typed(10))
    return HandForm(_as_scan(page, rng), "record", course, number, day, hours, written,
                    (person,))


def as_fax(image: Image.Image, seed: int) -> Image.Image:
    """The page as a fax machine sends it: 200 dpi, black and white, a few specks."""
    k = FAX_DPI / DPI
    small = image.resize((round(image.width * k), round(image.height * k)), Image.LANCZOS)
    a = np.asarray(small, dtype=np.uint8) < 150
    rng = np.random.default_rng(seed)
    specks = rng.random(a.shape) < 0.0008
    return Image.fromarray(np.where(a | specks, 0, 255).astype(np.uint8)).convert("1")


def write_hand_form(form: HandForm, path: Path, fax: bool = False, seed: int = 0) -> Path:
    """Save a form as a 300-dpi grayscale PNG, or as a 200-dpi black-and-white fax."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if fax:
        as_fax(form.image, seed).save(path, dpi=(FAX_DPI, FAX_DPI))
    else:
        form.image.save(path, dpi=(DPI, DPI))
    return path
