"""Read one training certificate page into an :class:`ExtractedRecord`.

How a value is found, from surest to weakest (the weight becomes part of its confidence):

1. a label and its value to the right (``Badge #: 1234``), below it (state forms print a small
   label above the value box), or, for an instructor, the name left of / above a caption;
2. a prose anchor and what follows (``This certifies that`` / ``JANE Q. DOE``,
   ``has successfully completed`` / ``De-escalation Techniques``);
3. a self-describing pattern anywhere not claimed by a distractor (``8.0 hrs``, ``CJK 0297``,
   ``on the 3rd day of March, 2026``);
4. reference hints (catalog titles and numbers, roster and instructor names) to locate a
   value the wording did not.

Distractor labels (``Certificate No.``, ``Provider #``, ``Issued``, ``Instructor Signature``)
claim their values so nothing else reads them. Candidates are chosen greedily by score; two
text fields never take the same words. Confidence = extraction weight x the value's quality x
the words' read confidence (:func:`extractors.layout.read_confidence`).
"""

from __future__ import annotations

import logging
import re
import statistics
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import Levenshtein

from extractors.caption_column import labels_of_rows
from extractors.captions import caption_field, caption_words, names_an_identifier
from extractors.dates import PAPER_DATE_LEAD, find_dates
from extractors.labels import (
    COMPOSED_WEIGHT,
    FORMAT_WORDS,
    LABEL_TAIL_WORDS,
    FormatHit,
    LabelHit,
    LabelSpec,
    find_formats,
    find_labels,
)
from extractors.layout import (
    Row,
    Segment,
    build_rows,
    chunk_segment,
    column_bounds,
    cut_at_gap,
    next_row,
    overlapping_chunk,
    read_confidence,
    region_segment,
    row_above,
    row_below,
    segment_bbox,
)
from extractors.layout_evidence import layout_candidates
from extractors.marks import EMPTY
from extractors.names import RANKS, SUFFIXES, cell_name, find_name, same_person
from extractors.numbers import (
    find_hours,
    find_post_numbers,
    fix_digits,
    match_confusable,
    parse_badge,
    parse_hours,
    parse_post_number,
    plain_id,
    skip_filler,
)
from extractors.places import fix_ordinals, state_commas
from extractors.types import (
    DocumentKind,
    ExtractedField,
    ExtractedRecord,
    FieldSource,
    PageText,
    ReferenceHints,
    Word,
)

log = logging.getLogger(__name__)

TEXT_FIELDS = frozenset({"officer_name", "instructor_name", "course_title", "location"})
NAME_FIELDS = ("officer_name", "instructor_name")
# Extraction weights (how sure the method is, before the words' read confidence).
W_BELOW, W_LEFT, W_ABOVE = 0.92, 0.75, 0.72
W_FAR_RIGHT = 0.6
W_FREE_DATE, W_CONTEXT_DATE, W_FREE_HOURS, W_FREE_POST = 0.5, 0.72, 0.75, 0.62
# A bare date that is the only date anywhere on the page: award certificates often print the
# training date alone on a line under the course; with no other date to confuse it with
# (no issue date, no letter date) it is the training date.
W_SOLE_DATE = 0.75
W_FREE_FORMAT, W_PROSE_LOCATION, W_HINT = 0.55, 0.55, 0.8
W_LEFT_ANCHOR, W_ABOVE_ANCHOR, W_PROMINENT = 0.8, 0.7, 0.5
W_FAILED = 0.25  # a labelled value that did not parse: kept as evidence, value None
HINT_PENALTY = 0.9  # a value corrected to the catalog spelling is a little less sure
TITLE_MATCH, TITLE_CORRECT = 85.0, 88.0
# Characters OCR mistakes for one another; a title differing from a catalog title only by
# these is the catalog title misread ("De-escalatlon" for "De-escalation"), whereas
# "Level I" / "Level II" or "Part A" / "Part B" are different courses.
OCR_CONFUSION_GROUPS = ("il1|!tfj", "o0qdcea", "s5", "b8h6", "z2", "g9q", "uvyw", "nmhr", "kx")
NAME_MATCH = 88.0


@dataclass(frozen=True)
class Candidate:
    """One possible reading of a field with its evidence."""

    field: str
    value: Any
    raw: str
    segments: tuple[Segment, ...]
    weight: float
    tag: str = ""
    source: FieldSource | None = None
    why: str = ""

    @property
    def score(self) -> float:
        """Extraction weight x value quality x the words' read confidence."""
        return self.weight * read_confidence(list(self.segments))


@dataclass(frozen=True)
class Claim:
    """The text a label took as its value, and where it was relative to the label."""

    hit: LabelHit
    segment: Segment
    how: str  # right | below | over (a caption under its value) | left | above


@dataclass(frozen=True)
class PageView:
    """A page prepared for extraction: rows, the labels on each, and the claims made."""

    page: PageText
    rows: list[Row]
    hits: dict[int, list[LabelHit]]
    claims: list[Claim]


def extract_certificate(page: PageText, hints: ReferenceHints | None = None) -> ExtractedRecord:
    """Read a certificate page's fields with their evidence.

    Args:
        page: words read from one page (text layer or OCR).
        hints: catalog / roster vocabulary used to choose between readings and to correct
            unambiguous OCR confusions in course numbers, badge numbers and titles.

    Returns:
        A record of kind ``certificate``; a field not found on the page is absent, a field
        found but unreadable keeps its ``raw_text`` with ``value=None``.
    """
    hints = hints or ReferenceHints()
    view = prepare_page(page)
    learned = layout_candidates(view, hints.layouts)
    candidates = (list(learned.candidates) + labelled_candidates(view)
                  + _because("name before completion wording", officer_by_anchor(view))
                  + _because("name alone in a large font", prominent_names(view))
                  + _because("teacher named by a role in a sentence", instructors_by_role(view))
                  + _because("title alone in a large font inside a sentence",
                             sentence_titles(view))
                  + _because("unlabelled pattern", free_candidates(view))
                  + _because("matches a reference hint", hinted_candidates(view, hints)))
    chosen = choose_candidates(prefer_catalog_numbers(candidates, hints))
    chosen = names_read_twice(chosen, candidates)
    chosen = _unread_labels_stand(chosen, candidates)
    chosen = add_hinted_badge(view, chosen, hints)
    chosen = add_titled_course_number(view, chosen, hints)
    fields = {name: to_field(c, page) for name, c in chosen.items()}
    fields = apply_hints(fields, hints)
    for name, f in fields.items():
        log.debug("page %s %s=%r (%.2f) from %r: %s", page.page_number, name, f.value,
                  f.confidence or 0, f.raw_text, chosen[name].why)
    if learned.note:
        log.debug("page %s: %s", page.page_number, learned.note)
    return ExtractedRecord(page.page_number, DocumentKind.CERTIFICATE, fields,
                           layout_id=learned.layout_id)


def _because(why: str, candidates: list[Candidate]) -> list[Candidate]:
    return [c if c.why else replace(c, why=why) for c in candidates]


# ---------------------------------------------------------------------------- page & claims


def prepare_page(page: PageText) -> PageView:
    """Build rows, find labels on each and let every label claim its value."""
    rows = build_rows(page)
    hits = labels_of_rows(rows)
    _drop_heading_words(rows, hits)
    under = captions_under_values(rows, hits)
    if under:
        _one_word_captions(rows, hits)
    claims = []
    for row in rows:
        for i in range(len(hits[row.index])):
            claims += claim_value(rows, hits, row, i, page.width, under)
    return PageView(page, rows, hits, claims)


#: A caption under its value is printed smaller than the value.
SMALL_CAPTION = 0.8


def _one_word_captions(rows: list[Row], hits: dict[int, list[LabelHit]]) -> None:
    """On a form whose captions sit under their values, a caption of one word no list holds
    ("LICENSEE", "MODULE") in small print right under a value names that value's field, as
    the form's listed captions do (alone, one word could be a value, so only here)."""
    for above, row in zip(rows, rows[1:], strict=False):
        if hits[row.index] or hits[above.index] or row.height >= SMALL_CAPTION * above.height:
            continue
        field = caption_field(row.text)
        if field is not None and len(row.text.split()) <= 3:
            spec = LabelSpec(field, "label", COMPOSED_WEIGHT, "composed")
            hits[row.index] = [LabelHit(spec, 0, len(row.text), row.text)]


#: A row of text this much taller than the page's usual row is a heading.
HEADING_HEIGHT = 1.4


def _drop_heading_words(rows: list[Row], hits: dict[int, list[LabelHit]]) -> None:
    """A heading made of field words ("COURSE COMPLETION FORM") is the paper's title, not a
    row of captions: it claims no value under it and does not vote on where captions sit.
    A tall row with a value of its own ("Course: Firearms") keeps its label."""
    if not rows:
        return
    usual = statistics.median(r.height for r in rows)
    for row in rows:
        if row.height >= HEADING_HEIGHT * usual and _only_captions(row, hits[row.index]):
            hits[row.index] = []


def claim_value(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row, i: int,
                width: float, under: bool = False) -> list[Claim]:
    """Where the ``i``-th label of ``row`` may have its value: right, left, below or above.

    Returns every plausible position, best first; the field parser decides which reads.
    A value right of the label but past a wide gap, with no colon, may be the next column
    (``Lead Instructor      Chief of Training``), so the other positions are tried too.
    """
    row_hits = hits[row.index]
    hit = row_hits[i]
    end = row_hits[i + 1].start if i + 1 < len(row_hits) else len(row.text)
    right = _strip_separators(_past_label_tail(Segment(row, hit.end, end), hit))
    far = right.start in row.gap_starts and not re.match(r"\s*[:#]", row.text[hit.end:]) \
        and not row.follows_rule(right.start)  # a boxed value is its caption's
    if not right.is_blank and hit.field != "training_format":
        right = cut_at_gap(right)  # a format row may be a row of checkboxes
    if not right.is_blank and (skip_filler(right.text) >= len(right.text.rstrip())
                               or hit.field in ("badge_number", "post_number")
                               and _ALTERNATIVE_ID_NAME.match(right.text)
                               or far and names_an_identifier(right.text)):
        # the label's own tail ("BADGE / ID NO.", "Course #"), or the next box's caption
        # ("BLOCK OF INSTRUCTION      REGISTRY NO."): its value is elsewhere
        right = Segment(row, right.end, right.end)
    if hit.spec.tag == "signature":
        return [] if right.is_blank else [Claim(hit, right, "right")]
    # a signature caption ("Instructor of Record") names the person above or left of it; a
    # name far to its right, past a gap and no colon, belongs to the next signature column
    how = "far right" if far and hit.field == "instructor_name" else "right"
    out = [] if right.is_blank or how == "far right" and _beside_another_signer(
        rows, hits, row, hit, right) else [Claim(hit, right, how)]
    weak_right = right.is_blank or far
    if hit.field is None and not weak_right:
        return out
    if hit.field == "instructor_name" and weak_right:
        out += _left_claim(row, row_hits, i)
    if weak_right or _anchor_continues(hit, right):
        if not (under and _only_captions(row, row_hits, unlisted=True)):
            out += _column_claim(rows, hits, row, hit, width, "below")
        elif hit.field != "instructor_name":  # its caption claim (above) reads the name
            out += _column_claim(rows, hits, row, hit, width, "over")
    if hit.field == "instructor_name" and weak_right:
        x0, x1 = row.x_at(hit.start), row.x_at(hit.end)
        pad = (x1 - x0) * 0.75
        out += _vertical_claim(rows, hits, row, hit, (x0 - pad, x1 + pad), "above")
    return out


#: A role line under a signer's name holds this many words at most.
_ROLE_LINE_WORDS = 4


def _beside_another_signer(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row,
                           hit: LabelHit, far: Segment) -> bool:
    """Whether the words far right of a signature caption are the role line of the next
    signature block: two signers' names printed side by side, each with its role under it
    (``Trainer`` under one, ``Records Custodian`` under the other). The caption's own
    signer stands over it, and no caption does (a form of ``Course      Firearms`` over
    ``Instructor      Kim Ode`` is a column of captions and their values)."""
    if len(far.text.split()) > _ROLE_LINE_WORDS:
        return False
    x0, x1 = row.x_at(hit.start), row.x_at(hit.end)
    pad = (x1 - x0) * 0.75  # as the caption's claim of the name over it reaches
    fx0, fx1 = row.x_at(far.start), row.x_at(far.end)
    return _name_over(rows, hits, row, x0 - pad, x1 + pad) \
        and _name_over(rows, hits, row, fx0, fx1)


def _name_over(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row, lo: float,
               hi: float) -> bool:
    """Whether the words right over ``lo``..``hi`` of ``row`` are a person's whole name
    (a signer's), not a caption or its value (``Status   Complete`` over ``Trainer``)."""
    above = row_above(rows, row, lo, hi)
    chunk = overlapping_chunk(above, lo, hi) if above is not None else None
    if chunk is None or any(chunk.start <= h.start < chunk.end for h in hits[above.index]):
        return False
    name = cell_name(chunk.text.strip(" ,;:"))
    return name is not None and len(name.split()) >= 2


#: Another name for the same number after a slash ("BADGE/SERIAL", "Course / Class #"): the
#: label's own tail, not its value.
_ALTERNATIVE_ID_NAME = re.compile(
    r"^\s*/\s*(?:(?:serial|id|no|nbr|number|employee|personnel|payroll|star|shield|badge|"
    r"license|licence|cert\w*|class|course|code|ref)\b\.?\s*[#:]?\s*){1,3}$", re.I)


# Words that finish a label before its colon: "Credit Hours Awarded:", "Date Completed:".
_LABEL_TAIL = re.compile(rf"\s*(?:(?:{'|'.join(sorted(LABEL_TAIL_WORDS))})\s*)+:", re.I)


def _past_label_tail(seg: Segment, hit: LabelHit) -> Segment:
    """The value after a label whose wording runs on past the vocabulary phrase."""
    m = _LABEL_TAIL.match(seg.text) if hit.spec.kind == "label" else None
    return Segment(seg.row, seg.start + m.end(), seg.end) if m else seg


def _anchor_continues(hit: LabelHit, right: Segment) -> bool:
    """Whether a prose anchor's value may be on the next row.

    ``This certifies that`` / ``Officer`` continues below; ``I certify that the individual
    named above ...`` does not (the sentence goes on), nor does a finished sentence.
    """
    if hit.spec.kind != "anchor":
        return False
    words = right.text.split()
    if hit.field == "officer_name":
        return all(w.lower().strip(".,:") in RANKS for w in words)
    return len(words) <= 4 and not right.text.rstrip().endswith((".", "!", "?"))


def _column_heads(row: Row, row_hits: list[LabelHit]) -> list[LabelHit]:
    """Labels and captions of nothing that head a form column: at the row start or after a
    wide gap, or any caption of a row of nothing but captions (a table's heads may sit
    closer than a wide gap; a ``Training Coordinator`` caption takes a column too)."""
    if _only_captions(row, row_hits):
        return list(row_hits)
    # a caption that names nothing of a record ("Credit Type", "Serial No.") heads its own
    # column all the same: the field caption left of it does not reach over it
    return [h for h in row_hits if (h.spec.kind == "label" or h.field is None)
            and _head_start(row, row_hits, h) is not None]


#: Words a caption may have before its listed phrase ("Agency ID No.", "State Course No.").
_CAPTION_LEAD_WORDS = 2


def _head_start(row: Row, row_hits: list[LabelHit], hit: LabelHit) -> int | None:
    """Where the column a label heads begins: at the label, when it starts the row or follows
    a wide gap, or at the start of its caption, when a word or two of the caption come before
    the listed phrase ("Agency ID No.:" after a gap heads its column from "Agency")."""
    if not row.text[: hit.start].strip() or hit.start in row.gap_starts:
        return hit.start
    start = max((g for g in row.gap_starts if g < hit.start), default=0)
    lead = row.text[start: hit.start]
    if (any(h.start < hit.start and h.end > start for h in row_hits if h is not hit)
            or re.search(r"[\d:]", lead) or len(lead.split()) > _CAPTION_LEAD_WORDS):
        return None
    return start + len(lead) - len(lead.lstrip())


def _column_claim(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row, hit: LabelHit,
                  width: float, how: str) -> list[Claim]:
    """The value under a label (``below``), or over a caption (``over``): its column of a
    form, or the whole neighbouring row for prose."""
    heads = _column_heads(row, hits[row.index])
    beside = _unlisted_head(row, hits[row.index], hit)
    if hit.spec.kind == "anchor" or hit not in heads or len(heads) < 2 and beside is None:
        return _vertical_claim(rows, hits, row, hit, (0.0, width), how)
    k = heads.index(hit)
    tol = 1.5 * row.height
    starts = [_head_start(row, hits[row.index], h) for h in heads]
    starts = [h.start if x is None else x for h, x in zip(heads, starts, strict=True)]
    lo = 0.0 if k == 0 else row.x_at(starts[k]) - tol
    hi = width if k + 1 == len(heads) else row.x_at(starts[k + 1]) - tol
    if beside is not None:
        hi = min(hi, row.x_at(beside) - tol)
    # values over captions whose row shows no gap (OCR ran two names together) are split
    # by the captions' columns, not taken whole
    if how == "below" or rows[row.index - 1].gap_starts:
        chunked = _vertical_claim(rows, hits, row, hit, (lo, hi), how, chunks=True)
        if chunked:
            return chunked
    b0, b1 = column_bounds(row, [(h.start, h.end) for h in heads], k, width)
    return _vertical_claim(rows, hits, row, hit, (b0, min(b1, hi + tol)), how)


def _unlisted_head(row: Row, row_hits: list[LabelHit], hit: LabelHit) -> int | None:
    """Where the next column starts when a caption no list holds heads it, right of ``hit``
    past a wide gap ("BLOCK OF INSTRUCTION      REGISTRY NO."): the value under ``hit``
    ends before it, as before a listed caption."""
    end = min((h.start for h in row_hits if h.start > hit.start), default=len(row.text))
    gaps = sorted(g for g in row.gap_starts if hit.end <= g < end)
    for g, g_end in zip(gaps, [*gaps[1:], end], strict=False):
        if names_an_identifier(row.text[g:g_end]):
            return g
    return None


def captions_under_values(rows: list[Row], hits: dict[int, list[LabelHit]]) -> bool:
    """Whether the page's form prints each caption under its value.

    Signature-line forms print each value on a line and a small caption under it
    (``Keisha Langford ____`` / ``Officer Name``); state forms print the caption above. The
    page decides as a whole: every row of nothing but captions must sit under its value,
    so one caption row closer to the value below it (a state form, whose first captions
    may sit right under a section heading) keeps every caption reading below.
    """
    # a last caption row has no value below to compare with (its gap above may be wide, and
    # on an award it is the signature captions): it neither shows nor vetoes the style
    # a row naming a signer beside a field ("Course Lead   Registrar" under two signatures)
    # is the signature block's, whatever the form does with its captions: no vote either
    captions = [r for r in rows if _only_captions(r, hits[r.index]) and r.index + 1 < len(rows)
                and not any(h.field is None or h.spec.tag == "signature" for h in hits[r.index])]
    return bool(captions) and all(_sits_under_value(rows, hits, r) for r in captions)


def _sits_under_value(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row) -> bool:
    """A caption row much nearer the row over it than the next row down (then the next
    field's value), under a row that is no caption row and has its pieces where the
    captions are."""
    if row.index == 0:
        return False
    above = rows[row.index - 1]
    if hits[above.index] or not _values_over_captions(above, row, hits[row.index]):
        return False
    gap_above = row.bbox.top - above.bbox.bottom
    below = rows[row.index + 1]
    return gap_above < 0.6 * (below.bbox.top - row.bbox.bottom)


def _values_over_captions(above: Row, row: Row, captions: list[LabelHit]) -> bool:
    """Each piece of ``above`` (split at wide gaps) starts over a field caption's column,
    and there are no more pieces than captions."""
    starts = [row.x_at(h.start) for h in captions]
    tol = 1.5 * row.height
    pieces = sorted({0, *above.gap_starts})
    if len(pieces) > len(captions):
        return False
    for off in pieces:
        x = above.x_at(off)
        k = max((i for i, sx in enumerate(starts) if sx - tol <= x), default=None)
        if k is None or captions[k].field is None:
            return False
        if k + 1 == len(starts) and x > starts[k] + max(tol, 0.5 * (row.bbox.x1 - starts[k])):
            return False
    return True


def _only_captions(row: Row, row_hits: list[LabelHit], unlisted: bool = False) -> bool:
    """Whether the row is nothing but captions (with ``unlisted``, captions no list holds
    count too: "INSTRUCTOR (PRINT)   REGISTRY NO." under its values)."""
    covered = set()
    ends = [h.start for h in row_hits[1:]] + [len(row.text)]
    for h, end in zip(row_hits, ends, strict=False):
        covered.update(range(h.start, h.end))
        if h.field in ("badge_number", "post_number") and _ALTERNATIVE_ID_NAME.match(
                row.text[h.end:end]):
            covered.update(range(h.end, end))  # "BADGE/SERIAL": one caption
    # words between the listed captions that are captions no list holds ("REGISTRY NO.",
    # "(PRINT)") keep the row a row of captions
    for start, end in _uncovered_pieces(row.text, covered) if unlisted else ():
        if caption_words(row.text[start:end], qualifier=True):
            covered.update(range(start, end))
    return (any(h.field for h in row_hits) and all(h.spec.kind != "anchor" for h in row_hits)
            and all(not c.isalnum() or i in covered for i, c in enumerate(row.text)))


def _uncovered_pieces(text: str, covered: set[int]) -> list[tuple[int, int]]:
    """The stretches of ``text`` no caption covers."""
    out, start = [], None
    for i in range(len(text) + 1):
        free = i < len(text) and i not in covered
        if free and start is None:
            start = i
        elif not free and start is not None:
            out.append((start, i))
            start = None
    return [(a, b) for a, b in out if text[a:b].strip()]


def _strip_separators(seg: Segment) -> Segment:
    text = seg.text
    # ";" and "," too: a caption's colon or full stop as OCR reads it on a fax ("OFFICER
    # NO.; 1225", "Cert. No, - 11398")
    lead = len(text) - len(text.lstrip(" :;,#=-–.|_"))
    hint = re.match(r"\([^)\d]{1,30}\)\s*:?", text[lead:])  # "NAME (LAST, FIRST, MI)"
    if hint:
        lead += hint.end()
    seg = Segment(seg.row, seg.start + lead, seg.end).strip(" :#=-–|")
    return seg.strip(" _") if not seg.text.strip("_ ") else seg


def _left_claim(row: Row, row_hits: list[LabelHit], i: int) -> list[Claim]:
    """``Sgt. Mark Allen, Instructor``: the name before a caption, after a comma or dash."""
    start = row_hits[i - 1].end if i > 0 else 0
    left = Segment(row, start, row_hits[i].start)
    if not re.search(r"[,\-–|/]\s*$", left.text) or left.is_blank:
        return []
    gaps = [g for g in row.gap_starts if start < g < row_hits[i].start]
    if gaps:
        left = Segment(row, max(gaps), row_hits[i].start)
    return [Claim(row_hits[i], left.strip(" ,-–|/"), "left")]


def _vertical_claim(rows: list[Row], hits: dict[int, list[LabelHit]], row: Row, hit: LabelHit,
                    span: tuple[float, float], how: str, chunks: bool = False) -> list[Claim]:
    lo, hi = span
    other = row_below(rows, row, lo, hi) if how == "below" else row_above(rows, row, lo, hi)
    if other is None:
        return []
    if how == "above":  # a signature caption: the name printed over it
        seg = overlapping_chunk(other, lo, hi)
    else:
        seg = chunk_segment(other, lo, hi) if chunks else region_segment(other, lo, hi)
    if seg is None:
        return []
    first_label = next((h for h in hits[other.index] if seg.start <= h.start < seg.end), None)
    if first_label is not None:
        seg = Segment(other, seg.start, first_label.start)
    seg = seg.strip(" :,;-–|_")
    return [] if seg.is_blank else [Claim(hit, seg, how)]


# ------------------------------------------------------------------------- labelled values


_HOW_WEIGHT = {"right": 1.0, "below": W_BELOW, "over": W_BELOW, "left": W_LEFT,
               "above": W_ABOVE, "far right": W_FAR_RIGHT}


def labelled_candidates(view: PageView) -> list[Candidate]:
    """Candidates read from the values that field labels and anchors claimed."""
    out: list[Candidate] = []
    fine = FINE_PRINT * statistics.median(r.height for r in view.rows) if view.rows else 0.0
    for claim in view.claims:
        field = claim.hit.field
        if field is None:
            continue
        if field == "course_title" and claim.segment.row.height < fine \
                and view.rows[_hit_row(view, claim)].height < fine:
            continue  # a seal's or a footer's words ("TRAINING" over "UNIT"): no course
        weight = claim.hit.spec.weight * _HOW_WEIGHT[claim.how]
        found = parse_value(field, claim.segment, claim.hit, view)
        why = f"{claim.hit.spec.kind} {claim.hit.text!r}, value {claim.how}"
        out += [replace(c, weight=c.weight * weight, why=why) for c in found]
        if not found and claim.how == "right" and claim.hit.spec.kind == "label" \
                and not _sender_line(claim.hit):
            out += [replace(c, why=f"{why}, unreadable")
                    for c in _failed_candidate(field, claim.segment, weight)]
    return out


#: Print under this share of the page's usual row height is a seal's or fine print.
FINE_PRINT = 0.6


def _hit_row(view: PageView, claim: Claim) -> int:
    """The index of the row the claim's label stands on."""
    return next(i for i, hits in view.hits.items() if claim.hit in hits)


def _unread_labels_stand(chosen: dict[str, Candidate],
                         candidates: list[Candidate]) -> dict[str, Candidate]:
    """A field whose label was found but whose value could not be read stays unread.

    A value found elsewhere on the page is not the labelled one: with "Date of training:"
    unreadable, the letter's own date at the top is a different date, and crediting it would
    put the training on the wrong day. The field keeps the label's raw text, value ``None``,
    so the record goes to review. A reading of the label's own value (a catalog number that
    fits it) stands.
    """
    out = dict(chosen)
    for field, cand in chosen.items():
        if cand.value is None or cand.why.startswith("label "):
            continue
        unread = [c for c in candidates if c.field == field and c.value is None
                  and c.why.startswith("label ")]
        if unread and not any(_overlaps(cand.segments, list(c.segments)) for c in unread):
            out[field] = max(unread, key=lambda c: c.score)
    return out


def _sender_line(hit: LabelHit) -> bool:
    """``FROM: ACADEMY OFFICE 875 555 6685``: a fax header or memo names its sender after
    "From"; with no date there, it is no unreadable start date (fax_0059, seed 11)."""
    return hit.text.strip(" :").lower() == "from"


def _failed_candidate(field: str, seg: Segment, weight: float) -> list[Candidate]:
    if field not in ("training_date", "hours", "badge_number", "post_number"):
        return []
    if not any(c.isdigit() for c in seg.text):
        return []
    return [Candidate(field, None, seg.text, (seg,), weight * W_FAILED)]


def parse_value(field: str, seg: Segment, hit: LabelHit, view: PageView) -> list[Candidate]:
    """Read ``field`` from a claimed segment; weights here are the value's quality only.

    A number's value read behind the residue of dot leaders ("Length (hrs): wou 8.0") is
    read past it."""
    found = _parse_value(field, seg, hit, view)
    if not found and field in _NUMBER_FIELDS:
        past = _past_leader_residue(seg)
        if past is not None:
            found = _parse_value(field, past, hit, view)
    return found


#: Fields whose value is a number or a date, read behind a leader's residue.
_NUMBER_FIELDS = frozenset({"hours", "training_date", "badge_number", "post_number"})
#: A leader's residue: a word of no digit, at most this long, read unsure (or all dots).
_RESIDUE_CHARS, _RESIDUE_CONFIDENCE = 3, 0.5


def _past_leader_residue(seg: Segment) -> Segment | None:
    """``seg`` after its leading words that are what OCR makes of dot leaders ("wou", ",.,"),
    when a word with a digit follows them; ``None`` when there are none."""
    skip = None
    for w, start in zip(seg.row.words, seg.row.starts, strict=True):
        if start + len(w.text) <= seg.start:
            continue
        if start >= seg.end or any(c.isdigit() for c in w.text):
            break
        dots = not any(c.isalnum() for c in w.text)
        unsure = len(w.text) <= _RESIDUE_CHARS and w.confidence is not None \
            and w.confidence < _RESIDUE_CONFIDENCE
        if not (dots or unsure):
            return None
        skip = start + len(w.text)
    if skip is None or skip >= seg.end:
        return None
    return Segment(seg.row, skip, seg.end).strip(" .,:")


def _parse_value(field: str, seg: Segment, hit: LabelHit, view: PageView) -> list[Candidate]:
    text = seg.text
    if field in NAME_FIELDS:
        seg = _without_specks(seg)
        text = seg.text
        m = find_name(text)
        return [Candidate(field, m.value, m.raw, (seg.sub(m.start, m.end),), m.quality)
                ] if m else []
    if field == "badge_number":
        b = parse_badge(text)
        return [Candidate(field, b.value, b.raw, (seg.sub(b.start, b.end),), 1.0)] if b else []
    if field == "post_number":
        p = parse_post_number(text)
        return [Candidate(field, p.value, p.raw, (seg.sub(p.start, p.end),), 1.0)] if p else []
    if field == "hours":
        return _hours_values(seg, hit)
    if field == "training_date":
        return _date_values(seg, hit)
    if field == "course_title":
        return _title_values(seg, hit, view)
    if field == "location":
        return _location_values(seg)
    if field == "training_format":
        return _format_values(seg, 1.0)
    return []


#: A word of at most this many letters or digits, read below :data:`_SPECK_CONFIDENCE`, at
#: either end of a value is a fax's speck or a border's mark read as text ("10 JANE DOE ie").
_SPECK_CHARS = 2
_SPECK_CONFIDENCE = 0.5


def _without_specks(seg: Segment) -> Segment:
    """``seg`` without the speck words at its ends (OCR'd pages only: text layers have no
    word confidences)."""
    starts = dict(zip(map(id, seg.row.words), seg.row.starts, strict=True))

    def speck(w: Word) -> bool:
        return w.confidence is not None and w.confidence < _SPECK_CONFIDENCE and \
            sum(c.isalnum() for c in w.text) <= _SPECK_CHARS

    words = [w for w in seg.words if any(c.isalnum() for c in w.text)]
    start, end = seg.start, seg.end
    while len(words) > 2 and speck(words[0]):
        start = max(start, starts[id(words[0])] + len(words[0].text))
        words = words[1:]
    while len(words) > 2 and speck(words[-1]):
        end = min(end, starts[id(words[-1])])
        words = words[:-1]
    return Segment(seg.row, start, end).strip() if (start, end) != (seg.start, seg.end) else seg


def hours_outside_dates(text: str) -> list:
    """Hours in ``text`` whose number is not the end of a date.

    ``Date of Completion 2026-07-29 Hours Completed 8`` holds ``29 Hours``; a day of the
    month read as hours could be credited, so it is never a reading.
    """
    dates = find_dates(text)
    return [h for h in find_hours(text)
            if not any(d.start < h.end and h.start < d.end for d in dates)]


def _hours_values(seg: Segment, hit: LabelHit) -> list[Candidate]:
    found = hours_outside_dates(seg.text) or [h for h in [parse_hours(seg.text)] if h]
    out = []
    for h in found[:2]:
        sub = seg.sub(h.start, h.end)
        out.append(Candidate("hours", h.value, h.raw, (sub,), 1.0 if h.value else W_FAILED,
                             h.kind or hit.spec.tag))
    return out


def _date_values(seg: Segment, hit: LabelHit) -> list[Candidate]:
    dates = find_dates(seg.text)
    if not dates or dates[0].start > 12:
        return []
    d = dates[0]
    quality = 1.0 if d.value else W_FAILED
    if hit.spec.tag == "start" and not d.is_range:
        quality *= 0.8  # the completion is the end of a course
    return [Candidate("training_date", d.value, d.raw, (seg.sub(d.start, d.end),), quality,
                      hit.spec.tag)]


def _format_values(seg: Segment, weight: float) -> list[Candidate]:
    """A delivery format; on a checkbox row (``Classroom  X Online  Hybrid``) the marked one.

    Two formats named together (``classroom and scenario``) are ``hybrid``; a list of three
    or more options with no readable mark states nothing (a wrong ``scenario`` could earn
    scenario credit, so no guess).
    """
    hits = _outside_parentheses(seg.text, find_formats(seg.text))
    if not hits:
        return []
    kinds = {h.fmt for h in hits}
    boxed = EMPTY in seg.text or any(_MARK.match(t) for t in seg.text.split())
    if len(kinds) >= 3 or boxed:
        # options in boxes: only the marked one is said ("[_] Classroom" alone says no)
        marked, how_sure = _marked_format(seg.text, hits)
        if marked is None:
            return []
        hits, kinds, weight = [marked], {marked.fmt}, weight * how_sure
    if "hybrid" in kinds:
        kinds = {"hybrid"}  # "Blended (online + classroom)"
    fmt = kinds.pop() if len(kinds) == 1 else "hybrid"
    sub = seg.sub(hits[0].start, hits[-1].end)
    return [Candidate("training_format", fmt, sub.text, (sub,), weight)]


#: One-word names of a format, for a word OCR misspelt beside a marked box.
_FORMAT_NAMES = {w: fmt for fmt, phrases in FORMAT_WORDS.items() for w in phrases
                 if " " not in w}


def _misspelt_format(token: re.Match[str]) -> FormatHit | None:
    """The format a word names with one slip (``Hybiid``), when it is near one name only."""
    word = token.group().strip(".,;:()[]|").lower()
    if len(word) < 5:
        return None
    close = {_FORMAT_NAMES[name] for name, score, _ in process.extract(
        word, list(_FORMAT_NAMES), scorer=fuzz.ratio, score_cutoff=80, limit=None)}
    if len(close) != 1:
        return None
    return FormatHit(close.pop(), token.start(), token.end(), token.group())


def _outside_parentheses(text: str, hits: list) -> list:
    """``Blended (online + classroom)``: words in parentheses explain the first one."""
    if not hits:
        return hits
    out = [hits[0]]
    for h in hits[1:]:
        opened = text.rfind("(", out[0].end, h.start)
        inside = opened >= 0 and text.find(")", opened, h.start) < 0
        closed = text.find(")", h.end)
        if not (inside and closed >= 0 and text.find("(", h.end, closed) < 0):
            out.append(h)
    return out


_MARK = re.compile(r"^\s*(?:\[\s*[Xx✓✔]\s*\]|\(\s*[Xx✓✔]\s*\)|[Xx✓✔☒☑■●])\s*$")
# An empty checkbox as OCR reads it: "[J", "(_)", "L_]", "[.]", "—", "()".
_EMPTY_BOX = re.compile(r"^(?=.*[\[\]\(\)\{\}_|—–-])\S{1,4}$")


def _marked_format(text: str, hits: list) -> tuple[object | None, float]:
    """The option a checkbox row marks, and how sure that is.

    The one after an ``X`` (sure), or else the only one not after an empty box as OCR reads
    it (``[J``, ``(_)``; less sure).
    """
    before = []
    for i, h in enumerate(hits):
        start = hits[i - 1].end if i else 0
        before.append(text[start : h.start].split()[-1:] or [""])
    for h, (tok,) in zip(hits, before, strict=True):
        if _MARK.match(tok):
            return h, 1.0
    tokens = list(re.finditer(r"\S+", text))
    marked = [i for i, t in enumerate(tokens) if _MARK.match(t.group())]
    if marked:
        # the box marked is before a word OCR misspelt ("[x] Hybiid"): that word, if it is
        # plainly one format's; never the options left by elimination (a guess)
        near = [h for i in marked if i + 1 < len(tokens)
                if (h := _misspelt_format(tokens[i + 1])) is not None]
        return (near[0], 0.8) if len(near) == 1 else (None, 0.0)
    unboxed = [h for h, (tok,) in zip(hits, before, strict=True) if not _EMPTY_BOX.match(tok)]
    if len(unboxed) == 1 and len(hits) - 1 >= 2:
        return unboxed[0], 0.75
    return None, 0.0


# -------------------------------------------------------------------- officers without label


def officer_by_anchor(view: PageView) -> list[Candidate]:
    """``JANE DOE has successfully completed``: the name just before a completion anchor.

    The name is either on the anchor's row, left of it, or alone on the row above (award
    layouts that print no ``This certifies that``).
    """
    out = []
    for row in view.rows:
        row_hits = view.hits[row.index]
        for i, hit in enumerate(row_hits):
            if hit.field != "course_title" or hit.spec.kind != "anchor":
                continue
            start = row_hits[i - 1].end if i > 0 else 0
            left = Segment(row, start, hit.start).strip(" ,;:-")
            if not left.is_blank:
                out += _whole_name(left, W_LEFT_ANCHOR)
            elif row.index > 0 and not view.hits[row.index - 1]:
                out += _whole_name(view.rows[row.index - 1].segment(), W_ABOVE_ANCHOR)
    return out


def _whole_name(seg: Segment, weight: float, coverage: float = 0.8,
                field: str = "officer_name") -> list[Candidate]:
    """A name that fills (most of) ``seg``, as a candidate of ``field`` (the officer's)."""
    found = find_name(seg.text)
    if found is None or found.end < coverage * len(seg.text.rstrip(" ,.")):
        return []
    sub = seg.sub(found.start, found.end)
    return [Candidate(field, found.value, found.raw, (sub,), weight * found.quality)]


#: A teacher named in a sentence by a role: "with Session Leader Kim Ode", "led by Course
#: Director KIM ODE". The role is any words :func:`captions.caption_field` types as the
#: instructor's (up to three), after the word that joins it to the sentence.
_ROLE_JOIN = re.compile(r"\b(?:with|by|under)(?:\s+|$)(?:(?:the|our|your)(?:\s+|$))?", re.I)
_ROLE_WORDS = 3
W_PROSE_ROLE = 0.7


def instructors_by_role(view: PageView) -> list[Candidate]:
    """A teacher named in prose after a role title no list holds. A sentence may wrap
    anywhere: the role may start the row after its joining word, and the name the row after
    the role."""
    out = []
    for row in view.rows:
        for join in _ROLE_JOIN.finditer(row.text):
            role_at = _go_on(view, Segment(row, join.end(), len(row.text)))
            words = list(re.finditer(r"\S+", role_at.text))
            for n in range(1, min(_ROLE_WORDS, len(words)) + 1):
                role = role_at.text[: words[n - 1].end()]
                if caption_field(role) != "instructor_name" or not caption_words(role):
                    continue
                rest = _go_on(view, Segment(role_at.row, role_at.start + words[n - 1].end(),
                                            role_at.end))
                out += _whole_name(rest, W_PROSE_ROLE, coverage=0.0, field="instructor_name")
                break
    return out


def _go_on(view: PageView, seg: Segment) -> Segment:
    """``seg`` without its separators, or the next row when nothing is left of it (the
    sentence goes on there)."""
    seg = seg.strip(" ,:")
    if seg.is_blank and seg.row.index + 1 < len(view.rows):
        return view.rows[seg.row.index + 1].segment()
    return seg


def prominent_names(view: PageView) -> list[Candidate]:
    """Award layouts with no wording at all: a name alone on a row in a large font."""
    if not view.rows:
        return []
    heights = sorted(r.height for r in view.rows)
    median = heights[len(heights) // 2]
    captions = {r.index for r in view.rows
                if any(h.spec.tag == "signature" for h in view.hits[r.index])}
    out = []
    for row in view.rows:
        if view.hits[row.index] or row.height < 1.2 * median or row.index + 1 in captions:
            continue
        out += _whole_name(row.segment(), W_PROMINENT, coverage=0.9)
    return out


#: A line in a font this much larger than the page's usual one stands out.
PROMINENT = 1.2
#: A course title found only by standing out inside a sentence weighs less than a labelled one.
W_SENTENCE_TITLE = 0.45


def sentence_titles(view: PageView) -> list[Candidate]:
    """A title set alone in a larger font in the middle of a sentence: the line before it is
    prose that has not ended ("... has met the standards of"), so the large line is what the
    sentence is about. Wording no list holds still leads into its title this way. A name
    (the officer's, set the same way) is no title."""
    if len(view.rows) < 3:
        return []
    median = statistics.median(r.height for r in view.rows)
    out = []
    for before, row in zip(view.rows, view.rows[1:], strict=False):
        if view.hits[row.index] or row.height < PROMINENT * median \
                or not _open_sentence(before.text) or _whole_name(row.segment(), 1.0):
            continue
        span = clean_title(row.text)
        if span is None:
            continue
        seg = row.segment().sub(*span)
        if len(seg.text.split()) < 2:
            continue  # one word in large print is a heading, not what was completed
        out.append(Candidate("course_title", seg.text, seg.text, (seg,), W_SENTENCE_TITLE))
    return out


def _open_sentence(text: str) -> bool:
    """Prose that runs on: several words, some in lower case, no end of sentence or colon."""
    words = text.split()
    return len(words) >= 3 and sum(w[:1].islower() for w in words) >= 2 \
        and not text.rstrip().endswith((".", "!", "?", ":"))


# -------------------------------------------------------------------------- titles & places


_TITLE_LEAD = re.compile(
    r"^(?:(?:the|a|an|and|all|requirements?|of|for|in|entitled|titled|named|course|"
    r"training|class|program|following|:|-)(?:\s+|\s*:\s*|$))+", re.I)
_TITLE_TAIL = re.compile(r"[\s,;:.\-–(|]+$|\s+(?:on|at|in|for|the|and|with|from|of)$", re.I)
_TITLE_STOP = re.compile(
    r"\s[-–]\s+(?=\d)|\bon\s+(?:the\s+)?(?=\d|[A-Z][a-z]+\.?\s+\d)|\s(?:held|conducted|"
    r"presented|sponsored|hosted|taught|totaling|totalling|consisting|comprising|"
    r"for\s+a\s+total)\b|\sat\s+the\s|,\s+(?:on|at|held|with|for|totaling)\b", re.I)
_LEAD_HOURS = re.compile(
    r"\s*(?:\w+\s*\()?\d+(?:\.\d+)?\)?\s*(?:credit\s+|contact\s+|ce\s+)?(?:hours?|hrs?)\.?"
    r"\s+(?:of\s+)?(?:(?:training|instruction)\s+)?(?:in|on|of)?\s*", re.I)
_TITLE_SMALL_WORDS = frozenset({"with", "from", "into", "upon", "over", "under", "through"})
_NOT_TITLE = re.compile(r"certif(?:y|ies|icate)\b|^(?:course|training|class|title)$|^\W*$", re.I)


_QUOTES = "\"'“”‘’"


def clean_title(text: str) -> tuple[int, int] | None:
    """The span of a course title inside ``text``, without filler, dates, hours or numbers.

    Returns:
        ``(start, end)`` in ``text``, or ``None`` when nothing title-like remains.
    """
    lead_hours = _LEAD_HOURS.match(text)
    base = lead_hours.end() if lead_hours else 0  # "8 hours of De-escalation Techniques"
    end = len(text)
    for pattern_hits in (find_dates(text), find_hours(text)):
        for m in pattern_hits:
            if m.start >= base:
                end = min(end, m.start)
    stop = _TITLE_STOP.search(text[:end])
    if stop:
        end = stop.start()
    end = min(end, _parenthesis_stop(text, base, end))
    start = base
    lead = _TITLE_LEAD.match(text[base:end])
    if lead:
        start = base + lead.end()
    piece = text[start:end]
    while True:
        trimmed = _TITLE_TAIL.sub("", piece)
        if trimmed == piece:
            break
        piece = trimmed
    # quote marks round a title, straight or curly, are no part of it (nor is one OCR
    # read into a speck after it: "Tactics’")
    piece_start = start + (len(text[start:end]) - len(text[start:end].lstrip(_QUOTES + " ")))
    piece = piece.strip(_QUOTES + " ")
    if len(re.findall(r"[A-Za-z]", piece)) < 4 or _NOT_TITLE.search(piece) or len(piece) > 150:
        return None
    if not _title_cased(piece):
        return None
    return piece_start, piece_start + len(piece)


def _parenthesis_stop(text: str, start: int, end: int) -> int:
    """Where a title ends at a parenthesis.

    ``(TCOLE Course #1849)``, ``(8 hours)`` or an unclosed one end it; ``(Online)``,
    ``(CIT)``, ``(ABLE)`` are part of the title.
    """
    pos = text.find("(", start, end)
    while pos >= 0:
        close = text.find(")", pos, end)
        inner = text[pos + 1 : close] if close >= 0 else ""
        if close < 0 or re.search(r"\d", inner) or len(inner.split()) > 3 or find_labels(inner):
            return pos
        pos = text.find("(", close, end)
    return end


def _title_cased(piece: str) -> bool:
    """Course titles are capitalised; running prose ("described in Section B") is not."""
    if not (piece[0].isupper() or piece[0].isdigit()):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", piece) if len(w) > 3]
    lower = [w for w in words if w[0].islower() and w.lower() not in _TITLE_SMALL_WORDS]
    return len(lower) <= len(words) // 3


def _title_values(seg: Segment, hit: LabelHit, view: PageView) -> list[Candidate]:
    out: list[Candidate] = []
    offset = 0
    if hit.spec.tag == "course" or hit.spec.kind == "anchor":
        number = parse_post_number(seg.text)
        # after prose ("has completed") only a number set off by a dash or colon leads the
        # title ("0612 - Tactical Communication"); "40 Hour Crisis Intervention" is a title
        set_off = hit.spec.tag == "course" or re.match(r"\s*[-–—:|]\s", seg.text[
            number.end:] if number else "")
        if number and number.start <= 2 and set_off:
            sub = seg.sub(number.start, number.end)
            out.append(Candidate("post_number", number.value, number.raw, (sub,), 0.85))
            offset = number.end
    rest = seg.sub(offset, len(seg.text)).strip(" -–:.,")
    span = clean_title(rest.text)
    if span is None:
        return out
    title = rest.sub(*span)
    segments = _extend_title(view, title)
    text = " ".join(s.text for s in segments)
    quality = 0.95 if len(text.split()) <= 14 else 0.7
    out.append(Candidate("course_title", text, text, tuple(segments), quality))
    return out


_CONNECTOR_END = re.compile(r"(?:\band|\bof|\bfor|\bin|\bwith|\bthe|&|-|:|/)$", re.I)


def _extend_title(view: PageView, title: Segment) -> list[Segment]:
    """A title that wraps onto the next row (ends with ``and`` / ``of`` / ``:``, or is
    quoted and its closing quote is on the next row) continues."""
    quoted = _quote_continues(view, title)
    if quoted is not None:
        whole = title.row.segment(title.start, len(title.row.text.rstrip()))
        return [whole, quoted]
    if title.end < len(title.row.text.rstrip()) or not _CONNECTOR_END.search(title.text):
        return [title]
    nxt = next_row(view.rows, title.row)
    if nxt is None or view.hits[nxt.index] or find_dates(nxt.text):
        return [title]
    span = clean_title(nxt.text)
    return [title] if span is None else [title, nxt.segment(*span)]


_OPEN_QUOTE, _CLOSE_QUOTE = "“\"‘", "”\"’"


def _quote_continues(view: PageView, title: Segment) -> Segment | None:
    """The rest of a quoted title on the next row: the course “Scenario-Based /
    De-Escalation for Patrol” was cut at the line's end (the caller takes the first line
    to its end, a connector word included)."""
    row_text = title.row.text
    before = row_text[: title.start].rstrip()
    # the title's cleaning dropped a connector the line ended on ("... Communication and"):
    # the quote still runs on
    tail = row_text[title.end:].strip()
    if not before or before[-1] not in _OPEN_QUOTE or (tail and not _CONNECTOR_END.fullmatch(
            tail)) or any(c in _CLOSE_QUOTE for c in row_text[title.start:]):
        return None
    nxt = next_row(view.rows, title.row)
    if nxt is None:
        return None
    close = next((i for i, c in enumerate(nxt.text) if c in _CLOSE_QUOTE), None)
    if close is None or close == 0 or len(nxt.text[:close].split()) > 10:
        return None
    rest = nxt.segment(0, close).strip(" ,")
    return None if rest.is_blank else rest


_LOCATION_STOP = re.compile(r"\s+on\s+(?=\d|[A-Z][a-z]+\.?\s+\d)|;|\s{2,}|\s\|")
_SENTENCE_END = re.compile(r"(\w+)\.\s+[A-Z]")
# Abbreviations in addresses whose full stop does not end the place ("7300 N. Shepherd Dr.")
_ADDRESS_ABBREVIATIONS = frozenset({
    "n", "s", "e", "w", "ne", "nw", "se", "sw", "dr", "st", "ave", "rd", "blvd", "pkwy", "hwy",
    "ste", "mt", "ft", "no", "bldg", "ln", "ct", "pl", "cir", "sq", "univ", "dept", "co",
})
_LOCATION_TAIL = re.compile(r"(?:[\s,;:(\-–]+|\s+(?:on|at|in|from|for|the|and|of))$", re.I)
# A place's name never ends in a lower-case word or a weekday: in "at Vero Beach, Florida
# dated Wednesday, February 19" the words before the date lead into the date.
_DATE_LEAD_IN = re.compile(
    r"(?:\s+(?:[a-z]{3,}|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?)),?$", re.I)


# A verb that leads into a date is never a place's last word, even with the date on the next
# row ("held at Harbor Hall dated" / "2026/02/11 ...").
_DATE_VERB_TAIL = re.compile(
    r"\s+(?:dated|concluding|concluded|ending|ended|beginning|commencing|starting|"
    r"completed|finishing|through|until)$")


def _location_end(text: str) -> int | None:
    """Where a place name in ``text`` ends (before a date, hours, ``on``, a sentence end)."""
    full, end = text, len(text)
    for m in find_dates(text) + find_hours(text):
        end = min(end, m.start)
    stop = _LOCATION_STOP.search(text[:end])
    if stop:
        end = stop.start()
    for m in _SENTENCE_END.finditer(text[:end]):
        if m.group(1).lower() not in _ADDRESS_ABBREVIATIONS:
            end = m.end(1)  # "Spokane, WA. The course was..." ends the place
            break
    text = text[:end]
    while _LOCATION_TAIL.search(text) or (end < len(full) and _lead_in(text)) \
            or _DATE_VERB_TAIL.search(text):
        text = _DATE_VERB_TAIL.sub("", _LOCATION_TAIL.sub("", text))
        if end < len(full) and _lead_in(text):
            text = text[: _lead_in(text).start()]
    if text.endswith(".") and not re.search(r"\b[A-Z][a-z]?\.$", text):
        text = text[:-1]
    if len(re.findall(r"[A-Za-z]", text)) < 3 or len(text) > 120:
        return None
    return len(text)


def _lead_in(text: str) -> re.Match | None:
    """A last word of ``text`` that leads into a date after it (``dated``, ``Friday``);
    a word of the place written in lower case after a capitalised one never is."""
    m = _DATE_LEAD_IN.search(text)
    if m is None:
        return None
    word = m.group(0).strip(" ,.")
    weekday = bool(re.fullmatch(r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\w*", word, re.I))
    return m if weekday or word.islower() else None


def _location_values(seg: Segment) -> list[Candidate]:
    seg = seg.strip(" ,;:-–")
    end = _location_end(state_commas(seg.text))
    if end is None:
        return []
    piece = seg.sub(0, end)
    value = fix_ordinals(state_commas(piece.text))
    return [Candidate("location", value, piece.text, (piece,), 0.95)]


# ---------------------------------------------------------------------- unlabelled patterns


_DATE_CONTEXT = re.compile(
    r"(?:complet\w*|held|conducted|attended|presented|given|taken|on|this|dated?|during|"
    r"training|course|class|session|"
    r"from|day\s+of)(?:\s+the)?\W*$", re.I)
_CAP_WORDS = (r"[A-Z][\w'&.-]*(?:\s+(?:[A-Z][\w'&.-]*|\d+\w*|of|and|&|the)){0,7}"
              r"(?:\s*\([^)]{1,30}\))?")
_PROSE_LOCATIONS = (
    # a speck read as a lone mark after "at" ("at . CJTC Burien Campus") is skipped
    re.compile(rf"\b(?i:at)\s+(?:[.,'‘’`·]\s+)?(?:(?i:the)\s+)?(?P<loc>{_CAP_WORDS}"
               r"(?:,\s*[A-Z0-9][\w.]*(?:\s+[A-Z0-9][\w.]*){0,4}){0,4})"),
    re.compile(r"\b(?i:in)\s+(?P<loc>[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+){0,2},\s*"
               r"(?:[A-Z]{2}\b|[A-Z][a-z]+))"),
)


def free_candidates(view: PageView) -> list[Candidate]:
    """Self-describing values anywhere on the page except where a distractor claimed them."""
    out: list[Candidate] = []
    for seg in free_segments(view):
        out += _free_dates(view, seg) + _free_hours(seg) + _free_posts(seg)
        out += _prose_formats(seg) + _prose_locations(seg)
    return out + _because("pattern wrapped over two rows", wrapped_candidates(view))


def blocked_ranges(view: PageView) -> dict[int, list[tuple[int, int]]]:
    """Per row, the character ranges of labels and of values distractors claimed."""
    blocked: dict[int, list[tuple[int, int]]] = {}
    for claim in view.claims:
        if claim.hit.field is None:
            s = claim.segment
            blocked.setdefault(s.row.index, []).append((s.start, s.end))
    for idx, hits in view.hits.items():
        blocked.setdefault(idx, []).extend((h.start, h.end) for h in hits)
    return blocked


def free_segments(view: PageView) -> list[Segment]:
    """Each row minus the labels on it and the values distractors claimed."""
    blocked = blocked_ranges(view)
    out = []
    for row in view.rows:
        pos = 0
        for start, end in sorted(blocked.get(row.index, [])):
            if start > pos:
                out.append(Segment(row, pos, start))
            pos = max(pos, end)
        if pos < len(row.text):
            out.append(Segment(row, pos, len(row.text)))
    return [s for s in out if not s.is_blank]


def wrapped_candidates(view: PageView) -> list[Candidate]:
    """Dates, hours and places that a prose paragraph wraps onto the next row.

    ``for a total of 4.0`` / ``contact hours.``: only distractors' values are off limits
    here (a row-initial ``hours.`` looks like a label but is the unit).
    """
    blocked: dict[int, list[tuple[int, int]]] = {}
    for claim in view.claims:
        if claim.hit.field is None:
            s = claim.segment
            blocked.setdefault(s.row.index, []).append((s.start, s.end))
    out: list[Candidate] = []
    for a in view.rows:
        # a looser size check than for titles: the value must straddle the cut as well
        b = next_row(view.rows, a, max_gap_factor=1.0, size_tolerance=0.35)
        if b is None:
            # a wrap's tail of a word or two ("hours.") has a box a speck under it can
            # stretch: its size says little, so it is judged more loosely
            b = next_row(view.rows, a, max_gap_factor=1.0, size_tolerance=0.6)
            if b is None or sum(any(c.isalnum() for c in w.text) for w in b.words) > 2:
                continue
        joined, cut = f"{a.text} {b.text}", len(a.text)
        # a place runs on to the next row only up to a label there ("... Columbus, OH" /
        # "Officer ID: 2087")
        label_at = min((h.start for h in view.hits[b.index]), default=len(b.text))
        for cand in _joined_matches(joined, a, b, cut + 1 + label_at):
            spans = [(s.row.index, s.start, s.end) for s in cand.segments]
            if _straddles(cand, cut, a) and not _hits_blocked(spans, blocked):
                out.append(cand)
    return out


def _joined_matches(joined: str, a: Row, b: Row, place_end: int) -> list[Candidate]:
    def segs(start: int, end: int) -> tuple[Segment, ...]:
        cut = len(a.text)
        parts = [Segment(a, start, min(end, cut)), Segment(b, max(0, start - cut - 1),
                                                          max(0, end - cut - 1))]
        return tuple(p for p in parts if p.end > p.start and not p.is_blank)

    out = []
    for d in find_dates(joined):
        if PAPER_DATE_LEAD.search(joined[max(0, d.start - 40) : d.start]):
            continue  # the paper's own date, wrapped onto the next line
        ctx = W_CONTEXT_DATE if _DATE_CONTEXT.search(joined[max(0, d.start - 40) : d.start]) \
            else W_FREE_DATE
        out.append(Candidate("training_date", d.value, d.raw, segs(d.start, d.end), ctx))
    for h in hours_outside_dates(joined):
        out.append(Candidate("hours", h.value, h.raw, segs(h.start, h.end), W_FREE_HOURS, h.kind))
    for m in (m for rx in _PROSE_LOCATIONS for m in rx.finditer(joined[:place_end])):
        out += _prose_place(joined[m.start("loc") : m.end("loc")],
                            segs(m.start("loc"), m.end("loc")))
    return [c for c in out if c.value is not None and c.segments]


def _straddles(cand: Candidate, cut: int, a: Row) -> bool:
    rows = {s.row.index for s in cand.segments}
    return len(rows) == 2 or (a.index not in rows and cand.field == "location")


def _hits_blocked(spans: list[tuple[int, int, int]],
                  blocked: dict[int, list[tuple[int, int]]]) -> bool:
    return any(s < be and bs < e for idx, s, e in spans for bs, be in blocked.get(idx, []))


def _free_dates(view: PageView, seg: Segment) -> list[Candidate]:
    out = []
    for d in find_dates(seg.text):
        if _signed_on(view, seg.row, seg.start + d.start):
            continue
        if PAPER_DATE_LEAD.search(seg.row.text[max(0, seg.start + d.start - 40):
                                                 seg.start + d.start]):
            continue  # "Issued 06/02/25": the day the paper was issued, not trained
        before = seg.row.text[max(0, seg.start + d.start - 40) : seg.start + d.start]
        if not before.strip() and seg.row.index > 0:
            before = view.rows[seg.row.index - 1].text[-40:]
        weight = W_CONTEXT_DATE if _DATE_CONTEXT.search(before) else W_FREE_DATE
        if d.value is not None and weight < W_SOLE_DATE and _sole_date(view, d.value):
            weight = W_SOLE_DATE
        if d.value is None:
            weight *= W_FAILED
        if _is_letter_date(view, seg, d.start, d.end):
            if _is_letter(view):
                continue  # the day the letter was written, never the training's
            weight *= 0.7
        out.append(Candidate("training_date", d.value, d.raw, (seg.sub(d.start, d.end),), weight))
    return out


# Unlabelled format wording counts only as a statement about the delivery: a vendor named
# "eLearning", a "Virtual Classroom" location or a "Scenarios" course title says nothing
# about how this training was given (and a wrong "scenario" could earn scenario credit).
_FORMAT_STATEMENT = re.compile(
    r"\b(?:delivered|completed|conducted|presented|taken|held|offered|attended|taught)\s+"
    r"(?:(?:entirely|fully)\s+)?(?:online|in[- ]person|virtually|in\s+a\s+classroom)\b|"
    r"\b(?:scenario|reality)[- ]based\s+(?:training|course|exercises?|instruction|format)\b|"
    r"\b(?:classroom|online|hybrid|blended|in[- ]person)\s+(?:format|delivery|setting|"
    r"session|instruction)\b|\bin\s+a\s+(?:classroom|hybrid|blended|online)\b|"
    # "delivered in a scenario / practical format", "given as a blended session"
    r"\b(?:in|as)\s+an?\s+[a-z-]+(?:\s*/\s*[a-z-]+)?\s+(?:format|setting|session|"
    r"delivery)\b|"
    # "in a reality-based scenario training format": a few words saying what kind
    r"\b(?:in|as)\s+an?\s+(?:[a-z-]+\s+){1,3}(?:format|setting|session|delivery)\b", re.I)


def _prose_formats(seg: Segment) -> list[Candidate]:
    """Format statements in prose, or a row or list item that says only ``Online`` /
    ``Scenario-Based`` (``March 3, 2026 • 8 Hours • Online``)."""
    whole = _unexplained(seg.row.text).strip(" .:-|")
    if seg.start == 0 and len(whole.split()) <= 3 and _only_one_format(whole) \
            and EMPTY not in whole:
        return _format_values(seg, W_FREE_FORMAT)
    out = []
    for item in _list_items(seg):
        core = _unexplained(item.text)
        # an option beside an empty box is one not chosen ("[_] Classroom | ...")
        if len(core.split()) <= 3 and _only_one_format(core) and EMPTY not in core:
            out += _format_values(item, W_FREE_FORMAT)
    for m in _FORMAT_STATEMENT.finditer(seg.text):
        out += _format_values(seg.sub(m.start(), m.end()), W_FREE_FORMAT)
    return out


def _unexplained(text: str) -> str:
    """``text`` without the parentheses that explain a format right before them: ``Hybrid
    (online + in-person)`` says ``Hybrid``, as :func:`_outside_parentheses` reads it."""
    m = re.search(r"\s*\([^()]*\)\s*$", text)
    if m is None or not find_formats(text[:m.start()]):
        return text
    return text[:m.start()]


def _only_one_format(text: str) -> bool:
    """``text`` says one delivery format and nothing else: ``Online``, ``Classroom /
    Lecture`` (two words of one format, a slash between)."""
    hits = find_formats(text)
    if not hits or len({h.fmt for h in hits}) != 1:
        return False
    rest = list(text)
    for h in hits:
        rest[h.start:h.end] = " " * (h.end - h.start)
    left = "".join(rest).split()
    # a speck or a border's edge read as a letter or two after it ("Scenario-Based iy")
    if left and sum(c.isalnum() for c in left[-1]) <= 2 and hits[-1].end < len(text.rstrip()) \
            and not any(c.isalnum() for c in "".join(left[:-1])):
        return True
    return not any(c.isalnum() for c in rest)


def _list_items(seg: Segment) -> list[Segment]:
    """The items of a row that lists values between bullets, stars or bars (none if no
    bullet); a scanned bullet is often read as a cent sign, set apart by spaces."""
    cuts = [m.start() for m in re.finditer(r"[•·|*▪◦♦]|(?<=\s)¢(?=\s)", seg.text)]
    if not cuts:
        return []
    bounds = [-1, *cuts, len(seg.text)]
    items = [seg.sub(a + 1, b).strip(" .,;:-") for a, b in zip(bounds, bounds[1:], strict=False)]
    return [i for i in items if not i.is_blank]


def _signed_on(view: PageView, row: Row, offset: int) -> bool:
    """A date in a signature block: right of a signature caption on its line (``Signed: J.
    Reyes 03/09/2026``), or on the signature line itself, over a row of captions naming a
    signature (``Signature   Date`` under the lines). It is the day the paper was signed,
    which may be days after the training."""
    if any(h.field is None and h.spec.tag == "signature" and h.end <= offset
           for h in view.hits[row.index]):
        return True
    if row.index + 1 >= len(view.rows):
        return False
    below = view.rows[row.index + 1]
    captions = view.hits[below.index]
    return (any(h.field is None and h.spec.tag == "signature" for h in captions)
            and _only_captions_or_signatures(below, captions)
            and below.bbox.top - row.bbox.bottom < 1.5 * row.height)


def _only_captions_or_signatures(row: Row, row_hits: list[LabelHit]) -> bool:
    covered = set()
    for h in row_hits:
        covered.update(range(h.start, h.end))
    return all(not c.isalnum() or i in covered for i, c in enumerate(row.text))


def _sole_date(view: PageView, value: object) -> bool:
    """``value`` is the only date (or date range) printed anywhere on the page."""
    values = {d.value for row in view.rows for d in find_dates(row.text)}
    return values == {value}


_SALUTATION = re.compile(r"^\s*(dear\b|to whom it may concern)", re.I)


def _is_letter(view: PageView) -> bool:
    """The page is a letter: it greets its reader or closes with a complimentary close."""
    return any(_SALUTATION.search(row.text) or _CLOSING.search(row.text) for row in view.rows)


def _is_letter_date(view: PageView, seg: Segment, start: int, end: int) -> bool:
    """A date alone on its row above any completion wording: a letter's own date."""
    if seg.row.text.strip(" .,") != seg.text[start:end].strip(" .,"):
        return False
    for row in view.rows[: seg.row.index]:
        if any(h.spec.kind == "anchor" or h.field == "course_title" for h in view.hits[row.index]):
            return False
    return True


def _free_hours(seg: Segment) -> list[Candidate]:
    return [Candidate("hours", h.value, h.raw, (seg.sub(h.start, h.end),),
                      W_FREE_HOURS if h.value else W_FREE_HOURS * W_FAILED, h.kind)
            for h in hours_outside_dates(seg.text)]


def _free_posts(seg: Segment) -> list[Candidate]:
    return [Candidate("post_number", p.value, p.raw, (seg.sub(p.start, p.end),), W_FREE_POST)
            for p in find_post_numbers(seg.text)]


def _prose_locations(seg: Segment) -> list[Candidate]:
    """``... at the Riverside Public Safety Academy.``: a capitalised place after at / in."""
    out = []
    for m in (m for rx in _PROSE_LOCATIONS for m in rx.finditer(seg.text)):
        sub = seg.sub(m.start("loc"), m.end("loc"))
        out += _prose_place(sub.text, (sub,))
    return out


def _prose_place(text: str, segments: tuple[Segment, ...]) -> list[Candidate]:
    """A place found after at / in, cleaned; ``text`` is ``segments`` joined by spaces."""
    end = _location_end(text)
    if end is None or len(text[:end].split()) < 2:
        return []
    place = text[:end]
    name = find_name(place)
    if "," not in place and name is not None and name.end >= len(place) - 1:
        return []  # "at Jane Doe" is a person; "Olympia, Washington" is a place
    trimmed = _trim_segments(segments, end)
    return [Candidate("location", fix_ordinals(place), place, trimmed, W_PROSE_LOCATION)]


def _trim_segments(segments: tuple[Segment, ...], length: int) -> tuple[Segment, ...]:
    out, left = [], length
    for seg in segments:
        if left <= 0:
            break
        take = min(len(seg.text), left)
        out.append(seg.sub(0, take))
        left -= take + 1
    return tuple(out)


# ------------------------------------------------------------------------- reference hints


def hinted_candidates(view: PageView, hints: ReferenceHints) -> list[Candidate]:
    """Lines that match a roster / instructor name or a catalog title or number."""
    segs = free_segments(view) + [c.segment for c in view.claims if c.hit.field is not None]
    out: list[Candidate] = []
    for field, names in (("officer_name", hints.officer_names),
                         ("instructor_name", hints.instructor_names)):
        if names:
            out += _hinted_names(field, segs, names)
    # a registered instructor signing as someone else (the coordinator under "Sincerely,")
    # signs the page; that does not make them this course's instructor
    out = [c for c in out if c.field != "instructor_name"
           or not _signs_in_another_role(view, c.segments[0])]
    if hints.course_titles:
        # a title label already located its value; the hint must not cut it down to the
        # catalog's shorter wording ("De-escalation Techniques Course")
        titled = [c.segment for c in view.claims if c.hit.field == "course_title"]
        found = _hinted_titles(free_segments(view) + [
            c.segment for c in view.claims if c.hit.field not in (None, "course_title")],
            hints.course_titles)
        out += [c for c in found if not any(_cuts_down(c.segments[0], t) for t in titled)]
    # in a table a number's own column head labels it: one found elsewhere in the table is
    # another row's course, whose date and hours are not the ones read
    table = _table_data_rows(view)
    numbered = [s for s in free_segments(view) if s.row.index not in table] + [
        c.segment for c in view.claims if c.hit.field is not None]
    if hints.post_numbers:
        out += _hinted_numbers("post_number", numbered, hints.post_numbers)
    if hints.courses:
        out += _numbers_beside_titles(view, numbered, hints.courses)
    return out


#: Titles printed under a signer's name that say the signer is not the instructor.
_OTHER_ROLE = re.compile(
    r"\b(coordinator|chief|director|commander|captain|lieutenant|sergeant|supervisor|manager|"
    r"sheriff|administrator|registrar|commissioner|secretary|president|dean|head)\b", re.I)
_INSTRUCTOR_ROLE = re.compile(r"\b(instruct\w*|trainer|facilitat\w*|presenter|teach\w*)\b",
                              re.I)
_CLOSING = re.compile(r"^\s*(sincerely|respectfully|regards|best regards|yours truly|"
                      r"cordially)\b", re.I)


def _signs_in_another_role(view: PageView, seg: Segment) -> bool:
    """Whether the name at ``seg`` is a signature block's signer of another role: the line
    under it names a role that is not teaching ("Training Coordinator"), or a letter's
    closing ("Sincerely,") stands over it with no teaching role under it."""
    row = seg.row
    if len(row.text.split()) > 6:
        return False  # a name in a sentence, not a signature block's own line
    lo, hi = row.bbox.x0 - 20, row.bbox.x1 + 20
    below = row_below(view.rows, row, lo, hi)
    role = below.text if below is not None else ""
    if _INSTRUCTOR_ROLE.search(role):
        return False
    if _OTHER_ROLE.search(role):
        return True
    above = row_above(view.rows, row, lo, hi)
    return above is not None and bool(_CLOSING.match(above.text))


def _table_data_rows(view: PageView) -> set[int]:
    """Rows split into columns under a row of two or more column heads (a table's body)."""
    out: set[int] = set()
    for row in view.rows:
        heads = view.hits[row.index]
        if len(heads) < 2 or not _only_captions(row, heads):
            continue
        for other in view.rows[row.index + 1 :]:
            if view.hits[other.index] or not other.gap_starts:
                break
            out.add(other.index)
    return out


_ID_TOKEN = re.compile(r"[A-Za-z0-9|]+(?:[ -][0-9OlISB]{2,})?")
_SIDE = " -–—:|,()"


def _numbers_beside_titles(view: PageView, segs: list[Segment],
                           courses: tuple[tuple[str, str], ...]) -> list[Candidate]:
    """A catalog number printed right before or after that same course's title, unlabelled
    (``0612 - Tactical Communication in Crisis Situations``), or alone on the row under or
    over it (an award printing the title, then the number on a line of its own).

    The bare number alone could be a street number; beside the catalog title of its own
    course the two readings confirm each other.
    """
    titles: dict[str, list[str]] = {}
    for number, title in courses:
        titles.setdefault(number, []).append(title.lower())
    out = []
    for seg in segs:
        for m in _ID_TOKEN.finditer(seg.text):
            token = m.group()
            if len(token) < 3 or not any(c.isdigit() for c in token) \
                    or _part_of_longer_id(seg.text, m):
                continue
            hit = match_confusable(token, tuple(titles))
            if hit is None:
                continue
            # only within one column: in a table the next cell's title may be another row's
            # course, and its date and hours would be read from the first row
            lo, hi = _chunk_bounds(seg.row, seg.start + m.start())
            after = seg.row.text[seg.start + m.end() : hi].lstrip(_SIDE).lower()
            before = seg.row.text[lo : seg.start + m.start()].rstrip(_SIDE).lower()
            if seg.row.text.strip(_SIDE + ".#") == token:
                before, after = _neighbour_texts(view, seg.row)
            if any(fuzz.ratio(after[: len(t)], t) >= 90 or fuzz.ratio(before[-len(t):], t) >= 90
                   for t in titles[hit]):
                out.append(Candidate("post_number", token, token,
                                     (seg.sub(m.start(), m.end()),), 0.75,
                                     why="catalog number beside its own title"))
    return out


def _cuts_down(part: Segment, value: Segment) -> bool:
    """Whether ``part`` lies inside ``value`` and leaves words of it out."""
    if part.row.index != value.row.index or part.end <= value.start or value.end <= part.start:
        return False
    text = part.row.text
    left_out = text[value.start : part.start] + " " + text[part.end : value.end]
    return bool(re.search(r"[A-Za-z0-9]{2}", left_out))


def _hinted_names(field: str, segs: list[Segment], names: tuple[str, ...]) -> list[Candidate]:
    out = []
    for seg in segs:
        for m in re.finditer(r"(?:^|(?<=[\s,(]))(?=\S)", seg.text):
            found = find_name(seg.text[m.start():])
            if found is None:
                continue
            best = process.extractOne(found.value, names, scorer=fuzz.token_sort_ratio,
                                      processor=utils.default_process)
            if best and best[1] >= NAME_MATCH:
                sub = seg.sub(m.start() + found.start, m.start() + found.end)
                weight = W_HINT * found.quality * best[1] / 100
                out.append(Candidate(field, found.value, found.raw, (sub,), weight))
    return out


def _hinted_titles(segs: list[Segment], titles: tuple[str, ...]) -> list[Candidate]:
    out = []
    for seg in segs:
        for title in titles:
            align = fuzz.partial_ratio_alignment(title.lower(), seg.text.lower())
            if align is None or align.score < TITLE_MATCH or len(title) < 5:
                continue
            if align.dest_end - align.dest_start < 0.8 * len(title):
                continue  # a few letters of the title inside other text
            start, end = _snap_words(seg.text, align.dest_start, align.dest_end)
            sub = seg.sub(start, end)
            out.append(Candidate("course_title", sub.text, sub.text, (sub,),
                                 W_HINT * align.score / 100))
    return out


def _snap_words(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, len(text[:end].rstrip(" ,.;:"))


_NUMBER_CONTEXT = re.compile(
    r"(?:#|\bno\.?|number|course|approval|control|tcole|post|cjstc|cjtc|gpstc|badge|pid|"
    r"\bid|(?:approval|course|curriculum|class|lesson)\s+(?:code|key|ref))\W*$|\(\s*$", re.I)
#: Leader dots or rules between a caption and its value ("Approval Code: ...... 0061").
_LEADER_TAIL = re.compile(r"(?:[.…_·,\-]\s?){3,}\s*$")


def _hinted_numbers(field: str, segs: list[Segment], choices: tuple[str, ...],
                    need_context: bool = True) -> list[Candidate]:
    """Catalog / roster numbers printed without their label (``Course 1849``, ``(1849)``).

    A bare number needs a word before it that says what it is, so that the ``1849`` of
    ``1849 Main Street`` is never taken for a course.
    """
    out = []
    for seg in segs:
        blocked = [(m.start, m.end) for m in find_dates(seg.text) + find_hours(seg.text)]
        for m in re.finditer(r"[A-Za-z0-9|]+(?:[ -][0-9OlISB]{2,})?", seg.text):
            if len(m.group()) < 3:
                continue
            if not any(c.isdigit() for c in m.group()) or _part_of_longer_id(seg.text, m):
                continue
            for start, token in _token_readings(seg, m, need_context, field):
                if any(s < start + len(token) and start < e for s, e in blocked):
                    continue  # a date's or hours' part; in "2023 0061" the number after
                    # the date's year is still read on its own
                hit = match_confusable(token, choices)
                if not hit and _GLUED_SPECK.match(token):
                    # "1TC1882": a speck or bar read as 1/l/I stuck to a lettered number;
                    # only a number the catalog knows is taken from under it
                    start, token = start + 1, token[1:]
                    hit = match_confusable(token, choices)
                if hit:
                    sub = seg.sub(start, m.end())
                    out.append(Candidate(field, token, token, (sub,), 0.65))
                    break
    return out


_BADGE_BEFORE = re.compile(
    r"\b(?:badge|pid|id|star|shield|employee|emp|officer|personnel|license)\W*"
    r"(?:#|no\.?|number)?\W*$", re.I)
_ID_WORDS = {"post_number": frozenset({"course", "no", "number", "approval", "control",
                                         "tcole", "post", "cjstc", "cjtc", "gpstc"}),
             "badge_number": frozenset({"badge", "pid", "id", "no", "number"})}


def _token_readings(seg: Segment, m: re.Match[str], need_context: bool,
                    field: str) -> list[tuple[int, str]]:
    """Where an id may start in the token ``m``, each with a word before it saying what it
    is: the whole token (``CJK 0297``), or its number after a word of the field's own
    (``Course 1849``, the word and the number taken as one token; ``Badge 1849`` is never
    a course)."""
    out = []
    before = _LEADER_TAIL.sub(" ", seg.row.text[: seg.start + m.start()])[-24:]
    if field == "post_number" and _BADGE_BEFORE.search(before):
        return []  # "Badge #1849": an officer's number that a catalog course happens to share
    if not need_context or _NUMBER_CONTEXT.search(before):
        out.append((m.start(), m.group()))
    head, sep, tail = m.group().partition(" ")
    if sep and tail and (not need_context or head.lower() in _ID_WORDS.get(field, ())):
        out.append((m.start() + len(head) + 1, tail))
    return out


def _chunk_bounds(row: Row, offset: int) -> tuple[int, int]:
    """The gap-bounded piece of ``row`` holding ``offset`` (one cell of a table row)."""
    cuts = sorted(row.gap_starts)
    lo = max((c for c in cuts if c <= offset), default=0)
    hi = min((c for c in cuts if c > offset), default=len(row.text))
    return lo, hi


def _neighbour_texts(view: PageView, row: Row) -> tuple[str, str]:
    """The texts of the rows right over and under ``row`` (lower case, '' where none), when
    none of the three is a table row (split into columns)."""
    above = view.rows[row.index - 1] if row.index > 0 else None
    below = next_row(view.rows, row, max_gap_factor=2.5)
    if row.gap_starts or any(r is not None and r.gap_starts for r in (above, below)):
        return "", ""
    return (above.text.lower() if above is not None else "",
            below.text.lower() if below is not None else "")


_GLUED_SPECK = re.compile(r"[1Il|][A-Z]{2,}[0-9OlISB]")


def _part_of_longer_id(text: str, m: re.Match[str]) -> bool:
    """``1849`` inside ``1849-A`` or ``DE-2023-01``: a catalog number inside a longer id is
    another course's number (a section, a module), never that catalog course."""
    return bool(re.match(r"-\w", text[m.end():]) or re.search(r"\w-$", text[: m.start()]))


def add_hinted_badge(view: PageView, chosen: dict[str, Candidate],
                     hints: ReferenceHints) -> dict[str, Candidate]:
    """No badge label: a roster badge number printed on or next to the officer's line."""
    officer = chosen.get("officer_name")
    if "badge_number" in chosen or officer is None or not hints.badge_numbers:
        return chosen
    idx = officer.segments[0].row.index
    near = [s for s in free_segments(view) if abs(s.row.index - idx) <= 1]
    found = _hinted_numbers("badge_number", near, hints.badge_numbers, need_context=False)
    why = "roster badge by the name"
    if not found:
        found, why = _own_badge_under_other_caption(view, officer, hints), \
            "the named officer's own roster badge beside the name, under another caption"
    if found:
        chosen = dict(chosen)
        chosen["badge_number"] = replace(found[0], weight=0.6, why=why)
    return chosen


def _own_badge_under_other_caption(view: PageView, officer: Candidate,
                                   hints: ReferenceHints) -> list[Candidate]:
    """The roster badge of the very officer named, printed on the page under a caption the
    lexicon keeps for another number ("Serial Number 2636") or under none: agencies call
    their officers' numbers serial, member or tax numbers. Only the named officer's own
    badge is taken, so the page's own serial number never becomes anyone's badge."""
    read = _ascii_key(str(officer.value))  # "Ramirez" as read is the roster's "Ramírez"
    own = tuple(b for b, name in hints.officers if same_person(read, _ascii_key(name)))
    if not own:
        return []
    # Anywhere on the page: a form sets the number's caption where its layout puts it (a
    # column away, rows under the name, a caption under its value); the number is taken only
    # as the named officer's own, so no other number of the page can become a badge.
    others = [c.segment for c in view.claims if c.hit.field is None]
    return _hinted_numbers("badge_number", others + free_segments(view), own,
                           need_context=False)


def add_titled_course_number(view: PageView, chosen: dict[str, Candidate],
                             hints: ReferenceHints) -> dict[str, Candidate]:
    """No course number read: the catalog number of the very course whose title was read,
    printed on the page under a caption no list holds ("Registry No.", "Index"), in a
    table's cell or under no caption at all.

    The counterpart of :func:`_own_badge_under_other_caption`: forms name the course's
    number in words of their own, and a bare number in a table is ignored because it may
    be another row's course. Here only the read title's own catalog number is taken, so no
    other number of the page (a street's, a record's) can become the course's, and the two
    readings confirm each other. A number caption that was found but not read keeps the
    record unread (:func:`_unread_labels_stand`): this runs only when none was found.
    """
    title = chosen.get("course_title")
    if "post_number" in chosen or title is None or title.value is None or not hints.courses:
        return chosen
    read = str(title.value)
    own = tuple(sorted({number for number, name in hints.courses
                        if _title_key(name) == _title_key(read) or is_ocr_variant(read, name)}))
    if not own:
        return chosen
    taken = [s for name, c in chosen.items() if name in ID_FIELDS for s in c.segments]
    others = [c.segment for c in view.claims if c.hit.field is None]
    found = [c for c in _hinted_numbers("post_number", others + free_segments(view), own,
                                        need_context=False)
             if not _overlaps(c.segments, taken)]
    if not found:
        return chosen
    chosen = dict(chosen)
    chosen["post_number"] = replace(found[0], weight=0.6,
                                    why="the read title's own catalog number, uncaptioned")
    return chosen


def _title_key(title: str) -> str:
    """A title compared word for word: case, punctuation and "&" for "and" aside."""
    return " ".join(utils.default_process(title.replace("&", " and ")).split())


# ------------------------------------------------------------------------------- choosing


#: Identifiers: one printed number never serves as both.
ID_FIELDS = frozenset({"badge_number", "post_number"})


def choose_candidates(candidates: list[Candidate]) -> dict[str, Candidate]:
    """The best candidate per field; two text fields never share words, nor the officer's
    and the course's numbers.

    Credit hours beat contact hours when both are printed (credit is what is credited); a
    field with no readable candidate keeps its best unreadable one (value ``None``).
    """
    candidates = _prefer_credit_hours(candidates)
    chosen: dict[str, Candidate] = {}
    used: list[Segment] = []
    numbers: list[Segment] = []
    for cand in sorted(candidates, key=lambda c: c.score, reverse=True):
        if cand.field in chosen or cand.value is None:
            continue
        if cand.field in TEXT_FIELDS and _overlaps(cand.segments, used):
            continue
        if cand.field in ID_FIELDS and _overlaps(cand.segments, numbers):
            continue  # one printed number is an officer's or a course's, never both
        chosen[cand.field] = cand
        if cand.field in TEXT_FIELDS:
            used.extend(cand.segments)
        if cand.field in ID_FIELDS:
            numbers.extend(cand.segments)
    for cand in sorted(candidates, key=lambda c: c.score, reverse=True):
        if cand.field not in chosen:
            chosen[cand.field] = cand
    return chosen


def names_read_twice(chosen: dict[str, Candidate],
                     candidates: list[Candidate]) -> dict[str, Candidate]:
    """A person's name read alike in two places of the page (a caption's value and the
    signature block's, a sentence and a caption) is surer than either reading alone: two
    misreadings would have to produce the same name. The chosen reading's score becomes
    1 - (1 - a)(1 - b) of the two readings' scores."""
    out = dict(chosen)
    for field in NAME_FIELDS:
        best = chosen.get(field)
        if best is None or best.value is None:
            continue
        key = _ascii_key(str(best.value))
        agree = [c for c in candidates if c.field == field and c.value is not None
                 and _ascii_key(str(c.value)) == key
                 and not _overlaps(c.segments, list(best.segments))]
        read = read_confidence(list(best.segments))
        if not agree or read <= 0:
            continue
        other = max(agree, key=lambda c: c.score)
        both = 1.0 - (1.0 - best.score) * (1.0 - other.score)
        out[field] = replace(best, weight=both / read, why=f"{best.why}; read alike twice")
    return out


_CA_CONTROL = re.compile(r"^(\d{4}-?\d{5})-?\d{2}-?\d{3}$")


def _number_key(text: str) -> str:
    text = str(text).upper().strip()
    ca = _CA_CONTROL.match(text.replace(" ", ""))
    if ca:  # a California control number: its first two parts are the course number
        text = ca.group(1)
    return re.sub(r"[\s#.\-_/]", "", text)


def prefer_catalog_numbers(
    candidates: list[Candidate], hints: ReferenceHints
) -> list[Candidate]:
    """Of several course numbers printed on a page, keep those the catalog knows.

    A vendor printout may show its own "Catalog #" beside the state's "Course #"; both are
    printed values, and the one in the approved-course catalog is the course number. When
    none is in the catalog every candidate stays (verification will say it is unknown).
    """
    if not hints.post_numbers:
        return candidates
    known = {_number_key(n) for n in hints.post_numbers}
    posts = [c for c in candidates if c.field == "post_number" and c.value is not None]
    in_catalog = [c for c in posts if _number_key(c.value) in known]
    if not in_catalog or len(in_catalog) == len(posts):
        return candidates
    return [c for c in candidates if c.field != "post_number" or c in in_catalog
            or c.value is None]


def _prefer_credit_hours(candidates: list[Candidate]) -> list[Candidate]:
    hours = [c for c in candidates if c.field == "hours" and c.value is not None]
    credit = [c for c in hours if c.tag == "credit"]
    contact = [c for c in hours if c.tag == "contact"]
    if not credit:
        return candidates
    note = ""
    if contact:
        best = max(contact, key=lambda c: c.score)
        note = f" (credit hours; contact hours {best.value:g} also printed: {best.raw})"
    others = [c for c in candidates if c.field != "hours"]
    return others + [replace(c, raw=c.raw + note) for c in credit]


def _overlaps(segments: tuple[Segment, ...], used: list[Segment]) -> bool:
    return any(a.row.index == b.row.index and a.start < b.end and b.start < a.end
               for a in segments for b in used)


def to_field(cand: Candidate, page: PageText) -> ExtractedField:
    """The chosen candidate as an :class:`ExtractedField` with its confidence and box."""
    return ExtractedField(
        name=cand.field,
        value=cand.value,
        raw_text=cand.raw,
        confidence=round(max(0.0, min(1.0, cand.score)), 3),
        bbox=segment_bbox(list(cand.segments)),
        page_number=page.page_number,
        source=cand.source or page.source,
    )


def apply_hints(fields: dict[str, ExtractedField],
                hints: ReferenceHints) -> dict[str, ExtractedField]:
    """Correct unambiguous OCR confusions against the catalog / roster (raw reading kept).

    Course numbers and badge numbers take the catalog value when exactly one matches under
    the confusion map; a title takes the catalog spelling when it is a near-exact match
    (OCR noise), never when it is a different wording.
    """
    out = dict(fields)
    for name, choices in (("post_number", hints.post_numbers),
                          ("badge_number", hints.badge_numbers)):
        f = out.get(name)
        if f and f.value and choices:
            hit = _catalog_spelling(f, choices)
            if hit and hit != f.value:
                out[name] = _corrected(f, hit, same=plain_id(hit) == plain_id(f.value))
    title = out.get("course_title")
    if title and title.value and hints.course_titles:
        out["course_title"] = _correct_title(title, hints.course_titles)
    for name, people, loose in (("officer_name", hints.officer_names, False),
                                ("instructor_name", hints.instructor_names, True)):
        f = out.get(name)
        if f and f.value and people:
            out[name] = _registry_spelling(f, people, loose)
    return out


def _registry_spelling(f: ExtractedField, people: tuple[str, ...], loose: bool) -> ExtractedField:
    """The roster / registry spelling of the same name, never another person's.

    Taken when nothing but accents, case or (for instructors, ``loose``) a middle initial
    differ: OCR drops accents ("Ramirez" for "Ramírez"), and the certification check needs
    the registry's name.
    """
    plain = _ascii_key(f.value)
    same = list(_by_ascii_key(people).get(plain, ()))
    if not same:
        same = [p for p in people if same_person(_ascii_key(f.value), _ascii_key(p))]
        if len(same) == 1 and not loose:
            same = [_with_reference_ends(f.value, same[0])]
    if not same and loose:  # a letter of the surname lost or misread: "Kaminsk", "Kamlnski"
        same = [p for p in people if _one_letter_off(_ascii_key(f.value), _ascii_key(p))]
    if len(same) != 1 or same[0] == f.value:
        return f
    return replace(f, value=same[0])


@lru_cache(maxsize=8)  # the same roster for every document; keying 5,000 names took ~20 ms
def _by_ascii_key(people: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The names under their accent- and case-free key, in roster order."""
    out: dict[str, list[str]] = {}
    for p in people:
        out.setdefault(_ascii_key(p), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _with_reference_ends(read: str, reference: str) -> str:
    """The read name with the reference's first and last name spelling (its accents).

    The page's middle names and suffix stay (``Hiroshi H. Ramírez``, ``Patricia Okafor Jr.``).
    """
    words = read.split()
    core = [i for i, w in enumerate(words) if w.strip(".,").lower() not in SUFFIXES]
    ref = [w for w in reference.split() if w.strip(".,").lower() not in SUFFIXES]
    if not core or len(ref) < 2:
        return read
    words[core[0]], words[core[-1]] = ref[0], ref[-1]
    return " ".join(_without_repeats(words, reference))


def _without_repeats(words: list[str], reference: str) -> list[str]:
    """A word read twice in a row ("Sarah T. Nguyen Nguyen", a line read twice on a skewed
    scan) once, unless the reference name itself repeats it."""
    def key(w: str) -> str:
        return w.strip(".,").lower()

    ref = [key(w) for w in reference.split()]
    kept: list[str] = []
    for w in words:
        if kept and key(w) == key(kept[-1]) and not _repeats(ref, key(w)):
            continue
        kept.append(w)
    return kept


def _repeats(words: list[str], word: str) -> bool:
    return any(a == b == word for a, b in zip(words, words[1:], strict=False))


def _one_letter_off(read: str, reference: str) -> bool:
    """Same words but for one letter of a surname of 5 letters or more (added, lost or
    misread); the first name exact."""
    a, b = read.split(), reference.split()
    if len(a) != len(b) or len(a) < 2 or a[0] != b[0] or a[:-1] != b[:-1]:
        return False
    return min(len(a[-1]), len(b[-1])) >= 5 and Levenshtein.distance(a[-1], b[-1]) == 1


def _ascii_key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in folded if c.isalnum() or c == " ").lower().split())


_CA_CONTROL = re.compile(r"(\w{4}-\w{5})(-\w{2}-\w{3})")


def _catalog_spelling(f: ExtractedField, choices: tuple[str, ...]) -> str | None:
    """The catalog value a read id stands for.

    A California control number keeps its presentation suffix (``2540-20182-20-003``);
    only its course part is checked against the catalog.
    """
    m = _CA_CONTROL.fullmatch(f.value)
    if m:
        hit = match_confusable(m.group(1), choices)
        return hit + fix_digits(m.group(2)) if hit else None
    return match_confusable(f.raw_text or f.value, choices) or match_confusable(f.value, choices)


def _corrected(f: ExtractedField, value: str, same: bool = False) -> ExtractedField:
    if same:
        return replace(f, value=value)
    conf = None if f.confidence is None else round(f.confidence * HINT_PENALTY, 3)
    return replace(f, value=value, confidence=conf, source=FieldSource.DERIVED)


def _correct_title(f: ExtractedField, titles: tuple[str, ...]) -> ExtractedField:
    best = process.extractOne(f.value, titles, scorer=fuzz.ratio, processor=utils.default_process)
    if not best or best[1] < TITLE_CORRECT or best[0] == f.value:
        return f
    if abs(len(best[0]) - len(f.value)) > max(3, len(f.value) // 10):
        return f
    if utils.default_process(best[0]) == utils.default_process(f.value):
        return f  # same words, different case or punctuation: keep what the page says
    if not is_ocr_variant(f.value, best[0]):
        return f
    return _corrected(f, best[0])


def is_ocr_variant(read: str, catalog: str) -> bool:
    """Whether ``read`` differs from ``catalog`` only by a few OCR confusions."""
    a, b = utils.default_process(read), utils.default_process(catalog)
    ops = Levenshtein.editops(a, b)
    if not ops or len(ops) > max(2, len(b) // 8):
        return False
    for op in ops:
        if op.tag != "replace":
            ch = a[op.src_pos] if op.tag == "delete" else b[op.dest_pos]
            if ch.isalnum():
                return False
        elif not any(a[op.src_pos] in g and b[op.dest_pos] in g for g in OCR_CONFUSION_GROUPS):
            return False
    return True
