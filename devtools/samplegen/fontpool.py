"""The ``variety`` profile's fonts: every Debian font family on the machine, and hands.

The classic profile's :func:`drawing.font_families` is left as it is (its corpora stay
byte-identical); this pool adds the families it never uses (DejaVu Sans Mono, DejaVu Serif
Condensed, DejaVu Sans ExtraLight) and the handwriting faces installed by
``scripts/setup.sh`` (:data:`handsheets.HAND_FONTS`), for values filled in by hand.

A handwriting face covers fewer characters than a text face: :func:`hand_text_ok` says
whether a value can be written in it, so a value is never printed with missing glyphs
(which would make the truth a lie).
"""

from __future__ import annotations

import functools
import logging
import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from devtools.samplegen.drawing import FontFamily, find_font_file, font_families

log = logging.getLogger(__name__)

# family name -> (regular, bold, italic) file names, serif, mono
_EXTRA_FAMILIES = (
    ("DejaVuSansMono", ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf",
                        "DejaVuSansMono-Oblique.ttf"), False, True),
    ("DejaVuSerifCondensed", ("DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf",
                              "DejaVuSerifCondensed-Italic.ttf"), True, False),
    ("DejaVuSansLight", ("DejaVuSans-ExtraLight.ttf", "DejaVuSans-Bold.ttf",
                         "DejaVuSans-Oblique.ttf"), False, False),
    ("LiberationSansBoldItalic", ("LiberationSans-Regular.ttf", "LiberationSans-BoldItalic.ttf",
                                  "LiberationSans-BoldItalic.ttf"), False, False),
)
# handwriting file -> reportlab name
_HANDS = (("dkg.ttf", "VH-Dkg"), ("dkgIt.ttf", "VH-DkgIt"), ("Breip.ttf", "VH-Breip"),
          ("Humor-Sans.ttf", "VH-Humor"), ("femkeklaver.ttf", "VH-Femke"))


def _register(name: str, file_name: str) -> bool:
    path = find_font_file(file_name)
    if path is None:
        return False
    if name in pdfmetrics.getRegisteredFontNames():
        return True
    try:
        pdfmetrics.registerFont(TTFont(name, str(path)))
    except Exception as e:  # a damaged font file must not stop generation
        log.warning("skipping font %s: %s", file_name, e)
        return False
    return True


@functools.cache
def variety_families() -> tuple[FontFamily, ...]:
    """The classic families plus every extra family whose files exist."""
    families = list(font_families())
    for name, faces, serif, mono in _EXTRA_FAMILIES:
        names = [f"VF-{name}", f"VF-{name}-Bold", f"VF-{name}-Italic"]
        if all(_register(n, f) for n, f in zip(names, faces, strict=True)):
            families.append(FontFamily(name, *names, serif=serif, mono=mono))
    return tuple(families)


def choose(rng: random.Random, *, serif: bool | None = None,
           mono: bool | None = None) -> FontFamily:
    """A random family of the variety pool, optionally restricted."""
    pool = [f for f in variety_families()
            if (serif is None or f.serif == serif) and (mono is None or f.mono == mono)]
    return rng.choice(pool or list(variety_families()))


@functools.cache
def hand_faces() -> tuple[str, ...]:
    """Registered handwriting faces (reportlab names); empty when none is installed."""
    return tuple(name for file_name, name in _HANDS if _register(name, file_name))


@functools.cache
def _covered(face: str) -> frozenset[int]:
    font = pdfmetrics.getFont(face)
    return frozenset(font.face.charToGlyph)


def hand_text_ok(face: str, text: str) -> bool:
    """Whether every character of ``text`` has a glyph in ``face``."""
    covered = _covered(face)
    return all(ord(ch) in covered or ch == " " for ch in text)


def choose_hand(rng: random.Random, texts: list[str]) -> str | None:
    """A handwriting face that can write every one of ``texts``, or ``None``."""
    faces = [f for f in hand_faces() if all(hand_text_ok(f, t) for t in texts)]
    return rng.choice(faces) if faces else None
