"""Score Credence against a generated corpus's ground truth (``credence eval CORPUS``).

Ingests ``CORPUS/docs`` into a fresh data folder with the corpus's reference data, then
compares every exported record with ``CORPUS/truth.jsonl``: field accuracy per field and
per scan condition, straight-through rate of valid records, and false credits (records
verified that the truth says must not be) listed one by one.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from credence.config import Settings
from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema

SCORED_FIELDS = (
    "officer_name",
    "badge_number",
    "training_date",
    "hours",
    "post_number",
    "course_title",
    "instructor_name",
    "location",
)


def run_evaluation(corpus: Path, settings: Settings, json_out: str | None = None) -> int:
    """Ingest and score ``corpus``; print the report; return 0, or 1 on any false credit."""
    with tempfile.TemporaryDirectory(prefix="credence-eval-") as tmp:
        eval_settings = dataclasses.replace(
            settings,
            data_dir=Path(tmp),
            database_url=f"sqlite:///{Path(tmp) / 'eval.db'}",
            redis_url=None,
        )
        rows, seconds = ingest_corpus(corpus, eval_settings)
    truth = [json.loads(line) for line in (corpus / "truth.jsonl").read_text().splitlines() if line]
    metrics = score(truth, rows)
    metrics["seconds"] = round(seconds, 1)
    print(format_report(metrics))
    if json_out:
        Path(json_out).write_text(json.dumps(metrics, indent=2, default=str))
    return 1 if metrics["false_credits"] else 0


def ingest_corpus(corpus: Path, settings: Settings) -> tuple[list[dict[str, Any]], float]:
    """Load the corpus's reference CSVs, ingest its documents, return exported rows."""
    from course_catalog import importers
    from ingestion.runner import make_runner
    from ingestion.service import ingest_paths
    from reports.records_export import export_rows

    upgrade_schema(settings.database_url)
    sessions = make_session_factory(make_engine(settings.database_url))
    ref = corpus / "reference"
    with session_scope(sessions) as session:
        importers.import_courses(session, ref / "courses.csv")
        importers.import_standards(session, ref / "standards.csv")
        importers.import_officers(session, ref / "officers.csv")
        importers.import_instructors(session, ref / "instructors.csv")
    started = time.perf_counter()
    ingest_paths(sessions, settings, make_runner(settings), [corpus / "docs"])
    seconds = time.perf_counter() - started
    with sessions() as session:
        rows = list(export_rows(session))
    for row in rows:
        row["file"] = f"docs/{row['source_filename']}"
    return rows, seconds


def _norm(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field == "hours":
        return round(float(value), 2)
    text = " ".join(str(value).replace(",", " ").split()).lower()
    if field in ("post_number", "badge_number"):
        return text.replace(" ", "").replace("#", "")
    return text.replace(".", "")


def score(truth: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare exported rows with the truth, record by (file, page)."""
    by_key = defaultdict(list)
    for row in rows:
        by_key[(row["file"], row["page"])].append(row)
    fields = defaultdict(lambda: [0, 0])  # field -> [right, total]
    per_condition = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    verified_fields = [0, 0]
    straight = defaultdict(lambda: [0, 0])  # condition -> [verified, valid]
    false_credits, missed, wrong_fields = [], [], []
    for t in truth:
        got = by_key.get((t["file"], t["page"]), [])
        row = got[0] if got else None
        cond = t.get("condition", "?")
        if row is None:
            missed.append(t)
            if t.get("expected_status") == "verified":
                straight[cond][1] += 1
            continue
        if row["status"] == "verified" and t.get("expected_status") != "verified":
            false_credits.append({"file": t["file"], "page": t["page"], "case": t.get("case"),
                                  "expected": t.get("expected_status"), "got": row["status"]})
        if t.get("expected_status") == "verified":
            straight[cond][1] += 1
            straight[cond][0] += row["status"] == "verified"
        for name in SCORED_FIELDS:
            expected = (t.get("fields") or {}).get(name)
            if expected is None:
                continue
            ok = _norm(name, row.get(name)) == _norm(name, expected)
            fields[name][0] += ok
            fields[name][1] += 1
            per_condition[cond][name][0] += ok
            per_condition[cond][name][1] += 1
            if row["status"] == "verified":
                verified_fields[0] += ok
                verified_fields[1] += 1
                if not ok:
                    wrong_fields.append({"file": t["file"], "field": name,
                                         "expected": expected, "got": row.get(name)})
    return {
        "records_expected": len(truth),
        "records_exported": len(rows),
        "missed": [{"file": t["file"], "page": t["page"]} for t in missed],
        "field_accuracy": {k: _ratio(*v) for k, v in fields.items()},
        "field_accuracy_by_condition": {
            c: {k: _ratio(*v) for k, v in d.items()} for c, d in per_condition.items()
        },
        "verified_field_accuracy": _ratio(*verified_fields),
        "verified_wrong_fields": wrong_fields,
        "straight_through": {c: _ratio(*v) for c, v in straight.items()},
        "straight_through_counts": {c: v for c, v in straight.items()},
        "false_credits": false_credits,
    }


def _ratio(right: int, total: int) -> float | None:
    return round(right / total, 4) if total else None


def format_report(m: dict[str, Any]) -> str:
    """The metrics as a plain-text table."""
    lines = [f"records: {m['records_expected']} expected, {m['records_exported']} exported, "
             f"{len(m['missed'])} not found; ingest took {m.get('seconds', '?')} s", ""]
    conditions = sorted(m["field_accuracy_by_condition"])
    header = "".join(c[:10].rjust(11) for c in conditions)
    lines.append("field accuracy".ljust(18) + "all".rjust(8) + header)
    for name in SCORED_FIELDS:
        if name not in m["field_accuracy"]:
            continue
        cells = [_pct(m["field_accuracy_by_condition"][c].get(name)) for c in conditions]
        lines.append(name.ljust(18) + _pct(m["field_accuracy"][name]).rjust(8)
                     + "".join(x.rjust(11) for x in cells))
    lines.append("")
    lines.append(f"field accuracy on verified records: {_pct(m['verified_field_accuracy'])}")
    for w in m["verified_wrong_fields"][:20]:
        lines.append(f"  wrong on a verified record: {w['file']} {w['field']}: "
                     f"expected {w['expected']!r}, got {w['got']!r}")
    lines.append("straight-through (valid records verified):")
    for c in sorted(m["straight_through"]):
        right, total = m["straight_through_counts"][c]
        lines.append(f"  {c:<14} {_pct(m['straight_through'][c]):>7}  ({right}/{total})")
    lines.append(f"false credits: {len(m['false_credits'])}")
    for fc in m["false_credits"]:
        lines.append(f"  FALSE CREDIT {fc['file']} p{fc['page']}: case {fc['case']}, "
                     f"expected {fc['expected']}, got {fc['got']}")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"
