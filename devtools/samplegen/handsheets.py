"""Hand-filled sign-in sheets in real handwriting fonts, as scans (issue 16, point 4).

The corpus generator's ``handwritten`` layout jitters an oblique print face; these sheets
are written in handwriting fonts from Debian's font packages that no development corpus
uses (:data:`HAND_FONTS`, installed by ``scripts/setup.sh``), so the second recognizer is
tested on hands no one tuned it to. A sheet is drawn straight onto a 300-dpi grayscale
page with Pillow (which also reads OpenType fonts): a typed header, a ruled table
``# | Printed Name | Badge # | Signature`` whose name and badge cells are written by hand
in blue-black ink with a little jitter of size, slope and baseline per word, a scribbled
signature per row, and a signed official's line at the foot. Light noise and a slight
blur make it a scan. Everything random comes from the seed: same seed, same pixels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from devtools.samplegen.drawing import find_font_file

#: Handwriting fonts (file name -> Debian package), none of them in any corpus we read.
HAND_FONTS = {
    "dkg.ttf": "fonts-dkg-handwriting",
    "Breip.ttf": "fonts-breip",
    "Humor-Sans.ttf": "fonts-humor-sans",
    "femkeklaver.ttf": "fonts-femkeklaver",
}
DPI = 300
_FIRST = ("Aurelio", "Bettina", "Cormac", "Delphine", "Eamon", "Fenella", "Gideon", "Hollis",
          "Imogen", "Jarrah", "Kestrel", "Lorcan", "Marisol", "Nevin", "Oriel", "Perpetua")
_LAST = ("Abernathy", "Blackwood", "Castellano", "Dunmore", "Everhart", "Fairweather",
         "Galloway", "Hargreave", "Ingersoll", "Jorgensen", "Kavanagh", "Lockhart",
         "Merriweather", "Northcott", "Okonkwo", "Pemberton")


@dataclass(frozen=True)
class HandRow:
    """One attendee as written: first and last name, badge, and how the name is written."""

    first: str
    last: str
    badge: str
    written: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


@dataclass(frozen=True)
class HandSheet:
    """A rendered sheet and its truth."""

    image: Image.Image
    rows: tuple[HandRow, ...]
    font: str
    course: str
    post_number: str
    day: str
    hours: str


def hand_font_path(name: str) -> Path | None:
    """The installed file of a handwriting font, or ``None``."""
    return find_font_file(name)


def plan_rows(rng: random.Random, n: int) -> tuple[HandRow, ...]:
    """``n`` made-up attendees with distinct names and 4-5 digit badges."""
    firsts, lasts = rng.sample(_FIRST, n), rng.sample(_LAST, n)
    rows = []
    for first, last in zip(firsts, lasts, strict=True):
        badge = str(rng.randint(1000, 99999))
        style = rng.choice(("natural", "upper", "last_first"))
        written = {"natural": f"{first} {last}", "upper": f"{first} {last}".upper(),
                   "last_first": f"{last}, {first}"}[style]
        rows.append(HandRow(first, last, badge, written))
    return tuple(rows)


def render_hand_sheet(font_file: str, seed: int, rows: int = 6) -> HandSheet:
    """Draw one hand-filled sheet in the handwriting font ``font_file`` (a file name).

    Raises:
        FileNotFoundError: the font (or DejaVu Sans for the print) is not installed.
    """
    rng = random.Random(f"handsheet-{font_file}-{seed}")
    hand_path, print_path = hand_font_path(font_file), find_font_file("DejaVuSans.ttf")
    if hand_path is None or print_path is None:
        raise FileNotFoundError(f"font {font_file} or DejaVuSans.ttf is not installed")
    people = plan_rows(rng, rows)
    w, h = int(8.5 * DPI), int(11 * DPI)
    page = Image.new("L", (w, h), 250)
    d = ImageDraw.Draw(page)
    pt = DPI / 72.0
    typed = lambda size: ImageFont.truetype(str(print_path), round(size * pt))  # noqa: E731
    course, number = "Verbal Defusing for Patrol", f"{rng.randint(1000, 9999)}"
    day, hours = f"0{rng.randint(1, 9)}/1{rng.randint(0, 9)}/2025", str(rng.choice((4, 6, 8)))
    d.text((36 * pt, 50 * pt), "TRAINING SIGN-IN SHEET", fill=20, font=typed(16))
    for i, line in enumerate((f"Course Title: {course}", f"Course Number: {number}",
                              f"Date: {day}", f"Hours: {hours}")):
        d.text((36 * pt, (90 + 18 * i) * pt), line, fill=20, font=typed(10))
    cols = [("No.", 40), ("Printed Name", 220), ("Badge #", 100), ("Signature", 180)]
    x0, top, row_h = 36.0, 190.0, 30.0
    xs = [x0]
    for _, cw in cols:
        xs.append(xs[-1] + cw)
    n = len(people) + 3  # three blank rows under the attendees
    for i in range(n + 2):
        d.line([(x0 * pt, (top + i * row_h) * pt), (xs[-1] * pt, (top + i * row_h) * pt)],
               fill=30, width=3)
    for x in xs:
        d.line([(x * pt, top * pt), (x * pt, (top + (n + 1) * row_h) * pt)], fill=30, width=3)
    for (head, _), x in zip(cols, xs, strict=False):
        d.text(((x + 6) * pt, (top + 9) * pt), head, fill=20, font=typed(10))
    for i, person in enumerate(people):
        y = top + (i + 1) * row_h
        d.text(((xs[0] + 6) * pt, (y + 11) * pt), str(i + 1), fill=20, font=typed(10))
        base = (y + 0.72 * row_h) * pt
        _write(d, person.written, (xs[1] + 6) * pt, base, (cols[1][1] - 12) * pt, hand_path, rng)
        _write(d, person.badge, (xs[2] + 6) * pt, base, (cols[2][1] - 12) * pt, hand_path, rng)
        _scribble(d, (xs[3] + 10) * pt, (y + row_h / 2) * pt, 120 * pt, 8 * pt, rng)
    foot = top + (n + 1) * row_h + 60
    _scribble(d, 330 * pt, (foot - 14) * pt, 150 * pt, 9 * pt, rng)
    d.line([(320 * pt, foot * pt), (560 * pt, foot * pt)], fill=30, width=3)
    d.text((330 * pt, (foot + 4) * pt), "Training Official Signature", fill=20, font=typed(9))
    return HandSheet(_as_scan(page, rng), people, font_file, course, number, day, hours)


def _write(d: ImageDraw.ImageDraw, text: str, x: float, y: float, max_w: float,
           font_path: Path, rng: random.Random) -> None:
    """Write ``text`` on the baseline ``y`` in pen ink, word by word with a little jitter,
    shrunk to fit."""
    size = rng.uniform(14, 17) * DPI / 72.0
    font = ImageFont.truetype(str(font_path), round(size))
    while d.textlength(text, font=font) > max_w and size > 20:
        size *= 0.92
        font = ImageFont.truetype(str(font_path), round(size))
    space = d.textlength(" ", font=font)
    for word in text.split(" "):
        dy = rng.uniform(-0.06, 0.06) * size
        d.text((x, y + dy), word, fill=rng.randint(25, 60), font=font, anchor="ls")
        x += d.textlength(word, font=font) + space * rng.uniform(0.9, 1.3)


def _scribble(d: ImageDraw.ImageDraw, x: float, y: float, width: float, amp: float,
              rng: random.Random) -> None:
    """A signature: a wavy pen stroke."""
    pts, steps = [], 40
    for i in range(steps + 1):
        t = i / steps
        pts.append((x + t * width * rng.uniform(0.95, 1.05),
                    y + amp * np.sin(t * rng.uniform(10, 16)) * rng.uniform(0.6, 1.0)))
    d.line(pts, fill=35, width=4, joint="curve")


def _as_scan(page: Image.Image, rng: random.Random) -> Image.Image:
    """Light sensor noise and a slight blur, as a flatbed scanner leaves."""
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, (page.height, page.width))
    a = np.clip(np.asarray(page, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(a).filter(ImageFilter.GaussianBlur(0.6))


def write_hand_sheet(sheet: HandSheet, path: Path) -> Path:
    """Save a sheet as a 300-dpi PNG."""
    path.parent.mkdir(parents=True, exist_ok=True)
    sheet.image.save(path, dpi=(DPI, DPI))
    return path
