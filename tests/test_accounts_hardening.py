"""Accounts (issue 19, point 2): login throttling with a lockout an admin lifts, on each of
its stores (SQLite, PostgreSQL, Redis); the password policy; the last admin kept.

The app is the real one (CSRF on) through Flask's test client; the stores are the real
servers of this machine. Session revocation over real HTTP is in tests/test_serve.py.
"""

from __future__ import annotations

import dataclasses
import io
from datetime import UTC, datetime, timedelta

import pytest
from webapp_support import PASSWORD, csrf_token, login, make_app, stop_app

from credence.cli import main
from credence.config import Settings
from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema
from review_ui import accounts
from review_ui.accounts import AccountError, create_user

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres), "redis"]


def _site(tmp_path, database_url: str, redis_url: str | None = None, **limits) -> Settings:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    upgrade_schema(database_url)
    settings = Settings(data_dir=data, database_url=database_url, redis_url=redis_url,
                        workers=1, **limits)
    engine = make_engine(database_url)
    with session_scope(make_session_factory(engine)) as s:
        create_user(s, "ana", PASSWORD, "admin")
        create_user(s, "ben", PASSWORD, "clerk")
    engine.dispose()
    return settings


@pytest.fixture(params=BACKENDS)
def throttled(request, tmp_path, monkeypatch):
    """An app whose login counters live on SQLite, PostgreSQL or Redis; the CLI sees the same."""
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'credence.db'}"
    redis_url = request.getfixturevalue("redis_url") if request.param == "redis" else None
    settings = _site(tmp_path, url, redis_url, login_max_failures=3,
                     login_max_address_failures=5)
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CREDENCE_DATABASE_URL", url)
    monkeypatch.setenv("CREDENCE_LOGIN_MAX_FAILURES", "3")
    if redis_url:
        monkeypatch.setenv("CREDENCE_REDIS_URL", redis_url)
    else:
        monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    app = make_app(settings)
    yield app, request.param
    stop_app(app)


def _try(client, username: str, password: str, address: str = "192.0.2.10"):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_wrong_passwords_lock_the_account_until_an_admin_unlocks_it(throttled, capsys):
    """GIVEN 3 allowed failures WHEN a password is guessed wrong 3 times THEN the right one is
    refused too, with the lockout's end; `credence users unlock` lets it in again."""
    app, backend = throttled
    client = app.test_client()
    for _ in range(2):
        r = _try(client, "ben", "not-the-password")
        assert r.status_code == 401 and "Wrong username or password" in r.get_data(as_text=True)
    r = _try(client, "ben", "not-the-password")
    assert r.status_code == 429
    assert "locked until" in r.get_data(as_text=True)
    right = _try(client, "ben", PASSWORD)
    assert right.status_code == 429, backend
    assert "An admin can unlock it sooner" in right.get_data(as_text=True)
    # another account from the same address is not locked by ben's failures
    assert _try(client, "ana", PASSWORD).status_code == 302

    assert main(["users", "unlock", "ben"]) == 0
    assert "user ben unlocked" in capsys.readouterr().out
    assert _try(app.test_client(), "ben", PASSWORD).status_code == 302
    assert main(["users", "unlock", "nobody"]) == 1


def test_an_admin_unlocks_an_account_on_the_users_page(throttled):
    app, _ = throttled
    for _ in range(3):
        _try(app.test_client(), "ben", "wrong-wrong-wrong")
    admin = app.test_client()
    token = login(admin, "ana")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "locked until" in page
    user_id = _user_id(app, "ben")
    r = admin.post(f"/admin/users/{user_id}/unlock", data={"csrf_token": token})
    assert r.status_code == 302
    assert "locked until" not in admin.get("/admin/users").get_data(as_text=True)
    assert _try(app.test_client(), "ben", PASSWORD).status_code == 302


def test_many_accounts_guessed_from_one_address_lock_the_address(throttled):
    """GIVEN 5 failures allowed per address WHEN one address guesses 5 names THEN it is
    refused even with a right password; another address is not."""
    app, _ = throttled
    client = app.test_client()
    for name in ("u1", "u2", "u3", "u4"):
        assert _try(client, name, "guess-guess", address="198.51.100.7").status_code == 401
    r = _try(client, "u5", "guess-guess", address="198.51.100.7")
    assert r.status_code == 429 and "from your address" in r.get_data(as_text=True)
    assert _try(client, "ana", PASSWORD, address="198.51.100.7").status_code == 429
    assert _try(client, "ana", PASSWORD, address="198.51.100.8").status_code == 302
    # the admin (from another address) sees the address on the users page and unlocks it
    admin = app.test_client()
    token = login(admin, "ana")
    listed = 'name="address" value="198.51.100.7"'
    assert listed in admin.get("/admin/users").get_data(as_text=True)
    r = admin.post("/admin/addresses/unlock", data={"address": "198.51.100.7",
                                                    "csrf_token": token})
    assert r.status_code == 302
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Address 198.51.100.7 unlocked" in page and listed not in page
    assert _try(client, "ana", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_lockout_ends_by_itself(tmp_path):
    """The database store: a lockout and its count lapse after the period."""
    from review_ui.throttle import DatabaseThrottleStore

    settings = _site(tmp_path, f"sqlite:///{tmp_path / 'c.db'}")
    store = DatabaseThrottleStore(make_session_factory(make_engine(settings.database_url)))
    assert store.failed("user:x", 2, timedelta(minutes=5)) is None
    until = store.failed("user:x", 2, timedelta(minutes=5))
    assert until is not None and until > datetime.now(UTC)
    assert store.locked_until("user:x") is not None
    # a period already over: the next failure starts a new count, and no lock is in force
    assert store.failed("user:x", 2, timedelta(seconds=-1)) is None
    assert store.locked_until("user:x") is None


@pytest.mark.parametrize("password, why", [
    ("12345678", "at least 10 characters"),
    ("password1234", "too easy to guess"),
    ("qwertyuiop", "too easy to guess"),
    ("ben-ben-ben", "too easy to guess"),
])
def test_weak_passwords_are_refused_with_the_reason(tmp_path, password, why):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade_schema(str(engine.url))
    with make_session_factory(engine)() as s, pytest.raises(AccountError, match=why):
        create_user(s, "ben", password, "clerk")
    engine.dispose()


def test_the_cli_and_the_users_page_refuse_a_common_password(tmp_path, monkeypatch, capsys):
    settings = _site(tmp_path, f"sqlite:///{tmp_path / 'c.db'}")
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CREDENCE_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("password123!\n"))
    assert main(["users", "create", "carl", "--role", "clerk", "--password-stdin"]) == 2
    assert "too easy to guess" in capsys.readouterr().err
    app = make_app(settings)
    admin = app.test_client()
    token = login(admin, "ana")
    r = admin.post("/admin/users", data={"username": "dora", "password": "1234567890",
                                         "role": "clerk", "csrf_token": token})
    assert r.status_code == 422 and "too easy to guess" in r.get_data(as_text=True)
    stop_app(app)


def test_the_last_active_admin_cannot_be_demoted_or_disabled(tmp_path):
    """GIVEN ana, the only admin WHEN she (or anyone) demotes or disables her THEN refused;
    once ben is an admin too, ana can step down, and then ben is the last."""
    settings = _site(tmp_path, f"sqlite:///{tmp_path / 'c.db'}")
    app = make_app(settings)
    admin = app.test_client()
    token = login(admin, "ana")
    ana, ben = _user_id(app, "ana"), _user_id(app, "ben")
    for change in ({"role": "clerk", "active": "yes"}, {"role": "admin", "active": "no"}):
        r = admin.post(f"/admin/users/{ana}", data={**change, "csrf_token": token},
                       follow_redirects=True)
        assert "last active admin" in r.get_data(as_text=True)
    assert _role_and_active(app, "ana") == ("admin", True)
    admin.post(f"/admin/users/{ben}", data={"role": "admin", "active": "yes",
                                            "csrf_token": token})
    admin.post(f"/admin/users/{ana}", data={"role": "reviewer", "active": "yes",
                                            "csrf_token": token})
    assert _role_and_active(app, "ana") == ("reviewer", True)
    with session_scope(app.extensions["credence_sessions"]) as s:
        with pytest.raises(AccountError, match="last active admin"):
            accounts.update_user(s, accounts.find_user(s, "ben"), active=False)
    stop_app(app)


def _user_id(app, name: str) -> int:
    with app.extensions["credence_sessions"]() as s:
        return accounts.find_user(s, name).id


def _role_and_active(app, name: str) -> tuple[str, bool]:
    with app.extensions["credence_sessions"]() as s:
        user = accounts.find_user(s, name)
        return user.role, user.active


def test_settings_read_the_throttle_from_the_environment():
    from credence.config import load_settings

    s = load_settings({"CREDENCE_LOGIN_MAX_FAILURES": "7", "CREDENCE_LOGIN_LOCKOUT_MINUTES": "2",
                       "CREDENCE_LOGIN_MAX_ADDRESS_FAILURES": "40"})
    assert (s.login_max_failures, s.login_lockout_minutes, s.login_max_address_failures) == (
        7, 2.0, 40)
    assert dataclasses.replace(s, login_max_failures=1).login_max_failures == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_failures_at_the_same_moment_are_all_counted(backend, request, tmp_path):
    """GIVEN 12 wrong passwords for one account arriving at once (threads, one connection
    each) WHEN counted THEN the 12 are counted and the lockout starts at the limit."""
    from concurrent.futures import ThreadPoolExecutor

    from review_ui.throttle import make_throttle

    url = (request.getfixturevalue("postgres_url") if backend == "postgresql"
           else f"sqlite:///{tmp_path / 'c.db'}")
    redis_url = request.getfixturevalue("redis_url") if backend == "redis" else None
    settings = _site(tmp_path, url, redis_url, login_max_failures=12,
                     login_max_address_failures=1000)
    engine = make_engine(url)
    throttle = make_throttle(settings, make_session_factory(engine))
    with ThreadPoolExecutor(6) as pool:
        outcomes = list(pool.map(lambda i: throttle.failed("ben", f"192.0.2.{i}"), range(12)))
    assert sum(o is not None for o in outcomes) == 1  # exactly the 12th locked it
    assert throttle.lockout("ben", "192.0.2.200") is not None
    engine.dispose()
