"""Score Credence against a generated corpus's ground truth (``python -m devtools eval CORPUS``).

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
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from credence.config import Settings
from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema
from ingestion.errors import UsageError

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


def run_evaluation(
    corpus: Path, settings: Settings, json_out: str | None = None, keep: str | None = None
) -> int:
    """Ingest and score ``corpus``; print the report; return 0, or 1 on any false credit.

    The run uses a fresh data folder: a temporary one, or ``keep`` (left for inspection).
    """
    with tempfile.TemporaryDirectory(prefix="credence-eval-") as tmp:
        data = Path(keep) if keep else Path(tmp)
        if keep and data.exists() and any(data.iterdir()):
            raise UsageError(f"--keep folder {data} is not empty")
        data.mkdir(parents=True, exist_ok=True)
        eval_settings = dataclasses.replace(
            settings,
            data_dir=data,
            database_url=f"sqlite:///{data / 'eval.db'}",
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
        slots = _row_slots(session)
    for row in rows:
        row["file"] = f"docs/{row['source_filename']}"
        row["row"] = slots.get(row["record_id"], 0)
    return rows, seconds


def _row_slots(session: Any) -> dict[str, int]:
    """Record id -> the row it was read from (0 for certificates): truth lines carry ``row``."""
    from sqlalchemy import select

    from verification.models import TrainingRecord

    return dict(session.execute(select(TrainingRecord.id, TrainingRecord.row_index)).all())


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
    """Compare exported rows with the truth: certificates by (file, page), sheet rows by
    (file, page, row); sheet metrics are reported separately (``sheets``)."""
    sheet_truth = [t for t in truth if t.get("kind") == "sign_in_sheet"]
    truth = [t for t in truth if t.get("kind") != "sign_in_sheet"]
    sheet_files = {t["file"] for t in sheet_truth}
    metrics = _score_certificates(truth, [r for r in rows if r["file"] not in sheet_files])
    metrics["sheets"] = score_sheets(sheet_truth, [r for r in rows if r["file"] in sheet_files])
    corroboration = score_corroboration(truth, sheet_truth, rows)
    metrics["sheets"]["corroboration"] = corroboration
    # a corroborating certificate credited because its sheet row was not is credit counted
    # once, not a false credit; the same training credited twice is one
    metrics["false_credits"] = [fc for fc in metrics["false_credits"]
                                if fc["file"] not in corroboration["credited_by_certificate"]]
    # a later copy credited because the first copy of the same training was not is credit
    # counted once (the truth's "duplicate" assumed the first copy was read)
    in_place = credited_in_place(truth, rows)
    metrics["credited_in_place"] = [{"file": f, "page": p} for f, p, _ in sorted(in_place)]
    metrics["false_credits"] = [fc for fc in metrics["false_credits"]
                                if (fc["file"], fc["page"], 0) not in in_place]
    metrics["false_credits"] += metrics["sheets"]["false_credits"]
    metrics["false_credits"] += corroboration["credited_twice"]
    metrics["classification"] = score_classification(truth + sheet_truth, rows)
    excused = in_place | {(f, 1, 0) for f in corroboration["credited_by_certificate"]}
    metrics["by_layout"] = score_groups(truth + sheet_truth, rows, "layout", excused)
    metrics["by_condition"] = score_groups(truth + sheet_truth, rows, "condition", excused)
    metrics["overall"] = score_groups(truth + sheet_truth, rows, None, excused)["all"]
    return metrics


def credited_in_place(truth: list[dict[str, Any]],
                      rows: list[dict[str, Any]]) -> set[tuple[str, int, int]]:
    """Duplicates verified for the right officer whose original was not verified.

    The training is then credited once, by the later copy: not a false credit. Should the
    original be verified too, the pair stays a false credit (credited twice).
    """
    by_key = {(r["file"], r["page"], r.get("row", 0)): r for r in rows}
    out = set()
    for t in truth:
        original = t.get("duplicate_of")
        row = by_key.get((t["file"], t["page"], 0))
        if not original or row is None or row["status"] != "verified":
            continue
        officer = (t.get("expected_match") or {}).get("officer_badge")
        first = by_key.get((original["file"], original["page"], original.get("row", 0)))
        if officer and row.get("officer_badge_matched") == officer and (
                first is None or first["status"] != "verified"):
            out.add((t["file"], t["page"], 0))
    return out


def score_groups(truth: list[dict[str, Any]], rows: list[dict[str, Any]],
                 key: str | None, excused: set[tuple[str, int, int]] = frozenset()
                 ) -> dict[str, dict[str, Any]]:
    """The headline measures per value of a truth key (``layout``, ``condition``; ``None``:
    one group ``all``), certificates and sheet rows alike.

    ``recall``: training records (not memos) for which a record was exported;
    ``straight_through``: valid records verified; ``field_accuracy``: scored fields right
    over every exported record; ``false_credits``: records verified that must not be (or
    credited to another officer), except the ``excused`` keys (credit counted once).
    """
    by_key = {(r["file"], r["page"], r.get("row", 0)): r for r in rows}
    groups: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in truth:
        if t.get("kind") == "unknown":
            continue
        g = groups["all" if key is None else f"{t.get('kind')}/{t.get(key, '?')}"]
        row = by_key.get((t["file"], t["page"], t.get("row", 0)))
        g["records"] += 1
        g["found"] += row is not None
        valid = t.get("expected_status") == "verified"
        g["valid"] += valid
        g["verified"] += bool(valid and row and row["status"] == "verified")
        if row is None:
            continue
        g["false_credits"] += _false_credit(t, row) and (
            t["file"], t["page"], t.get("row", 0)) not in excused
        for name in SCORED_FIELDS:
            expected = (t.get("fields") or {}).get(name)
            if expected is not None:
                g["fields"] += 1
                g["fields_right"] += _norm(name, row.get(name)) == _norm(name, expected)
    return {k: {"records": g["records"], "recall": _ratio(g["found"], g["records"]),
                "straight_through": _ratio(g["verified"], g["valid"]),
                "straight_through_counts": [g["verified"], g["valid"]],
                "field_accuracy": _ratio(g["fields_right"], g["fields"]),
                "false_credits": g["false_credits"]}
            for k, g in sorted(groups.items())}


def _score_certificates(truth: list[dict[str, Any]],
                        rows: list[dict[str, Any]]) -> dict[str, Any]:
    by_key = defaultdict(list)
    for row in rows:
        by_key[(row["file"], row["page"])].append(row)
    fields = defaultdict(lambda: [0, 0])  # field -> [right, total]
    per_condition = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    verified_fields = [0, 0]
    straight = defaultdict(lambda: [0, 0])  # condition -> [verified, valid]
    false_credits, missed, wrong_fields, held = [], [], [], []
    for t in truth:
        got = by_key.get((t["file"], t["page"]), [])
        row = got[0] if got else None
        cond = t.get("condition", "?")
        if row is None:
            missed.append(t)
            if t.get("expected_status") == "verified":
                straight[cond][1] += 1
            continue
        if _false_credit(t, row):
            false_credits.append({"file": t["file"], "page": t["page"], "case": t.get("case"),
                                  "expected": t.get("expected_status"), "got": row["status"]})
        if t.get("expected_status") == "verified":
            straight[cond][1] += 1
            straight[cond][0] += row["status"] == "verified"
            if row["status"] != "verified":
                held.append({"file": t["file"], "page": t["page"], "condition": cond,
                             "reasons": row["reasons"]})
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
        "valid_held_for_review": held,
        "valid_held_reasons": dict(Counter(r for h in held for r in h["reasons"]).most_common()),
        "false_credits": false_credits,
    }


def _false_credit(t: dict[str, Any], row: dict[str, Any]) -> bool:
    """Credited although it must not be, or credited to another officer than the truth's."""
    if row["status"] != "verified":
        return False
    if t.get("expected_status") != "verified":
        return True
    expected = (t.get("expected_match") or {}).get("officer_badge")
    return bool(expected) and row.get("officer_badge_matched") != expected


#: Scan conditions grouped as the issue's targets are: born-digital, good scans, the rest.
_GROUPS = {"clean": "born_digital", "good_scan": "good_scan"}


def _group(condition: str) -> str:
    return _GROUPS.get(condition, "poor_scan")


def score_sheets(truth: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-row metrics of sign-in sheets, matched by (file, page, row).

    ``found_right_badge``: attendee rows (about a roster officer) that verification
    attributed to that officer (exported ``officer_badge_matched`` is the truth's), which is
    what "found with the right badge" means for the product; ``badge_read_as_printed``: the
    badge as read equals the badge printed (every row; OCR accuracy alone).
    ``straight_through``: valid rows verified; ``signatures``: per-row detection against
    the truth's ``signed``; ``official_signature``: per sheet, see
    :func:`_official_decisions`. Grouped by layout (typed / handwritten) and condition group.
    """
    by_key = {(r["file"], r["page"], r.get("row", 0)): r for r in rows}
    found = defaultdict(lambda: [0, 0])
    as_read = defaultdict(lambda: [0, 0])
    straight = defaultdict(lambda: [0, 0])
    sig = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "unread": 0})
    false_credits = []
    for t in truth:
        key = f"{'handwritten' if t.get('handwritten') else 'typed'}/{_group(t['condition'])}"
        row = by_key.get((t["file"], t["page"], t.get("row", 0)))
        expected = t["fields"]
        officer = (t.get("expected_match") or {}).get("officer_badge")
        found[key][1] += bool(officer)
        as_read[key][1] += 1
        if row is not None:
            found[key][0] += bool(officer) and row.get("officer_badge_matched") == officer
            as_read[key][0] += _norm("badge_number", row.get("badge_number")) == _norm(
                "badge_number", expected.get("badge_number"))
            if _false_credit(t, row):
                false_credits.append({"file": t["file"], "page": t["page"], "row": t.get("row"),
                                      "case": t.get("case"), "expected": t["expected_status"],
                                      "got": row["status"]})
        if t["expected_status"] == "verified":
            straight[key][1] += 1
            straight[key][0] += bool(row and row["status"] == "verified")
        _count_signature(sig[_group(t["condition"])], expected.get("signed"),
                         row.get("signed") if row else None)
    return {
        "rows_expected": len(truth),
        "rows_exported": len(rows),
        "found_right_badge": {k: _ratio(*v) for k, v in sorted(found.items())},
        "found_right_badge_counts": dict(sorted(found.items())),
        "badge_read_as_printed": {k: _ratio(*v) for k, v in sorted(as_read.items())},
        "badge_read_as_printed_counts": dict(sorted(as_read.items())),
        "official_signature": _official_decisions(truth, by_key),
        "straight_through": {k: _ratio(*v) for k, v in sorted(straight.items())},
        "straight_through_counts": dict(sorted(straight.items())),
        "signatures": {g: _signature_rates(c) for g, c in sorted(sig.items())},
        "false_credits": false_credits,
    }


def _official_decisions(truth: list[dict[str, Any]],
                        by_key: dict[tuple, dict[str, Any]]) -> dict[str, Any]:
    """Per sheet: was the training official's signature decided right?

    The export has no field for it, but the rule shows it: a row read as signed by the
    officer that still carries ``not_signed`` was held for the official's signature. A sheet
    is judged signed when such rows pass, unsigned when they are held, undecided when no row
    was read as signed.
    """
    sheets: dict[str, dict[str, Any]] = {}
    for t in truth:
        s = sheets.setdefault(t["file"], {"expected": t.get("official_signed", True),
                                          "held": 0, "passed": 0,
                                          "group": _group(t["condition"])})
        row = by_key.get((t["file"], t["page"], t.get("row", 0)))
        if row is None or row.get("signed") is not True:
            continue
        s["held" if "not_signed" in (row.get("reasons") or []) else "passed"] += 1
    out: dict[str, Any] = {}
    for s in sheets.values():
        c = out.setdefault(s["group"], {"tp": 0, "fp": 0, "fn": 0, "tn": 0, "unread": 0})
        got = None if not (s["held"] or s["passed"]) else s["passed"] > 0 and not s["held"]
        _count_signature(c, s["expected"], got)
    return {g: _signature_rates(c) for g, c in sorted(out.items())}


def score_corroboration(truth: list[dict[str, Any]], sheet_truth: list[dict[str, Any]],
                        rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sheet rows with a certificate of the same training: is the training credited once?

    Returns counts of pairs credited once, never, and (a false credit) twice; the pairs where
    the certificate was stored as the row's duplicate; and the certificate files whose
    credit stands in for a row that was not credited (credit counted once, not a false one).
    """
    by_key = {(r["file"], r["page"], r.get("row", 0)): r for r in rows}
    sheet_rows = {(t["file"], t["page"], t.get("row", 0)): t for t in sheet_truth}
    once = none = linked = held = 0
    twice: list[dict[str, Any]] = []
    by_certificate: set[str] = set()
    for t in truth:
        ref = t.get("corroborates")
        if not ref:
            continue
        key = (ref["file"], ref["page"], ref["row"])
        cert, row = by_key.get((t["file"], t["page"], 0)), by_key.get(key)
        officer = (t.get("expected_match") or {}).get("officer_badge")
        credited = [r for r in (row, cert) if r is not None and r["status"] == "verified"
                    and r.get("officer_badge_matched") == officer and key in sheet_rows]
        linked += bool(cert and row and cert["status"] == "duplicate"
                       and row["status"] == "verified")
        # the two disagree (hours, instructor, location): the later one goes to a person
        held += bool(cert and row and cert["status"] == "needs_review"
                     and row["status"] == "verified")
        if len(credited) == 1:
            once += 1
            if credited[0] is cert:
                by_certificate.add(t["file"])
        elif not credited:
            none += 1
        else:
            twice.append({"file": t["file"], "page": t["page"], "case": "corroboration",
                          "expected": "credited once", "got": "credited twice"})
    return {"pairs": once + none + len(twice), "credited_once": once, "credited_none": none,
            "credited_twice": twice, "certificate_is_duplicate": linked,
            "certificate_held_on_disagreement": held,
            "credited_by_certificate": sorted(by_certificate)}


def _count_signature(counts: dict[str, int], expected: bool | None, got: bool | None) -> None:
    if got is None:
        counts["unread"] += 1
    elif expected and got:
        counts["tp"] += 1
    elif got:
        counts["fp"] += 1
    elif expected:
        counts["fn"] += 1
    else:
        counts["tn"] += 1


def _signature_rates(c: dict[str, int]) -> dict[str, Any]:
    total = sum(c.values())
    return {**c, "accuracy": _ratio(c["tp"] + c["tn"], total),
            "precision": _ratio(c["tp"], c["tp"] + c["fp"]),
            "recall": _ratio(c["tp"], c["tp"] + c["fn"] + c["unread"])}


def score_classification(truth: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict:
    """Page classification: the kind exported for each page against the truth's kind."""
    expected = {(t["file"], t["page"]): t.get("kind", "certificate") for t in truth}
    got: dict[tuple[str, int], str] = {}
    for r in rows:
        got.setdefault((r["file"], r["page"]), r.get("document_kind") or "unknown")
    right = defaultdict(lambda: [0, 0])
    for key, kind in expected.items():
        right[kind][1] += 1
        # a page without any record (a document's later memo page) was read as not training
        right[kind][0] += got.get(key, "unknown") == kind
    total = [sum(v[0] for v in right.values()), sum(v[1] for v in right.values())]
    return {"accuracy": _ratio(*total), "by_kind": {k: _ratio(*v) for k, v in right.items()},
            "counts": dict(right)}


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
    lines.extend(_format_sheets(m))
    held = ", ".join(f"{k} {v}" for k, v in m["valid_held_reasons"].items()) or "none"
    lines.append(f"why valid records went to review: {held}")
    lines.extend(_format_groups(m))
    for c in m.get("credited_in_place", []):
        lines.append(f"  credited in place of an original that was not: {c['file']} "
                     f"p{c['page']} (credit counted once)")
    lines.append(f"false credits: {len(m['false_credits'])}")
    for fc in m["false_credits"]:
        lines.append(f"  FALSE CREDIT {fc['file']} p{fc['page']}: case {fc['case']}, "
                     f"expected {fc['expected']}, got {fc['got']}")
    return "\n".join(lines)


def _format_sheets(m: dict[str, Any]) -> list[str]:
    """The sign-in sheet and classification sections of the report."""
    lines = []
    cls = m.get("classification")
    if cls:
        kinds = ", ".join(f"{k} {_pct(v)}" for k, v in sorted(cls["by_kind"].items()))
        lines.append(f"page classification: {_pct(cls['accuracy'])} ({kinds})")
    s = m.get("sheets")
    if not s or not s["rows_expected"]:
        return lines
    lines.append(f"sign-in sheet rows: {s['rows_expected']} expected, "
                 f"{s['rows_exported']} exported")
    lines.append("  attendees found with the right badge (attributed to the roster officer):")
    for k, v in s["found_right_badge"].items():
        right, total = s["found_right_badge_counts"][k]
        lines.append(f"    {k:<26} {_pct(v):>7}  ({right}/{total})")
    lines.append("  badge as read = badge printed (OCR alone):")
    for k, v in s.get("badge_read_as_printed", {}).items():
        right, total = s["badge_read_as_printed_counts"][k]
        lines.append(f"    {k:<26} {_pct(v):>7}  ({right}/{total})")
    lines.append("  straight-through (valid rows verified):")
    for k, v in s["straight_through"].items():
        right, total = s["straight_through_counts"][k]
        lines.append(f"    {k:<26} {_pct(v):>7}  ({right}/{total})")
    lines.append("  signature detection per row:")
    for g, r in s["signatures"].items():
        lines.append(f"    {g:<14} accuracy {_pct(r['accuracy'])}, precision "
                     f"{_pct(r['precision'])}, recall {_pct(r['recall'])} "
                     f"(tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']} "
                     f"unread {r['unread']})")
    lines.append("  training official's signature per sheet:")
    for g, r in s.get("official_signature", {}).items():
        lines.append(f"    {g:<14} accuracy {_pct(r['accuracy'])} (signed read as signed "
                     f"{r['tp']}, unsigned read as unsigned {r['tn']}, unsigned read as signed "
                     f"{r['fp']}, signed held {r['fn']}, undecided {r['unread']})")
    c = s.get("corroboration")
    if c and c["pairs"]:
        lines.append(f"  corroboration (sheet row + certificate of the same training): "
                     f"{c['pairs']} pairs, credited once {c['credited_once']}, never "
                     f"{c['credited_none']}, twice {len(c['credited_twice'])}; certificate "
                     f"stored as the row's duplicate {c['certificate_is_duplicate']}, held for "
                     f"review on a disagreement {c.get('certificate_held_on_disagreement', 0)}")
    return lines


def _format_groups(m: dict[str, Any]) -> list[str]:
    """Recall, straight-through, field accuracy and false credits by layout and condition."""
    lines = []
    for title, groups in (("overall", {"all": m["overall"]} if m.get("overall") else {}),
                          ("by layout family", m.get("by_layout", {})),
                          ("by condition", m.get("by_condition", {}))):
        if not groups:
            continue
        lines.append(f"{title}:{'records':>30} {'recall':>8} {'straight':>16} "
                     f"{'fields':>8} {'false':>6}")
        for name, g in groups.items():
            right, total = g["straight_through_counts"]
            lines.append(f"  {name:<34} {g['records']:>5} {_pct(g['recall']):>8} "
                         f"{_pct(g['straight_through']):>7} ({right:>3}/{total:<3}) "
                         f"{_pct(g['field_accuracy']):>8} {g['false_credits']:>6}")
    return lines


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"
