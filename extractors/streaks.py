"""Streaks a fax machine or a sheet-fed scanner draws across a whole page.

A dirty scanner lamp or a fax line error leaves a thin line (often dotted) running from one
edge of the page to the other, through whatever is printed there. Tesseract reads the letters
it crosses as other letters ("Course Number" under a streak came back "Course Nutter"), so a
label is lost and the value beside it with it. Nothing printed on a form reaches into both
margins, a streak does: that is how one is told from a ruled line. It is erased where it
runs over paper only; where a letter's stroke crosses it (ink just above and below), the
pixels are kept, so the letter stays whole.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from extractors.pixels import gray_array

#: Share of a margin (the outer 5 % of the page at each end of the line) a streak darkens.
_MARGIN = 0.05
_MIN_MARGIN_COVER = 0.3
#: Share of its whole length a streak darkens (dotted streaks leave gaps).
_MIN_COVER = 0.3
#: A streak is thin: thicker bands (a black page edge, a border) are no streak.
_MAX_THICKNESS_PT = 1.5


def erase_streaks(image: Image.Image, dpi: float, threshold: float) -> tuple[Image.Image, int]:
    """``image`` with its edge-to-edge streaks erased, and how many there were.

    Args:
        image: a grayscale page.
        dpi: its resolution (a streak's thickness is judged in points).
        threshold: the gray level below which a pixel is ink.
    """
    gray = np.asarray(gray_array(image), dtype=np.uint8)
    thick = max(1, round(_MAX_THICKNESS_PT * dpi / 72.0))
    # A streak darkens both margins: only rows (columns) whose margins are dark are looked at
    # along their whole length, so a clean page costs its margins, not a pass over the page.
    rows = _marginal_lines(gray, threshold)
    cols = _marginal_lines(gray.T, threshold)
    if not rows.size and not cols.size:
        return image, 0
    dark = gray < threshold
    across = _streak_bands(dark, thick, rows)
    down = _streak_bands(dark.T, thick, cols)
    if not across and not down:
        return image, 0
    out = gray.copy()
    for a, b in across:
        _erase_band(out, dark, a, b)
    if down:
        turned = np.ascontiguousarray(out.T)
        for a, b in down:
            _erase_band(turned, np.ascontiguousarray(dark.T), a, b)
        out = np.ascontiguousarray(turned.T)
    return Image.fromarray(out), len(across) + len(down)


def _marginal_lines(gray: np.ndarray, threshold: float) -> np.ndarray:
    """The rows of ``gray`` (pass its transpose for columns) whose two margins are each
    darkened over :data:`_MIN_MARGIN_COVER` of their width: the only rows a streak can be."""
    h, w = gray.shape
    edge = max(1, int(w * _MARGIN))
    left = (gray[:, :edge] < threshold).mean(axis=1)
    right = (gray[:, w - edge:] < threshold).mean(axis=1)
    return np.flatnonzero((left >= _MIN_MARGIN_COVER) & (right >= _MIN_MARGIN_COVER))


def _streak_bands(dark: np.ndarray, thick: int, candidates: np.ndarray) -> list[tuple[int, int]]:
    """Runs of pixel rows (first, last) that darken both margins and most of their length,
    no thicker than ``thick``; ``candidates``: the rows whose margins are dark
    (:func:`_marginal_lines`)."""
    h = dark.shape[0]
    streak = np.zeros(h, dtype=bool)
    if candidates.size:
        streak[candidates] = dark[candidates].mean(axis=1) >= _MIN_COVER
    # runs of streak rows: where the mask switches on, and where it switches off again
    edges = np.flatnonzero(np.diff(np.concatenate(([0], streak.astype(np.int8), [0]))))
    # a run touching the page's edge has no paper beyond it to paint with
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)
            if b - a <= thick and a > 0 and b < h]


def _erase_band(gray: np.ndarray, dark: np.ndarray, first: int, last: int) -> None:
    """Paint the band's pixels with the paper beside it, except where ink runs through it
    (dark one or two pixels above *and* below: a letter's stroke)."""
    h = gray.shape[0]
    above = max(0, first - 2)
    below = min(h - 1, last + 2)
    through = (dark[above] | dark[max(0, first - 1)]) & (dark[below] | dark[min(h - 1, last + 1)])
    paper = ((gray[above].astype(np.uint16) + gray[below]) // 2).astype(np.uint8)
    keep = through
    for y in range(first, last + 1):
        gray[y] = np.where(keep, gray[y], np.maximum(gray[y], paper))
