"""Admin page of learned layouts (issue 17): thumbnail, source documents, uses, how often
reviewers then changed a field, and delete."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for

from review_ui.web import db, requires
from verification import layouts
from verification.models import LearnedLayout

bp = Blueprint("layouts", __name__, url_prefix="/admin/layouts")


@bp.get("")
@requires("admin")
def index():
    """Every learned layout."""
    return render_template("admin_layouts.html", layouts=layouts.layout_summaries(db()))


@bp.get("/<int:layout_id>/thumbnail")
@requires("admin")
def thumbnail(layout_id: int):
    """The page image the layout was first learned from."""
    layout = db().get(LearnedLayout, layout_id)
    if layout is None or not layout.thumbnail_path:
        abort(404)
    response = send_file(layout.thumbnail_path, mimetype="image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # an officer's personal data
    return response


@bp.post("/<int:layout_id>/delete")
@requires("admin")
def delete(layout_id: int):
    """Forget a layout: later documents of that form get the general reading."""
    if not layouts.delete_layout(db(), layout_id):
        abort(404)
    db().commit()
    flash(f"Layout {layout_id} deleted; later documents of that form are read without it.",
          "info")
    return redirect(url_for("layouts.index"))
