"""App factory: builds the Flask app from settings; nothing is built at import time."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, abort, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory
from ingestion import browse
from ingestion.orphans import find_orphans
from ingestion.uploads import make_submitter
from review_ui import dashboard, web
from review_ui.blueprints import admin, auth, batches, layouts, queue, records, review, upload
from review_ui.ids import BoundedIntConverter, SafeStringConverter, has_nul
from review_ui.throttle import make_throttle

log = logging.getLogger(__name__)

SESSION_HOURS = 8
# Everything is served from this origin: no CDN, no inline script (the CSP forbids both).
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


def _secret_key(settings: Settings) -> str:
    """A random key kept in the data folder, so sessions survive a restart."""
    path = settings.data_dir / "secret_key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def create_app(settings: Settings | None = None, config: dict[str, Any] | None = None) -> Flask:
    """Create the web app for ``settings`` (default: from the environment).

    Args:
        settings: where the data and the database are.
        config: Flask settings to override (tests set ``SESSION_COOKIE_SECURE`` etc.).
    """
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config.update(
        CREDENCE_SETTINGS=settings,
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=True,
        # Idle timeout: the cookie lapses SESSION_HOURS after the last request ...
        PERMANENT_SESSION_LIFETIME=timedelta(hours=SESSION_HOURS),
        # ... and absolute timeout: a login is good for SESSION_HOURS at most (web.load_user).
        CREDENCE_SESSION_MAX_AGE=SESSION_HOURS * 3600,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        UPLOAD_STAGING=str(settings.data_dir / "uploads"),
    )
    app.config.update(config or {})
    CSRFProtect(app)
    engine = make_engine(settings.database_url)
    app.extensions["credence_sessions"] = make_session_factory(engine)
    app.extensions["credence_submitter"] = make_submitter(settings)
    app.extensions["credence_throttle"] = make_throttle(
        settings, app.extensions["credence_sessions"]
    )
    if not settings.redis_url:
        _resume_uploads(app)
    Path(app.config["UPLOAD_STAGING"]).mkdir(parents=True, exist_ok=True)
    _register_hooks(app)
    # Every <int:...> in a route is bounded (review_ui.ids); set before the routes are added.
    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = app.url_map.converters["string"] = SafeStringConverter
    for bp in (
        auth.bp, upload.bp, batches.bp, queue.bp, review.bp, records.bp, admin.bp, dashboard.bp,
        layouts.bp,
    ):
        app.register_blueprint(bp)

    @app.get("/healthz")
    def healthz():
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    return app


def _resume_uploads(app: Flask) -> None:
    """Embedded mode: submit again what a previous run of the server left queued, and any
    document a process that has ended left queued or processing."""
    try:
        with app.extensions["credence_sessions"]() as session:
            ids = list(dict.fromkeys(browse.queued_upload_ids(session) + find_orphans(session)))
    except DBAPIError as e:  # no schema yet (`credence init` not run): nothing to resume
        log.warning("cannot look for queued uploads: %s", e.orig)
        return
    if ids:
        log.info("resuming %d queued uploads", len(ids))
        app.extensions["credence_submitter"].submit(ids)


def _refuse_nul() -> None:
    # PostgreSQL refuses a NUL byte in a text value with an error: a bad request, not a 500.
    if has_nul(request.args.values()) or has_nul(request.form.values()):
        abort(400)


def _register_hooks(app: Flask) -> None:
    app.before_request(_refuse_nul)
    app.before_request(web.load_user)
    app.after_request(_finish_request)
    app.teardown_request(web.close_session)
    app.context_processor(lambda: {"current_user": g.get("user"), "roles": web.user_roles()})

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return _error(
            400,
            "The form was missing its security token or it had expired. "
            "Reload the page and try again; nothing was changed.",
        )

    @app.errorhandler(413)
    def too_large(e):
        mb = app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
        return _error(
            413,
            f"The upload is larger than the limit of {mb:.0f} MB; nothing was "
            "stored. Upload fewer or smaller files at a time.",
        )

    @app.errorhandler(403)
    def forbidden(e):
        return _error(403, "Your account's role does not allow this page.")

    @app.errorhandler(404)
    def not_found(e):
        return _error(404, "There is no such page, or it is not in your scope.")

    @app.errorhandler(405)
    def bad_method(e):
        return _error(405, "This page does not accept that kind of request.")


def _error(status: int, message: str):
    if web.wants_json():
        return {"error": message, "status": status}, status
    return render_template("error.html", status=status, message=message), status


def _finish_request(response):
    # Commit only what succeeded: a refused request (4xx/5xx) changes nothing.
    web.commit_if_ok(response.status_code)
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    hsts = web.settings().hsts_seconds
    if request.is_secure and hsts > 0:
        # Only over HTTPS (RFC 6797 7.2): behind a TLS proxy named in CREDENCE_TRUSTED_PROXY,
        # whose X-Forwarded-Proto the production server believes.
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={hsts}; includeSubDomains"
        )
    return response
