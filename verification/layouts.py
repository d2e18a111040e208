"""Layouts learned from reviewers' decisions (issue 17): learn, weaken, use, list, delete.

When a reviewer's decision leaves a certificate or a sign-in row verified (approved, or
corrected and then verified), the page's fingerprint and the places where the right values
sat are kept as a :class:`LearnedLayout` of the agency, or, when the page matches a layout
already learned, that layout is confirmed: the anchors a second copy also shows are kept
(the rest were fill-ins) and each field's place is counted as a hit or, if the value sat
elsewhere, a miss.
A sheet teaches the printed words above its table, its header values' places and its
columns' roles (name, badge, signature); a reviewer who rejects one of its rows (read
without a layout) teaches it from a row of the same page that verification confirmed.
Layouts are kept per agency (the batch's).
A correction of a record read with a layout, or its rejection, weakens the layout; a sheet
row rejected beside rows the layout read and verified on its page does not (it was
rejected for its own sake).

Service functions: the session comes first; they flush and never commit.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text, column, func, select, table
from sqlalchemy.orm import Session

from extractors.layout_evidence import (
    LayoutHint,
    OfficialPlace,
    locate_value,
    sheet_fingerprint_words,
)
from extractors.layout_fingerprint import (
    Fingerprint,
    Transform,
    fingerprint_page,
    match_layout,
    normalised_box,
    stable_anchors,
    token,
)
from extractors.official_place import CAPTION_PT, LEARNED_NOTE
from extractors.types import BBox, PageText
from verification.models import LayoutUse, LearnedLayout, RecordStatus, TrainingRecord

log = logging.getLogger(__name__)

#: The agency of documents uploaded without one (``credence ingest --agency``, the batch's):
#: one database holds one roster, so by default its layouts are one set.
DEFAULT_AGENCY = "local"
CERTIFICATE = "certificate"
SHEET = "sign_in_sheet"
#: Fields whose place is learned (the values a certificate prints).
PLACED_FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
                 "course_title", "instructor_name", "location")
#: A sheet's header fields (printed once above its table), whose places a sheet teaches.
SHEET_HEADER_FIELDS = ("training_date", "hours", "post_number", "course_title",
                       "instructor_name", "location")
#: A sheet row's cells whose boxes are its table's columns.
_COLUMN_OF = {"officer_name": "name", "badge_number": "badge", "signed": "signature"}
#: A place that moved by more than this (page widths) contradicts the lesson.
_PLACE_TOLERANCE = 0.03
#: The key in ``fields`` of a sheet's official's signature place (measured from the table's
#: end, not from the page's anchors: see :func:`_official_lesson`).
OFFICIAL = "official_signed"
#: Fields a reviewer decides when the reader left them undecided: deciding one is no
#: contradiction of the layout the record was read with.
_UNDECIDED_SIGNATURES = ("signed", OFFICIAL)


# The pages, documents and batches tables belong to ingestion (above this package): read
# here as plain tables.
_pages = table("pages", column("document_id", String), column("number", Integer),
               column("text", JSON), column("image_path", Text))
_documents = table("documents", column("id", String), column("batch_id", String))
_batches = table("batches", column("id", String), column("agency", String))


def document_agency(session: Session, document_id: str) -> str:
    """The agency a document came from: its batch's, else :data:`DEFAULT_AGENCY`."""
    agency = session.execute(
        select(_batches.c.agency)
        .select_from(_documents.join(_batches, _documents.c.batch_id == _batches.c.id))
        .where(_documents.c.id == document_id)).scalar()
    return agency or DEFAULT_AGENCY


def _page_text(session: Session, record: TrainingRecord) -> tuple[PageText, str | None] | None:
    row = session.execute(select(_pages.c.text, _pages.c.image_path).where(
        _pages.c.document_id == record.document_id, _pages.c.number == record.page)).first()
    if row is None or not row.text:
        return None
    return PageText.from_dict(row.text), row.image_path


def _value_boxes(record: TrainingRecord, page: PageText,
                 names: tuple[str, ...] = PLACED_FIELDS) -> dict[str, BBox]:
    """Where each confirmed value sat.

    A value as read keeps its box; a corrected one is looked for on the page (its box, if
    any, held the misreading, and the right value may sit elsewhere).
    """
    out = {}
    for name in names:
        d = (record.fields or {}).get(name) or {}
        if d.get("value") is None:
            continue
        if "read_value" in d and str(d.get("read_value")) != str(d.get("value")) \
                or not d.get("bbox"):
            box = locate_value(page, name, d["value"])
            key = _key(d["value"])
            if box is None and d.get("bbox") and key and key in _key(d.get("raw_text")):
                box = BBox.from_list(d["bbox"])  # the value was there, joined to its caption
        else:
            box = _own_words(page, name, d["value"], BBox.from_list(d["bbox"]))
        if box is not None:
            out[name] = box
    return out


def _own_words(page: PageText, name: str, value, read: BBox) -> BBox:
    """The value's own words inside the box it was read from.

    A value read together with its caption ("8" over "CLOCK HOURS", the caption printed
    under the line) has a box over both lines; learned so, the place's middle falls between
    them and a later copy is read on the caption's line. Where the value's words are found
    alone inside the read box, that is the place.
    """
    inside = tuple(w for w in page.words
                   if read.x0 - 1 <= (w.bbox.x0 + w.bbox.x1) / 2 <= read.x1 + 1
                   and read.top - 1 <= w.bbox.center_y <= read.bottom + 1)
    own = locate_value(replace(page, words=inside), name, value) if inside else None
    return own or read


def _key(text) -> str:
    return "".join(ch for ch in str(text or "").lower() if ch.isalnum())


def _learned_kind(record: TrainingRecord) -> str | None:
    """The kind of form a verified record teaches: a certificate (also a page first read as
    not a training document that the reviewer made one), or a sign-in sheet."""
    if record.status != RecordStatus.VERIFIED:
        return None
    return record.document_kind if record.document_kind in (CERTIFICATE, SHEET) else None


def _certificate_lesson(record: TrainingRecord, page: PageText):
    boxes = _value_boxes(record, page)
    if len(boxes) < 3:
        return None
    places = {n: list(normalised_box(b, page)) for n, b in boxes.items()}
    return fingerprint_page(page, list(boxes.values())), places, []


def _sheet_lesson(record: TrainingRecord, page: PageText):
    """A sheet's form: the printed words above its table, the header values' places, and
    the columns the row's name, badge and signature cells stood in (page-width units)."""
    above = sheet_fingerprint_words(page)
    if above is None:
        return None
    sub, table_top = above
    # looked for above the table only: a small number of hours is also a row's number
    boxes = {n: b for n, b in _value_boxes(record, sub, SHEET_HEADER_FIELDS).items()
             if b.bottom / (page.width or 1.0) <= table_top + 0.01}
    places = {n: list(normalised_box(b, page)) for n, b in boxes.items()}
    columns = []
    for name, role in _COLUMN_OF.items():
        d = (record.fields or {}).get(name) or {}
        if d.get("bbox") and (name != "signed" or d.get("value") is True):
            x0, _t, x1, _b = normalised_box(BBox.from_list(d["bbox"]), page)
            columns.append([role, x0, x1])
    if len(columns) < 2:
        return None
    return fingerprint_page(sub, list(boxes.values())), places, columns


def learn_from_decision(session: Session, record: TrainingRecord, actor: str) -> None:
    """Learn or confirm the layout of a form a reviewer's decision left verified.

    The layout is the agency's (the document's batch's); a decision confirms a layout of
    its own agency only, so another agency's lesson is never changed by it.
    """
    _weaken_if_changed(session, record)
    _doubt_official(session, record)
    kind = _learned_kind(record)
    found = _page_text(session, record) if kind else None
    if found is None:
        return
    page, image_path = found
    lesson = _sheet_lesson(record, page) if kind == SHEET else _certificate_lesson(record, page)
    if lesson is None:
        return
    fp, places, columns = lesson
    agency = document_agency(session, record.document_id)
    source = {"document_id": record.document_id, "record_id": record.id, "reviewer": actor,
              "on": datetime.now().date().isoformat()}
    layout, match = _matching_layout(session, page, agency, kind)
    if layout is None:
        fields = {n: {"box": b, "hits": 1, "misses": 0} for n, b in places.items()}
        if kind == SHEET and (official := _official_lesson(record, page, Transform())):
            fields[OFFICIAL] = official
        session.add(LearnedLayout(
            agency=agency, kind=kind, fingerprint=fp.to_dict(), fields=fields,
            columns=columns, sources=[source], strength=1.0, thumbnail_path=image_path))
        session.flush()
        return
    if any(s["document_id"] == record.document_id for s in layout.sources):
        return  # one document teaches once (a sheet's other rows say the same)
    _confirm(layout, match, places, source)
    if kind == SHEET:
        _confirm_official(layout, _official_lesson(record, page, match.transform))
    session.flush()


def _official_lesson(record: TrainingRecord, page: PageText,
                     t: Transform) -> dict[str, Any] | None:
    """Where the training official signs on this sheet form, when the reviewer decided it.

    The reader left the official's signature undecided (its caption in words no list
    holds) or unsure, and showed where it looked: the place over the line under the table
    (the field's box) and the table's end. The reviewer who says signed or not confirms
    that place. It is kept measured from the table's end (page widths, in the layout's
    frame): the block moves down the page with the number of rows. With it go the block's
    printed words (its caption under the line, an attestation sentence between the table
    and the line), which must be there on a later page for the place to hold. Not learned:
    a decision on a sheet whose official's line is on another page than the row (the
    place is measured on the row's page), a place with no printed word round it, and a
    decision overruling what a learned place read (that doubts the place instead).
    """
    d = (record.fields or {}).get(OFFICIAL) or {}
    if "read_value" not in d or d.get("value") is None or not d.get("bbox") \
            or d.get("table_end") is None or (d.get("page") or record.page) != record.page:
        return None
    if LEARNED_NOTE in str(d.get("raw_text") or "") and d.get("read_value") is not None:
        return None  # a learned place's reading overruled: a doubt (_doubt_official)
    w = page.width or 1.0
    area, end = BBox.from_list(d["bbox"]), float(d["table_end"])
    block = [[tok, round(((wd.bbox.x0 + wd.bbox.x1) / 2 / w - t.dx) / t.scale, 4),
              round((wd.bbox.center_y - end) / w / t.scale, 4)]
             for wd in page.words
             if end < wd.bbox.center_y <= area.bottom + CAPTION_PT
             and (wd.confidence is None or wd.confidence >= 0.8)
             and not (area.x0 <= (wd.bbox.x0 + wd.bbox.x1) / 2 <= area.x1
                      and area.top <= wd.bbox.center_y <= area.bottom)
             and (tok := token(wd.text)) is not None]
    if not block:
        return None
    box = [(area.x0 / w - t.dx) / t.scale, (area.top - end) / w / t.scale,
           (area.x1 / w - t.dx) / t.scale, (area.bottom - end) / w / t.scale]
    return {"box": [round(v, 4) for v in box], "block": block, "hits": 1, "misses": 0,
            "from": "table_end"}


def _confirm_official(layout: LearnedLayout, lesson: dict[str, Any] | None) -> None:
    """A later decision's official's place: taught if new, else a hit or a miss."""
    if lesson is None:
        return
    fields = copy.deepcopy(layout.fields or {})
    known = fields.get(OFFICIAL)
    if known is None:
        fields[OFFICIAL] = lesson
    elif max(abs(lesson["box"][0] - known["box"][0]),
             abs(lesson["box"][1] - known["box"][1])) <= _PLACE_TOLERANCE:
        known["hits"] += 1
    else:
        known["misses"] += 1
    layout.fields = fields


def _doubt_official(session: Session, record: TrainingRecord) -> None:
    """A reviewer decided the official's signature otherwise than the learned place read
    it: that place is doubted (a miss), as a moved field's is."""
    d = (record.fields or {}).get(OFFICIAL) or {}
    if LEARNED_NOTE not in str(d.get("raw_text") or "") or d.get("read_value") is None \
            or str(d.get("read_value")) == str(d.get("value")):
        return
    for use in session.scalars(select(LayoutUse).where(LayoutUse.record_id == record.id)):
        layout = session.get(LearnedLayout, use.layout_id)
        if layout is not None and OFFICIAL in (layout.fields or {}):
            fields = copy.deepcopy(layout.fields)
            fields[OFFICIAL]["misses"] += 1
            layout.fields = fields
            log.info("layout %s: the official's place doubted by a decision on record %s",
                     layout.id, record.id)


def learn_from_sheet_rejection(session: Session, record: TrainingRecord, actor: str) -> None:
    """A reviewer who rejects a sheet's row (that attendee did not sign, is not on the
    roster) has looked at its page: the page's rows verification confirmed (officer on the
    roster, course in the catalog) still show the form, its header values' places and its
    columns, so the first of them teaches it.

    Without this, a first copy whose rows were either read right or rightly rejected taught
    nothing, and every later copy of the form met the same trouble. A row read with a
    learned layout teaches nothing here: its rejection doubts that layout (:func:`weaken`).
    """
    if record.document_kind != SHEET or record.status == RecordStatus.VERIFIED:
        return
    if session.scalars(select(LayoutUse).where(LayoutUse.record_id == record.id)).first():
        return
    sibling = session.scalars(select(TrainingRecord).where(
        TrainingRecord.document_id == record.document_id, TrainingRecord.page == record.page,
        TrainingRecord.status == RecordStatus.VERIFIED, TrainingRecord.id != record.id)
        .order_by(TrainingRecord.row_index)).first()
    if sibling is not None:
        learn_from_decision(session, sibling, actor)


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


def _matching_layout(session: Session, page: PageText, agency: str, kind: str):
    best = (None, None)
    for layout in session.scalars(select(LearnedLayout).where(
            LearnedLayout.agency == agency, LearnedLayout.kind == kind)):
        m = match_layout(Fingerprint.from_dict(layout.fingerprint), page)
        if m.matched and (best[1] is None or m.score > best[1].score):
            best = (layout, m)
    return best


def _weaken_if_changed(session: Session, record: TrainingRecord) -> None:
    """A reviewer changed a field of a record read with a layout: count it, weaken it.

    A signature the reader left undecided and the reviewer decided is no change: the
    layout read nothing there to contradict.
    """
    changed = any("read_value" in (d or {}) and str(d.get("read_value")) != str(d.get("value"))
                  and not (n in _UNDECIDED_SIGNATURES and d.get("read_value") is None)
                  for n, d in (record.fields or {}).items())
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


def doubt_rejected(session: Session, record: TrainingRecord) -> None:
    """A rejected record doubts the layout it was read with (:func:`weaken`), unless it is
    a sheet row whose page's other rows, read with the same layout, were verified.

    Those rows show the form was read right on that page (its header, its columns); the
    row was rejected for its own sake (that attendee did not sign, is not on the roster).
    Counted against the layout, every unsigned row of every later sheet would wear a good
    lesson away. So would the rows of a sheet whose official's line was read blank: the
    layout read that sheet's foot right, and its rows are rejected for the sheet's sake.
    """
    if record.document_kind == SHEET and ((record.fields or {}).get(OFFICIAL) or {}).get(
            "value") is False:
        return
    if record.document_kind == SHEET:
        used = select(LayoutUse.layout_id).where(LayoutUse.record_id == record.id)
        read_right = session.scalars(
            select(TrainingRecord.id).join(LayoutUse, LayoutUse.record_id == TrainingRecord.id)
            .where(TrainingRecord.document_id == record.document_id,
                   TrainingRecord.page == record.page, TrainingRecord.id != record.id,
                   TrainingRecord.status == RecordStatus.VERIFIED,
                   LayoutUse.layout_id.in_(used))).first()
        if read_right is not None:
            return
    weaken(session, record.id, 1.0)


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
    """The usable layouts for a document of ``agency``: strength above 0, places that held.

    The agency's own layouts come first (a page matching one of its own and another
    agency's equally is read with its own); another agency's layout changes a reading only
    when the page matches its form.
    """
    out = []
    for layout in session.scalars(select(LearnedLayout).where(LearnedLayout.strength > 0)
                                  .order_by(LearnedLayout.agency != agency, LearnedLayout.id)):
        fields = tuple((n, tuple(f["box"])) for n, f in sorted((layout.fields or {}).items())
                       if f["hits"] > f["misses"] and n != OFFICIAL)
        columns = tuple((r, x0, x1) for r, x0, x1 in layout.columns or ())
        if fields or columns:
            out.append(LayoutHint(layout.id, Fingerprint.from_dict(layout.fingerprint),
                                  fields, _why(layout), layout.kind, columns,
                                  _official_place(layout)))
    return tuple(out)


def _official_place(layout: LearnedLayout) -> OfficialPlace | None:
    """A sheet layout's official's place, while decisions have confirmed it more than not."""
    d = (layout.fields or {}).get(OFFICIAL)
    if layout.kind != SHEET or not d or d["hits"] <= d["misses"]:
        return None
    return OfficialPlace(tuple(d["box"]), tuple((tok, x, y) for tok, x, y in d["block"]))


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
