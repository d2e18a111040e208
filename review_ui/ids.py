"""Numeric ids from URLs and forms, bounded to what the database can hold.

Issue 19: ``/pages/<huge>/image``, ``/admin/courses/<huge>``, ``/queue?course=<huge>`` and a
huge ``version`` or ``officer_id`` in a review POST gave HTTP 500 (SQLite raises
OverflowError past 64 bits; PostgreSQL's ``integer`` columns end at 2**31 - 1). Every numeric
id the app reads goes through here: a URL id out of range is no page (404), a form or query
value out of range is a bad request (400) or, for an optional filter, no filter. Text ids and
query or form values holding a NUL byte (PostgreSQL refuses them with an error) are a 404 or
a 400 likewise.
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter, UnicodeConverter

# The largest value of the smallest integer column an id is compared with (PostgreSQL
# ``integer``); larger numbers cannot name a row.
MAX_ID = 2**31 - 1
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: str.isdigit() also accepts '²'


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` with an upper bound: past ``MAX_ID`` the route does not match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class SafeStringConverter(UnicodeConverter):
    """``<name>`` without control characters: PostgreSQL refuses a NUL in a text value with
    an error (a 500 before), and no Credence id or badge holds one (404 instead)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        super().__init__(map, *args, **kwargs)
        self.regex = r"[^/\x00-\x1f\x7f]+"


def has_nul(values) -> bool:
    """True when any of ``values`` (a request's query or form values) holds a NUL byte."""
    return any("\x00" in v for v in values)


def parse_id(raw: str | None) -> int | None:
    """``raw`` as an id, or ``None`` when it is empty, not plain digits or out of range."""
    text = (raw or "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= MAX_ID else None
