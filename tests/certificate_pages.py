"""Build :class:`PageText` fixtures from rows of text with synthetic word boxes.

A row is a string (centred on the page), or a list of ``(x, text)`` chunks (a grid or a form
row). Options per row: ``size`` (points), ``gap`` (space above, points), ``conf`` (word
confidence for OCR-like pages). Words get boxes from a fixed advance of ``0.5 * size`` per
character, which is close enough to a proportional font for the layout rules under test.
"""

from __future__ import annotations

from typing import Any

from extractors.types import BBox, FieldSource, PageText, Word

RowSpec = str | list[tuple[float, str]] | tuple[Any, dict[str, Any]]


def make_page(rows: list[RowSpec], *, width: float = 792, height: float = 612,
              source: FieldSource = FieldSource.TEXT_LAYER, conf: float | None = None,
              page_number: int = 1) -> PageText:
    """A page whose rows are laid out top to bottom from y=48."""
    words: list[Word] = []
    y = 48.0
    for line_id, spec in enumerate(rows):
        content, opts = spec if isinstance(spec, tuple) else (spec, {})
        size = opts.get("size", 12.0)
        y += opts.get("gap", 0.0)
        chunks = content if isinstance(content, list) else [(None, content)]
        row_conf = opts.get("conf", conf)
        for x, text in chunks:
            x0 = (width - _advance(text, size)) / 2 if x is None else x
            words += _words(text, x0, y, size, row_conf, line_id)
        y += size * 1.9
    return PageText(page_number, width, height, tuple(words), source,
                    mean_confidence=conf)


def _advance(text: str, size: float) -> float:
    return len(text) * 0.5 * size


def _words(text: str, x: float, y: float, size: float, conf: float | None,
           line_id: int) -> list[Word]:
    out = []
    for token in text.split(" "):
        if token:
            w = _advance(token, size)
            out.append(Word(token, BBox(x, y, x + w, y + size), conf, line_id))
        x += _advance(token + " ", size)
    return out
