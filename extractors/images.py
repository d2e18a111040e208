"""What a file is (by its bytes, never its name) and how to get page images out of it.

An upload's extension is whatever the clerk's scanner or mail client chose; a PDF named
``.png`` must simply work, and a Word document named ``.pdf`` must fail with a message
that says what it really is.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from extractors.errors import (
    CorruptFileError,
    EmptyDocumentError,
    ImageTooLargeError,
    UnsupportedFileTypeError,
)

log = logging.getLogger(__name__)

#: Frames are only pages in these formats (a GIF's or WebP's frames are an animation).
_MULTI_PAGE = {"TIFF"}
#: Above this resolution a JPEG is decoded at a reduced scale (libjpeg does it for free).
_JPEG_DRAFT_ABOVE_DPI = 400


class FileKind(StrEnum):
    """The input types Credence reads."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    TIFF = "tiff"
    BMP = "bmp"
    GIF = "gif"
    WEBP = "webp"
    JPEG2000 = "jpeg2000"


# (magic bytes, offset, kind) for what we read ...
_READABLE: tuple[tuple[bytes, int, FileKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, FileKind.PNG),
    (b"\xff\xd8\xff", 0, FileKind.JPEG),
    (b"II*\x00", 0, FileKind.TIFF),
    (b"MM\x00*", 0, FileKind.TIFF),
    (b"II+\x00", 0, FileKind.TIFF),  # BigTIFF
    (b"BM", 0, FileKind.BMP),
    (b"GIF87a", 0, FileKind.GIF),
    (b"GIF89a", 0, FileKind.GIF),
    (b"WEBP", 8, FileKind.WEBP),
    (b"\x00\x00\x00\x0cjP  \r\n", 0, FileKind.JPEG2000),
    (b"\xff\x4f\xff\x51", 0, FileKind.JPEG2000),
)

# ... and for what people upload by mistake, so the message can say what the file is.
_KNOWN_OTHERS: tuple[tuple[bytes, int, str], ...] = (
    (b"PK\x03\x04", 0, "a ZIP archive (or a Word/Excel/OpenDocument file)"),
    (b"PK\x05\x06", 0, "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "an old Microsoft Office document (.doc/.xls)"),
    (b"\x1f\x8b", 0, "a gzip archive"),
    (b"Rar!\x1a\x07", 0, "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "a 7-Zip archive"),
    (b"ftypheic", 4, "a HEIC photo (export it as JPEG)"),
    (b"ftypheix", 4, "a HEIC photo (export it as JPEG)"),
    (b"ftypmif1", 4, "a HEIF photo (export it as JPEG)"),
    (b"%!PS", 0, "a PostScript file"),
    (b"{\\rtf", 0, "an RTF document"),
    (b"AT&TFORM", 0, "a DjVu document"),
    (b"\x00\x00\x01\x00", 0, "a Windows icon"),
)


@dataclass(frozen=True)
class ImagePage:
    """One page image taken out of an image file.

    Attributes:
        image: the decoded image, untouched except for a cheaper JPEG decode (grayscale,
            reduced scale when the scan is finer than needed).
        dpi: (x, y) resolution from the file's metadata, ``None`` when it has none.
        page_number: 1-based (frame number for a multi-page TIFF).
    """

    image: Image.Image
    dpi: tuple[float, float] | None
    page_number: int


def sniff_file_type(path: Path) -> FileKind:
    """Tell a file's type from its first bytes.

    Raises:
        EmptyDocumentError: the file has no bytes.
        UnsupportedFileTypeError: anything but a PDF or an image; the message names what
            the file looks like.
    """
    with open(path, "rb") as f:
        head = f.read(2048)
    if not head:
        raise EmptyDocumentError(f"{path.name} is empty (0 bytes)")
    if b"%PDF-" in head[:1024]:  # the spec allows junk before the header
        return FileKind.PDF
    for magic, offset, kind in _READABLE:
        if head[offset : offset + len(magic)] == magic:
            return kind
    raise UnsupportedFileTypeError(
        f"{path.name} is {_describe(head)}, not a PDF or an image", looks_like=_describe(head)
    )


def _describe(head: bytes) -> str:
    """A clerk-readable guess at what a file we cannot read is."""
    for magic, offset, what in _KNOWN_OTHERS:
        if head[offset : offset + len(magic)] == magic:
            return what
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    lowered = text[:200].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML page"
    if lowered.startswith(b"<?xml") or lowered.startswith(b"<svg"):
        return "an SVG image" if b"<svg" in head.lower() else "an XML file"
    try:
        decoded = head.decode("utf-8")
    except UnicodeDecodeError as e:
        decoded = head[: e.start].decode("utf-8") if e.start > len(head) - 4 else ""
    if decoded and sum(c.isprintable() or c in "\r\n\t" for c in decoded) >= 0.95 * len(decoded):
        return "plain text"
    return f"unrecognised binary data (starts {head[:8].hex(' ')})"


def iter_image_pages(path: Path, kind: FileKind, *, max_pixels: int) -> Iterator[ImagePage]:
    """Yield the pages of an image file one at a time (a multi-page TIFF frame by frame).

    Each image's size is checked from its header before it is decoded, so a decompression
    bomb (a tiny file claiming a huge image) never reaches memory.

    Raises:
        ImageTooLargeError: a page has more than ``max_pixels`` pixels.
        CorruptFileError: the image cannot be decoded (truncated, damaged).
    """
    with _open_image(path) as im:
        # Counting a TIFF's frames walks every frame's header: a truncated multi-page TIFF
        # fails here (issue 19: it was internal_error with a traceback).
        with _translate_pil_errors(path, None):
            frames = getattr(im, "n_frames", 1) if im.format in _MULTI_PAGE else 1
        for index in range(frames):
            with _translate_pil_errors(path, index + 1):
                if index:
                    im.seek(index)
                _check_size(path, im.size, max_pixels)
                dpi = _read_dpi(im)
                if kind is FileKind.JPEG:
                    dpi = _draft_jpeg(im, dpi)
                im.load()
                # The page goes out in a PageRead and must outlive the file: a frame of a
                # still-open file is copied; a single image PIL has read and let go of is not.
                page = im.copy() if im.fp is not None else im
            yield ImagePage(page, dpi, index + 1)


@contextmanager
def _open_image(path: Path) -> Iterator[Image.Image]:
    """Open an image lazily (header only), translating PIL's errors once.

    On exit the file is closed; the image itself is destroyed only if it still holds the
    file (closing a loaded single image would destroy the pixels handed out).
    """
    with _translate_pil_errors(path, None), warnings.catch_warnings():
        # We check the size ourselves against the caller's limit (see _check_size).
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        im = Image.open(path)
    try:
        yield im
    finally:
        if im.fp is not None:
            im.close()


@contextmanager
def _translate_pil_errors(path: Path, page: int | None) -> Iterator[None]:
    where = f" (page {page})" if page else ""
    try:
        yield
    except Image.DecompressionBombError as e:
        raise ImageTooLargeError(
            f"{path.name}{where} claims an image too large to decode safely ({e})"
        ) from e
    except UnidentifiedImageError as e:
        raise CorruptFileError(f"{path.name} is damaged: not a readable image") from e
    except (OSError, SyntaxError, ValueError, EOFError, TypeError) as e:
        # PIL reports truncation and bad data as OSError/SyntaxError/ValueError, and a TIFF
        # frame cut off before its size tags as TypeError ("Missing dimensions").
        raise CorruptFileError(f"{path.name}{where} is damaged or truncated: {e}") from e


def _check_size(path: Path, size: tuple[int, int], max_pixels: int) -> None:
    if size[0] * size[1] > max_pixels:
        raise ImageTooLargeError(
            f"{path.name} claims {size[0]} x {size[1]} pixels, more than the limit of "
            f"{max_pixels:,}",
            width=size[0],
            height=size[1],
        )
    if size[0] < 1 or size[1] < 1:
        raise CorruptFileError(f"{path.name} has an empty image ({size[0]} x {size[1]})")


def _read_dpi(im: Image.Image) -> tuple[float, float] | None:
    dpi = im.info.get("dpi")
    if not dpi:
        return None
    try:
        x, y = (float(d) for d in dpi)
    except (TypeError, ValueError):
        return None
    return (x, y) if x > 0 and y > 0 else None


def _draft_jpeg(im: Image.Image, dpi: tuple[float, float] | None) -> tuple[float, float] | None:
    """Ask libjpeg to decode straight to grayscale, at half/quarter scale when too fine.

    Decoding a 300-dpi colour page to grayscale this way is ~3x faster than decoding RGB
    and converting; the DPI is scaled with the image.
    """
    if im.mode not in ("RGB", "L", "YCbCr"):
        return dpi
    width, height = im.size
    scale = 1
    if dpi and min(dpi) > _JPEG_DRAFT_ABOVE_DPI:
        scale = max(1, int(min(dpi) // 300))
    im.draft("L", (width // scale, height // scale))
    if dpi and im.size != (width, height):
        return (dpi[0] * im.size[0] / width, dpi[1] * im.size[1] / height)
    return dpi
