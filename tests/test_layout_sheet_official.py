"""A sheet form's training-official block learned from a reviewer's decision (issue 17).

A sign-in sheet form of our own (devtools.samplegen.forms) whose official's signature line
is captioned in words no list holds, with an attestation sentence of its own between the
table and the line: the general reader cannot tell whose line it is, so a sheet of it waits
for review with ``official_signed`` undecided. A reviewer's decision (``credence review
decide ... --set official_signed=yes``) teaches where the official signs, measured from the
table's end: later copies with another number of rows (the block lower or higher on the
page) are decided there by the ink measure. Rendered and read for real; every decision goes
through the contract command.
"""

from __future__ import annotations

import io
import json
import random
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from devtools.samplegen import signin as sg
from devtools.samplegen.degrade import scan_document, write_container
from devtools.samplegen.forms import generate_form_corpus, render_sheet_form_pdf, sheet_form_style
from devtools.samplegen.reference import build_reference
from extractors.layout_evidence import learned_sheet
from extractors.official_place import LEARNED_NOTE
from extractors.pdf_text import open_pdf, read_graphics, read_text_layer
from extractors.signin import extract_sign_in
from extractors.types import ReferenceHints
from ingestion.models import Page
from review_ui.accounts import create_user
from tests.production_support import import_reference, production_env
from verification import layouts
from verification.models import LearnedLayout, RecordStatus, TrainingRecord

SEED = 23
#: The official's block in words of this form's own: no caption list holds them.
CAPTION = "Proctor Countersignature"
ATTESTATION = "Entries above were checked against the class roll at dismissal."


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Reference data for the seed (the roster and catalog the sheets' rows come from)."""
    return generate_form_corpus(tmp_path_factory.mktemp("forms"), SEED, styles=1, per_style=1)


@pytest.fixture
def env(corpus, tmp_path, monkeypatch):
    """A fresh database with the reference data and a reviewer."""
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/credence.db", None)
    import_reference(settings, corpus)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        create_user(s, "rita", "a-long-password", "reviewer")
    yield sessions
    engine.dispose()


def _form(official_x: float = 64.0):
    """Sheet form 1 of the seed, its official's block re-worded and moved to the left."""
    return replace(sheet_form_style(SEED, 1), official_caption=CAPTION, attestation=ATTESTATION,
                   official_x=official_x)


def _sheet(index: int, rows: int, tmp: Path, *, official_signed: bool = True,
           official_x: float = 64.0) -> Path:
    """A copy of the form with ``rows`` valid, signed attendees (one page)."""
    ref = build_reference(SEED)
    rng = random.Random(f"official-block-{index}")
    sheet = sg.plan_sheet(rng, ref, 900 + index, "typed_roster", "clean", set(), rows=12)
    assert sheet is not None
    sheet.rows = [r for r in sheet.rows if r.case == "valid"][:rows]
    assert len(sheet.rows) == rows
    sheet.official_signed = official_signed
    path = tmp / f"official-{index}.pdf"
    path.write_bytes(render_sheet_form_pdf(sheet, _form(official_x), SEED))
    return path


def _export() -> list[dict]:
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["records", "export", "--format", "jsonl"]) == 0
    return [json.loads(x) for x in buf.getvalue().splitlines()]


def _ingest(path: Path) -> list[dict]:
    known = {r["record_id"] for r in _export()}
    assert main(["ingest", str(path)]) == 0
    return [r for r in _export() if r["record_id"] not in known]


def _official(sessions, record_id: str) -> dict:
    with sessions() as s:
        return dict(s.get(TrainingRecord, record_id).fields["official_signed"])


def _read(path: Path, hints: ReferenceHints):
    with open_pdf(path) as pages:
        pdf_page = next(pages)
        page, graphics = read_text_layer(pdf_page), read_graphics(pdf_page)
    return page, extract_sign_in(page, graphics=graphics, hints=hints)


def test_a_decided_official_line_teaches_where_the_official_signs(env, tmp_path):
    """GIVEN a sheet form whose official's line is captioned in words the reader does not
    know WHEN its first copy is read THEN every row waits for review with the official's
    signature undecided (the line the reader looked at shown, never decided); WHEN the
    reviewer says the official signed and approves a row THEN the form's official block is
    learned, measured from the table's end; a later copy with fewer rows (the block higher
    on the page) is decided at the learned place and verified, the explanation saying the
    layout was learned; a copy with more rows whose official's line is blank waits for
    review as not signed; a reviewer who then says that blank line was signed doubts the
    learned place, which is no longer used."""
    first = _sheet(1, 5, tmp_path)
    rows = _ingest(first)
    assert rows and all(r["status"] == RecordStatus.NEEDS_REVIEW for r in rows)
    assert all(r["reasons"] == ["not_signed"] for r in rows), [r["reasons"] for r in rows]
    looked = _official(env, rows[0]["record_id"])
    assert looked["value"] is None and looked["bbox"] is not None
    assert CAPTION in looked["raw_text"]
    assert main(["review", "decide", rows[0]["record_id"], "--set", "official_signed=yes",
                 "--approve", "--as", "rita"]) == 0
    with env() as s:
        assert s.get(TrainingRecord, rows[0]["record_id"]).status == RecordStatus.VERIFIED
        layout = s.scalars(select(LearnedLayout)).one()
        place = layout.fields["official_signed"]
        assert place["from"] == "table_end" and place["hits"] == 1
        assert {"proctor", "countersignature", "dismissal"} <= {w[0] for w in place["block"]}
        hints = layouts.layout_hints(s)
    assert hints[0].official is not None

    # the second copy, three rows: read without the lesson, then with it
    second = _sheet(2, 3, tmp_path)
    page, plain = _read(second, ReferenceHints())
    assert plain.official is None and plain.foot is not None and plain.foot.value is None
    assert learned_sheet(page, hints) is not None
    _page, taught = _read(second, ReferenceHints(layouts=hints))
    assert taught.official is not None and taught.official.value is True
    assert LEARNED_NOTE in taught.official.raw_text
    # the block sits two rows higher than on the first copy: the place moved with it
    rise = looked["bbox"][1] - taught.official.bbox.top
    assert rise == pytest.approx(2 * sg.ROW_HEIGHT, abs=2.0)

    # a copy whose official's line and caption stand elsewhere across the page: the learned
    # place does not hold there (its caption is not under it), so nothing is decided
    moved = _sheet(4, 3, tmp_path, official_x=330.0)
    _page, elsewhere = _read(moved, ReferenceHints(layouts=hints))
    assert elsewhere.official is None and elsewhere.foot is not None
    assert elsewhere.foot.value is None

    rows = _ingest(second)
    assert [r["status"] for r in rows] == [RecordStatus.VERIFIED] * 3, [r["reasons"] for r in rows]
    with env() as s:
        record = s.get(TrainingRecord, rows[0]["record_id"])
        assert record.fields["official_signed"]["value"] is True
        assert "layout learned from document" in record.fields["official_signed"]["raw_text"]
        why = record.explanation["layout"]["why"]
        assert why.startswith("layout learned from document ") and "approved by rita" in why

    # a copy of six rows whose official left the line blank: never verified
    blank = _sheet(3, 6, tmp_path, official_signed=False)
    rows = _ingest(blank)
    assert rows and all(r["status"] == RecordStatus.NEEDS_REVIEW for r in rows)
    assert all("not_signed" in r["reasons"] for r in rows)
    unsigned = _official(env, rows[0]["record_id"])
    assert unsigned["value"] is False and LEARNED_NOTE in unsigned["raw_text"]

    # the reviewer says that line was signed after all: the learned place is doubted
    assert main(["review", "decide", rows[0]["record_id"], "--set", "official_signed=yes",
                 "--approve", "--as", "rita"]) == 0
    with env() as s:
        place = s.scalars(select(LearnedLayout)).one().fields["official_signed"]
        assert place["misses"] == 1
        assert all(h.official is None for h in layouts.layout_hints(s))


def _scan(index: int, rows: int, tmp: Path, *, official_signed: bool = True) -> Path:
    """A scanned copy of the form (printed, signed, scanned well)."""
    clean = _sheet(index, rows, tmp, official_signed=official_signed)
    path = tmp / f"official-{index}-good_scan.pdf"
    rng = np.random.default_rng([SEED, index])
    write_container(scan_document(clean.read_bytes(), "good_scan", rng, "pdf"), path, "pdf", rng)
    return path


def test_the_learned_official_place_decides_a_scanned_copy(env, tmp_path):
    """GIVEN the official's block learned from a decided born-digital copy WHEN scanned
    copies of the form come (another number of rows each) THEN the ink at the learned place
    decides: the signed copy is verified, the one whose official's line is blank waits for
    review as not signed."""
    rows = _ingest(_sheet(11, 4, tmp_path))
    assert main(["review", "decide", rows[0]["record_id"], "--set", "official_signed=yes",
                 "--approve", "--as", "rita"]) == 0
    signed = _ingest(_scan(12, 3, tmp_path))
    assert [_official(env, r["record_id"])["value"] for r in signed] == [True] * 3
    assert LEARNED_NOTE in _official(env, signed[0]["record_id"])["raw_text"]
    assert [r["status"] for r in signed] == [RecordStatus.VERIFIED] * 3, \
        [r["reasons"] for r in signed]
    with env() as s:
        sources = {p.source for p in s.scalars(select(Page))}
    assert "ocr" in sources  # read from the scan's image, not a text layer
    blank = _ingest(_scan(13, 5, tmp_path, official_signed=False))
    assert blank and all(r["status"] == RecordStatus.NEEDS_REVIEW for r in blank)
    assert all("not_signed" in r["reasons"] for r in blank)
    assert [_official(env, r["record_id"])["value"] for r in blank] == [False] * len(blank)
