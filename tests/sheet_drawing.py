"""Drawing helpers for the sign-in sheets the tests lay out themselves with reportlab: a
pen signature's scribble and the rules of a ruled table."""

from __future__ import annotations

import random
from collections.abc import Sequence

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas


def scribble(c: Canvas, x: float, y: float, w: float, h: float, seed: int) -> None:
    """A pen signature: five random curves across ``w`` x ``h`` points from (``x``, ``y``)."""
    r = random.Random(seed)
    c.saveState()
    c.setStrokeColor(Color(0.05, 0.1, 0.45))
    p = c.beginPath()
    p.moveTo(x, y + h / 2)
    for k in range(1, 6):
        nx = x + w * k / 5
        p.curveTo(nx - w / 8, y + h * r.random(), nx - w / 16, y + h * r.random(), nx,
                  y + h * r.uniform(0.2, 0.8))
    c.drawPath(p, stroke=1, fill=0)
    c.restoreState()


def rule_grid(c: Canvas, edges: Sequence[float], top: float, row_h: float, rows: int) -> float:
    """The rules of a table of ``rows`` rows (heading row included) between column
    ``edges``, from ``top`` down; the y of its bottom rule."""
    for i in range(rows + 1):
        c.line(edges[0], top - i * row_h, edges[-1], top - i * row_h)
    for x in edges:
        c.line(x, top, x, top - rows * row_h)
    return top - rows * row_h
