"""Bulk upload: files and zips are streamed to disk, registered as one batch, read in the
background; the page then follows the batch's progress."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from ingestion.uploads import ACCEPTED_SUFFIXES, StagedUpload, register_uploads
from review_ui.web import db, requires, settings, wants_json

bp = Blueprint("upload", __name__)


def _stage(files) -> tuple[Path, list[StagedUpload]]:
    """Save each uploaded file under its own folder, keeping the browser's file name."""
    root = Path(current_app.config["UPLOAD_STAGING"]) / uuid.uuid4().hex
    staged = []
    for i, f in enumerate(files):
        name = (f.filename or "").replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "")
        folder = root / str(i)
        folder.mkdir(parents=True)
        path = folder / (name if name not in ("", ".", "..") else "unnamed")
        f.save(path)
        staged.append(StagedUpload(name, path))
    return root, staged


@bp.get("/upload")
@requires("upload")
def form():
    """The upload page (drag-and-drop or the picker)."""
    return render_template("upload.html", accepted=ACCEPTED_SUFFIXES)


@bp.post("/upload")
@requires("upload")
def submit():
    """Store and register the files as one batch, start reading, follow progress."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    if not files:
        return _refuse("Choose at least one file to upload.", [])
    root, staged = _stage(files)
    try:
        result = register_uploads(db(), settings(), staged, g.user.username)
        if result.batch_id is None:
            return _refuse("None of the files can be read by Credence.", result.refused)
        db().commit()  # the documents exist before any job looks for them
    finally:
        shutil.rmtree(root, ignore_errors=True)
    current_app.extensions["credence_submitter"].submit(result.queued_ids)
    progress = url_for("batches.show", batch_id=result.batch_id)
    if wants_json():
        refused = [{"filename": n, "error": e} for n, e in result.refused]
        return {"batch_id": result.batch_id, "url": progress, "refused": refused}, 202
    for name, why in result.refused:
        flash(f"{name}: {why}", "error")
    return redirect(progress)


def _refuse(message: str, refused: list[tuple[str, str]]):
    if wants_json():
        return {"error": message, "refused": [{"filename": n, "error": e} for n, e in refused]}, 400
    for name, why in refused:
        flash(f"{name}: {why}", "error")
    flash(message, "error")
    return render_template("upload.html", accepted=ACCEPTED_SUFFIXES), 400
