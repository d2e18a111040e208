"""Turn rendered pages into what a clerk's scanner, fax or phone produces.

A page is rendered from its PDF with pypdfium2, then degraded with PIL and numpy according to
a *condition* (:data:`CONDITIONS`), then written into a *container* (image-only PDF, PNG,
JPEG, single- or multi-page TIFF). Everything random comes from the ``numpy.random.Generator``
passed in, so a seeded generator gives identical bytes.

Orientation conventions recorded with each page:
    rotation: clockwise degrees by which the page content is turned in the stored pixels,
        ignoring any EXIF tag (0/90/180/270). A reader fixes it by turning it back.
    skew: the small-angle rotation applied, in degrees, counter-clockwise positive.
    exif_orientation: the EXIF Orientation tag written (phone photos), else ``None``;
        applying it (``ImageOps.exif_transpose``) gives an upright page.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from devtools.samplegen.drawing import find_font_file

CONDITIONS = ("clean", "good_scan", "skewed", "blurred", "speckled", "jpeg", "low_dpi", "fax",
              "rotated", "phone")
#: Damage levels of the ``variety`` profile (:mod:`damage`): a random mix per page.
DAMAGE_CONDITIONS = ("damage1", "damage2", "damage3")
ALL_CONDITIONS = CONDITIONS + DAMAGE_CONDITIONS
CONTAINERS = ("pdf", "png", "jpeg", "tiff")

# condition -> (render dpi choices, container weights for single pages)
_SPECS: dict[str, tuple[tuple[int, ...], dict[str, float]]] = {
    "clean": ((300,), {"pdf": 1}),
    "good_scan": ((300,), {"pdf": 5, "png": 2, "tiff": 2, "jpeg": 1}),
    "skewed": ((300,), {"pdf": 5, "png": 2, "tiff": 1, "jpeg": 2}),
    "blurred": ((300,), {"pdf": 4, "png": 3, "tiff": 1, "jpeg": 2}),
    "speckled": ((300,), {"pdf": 4, "png": 3, "tiff": 3}),
    "jpeg": ((300, 240), {"jpeg": 6, "pdf": 4}),
    "low_dpi": ((150, 200), {"pdf": 4, "png": 3, "tiff": 2, "jpeg": 1}),
    "fax": ((200,), {"tiff": 6, "pdf": 4}),
    "rotated": ((300, 200), {"pdf": 5, "png": 2, "tiff": 2, "jpeg": 1}),
    "phone": ((200,), {"jpeg": 1}),
    # damage levels choose their own resolution (damage.render_dpi)
    "damage1": ((300,), {"pdf": 5, "png": 2, "tiff": 2, "jpeg": 1}),
    "damage2": ((300,), {"pdf": 4, "png": 2, "tiff": 3, "jpeg": 2}),
    "damage3": ((300,), {"pdf": 4, "png": 1, "tiff": 4, "jpeg": 2}),
}
MULTI_PAGE_CONTAINERS = ("pdf", "tiff")


@dataclass(frozen=True)
class ScanPage:
    """One degraded page image and how it was made (see the module docstring)."""

    image: Image.Image
    dpi: int | None
    rotation: int = 0
    skew: float = 0.0
    exif_orientation: int | None = None
    jpeg_quality: int | None = None
    #: what a damage level applied (see :mod:`damage`); ``None`` for classic conditions
    damage: dict | None = None


def render_dpi(condition: str, rng: np.random.Generator) -> int:
    """The resolution a condition renders at (``low_dpi`` picks 150 or 200)."""
    if condition in DAMAGE_CONDITIONS:
        from devtools.samplegen.damage import LEVELS
        from devtools.samplegen.damage import render_dpi as damage_dpi

        return damage_dpi(LEVELS[condition], rng)
    return int(rng.choice(_SPECS[condition][0]))


def container_weights(condition: str, pages: int) -> dict[str, float]:
    """Which containers a document of ``pages`` pages in ``condition`` may use, weighted."""
    weights = dict(_SPECS[condition][1])
    if pages > 1:
        weights = {k: v for k, v in weights.items() if k in MULTI_PAGE_CONTAINERS} or {"pdf": 1}
    return weights


def rasterize(pdf_bytes: bytes, dpi: int, grayscale: bool = True) -> list[Image.Image]:
    """Render every page of a PDF at ``dpi`` (mode ``L`` or ``RGB``)."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        images = []
        for i in range(len(pdf)):
            bitmap = pdf[i].render(scale=dpi / 72, grayscale=grayscale)
            img = bitmap.to_pil()
            images.append(img.convert("L") if grayscale else img.convert("RGB"))
        return images
    finally:
        pdf.close()


def scan_document(pdf_bytes: bytes, condition: str, rng: np.random.Generator,
                  container: str = "pdf") -> list[ScanPage]:
    """Render a PDF and degrade each page as ``condition`` says.

    Args:
        pdf_bytes: the born-digital document.
        condition: one of :data:`CONDITIONS` except ``clean`` (which stays a vector PDF).
        rng: the document's random source.
        container: where the pages will go; colour scans are made only for lossy containers
            (a noisy colour page in a lossless PNG or TIFF runs to many megabytes).

    Returns:
        One :class:`ScanPage` per page.
    """
    if condition == "clean":
        raise ValueError("clean documents are not rasterised")
    dpi = render_dpi(condition, rng)
    color = condition == "phone" or (condition in ("good_scan", "jpeg")
                                      and container in ("pdf", "jpeg") and rng.random() < 0.3)
    rotation = int(rng.choice((90, 180, 270))) if condition == "rotated" else 0
    images = rasterize(pdf_bytes, dpi, grayscale=not color)
    pages = []
    for number, img in enumerate(images, start=1):
        page = degrade_page(img, condition, rng, dpi, page_no=number, page_count=len(images))
        if rotation:
            page = replace(page, image=turn(page.image, rotation), rotation=rotation)
        pages.append(page)
    return pages


def degrade_page(img: Image.Image, condition: str, rng: np.random.Generator, dpi: int,
                 page_no: int = 1, page_count: int = 1) -> ScanPage:
    """Degrade one rendered page image (see :data:`CONDITIONS`)."""
    scale = dpi / 300
    if condition in DAMAGE_CONDITIONS:
        from devtools.samplegen.damage import damage_page

        return damage_page(img, condition, rng, dpi)
    if condition == "fax":
        return _fax(img, rng, dpi, page_no, page_count)
    if condition == "phone":
        return _phone(img, rng)
    img = paper_tone(img, rng)
    skew = {"skewed": float(rng.uniform(1.0, 4.0)) * float(rng.choice((-1, 1))),
            "jpeg": float(rng.uniform(-0.3, 0.3))}.get(condition, float(rng.uniform(-0.5, 0.5)))
    if condition == "low_dpi" and rng.random() < 0.5:
        skew = 0.0
    img = deskew_free_rotate(img, skew)
    if condition == "blurred":
        img = img.filter(ImageFilter.GaussianBlur(float(rng.uniform(1.3, 2.3)) * scale))
    elif condition == "low_dpi":
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    sigma = {"good_scan": 3, "jpeg": 3, "speckled": 6, "blurred": 5}.get(condition, 4)
    img = add_noise(img, rng, sigma)
    if condition == "speckled":
        img = speckle(img, rng, scale)
    elif rng.random() < 0.15:
        img = punch_holes(img, rng, scale)
    img = clean_background(img)
    quality = int(rng.integers(30, 51)) if condition == "jpeg" else None
    return ScanPage(img, dpi, 0, round(skew, 3), None, quality)


# --- elementary operations -------------------------------------------------------------------


def paper_tone(img: Image.Image, rng: np.random.Generator) -> Image.Image:
    """Map white to a paper grey and black to a scanner's ink grey."""
    ink = float(rng.uniform(10, 45))
    paper = float(rng.uniform(232, 252))
    lut = [int(round(ink + (paper - ink) * v / 255)) for v in range(256)]
    return img.point(lut * len(img.getbands()))


def deskew_free_rotate(img: Image.Image, degrees: float) -> Image.Image:
    """Rotate by a small angle (counter-clockwise positive) keeping the canvas size."""
    if abs(degrees) < 1e-3:
        return img
    fill = _paper_colour(img)
    return img.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=fill)


def _paper_colour(img: Image.Image) -> int | tuple[int, ...]:
    """The colour near the top-left corner: blank paper on every layout."""
    return img.getpixel((min(5, img.width - 1), min(5, img.height - 1)))


def add_noise(img: Image.Image, rng: np.random.Generator, sigma: float) -> Image.Image:
    """Add roughly Gaussian grain (sum of two uniforms, cheap on large pages)."""
    k = max(1, int(round(sigma)))
    shape = (img.height, img.width)
    noise = (rng.integers(0, k + 1, size=shape, dtype=np.uint8)
             + rng.integers(0, k + 1, size=shape, dtype=np.uint8))
    noise_img = Image.fromarray(noise, mode="L")
    if img.mode != "L":
        noise_img = Image.merge(img.mode, [noise_img] * len(img.getbands()))
    return ImageChops.add(img, noise_img, scale=1.0, offset=-k)


def clean_background(img: Image.Image, threshold: int = 228) -> Image.Image:
    """Flatten near-white to the paper tone, as scanner background removal does."""
    if img.mode != "L":
        return img
    hist = img.histogram()
    paper = max(range(threshold, 256), key=lambda v: hist[v])
    lut = [paper if v >= threshold else v for v in range(256)]
    return img.point(lut)


def speckle(img: Image.Image, rng: np.random.Generator, scale: float) -> Image.Image:
    """Dust, toner specks, white drop-outs and sometimes a copier streak."""
    arr = np.array(img)
    h, w = arr.shape[:2]
    n = int(h * w * rng.uniform(1e-4, 3.5e-4) / 4)
    ys, xs = rng.integers(0, h - 4, n), rng.integers(0, w - 4, n)
    sizes = rng.integers(1, max(2, int(4 * scale)) + 1, n)
    dark = rng.random(n) < 0.75
    for y, x, s, d in zip(ys, xs, sizes, dark, strict=True):
        arr[y:y + s, x:x + s] = rng.integers(0, 60) if d else 250
    img = Image.fromarray(arr)
    draw = ImageDraw.Draw(img)
    for _ in range(int(rng.integers(2, 9))):  # larger blobs
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(3, 14) * scale) + 1
        draw.ellipse((x - r, y - r, x + r, y + int(r * rng.uniform(0.5, 1.5))), fill=20)
    if rng.random() < 0.35:
        x = int(rng.integers(w // 8, w - w // 8))
        draw.line((x, 0, x + int(rng.integers(-3, 4)), h), fill=int(rng.integers(60, 140)),
                  width=max(1, int(2 * scale)))
    return img


def punch_holes(img: Image.Image, rng: np.random.Generator, scale: float) -> Image.Image:
    """Three-hole-punch shadows down the left margin."""
    img = img.copy()
    draw = ImageDraw.Draw(img)
    r = int(40 * scale)
    x = int(70 * scale)
    h = img.height
    for frac in (0.15, 0.5, 0.85):
        y = int(h * frac)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=25 if img.mode == "L" else (25, 25, 25))
    return img


def turn(img: Image.Image, rotation: int) -> Image.Image:
    """Turn the content ``rotation`` degrees clockwise (a sheet fed sideways)."""
    op = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
          270: Image.Transpose.ROTATE_90}[rotation]
    return img.transpose(op)


def jpeg_roundtrip(img: Image.Image, quality: int) -> Image.Image:
    """The image as a JPEG at ``quality`` would decode."""
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out


# --- fax -------------------------------------------------------------------------------------


def _mono_font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSansMono.ttf", "LiberationMono-Regular.ttf"):
        path = find_font_file(name)
        if path:
            return ImageFont.truetype(str(path), px)
    return ImageFont.load_default(px)


def fax_header(rng: np.random.Generator, page_no: int, page_count: int) -> str:
    """A fax machine's transmit line (its date and numbers are distractors)."""
    months = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
    stamp = (f"{months[int(rng.integers(0, 12))]}-{int(rng.integers(1, 29)):02d}-"
             f"{int(rng.integers(2021, 2027))} {int(rng.integers(7, 18)):02d}:"
             f"{int(rng.integers(0, 60)):02d}")
    sender = str(rng.choice(("TRAINING UNIT", "ACADEMY OFFICE", "RECORDS", "SHERIFF TRNG")))
    number = f"{int(rng.integers(200, 999))} 555 {int(rng.integers(0, 10000)):04d}"
    return f"{stamp}  FROM: {sender}  {number}    P.{page_no}/{page_count}"


def _fax(img: Image.Image, rng: np.random.Generator, dpi: int, page_no: int,
         page_count: int) -> ScanPage:
    """Standard-resolution fax: halve the vertical resolution, binarise, stretch back."""
    w, h = img.size
    img = img.copy()
    draw = ImageDraw.Draw(img)
    draw.text((int(0.3 * dpi), int(0.08 * dpi)), fax_header(rng, page_no, page_count), fill=0,
              font=_mono_font(int(0.11 * dpi)))
    skew = float(rng.uniform(-0.8, 0.8))
    img = deskew_free_rotate(img, skew)
    low = img.resize((w, h // 2), Image.Resampling.BOX)
    low = add_noise(low, rng, 12)
    threshold = int(rng.integers(140, 185))
    bw = low.point(lambda v: 255 if v > threshold else 0).convert("1", dither=Image.Dither.NONE)
    arr = np.array(bw)
    for _ in range(int(rng.integers(0, 4))):  # dropped scan lines
        y = int(rng.integers(0, arr.shape[0]))
        arr[y, :] = True
    bw = Image.fromarray(arr)
    return ScanPage(bw.resize((w, h), Image.Resampling.NEAREST), dpi, 0, round(skew, 3))


# --- phone -----------------------------------------------------------------------------------


def _perspective_coeffs(dst: Sequence[tuple[float, float]],
                        src: Sequence[tuple[float, float]]) -> list[float]:
    """PIL PERSPECTIVE data mapping output points ``dst`` to input points ``src``."""
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend((u, v))
    return [float(c) for c in np.linalg.solve(np.array(rows), np.array(rhs))]


def _phone(img: Image.Image, rng: np.random.Generator) -> ScanPage:
    """A photo of the page on a desk: perspective, uneven light, grain, EXIF orientation."""
    w, h = img.size
    cw, ch = int(w * 1.18), int(h * 1.14)
    desk = np.array(rng.choice([(92, 70, 52), (120, 120, 118), (60, 62, 70), (150, 128, 96)]))
    bg = Image.new("RGB", (cw, ch), tuple(int(v) for v in desk))
    mx, my = (cw - w) / 2, (ch - h) / 2
    def jitter(span: float) -> float:
        return float(rng.uniform(-span, span))

    dst = [(mx + jitter(0.04 * w), my + jitter(0.03 * h)),
           (mx + w + jitter(0.04 * w), my + jitter(0.03 * h)),
           (mx + w + jitter(0.03 * w), my + h + jitter(0.02 * h)),
           (mx + jitter(0.03 * w), my + h + jitter(0.02 * h))]
    src = [(0, 0), (w, 0), (w, h), (0, h)]
    coeffs = _perspective_coeffs(dst, src)
    page = img.convert("RGBA").transform((cw, ch), Image.Transform.PERSPECTIVE, coeffs,
                                         Image.Resampling.BILINEAR, fillcolor=(0, 0, 0, 0))
    bg.paste(page, (0, 0), page)
    light = _light_map(rng, cw, ch)
    warm = Image.merge("RGB", [light, light.point(lambda v: int(v * 0.97)),
                               light.point(lambda v: int(v * 0.9))])
    photo = ImageChops.multiply(bg, warm)
    if rng.random() < 0.5:  # out of focus; otherwise the resampling's softness is enough
        photo = photo.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.8, 1.5))))
    photo = add_noise(photo, rng, 5)
    orientation = int(rng.choice((1, 6, 6, 6, 8, 3)))
    stored, rotation = _store_with_orientation(photo, orientation)
    return ScanPage(stored, None, rotation, 0.0, orientation, int(rng.integers(78, 93)))


def _light_map(rng: np.random.Generator, w: int, h: int) -> Image.Image:
    """Smooth uneven lighting: a coarse random field plus a gradient, blown up to size."""
    gx, gy = np.meshgrid(np.linspace(0, 1, 8), np.linspace(0, 1, 8))
    angle = rng.uniform(0, 2 * np.pi)
    grad = np.cos(angle) * gx + np.sin(angle) * gy
    field = 0.8 + 0.2 * (grad - grad.min()) / (np.ptp(grad) or 1)
    # one soft shadow or hot spot somewhere on the page
    cx, cy, r = rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.8), rng.uniform(0.2, 0.5)
    field += rng.uniform(-0.08, 0.05) * np.exp(-((gx - cx) ** 2 + (gy - cy) ** 2) / r ** 2)
    small = Image.fromarray(np.clip(field * 255, 0, 255).astype(np.uint8), mode="L")
    return small.resize((w, h), Image.Resampling.BICUBIC)


def _store_with_orientation(upright: Image.Image, orientation: int) -> tuple[Image.Image, int]:
    """Pixels as a phone stores them for EXIF ``orientation``; also the content rotation."""
    if orientation == 6:  # display = stored turned 90 clockwise
        return upright.transpose(Image.Transpose.ROTATE_90), 270
    if orientation == 8:
        return upright.transpose(Image.Transpose.ROTATE_270), 90
    if orientation == 3:
        return upright.transpose(Image.Transpose.ROTATE_180), 180
    return upright, 0


# --- containers ------------------------------------------------------------------------------

_PRODUCERS = ("Canon iR-ADV C5535 PDF", "KODAK Capture Pro", "Xerox WorkCentre 7855",
              "HP Digital Sending Software", "ScanSnap Manager #iX1600", "Brother ControlCenter")


def write_container(pages: Sequence[ScanPage], path: Path, container: str,
                    rng: np.random.Generator, *, keep_dpi: bool = True) -> int | None:
    """Write scanned pages to ``path`` as ``container`` (one of :data:`CONTAINERS`).

    Args:
        pages: the page images; PNG and JPEG take exactly one.
        path: where to write.
        container: ``pdf`` (image-only, page size from the DPI), ``png``, ``jpeg`` or ``tiff``.
        rng: for encoder choices (compression, quality).
        keep_dpi: write resolution metadata (real files sometimes lack it).

    Returns:
        The DPI recorded in the file, or ``None`` when the file carries none.
    """
    if container in ("png", "jpeg") and len(pages) != 1:
        raise ValueError(f"{container} holds one page, got {len(pages)}")
    if container == "pdf":
        _write_image_pdf(pages, path, rng)
        return pages[0].dpi or 72
    first = pages[0]
    dpi = first.dpi if keep_dpi else None
    if first.exif_orientation is not None:
        dpi = 72  # phones write 72 dpi whatever the page size
    extra = {"dpi": (dpi, dpi)} if dpi else {}
    if container == "png":
        first.image.save(path, "PNG", compress_level=4, **extra)
    elif container == "jpeg":
        _save_jpeg(first, path, rng, extra)
    elif container == "tiff":
        _save_tiff(pages, path, rng, extra)
    else:
        raise ValueError(f"unknown container {container!r}")
    return dpi


def _save_jpeg(page: ScanPage, path: Path, rng: np.random.Generator, extra: dict) -> None:
    img = page.image.convert("L") if page.image.mode == "1" else page.image
    quality = page.jpeg_quality or int(rng.integers(75, 93))
    if page.exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = page.exif_orientation
        exif[0x010F] = "SampleCam"
        exif[0x0110] = "SC-12 Pro"
        extra = {**extra, "exif": exif.tobytes()}
    img.save(path, "JPEG", quality=quality, **extra)


def _save_tiff(pages: Sequence[ScanPage], path: Path, rng: np.random.Generator,
               extra: dict) -> None:
    images = [p.image for p in pages]
    if all(img.mode == "1" for img in images):
        compression = "group4"
    else:
        images = [img.convert("L") if img.mode == "1" else img for img in images]
        compression = str(rng.choice(("tiff_lzw", "tiff_deflate")))
    images[0].save(path, "TIFF", save_all=True, append_images=images[1:],
                   compression=compression, **extra)


def _encode_page_image(page: ScanPage, rng: np.random.Generator) -> tuple[str, bytes]:
    """The image XObject dictionary entries and stream for one page."""
    img = page.image
    w, h = img.size
    if img.mode == "1":
        data = zlib.compress(img.tobytes(), 6)
        return (f"/Width {w} /Height {h} /ColorSpace /DeviceGray /BitsPerComponent 1 "
                f"/Filter /FlateDecode", data)
    space = "/DeviceGray" if img.mode == "L" else "/DeviceRGB"
    # Scanners store colour pages as JPEG; grey pages either way.
    lossy = img.mode == "RGB" or rng.random() < 0.5
    quality = page.jpeg_quality or (int(rng.integers(72, 90)) if lossy else None)
    if quality:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        return (f"/Width {w} /Height {h} /ColorSpace {space} /BitsPerComponent 8 "
                f"/Filter /DCTDecode", buf.getvalue())
    data = zlib.compress(img.tobytes(), 6)
    return (f"/Width {w} /Height {h} /ColorSpace {space} /BitsPerComponent 8 "
            f"/Filter /FlateDecode", data)


def _write_image_pdf(pages: Sequence[ScanPage], path: Path, rng: np.random.Generator) -> None:
    """An image-only PDF, one image per page, page size = pixels / dpi (deterministic bytes)."""
    objects: list[bytes] = []  # object n is objects[n - 1]
    kids = []
    for i, page in enumerate(pages):
        dpi = page.dpi or 72
        w_pt = page.image.width * 72 / dpi
        h_pt = page.image.height * 72 / dpi
        page_id, content_id, image_id = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
        kids.append(f"{page_id} 0 R")
        entries, data = _encode_page_image(page, rng)
        content = f"q {w_pt:.3f} 0 0 {h_pt:.3f} 0 0 cm /Im0 Do Q".encode()
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {w_pt:.3f} {h_pt:.3f}] "
            f"/Resources << /XObject << /Im0 {image_id} 0 R >> >> /Contents {content_id} 0 R >>"
            .encode())
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content
                       + b"\nendstream")
        objects.append(f"<< /Type /XObject /Subtype /Image {entries} /Length {len(data)} >>\n"
                       .encode() + b"stream\n" + data + b"\nendstream")
    producer = str(rng.choice(_PRODUCERS))
    info_id = 3 + 3 * len(pages)
    objects.insert(0, b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.insert(1, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>"
                   .encode())
    objects.append(f"<< /Producer ({producer}) >>".encode())
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {info_id} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(bytes(out))
