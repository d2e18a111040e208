"""Numbers as printed on training paperwork: hours, badge / officer ids and POST course numbers.

OCR confuses letters and digits (O/0, l/1/I, S/5, B/8, Z/2) and sometimes returns Cyrillic or
Greek lookalikes (``0З/03/2026``). Numeric values (hours, badge digits, dates) are normalised
here; POST numbers keep what was read, because verification matches them against the catalog
with the same confusion tolerance (:func:`match_confusable`).

Every function here is total: junk in gives ``None`` or an empty list, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Cyrillic / Greek letters that OCR returns for Latin letters and digits, plus typographic
# dashes and quotes. One character to one character, so text offsets survive folding.
_HOMOGLYPHS = {
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "Х": "X", "У": "Y", "І": "I", "Ј": "J", "Ѕ": "S", "З": "3",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "ԁ": "d", "Ь": "b", "б": "6",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "ο": "o", "ν": "v",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"', "，": ",", "：": ":",
    "／": "/", "＃": "#", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
}

# Letters OCR reads in place of digits. Applied only where a digit is expected.
DIGIT_LOOKALIKES = {
    "O": "0", "o": "0", "Q": "0", "D": "0",
    "I": "1", "l": "1", "i": "1", "|": "1", "!": "1", "L": "1",
    "S": "5", "s": "5", "$": "5",
    "B": "8",
    "Z": "2", "z": "2",
    "G": "6", "b": "6",
    "g": "9", "q": "9",
    "@": "0",
}
# A regex class of digits and the lookalikes that commonly stand in for them inside numbers.
DIGIT_CLASS = r"[0-9OoQDIli|!SsBZz@]"

WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "twenty-four": 24, "thirty": 30, "thirty-two": 32, "forty": 40,
    "eighty": 80, "half": 0.5, "one-half": 0.5,
}
MAX_HOURS = 200.0  # longer than any in-service course; a bigger number is a misread


def fold_homoglyphs(text: str) -> str:
    """Map lookalike characters (Cyrillic, Greek, fancy dashes) to ASCII, keeping offsets.

    Args:
        text: text as read.

    Returns:
        The same text, one character for one character, with lookalikes replaced.
    """
    if text.isascii():  # every lookalike is outside ASCII; most text read has none
        return text
    out = []
    for ch in text:
        mapped = _HOMOGLYPHS.get(ch)
        if mapped is None and ord(ch) > 127:
            norm = unicodedata.normalize("NFKC", ch)
            mapped = norm if len(norm) == 1 else ch
        out.append(mapped or ch)
    return "".join(out)


def fix_digits(token: str) -> str:
    """Read a token that should be a number: lookalike letters become digits."""
    return "".join(DIGIT_LOOKALIKES.get(ch, ch) for ch in fold_homoglyphs(token))


def digit_share(token: str) -> float:
    """The share of real digits among the letters and digits of ``token`` (0 when none)."""
    chars = [c for c in token if c.isalnum() or c in "|!$@"]
    if not chars:
        return 0.0
    return sum(c.isdigit() for c in chars) / len(chars)


def is_numberish(token: str, min_share: float = 0.5) -> bool:
    """Whether ``token`` reads as a number once lookalikes are mapped to digits."""
    fixed = fix_digits(token)
    core = fixed.replace("-", "").replace(".", "")
    return bool(core) and core.isdigit() and digit_share(token) >= min_share


# --------------------------------------------------------------------------------------------
# Hours


@dataclass(frozen=True)
class HoursMatch:
    """Hours found in text.

    Attributes:
        value: hours as a float, ``None`` when the number is impossible (over 200).
        raw: the matched text.
        start, end: offsets in the searched text.
        kind: ``"credit"``, ``"contact"`` or ``""`` when the text does not say.
    """

    value: float | None
    raw: str
    start: int
    end: int
    kind: str = ""


_NUM = rf"(?:{DIGIT_CLASS}{{1,3}}(?:[.,]{DIGIT_CLASS}{{1,2}})?|[.,]\d{{1,2}})"
_WORDS = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS), key=len, reverse=True))
_MOD = (r"(?:credit|contact|ce|cle|ceu|clock|training|tcole|post|cjstc|total|classroom|course|"
        r"continuing\s+education|in-service|instructional)")
_UNIT = r"(?:hours?|hrs?\.?|hr\.?)(?![a-z])"
_HOURS_RE = re.compile(
    rf"(?<![\w.])(?:(?P<word>{_WORDS})\s*(?:\(\s*(?P<paren>{_NUM})\s*\)\s*)?|(?P<num>{_NUM})\s*"
    rf"(?:\(\s*(?P<pword>{_WORDS})\s*\)\s*)?)"
    rf"(?:-\s*)?(?P<mods>(?:{_MOD}[\s-]+){{0,2}})(?P<unit>{_UNIT})"
    rf"(?:\s*(?:and\s*)?(?P<min>{_NUM})\s*(?:minutes?|mins?\.?)(?![a-z]))?"
    rf"(?P<after>\s+(?:of\s+)?(?:credit|contact))?",
    re.IGNORECASE,
)
_MINUTES_RE = re.compile(rf"(?<![\w.])(?P<num>{_NUM})\s*(?:minutes?|mins?\.?)(?![a-z])", re.I)
_BARE_RE = re.compile(
    rf"^\s*(?:(?P<word>{_WORDS})\s*(?:\(\s*(?P<paren>{_NUM})\s*\))?|(?P<num>{_NUM})"
    rf"(?:\s*\(\s*(?P<pword>{_WORDS})\s*\))?)"
    r"(?![\w/-]|\.\d|,\d)",
    re.IGNORECASE,
)


def _number(text: str | None) -> float | None:
    """A decimal from an OCR'd number (comma decimals allowed); ``None`` if not one."""
    if not text:
        return None
    fixed = fix_digits(text.strip()).replace(",", ".")
    if digit_share(text) < 0.5 or not re.fullmatch(r"\d*\.?\d+", fixed):
        return None
    return float(fixed)


def _hours_from(m: re.Match[str]) -> float | None:
    digits = _number(m.groupdict().get("paren") or m.groupdict().get("num"))
    word = m.groupdict().get("word") or m.groupdict().get("pword")
    spelled = float(WORD_NUMBERS[word.lower()]) if word else None
    if digits is not None and spelled is not None and digits != spelled:
        return None  # "Eight (6) Hours": one of the two is misread, and nothing says which
    value = digits if digits is not None else spelled
    if value is None:
        return None
    minutes = _number(m.groupdict().get("min"))
    if minutes is not None:
        value += minutes / 60.0
    return value if 0 < value <= MAX_HOURS else None


def _hours_kind(m: re.Match[str]) -> str:
    words = f"{m.group('mods')} {m.group('after') or ''}".lower()
    if "contact" in words or "clock" in words or "instructional" in words:
        return "contact"
    if re.search(r"credit|\bce\b|\bcle\b|ceu|continuing", words):
        return "credit"
    return ""


def find_hours(text: str) -> list[HoursMatch]:
    """Every hours figure with an explicit unit (``8.0 hrs``, ``Eight (8) hours``, ``90 min``).

    Args:
        text: any text; lookalike letters inside the number are read as digits.

    Returns:
        Matches left to right; a number over 200 hours has ``value=None``.
    """
    text = fold_homoglyphs(text)
    out: list[HoursMatch] = []
    taken: list[tuple[int, int]] = []
    for m in _HOURS_RE.finditer(text):
        number_text = m.group("num") or m.group("paren") or m.group("word")
        if m.group("num") and _number(m.group("num")) is None and digit_share(number_text) < 0.5:
            continue
        raw = m.group(0).strip()
        out.append(HoursMatch(_hours_from(m), raw, m.start(), m.end(), _hours_kind(m)))
        taken.append((m.start(), m.end()))
    for m in _MINUTES_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        minutes = _number(m.group("num"))
        value = minutes / 60.0 if minutes else None
        ok = value is not None and 0 < value <= MAX_HOURS
        out.append(HoursMatch(round(value, 2) if ok else None, m.group(0), m.start(), m.end()))
    return sorted(out, key=lambda h: h.start)


def parse_hours(text: str) -> HoursMatch | None:
    """Read the value of an hours field: ``8``, ``8.0 hrs``, ``Eight (8)``, ``4 hours 30 min``.

    A bare number is accepted here (the caller found a label); a date is not a number.

    Args:
        text: the text after an hours label.

    Returns:
        The first hours reading, or ``None`` when the text holds no number.
    """
    found = find_hours(text)
    if found:
        return found[0]
    folded = fold_homoglyphs(text)
    m = _BARE_RE.match(folded)
    if not m:
        return None
    if _number(m.group("paren") or m.group("num")) is None and not m.group("word"):
        return None
    return HoursMatch(_hours_from(m), m.group(0).strip(), m.start(), m.end())


# --------------------------------------------------------------------------------------------
# Badge numbers and POST course numbers


@dataclass(frozen=True)
class TokenMatch:
    """An identifier found in text: the normalised value and where it was."""

    value: str
    raw: str
    start: int
    end: int


_FILLER = re.compile(r"^(?:\s|[#:.\-=]|no\b\.?|nbr\b\.?|num\b\.?|number\b|is\b)+", re.I)
# OCR often puts a space beside the hyphen of a prefixed id ("SO- 4110", "D -892"): a short
# letter prefix, a spaced hyphen, then digits is still one id.
_ID_TOKEN = re.compile(
    r"[A-Za-z]{1,4} ?- ?(?=\d)[A-Za-z0-9|!$@-]*|[A-Za-z0-9|!$@][A-Za-z0-9|!$@-]*"
)


def skip_filler(text: str) -> int:
    """How many leading characters of a label's value are separators (``#``, ``:``, ``No.``)."""
    m = _FILLER.match(text)
    return m.end() if m else 0


# A capital letter that starts a badge may be a real prefix (B231, S-7320, D4410);
# O and I there are read as digits, being rare as prefixes.
_PREFIX_LETTERS = frozenset("BSDGZQ")


#: A 2-4 character group of letters holding a zero, starting with a letter ("S0", "AP0").
_ZERO_IN_PREFIX = re.compile(r"[A-Za-z][A-Za-z0]{0,2}0[A-Za-z0]{0,2}")


def _clean_id(token: str) -> str:
    """Read an id: lookalikes become digits inside a mostly numeric group.

    A letter-only group (``B-7731``, ``TX-4455``) or a leading capital (``B231``) is a real
    prefix and stays.
    """
    groups = token.strip("-.").split("-")
    if len(groups) > 1 and _ZERO_IN_PREFIX.fullmatch(groups[0]) and groups[1][:1].isdigit():
        # A short letter prefix before a numeric group ("S0-9625"): its zero is the letter O
        # OCR confuses it with (``SO-9625``, sheriff's office); a digit there is unheard of.
        groups[0] = groups[0].upper().replace("0", "O")
    out = []
    for g in groups:
        letters = [c for c in g if c.isalpha() or c in "|!$@"]
        numeric = any(c.isdigit() for c in g) and digit_share(g) >= 0.5
        if letters and numeric and all(c in DIGIT_LOOKALIKES for c in letters):
            keep = g[0] if g[0] in _PREFIX_LETTERS else ""
            out.append(keep + fix_digits(g[len(keep):]))
        elif g[:1] == "|" and g.lstrip("|").isalpha():
            # a cell's rule read as a stroke glued to a letter prefix ("|APD-501"): no id
            # holds a bar, and before letters it stands for no digit
            out.append(g.lstrip("|").upper())
        else:
            out.append(g.upper())
    return "-".join(out)


def parse_badge(text: str) -> TokenMatch | None:
    """Read a badge / officer id after its label (``#1234``, ``No. l234``, ``TX-4455``).

    Args:
        text: the text after a badge label.

    Returns:
        The first identifier holding a digit; lookalike letters in a mostly numeric id are
        read as digits. ``None`` if there is none.
    """
    folded = fold_homoglyphs(text)
    offset = skip_filler(folded)
    m = _ID_TOKEN.match(folded, offset)
    if not m:
        return None
    token = m.group(0).rstrip("-.")
    compact = token.replace(" ", "")
    if len(compact) > 14 or not (any(c.isdigit() for c in token) or is_numberish(token)):
        return None
    return TokenMatch(_clean_id(compact), token, m.start(), m.start() + len(token))


_D = DIGIT_CLASS
_CA_RE = re.compile(rf"(?<![\w-])({_D}{{4}})\s*-\s*({_D}{{5}})"
                    rf"(?:\s*-\s*({_D}{{2}})\s*-\s*({_D}{{3}}))?(?![\w-])")
# A prefix may be several letter groups ("OR-DPSST-0412", a state and a program code).
_PREFIXED_RE = re.compile(
    rf"(?<![\w-])([A-Z]{{2,5}}(?:-[A-Z]{{1,6}}){{0,2}})(\s*-\s*|\s+)?({_D}{{2,6}}[A-Z]?)(?![\w])")
_KNOWN_PREFIX_RE = re.compile(
    rf"(?<![\w-])(CJK|CJD|TC|PER|AWR|MGT|MCT|ICAT)(\s*-\s*|\s+)?({_D}{{2,6}})(?![\w])"
)
_PLAIN_RE = re.compile(rf"(?<![\w./-])({_D}{{2,8}}(?:-{_D}{{1,6}}){{0,3}})(?![\w/]|\.\d)")
# OCR reads a J between capitals as a parenthesis or bracket: "C)K0297" is CJK0297.
_PAREN_J = re.compile(r"(?<=[A-Z])[)\]](?=[A-Z])")
# ... and the hyphen of a prefixed number as a tilde on a noisy scan: "ICAT~200".
_TILDE_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])~(?=\s?[0-9])")
_NOT_PREFIX = {"NO", "ID", "PID", "POST", "TCOLE", "COURSE", "HOURS", "HRS", "DATE", "NUM"}
# ... and a capital whose small letter has the same shape in small print as a small letter:
# "CjK 0401" (the J of many sans faces descends like a j). Only these letters, inside a
# prefix with two capitals already, are taken as capitals: "Key 0401" stays a word.
_CASELESS_SHAPES = frozenset("cjkpuvwxz")
_MIXED_PREFIX = re.compile(r"(?<![\w-])([A-Z][A-Za-z]{1,4})(?=(?:\s*-\s*|\s+)?\d)")


def _capital_prefix(text: str) -> str:
    """``text`` with a course-number prefix OCR read partly in small letters put in capitals."""
    def fix(m: re.Match[str]) -> str:
        token = m.group(1)
        small = [c for c in token if c.islower()]
        capitals = sum(c.isupper() for c in token)
        if small and capitals >= 2 and all(c in _CASELESS_SHAPES for c in small):
            return token.upper()
        return token
    return _MIXED_PREFIX.sub(fix, text)


def badge_value(text: str) -> str | None:
    """The badge number of a cell or place read as one piece, spaced or not ("SO 4366")."""
    found = parse_badge(text.replace(" ", "")) or parse_badge(text)
    return found.value if found else None


def _near_start(skipped: str) -> bool:
    """Only separators or a stray OCR mark (``Z :``) between a label and its number."""
    return len(skipped) <= 3 or (len(skipped) <= 8 and len(re.findall(r"\w", skipped)) <= 1)


def _canonical_prefixed(m: re.Match[str]) -> str:
    sep = (m.group(2) or "").strip()
    return f"{m.group(1).upper()}{'-' if sep == '-' else ' ' if m.group(2) else ''}{m.group(3)}"


def _ca_value(m: re.Match[str]) -> str:
    # California: PPPP-CCCCC-YY-NNN is the control number as printed (kept whole); its first
    # two parts are the course certification number, which match_confusable also accepts.
    return "-".join(g for g in m.groups() if g)


def parse_post_number(text: str) -> TokenMatch | None:
    """Read a POST course / approval number after its label, keeping what was read.

    Shapes: ``1849``, ``0080`` (leading zeros kept), ``2540-20182(-20-003)``, ``CJK 0297``,
    ``TC1882``, ``PER-922``. Spacing and letter case are normalised; lookalike letters in
    the digits are kept (verification matches with confusion tolerance).

    Args:
        text: the text after a course-number label.

    Returns:
        The first course number near the start of ``text``, or ``None``.
    """
    folded = _TILDE_HYPHEN.sub("-", _PAREN_J.sub("J", _capital_prefix(fold_homoglyphs(text))))
    offset = skip_filler(folded)
    split = _split_control_number(folded, offset)
    if split is not None:
        return split
    best: TokenMatch | None = None
    for regex, build in ((_CA_RE, _ca_value), (_PREFIXED_RE, _canonical_prefixed),
                         (_PLAIN_RE, lambda m: m.group(1))):
        m = regex.search(folded, offset)
        if not m or not _near_start(folded[offset : m.start()]):
            continue
        if regex is _PREFIXED_RE and (m.group(1) in _NOT_PREFIX or digit_share(m.group(3)) < 0.5):
            continue
        if regex is _PLAIN_RE and digit_share(m.group(1)) < 0.6:
            continue
        found = _with_suffix(folded, TokenMatch(build(m), m.group(0), m.start(), m.end()))
        if best is None or found.start < best.start:
            best = found
    return best


# "1849-A", "DE-2023-01": a hyphenated part the shapes above do not cover is still part of
# the number (a lettered section, a module); dropping it would read another course's number.
_SUFFIX = re.compile(r"(?:-(?:[A-Za-z]{1,2}|\d{1,6}))+(?![\w-])")


def _with_suffix(text: str, found: TokenMatch) -> TokenMatch:
    m = _SUFFIX.match(text, found.end)
    if not m:
        return found
    return TokenMatch(found.value + m.group().upper(), text[found.start : m.end()],
                      found.start, m.end())


def _split_control_number(text: str, offset: int) -> TokenMatch | None:
    """``2540-201 82-25-003``: a California control number OCR split with a stray space."""
    head = text[offset : offset + 24]
    if not re.match(r"\s*\d[\d\s-]{12,}", head):
        return None
    keep = [i for i, c in enumerate(head)
            if not (c == " " and 0 < i < len(head) - 1
                    and head[i - 1].isdigit() and head[i + 1].isdigit())]
    compact = "".join(head[i] for i in keep)
    m = _CA_RE.match(compact.lstrip())
    if not m or m.group(3) is None:
        return None
    lead = len(compact) - len(compact.lstrip())
    start, end = offset + keep[lead], offset + keep[lead + m.end() - 1] + 1
    return TokenMatch(_ca_value(m), text[start:end], start, end)


def _year_like(group: str) -> bool:
    """``2021-18019`` is a year and a serial more often than a California course number."""
    return group.isdigit() and 1990 <= int(group) <= 2099


def find_post_numbers(text: str) -> list[TokenMatch]:
    """Course numbers of a shape distinctive enough to trust without a label.

    California control numbers and the prefixed state / national forms (``CJK 0297``,
    ``TC1882``, ``PER-922``); a bare number is never taken without its label.
    """
    folded = fold_homoglyphs(text)
    out = [TokenMatch(_ca_value(m), m.group(0), m.start(), m.end()) for m in _CA_RE.finditer(folded)
           if digit_share(m.group(0)) >= 0.8 and (m.group(3) or not _year_like(m.group(1)))]
    out += [TokenMatch(_canonical_prefixed(m), m.group(0), m.start(), m.end())
            for m in _KNOWN_PREFIX_RE.finditer(folded) if digit_share(m.group(3)) >= 0.6]
    return sorted(out, key=lambda t: t.start)


@lru_cache(maxsize=65536)
def confusable_key(text: str) -> str:
    """A key equal for two ids that differ only by OCR confusions, spacing or case."""
    folded = fold_homoglyphs(text)
    mapped = "".join(DIGIT_LOOKALIKES.get(c, c) for c in folded)
    return re.sub(r"[\s\-#.]", "", mapped.upper()).replace("O", "0").replace("I", "1")


def plain_id(text: str) -> str:
    """An id without spacing, hyphens, ``#`` or case: ``CJK 0297`` and ``cjk-0297`` agree."""
    return re.sub(r"[\s\-#]", "", text.upper())


def match_confusable(raw: str, choices: tuple[str, ...] | list[str]) -> str | None:
    """The one catalog value ``raw`` can be read as, allowing OCR confusions.

    An exact match (ignoring spacing and case) wins; otherwise exactly one choice must match
    under the confusion map, or ``None`` is returned (ambiguous or unknown). A California
    control number also matches its two-part course certification number.

    Args:
        raw: the id as read.
        choices: catalog / roster values.

    Returns:
        The matching choice, spelled as in ``choices``, or ``None``.
    """
    by_plain, by_key = _choice_keys(tuple(choices))
    exact = by_plain.get(plain_id(raw), ())
    if len(exact) == 1:
        return exact[0]
    key = confusable_key(raw)
    if not key:
        return None
    hits = set(by_key.get(key, ()))
    if not hits and re.fullmatch(r"\d{4}-?\d{5}-?\d{2}-?\d{3}", fix_digits(raw).replace(" ", "")):
        hits = set(by_key.get(key[:9], ()))
    return hits.pop() if len(hits) == 1 else None


@lru_cache(maxsize=8)  # the same roster's badges for every document: key them once
def _choice_keys(choices: tuple[str, ...]) -> tuple[dict[str, tuple[str, ...]],
                                                    dict[str, tuple[str, ...]]]:
    """``choices`` by :func:`plain_id` and by :func:`confusable_key`, in their order."""
    by_plain: dict[str, list[str]] = {}
    by_key: dict[str, list[str]] = {}
    for c in choices:
        by_plain.setdefault(plain_id(c), []).append(c)
        by_key.setdefault(confusable_key(c), []).append(c)
    return ({k: tuple(v) for k, v in by_plain.items()},
            {k: tuple(v) for k, v in by_key.items()})
