"""The reading stage: a stored file in, one :class:`PageRead` per page out, streamed.

``read_document`` is the only entry point the ingestion job calls. The chain per page:

* PDF page with a real text layer -> its words from pdfium (no rendering, a few ms a page),
  and for a sign-in sheet its table rules and drawn marks from pdfplumber;
* PDF page without one -> its embedded scan taken out as it is (or a 300-dpi render) ->
  the scan chain below;
* image file page (PNG, JPEG, TIFF frame, BMP, GIF, WebP) -> the scan chain:
  :func:`~extractors.preprocess.prepare_scan` (EXIF turn, grayscale, resolution,
  background/speckle/contrast repairs when measured necessary, deskew) -> tesseract ->
  orientation repair only when the first read looks wrong.

Pages are yielded one at a time and nothing of a page is kept once it is yielded, so a
200-page scan never holds more than one page image. Consumers MUST NOT collect the
:class:`PageRead` objects of a long document in a list while keeping their ``image``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from PIL import Image

from extractors._tesseract import (
    OcrResult,
    detect_orientation,
    ocr_words,
    uses_warm_engine,
    write_ocr_input,
)
from extractors.classify import ClassifyResult, classify_page
from extractors.dither import (
    CLEARLY_DITHERED,
    DITHER_BLURS,
    DITHERED,
    looks_bilevel,
    measure_dither,
    smooth_dither,
)
from extractors.grain import smooth_grain
from extractors.gridread import reread_ruled_table
from extractors.images import FileKind, iter_image_pages, sniff_file_type
from extractors.marks import checkbox_words
from extractors.pdf_text import (
    PdfPage,
    open_pdf,
    read_graphics,
    read_text_layer,
    render_page,
    take_scan_image,
)
from extractors.preprocess import (
    PreparedPage,
    apply_exif_orientation,
    prepare_scan,
    straighten,
    to_grayscale,
    turn_clockwise,
)
from extractors.slips import read_back_slips
from extractors.types import (
    BBox,
    DocumentKind,
    FieldSource,
    PageGraphics,
    PageText,
    Word,
    px_to_pt,
)

log = logging.getLogger(__name__)

#: A first read below this mean confidence may be a page on its side or upside down.
MIN_UPRIGHT_CONFIDENCE = 0.6
#: Resolution of the copy orientation detection looks at.
_OSD_DPI = 150
#: Ink share of a page below which looking for its orientation by trial is not worth it.
_MIN_INK_FOR_TRIALS = 0.005
#: A first reading this sure (mean word confidence) is not tried again smoothed; the
#: dithered pages whose smoothed copy read better measured 0.0-0.76, a fax with line
#: noise that reads as well either way 0.82.
_SURE_READING = 0.8
#: How much better (read score) the middle third of a dithered page's smoothed copy must
#: read for the whole page to be read smoothed, and how much better that whole reading must
#: be to be kept. A handwritten fax sheet with line noise read 18-24 % better in its band and
#: 10 % better in whole smoothed, and lost its badge cells; dithered pages of the generator
#: read 20-23 % better in the band at the least, so the band cannot tell them apart and only
#: the whole reading decides.
_BAND_GAIN = 1.2
_SMOOTHED_GAIN = 1.25


@dataclass(frozen=True)
class ReadContext:
    """Settings and the work folder of one reading job.

    Attributes:
        work_dir: the only place intermediates are written (``ctx.path("p0003_ocr.tif")``);
            created if missing; the job owns and removes it.
        ocr_timeout: seconds per tesseract run before the page is given up (empty read with
            a warning).
        max_image_pixels: any page image above this is refused (decompression bombs).
        languages: tesseract languages, e.g. ``"eng"`` or ``"eng+spa"``.
        keep_page_images: save a review image of each page in ``page_image_dir``.
        page_image_dir: where review images go (``page-0001.jpg``, ...); ``None`` saves none.
        dpi: resolution scans are brought to for OCR.
        page_image_dpi: resolution of review images of scanned pages (grayscale JPEG).
        text_page_image_dpi: resolution of review images rendered for text-layer pages.
        keep_work_files: leave the OCR input images in ``work_dir`` (for debugging).
    """

    work_dir: Path
    ocr_timeout: float = 120
    max_image_pixels: int = 120_000_000
    languages: str = "eng"
    keep_page_images: bool = True
    page_image_dir: Path | None = None
    dpi: int = 300
    page_image_dpi: int = 150
    text_page_image_dpi: int = 100
    keep_work_files: bool = False

    def path(self, name: str) -> Path:
        """A path for an intermediate file inside the work folder."""
        return self.work_dir / name


@dataclass(frozen=True)
class PageRead:
    """One page as read.

    Attributes:
        text: the words, boxes in PDF points from the top-left of the page *as read* (after
            any turn and deskew), with ``line_id`` set; ``text.rotation`` is the clockwise
            turn applied to make the page upright, ``text.skew`` the small-angle correction
            (degrees counter-clockwise), ``text.dpi`` the OCR resolution.
        image_path: the saved review image (grayscale JPEG of the page as read), or ``None``.
        seconds: wall time spent on this page.
        image: for OCR'd pages, the preprocessed grayscale page (mode ``L``) exactly as
            tesseract saw it, at ``text.dpi``: pixel (x, y) is point
            (x * 72 / dpi, y * 72 / dpi), the same frame as the word boxes. Later stages use it
            to look at table rules and signature ink. ``None`` for text-layer pages.
        graphics: for text-layer pages that read as sign-in sheets, the page's rules and
            drawn marks (table rules and signatures); ``None`` for other pages.
        verdict: what a text-layer page was classified as (reading needs it to know
            whether to read graphics); ``None`` for OCR'd pages, classified later.
        read_graphics: for text-layer pages read without graphics, reads them after all
            (a page a learned layout shows to be a sheet though its wording did not);
            valid until the next page of the document is read (the file is open till then).
        source_dpi: (x, y) resolution of the scan as found or estimated (``None`` for text).
        steps: what was done to the page, in order (``"embedded_scan"``, ``"deskew +3.00"``,
            ``"turned 90 (osd)"``, ...), for the log and the audit trail.
    """

    text: PageText
    image_path: Path | None
    seconds: float
    image: Image.Image | None = field(default=None, compare=False, repr=False)
    source_dpi: tuple[float, float] | None = None
    steps: tuple[str, ...] = ()
    graphics: PageGraphics | None = field(default=None, compare=False, repr=False)
    verdict: ClassifyResult | None = field(default=None, compare=False, repr=False)
    read_graphics: Callable[[], PageGraphics] | None = field(default=None, compare=False,
                                                              repr=False)


def read_document(path: Path, ctx: ReadContext) -> Iterator[PageRead]:
    """Read every page of a PDF or image file, one page at a time.

    The type is sniffed from the bytes; the file name is ignored.

    Raises:
        EmptyDocumentError: the file is empty or a PDF without pages.
        UnsupportedFileTypeError: the file is neither a PDF nor an image.
        EncryptedPdfError: the PDF needs a password.
        CorruptFileError: the file is damaged; raised at the first page that cannot be
            read, after the pages before it were yielded.
        ImageTooLargeError: a page image exceeds ``ctx.max_image_pixels``.
        OcrFailedError: tesseract failed (not a timeout or an empty page).
    """
    path = Path(path)
    kind = sniff_file_type(path)
    ctx.work_dir.mkdir(parents=True, exist_ok=True)
    log.debug("reading %s as %s", path.name, kind)
    if kind is FileKind.PDF:
        yield from read_pdf_pages(path, ctx)
    else:
        yield from read_image_pages(path, kind, ctx)


def read_pdf_pages(path: Path, ctx: ReadContext) -> Iterator[PageRead]:
    """Read a PDF: the text layer where it is real, OCR for the other pages."""
    with open_pdf(path) as pages:
        for page in pages:
            yield read_pdf_page(page, ctx)


def read_pdf_page(page: PdfPage, ctx: ReadContext) -> PageRead:
    """Read one PDF page from its text layer, or OCR its scan (taken out, else rendered)."""
    started = time.perf_counter()
    text = read_text_layer(page)
    if text is not None:
        image_path = None
        if _saves_page_images(ctx):
            image = render_page(page, ctx.text_page_image_dpi, ctx.max_image_pixels)
            image_path = _save_page_image(image, ctx.text_page_image_dpi, page.number, ctx)
        # Only sign-in sheets look at rules and drawn signatures, and pdfplumber takes
        # longer to list them than the rest of a certificate's reading.
        verdict = classify_page(text)
        is_sheet = verdict.kind is DocumentKind.SIGN_IN_SHEET
        return PageRead(text, image_path, time.perf_counter() - started, steps=("text_layer",),
                        graphics=read_graphics(page) if is_sheet else None, verdict=verdict,
                        read_graphics=None if is_sheet else partial(read_graphics, page))
    scan = take_scan_image(page, ctx.max_image_pixels)
    if scan is not None:
        image, dpi = scan
        step = f"embedded_scan {dpi[0]:.0f}x{dpi[1]:.0f}dpi"
    else:
        image, dpi = render_page(page, ctx.dpi, ctx.max_image_pixels), (ctx.dpi, ctx.dpi)
        step = f"rendered {ctx.dpi}dpi"
    return read_scan(image, dpi, page.number, ctx, started=started, steps=(step,))


def read_image_pages(path: Path, kind: FileKind, ctx: ReadContext) -> Iterator[PageRead]:
    """Read an image file, frame by frame for a multi-page TIFF."""
    pages = iter_image_pages(path, kind, max_pixels=ctx.max_image_pixels)
    while True:
        started = time.perf_counter()  # decoding counts towards the page's time
        page = next(pages, None)
        if page is None:
            return
        yield read_scan(page.image, page.dpi, page.page_number, ctx, started=started)


def read_scan(
    image: Image.Image,
    source_dpi: tuple[float, float] | None,
    page_number: int,
    ctx: ReadContext,
    *,
    started: float,
    steps: tuple[str, ...] = (),
) -> PageRead:
    """Preprocess, OCR (turning the page upright if needed) and save the review image."""
    prepared = prepare_scan(image, source_dpi, target_dpi=ctx.dpi, max_pixels=ctx.max_image_pixels)
    if prepared.stats.ink == 0.0:
        read = UprightRead(_blank_result(prepared), prepared.image)
    else:
        read = ocr_upright(prepared, page_number, ctx)
        smoothed = read_dithered(image, source_dpi, prepared, read, page_number, ctx)
        if smoothed is not None:
            prepared, read = smoothed
    del image  # the original is no longer needed; let a large decode be freed
    steps += prepared.steps
    if read.turn:
        steps += (f"turned {read.turn} ({read.how})",)
    if read.skew:
        steps += (f"deskew {read.skew:+.2f}",)
    text = PageText(
        page_number=page_number,
        width=px_to_pt(read.image.width, prepared.dpi),
        height=px_to_pt(read.image.height, prepared.dpi),
        words=read_back_slips(
            checkbox_words(read.image, prepared.dpi, read.result.words, ctx.ocr_timeout)),
        source=FieldSource.OCR,
        dpi=prepared.dpi,
        rotation=read.turn,
        skew=round(prepared.skew + read.skew, 2),
        mean_confidence=read.result.mean_confidence,
        warnings=read.result.warnings,
    )
    text = reread_ruled_table(text, read.image, ctx.ocr_timeout)
    image_path = _save_page_image(read.image, prepared.dpi, page_number, ctx)
    seconds = time.perf_counter() - started
    log.debug("page %d: %d words in %.2fs; %s", page_number, len(text.words), seconds, steps)
    return PageRead(text, image_path, seconds, read.image, prepared.source_dpi, steps)


def read_dithered(
    image: Image.Image,
    source_dpi: tuple[float, float] | None,
    scanned: PreparedPage,
    first: UprightRead,
    page_number: int,
    ctx: ReadContext,
) -> tuple[PreparedPage, UprightRead] | None:
    """The page prepared from its smoothed copy and read, when the scan is dithered
    (:mod:`extractors.dither`) and the smoothed copy reads clearly better; else ``None``.

    A light dither is looked for only when the first reading was poor (a fax with line
    noise measures like one, and reads well); a clear one on any black-and-white scan.
    Then the middle third of the lightly smoothed page is read alone: a third of a reading
    tells whether whole ones are worth it (a noisy fax reads no better smoothed). If it is,
    the page is read lightly blurred, and when that reading is clearly better, under the
    wider blurs of :data:`extractors.dither.DITHER_BLURS` too (dark gray's dense dots read
    best lightly blurred, light gray's sparse ones under a wider blur); the best reading is
    kept. The smoothed copy is prepared whole (the rules, marks and signatures of a
    dithered page are dotted too), so later stages look at the page read.
    """
    confidence = first.result.mean_confidence
    doubtful = confidence is None or confidence < _SURE_READING
    if first.result.timed_out or not (doubtful or looks_bilevel(image)):
        return None
    upright, swapped = apply_exif_orientation(image)
    gray = to_grayscale(upright)
    share = measure_dither(gray)
    if share < (DITHERED if doubtful else CLEARLY_DITHERED):
        return None
    if swapped and source_dpi:
        source_dpi = (source_dpi[1], source_dpi[0])
    # read as the first reading was, with or without tesseract's inverted retry: a
    # smoothed copy that reads better must do so by its words, not by that setting
    smoothed = partial(_prepare_smoothed, gray, source_dpi, ctx, scanned.stats.dark_fills)
    prepared = smoothed(DITHER_BLURS[0])
    if not first.turn:
        band, before = _band_scores(prepared, first, page_number, ctx)
        if band <= _BAND_GAIN * before:
            log.info("page %d: dither %.2f, a band of the smoothed copy did not read better "
                     "(%.1f vs %.1f)", page_number, share, band, before)
            return None
    second = ocr_upright(prepared, page_number, ctx, label="dither")
    before, after = read_score(first.result), read_score(second.result)
    if after <= _SMOOTHED_GAIN * before:
        log.info("page %d: dither %.2f, the smoothed copy did not read better (%.1f vs %.1f)",
                 page_number, share, after, before)
        return None
    for sigma in DITHER_BLURS[1:]:  # a wider blur only once the lighter one has paid off
        page = smoothed(sigma)
        read = ocr_upright(page, page_number, ctx, label="dither")
        if read_score(read.result) > after:
            prepared, second, after = page, read, read_score(read.result)
    step = f"dither {share:.2f}: read smoothed ({after:.0f} vs {before:.0f})"
    return replace(prepared, steps=(*prepared.steps, step)), second


def _prepare_smoothed(gray: Image.Image, source_dpi: tuple[float, float] | None,
                      ctx: ReadContext, dark_fills: int, sigma: float) -> PreparedPage:
    page = prepare_scan(smooth_dither(gray, sigma), source_dpi, target_dpi=ctx.dpi,
                        max_pixels=ctx.max_image_pixels)
    return replace(page, stats=replace(page.stats, dark_fills=dark_fills))


def _band_scores(
    prepared: PreparedPage, first: UprightRead, page_number: int, ctx: ReadContext
) -> tuple[float, float]:
    """The read score of the middle third of ``prepared`` read alone, and that of the same
    band in the first reading."""
    image, dpi = prepared.image, prepared.dpi
    top, bottom = image.height // 3, 2 * image.height // 3
    band = _ocr(image.crop((0, top, image.width, bottom)), dpi, page_number, "dither band", ctx,
                invert=prepared.reads_inverted)
    top_pt, bottom_pt = px_to_pt(top, dpi), px_to_pt(bottom, dpi)
    before = words_score(w for w in first.result.words
                         if top_pt <= (w.bbox.top + w.bbox.bottom) / 2 < bottom_pt)
    return words_score(band.words), before


def _blank_result(prepared: PreparedPage) -> OcrResult:
    w, h = (px_to_pt(v, prepared.dpi) for v in prepared.image.size)
    return OcrResult((), w, h, prepared.dpi, None, ("blank page",))


@dataclass(frozen=True)
class UprightRead:
    """The outcome of :func:`ocr_upright`.

    Attributes:
        result: the read kept, boxes in the frame of ``image``.
        image: the page as read (turned upright when it was turned).
        turn: clockwise degrees the page was turned (0, 90, 180, 270).
        how: what found the turn (``"osd"``, ``"trial"``, ``"vertical lines"``).
        skew: a further small-angle correction made after a quarter turn (degrees).
    """

    result: OcrResult
    image: Image.Image
    turn: int = 0
    how: str = ""
    skew: float = 0.0


def ocr_upright(
    prepared: PreparedPage, page_number: int, ctx: ReadContext, *, label: str = "ocr"
) -> UprightRead:
    """OCR a page, turning it upright when the first read says it is not.

    Orientation detection costs more than reading (``spec/measured.md``), so it runs only
    when the first read looks wrong. Tesseract itself reads a page lying on its side when
    its lines run top to bottom (they come back vertical): the words and image are then
    turned without another read.
    """
    image, dpi = prepared.image, prepared.dpi
    invert = prepared.reads_inverted
    first = _ocr(_reading_copy(image, prepared), dpi, page_number, label, ctx, invert=invert)
    if reads_well(first):
        return _settle(UprightRead(first, image))
    if first.timed_out:
        return UprightRead(first, image)  # a page that slow is not read twice more
    turn, how = find_orientation(prepared, first, page_number, ctx)
    if not turn:
        return UprightRead(first, image)
    turned, skew = turn_clockwise(image, turn), 0.0
    if turn in (90, 270):  # the skew of a page on its side could not be measured before
        turned, skew = straighten(turned, dpi)
    second = _ocr(_reading_copy(turned, prepared), dpi, page_number, f"{label}{turn}", ctx,
                  invert=invert)
    if read_score(second) <= read_score(first):
        log.info(
            "page %d: turning %d did not read better; keeping the first read", page_number, turn
        )
        return UprightRead(first, image)
    return _settle(UprightRead(second, turned, turn, how, skew))


def _reading_copy(image: Image.Image, prepared: PreparedPage) -> Image.Image:
    """What tesseract reads: a grainy page smoothed (:mod:`extractors.grain`), only for
    the full reading; rules, marks, signatures and handwritten cells are measured on the
    page as scanned, where the smoothing would erase thin strokes."""
    return smooth_grain(image) if prepared.reads_smoothed else image


def _settle(read: UprightRead) -> UprightRead:
    """Turn a read whose lines came back vertical (and its image) to horizontal lines."""
    extra = turn_for_vertical_lines(read.result.words)
    if not extra:
        return read
    how = f"{read.how}, vertical lines" if read.how else "vertical lines"
    return replace(
        read,
        result=turn_result(read.result, extra),
        image=turn_clockwise(read.image, extra),
        turn=(read.turn + extra) % 360,
        how=how,
    )


def find_orientation(
    prepared: PreparedPage, first: OcrResult, page_number: int, ctx: ReadContext
) -> tuple[int, str]:
    """The clockwise turn that makes a badly read page upright (0 when none helps).

    Tesseract OSD on a ~150-dpi copy first. (On a one-third-size copy OSD is cheaper but
    confidently wrong about 10-point text: it called an upright roster upside down.) When
    OSD cannot tell (too few characters), the four turns are read on a half-size copy, if
    the first read found words and the page has ink enough to matter. Either way the caller
    keeps the turned read only if it scores better than the first.
    """
    small = _osd_copy(prepared.image, prepared.dpi)
    small_dpi = prepared.dpi * small.width / prepared.image.width
    timeout = min(ctx.ocr_timeout, 60)
    if uses_warm_engine() and not ctx.keep_work_files:
        turn = detect_orientation(small, timeout=timeout, dpi=small_dpi)
    else:
        osd_path = write_ocr_input(small, ctx.path(f"p{page_number:04d}_osd.tif"))
        try:
            turn = detect_orientation(osd_path, timeout=timeout, dpi=small_dpi)
        finally:
            _discard(osd_path, ctx)
    if turn is not None:
        return turn, "osd"
    if prepared.stats.ink < _MIN_INK_FOR_TRIALS or not first.words:
        return 0, ""  # a picture or a nearly empty page: nothing a turn would fix
    return _turn_by_trial(prepared, page_number, ctx), "trial"


def _osd_copy(image: Image.Image, dpi: float) -> Image.Image:
    factor = max(1, round(dpi / _OSD_DPI))
    return image.reduce(factor) if factor > 1 else image


def _turn_by_trial(prepared: PreparedPage, page_number: int, ctx: ReadContext) -> int:
    half = prepared.image.reduce(2)
    dpi = prepared.dpi / 2
    scores = {
        turn: read_score(_ocr(turn_clockwise(half, turn), dpi, page_number, f"try{turn}", ctx,
                              invert=prepared.reads_inverted))
        for turn in (0, 90, 180, 270)
    }
    best = max(scores, key=lambda t: scores[t])
    log.debug("page %d: orientation trial scores %s", page_number, scores)
    return best if scores[best] > 1.5 * scores[0] + 1 else 0


def _ocr(
    image: Image.Image, dpi: float, page_number: int, label: str, ctx: ReadContext, *,
    invert: bool,
) -> OcrResult:
    """OCR the image: its pixels straight to the warm engine, else an uncompressed TIFF in
    the work folder for a tesseract process (kept there with ``keep_work_files``).
    ``invert``: whether the page has a dark fill white type could stand on
    (:attr:`PreparedPage.reads_inverted`)."""
    read = partial(ocr_words, dpi=dpi, timeout=ctx.ocr_timeout, lang=ctx.languages,
                   purpose=label, invert=invert)
    if uses_warm_engine() and not ctx.keep_work_files:
        return read(image)
    path = write_ocr_input(image, ctx.path(f"p{page_number:04d}_{label}.tif"))
    try:
        return read(path)
    finally:
        _discard(path, ctx)


def _discard(path: Path, ctx: ReadContext) -> None:
    if not ctx.keep_work_files:
        path.unlink(missing_ok=True)


# -- judging a read -----------------------------------------------------------------------

# Words any English certificate or sign-in sheet uses: a read with none of them among
# many alphabetic words is garbage (an upside-down page reads as "SIU", "pjoyu", ...).
_COMMON_WORDS = frozenset(
    """the and for that this with from has have was were are not all any but who
    its his her has our your their they them than then into upon over under
    date name names print printed sign signed signature signatures title course
    courses hours hour credit credits training train trained class session officer
    officers badge number department police sheriff agency county city state law
    enforcement instructor instructors coordinator director chief completion completed
    complete certify certifies certified certificate attendance attended roster sheet
    time location program academy continuing education successfully de-escalation
    escalation crisis intervention force use communication tactics techniques mental
    health response commission standards peace post tcole approved presented awarded
    """.split()
)
_LETTERS = re.compile(r"[^A-Za-z'-]")


def reads_well(result: OcrResult) -> bool:
    """Whether a read looks like an upright page.

    Three confidently read common words settle it (a sign-in sheet full of handwriting has
    a low mean confidence but reads its printed headers well); otherwise the mean confidence
    must be fair and, among many alphabetic words, at least one must be a known word.
    """
    if not result.words or result.mean_confidence is None:
        return False
    alpha = [(_LETTERS.sub("", w.text).lower(), w.confidence or 0.0) for w in result.words]
    alpha = [(a, c) for a, c in alpha if len(a) >= 3]
    known = [c for a, c in alpha if a in _COMMON_WORDS]
    if sum(c >= 0.8 for c in known) >= 3:
        return True
    if result.mean_confidence < MIN_UPRIGHT_CONFIDENCE:
        return False
    return len(alpha) < 10 or bool(known)


def read_score(result: OcrResult) -> float:
    """How much a read looks like text: confidence summed over word-like words.

    Known words count three times; fragments of one or two characters and mixed-case
    junk ("ZiIny") count nothing.
    """
    return words_score(result.words)


def words_score(words: Iterable[Word]) -> float:
    """:func:`read_score` of some of a reading's words."""
    score = 0.0
    for w in words:
        letters = _LETTERS.sub("", w.text)
        conf = w.confidence or 0.0
        if letters.lower() in _COMMON_WORDS:
            score += 3 * conf
        elif len(letters) >= 3 and (letters.islower() or letters.isupper() or letters.istitle()):
            score += conf
        elif sum(c.isdigit() for c in w.text) >= 2:
            score += conf
    return score


def turn_for_vertical_lines(words: tuple[Word, ...]) -> int:
    """The clockwise turn that makes tesseract's lines horizontal (0 when they already are).

    Tesseract's default segmentation reads a page lying on its side by itself when its
    lines run top to bottom; the boxes then come back tall and stacked down each line.
    """
    long_words = [w for w in words if len(w.text) >= 3]
    tall = sum(w.bbox.height > 1.5 * w.bbox.width for w in long_words)
    if len(long_words) < 3 or tall < 0.6 * len(long_words):
        return 0
    down = up = 0
    for prev, word in zip(words, words[1:], strict=False):
        if prev.line_id == word.line_id:
            if word.bbox.center_y > prev.bbox.center_y:
                down += 1
            else:
                up += 1
    return 270 if down >= up else 90


def turn_result(result: OcrResult, turn: int) -> OcrResult:
    """Turn a read's word boxes clockwise with its page (90, 180 or 270 degrees)."""
    words = tuple(
        replace(w, bbox=turn_box(w.bbox, result.width, result.height, turn)) for w in result.words
    )
    if turn in (90, 270):
        return replace(result, words=words, width=result.height, height=result.width)
    return replace(result, words=words)


def turn_box(box: BBox, width: float, height: float, turn: int) -> BBox:
    """Where a box on a ``width`` x ``height`` page lands when the page turns clockwise."""
    if turn == 90:
        return BBox(height - box.bottom, box.x0, height - box.top, box.x1)
    if turn == 180:
        return BBox(width - box.x1, height - box.bottom, width - box.x0, height - box.top)
    if turn == 270:
        return BBox(box.top, width - box.x1, box.bottom, width - box.x0)
    return box


# -- review images ------------------------------------------------------------------------


def _saves_page_images(ctx: ReadContext) -> bool:
    return ctx.keep_page_images and ctx.page_image_dir is not None


def _save_page_image(
    image: Image.Image, dpi: float, page_number: int, ctx: ReadContext
) -> Path | None:
    """Save a grayscale JPEG of the page as read, at about ``ctx.page_image_dpi``."""
    if not _saves_page_images(ctx):
        return None
    assert ctx.page_image_dir is not None
    factor = dpi / ctx.page_image_dpi
    if factor >= 1.5 and abs(factor - round(factor)) < 0.1:
        image = image.reduce(round(factor))
    elif factor > 1.1:
        size = (round(image.width / factor), round(image.height / factor))
        image = image.resize(size, Image.Resampling.BOX)
    ctx.page_image_dir.mkdir(parents=True, exist_ok=True)
    out = ctx.page_image_dir / f"page-{page_number:04d}.jpg"
    image.save(out, format="JPEG", quality=75, dpi=(dpi / max(factor, 1.0),) * 2)
    return out
