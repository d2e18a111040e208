"""Canvas helpers shared by every page kind: fonts, text fitting and wrapping, decorations.

Fonts: reportlab's built-in Helvetica, Times and Courier families always; TrueType families
(DejaVu, Liberation) when their files are found in ``credence/samplegen/fonts/`` or under
``/usr/share/fonts``. Missing files are skipped, so the generator runs anywhere; the set of
fonts found is part of what makes a corpus byte-identical, so compare corpora made on machines
with the same fonts.
"""

from __future__ import annotations

import functools
import logging
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

log = logging.getLogger(__name__)

NBSP = "\u00a0"  # joins words :func:`wrap` must not split (a value inside prose)

FONT_DIRS = (
    Path(__file__).parent / "fonts",
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
)


@dataclass(frozen=True)
class FontFamily:
    """Three faces of one family, by reportlab font name."""

    name: str
    regular: str
    bold: str
    italic: str
    serif: bool = False
    mono: bool = False


_BUILTIN = (
    FontFamily("Helvetica", "Helvetica", "Helvetica-Bold", "Helvetica-Oblique"),
    FontFamily("Times", "Times-Roman", "Times-Bold", "Times-Italic", serif=True),
    FontFamily("Courier", "Courier", "Courier-Bold", "Courier-Oblique", mono=True),
)

# family name -> (regular, bold, italic) file names, serif, mono
_TTF_FAMILIES = (
    ("DejaVuSans", ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
     False, False),
    ("DejaVuSerif", ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
     True, False),
    ("DejaVuSansCondensed", ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
                             "DejaVuSansCondensed-Oblique.ttf"), False, False),
    ("LiberationSans", ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                        "LiberationSans-Italic.ttf"), False, False),
    ("LiberationSerif", ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                         "LiberationSerif-Italic.ttf"), True, False),
    ("LiberationMono", ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf",
                        "LiberationMono-Italic.ttf"), False, True),
    ("LiberationSansNarrow", ("LiberationSansNarrow-Regular.ttf",
                              "LiberationSansNarrow-Bold.ttf",
                              "LiberationSansNarrow-Italic.ttf"), False, False),
)


def find_font_file(name: str) -> Path | None:
    """The path of a font file by file name (``DejaVuSansMono.ttf``), if installed."""
    return _font_files().get(name)


@functools.cache
def _font_files() -> dict[str, Path]:
    """File name -> first path found, searching :data:`FONT_DIRS` in order."""
    found: dict[str, Path] = {}
    for root in FONT_DIRS:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*.ttf")):
            found.setdefault(path.name, path)
    return found


@functools.cache
def font_families() -> tuple[FontFamily, ...]:
    """Every usable family: the built-ins, then each TrueType family whose files exist."""
    families = list(_BUILTIN)
    files = _font_files()
    for name, faces, serif, mono in _TTF_FAMILIES:
        paths = [files.get(face) for face in faces]
        if not all(paths):
            continue
        try:
            for suffix, path in zip(("", "-Bold", "-Italic"), paths, strict=True):
                pdfmetrics.registerFont(TTFont(f"SG-{name}{suffix}", str(path)))
        except Exception as e:  # a damaged font file must not stop generation
            log.warning("skipping font family %s: %s", name, e)
            continue
        families.append(FontFamily(name, f"SG-{name}", f"SG-{name}-Bold", f"SG-{name}-Italic",
                                   serif, mono))
    return tuple(families)


def choose_family(rng: random.Random, *, serif: bool | None = None,
                  mono: bool | None = None) -> FontFamily:
    """A random family, optionally restricted to serif or mono faces."""
    pool = [f for f in font_families()
            if (serif is None or f.serif == serif) and (mono is None or f.mono == mono)]
    return rng.choice(pool or list(font_families()))


# --- colours -------------------------------------------------------------------------------

INKS = (Color(0, 0, 0), Color(0.1, 0.1, 0.12), Color(0.05, 0.08, 0.25))
ACCENTS = (
    Color(0.05, 0.15, 0.4),  # navy
    Color(0.45, 0.05, 0.08),  # maroon
    Color(0.1, 0.3, 0.15),  # dark green
    Color(0.55, 0.42, 0.1),  # old gold
    Color(0.15, 0.15, 0.15),  # charcoal
)
SIGNATURE_INKS = (Color(0.05, 0.1, 0.45), Color(0.05, 0.05, 0.05), Color(0.1, 0.1, 0.3))


# --- text ----------------------------------------------------------------------------------


def width(text: str, font: str, size: float) -> float:
    """The printed width of ``text`` in points."""
    return pdfmetrics.stringWidth(text, font, size)


def fit_size(text: str, font: str, size: float, max_width: float, min_size: float = 6) -> float:
    """The largest size <= ``size`` at which ``text`` fits ``max_width``."""
    while size > min_size and width(text, font, size) > max_width:
        size -= 0.5
    return size


def keep(text: str) -> str:
    """Mark ``text`` so that :func:`wrap` never breaks it across lines."""
    return text.replace(" ", NBSP)


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` at spaces (never at NBSP)."""
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and width(candidate.replace(NBSP, " "), font, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return [line.replace(NBSP, " ") for line in lines]


def draw_centered_lines(c: Canvas, lines: Sequence[str], x: float, y: float, font: str,
                        size: float, leading: float) -> float:
    """Draw lines centred on ``x`` from baseline ``y`` downwards; return the next baseline."""
    c.setFont(font, size)
    for line in lines:
        c.drawCentredString(x, y, line)
        y -= leading
    return y


def draw_lines(c: Canvas, lines: Sequence[str], x: float, y: float, font: str, size: float,
               leading: float) -> float:
    """Draw left-aligned lines from baseline ``y`` downwards; return the next baseline."""
    c.setFont(font, size)
    for line in lines:
        c.drawString(x, y, line)
        y -= leading
    return y


# --- decorations ---------------------------------------------------------------------------


def draw_border(c: Canvas, w: float, h: float, rng: random.Random, color: Color) -> float:
    """A certificate border in one of several styles; return its inner margin in points."""
    style = rng.choice(("double", "thick_thin", "single", "guilloche", "corners"))
    m = rng.uniform(22, 36)
    c.saveState()
    c.setStrokeColor(color)
    if style in ("double", "thick_thin"):
        c.setLineWidth(3.5 if style == "thick_thin" else 1.5)
        c.rect(m, m, w - 2 * m, h - 2 * m)
        c.setLineWidth(0.8)
        c.rect(m + 7, m + 7, w - 2 * m - 14, h - 2 * m - 14)
        inner = m + 7
    elif style == "single":
        c.setLineWidth(rng.uniform(1, 4))
        c.rect(m, m, w - 2 * m, h - 2 * m)
        inner = m
    elif style == "guilloche":
        _guilloche_band(c, m, w, h, rng)
        inner = m + 16
    else:
        c.setLineWidth(1)
        c.rect(m, m, w - 2 * m, h - 2 * m)
        for cx, cy in ((m, m), (w - m, m), (m, h - m), (w - m, h - m)):
            c.circle(cx, cy, 9, stroke=1, fill=0)
            c.circle(cx, cy, 4, stroke=1, fill=1)
        inner = m + 6
    c.restoreState()
    return inner + 14


def _guilloche_band(c: Canvas, m: float, w: float, h: float, rng: random.Random) -> None:
    """Interleaved sine waves around the page edge, like security paper."""
    c.setLineWidth(0.4)
    period = rng.uniform(9, 16)
    for phase in (0.0, math.pi / 2, math.pi):
        for edge in ("top", "bottom", "left", "right"):
            p = c.beginPath()
            horizontal = edge in ("top", "bottom")
            length = w - 2 * m if horizontal else h - 2 * m
            steps = int(length / 3)
            for i in range(steps + 1):
                t = i * length / steps
                off = 6 + 5 * math.sin(t / period + phase)
                if edge == "top":
                    pt = (m + t, h - m - off)
                elif edge == "bottom":
                    pt = (m + t, m + off)
                elif edge == "left":
                    pt = (m + off, m + t)
                else:
                    pt = (w - m - off, m + t)
                if i == 0:
                    p.moveTo(*pt)
                else:
                    p.lineTo(*pt)
            c.drawPath(p, stroke=1, fill=0)


def draw_seal(c: Canvas, x: float, y: float, r: float, rng: random.Random, color: Color,
              words: str = "OFFICIAL SEAL") -> None:
    """A starburst seal with concentric rings and a short word in the middle."""
    c.saveState()
    c.setStrokeColor(color)
    c.setFillColor(Color(color.red, color.green, color.blue, alpha=0.12))
    points = rng.choice((24, 30, 36))
    p = c.beginPath()
    for i in range(points * 2 + 1):
        rad = r if i % 2 == 0 else r * 0.88
        a = math.pi * i / points
        px, py = x + rad * math.cos(a), y + rad * math.sin(a)
        if i == 0:
            p.moveTo(px, py)
        else:
            p.lineTo(px, py)
    c.drawPath(p, stroke=1, fill=1)
    c.setLineWidth(0.8)
    c.circle(x, y, r * 0.78, stroke=1, fill=0)
    c.circle(x, y, r * 0.70, stroke=1, fill=0)
    c.setFillColor(color)
    c.setFont("Helvetica-Bold", max(5.5, r * 0.16))
    for i, word in enumerate(words.split()[:2]):
        c.drawCentredString(x, y + (r * 0.08 if i == 0 else -r * 0.14), word)
    c.restoreState()


def draw_scribble(c: Canvas, x: float, y: float, w: float, rng: random.Random) -> None:
    """A handwritten-looking signature: a few connected Bézier strokes above a line."""
    c.saveState()
    c.setStrokeColor(rng.choice(SIGNATURE_INKS))
    c.setLineWidth(rng.uniform(0.7, 1.5))
    c.setLineCap(1)
    c.setLineJoin(1)
    span = w * rng.uniform(0.55, 0.9)
    px, py = x + rng.uniform(0, w - span), y + rng.uniform(2, 6)
    p = c.beginPath()
    p.moveTo(px, py)
    strokes = rng.randint(3, 6)
    step = span / strokes
    for _ in range(strokes):
        nx = px + step * rng.uniform(0.7, 1.3)
        ny = y + rng.uniform(1, 14)
        p.curveTo(px + step * rng.uniform(-0.4, 0.6), py + rng.uniform(6, 24),
                  nx - step * rng.uniform(-0.4, 0.6), ny - rng.uniform(-8, 16), nx, ny)
        px, py = nx, ny
    if rng.random() < 0.6:  # the underline flourish
        p.moveTo(x + rng.uniform(0, w * 0.2), y + rng.uniform(1, 5))
        p.curveTo(x + w * 0.4, y - 3, x + w * 0.6, y + 8, px, py + rng.uniform(-3, 3))
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def draw_signature_block(c: Canvas, x: float, y: float, w: float, lines: Sequence[str],
                         font: str, size: float, rng: random.Random, signed: bool = True) -> None:
    """A signature line at baseline ``y``: scribble above, name and title below."""
    if signed:
        draw_scribble(c, x, y, w, rng)
    c.saveState()
    c.setLineWidth(0.6)
    c.line(x, y, x + w, y)
    c.restoreState()
    draw_lines(c, lines, x, y - size - 3, font, size, size + 2)


def draw_shield(c: Canvas, x: float, y: float, s: float, color: Color) -> None:
    """A simple shield-and-star agency logo centred on (x, y), ``s`` points tall."""
    c.saveState()
    c.setStrokeColor(color)
    c.setFillColor(color)
    c.setLineWidth(1.2)
    p = c.beginPath()
    p.moveTo(x - s * 0.4, y + s * 0.45)
    p.lineTo(x + s * 0.4, y + s * 0.45)
    p.curveTo(x + s * 0.42, y, x + s * 0.2, y - s * 0.35, x, y - s * 0.5)
    p.curveTo(x - s * 0.2, y - s * 0.35, x - s * 0.42, y, x - s * 0.4, y + s * 0.45)
    c.drawPath(p, stroke=1, fill=0)
    star = c.beginPath()
    for i in range(11):
        rad = s * 0.22 if i % 2 == 0 else s * 0.09
        a = math.pi / 2 + math.pi * i / 5
        px, py = x + rad * math.cos(a), y + s * 0.02 + rad * math.sin(a)
        if i == 0:
            star.moveTo(px, py)
        else:
            star.lineTo(px, py)
    c.drawPath(star, stroke=0, fill=1)
    c.restoreState()


def draw_checkbox(c: Canvas, x: float, y: float, size: float, checked: bool, font: str) -> None:
    """A small square; a checked box holds a printed ``X`` (so OCR and the text layer see it)."""
    c.saveState()
    c.setLineWidth(0.7)
    c.rect(x, y, size, size)
    if checked:
        c.setFont(font, size * 1.05)
        c.drawCentredString(x + size / 2, y + size * 0.15, "X")
    c.restoreState()
