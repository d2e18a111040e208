"""Dithered pages: gray text printed or scanned as a field of dots, and their smoothing.

A page scanned or faxed in a halftone ("photo") mode, or a light copy put through a
bilevel scanner that dithers, carries its gray strokes as scattered black dots: a letter is
a cloud of one- and two-pixel dots with paper between them. Tesseract reads such a page as
noise (a whole certificate came back as two lines of junk), and
:func:`extractors.preprocess.despeckle` makes it worse: the dots of a light letter are the
very specks it removes.

What tells a dithered page is how its ink is built, not how much of it there is: a dot of a
dither has at most one inked neighbour but other dots a pixel or two away. A printed
stroke, even a hairline rule or an outline font, has two neighbours or more along it; a
speck on white paper (a dirty glass, fax line noise) has no ink near it at all. The measure
alone does not decide: a noisy fax and a dithered page overlap at low shares, so the page is
read from its smoothed copy only when its first reading was poor and the smoothed copy reads
better (:func:`extractors.reading.read_scan`).

A Gaussian blur of about the dots' spacing turns the dots back into the gray strokes they
stood for; the rest of the chain (contrast stretch, deskew, tesseract's own threshold) then
sees an ordinary light page. It runs on the scan as it came, where the dots were made.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from extractors.grain import bilevel
from extractors.pixels import gray_array

#: Share of the ink that is dither dots at which a poorly read page is read smoothed too.
#: Clean scans measure under 0.015; faxes with line noise 0.02-0.03; dithered pages
#: 0.025-0.9 (the lighter the gray, the sparser the dots).
DITHERED = 0.02
#: A share no fax or clean scan reaches: the page is read smoothed too however sure its
#: first reading was (tesseract leaves out the words it cannot make out, so a reading of
#: half a dithered page can be a sure one).
CLEARLY_DITHERED = 0.1
#: Blurs (Gaussian sigma, pixels of the scan as it came) that merge the dots of a dither,
#: lightest first: dark gray's dense dots read best under the light one, light gray's sparse
#: dots under the wider one (measured on dithered pages of 200-300 dpi).
DITHER_BLURS = (1.0, 1.5)
#: Fewer ink pixels than this in the sample: too little to judge.
_MIN_INK_PIXELS = 1000


def looks_bilevel(image: Image.Image) -> bool:
    """Whether a scan as it came is black and white (judged on every eighth pixel)."""
    if image.mode == "1":
        return True
    if image.mode != "L":
        return False
    return bilevel(gray_array(image)[::8, ::8])


def measure_dither(image: Image.Image) -> float:
    """The share of the ink on the page's central half that is dither dots (0..1).

    Ink is what Otsu's threshold puts on the dark side; a dot is an ink pixel with at most
    one inked neighbour and some other ink within two pixels.
    """
    w, h = image.size
    arr = gray_array(image.crop((w // 4, h // 4, w - w // 4, h - h // 4)))
    if arr.size == 0:
        return 0.0
    _, ink = cv2.threshold(arr, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    near = cv2.boxFilter(ink, cv2.CV_16S, (3, 3), normalize=False) - ink
    around = cv2.boxFilter(ink, cv2.CV_16S, (5, 5), normalize=False) - ink
    inked = (ink == 1) & (around > 0)  # a lone speck is noise, not dither
    count = int(np.count_nonzero(inked))
    if count < _MIN_INK_PIXELS:
        return 0.0
    return float(np.count_nonzero(inked & (near <= 1)) / count)


def smooth_dither(image: Image.Image, sigma: float) -> Image.Image:
    """The page in grayscale, blurred (Gaussian ``sigma``, pixels) so that its dots merge
    into gray strokes."""
    gray = gray_array(image if image.mode == "L" else image.convert("L"))
    return Image.fromarray(cv2.GaussianBlur(gray, (0, 0), sigma), "L")
