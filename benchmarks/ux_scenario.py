"""The reviewer's scenario of issue 18, shared by the browser tests and ``make bench-ux``.

A corpus our own generator renders (born-digital, so no OCR time), with reference data bent so
that the queue holds records of mixed kinds: certificates whose officer's badge changed on the
roster (a roster candidate fixes them), a course whose number changed in the catalog (a catalog
candidate fixes it), a page that is no training document, missing fields, an unsigned sign-in
row. A real server serves them; :class:`Reviewer` works the queue in Chromium the way a person
at the keyboard would and counts every click, keystroke and scroll it needed.
"""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from devtools.samplegen.corpus import generate_corpus

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
PASSWORD = "correct-horse-battery"
# Keystroke-level model constants of issue 18.
KLM = {"click": 1.3, "key": 0.28, "scroll": 1.5, "check": 1.35}
BASELINE = {"clicks": 42, "keystrokes": 425, "scrolls": 7, "seconds_per_record": 27.0}


def _rewrite(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_corpus(root: Path) -> Path:
    """Render the corpus and bend its reference data (see the module docstring)."""
    corpus = generate_corpus(root / "corpus", seed=21, count=14, conditions=("clean",), sheets=1)
    truth = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    certs = [
        t for t in truth if t["expected_status"] == "verified" and t.get("kind") == "certificate"
    ]
    ref = corpus / "reference"
    officers = list(csv.DictReader((ref / "officers.csv").open()))
    shift = {t["fields"]["badge_number"] for t in certs[:3]}
    for row in officers:
        if row["badge_number"] in shift:
            row["badge_number"] = "9" + row["badge_number"]
    _rewrite(ref / "officers.csv", officers)
    # one course renumbered: its certificates then carry an unknown number
    courses = list(csv.DictReader((ref / "courses.csv").open()))
    used = {t["fields"].get("post_number") for t in certs[3:4]}
    for row in courses:
        if row["post_number"] in used:
            row["post_number"] = row["post_number"] + "7"
    _rewrite(ref / "courses.csv", courses)
    return corpus


@contextmanager
def serve(root: Path, corpus: Path, users: dict[str, str]) -> Iterator[dict]:
    """Database with the reference data and ``users``, the corpus ingested, a live server."""
    from werkzeug.serving import make_server

    from course_catalog import importers
    from credence.config import Settings
    from credence.db import Base, make_engine, make_session_factory, session_scope
    from credence.models import import_all_models
    from ingestion.runner import make_runner
    from ingestion.service import ingest_paths
    from review_ui import create_app
    from review_ui.accounts import create_user

    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data, database_url=f"sqlite:///{data / 'credence.db'}", workers=2)
    import_all_models()
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        r = corpus / "reference"
        importers.import_courses(s, r / "courses.csv")
        importers.import_standards(s, r / "standards.csv")
        importers.import_officers(s, r / "officers.csv")
        importers.import_instructors(s, r / "instructors.csv")
        for name, role in users.items():
            create_user(s, name, PASSWORD, role)
    runner = make_runner(settings)
    try:
        ingest_paths(sessions, settings, runner, [corpus / "docs"])
    finally:
        if hasattr(runner, "shutdown"):
            runner.shutdown()
    engine.dispose()
    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"url": f"http://localhost:{httpd.server_port}", "app": app, "settings": settings}
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown(wait=True)


def login(page, base: str, user: str) -> None:
    """Log in through the login form."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda u: "/login" not in u)


@dataclass
class Tally:
    """What a person had to do: the counts of the keystroke-level model."""

    clicks: int = 0
    keystrokes: int = 0
    scrolls: int = 0
    checks: int = 0
    typed: int = 0  # characters typed into fields (values retyped)
    records: int = 0
    decisions: dict[str, str] = field(default_factory=dict)

    def seconds(self) -> float:
        """The keystroke-level estimate of a person's time, all records."""
        return (
            self.clicks * KLM["click"]
            + self.keystrokes * KLM["key"]
            + self.scrolls * KLM["scroll"]
            + self.checks * KLM["check"]
        )

    def per_record(self) -> float:
        """Seconds per record."""
        return self.seconds() / max(self.records, 1)


class Reviewer:
    """Works the queue with the keyboard and the mouse as a person would, counting."""

    def __init__(self, page, tally: Tally | None = None):
        self.page = page
        self.tally = tally or Tally()

    def _in_view(self, locator) -> bool:
        box = locator.bounding_box()
        vp = self.page.viewport_size
        return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= vp["height"]

    def click(self, locator) -> None:
        """A click; a scroll first when the target is out of view."""
        if not self._in_view(locator):
            self.tally.scrolls += 1
            locator.scroll_into_view_if_needed()
        self.tally.clicks += 1
        locator.click()

    def press(self, keys: str) -> None:
        """One key or a chord ('Control+Enter' is two keystrokes)."""
        self.tally.keystrokes += len(keys.split("+"))
        self.page.keyboard.press(keys)

    def start(self, base: str) -> None:
        """Open the queue and press "Start reviewing"."""
        self.page.goto(f"{base}/queue")
        self.click(self.page.locator("#start-reviewing"))
        self.page.wait_for_selector("#decision-form")

    def _count_checks(self) -> int:
        marked = self.page.locator("[data-check]").count()
        return marked or self.page.locator("table.fields tr").count()

    def decide_one(self) -> str:
        """Look at the open record, decide it, and wait for the next page. Returns the decision."""
        page = self.page
        record_id = page.url.split("/review/")[1].split("?")[0]
        self.tally.records += 1
        self.tally.checks += self._count_checks()
        reasons = page.inner_text(".reasons")
        empty_unsure = [
            i for i in page.locator("input.field-input.unsure").all() if not i.input_value().strip()
        ]
        if page.locator("#kind-check").count():
            decision = self.reject(1)  # not a training document
        elif "not_signed" in reasons:
            decision = self.reject(2)  # unsigned
        elif empty_unsure:
            decision = self.reject(6)  # a required value is not on the paper: rescan
        else:
            for kind in ("officer", "course"):
                options = page.locator(f"#match-{kind} input[type=radio][data-fill]")
                if options.count():
                    self.click(options.first)
            for take in page.locator("tr.unsure button.take").all():
                if "reference" in take.inner_text():
                    self.click(take)
            with page.expect_navigation():
                self.press("Control+Enter")
            decision = "approve"
            if record_id in page.url and page.locator("#decision-error").count():
                decision = self.reject(6)  # the rules still fail: the paper must be redone
        self.tally.decisions[record_id] = decision
        return decision

    def reject(self, preset: int) -> str:
        """Alt+R, the preset's number, Enter."""
        self.press("Alt+r")
        self.press(str(preset))
        with self.page.expect_navigation():
            self.press("Enter")
        return f"reject:{preset}"

    def work(self, base: str, limit: int = 10) -> Tally:
        """Resolve up to ``limit`` records, oldest first."""
        self.start(base)
        for _ in range(limit):
            if "/review/" not in self.page.url:
                break
            self.decide_one()
        return self.tally
