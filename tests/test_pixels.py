"""extractors.pixels: the same pixels as Pillow's own conversions, taken out in one piece."""

import numpy as np
from PIL import Image, ImageDraw

from extractors.pixels import gray_array, pixel_bytes


def _page() -> Image.Image:
    """A letter page at 300 dpi with text and a rule: larger than Pillow's 64 kB pieces."""
    page = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(page)
    draw.text((300, 300), "Certificate of Completion", fill=0)
    draw.line((300, 600, 2200, 600), fill=30, width=4)
    return page


def test_pixel_bytes_are_tobytes_in_every_mode_a_page_comes_in():
    page = _page()
    for mode in ("L", "1", "P", "LA", "RGB", "RGBA", "I", "F"):
        image = page.convert(mode)
        assert pixel_bytes(image) == image.tobytes(), mode
    assert pixel_bytes(page.crop((10, 10, 13, 12))) == page.crop((10, 10, 13, 12)).tobytes()
    assert pixel_bytes(Image.new("L", (0, 4))) == b""


def test_gray_array_is_numpy_asarray_read_only():
    page = _page()
    ours, theirs = gray_array(page), np.asarray(page)
    assert ours.dtype == theirs.dtype == np.uint8
    assert ours.shape == theirs.shape == (3300, 2550)
    assert np.array_equal(ours, theirs)
    assert not ours.flags.writeable  # as np.asarray gives it: callers copy before writing
    rgb = page.convert("RGB")
    assert np.array_equal(gray_array(rgb), np.asarray(rgb))  # other modes: handed over
