"""Reading PDF pages: the text layer and page images with pypdfium2, table rules with pdfplumber.

A page is read from its text layer when it has a real one (enough visible, plausible
words); otherwise the caller OCRs it, and this module supplies the image: the page's one
embedded scan taken out as it is when there is exactly one, else a render at the OCR
resolution.

The text layer's characters come from pdfium (C, about 3 ms a page) and are grouped into
words the way pdfplumber's ``extract_words`` groups them (lines within 3 pt, words split at
spaces and at gaps over 3 pt), with pdfplumber's box (descent to descent + font size).
pdfplumber itself parses a page in Python (about 25 ms): it is opened only for what it does
better, the table rules and drawn marks of a sign-in sheet (:func:`read_graphics`), and to
judge a file pdfium had to repair. Third-party exceptions are translated here, once.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import logging
import math
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

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
from extractors.marks import EMPTY, MARKED, DrawnPath, boxes_from_paths, place_marks
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
#: pdfplumber's word grouping: characters whose tops are within this many points share a
#: line; a gap wider than this between two characters starts a new word.
_LINE_TOLERANCE_PT = 3.0
_WORD_GAP_PT = 3.0
#: How near a space pdfium guessed must be to a space the page draws to stand for it.
_SPACE_MATCH_PT = 1.5
#: Typographic ligatures spelled out, as pdfplumber does ("ﬁnal" -> "final").
_LIGATURES = {"\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb01": "fi", "\ufb02": "fl",
              "\ufb06": "st", "\ufb05": "st"}


class PdfPage:
    """One page of an open PDF.

    Attributes:
        number: 1-based page number.

    :meth:`pdfium` gives the pypdfium2 page; :meth:`plumber` the pdfplumber page, opening
    the document in pdfplumber on first use.
    """

    def __init__(self, number: int, doc: _OpenPdf) -> None:
        self.number = number
        self._doc = doc
        try:
            self._page: pypdfium2.PdfPage | None = doc.pdfium[number - 1]
        except pypdfium2.PdfiumError as e:
            raise CorruptFileError(
                f"{doc.path.name} is a damaged PDF: page {number} cannot be loaded ({e})"
            ) from e
        self._plumber: Any = None
        self.width, self.height = (float(v) for v in self._page.get_size())  # as displayed

    @property
    def path(self) -> Path:
        """The PDF file."""
        return self._doc.path

    def pdfium(self) -> pypdfium2.PdfPage:
        """The pypdfium2 page."""
        assert self._page is not None, "page used after it was closed"
        return self._page

    def form_env(self) -> Any:
        """The document's form environment, or ``None`` when it has no fillable fields."""
        return self._doc.form

    def plumber(self) -> Any:
        """The pdfplumber page (pdfplumber opens the document on the first call)."""
        if self._plumber is None:
            self._plumber = self._doc.plumber().pages[self.number - 1]
        return self._plumber

    def close(self) -> None:
        """Free the page's parsed objects: a long document must not accumulate them."""
        if self._plumber is not None:
            self._plumber.close()
            self._plumber = None
        if self._page is not None:
            self._page.close()
            self._page = None


class _OpenPdf:
    """The document in pdfium, and in pdfplumber once something needs it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.pdfium = pypdfium2.PdfDocument(path)
        except pypdfium2.PdfiumError as e:
            if getattr(e, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
                raise EncryptedPdfError(
                    f"{path.name} is an encrypted PDF that needs a password") from e
            raise CorruptFileError(f"{path.name} is a damaged or truncated PDF ({e})") from e
        self._plumber: Any = None
        self.form: Any = None  # the form environment, for a document with fillable fields
        if pdfium_c.FPDF_GetFormType(self.pdfium.raw) != pdfium_c.FORMTYPE_NONE:
            self.pdfium.init_forms()  # before any page loads: pages load their widgets
            self.form = self.pdfium.formenv

    def plumber(self) -> Any:
        if self._plumber is None:
            try:
                self._plumber = pdfplumber.open(self.path)
                self._plumber.pages  # noqa: B018 - pdfminer reads the page tree here
            except Exception as e:  # pdfplumber wraps all of pdfminer's errors in one type
                raise _translate_pdf_error(self.path, e) from e
        return self._plumber

    def check_repaired(self) -> None:
        """A file pdfium had to rebuild (a cut-off download, a broken cross-reference
        table) is accepted only when pdfminer can open it too: pdfium reads what is left of
        a truncated file, and half a certificate is better reported damaged than read."""
        if not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(self.pdfium.raw):
            self.plumber()

    def close(self) -> None:
        if self._plumber is not None:
            self._plumber.close()
        self.pdfium.close()


@contextmanager
def open_pdf(path: Path) -> Iterator[Iterator[PdfPage]]:
    """Open a PDF and give an iterator over its pages; each page is closed after its turn.

    Raises:
        EncryptedPdfError: the PDF needs a password to be opened.
        CorruptFileError: the PDF is damaged or truncated beyond repair.
        EmptyDocumentError: the PDF has no pages.
    """
    doc = _OpenPdf(path)
    try:
        doc.check_repaired()
        if len(doc.pdfium) == 0:
            raise EmptyDocumentError(f"{path.name} is a PDF with no pages")
        yield _iter_pages(doc)
    finally:
        doc.close()


def _iter_pages(doc: _OpenPdf) -> Iterator[PdfPage]:
    for number in range(1, len(doc.pdfium) + 1):
        page = PdfPage(number, doc)
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


def _is_level(a: float, b: float) -> bool:
    """Whether a baseline running in direction ``(a, b)`` is level: rightwards, within about
    6 degrees of horizontal."""
    return a > 0 and abs(b) <= 0.1 * a


class _Char(NamedTuple):
    """One character of the text layer, in the page's displayed frame (top-left origin).

    ``a``, ``b``: the direction of its baseline as displayed (``(1, 0)`` for upright text).
    """

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    a: float
    b: float
    unmapped: bool

    @property
    def level(self) -> bool:
        """Set level on the page as shown (not at an angle, not turned)."""
        return _is_level(self.a, self.b)

    @property
    def turned(self) -> bool:
        """Running down, up or backwards on the page as shown."""
        return self.a <= abs(self.b)


@dataclass(slots=True)
class _RawChar:
    """A character as pdfium gives it, in PDF user space (origin bottom left), before it is
    placed on the page as shown; ``baseline`` is its origin's y."""

    left: float
    bottom: float
    right: float
    top: float
    a: float
    b: float
    text: str
    unmapped: bool
    baseline: float


#: The deepest a font's descent reaches below the baseline, in font sizes.
_MAX_DESCENT = 0.3


def read_text_layer(page: PdfPage) -> PageText | None:
    """The page's words from its text layer, or ``None`` when the page must be OCR'd.

    ``None`` when the layer is missing while the page shows something (a scan, text drawn
    as outlines), garbled (glyphs without a Unicode mapping, private-use characters),
    turned (a page shown sideways), invisible (a scanner's OCR layer over the scan: we read
    the scan ourselves, with confidences), or a few words over a full-page scan. A page with
    nothing on it reads as an empty page.
    """
    chars = _page_chars(page.pdfium())
    words = _words_from_chars(chars, page.width, page.height)
    images, paths = _drawn_objects(page.pdfium())
    scan_cover = _largest_image_coverage(images, page.pdfium())
    why_not = _why_not_text_layer(chars, len(words), scan_cover, bool(images or paths), page)
    if why_not:
        log.debug("page %d: OCR needed: %s", page.number, why_not)
        return None
    if page.form_env() is not None:
        words = _with_field_values(words, page)
    if paths:
        words = place_marks(words, boxes_from_paths(_drawn_paths(page.pdfium()), words))
    return PageText(
        page_number=page.number,
        width=page.width,
        height=page.height,
        words=words,
        source=FieldSource.TEXT_LAYER,
        warnings=() if words else ("blank page",),
    )


def _why_not_text_layer(
    chars: list[_Char], n_words: int, scan_cover: float, has_content: bool, page: PdfPage
) -> str | None:
    """Why the text layer cannot be used (``None`` when it can)."""
    turned = sum(ch.turned for ch in chars) / len(chars) if chars else 0.0
    if turned >= 0.5:
        # A page shown sideways or upside down: its words would run down the page or spell
        # backwards (and, not being level, are not among the words). The rendered page,
        # turned upright by OSD, reads correctly.
        return f"text runs sideways or upside down on the page as shown ({turned:.0%})"
    if n_words < 3:
        return "no text layer" if has_content else None
    plausible = _plausible_share(chars)
    if plausible < MIN_PLAUSIBLE_CHARS:
        return f"garbled text layer ({plausible:.0%} plausible characters)"
    if scan_cover >= _SCAN_COVERAGE:
        if _text_is_invisible(page.pdfium()):
            return "invisible OCR layer over a scan"
        if n_words < MIN_WORDS_OVER_SCAN:
            return f"only {n_words} words over a full-page image"
    return None


def _page_chars(pdfium_page: pypdfium2.PdfPage) -> list[_Char]:
    """The characters of the page's text layer, spaces included.

    pdfium adds spaces and line ends of its own where it thinks words and lines end; those
    are skipped (words are grouped by the geometry alone, as pdfplumber does), except a
    space it puts where the page draws a space glyph of its own.
    """
    textpage = pdfium_page.get_textpage()
    try:
        raw = textpage.raw
        rect, matrix = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        found: list[_RawChar] = []
        blanks: list[tuple[float, float]] | None = None  # listed at the first guessed space
        for i in range(pdfium_c.FPDFText_CountChars(raw)):
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if pdfium_c.FPDFText_IsGenerated(raw, i):
                if code == 0x20 and found:
                    if blanks is None:
                        blanks = _blank_glyph_origins(pdfium_page, raw)
                    _keep_drawn_space(raw, i, found, blanks)
                continue
            pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect)
            pdfium_c.FPDFText_GetMatrix(raw, i, matrix)
            pdfium_c.FPDFText_GetCharOrigin(raw, i, origin_x, origin_y)
            # pdfplumber's box: from the font's descent up by the font size (pdfium's loose
            # box stops at the ascent, which differs from font to font).
            size = pdfium_c.FPDFText_GetFontSize(raw, i) * (matrix.c ** 2 + matrix.d ** 2) ** 0.5
            # Some fonts (handwriting faces) give a descender its own deeper box: that 'g'
            # would stand a line lower than its word ("Rodri g uez"). No glyph's box starts
            # deeper than a font's descent below its baseline.
            low = origin_y.value - _MAX_DESCENT * size
            bottom = rect.bottom if matrix.b or matrix.c else max(rect.bottom, low)
            char = _RawChar(rect.left, bottom, rect.right, bottom + size, matrix.a,
                            matrix.b, chr(code) if 0 < code < 0x110000 else "\ufffd",
                            bool(pdfium_c.FPDFText_HasUnicodeMapError(raw, i)), origin_y.value)
            _span_from_origin(char, found[-1] if found else None, origin_x.value, size)
            found.append(char)
    finally:
        textpage.close()
    to_shown = _shown_frame(pdfium_page)
    chars = []
    for ch in found:
        x0, y0, a, b = to_shown(ch.left, ch.bottom, ch.a, ch.b)
        x1, y1, _, _ = to_shown(ch.right, ch.top, 0.0, 0.0)
        chars.append(_Char(ch.text, min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1), a, b,
                           ch.unmapped))
    return chars


def _blank_glyph_origins(pdfium_page: pypdfium2.PdfPage, raw: Any) -> list[tuple[float, float]]:
    """Where the page draws a space as a text object of its own, sorted by x.

    pdfium leaves such a space out of the text and puts a space of its own guessing there
    instead, as it does at any gap it judges wide; only the drawn ones split words, as in
    pdfplumber (handwriting set letter by letter draws each space on its own).
    """
    origins = []
    matrix = pdfium_c.FS_MATRIX()
    page = pdfium_page.raw
    for k in range(pdfium_c.FPDFPage_CountObjects(page)):
        obj = pdfium_c.FPDFPage_GetObject(page, k)
        if (pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_TEXT
                and pdfium_c.FPDFTextObj_GetText(obj, raw, None, 0) <= 2  # "" in UTF-16
                and pdfium_c.FPDFPageObj_GetMatrix(obj, matrix)):
            origins.append((matrix.e, matrix.f))
    return sorted(origins)


def _keep_drawn_space(raw: Any, i: int, found: list[_RawChar],
                      blanks: list[tuple[float, float]]) -> None:
    """Keep pdfium's space ``i`` when a drawn space lies there, on the line of the character
    before it."""
    x, y = ctypes.c_double(), ctypes.c_double()
    pdfium_c.FPDFText_GetCharOrigin(raw, i, x, y)
    start = bisect.bisect_left(blanks, (x.value - _SPACE_MATCH_PT, -math.inf))
    for bx, by in blanks[start:]:
        if bx > x.value + _SPACE_MATCH_PT:
            return
        if abs(by - y.value) <= 2 * _SPACE_MATCH_PT:
            prev = found[-1]
            found.append(_RawChar(x.value, prev.bottom, x.value, prev.top, prev.a, prev.b, " ",
                                  False, prev.baseline))
            return


def _span_from_origin(char: _RawChar, prev: _RawChar | None, x: float, size: float) -> None:
    """Measure level characters from origin to origin, as pdfplumber does.

    pdfium's loose box runs to the glyph's outline where that passes the advance: an italic
    'f' reaches a tenth of the size into the gaps on both sides, enough to eat a word gap.
    So a character starts at its origin, and the one before it on the same baseline ends
    there (a line's last character keeps its outline: no gap follows it).
    """
    if not _is_level(char.a, char.b):
        return
    if char.left < x < char.right:
        char.left = x
    if (prev is not None and _is_level(prev.a, prev.b)
            and abs(char.baseline - prev.baseline) <= 0.1 * size and prev.left < x < prev.right):
        prev.right = x


def _shown_frame(pdfium_page: pypdfium2.PdfPage):  # noqa: ANN202 - a small coordinate map
    """A map from PDF user space (origin bottom left) to the page as displayed: /Rotate
    applied, origin at the top left of the crop box. It maps a point and a direction."""
    x0, y0, x1, y1 = pdfium_page.get_cropbox()
    rotation = pdfium_page.get_rotation()
    if rotation == 90:  # shown turned clockwise: the left edge is on top
        return lambda x, y, a, b: (y - y0, x - x0, b, -a)
    if rotation == 180:
        return lambda x, y, a, b: (x1 - x, y - y0, -a, -b)
    if rotation == 270:
        return lambda x, y, a, b: (y1 - y, x1 - x, -b, a)
    return lambda x, y, a, b: (x - x0, y1 - y, a, b)


def _words_from_chars(chars: list[_Char], width: float, height: float) -> tuple[Word, ...]:
    """Group the level characters into words and lines, the words on the visible page.

    Lines: characters whose tops lie within 3 pt of each other in a chain, read left to
    right. Words: split at spaces, where a character starts left of the one before, or more
    than 3 pt right of its end. Letters set at an angle (a watermark across the page, the
    ring of a seal, a form number up the margin) are left out: they would land in the rows
    they cross ("Training C Academy, O London") or join two rows.
    """
    level = [ch for ch in chars if ch.level]
    line_of = _line_clusters([ch.top for ch in level])
    groups: list[list[_Char]] = []
    for _, line in itertools.groupby(sorted(level, key=lambda ch: line_of[ch.top]),
                                     key=lambda ch: line_of[ch.top]):
        current: list[_Char] = []
        for ch in sorted(line, key=lambda ch: ch.x0):
            if ch.text.isspace():
                current = _flush(current, groups)
                continue
            if current:
                last = current[-1]
                if (ch.x0 < last.x0 or ch.x0 > last.x1 + _WORD_GAP_PT
                        or abs(ch.top - last.top) > _LINE_TOLERANCE_PT):
                    current = _flush(current, groups)
            current.append(ch)
        _flush(current, groups)
    boxes: list[tuple[str, BBox]] = []
    for group in groups:
        x0, x1 = min(ch.x0 for ch in group), max(ch.x1 for ch in group)
        top, bottom = min(ch.top for ch in group), max(ch.bottom for ch in group)
        if x1 <= 0 or x0 >= width or bottom <= 0 or top >= height:
            continue  # outside the visible page
        text = "".join(_LIGATURES.get(ch.text, ch.text) for ch in group)
        boxes.append((text, BBox(x0, top, x1, bottom)))
    line_ids = cluster_lines([box for _, box in boxes])
    return tuple(
        Word(text, box, None, line_id) for (text, box), line_id in zip(boxes, line_ids, strict=True)
    )


def _flush(current: list[_Char], groups: list[list[_Char]]) -> list[_Char]:
    if current:
        groups.append(current)
    return []


def _line_clusters(tops: list[float]) -> dict[float, int]:
    """Number the lines: sorted tops no more than 3 pt apart in a chain share a number."""
    clusters: dict[float, int] = {}
    line, last = -1, None
    for top in sorted(set(tops)):
        if last is None or top > last + _LINE_TOLERANCE_PT:
            line += 1
        clusters[top] = line
        last = top
    return clusters


def _plausible_share(chars: list[_Char]) -> float:
    """Share of characters that are letters, digits, punctuation or symbols in common use."""
    shown = [ch for ch in chars if not ch.text.isspace()]
    if not shown:
        return 0.0
    bad = 0
    for ch in shown:
        cat = unicodedata.category(ch.text)
        if ch.unmapped or cat in ("Co", "Cc", "Cn", "Cs") or ch.text == "\ufffd":
            bad += 1
    return max(0.0, 1.0 - bad / len(shown))


def _drawn_objects(pdfium_page: pypdfium2.PdfPage) -> tuple[list[tuple[float, ...]], int]:
    """The page's images (boxes in user space) and how many paths it draws.

    Objects inside a form XObject are placed by the form's matrix (and the matrices of the
    forms around it): pdfium gives their bounds in the form's own space.
    """
    images: list[tuple[float, ...]] = []
    paths = 0
    placements: list[tuple[float, ...]] = []  # the matrix of each enclosing form, by level
    for obj in pdfium_page.get_objects():
        del placements[obj.level:]
        if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH:
            paths += 1
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images.append(_to_page_space(obj.get_bounds(), placements))
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            placements.append(tuple(obj.get_matrix().get()))
    return images, paths


def _with_field_values(words: tuple[Word, ...], page: PdfPage) -> tuple[Word, ...]:
    """The page's words with what is typed into its fillable fields (AcroForm widgets) and
    the state of its form checkboxes, each where the field sits on the page; lines are
    numbered again so a value joins its label's line. A filled form's values are not in
    its text layer: only the captions printed around the fields are."""
    fields = _form_fields(page)
    if not fields:
        return words
    boxes = [(w.text, w.bbox) for w in words] + fields
    line_ids = cluster_lines([box for _, box in boxes])
    return tuple(Word(text, box, None, line) for (text, box), line
                 in zip(boxes, line_ids, strict=True))


_FIELD_TEXT_TYPES = (pdfium_c.FPDF_FORMFIELD_TEXTFIELD, pdfium_c.FPDF_FORMFIELD_COMBOBOX)
_FIELD_BOX_TYPES = (pdfium_c.FPDF_FORMFIELD_CHECKBOX, pdfium_c.FPDF_FORMFIELD_RADIOBUTTON)


def _form_fields(page: PdfPage) -> list[tuple[str, BBox]]:
    """(text, box) for each word of a filled text field and each form checkbox on the page
    (``[x]`` / ``[_]``, as :mod:`extractors.marks` writes drawn boxes)."""
    form, raw_page = page.form_env().raw, page.pdfium().raw
    to_shown = _shown_frame(page.pdfium())
    rect = pdfium_c.FS_RECTF()
    out: list[tuple[str, BBox]] = []
    for i in range(pdfium_c.FPDFPage_GetAnnotCount(raw_page)):
        annot = pdfium_c.FPDFPage_GetAnnot(raw_page, i)
        if not annot:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_WIDGET \
                    or not pdfium_c.FPDFAnnot_GetRect(annot, rect):
                continue
            (ax, ay, _, _), (bx, by, _, _) = (to_shown(rect.left, rect.bottom, 0, 0),
                                              to_shown(rect.right, rect.top, 0, 0))
            box = BBox(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            kind = pdfium_c.FPDFAnnot_GetFormFieldType(form, annot)
            if kind in _FIELD_BOX_TYPES:
                checked = pdfium_c.FPDFAnnot_IsChecked(form, annot)
                out.append((MARKED if checked else EMPTY, box))
            elif kind in _FIELD_TEXT_TYPES:
                out += _value_words(_field_value(form, annot), box)
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)
    return out


def _field_value(form: Any, annot: Any) -> str:
    size = pdfium_c.FPDFAnnot_GetFormFieldValue(form, annot, None, 0)
    if size <= 2:
        return ""
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFAnnot_GetFormFieldValue(
        form, annot, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
    return buffer.raw[: size - 2].decode("utf-16-le", errors="replace")


def _value_words(value: str, box: BBox) -> list[tuple[str, BBox]]:
    """A field's value as words spread from the field's left edge, one line of the field's
    height (a field's font is often 'auto'; the words' own widths are not known)."""
    parts = value.split()
    if not parts:
        return []
    height = box.bottom - box.top
    advance = min(0.5 * min(height, 14.0), (box.x1 - box.x0) / max(1, len(" ".join(parts))))
    out, x = [], box.x0 + 2.0
    for part in parts:
        out.append((part, BBox(x, box.top, x + advance * len(part), box.bottom)))
        x += advance * (len(part) + 1)
    return out


def _drawn_paths(pdfium_page: pypdfium2.PdfPage) -> list[DrawnPath]:
    """The boxes of the page's paths on the shown page, with whether each is filled dark
    (a checkbox filled in black is marked)."""
    to_shown = _shown_frame(pdfium_page)
    out: list[DrawnPath] = []
    placements: list[tuple[float, ...]] = []
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    for obj in pdfium_page.get_objects():
        del placements[obj.level:]
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            placements.append(tuple(obj.get_matrix().get()))
            continue
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        x0, y0, x1, y1 = _to_page_space(obj.get_bounds(), placements)
        (ax, ay, _, _), (bx, by, _, _) = to_shown(x0, y0, 0, 0), to_shown(x1, y1, 0, 0)
        dark = False
        if pdfium_c.FPDFPath_GetDrawMode(obj.raw, fill, stroke) and fill.value \
                and pdfium_c.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a):
            dark = a.value > 128 and (r.value + g.value + b.value) < 3 * 110
        out.append(DrawnPath(BBox(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)), dark,
                             _slanted(obj.raw)))
    return out


def _slanted(raw: Any) -> bool:
    """Whether a path draws a slanted or curved stroke (a cross, a tick), not only the
    level and upright edges of a box or a rule."""
    x, y = ctypes.c_float(), ctypes.c_float()
    last = None
    for i in range(min(pdfium_c.FPDFPath_CountSegments(raw), 64)):
        seg = pdfium_c.FPDFPath_GetPathSegment(raw, i)
        if not seg or not pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return True
        if kind == pdfium_c.FPDF_SEGMENT_LINETO and last is not None:
            dx, dy = abs(x.value - last[0]), abs(y.value - last[1])
            if min(dx, dy) > 0.25 * max(dx, dy, 1e-6):
                return True
        last = (x.value, y.value)
    return False


def _to_page_space(bounds: tuple[float, ...], placements: list[tuple[float, ...]]
                   ) -> tuple[float, ...]:
    x0, y0, x1, y1 = bounds
    corners = [(x0, y0), (x0, y1), (x1, y0), (x1, y1)]
    for a, b, c, d, e, f in reversed(placements):  # innermost form first
        corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _largest_image_coverage(images: list[tuple[float, ...]], pdfium_page: pypdfium2.PdfPage
                            ) -> float:
    """Share of the visible page the largest image covers."""
    cx0, cy0, cx1, cy1 = pdfium_page.get_cropbox()
    area = max((cx1 - cx0) * (cy1 - cy0), 1.0)
    covers = [
        max(0.0, min(x1, cx1) - max(x0, cx0)) * max(0.0, min(y1, cy1) - max(y0, cy0)) / area
        for x0, y0, x1, y1 in images
    ]
    return max(covers, default=0.0)


def _text_is_invisible(pdfium_page: pypdfium2.PdfPage) -> bool:
    """Whether most of the page's text objects use render mode 3 (invisible)."""
    modes = [
        pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw)
        for obj in pdfium_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT])
    ]
    invisible = sum(m == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for m in modes)
    return bool(modes) and invisible >= 0.5 * len(modes)


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
        plumber = page.plumber()
        edges = list(plumber.edges)
        curves = list(plumber.curves)
        images = list(plumber.images)
    except Exception as e:  # graphics are a help, never a reason to fail a readable page
        log.debug("page %d: graphics not read: %s", page.number, e)
        return PageGraphics()
    cx0, ctop = float(plumber.cropbox[0]), float(plumber.cropbox[1])
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
