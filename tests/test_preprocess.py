"""Scan clean-up steps on synthetic pages (no OCR: fast)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.preprocess import (
    analysis_copy,
    apply_exif_orientation,
    clean_page,
    deskew,
    despeckle,
    estimate_skew,
    flatten_background,
    measure_background_spread,
    measure_speckle,
    normalise_dpi,
    prepare_scan,
    resolve_dpi,
    to_grayscale,
    turn_clockwise,
)

LETTER_300 = (2550, 3300)


@pytest.fixture(scope="module")
def text_page() -> Image.Image:
    """A 300-dpi letter page with 24 lines of text, like a roster."""
    page = Image.new("L", LETTER_300, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=42)
    draw.text((200, 200), "Training Roster: De-escalation Techniques", fill=0, font=font)
    for i in range(24):
        line = f"{i + 1:>2}  Officer number {4400 + i}   Patrol Division   signed in on time"
        draw.text((200, 400 + i * 110), line, fill=20, font=font)
    return page


def test_resolve_dpi_trusts_believable_metadata() -> None:
    assert resolve_dpi(LETTER_300, (300, 300)) == ((300, 300), False)
    assert resolve_dpi((1728, 1078), (204, 98)) == ((204, 98), False)


@pytest.mark.parametrize("metadata", [None, (72, 72), (96, 96), (1, 1)], ids=str)
def test_resolve_dpi_estimates_from_a_letter_page(metadata: tuple[int, int] | None) -> None:
    """A 2550 x 3300 scan "at 72 dpi" would be a 46-inch page: assume letter instead."""
    assert resolve_dpi(LETTER_300, metadata) == ((300, 300), True)


def test_resolve_dpi_recognises_a4_by_its_aspect() -> None:
    (dpi, _), estimated = resolve_dpi((2480, 3508), None)  # A4 at 300 dpi
    assert estimated and dpi == pytest.approx(300, abs=1)


def test_normalise_dpi_leaves_300_dpi_alone(text_page: Image.Image) -> None:
    image, dpi = normalise_dpi(text_page, (300, 300))
    assert image is text_page and dpi == 300


def test_normalise_dpi_stretches_a_fax_to_square_pixels() -> None:
    image, dpi = normalise_dpi(Image.new("L", (1728, 1078)), (204, 98))
    assert dpi == 300
    assert image.size == (round(1728 * 300 / 204), round(1078 * 300 / 98))


def test_normalise_dpi_upscales_150_and_halves_600() -> None:
    assert normalise_dpi(Image.new("L", (1275, 1650)), (150, 150))[0].size == LETTER_300
    assert normalise_dpi(Image.new("L", (5100, 6600)), (600, 600))[0].size == LETTER_300


def test_normalise_dpi_never_upscales_past_the_pixel_limit() -> None:
    image, dpi = normalise_dpi(Image.new("L", (1275, 1650)), (150, 150), max_pixels=4_000_000)
    assert image.width * image.height <= 4_000_000
    assert 150 < dpi < 300


@pytest.mark.parametrize("angle", [-4.0, -2.0, 1.0, 3.0])
def test_estimate_skew_finds_the_angle(text_page: Image.Image, angle: float) -> None:
    skewed = text_page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert estimate_skew(analysis_copy(skewed, 300)) == pytest.approx(angle, abs=0.2)


def test_deskew_undoes_the_skew(text_page: Image.Image) -> None:
    skewed = text_page.rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=255)
    straight = deskew(skewed, estimate_skew(analysis_copy(skewed, 300)))
    assert straight.size == skewed.size
    assert abs(estimate_skew(analysis_copy(straight, 300))) < 0.2


def test_prepare_scan_leaves_a_level_page_unrotated(text_page: Image.Image) -> None:
    prepared = prepare_scan(text_page, (300, 300))
    assert prepared.skew == 0.0 and prepared.steps == ()
    assert prepared.image is text_page  # nothing to do: not even a copy


def test_prepare_scan_records_each_step() -> None:
    """GIVEN a 150-dpi RGB photo-like scan, skewed 2 degrees, without DPI metadata."""
    page = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=21)
    for i in range(20):
        line = f"Line {i} of the sign-in sheet, badge {7000 + i}"
        draw.text((100, 100 + i * 55), line, font=font)
    page = page.rotate(2, resample=Image.Resampling.BICUBIC, fillcolor=255).convert("RGB")
    prepared = prepare_scan(page, None)
    assert prepared.image.mode == "L"
    assert prepared.dpi == 300 and prepared.source_dpi == (150, 150)
    assert prepared.steps[:2] == ("dpi_estimated 150", "resampled 150x150->300")
    assert prepared.skew == pytest.approx(-2.0, abs=0.2)


def test_despeckle_removes_dots_and_keeps_text(text_page: Image.Image) -> None:
    arr = np.array(text_page)
    rng = np.random.default_rng(1)
    ys, xs = rng.integers(0, 3299, 20_000), rng.integers(0, 2549, 20_000)
    arr[ys, xs] = 0
    speckled = Image.fromarray(arr)
    assert measure_speckle(speckled, 128) > 1.0
    cleaned = despeckle(speckled, 128)
    assert measure_speckle(cleaned, 128) < 0.1
    ink_before = (np.asarray(text_page) < 128).sum()
    ink_after = (np.asarray(cleaned) < 128).sum()
    assert ink_after == pytest.approx(ink_before, rel=0.02)


def test_clean_page_flattens_uneven_lighting(text_page: Image.Image) -> None:
    shade = np.linspace(0.4, 1.0, text_page.width)[None, :]
    shaded = Image.fromarray((np.asarray(text_page) * shade).astype(np.uint8))
    assert measure_background_spread(np.asarray(analysis_copy(shaded, 300))) > 60
    flat = flatten_background(shaded, 300)
    assert measure_background_spread(np.asarray(analysis_copy(flat, 300))) < 20
    _, stats, steps = clean_page(shaded, 300)
    assert steps[0].startswith("flatten_background")
    assert stats.ink < 0.1  # the shadow is not mistaken for ink


def test_clean_page_stretches_a_faded_page(text_page: Image.Image) -> None:
    faded = text_page.point(lambda v: 170 + v * 70 // 255)
    image, stats, steps = clean_page(faded, 300)
    assert stats.contrast < 120 and steps == [f"stretch_contrast {stats.contrast:.0f}"]
    lo, hi = image.getextrema()
    assert hi - lo > 200


def test_clean_page_finds_a_blank_page() -> None:
    _, stats, steps = clean_page(Image.new("L", LETTER_300, 248), 300)
    assert stats.ink == 0.0 and steps == []


def test_exif_orientation_turns_and_reports_swapped_axes() -> None:
    image = Image.new("RGB", (40, 30))
    exif = image.getexif()
    exif[0x0112] = 6
    image.info["exif"] = exif.tobytes()
    turned, swapped = apply_exif_orientation(image)
    assert swapped and turned.size == (30, 40)
    plain = Image.new("L", (40, 30))
    assert apply_exif_orientation(plain) == (plain, False)


def test_to_grayscale_puts_transparency_on_white_paper() -> None:
    clear = Image.new("RGBA", (4, 4), (0, 0, 0, 0))
    assert to_grayscale(clear).getextrema() == (255, 255)
    deep = Image.new("I;16", (4, 4), 40000)
    assert to_grayscale(deep).mode == "L"
    assert to_grayscale(Image.new("1", (4, 4), 1)).getextrema() == (255, 255)


def test_turn_clockwise_by_quarter_turns() -> None:
    image = Image.new("L", (40, 30))
    image.putpixel((0, 0), 255)  # top-left corner
    assert turn_clockwise(image, 90).getpixel((29, 0)) == 255  # now top-right
    assert turn_clockwise(image, 180).getpixel((39, 29)) == 255
    assert turn_clockwise(image, 270).getpixel((0, 39)) == 255
    assert turn_clockwise(image, 0) is image


# -- photos: perspective ---------------------------------------------------------------------


def _photo(page: Image.Image, corners: list[tuple[float, float]], desk: int = 90) -> Image.Image:
    """``page`` photographed on a desk of gray ``desk``: its corners (top-left, top-right,
    bottom-right, bottom-left) land at ``corners`` of a photo 18 % wider and 14 % taller."""
    from devtools.samplegen.degrade import _perspective_coeffs

    w, h = page.size
    size = (int(w * 1.18), int(h * 1.14))
    coeffs = _perspective_coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    sheet = page.convert("LA").transform(size, Image.Transform.PERSPECTIVE, coeffs,
                                         Image.Resampling.BILINEAR, fillcolor=(0, 0))
    photo = Image.new("L", size, desk)
    photo.paste(sheet.getchannel("L"), (0, 0), sheet.getchannel("A"))
    return photo


def test_a_photographed_sheet_is_squared_up(text_page: Image.Image) -> None:
    """GIVEN a phone photo of a page whose edges converge (keystone) WHEN squared up THEN the
    sheet's corners are found where they are, and afterwards its edges are parallel."""
    from extractors.perspective import _keystone_degrees, find_sheet, square_up

    corners = [(330, 260), (2950, 180), (2880, 3650), (260, 3560)]
    photo = _photo(text_page, corners)
    found = find_sheet(photo)
    assert found is not None
    assert np.abs(found - np.array(corners)).max() < 0.015 * photo.width
    squared, keystone = square_up(photo)
    assert keystone > 1.0
    after = find_sheet(squared)
    assert after is not None and _keystone_degrees(after) < 0.3
    assert abs(estimate_skew(analysis_copy(squared, 300))) < 0.3  # the rows are level too


def test_a_scan_with_parallel_edges_is_left_to_deskew(text_page: Image.Image) -> None:
    """GIVEN a flatbed scan, skewed on a dark lid or filling the image WHEN squared up THEN
    nothing is done: only a photo makes a sheet's edges converge."""
    from extractors.perspective import square_up

    skewed_on_lid = _photo(text_page, [(330, 260), (2880, 170), (2995, 3470), (445, 3560)])
    assert square_up(skewed_on_lid) == (skewed_on_lid, 0.0)
    assert square_up(text_page) == (text_page, 0.0)
    steps = prepare_scan(skewed_on_lid, (300, 300)).steps
    assert not any(s.startswith("perspective") for s in steps)


def test_page_measurements_from_the_histogram_match_numpys(text_page: Image.Image) -> None:
    """The contrast and ink measurements are read off one histogram of the analysis copy;
    they agree with numpy's percentiles to a gray level on a real page, faded or not."""
    from extractors.preprocess import _otsu, measure_page

    for page in (text_page, text_page.point(lambda v: 170 + v * 70 // 255)):
        small = analysis_copy(page, 300)
        arr = np.asarray(small)
        stats = measure_page(small, page, 0.0)
        lo, hi = np.percentile(arr, (2, 98))
        assert stats.contrast == pytest.approx(hi - lo, abs=1.0)
        paper = np.percentile(arr, 90)
        ink = float((arr < min(_otsu(arr), paper - 20)).mean())
        assert stats.ink == pytest.approx(ink, abs=0.002)
        assert stats.ink > 0.005


def test_ruled_rows_counts_the_longest_ladder_of_row_rules() -> None:
    """A table's rules stand a row's height apart; a double border (8 pt) or rules far
    apart (a signature line under the text) make no ladder."""
    from extractors.ocr_resolution import ruled_rows

    assert ruled_rows([]) == 0
    assert ruled_rows([100.0 + 20 * i for i in range(8)]) == 8
    assert ruled_rows([28, 36, 700, 708]) == 1
    assert ruled_rows([28, 36, 200, 220, 240, 260, 600]) == 4


def test_a_200_dpi_page_of_text_is_left_at_200_dpi_and_a_ruled_one_brought_to_300() -> None:
    """GIVEN the same 200-dpi lines of text, once plain and once ruled into rows WHEN
    prepared THEN the plain page keeps its pixels and the ruled one is upsampled."""
    page = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.load_default(size=28)
    for i in range(12):
        draw.text((150, 300 + 60 * i), f"Line {i} of plain text, number {5100 + i}", font=font)
    plain = prepare_scan(page, (200, 200))
    assert plain.dpi == 200 and plain.image.size == page.size
    for i in range(13):
        draw.line((120, 290 + 60 * i, 1580, 290 + 60 * i), fill=0, width=2)
    ruled = prepare_scan(page, (200, 200))
    assert ruled.dpi == 300 and "resampled 200x200->300" in ruled.steps


def test_stretching_a_sparse_page_keeps_its_paper_white() -> None:
    """GIVEN a continuation page with one heading and one table row (ink ~0.5 % of the
    pixels) on noisy off-white paper, JPEG-compressed WHEN its contrast is stretched THEN
    only the ink turns dark: a cut of the darkest 1 % would fall in the paper's noise and
    turn half the page black, burying the type."""
    import io

    page = Image.new("L", LETTER_300, 249)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 40)
    draw.text((150, 150), "Range Qualification Log (page 2)", fill=60, font=font)
    draw.rectangle((150, 260, 2400, 420), outline=60, width=3)
    draw.text((180, 300), "Vandersloot     Sgt.     K9-3310     Northern Precinct", fill=90,
              font=font)
    noise = np.random.default_rng(5).normal(0, 3, (LETTER_300[1], LETTER_300[0]))
    page = Image.fromarray(np.clip(np.asarray(page) + noise, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=70)
    scan = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    dark_before = int((np.asarray(scan) < 128).sum())
    image, stats, steps = clean_page(scan, 300)
    assert stats.ink < 0.01 and steps[-1].startswith("stretch_contrast")
    assert int((np.asarray(image) < 128).sum()) < 1.2 * dark_before
