"""Regenerate the committed reading samples: ``python tests/samples/reading/make_samples.py``.

Every file here is synthetic (invented names and numbers). The scanned variants the OCR
tests use (rotated, skewed, low-dpi, fax, EXIF-rotated, multi-page TIFF, image-only PDF)
are not committed: ``tests/test_reading.py`` derives them at test time from
``certificate.pdf`` by rendering it with pypdfium2 and degrading it with PIL, which keeps
the repository small. See README.md for the table.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from reportlab.lib import pdfencrypt
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

HERE = Path(__file__).parent

#: The certificate's lines, top to bottom (tests assert on these).
CERTIFICATE_LINES = (
    "CERTIFICATE OF COMPLETION",
    "This certifies that",
    "Officer Maria L. Gonzalez",
    "Badge Number 4471 TCOLE PID 0012345",
    "has successfully completed the course",
    "De-escalation Techniques (TCOLE Course 1849)",
    "8 contact hours of continuing education",
    "Completed on March 14, 2024 at Austin Regional Training Center",
)


def draw_certificate(c: canvas.Canvas) -> None:
    """Draw one certificate page (letter, portrait) on a reportlab canvas."""
    w, h = letter
    c.setLineWidth(4)
    c.rect(30, 30, w - 60, h - 60)
    c.setLineWidth(1)
    c.rect(40, 40, w - 80, h - 80)
    fonts = [
        ("Helvetica-Bold", 30, 130),
        ("Helvetica", 16, 190),
        ("Times-BoldItalic", 28, 240),
        ("Helvetica", 14, 270),
        ("Helvetica", 14, 310),
        ("Helvetica-Bold", 20, 350),
        ("Helvetica", 14, 390),
        ("Helvetica", 14, 420),
    ]
    for line, (font, size, down) in zip(CERTIFICATE_LINES, fonts, strict=True):
        c.setFont(font, size)
        c.drawCentredString(w / 2, h - down, line)
    c.setFont("Helvetica", 14)
    c.drawString(90, 150, "Instructor: Sgt. Daniel Whitfield")
    c.drawString(w - 300, 150, "Training Coordinator: Lt. Ana Ruiz")
    c.line(90, 170, 280, 170)
    c.line(w - 300, 170, w - 90, 170)
    c.setFont("Helvetica", 10)
    c.drawString(90, 90, "Certificate No. 2024-03-0187   Provider 5521")


def certificate_pdf_bytes(**canvas_options: object) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1, **canvas_options)
    draw_certificate(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def small_png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buf, format="PNG")
    return buf.getvalue()


def samples() -> dict[str, bytes]:
    """Every committed sample, by file name."""
    cert = certificate_pdf_bytes()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("roster.txt", "Name,Badge\nJane Roe,1234\n")
    good_png = small_png_bytes()
    return {
        "certificate.pdf": cert,
        "encrypted.pdf": certificate_pdf_bytes(encrypt="user-secret"),
        "owner-password-only.pdf": certificate_pdf_bytes(
            encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner-secret")
        ),
        "truncated.pdf": cert[: len(cert) // 2],
        "empty.pdf": b"",
        "text-named.pdf": b"Officer roster\nName, Badge\nJane Roe, 1234\n",
        "zip-named.png": zipped.getvalue(),
        "corrupt.png": good_png[:60] + bytes(range(256)) * 2,
        "bomb.png": png_header_only(100_000, 100_000),
        "bomb-under-pil-limit.png": png_header_only(12_000, 12_000),
    }


def main() -> None:
    for name, data in samples().items():
        (HERE / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
