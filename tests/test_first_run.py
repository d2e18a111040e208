"""First run (issue 18, point 8): a demo account that logs in, a login page that says how the
first account is made, the contract inside the repository, and `make run` leaving the checkout
clean."""

from __future__ import annotations

import re
from pathlib import Path

from credence.cli import main
from credence.config import load_settings
from credence.db import make_engine, make_session_factory
from review_ui.accounts import authenticate

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(data))
    monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    return data


def test_users_demo_creates_an_account_that_logs_in(
    tmp_path, monkeypatch, capsys
):
    _env(tmp_path, monkeypatch)
    assert main(["init"]) == 0
    capsys.readouterr()
    assert main(["users", "demo"]) == 0
    first = capsys.readouterr().out
    assert "created the demo account" in first and "http://127.0.0.1:8000/" in first
    password = re.search(r"with the password (\S+)", first).group(1)
    settings = load_settings()
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as s:
        user = authenticate(s, "demo", password)
        assert user is not None and user.role == "admin"
    engine.dispose()
    # the printed account logs in to the web app (its real login form, CSRF and all)
    from webapp_support import login, make_app

    app = make_app(settings)
    try:
        client = app.test_client()
        login(client, "demo", password)
        assert client.get("/admin/users").status_code == 200
    finally:
        app.extensions["credence_submitter"].shutdown()
    assert main(["users", "demo"]) == 0  # a second run creates nothing, says the same
    again = capsys.readouterr().out
    assert "created" not in again and password in again


def test_login_page_says_how_the_first_account_is_made(tmp_path):
    from webapp_support import make_app, make_settings

    from credence.db import Base
    from credence.models import import_all_models

    settings = make_settings(tmp_path)
    import_all_models()
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = make_app(settings)
    try:
        html = app.test_client().get("/login").get_data(as_text=True)
    finally:
        app.extensions["credence_submitter"].shutdown()
    assert "credence users create NAME --role admin" in html
    assert "credence users demo" in html


def test_contract_lives_in_the_repository_and_make_run_writes_only_ignored_paths():
    contract = ROOT / "docs" / "contract.md"
    assert contract.exists()
    text = contract.read_text()
    for needed in ("credence users demo", "source_filename", "not_training_document", "/records"):
        assert needed in text, needed
    readme = (ROOT / "README.md").read_text()
    assert "../shared/spec/contract.md" not in readme and "docs/contract.md" in readme
    makefile = (ROOT / "Makefile").read_text()
    assert "DEMO := $(CREDENCE_DATA_DIR)/" in makefile
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "credence-data/" in ignored
