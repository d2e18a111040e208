"""A lone ampersand before an hours unit is a faxed 8, read back as unsure.

The words are laid out as tesseract returns them (boxes in points, one line id per line);
the certificate reader then reads the page as it would any other.
"""

from __future__ import annotations

from extractors.certificate import extract_certificate
from extractors.reread import REREAD_BELOW
from extractors.slips import READ_BACK_CONFIDENCE, read_back_slips
from extractors.types import BBox, FieldSource, PageText, Word


def _line(text: str, y: float, line_id: int, conf: float = 0.9, x: float = 72.0) -> list[Word]:
    out = []
    for token in text.split(" "):
        if token:
            w = len(token) * 6.0
            out.append(Word(token, BBox(x, y, x + w, y + 12.0), conf, line_id))
        x += (len(token) + 1) * 6.0
    return out


def _texts(words) -> list[str]:
    return [w.text for w in words]


def test_a_lone_ampersand_before_hours_is_an_unsure_eight():
    words = tuple(_line("11/02/2024 & Hrs.", 100, 1))
    out = read_back_slips(words)
    assert _texts(out) == ["11/02/2024", "8", "Hrs."]
    assert out[1].confidence == READ_BACK_CONFIDENCE
    assert out[0] is words[0] and out[2] is words[2]
    assert _texts(read_back_slips(tuple(_line("Credit: & hours", 100, 1)))) == \
        ["Credit:", "8", "hours"]


def test_an_ampersand_joining_words_stays():
    for text in ("Date & Hrs", "Time & Hours Logged", "Rules & Regulations"):
        words = tuple(_line(text, 100, 1))
        assert read_back_slips(words) is words
    # not before a unit on its line: another line's unit does not count
    words = tuple(_line("Range &", 100, 1) + _line("Hrs. 4", 130, 2))
    assert read_back_slips(words) is words


def test_hours_read_back_from_an_ampersand_are_never_sure_alone():
    rows = [("Westbrook Regional Academy", 60), ("Record of Instruction", 90),
            ("Attendee: Corwin Ashdown  Badge 7731", 140),
            ("Class: Crowd Dynamics Workshop  Course No. 4410", 170),
            ("Date completed: 11/02/2024  Credit: & Hrs.", 200)]
    words = tuple(w for i, (text, y) in enumerate(rows) for w in _line(text, y, i))
    page = PageText(1, 612.0, 792.0, read_back_slips(words), FieldSource.OCR, dpi=300.0)
    hours = extract_certificate(page).fields["hours"]
    assert hours.value == 8.0
    assert hours.confidence < REREAD_BELOW  # a second look must confirm it
    untouched = PageText(1, 612.0, 792.0, words, FieldSource.OCR, dpi=300.0)
    assert extract_certificate(untouched).value("hours") is None
