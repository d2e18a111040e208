"""Log in and out; the home page sends each role where its work is."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

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
    """Show the login form, or log in and go where the user was headed.

    A locked account or address is refused before its password is checked (429); a wrong
    password is counted (review_ui.throttle) and may start a lockout.
    """
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "")
    throttle = current_app.extensions["credence_throttle"]
    lockout = throttle.lockout(username, request.remote_addr)
    if lockout is None:
        user = accounts.authenticate(db(), username, request.form.get("password", ""))
        if user is not None:
            throttle.succeeded(username)
            return _log_in(user)
        lockout = throttle.failed(username, request.remote_addr)
        if lockout is None:
            flash("Wrong username or password.", "error")
            return render_template("login.html", next=request.form.get("next", "")), 401
    flash(lockout.message(), "error")
    return render_template("login.html", next=request.form.get("next", "")), 429


def _log_in(user):
    token = accounts.start_session(db(), user, request.remote_addr)
    session.clear()  # a fresh session on login: no fixation
    session.permanent = True
    session["sid"] = token
    return redirect(_safe_next(request.form.get("next")) or url_for("auth.home"))


@bp.post("/logout")
def logout():
    """End the login on the server and forget it in the browser."""
    accounts.end_session(db(), session.get("sid"))
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
