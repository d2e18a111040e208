"""Intake: originals stored by digest, zips opened safely, copies recognised, nothing lost."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from ingestion.errors import UsageError
from ingestion.intake import collect_inputs, register_item, start_batch
from ingestion.models import DocumentStatus
from ingestion.storage import BlobStore

LIMIT = 1024 * 1024


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _register_all(session, tmp_path: Path, paths: list[Path], limit: int = LIMIT):
    store = BlobStore(tmp_path / "originals")
    batch = start_batch(session)
    docs = [
        register_item(session, store, batch, item, max_bytes=limit)
        for item in collect_inputs(paths, max_bytes=limit)
    ]
    return store, docs


def test_folder_names_are_relative_and_sorted(session, tmp_path):
    root = tmp_path / "in"
    (root / "b").mkdir(parents=True)
    (root / "a.pdf").write_bytes(b"%PDF-1.4 one")
    (root / "b" / "c.png").write_bytes(b"\x89PNG two")
    store, docs = _register_all(session, tmp_path, [root])
    assert [d.source_filename for d in docs] == ["a.pdf", "b/c.png"]
    assert all(d.status == DocumentStatus.QUEUED for d in docs)
    for doc in docs:
        assert store.path_for(doc.sha256).read_bytes() in (b"%PDF-1.4 one", b"\x89PNG two")


def test_identical_bytes_become_a_copy_of_the_first(session, tmp_path):
    a = tmp_path / "first.pdf"
    b = tmp_path / "again.pdf"
    a.write_bytes(b"%PDF-1.4 same bytes")
    b.write_bytes(b"%PDF-1.4 same bytes")
    _, docs = _register_all(session, tmp_path, [a, b])
    first, second = docs
    assert first.status == DocumentStatus.QUEUED
    assert second.status == DocumentStatus.COPY
    assert second.copy_of_id == first.id
    assert second.sha256 == first.sha256


def test_zip_members_are_named_inside_the_archive(session, tmp_path):
    archive = _zip(tmp_path / "batch.zip", {"inner/x.pdf": b"%PDF-1.4 x", "y.png": b"\x89PNG y"})
    _, docs = _register_all(session, tmp_path, [archive])
    assert sorted(d.source_filename for d in docs) == ["batch.zip/inner/x.pdf", "batch.zip/y.png"]


def test_file_manager_leftovers_are_not_paperwork(session, tmp_path):
    """GIVEN a folder and a zip made on a Mac or in Windows Explorer, with the documents'
    resource forks (__MACOSX/._x.pdf), .DS_Store, Thumbs.db and desktop.ini beside them WHEN
    ingested THEN only the documents are registered: no failed 'not a PDF' rows for those."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.pdf").write_bytes(b"%PDF-1.4 one")
    for junk in (".DS_Store", "Thumbs.db", "sub/desktop.ini", "sub/._a.pdf"):
        (root / junk).write_bytes(b"\x00\x05\x16\x07 not paperwork")
    archive = _zip(tmp_path / "mac.zip", {
        "scans/x.pdf": b"%PDF-1.4 x",
        "__MACOSX/scans/._x.pdf": b"\x00\x05\x16\x07 resource fork",
        "scans/.DS_Store": b"Bud1 finder",
        "scans/THUMBS.DB": b"thumbnails",
    })
    _, docs = _register_all(session, tmp_path, [root, archive])
    assert [d.source_filename for d in docs] == ["a.pdf", "mac.zip/scans/x.pdf"]


def test_nested_zip_is_opened(session, tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.pdf", b"%PDF-1.4 deep")
    archive = _zip(tmp_path / "outer.zip", {"in.zip": inner.getvalue()})
    _, docs = _register_all(session, tmp_path, [archive])
    assert [d.source_filename for d in docs] == ["outer.zip/in.zip/deep.pdf"]


@pytest.mark.parametrize("name", ["../escape.pdf", "/etc/abs.pdf", "a/../../up.pdf"])
def test_unsafe_zip_paths_fail_but_keep_the_bytes(session, tmp_path, name):
    archive = _zip(tmp_path / "evil.zip", {name: b"%PDF-1.4 evil", "ok.pdf": b"%PDF-1.4 ok"})
    store, docs = _register_all(session, tmp_path, [archive])
    bad = [d for d in docs if d.status == DocumentStatus.FAILED]
    good = [d for d in docs if d.status == DocumentStatus.QUEUED]
    assert len(bad) == 1 and len(good) == 1
    assert bad[0].error_code == "unsafe_archive_path"
    assert name.lstrip("/") in bad[0].error or "absolute" in bad[0].error
    assert store.path_for(bad[0].sha256).read_bytes() == b"%PDF-1.4 evil"
    # Nothing was written outside the store.
    assert not (tmp_path.parent / "escape.pdf").exists()


def test_corrupt_zip_is_reported_and_kept(session, tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    store, docs = _register_all(session, tmp_path, [archive])
    assert len(docs) == 1
    assert docs[0].status == DocumentStatus.FAILED
    assert docs[0].error_code == "corrupt_archive"
    assert store.path_for(docs[0].sha256).exists()


def test_oversize_file_is_refused_with_a_clear_error(session, tmp_path):
    big = tmp_path / "big.tif"
    big.write_bytes(b"II*\x00" + b"\x00" * 5000)
    other = tmp_path / "small.pdf"
    other.write_bytes(b"%PDF-1.4 small")
    _, docs = _register_all(session, tmp_path, [big, other], limit=1000)
    assert docs[0].status == DocumentStatus.FAILED
    assert docs[0].error_code == "too_large"
    assert "MB upload limit" in docs[0].error
    assert docs[1].status == DocumentStatus.QUEUED


def test_zip_bomb_member_is_refused(session, tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("huge.tif", b"\x00" * (3 * 1024 * 1024))
    _, docs = _register_all(session, tmp_path, [archive], limit=LIMIT)
    assert docs[0].status == DocumentStatus.FAILED
    assert docs[0].error_code == "too_large"


def test_missing_path_is_a_usage_error(session, tmp_path):
    with pytest.raises(UsageError, match="no such file"):
        list(collect_inputs([tmp_path / "nope"], max_bytes=LIMIT))


def test_failed_intake_does_not_swallow_a_later_good_upload(session, tmp_path):
    archive = _zip(tmp_path / "evil.zip", {"../x.pdf": b"%PDF-1.4 shared"})
    plain = tmp_path / "x.pdf"
    plain.write_bytes(b"%PDF-1.4 shared")
    _, docs = _register_all(session, tmp_path, [archive, plain])
    assert [d.status for d in docs] == [DocumentStatus.FAILED, DocumentStatus.QUEUED]
