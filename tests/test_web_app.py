"""The web app through Flask's test client: every route and role, uploads, the queue,
decisions, the audit trail, admin pages, and bad input (each refused and changing nothing).

The app is the real one (CSRF on, real SQLite, background reading threads) on a temporary
data folder; the uploads are clean sample certificates, read in about a second.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from webapp_support import (
    csrf_token,
    login,
    make_app,
    make_settings,
    prepare_database,
    stop_app,
    wait_for_batch,
    zip_of,
)

from credence.db import make_engine, make_session_factory
from devtools.samplegen.corpus import generate_corpus
from ingestion.models import Batch, Document
from verification.models import RecordEvent, RecordStatus, TrainingRecord

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_corpus(
        tmp_path_factory.mktemp("corpus"), seed=5, count=6, conditions=("clean",)
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory, corpus):
    """One app for the module (tests that change records each use their own records)."""
    settings = make_settings(tmp_path_factory.mktemp("site"))
    prepare_database(settings, corpus)
    app = make_app(settings)
    yield app
    stop_app(app)


def _sessions(app):
    return app.extensions["credence_sessions"]


def _upload(client, token, files, json=True):
    data = {"files": [(io.BytesIO(body), name) for name, body in files], "csrf_token": token}
    return client.post(
        "/upload", data=data, headers=JSON if json else {}, content_type="multipart/form-data"
    )


@pytest.fixture(scope="module")
def uploaded(site, corpus):
    """clerk1 uploaded the corpus as a zip; reading has finished."""
    clerk = site.test_client()
    token = login(clerk, "clerk1")
    docs = sorted((corpus / "docs").rglob("*.pdf"))
    r = _upload(clerk, token, [("scans.zip", zip_of(docs))])
    assert r.status_code == 202, r.get_data(as_text=True)
    batch_id = r.get_json()["batch_id"]
    progress = wait_for_batch(clerk, batch_id)
    return {"batch_id": batch_id, "progress": progress, "clerk": clerk}


def _queue_ids(client, query: str = "") -> list[str]:
    html = client.get(f"/queue{query}").get_data(as_text=True)
    return list(
        dict.fromkeys(re.findall(r'class="open-record" href="/review/(rec_[0-9a-f]+)', html))
    )


def _version(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_login_logout_and_health(site):
    client = site.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/login").status_code == 200
    token = csrf_token(client)
    bad = client.post("/login", data={"username": "rev1", "password": "nope", "csrf_token": token})
    assert bad.status_code == 401 and "Wrong username or password" in bad.get_data(as_text=True)
    token = login(client, "rev1")
    assert client.get("/").headers["Location"].endswith("/queue")
    r = client.post("/logout", data={"csrf_token": token})
    assert r.status_code == 302
    assert client.get("/queue").status_code == 302


def test_session_cookie_is_hardened_by_default(tmp_path, corpus):
    from review_ui import create_app

    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    app = create_app(settings)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == settings.max_upload_bytes
    r = app.test_client().get("/login")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    stop_app(app)


ROUTES = {
    "/upload": {"clerk", "admin"},
    "/batches": {"clerk", "reviewer", "admin"},
    "/queue": {"reviewer", "admin"},
    "/admin/users": {"admin"},
    "/admin/courses": {"admin"},
    "/admin/standards": {"admin"},
    "/admin/officers": {"admin"},
    "/admin/instructors": {"admin"},
}


def test_every_route_checks_login_and_role(site, uploaded):
    record_id = _queue_ids(_logged_in(site, "rev1"))[0]
    routes = {
        **ROUTES,
        f"/review/{record_id}": {"reviewer", "admin"},
        f"/records/{record_id}": {"reviewer", "admin"},
    }
    anonymous = site.test_client()
    for path in routes:
        r = anonymous.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
    assert (
        anonymous.get(f"/batches/{uploaded['batch_id']}/progress", headers=JSON).status_code == 401
    )
    for user, role in (("clerk1", "clerk"), ("rev1", "reviewer"), ("root", "admin")):
        client = _logged_in(site, user)
        for path, allowed in routes.items():
            expected = 200 if role in allowed else 403
            assert client.get(path).status_code == expected, (user, path)


def _logged_in(site, user):
    client = site.test_client()
    login(client, user)
    return client


def test_clerk_sees_own_batches_only(site, uploaded):
    batch_id = uploaded["batch_id"]
    doc_id = uploaded["progress"]["documents"][0]["id"]
    own = uploaded["clerk"]
    assert own.get(f"/batches/{batch_id}").status_code == 200
    assert own.get(f"/documents/{doc_id}").status_code == 200
    other = _logged_in(site, "clerk2")
    assert batch_id not in other.get("/batches").get_data(as_text=True)
    for path in (f"/batches/{batch_id}", f"/documents/{doc_id}", f"/batches/{batch_id}/progress"):
        assert other.get(path).status_code == 404, path
    html = own.get(f"/documents/{doc_id}").get_data(as_text=True)
    page_id = re.search(r"/pages/(\d+)/image", html).group(1)
    assert own.get(f"/pages/{page_id}/image").mimetype == "image/jpeg"
    assert other.get(f"/pages/{page_id}/image").status_code == 404
    assert _logged_in(site, "rev1").get(f"/documents/{doc_id}").status_code == 200


def test_upload_shows_progress_and_batch_counts(site, uploaded):
    progress = uploaded["progress"]
    assert progress["total"] == 6 and progress["done"]
    assert {d["status"] for d in progress["documents"]} == {"done"}
    assert all(d["filename"].startswith("scans.zip/") for d in progress["documents"])
    html = uploaded["clerk"].get("/batches").get_data(as_text=True)
    row = html[html.index(uploaded["batch_id"]) :]
    verified = sum(d["records"].get("verified", 0) for d in progress["documents"])
    review = sum(d["records"].get("needs_review", 0) for d in progress["documents"])
    cells = re.findall(r"<td>\s*(\d+)\s*</td>", row)[:3]
    assert cells == [str(6), str(verified), str(review)]


def test_wrong_type_empty_and_oversize_uploads_change_nothing(tmp_path, corpus):
    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    import dataclasses

    app = make_app(dataclasses.replace(settings, max_upload_bytes=50_000))
    client = app.test_client()
    token = login(client, "clerk1")
    r = _upload(client, token, [("notes.exe", b"MZ..."), ("a.docx", b"PK")])
    assert r.status_code == 400
    body = r.get_json()
    assert "None of the files" in body["error"]
    assert "file type .exe is not accepted" in body["refused"][0]["error"]
    r = client.post("/upload", data={"csrf_token": token}, headers=JSON)
    assert r.status_code == 400 and "at least one file" in r.get_json()["error"]
    r = _upload(client, token, [("big.pdf", b"%PDF" + b"0" * 60_000)])
    assert r.status_code == 413 and "larger than the limit" in r.get_json()["error"]
    r = _upload(client, token, [("big.pdf", b"%PDF" + b"0" * 60_000)], json=False)
    assert r.status_code == 413 and "larger than the limit" in r.get_data(as_text=True)
    with _sessions(app)() as s:
        assert s.scalar(select(func.count()).select_from(Batch)) == 0
    stop_app(app)


def test_missing_or_forged_csrf_token_changes_nothing(site, uploaded, corpus):
    clerk = uploaded["clerk"]
    with _sessions(site)() as s:
        batches_before = s.scalar(select(func.count()).select_from(Batch))
    pdf = sorted((corpus / "docs").rglob("*.pdf"))[0].read_bytes()
    data = {"files": [(io.BytesIO(pdf), "x.pdf")]}
    r = clerk.post("/upload", data=data, content_type="multipart/form-data")
    assert r.status_code == 400 and "security token" in r.get_data(as_text=True)
    data = {"files": [(io.BytesIO(pdf), "x.pdf")], "csrf_token": "forged"}
    assert clerk.post("/upload", data=data, content_type="multipart/form-data").status_code == 400
    reviewer = _logged_in(site, "rev1")
    record_id = _queue_ids(reviewer)[0]
    r = reviewer.post(
        f"/review/{record_id}",
        data={"action": "reject", "version": "1", "reject_reason": "x", "csrf_token": "forged"},
    )
    assert r.status_code == 400
    with _sessions(site)() as s:
        assert s.scalar(select(func.count()).select_from(Batch)) == batches_before
        assert s.get(TrainingRecord, record_id).status == RecordStatus.NEEDS_REVIEW


def test_html_in_filenames_and_fields_is_shown_inert(site, uploaded, corpus):
    # `uploaded` first: this upload of a corpus file must be the copy, whatever the order
    clerk = site.test_client()
    token = login(clerk, "clerk1")
    pdf = sorted((corpus / "docs").rglob("*.pdf"))[2].read_bytes()
    evil = "<img src=x onerror=alert(1)>.pdf"
    r = _upload(clerk, token, [(evil, pdf)])
    progress = wait_for_batch(clerk, r.get_json()["batch_id"])
    assert progress["documents"][0]["filename"] == evil  # JSON carries data, not markup
    for path in (
        f"/batches/{progress['batch_id']}",
        "/batches",
        f"/documents/{progress['documents'][0]['id']}",
    ):
        html = clerk.get(path).get_data(as_text=True)
        assert "<img src=x" not in html, path
    assert "&lt;img src=x" in clerk.get(f"/batches/{progress['batch_id']}").get_data(as_text=True)
    reviewer = _logged_in(site, "rev1")
    record_id = _queue_ids(reviewer)[0]
    html = reviewer.get(f"/review/{record_id}").get_data(as_text=True)
    payload = '<script>alert("x")</script>'
    r = reviewer.post(
        f"/review/{record_id}",
        data={
            "action": "preview",
            "version": _version(html),
            "field_officer_name": payload,
            "csrf_token": csrf_token(reviewer, f"/review/{record_id}"),
        },
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_review_queue_filters_counts_and_decisions(site, uploaded):
    reviewer = _logged_in(site, "rev1")
    html = reviewer.get("/queue").get_data(as_text=True)
    ids = _queue_ids(reviewer)
    assert len(ids) >= 2
    counts = dict(re.findall(r'class="reason-count"[^>]*>([a-z_]+): (\d+)<', html))
    assert counts and all(int(n) >= 1 for n in counts.values())
    reason = next(iter(counts))
    assert len(_queue_ids(reviewer, f"?reason={reason}")) == int(counts[reason])
    assert _queue_ids(reviewer, f"?batch={uploaded['batch_id']}") == ids
    assert _queue_ids(reviewer, "?batch=bat_nope") == []
    assert _queue_ids(reviewer, "?from=2999-01-01") == []
    assert _queue_ids(reviewer, "?course=999999") == []
    assert _queue_ids(reviewer, "?state=ZZ") == []

    first = ids[0]
    page = reviewer.get(f"/review/{first}").get_data(as_text=True)
    assert "Why it is here" in page and "Checked against" in page and "<rect" in page
    token = csrf_token(reviewer, f"/review/{first}")
    # rejecting without a reason is refused and changes nothing
    r = reviewer.post(
        f"/review/{first}",
        data={"action": "reject", "version": _version(page), "csrf_token": token},
    )
    assert r.status_code == 422 and "needs a reason" in r.get_data(as_text=True)
    # a stale version (another reviewer decided first) is refused
    r = reviewer.post(
        f"/review/{first}",
        data={"action": "reject", "version": "7", "reject_reason": "x", "csrf_token": token},
    )
    assert r.status_code == 409 and "changed by someone else" in r.get_data(as_text=True)
    r = reviewer.post(
        f"/review/{first}",
        data={
            "action": "reject",
            "version": _version(page),
            "reject_reason": "not a certificate of ours",
            "note": "",
            "csrf_token": token,
        },
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/review/{ids[1]}")
    history = reviewer.get(f"/records/{first}").get_data(as_text=True)
    assert "rejected" in history and "rev1" in history and "not a certificate of ours" in history
    assert first not in _queue_ids(reviewer)
    with _sessions(site)() as s:
        events = s.scalars(select(RecordEvent).where(RecordEvent.record_id == first)).all()
        assert [e.action for e in events] == ["created", "rejected"]
    assert reviewer.get("/review/rec_doesnotexist").status_code == 404
    r = reviewer.post(
        "/review/rec_doesnotexist", data={"action": "approve", "version": "1", "csrf_token": token}
    )
    assert r.status_code == 404


def test_approve_refusal_is_explained_and_changes_nothing(site, uploaded):
    reviewer = _logged_in(site, "rev1")
    with _sessions(site)() as s:
        flagged = s.scalars(
            select(TrainingRecord).where(TrainingRecord.status == RecordStatus.NEEDS_REVIEW)
        ).all()
        rule_failures = [r for r in flagged if "unreadable" not in r.reasons]
    record = rule_failures[0]
    page = reviewer.get(f"/review/{record.id}").get_data(as_text=True)
    r = reviewer.post(
        f"/review/{record.id}",
        data={
            "action": "approve",
            "version": _version(page),
            "csrf_token": csrf_token(reviewer, f"/review/{record.id}"),
        },
    )
    assert r.status_code == 422 and "cannot approve" in r.get_data(as_text=True)
    with _sessions(site)() as s:
        assert s.get(TrainingRecord, record.id).version == record.version


def test_expired_session_goes_back_to_login(tmp_path, corpus):
    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    app = make_app(settings, CREDENCE_SESSION_MAX_AGE=1)
    client = app.test_client()
    login(client, "rev1")
    assert client.get("/queue").status_code == 200
    time.sleep(1.2)
    r = client.get("/queue")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "session expired" in client.get(r.headers["Location"]).get_data(as_text=True)
    stop_app(app)


def test_admin_lists_searches_imports_and_edits_reference_rows(site, corpus, tmp_path):
    admin = _logged_in(site, "root")
    html = admin.get("/admin/courses").get_data(as_text=True)
    assert "1849" in html
    assert "1849" not in admin.get("/admin/courses?q=no-such-thing").get_data(as_text=True)
    token = csrf_token(admin, "/admin/officers")
    csv_text = (
        "badge_number,first_name,last_name,state,role\n"
        "T-1,Test,Officer,TX,sworn\n"
        "T-2,Bad,Role,TX,janitor\n"
    )
    r = admin.post(
        "/admin/officers/import",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(csv_text.encode()), "officers.csv"), "csrf_token": token},
    )
    report = r.get_data(as_text=True)
    assert r.status_code == 200 and "1 created" in report and "row 3, column role" in report
    rows = admin.get("/admin/officers?q=T-1").get_data(as_text=True)
    row_id = re.search(r"/admin/officers/(\d+)", rows).group(1)
    form = admin.get(f"/admin/officers/{row_id}").get_data(as_text=True)
    assert 'name="badge_number" value="T-1" readonly' in form
    r = admin.post(
        f"/admin/officers/{row_id}",
        data={"first_name": "Tess", "role": "janitor", "csrf_token": token},
    )
    assert r.status_code == 422 and "role" in r.get_data(as_text=True)
    r = admin.post(f"/admin/officers/{row_id}", data={"first_name": "Tess", "csrf_token": token})
    assert r.status_code == 302
    assert "Tess" in admin.get("/admin/officers?q=T-1").get_data(as_text=True)
    assert admin.get("/admin/nonsense").status_code == 404
    r = admin.post(
        "/admin/users",
        data={
            "username": "newclerk",
            "password": "long-enough-pw",
            "role": "clerk",
            "csrf_token": token,
        },
    )
    assert r.status_code == 302
    assert "newclerk" in admin.get("/admin/users").get_data(as_text=True)
    fresh = site.test_client()
    login(fresh, "newclerk", "long-enough-pw")
    assert fresh.get("/admin/users").status_code == 403


def test_cli_creates_the_first_admin(tmp_path, monkeypatch, capsys):
    from credence.cli import main

    monkeypatch.setenv("CREDENCE_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    assert main(["init"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    assert main(["users", "create", "boss", "--role", "admin", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-password\n"))
    assert main(["users", "create", "boss", "--role", "admin", "--password-stdin"]) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "create", "bob", "--role", "clerk", "--password-stdin"]) == 2
    assert "already exists" in capsys.readouterr().err
    from credence.config import load_settings

    app = make_app(load_settings())
    login(app.test_client(), "boss", "s3cret-password")
    stop_app(app)
    shutil.rmtree(tmp_path / "d", ignore_errors=True)


def test_a_bad_file_is_reported_failed_with_its_error_and_the_rest_goes_on(site, uploaded,
                                                                           corpus):
    # `uploaded` first: this upload of a corpus file must be the copy, whatever the order
    clerk = site.test_client()
    token = login(clerk, "clerk2")
    samples = Path(__file__).parent / "samples" / "reading"
    good = sorted((corpus / "docs").rglob("*.pdf"))[0]
    r = _upload(
        clerk,
        token,
        [
            ("corrupt.png", (samples / "corrupt.png").read_bytes()),
            ("truncated.pdf", (samples / "truncated.pdf").read_bytes()),
            ("again.pdf", good.read_bytes()),
            ("notes.txt", b"hello"),
        ],
    )
    assert r.status_code == 202
    assert [x["filename"] for x in r.get_json()["refused"]] == ["notes.txt"]
    progress = wait_for_batch(clerk, r.get_json()["batch_id"])
    by_name = {d["filename"]: d for d in progress["documents"]}
    assert set(by_name) == {"corrupt.png", "truncated.pdf", "again.pdf"}
    for name in ("corrupt.png", "truncated.pdf"):
        assert by_name[name]["status"] == "failed" and by_name[name]["error"], by_name[name]
    assert by_name["again.pdf"]["status"].startswith("done")
    html = clerk.get(f"/batches/{progress['batch_id']}").get_data(as_text=True)
    assert by_name["corrupt.png"]["error"].split(":")[0] in html


def test_uploads_left_queued_by_a_stopped_server_are_read_after_a_restart(tmp_path, corpus):
    """GIVEN a web upload registered but never read (the server stopped) WHEN the app starts
    again THEN it reads them; documents of a `credence ingest` run are left to that run."""
    from credence.db import session_scope
    from ingestion.service import register_inputs
    from ingestion.uploads import StagedUpload, register_uploads

    settings = make_settings(tmp_path)
    prepare_database(settings, corpus)
    docs = sorted((corpus / "docs").rglob("*.pdf"))
    sessions = make_session_factory(make_engine(settings.database_url))
    with session_scope(sessions) as s:
        web = register_uploads(s, settings, [StagedUpload(docs[0].name, docs[0])], "clerk1")
        _, cli_ids = register_inputs(s, settings, [docs[1]])
    app = make_app(settings)
    client = app.test_client()
    login(client, "clerk1")
    progress = wait_for_batch(client, web.batch_id, timeout=60)
    assert progress["documents"][0]["status"] == "done"
    with sessions() as s:
        assert s.get(Document, cli_ids[0]).status == "queued"
    stop_app(app)
