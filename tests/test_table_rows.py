"""Which lines under a table's heading are rows of its cells.

Pure geometry on words placed by hand (the OCR side of these cases is covered by the sheet
tests): a number written by pen whose box starts on the column's rule is still in its cell,
so a row with no rule above it (under a shaded heading) is still found; a sentence running
across the columns one pitch under the table is no row.
"""

from __future__ import annotations

from extractors.layout import build_rows
from extractors.table import build_bands, build_columns, find_header
from extractors.types import BBox, FieldSource, PageText, Rule, Word

EDGES = [40.0, 70.0, 260.0, 350.0, 560.0]
PITCH = 30.0
HEAD_TOP = 200.0  # the heading band is shaded: no rule under it, the first rule is one
#                   pitch further down


def _word(text: str, x0: float, top: float, line: int, width: float | None = None) -> Word:
    w = width if width is not None else 6.0 * len(text)
    return Word(text, BBox(x0, top, x0 + w, top + 11), 0.9, line)


def _page(extra: list[Word]) -> tuple[PageText, list[Rule], list[Rule]]:
    words = [_word("No.", 44, HEAD_TOP + 8, 1), _word("Full", 74, HEAD_TOP + 8, 1),
             _word("Name", 102, HEAD_TOP + 8, 1), _word("Badge", 264, HEAD_TOP + 8, 1),
             _word("Signature", 354, HEAD_TOP + 8, 1)]
    people = [("Odile", "Brandt", "51207"), ("Pavel", "Ostrowski", "51318"),
              ("Yusuf", "Adeyemi", "51422"), ("Carmen", "Ibarra", "51530")]
    for i, (first, last, badge) in enumerate(people):
        top = HEAD_TOP + (i + 1) * PITCH + 9
        words += [_word(str(i + 1), 46, top, 10 + i), _word(first, 76, top, 10 + i),
                  _word(last, 80 + 6.0 * len(first), top, 10 + i)]
        # the first badge is written from the rule on: its box starts left of the edge
        x0 = 252.0 if i == 0 else 266.0
        words.append(_word(badge, x0, top, 10 + i, width=55))
    horizontal = [Rule(HEAD_TOP, EDGES[0], EDGES[-1])] + [
        Rule(HEAD_TOP + k * PITCH, EDGES[0], EDGES[-1]) for k in range(2, len(people) + 1)]
    vertical = [Rule(x, HEAD_TOP, HEAD_TOP + len(people) * PITCH) for x in EDGES]
    page = PageText(1, 612.0, 792.0, tuple(words + extra), FieldSource.OCR, dpi=300.0)
    return page, horizontal, vertical


def _bands(page: PageText, horizontal: list[Rule], vertical: list[Rule]):
    rows = build_rows(page)
    header = find_header(rows)
    assert header is not None
    columns = build_columns(header, vertical, page.width)
    bands, ruled = build_bands(header, rows, horizontal, columns)
    assert ruled
    return [(round(b.top), round(b.bottom)) for b in bands]


def test_a_first_row_whose_number_starts_on_the_rule_is_a_row():
    page, horizontal, vertical = _page([])
    bands = _bands(page, horizontal, vertical)
    assert bands[0] == (HEAD_TOP + PITCH, HEAD_TOP + 2 * PITCH)
    assert len(bands) == 4


def test_a_sentence_one_pitch_under_the_table_is_no_row():
    top = HEAD_TOP + 5 * PITCH + 9
    sentence = "Each person named above took part in every hour of this session".split()
    x, words = 44.0, []
    for t in sentence:
        words.append(_word(t, x, top, 99))
        x += 6.0 * len(t) + 4.0
    page, horizontal, vertical = _page(words)
    assert len(_bands(page, horizontal, vertical)) == 4


def test_a_first_row_whose_signature_reaches_up_into_the_heading_is_a_row():
    """A signature's loop (read as a word) reaching up over the first row's top makes the
    row's box overlap the heading's; its middle is still under the heading."""
    flourish = Word("Jwr", BBox(360, HEAD_TOP + 14, 470, HEAD_TOP + PITCH + 14), 0.3, 10)
    page, horizontal, vertical = _page([flourish])
    bands = _bands(page, horizontal, vertical)
    assert bands[0] == (HEAD_TOP + PITCH, HEAD_TOP + 2 * PITCH)
    assert len(bands) == 4
