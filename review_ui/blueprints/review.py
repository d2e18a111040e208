"""One flagged record: the scan with the fields boxed, the reasons, the candidates, and the
decisions (approve, preview a correction, save it, reject), then the next record opens."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from ingestion import browse
from ingestion.models import Document
from reports.records import describe_change
from review_ui import candidates, presenters
from review_ui.blueprints.queue import parse_filters
from review_ui.ids import parse_id
from review_ui.web import db, requires
from verification import review
from verification.models import TrainingRecord

bp = Blueprint("review", __name__)

ACTIONS = ("approve", "preview", "correct", "reject")


def _record_or_404(record_id: str) -> TrainingRecord:
    record = db().get(TrainingRecord, record_id)
    if record is None:
        abort(404)
    return record


def _render(record: TrainingRecord, status: int = 200, form_values=None, **extra):
    page = browse.record_page(db(), record)
    history = review.record_history(db(), record.id)
    context = presenters.review_context(record, page, history, form_values)
    document = db().get(Document, record.document_id)
    choices = candidates.review_choices(
        db(), record.fields or {}, record.explanation or {}, list(record.reasons or [])
    )
    picked = {k: (form_values or {}).get(f"{k}_id", "") for k in ("officer", "course")}
    context.update(
        query=request.values.get("q", request.query_string.decode()),
        document=document,
        choices=choices,
        picked=picked,
        **extra,
    )
    return render_template("review.html", **context), status


@bp.get("/review/<record_id>")
@requires("review")
def show(record_id: str):
    """The review page of one record."""
    return _render(_record_or_404(record_id))


@bp.get("/records/<record_id>")
@requires("review")
def history(record_id: str):
    """A record's full history (append-only; never edited here)."""
    record = _record_or_404(record_id)
    events = review.record_history(db(), record.id)
    changes = {e.id: describe_change(e.before, e.after) for e in events}
    return render_template("record.html", record=record, events=events, changes=changes)


def _form_changes() -> dict[str, str | None]:
    return {
        n: request.form.get(f"field_{n}")
        for n in review.EDITABLE_FIELDS
        if f"field_{n}" in request.form
    }


def _int_or_none(name: str) -> int | None:
    """An optional id from the form: absent is ``None``, malformed or out of range is 400."""
    raw = request.form.get(name, "")
    if not raw:
        return None
    value = parse_id(raw)
    if value is None:
        abort(400)
    return value


@bp.post("/review/<record_id>")
@requires("review")
def decide(record_id: str):
    """Approve, preview a correction, save it, or reject; then the next record."""
    record = _record_or_404(record_id)
    action = request.form.get("action")
    version = parse_id(request.form.get("version"))
    if action not in ACTIONS or version is None:
        abort(400)
    picks = {"officer_id": _int_or_none("officer_id"), "course_id": _int_or_none("course_id")}
    try:
        if action == "preview":
            result = review.preview_correction(db(), record, _form_changes(), **picks)
            summary = presenters.preview_summary(result)
            return _render(record, preview=summary, form_values=request.form)
        _decide(record, action, version, picks)
    except review.RecordChangedError as e:
        db().rollback()
        return _render(db().get(TrainingRecord, record_id), 409, error=str(e))
    except review.ReviewError as e:
        db().rollback()
        return _render(
            db().get(TrainingRecord, record_id), 422, error=str(e), form_values=request.form
        )
    flash(f"Record {record.id}: {action_done(action)}; it is now {record.status}.", "info")
    return redirect(_next_url(record.id))


def action_done(action: str) -> str:
    """Past tense of a decision, for the message after it."""
    return {"approve": "approved", "correct": "corrected and verified again", "reject": "rejected"}[
        action
    ]


def _decide(record: TrainingRecord, action: str, version: int, picks: dict) -> None:
    actor, note = g.user.username, (request.form.get("note") or "").strip() or None
    if action == "approve":
        review.approve_record(
            db(), record, _form_changes(), actor=actor, expected_version=version, note=note, **picks
        )
    elif action == "correct":
        review.correct_record(
            db(), record, _form_changes(), actor=actor, expected_version=version, why=note, **picks
        )
    else:
        review.reject_record(
            db(),
            record,
            actor=actor,
            expected_version=version,
            reason=presenters.reject_reason(
                request.form.get("reject_preset"), request.form.get("reject_reason")
            ),
        )


def _next_url(done_id: str) -> str:
    """The oldest record still waiting under the same filters, or the queue when none is."""
    query = request.form.get("q", "")
    filters = parse_filters(MultiDict(parse_qsl(query)))
    next_id = browse.next_in_queue(db(), filters, done_id)
    suffix = f"?{query}" if query else ""
    if next_id is None:
        return url_for("queue.index") + suffix
    return url_for("review.show", record_id=next_id) + suffix
