"""Originals that prove themselves, and backup/restore (issue 19, point 5).

End to end through the command line on real rendered certificates: ``credence verify-store``
finds missing, altered and orphaned originals, re-ingesting the right bytes repairs an altered
one; ``credence backup`` then ``credence restore`` into an empty data folder gives the same
export, on SQLite and on the real PostgreSQL server (pg_dump, and the table copy).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from credence.cli import main
from devtools.samplegen.corpus import generate_corpus

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    return generate_corpus(out, seed=5, count=4, conditions=("clean",), include_invalid=False)


def _use(monkeypatch, data: Path, database_url: str | None = None) -> None:
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(data))
    if database_url:
        monkeypatch.setenv("CREDENCE_DATABASE_URL", database_url)
    else:
        monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv("CREDENCE_WORKERS", "1")


def _ingest(corpus: Path) -> None:
    assert main(["init"]) == 0
    ref = corpus / "reference"
    assert main(["catalog", "import", str(ref / "courses.csv")]) == 0
    assert main(["standards", "import", str(ref / "standards.csv")]) == 0
    assert main(["roster", "import", str(ref / "officers.csv")]) == 0
    assert main(["instructors", "import", str(ref / "instructors.csv")]) == 0
    assert main(["ingest", str(corpus / "docs")]) == 0


def _export(tmp_path: Path, name: str) -> str:
    out = tmp_path / name
    assert main(["records", "export", "--format", "jsonl", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def _original(data: Path, pdf: Path) -> Path:
    sha = hashlib.sha256(pdf.read_bytes()).hexdigest()
    return data / "originals" / sha[:2] / sha[2:4] / sha


def test_verify_store_finds_and_reingest_repairs(corpus, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    _use(monkeypatch, data)
    _ingest(corpus)
    capsys.readouterr()
    assert main(["verify-store"]) == 0
    assert "0 missing, 0 altered, 0 orphaned" in capsys.readouterr().out

    altered_pdf, missing_pdf = sorted((corpus / "docs").rglob("*.pdf"))[:2]
    altered, missing = _original(data, altered_pdf), _original(data, missing_pdf)
    with open(altered, "r+b") as f:  # four bytes overwritten, as in the issue
        f.seek(200)
        f.write(b"XXXX")
    missing.unlink()
    orphan = data / "originals" / "ab" / "cd" / ("ab" * 32)
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a killed intake")
    old = time.time() - 3 * 3600
    os.utime(orphan, (old, old))
    fresh = data / "originals" / ".incoming-fresh"
    fresh.write_bytes(b"an intake writing now")

    assert main(["verify-store"]) == 1
    out = capsys.readouterr().out
    assert "2 missing" not in out and "1 missing, 1 altered, 1 orphaned" in out
    assert f"altered {altered.name} " in out and altered_pdf.name in out
    assert f"missing {missing.name} " in out
    assert f"orphan {orphan}" in out and ".incoming-fresh" not in out

    assert main(["verify-store", "--remove-orphans"]) == 1
    assert not orphan.exists() and fresh.exists()

    assert main(["ingest", str(altered_pdf), str(missing_pdf)]) == 0
    capsys.readouterr()
    assert main(["verify-store"]) == 0
    assert "0 missing, 0 altered, 0 orphaned" in capsys.readouterr().out
    assert altered.read_bytes() == altered_pdf.read_bytes()


def test_backup_and_restore_on_sqlite(corpus, tmp_path, monkeypatch, capsys):
    _use(monkeypatch, tmp_path / "data")
    _ingest(corpus)
    before = _export(tmp_path, "before.jsonl")
    assert before.count("\n") >= 4
    assert main(["backup", str(tmp_path / "bk")]) == 0
    assert "database: sqlite-backup" in capsys.readouterr().out

    restored = tmp_path / "elsewhere"
    _use(monkeypatch, restored)
    assert main(["restore", str(tmp_path / "bk")]) == 0
    assert _export(tmp_path, "after.jsonl") == before
    assert main(["verify-store"]) == 0
    assert main(["audit", "verify"]) == 0
    assert "chain intact" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "bk")]) == 1  # never over existing data
    assert "not empty" in capsys.readouterr().err


@pytest.fixture
def second_postgres_url():
    name = f"credence_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("method", ["pg_dump", "table-copy"])
def test_backup_and_restore_on_postgresql(corpus, tmp_path, monkeypatch, capsys, method,
                                          postgres_url, second_postgres_url):
    if method == "pg_dump" and not shutil.which("pg_dump"):
        pytest.fail("pg_dump is part of this machine's PostgreSQL client tools")
    _use(monkeypatch, tmp_path / "data", postgres_url)
    _ingest(corpus)
    before = _export(tmp_path, "before.jsonl")
    extra = ["--no-pg-dump"] if method == "table-copy" else []
    assert main(["backup", str(tmp_path / "bk"), *extra]) == 0
    assert f"database: {method}" in capsys.readouterr().out

    _use(monkeypatch, tmp_path / "elsewhere", second_postgres_url)
    assert main(["restore", str(tmp_path / "bk")]) == 0
    assert _export(tmp_path, "after.jsonl") == before
    assert main(["verify-store"]) == 0
    assert main(["audit", "verify"]) == 0
    if method == "table-copy":  # the table copy also restores into SQLite
        _use(monkeypatch, tmp_path / "sqlite-copy")
        assert main(["restore", str(tmp_path / "bk")]) == 0
        assert _export(tmp_path, "sqlite.jsonl") == before
        assert main(["audit", "verify"]) == 0
