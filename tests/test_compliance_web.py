"""The compliance dashboard in the web app: roles, filters, officer profile, one-click exports."""

from __future__ import annotations

import io
import re
from datetime import date

import pdfplumber
import pytest
from compliance_factory import add_course, add_officer, add_record, add_standard
from openpyxl import load_workbook
from PIL import Image
from webapp_support import PASSWORD, login, make_app, make_settings, stop_app

from credence.db import Base, make_engine, make_session_factory, session_scope
from credence.models import import_all_models
from review_ui.accounts import create_user

AS_OF = "2026-11-15"


@pytest.fixture
def site(tmp_path):
    """TX 8 h, deadline 2026-12-31: 1 compliant (with a scan), 2 due soon, 3 overdue."""
    settings = make_settings(tmp_path)
    import_all_models()
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    image = tmp_path / "page.jpg"
    Image.new("RGB", (200, 260), "white").save(image, "JPEG")
    with session_scope(make_session_factory(engine)) as s:
        add_standard(s, min_hours=8)
        course = add_course(s, "1849", title="De-escalation Techniques")
        done = add_officer(s, "1", first="Ana", last="Garcia", unit="Patrol")
        soon = add_officer(s, "2", first="Tom", last="Ng", unit="Traffic")
        late = add_officer(s, "3", first="Lu", last="Diaz", unit="Patrol",
                           cycle_end=date(2026, 10, 31))
        add_record(s, done, course, date(2025, 5, 1), 8, image=image)
        add_record(s, soon, course, date(2025, 5, 1), 5)
        add_record(s, late, course, date(2025, 5, 1), 1)
        for name, role in (("clerk1", "clerk"), ("rev1", "reviewer")):
            create_user(s, name, PASSWORD, role)
    engine.dispose()
    app = make_app(settings)
    yield app
    stop_app(app)


def _client(site, user="rev1"):
    client = site.test_client()
    login(client, user)
    return client


def test_dashboard_needs_a_reviewer_or_admin(site):
    anonymous = site.test_client()
    for path in ("/dashboard", "/officers/1", "/reports/compliance.csv", "/officers/1/record.pdf"):
        r = anonymous.get(path)
        assert r.status_code == 302 and "/login" in r.headers["Location"], path
        assert _client(site, "clerk1").get(path).status_code == 403, path


COUNT = r'<td data-status="(\w+)"><a [^>]*>(\d+)</a></td>'


def test_dashboard_counts_lists_and_filters(site):
    client = _client(site)
    html = client.get(f"/dashboard?as_of={AS_OF}").get_data(as_text=True)
    counts = dict(re.findall(COUNT, html))
    assert (counts["compliant"], counts["due_soon"], counts["overdue"]) == ("1", "1", "1")
    # one table of deadlines: the overdue and the due-soon officer, each once
    table = html.split('id="deadlines"')[1].split("</table>")[0]
    assert 'href="/officers/3?as_of=2026-11-15"' in table and table.count("Lu Diaz") == 1
    assert table.count("Tom Ng") == 1
    assert html.count('id="deadlines"') == 1 and 'id="due-soon"' not in html
    assert "<svg" in html and "100% or more" in html
    patrol = client.get(f"/dashboard?as_of={AS_OF}&unit=Patrol").get_data(as_text=True)
    counts = dict(re.findall(COUNT, patrol))
    assert (counts["due_soon"], counts["overdue"]) == ("0", "1")
    assert client.get("/dashboard?as_of=yesterday").status_code == 400


def test_officer_profile_links_each_record_to_its_scan(site):
    client = _client(site)
    html = client.get(f"/officers/1?as_of={AS_OF}").get_data(as_text=True)
    assert "Ana Garcia (badge 1)" in html and "De-escalation Techniques" in html
    page_img = re.search(r'<img src="(/pages/\d+/image)"', html).group(1)
    assert client.get(page_img).headers["Content-Type"] == "image/jpeg"
    assert re.search(r'href="/documents/doc\d+">scans/cert-\d+\.pdf, page 1</a>', html)
    assert client.get("/officers/nobody").status_code == 404


def test_one_click_exports(site):
    client = _client(site)
    r = client.get(f"/reports/compliance.csv?as_of={AS_OF}&unit=Patrol")
    assert r.headers["Content-Disposition"].endswith("compliance-2026-11-15.csv")
    lines = r.get_data(as_text=True).splitlines()
    assert len(lines) == 3 and lines[0].startswith("badge_number,")
    r = client.get(f"/reports/compliance.xlsx?as_of={AS_OF}")
    assert load_workbook(io.BytesIO(r.data))["compliance"].max_row == 4
    r = client.get(f"/officers/1/record.pdf?as_of={AS_OF}")
    assert r.mimetype == "application/pdf"
    with pdfplumber.open(io.BytesIO(r.data)) as pdf:
        assert "Training record: Ana Garcia (badge 1)" in pdf.pages[0].extract_text()
        assert sum(len(p.images) for p in pdf.pages) == 1
    assert client.get("/officers/1/record.doc").status_code == 404


def test_dashboard_counts_filter_the_list_and_names_are_searched(site):
    """A count is a link to its officers; the name search narrows the list; the review
    backlog says how many records wait."""
    client = _client(site)
    html = client.get(f"/dashboard?as_of={AS_OF}").get_data(as_text=True)
    link = re.search(r'<td data-status="compliant"><a [^>]*href="([^"]+)"', html).group(1)
    compliant = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    table = compliant.split('id="deadlines"')[1].split("</table>")[0]
    assert table.count("<tr data-status=") == 1 and 'data-status="compliant"' in table
    found = client.get(f"/dashboard?as_of={AS_OF}&q=diaz").get_data(as_text=True)
    table = found.split('id="deadlines"')[1].split("</table>")[0]
    assert "Lu Diaz" in table and "Tom Ng" not in table
    assert "Review backlog" in html and 'id="review-backlog"' in html
