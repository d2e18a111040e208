"""Accounts and reading again in a real headless Chromium against `credence serve` (waitress),
issue 19 points 2, 3 and 6.

GIVEN the production server on a free port: WHEN a clerk mistypes the password until locked
THEN the login page says until when, and an admin's Unlock button on the users page lets
them in; WHEN the admin sets a new password for a logged-in clerk THEN the clerk's next
page is the login page; WHEN a clerk presses "Read again" on a document whose reading
failed THEN the batch page follows it to done.
"""

from __future__ import annotations

import pytest
from serve_support import served
from test_browser_e2e import CHROMIUM
from test_retry_failed import _fail_reading
from webapp_support import PASSWORD, make_settings, prepare_database

from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen.corpus import generate_corpus
from ingestion.uploads import StagedUpload, register_uploads

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium (scripts/setup.sh installs it)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser-accounts")
    corpus = generate_corpus(root / "corpus", seed=13, count=1, conditions=("clean",))
    settings = make_settings(root, workers=1)
    prepare_database(settings, corpus)
    pdf = sorted((corpus / "docs").rglob("*.pdf"))[0]
    with session_scope(make_session_factory(make_engine(settings.database_url))) as s:
        upload = register_uploads(s, settings, [StagedUpload(pdf.name, pdf)], "clerk1")
    _fail_reading(settings, upload.document_ids)
    with served(root, settings.database_url, CREDENCE_DATA_DIR=str(settings.data_dir),
                CREDENCE_LOGIN_MAX_FAILURES="3") as base:
        yield {"base": base.replace("127.0.0.1", "localhost"), "upload": upload}




def _login(page, base: str, user: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_locked_account_is_told_until_when_and_an_admin_unlocks_it(site, browser):
    base = site["base"]
    clerk = browser.new_context().new_page()
    for _ in range(3):
        _login(clerk, base, "clerk2", "wrong-password-again")
    assert "locked until" in clerk.content()
    _login(clerk, base, "clerk2")
    assert "/login" in clerk.url and "An admin can unlock it sooner" in clerk.content()

    admin = browser.new_context().new_page()
    _login(admin, base, "root")
    admin.goto(f"{base}/admin/users")
    admin.click("button[name=unlock][value=clerk2]")
    admin.wait_for_load_state()
    assert "clerk2 unlocked" in admin.content()

    _login(clerk, base, "clerk2")
    assert "/login" not in clerk.url


def test_a_new_password_ends_the_clerks_open_login(site, browser):
    base = site["base"]
    clerk = browser.new_context().new_page()
    _login(clerk, base, "rev2")
    clerk.goto(f"{base}/queue")
    assert "/queue" in clerk.url
    admin = browser.new_context().new_page()
    _login(admin, base, "root")
    admin.goto(f"{base}/admin/users")
    row = admin.locator("tr", has_text="rev2")
    row.locator("input[name=password]").fill("an-entirely-new-passphrase")
    row.locator("button", has_text="Save").click()
    admin.wait_for_load_state()
    assert "User rev2 updated" in admin.content()
    clerk.goto(f"{base}/queue")
    assert "/login" in clerk.url


def test_the_clerk_reads_a_failed_document_again(site, browser):
    base, upload = site["base"], site["upload"]
    page = browser.new_context().new_page()
    _login(page, base, "clerk1")
    page.goto(f"{base}/documents/{upload.document_ids[0]}")
    assert "failed" in page.content()
    page.click("button.read-again")
    page.wait_for_url(f"**/batches/{upload.batch_id}")
    assert "Reading 1 document(s) again" in page.content()
    page.wait_for_selector("td.status-done", timeout=120_000)  # the page's script follows it
    assert page.get_attribute("#batch-state", "data-done") == "yes"
