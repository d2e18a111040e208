"""The contract's command line, end to end on embedded defaults (SQLite, in-process jobs).

Real rendered certificates (born-digital and scanned, OCR'd by the real tesseract), real bad
files, real zips: what a clerk would run.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from credence.cli import main
from devtools.samplegen.corpus import generate_corpus
from reports.records_export import EXPORT_FIELDS

SAMPLES = Path(__file__).parent / "samples" / "reading"
BAD_FILES = {
    "truncated.pdf": "corrupt_file",
    "encrypted.pdf": "encrypted_pdf",
    "empty.pdf": "empty_document",
    "text-named.pdf": "unsupported_type",
    "corrupt.png": "corrupt_file",
    "bomb.png": "image_too_large",
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    return generate_corpus(out, seed=5, count=8, conditions=("clean", "good_scan"))


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(data))
    monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv("CREDENCE_WORKERS", "2")
    return data


def _load_reference(corpus: Path) -> None:
    assert main(["init"]) == 0
    ref = corpus / "reference"
    assert main(["catalog", "import", str(ref / "courses.csv")]) == 0
    assert main(["standards", "import", str(ref / "standards.csv")]) == 0
    assert main(["roster", "import", str(ref / "officers.csv")]) == 0
    assert main(["instructors", "import", str(ref / "instructors.csv")]) == 0


def _export(fmt: str = "jsonl") -> list[dict]:
    buf = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buf):
        assert main(["records", "export", "--format", fmt]) == 0
    if fmt == "jsonl":
        return [json.loads(line) for line in buf.getvalue().splitlines()]
    return list(csv.DictReader(io.StringIO(buf.getvalue())))


def test_ingest_a_folder_then_export(env, corpus, capsys):
    """GIVEN the sample reference data and a folder of certificates
    WHEN the clerk ingests it and exports
    THEN every truth record is there, none is falsely credited, copies add nothing.
    """
    _load_reference(corpus)
    capsys.readouterr()
    assert main(["ingest", str(corpus / "docs")]) == 0
    out = capsys.readouterr().out
    truth = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    files = {t["file"] for t in truth}
    assert out.count("\n") == len(files) + 1  # one line per document and a summary
    assert "batch bat_" in out.splitlines()[-1]
    rows = _export()
    by_key = {(f"docs/{r['source_filename']}", r["page"]): r for r in rows}
    for t in truth:
        row = by_key[(t["file"], t["page"])]
        assert set(row) == set(EXPORT_FIELDS)
        if row["status"] == "verified":
            assert t["expected_status"] == "verified", f"false credit: {t}"
            assert row["credit_hours"] > 0 and row["credit_topics"]
        else:
            assert row["credit_hours"] == 0 and row["credit_topics"] == []
            assert row["reasons"]
    assert any(r["status"] == "verified" for r in rows)

    # The same folder again: every document is a copy, no record is added.
    assert main(["ingest", str(corpus / "docs")]) == 0
    again = capsys.readouterr().out
    assert again.count("COPY") == len(files)
    assert len(_export()) == len(rows)


def test_bad_files_are_reported_kept_and_skipped(env, corpus, tmp_path, capsys):
    _load_reference(corpus)
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name in BAD_FILES:
        shutil.copy(SAMPLES / name, folder / name)
    good = sorted((corpus / "docs" / "clean").glob("*.pdf"))[0]
    shutil.copy(good, folder / "zz-good.pdf")
    with zipfile.ZipFile(folder / "evil.zip", "w") as zf:
        zf.writestr("../../escape.pdf", good.read_bytes())
    capsys.readouterr()
    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out
    lines = {line.split()[1].rstrip(":"): line for line in out.splitlines()[:-1]}
    for name in BAD_FILES:
        assert lines[name].startswith("FAILED"), lines[name]
    assert lines["evil.zip/../../escape.pdf"].startswith("FAILED")
    assert lines["zz-good.pdf"].startswith("DONE")
    # Every original is kept under its digest, the bad ones included.
    originals = [p for p in (env / "originals").rglob("*") if p.is_file()]
    assert len(originals) >= len(BAD_FILES) + 1
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{env / 'credence.db'}")
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT source_filename, error_code, error, sha256 FROM documents"))
        failed = {name: (code, error, sha) for name, code, error, sha in rows}
    engine.dispose()
    codes = {name: code for name, (code, _, _) in failed.items()}
    for name, code in BAD_FILES.items():
        assert codes[name] == code, (name, codes[name])
        _, error, sha = failed[name]
        assert sha not in error, error  # the clerk's file name, not the stored digest
    assert codes["evil.zip/../../escape.pdf"] == "unsafe_archive_path"


def test_export_formats_agree(env, corpus, tmp_path):
    _load_reference(corpus)
    assert main(["ingest", str(corpus / "docs" / "clean")]) == 0
    jsonl = _export("jsonl")
    rows = _export("csv")
    assert [r["record_id"] for r in rows] == [r["record_id"] for r in jsonl]
    xlsx = tmp_path / "r.xlsx"
    assert main(["records", "export", "--format", "xlsx", "-o", str(xlsx)]) == 0
    sheet = load_workbook(xlsx).active
    assert sheet.max_row == len(jsonl) + 1
    verified = [r for r in jsonl if r["status"] == "verified"]
    assert main(["records", "export", "--format", "jsonl", "--status", "verified",
                 "-o", str(tmp_path / "v.jsonl")]) == 0  # fmt: skip
    assert len((tmp_path / "v.jsonl").read_text().splitlines()) == len(verified)


def test_import_reports_bad_rows_and_loads_good_ones(env, tmp_path, capsys):
    assert main(["init"]) == 0
    roster = tmp_path / "officers.csv"
    roster.write_text(
        "badge_number,first_name,last_name,state,role,cycle_start,cycle_end\n"
        "1001,Ana,Ruiz,TX,sworn,2025-09-01,2027-08-31\n"
        "1002,Bo,Lee,TX,pilot,2025-09-01,2027-08-31\n"
        "1003,Cy,Ng,TX,sworn,2025-13-01,2027-08-31\n"
    )
    capsys.readouterr()
    assert main(["roster", "import", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "1 created" in out
    assert "row 3" in out and "role" in out
    assert "row 4" in out and "cycle_start" in out


def test_misuse_exits_2(env):
    assert main(["ingest", "/nonexistent/folder"]) == 2


def test_installed_command_runs(env, corpus):
    """The console script itself (``pip install -e .`` made it) answers."""
    exe = Path(sys.executable).with_name("credence")
    done = subprocess.run([str(exe), "init"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "schema is up to date" in done.stdout


def test_ingest_before_init_says_what_to_do(env, tmp_path, capsys):
    pdf = tmp_path / "a.pdf"
    shutil.copy(SAMPLES / "certificate.pdf", pdf)
    assert main(["ingest", str(pdf)]) == 2
    assert "run `credence init`" in capsys.readouterr().err


def test_export_into_a_closed_pipe_ends_quietly(env, corpus):
    """GIVEN records to export
    WHEN the export is piped into a reader that stops early (``| head``)
    THEN the command ends with status 0 and no traceback.
    """
    _load_reference(corpus)
    assert main(["ingest", str(corpus / "docs")]) == 0
    exe = Path(sys.executable).with_name("credence")
    export = subprocess.Popen([str(exe), "records", "export", "--format", "jsonl"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    export.stdout.read(10)
    export.stdout.close()  # the reader goes away with most of the output unread
    assert export.wait(timeout=60) == 0
    assert export.stderr.read() == b""


def _plain_pdf(path: Path, lines: list[str]) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=letter)
    c.setFont("Times-Bold", 16)
    c.drawString(72, 720, "Harlow Basin Public Safety Institute")
    c.setFont("Times-Roman", 12)
    for i, line in enumerate(lines):
        c.drawString(72, 690 - 22 * i, line)
    c.save()
    return path


def test_a_record_in_wording_no_lexicon_knows_is_read_by_what_it_holds(env, corpus, tmp_path,
                                                                       capsys):
    """GIVEN pages whose wording says neither certificate nor sign-in sheet WHEN they are
    ingested THEN one holding an officer, a course, the day and the hours is read as the
    certificate it is (and verification decides); the same page saying the officer is
    scheduled to attend, and one without hours, are exported unknown and held as not a
    training document with the fields read for the reviewer to check; a notice holding none
    gets an empty record as before."""
    _load_reference(corpus)
    with open(corpus / "reference" / "officers.csv", newline="") as f:
        officer = next(csv.DictReader(f))
    with open(corpus / "reference" / "courses.csv", newline="") as f:
        course = next(csv.DictReader(f))
    name = f"{officer['first_name']} {officer['last_name']}"
    folder = tmp_path / "odd"
    folder.mkdir()
    record = [name, "Peace Officer", officer["badge_number"], "Badge Nbr", course["title"],
              "Instruction Received", "April 9, 2026", "Final Day"]
    _plain_pdf(folder / "proof.pdf", ["Proof of Instruction", *record, "4 Clock Hours"])
    _plain_pdf(folder / "plan.pdf", ["Officer is scheduled to attend", *record,
                                     "4 Clock Hours"])
    _plain_pdf(folder / "short.pdf", ["Proof of Instruction", *record])
    _plain_pdf(folder / "memo.pdf", [
        "Staff notice", "The indoor range is closed on Friday for repairs to the baffles.",
        "Questions go to the range office."])
    assert main(["ingest", str(folder)]) == 0
    capsys.readouterr()
    rows = {r["source_filename"]: r for r in _export()}
    proof = rows["proof.pdf"]
    assert proof["document_kind"] == "certificate", proof
    assert "not_training_document" not in proof["reasons"]
    assert proof["officer_name"] == name and proof["hours"] == 4
    assert proof["training_date"] == "2026-04-09"
    for held in (rows["plan.pdf"], rows["short.pdf"]):
        assert held["document_kind"] == "unknown" and held["status"] == "needs_review"
        assert held["reasons"] == ["not_training_document"] and held["credit_hours"] == 0
        assert held["officer_name"] == name and held["training_date"] == "2026-04-09"
        assert held["course_title"] == course["title"]
    assert rows["plan.pdf"]["hours"] == 4 and rows["short.pdf"]["hours"] is None
    memo = rows["memo.pdf"]
    assert memo["reasons"] == ["not_training_document"] and memo["officer_name"] is None
