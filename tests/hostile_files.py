"""Broken and hostile files, made at test time (issue 19, point 8).

Each maker returns bytes; :func:`hostile_corpus` writes them into a folder and returns what
each file must come out as: ``"read"`` (read to the end, whatever the records say) or the
set of specific error codes acceptable for it. Nothing here is copied from a real document:
the texts are invented.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

READ = "read"


def text_pdf(lines: list[str], *, pages: int = 1, size=(612, 792), encrypt: bool = False
             ) -> bytes:
    buf = io.BytesIO()
    kwargs = {}
    if encrypt:
        kwargs["encrypt"] = pdfencrypt.StandardEncryption("secret", canPrint=0)
    c = canvas.Canvas(buf, pagesize=size, **kwargs)
    for n in range(pages):
        y = size[1] - 72
        for line in lines:
            c.drawString(72, y, line.format(n=n + 1))
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def certificate_pdf(name: str = "Quill Examplar") -> bytes:
    return text_pdf(["CERTIFICATE OF COMPLETION", f"Awarded to Officer {name}",
                     "Badge 90210", "for completing Example Safety Course 4242",
                     "4 hours on January 5, 2026"])


def page_png(text: str = "a plain page", size=(850, 1100)) -> bytes:
    im = Image.new("L", size, 255)
    ImageDraw.Draw(im).text((80, 80), text, fill=0)
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def page_jpeg(size=(850, 1100)) -> bytes:
    im = Image.new("RGB", size, "white")
    ImageDraw.Draw(im).text((80, 80), "a photographed page", fill="black")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def multipage_tiff(pages: int = 3) -> bytes:
    images = [Image.new("L", (600, 800), 255) for _ in range(pages)]
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A valid PNG header claiming a huge image, with almost no data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat)
            + chunk(b"IEND", b""))


def zip_of(members: dict[str, bytes], *, compress: bool = True) -> bytes:
    buf = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def nested_zip(depth: int, inner: bytes) -> bytes:
    data, name = inner, "scan.pdf"
    for level in range(depth):
        data, name = zip_of({name: data}), f"level{level}.zip"
    return data


def cut(data: bytes, fraction: float) -> bytes:
    return data[: int(len(data) * fraction)]


def hostile_corpus(folder: Path, *, max_upload_mb: int) -> dict[str, object]:
    """Write the hostile files into ``folder``; return name -> expected outcome."""
    cert = certificate_pdf()
    files: dict[str, tuple[bytes, object]] = {
        # broken PDFs
        "truncated.pdf": (cut(cert, 0.5), {"corrupt_file"}),
        "truncated-head.pdf": (cert[:40], {"corrupt_file", "empty_document"}),
        "encrypted.pdf": (text_pdf(["a locked page"], encrypt=True), {"encrypted_pdf", READ}),
        "empty.pdf": (b"", {"empty_document"}),
        "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40, {"corrupt_file"}),
        "no-pages.pdf": (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                         b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n"
                         b"%%EOF\n", {"empty_document", "corrupt_file"}),
        "many-pages.pdf": (text_pdf(["Minutes of the supply meeting, page {n}"], pages=400),
                           READ),
        "huge-page.pdf": (text_pdf(["A poster-sized page"], size=(14400, 14400)),
                          {READ, "image_too_large"}),
        # images
        "bomb.png": (png_bomb(), {"image_too_large"}),
        "wide-bomb.png": (png_bomb(1_000_000, 10), {"image_too_large", "corrupt_file"}),
        "truncated.png": (cut(page_png(), 0.4), {"corrupt_file"}),
        "truncated.jpg": (cut(page_jpeg(), 0.3), {"corrupt_file", READ}),
        "truncated-pages.tif": (cut(multipage_tiff(), 0.4), {"corrupt_file"}),
        "zero-size.png": (png_bomb(0, 0), {"corrupt_file"}),
        "tiny.png": (page_png("", size=(1, 1)), READ),
        # lying extensions (the bytes decide)
        "certificate.png": (cert, READ),
        "scan.pdf": (page_png("a page saved as PNG"), READ),
        "notes.pdf": (b"just some text, not a PDF at all\n" * 3, {"unsupported_type"}),
        "archive.png": (zip_of({"inner.pdf": cert}), READ),
        # archives
        "slip.zip": (zip_of({"../../outside.pdf": cert, "/etc/cron.d/job.pdf": cert}),
                     {"unsafe_archive_path"}),
        "deep.zip": (nested_zip(6, cert), {"archive_too_deep"}),
        "broken.zip": (b"PK\x03\x04" + b"\x00" * 200, {"corrupt_archive"}),
        "bomb.zip": (zip_of({"zeros.pdf": b"\x00" * ((max_upload_mb + 2) * 1024 * 1024)}),
                     {"too_large"}),
        # the good file last: the batch must have gone on to it
        "zz-good.pdf": (certificate_pdf("Rowan Sample"), READ),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: expected for name, (_, expected) in files.items()}


BAD_CSVS: dict[str, bytes] = {
    "semicolons.csv": b"badge_number;first_name;last_name;state;role\n1;Ana;Ruiz;TX;sworn\n",
    "latin1.csv": "badge_number,first_name,last_name,state,role\n2,José,Núñez,TX,sworn\n"
                  .encode("latin-1"),
    "binary.csv": bytes(range(256)) * 8,
    "nul.csv": b"badge_number,first_name,last_name,state,role\n3,A\x00na,Ruiz,TX,sworn\n",
    "huge-field.csv": b"badge_number,first_name,last_name,state,role\n4," + b"A" * 300_000
                      + b",Ruiz,TX,sworn\n",
    "open-quote.csv": b'badge_number,first_name,last_name,state,role\n5,"Ana,Ruiz,TX,sworn\n',
    "formulas.csv": b"badge_number,first_name,last_name,state,role\n6,=1+2,@SUM(A1),TX,sworn\n",
    "header-only.csv": b"badge_number,first_name,last_name,state,role\n",
    "empty.csv": b"",
    "bom-crlf.csv": b"\xef\xbb\xbfbadge_number,first_name,last_name,state,role\r\n"
                    b"7,Bo,Li,TX,sworn\r\n",
    "utf16.csv": "badge_number,first_name,last_name,state,role\n8,Bo,Li,TX,sworn\n"
                 .encode("utf-16"),
    "many-columns.csv": b"badge_number,first_name,last_name,state,role" + b",x" * 20_000
                        + b"\n9,Bo,Li,TX,sworn\n",
}
