"""One decided copy teaches a form (issue 17): learn, use, weaken, list and delete layouts.

Forms of our own (devtools.samplegen.forms: captions the reader has never seen), rendered and
read for real; the whole loop goes through the command line as a script would: ``credence
ingest``, ``credence review decide`` (the truth's values), ``credence ingest`` again. The
admin page is driven in a real headless Chromium.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen.forms import generate_form_corpus
from review_ui.accounts import create_user
from tests.production_support import import_reference, production_env
from verification import layouts, review
from verification.models import LayoutUse, LearnedLayout, RecordStatus, TrainingRecord

SEED = 18  # seed 17's first form came to be read by the general reader (2026-12-07)
FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
          "course_title", "instructor_name", "location")
CHROMIUM = Path("/usr/bin/chromium")


def _norm(name: str, value) -> str | None:
    if value is None or value == "":
        return None
    if name == "hours":
        return f"{float(value):g}"
    return " ".join(str(value).replace(",", " ").split()).lower()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate_form_corpus(tmp_path_factory.mktemp("forms"), SEED, styles=2, per_style=4,
                                conditions=("clean", "good_scan"))


@pytest.fixture(scope="module")
def truth(corpus) -> dict[str, dict]:
    lines = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    return {t["file"]: t for t in lines}


def _export() -> list[dict]:
    import io
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["records", "export", "--format", "jsonl"]) == 0
    return [json.loads(x) for x in buf.getvalue().splitlines()]


def _ingest(corpus: Path, *rel: str) -> dict[str, dict]:
    """Ingest files given directly; their new records by file name (form/copy-NN-...)."""
    known = {r["record_id"] for r in _export()}
    assert main(["ingest", *(str(corpus / r) for r in rel)]) == 0
    new = [r for r in _export() if r["record_id"] not in known]
    folders = {Path(r).name: Path(r).parent.name for r in rel}
    assert len(new) == len(rel) == len(folders)
    return {f"{folders[r['source_filename']]}/{r['source_filename']}": r for r in new}


def _decide_from_truth(row: dict, t: dict) -> int:
    sets = []
    for name in FIELDS:
        want = t["fields"][name]
        if want is not None and _norm(name, row[name]) != _norm(name, want):
            sets += ["--set", f"{name}={want}"]
    return main(["review", "decide", row["record_id"], *sets, "--approve", "--as", "rita"])


@pytest.fixture(scope="module")
def learned(corpus, truth, tmp_path_factory):
    """The first copy of form 0 ingested and decided from its truth, then its second copy
    and the first copy of the agency's other form ingested."""
    tmp = tmp_path_factory.mktemp("learn")
    with pytest.MonkeyPatch.context() as mp:
        settings = production_env(mp, tmp, f"sqlite:///{tmp}/credence.db", None)
        import_reference(settings, corpus)
        sessions = make_session_factory(make_engine(settings.database_url))
        with session_scope(sessions) as s:
            create_user(s, "rita", "a-long-password", "reviewer")
        first, second, other = (f"docs/form-{SEED}-0/copy-01-clean.pdf",
                                f"docs/form-{SEED}-0/copy-02-good_scan.pdf",
                                f"docs/form-{SEED}-1/copy-01-clean.pdf")
        before = _ingest(corpus, first)[f"form-{SEED}-0/copy-01-clean.pdf"]
        decided = _decide_from_truth(before, truth[first])
        after = _ingest(corpus, second, other)
        yield {"settings": settings, "sessions": sessions, "before": before,
               "decided": decided, "after": after, "mp": mp, "tmp": tmp}


def test_a_new_form_waits_for_review_before_anything_is_learned(learned):
    assert learned["before"]["status"] == RecordStatus.NEEDS_REVIEW


def test_one_decision_teaches_the_form_to_the_next_copy(learned, truth):
    """GIVEN a form the reader does not know, decided once from its truth WHEN another copy
    (someone else's values, scanned) arrives THEN it is read at the learned places, verified,
    with the right values, and the explanation names the lesson."""
    assert learned["decided"] == 0
    with learned["sessions"]() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.sources[0]["reviewer"] == "rita"
        assert layout.sources[0]["document_id"] == learned["before"]["document_id"]
        assert {"badge_number", "hours", "training_date"} <= set(layout.fields)
    row = learned["after"][f"form-{SEED}-0/copy-02-good_scan.pdf"]
    t = truth[f"docs/form-{SEED}-0/copy-02-good_scan.pdf"]
    assert row["status"] == RecordStatus.VERIFIED, row["reasons"]
    for name in ("badge_number", "training_date", "hours", "post_number"):
        assert _norm(name, row[name]) == _norm(name, t["fields"][name]), name
    with learned["sessions"]() as s:
        record = s.get(TrainingRecord, row["record_id"])
        why = record.explanation["layout"]["why"]
        assert why.startswith(f"layout learned from document {learned['before']['document_id']}"
                              ", approved by rita on ")
        uses = s.scalars(select(LayoutUse)).all()
        assert [u.record_id for u in uses] == [row["record_id"]]


def test_a_second_decided_copy_confirms_the_places(learned):
    row = learned["after"][f"form-{SEED}-0/copy-02-good_scan.pdf"]
    with learned["sessions"]() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        anchors = len(layout.fingerprint["anchors"])
        layouts.learn_from_decision(s, s.get(TrainingRecord, row["record_id"]), "rex")
        s.expire_all()
        layout = s.get(LearnedLayout, layout.id)
        assert [src["reviewer"] for src in layout.sources] == ["rita", "rex"]
        assert layout.strength == 2.0
        # the first copy's values were left out already: its printed words all stay
        assert 0.9 * anchors <= len(layout.fingerprint["anchors"]) <= anchors
        assert all(f["hits"] == 2 and f["misses"] == 0 for n, f in layout.fields.items()
                   if n in ("badge_number", "hours", "post_number")), layout.fields
        s.rollback()


def test_the_agencys_other_form_is_not_read_with_it(learned):
    other = learned["after"][f"form-{SEED}-1/copy-01-clean.pdf"]
    with learned["sessions"]() as s:
        record = s.get(TrainingRecord, other["record_id"])
        assert "layout" not in (record.explanation or {})


def test_rejections_and_corrections_weaken_the_layout(learned):
    """GIVEN records read with the layout that a reviewer rejects or corrects THEN the layout
    loses strength and the change is counted; at 0 the reader no longer gets it."""
    with learned["sessions"]() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        strength = layout.strength
        record = s.scalars(select(TrainingRecord).where(
            TrainingRecord.status == RecordStatus.VERIFIED)).first()
        # a record of the form still waiting for review, read with the layout
        waiting = TrainingRecord(id="rec_layout_weaken", document_id=record.document_id,
                                 page=2, document_kind="certificate", fields={},
                                 status=RecordStatus.NEEDS_REVIEW, reasons=["unreadable"])
        s.add(waiting)
        s.flush()
        layouts.note_use(s, layout.id, waiting)
        review.reject_record(s, waiting, actor="rita", expected_version=1, reason="not ours")
        assert layout.strength == strength - 1
        assert s.scalars(select(LayoutUse).where(
            LayoutUse.record_id == waiting.id)).one().changed_by_reviewer
        # a correction of another record read with it counts as a change and weakens it too
        corrected = TrainingRecord(id="rec_layout_fixed", document_id=record.document_id,
                                   page=3, document_kind="certificate",
                                   fields={"hours": {"value": "2", "page": 3}},
                                   status=RecordStatus.NEEDS_REVIEW, reasons=["unreadable"])
        s.add(corrected)
        s.flush()
        layouts.note_use(s, layout.id, corrected)
        review.correct_record(s, corrected, {"hours": "3"}, actor="rita", expected_version=1)
        assert layout.strength == strength - 2
        assert s.scalars(select(LayoutUse).where(
            LayoutUse.record_id == corrected.id)).one().changed_by_reviewer
        layout.strength = 0
        s.flush()
        assert layouts.layout_hints(s) == ()
        s.rollback()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
def test_admin_sees_and_deletes_a_layout_in_the_browser(learned, corpus, browser):
    """GIVEN a learned layout WHEN an admin follows the nav's Layouts link THEN its
    thumbnail, source document, uses and the share of them reviewers changed show; deleting
    it restores the general reading for a later copy."""
    from review_ui import create_app

    settings = learned["settings"]
    with session_scope(learned["sessions"]) as s:
        create_user(s, "ada", "a-long-password", "admin")
    app = create_app(settings)
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://localhost:{httpd.server_port}"
    try:
        page = browser.new_page()
        page.goto(f"{base}/login")
        page.fill("input[name=username]", "ada")
        page.fill("input[name=password]", "a-long-password")
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/login" not in u)
        page.click("nav >> text=Layouts")
        page.wait_for_url(lambda u: u.endswith("/admin/layouts"))
        row = page.locator("#layouts tr[data-layout]")
        assert row.count() == 1
        assert learned["before"]["document_id"] in row.inner_text()
        assert "approved by rita" in row.inner_text()
        assert row.locator("td.uses").inner_text() == "1"
        assert " ".join(row.locator("td.changed").inner_text().split()) == "0 of 1 (0 %)"
        page.wait_for_function("document.querySelector('img.thumb').naturalWidth > 0")
        page.on("dialog", lambda d: d.accept())
        row.locator("button[type=submit]").click()
        page.wait_for_selector("text=No layout learned yet.")
        assert "deleted" in page.inner_text("body")
        page.close()
    finally:
        httpd.shutdown()
        app.extensions["credence_submitter"].shutdown(wait=True)
    third = f"docs/form-{SEED}-0/copy-03-clean.pdf"
    row = _ingest(corpus, third)[f"form-{SEED}-0/copy-03-clean.pdf"]
    with learned["sessions"]() as s:
        assert s.scalars(select(LearnedLayout)).all() == []
        record = s.get(TrainingRecord, row["record_id"])
        assert "layout" not in (record.explanation or {})
        # the general reading, as before: no lesson used (whatever it makes of the copy)
        assert s.scalars(select(LayoutUse).where(LayoutUse.record_id == row["record_id"])
                         ).all() == []


@pytest.mark.postgres
def test_the_loop_on_postgresql(postgres_url, corpus, truth, tmp_path, monkeypatch):
    """The same lesson on PostgreSQL: decided once, the next copy is read with the layout."""
    settings = production_env(monkeypatch, tmp_path, postgres_url, None)
    import_reference(settings, corpus)
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_factory(engine)
        with session_scope(sessions) as s:
            create_user(s, "rita", "a-long-password", "reviewer")
        first = f"docs/form-{SEED}-0/copy-01-clean.pdf"
        row = _ingest(corpus, first)[f"form-{SEED}-0/copy-01-clean.pdf"]
        assert _decide_from_truth(row, truth[first]) == 0
        nxt = _ingest(corpus, f"docs/form-{SEED}-0/copy-04-good_scan.pdf")
        row = nxt[f"form-{SEED}-0/copy-04-good_scan.pdf"]
        assert row["status"] == RecordStatus.VERIFIED, row["reasons"]
        with sessions() as s:
            assert s.scalars(select(LayoutUse)).one().record_id == row["record_id"]
            assert s.scalars(select(LearnedLayout)).one().sources[0]["reviewer"] == "rita"
    finally:
        engine.dispose()
