"""Limits that protect the disk (issue 19, point 3): caps on what one zip expands to and on
what one upload or `credence ingest` stores, counted while expanding.

Every zip is generated here: distinct, highly compressible members (the shape of the
1.9 MB zip that became 1.9 GB), nested zips, and plain files beside them.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from credence.cli import main
from ingestion.intake import IntakeLimits, IntakeTally, collect_inputs, register_item, start_batch
from ingestion.models import DocumentStatus
from ingestion.storage import BlobStore

KB = 1024


def _member(i: int, size: int) -> bytes:
    """A distinct member that deflates to almost nothing."""
    head = f"%PDF-1.4 member {i}\n".encode()
    return head + b"\x00" * (size - len(head))


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    path.write_bytes(_zip_bytes(members))
    return path


def _register(session, tmp_path: Path, paths: list[Path], limits: IntakeLimits):
    store = BlobStore(tmp_path / "originals")
    batch = start_batch(session)
    tally = IntakeTally(limits)
    docs = [
        register_item(session, store, batch, item, max_bytes=limits.file_bytes)
        for item in collect_inputs(paths, max_bytes=limits.file_bytes, tally=tally)
    ]
    return store, docs


def _stored(store: BlobStore) -> set[str]:
    return {p.name for p in store.walk()}


def test_a_zip_with_too_many_members_stops_at_the_cap(session, tmp_path):
    """GIVEN a zip of 8 distinct members and a cap of 5 WHEN ingested THEN the 5 first are
    documents, the zip is failed with archive_too_large, and nothing else is on disk."""
    archive = _zip(tmp_path / "many.zip", {f"m{i}.pdf": _member(i, 2 * KB) for i in range(8)})
    store, docs = _register(session, tmp_path, [archive],
                            IntakeLimits(file_bytes=1024 * KB, archive_files=5))
    queued = [d for d in docs if d.status == DocumentStatus.QUEUED]
    failed = [d for d in docs if d.status == DocumentStatus.FAILED]
    assert [d.source_filename for d in queued] == [f"many.zip/m{i}.pdf" for i in range(5)]
    assert len(failed) == 1 and failed[0].source_filename == "many.zip"
    assert failed[0].error_code == "archive_too_large"
    assert "more than 5 files" in failed[0].error and "5 file(s) before" in failed[0].error
    assert _stored(store) == {d.sha256 for d in queued}  # no partial or refused member kept


def test_a_zip_that_expands_past_its_size_cap_is_cut_while_expanding(session, tmp_path):
    """GIVEN members of 300 KB (a few hundred bytes each inside the zip) and a cap of 1 MB
    WHEN ingested THEN three are kept and the fourth, which crosses the cap, is not."""
    archive = _zip(tmp_path / "bomb.zip", {f"m{i}.pdf": _member(i, 300 * KB) for i in range(10)})
    assert archive.stat().st_size < 30 * KB
    store, docs = _register(session, tmp_path, [archive],
                            IntakeLimits(file_bytes=10 * 1024 * KB, archive_bytes=1024 * KB))
    queued = [d for d in docs if d.status == DocumentStatus.QUEUED]
    assert len(queued) == 3
    assert docs[-1].error_code == "archive_too_large" and "1 MB" in docs[-1].error
    assert sum(p.stat().st_size for p in store.walk()) == 3 * 300 * KB
    assert not [p for p in store.walk() if p.name.startswith(".incoming")]


def test_members_of_nested_zips_count_toward_the_outer_zip(session, tmp_path):
    inner = _zip_bytes({f"deep{i}.pdf": _member(i, KB) for i in range(4)})
    archive = _zip(tmp_path / "outer.zip", {"a.pdf": _member(90, KB), "in.zip": inner})
    store, docs = _register(session, tmp_path, [archive],
                            IntakeLimits(file_bytes=1024 * KB, archive_files=4))
    # a.pdf, in.zip itself, deep0, deep1: four members; deep2 is one too many
    assert [d.source_filename for d in docs] == [
        "outer.zip/a.pdf", "outer.zip/in.zip/deep0.pdf", "outer.zip/in.zip/deep1.pdf",
        "outer.zip"]
    assert docs[-1].error_code == "archive_too_large"
    assert len(_stored(store)) == 3


def test_the_archive_count_starts_again_at_each_zip(session, tmp_path):
    a = _zip(tmp_path / "a.zip", {f"a{i}.pdf": _member(i, KB) for i in range(3)})
    b = _zip(tmp_path / "b.zip", {f"b{i}.pdf": _member(10 + i, KB) for i in range(3)})
    _, docs = _register(session, tmp_path, [a, b],
                        IntakeLimits(file_bytes=1024 * KB, archive_files=3))
    assert [d.status for d in docs] == [DocumentStatus.QUEUED] * 6


def test_a_batch_past_its_file_cap_stops_and_says_so(session, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"f{i}.pdf").write_bytes(_member(i, KB))
    archive = _zip(tmp_path / "z.zip", {f"z{i}.pdf": _member(20 + i, KB) for i in range(4)})
    store, docs = _register(session, tmp_path, [folder, archive],
                            IntakeLimits(file_bytes=1024 * KB, batch_files=6))
    assert [d.source_filename for d in docs] == [
        "f0.pdf", "f1.pdf", "f2.pdf", "f3.pdf", "z.zip/z0.pdf", "z.zip/z1.pdf", "z.zip/z2.pdf"]
    assert docs[-1].error_code == "batch_too_large"
    assert "6 files" in docs[-1].error and "another batch" in docs[-1].error
    assert len(_stored(store)) == 6


def test_a_batch_past_its_size_cap_stores_nothing_more(session, tmp_path):
    files = []
    for i in range(3):
        files.append(tmp_path / f"p{i}.pdf")
        files[-1].write_bytes(_member(i, 400 * KB))
    store, docs = _register(session, tmp_path, files,
                            IntakeLimits(file_bytes=1024 * KB, batch_bytes=1000 * KB))
    assert [d.status for d in docs] == [DocumentStatus.QUEUED, DocumentStatus.QUEUED,
                                        DocumentStatus.FAILED]
    assert docs[-1].error_code == "batch_too_large"
    assert len(_stored(store)) == 2


def test_credence_ingest_applies_the_caps_from_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv("CREDENCE_MAX_ARCHIVE_FILES", "2")
    monkeypatch.setenv("CREDENCE_MAX_ARCHIVE_MB", "50")
    monkeypatch.setenv("CREDENCE_WORKERS", "1")
    assert main(["init"]) == 0
    archive = _zip(tmp_path / "three.zip", {f"t{i}.pdf": _member(i, KB) for i in range(3)})
    capsys.readouterr()
    assert main(["ingest", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "FAILED    three.zip: the zip holds more than 2 files" in out
    # the two members taken were read (and failed as the non-PDFs they are), the rest never
    assert out.count("three.zip/t") == 2
    stored = [p for p in (tmp_path / "data" / "originals").rglob("*") if p.is_file()]
    assert len(stored) == 2


@pytest.mark.parametrize("variable, field, value, expected", [
    ("CREDENCE_MAX_ARCHIVE_MB", "max_archive_bytes", "2", 2 * 1024 * 1024),
    ("CREDENCE_MAX_ARCHIVE_FILES", "max_archive_files", "7", 7),
    ("CREDENCE_MAX_BATCH_MB", "max_batch_bytes", "0.5", 512 * 1024),
    ("CREDENCE_MAX_BATCH_FILES", "max_batch_files", "9", 9),
])
def test_caps_are_settings(variable, field, value, expected):
    from credence.config import load_settings

    assert getattr(load_settings({variable: value}), field) == expected
