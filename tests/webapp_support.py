"""Helpers for the web tests: a real app on a temporary data folder with sample reference data,
accounts for every role, logging in with the CSRF token the page carries."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

from course_catalog import importers
from credence.config import Settings
from credence.db import Base, make_engine, make_session_factory, session_scope
from credence.models import import_all_models
from review_ui import create_app
from review_ui.accounts import create_user

PASSWORD = "correct-horse-battery"
USERS = {
    "clerk1": "clerk",
    "clerk2": "clerk",
    "rev1": "reviewer",
    "rev2": "reviewer",
    "root": "admin",
}
_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


def make_settings(root: Path, workers: int = 2) -> Settings:
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    return Settings(
        data_dir=data, database_url=f"sqlite:///{data / 'credence.db'}", workers=workers
    )


def prepare_database(settings: Settings, corpus: Path) -> None:
    """Schema, the corpus's reference data and one account per name in USERS."""
    import_all_models()
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        ref = corpus / "reference"
        importers.import_courses(s, ref / "courses.csv")
        importers.import_standards(s, ref / "standards.csv")
        importers.import_officers(s, ref / "officers.csv")
        importers.import_instructors(s, ref / "instructors.csv")
        for name, role in USERS.items():
            create_user(s, name, PASSWORD, role)
    engine.dispose()


def make_app(settings: Settings, **config):
    """The real app; the test client speaks plain http, so the Secure flag is off here."""
    app = create_app(settings, {"SESSION_COOKIE_SECURE": False, **config})
    app.testing = False  # keep CSRF and error handlers exactly as in production
    return app


def stop_app(app) -> None:
    """Stop the app's background readers (the embedded mode's worker processes)."""
    submitter = app.extensions["credence_submitter"]
    if hasattr(submitter, "shutdown"):
        submitter.shutdown()


def csrf_token(client, path: str = "/login") -> str:
    html = client.get(path).get_data(as_text=True)
    found = _TOKEN.search(html)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def login(client, username: str, password: str = PASSWORD) -> str:
    """Log in; return a CSRF token valid for this session."""
    token = csrf_token(client)
    r = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": token}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    return csrf_token(client, "/batches")


def zip_of(paths: list[Path]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in paths:
            z.write(p, p.name)
    return buf.getvalue()


def wait_for_batch(client, batch_id: str, timeout: float = 120.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = client.get(f"/batches/{batch_id}/progress", headers={"Accept": "application/json"})
        assert r.status_code == 200, r.get_data(as_text=True)
        progress = r.get_json()
        if progress["done"]:
            return progress
        assert time.monotonic() < deadline, f"batch not done in {timeout}s: {progress}"
        time.sleep(0.2)
