"""Records for reviewers and supervisors: search, export of what was found, the audit trail."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file

from reports import records_export
from reports.records import (
    RecordFilters,
    audit_actions,
    audit_actors,
    audit_events,
    search_records,
)
from review_ui.web import db, requires
from verification.models import RecordStatus
from verification.reasons import Reason

bp = Blueprint("records", __name__)

PAGE_SIZE = 100
STATUSES = (
    RecordStatus.VERIFIED,
    RecordStatus.NEEDS_REVIEW,
    RecordStatus.REJECTED,
    RecordStatus.DUPLICATE,
)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _text(name: str) -> str | None:
    return (request.args.get(name) or "").strip()[:200] or None


def parse_record_filters(args) -> RecordFilters:
    """Search filters from a query string; unknown or malformed values are ignored."""
    status = args.get("status") or None
    reason = args.get("reason") or None
    return RecordFilters(
        officer=_text("officer"),
        badge=_text("badge"),
        file=_text("file"),
        course=_text("course"),
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        status=status if status in STATUSES else None,
        reason=reason if reason in {r.value for r in Reason} else None,
    )


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


@bp.get("/records")
@requires("review")
def index():
    """Search the records; a page of them, and the export of the whole filtered set."""
    filters = parse_record_filters(request.args)
    page = _page()
    rows = list(search_records(db(), filters))
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "records.html",
        filters=filters,
        rows=shown,
        total=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PAGE_SIZE)),
        args=args,
        statuses=STATUSES,
        reasons=list(Reason),
    )


@bp.get("/records.<fmt>")
@requires("review")
def export(fmt: str):
    """The filtered records as CSV or XLSX (the contract's export fields)."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    rows = search_records(db(), parse_record_filters(request.args))
    name = f"records-{date.today().isoformat()}.{fmt}"
    if fmt == "csv":
        text = io.StringIO()
        records_export.write_csv(rows, text)
        body = io.BytesIO(text.getvalue().encode("utf-8"))
        return send_file(body, mimetype="text/csv", as_attachment=True, download_name=name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        records_export.write_xlsx(rows, path)
        body = io.BytesIO(path.read_bytes())
    return send_file(
        body,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=name,
    )


@bp.get("/audit")
@requires("review")
def audit():
    """Who did what, when, to which record, across all records; newest first."""
    page = _page()
    actor, action = _text("actor"), _text("action")
    record_id = _text("record")
    people = request.args.get("people") == "1"
    lines, total = audit_events(
        db(),
        actor=actor,
        action=action,
        record_id=record_id,
        people_only=people,
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "audit.html",
        lines=lines,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=args,
        actors=audit_actors(db()),
        actions=audit_actions(db()),
        chosen={"actor": actor, "action": action, "record": record_id, "people": people},
    )
