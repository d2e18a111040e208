"""The clerk's batch page (issue 18, point 3) in a real headless Chromium.

GIVEN a scanned sign-in sheet whose middle rows are too faint to read (the sheet our generator
renders, with the ink inside the cells of three rows taken away, the table's rules and row
numbers kept) uploaded beside a good certificate
WHEN the batch has been read
THEN the batch page names the batch by its files, and says per file the pages, the outcome in
words, the rows found against the rows read with a warning, the reasons records wait, and that
the sheet needs a rescan; the certificate does not.
"""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image
from webapp_support import PASSWORD, make_settings, prepare_database
from werkzeug.serving import make_server

from benchmarks.ux_scenario import ARGS, CHROMIUM
from devtools.samplegen.corpus import generate_corpus

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


def faint_rows(pdf: Path, out: Path, top: float, bottom: float) -> Path:
    """The sheet's page as a 200 dpi scan with the ink inside the cells between ``top`` and
    ``bottom`` (fractions of the page height) removed; long rules stay."""
    img = pdfium.PdfDocument(str(pdf))[0].render(scale=200 / 72).to_pil().convert("L")
    w, h = img.size
    box = (int(w * 0.12), int(h * top), int(w * 0.95), int(h * bottom))
    a = np.array(img.crop(box))
    dark = a < 128
    rules = (dark.mean(axis=1) > 0.5)[:, None] | (dark.mean(axis=0) > 0.5)[None, :]
    a[~rules] = 255
    img.paste(Image.fromarray(a), box)
    img.save(out, dpi=(200, 200))
    return out


@pytest.fixture
def server(tmp_path):
    corpus = generate_corpus(
        tmp_path / "corpus",
        seed=5,
        count=1,
        conditions=("good_scan",),
        sheets=1,
        include_invalid=False,
    )
    scans = corpus / "docs" / "good_scan"
    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    from review_ui import create_app

    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield {
            "url": f"http://localhost:{httpd.server_port}",
            "files": [
                faint_rows(scans / "scansheet_0001.pdf", tmp_path / "attendance.png", 0.345, 0.435),
                scans / "scan_0001.pdf",
            ],
        }
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown(wait=True)


def test_batch_page_warns_of_rows_not_read_and_asks_for_a_rescan(server):
    from playwright.sync_api import sync_playwright

    base = server["url"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "clerk1")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.goto(f"{base}/upload")
            page.set_input_files("#files", [str(p) for p in server["files"]])
            page.click("#upload-button")
            page.wait_for_url("**/batches/bat_*")
            page.wait_for_selector("#file-report", timeout=240_000)
            assert "attendance.png + 1 more" in page.inner_text("h1")
            sheet = page.locator("#file-report tr", has_text="attendance.png")
            cert = page.locator("#file-report tr", has_text="scan_0001.pdf")
            rows = sheet.locator(".sheet-rows").inner_text()
            assert "9 rows found, 6 read" in rows, rows
            assert "3 of 9 rows made no record" in sheet.locator(".row-warning").inner_text()
            assert sheet.locator(".needs-rescan").count() == 1
            assert "6 records:" in sheet.locator(".outcome").inner_text()
            assert "signature is missing" in sheet.locator(".reasons").inner_text()
            assert cert.locator(".needs-rescan").count() == 0
            assert "attendance.png" in page.inner_text("#rescan-summary")
            page.goto(f"{base}/batches")
            assert "attendance.png + 1 more" in page.inner_text("table.grid")
        finally:
            browser.close()
