"""A document whose reading failed can be read again (issue 19, point 3), in embedded mode:
`credence ingest --retry-failed`, the clerk's "Read again" buttons, and the same bytes
uploaded again, which are read instead of being refused as a copy. Also: a web upload over
the archive cap is cut with its reason on the batch page.

The failure is a real one: the original is out of the store while it is read (a shared
mount gone, say), so reading fails; once it is back, reading again succeeds.
"""

from __future__ import annotations

import io
import re
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from webapp_support import login, make_app, make_settings, prepare_database, stop_app

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen.corpus import generate_corpus
from ingestion.models import Document, DocumentStatus
from ingestion.runner import InProcessRunner
from ingestion.storage import BlobStore
from ingestion.uploads import StagedUpload, register_uploads


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), seed=11, count=3,
                           conditions=("clean",))


@pytest.fixture(scope="module")
def pdfs(corpus) -> list[Path]:
    return sorted((corpus / "docs").rglob("*.pdf"))


@contextmanager
def _original_away(settings, sha256: str):
    """The stored original is not there while the block runs (a share unmounted)."""
    path = BlobStore(settings.blob_dir).path_for(sha256)
    aside = path.with_name(path.name + ".away")
    path.rename(aside)
    try:
        yield
    finally:
        aside.rename(path)


def _fail_reading(settings, ids: list[str]) -> None:
    sessions = make_session_factory(make_engine(settings.database_url))
    for doc_id in ids:
        with sessions() as s:
            sha = s.get(Document, doc_id).sha256
        with _original_away(settings, sha):
            InProcessRunner(settings, workers=1).run([doc_id])
    with sessions() as s:
        for doc_id in ids:
            doc = s.get(Document, doc_id)
            assert doc.status == DocumentStatus.FAILED, (doc.status, doc.error)


def _doc(settings, doc_id: str) -> Document:
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as s:
        doc = s.get(Document, doc_id)
        s.expunge(doc)
    engine.dispose()
    return doc


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def cli_env(request, tmp_path, monkeypatch, corpus):
    """Embedded mode (no Redis) on SQLite and on PostgreSQL (its partial unique index on
    originals is what a failure must step out of)."""
    from credence.config import load_settings

    monkeypatch.setenv("CREDENCE_DATA_DIR", str(tmp_path / "data"))
    if request.param == "postgresql":
        monkeypatch.setenv("CREDENCE_DATABASE_URL", request.getfixturevalue("postgres_url"))
    else:
        monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv("CREDENCE_WORKERS", "1")
    assert main(["init"]) == 0
    ref = corpus / "reference"
    for group, name in (("catalog", "courses"), ("standards", "standards"),
                        ("roster", "officers"), ("instructors", "instructors")):
        assert main([group, "import", str(ref / f"{name}.csv")]) == 0
    return load_settings()


def _register(settings, path: Path) -> str:
    from ingestion.service import register_inputs

    sessions = make_session_factory(make_engine(settings.database_url))
    with session_scope(sessions) as s:
        return register_inputs(s, settings, [path])[1][0]


def test_ingest_retry_failed_reads_failed_documents_again(cli_env, pdfs, capsys):
    """GIVEN a document whose reading failed WHEN `credence ingest --retry-failed` (no Redis)
    THEN it is read again and done, with its records; a second run has nothing to do."""
    doc_id = _register(cli_env, pdfs[0])
    _fail_reading(cli_env, [doc_id])
    capsys.readouterr()
    assert main(["ingest", "--retry-failed"]) == 0
    out = capsys.readouterr().out
    assert "read again 1 document(s)" in out
    assert re.search(rf"^DONE\s+{re.escape(pdfs[0].name)}: ", out, re.M), out
    doc = _doc(cli_env, doc_id)
    assert doc.status == DocumentStatus.DONE and doc.error is None and doc.attempts == 2
    assert main(["ingest", "--retry-failed"]) == 0
    assert "read again 0 document(s)" in capsys.readouterr().out
    assert main(["ingest"]) == 2  # neither paths nor --retry-failed


def test_the_same_bytes_again_are_read_not_refused_as_a_copy(cli_env, pdfs, capsys):
    doc_id = _register(cli_env, pdfs[1])
    _fail_reading(cli_env, [doc_id])
    capsys.readouterr()
    assert main(["ingest", str(pdfs[1])]) == 0
    out = capsys.readouterr().out
    assert "COPY" not in out and "identical to an earlier upload" not in out
    assert re.search(rf"^DONE\s+{re.escape(pdfs[1].name)}: ", out, re.M), out
    old = _doc(cli_env, doc_id)
    assert old.status == DocumentStatus.FAILED and old.copy_of_id == old.id  # kept, stepped aside
    # and the bytes a third time: now a copy of the reading that succeeded
    assert main(["ingest", str(pdfs[1])]) == 0
    assert "COPY" in capsys.readouterr().out


@pytest.fixture(scope="module")
def site(tmp_path_factory, corpus):
    settings = make_settings(tmp_path_factory.mktemp("site"), workers=1)
    import dataclasses

    settings = dataclasses.replace(settings, max_archive_files=2)
    prepare_database(settings, corpus)
    app = make_app(settings)
    yield app, settings
    stop_app(app)


def _token(client, path: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"',
                     client.get(path).get_data(as_text=True)).group(1)


def test_the_clerk_reads_failed_documents_again_from_the_web(site, pdfs):
    """GIVEN clerk1's upload of two documents whose reading failed WHEN clerk1 presses
    "Read again" on one's page, then on the batch page THEN both are read and done; a
    reviewer may not, another clerk does not see them."""
    app, settings = site
    sessions = app.extensions["credence_sessions"]
    with session_scope(sessions) as s:
        result = register_uploads(s, settings, [StagedUpload(p.name, p) for p in pdfs[:2]],
                                  "clerk1")
    first, second = result.document_ids
    _fail_reading(settings, [first, second])

    clerk = app.test_client()
    login(clerk, "clerk1")
    page = clerk.get(f"/documents/{first}").get_data(as_text=True)
    assert "Read again" in page
    token = _token(clerk, f"/documents/{first}")
    reviewer = app.test_client()
    login(reviewer, "rev1")
    assert reviewer.post(f"/documents/{first}/read-again",
                         data={"csrf_token": _token(reviewer, "/queue")}).status_code == 403
    other = app.test_client()
    login(other, "clerk2")
    assert other.post(f"/documents/{first}/read-again",
                      data={"csrf_token": _token(other, "/upload")}).status_code == 404

    r = clerk.post(f"/documents/{first}/read-again", data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/batches/{result.batch_id}")
    _wait_done(settings, first)
    assert _doc(settings, second).status == DocumentStatus.FAILED
    batch_page = clerk.get(f"/batches/{result.batch_id}").get_data(as_text=True)
    assert "Read again the 1 failed document(s)" in batch_page
    r = clerk.post(f"/batches/{result.batch_id}/read-again",
                   data={"csrf_token": _token(clerk, f"/batches/{result.batch_id}")})
    assert r.status_code == 302
    _wait_done(settings, second)
    assert "Read again" not in clerk.get(f"/documents/{first}").get_data(as_text=True)


def _wait_done(settings, doc_id: str, timeout: float = 120) -> None:
    import time

    deadline = time.monotonic() + timeout
    while _doc(settings, doc_id).status != DocumentStatus.DONE:
        assert time.monotonic() < deadline, _doc(settings, doc_id).error
        time.sleep(0.2)


def test_a_web_upload_over_the_archive_cap_is_cut_with_its_reason(site, pdfs):
    app, settings = site
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for i, name in enumerate(("a.pdf", "b.pdf", "c.pdf")):
            z.writestr(name, f"%PDF-1.4 not really {i}".encode())
    clerk = app.test_client()
    token = login(clerk, "clerk1")
    r = clerk.post("/upload", data={"files": [(io.BytesIO(buf.getvalue()), "three.zip")],
                                    "csrf_token": token},
                   headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert r.status_code == 202
    from webapp_support import wait_for_batch

    progress = wait_for_batch(clerk, r.get_json()["batch_id"])
    by_name = {d["filename"]: d for d in progress["documents"]}
    assert set(by_name) == {"three.zip/a.pdf", "three.zip/b.pdf", "three.zip"}
    assert "more than 2 files" in by_name["three.zip"]["error"]


def test_nothing_is_left_in_the_staging_folder(site):
    app, _ = site
    assert not any(Path(app.config["UPLOAD_STAGING"]).iterdir())


@pytest.mark.postgres
def test_ingest_retry_failed_on_rq_workers(tmp_path, monkeypatch, pdfs, postgres_url, redis_url,
                                           capsys):
    """The same command with Redis: the failed document is enqueued again (its failed job is
    replaced) and a real `credence worker` reads it."""
    from production_support import production_env, run_burst_worker, start_worker, stop_worker

    from ingestion.runner import RQRunner

    settings = production_env(monkeypatch, tmp_path, postgres_url, redis_url)
    doc_id = _register(settings, pdfs[2])
    with session_scope(make_session_factory(make_engine(settings.database_url))) as s:
        sha = s.get(Document, doc_id).sha256
    with _original_away(settings, sha):
        RQRunner(settings).submit([doc_id])
        run_burst_worker()
    assert _doc(settings, doc_id).status == DocumentStatus.FAILED
    worker = start_worker(log_path=tmp_path / "worker.log")
    try:
        capsys.readouterr()
        assert main(["ingest", "--retry-failed"]) == 0
    finally:
        stop_worker(worker)
    assert "read again 1 document(s)" in capsys.readouterr().out
    assert _doc(settings, doc_id).status == DocumentStatus.DONE
