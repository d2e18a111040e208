"""Web app targets (issue 4), measured, not asserted:

1. the review page of a 300-dpi scan loads in under 300 ms: server time for the HTML and the
   page image over real HTTP, and the browser's load event in headless Chromium;
2. an upload of 200 files returns control to the clerk in under 5 s (reading goes on in the
   background).

Run: ``.venv/bin/python -m benchmarks.bench_web``; results go to bench-results/web.json.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from devtools.samplegen.corpus import generate_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from webapp_support import PASSWORD, make_settings, prepare_database  # noqa: E402

OUT = ROOT / "bench-results"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


class _Served:
    """The production server (waitress, as `credence serve` runs it) in a thread."""

    def __init__(self, app) -> None:
        from waitress import create_server

        from credence.serving import server_options

        options = server_options(app.config["CREDENCE_SETTINGS"], "127.0.0.1", 0)
        self.server = create_server(app, **options)
        threading.Thread(target=self.server.run, daemon=True).start()
        self.port = self.server.effective_port

    def shutdown(self) -> None:
        # Let the request threads finish first: closing under a busy one breaks its wakeup.
        self.server.task_dispatcher.shutdown(timeout=10)
        self.server.close()


def _serve(app):
    httpd = _Served(app)
    return httpd, f"http://localhost:{httpd.port}"


def _login(base: str, user: str) -> requests.Session:
    http = requests.Session()
    token = TOKEN.search(http.get(f"{base}/login").text).group(1)
    r = http.post(
        f"{base}/login",
        data={"username": user, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert r.status_code == 302, r.text
    return http


def _token(http: requests.Session, base: str) -> str:
    return TOKEN.search(http.get(f"{base}/batches").text).group(1)


def _wait_done(http, base, batch_id, timeout=600):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p = http.get(
            f"{base}/batches/{batch_id}/progress", headers={"Accept": "application/json"}
        ).json()
        if p["done"]:
            return p
        time.sleep(0.5)
    raise TimeoutError(batch_id)


def bench_review_page(work: Path) -> dict:
    from review_ui import create_app

    corpus = generate_corpus(work / "c300", seed=21, count=4, conditions=("good_scan",))
    settings = make_settings(work / "r")
    prepare_database(settings, corpus)
    app = create_app(settings, {"SESSION_COOKIE_SECURE": False})
    httpd, base = _serve(app)
    try:
        clerk = _login(base, "clerk1")
        files = [
            ("files", (p.name, p.read_bytes()))
            for p in sorted((corpus / "docs").rglob("*"))
            if p.is_file()
        ]
        r = clerk.post(
            f"{base}/upload",
            files=files,
            data={"csrf_token": _token(clerk, base)},
            headers={"Accept": "application/json", "X-CSRFToken": _token(clerk, base)},
        )
        _wait_done(clerk, base, r.json()["batch_id"])
        reviewer = _login(base, "rev1")
        record_id = re.search(
            r'href="/review/(rec_[0-9a-f]+)', reviewer.get(f"{base}/queue").text
        ).group(1)
        html_ms, image_ms, sizes = [], [], []
        for _ in range(20):
            t = time.perf_counter()
            html = reviewer.get(f"{base}/review/{record_id}").text
            html_ms.append((time.perf_counter() - t) * 1000)
            img = re.search(r'src="(/pages/\d+/image)"', html).group(1)
            t = time.perf_counter()
            sizes.append(len(reviewer.get(f"{base}{img}").content))
            image_ms.append((time.perf_counter() - t) * 1000)
        browser_ms = _browser_load(base, record_id)
        with app.extensions["credence_sessions"]() as s:
            from ingestion.models import Page

            page = s.query(Page).first()
            dpi = page.dpi
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown()
    return {
        "page_dpi": dpi,
        "image_bytes": sizes[0],
        "html_ms_median": round(statistics.median(html_ms), 1),
        "image_ms_median": round(statistics.median(image_ms), 1),
        "html_plus_image_ms_median": round(
            statistics.median(h + i for h, i in zip(html_ms, image_ms, strict=True)), 1
        ),
        "browser_load_event_ms_median": browser_ms,
    }


def _browser_load(base: str, record_id: str) -> float | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    times = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "rev1")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/login" not in u)
        for _ in range(10):
            page.goto(f"{base}/review/{record_id}", wait_until="load")
            times.append(
                page.evaluate(
                    "() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return n.loadEventEnd - n.startTime; }"
                )
            )
        browser.close()
    return round(statistics.median(times), 1)


def bench_upload_200(work: Path) -> dict:
    from review_ui import create_app

    corpus = generate_corpus(work / "c200", seed=23, count=200, conditions=("clean",))
    files = sorted(p for p in (corpus / "docs").rglob("*") if p.is_file())[:200]
    settings = make_settings(work / "u")
    prepare_database(settings, corpus)
    app = create_app(settings, {"SESSION_COOKIE_SECURE": False})
    httpd, base = _serve(app)
    try:
        clerk = _login(base, "clerk1")
        token = _token(clerk, base)
        payload = [("files", (p.name, p.read_bytes())) for p in files]
        t = time.perf_counter()
        r = clerk.post(
            f"{base}/upload",
            files=payload,
            data={"csrf_token": token},
            headers={"Accept": "application/json", "X-CSRFToken": token},
        )
        returned_s = time.perf_counter() - t
        assert r.status_code == 202, r.text
        done = _wait_done(clerk, base, r.json()["batch_id"])
        all_s = time.perf_counter() - t
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown()
    return {
        "files": len(files),
        "bytes": sum(p.stat().st_size for p in files),
        "control_returned_s": round(returned_s, 2),
        "all_read_s": round(all_s, 1),
        "documents_done": done["finished"],
    }


def main() -> int:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            "review_page": bench_review_page(Path(tmp)),
            "upload_200": bench_upload_200(Path(tmp)),
        }
    (OUT / "web.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
