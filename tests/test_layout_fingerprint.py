"""Layout fingerprints (extractors.layout_fingerprint) on forms our generator fills in.

Two forms of one agency (devtools.samplegen.forms: the same letterhead, captions and boxes of
their own), each filled in for different officers and courses, born-digital and scanned
(a good scan, a skewed scan, a fax), read by the real reader (pdfium / tesseract).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from devtools.samplegen.forms import form_style, generate_form_corpus
from extractors.layout_fingerprint import (
    MATCH_SCORE,
    Fingerprint,
    fingerprint_page,
    match_layout,
    similar,
    stable_anchors,
)
from extractors.reading import ReadContext, read_document
from extractors.types import BBox, PageText

SEED = 3
CONDITIONS = ("clean", "good_scan", "skewed", "fax")


@pytest.fixture(scope="module")
def form_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("forms")
    return generate_form_corpus(out, SEED, styles=2, per_style=len(CONDITIONS),
                                conditions=CONDITIONS)


@pytest.fixture(scope="module")
def pages(form_dir) -> dict[tuple[str, str], PageText]:
    out = form_dir
    ctx = ReadContext(work_dir=out / "work", keep_page_images=False)
    read = {}
    for path in sorted((out / "docs").rglob("*.pdf")):
        condition = path.stem.split("-", 2)[2]
        read[(path.parent.name, condition)] = next(read_document(path, ctx)).text
    return read


def test_both_forms_belong_to_one_agency():
    assert form_style(SEED, 0).agency == form_style(SEED, 1).agency
    assert form_style(SEED, 0).title != form_style(SEED, 1).title


@pytest.mark.parametrize("condition", CONDITIONS[1:])
def test_same_form_other_fill_ins_and_scan_damage_match(pages, condition):
    """GIVEN the fingerprint of a born-digital copy WHEN another copy, filled in for someone
    else and scanned (shifted, scaled, skewed, OCR'd), is compared THEN it matches."""
    for form in ("form-3-0", "form-3-1"):
        fp = fingerprint_page(pages[(form, "clean")])
        result = match_layout(fp, pages[(form, condition)])
        assert result.matched, (form, condition, result.score)


@pytest.mark.parametrize("condition", CONDITIONS)
def test_another_form_of_the_same_agency_does_not_match(pages, condition):
    for mine, other in (("form-3-0", "form-3-1"), ("form-3-1", "form-3-0")):
        fp = fingerprint_page(pages[(mine, "clean")])
        result = match_layout(fp, pages[(other, condition)])
        assert not result.matched and result.score < MATCH_SCORE / 2, (mine, other, result)


def test_a_scan_learned_first_matches_the_born_digital_copy(pages):
    fp = fingerprint_page(pages[("form-3-0", "fax")])
    assert match_layout(fp, pages[("form-3-0", "clean")]).matched
    assert not match_layout(fp, pages[("form-3-1", "clean")]).matched


def test_values_are_left_out_and_a_second_copy_keeps_what_is_printed(pages):
    page = pages[("form-3-0", "clean")]
    everything = fingerprint_page(page)
    value_boxes = [w.bbox for w in page.words if w.bbox.x0 > page.width / 2]
    without = fingerprint_page(page, value_boxes)
    assert 0 < len(without.anchors) < len(everything.anchors)
    second = pages[("form-3-0", "good_scan")]
    kept = stable_anchors(everything, match_layout(everything, second))
    assert len(kept.anchors) < len(everything.anchors)
    assert match_layout(kept, second).score > match_layout(everything, second).score


def test_offset_and_scale_are_absorbed(pages):
    page = pages[("form-3-1", "clean")]

    def moved(b: BBox) -> BBox:
        return BBox(b.x0 * 0.93 + 21, b.top * 0.93 + 14, b.x1 * 0.93 + 21, b.bottom * 0.93 + 14)

    shifted = replace(page, words=tuple(replace(w, bbox=moved(w.bbox)) for w in page.words))
    result = match_layout(fingerprint_page(page), shifted)
    assert result.score > 0.95
    assert result.transform.scale == pytest.approx(0.93, abs=0.01)


def test_a_page_of_another_shape_never_matches(pages):
    page = pages[("form-3-0", "clean")]
    fp = fingerprint_page(page)
    wide = Fingerprint(fp.aspect * 1.3, fp.anchors)
    assert match_layout(wide, page).score == 0


@pytest.mark.parametrize(("a", "b", "same"), [
    ("enrollee", "enrollee", True), ("enrollee", "enro1lee", True),
    ("enrollee", "enrolment", False), ("enrollee", "enrolee", True),
    ("venue", "venne", True), ("site", "sits", False), ("subject", "subjects", True),
])
def test_ocr_slips_are_forgiven_in_longer_words(a, b, same):
    assert similar(a, b) is same


def test_a_page_of_a_learned_certificate_form_is_recognised_as_that_form(pages):
    from extractors.layout_evidence import LayoutHint, learned_certificate

    hint = LayoutHint(7, fingerprint_page(pages[("form-3-0", "clean")]), (), "learned")
    assert learned_certificate(pages[("form-3-0", "fax")], (hint,)) is hint
    assert learned_certificate(pages[("form-3-1", "fax")], (hint,)) is None


def _learned_hint(form_dir: Path, page: PageText, swap: bool = False):
    """A hint as learning makes it: the truth's values located on ``page``."""
    from extractors.layout_evidence import LayoutHint, locate_value
    from extractors.layout_fingerprint import normalised_box

    lines = [json.loads(x) for x in (form_dir / "truth.jsonl").read_text().splitlines()]
    fields = next(t["fields"] for t in lines if t["file"].endswith("form-3-0/copy-01-clean.pdf"))
    boxes = {n: locate_value(page, n, v) for n, v in fields.items() if v is not None}
    places = {n: normalised_box(b, page) for n, b in boxes.items() if b is not None}
    if swap:  # every place holds another field's value
        names = sorted(places)
        places = dict(zip(names, [places[n] for n in names[1:] + names[:1]], strict=True))
    fp = fingerprint_page(page, [b for b in boxes.values() if b is not None])
    return LayoutHint(9, fp, tuple(sorted(places.items())), "layout learned from document D")


def test_a_learned_layout_gives_read_values_at_its_places(form_dir, pages):
    """GIVEN a layout learned from the born-digital copy WHEN a faxed copy filled in for
    someone else is read THEN each place gives a candidate read there, explained."""
    from extractors.certificate import prepare_page
    from extractors.layout_evidence import layout_candidates

    hint = _learned_hint(form_dir, pages[("form-3-0", "clean")])
    assert len(hint.fields) >= 7
    fax = pages[("form-3-0", "fax")]
    evidence = layout_candidates(prepare_page(fax), (hint,))
    assert evidence.layout_id == 9
    found = {c.field for c in evidence.candidates}
    assert len(found) >= 6
    assert all(c.why == "layout learned from document D" for c in evidence.candidates)
    words = " ".join(w.text for w in fax.words)
    assert all(str(c.raw).split()[0] in words for c in evidence.candidates)  # read, not given


def test_a_layout_whose_places_hold_the_wrong_types_falls_back(form_dir, pages):
    from extractors.certificate import prepare_page
    from extractors.layout_evidence import layout_candidates

    hint = _learned_hint(form_dir, pages[("form-3-0", "clean")], swap=True)
    evidence = layout_candidates(prepare_page(pages[("form-3-0", "good_scan")]), (hint,))
    assert evidence.layout_id is None and evidence.candidates == ()
    assert "general reading" in evidence.note


def test_a_learned_place_is_read_again_on_a_scan_where_the_page_gave_nothing(form_dir):
    """GIVEN a layout learned from the born-digital copy and a good scan of another copy
    whose page reading lost its date and hours (a fax's garbling, a blur) WHEN the learned
    places are read again on their own THEN the date and hours printed there are read, as
    the truth has them; where nothing is printed at the place nothing is read (the layout
    never gives a value); a record read without the layout is left alone."""
    from PIL import ImageDraw

    from extractors.learned_places import _place, read_learned_places
    from extractors.types import DocumentKind, ExtractedRecord, ReferenceHints

    ctx = ReadContext(work_dir=form_dir / "work-places", keep_page_images=False)
    clean = next(read_document(form_dir / "docs/form-3-0/copy-01-clean.pdf", ctx)).text
    scan = next(read_document(form_dir / "docs/form-3-0/copy-02-good_scan.pdf", ctx))
    hint = _learned_hint(form_dir, clean)
    hints = ReferenceHints(layouts=(hint,))
    lines = [json.loads(x) for x in (form_dir / "truth.jsonl").read_text().splitlines()]
    truth = next(t["fields"] for t in lines if t["file"].endswith("form-3-0/copy-02-good_scan.pdf"))
    lost = ExtractedRecord(1, DocumentKind.CERTIFICATE, {}, layout_id=hint.layout_id)
    read = read_learned_places(lost, scan.text, scan.image, scan.text.dpi, hints)
    assert str(read.value("training_date")) == truth["training_date"]
    assert read.value("hours") == truth["hours"]
    assert read.fields["hours"].raw_text  # what was read there, kept for the reviewer
    # the date's place blanked: nothing is read there
    blank = scan.image.copy()
    fit = match_layout(hint.fingerprint, scan.text).transform
    box = _place(scan.text, fit.box(dict(hint.fields)["training_date"]))
    k = scan.text.dpi / 72
    ImageDraw.Draw(blank).rectangle((box.x0 * k, box.top * k, box.x1 * k, box.bottom * k),
                                    fill=255)
    assert read_learned_places(lost, scan.text, blank, scan.text.dpi, hints).value(
        "training_date") is None
    general = ExtractedRecord(1, DocumentKind.CERTIFICATE, {})
    assert read_learned_places(general, scan.text, scan.image, scan.text.dpi, hints) == general


def test_a_page_whose_reading_lost_whole_lines_keeps_its_layout_and_reads_them_again(form_dir):
    """GIVEN a layout learned from the born-digital copy and a scan of another copy whose
    reading lost three of the form's lines altogether (a blurred scan: no caption, no value,
    nothing read there) WHEN read THEN the lost places are no evidence against the layout
    (a place holding a value of the wrong type is), so the page is read with it, and the
    lost places are read again on the image: course number, officer and date as the truth
    has them (the name and number as read, compared by their letters and digits)."""
    from extractors.certificate import extract_certificate, prepare_page
    from extractors.layout_evidence import layout_candidates
    from extractors.learned_places import read_learned_places
    from extractors.types import ReferenceHints

    ctx = ReadContext(work_dir=form_dir / "work-lost", keep_page_images=False)
    clean = next(read_document(form_dir / "docs/form-3-0/copy-01-clean.pdf", ctx)).text
    scan = next(read_document(form_dir / "docs/form-3-0/copy-02-good_scan.pdf", ctx))
    hint = _learned_hint(form_dir, clean)
    w = scan.text.width
    lossy = replace(scan.text, words=tuple(x for x in scan.text.words
                                           if not 0.66 <= x.bbox.center_y / w <= 0.97))
    assert layout_candidates(prepare_page(lossy), (hint,)).layout_id == hint.layout_id
    hints = ReferenceHints(layouts=(hint,))
    record = extract_certificate(lossy, hints)
    assert record.layout_id == hint.layout_id
    assert all(record.value(n) is None for n in ("post_number", "officer_name", "training_date"))
    again = read_learned_places(record, lossy, scan.image, scan.text.dpi, hints)
    lines = [json.loads(x) for x in (form_dir / "truth.jsonl").read_text().splitlines()]
    truth = next(t["fields"] for t in lines if t["file"].endswith("form-3-0/copy-02-good_scan.pdf"))
    assert again.value("post_number").replace(" ", "") == truth["post_number"].replace(" ", "")
    assert again.value("officer_name") == truth["officer_name"]
    assert str(again.value("training_date")) == truth["training_date"]
