"""The compliance dashboard, officer profiles and one-click exports (reports/ does the work)."""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, render_template, request, send_file

from reports import exports
from reports.compliance import roster_compliance
from reports.dashboard import OfficerNotFoundError, dashboard_summary, officer_profile
from reports.deadlines import deadline_rows, review_backlog
from review_ui.web import db, requires

bp = Blueprint("dashboard", __name__)

_MEDIA = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _as_of() -> date:
    raw = request.args.get("as_of", "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400)


def _filters() -> dict[str, str | None]:
    return {k: request.args.get(k) or None for k in ("unit", "role", "state")}


PAGE_SIZE = 50


def _page() -> int:
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 100_000)) if raw.isdigit() else 1


@bp.get("/dashboard")
@requires("review")
def index():
    summary = dashboard_summary(db(), _as_of(), **_filters())
    status = request.args.get("status") or None
    status = status if status in summary.counts else None
    name = (request.args.get("q") or "").strip()[:100] or None
    rows = deadline_rows(summary, status=status, name=name)
    page = _page()
    return render_template(
        "dashboard.html",
        summary=summary,
        formats=exports.FORMATS,
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=max(1, -(-len(rows) // PAGE_SIZE)),
        status=status,
        name=name,
        backlog=review_backlog(db()),
    )


@bp.get("/officers/<badge>")
@requires("review")
def officer(badge: str):
    try:
        profile = officer_profile(db(), badge, _as_of())
    except OfficerNotFoundError:
        abort(404)
    return render_template("officer.html", profile=profile, formats=exports.FORMATS)


@bp.get("/reports/compliance.<fmt>")
@requires("review")
def compliance_export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    as_of = _as_of()
    statuses = roster_compliance(db(), as_of, **_filters())
    return _download(fmt, f"compliance-{as_of}", "summary", statuses, as_of)


@bp.get("/officers/<badge>/record.<fmt>")
@requires("review")
def officer_export(badge: str, fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    try:
        profile = officer_profile(db(), badge, _as_of())
    except OfficerNotFoundError:
        abort(404)
    name = f"officer-{profile.officer.badge_number}-{profile.as_of}"
    return _download(fmt, name, "officer", profile)


def _download(fmt: str, stem: str, what: str, data, *more):
    writer = getattr(exports, f"write_{what}_{fmt}")
    if fmt == "csv":
        text = io.StringIO()
        writer(data, text)
        body = io.BytesIO(text.getvalue().encode("utf-8"))
    else:
        body = io.BytesIO()
        writer(data, body, *more)
        body.seek(0)
    return send_file(body, mimetype=_MEDIA[fmt], as_attachment=True, download_name=f"{stem}.{fmt}")
