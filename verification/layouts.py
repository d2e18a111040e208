"""Layouts learned from reviewers' decisions (issue 17): learn, weaken, use, list, delete.

When a reviewer's decision leaves a certificate verified (approved, or corrected and then
verified), the page's fingerprint and the places where the right values sat are kept as a
:class:`LearnedLayout` of the agency, or, when the page matches a layout already learned,
that layout is confirmed: the anchors a second copy also shows are kept (the rest were
fill-ins) and each field's place is counted as a hit or, if the value sat elsewhere, a miss.
A correction of a record read with a layout, or its rejection, weakens the layout.

Service functions: the session comes first; they flush and never commit.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, column, func, select, table
from sqlalchemy.orm import Session

from extractors.layout_evidence import LayoutHint, locate_value
from extractors.layout_fingerprint import (
    Fingerprint,
    fingerprint_page,
    match_layout,
    normalised_box,
    stable_anchors,
)
from extractors.types import BBox, PageText
from verification.models import LayoutUse, LearnedLayout, RecordStatus, TrainingRecord

log = logging.getLogger(__name__)

#: The roster's agency: one database holds one agency's roster, so its layouts are one set.
#: Matching is by fingerprint within an agency; another agency's documents use a layout
#: only when their form matches it.
DEFAULT_AGENCY = "local"
CERTIFICATE = "certificate"
#: Fields whose place is learned (the values a certificate prints).
PLACED_FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
                 "course_title", "instructor_name", "location")
#: A place that moved by more than this (page widths) contradicts the lesson.
_PLACE_TOLERANCE = 0.03


# The pages table belongs to ingestion (above this package): read here as a plain table.
_pages = table("pages", column("document_id", String), column("number", Integer),
               column("text", JSON), column("image_path", Text))


def _page_text(session: Session, record: TrainingRecord) -> tuple[PageText, str | None] | None:
    row = session.execute(select(_pages.c.text, _pages.c.image_path).where(
        _pages.c.document_id == record.document_id, _pages.c.number == record.page)).first()
    if row is None or not row.text:
        return None
    return PageText.from_dict(row.text), row.image_path


def _value_boxes(record: TrainingRecord, page: PageText) -> dict[str, BBox]:
    """Where each confirmed value sat.

    A value as read keeps its box; a corrected one is looked for on the page (its box, if
    any, held the misreading, and the right value may sit elsewhere).
    """
    out = {}
    for name in PLACED_FIELDS:
        d = (record.fields or {}).get(name) or {}
        if d.get("value") is None:
            continue
        if "read_value" in d and str(d.get("read_value")) != str(d.get("value")) \
                or not d.get("bbox"):
            box = locate_value(page, name, d["value"])
        else:
            box = BBox.from_list(d["bbox"])
        if box is not None:
            out[name] = box
    return out


def learn_from_decision(session: Session, record: TrainingRecord, actor: str) -> None:
    """Learn or confirm the layout of a certificate a reviewer's decision left verified."""
    _weaken_if_changed(session, record)
    if record.status != RecordStatus.VERIFIED or record.document_kind != CERTIFICATE:
        return
    found = _page_text(session, record)
    if found is None:
        return
    page, image_path = found
    boxes = _value_boxes(record, page)
    if len(boxes) < 3:
        return
    fp = fingerprint_page(page, list(boxes.values()))
    places = {n: list(normalised_box(b, page)) for n, b in boxes.items()}
    source = {"document_id": record.document_id, "record_id": record.id, "reviewer": actor,
              "on": datetime.now().date().isoformat()}
    layout, match = _matching_layout(session, page)
    if layout is None:
        session.add(LearnedLayout(
            agency=DEFAULT_AGENCY, kind=CERTIFICATE, fingerprint=fp.to_dict(),
            fields={n: {"box": b, "hits": 1, "misses": 0} for n, b in places.items()},
            sources=[source], strength=1.0, thumbnail_path=image_path))
        session.flush()
        return
    if any(s["record_id"] == record.id for s in layout.sources):
        return
    _confirm(layout, match, places, source)
    session.flush()


def _confirm(layout: LearnedLayout, match, places: dict[str, list[float]], source) -> None:
    old = Fingerprint.from_dict(layout.fingerprint)
    if len(layout.sources) == 1:
        layout.fingerprint = stable_anchors(old, match).to_dict()
    t = match.transform
    fields = copy.deepcopy(layout.fields or {})  # a new value: the JSON column is not mutable
    for name, box in places.items():
        # the value's place in the layout's frame (inverse of the page fit)
        mine = [(box[0] - t.dx) / t.scale, (box[1] - t.dy) / t.scale,
                (box[2] - t.dx) / t.scale, (box[3] - t.dy) / t.scale]
        known = fields.get(name)
        if known is None:
            fields[name] = {"box": mine, "hits": 1, "misses": 0}
        elif max(abs(mine[0] - known["box"][0]), abs(mine[1] - known["box"][1])) <= \
                _PLACE_TOLERANCE:
            known["hits"] += 1
            known["box"][2] = max(known["box"][2], mine[2])  # values vary in length
        else:
            known["misses"] += 1
            layout.strength = float(layout.strength) - 0.5
    layout.fields = fields
    layout.sources = [*layout.sources, source]
    layout.strength = float(layout.strength) + 1.0


def _matching_layout(session: Session, page: PageText):
    best = (None, None)
    for layout in session.scalars(select(LearnedLayout).where(
            LearnedLayout.agency == DEFAULT_AGENCY, LearnedLayout.kind == CERTIFICATE)):
        m = match_layout(Fingerprint.from_dict(layout.fingerprint), page)
        if m.matched and (best[1] is None or m.score > best[1].score):
            best = (layout, m)
    return best


def _weaken_if_changed(session: Session, record: TrainingRecord) -> None:
    """A reviewer changed a field of a record read with a layout: count it, weaken it."""
    changed = any("read_value" in (d or {}) and str(d.get("read_value")) != str(d.get("value"))
                  for d in (record.fields or {}).values())
    if changed:
        weaken(session, record.id, 1.0)


def weaken(session: Session, record_id: str, by: float) -> None:
    """The layout this record was read with was contradicted (corrected or rejected)."""
    for use in session.scalars(select(LayoutUse).where(LayoutUse.record_id == record_id)):
        if use.changed_by_reviewer:
            continue
        use.changed_by_reviewer = True
        layout = session.get(LearnedLayout, use.layout_id)
        if layout is not None:
            layout.strength = float(layout.strength) - by
            log.info("layout %s weakened to %.1f by a decision on record %s",
                     layout.id, layout.strength, record_id)
    session.flush()


def note_use(session: Session, layout_id: int | None, record: TrainingRecord,
             score: float = 0.0) -> None:
    """Remember that ``record`` was read with the layout's evidence."""
    if layout_id is None or session.get(LearnedLayout, layout_id) is None:
        return  # deleted while the document was read: nothing to count
    exists = session.scalars(select(LayoutUse).where(
        LayoutUse.layout_id == layout_id, LayoutUse.record_id == record.id)).first()
    if exists is None:
        layout = session.get(LearnedLayout, layout_id)
        session.add(LayoutUse(layout_id=layout_id, record_id=record.id, score=score))
        record.explanation = {**(record.explanation or {}),
                              "layout": {"id": layout_id, "why": _why(layout)}}
        session.flush()


def _why(layout: LearnedLayout) -> str:
    first = layout.sources[0] if layout.sources else {}
    return (f"layout learned from document {first.get('document_id')}, approved by "
            f"{first.get('reviewer')} on {first.get('on')}")


def layout_hints(session: Session, agency: str = DEFAULT_AGENCY) -> tuple[LayoutHint, ...]:
    """The agency's usable layouts for the reader: strength above 0, places that held."""
    out = []
    for layout in session.scalars(select(LearnedLayout).where(
            LearnedLayout.agency == agency, LearnedLayout.strength > 0
    ).order_by(LearnedLayout.id)):
        fields = tuple((n, tuple(f["box"])) for n, f in sorted((layout.fields or {}).items())
                       if f["hits"] > f["misses"])
        if fields:
            out.append(LayoutHint(layout.id, Fingerprint.from_dict(layout.fingerprint),
                                  fields, _why(layout)))
    return tuple(out)


def layout_summaries(session: Session) -> list[dict[str, Any]]:
    """Every learned layout with its uses and how often reviewers then changed a field."""
    uses = dict(session.execute(select(LayoutUse.layout_id, func.count()).group_by(
        LayoutUse.layout_id)).all())
    changed = dict(session.execute(select(LayoutUse.layout_id, func.count()).where(
        LayoutUse.changed_by_reviewer.is_(True)).group_by(LayoutUse.layout_id)).all())
    out = []
    for layout in session.scalars(select(LearnedLayout).order_by(LearnedLayout.id)):
        out.append({"layout": layout, "uses": uses.get(layout.id, 0),
                    "changed": changed.get(layout.id, 0), "why": _why(layout),
                    "fields": sorted((layout.fields or {}).keys())})
    return out


def delete_layout(session: Session, layout_id: int) -> bool:
    """Forget a learned layout (later documents get the general reading); False if absent."""
    layout = session.get(LearnedLayout, layout_id)
    if layout is None:
        return False
    for use in session.scalars(select(LayoutUse).where(LayoutUse.layout_id == layout_id)):
        session.delete(use)
    session.delete(layout)
    session.flush()
    return True
