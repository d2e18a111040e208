"""A learned layout's field places as evidence for a certificate's candidates (issue 17).

A page that matches a learned layout (:mod:`extractors.layout_fingerprint`) has, for each
field the layout knows, a place where the value should sit. The words found there are read
and parsed exactly as a labelled value would be (the layout gives the place, never the
value), and the candidates so found weigh more than a label's. The explanation names where
the layout was learned ("layout learned from document X, approved by Y on D").

A page that matches the layout badly falls back to the general reader: too few anchors, or
places where the layout expects a value but nothing of the right type is read (a date where
a date should be, a number where the hours are).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from extractors.dates import find_dates
from extractors.labels import LabelHit, LabelSpec
from extractors.layout import Row, Segment, build_rows, cut_at_gap, region_segment
from extractors.layout_fingerprint import Fingerprint, LayoutMatch, match_layout
from extractors.numbers import parse_hours, parse_post_number
from extractors.table import Column, TableGrid, build_columns, find_header
from extractors.types import BBox, PageText

if TYPE_CHECKING:  # the certificate reader imports this module
    from extractors.certificate import Candidate, PageView

#: Weight of a value read at a learned place (a label's is at most 1.0).
LAYOUT_WEIGHT = 1.3
#: Share of the layout's places that must give a value of the right type.
MIN_FIELDS_READ = 0.7
#: How far right of the learned box a value may run (page widths): values vary in length,
#: so to the edge; the first wide gap (the next column) ends it.
_RUN_ON = 1.0


@dataclass(frozen=True)
class OfficialPlace:
    """Where a sheet form's training official signs, as a reviewer's decision taught it.

    Measured from the table's end (the bottom of its last row), in page widths: the block
    moves with the number of rows, never across the page.

    Attributes:
        box: the signature's place (x0, top, x1, bottom): x in the layout's frame, top and
            bottom below the table's end.
        block: the block's printed words (caption, attestation), (token, x, below the
            table's end) each, which must be found on a page for the place to hold there.
    """

    box: tuple[float, float, float, float]
    block: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class LayoutHint:
    """A learned layout as the reader sees it.

    Attributes:
        layout_id: the learned layout's id (stored with the records read with it).
        fingerprint: the form's anchors.
        fields: (field name, value box (x0, top, x1, bottom) in fingerprint space) pairs.
        why: the explanation, e.g. "layout learned from document X, approved by Y on D".
        kind: the form's kind (``certificate`` or ``sign_in_sheet``).
        columns: a sheet's table columns, (role, x0, x1) in fingerprint space.
        official: a sheet's training official's signature place, if a decision taught it.
    """

    layout_id: int
    fingerprint: Fingerprint
    fields: tuple[tuple[str, tuple[float, float, float, float]], ...]
    why: str
    kind: str = "certificate"
    columns: tuple[tuple[str, float, float], ...] = ()
    official: OfficialPlace | None = None


@dataclass(frozen=True)
class LayoutEvidence:
    """What a learned layout gave a page: the layout used (or none) and its candidates."""

    layout_id: int | None = None
    score: float = 0.0
    candidates: tuple[Any, ...] = ()
    note: str = ""


def _best_match(page, hints: tuple[LayoutHint, ...]) -> tuple[LayoutHint, LayoutMatch] | None:
    best = None
    for hint in hints:
        found = match_layout(hint.fingerprint, page)
        if found.matched and (best is None or found.score > best[1].score):
            best = (hint, found)
    return best


def layout_candidates(view: PageView, hints: tuple[LayoutHint, ...]) -> LayoutEvidence:
    """Candidates read at the places of the learned layout the page matches best, if any."""
    if not hints:
        return LayoutEvidence()
    best = _best_match(view.page, hints)
    if best is None:
        return LayoutEvidence()
    hint, found = best
    out: list[Candidate] = []
    read = lost = 0
    for name, box in hint.fields:
        if _nothing_read_near(view.page, found.transform.box(box)):
            lost += 1  # the page's reading lost this part: no evidence either way
            continue
        if not _place_holds(hint.fingerprint, found, box):
            continue  # the printed words around the place moved: it is not this form's place
        segment = _value_segment(view, found.transform.box(box))
        cands = _parse(name, segment, view) if segment is not None else []
        if cands:
            read += 1
            out += [replace(c, weight=c.weight * LAYOUT_WEIGHT, why=hint.why) for c in cands]
    judged = len(hint.fields) - lost
    if not judged or read / judged < MIN_FIELDS_READ or read < MIN_SHARE_LEFT * len(hint.fields):
        return LayoutEvidence(note=f"layout {hint.layout_id} matched ({found.score:.2f}) but "
                                   f"only {read} of {judged} places read held a value "
                                   "of the right type: general reading")
    return LayoutEvidence(hint.layout_id, found.score, tuple(out),
                          f"layout {hint.layout_id} matched ({found.score:.2f})")


#: However much of the page its reading lost, this share of the places must give a value.
MIN_SHARE_LEFT = 0.5


def _nothing_read_near(page: PageText, box: tuple[float, float, float, float]) -> bool:
    """Whether no word at all was read around a place (page-width units): neither its
    caption nor its value nor anything on their lines. A blurred scan's reading can lose
    whole lines; that says nothing about whether the page is the form, unlike a place
    that holds a value of the wrong type."""
    w = page.width or 1.0
    x0, top, x1, bottom = box
    mid = (top + bottom) / 2
    return not any(abs(wd.bbox.center_y / w - mid) <= _NEIGHBOURHOOD_Y
                   and x0 - _NEIGHBOURHOOD_X <= (wd.bbox.x0 + wd.bbox.x1) / 2 / w
                   <= x1 + _NEIGHBOURHOOD_X for wd in page.words)


def _place_holds(fp: Fingerprint, found: LayoutMatch,
                 box: tuple[float, float, float, float]) -> bool:
    """The printed words around a place (its caption or label, the line it sits on) are on
    this page where the layout has them: 80 % of them, and at least one (a one-word caption
    such as "Venue" over a line).

    On a form, the words beside a box stay put; in a letter or prose certificate they move
    with the length of the name or title before them, and a place learned there is no place.
    """
    x0, top, x1, bottom = box
    mid = (top + bottom) / 2
    near = [i for i, a in enumerate(fp.anchors)
            if abs(a.y - mid) <= _NEIGHBOURHOOD_Y and x0 - _NEIGHBOURHOOD_X <= a.x
            <= x1 + _NEIGHBOURHOOD_X]
    held = sum(i in found.found_tokens for i in near)
    return held >= 1 and held >= 0.8 * len(near)


#: The neighbourhood of a place whose printed words must hold (page widths).
_NEIGHBOURHOOD_Y = 0.05
_NEIGHBOURHOOD_X = 0.3


def _value_segment(view: PageView, box: tuple[float, float, float, float]) -> Segment | None:
    """The words at a learned place: rows whose middle is in the box's height, words from
    the box's left edge to a little past its right edge, cut at the first wide gap."""
    w = view.page.width or 1.0
    x0, top, x1, bottom = (v * w for v in box)
    height = max(bottom - top, 6.0)
    rows = [r for r in view.rows
            if top - 0.5 * height <= (r.bbox.top + r.bbox.bottom) / 2 <= bottom + 0.5 * height]
    if not rows:
        return None
    mid = (top + bottom) / 2
    row = min(rows, key=lambda r: abs((r.bbox.top + r.bbox.bottom) / 2 - mid))
    segment = region_segment(row, x0 - 0.01 * w, _before_rule(row, x0, x1 + _RUN_ON * w))
    if segment is None:
        return None
    return cut_at_gap(segment)


_RULE = re.compile(r"^[|\[\]!]+$")


def _before_rule(row: Row, x0: float, hi: float) -> float:
    """Where the value's box ends: at a ruled cell's side read as a bar ('| 4' is the next
    cell), else ``hi``."""
    for word in row.words:
        if word.bbox.x0 > x0 + 4 and _RULE.match(word.text):
            return min(hi, word.bbox.x0)
    return hi


def _parse(name: str, segment: Segment, view: PageView) -> list[Candidate]:
    from extractors.certificate import Candidate, parse_value

    hit = LabelHit(LabelSpec(name, "label", 1.0, ""), 0, 0, "")
    found = [c for c in parse_value(name, segment, hit, view) if c.value is not None]
    if name == "post_number" and not found and ":" in segment.text:
        # a text layer may join a caption to its value ("Ref.:057"): what follows the colon
        # at the learned place is the value
        tail = parse_post_number(segment.text.rsplit(":", 1)[1])
        if tail is not None:
            found.append(Candidate(name, tail.value, segment.text, (segment,), 0.9))
    if name == "post_number" and _SPLIT_DIGITS.search(segment.text):
        # OCR split a number at the learned place ("8150-3601 1"): the joined reading is a
        # second candidate; the catalog's numbers decide between them (the reader prefers
        # one the catalog knows), verification still checks it.
        joined = parse_post_number(_SPLIT_DIGITS.sub(r"\1\2", segment.text))
        if joined is not None and all(joined.value != c.value for c in found):
            found.append(Candidate(name, joined.value, segment.text, (segment,), 0.9))
    return found


_SPLIT_DIGITS = re.compile(r"(\d) (\d)")


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def locate_value(page: PageText, name: str, value: Any) -> BBox | None:
    """Where on ``page`` a value a reviewer typed is printed (to learn its place).

    Dates are compared as dates (the form prints its own style), hours as numbers, other
    values by their letters and digits. ``None`` when the value is not found, or found twice
    (a place that cannot be told is not learned).
    """
    if value is None or str(value).strip() == "":
        return None
    found: list[BBox] = []
    for row in build_rows(page):
        found += [b for b in _row_spans(row, name, value) if b is not None]
        if len(found) > 1:
            return None
    return found[0] if found else None


def _row_spans(row: Row, name: str, value: Any) -> list[BBox | None]:
    if name == "training_date":
        return [Segment(row, d.start, d.end).bbox for d in find_dates(row.text)
                if d.value is not None and d.value.isoformat() == str(value)]
    want = _key(str(value))
    out = []
    n = len(row.words)
    for i in range(n):
        for j in range(i, min(n, i + 12)):
            text = " ".join(w.text for w in row.words[i : j + 1])
            if name == "hours":
                h = parse_hours(text)
                hit = h is not None and h.value is not None and j == i and \
                    abs(h.value - float(value)) < 1e-6
            else:
                hit = _key(text) == want
            if hit:
                out.append(BBox.enclosing([w.bbox for w in row.words[i : j + 1]]))
                break
    return out


def learned_certificate(page: PageText, hints: tuple[LayoutHint, ...]) -> LayoutHint | None:
    """The learned certificate layout ``page`` matches, if any.

    A form reviewers taught as a certificate is one even when its wording has none of the
    completion cues the classifier looks for; verification still decides what it credits.
    """
    best = _best_match(page, tuple(h for h in hints if h.kind == "certificate"))
    return best[0] if best else None


def learned_sheet(page: PageText, hints: tuple[LayoutHint, ...]
                  ) -> tuple[LayoutHint, LayoutMatch] | None:
    """The learned sign-in sheet layout ``page`` matches (with the fit), if any."""
    return _best_match(page, tuple(h for h in hints if h.kind == "sign_in_sheet" and h.columns))


def learned_sheet_form(page: PageText, hints: tuple[LayoutHint, ...]) -> int | None:
    """The id of the learned sheet layout ``page`` matches, when it also has a table: a
    sheet of few rows reads like a certificate to the classifier, yet it is that form."""
    if not any(h.kind == "sign_in_sheet" for h in hints):
        return None
    found = learned_sheet(page, hints)
    if found is None or find_header(build_rows(page)) is None:
        return None
    return found[0].layout_id


#: Roles a learned sheet layout may give a column the heading left open.
LEARNED_ROLES = ("name", "badge", "signature")


def learned_columns(grid: TableGrid, page: PageText, hint: LayoutHint,
                    found: LayoutMatch) -> TableGrid:
    """``grid`` with the columns its headings left open typed as the learned layout has them.

    A column's role is evidence from the decided copy of the form: the column whose middle
    lies in a learned column (after the page's fit) takes that role when its heading named
    none (``other``), and only a role the table does not have yet. A heading that names a
    role decides; the values in the cells are still read and checked as in any sheet.
    """
    w = page.width or 1.0
    t = found.transform
    taken = {c.role for c in grid.columns}
    out = []
    for col in grid.columns:
        mid = ((col.x0 + col.x1) / 2 / w - t.dx) / t.scale  # into the layout's frame
        role = next((r for r, x0, x1 in hint.columns if x0 <= mid <= x1), None)
        if col.role == "other" and role in LEARNED_ROLES and role not in taken:
            taken.add(role)
            col = replace(col, role=role)
        out.append(col)
    return replace(grid, columns=tuple(out))


def sheet_fingerprint_words(page: PageText) -> tuple[PageText, float] | None:
    """A sign-in page's printed form above its table (title, captions, header labels), and
    the top of the table's heading row (page-width units); ``None`` without a table.

    The attendee rows change from copy to copy and are no part of the form; the words above
    the table are also what the header reader sees, so the same fingerprint serves both.
    """
    rows = build_rows(page)
    header = find_header(rows)
    if header is None:
        return None
    limit = header.bbox.top
    above = tuple(w for r in rows if r.bbox.bottom <= limit + 1 for w in r.words)
    return replace(page, words=above), limit / (page.width or 1.0)


def table_columns(page: PageText) -> tuple[Column, ...]:
    """The columns of the page's table from its heading cells (no rules: a stored page)."""
    header = find_header(build_rows(page))
    return build_columns(header, [], page.width) if header is not None else ()
