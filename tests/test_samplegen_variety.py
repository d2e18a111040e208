"""The generator's ``variety`` profile: exact truth on every variation, seeds reproducible.

The variety profile is the judge of issue 12 ("the evaluation grades itself"): layouts,
wording, fonts and damage the reader was not built on. These tests hold it to the same
standard as the classic profile: what the truth says was printed is on the page, the
canonical values follow from the plan, and a seed gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import variety_words as vw
from devtools.samplegen.cli import main as samplegen_main
from devtools.samplegen.corpus import certificate_facts, generate_corpus
from devtools.samplegen.degrade import DAMAGE_CONDITIONS
from devtools.samplegen.plan import plan_corpus
from devtools.samplegen.reference import build_reference
from devtools.samplegen.variety_certs import VARIETY_LAYOUTS, draw_variety_certificate
from devtools.samplegen.variety_sheets import VARIETY_SHEET_LAYOUTS

SEED = 21


def _norm(text: str) -> str:
    return " ".join(text.split())


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _pdf_text(path_or_bytes) -> list[str]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    with pdfplumber.open(source) as pdf:
        return [_norm(page.extract_text() or "") for page in pdf.pages]


@pytest.fixture(scope="module")
def born_digital(tmp_path_factory) -> Path:
    """A born-digital variety corpus with sheets of every family."""
    return generate_corpus(tmp_path_factory.mktemp("variety"), seed=SEED, count=24,
                           conditions=("clean",), sheets=8, profile="variety")


@pytest.fixture(scope="module")
def truth(born_digital) -> list[dict]:
    return [json.loads(line) for line in (born_digital / "truth.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("layout", VARIETY_LAYOUTS)
def test_each_certificate_family_prints_every_value_the_truth_names(layout):
    ref = build_reference(3)
    records = [p.record for d in plan_corpus(ref, 3, 40, layouts=VARIETY_LAYOUTS)
               for p in d.pages if p.record and p.record.case in ("valid", "missing_field")]
    for i, rec in enumerate(records[:6]):
        rng = random.Random(f"variety-text-{layout}-{i}")
        buf = io.BytesIO()
        c = Canvas(buf, invariant=1)
        printed = draw_variety_certificate(c, certificate_facts(rec, layout, ref, rng),
                                           layout, rng)
        c.showPage()
        c.save()
        text = _pdf_text(buf.getvalue())[0]
        for name, value in printed.values.items():
            if value is not None:
                assert _norm(value) in text, (layout, name, value)
        # the canonical names are the plan's, whatever form the page printed
        if printed.officer_name:
            assert printed.officer_name.split()[0] == rec.person.first
            assert rec.person.last in printed.officer_name


def test_certificate_truth_is_the_plan_and_is_on_the_page(born_digital, truth):
    certificates = [t for t in truth if t["kind"] == "certificate"]
    assert {t["layout"] for t in certificates} >= set(VARIETY_LAYOUTS) - {"handfilled"}
    for t in certificates:
        text = " ".join(_pdf_text(born_digital / t["file"]))
        for name, value in t["printed"].items():
            if value is not None:
                assert _norm(value) in text, (t["file"], name, value)
        # a field the page does not print is null in the truth, and the other way round
        for name in ("badge_number", "post_number", "course_title", "location"):
            assert (t["fields"][name] is None) == (t["printed"][name] is None), (t, name)


def test_sheet_rows_and_headers_are_on_their_pages(born_digital, truth):
    rows = [t for t in truth if t["kind"] == "sign_in_sheet"]
    assert {t["layout"] for t in rows} == set(VARIETY_SHEET_LAYOUTS)
    pages: dict[str, list[str]] = {}
    for t in rows:
        text = pages.setdefault(t["file"], _pdf_text(born_digital / t["file"]))[t["page"] - 1]
        assert _norm(t["printed"]["badge_number"]) in text
        for part in t["printed"]["officer_name"].split(" | "):
            assert _norm(part) in text, (t["file"], t["row"], part)
        first = pages[t["file"]][0]
        for name, value in t["printed_header"].items():
            if value is not None:
                assert _norm(value) in first, (t["file"], name, value)
        if t["printed_header"]["location"] is None:
            assert t["fields"]["location"] is None
        assert t["fields"]["training_date"] == date.fromisoformat(
            t["fields"]["training_date"]).isoformat()
    # some classes run over a page, and each page's rows are numbered from slot 0
    assert any(t["page"] > 1 for t in rows)
    assert all(t["row"] >= 0 for t in rows)


# strptime forms of each printed date style: parsing the print gives back the day
_PARSE = {"long": "%B %d, %Y", "numeric": "%m/%d/%Y", "numeric_short": "%m/%d/%Y",
          "iso": "%Y-%m-%d", "abbrev": "%b %d, %Y", "day_month": "%d %B %Y",
          "dash_upper": "%d-%b-%Y", "numeric_dash": "%m-%d-%Y", "two_digit_year": "%m/%d/%y",
          "weekday_long": "%A, %B %d, %Y", "upper_abbrev": "%b %d %Y",
          "slash_iso": "%Y/%m/%d", "day_abbrev": "%d %b %Y", "dash_short_year": "%d-%b-%y"}


@pytest.mark.parametrize("style", vw.DATE_STYLES)
def test_every_date_form_states_the_day_it_was_given(style):
    day = date(2024, 1, 1)
    seen = set()
    for _ in range(0, 800, 7):
        printed = vw.format_date(day, style)
        seen.add(printed)
        if style in _PARSE:
            assert datetime.strptime(printed, _PARSE[style]).date() == day, printed
        elif style == "abbrev_dot":
            assert datetime.strptime(printed.replace(".", ""), "%b %d, %Y").date() == day
        else:  # ordinal_long: "March 3rd, 2026"
            month, rest = printed.split(" ", 1)
            assert (month, int(rest.split(",")[0][:-2]), int(rest[-4:])) == (
                vw.wd.MONTHS[day.month - 1], day.day, day.year)
        day += timedelta(days=7)
    assert len(seen) == len(range(0, 800, 7))


def test_hours_forms_state_the_amount():
    rng = random.Random(1)
    words = {w.lower(): i for i, w in enumerate(vw.wd._NUMBER_WORDS)}
    for hours in (1.0, 2.5, 4.0, 8.0, 16.0, 40.0, 0.5, 7.5):
        for _ in range(20):
            printed = vw.format_hours(hours, rng)
            number = printed.split()[0]
            value = words[number.lower()] if number.lower() in words else float(number)
            assert value == hours, printed


def test_a_seed_gives_the_same_bytes_and_another_seed_another_corpus(tmp_path):
    conditions = ("clean", *DAMAGE_CONDITIONS)
    a = generate_corpus(tmp_path / "a", seed=8, count=5, conditions=conditions, sheets=2,
                        profile="variety")
    b = generate_corpus(tmp_path / "b", seed=8, count=5, conditions=conditions, sheets=2,
                        profile="variety")
    c = generate_corpus(tmp_path / "c", seed=9, count=5, conditions=conditions, sheets=2,
                        profile="variety")
    assert _digests(a) == _digests(b)
    assert _digests(a) != _digests(c)
    manifest = json.loads((a / "corpus.json").read_text())
    assert manifest["profile"] == "variety"
    # damage levels are recorded per page, and every damaged file opens with its pages
    truth = [json.loads(line) for line in (a / "truth.jsonl").read_text().splitlines()]
    damaged = [t for t in truth if t["condition"] in DAMAGE_CONDITIONS]
    assert damaged and all(t["scan"]["damage"] for t in damaged)
    for t in damaged:
        path = a / t["file"]
        if path.suffix in (".tif", ".tiff", ".png", ".jpg", ".jpeg"):
            with Image.open(path) as img:
                assert img.n_frames >= t["page"]


def test_the_classic_profile_is_the_default_and_unchanged(tmp_path):
    a = generate_corpus(tmp_path / "a", seed=4, count=3, conditions=("clean",))
    b = generate_corpus(tmp_path / "b", seed=4, count=3, conditions=("clean",),
                        profile="classic")
    assert _digests(a) == _digests(b)
    assert "profile" not in json.loads((a / "corpus.json").read_text())


def test_command_line_takes_the_profile_and_damage_levels(tmp_path, capsys):
    assert samplegen_main([str(tmp_path), "--seed", "2", "--count", "3", "--profile",
                           "variety", "--conditions", "clean,damage2"]) == 0
    assert "wrote 3 documents" in capsys.readouterr().out
    assert samplegen_main([str(tmp_path), "--conditions", "damage9"]) == 2


def test_the_vocabulary_stays_apart_from_the_readers_lexicon():
    """The judge is written apart from the reader: if the reader's lexicon comes to list
    most of this vocabulary, the variety profile no longer measures unseen wording."""
    known, total = vw.lexicon_overlap()
    assert total >= 100
    assert known / total < 0.2, (known, total)


# --- scoring -------------------------------------------------------------------------------


def _truth_line(file: str, case: str, duplicate_of: dict | None = None) -> dict:
    return {"file": file, "page": 1, "condition": "clean", "layout": "two_column",
            "kind": "certificate", "case": case,
            "expected_status": "duplicate" if duplicate_of else "verified",
            "fields": {"officer_name": "Ann Lee", "badge_number": "1234"},
            "expected_match": {"officer_badge": "1234"}, "duplicate_of": duplicate_of}


def _row(file: str, status: str) -> dict:
    return {"file": file, "page": 1, "row": 0, "status": status, "reasons": [],
            "officer_name": "Ann Lee", "badge_number": "1234", "officer_badge_matched": "1234",
            "document_kind": "certificate"}


def test_a_later_copy_credited_in_place_of_an_unread_first_is_credit_counted_once():
    from devtools.evaluation import score

    truth = [_truth_line("docs/a.pdf", "valid"),
             _truth_line("docs/b.pdf", "duplicate", {"file": "docs/a.pdf", "page": 1})]
    once = score(truth, [_row("docs/a.pdf", "needs_review"), _row("docs/b.pdf", "verified")])
    assert once["false_credits"] == [] and once["overall"]["false_credits"] == 0
    assert once["credited_in_place"] == [{"file": "docs/b.pdf", "page": 1}]
    twice = score(truth, [_row("docs/a.pdf", "verified"), _row("docs/b.pdf", "verified")])
    assert [fc["file"] for fc in twice["false_credits"]] == ["docs/b.pdf"]
    assert twice["overall"]["false_credits"] == 1
    assert twice["by_layout"]["certificate/two_column"]["recall"] == 1.0
