"""Admin pages: accounts; catalog, standards, roster and instructors (list, search, import
CSV with the per-row error report, edit a row)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from course_catalog import browse as catalog
from review_ui import accounts
from review_ui.models import ROLES, User
from review_ui.web import db, requires

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _kind_or_404(kind: str) -> str:
    if kind not in catalog.KINDS:
        abort(404)
    return kind


def _users_page():
    throttle = current_app.extensions["credence_throttle"]
    return render_template(
        "admin_users.html", users=accounts.list_users(db()), roles=ROLES,
        locked=throttle.locked_accounts(), locked_addresses=throttle.locked_addresses(),
    )


@bp.get("/users")
@requires("admin")
def users():
    """Every account, with the lockouts in force."""
    return _users_page()


@bp.post("/addresses/unlock")
@requires("admin")
def unlock_address():
    """Lift a client address's login lockout."""
    address = request.form.get("address", "")
    if not current_app.extensions["credence_throttle"].unlock_address(address):
        flash(f"Address {address} was not locked.", "error")
    else:
        flash(f"Address {address} unlocked.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
@requires("admin")
def unlock_user(user_id: int):
    """Lift an account's login lockout."""
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    current_app.extensions["credence_throttle"].unlock(user.username)
    flash(f"User {user.username} unlocked: they can log in again.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users")
@requires("admin")
def create_user():
    """Add an account."""
    form = request.form
    try:
        accounts.create_user(
            db(), form.get("username", ""), form.get("password", ""), form.get("role", "")
        )
    except accounts.AccountError as e:
        flash(str(e), "error")
        return _users_page(), 422
    flash(f"User {form.get('username')} created.", "info")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>")
@requires("admin")
def update_user(user_id: int):
    """Change an account's role, state or password."""
    user = db().get(User, user_id)
    if user is None:
        abort(404)
    try:
        accounts.update_user(
            db(),
            user,
            role=request.form.get("role") or None,
            active=request.form.get("active") == "yes",
            password=request.form.get("password") or None,
        )
    except accounts.AccountError as e:
        flash(str(e), "error")
        return redirect(url_for("admin.users")), 303
    flash(f"User {user.username} updated.", "info")
    return redirect(url_for("admin.users"))


@bp.get("/<kind>")
@requires("admin")
def rows(kind: str):
    """Reference rows of one kind, searchable."""
    kind = _kind_or_404(kind)
    search = request.args.get("q", "")
    return render_template(
        "admin_list.html",
        kind=kind,
        search=search,
        columns=catalog.columns(kind),
        rows=[(r.id, catalog.row_values(kind, r)) for r in catalog.list_rows(db(), kind, search)],
    )


@bp.post("/<kind>/import")
@requires("admin")
def import_csv(kind: str):
    """Import a CSV and show the per-row report."""
    kind = _kind_or_404(kind)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("Choose a CSV file to import.", "error")
        return redirect(url_for("admin.rows", kind=kind))
    report = catalog.import_rows(db(), kind, upload.stream)
    return render_template("admin_report.html", kind=kind, report=report)


@bp.route("/<kind>/<int:row_id>", methods=["GET", "POST"])
@requires("admin")
def edit(kind: str, row_id: int):
    """Edit one reference row (validated by the importer)."""
    kind = _kind_or_404(kind)
    row = catalog.get_row(db(), kind, row_id)
    if row is None:
        abort(404)
    values = catalog.row_values(kind, row)
    if request.method == "GET":
        return _edit_page(kind, row_id, values)
    report = catalog.edit_row(db(), kind, row, request.form.to_dict())
    if not report.ok:
        return _edit_page(kind, row_id, {**values, **request.form.to_dict()}, report), 422
    flash(f"{kind} row {row_id} saved.", "info")
    return redirect(url_for("admin.rows", kind=kind))


def _edit_page(kind: str, row_id: int, values: dict, report=None):
    return render_template(
        "admin_edit.html",
        kind=kind,
        row_id=row_id,
        values=values,
        columns=catalog.columns(kind),
        keys=catalog.KEY_COLUMNS[kind],
        report=report,
    )
