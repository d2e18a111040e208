"""Export cells a spreadsheet shows and never evaluates.

Every CSV and XLSX writer passes its values through here (issue 19: a location read from a
scanned certificate, a roster name or a reviewer's correction beginning with ``=`` became a
live formula in the exports). Text a spreadsheet would evaluate (a leading ``=``, ``+``,
``-``, ``@``, tab or carriage return, also after leading spaces) is written as text: in CSV
with a quote prefix (``'``, which Excel, LibreOffice and Google Sheets show as text), in XLSX
as a string cell whose style carries the quote prefix, so editing the cell keeps it text.
Numbers, dates and booleans stay typed. Imports never call this: they keep values as given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# What a spreadsheet reads as the start of a formula (or a DDE call), after optional spaces.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A plain number written as text ("-3", "+1.5") is a number to a spreadsheet, never a formula;
# it stays as it is so a negative figure is not turned into text.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_dangerous(value: Any) -> bool:
    """True when ``value`` is text a spreadsheet would evaluate."""
    if not isinstance(value, str):
        return False
    stripped = value.lstrip(" ")
    if not stripped.startswith(_TRIGGERS):
        return False
    return not _PLAIN_NUMBER.fullmatch(stripped)


def inert(value: Any) -> Any:
    """The CSV cell for ``value``: dangerous text gets a leading quote, anything else as is."""
    return "'" + value if is_dangerous(value) else value


def xlsx_cells(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """One row of write-only cells for ``sheet``: dangerous text as quote-prefixed strings.

    openpyxl turns any string starting with ``=`` into a formula cell; here such text (and
    the other triggers) is kept as the string it is, with ``quotePrefix`` set on its style.
    """
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        if is_dangerous(value):
            cell = WriteOnlyCell(sheet)
            cell.value = value
            cell.data_type = "s"
            cell.quotePrefix = True
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """Append ``values`` to a write-only ``sheet`` as inert cells."""
    sheet.append(xlsx_cells(sheet, values))
