"""End to end in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

A clerk logs in, uploads a zip of sample scans (real tesseract), watches the progress reach
done without reloading; a reviewer opens the queue, corrects a record (with a preview),
approves it with the keyboard, the next record opens, and the record's history shows both
decisions. A screenshot of the review page is kept in tests/artifacts/.
"""

from __future__ import annotations

import csv
import json
import shutil
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from webapp_support import PASSWORD, make_settings, prepare_database, zip_of
from werkzeug.serving import make_server

from devtools.samplegen.corpus import generate_corpus
from verification.models import RecordEvent, RecordStatus, TrainingRecord

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh installs it)"
)


def _shift_badges(corpus: Path) -> dict[str, str]:
    """Give every officer of a valid certificate a new badge on the roster ("9" + badge):
    the certificates then need a reviewer, who fixes the badge. Returns old -> new."""
    truth = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    valid = {t["fields"]["badge_number"] for t in truth if t["expected_status"] == "verified"}
    path = corpus / "reference" / "officers.csv"
    rows = list(csv.DictReader(path.open()))
    shifted = {}
    for row in rows:
        if row["badge_number"] in valid:
            shifted[row["badge_number"]] = "9" + row["badge_number"]
            row["badge_number"] = shifted[row["badge_number"]]
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return shifted


@pytest.fixture
def server(tmp_path):
    corpus = generate_corpus(tmp_path / "corpus", seed=21, count=6, conditions=("good_scan",))
    shifted = _shift_badges(corpus)
    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    from review_ui import create_app

    app = create_app(settings)  # production settings: Secure cookie, CSRF, CSP
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    zip_path = tmp_path / "scans.zip"
    zip_path.write_bytes(zip_of(sorted(p for p in (corpus / "docs").rglob("*") if p.is_file())))
    try:
        # "localhost": browsers keep Secure cookies on plain http only for localhost.
        yield {
            "url": f"http://localhost:{httpd.server_port}",
            "app": app,
            "zip": zip_path,
            "shifted": shifted,
        }
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown(wait=True)


def _login(page, base: str, user: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)


def _fixable_record(app, shifted: dict[str, str]) -> tuple[str, str]:
    """A queued record held back only by its shifted badge, and the badge to type."""
    with app.extensions["credence_sessions"]() as s:
        for r in s.scalars(select(TrainingRecord).order_by(TrainingRecord.created_at)):
            badge = (r.fields.get("badge_number") or {}).get("value")
            if r.reasons == ["officer_not_on_roster"] and badge in shifted:
                return r.id, shifted[badge]
    raise AssertionError("no record to correct: the scans were misread beyond the badge")


def test_clerk_uploads_and_reviewer_corrects_and_approves(server):
    from playwright.sync_api import sync_playwright

    base = server["url"]
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1100})
            blocked = []
            page.on(
                "console",
                lambda m: blocked.append(m.text) if "Content Security" in m.text else None,
            )

            _login(page, base, "clerk1")
            page.goto(f"{base}/upload")
            page.set_input_files("#files", str(server["zip"]))
            page.click("#upload-button")
            page.wait_for_url("**/batches/bat_*")
            assert page.locator("#doc-rows tr").count() == 6
            page.wait_for_selector('#batch-state[data-done="yes"]', timeout=240_000)
            assert "6 of 6 finished" in page.inner_text("#batch-summary")
            statuses = page.locator("#doc-rows td.status").all_inner_texts()
            assert statuses and all(s.startswith("done") for s in statuses), statuses
            page.click("text=Log out")

            record_id, badge = _fixable_record(server["app"], server["shifted"])
            _login(page, base, "rev1")
            page.goto(f"{base}/queue")
            page.click(f'a.open-record[href^="/review/{record_id}"]')
            page.wait_for_selector("#page-image")
            assert page.locator("rect.box").count() >= 5  # the fields, boxed on the scan
            assert "officer_not_on_roster" in page.inner_text(".reasons")

            page.fill("#field_badge_number", badge)
            page.click("#preview-button")
            assert page.inner_text("#preview-status") == "verified"
            page.screenshot(path=str(ARTIFACTS / "review_page.png"), full_page=True)
            with server["app"].extensions["credence_sessions"]() as s:
                assert s.get(TrainingRecord, record_id).status == RecordStatus.NEEDS_REVIEW

            page.locator("h1").click()  # keyboard focus off the inputs: "a" approves
            page.keyboard.press("a")
            page.wait_for_url(lambda u: record_id not in u)
            assert "now verified" in page.inner_text(".flash-info")

            page.goto(f"{base}/records/{record_id}")
            history = page.inner_text("#events")
            assert "corrected" in history and "approved" in history and "rev1" in history
            assert not blocked, blocked
        finally:
            browser.close()
    with server["app"].extensions["credence_sessions"]() as s:
        record = s.get(TrainingRecord, record_id)
        assert record.status == RecordStatus.VERIFIED and record.credit_hours > 0
        actions = [
            e.action
            for e in s.scalars(
                select(RecordEvent)
                .where(RecordEvent.record_id == record_id)
                .order_by(RecordEvent.id)
            )
        ]
        assert actions == ["created", "corrected", "reverified", "approved"]
    shutil.rmtree(ARTIFACTS / "tmp", ignore_errors=True)
