"""The text layer of born-digital PDFs: pdfium's characters grouped into pdfplumber's words.

The reader takes characters from pdfium (C speed) and groups them the way pdfplumber's
``extract_words`` does. These tests hold it to pdfplumber's words on the generator's
certificates and sheets, and check the cases where the layer must not be trusted or needs
care: glyphs without a Unicode mapping, a scan placed through a form XObject, text inside a
scaled form, ligatures, a file whose cross-reference table had to be rebuilt.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from devtools.samplegen.corpus import generate_corpus
from extractors.marks import EMPTY, MARKED
from extractors.pdf_text import open_pdf, read_text_layer
from extractors.reading import ReadContext, read_document
from extractors.types import FieldSource

SAMPLES = Path(__file__).parent / "samples" / "reading"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.fixture
def ctx(tmp_path: Path) -> ReadContext:
    return ReadContext(work_dir=tmp_path / "work", page_image_dir=tmp_path / "pages")


def _text_layers(path: Path) -> list:
    with open_pdf(path) as pages:
        return [read_text_layer(page) for page in pages]


def _plumber_words(path: Path) -> list[list[dict]]:
    """pdfplumber's own words, without the letters set at an angle (as the reader does)."""
    def level(ch: dict) -> bool:
        a, b = ch["matrix"][:2]
        return a > 0 and abs(b) <= 0.1 * a

    with pdfplumber.open(path) as pdf:
        return [[w for w in page.extract_words(return_chars=True)
                 if all(level(ch) for ch in w["chars"])] for page in pdf.pages]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate_corpus(tmp_path_factory.mktemp("corpus"), seed=13, count=12,
                           conditions=("clean",), sheets=4, sheet_conditions=("clean",))


def test_words_and_boxes_are_pdfplumbers_on_generated_paperwork(corpus: Path) -> None:
    """GIVEN the generator's born-digital certificates, letters and sheets WHEN their text
    layers are read THEN every page has pdfplumber's words, in pdfplumber's order, each box
    within 1 pt of pdfplumber's, a big title's within 15 % of its size: pdfium puts the foot
    at the font program's descent (pdfminer at the font descriptor's), and a line's last
    letter ends at its outline where that runs past the advance (an italic 'f')."""
    pdfs = sorted((corpus / "docs").rglob("*.pdf"))
    assert len(pdfs) >= 12
    pages = 0
    for pdf in pdfs:
        ours = _text_layers(pdf)
        theirs = _plumber_words(pdf)
        for text, expected in zip(ours, theirs, strict=True):
            if text is None:
                continue  # a page that goes to OCR (none of the clean pages should)
            pages += 1
            text, expected = _without_checkboxes(text, expected)
            # Same words in the same reading order (lines top to bottom, left to right).
            assert [w.text for w in text.words] == [
                w["text"] for w in expected if "(cid:" not in w["text"]
            ] or _only_unmapped_differ(text.words, expected), pdf.name
            for word, want in zip(text.words, expected, strict=False):
                tolerance = max(1.0, 0.15 * (want["bottom"] - want["top"]))
                assert word.bbox.to_list() == pytest.approx(
                    [want["x0"], want["top"], want["x1"], want["bottom"]], abs=tolerance), word.text
    assert pages >= 12


def test_handwriting_set_letter_by_letter_splits_where_its_spaces_are(tmp_path: Path) -> None:
    """GIVEN a born-digital sheet filled in 'by hand', each letter (spaces too) drawn on its
    own at a slant WHEN read THEN the names split into words where the drawn spaces are, as
    pdfplumber splits them (pdfium drops such a space and guesses its own)."""
    import random

    from devtools.samplegen.reference import build_reference
    from devtools.samplegen.signin import grow_roster, plan_sheet, render_sheet_pdf

    ref = grow_roster(build_reference(5), 5)
    sheet = plan_sheet(random.Random(5), ref, 0, "handwritten", "clean", set(), rows=12)
    assert sheet is not None
    pdf = tmp_path / "handwritten.pdf"
    pdf.write_bytes(render_sheet_pdf(sheet, 5)[0])
    [text] = _text_layers(pdf)
    [expected] = _plumber_words(pdf)
    assert text is not None
    assert [w.text for w in text.words] == [w["text"] for w in expected]
    names = " ".join(w.text for w in text.words)
    for row in sheet.rows[:3]:
        assert row.printed_name.split()[0] in names.split()


def _without_checkboxes(text, expected):
    """Both word lists without the form's checkboxes: ours writes each drawn box as a word
    of its own (``[x]`` / ``[_]``, extractors.marks) in place of a mark typed into it, which
    pdfplumber gives as a word."""
    boxes = [w.bbox for w in text.words if w.text in (MARKED, EMPTY)]

    def in_box(e) -> bool:
        return any(b.x0 - 2 <= e["x0"] and e["x1"] <= b.x1 + 2 and b.top - 2 <= e["top"]
                   and e["bottom"] <= b.bottom + 2 for b in boxes)

    words = tuple(w for w in text.words if w.text not in (MARKED, EMPTY))
    return replace(text, words=words), [e for e in expected if not in_box(e)]


def _only_unmapped_differ(words, expected) -> bool:
    """pdfminer writes '(cid:NN)' for a glyph it cannot map that pdfium maps (a bullet)."""
    return len(words) == len(expected) and all(
        w.text == e["text"] or "(cid:" in e["text"] for w, e in zip(words, expected, strict=True))


def _type3_garbled_pdf(path: Path) -> Path:
    """A page whose text uses a Type 3 font with made-up glyph names and no ToUnicode map:
    it draws letters a viewer shows, but nothing says which letters they are."""
    glyph = b"0 0 0 0 1 1 d1 0 0 1 1 re f"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,  # the content stream, below
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1 1] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /CharProcs << /g1 6 0 R /g2 7 0 R /g3 8 0 R >> /Encoding << /Type /Encoding"
        b" /Differences [1 /g1 /g2 /g3] >> /FirstChar 1 /LastChar 3 /Widths [600 600 600] >>",
    ]
    lines = b"".join(
        b"BT /F1 14 Tf 72 %d Td (\x01\x02\x03\x01 \x02\x03\x01 \x03\x02\x01\x02) Tj ET\n"
        % (700 - 20 * i) for i in range(12))
    objects[3] = b"<< /Length %d >>\nstream\n" % len(lines) + lines + b"\nendstream"
    objects += [b"<< /Length %d >>\nstream\n" % len(glyph) + glyph + b"\nendstream"] * 3
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_glyphs_without_a_unicode_mapping_send_the_page_to_ocr(tmp_path: Path,
                                                               ctx: ReadContext) -> None:
    """GIVEN a page whose font maps no glyph to a letter WHEN read THEN its text layer is not
    trusted (pdfminer would show '(cid:1)'): the page is rendered and OCR'd instead."""
    pdf = _type3_garbled_pdf(tmp_path / "type3.pdf")
    assert _text_layers(pdf) == [None]
    [page] = list(read_document(pdf, ctx))
    assert page.text.source is FieldSource.OCR


def _scan_image(tmp_path: Path) -> Path:
    path = tmp_path / "scan.png"
    Image.new("L", (425, 550), 235).save(path)
    return path


def test_a_scan_placed_through_a_scaled_form_is_a_scan(tmp_path: Path) -> None:
    """GIVEN a scan drawn inside a form XObject at half size, the form placed at twice its
    size, and a scanner's 'Scanned by' caption as the only text WHEN the text layer is read
    THEN the image is found to cover the page and the caption is not taken for the page."""
    pdf = tmp_path / "form-scan.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter)
    c.beginForm("scan")
    c.drawImage(ImageReader(str(_scan_image(tmp_path))), 0, 0, 306, 396)
    c.endForm()
    c.saveState()
    c.scale(2, 2)
    c.doForm("scan")
    c.restoreState()
    c.setFont("Helvetica", 8)
    c.drawString(20, 20, "Scanned by OfficeJet 4 on 2026-03-01")
    c.showPage()
    c.save()
    assert _text_layers(pdf) == [None]


def test_text_inside_a_scaled_form_is_placed_on_the_page(tmp_path: Path) -> None:
    """GIVEN a certificate's lines drawn in a form XObject placed at 1.5 x WHEN read THEN
    the words sit where the page shows them, at the size it shows them."""
    pdf = tmp_path / "form-text.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter)
    c.beginForm("body")
    c.setFont("Helvetica", 12)
    for i, line in enumerate(["Certificate of Completion", "This certifies that",
                              "Officer Jane Roe", "completed De-escalation Tactics"]):
        c.drawString(20, 200 - 20 * i, line)
    c.endForm()
    c.saveState()
    c.translate(60, 300)
    c.scale(1.5, 1.5)
    c.doForm("body")
    c.restoreState()
    c.showPage()
    c.save()
    [text] = _text_layers(pdf)
    assert text is not None
    assert [line.text for line in text.lines()][:3] == [
        "Certificate of Completion", "This certifies that", "Officer Jane Roe"]
    first = text.words[0].bbox
    assert first.x0 == pytest.approx(60 + 1.5 * 20, abs=0.5)
    assert first.height == pytest.approx(18, abs=0.5)  # 12 pt at 1.5 x
    assert first.bottom == pytest.approx(792 - (300 + 1.5 * 200) + 18 * 0.25, abs=2.0)


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs fonts-dejavu-core")
def test_ligatures_are_spelled_out(tmp_path: Path) -> None:
    """GIVEN 'ﬁnal' and 'eﬀective' set with ligature glyphs WHEN read THEN the words are
    'final' and 'effective', as a clerk would type them and the catalog spells them."""
    pdfmetrics.registerFont(TTFont("LigTest-DejaVu", str(DEJAVU)))
    pdf = tmp_path / "ligatures.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter)
    c.setFont("LigTest-DejaVu", 14)
    c.drawString(72, 700, "Course \ufb01nal exam: \ufb00ective communication")
    c.showPage()
    c.save()
    [text] = _text_layers(pdf)
    assert text is not None
    assert text.lines()[0].text == "Course final exam: ffective communication"


def test_a_file_with_a_broken_cross_reference_table_is_read(tmp_path: Path,
                                                            ctx: ReadContext) -> None:
    """GIVEN a whole certificate whose cross-reference offset points nowhere (a common
    fault of hand-edited or re-saved files) WHEN read THEN both PDF libraries rebuild it and
    the page is read from its text layer; a file cut in half stays a damaged file."""
    data = (SAMPLES / "certificate.pdf").read_bytes()
    broken = re.sub(rb"startxref\s+\d+", b"startxref\n999999", data)
    assert broken != data
    pdf = tmp_path / "broken-xref.pdf"
    pdf.write_bytes(broken)
    [page] = list(read_document(pdf, ctx))
    assert page.text.source is FieldSource.TEXT_LAYER
    assert page.text.lines()[0].text == "CERTIFICATE OF COMPLETION"


def test_graphics_are_read_for_sheets_only(corpus: Path, ctx: ReadContext) -> None:
    """GIVEN born-digital certificates and sign-in sheets WHEN read THEN a sheet's page
    comes with its table rules (for rows and signature cells), a certificate's without:
    listing them is the slow part of pdfplumber and only sheets look at them."""
    kind_of = {}
    for line in (corpus / "truth.jsonl").read_text().splitlines():
        entry = json.loads(line)
        kind_of[(entry["file"], entry["page"])] = entry["kind"]
    seen = {"sign_in_sheet": 0, "certificate": 0}
    for pdf in sorted((corpus / "docs").rglob("*.pdf")):
        for page in read_document(pdf, ctx):
            kind = kind_of.get((pdf.relative_to(corpus).as_posix(), page.text.page_number))
            if kind not in seen or page.text.source is not FieldSource.TEXT_LAYER:
                continue
            seen[kind] += 1
            if kind == "sign_in_sheet":
                assert page.graphics is not None and page.graphics.horizontal, pdf.name
            else:
                assert page.graphics is None, pdf.name
    assert seen["sign_in_sheet"] >= 4 and seen["certificate"] >= 8


def test_a_page_of_sideways_text_alone_is_read_not_taken_for_blank(tmp_path: Path,
                                                                   ctx: ReadContext) -> None:
    """GIVEN a page whose only content is text set sideways (no lines, no images) WHEN read
    THEN it is not an empty page: no level words, but the text is there, so the page is
    rendered and OCR'd upright."""
    pdf = tmp_path / "sideways-only.pdf"
    c = canvas.Canvas(str(pdf), pagesize=letter)
    c.translate(300, 100)
    c.rotate(90)
    c.setFont("Helvetica", 16)
    for i, line in enumerate(["CERTIFICATE OF COMPLETION", "This certifies that",
                              "Officer Jane Roe completed De-escalation Tactics"]):
        c.drawString(0, -30 * i, line)
    c.showPage()
    c.save()
    assert _text_layers(pdf) == [None]
    [page] = list(read_document(pdf, ctx))
    assert page.text.source is FieldSource.OCR
    assert "COMPLETION" in " ".join(w.text for w in page.text.words)


DKG = Path("/usr/share/fonts/truetype/fifthhorseman/dkg.ttf")


@pytest.mark.skipif(not DKG.exists(), reason="fonts-dkg-handwriting is installed by setup")
def test_a_descender_with_a_deeper_box_of_its_own_stays_in_its_word(tmp_path: Path) -> None:
    """GIVEN names typed in a handwriting face whose 'g' and 'y' have boxes reaching far below
    the line WHEN the text layer is read THEN each word is whole ('Rodriguez', not 'Rodri',
    'g', 'uez' with the 'g' a line lower)."""
    pdfmetrics.registerFont(TTFont("DkgTest", str(DKG)))
    path = tmp_path / "hand.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("DkgTest", 14)
    c.drawString(72, 700, "Ngozi Rodriguez Ortega-Ruiz 4471")
    c.drawString(72, 650, "Signed by Gregory Quigley")
    c.save()
    with open_pdf(path) as pages:
        page = read_text_layer(next(pages))
    assert [w.text for w in page.words] == ["Ngozi", "Rodriguez", "Ortega-Ruiz", "4471",
                                            "Signed", "by", "Gregory", "Quigley"]
