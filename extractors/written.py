"""Values written by pen into the blanks of a typed form: the second recognizer there too.

A typed sign-in sheet or certificate often leaves its class facts blank to be filled in by
hand: ``Date: ________   Hours: ______`` with the date and the hours written on the lines.
Tesseract reads the printed labels and loses the writing, so the field is missing (nothing
read right of its label) or unreadable (``C7/73/TOTG``), and every row of the sheet goes
to review for it (issue 16).

For each such field, after the normal reading and only then (:func:`read_written_values`):

1. find its label on the page and the value's place: the space right of the label up to
   the next label on the line (or the page's margin), else the space under it (a form
   prints a small caption over its box);
2. narrow that place to the first run of ink in it, and judge it as a sheet cell is judged
   (:func:`extractors.handwriting.judge_area`): ink there that tesseract did not read, or
   read only with low confidence;
3. read that crop with the second recognizer (:func:`extractors.handwriting.read_area`).

Its reading is one more candidate, with the recognizer's confidence: it becomes the field's
value only when it parses as the field's type (a date, a plausible number of hours, a
course number), and only when every place that holds writing agrees. Verification then
applies the same rules as to a typed value. ``CREDENCE_HANDWRITING=off`` switches it off.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import cv2
import numpy as np
from PIL import Image

from extractors import handwriting as hand
from extractors.caption_column import labels_of_rows
from extractors.dates import MAX_YEAR, MIN_YEAR, PAPER_DATE_LEAD, find_dates
from extractors.labels import LABEL_TAIL_WORDS, LabelHit
from extractors.layout import Row, build_rows
from extractors.names import normalise_name
from extractors.numbers import badge_value, fix_digits, parse_hours, parse_post_number, skip_filler
from extractors.types import BBox, ExtractedField, ExtractedRecord, FieldSource, PageText

log = logging.getLogger(__name__)

#: A value read under this is unreadable (verification's threshold): its place is read again.
UNSURE = 0.6
#: The fields a form leaves blank to be written in (names and badges are a sheet's rows,
#: read by :mod:`extractors.signin`).
WRITTEN_FIELDS = ("training_date", "hours", "post_number")
#: Most hours one document may credit: a longer reading is a misread, not a course.
MOST_HOURS = 40.0
#: The place right of a label reaches this far above its words and below them (in label
#: heights): pen writing on a blank line stands taller than the print of its label.
ABOVE, BELOW = 1.0, 0.5
#: A gap in the ink wider than this (label heights) ends the value.
VALUE_GAP = 3.0
#: The right margin of the page left out of a value's place (points).
MARGIN = 18.0
_SEPARATOR = re.compile(r"^[:#.\-–_|]+$")


def plausible_hours(text: str) -> float | None:
    """Hours read from ``text`` that a course could credit (a second reading's check)."""
    m = parse_hours(text)
    if m is None or m.value is None:
        return None
    value = float(m.value)
    # hours are counted in quarters at most; 0 or a 3-digit misread is no course
    return value if 0 < value <= MOST_HOURS and (value * 4).is_integer() else None


def _post(text: str) -> str | None:
    m = parse_post_number(text)
    return m.value if m is not None else None


#: The marks a pen's upright slash is read as.
_STROKES = "1lI|/"


def _date(text: str) -> dt.date | None:
    """A date written by hand: as any date, or with its slashes read as strokes.

    A pen's slash is often upright; the recognizer then reads ``07/23/2026`` as
    ``0712312026``. Such a reading counts only when exactly one split of it into month,
    stroke, day, the same stroke and a four-digit year gives a real date.

    The date must be all the reading holds: a digit or letter beside it is part of what
    was written (``12/23/20÷5`` is a corrected year, not the 23rd of December 2020).
    """
    found = find_dates(text)
    if found:
        rest = text[:found[0].start] + text[found[0].end:]
        return found[0].value if len(found) == 1 and not any(c.isalnum() for c in rest) \
            else None
    compact = re.sub(r"\s", "", text)
    dates = set()
    for m_len in (1, 2):
        for d_len in (1, 2):
            month, sep1 = compact[:m_len], compact[m_len:m_len + 1]
            day = compact[m_len + 1:m_len + 1 + d_len]
            sep2 = compact[m_len + 1 + d_len:m_len + 2 + d_len]
            year = compact[m_len + 2 + d_len:]
            if sep1 != sep2 or sep1 not in _STROKES or len(year) != 4 \
                    or not (month + day + year).isdigit() \
                    or not MIN_YEAR <= int(year) <= MAX_YEAR:
                continue  # a year no training record has ("1026": a 2 read as a 1)
            try:
                dates.add(dt.date(int(year), int(month), int(day)))
            except ValueError:
                continue
    return dates.pop() if len(dates) == 1 else None


_PARSERS: dict[str, Callable[[str], Any]] = {
    "training_date": _date,
    "hours": plausible_hours,
    "post_number": _post,
}


@dataclass(frozen=True)
class WrittenReading:
    """One place's reading: the value it parsed to, its text, confidence and place."""

    value: Any
    text: str
    confidence: float | None
    area: BBox


def read_written_values(record: ExtractedRecord, page: PageText, image: Image.Image | None,
                        dpi: float | None, *, by_hand: bool | None = None,
                        whole: PageText | None = None) -> ExtractedRecord:
    """Fill each field left missing or unreadable from the writing in its label's blank.

    Unreadable: no value parsed (a new value may come from the writing), or one read under
    :data:`UNSURE` (the writing can only confirm it: the same value, read surer, takes the
    surer confidence; another value changes nothing, and the record goes to review).

    Args:
        record: the record as read from ``page`` (a certificate, or a sheet's header).
        page: the words the record was read from (for a sheet: the words above its table).
        image, dpi: the page as tesseract saw it; ``None``: a born-digital page, nothing to do.
        by_hand: ``None``: as ``CREDENCE_HANDWRITING`` says (default on).
        whole: the whole page (``page`` is a sheet's words above its table), where a date
            whose year both recognizers slipped on may be printed again
            (:func:`_against_the_page`); ``None``: ``page``.

    Returns:
        ``record`` with the fields the second recognizer read and parsed; unchanged when
        nothing was missing, nothing was written, or the readings disagree.
    """
    if image is None or not dpi or not (hand.enabled() if by_hand is None else by_hand):
        return record
    missing = [f for f in WRITTEN_FIELDS
               if record.value(f) is None or (record.confidence(f) or 0.0) < UNSURE]
    if not missing:
        return record
    whole = page if whole is None else whole
    rows = build_rows(page)
    hits = labels_of_rows(rows)
    fields = dict(record.fields)
    for name in missing:
        # tesseract's words in a place whose reading failed to parse, or was unsure,
        # vouch for nothing
        unread = name in record.fields
        places = value_places(rows, hits, name, page.width)
        looked = [r for area in places
                  if (r := _read_place(image, dpi, page, area, name, unread)) is not None]
        readings = [r for r in looked if r.value is not None]
        if name == "training_date" and looked:
            before = record.fields.get(name)
            first = [before.raw_text] if before is not None and before.raw_text else []
            own = [*places, *(r.area for r in looked), *([before.bbox] if before and before.bbox
                                                          else [])]
            readings = _against_the_page(readings, first, looked,
                                         _dates_elsewhere(whole, own, image, dpi))
        values = {r.value for r in readings}
        if len(values) != 1:
            if len(values) > 1:
                log.debug("written %s: places disagree %s", name, sorted(map(str, values)))
            continue
        best = max(readings, key=lambda r: r.confidence or 0.0)
        before = record.fields.get(name)
        if before is not None and before.value is not None:
            # an unsure value is only confirmed, never changed (as re-reads do)
            if best.value != before.value or (best.confidence or 0.0) <= (before.confidence or 0.0):
                continue
            fields[name] = replace(before, confidence=best.confidence)
            continue
        fields[name] = ExtractedField(name, best.value, best.text, best.confidence, best.area,
                                      page.page_number, FieldSource.OCR)
        log.debug("written %s=%r (%.2f) read by the second recognizer from %r", name,
                  best.value, best.confidence or 0.0, best.text)
    return replace(record, fields=fields)


#: How far (points) round a value's ink the second recognizer's cell reaches: it wants a
#: margin of paper round the letters, and a cell's inside is cut a little.
_CELL_PAD = 4.0


def read_written_person(record: ExtractedRecord, page: PageText, image: Image.Image | None,
                        dpi: float | None, officers: tuple[tuple[str, str], ...], *,
                        by_hand: bool | None = None) -> ExtractedRecord:
    """The officer's name and badge of a certificate written by hand, read again together.

    Tesseract reads a pen-written name and number badly ("WASHUYCTONM, LAM", "Alg3"); both
    places are read again by the second recognizer, and the readings are chosen between as
    a sign-in row's are (:func:`extractors.handwriting.read_row_by_hand`). The record
    changes only when a name reading and a badge reading name one roster officer together
    (the badge on the roster, the name fitting that officer's): verification then checks
    them as any typed values. A reading that fits no officer changes nothing.

    Args:
        record: the certificate as read (and re-read) from ``page``.
        page, image, dpi: the OCR'd page and the image tesseract saw.
        officers: the roster's (badge, full name) pairs.
        by_hand: ``None``: as ``CREDENCE_HANDWRITING`` says (default on).
    """
    if image is None or not dpi or not officers or \
            not (hand.enabled() if by_hand is None else by_hand):
        return record
    name_f, badge_f = record.fields.get("officer_name"), record.fields.get("badge_number")
    if not (_unsure(name_f) or _unsure(badge_f)):
        return record
    rows = build_rows(page)
    hits = labels_of_rows(rows)
    cells = {name: _value_cell(record.fields.get(name), rows, hits, name, page, image, dpi)
             for name in ("officer_name", "badge_number")}
    if None in cells.values():
        return record
    words = {name: [w for w in page.words if _overlap(w.bbox, cell) > 0.5 * _area(w.bbox)]
             for name, cell in cells.items()}
    reading = hand.read_row_by_hand(
        image, dpi, cells["officer_name"], words["officer_name"], cells["badge_number"],
        words["badge_number"], officers, badge_value, normalise_name)
    log.debug("written person: %s", "; ".join(reading.notes))
    if not reading.roster_fit:
        return record
    fields = dict(record.fields)
    for name, chosen, parse in (("officer_name", reading.name_words, normalise_name),
                                ("badge_number", reading.badge_words, badge_value)):
        text = " ".join(w.text for w in chosen)
        value = parse(text) if text else None
        if value is None:
            continue
        conf = min((w.confidence or 0.0) for w in chosen)
        before = fields.get(name)
        if before is not None and before.value == value and (before.confidence or 0) >= conf:
            continue
        raw = reading.name_as_read if name == "officer_name" and reading.name_as_read else text
        fields[name] = ExtractedField(name, value, raw, conf, cells[name], page.page_number,
                                      FieldSource.OCR)
    return replace(record, fields=fields)


def _unsure(f: ExtractedField | None) -> bool:
    return f is None or f.value is None or (f.confidence or 0.0) < UNSURE


def _area(b: BBox) -> float:
    return max(0.0, b.x1 - b.x0) * max(0.0, b.bottom - b.top)


def _value_cell(f: ExtractedField | None, rows: list[Row], hits: dict[int, list[LabelHit]],
                name: str, page: PageText, image: Image.Image, dpi: float) -> BBox | None:
    """The place of a value as a cell for the second recognizer: the box it was read in,
    else the ink in the blank after its label; with a margin of paper round it."""
    box = f.bbox if f is not None and f.bbox is not None else None
    if box is None:
        for area in value_places(rows, hits, name, page.width):
            box = narrow_to_ink(image, dpi, area, VALUE_GAP * (area.height / (1 + ABOVE + BELOW)))
            if box is not None:
                break
    if box is None:
        return None
    return BBox(max(0.0, box.x0 - _CELL_PAD), max(0.0, box.top - _CELL_PAD),
                min(page.width, box.x1 + _CELL_PAD), min(page.height, box.bottom + _CELL_PAD))


def value_places(rows: list[Row], hits: dict[int, list[LabelHit]], name: str,
                 width: float) -> list[BBox]:
    """Where a value of ``name`` may be written: right of each of its labels, else under
    it (points; before narrowing to the ink)."""
    out = []
    for row in rows:
        row_hits = hits[row.index]
        for i, hit in enumerate(row_hits):
            if hit.field != name or hit.spec.kind != "label" or _sender(hit):
                continue
            label = _label_box(row, hit)
            nxt = row.x_at(row_hits[i + 1].start) - 2.0 if i + 1 < len(row_hits) else width - MARGIN
            h = label.height
            right = BBox(label.x1 + 1.0, label.top - ABOVE * h,
                         max(label.x1 + 2.0, nxt), label.bottom + BELOW * h)
            out.append(_clip(right, rows, hits, row, label))
            below_end = min(nxt, label.x0 + max(8 * h, 3 * label.width))
            below = BBox(label.x0 - 0.5 * h, label.bottom + 1.0, below_end,
                         label.bottom + 1.0 + 2.2 * h)
            out.append(_clip(below, rows, hits, row, label))
    return out


def _sender(hit: LabelHit) -> bool:
    """``FROM: ACADEMY OFFICE``: a fax's sender line, no start date (as the certificate
    reader's ``_sender_line``)."""
    return hit.text.strip(" :").lower() == "from"


def _label_box(row: Row, hit: LabelHit) -> BBox:
    """The label's words, with what finishes it before its value (``Awarded``, ``:``)."""
    words = [w for w, s in zip(row.words, row.starts, strict=True)
             if s < hit.end and s + len(w.text) > hit.start]
    for w, s in zip(row.words, row.starts, strict=True):
        if s < hit.end:
            continue
        if _SEPARATOR.match(w.text) or w.text.lower().rstrip(":") in LABEL_TAIL_WORDS \
                or skip_filler(w.text) >= len(w.text):  # "ID No.:": "No.:" ends the label
            words.append(w)
            continue
        break
    return BBox.enclosing([w.bbox for w in words])


def _clip(area: BBox, rows: list[Row], hits: dict[int, list[LabelHit]], own: Row,
          label: BBox) -> BBox:
    """``area`` without the typed form lines above and below it (rows holding labels).

    A line is above when it ends over the label's middle, below when it starts under it:
    a label further along the same line that the reader put in a row of its own (``Date
    of Class: ____   Hours: ____``) is neither.
    """
    top, bottom = area.top, area.bottom
    for row in rows:
        if row is own or not hits[row.index]:
            continue
        b = row.bbox
        if b.x1 <= area.x0 or b.x0 >= area.x1:
            continue
        if b.bottom <= label.center_y - 0.5 * label.height and b.bottom > top:
            top = b.bottom
        elif b.top >= label.center_y + 0.5 * label.height and b.top < bottom:
            bottom = b.top
    return BBox(area.x0, top, area.x1, max(top + 1.0, bottom))


def _read_place(image: Image.Image, dpi: float, page: PageText, area: BBox, name: str,
                unread: bool) -> WrittenReading | None:
    """The second recognizer's parsed reading of the writing in ``area``, or ``None``.

    ``unread``: the field's value was found but did not parse (``97/27/2925``) or was read
    unsure: words read there, however confident each, did not read it surely, so any ink
    there gets the second look.
    """
    ink = narrow_to_ink(image, dpi, area, VALUE_GAP * (area.height / (1 + ABOVE + BELOW)))
    if ink is None:
        return None
    words = [] if unread else [w for w in page.words
                               if _overlap(w.bbox, ink) > 0.5 * w.bbox.width * w.bbox.height]
    verdict = hand.judge_area(image, dpi, ink, words)
    if not verdict.second_look:
        return None
    cand = hand.read_area(image, dpi, ink, numeric=name == "hours")
    if cand is not None and _lone_stroke(cand.text, ink):
        log.debug("written %s place %s: one thin stroke read %r: a rule's piece, no value",
                  name, ink, cand.text)
        return None
    value = _PARSERS[name](cand.text) if cand is not None else None
    log.debug("written %s place %s: %s; read %r -> %r", name, ink, verdict.why,
              cand.text if cand else None, value)
    if cand is None:
        return None
    return WrittenReading(value, cand.text, cand.confidence, ink)


#: The margin (points) :func:`narrow_to_ink` leaves round the ink.
_INK_PAD = 2.0
#: Characters one straight stroke makes: what a rule's piece is read as.
_STROKE_CHARS = frozenset("1lI|!/\\")
#: Ink this much narrower than it is tall is one stroke.
_STROKE_SHAPE = 0.35


def _lone_stroke(text: str, ink: BBox) -> bool:
    """A reading of one stroke-like character from ink that is one thin upright stroke:
    a piece of a box's side or a table's rule (the second recognizer reads it ``1``), as
    likely as a pen's ``1``; it gives no value, so the field goes to review unread."""
    core = "".join(c for c in text if c.isalnum() or c in _STROKE_CHARS)
    core = re.sub(r"(?i)(hrs?|hours?)$", "", core)
    pad = 2 * _INK_PAD  # the ink's own extent, inside narrow_to_ink's margin
    return len(core) == 1 and core in _STROKE_CHARS \
        and ink.width - pad <= _STROKE_SHAPE * max(1.0, ink.height - pad)


#: A date read (``07/23/1026``) whose month and day parse but whose year may not.
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\S[\S ]{1,6}?)\s*$")
#: The confidence of a date made whole from its readings and its second writing: month
#: and day were read alike twice, the year three times with one slip at most each.
SEEN_AGAIN = 0.75


def _partial_date(text: str) -> tuple[int, int, str] | None:
    """Month, day and the year's letters of a numeric date (``2?16``: a slipped year)."""
    m = _NUMERIC_DATE.match(text)
    if m is None:
        return None
    month, day = int(fix_digits(m.group(1))), int(fix_digits(m.group(2)))
    year = re.sub(r"[\s/]", "", fix_digits(m.group(3)))
    return (month, day, year) if len(year) in (2, 4) and 1 <= month <= 12 else None


def _one_slip(year: int, read: str) -> bool:
    """``year`` and the letters ``read`` differ in one place at most (``2026``, ``1026``)."""
    full = str(year) if len(read) == 4 else f"{year % 100:02d}"
    return sum(a != b for a, b in zip(full, read, strict=True)) <= 1


def _dates_elsewhere(whole: PageText, own: list[BBox], image: Image.Image,
                     dpi: float) -> list[dt.date]:
    """The single days written on the page outside the field's own places (``own``), but
    for the paper's own dates (issued, printed, valid through): as tesseract read them, and
    as the second recognizer reads the same writing (an official's ``7/23/26`` beside the
    signature, which tesseract reads with a slip as often as the header's)."""
    found = []
    for row in build_rows(whole):
        if any(_overlap(row.bbox, a) for a in own):
            continue
        for d in find_dates(row.text):
            if d.is_range or PAPER_DATE_LEAD.search(row.text[max(0, d.start - 40):d.start]):
                continue
            if d.value is not None:
                found.append(d.value)
            h = row.bbox.height
            box = BBox(max(0.0, row.x_at(d.start) - h), max(0.0, row.bbox.top - 0.5 * h),
                       min(whole.width, row.x_at(d.end) + h),
                       min(whole.height, row.bbox.bottom + 0.5 * h))
            cand = hand.read_area(image, dpi, box)
            if cand is not None and (value := _date(cand.text)) is not None:
                found.append(value)
    return found


def _against_the_page(readings: list[WrittenReading], first: list[str],
                      looked: list[WrittenReading],
                      elsewhere: list[dt.date]) -> list[WrittenReading]:
    """A pen-written training date checked against the same day written again on the page.

    A pen's year is where the recognizers slip: a corrected digit, a 2 read as a 1. The
    same day is often written again on the page, by the official who signs the sheet or
    beside the seal, and that second writing judges the year:

    - a reading whose month and day are written again elsewhere with another year, one
      slip away, is no reading (the record goes to review for its date);
    - no reading parsed, but the first reading (``first``: tesseract's text) and the
      second recognizer's agree on month and day and not on the year
      (``07/23 /2 016``, ``07/23/1026``): the day written again gives the year, when
      exactly one such day is written and its year is one slip from every reading.

    ``elsewhere``: the days written on the page outside the field's places
    (:func:`_dates_elsewhere`).
    """
    kept = [r for r in readings
            if not any((d.month, d.day) == (r.value.month, r.value.day) and d != r.value
                       and _one_slip(d.year, str(r.value.year)) for d in elsewhere)]
    if len(kept) < len(readings):
        log.debug("written training_date: %s written again elsewhere with another year",
                  sorted({str(r.value) for r in readings} - {str(r.value) for r in kept}))
        return kept
    if readings:
        return readings
    texts = [*first, *(r.text for r in looked)]
    parts = [p for t in texts if (p := _partial_date(t)) is not None]
    if len(parts) < 2 or len({(m, d) for m, d, _ in parts}) != 1:
        return []
    month, day, _ = parts[0]
    again = {d for d in elsewhere if (d.month, d.day) == (month, day)
             and all(_one_slip(d.year, y) for _, _, y in parts)}
    if len(again) != 1:
        return []
    value = again.pop()
    log.debug("written training_date=%s: month and day read alike in %s, the year from the "
              "same day written again", value, texts)
    area = looked[0].area if looked else BBox(0, 0, 0, 0)
    return [WrittenReading(value, " / ".join(texts), SEEN_AGAIN, area)]


def narrow_to_ink(image: Image.Image, dpi: float, area: BBox, gap: float) -> BBox | None:
    """The first run of ink in ``area`` (rules left out), up to a gap wider than ``gap``
    points; ``None`` when the area holds none."""
    k = dpi / 72.0
    x0, y0 = max(0, round(area.x0 * k)), max(0, round(area.top * k))
    x1, y1 = min(image.width, round(area.x1 * k)), min(image.height, round(area.bottom * k))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return None
    dark = np.asarray(image.crop((x0, y0, x1, y1)).convert("L")) < hand.DARK
    dark = _without_rules_through(image, (x0, y0, x1, y1), dark)
    dark = _without_lines(hand.without_rules(dark), round(gap * k))
    cols = np.flatnonzero(dark.sum(axis=0) >= 2)  # a column with a speck is no ink
    if cols.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(cols) > gap * k)
    last = cols[breaks[0]] if breaks.size else cols[-1]
    run = dark[:, cols[0]:last + 1]
    rows = np.flatnonzero(run.sum(axis=1) >= 1)
    pad = _INK_PAD
    return BBox(max(area.x0, (x0 + cols[0]) / k - pad), max(area.top, (y0 + rows[0]) / k - pad),
                min(area.x1, (x0 + last + 1) / k + pad),
                min(area.bottom, (y0 + rows[-1] + 1) / k + pad))


#: A stroke of ink is a rule of the form when it runs on out of the place for this many
#: times the place's height (a table's border beside a caption).
_RUNS_ON = 1.0
#: How far (pixels) a rule may drift sideways per row of its run (a page deskewed coarse).
_DRIFT = 2


def _without_rules_through(image: Image.Image, box: tuple[int, int, int, int],
                           dark: np.ndarray) -> np.ndarray:
    """Ink without the strokes that leave the place at its top or bottom and run on
    beyond it: a table's border or a box's side crossing the place, which the second
    recognizer reads as a ``1`` (a blank beside a caption in a table's head, with the
    table's right border through it, gave a false hour). Writing in a blank stays inside
    its place or leaves it by a stroke's tail, not for a whole place's height."""
    x0, y0, x1, y1 = box
    reach = round(_RUNS_ON * (y1 - y0))
    out = dark
    for edge, (b0, b1) in ((dark[-1], (y1, y1 + reach)), (dark[0], (y0 - reach, y0))):
        if b0 < 0 or b1 > image.height or not edge.any():
            continue
        beyond = np.asarray(image.crop((x0, b0, x1, b1)).convert("L")) < hand.DARK
        through = edge & _widened(beyond, _DRIFT).all(axis=0)
        if through.any():
            out = out.copy() if out is dark else out
            out[:, _widened(through[None, :], _DRIFT + 1)[0]] = False
    return out


def _widened(dark: np.ndarray, by: int) -> np.ndarray:
    """``dark`` with each ink pixel spread ``by`` pixels left and right (a dilation)."""
    kernel = np.ones((1, 2 * by + 1), np.uint8)
    return cv2.dilate(dark.astype(np.uint8), kernel).astype(bool)


def _without_lines(dark: np.ndarray, longest: int) -> np.ndarray:
    """Ink without horizontal strokes longer than ``longest`` pixels: the blank line the
    value is written on (shorter than the place, so :func:`without_rules` keeps it) would
    otherwise stretch the value's box over the whole line, and a lone ``4`` on a wide crop
    is read as nothing."""
    out = dark.copy()
    for y in range(dark.shape[0]):
        row = np.concatenate(([0], dark[y].astype(np.int8), [0]))
        edges = np.flatnonzero(np.diff(row))
        for a, b in zip(edges[::2], edges[1::2], strict=True):
            if b - a > longest:
                out[y, a:b] = False
    return out


def _overlap(a: BBox, b: BBox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.bottom, b.bottom) - max(a.top, b.top)
    return w * h if w > 0 and h > 0 else 0.0
