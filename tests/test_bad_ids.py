"""No route answers 500 to a malformed or huge id (issue 19, point 7).

GIVEN the real app with data (SQLite, and the real PostgreSQL whose ``integer`` ids end at
2**31 - 1), WHEN every route of the URL map is called with bad values for each of its
arguments, and the query strings and review form with huge ids, THEN the answer is 4xx.
Also: page images are sent ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

from datetime import date

import pytest
from compliance_factory import add_course, add_officer, add_record, add_standard
from PIL import Image
from webapp_support import PASSWORD, csrf_token, login, make_app, stop_app

from credence.config import Settings
from credence.db import Base, make_engine, make_session_factory, session_scope
from credence.models import import_all_models
from ingestion.models import Page
from review_ui.accounts import create_user

HUGE = "9" * 40
BAD_VALUES = [HUGE, "99999999999", str(2**31), str(2**63), "-1", "0", "abc", "²", "1.5",
              "%00", "..%2F..%2Fetc%2Fpasswd", "x" * 500]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    url = (f"sqlite:///{data / 'credence.db'}" if request.param == "sqlite"
           else request.getfixturevalue("postgres_url"))
    settings = Settings(data_dir=data, database_url=url, workers=1)
    import_all_models()
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    image = tmp_path / "page.jpg"
    Image.new("RGB", (200, 260), "white").save(image, "JPEG")
    with session_scope(make_session_factory(engine)) as s:
        add_standard(s)
        course = add_course(s, "1849")
        officer = add_officer(s, "1001")
        add_record(s, officer, course, date(2025, 5, 1), 8, image=image)
        review = add_record(s, officer, course, date(2025, 6, 1), 2, status="needs_review",
                            reasons=("unreadable",))
        create_user(s, "root", PASSWORD, "admin")
        ids = {"record": review.id, "page": s.query(Page.id).first()[0]}
    engine.dispose()
    app = make_app(settings)
    app.config["TEST_IDS"] = ids
    yield app
    stop_app(app)


def _paths(app) -> list[tuple[str, str]]:
    """(method, path) for every route and every bad value of each of its arguments."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or not rule.arguments:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for bad in BAD_VALUES:
                path = rule.rule
                for arg in rule.arguments:
                    path = path.replace(f"<{arg}>", bad)
                    for conv in ("int", "path", "string"):
                        path = path.replace(f"<{conv}:{arg}>", bad)
                out.append((method, path))
    return out


def test_every_route_with_bad_ids_is_4xx(site):
    client = site.test_client()
    token = login(client, "root")
    paths = _paths(site)
    assert len(paths) > 100
    for method, path in paths:
        if method == "GET":
            r = client.get(path)
        else:
            r = client.post(path, data={"csrf_token": token, "action": "approve",
                                        "version": "1"})
        # A bad value either names nothing (4xx) or is a harmless name (an officer's badge).
        assert r.status_code < 500, (method, path, r.status_code)


@pytest.mark.parametrize("query", [
    f"course={HUGE}", "course=99999999999", f"course={2**31}", "course=²", "course=-5",
    f"batch={'b' * 3000}", "from=99999-99-99", "to=2026-02-30", "reason=" + "r" * 1000,
])
def test_queue_filters_with_bad_values(site, query):
    client = site.test_client()
    login(client, "root")
    assert client.get(f"/queue?{query}").status_code == 200


@pytest.mark.parametrize("path", [f"/pages/{HUGE}/image", f"/admin/courses/{HUGE}",
                                  f"/pages/{2**31}/image", f"/admin/officers/{2**40}",
                                  f"/admin/users/{HUGE}"])
def test_named_paths_from_the_issue_are_404(site, path):
    client = site.test_client()
    token = login(client, "root")
    r = client.get(path) if "users" not in path else client.post(path,
                                                                 data={"csrf_token": token})
    assert r.status_code == 404


@pytest.mark.parametrize("field,value", [
    ("version", HUGE), ("version", str(2**63)), ("version", "²"), ("version", "-1"),
    ("officer_id", HUGE), ("officer_id", str(2**31)), ("course_id", "99999999999"),
    ("officer_id", "abc"),
])
def test_review_post_with_huge_numbers_is_400(site, field, value):
    client = site.test_client()
    token = login(client, "root")
    record_id = site.config["TEST_IDS"]["record"]
    token = csrf_token(client, f"/review/{record_id}")
    form = {"csrf_token": token, "action": "correct", "version": "1", field: value}
    r = client.post(f"/review/{record_id}", data=form)
    assert r.status_code == 400


def test_page_image_is_not_cached(site):
    client = site.test_client()
    login(client, "root")
    r = client.get(f"/pages/{site.config['TEST_IDS']['page']}/image")
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "private, no-store"
