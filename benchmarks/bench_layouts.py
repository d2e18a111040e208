"""``make bench-layouts``: does one decided copy teach Credence a form? (issue 17, point 5)

A replay through the command-line contract only (``credence ingest``, ``records export``,
``review decide``), in fresh data folders:

* **before**: every document ingested with nothing learned; straight-through of the valid
  records of the documents after the first ``--first`` of each layout;
* **after**: the first ``--first`` documents of each layout ingested, each of their records
  decided from the truth (the fields that differ are ``--set``, then ``--approve`` when the
  truth says creditable, else ``--reject``), then the rest ingested and scored the same way.

Reported: straight-through before/after (born-digital, good scans, poor scans and faxes),
false credits (credited when the truth says no, or to the wrong officer, course, date or
hours), verified records with a wrong field, and the number of decisions it took.

Corpora: by default forms of our own (``devtools.samplegen.forms``: several layouts with
captions the reader has never seen). ``--corpus DIR --truth agency`` replays a corpus
given as ``docs/`` + ``truth.jsonl`` with one flat line per record (``file``, ``page``,
``layout``, ``condition``, ``expected_outcome`` and the fields); nothing of it is kept here.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CREDENCE = [sys.executable, "-m", "credence.cli"]
FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
          "course_title", "instructor_name", "location")
REVIEWER = "bench-reviewer"
_GROUPS = {"clean": "born_digital", "digital": "born_digital", "good_scan": "good_scan",
           "scan_good": "good_scan"}


def _norm(field: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if field == "hours":
        return round(float(value), 2)
    text = " ".join(str(value).replace(",", " ").split()).lower()
    if field in ("post_number", "badge_number"):
        return text.replace(" ", "").replace("#", "")
    return text.replace(".", "")


# -- truth -------------------------------------------------------------------------------


def own_truth(corpus: Path) -> list[dict[str, Any]]:
    """Truth lines of a generated form corpus, in the common shape."""
    out = []
    for line in (corpus / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        fields = t["fields"]
        out.append({"file": t["file"].removeprefix("docs/"), "page": t["page"],
                    "layout": t["layout"], "condition": t["condition"],
                    "creditable": t["expected_status"] == "verified", "kind": t["kind"],
                    "badge": fields["badge_number"], "fields": fields})
    return out


def agency_truth(corpus: Path) -> list[dict[str, Any]]:
    """Truth lines of a flat external corpus (one line per record), in the common shape."""
    out = []
    for line in (corpus / "truth.jsonl").read_text().splitlines():
        t = json.loads(line)
        fields = {f: t.get(f) for f in FIELDS}
        fields["officer_name"] = t.get("roster_name") or t.get("officer_name")
        fields["badge_number"] = t.get("roster_badge") or t.get("badge_number")
        folder = t["file"].split("/")[0]
        out.append({"file": t["file"], "page": t["page"], "layout": f"{folder}/{t['layout']}",
                    "condition": t["condition"], "kind": t["document_kind"],
                    "creditable": t["expected_outcome"] == "credit",
                    "badge": t.get("roster_badge"), "post": t.get("course_post_matched"),
                    "fields": fields})
    return out


def first_documents(truth: list[dict[str, Any]], first: int) -> set[str]:
    """The first ``first`` documents (by file name) of each layout."""
    files = defaultdict(list)
    for t in truth:
        if t["file"] not in files[t["layout"]]:
            files[t["layout"]].append(t["file"])
    return {f for fs in files.values() for f in sorted(fs)[:first]}


# -- the contract --------------------------------------------------------------------------


def _run(env: dict[str, str], *args: str, stdin: str | None = None,
         check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([*CREDENCE, *args], env=env, input=stdin, capture_output=True,
                          text=True, check=False, cwd=ROOT)
    if check and proc.returncode != 0:
        raise RuntimeError(f"credence {' '.join(args)}: {proc.stderr.strip()}")
    return proc


def _fresh(work: Path, corpus: Path) -> dict[str, str]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    env = {**os.environ, "CREDENCE_DATA_DIR": str(work / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("CREDENCE_DATABASE_URL", None)
    env.pop("CREDENCE_REDIS_URL", None)
    _run(env, "init")
    ref = corpus / "reference" if (corpus / "reference").is_dir() else corpus
    for group, name in (("catalog", "courses"), ("standards", "standards"),
                        ("roster", "officers"), ("instructors", "instructors")):
        _run(env, group, "import", str(ref / f"{name}.csv"))
    _run(env, "users", "create", REVIEWER, "--role", "reviewer", "--password-stdin",
         stdin="bench-password-1\n")
    return env


def _ingest(env: dict[str, str], corpus: Path, files: list[str], stage: Path) -> None:
    """Ingest ``files`` (relative to docs/) from a folder that keeps their relative paths."""
    if stage.exists():
        shutil.rmtree(stage)
    for rel in files:
        target = stage / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        archive, sep, member = rel.partition(".zip/")
        if sep:  # a file inside a zip: taken out to a folder of the zip's name (same path)
            with zipfile.ZipFile(corpus / "docs" / f"{archive}.zip") as zf:
                target.write_bytes(zf.read(member))
        else:
            shutil.copyfile(corpus / "docs" / rel, target)
    if files:
        _run(env, "ingest", str(stage))


def _export(env: dict[str, str]) -> list[dict[str, Any]]:
    out = _run(env, "records", "export", "--format", "jsonl").stdout
    return [json.loads(line) for line in out.splitlines()]


def _truth_for(row: dict[str, Any], by_page: dict) -> dict[str, Any] | None:
    lines = by_page.get((row["source_filename"], row["page"]), [])
    if len(lines) == 1:
        return lines[0]
    badge = row.get("officer_badge_matched") or row.get("badge_number")
    for t in lines:
        if badge and _norm("badge_number", t["badge"]) == _norm("badge_number", badge):
            return t
    name = _norm("officer_name", row.get("officer_name"))
    return next((t for t in lines if name and _norm("officer_name", t["fields"]["officer_name"])
                 == name), None)


def decide_from_truth(env: dict[str, str], rows: list[dict[str, Any]], by_page: dict,
                      per_layout: int | None = None) -> int:
    """Decide the records waiting for review from their truth lines, at most ``per_layout``
    per layout (a sheet's first rows; the rest wait); returns decisions made."""
    decisions = 0
    made: dict[str, int] = defaultdict(int)
    for row in rows:
        if row["status"] != "needs_review":
            continue
        t = _truth_for(row, by_page)
        layout = t["layout"] if t is not None else row["source_filename"]
        if per_layout is not None and made[layout] >= per_layout:
            continue
        made[layout] += 1
        sets = []
        if t is not None:
            for name in FIELDS:
                want = t["fields"].get(name)
                if want is not None and _norm(name, row.get(name)) != _norm(name, want):
                    sets += ["--set", f"{name}={want}"]
        if t is not None and t["creditable"]:
            decision = _run(env, "review", "decide", row["record_id"], *sets, "--approve",
                            "--as", REVIEWER, check=False)
            decisions += 1
            if decision.returncode == 0:
                continue
        _run(env, "review", "decide", row["record_id"], "--reject",
             "not creditable according to the truth", "--as", REVIEWER, check=False)
        decisions += 1
    return decisions


# -- scoring -------------------------------------------------------------------------------


def score(rows: list[dict[str, Any]], truth: list[dict[str, Any]], files: set[str]) -> dict:
    """Straight-through per condition group, false credits, wrong verified fields."""
    by_page = defaultdict(list)
    for t in truth:
        if t["file"] in files:
            by_page[(t["file"], t["page"])].append(t)
    straight = defaultdict(lambda: [0, 0])
    false_credits, wrong = [], []
    seen = set()
    for row in rows:
        if row["source_filename"] not in files:
            continue
        t = _truth_for(row, by_page)
        if row["status"] == "verified":
            if t is None or not t["creditable"] or (
                    t["badge"] and row.get("officer_badge_matched") != t["badge"]):
                false_credits.append((row["source_filename"], row["page"], row["officer_name"]))
            elif t is not None:
                # the officer and badge credited are checked above (the roster's match)
                for name in ("training_date", "hours", "post_number", "course_title"):
                    want = _norm(name, t["fields"].get(name))
                    got = {_norm(name, row.get(name))}
                    if name == "post_number":  # a read slip the catalog's number mended
                        got.add(_norm(name, row.get("course_post_number_matched")))
                    if want is not None and want not in got:
                        wrong.append((row["source_filename"], name, row.get(name)))
        if t is not None and t["creditable"] and id(t) not in seen:
            seen.add(id(t))
            group = _GROUPS.get(t["condition"], "poor_scan")
            straight[group][0] += row["status"] == "verified"
    for t in truth:
        if t["file"] in files and t["creditable"]:
            straight[_GROUPS.get(t["condition"], "poor_scan")][1] += 1
    return {"straight_through": {g: f"{v[0]}/{v[1]}" + (f" ({v[0] / v[1]:.0%})" if v[1] else "")
                                 for g, v in sorted(straight.items())},
            "false_credits": false_credits, "verified_with_wrong_field": wrong}


def replay(corpus: Path, truth: list[dict[str, Any]], work: Path, first: int,
           kinds: tuple[str, ...], per_layout: int | None = None) -> dict[str, Any]:
    """Before and after learning, through the contract."""
    truth = [t for t in truth if t["kind"] in kinds]
    every = sorted({t["file"] for t in truth})
    firsts = first_documents(truth, first)
    rest = [f for f in every if f not in firsts]
    by_page = defaultdict(list)
    for t in truth:
        by_page[(t["file"], t["page"])].append(t)
    started = time.perf_counter()
    env = _fresh(work / "before", corpus)
    _ingest(env, corpus, every, work / "before" / "stage")
    before = score(_export(env), truth, set(rest))
    env = _fresh(work / "after", corpus)
    _ingest(env, corpus, sorted(firsts), work / "after" / "stage-first")
    decisions = decide_from_truth(env, _export(env), by_page, per_layout)
    _ingest(env, corpus, rest, work / "after" / "stage-rest")
    after = score(_export(env), truth, set(rest))
    return {"layouts": len({t["layout"] for t in truth}), "documents": len(every),
            "records_scored": sum(t["file"] in set(rest) for t in truth),
            "decided_documents": len(firsts), "decisions": decisions,
            "before": before, "after": after,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_layouts")
    parser.add_argument("--corpus", type=Path, help="replay this corpus (default: generate)")
    parser.add_argument("--truth", choices=("own", "agency"), default="own")
    parser.add_argument("--first", type=int, default=1, help="documents decided per layout")
    parser.add_argument("--styles", type=int, default=4)
    parser.add_argument("--copies", type=int, default=7)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--sheets", type=int, default=2, help="sign-in sheet forms generated")
    parser.add_argument("--decisions", type=int, default=2,
                        help="most decisions per layout (0: every record of the first documents)")
    parser.add_argument("--kinds", default="certificate,sign_in_sheet",
                        help="record kinds replayed (comma-separated)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "layouts")
    args = parser.parse_args(argv)
    corpus = args.corpus
    if corpus is None:
        from devtools.samplegen.forms import generate_form_corpus

        corpus = args.out / "corpus"
        if corpus.exists():
            shutil.rmtree(corpus)
        generate_form_corpus(corpus, args.seed, args.styles, args.copies,
                             ("clean", "good_scan", "fax", "skewed", "clean", "good_scan",
                              "blurred"), sheets=args.sheets)
    truth = own_truth(corpus) if args.truth == "own" else agency_truth(corpus)
    result = replay(corpus, truth, args.out / "work", args.first, tuple(args.kinds.split(",")),
                    args.decisions or None)
    report = json.dumps(result, indent=2, default=str)
    (args.out / "result.json").write_text(report + "\n")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
