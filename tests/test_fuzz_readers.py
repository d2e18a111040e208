"""Bounded fuzzing of the PDF, image and CSV readers (issue 19, point 8).

GIVEN a valid file mutated by Hypothesis (cut short, bytes overwritten), WHEN it is read,
THEN the reader returns pages (or a report) or raises one of Credence's own errors: never
anything else. Each property runs a few seconds (``max_examples``, derandomized so a run is
repeatable); a finding becomes an example of its own here (``@example``) and a fix.
"""

from __future__ import annotations

from pathlib import Path

from hostile_files import certificate_pdf, multipage_tiff, page_jpeg, page_png
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from course_catalog.importers import import_officers
from extractors.errors import CredenceError
from extractors.images import iter_image_pages, sniff_file_type
from extractors.reading import ReadContext, read_document

BOUNDED = settings(max_examples=40, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

_SEEDS = {"pdf": certificate_pdf(), "png": page_png(size=(200, 260)),
          "jpeg": page_jpeg(size=(200, 260)), "tiff": multipage_tiff(2)}


def mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """``seed`` cut at some length with a few bytes overwritten."""
    edits = st.lists(st.tuples(st.integers(0, len(seed) - 1), st.integers(0, 255)), max_size=6)

    def apply(cut_at: int, changes: list[tuple[int, int]]) -> bytes:
        data = bytearray(seed)
        for where, value in changes:
            data[where] = value
        return bytes(data[:cut_at])

    return st.builds(apply, st.integers(0, len(seed)), edits)


def _read_all(path: Path, tmp: Path) -> int:
    ctx = ReadContext(work_dir=tmp / "work", dpi=100, keep_page_images=False,
                      ocr_timeout=10)
    return sum(1 for _ in read_document(path, ctx))


@BOUNDED
@given(data=mutated(_SEEDS["pdf"]))
@example(data=_SEEDS["pdf"][:40])
def test_pdf_reader_raises_only_credence_errors(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("pdf")
    path = tmp / "f.pdf"
    path.write_bytes(data)
    try:
        _read_all(path, tmp)
    except CredenceError:
        pass


@BOUNDED
@given(kind=st.sampled_from(["png", "jpeg", "tiff"]), data=st.data())
def test_image_reader_raises_only_credence_errors(tmp_path_factory, kind, data):
    raw = data.draw(mutated(_SEEDS[kind]))
    path = tmp_path_factory.mktemp("img") / f"f.{kind}"
    path.write_bytes(raw)
    try:
        found = sniff_file_type(path)
        pages = [] if found.value == "pdf" else list(
            iter_image_pages(path, found, max_pixels=50_000_000))
    except CredenceError:
        return
    assert all(p.image.width > 0 and p.image.height > 0 for p in pages)


_ROSTER = (b"badge_number,first_name,last_name,state,role,cycle_start,cycle_end\n"
           b"1001,Ana,Ruiz,TX,sworn,2025-01-01,2026-12-31\n"
           b'1002,"Bo, Jr.",Li,TX,dispatcher,2025-01-01,2026-12-31\n')


@BOUNDED
@given(data=st.one_of(mutated(_ROSTER), st.binary(max_size=400),
                      st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass"))))
@example(data=b"badge_number;first_name;last_name;state;role\n1;A;B;TX;sworn\n")
@example(data=b"\xff\xfe" + "badge_number".encode("utf-16-le"))
def test_csv_importer_reports_and_never_crashes(session, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "officers.csv"
    path.write_bytes(data)
    try:
        report = import_officers(session, path)
    except CredenceError:
        return
    finally:
        session.rollback()
    # Every problem is reported where it is, in words for the clerk.
    assert all(e.row >= 1 and e.reason for e in report.errors)
    assert not report.file_rejected or report.errors
