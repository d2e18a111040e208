"""axe-core (bundled by axe-playwright-python, injected by the test, nothing from a CDN) on every
page of the web app in a real headless Chromium, at desktop and phone width: no violation of
the WCAG A/AA rules and best practices axe checks (issue 18).

One module-scoped server from the reviewer's scenario (benchmarks/ux_scenario.py).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from benchmarks.ux_scenario import CHROMIUM, build_corpus, login, serve
from verification.models import RecordStatus, TrainingRecord

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")
USERS = {"rev1": "reviewer", "clerk1": "clerk", "root": "admin"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y")
    with serve(root, build_corpus(root), USERS) as srv:
        with srv["app"].extensions["credence_sessions"]() as s:
            record = s.scalars(
                select(TrainingRecord).where(TrainingRecord.status == RecordStatus.NEEDS_REVIEW)
            ).first()
            srv["record"], srv["document"] = record.id, record.document_id
            srv["badge"] = (record.explanation.get("officer") or {}).get("badge_number")
        yield srv


def _pages(site) -> list[tuple[str, str]]:
    """(user, path) for every page of the app."""
    r, d = site["record"], site["document"]
    pages = [
        ("", "/login"),
        ("clerk1", "/upload"),
        ("clerk1", "/batches"),
        ("rev1", "/queue"),
        ("rev1", f"/review/{r}"),
        ("rev1", f"/records/{r}"),
        ("rev1", "/records"),
        ("rev1", "/audit"),
        ("rev1", "/dashboard"),
        ("rev1", f"/documents/{d}"),
        ("rev1", "/no/such/page"),
        ("root", "/batches"),
        ("root", "/admin/courses"),
        ("root", "/admin/officers"),
        ("root", "/admin/users"),
    ]
    if site["badge"]:
        pages.append(("rev1", f"/officers/{site['badge']}"))
    return pages




@pytest.mark.parametrize("width,height", [(1366, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_axe_violation_on_any_page(site, browser, width, height):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found = {}
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        user = None
        for who, path in _pages(site):
            if who != user:
                context.clear_cookies()
                if who:
                    login(page, site["url"], who)
                user = who
            page.goto(site["url"] + path)
            if path == "/batches" and who == "root":  # the batch page too
                page.locator("table.grid a").first.click()
                page.wait_for_load_state()
            violations = axe.run(page).response["violations"]
            if violations:
                found[page.url] = [
                    (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                    for v in violations
                ]
    finally:
        context.close()
    assert not found, "\n".join(f"{u}: {v}" for u, v in found.items())
