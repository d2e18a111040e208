"""A page's layout fingerprint: what stays put on a form whatever is filled in.

A form is recognised by its printed words (labels, headings, captions) at their places
relative to each other, and by the page's aspect. A fingerprint keeps those *anchors* as
normalised tokens with their centres in page-width units; the values a reviewer confirmed
are left out (they change from copy to copy).

Matching a page against a fingerprint (:func:`match_layout`) pairs anchor tokens with the
page's words, fits one scale and offset (a scan is shifted and scaled; the reader already
straightened it, and the tolerance absorbs a residual skew of a degree or so), keeps the
pairs that agree with the fit and scores the share of anchors found. OCR slips are forgiven
by comparing tokens with one edit allowed for longer words. Another form of the same agency
shares its letterhead at most, so its share stays well under :data:`MATCH_SCORE`.

Pure functions over :class:`~extractors.types.PageText`: no database, no images.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

from extractors.types import BBox, PageText, Word

#: Share of a fingerprint's anchors a page must show at consistent places to be that form.
MATCH_SCORE = 0.6
#: Fewer consistent anchors than this never make a match (a near-empty fingerprint).
MIN_ANCHORS = 5
#: Pages whose width/height differ more than this are different forms.
ASPECT_TOLERANCE = 0.06
#: A pair agrees with the fit when its residual is within this share of the page width.
POSITION_TOLERANCE = 0.025

_TOKEN = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class Anchor:
    """A printed word of the form: its token and centre (page-width units)."""

    token: str
    x: float
    y: float


@dataclass(frozen=True)
class Fingerprint:
    """The anchors of one form's page and its aspect (width / height)."""

    aspect: float
    anchors: tuple[Anchor, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"aspect": round(self.aspect, 4),
                "anchors": [[a.token, round(a.x, 4), round(a.y, 4)] for a in self.anchors]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Fingerprint:
        """Inverse of :meth:`to_dict`."""
        return cls(d["aspect"], tuple(Anchor(t, x, y) for t, x, y in d["anchors"]))


@dataclass(frozen=True)
class Transform:
    """Fingerprint coordinates -> page coordinates (page-width units): ``p = s * f + d``."""

    scale: float = 1.0
    dx: float = 0.0
    dy: float = 0.0

    def box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A fingerprint-space box (x0, top, x1, bottom) on the page."""
        x0, top, x1, bottom = box
        s = self.scale
        return (s * x0 + self.dx, s * top + self.dy, s * x1 + self.dx, s * bottom + self.dy)


@dataclass(frozen=True)
class LayoutMatch:
    """How well a page matches a fingerprint, and where its anchors landed."""

    score: float
    found: int
    transform: Transform
    found_tokens: frozenset[int] = field(default_factory=frozenset)

    @property
    def matched(self) -> bool:
        """Enough anchors, at consistent places."""
        return self.score >= MATCH_SCORE and self.found >= MIN_ANCHORS


def token(text: str) -> str | None:
    """A word's comparable token: lower-case letters only, 3 or more, else ``None``."""
    letters = "".join(_TOKEN.findall(text.lower()))
    return letters if len(letters) >= 3 else None


def normalised_box(box: BBox, page: PageText) -> tuple[float, float, float, float]:
    """A box in page-width units (the frame fingerprints and field places use)."""
    w = page.width or 1.0
    return (box.x0 / w, box.top / w, box.x1 / w, box.bottom / w)


def _centre(word: Word, page: PageText) -> tuple[float, float]:
    x0, top, x1, bottom = normalised_box(word.bbox, page)
    return ((x0 + x1) / 2, (top + bottom) / 2)


def fingerprint_page(page: PageText, values: list[BBox] | tuple[BBox, ...] = ()) -> Fingerprint:
    """The fingerprint of a page: its words with a token, minus those inside ``values``.

    Args:
        page: the page as read.
        values: boxes of the values on it (a record's confirmed fields); words overlapping
            them are fill-ins, not the form.
    """
    anchors = []
    for word in page.words:
        tok = token(word.text)
        if tok is None or any(_overlap(word.bbox, v) for v in values):
            continue
        anchors.append(Anchor(tok, *_centre(word, page)))
    return Fingerprint(page.width / page.height if page.height else 1.0, tuple(anchors))


def _overlap(a: BBox, b: BBox) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.top < b.bottom and b.top < a.bottom


def similar(a: str, b: str) -> bool:
    """The same token, or one OCR slip apart (one edit) when both have 5+ letters."""
    if a == b:
        return True
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1:
        return False
    return _one_edit(a, b)


def _one_edit(a: str, b: str) -> bool:
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = next((k for k in range(len(short)) if short[k] != long_[k]), len(short))
    return short[i:] == long_[i + 1:]


def _page_points(page: PageText) -> dict[str, list[tuple[float, float]]]:
    points: dict[str, list[tuple[float, float]]] = {}
    for word in page.words:
        tok = token(word.text)
        if tok is not None:
            points.setdefault(tok, []).append(_centre(word, page))
    return points


def _candidates(anchor: Anchor, points: dict[str, list[tuple[float, float]]]):
    exact = points.get(anchor.token)
    if exact is not None:
        return exact
    return [p for tok, ps in points.items() if similar(anchor.token, tok) for p in ps]


def match_layout(fp: Fingerprint, page: PageText) -> LayoutMatch:
    """Score ``page`` against ``fp``: the share of anchors found where the fit puts them."""
    none = LayoutMatch(0.0, 0, Transform())
    if not fp.anchors or not page.height:
        return none
    if abs(page.width / page.height - fp.aspect) > ASPECT_TOLERANCE * fp.aspect:
        return none
    points = _page_points(page)
    options = [_candidates(a, points) for a in fp.anchors]
    # Seed the fit with anchors that have exactly one reading on the page.
    pairs = [(a, opts[0]) for a, opts in zip(fp.anchors, options, strict=True) if len(opts) == 1]
    if len(pairs) < MIN_ANCHORS:
        return none
    transform = _fit(pairs)
    for _ in range(2):  # refit on the agreeing pairs, with every reading of every anchor
        agreeing = _agreeing(fp.anchors, options, transform)
        if len(agreeing) < MIN_ANCHORS:
            break
        transform = _fit([(fp.anchors[i], p) for i, p in agreeing.items()])
    agreeing = _agreeing(fp.anchors, options, transform)
    return LayoutMatch(len(agreeing) / len(fp.anchors), len(agreeing), transform,
                       frozenset(agreeing))


def _agreeing(anchors, options, t: Transform) -> dict[int, tuple[float, float]]:
    out = {}
    for i, (a, opts) in enumerate(zip(anchors, options, strict=True)):
        ex, ey = t.scale * a.x + t.dx, t.scale * a.y + t.dy
        best = min(opts, key=lambda p: (p[0] - ex) ** 2 + (p[1] - ey) ** 2, default=None)
        if best is not None and max(abs(best[0] - ex), abs(best[1] - ey)) <= POSITION_TOLERANCE:
            out[i] = best
    return out


def _fit(pairs: list[tuple[Anchor, tuple[float, float]]]) -> Transform:
    """Scale and offset from anchor pairs, robust to wrong pairs (medians)."""
    ax = [a.x for a, _ in pairs]
    ay = [a.y for a, _ in pairs]
    mx, my = statistics.median(ax), statistics.median(ay)
    px = [p[0] for _, p in pairs]
    py = [p[1] for _, p in pairs]
    pmx, pmy = statistics.median(px), statistics.median(py)
    spreads = [
        (abs(p[0] - pmx) + abs(p[1] - pmy)) / (abs(a.x - mx) + abs(a.y - my))
        for a, p in pairs
        if abs(a.x - mx) + abs(a.y - my) > 0.05
    ]
    scale = statistics.median(spreads) if spreads else 1.0
    scale = min(1.25, max(0.8, scale))
    dx = statistics.median(p[0] - scale * a.x for a, p in pairs)
    dy = statistics.median(p[1] - scale * a.y for a, p in pairs)
    return Transform(scale, dx, dy)


def stable_anchors(fp: Fingerprint, match: LayoutMatch) -> Fingerprint:
    """The fingerprint keeping only the anchors a second copy of the form also showed.

    Learning from a second document of the form drops what was a fill-in on the first
    (a certificate number, an issue date) and keeps what is printed.
    """
    kept = tuple(a for i, a in enumerate(fp.anchors) if i in match.found_tokens)
    return Fingerprint(fp.aspect, kept) if len(kept) >= MIN_ANCHORS else fp
