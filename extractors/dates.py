"""Dates as certificates print them, including ranges and OCR noise.

Supported: ``March 3, 2026``, ``Mar. 3, 2026``, ``3 March 2026``, ``03-Mar-2026``,
``03/03/2026``, ``3/3/26``, ``2026-03-03``, ``3rd day of March, 2026``, ``third day of March``,
``March 3rd, 2026``; ranges ``March 2-3, 2026``, ``March 30 - April 1, 2026``, ``2-3 March 2026``
and ``03/02/2026 - 03/03/2026`` (the completion, i.e. the last date, is the value). Slashed dates
are US month-first. Lookalike letters inside the digits (``0З/O3/2026``) and stray spaces around
separators are tolerated. An impossible date keeps its text with ``value=None``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.numbers import DIGIT_CLASS, digit_share, fix_digits, fold_homoglyphs

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}
_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEENS = ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
          "sixteenth", "seventeenth", "eighteenth", "nineteenth"]
ORDINAL_WORDS = {w: i + 1 for i, w in enumerate(_UNITS)}
ORDINAL_WORDS |= {w: i + 10 for i, w in enumerate(_TEENS)}
ORDINAL_WORDS |= {"twentieth": 20, "thirtieth": 30, "thirty-first": 31, "thirty first": 31}
ORDINAL_WORDS |= {f"twenty{sep}{w}": 21 + i for i, w in enumerate(_UNITS) for sep in ("-", " ")}

MIN_YEAR, MAX_YEAR = 1950, 2100

_D = DIGIT_CLASS
_MONTH = (r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-zA-Z])")
_ORD_WORDS = "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True))
_DAY = rf"{_D}{{1,2}}(?:\s?(?i:st|nd|rd|th))?"
_YEAR4 = rf"{_D}{{4}}"
_SEP = r"\s*[.,]?\s*"
_TO = r"\s*(?:-|&|(?i:and|to|through|thru))\s*"
_B = r"(?<![\w])"   # no letter or digit just before
#: ... and, before a day, no digit and slash or bar: "1/7 November" is a "17" whose stroke
#: broke (or "1/7" of a month), never the 7th.
_BD = r"(?<![\w])(?<!\d[/|\\])"
_E = r"(?![\w])"    # ... or just after

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("mdmdy", rf"{_B}(?P<m1>{_MONTH})\.?\s+(?P<d1>{_DAY}){_TO}(?P<m>{_MONTH})\.?\s+"
                  rf"(?P<d>{_DAY}){_SEP}(?P<y>{_YEAR4}){_E}"),
        ("mddy", rf"{_B}(?P<m>{_MONTH})\.?\s+(?P<d1>{_DAY}){_TO}(?P<d>{_DAY}){_SEP}"
                 rf"(?P<y>{_YEAR4}){_E}"),
        ("ddmy", rf"{_BD}(?P<d1>{_DAY}){_TO}(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH})\.?"
                 rf"{_SEP}(?P<y>{_YEAR4}){_E}"),
        ("dayof", rf"{_BD}(?P<d>{_DAY}|(?i:{_ORD_WORDS}))\s+(?i:day)\s+(?i:of)\s+"
                  rf"(?P<m>{_MONTH})\.?{_SEP}(?:(?i:in the year)\s+)?(?P<y>{_YEAR4}){_E}"),
        ("mdy", rf"{_B}(?P<m>{_MONTH})\.?\s*(?P<d>{_DAY}){_SEP}(?P<y>{_YEAR4}){_E}"),
        ("dmy", rf"{_BD}(?P<d>{_DAY})[\s-]*(?:(?i:of)\s+)?(?P<m>{_MONTH})\.?[\s,.-]*"
                rf"(?P<y>{_YEAR4}|{_D}{{2}}){_E}"),
        ("ymd", rf"{_B}(?P<y>{_YEAR4})\s*(?P<s>[-/.])\s*(?P<m>{_D}{{1,2}})\s*(?P=s)\s*"
                rf"(?P<d>{_D}{{1,2}}){_E}"),
        ("mdy_num", rf"{_B}(?P<m>{_D}{{1,2}})\s*(?P<s>[/.-])\s*(?P<d>{_D}{{1,2}})\s*(?P=s)\s*"
                    rf"(?P<y>{_D}{{4}}|{_D}{{2}}){_E}"),
    )
)
#: Words right before a date that make it the paper's own date (issued, printed, valid
#: until), never the training's, with or without a colon.
PAPER_DATE_LEAD = re.compile(
    r"\b(?:issued|re-?issued|printed|reprinted|generated|produced|expires?|expiration|"
    r"valid\s+(?:through|until|thru)|run\s+date|date\s+of\s+issue)\s*(?:on|date)?\s*[:\-–]?\s*$",
    re.I)
_RANGE_GAP = re.compile(r"^\s*(?:-|(?i:to|through|thru|until))\s*$")


@dataclass(frozen=True)
class DateMatch:
    """A date found in text.

    Attributes:
        value: the date (for a range, the last day); ``None`` when impossible.
        raw: the matched text.
        start, end: offsets in the searched text.
        first: for a range, its first day; otherwise the same as ``value``.
    """

    value: dt.date | None
    raw: str
    start: int
    end: int
    first: dt.date | None = None

    @property
    def is_range(self) -> bool:
        """Whether the text named more than one day."""
        return self.first is not None and self.first != self.value


def _int(group: str | None, real_digits: int) -> int | None:
    """A number group read with lookalikes, needing at least ``real_digits`` true digits."""
    if not group:
        return None
    if group.strip().lower() in ORDINAL_WORDS:
        return ORDINAL_WORDS[group.strip().lower()]
    group = _strip_suffix(group)
    fixed = fix_digits(group)
    if not fixed.isdigit() or sum(c.isdigit() for c in group) < real_digits:
        return None
    return int(fixed)


def _strip_suffix(group: str) -> str:
    """``3rd`` -> ``3``: the ordinal suffix is not part of the number."""
    return re.sub(r"(?i)\s?(st|nd|rd|th)$", "", group.strip())


def _month(group: str) -> int | None:
    named = MONTHS.get(group.lower().rstrip("."))
    return named if named is not None else _int(group, 1)


def _year(group: str) -> int | None:
    value = _int(group.lstrip("'"), 2 if len(group) >= 4 else 1)
    if value is not None and len(group.lstrip("'")) == 2:
        value += 2000 if value < 70 else 1900
    return value


def _make_date(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _usable(m: re.Match[str]) -> bool:
    """Reject matches whose number groups are mostly lookalike letters (``lO/lO/lOOO``)."""
    groups = {k: v for k, v in m.groupdict().items() if v and k in ("d", "d1", "y")}
    if m.group("m").lower().rstrip(".") not in MONTHS:
        groups["m"] = m.group("m")
    return all(v.lower() in ORDINAL_WORDS or digit_share(_strip_suffix(v)) >= 0.5
               for v in groups.values())


def _to_match(m: re.Match[str]) -> DateMatch:
    gd = m.groupdict()
    month, year = _month(gd["m"]), _year(gd["y"])
    value = _make_date(year, month, _int(gd["d"], 1))
    first = value
    if gd.get("d1"):
        first_month = _month(gd["m1"]) if gd.get("m1") else month
        first = _make_date(year, first_month, _int(gd["d1"], 1))
        if first is None or value is None or first > value:
            value = first = None
    return DateMatch(value, m.group(0), m.start(), m.end(), first)


def _single_dates(text: str) -> list[DateMatch]:
    taken: list[DateMatch] = []
    for _name, regex in _PATTERNS:
        for m in regex.finditer(text):
            if not _usable(m) or any(t.start < m.end() and m.start() < t.end for t in taken):
                continue
            taken.append(_to_match(m))
    return sorted(taken, key=lambda d: d.start)


def _join_ranges(text: str, dates: list[DateMatch]) -> list[DateMatch]:
    """``03/02/2026 - 03/03/2026`` is one range whose value is the last day."""
    out: list[DateMatch] = []
    for d in dates:
        prev = out[-1] if out else None
        if prev and _RANGE_GAP.match(text[prev.end:d.start]) and prev.value and d.value:
            if prev.first and prev.first <= d.value:
                out[-1] = DateMatch(d.value, text[prev.start:d.end], prev.start, d.end, prev.first)
                continue
        out.append(d)
    return out


def find_dates(text: str) -> list[DateMatch]:
    """Every date or date range in ``text``, left to right.

    Args:
        text: any text (OCR'd or from a text layer).

    Returns:
        Matches with offsets into ``text``; impossible dates have ``value=None``.
    """
    folded = fold_homoglyphs(text)
    return _join_ranges(folded, _single_dates(folded))


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` (for a range, its last day), or ``None``."""
    found = find_dates(text)
    return found[0].value if found else None
