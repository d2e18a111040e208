"""Learned layouts beyond one certificate form (issue 17): sign-in sheets teach their form,
layouts are kept per agency, and a page first read as not a training document that a
reviewer makes a certificate teaches its form too.

Forms of our own (devtools.samplegen.forms), rendered and read for real; every decision goes
through ``credence review decide`` as a script's would.
"""

from __future__ import annotations

import io
import json
import random
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen import signin as sg
from devtools.samplegen.forms import (
    form_style,
    generate_form_corpus,
    printed_values,
    render_sheet_form_pdf,
    sheet_form_style,
    truth_fields,
    valid_records,
    write_form,
)
from devtools.samplegen.reference import build_reference
from extractors.layout_evidence import learned_sheet
from extractors.pdf_text import open_pdf, read_graphics, read_text_layer
from extractors.signin import extract_sign_in
from extractors.types import ReferenceHints
from review_ui.accounts import create_user
from tests.production_support import import_reference, production_env
from verification import layouts
from verification.models import LayoutUse, LearnedLayout, RecordStatus, TrainingRecord

SEED = 17
FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
          "course_title", "instructor_name", "location")


def _norm(name: str, value) -> str | None:
    if value is None or value == "":
        return None
    if name == "hours":
        return f"{float(value):g}"
    return " ".join(str(value).replace(",", " ").split()).lower()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Three certificate forms of one family (reference data included)."""
    return generate_form_corpus(tmp_path_factory.mktemp("forms"), SEED, styles=3, per_style=3,
                                conditions=("clean", "good_scan"))


@pytest.fixture(scope="module")
def truth(corpus) -> dict[str, dict]:
    lines = [json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines()]
    return {t["file"]: t for t in lines}


#: The agencies' forms: a family whose first form the general reader does not read alone
#: (seed 17's first form it came to read on 2026-12-07, so nothing was left to learn).
AGENCIES_SEED = 18


@pytest.fixture(scope="module")
def agencies_corpus(tmp_path_factory) -> Path:
    return generate_form_corpus(tmp_path_factory.mktemp("forms-agencies"), AGENCIES_SEED,
                                styles=2, per_style=2, conditions=("clean", "good_scan"))


def _fresh_env(corpus: Path, tmp_path: Path, monkeypatch):
    """A fresh database with ``corpus``'s reference data and a reviewer."""
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/credence.db", None)
    import_reference(settings, corpus)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        create_user(s, "rita", "a-long-password", "reviewer")
    yield sessions
    engine.dispose()


@pytest.fixture
def env(corpus, tmp_path, monkeypatch):
    yield from _fresh_env(corpus, tmp_path, monkeypatch)


@pytest.fixture
def agencies_env(agencies_corpus, tmp_path, monkeypatch):
    yield from _fresh_env(agencies_corpus, tmp_path, monkeypatch)


def _export() -> list[dict]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["records", "export", "--format", "jsonl"]) == 0
    return [json.loads(x) for x in buf.getvalue().splitlines()]


def _ingest(*paths: Path, agency: str | None = None) -> list[dict]:
    """Ingest ``paths``; their new records."""
    known = {r["record_id"] for r in _export()}
    extra = ["--agency", agency] if agency else []
    assert main(["ingest", *extra, *(str(p) for p in paths)]) == 0
    return [r for r in _export() if r["record_id"] not in known]


def _decide(row: dict, fields: dict, *extra: str) -> int:
    sets = [*extra]
    for name in FIELDS:
        want = fields.get(name)
        if want is not None and _norm(name, row.get(name)) != _norm(name, want):
            sets += ["--set", f"{name}={want}"]
    return main(["review", "decide", row["record_id"], *sets, "--approve", "--as", "rita"])


# --- sign-in sheets ------------------------------------------------------------------------


def _sheet(index: int, rows: int, tmp: Path) -> tuple[Path, list[dict]]:
    """A copy of our sheet form 0 with ``rows`` valid, signed attendees (one page)."""
    ref = build_reference(SEED)
    rng = random.Random(f"sheet-test-{index}")
    sheet = sg.plan_sheet(rng, ref, 500 + index, "typed_roster", "clean", set(), rows=12)
    assert sheet is not None
    sheet.rows = [r for r in sheet.rows if r.case == "valid"][:rows]
    sheet.official_signed = True
    assert len(sheet.rows) == rows
    path = tmp / f"sheet-copy-{index}.pdf"
    path.write_bytes(render_sheet_form_pdf(sheet, sheet_form_style(SEED, 0), SEED))
    return path, sg.sheet_truth(sheet, [list(range(rows))])


def _row_truth(row: dict, lines: list[dict]) -> dict:
    return next(t for t in lines if _norm("badge_number", t["fields"]["badge_number"])
                == _norm("badge_number", row["badge_number"]))


def test_a_decided_sheet_teaches_its_header_and_columns(env, tmp_path):
    """GIVEN a sheet form whose signature column is headed in words no lexicon holds, and a
    first copy of two attendees (too few for the cells to type that column: its signatures
    are shown undecided) WHEN one row of it is decided from its truth, the reviewer saying
    it is signed, THEN the sheet's layout is learned (header places, name/badge/signature
    columns), and a later copy of only two attendees is read with it: the column is typed,
    the header read at its learned places, the rows verified with the right values; without
    the layout the same page is not."""
    first, first_truth = _sheet(1, 2, tmp_path)
    rows = _ingest(first)
    waiting = [r for r in rows if r["status"] == RecordStatus.NEEDS_REVIEW]
    assert waiting, "the general reader already reads this form: nothing to teach"
    # the reviewer, looking at the undecided signature cell, says it is signed
    assert _decide(waiting[0], _row_truth(waiting[0], first_truth)["fields"],
                   "--set", "signed=yes") == 0
    with env() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.kind == "sign_in_sheet" and layout.agency == layouts.DEFAULT_AGENCY
        assert {c[0] for c in layout.columns} == {"name", "badge", "signature"}
        assert {"training_date", "hours", "post_number", "course_title"} <= set(layout.fields)
        hints = layouts.layout_hints(s)
    # the page, read without and with the lesson (pure extraction)
    second, second_truth = _sheet(2, 2, tmp_path)
    with open_pdf(second) as pages:
        pdf_page = next(pages)
        page = read_text_layer(pdf_page)
        graphics = read_graphics(pdf_page)
    assert learned_sheet(page, hints) is not None
    plain = extract_sign_in(page, graphics=graphics, hints=ReferenceHints())
    taught = extract_sign_in(page, graphics=graphics, hints=ReferenceHints(layouts=hints))
    # without it: the one inked column of a short table is shown, its signatures undecided
    assert [r.value("signed") for r in plain.records] == [None, None]
    assert all(r.fields["signed"].bbox is not None for r in plain.records)
    assert [r.value("signed") for r in taught.records] == [True, True]
    assert {r.layout_id for r in taught.records} == {layout.id}
    # through the whole pipeline (a later copy of four): verified, right values, the lesson
    third, third_truth = _sheet(3, 4, tmp_path)
    rows = _ingest(third)
    assert [r["status"] for r in rows] == [RecordStatus.VERIFIED] * 4, [r["reasons"] for r in rows]
    for row in rows:
        t = _row_truth(row, third_truth)["fields"]
        for name in ("badge_number", "training_date", "hours", "post_number", "course_title"):
            assert _norm(name, row[name]) == _norm(name, t[name]), name
    with env() as s:
        assert {u.record_id for u in s.scalars(select(LayoutUse))} == \
            {r["record_id"] for r in rows}
        why = s.get(TrainingRecord, rows[0]["record_id"]).explanation["layout"]["why"]
        assert why.startswith("layout learned from document ") and "approved by rita" in why


def _sheet_with_unsigned(index: int, rows: int, tmp: Path) -> tuple[Path, list[dict]]:
    """A copy of sheet form 0 whose first of ``rows`` attendees did not sign (the others did)."""
    ref = build_reference(SEED)
    rng = random.Random(f"sheet-test-unsigned-{index}")
    sheet = sg.plan_sheet(rng, ref, 700 + index, "typed_roster", "clean", set(), rows=12)
    assert sheet is not None
    valid = [r for r in sheet.rows if r.case == "valid"][:rows]
    sheet.rows = [replace(valid[0], case="not_signed", variant="unsigned", signed=False),
                  *valid[1:]]
    sheet.official_signed = True
    path = tmp / f"sheet-unsigned-{index}.pdf"
    path.write_bytes(render_sheet_form_pdf(sheet, sheet_form_style(SEED, 0), SEED))
    return path, sg.sheet_truth(sheet, [list(range(rows))])


def test_rejecting_a_row_teaches_the_form_from_its_verified_rows(env, tmp_path):
    """GIVEN a first copy of a sheet form whose signed rows the reader already verifies and
    whose one unsigned row waits WHEN the reviewer rejects that row (nothing to approve)
    THEN the form is learned from a verified row of the same page (header places, columns),
    so a later copy of two attendees, too few for the cells to type the signature column,
    is typed with it and its signed rows verified. A row read with the layout and rejected
    teaches nothing: on a page whose other rows the layout read were verified it leaves the
    layout as it was (the row was rejected for its own sake); alone, it doubts it."""
    first, _truth = _sheet_with_unsigned(1, 5, tmp_path)
    rows = _ingest(first)
    assert [r["status"] for r in rows].count(RecordStatus.VERIFIED) == 4, \
        [r["reasons"] for r in rows]
    waiting = [r for r in rows if r["status"] == RecordStatus.NEEDS_REVIEW]
    assert [r["reasons"] for r in waiting] == [["not_signed"]]
    with env() as s:
        assert s.scalars(select(LearnedLayout)).first() is None
    assert main(["review", "decide", waiting[0]["record_id"], "--reject", "did not sign",
                 "--as", "rita"]) == 0
    with env() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.kind == "sign_in_sheet"
        assert {c[0] for c in layout.columns} == {"name", "badge", "signature"}
        assert {"training_date", "hours", "course_title"} <= set(layout.fields)
        assert layout.sources[0]["reviewer"] == "rita"
        assert layout.sources[0]["record_id"] != waiting[0]["record_id"]  # a verified row
    second, second_truth = _sheet(4, 2, tmp_path)
    rows = _ingest(second)
    assert [r["status"] for r in rows] == [RecordStatus.VERIFIED] * 2, [r["reasons"] for r in rows]
    for row in rows:
        t = _row_truth(row, second_truth)["fields"]
        for name in ("badge_number", "training_date", "hours", "course_title"):
            assert _norm(name, row[name]) == _norm(name, t[name]), name
    # an unsigned row of a later copy, read with the layout beside verified rows, rejected:
    # the layout stays as it was, and is not taught again
    third, _third_truth = _sheet_with_unsigned(2, 3, tmp_path)
    rows = _ingest(third)
    assert [r["status"] for r in rows].count(RecordStatus.VERIFIED) == 2
    unsigned = next(r for r in rows if r["status"] == RecordStatus.NEEDS_REVIEW)
    with env() as s:
        before = s.scalars(select(LearnedLayout)).one().strength
    assert main(["review", "decide", unsigned["record_id"], "--reject", "did not sign",
                 "--as", "rita"]) == 0
    with env() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.strength == before and len(layout.sources) == 1
    # a copy of one row only, unsigned, read with the layout and rejected: it is doubted
    fourth, _fourth_truth = _sheet_with_unsigned(3, 1, tmp_path)
    [alone] = _ingest(fourth)
    assert main(["review", "decide", alone["record_id"], "--reject", "did not sign",
                 "--as", "rita"]) == 0
    with env() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.strength == before - 1 and len(layout.sources) == 1


# --- agencies --------------------------------------------------------------------------------


def test_a_layout_stays_with_its_agency_unless_the_form_matches(agencies_env, agencies_corpus):
    """GIVEN form 0 learned at agency north WHEN agency south sends its own other form THEN
    south's reading is the general one (no layout used); WHEN south sends a copy of the same
    form THEN it is read with north's layout; a decision at south never changes north's."""
    env, corpus, seed = agencies_env, agencies_corpus, AGENCIES_SEED
    truth = {t["file"]: t for t in
             (json.loads(x) for x in (corpus / "truth.jsonl").read_text().splitlines())}
    first = f"docs/form-{seed}-0/copy-01-clean.pdf"
    row = _ingest(corpus / first, agency="north")[0]
    assert row["status"] == RecordStatus.NEEDS_REVIEW
    assert _decide(row, truth[first]["fields"]) == 0
    with env() as s:
        north = s.scalars(select(LearnedLayout)).one()
        assert north.agency == "north"
        north_sources = list(north.sources)
    other = _ingest(corpus / f"docs/form-{seed}-1/copy-01-clean.pdf", agency="south")[0]
    same = _ingest(corpus / f"docs/form-{seed}-0/copy-02-good_scan.pdf", agency="south")[0]
    assert same["status"] == RecordStatus.VERIFIED, same["reasons"]
    with env() as s:
        uses = {u.record_id: u.layout_id for u in s.scalars(select(LayoutUse))}
        # south's other form is read by the general reader alone (whatever it makes of it:
        # since the caption columns it reads this form too), the copy with north's layout
        assert other["record_id"] not in uses
        assert uses == {same["record_id"]: north.id}
        # south's own decision on the form teaches south, not north
        layouts.learn_from_decision(s, s.get(TrainingRecord, same["record_id"]), "rex")
        s.flush()
        by_agency = {x.agency: x for x in s.scalars(select(LearnedLayout))}
        assert set(by_agency) == {"north", "south"}
        assert by_agency["north"].sources == north_sources
        assert by_agency["south"].sources[0]["reviewer"] == "rex"
        # a document of south now gets south's layout first
        assert layouts.layout_hints(s, "south")[0].layout_id == by_agency["south"].id
        s.rollback()


# --- a value read together with its caption ---------------------------------------------------


def test_a_value_read_with_the_caption_under_it_is_learned_at_its_own_line(env, corpus, truth):
    """GIVEN a form whose hours caption is printed under the value's line ('8' over
    'CLOCK HOURS'), read by the general reader as one value over both lines WHEN a decision
    on its first copy teaches the form THEN the hours place learned is the value's own line
    (not a box over value and caption, whose middle would read the caption's line on later
    copies), and later copies are read at it with the right hours."""
    first = f"docs/form-{SEED}-2/copy-01-clean.pdf"
    row = _ingest(corpus / first)[0]
    with session_scope(env) as s:
        record = s.get(TrainingRecord, row["record_id"])
        read_top, read_bottom = record.fields["hours"]["bbox"][1::2]
        assert read_bottom - read_top > 20, "the reader no longer joins the caption: no test"
        record.status = RecordStatus.VERIFIED  # as a reviewer's approval leaves it
        layouts.learn_from_decision(s, record, "rita")
    with env() as s:
        layout = s.scalars(select(LearnedLayout)).one()
        _x0, top, _x1, bottom = layout.fields["hours"]["box"]
        assert bottom - top < 0.025  # one line of 11.5 pt type, in page widths (two: 0.04)
    for rel in (f"docs/form-{SEED}-2/copy-02-good_scan.pdf",
                f"docs/form-{SEED}-2/copy-03-clean.pdf"):
        nxt = _ingest(corpus / rel)[0]
        assert nxt["status"] == RecordStatus.VERIFIED, (rel, nxt["reasons"])
        assert _norm("hours", nxt["hours"]) == _norm("hours", truth[rel]["fields"]["hours"])
        with env() as s:
            assert s.scalars(select(LayoutUse).where(
                LayoutUse.record_id == nxt["record_id"])).one().layout_id == layout.id


# --- a page read as not a training document -------------------------------------------------


def test_a_page_made_a_certificate_by_the_reviewer_teaches_its_form(env, tmp_path):
    """GIVEN a form whose wording leaves it open (a request form that also reports the
    training done, read as not a training document) WHEN the
    reviewer says it is a certificate and gives its values THEN it is verified, its form is
    learned, and the next copy is read as a certificate at the learned places and verified
    (by every rule, as any certificate); any other kind is refused."""
    ref, recs = valid_records(SEED, 12)
    # one slip for asking to attend and for reporting the training done: its wording says
    # "request" and nothing says the training was done, so the reader leaves it to a person
    # however complete the page looks
    style = replace(form_style(SEED, 1), title="Member Activity Slip",
                    statement="Training request: keep this slip with the member's file.")
    paths = []
    dated = [r for r in recs[6:] if r.day is not None and r.hours is not None and r.instructor]
    for k, (rec, condition) in enumerate(((dated[0], "clean"), (dated[1], "good_scan"))):
        path = tmp_path / f"slip-{k}-{condition}.pdf"
        write_form(path, style, printed_values(rec, style), condition, SEED)
        paths.append((path, truth_fields(rec)))
    row = _ingest(paths[0][0])[0]
    assert row["document_kind"] == "unknown"
    assert "not_training_document" in row["reasons"]
    assert main(["review", "decide", row["record_id"], "--set", "document_kind=bogus",
                 "--approve", "--as", "rita"]) == 1  # only a certificate, and said so
    assert _decide(row, paths[0][1], "--set", "document_kind=certificate") == 0
    with env() as s:
        record = s.get(TrainingRecord, row["record_id"])
        assert record.status == RecordStatus.VERIFIED and record.document_kind == "certificate"
        layout = s.scalars(select(LearnedLayout)).one()
        assert layout.kind == "certificate"
        assert {"badge_number", "hours", "training_date"} <= set(layout.fields)
    nxt = _ingest(paths[1][0])[0]
    assert nxt["document_kind"] == "certificate"
    assert nxt["status"] == RecordStatus.VERIFIED, nxt["reasons"]
    for name in ("badge_number", "training_date", "hours"):
        assert _norm(name, nxt[name]) == _norm(name, paths[1][1][name]), name
