"""Request plumbing shared by the blueprints: the session, the user, role checks."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from sqlalchemy.orm import Session

from credence.config import Settings
from review_ui import accounts

# Which roles may do what. An admin may do everything a reviewer or a clerk may.
CAN = {
    "upload": ("clerk", "admin"),
    "see_batches": ("clerk", "reviewer", "admin"),
    "review": ("reviewer", "admin"),
    "admin": ("admin",),
}


def settings() -> Settings:
    """The app's Credence settings."""
    return current_app.config["CREDENCE_SETTINGS"]


def db() -> Session:
    """This request's database session (opened on first use, committed by the app)."""
    if "db" not in g:
        g.db = current_app.extensions["credence_sessions"]()
    return g.db


def commit_if_ok(status: int) -> None:
    """Commit the request's session when the response is a success, else roll back."""
    s = g.pop("db", None)
    if s is None:
        return
    try:
        if status < 400:
            s.commit()
        else:
            s.rollback()
    finally:
        s.close()


def close_session(exc: BaseException | None) -> None:
    """Teardown: whatever happened, the session is closed (rolled back if not committed)."""
    s = g.pop("db", None)
    if s is not None:
        s.rollback()
        s.close()


def wants_json() -> bool:
    """The caller is the page's script (fetch), not a browser navigation."""
    accept = request.accept_mimetypes
    return request.is_json or accept.best == "application/json"


def load_user() -> None:
    """Before each request: the logged-in user, unless the login ended on the server.

    The cookie carries only a login's token (``sid``); the login itself is a row of
    ``user_sessions``, removed by logout, by a password change or deactivation of the
    account, and treated as ended once older than ``CREDENCE_SESSION_MAX_AGE`` seconds.
    """
    g.user = None
    token = session.get("sid")
    if token is None:
        return
    max_age = timedelta(seconds=current_app.config["CREDENCE_SESSION_MAX_AGE"])
    user = accounts.session_user(db(), token, max_age)
    if user is None:
        session.clear()
        g.session_expired = True
        return
    g.user = user


def user_roles() -> tuple[str, ...]:
    """The capabilities (keys of CAN) the current user has."""
    user = g.get("user")
    if user is None:
        return ()
    return tuple(k for k, roles in CAN.items() if user.role in roles)


def requires(capability: str) -> Callable:
    """Decorator: the view needs a logged-in user whose role has ``capability``.

    Not logged in (or the session expired): the login page, or 401 for the page's scripts.
    Logged in with the wrong role: 403. Checked on the server for every request.
    """

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def check(*args, **kwargs):
            if g.get("user") is None:
                if wants_json():
                    return {"error": "not logged in or the session expired"}, 401
                if g.get("session_expired"):
                    flash("Your session expired; log in again.", "error")
                return redirect(url_for("auth.login", next=request.full_path))
            if g.user.role not in CAN[capability]:
                abort(403)
            return view(*args, **kwargs)

        return check

    return wrap


def scope_owner() -> str | None:
    """A clerk sees only their own batches; reviewers and admins see all (``None``)."""
    user = g.get("user")
    return user.username if user is not None and user.role == "clerk" else None
