"""A pen's decimal point that the second recognizer dropped is put back from the ink.

Hours written ``2.0`` and read ``20`` would credit ten times the hours on any course long
enough to allow it. The crops here are drawn in four Debian handwriting fonts (none used by
a corpus) with PIL, at 300 dpi, on a blank line as a form's blank has.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from devtools.samplegen.drawing import find_font_file
from extractors import handwriting as hand
from extractors.decimal_point import with_decimal_point
from extractors.types import BBox
from extractors.written import narrow_to_ink, plausible_hours

FONTS = ("dkg.ttf", "Breip.ttf", "femkeklaver.ttf", "Humor-Sans.ttf")
DPI = 300


def _blank(text: str, font_name: str, speck: bool = False) -> tuple[Image.Image, BBox]:
    """``text`` written on a ruled blank line of a white page strip; the value's place."""
    path = find_font_file(font_name)
    if path is None:
        pytest.fail(f"font {font_name} missing: run scripts/setup.sh (make setup)")
    font = ImageFont.truetype(str(path), 46)
    image = Image.new("L", (900, 140), 255)
    draw = ImageDraw.Draw(image)
    draw.text((60, 30), text, font=font, fill=25)
    draw.line((40, 100, 860, 100), fill=60, width=3)  # the blank's line
    if speck:
        # a scanner's speck on the baseline between the digits: two pixels, no pen's dot
        x0, _, x1, _ = draw.textbbox((60, 30), text[0], font=font)
        draw.rectangle((x1 + 4, 84, x1 + 5, 85), fill=30)
    k = 72.0 / DPI
    return image, BBox(20 * k, 10 * k, 880 * k, 120 * k)


def _crop(image: Image.Image, area: BBox) -> Image.Image:
    k = DPI / 72.0
    return image.crop((round(area.x0 * k), round(area.top * k), round(area.x1 * k),
                       round(area.bottom * k)))


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize(("written", "dropped", "expected"), [
    ("2.0 hrs", "20 hrs", "2.0 hrs"),
    ("1.5", "15", "1.5"),
    ("7.5 Hours", "75 Hours", "7.5 Hours"),
])
def test_the_point_the_recognizer_dropped_is_put_back(font, written, dropped, expected):
    """GIVEN hours written with a decimal point, and the reading without it
    WHEN the ink of the place is looked at again
    THEN the point is put back between the same digits."""
    image, area = _blank(written, font)
    assert with_decimal_point(_crop(image, area), dropped) == expected


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("written", ["20 hrs", "16", "12 Hours"])
def test_a_whole_number_keeps_its_digits(font, written):
    """GIVEN whole hours written without a point (and, once, a scanner's speck between
    the digits on the baseline)
    THEN the reading is left as it is."""
    for speck in (False, True):
        image, area = _blank(written, font, speck=speck)
        assert with_decimal_point(_crop(image, area), written) == written


@pytest.mark.parametrize("font", FONTS)
def test_a_reading_that_does_not_fit_the_ink_is_left_alone(font):
    """GIVEN ``2.0`` written, and a reading with another count of digits (``200``)
    THEN no point is guessed into it."""
    image, area = _blank("2.0", font)
    assert with_decimal_point(_crop(image, area), "200") == "200"
    assert with_decimal_point(_crop(image, area), "hrs 20") == "hrs 20"


def _worn(image: Image.Image, seed: int) -> Image.Image:
    """The strokes worn to dots, as a bad copier leaves a pen's line (a share of the ink's
    pixels lost at random): the recognizer then often drops a written point."""
    rng = np.random.default_rng(seed)
    a = np.asarray(image).copy()
    a[(a < 128) & (rng.random(a.shape) < 0.45)] = 255
    return Image.fromarray(a)


@pytest.mark.parametrize("font", FONTS)
def test_the_second_recognizer_reads_written_hours_with_their_point(font):
    """GIVEN ``2.5 hrs`` written on a blank
    WHEN the second recognizer reads the place as a number
    THEN the hours are 2.5, never 25."""
    image, area = _blank("2.5 hrs", font)
    # the place narrowed to its ink, as the readers of blanks and cells hand it over
    cand = hand.read_area(image, DPI, narrow_to_ink(image, DPI, area, 20.0), numeric=True)
    assert cand is not None
    assert plausible_hours(cand.text) == 2.5


@pytest.mark.parametrize(("font", "written", "hours"), [("dkg.ttf", "2.5 hrs", 2.5)])
def test_a_worn_point_the_recognizer_drops_is_put_back(font, written, hours):
    """GIVEN hours written with a point on a worn copy, where the recognizer reads the
    digits alone (``25``, ``20``)
    WHEN the place is read as a number
    THEN the hours keep their point."""
    image, area = _blank(written, font)
    image = _worn(image, seed=3)
    ink = narrow_to_ink(image, DPI, area, 20.0)
    plain = hand.read_area(image, DPI, ink)
    assert plain is not None and plausible_hours(plain.text) == 10 * hours  # the slip
    cand = hand.read_area(image, DPI, ink, numeric=True)
    assert cand is not None and plausible_hours(cand.text) == hours


PRINTED = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
           "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
           "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf",
           "/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf")


def _printed_hours(text: str, font_path: str, source=None):
    """A worn scan's strip with ``text`` printed at 11 pt (gray toner, a little blur) after a
    caption, and a maker of the record whose hours tesseract read from it."""
    from PIL import ImageFilter

    from extractors.types import DocumentKind, ExtractedField, ExtractedRecord, FieldSource

    image = Image.new("L", (1400, 160), 255)
    draw = ImageDraw.Draw(image)
    draw.text((40, 50), "Hours Credited:", font=ImageFont.truetype(font_path, 46), fill=40)
    draw.text((560, 50), text, font=ImageFont.truetype(font_path, 46), fill=70)
    image = image.filter(ImageFilter.GaussianBlur(0.8))
    x0, top, x1, bottom = draw.textbbox((560, 50), text, font=ImageFont.truetype(font_path, 46))
    k = 72.0 / DPI

    def record(read: str) -> ExtractedRecord:
        box = BBox(x0 * k, top * k, x1 * k, bottom * k)
        f = ExtractedField("hours", float(read.split()[0]), read, 0.9, box, 1,
                           source or FieldSource.OCR)
        return ExtractedRecord(1, DocumentKind.CERTIFICATE, {"hours": f})
    return image, record


@pytest.mark.parametrize("font", PRINTED)
@pytest.mark.parametrize(("printed", "read", "hours"), [
    ("4.5", "45", 4.5), ("9.5 hrs", "95 hrs", 9.5), ("2.0 Hours", "20 Hours", 2.0),
    ("12.5", "125", 12.5)])
def test_a_printed_point_tesseract_lost_is_put_back(font, printed, read, hours):
    """GIVEN printed hours whose point tesseract did not read on a worn scan (``4.5`` read
    ``45``) WHEN the record's hours are looked at in the ink THEN the point is back and the
    hours are the printed ones."""
    from extractors.decimal_point import restore_printed_point

    image, record = _printed_hours(printed, font)
    restored = restore_printed_point(record(read), image, DPI)
    assert restored.value("hours") == hours and restored.fields["hours"].raw_text.count(".") == 1


@pytest.mark.parametrize("font", PRINTED)
def test_printed_whole_hours_and_a_text_layer_keep_their_reading(font):
    """Whole hours printed without a point stay as read, and so does a text layer's
    number (exact), whatever its box shows."""
    from extractors.decimal_point import restore_printed_point
    from extractors.types import FieldSource

    image, record = _printed_hours("45 hrs", font)
    assert restore_printed_point(record("45 hrs"), image, DPI).value("hours") == 45.0
    image, record = _printed_hours("4.5", font, FieldSource.TEXT_LAYER)
    assert restore_printed_point(record("45"), image, DPI).value("hours") == 45.0
