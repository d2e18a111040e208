"""The review queue: needs_review records, filterable, oldest first, with counts per reason."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Blueprint, render_template, request

from course_catalog import browse as catalog
from ingestion import browse
from reports.records import batch_labels, record_sources
from review_ui.ids import parse_id
from review_ui.web import db, requires
from verification.reasons import Reason

bp = Blueprint("queue", __name__)


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def parse_filters(args) -> browse.QueueFilters:
    """Queue filters from a query string; unknown or malformed values are ignored."""
    reason = args.get("reason") or None
    course = args.get("course", "")
    return browse.QueueFilters(
        reason=reason if reason in {r.value for r in Reason} else None,
        course_id=parse_id(course),
        state=(args.get("state") or "").strip().upper()[:2] or None,
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to")),
        batch_id=(args.get("batch") or "").strip() or None,
    )


@bp.get("/queue")
@requires("review")
def index():
    """The review queue, filtered, oldest first, with counts per reason."""
    filters = parse_filters(request.args)
    records, per_reason = browse.review_queue(db(), filters)
    batches = browse.list_batches(db(), None, limit=100)
    return render_template(
        "queue.html",
        records=records,
        sources=record_sources(db(), records),
        batches=batches,
        batch_names=batch_labels(db(), [s.batch for s in batches]),
        now=datetime.now(UTC),
        per_reason=per_reason,
        filters=filters,
        reasons=list(Reason),
        courses=catalog.list_rows(db(), "courses"),
        query=request.query_string.decode(),
    )
