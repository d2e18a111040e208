"""Where a document's time goes (issue 13): stages, tesseract runs, and why a page read twice."""

from __future__ import annotations

import logging
from pathlib import Path

from PIL import Image
from production_support import (  # noqa: F401  (corpus is a fixture)
    corpus,
    import_reference,
    production_env,
    register,
)

from credence.db import make_engine, make_session_factory
from extractors import timing
from extractors._tesseract import ocr_words
from ingestion.jobs import process_document
from ingestion.models import Document


def test_nested_stages_count_only_for_the_innermost_and_outside_collecting_nothing_is_kept():
    """GIVEN stages inside stages WHEN collected THEN each stage has its own entry, and the
    parts add up to the whole (no time counted twice)."""
    with timing.stage("read"):  # nobody collecting: a no-op
        pass
    with timing.collecting() as times:
        with timing.stage("read"):
            with timing.stage("preprocess"):
                sum(range(20000))
            sum(range(20000))
        whole = sum(times.seconds.values())
    assert set(times.seconds) == {"read", "preprocess"}
    assert all(v > 0 for v in times.seconds.values())
    assert whole == sum(times.seconds.values())
    assert timing.current() is None


def test_a_second_full_reading_of_a_page_is_counted_as_such_and_says_why(tmp_path, caplog):
    """GIVEN a page read twice in full (as a page turned upright is) and once as a line
    WHEN timed THEN the first read is OCR, the others second readings, and the log and the
    record name the reason."""
    page = Image.new("L", (600, 200), 255)
    with timing.collecting() as times, caplog.at_level(logging.INFO, "extractors.timing"):
        ocr_words(page, 300, timeout=30, purpose="ocr")
        ocr_words(page, 300, timeout=30, purpose="ocr180")
        ocr_words(page, 300, timeout=30, psm=7)
        times.end_page(3)
    assert times.tesseract == {"page": 2, "region": 1}
    assert {"ocr", "second_reading"} <= set(times.seconds)
    assert times.extra_full_reads == ["p3: ocr180"]
    assert "page 3: 2 full readings (ocr180)" in caplog.text
    again = timing.StageTimes.from_dict(times.to_dict())
    assert again.tesseract == times.tesseract and again.pages == 1


def test_a_processed_scan_keeps_its_stage_split(monkeypatch, tmp_path: Path, corpus: Path):  # noqa: F811
    """GIVEN a scanned certificate WHEN the job processes it THEN the document row holds the
    time of each stage it went through and one full OCR for its one page."""
    settings = production_env(monkeypatch, tmp_path, f"sqlite:///{tmp_path}/t.db", None)
    import_reference(settings, corpus)
    scan = sorted((corpus / "docs" / "good_scan").iterdir())[0]
    [doc_id] = register(settings, [scan])
    assert process_document(doc_id, settings) == "done"
    with make_session_factory(make_engine(settings.database_url))() as session:
        timings = session.get(Document, doc_id).timings
    assert {"claim", "read", "preprocess", "ocr", "extraction", "verification", "save"} <= set(
        timings["seconds"])
    assert timings["pages"] == 1
    assert timings["tesseract"]["page"] == 1
    assert timings["extra_full_reads"] == []
