"""Scan damage in levels, for the ``variety`` profile: ``damage1`` (mild) to ``damage3``.

The classic conditions (:data:`degrade.CONDITIONS`) each apply one kind of damage in a fixed
range. A damage level instead draws, per page, a random *mix* of what copiers, scanners and
fax lines do, each with a strength that grows with the level:

    skew, Gaussian noise, blur, JPEG loss, a lower resolution, fax-like streaks (dropped and
    dark scan lines, a vertical toner streak), halftone (a screened, dithered page), uneven
    toner (a faded band), binarisation.

What was applied, with its parameters, is recorded in the page's :class:`ScanPage` (``damage``)
and so in the truth's ``scan`` entry; everything comes from the document's seeded
``numpy.random.Generator``, so a seed gives the same damage.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from devtools.samplegen import degrade as dg

LEVELS = {"damage1": 1, "damage2": 2, "damage3": 3}
# level -> chance that each kind of damage is applied
_CHANCE = {1: 0.25, 2: 0.45, 3: 0.65}


def render_dpi(level: int, rng: np.random.Generator) -> int:
    """Scanners at a higher level are set lower."""
    return int(rng.choice({1: (300,), 2: (300, 240, 200), 3: (240, 200, 150)}[level]))


def damage_page(img: Image.Image, condition: str, rng: np.random.Generator,
                dpi: int) -> dg.ScanPage:
    """Degrade one rendered greyscale page at the level named by ``condition``."""
    level = LEVELS[condition]
    chance = _CHANCE[level]
    applied: dict[str, float | int | str] = {}
    img = dg.paper_tone(img, rng)
    skew = float(rng.uniform(0.2, 1.2 * level + 0.5)) * float(rng.choice((-1, 1)))
    if rng.random() < 0.3:
        skew = 0.0
    img = dg.deskew_free_rotate(img, skew)
    if rng.random() < chance:
        radius = float(rng.uniform(0.5, 0.8 * level + 0.4)) * dpi / 300
        img = img.filter(ImageFilter.GaussianBlur(radius))
        applied["blur"] = round(radius, 2)
    if rng.random() < chance:
        img = faded_band(img, rng, level)
        applied["faded_band"] = 1
    sigma = float(rng.uniform(2, 3 + 3 * level))
    img = dg.add_noise(img, rng, sigma)
    applied["noise"] = round(sigma, 1)
    if rng.random() < chance * 0.6:
        img = halftone(img, rng, dpi)
        applied["halftone"] = 1
    if rng.random() < chance:
        img, lines = streaks(img, rng, level)
        applied["streaks"] = lines
    if rng.random() < chance * 0.8 and "halftone" not in applied:
        threshold = int(rng.integers(120, 150 + 15 * level))
        img = img.point(lambda v: 255 if v > threshold else 0)
        applied["binarised"] = threshold
    quality = None
    if rng.random() < chance:
        quality = int(rng.integers(max(12, 45 - 12 * level), 70 - 8 * level))
        img = dg.jpeg_roundtrip(img, quality)
        applied["jpeg"] = quality
    img = dg.clean_background(img)
    return dg.ScanPage(img, dpi, 0, round(skew, 3), None, quality, damage=applied)


def faded_band(img: Image.Image, rng: np.random.Generator, level: int) -> Image.Image:
    """A horizontal band where the toner ran low: ink there is lighter."""
    arr = np.asarray(img).astype(np.int16)
    h = arr.shape[0]
    top = int(rng.integers(0, h * 3 // 4))
    height = int(h * rng.uniform(0.05, 0.1 + 0.05 * level))
    lift = int(rng.integers(30, 50 + 20 * level))
    band = arr[top:top + height]
    arr[top:top + height] = np.minimum(255, band + lift * (255 - band) // 255 + lift // 3)
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def halftone(img: Image.Image, rng: np.random.Generator, dpi: int) -> Image.Image:
    """A screened copy: grey becomes dots (ordered dither at a copier's screen pitch)."""
    bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]])
    cell = max(1, int(round(dpi / 150 * float(rng.choice((1, 1, 2))))))
    tile = np.kron(bayer, np.ones((cell, cell)))
    arr = np.asarray(img).astype(np.float32)
    h, w = arr.shape
    reps = (h // tile.shape[0] + 1, w // tile.shape[1] + 1)
    # the screen tops out below paper white: blank paper stays blank, greys become dots
    screen = (np.tile(tile, reps)[:h, :w] + 0.5) * (225 / 16)
    out = np.where(arr > screen, 255, 0).astype(np.uint8)
    return Image.fromarray(out)


def streaks(img: Image.Image, rng: np.random.Generator,
            level: int) -> tuple[Image.Image, int]:
    """Fax-like line damage: dropped (white) and dark scan lines, a vertical toner streak."""
    arr = np.array(img)
    h, w = arr.shape
    n = int(rng.integers(1, 3 + 3 * level))
    for _ in range(n):
        y = int(rng.integers(0, h))
        thick = int(rng.integers(1, 2 + level))
        if rng.random() < 0.6:
            arr[y:y + thick, :] = 250
        else:
            x0 = int(rng.integers(0, w // 2))
            arr[y:y + thick, x0:x0 + int(rng.integers(w // 4, w))] = int(rng.integers(40, 120))
    if rng.random() < 0.5:
        x = int(rng.integers(w // 10, w - w // 10))
        arr[:, x:x + int(rng.integers(1, 2 + level))] = int(rng.integers(60, 160))
        n += 1
    return Image.fromarray(arr), n
