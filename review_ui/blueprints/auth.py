"""Log in and out; the home page sends each role where its work is."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from review_ui import accounts
from review_ui.web import db, requires

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    # Only a path on this site: never an open redirect to another host.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form, or log in and go where the user was headed."""
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    user = accounts.authenticate(
        db(), request.form.get("username", ""), request.form.get("password", "")
    )
    if user is None:
        flash("Wrong username or password.", "error")
        return render_template("login.html", next=request.form.get("next", "")), 401
    session.clear()  # a fresh session on login: no fixation
    session.permanent = True
    session.update(user_id=user.id, login_at=datetime.now(UTC).timestamp())
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.home"))


@bp.post("/logout")
def logout():
    """Forget the login."""
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.get("/")
@requires("see_batches")
def home():
    """Send each role to where its work is."""
    if g.user.role == "reviewer":
        return redirect(url_for("queue.index"))
    if g.user.role == "clerk":
        return redirect(url_for("upload.form"))
    return redirect(url_for("batches.index"))
