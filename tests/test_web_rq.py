"""With CREDENCE_REDIS_URL set, a web upload is enqueued on RQ (real Redis) and read by a real
``credence worker``; the upload and progress pages behave as in the embedded mode."""

from __future__ import annotations

import io

import pytest
from production_support import production_env, run_burst_worker
from webapp_support import login, make_app, prepare_database, wait_for_batch, zip_of

from devtools.samplegen.corpus import generate_corpus
from ingestion.runner import RQRunner

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def clean_corpus(tmp_path_factory):
    return generate_corpus(
        tmp_path_factory.mktemp("corpus"), seed=5, count=3, conditions=("clean",)
    )


def test_upload_is_enqueued_on_rq_and_read_by_a_worker(
    tmp_path, monkeypatch, redis_url, clean_corpus
):
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'rq.db'}", redis_url)
    prepare_database(settings, clean_corpus)
    app = make_app(settings)
    assert isinstance(app.extensions["credence_submitter"], RQRunner)
    client = app.test_client()
    token = login(client, "clerk1")
    docs = sorted((clean_corpus / "docs").rglob("*.pdf"))
    r = client.post(
        "/upload",
        content_type="multipart/form-data",
        headers=JSON,
        data={"files": [(io.BytesIO(zip_of(docs)), "scans.zip")], "csrf_token": token},
    )
    assert r.status_code == 202
    batch_id = r.get_json()["batch_id"]
    waiting = client.get(f"/batches/{batch_id}/progress", headers=JSON).get_json()
    assert waiting["total"] == 3 and not waiting["done"]
    assert {d["status"] for d in waiting["documents"]} == {"queued"}  # no worker yet
    assert run_burst_worker() == 0
    progress = wait_for_batch(client, batch_id, timeout=60)
    assert {d["status"] for d in progress["documents"]} == {"done"}
    assert sum(sum(d["records"].values()) for d in progress["documents"]) == 3
