"""`credence serve` is a production server, and logins end on the server (issue 19, points
2 and 6).

GIVEN `credence serve` started as a process (waitress) on a free port, WHEN real HTTP
clients (urllib with cookie jars) log in, log out, and an admin changes a password or
disables an account, THEN every copy of an ended login's cookie is refused at once; the
server is waitress, not Flask's development server; behind a trusted proxy that says
HTTPS, HSTS is sent.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from serve_support import served
from webapp_support import PASSWORD

from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema
from review_ui.accounts import create_user

_TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real `credence serve` on SQLite with an admin and a clerk."""
    root = tmp_path_factory.mktemp("serve")
    url = f"sqlite:///{root / 'credence.db'}"
    upgrade_schema(url)
    engine = make_engine(url)
    with session_scope(make_session_factory(engine)) as s:
        create_user(s, "ana", PASSWORD, "admin")
        create_user(s, "ben", PASSWORD, "clerk")
    engine.dispose()
    with served(root, url, CREDENCE_TRUSTED_PROXY="127.0.0.1",
                CREDENCE_SERVE_THREADS="4") as base:
        yield {"base": base, "log": root / "serve.log"}


class Browser:
    """A real HTTP client with its own cookie jar; redirects are not followed."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode()

    def token(self, path: str = "/login") -> str:
        return _TOKEN.search(self.request(path)[2]).group(1)

    def login(self, user: str, password: str = PASSWORD) -> int:
        status, _, _ = self.request(
            "/login", {"username": user, "password": password, "csrf_token": self.token()}
        )
        return status

    def cookies(self) -> list:
        return list(self.jar)

    def copy(self) -> Browser:
        """Another client holding the same cookies (a stolen or kept cookie)."""
        other = Browser(self.base)
        for c in self.jar:
            other.jar.set_cookie(c)
        return other

    def allowed(self, path: str = "/batches") -> bool:
        status, headers, _ = self.request(path)
        return status == 200


def test_it_is_waitress_not_the_development_server(server):
    status, headers, _ = Browser(server["base"]).request("/login")
    assert status == 200
    assert headers.get("Server") == "credence"  # waitress's ident; Werkzeug says "Werkzeug/…"
    assert "Strict-Transport-Security" not in headers  # plain http: no HSTS
    assert "Werkzeug" not in server["log"].read_text()


def test_the_development_server_only_behind_dev(tmp_path):
    url = f"sqlite:///{tmp_path / 'dev.db'}"
    upgrade_schema(url)
    with served(tmp_path, url, "--dev") as base:
        status, headers, _ = Browser(base).request("/login")
    assert status == 200 and headers["Server"].startswith("Werkzeug")


def test_an_untrusted_client_cannot_claim_https(tmp_path):
    """Without CREDENCE_TRUSTED_PROXY, a client's X-Forwarded-Proto is ignored: no HSTS
    over plain http."""
    url = f"sqlite:///{tmp_path / 'plain.db'}"
    upgrade_schema(url)
    with served(tmp_path, url) as base:
        status, headers, _ = Browser(base).request(
            "/login", headers={"X-Forwarded-Proto": "https"})
    assert status == 200 and "Strict-Transport-Security" not in headers


def test_hsts_behind_a_trusted_tls_proxy(server):
    status, headers, _ = Browser(server["base"]).request(
        "/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    )
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_logout_ends_the_login_for_every_copy_of_its_cookie(server):
    ben = Browser(server["base"])
    assert ben.login("ben") == 302 and ben.allowed()
    kept = ben.copy()  # the same cookie, kept after logout
    assert kept.allowed()
    status, _, _ = ben.request("/logout", {"csrf_token": ben.token("/batches")})
    assert status == 302
    assert not ben.allowed()
    assert not kept.allowed()  # before issue 19 this worked for up to 8 hours


def test_a_password_change_and_a_deactivation_end_every_login(server):
    ben1, ben2 = Browser(server["base"]), Browser(server["base"])
    assert ben1.login("ben") == 302 and ben2.login("ben") == 302
    assert ben1.allowed() and ben2.allowed()
    ana = Browser(server["base"])
    assert ana.login("ana") == 302
    ben_id = _user_id(ana, "ben")
    new_password = "a-new-long-passphrase-9"
    status, _, _ = ana.request(f"/admin/users/{ben_id}", {
        "role": "clerk", "active": "yes", "password": new_password,
        "csrf_token": ana.token("/admin/users")})
    assert status == 302
    assert not ben1.allowed() and not ben2.allowed()
    assert ben1.login("ben") == 401  # the old password is gone
    assert ben1.login("ben", new_password) == 302 and ben1.allowed()
    status, _, _ = ana.request(f"/admin/users/{ben_id}", {
        "role": "clerk", "active": "no", "csrf_token": ana.token("/admin/users")})
    assert status == 302
    assert not ben1.allowed()
    assert ben1.login("ben", new_password) == 401
    assert ana.allowed("/admin/users")  # the admin's own login is untouched


def _user_id(browser: Browser, name: str) -> int:
    html = browser.request("/admin/users")[2]
    rows = re.findall(r"<td>([^<]+)</td><td>[a-z]+</td>.*?/admin/users/(\d+)", html, re.S)
    return int(dict(rows)[name])
