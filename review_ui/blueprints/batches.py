"""Batches with their counts, upload progress, documents with their pages and records."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)

from ingestion import browse
from ingestion.models import Page
from ingestion.service import count_rereadable, requeue_failed, rereadable
from reports.batches import batch_report
from reports.records import batch_labels
from review_ui.web import db, requires, scope_owner

bp = Blueprint("batches", __name__)


@bp.get("/batches")
@requires("see_batches")
def index():
    """Batches with their counts (a clerk: their own)."""
    batches = browse.list_batches(db(), scope_owner())
    names = batch_labels(db(), [s.batch for s in batches])
    return render_template("batches.html", batches=batches, names=names)


def _batch_or_404(batch_id: str):
    batch = browse.find_batch(db(), batch_id, scope_owner())
    if batch is None:
        abort(404)
    return batch


@bp.get("/batches/<batch_id>")
@requires("see_batches")
def show(batch_id: str):
    """One batch: every file's progress, updated by the page's script."""
    batch = _batch_or_404(batch_id)
    return render_template(
        "batch.html",
        batch=batch,
        name=batch_labels(db(), [batch])[batch.id],
        progress=browse.batch_progress(db(), batch),
        files=batch_report(db(), batch),
        rereadable=count_rereadable(db(), batch.id),
    )


@bp.post("/batches/<batch_id>/read-again")
@requires("upload")
def read_batch_again(batch_id: str):
    """Read again every document of the batch whose reading failed."""
    batch = _batch_or_404(batch_id)
    return _read_again(requeue_failed(db(), batch_id=batch.id), batch.id)


@bp.post("/documents/<document_id>/read-again")
@requires("upload")
def read_document_again(document_id: str):
    """Read a document whose reading failed again."""
    doc = browse.find_document(db(), document_id, scope_owner())
    if doc is None:
        abort(404)
    return _read_again(requeue_failed(db(), document_ids=[doc.id]), doc.batch_id)


def _read_again(ids: list[str], batch_id: str | None):
    if not ids:
        flash("Only a document whose reading failed can be read again.", "error")
    else:
        db().commit()  # queued before any worker looks
        current_app.extensions["credence_submitter"].submit(ids)
        flash(f"Reading {len(ids)} document(s) again.", "info")
    if batch_id is None:
        return redirect(url_for("batches.index"))
    return redirect(url_for("batches.show", batch_id=batch_id))


@bp.get("/batches/<batch_id>/progress")
@requires("see_batches")
def progress(batch_id: str):
    """The batch's progress as JSON (polled)."""
    return browse.batch_progress(db(), _batch_or_404(batch_id))


@bp.get("/documents/<document_id>")
@requires("see_batches")
def document(document_id: str):
    """A document: its records and each page with the words read."""
    doc = browse.find_document(db(), document_id, scope_owner())
    if doc is None:
        abort(404)
    return render_template(
        "document.html",
        doc=doc,
        can_read_again=rereadable(doc),
        pages=browse.document_pages(db(), doc),
        records=browse.document_records(db(), doc),
    )


@bp.get("/pages/<int:page_id>/image")
@requires("see_batches")
def page_image(page_id: int):
    """The image of a page as it was read."""
    page = db().get(Page, page_id)
    if page is None or not page.image_path:
        abort(404)
    if browse.find_document(db(), page.document_id, scope_owner()) is None:
        abort(404)
    response = send_file(page.image_path, mimetype="image/jpeg", max_age=0)
    # A page image shows an officer's personal data: no shared cache may keep it, and the
    # browser keeps no copy either (issue 19; it was "public, max-age=3600").
    response.headers["Cache-Control"] = "private, no-store"
    return response
