"""The reading stage end to end: real files in, pages of words out (real tesseract, no mocks).

Samples: ``tests/samples/reading/`` (README.md says where each came from). Scanned variants
are derived here from ``certificate.pdf``; see :func:`scan_of_certificate`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pypdfium2
import pytest
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extractors.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPdfError,
    ImageTooLargeError,
    InputFileError,
    UnsupportedFileTypeError,
)
from extractors.pdf_text import cluster_lines
from extractors.reading import PageRead, ReadContext, read_document, turn_box
from extractors.types import BBox, FieldSource

SAMPLES = Path(__file__).parent / "samples" / "reading"
CERTIFICATE = SAMPLES / "certificate.pdf"
EXPECTED = json.loads((SAMPLES / "certificate.expected.json").read_text())
# What OCR must find, in this order, on any readable scan of the certificate.
KEY_TEXT = ["CERTIFICATE", "Gonzalez", "4471", "1849", "March 14, 2024", "Whitfield", "5521"]


def assert_ordered_substrings(text: str, parts: list[str]) -> None:
    """Each part occurs in ``text`` after the previous one (OCR-tolerant comparison)."""
    pos = 0
    for part in parts:
        found = text.find(part, pos)
        assert found >= 0, f"{part!r} not found after position {pos} in:\n{text}"
        pos = found + len(part)


@pytest.fixture
def ctx(tmp_path: Path) -> ReadContext:
    return ReadContext(work_dir=tmp_path / "work", page_image_dir=tmp_path / "pages")


def read_all(path: Path, ctx: ReadContext) -> list[PageRead]:
    return list(read_document(path, ctx))


# -- scans derived from the certificate ----------------------------------------------------


@pytest.fixture(scope="session")
def certificate_300dpi() -> Image.Image:
    """The certificate rendered at 300 dpi with mild paper noise (a clean office scan)."""
    return scan_of_certificate(300)


def scan_of_certificate(dpi: int) -> Image.Image:
    doc = pypdfium2.PdfDocument(CERTIFICATE)
    try:
        bitmap = doc[0].render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil().copy()  # owns its pixels
    finally:
        doc.close()
    noise = np.random.default_rng(7).normal(0, 6, (image.height, image.width))
    arr = np.asarray(image, dtype=np.float32) * 0.9 + 18 + noise
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def image_only_pdf(image: Image.Image, path: Path, *, invisible_text: bool = False) -> Path:
    """A one-page PDF holding ``image`` full-page as a JPEG, like a scanner makes."""
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=80)
    c = canvas.Canvas(str(path), pagesize=letter)
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, *letter)
    if invisible_text:  # a scanner's searchable-PDF layer: text in render mode 3
        text = c.beginText(72, 700)
        text.setTextRenderMode(3)
        for line in EXPECTED["lines"]:
            text.textLine(line)
        c.drawText(text)
    c.showPage()
    c.save()
    return path


# -- born-digital --------------------------------------------------------------------------


def test_born_digital_page_reads_text_layer_words_boxes_and_lines(ctx: ReadContext) -> None:
    [page] = read_all(CERTIFICATE, ctx)
    text = page.text
    assert text.source is FieldSource.TEXT_LAYER
    assert (text.width, text.height) == tuple(EXPECTED["page_size"])
    assert [line.text for line in text.lines()] == EXPECTED["lines"]
    boxes = {w.text: w.bbox for w in text.words}
    for word, box in EXPECTED["word_boxes"].items():
        # Within 1 pt: for a font the PDF names but does not embed (Helvetica here), the box's
        # foot is the substitute font's descent, up to 0.02 of the size below the AFM's.
        assert boxes[word].to_list() == pytest.approx(box, abs=1.0), word
    assert all(w.confidence is None for w in text.words)
    assert page.image is None  # no render for a text page beyond the review image
    assert page.image_path is not None and page.image_path.exists()
    with Image.open(page.image_path) as review:
        assert review.mode == "L" and review.size == (850, 1100)  # 100 dpi


def test_pdf_with_a_lying_extension_is_sniffed(tmp_path: Path, ctx: ReadContext) -> None:
    named_png = tmp_path / "scan.png"
    named_png.write_bytes(CERTIFICATE.read_bytes())
    [page] = read_all(named_png, ctx)
    assert page.text.source is FieldSource.TEXT_LAYER


def test_pdf_encrypted_with_owner_password_only_opens(ctx: ReadContext) -> None:
    [page] = read_all(SAMPLES / "owner-password-only.pdf", ctx)
    assert page.text.lines()[0].text == "CERTIFICATE OF COMPLETION"


def test_pages_are_streamed(ctx: ReadContext) -> None:
    pages = read_document(CERTIFICATE, ctx)
    assert isinstance(pages, Iterator)
    assert next(pages).text.page_number == 1
    assert next(pages, None) is None


def test_review_images_are_optional(tmp_path: Path) -> None:
    ctx = ReadContext(
        work_dir=tmp_path / "w", page_image_dir=tmp_path / "p", keep_page_images=False
    )
    [page] = read_all(CERTIFICATE, ctx)
    assert page.image_path is None and not (tmp_path / "p").exists()


def test_blank_scan_skips_ocr(tmp_path: Path, ctx: ReadContext) -> None:
    blank = save(Image.new("L", (2550, 3300), 250), tmp_path / "blank.png", dpi=(300, 300))
    [page] = read_all(blank, ctx)
    assert page.text.words == () and "blank page" in page.text.warnings
    # The page image outlives the file it came from (read_all has closed the file).
    assert page.image is not None and page.image.getpixel((0, 0)) == 250


# -- bad inputs ----------------------------------------------------------------------------

BAD_INPUTS = [
    ("empty.pdf", EmptyDocumentError, "empty"),
    ("truncated.pdf", CorruptFileError, "damaged or truncated PDF"),
    ("corrupt.png", CorruptFileError, "damaged"),
    ("encrypted.pdf", EncryptedPdfError, "needs a password"),
    ("text-named.pdf", UnsupportedFileTypeError, "plain text"),
    ("zip-named.png", UnsupportedFileTypeError, "ZIP archive"),
    ("bomb.png", ImageTooLargeError, "too large"),
    ("bomb-under-pil-limit.png", ImageTooLargeError, "12000 x 12000"),
]


@pytest.mark.parametrize(
    ("name", "error", "message"), BAD_INPUTS, ids=[Path(b[0]).stem for b in BAD_INPUTS]
)
def test_bad_input_raises_a_specific_error(
    name: str, error: type[InputFileError], message: str, ctx: ReadContext
) -> None:
    with pytest.raises(error, match=message) as caught:
        read_all(SAMPLES / name, ctx)
    assert caught.value.code == error.code
    assert name in str(caught.value)  # the clerk sees which file


def test_truncated_jpeg_is_corrupt(tmp_path: Path, ctx: ReadContext) -> None:
    jpeg = save(Image.new("L", (800, 1000), 200), tmp_path / "p.jpg", quality=90)
    data = jpeg.read_bytes()
    jpeg.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptFileError) as caught:
        read_all(jpeg, ctx)
    assert isinstance(caught.value.__cause__, OSError)  # translated once, with the cause


def test_work_dir_holds_no_leftovers(tmp_path: Path, ctx: ReadContext) -> None:
    blank = save(Image.new("L", (850, 1100), 255), tmp_path / "b.png")
    read_all(blank, ctx)
    assert list(ctx.work_dir.iterdir()) == []


# -- geometry helpers ----------------------------------------------------------------------


def test_cluster_lines_groups_words_on_one_baseline() -> None:
    boxes = [
        BBox(10, 100, 50, 112),
        BBox(300, 101, 350, 113),  # same line, far right
        BBox(60, 98, 90, 108),  # superscript-ish, same line
        BBox(10, 130, 50, 142),
        BBox(10, 60, 200, 90),  # a big title above
    ]
    assert cluster_lines(boxes) == [1, 1, 1, 2, 0]


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_turn_box_matches_turning_the_image(turn: int) -> None:
    """A box marked on an image lands where the turned image shows it."""
    w, h = 40, 30
    image = Image.new("L", (w, h), 0)
    image.paste(255, (5, 7, 12, 10))
    turned = image.rotate(-turn, expand=True)  # PIL turns counter-clockwise
    x0, top, x1, bottom = turned.getbbox()
    assert turn_box(BBox(5, 7, 12, 10), w, h, turn).to_list() == [x0, top, x1, bottom]


# -- scans (real tesseract) ----------------------------------------------------------------


def assert_reads_certificate(page: PageRead, *, min_confidence: float = 0.8) -> None:
    text = page.text
    assert text.source is FieldSource.OCR
    assert_ordered_substrings(text.text, KEY_TEXT)
    assert text.mean_confidence is not None and text.mean_confidence >= min_confidence
    assert text.height > text.width  # portrait, as printed
    title = next(w for w in text.words if w.text == "CERTIFICATE")
    assert title.bbox.top < 0.25 * text.height  # upright: the title is at the top
    assert all(0 <= w.confidence <= 1 for w in text.words if w.confidence is not None)
    assert page.image is not None and page.image.mode == "L"
    pixels = (round(text.width * text.dpi / 72), round(text.height * text.dpi / 72))
    assert page.image.size == pixels


@pytest.mark.ocr
def test_image_only_pdf_takes_out_the_embedded_scan(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    pdf = image_only_pdf(certificate_300dpi, tmp_path / "scan.pdf")
    [page] = read_all(pdf, ctx)
    assert page.steps[0] == "embedded_scan 300x300dpi"
    assert_reads_certificate(page)
    assert (page.text.width, page.text.height) == pytest.approx((612, 792), abs=1)
    lines = [line.text for line in page.text.lines()]
    assert "Officer Maria L. Gonzalez" in lines
    gonzalez = next(w for w in page.text.words if w.text == "Gonzalez")
    expected = BBox.from_list(EXPECTED["word_boxes"]["Gonzalez"])
    assert gonzalez.bbox.x0 == pytest.approx(expected.x0, abs=4)
    assert gonzalez.bbox.center_y == pytest.approx(expected.center_y, abs=4)
    assert page.image_path is not None
    with Image.open(page.image_path) as review:
        assert review.size == pytest.approx((1275, 1650), abs=1)  # 150 dpi


@pytest.mark.ocr
def test_scan_stored_on_its_side_under_a_page_rotate_reads_upright(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    """GIVEN a scanner that stored the page on its side and set /Rotate 90 to show it
    upright WHEN read THEN the scan is taken out, turned as displayed, and read once."""
    stored = certificate_300dpi.rotate(90, expand=True)  # landscape pixels
    buf = io.BytesIO()
    stored.save(buf, format="JPEG", quality=80)
    path = tmp_path / "rotate90.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)  # the size as displayed
    c.setPageRotation(90)  # reportlab then writes a landscape MediaBox
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, letter[1], letter[0])
    c.showPage()
    c.save()
    [page] = read_all(path, ctx)
    assert page.steps[0] == "embedded_scan 300x300dpi"
    assert page.text.rotation == 0  # the PDF said how to turn it; OCR did not have to
    assert_reads_certificate(page)


@pytest.mark.ocr
@pytest.mark.parametrize("turn", [90, 180, 270])
def test_born_digital_page_shown_turned_is_read_upright_from_its_render(
    tmp_path: Path, ctx: ReadContext, turn: int
) -> None:
    """GIVEN a born-digital certificate whose page says /Rotate, so it is shown on its side
    or upside down WHEN read THEN its text layer (whose words would run down the page or
    spell backwards) is set aside and the render, turned upright, is read."""
    doc = pypdfium2.PdfDocument(CERTIFICATE)
    path = tmp_path / f"rotate{turn}.pdf"
    try:
        doc[0].set_rotation(turn)
        doc.save(path)
    finally:
        doc.close()
    [page] = read_all(path, ctx)
    assert_reads_certificate(page)


def test_text_drawn_turned_under_a_rotate_that_shows_it_upright_keeps_the_text_layer(
    tmp_path: Path, ctx: ReadContext
) -> None:
    """GIVEN text drawn turned on the stored page and a /Rotate 90 that shows it upright (how
    some programs save a landscape page) WHEN read THEN the text layer is used, in reading
    order."""
    path = tmp_path / "upright.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setPageRotation(90)  # the stored page is landscape; shown turned a quarter clockwise
    c.rotate(90)
    c.setFont("Helvetica", 14)
    lines = ["CERTIFICATE OF COMPLETION", "Jane Doe Badge 1234", "Date 03/03/2026"]
    for i, line in enumerate(lines):
        c.drawString(72, -100 - 30 * i, line)
    c.showPage()
    c.save()
    [page] = read_all(path, ctx)
    assert page.text.source is FieldSource.TEXT_LAYER
    assert [line.text for line in page.text.lines()] == lines


@pytest.mark.ocr
def test_a_200_dpi_page_of_text_is_read_at_its_own_resolution(
    tmp_path: Path, ctx: ReadContext
) -> None:
    """GIVEN a certificate scanned at 200 dpi (no table of rules) WHEN read THEN tesseract
    gets its pixels as they came (no upsampling to 300 dpi: 2.25 x the pixels to read) and
    the certificate still reads, boxes in points at 200 dpi."""
    pdf = image_only_pdf(scan_of_certificate(200), tmp_path / "scan200.pdf")
    [page] = read_all(pdf, ctx)
    assert page.steps[0] == "embedded_scan 200x200dpi"
    assert not any(step.startswith("resampled") for step in page.steps)
    assert page.text.dpi == 200
    assert_reads_certificate(page)


@pytest.mark.ocr
def test_a_200_dpi_ruled_table_is_brought_to_300_dpi(tmp_path: Path, ctx: ReadContext) -> None:
    """GIVEN a roster ruled into rows, small headings on a shaded band, scanned at 200 dpi
    WHEN read THEN it is upsampled to 300 dpi before OCR and its headings are read."""
    page_img = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(page_img)
    big, small = ImageFont.load_default(size=34), ImageFont.load_default(size=19)
    draw.text((150, 150), "Range Qualification Attendance", fill=0, font=big)
    draw.rectangle((150, 300, 1550, 350), fill=200)
    for x, head in ((170, "Member Name"), (800, "Member ID"), (1150, "Initials")):
        draw.text((x, 315), head, fill=0, font=small)
    for i in range(13):  # a heading rule and twelve rows, 50 px (18 pt) apart
        draw.line((150, 350 + 50 * i, 1550, 350 + 50 * i), fill=0, width=2)
    for i, (name, number) in enumerate((("Ines Okafor", "5512"), ("Paul Varga", "5530"))):
        draw.text((170, 362 + 50 * i), name, fill=0, font=small)
        draw.text((800, 362 + 50 * i), number, fill=0, font=small)
    [page] = read_all(save(page_img, tmp_path / "roster.png", dpi=(200, 200)), ctx)
    assert "resampled 200x200->300" in page.steps
    assert page.text.dpi == 300
    assert_ordered_substrings(page.text.text, ["Member Name", "Member ID", "Ines Okafor"])


@pytest.mark.ocr
def test_invisible_text_layer_over_a_scan_is_read_again(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    pdf = image_only_pdf(certificate_300dpi, tmp_path / "searchable.pdf", invisible_text=True)
    [page] = read_all(pdf, ctx)
    assert page.text.source is FieldSource.OCR
    assert_reads_certificate(page)


@pytest.mark.ocr
@pytest.mark.parametrize("turn", [90, 180, 270], ids=["turned90", "turned180", "turned270"])
def test_turned_page_reads_upright(
    turn: int, tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    """GIVEN a page scanned on its side or upside down WHEN read THEN the words come back
    upright, and ``rotation`` says how far it was turned (clockwise)."""
    lying = certificate_300dpi.rotate(turn, expand=True)  # counter-clockwise by ``turn``
    [page] = read_all(save(lying, tmp_path / f"turned{turn}.png", dpi=(300, 300)), ctx)
    assert page.text.rotation == turn
    assert_reads_certificate(page)


def roster_page_300dpi() -> Image.Image:
    """A sign-in sheet in 10-point Helvetica (small print: OSD at 1/3 size misreads it)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.setFont("Helvetica-Bold", 12)
    c.drawString(72, 720, "Class Sign-In Sheet: De-escalation Techniques, course 1849")
    c.setFont("Helvetica", 10)
    c.drawString(72, 700, "Date: March 14, 2024   Instructor: Sgt. Daniel Whitfield")
    for i in range(22):
        y = 660 - i * 26
        c.drawString(72, y, f"{i + 1}. Officer Jordan Avery    Badge {5100 + i}    Patrol Division")
        c.line(400, y - 2, 540, y - 2)
    c.showPage()
    c.save()
    doc = pypdfium2.PdfDocument(buf.getvalue())
    try:
        bitmap = doc[0].render(scale=300 / 72, grayscale=True)
        image = bitmap.to_pil().copy()
    finally:
        doc.close()
    return image


@pytest.mark.ocr
def test_upside_down_small_print_reads_upright(tmp_path: Path, ctx: ReadContext) -> None:
    upside_down = roster_page_300dpi().rotate(180)
    [page] = read_all(save(upside_down, tmp_path / "roster.png", dpi=(300, 300)), ctx)
    assert page.text.rotation == 180
    assert_ordered_substrings(
        page.text.text, ["Sign-In Sheet", "March 14, 2024", "Badge 5100", "Badge 5121"]
    )


@pytest.mark.ocr
def test_skewed_page_is_straightened(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    skewed = certificate_300dpi.rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=235)
    [page] = read_all(save(skewed, tmp_path / "skewed.png", dpi=(300, 300)), ctx)
    assert page.text.skew == pytest.approx(-3.0, abs=0.25)
    assert_reads_certificate(page)
    assert "Officer Maria L. Gonzalez" in [line.text for line in page.text.lines()]


@pytest.mark.ocr
def test_150_dpi_scan_is_upscaled(tmp_path: Path, ctx: ReadContext) -> None:
    low = save(scan_of_certificate(150), tmp_path / "low.png", dpi=(150, 150))
    [page] = read_all(low, ctx)
    assert "resampled 150x150->300" in page.steps
    assert page.source_dpi == (150, 150)
    assert_reads_certificate(page)


@pytest.mark.ocr
def test_fax_with_non_square_pixels_is_stretched(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    fax = certificate_300dpi.resize((1734, 1078), Image.Resampling.BOX)  # 204 x 98 dpi
    fax = fax.point(lambda v: 255 if v > 150 else 0).convert("1")
    path = save(fax, tmp_path / "fax.tif", dpi=(204, 98), compression="group4")
    [page] = read_all(path, ctx)
    assert "resampled 204x98->300" in page.steps
    assert page.text.width == pytest.approx(612, abs=2)
    assert_reads_certificate(page, min_confidence=0.75)


@pytest.mark.ocr
def test_jpeg_with_exif_rotation_is_turned_first(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90 degrees clockwise to view"
    stored = certificate_300dpi.rotate(90, expand=True)
    path = save(stored, tmp_path / "phone.jpg", quality=85, dpi=(300, 300), exif=exif)
    [page] = read_all(path, ctx)
    assert page.steps[0] == "exif_transpose"
    assert page.text.rotation == 0  # EXIF did it; no OCR-time turn needed
    assert_reads_certificate(page)


@pytest.mark.ocr
def test_phone_photo_at_an_angle_is_squared_up_and_read(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    """GIVEN a phone photo of the certificate lying on a desk, its edges converging (the
    phone tilted) WHEN read THEN the sheet is squared up before OCR and reads as a scan."""
    from devtools.samplegen.degrade import _perspective_coeffs

    w, h = certificate_300dpi.size
    size = (int(w * 1.18), int(h * 1.14))
    corners = [(330, 300), (2900, 180), (2850, 3600), (280, 3520)]
    coeffs = _perspective_coeffs(corners, [(0, 0), (w, 0), (w, h), (0, h)])
    sheet = certificate_300dpi.convert("LA").transform(
        size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR, fillcolor=(0, 0))
    photo = Image.new("L", size, 80)
    photo.paste(sheet.getchannel("L"), (0, 0), sheet.getchannel("A"))
    [page] = read_all(save(photo, tmp_path / "IMG_0001.jpg", quality=88), ctx)
    assert any(step.startswith("perspective") for step in page.steps), page.steps
    assert_ordered_substrings(page.text.text, KEY_TEXT)


@pytest.mark.ocr
def test_multi_page_tiff_reads_each_frame(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    first = certificate_300dpi.point(lambda v: 255 if v > 150 else 0).convert("1")
    second = scan_of_certificate(200).point(lambda v: 255 if v > 150 else 0).convert("1")
    path = tmp_path / "batch.tif"
    first.save(path, save_all=True, append_images=[second], dpi=(300, 300), compression="group4")
    pages = read_all(path, ctx)
    assert [p.text.page_number for p in pages] == [1, 2]
    for page in pages:
        assert_reads_certificate(page, min_confidence=0.75)
    assert [p.image_path.name for p in pages if p.image_path] == ["page-0001.jpg", "page-0002.jpg"]


@pytest.mark.ocr
def test_ocr_timeout_gives_an_empty_page_with_a_warning(
    tmp_path: Path, certificate_300dpi: Image.Image
) -> None:
    """GIVEN a page tesseract cannot finish in time WHEN read THEN the page comes back empty
    with a warning, promptly: no orientation search on top of a timeout."""
    ctx = ReadContext(work_dir=tmp_path / "work", ocr_timeout=0.05)
    path = save(certificate_300dpi, tmp_path / "slow.png", dpi=(300, 300))
    [page] = read_all(path, ctx)
    assert page.text.words == () and "timed out" in page.text.warnings[0]
    assert not any("turned" in step or "osd" in step for step in page.steps)


@pytest.mark.ocr
def test_speckled_scan_is_cleaned(
    tmp_path: Path, ctx: ReadContext, certificate_300dpi: Image.Image
) -> None:
    arr = np.array(certificate_300dpi)
    rng = np.random.default_rng(3)
    ys = rng.integers(0, arr.shape[0] - 2, 30_000)
    xs = rng.integers(0, arr.shape[1] - 2, 30_000)
    arr[ys, xs] = 20
    arr[ys + 1, xs] = 20
    [page] = read_all(save(Image.fromarray(arr), tmp_path / "speckled.png", dpi=(300, 300)), ctx)
    assert any(step.startswith("despeckle") for step in page.steps)
    assert_reads_certificate(page)
