"""Explainable matching of what was read against the roster, the catalog and the registry.

Every matcher returns a :class:`MatchResult`: the item (or ``None``), a 0-100 score, a ``why``
sentence that goes into the record's explanation, how it matched, and the closest candidates
for the review screen. Matchers are pure functions over lists of reference rows (load them
once per record with ``course_catalog.queries``), so they are cheap to test.

The rule everywhere: a correction is accepted only when it is unique. Two possible readings
mean no match and a person looks at it; a false credit is worse than a review.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from typing import Any, Generic, TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from course_catalog.keys import (
    CA_CONTROL_NUMBER,
    ca_course_certification_number,
    compact_key,
    normalize_badge,
    normalize_post_number,
    ocr_skeleton,
)
from course_catalog.models import Course, Instructor, Officer
from extractors.names import HAND_ALIKE

__all__ = [
    "INSTRUCTOR_NAME_THRESHOLD",
    "NAME_CONFIRMS_CORRECTION",
    "NAME_FITS_BADGE",
    "Roster",
    "TITLE_FITS",
    "Candidate",
    "MatchResult",
    "ca_course_certification_number",
    "compact_key",
    "course_candidates",
    "instructor_certified",
    "match_course",
    "match_instructor",
    "match_officer",
    "match_title",
    "name_score",
    "normalize_badge",
    "normalize_post_number",
    "ocr_skeleton",
    "officer_candidates",
    "split_instructor_names",
    "title_score",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

# --- thresholds (0-100, rapidfuzz scale) ----------------------------------------------------
# The badge decides who an officer is; the name only has to *fit* it. 80 accepts "Smlth" for
# "Smith", "Jon" for "John", "J. Smith" for "John Smith"; it refuses "Jane" for "John" (first
# name 50) because a part scoring under 65 caps the whole score (see name_score).
NAME_FITS_BADGE = 80.0
# When the badge itself had to be corrected for OCR, the name must carry the weight.
NAME_CONFIRMS_CORRECTION = 90.0
# A first name given only as its initial fits at most this well: enough for an exact badge,
# never enough to confirm an OCR-corrected one.
INITIAL_SCORE = 85.0
# A name part scoring below this caps the combined score at that part's score.
NAME_PART_FLOOR = 65.0
# A surname read this well (the same letters but a slip) lets the given names be compared
# with the letters a hand writes alike taken as one (see _hand_score).
SURNAME_HOLDS = 90.0
# ... and must then fit all but nearly exactly: the look-alikes explain the difference.
HAND_ALIKE_FITS = 95.0
# Instructors have no badge on the paper: the name has to carry it alone.
INSTRUCTOR_NAME_THRESHOLD = 85.0
# Title: token-set similarity after dropping generic words, and the title read must cover at
# least half of the catalog title's letters. "De-escalation" ~ "De-escalation Techniques"
# scores 100 with coverage 0.55; "Firearms Qualification" scores about 40.
TITLE_FITS = 80.0
TITLE_MIN_COVERAGE = 0.5

# Methods a MatchResult can report.
EXACT = "exact"
SEPARATORS = "separators"
CA_CONTROL = "ca_control_number"
OCR_CORRECTED = "ocr_corrected"
# Attributed for a reviewer to confirm, never credited: the badge read is one character off
# one roster badge whose holder's name fits (a dropped, doubled or misread digit).
NEAR_BADGE = "near_badge"
NO_MATCH = "none"
AMBIGUOUS = "ambiguous"
CONFLICT = "conflict"
NO_INPUT = "no_input"


@dataclass(frozen=True)
class Candidate:
    """A close reference row offered to the reviewer (never used to credit)."""

    id: int
    label: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "score": round(self.score, 1)}


@dataclass(frozen=True)
class MatchResult(Generic[T]):
    """The outcome of one matcher.

    Attributes:
        item: the matched reference row, or ``None``.
        score: 0-100; how well the evidence fits ``item`` (or the best rejected option).
        why: one sentence for the explanation and the log.
        method: ``exact`` | ``separators`` | ``ca_control_number`` | ``ocr_corrected`` |
            ``near_badge`` | ``none`` | ``ambiguous`` | ``conflict`` | ``no_input``.
        candidates: up to three closest rows for the review screen.
        corrected_to: the reference key accepted when it differs from what was read.
    """

    item: T | None
    score: float
    why: str
    method: str
    candidates: tuple[Candidate, ...] = field(default=())
    corrected_to: str | None = None

    @property
    def matched(self) -> bool:
        """An item was matched for good (a tentative attribution is not a match)."""
        return self.item is not None and not self.tentative

    @property
    def tentative(self) -> bool:
        """``item`` is a suggestion for the reviewer: the record is attributed, not matched."""
        return self.method == NEAR_BADGE

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form for ``TrainingRecord.explanation``."""
        return {
            "id": getattr(self.item, "id", None),
            "score": round(self.score, 1),
            "method": self.method,
            "why": self.why,
            "corrected_to": self.corrected_to,
            "candidates": [c.to_dict() for c in self.candidates],
        }


def _none(why: str, method: str = NO_MATCH, score: float = 0.0, candidates=()) -> MatchResult:
    log.debug("no match (%s): %s", method, why)
    return MatchResult(None, score, why, method, tuple(candidates))


# --- names ---------------------------------------------------------------------------------

# Digits never belong in a name: read them as the letters tesseract took them for.
_OCR_NAME = str.maketrans(
    {"0": "o", "1": "l", "5": "s", "8": "b", "6": "g", "2": "z", "|": "l", "$": "s", "@": "a"}
)
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_HYPHENS = re.compile("[-\u2010\u2011\u2012\u2013\u2014\u2212]")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Ranks and labels: dropped from names before comparing.
_TITLES = {
    "officer",
    "ofc",
    "off",
    "sgt",
    "sergeant",
    "deputy",
    "dep",
    "det",
    "detective",
    "cpl",
    "corporal",
    "lt",
    "lieutenant",
    "capt",
    "captain",
    "trooper",
    "tpr",
    "chief",
    "mr",
    "mrs",
    "ms",
    "dr",
    "agent",
    "po",
    "cadet",
    # labels a reader may leave in front of a name
    "instructor",
    "instr",
    "trainer",
    "facilitator",
    "presenter",
    "name",
}


def _fold(text: str) -> str:
    """Lower case, accents off, OCR digits to letters, apostrophes out."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _APOSTROPHES.sub("", text.translate(_OCR_NAME))


def _name_tokens(text: str | None, *, join_hyphens: bool) -> list[str]:
    """Name words in "first ... last" order: "Smith, John A., Jr." -> john a smith."""
    if not text:
        return []
    # cached: a sheet's rows are each scored against every roster name (rival check)
    return list(_tokens_of(text, join_hyphens))


@lru_cache(maxsize=8192)
def _tokens_of(text: str, join_hyphens: bool) -> tuple[str, ...]:
    folded = _HYPHENS.sub("" if join_hyphens else " ", _fold(text))
    parts = []
    for part in folded.split(","):
        words = [w for w in re.findall(r"[a-z]+", part) if w not in _SUFFIXES | _TITLES]
        if words:
            parts.append(words)
    if not parts:
        return ()
    # "Last, First Middle": the part before the first comma is the surname.
    return tuple([w for p in parts[1:] for w in p] + parts[0] if len(parts) > 1 else parts[0])


def _first_score(given: list[str], first: list[str]) -> tuple[float, bool]:
    """(score of the given names against the reference first name, given as an initial?)."""
    if not given or not first:
        return 0.0, False
    if len(given[0]) == 1:  # an initial: "J. Smith"
        return (INITIAL_SCORE if given[0] == first[0][0] else 0.0), True
    scores = [fuzz.ratio(given[0], first[0])]
    if len(first) > 1:  # "Mary Ann" printed as "Maryann" or "Mary Ann"
        scores.append(fuzz.ratio("".join(given[: len(first)]), "".join(first)))
        scores.append(fuzz.ratio(given[0], "".join(first)))
    return max(scores), False


def _combine(first: tuple[float, bool], last: float) -> float:
    score, initial = first
    low = min(score, last)
    if low < NAME_PART_FLOOR:
        return low
    mean = (score + last) / 2
    return min(mean, INITIAL_SCORE) if initial else mean


def name_score(read: str | None, first_name: str, last_name: str) -> float:
    """How well a name as read fits a person's first and last name (0-100).

    Tolerates "Last, First", middle names and initials, suffixes and ranks, case, hyphens and
    apostrophes, compound surnames split or joined, and digits OCR put in place of letters.
    The first and the last name are scored separately; a part scoring below 65 caps the total,
    so "Jane Smith" does not fit "John Smith" however well the surnames agree.

    Args:
        read: the name as read from the page.
        first_name: the reference first name (may hold several words).
        last_name: the reference surname (may hold several words).

    Returns:
        The best score over the plausible splits of ``read`` into given names and surname.
    """
    best = 0.0
    for join in (True, False):
        tokens = _name_tokens(read, join_hyphens=join)
        first = _name_tokens(first_name, join_hyphens=join)
        last = "".join(_name_tokens(last_name, join_hyphens=join))
        if not tokens or not last:
            continue
        for k in range(1, max(2, len(tokens))):  # surname = the last k words ...
            tail, given = "".join(tokens[-k:]), tokens[:-k]
            best = max(best, _combine(_first_score(given, first), fuzz.ratio(tail, last)))
            # ... or the first k words, for rosters printed "SMITH JOHN" without a comma
            head, rest = "".join(tokens[:k]), tokens[k:]
            best = max(best, _combine(_first_score(rest, first), fuzz.ratio(head, last)))
    return best


def _hand_score(name: str, officer: Officer) -> float:
    """How well ``name`` fits ``officer`` with handwriting's look-alike letters as one, when
    its surname fits as read (>= :data:`SURNAME_HOLDS`); else 0."""
    def tokens(text: str) -> list[str]:
        return _name_tokens(text, join_hyphens=True)

    last = "".join(tokens(officer.last_name))
    read = tokens(name)
    if not last or not any(fuzz.ratio("".join(read[i:j]), last) >= SURNAME_HOLDS
                           for i in range(len(read)) for j in range(i + 1, len(read) + 1)):
        return 0.0
    return name_score(" ".join(read).translate(HAND_ALIKE),
                      " ".join(tokens(officer.first_name)).translate(HAND_ALIKE),
                      last.translate(HAND_ALIKE))


def _officer_label(o: Officer) -> str:
    return f"{o.full_name} #{o.badge_number}"


@dataclass(frozen=True)
class Roster:
    """The roster indexed for matching.

    Badges are looked up, not scanned, and only officers whose surname is close to some run
    of the words read are scored by :func:`name_score` (a rival needs a surname part of at
    least :data:`NAME_PART_FLOOR`). A state-wide roster holds tens of thousands of officers;
    scoring every one of them for every sign-in row would cost seconds per record. Build it
    once per batch of records (``Roster.of``) and pass it where a sequence of officers goes.
    """

    officers: tuple[Officer, ...]
    by_badge: dict[str, tuple[Officer, ...]]
    by_skeleton: dict[str, tuple[Officer, ...]]
    badge_keys: tuple[str, ...]  # parallel to ``officers``
    surnames: tuple[str, ...]  # surname keys (hyphens joined and split) ...
    owners: tuple[int, ...]  # ... and the index in ``officers`` each belongs to

    @classmethod
    def of(cls, officers: Sequence[Officer] | Roster) -> Roster:
        if isinstance(officers, Roster):
            return officers
        officers = tuple(officers)
        by_badge: dict[str, list[Officer]] = {}
        by_skeleton: dict[str, list[Officer]] = {}
        surnames, owners = [], []
        for i, o in enumerate(officers):
            by_badge.setdefault(normalize_badge(o.badge_number), []).append(o)
            by_skeleton.setdefault(ocr_skeleton(o.badge_number, badge=True), []).append(o)
            for key in {"".join(_name_tokens(o.last_name, join_hyphens=j)) for j in (True, False)}:
                surnames.append(key)
                owners.append(i)
        return cls(
            officers,
            {k: tuple(v) for k, v in by_badge.items()},
            {k: tuple(v) for k, v in by_skeleton.items()},
            tuple(normalize_badge(o.badge_number) for o in officers),
            tuple(surnames),
            tuple(owners),
        )

    def surname_near(self, name: str) -> list[Officer]:
        """Officers whose surname fits some run of the words of ``name`` >= the part floor.

        Exactly the officers :func:`name_score` can score at :data:`NAME_PART_FLOOR` or more.
        """
        runs = set()
        for join in (True, False):
            tokens = _name_tokens(name, join_hyphens=join)
            for k in range(1, max(2, len(tokens))):
                runs.update(("".join(tokens[-k:]), "".join(tokens[:k])))
        hits: set[int] = set()
        for run in runs - {""}:
            for _key, _score, at in process.extract(
                run, self.surnames, scorer=fuzz.ratio, score_cutoff=NAME_PART_FLOOR, limit=None
            ):
                hits.add(self.owners[at])
        return [self.officers[i] for i in sorted(hits)]


def officer_candidates(
    officers: Sequence[Officer] | Roster, name: str | None, badge: str | None, limit: int = 3
) -> tuple[Candidate, ...]:
    """The closest roster officers by name or badge, for the reviewer. Never used to credit.

    Scored exactly over the officers whose surname or badge is near what was read; the whole
    roster is scored only when fewer than ``limit`` of those come close.
    """
    roster = Roster.of(officers)
    key = normalize_badge(badge)
    near = set(roster.surname_near(name)) if name else set()
    if key:
        near.update(roster.officers[at] for _b, _s, at in process.extract(
            key, roster.badge_keys, scorer=fuzz.ratio, limit=limit))
    scored = _officer_scores(near, name, key)
    if sum(c.score >= NAME_PART_FLOOR for c in scored) < limit:
        scored = _officer_scores(roster.officers, name, key)
    return tuple(sorted(scored, key=lambda c: (-c.score, c.id))[:limit])


def _officer_scores(officers: Iterable[Officer], name: str | None, key: str) -> list[Candidate]:
    scored = []
    for o in officers:
        s = name_score(name, o.first_name, o.last_name) if name else 0.0
        if key:
            s = max(s, fuzz.ratio(key, normalize_badge(o.badge_number)))
        scored.append(Candidate(o.id, _officer_label(o), s))
    return scored


def _rival(
    roster: Roster, chosen: Officer, name: str, score: float
) -> tuple[Officer, float] | None:
    """Another officer whose name fits the name read clearly better than ``chosen``'s does."""
    best: tuple[Officer, float] | None = None
    for o in roster.surname_near(name):
        if o.id == chosen.id:
            continue
        s = name_score(name, o.first_name, o.last_name)
        if s >= NAME_CONFIRMS_CORRECTION and s > score and (best is None or s > best[1]):
            best = (o, s)
    return best


def match_officer(
    officers: Sequence[Officer] | Roster, name: str | None, badge: str | None
) -> MatchResult[Officer]:
    """Attribute a record to a roster officer: the badge decides, the name must fit.

    1. No badge read: no match. Two officers with similar names must never be confused, so a
       name alone never attributes a record.
    2. The badge (``#``, ``No.``, spaces, case ignored) is on the roster: the name must fit
       that officer (>= :data:`NAME_FITS_BADGE`) and must not fit another officer clearly
       better; otherwise no match, with the conflict in ``why``.
    3. Otherwise, the badge read may be an OCR misreading: accept the one roster badge it
       could be (several: no match) only if the name also fits well
       (>= :data:`NAME_CONFIRMS_CORRECTION`).

    Args:
        officers: the roster (a :class:`Roster` when matching many records).
        name: the officer's name as read.
        badge: the badge number as read.

    Returns:
        The match, with a reason in ``why`` either way.
    """
    roster = Roster.of(officers)
    key = normalize_badge(badge)
    # Ranking the whole roster is the costly part: only non-matches need it.
    candidates = partial(officer_candidates, roster, name, badge)
    if not key:
        return _none(
            "no badge number was read; a name alone never identifies an officer",
            NO_INPUT,
            candidates=candidates(),
        )
    if not name or not _name_tokens(name, join_hyphens=True):
        return _none(
            f"badge {key} read but no name to confirm it", NO_INPUT, candidates=candidates()
        )
    exact = roster.by_badge.get(key, ())
    if len(exact) > 1:
        labels = ", ".join(_officer_label(o) for o in exact)
        return _none(
            f"badge {key} is held by several roster entries: {labels}",
            AMBIGUOUS,
            candidates=candidates(),
        )
    if exact:
        return _confirm_by_name(roster, exact[0], name, key, NAME_FITS_BADGE, EXACT, candidates)
    near = roster.by_skeleton.get(ocr_skeleton(badge, badge=True), ())
    if len(near) > 1:
        labels = ", ".join(_officer_label(o) for o in near)
        return _none(
            f"badge {key} is not on the roster and could be a misreading of several "
            f"badges ({labels})",
            AMBIGUOUS,
            candidates=candidates(),
        )
    if near:
        return _confirm_by_name(
            roster, near[0], name, key, NAME_CONFIRMS_CORRECTION, OCR_CORRECTED, candidates
        )
    return _near_badge(roster, name, key, candidates)


def _near_badge(
    roster: Roster, name: str, key: str, candidates: Callable[[], tuple[Candidate, ...]]
) -> MatchResult[Officer]:
    """A badge not on the roster that is one character off exactly one officer's badge whose
    holder's name fits well: attributed to that officer for a reviewer to confirm (never
    credited: ``matched`` is False); otherwise no match."""
    not_on = f"badge {key} is not on the roster"
    off_by_one = [
        roster.officers[at]
        for _b, _d, at in process.extract(
            key, roster.badge_keys, scorer=Levenshtein.distance, score_cutoff=1, limit=None
        )
    ]
    fits = [
        (o, s)
        for o in off_by_one
        if (s := name_score(name, o.first_name, o.last_name)) >= NAME_CONFIRMS_CORRECTION
    ]
    if len(fits) != 1 or len(key) < 3:
        return _none(f"{not_on} (a name alone never identifies an officer)",
                     candidates=candidates())  # fmt: skip
    officer, score = fits[0]
    why = (
        f"{not_on}; it is one character off {officer.badge_number}, held by "
        f"{officer.full_name}, whose name fits the name read {name!r} (score {score:.0f}): "
        "attributed for a reviewer to confirm, not credited"
    )
    return MatchResult(officer, score, why, NEAR_BADGE, candidates(), officer.badge_number)


def _confirm_by_name(
    roster: Roster,
    officer: Officer,
    name: str,
    key: str,
    threshold: float,
    method: str,
    candidates: Callable[[], tuple[Candidate, ...]],
) -> MatchResult[Officer]:
    score = name_score(name, officer.first_name, officer.last_name)
    alike = ""
    if score < threshold and method == EXACT \
            and (hand := _hand_score(name, officer)) >= max(threshold, HAND_ALIKE_FITS):
        # the badge is on the roster as read and the surname is: given names that differ
        # only by letters a hand writes alike fit, unless another officer fits as well so
        others = [o for o in roster.surname_near(name) if o.id != officer.id
                  and _hand_score(name, o) >= hand]
        if not others:
            score, alike = hand, " with letters a hand writes alike taken as one"
    badge_says = (
        f"badge {key} is {officer.badge_number}"
        if method == EXACT
        else f"badge {key} read as an OCR misreading of {officer.badge_number}"
    )
    holder = f"{badge_says}, held by {officer.full_name}"
    if score < threshold:
        return _none(
            f"{holder}, but the name read {name!r} does not fit (score {score:.0f} < "
            f"{threshold:.0f}); not attributed to anyone",
            CONFLICT,
            score,
            candidates(),
        )
    rival = _rival(roster, officer, name, score)
    if rival is not None:
        other, other_score = rival
        return _none(
            f"{holder} (name score {score:.0f}), but the name read {name!r} fits "
            f"{_officer_label(other)} better (score {other_score:.0f}); not attributed",
            CONFLICT,
            score,
            candidates(),
        )
    why = f"{holder}; name read {name!r} fits{alike} (score {score:.0f} >= {threshold:.0f})"
    log.debug("officer match: %s", why)
    corrected = officer.badge_number if method == OCR_CORRECTED else None
    return MatchResult(officer, score, why, method, (), corrected)


# --- courses -------------------------------------------------------------------------------


def _course_label(c: Course) -> str:
    return f"{c.post_number} {c.title} ({c.state})"


def course_candidates(
    courses: Sequence[Course], post_number: str | None, title: str | None, limit: int = 3
) -> tuple[Candidate, ...]:
    """The closest catalog courses by POST number or title, for the reviewer."""
    key = compact_key(post_number)
    scored = []
    for c in courses:
        s = fuzz.ratio(key, compact_key(c.post_number)) if key else 0.0
        if title:
            s = max(s, title_score(title, c.title))
        scored.append(Candidate(c.id, _course_label(c), s))
    return tuple(sorted(scored, key=lambda c: (-c.score, c.id))[:limit])


def _ca_prefix(read: str, key_fn: Callable[[str], str]) -> str | None:
    """The course certification part of a California control number, under ``key_fn``."""
    if CA_CONTROL_NUMBER.match(normalize_post_number(read)):
        return key_fn(ca_course_certification_number(read) or "")
    keyed = key_fn(read)  # dashes lost or misread: 14 characters, 4+5+2+3
    return keyed[:9] if len(keyed) == 14 and keyed.isdigit() else None


def _is_ca_certification(course: Course) -> bool:
    return (
        course.state == "CA" and re.fullmatch(r"\d{9}", compact_key(course.post_number)) is not None
    )


def match_course(
    courses: Sequence[Course], post_number: str | None, *, title: str | None = None
) -> MatchResult[Course]:
    """Find the catalog course for a POST number as read.

    Levels, strict to lenient; the first level with any hit decides, and it must have exactly
    one (several: no match, ``ambiguous``):

    1. ``exact``: same normal form (case, spaces, dash variants).
    2. ``separators``: same once every separator is removed (``PER 922`` / ``PER-922``).
    3. ``ocr_corrected``: same once OCR-confusable characters are folded (``l849`` / ``1849``).

    At each level a California control number ``PPPP-CCCCC-YY-NNN`` also matches a California
    catalog entry stored as its course certification number ``PPPP-CCCCC``.

    Args:
        courses: the catalog.
        post_number: the number as read.
        title: the title as read; only ranks the candidates, never picks the course.

    Returns:
        The match, with a reason in ``why`` either way.
    """
    candidates = course_candidates(courses, post_number, title)
    if not normalize_post_number(post_number):
        return _none("no POST number was read", NO_INPUT, candidates=candidates)
    read = post_number or ""
    levels: list[tuple[str, Callable[[str], str], float]] = [
        (EXACT, normalize_post_number, 100.0),
        (SEPARATORS, compact_key, 98.0),
        (OCR_CORRECTED, ocr_skeleton, 90.0),
    ]
    for method, key_fn, score in levels:
        key = key_fn(read)
        hits = [c for c in courses if key_fn(c.post_number) == key]
        how = method
        if not hits:
            prefix = _ca_prefix(read, key_fn)
            if prefix:
                hits = [
                    c
                    for c in courses
                    if _is_ca_certification(c) and key_fn(c.post_number) == prefix
                ]
                how = CA_CONTROL if method == EXACT else f"{CA_CONTROL}+{method}"
        if len(hits) > 1:
            labels = "; ".join(_course_label(c) for c in hits)
            return _none(
                f"POST number {read!r} could be any of: {labels}", AMBIGUOUS, candidates=candidates
            )
        if hits:
            return _course_hit(hits[0], read, how, score, candidates)
    return _none(f"POST number {read!r} is not in the catalog", candidates=candidates)


def _course_hit(
    course: Course, read: str, how: str, score: float, candidates: tuple[Candidate, ...]
) -> MatchResult[Course]:
    explain = {
        EXACT: "is in the catalog",
        SEPARATORS: "matches once separators are ignored",
        OCR_CORRECTED: "matches once OCR-confusable characters are folded (unique)",
    }
    if how.startswith(CA_CONTROL):
        says = f"is a California control number for course certification {course.post_number}"
        if how != CA_CONTROL:
            says += " (after OCR correction)"
    else:
        says = explain[how]
    why = f"POST number {read!r} {says}: {_course_label(course)}"
    log.debug("course match: %s", why)
    corrected = None if how == EXACT else course.post_number
    return MatchResult(course, score, why, how, candidates, corrected)


# --- course titles -------------------------------------------------------------------------

_GENERIC = {
    "the",
    "of",
    "and",
    "for",
    "in",
    "a",
    "an",
    "to",
    "on",
    "course",
    "training",
    "class",
    "certificate",
    "completion",
    "program",
    "programme",
    "project",
    "session",
    "seminar",
    "workshop",
    "hour",
    "hours",
    "hr",
    "hrs",
}


def _title_tokens(text: str, *, join_hyphens: bool, drop_generic: bool = True) -> list[str]:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _HYPHENS.sub("" if join_hyphens else " ", _APOSTROPHES.sub("", text))
    words = re.findall(r"[a-z0-9]+", text)
    return [w for w in words if w not in _GENERIC] if drop_generic else words


def _coverage(read: list[str], ref: list[str]) -> float:
    """Share of the reference title's letters found (fuzzily) among the words read."""
    total = sum(len(t) for t in ref)
    found = sum(len(t) for t in ref if any(fuzz.ratio(t, w) >= 80 for w in read))
    return found / total if total else 0.0


@lru_cache(maxsize=4096)
def _acronyms(title: str) -> frozenset[str]:
    """Short forms of a catalog title: words in parentheses, initials of (nearly) all words.

    "Crisis Intervention Team (CIT) Training" gives ``cit`` (twice over); a bracketed word
    in lower case ("(Online)") is none;
    "ICAT: Integrating Communications, Assessment, and Tactics" gives ``icat``.
    """
    # Only a capitalised word in brackets is a short form: "(CIT)", "(ABLE)". "(Online)" is
    # a word of the title like any other; as a short form it made "Online)" alone fit.
    out = {
        w for p in re.findall(r"\(([^)]*)\)", title)
        for w in _title_tokens(" ".join(re.findall(r"\b[A-Z][A-Z0-9]{1,7}\b", p)),
                               join_hyphens=True)
    }
    words = _title_tokens(re.sub(r"\([^)]*\)", " ", title), join_hyphens=False)
    run = max(3, len(words) - 1)  # an acronym sums up (nearly) the whole title
    for i in range(len(words)):
        for j in range(i + run, len(words) + 1):
            out.add("".join(w[0] for w in words[i:j]))
    return frozenset(a for a in out if len(a) >= 3 and a.isalpha())


@lru_cache(maxsize=16384)  # a batch reads the same few titles against the same catalog
def title_score(read: str | None, course_title: str) -> float:
    """How well a title as read fits a catalog title (0-100).

    Token-set similarity after dropping generic words ("course", "training", "of", ...), over
    both readings of hyphens (joined, split). When the words read cover less than half of the
    catalog title, the score is capped at the coverage: "Techniques" alone does not fit
    "De-escalation Techniques". The title's acronym ("CIT", "ICAT") fits.
    """
    if not read:
        return 0.0
    # "CIT Training" for "Crisis Intervention Team (CIT) Training": every word read is the
    # title's acronym or a word of the title, and at least one is the acronym.
    words = _title_tokens(read, join_hyphens=True)
    short = _acronyms(course_title)
    title_words = set(_title_tokens(course_title, join_hyphens=True))
    if words and any(w in short for w in words) and all(w in short | title_words for w in words):
        return 100.0
    best = 0.0
    for join in (True, False):
        r = _title_tokens(read, join_hyphens=join)
        c = _title_tokens(course_title, join_hyphens=join) or _title_tokens(
            course_title, join_hyphens=join, drop_generic=False
        )
        if not r or not c:
            continue
        score = fuzz.token_set_ratio(" ".join(r), " ".join(c))
        cover = _coverage(r, c)
        if cover < TITLE_MIN_COVERAGE:
            score = min(score, cover * 100)
        best = max(best, score)
    return best


def match_title(read: str | None, course: Course) -> MatchResult[Course]:
    """Does the title read fit the catalog course's title (>= :data:`TITLE_FITS`)?"""
    score = title_score(read, course.title)
    fits = score >= TITLE_FITS
    verdict = "fits" if fits else "does not fit"
    why = (
        f"title read {read!r} {verdict} catalog title {course.title!r} "
        f"(score {score:.0f}, threshold {TITLE_FITS:.0f})"
    )
    return MatchResult(course if fits else None, score, why, EXACT if fits else NO_MATCH)


# --- instructors ---------------------------------------------------------------------------

_INSTRUCTOR_SPLIT = re.compile(r"\s*(?:;|&|/|\band\b|\n)\s*", re.IGNORECASE)


def split_instructor_names(text: str | None) -> list[str]:
    """Several instructors on one line: "A. Reyes; T. Kim", "Reyes & Kim", "Reyes and Kim"."""
    if not text:
        return []
    return [p.strip() for p in _INSTRUCTOR_SPLIT.split(text) if p and p.strip()]


def _split_registry_name(name: str) -> tuple[str, str]:
    tokens = _name_tokens(name, join_hyphens=False)
    if len(tokens) < 2:
        return "", " ".join(tokens)
    return " ".join(tokens[:-1]), tokens[-1]


def _registry_key(name: str) -> str:
    return " ".join(_name_tokens(name, join_hyphens=True))


def instructor_certified(instructor: Instructor, topic: str, on_date: date) -> bool:
    """Certified for ``topic`` on ``on_date`` (``certified_until`` empty: open-ended)."""
    return (
        topic in (instructor.topics or [])
        and instructor.certified_from <= on_date
        and (instructor.certified_until is None or on_date <= instructor.certified_until)
    )


def match_instructor(
    instructors: Sequence[Instructor],
    name: str | None,
    *,
    topics: Iterable[str] = (),
    on_date: date | None = None,
) -> MatchResult[Instructor]:
    """Find the registry instructor named ``name`` (one name; split lists first).

    Registry rows with the same normalised name are one person's certifications: among them
    the one certified for every topic in ``topics`` on ``on_date`` is preferred. Two different
    names both fitting (>= :data:`INSTRUCTOR_NAME_THRESHOLD`) is ambiguous: no match.
    """
    if not name or not _name_tokens(name, join_hyphens=True):
        return _none("no instructor name was read", NO_INPUT)
    scored = []
    for i in instructors:
        first, last = _split_registry_name(i.name)
        scored.append((name_score(name, first, last) if first else 0.0, i))
    candidates = tuple(
        Candidate(i.id, f"{i.name} ({i.certification_number})", s)
        for s, i in sorted(scored, key=lambda p: (-p[0], p[1].id))[:3]
    )
    fitting = [(s, i) for s, i in scored if s >= INSTRUCTOR_NAME_THRESHOLD]
    people = {_registry_key(i.name) for _, i in fitting}
    if not fitting:
        best = candidates[0].score if candidates else 0.0
        return _none(
            f"instructor {name!r} is not in the registry", score=best, candidates=candidates
        )
    if len(people) > 1:
        labels = ", ".join(sorted({i.name for _, i in fitting}))
        return _none(
            f"instructor {name!r} could be any of: {labels}", AMBIGUOUS, candidates=candidates
        )
    topics = list(topics)
    rows = sorted(fitting, key=lambda p: (-p[0], p[1].id))
    if on_date is not None and topics:
        certified = [p for p in rows if all(instructor_certified(p[1], t, on_date) for t in topics)]
        rows = certified or rows
    score, chosen = rows[0]
    why = (
        f"instructor {name!r} is {chosen.name} (certification {chosen.certification_number}, "
        f"score {score:.0f})"
    )
    return MatchResult(chosen, score, why, EXACT, candidates)
