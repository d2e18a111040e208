"""A page image's pixels for numpy (and tesseract) without Pillow's chunked copy.

``np.asarray(image)`` and ``image.tobytes()`` have Pillow encode the pixels 64 kB at a time
and join the pieces: ~16 ms for a 300-dpi letter page (Pillow 13), against ~1.5 ms for the
same raw encoder asked for the whole page at once. A scanned page was converted a dozen
times over its reading (preprocessing, streaks, tesseract's input, checkboxes, table rules),
about a second of CPU on agency-a's 60 scanned pages. The bytes are the same bytes.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from extractors.types import BBox

#: Bytes per pixel of the raw encoding of the modes pages come in; others get a generous
#: buffer (a buffer too small only means more pieces, never other bytes).
_BYTES_PER_PIXEL = {"1": 1, "L": 1, "P": 1, "LA": 2, "RGB": 3, "RGBA": 4}


def pixel_bytes(image: Image.Image) -> bytes:
    """``image.tobytes()``, encoded in one piece."""
    image.load()
    if image.width == 0 or image.height == 0:
        return b""
    encoder = Image._getencoder(image.mode, "raw", image.mode)
    try:
        encoder.setimage(image.im, (0, 0, *image.size))
        size = image.width * image.height * _BYTES_PER_PIXEL.get(image.mode, 4) + 64
        pieces = []
        while True:
            _consumed, errcode, data = encoder.encode(size)
            pieces.append(data)
            if errcode:
                break
        if errcode < 0:
            raise RuntimeError(f"encoder error {errcode} taking the pixels out")
    finally:
        encoder.cleanup()
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def gray_array(image: Image.Image) -> np.ndarray:
    """A grayscale (mode ``L``) image as a read-only ``uint8`` array, as ``np.asarray``
    gives it; any other mode is handed to ``np.asarray``."""
    if image.mode != "L":
        return np.asarray(image)
    return np.frombuffer(pixel_bytes(image), dtype=np.uint8).reshape(image.height, image.width)


def otsu_threshold(counts: np.ndarray) -> float:
    """Otsu's threshold from the 256 counts of an 8-bit image's levels."""
    hist = counts.astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    w1 = total - w0
    m0 = np.cumsum(hist * levels)
    mean_all = m0[-1] / total
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_all * w0 - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between)
    return float(np.argmax(between)) + 0.5


def histogram_percentile(below: np.ndarray, q: float) -> int:
    """The level at the ``q``-th percentile of an 8-bit image, from its cumulative histogram."""
    return int(np.searchsorted(below, q / 100.0 * below[-1]))


def crop_area(image: Image.Image, dpi: float, area: BBox) -> Image.Image | None:
    """The grayscale pixels of ``area`` (points) of a page image at ``dpi``, clipped to the
    page; ``None`` when that leaves less than 4 pixels either way."""
    k = dpi / 72.0
    box = (max(0, round(area.x0 * k)), max(0, round(area.top * k)),
           min(image.width, round(area.x1 * k)), min(image.height, round(area.bottom * k)))
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return None
    return image.crop(box).convert("L")
