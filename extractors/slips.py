"""Words tesseract misreads in a way their neighbours settle, read back as unsure.

A faxed or photocopied ``8`` loses the gap between its loops' strokes and tesseract reads it
as ``&``: ``8 Hrs.`` comes back ``& Hrs.``, and the hours are lost although the page shows
them. An ampersand joins words; standing alone before an hours unit, with no word before it
for it to join (a value, a caption's colon, a gap), it is the digit. A ``Date & Hrs``
heading keeps its ampersand: a word stands before it.

The digit read back this way is never taken on this reading alone: its confidence is set
below verification's threshold, so a value built on it is read again on its own and must be
confirmed by a second look (tesseract's, or the second recognizer's where it is on) before
anything is credited; otherwise the record goes to review as unreadable.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.types import Word

#: The confidence a read-back digit carries: under every threshold that credits a value.
READ_BACK_CONFIDENCE = 0.3
_HOURS_UNIT = re.compile(r"^(?:hours?|hrs?)\b\.?,?$", re.I)
#: The widest gap (in the words' heights) between the ampersand and the unit after it, and
#: between a word and the ampersand for the word to be what the ampersand joins.
_NEAR = 1.5


def read_back_slips(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """``words`` with each lone ``&`` before an hours unit read back as an unsure ``8``."""
    if not any(w.text == "&" for w in words):
        return words
    lines: dict[int, list[Word]] = {}
    for w in words:
        lines.setdefault(w.line_id, []).append(w)
    changed: dict[int, Word] = {}
    for line in lines.values():
        line.sort(key=lambda w: w.bbox.x0)
        for i, w in enumerate(line):
            if w.text == "&" and _unit_after(line, i) and not _word_before(line, i):
                changed[id(w)] = replace(w, text="8", confidence=min(
                    w.confidence if w.confidence is not None else 1.0, READ_BACK_CONFIDENCE))
    return tuple(changed.get(id(w), w) for w in words) if changed else words


def _near(a: Word, b: Word) -> bool:
    """``b`` follows ``a`` on the line within a word gap."""
    return 0 <= b.bbox.x0 - a.bbox.x1 <= _NEAR * max(a.bbox.height, b.bbox.height)


def _unit_after(line: list[Word], i: int) -> bool:
    return i + 1 < len(line) and _HOURS_UNIT.match(line[i + 1].text) is not None \
        and _near(line[i], line[i + 1])


def _word_before(line: list[Word], i: int) -> bool:
    """A word of letters right before the ampersand: the ampersand joins it to the next.
    A caption's last word (``Hours:``) ends in its colon or dash and joins nothing."""
    if i == 0 or not _near(line[i - 1], line[i]):
        return False
    before = line[i - 1].text
    return any(c.isalpha() for c in before) and not before.endswith((":", "-", "–"))
