"""Normal forms of the identifiers printed on paperwork: POST numbers and badge numbers.

They live here, beside the catalog, because both the importers (duplicate and collision
checks) and ``verification.matching`` need the same keys, and the catalog may not import
verification. Every function is total (never raises on any ``str``) and idempotent; the
Hypothesis tests in ``tests/test_matching.py`` hold them to that.

Three levels, from strict to lenient:

* ``normalize_*``: what a human would call "the same number" (case, spaces, dash variants);
* :func:`compact_key`: separators ignored (``PER-922`` == ``PER922``);
* :func:`ocr_skeleton`: characters tesseract confuses folded together (``O``/``0``,
  ``l``/``I``/``|``/``1``, ``S``/``5``, ``B``/``8``, ``Z``/``2``, ``G``/``6``). Two strings are
  OCR-confusable exactly when their skeletons are equal, so comparing skeletons is the same as
  generating every confusion variant, without the exponential blow-up.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign,
# small and full-width hyphen-minus: scanners and word processors print all of them.
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)
_WHITESPACE = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^0-9A-Z]")
_EDGES = re.compile(r"^[#.\-]+|[.\-]+$")
# Labels printed in front of a badge number: "Badge No. 123", "ID# 123", "No.123".
# The lookahead keeps a badge that *is* such a word ("NO") instead of erasing it.
_BADGE_LABEL = re.compile(
    r"^\s*(?:(?:badge|id|no|nr|num|number)\b|#)\s*[.:#]*\s*(?=\S)", re.IGNORECASE
)
# Case matters for ``l`` (lower-case L looks like 1; upper-case L does not), so it is folded
# before upper-casing; the rest are folded after.
_OCR_BEFORE_UPPER = str.maketrans({"l": "1", "|": "1"})
_OCR_AFTER_UPPER = str.maketrans({"O": "0", "I": "1", "S": "5", "B": "8", "Z": "2", "G": "6"})


def _clean(text: str) -> str:
    """NFKC, dash variants to ``-``, no control characters."""
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n\r ")


@lru_cache(maxsize=16384)  # the catalog's numbers are keyed again for every document read
def normalize_post_number(text: str | None) -> str:
    """The POST number as a comparable string: upper case, no spaces, one kind of dash.

    Leading zeros are kept (Washington prints ``0080``). A leading ``#`` and stray dashes or
    dots at either end are dropped; runs of dashes collapse to one.

    Args:
        text: the number as printed or read; ``None`` gives ``""``.

    Returns:
        The normal form, possibly empty.
    """
    if not text:
        return ""
    out = text
    for _ in range(8):  # to a fixed point: NFKC and upper() can each expose work for the other
        step = _WHITESPACE.sub("", _clean(out)).upper()
        step = _EDGES.sub("", re.sub(r"-{2,}", "-", step))
        if step == out:
            break
        out = step
    return out


@lru_cache(maxsize=16384)  # so are the roster's badges
def normalize_badge(text: str | None) -> str:
    """The badge number as a comparable string: labels and punctuation gone, upper case.

    ``"#1234"``, ``"No. 1234"``, ``"Badge No: 12 34"`` and ``"1234"`` all give ``"1234"``.
    Leading zeros are kept. Letters stay (``"A-12"`` gives ``"A12"``).

    Args:
        text: the badge as printed or read; ``None`` gives ``""``.

    Returns:
        The normal form (only ``0-9A-Z``), possibly empty.
    """
    if not text:
        return ""
    out = _clean(text)
    while True:  # "Badge No. 123": strip label after label
        stripped = _BADGE_LABEL.sub("", out, count=1)
        if stripped == out:
            break
        out = stripped
    return _NON_ALNUM.sub("", out.upper())


def compact_key(text: str | None) -> str:
    """The POST number with every separator removed (``PER-922`` and ``PER 922`` agree)."""
    return _NON_ALNUM.sub("", normalize_post_number(text))


def ocr_skeleton(text: str | None, *, badge: bool = False) -> str:
    """The key under which OCR-confusable readings collide.

    Args:
        text: a POST number (default) or a badge number (``badge=True``) as read or stored.
        badge: normalise as a badge (labels stripped) instead of as a POST number.

    Returns:
        Only ``0-9`` and the letters OCR does not confuse with digits.
    """
    if not text:
        return ""
    folded = _clean(text).translate(_OCR_BEFORE_UPPER)
    key = normalize_badge(folded) if badge else compact_key(folded)
    return key.translate(_OCR_AFTER_UPPER)


CA_CONTROL_NUMBER = re.compile(r"^(\d{4})-?(\d{5})-?(\d{2})-?(\d{3})$")


def ca_course_certification_number(text: str | None) -> str | None:
    """``PPPP-CCCCC`` from a California course control number ``PPPP-CCCCC-YY-NNN``.

    California POST prints the presentation's control number on certificates; the catalog
    holds the course certification number, which is its first two parts.

    Args:
        text: a POST number as read.

    Returns:
        ``"PPPP-CCCCC"``, or ``None`` when ``text`` is not shaped like a control number.
    """
    m = CA_CONTROL_NUMBER.match(normalize_post_number(text))
    return f"{m.group(1)}-{m.group(2)}" if m else None
