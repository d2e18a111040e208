"""Reading PDF pages: the text layer with pdfplumber, page images with pypdfium2.

A page is read from its text layer when it has a real one (enough visible, plausible
words); otherwise the caller OCRs it, and this module supplies the image: the page's one
embedded scan taken out as it is when there is exactly one, else a render at the OCR
resolution. Both libraries are opened at most once per document, and pdfium only when a
page needs it. Third-party exceptions are translated here, once.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from extractors.errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPdfError,
    ImageTooLargeError,
)
from extractors.preprocess import turn_clockwise
from extractors.types import BBox, FieldSource, PageGraphics, PageText, Rule, Word

log = logging.getLogger(__name__)

#: A text layer with fewer words than this over a full-page image is a stamp or a caption
#: on a scan (e.g. "Scanned by ..."), not the page's content.
MIN_WORDS_OVER_SCAN = 10
#: Share of characters that must be ordinary (letters, digits, punctuation) in a real layer.
MIN_PLAUSIBLE_CHARS = 0.85
#: An image covering this much of the page makes the page a scan.
_SCAN_COVERAGE = 0.5
#: How closely one image must fill the page to be taken out as the page instead of rendered.
_FULL_PAGE_TOLERANCE_PT = 3.0


@dataclass
class PdfPage:
    """One page of an open PDF, both libraries' views of it.

    Attributes:
        number: 1-based page number.
        plumber: the pdfplumber page (text layer, object list).

    :meth:`pdfium` gives the pypdfium2 page, loading the document on first use.
    """

    number: int
    plumber: Any
    _pdfium: _PdfiumDoc = field(repr=False)
    _page: pypdfium2.PdfPage | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        """The PDF file."""
        return self._pdfium.path

    @property
    def width(self) -> float:
        """Page width in points, as displayed (/Rotate applied)."""
        return float(self.plumber.width)

    @property
    def height(self) -> float:
        """Page height in points, as displayed."""
        return float(self.plumber.height)

    def pdfium(self) -> pypdfium2.PdfPage:
        """The pypdfium2 page (the document is opened on the first call)."""
        if self._page is None:
            self._page = self._pdfium.get()[self.number - 1]
        return self._page

    def close(self) -> None:
        """Free the page's parsed objects: a long document must not accumulate them."""
        self.plumber.close()
        if self._page is not None:
            self._page.close()
            self._page = None


class _PdfiumDoc:
    """The document in pdfium, opened lazily: born-digital pages never need it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._doc: pypdfium2.PdfDocument | None = None

    def get(self) -> pypdfium2.PdfDocument:
        if self._doc is None:
            try:
                self._doc = pypdfium2.PdfDocument(self.path)
            except pypdfium2.PdfiumError as e:
                raise CorruptFileError(f"{self.path.name} is damaged: {e}") from e
        return self._doc

    def close(self) -> None:
        if self._doc is not None:
            self._doc.close()


@contextmanager
def open_pdf(path: Path) -> Iterator[Iterator[PdfPage]]:
    """Open a PDF and give an iterator over its pages; each page is closed after its turn.

    Raises:
        EncryptedPdfError: the PDF needs a password to be opened.
        CorruptFileError: the PDF is damaged or truncated beyond what pdfminer can repair.
        EmptyDocumentError: the PDF has no pages.
    """
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfplumber wraps all of pdfminer's errors in one type
        raise _translate_pdf_error(path, e) from e
    pdfium = _PdfiumDoc(path)
    try:
        try:
            pages = pdf.pages
        except Exception as e:
            raise _translate_pdf_error(path, e) from e
        if not pages:
            raise EmptyDocumentError(f"{path.name} is a PDF with no pages")
        yield _iter_pages(pages, pdfium)
    finally:
        pdf.close()
        pdfium.close()


def _iter_pages(pages: list[Any], pdfium: _PdfiumDoc) -> Iterator[PdfPage]:
    for number, plumber_page in enumerate(pages, start=1):
        page = PdfPage(number, plumber_page, pdfium)
        try:
            yield page
        finally:
            page.close()


def _translate_pdf_error(path: Path, e: Exception) -> Exception:
    cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
    name = type(cause).__name__
    if "Password" in name or "Encrypt" in name:
        return EncryptedPdfError(f"{path.name} is an encrypted PDF that needs a password")
    return CorruptFileError(f"{path.name} is a damaged or truncated PDF ({name}: {cause})")


def read_text_layer(page: PdfPage) -> PageText | None:
    """The page's words from its text layer, or ``None`` when the page must be OCR'd.

    ``None`` when the layer is missing while the page shows something (a scan, text drawn
    as outlines), garbled (unmapped ``(cid:NN)`` glyphs, private-use characters), invisible
    (a scanner's OCR layer over the scan: we read the scan ourselves, with confidences), or
    a few words over a full-page scan. A page with nothing on it reads as an empty page.
    """
    try:
        raw = page.plumber.extract_words(return_chars=True)
        images = page.plumber.images
        drawn = len(page.plumber.curves) + len(page.plumber.rects)
    except Exception as e:
        raise _translate_pdf_error(page.path, e) from e
    scan_cover = _largest_image_coverage(images, page.width, page.height)
    why_not = _why_not_text_layer(raw, scan_cover, bool(images) or drawn > 0, page)
    if why_not:
        log.debug("page %d: OCR needed: %s", page.number, why_not)
        return None
    words = _words_from_plumber(_level_words(raw), page.plumber.cropbox)
    x0, top, x1, bottom = page.plumber.cropbox
    return PageText(
        page_number=page.number,
        width=float(x1 - x0),
        height=float(bottom - top),
        words=words,
        source=FieldSource.TEXT_LAYER,
        warnings=() if words else ("blank page",),
    )


def _why_not_text_layer(
    raw: list[dict[str, Any]], scan_cover: float, has_content: bool, page: PdfPage
) -> str | None:
    """Why the text layer cannot be used (``None`` when it can)."""
    if len(raw) < 3:
        return "no text layer" if has_content else None
    text = "".join(w["text"] for w in raw)
    plausible = _plausible_share(text)
    if plausible < MIN_PLAUSIBLE_CHARS:
        return f"garbled text layer ({plausible:.0%} plausible characters)"
    turned = _turned_share(page.plumber.chars)
    if turned >= 0.5:
        # A page shown sideways or upside down: pdfplumber's words then run down the page
        # or spell backwards. The rendered page, turned upright by OSD, reads correctly.
        return f"text runs sideways or upside down on the page as shown ({turned:.0%})"
    if scan_cover >= _SCAN_COVERAGE:
        if _text_is_invisible(page.pdfium()):
            return "invisible OCR layer over a scan"
        if len(raw) < MIN_WORDS_OVER_SCAN:
            return f"only {len(raw)} words over a full-page image"
    return None


def _turned_share(chars: list[dict[str, Any]]) -> float:
    """Share of characters not upright on the page as displayed (/Rotate applied).

    A character's matrix ``(a, b, c, d, e, f)`` gives its baseline direction ``(a, b)``;
    upright text runs left to right (``a > 0``, ``b`` about 0).
    """
    if not chars:
        return 0.0
    turned = sum(1 for ch in chars if ch["matrix"][0] <= abs(ch["matrix"][1]))
    return turned / len(chars)


def _level_words(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The words set level on the page, without the letters set at an angle.

    A certificate's watermark ("OFFICIAL RECORD" across the page at 30 degrees), the text
    around a seal or a form number up the margin are text too: their letters would land in
    the rows they cross ("Training C Academy, O London"), join two rows, or stick to a word.
    """
    out = []
    for word in raw:
        chars = word.get("chars")
        if not chars or all(_level(ch) for ch in chars):
            out.append(word)
            continue
        kept = [ch for ch in chars if _level(ch)]
        if kept:
            out.append({"text": "".join(ch["text"] for ch in kept),
                        "x0": min(ch["x0"] for ch in kept), "x1": max(ch["x1"] for ch in kept),
                        "top": min(ch["top"] for ch in kept),
                        "bottom": max(ch["bottom"] for ch in kept)})
    return out


def _level(ch: dict[str, Any]) -> bool:
    a, b = ch["matrix"][:2]
    return a > 0 and abs(b) <= 0.1 * a


def _plausible_share(text: str) -> float:
    """Share of characters that are letters, digits, punctuation or symbols in common use."""
    if not text:
        return 0.0
    bad = text.count("(cid:") * 6  # pdfminer's placeholder for a glyph it cannot map
    for ch in text:
        cat = unicodedata.category(ch)
        if cat in ("Co", "Cc", "Cn", "Cs") or ch == "\ufffd":
            bad += 1
    return max(0.0, 1.0 - bad / len(text))


def _text_is_invisible(pdfium_page: pypdfium2.PdfPage) -> bool:
    """Whether most of the page's text objects use render mode 3 (invisible)."""
    modes = [
        pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
        for obj in pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
    ]
    invisible = sum(m == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for m in modes)
    return bool(modes) and invisible >= 0.5 * len(modes)


def _largest_image_coverage(images: list[dict[str, Any]], width: float, height: float) -> float:
    area = max(width * height, 1.0)
    covers = [
        max(0.0, min(im["x1"], width) - max(im["x0"], 0.0))
        * max(0.0, min(im["bottom"], height) - max(im["top"], 0.0))
        / area
        for im in images
    ]
    return max(covers, default=0.0)


def _words_from_plumber(
    raw: list[dict[str, Any]], cropbox: tuple[float, float, float, float]
) -> tuple[Word, ...]:
    """Turn pdfplumber word dicts into Words relative to the visible (crop) box, with lines."""
    cx0, ctop, cx1, cbottom = (float(v) for v in cropbox)
    boxes: list[tuple[str, BBox]] = []
    for w in raw:
        x0, x1 = sorted((float(w["x0"]), float(w["x1"])))
        top, bottom = sorted((float(w["top"]), float(w["bottom"])))
        if x1 <= cx0 or x0 >= cx1 or bottom <= ctop or top >= cbottom:
            continue  # outside the visible page
        boxes.append((w["text"], BBox(x0 - cx0, top - ctop, x1 - cx0, bottom - ctop)))
    line_ids = cluster_lines([box for _, box in boxes])
    return tuple(
        Word(text, box, None, line_id) for (text, box), line_id in zip(boxes, line_ids, strict=True)
    )


def cluster_lines(boxes: list[BBox]) -> list[int]:
    """Give boxes on the same visual line the same id, numbering lines top to bottom.

    Boxes are taken in order of their vertical centre; a box joins the current line when its
    centre lies within the vertical extent of the line's first box, so superscripts stay on
    their line and a big title does not swallow the small print under it.
    """
    order = sorted(range(len(boxes)), key=lambda i: boxes[i].center_y)
    ids = [0] * len(boxes)
    line = -1
    band = (0.0, -1.0)
    for i in order:
        box = boxes[i]
        if not band[0] <= box.center_y <= band[1]:
            line += 1
            band = (box.top, box.bottom)
        ids[i] = line
    return ids


def take_scan_image(
    page: PdfPage, max_pixels: int
) -> tuple[Image.Image, tuple[float, float]] | None:
    """The page's one full-page scan image as it is stored, with its effective (x, y) DPI.

    Returns ``None`` (render instead) unless the page holds exactly one image, drawn
    upright and unflipped over the whole page, with nothing else visible on it; a
    mostly-black result (an inverted /Decode array pdfium ignores) is also refused.

    Raises:
        ImageTooLargeError: the image holds more than ``max_pixels`` pixels.
    """
    pdfium_page = page.pdfium()
    objects = list(pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
    if len(objects) != 1 or _has_visible_text(pdfium_page):
        return None
    obj = objects[0]
    a, b, c, d, e, f = obj.get_matrix().get()
    x0, y0, x1, y1 = pdfium_page.get_cropbox()
    tol = _FULL_PAGE_TOLERANCE_PT
    if b or c or a <= 0 or d <= 0 or abs(e - x0) > tol or abs(f - y0) > tol:
        return None
    if abs(a - (x1 - x0)) > tol or abs(d - (y1 - y0)) > tol:
        return None
    px_w, px_h = obj.get_px_size()
    if px_w * px_h > max_pixels:
        raise ImageTooLargeError(
            f"page {page.number} holds a {px_w} x {px_h} image, more than {max_pixels:,} pixels"
        )
    image = _to_own_gray_image(obj.get_bitmap(render=False))
    if _mostly_dark(image):
        return None  # a scan is mostly paper: this is an inverted decode pdfium did not apply
    dpi = (px_w * 72.0 / a, px_h * 72.0 / d)
    rotation = pdfium_page.get_rotation()
    if rotation:
        image = turn_clockwise(image, rotation)
        if rotation in (90, 270):
            dpi = (dpi[1], dpi[0])
    return image, dpi


def _has_visible_text(pdfium_page: pypdfium2.PdfPage) -> bool:
    return any(
        pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) != pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
        for obj in pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
    )


def _mostly_dark(image: Image.Image) -> bool:
    histogram = image.reduce(8).histogram()
    return sum(histogram[:128]) > sum(histogram[128:])


def render_page(page: PdfPage, dpi: float, max_pixels: int) -> Image.Image:
    """Render a page as displayed (crop box, /Rotate applied), grayscale, at ``dpi``.

    Raises:
        ImageTooLargeError: the page at ``dpi`` would exceed ``max_pixels`` (a PDF whose
            page claims to be many feet across).
    """
    w_px, h_px = page.width * dpi / 72.0, page.height * dpi / 72.0
    if w_px * h_px > max_pixels:
        raise ImageTooLargeError(
            f"page {page.number} is {page.width / 72:.0f} x {page.height / 72:.0f} inches: "
            f"too large to render at {dpi:g} dpi"
        )
    try:
        bitmap = page.pdfium().render(scale=dpi / 72.0, grayscale=True)
    except pypdfium2.PdfiumError as e:
        raise CorruptFileError(f"page {page.number} cannot be rendered: {e}") from e
    return _to_own_gray_image(bitmap)


def _to_own_gray_image(bitmap: pypdfium2.PdfBitmap) -> Image.Image:
    """A grayscale PIL image that owns its pixels.

    ``to_pil`` shares the bitmap's buffer; the page image outlives the page and document
    (it goes out in :class:`~extractors.reading.PageRead`), so it gets its own copy and
    the bitmap is left to its finalizer (closing it by hand makes pypdfium2 warn).
    """
    image = bitmap.to_pil()
    return image.convert("L") if image.mode != "L" else image.copy()


#: Rules shorter than this are pieces of lettering or of a drawn signature, not a table.
_MIN_RULE_PT = 12.0


def read_graphics(page: PdfPage) -> PageGraphics:
    """The page's table rules and drawn marks, relative to its visible (crop) box.

    Rules are pdfplumber's straight line and rectangle edges; marks are curves and images
    (a signature drawn by a pen tool or pasted as a picture). Never raises: a page whose
    objects cannot be listed simply shows no graphics.
    """
    try:
        edges = list(page.plumber.edges)
        curves = list(page.plumber.curves)
        images = list(page.plumber.images)
    except Exception as e:  # graphics are a help, never a reason to fail a readable page
        log.debug("page %d: graphics not read: %s", page.number, e)
        return PageGraphics()
    cx0, ctop = float(page.plumber.cropbox[0]), float(page.plumber.cropbox[1])
    horizontal, vertical = [], []
    for e in edges:
        if e.get("object_type") == "curve":
            continue
        x0, x1 = float(e["x0"]) - cx0, float(e["x1"]) - cx0
        top, bottom = float(e["top"]) - ctop, float(e["bottom"]) - ctop
        if e.get("orientation") == "h" and x1 - x0 >= _MIN_RULE_PT:
            horizontal.append(Rule((top + bottom) / 2, x0, x1))
        elif e.get("orientation") == "v" and bottom - top >= _MIN_RULE_PT:
            vertical.append(Rule((x0 + x1) / 2, top, bottom))
    marks = []
    for obj in (*curves, *images):
        x0, x1 = sorted((float(obj["x0"]) - cx0, float(obj["x1"]) - cx0))
        top, bottom = sorted((float(obj["top"]) - ctop, float(obj["bottom"]) - ctop))
        marks.append(BBox(x0, top, x1, bottom))
    return PageGraphics(tuple(sorted(horizontal, key=lambda r: r.pos)),
                        tuple(sorted(vertical, key=lambda r: r.pos)), tuple(marks))
