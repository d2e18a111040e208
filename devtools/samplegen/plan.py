"""Planning a corpus: which cases, on which pages, in which files.

Each certificate case is drawn by rejection sampling: a candidate (officer, course, date,
instructor, hours) is built for the case, and kept only if :func:`rules.expected_reasons`
gives exactly the intended reason set (none for a valid case) and the (officer, course, date)
triple is not already used. So a valid case satisfies every rule, and an invalid one trips
exactly one.

Slots alternate valid and invalid so that about 40 % of pages are invalid; invalid kinds are
dealt from a shuffled deck so that a corpus of ~35 pages or more covers every reason code.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from devtools.samplegen import wording as wd
from devtools.samplegen.certificates import LAYOUTS
from devtools.samplegen.degrade import ALL_CONDITIONS, CONDITIONS, container_weights
from devtools.samplegen.otherdocs import KINDS as OTHER_KINDS
from devtools.samplegen.otherdocs import OtherFacts
from devtools.samplegen.reference import (
    DATE_MAX,
    DATE_MIN,
    Course,
    Officer,
    Person,
    Reference,
    badge_from_shape,
    badge_shapes,
)
from devtools.samplegen.rules import Claim, expected_reasons, requirements

INVALID_FRACTION = 0.4
BUNDLE_PROBABILITY = 0.12
_TRIES = 600

# Invalid kinds, as "reason:variant". Every certificate reason code of the contract appears.
INVALID_KINDS = (
    "officer_not_on_roster:unknown_person",
    "officer_not_on_roster:badge_name_conflict",
    "post_number_unknown:unknown_number",
    "course_title_mismatch:other_course_title",
    "outside_approval_window:outside_window",
    "superseded_standard:old_standard",
    "scenario_required:classroom_course",
    "instructor_not_certified:uncertified",
    "hours_exceed_course:hours_over",
    "missing_field:no_badge",
    "missing_field:no_date",
    "missing_field:no_hours",
    "duplicate:re_rendered",
    "not_training_document:other",
)


@dataclass
class PlannedRecord:
    """One certificate's facts and its expected outcome.

    Attributes:
        case: ``valid`` or the reason code the case exercises.
        variant: finer description (``expired``, ``no_badge``, ``unknown_person``...).
        officer: the roster officer the certificate is about (``None``: nobody on the roster).
        person: the name printed.
        badge: the badge printed (``None``: not printed).
        course: the catalog course of the printed number (``None``: unknown number).
        post_number: the number printed (a CA control number may extend the catalog's).
        title: the course title printed.
        day: training (completion) date, ``None`` when not printed.
        date_start: first day of a multi-day course, printed as a range.
        hours: documented hours, ``None`` when not printed.
        instructor: the instructor printed, if any.
        location: the place printed.
        fmt: the delivery format of the course.
        duplicate_of: for ``duplicate`` cases, the original record.
    """

    case: str
    variant: str
    state: str
    officer: Officer | None
    person: Person
    role: str | None
    badge: str | None
    course: Course | None
    post_number: str
    title: str
    day: date | None
    date_start: date | None
    hours: float | None
    instructor: Person | None
    location: str
    fmt: str
    duplicate_of: PlannedRecord | None = None
    # Where the record ended up; set when the document is planned.
    doc_index: int = -1
    page: int = 0
    condition: str = ""
    layout: str = ""
    rel_path: str = ""

    def claim(self) -> Claim:
        """The record as :mod:`rules` sees it."""
        return Claim(self.person, self.badge, self.day, self.hours,
                     self.course.post_number if self.course else self.post_number,
                     self.title, self.instructor)

    @property
    def expected_status(self) -> str:
        """``verified``, ``duplicate`` or ``needs_review`` (contract statuses)."""
        if self.case == "valid":
            return "verified"
        return "duplicate" if self.case == "duplicate" else "needs_review"

    @property
    def expected_reasons(self) -> list[str]:
        """Reason codes that must be present (the case's own; none when valid)."""
        return [] if self.case == "valid" else [self.case]

    def key(self) -> tuple[str, str, date | None]:
        """(who, course, date): two records with the same key are the same training."""
        who = self.officer.badge_number if self.officer else (self.badge or self.person.full)
        what = self.course.post_number if self.course else self.post_number
        return who, what, self.day


@dataclass
class PlannedPage:
    """One page of a document: a certificate or a non-training page."""

    kind: str  # "certificate" or one of otherdocs.KINDS
    layout: str
    record: PlannedRecord | None = None
    other: OtherFacts | None = None


@dataclass
class PlannedDocument:
    """One output file."""

    index: int
    condition: str
    container: str
    rel_path: str
    pages: list[PlannedPage] = field(default_factory=list)


# --- dates -----------------------------------------------------------------------------------

Interval = tuple[date, date]
_DAY = timedelta(days=1)


def _clip(intervals: list[Interval], lo: date, hi: date) -> list[Interval]:
    return [(max(a, lo), min(b, hi)) for a, b in intervals if max(a, lo) <= min(b, hi)]


def date_domain(ref: Reference, course: Course, mode: str) -> list[Interval]:
    """Training dates for ``course`` that give the wanted outcome.

    Args:
        ref: reference data.
        course: the course.
        mode: ``valid`` (inside the approval window while the course's standard is in force),
            ``outside_window`` (its standard in force, outside the window) or ``superseded``
            (inside the window, after a newer standard took effect).

    Returns:
        Disjoint intervals inside [DATE_MIN, DATE_MAX], possibly none.
    """
    own = ref.standard(course.standard)
    versions = ref.standards_for(course.state, own.topic)
    later = [s.effective_from for s in versions if s.effective_from > own.effective_from]
    own_hi = (min(later) - _DAY) if later else DATE_MAX
    win_lo, win_hi = course.approved_from, course.approved_until or DATE_MAX
    if mode == "valid":
        out = _clip([(max(own.effective_from, win_lo), min(own_hi, win_hi))], DATE_MIN, DATE_MAX)
    elif mode == "outside_window":
        out = [(own.effective_from, win_lo - _DAY), (win_hi + _DAY, own_hi)]
    elif mode == "superseded":
        out = [(own_hi + _DAY, win_hi)] if later else []
    else:
        raise ValueError(mode)
    return _clip([iv for iv in out if iv[0] <= iv[1]], DATE_MIN, DATE_MAX)


def sample_date(rng: random.Random, intervals: list[Interval]) -> date | None:
    """A date from ``intervals``: half the time from 2025 on if possible, mostly weekdays."""
    if not intervals:
        return None
    recent = _clip(intervals, date(2025, 1, 1), DATE_MAX)
    pool = recent if recent and rng.random() < 0.5 else intervals
    lengths = [(b - a).days + 1 for a, b in pool]
    for _ in range(8):
        a, b = rng.choices(pool, weights=lengths)[0]
        day = a + timedelta(days=rng.randrange((b - a).days + 1))
        if day.weekday() < 5 or rng.random() < 0.1:
            return day
    return day


# --- the pieces of a case ----------------------------------------------------------------------


def _pick_course(rng: random.Random, courses: list[Course]) -> Course:
    weights = [3 if "de-escalation" in c.topics else 1 for c in courses]
    return rng.choices(courses, weights=weights)[0]


def _pick_officer(rng: random.Random, ref: Reference, course: Course) -> Officer | None:
    roles = ref.standard(course.standard).applies_to
    pool = [o for o in ref.officers if o.state == course.state and o.role in roles]
    return rng.choice(pool) if pool else None


def _needed_topics(ref: Reference, course: Course, day: date) -> set[str]:
    return {s.topic for s in requirements(ref, course, day) if s.certified_instructor_required}


def _pick_instructor(rng: random.Random, ref: Reference, course: Course, day: date,
                     mode: str) -> tuple[bool, Person | None, str]:
    """(ok, instructor, variant) for ``mode`` ``valid`` or ``uncertified``."""
    needed = _needed_topics(ref, course, day)
    if mode == "valid":
        if needed:
            pool = [i for i in ref.instructors if all(i.certified_on(day, t) for t in needed)]
            home = [i for i in pool if i.home_state == course.state]
            pool = home if home and rng.random() < 0.8 else pool
            return (bool(pool), rng.choice(pool).person if pool else None, "certified")
        roll = rng.random()
        if roll < 0.5:
            local = [i for i in ref.instructors if i.home_state == course.state]
            return True, rng.choice(local).person, "registered"
        if course.format == "online" and roll > 0.8:
            return True, None, "none"
        return True, rng.choice(ref.outsiders), "unregistered"
    if not needed:
        return False, None, ""
    variant = rng.choice(("expired", "not_yet_certified", "wrong_topic", "unregistered"))
    if variant == "unregistered":
        return True, rng.choice(ref.outsiders), variant
    checks: dict[str, Callable] = {
        "expired": lambda i: i.certified_until is not None and i.certified_until < day,
        "not_yet_certified": lambda i: i.certified_from > day,
        "wrong_topic": lambda i: not needed & set(i.topics),
    }
    pool = [i for i in ref.instructors if checks[variant](i)]
    if not pool:
        return False, None, ""
    return True, rng.choice(pool).person, variant


def _pick_hours(rng: random.Random, course: Course) -> float:
    if course.hours <= 2 or rng.random() < 0.7:
        return course.hours
    halves = range(max(2, int(course.hours)), int(course.hours * 2))  # in half hours
    return rng.choice(list(halves)) / 2


def _printed_post(rng: random.Random, course: Course, day: date) -> str:
    if course.state == "CA" and rng.random() < 0.3:
        fiscal = (day.year if day.month >= 7 else day.year - 1) % 100
        return f"{course.post_number}-{fiscal:02d}-{rng.randrange(1, 40):03d}"
    if course.post_number.startswith("CJK ") and rng.random() < 0.3:
        return course.post_number.replace(" ", "")
    return course.post_number


def _printed_title(rng: random.Random, course: Course) -> str:
    if course.title_variants and rng.random() < 0.25:
        return rng.choice(course.title_variants)
    return course.title


def _base_record(rng: random.Random, ref: Reference, courses: list[Course], date_mode: str,
                 instructor_mode: str, case: str, variant: str) -> PlannedRecord | None:
    """A candidate record; ``None`` when the drawn course cannot give the wanted dates."""
    course = _pick_course(rng, courses)
    domain = date_domain(ref, course, date_mode)
    day = sample_date(rng, domain)
    officer = _pick_officer(rng, ref, course)
    if day is None or officer is None:
        return None
    ok, instructor, instr_variant = _pick_instructor(rng, ref, course, day, instructor_mode)
    if not ok:
        return None
    if instructor_mode == "uncertified":
        variant = instr_variant
    start = None
    if course.hours >= 16 and rng.random() < 0.35:
        start = day - timedelta(days=math.ceil(course.hours / 8) - 1)
        # Every day of a printed range gets the same outcome as its last day.
        if not any(a <= start and day <= b for a, b in domain):
            start = None
    return PlannedRecord(
        case=case, variant=variant, state=course.state, officer=officer, person=officer.person,
        role=officer.role, badge=officer.badge_number, course=course,
        post_number=_printed_post(rng, course, day), title=_printed_title(rng, course),
        day=day, date_start=start, hours=_pick_hours(rng, course), instructor=instructor,
        location=wd.place(rng, course.state, course.format), fmt=course.format)


# --- case builders ---------------------------------------------------------------------------


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _far_from(value: str, others: list[str]) -> bool:
    """At least two edits from every ``other`` (ignoring spaces, dashes and case)."""
    def norm(s: str) -> str:
        return "".join(ch for ch in s.upper() if ch.isalnum())
    return all(_levenshtein(norm(value), norm(o)) >= 2 for o in others)


_UNKNOWN_SHAPES = {"TX": ("dddd", "ddddd"), "CA": ("dddd-ddddd",), "FL": ("CJK dddd", "dddd"),
                   "WA": ("0ddd",), "GA": ("TCdddd",)}
_UNKNOWN_TITLES = ("Tactical Decision Making for Patrol",
                   "Community Policing and Conflict Resolution", "Procedural Justice Fundamentals",
                   "Managing Encounters with Persons in Crisis", "Officer Wellness and Resilience",
                   "Verbal Tactics for Corrections Officers")


def _unknown_post_number(rng: random.Random, ref: Reference, state: str) -> str:
    known = [c.post_number for c in ref.courses]
    while True:
        number = badge_from_shape(rng, rng.choice(_UNKNOWN_SHAPES[state]))
        if _far_from(number, known):
            return number


def _unknown_badge(rng: random.Random, ref: Reference, state: str) -> str:
    known = [o.badge_number for o in ref.officers]
    while True:
        badge = badge_from_shape(rng, rng.choice(badge_shapes(state)))
        if _far_from(badge, known):
            return badge


def _mutate(rng: random.Random, ref: Reference, rec: PlannedRecord, kind: str) -> bool:
    """Turn a valid candidate into an invalid one of ``kind``; False if it cannot be."""
    if kind == "officer_not_on_roster:unknown_person":
        rec.person, rec.officer = rng.choice(ref.outsiders), None
        rec.badge, rec.role = _unknown_badge(rng, ref, rec.state), None
    elif kind == "officer_not_on_roster:badge_name_conflict":
        others = [o for o in ref.officers if o.state == rec.state
                  and o.person.last != rec.person.last and o.person.first != rec.person.first]
        if not others:
            return False
        rec.person, rec.officer = rng.choice(others).person, None
    elif kind == "post_number_unknown:unknown_number":
        rec.post_number = _unknown_post_number(rng, ref, rec.state)
        rec.title, rec.course = rng.choice(_UNKNOWN_TITLES), None
    elif kind == "course_title_mismatch:other_course_title":
        assert rec.course is not None
        topics = set(rec.course.topics)
        pool = [c for c in ref.courses if not topics & set(c.topics)]
        rec.title = rng.choice(pool).title
    elif kind == "hours_exceed_course:hours_over":
        assert rec.course is not None
        rec.hours = rec.course.hours + rng.choice((0.5, 1, 2, 4, 8, rec.course.hours))
    elif kind == "missing_field:no_badge":
        rec.badge = None
    elif kind == "missing_field:no_date":
        rec.day = rec.date_start = None
    elif kind == "missing_field:no_hours":
        rec.hours = None
    return True


_MUTATIONS = frozenset(k for k in INVALID_KINDS if k.split(":")[0] in (
    "officer_not_on_roster", "post_number_unknown", "course_title_mismatch",
    "hours_exceed_course", "missing_field"))


def _courses_for(ref: Reference, kind: str) -> list[Course]:
    courses = list(ref.courses)
    if kind.startswith("scenario_required"):
        return [c for c in courses if c.format in ("classroom", "online")
                and any(s.scenario_required for s in ref.standards
                        if s.state == c.state and s.topic in c.topics)]
    if kind.startswith("instructor_not_certified"):
        return [c for c in courses if any(s.certified_instructor_required for s in ref.standards
                                          if s.state == c.state and s.topic in c.topics)]
    if kind.startswith("course_title_mismatch"):
        return [c for c in courses if "de-escalation" in c.topics]
    return courses


def build_case(rng: random.Random, ref: Reference, kind: str,
               used: set[tuple[str, str, date | None]]) -> PlannedRecord | None:
    """Draw a certificate record for ``kind`` (``valid`` or one of :data:`INVALID_KINDS`).

    Returns:
        A record whose expected reasons are exactly the intended ones and whose
        (officer, course, date) is not in ``used``; ``None`` if none was found.
    """
    case, _, variant = kind.partition(":")
    date_mode = {"outside_approval_window": "outside_window",
                 "superseded_standard": "superseded"}.get(case, "valid")
    instructor_mode = "uncertified" if case == "instructor_not_certified" else "valid"
    target = set() if case == "valid" else {case}
    courses = _courses_for(ref, kind)
    for _ in range(_TRIES):
        rec = _base_record(rng, ref, courses, date_mode, instructor_mode, case, variant or case)
        if rec is None:
            continue
        # A mutated case starts from a valid one, so that it fails only where it was changed.
        if kind in _MUTATIONS and (expected_reasons(ref, rec.claim())
                                   or not _mutate(rng, ref, rec, kind)):
            continue
        if expected_reasons(ref, rec.claim()) == target and rec.key() not in used:
            used.add(rec.key())
            return rec
    return None


def duplicate_of(rng: random.Random, original: PlannedRecord) -> PlannedRecord:
    """The same training again, as another document will print it."""
    return PlannedRecord(
        case="duplicate", variant="re_rendered", state=original.state, officer=original.officer,
        person=original.person, role=original.role, badge=original.badge,
        course=original.course, post_number=original.post_number, title=original.title,
        day=original.day, date_start=original.date_start, hours=original.hours,
        instructor=original.instructor, location=original.location, fmt=original.fmt,
        duplicate_of=original)


def build_other(rng: random.Random, ref: Reference) -> tuple[str, OtherFacts]:
    """A non-training page: its kind and what it mentions."""
    course = rng.choice(ref.courses)
    officers = [o for o in ref.officers if o.state == course.state]
    people = tuple(o.person for o in rng.sample(officers, min(len(officers), rng.randint(2, 4))))
    day = DATE_MIN + timedelta(days=rng.randrange((DATE_MAX - DATE_MIN).days))
    facts = OtherFacts(state=course.state, post_number=course.post_number,
                       course_title=course.title, hours=course.hours, day=day, people=people,
                       sender=rng.choice(ref.outsiders),
                       agency=rng.choice(wd.AGENCIES[course.state]),
                       issuer=rng.choice(wd.VENDORS + wd.ISSUERS[course.state]))
    return rng.choice(OTHER_KINDS), facts


# --- documents -------------------------------------------------------------------------------


class _Cycle:
    """Deal items round-robin from a shuffled deck, reshuffling each round."""

    def __init__(self, rng: random.Random, items: tuple[str, ...]) -> None:
        self.rng, self.items, self.deck = rng, items, []

    def next(self) -> str:
        if not self.deck:
            self.deck = list(self.items)
            self.rng.shuffle(self.deck)
        return self.deck.pop()


class _KindDeck:
    """Invalid kinds dealt in shuffled rounds; a kind that cannot be used now waits."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.pending = rng, []

    def take(self, feasible: Callable[[str], bool]) -> str | None:
        if not self.pending:
            self.pending = list(INVALID_KINDS)
            self.rng.shuffle(self.pending)
        for i, kind in enumerate(self.pending):
            if feasible(kind):
                return self.pending.pop(i)
        return None

    def put_back(self, kind: str) -> None:
        self.pending.append(kind)


def _extension(rng: random.Random, container: str, condition: str) -> str:
    if condition == "phone":
        return ".JPG"
    return {"pdf": ".pdf", "png": ".png", "jpeg": rng.choice((".jpg", ".jpeg")),
            "tiff": rng.choice((".tif", ".tiff"))}[container]


def _file_name(index: int, condition: str, ext: str) -> str:
    prefix = {"phone": "IMG_", "clean": "doc_", "fax": "fax_"}.get(condition, "scan_")
    return f"docs/{condition}/{prefix}{index + 1:04d}{ext}"


@dataclass
class _PlanState:
    rng: random.Random
    ref: Reference
    used: set = field(default_factory=set)
    records: list[PlannedRecord] = field(default_factory=list)
    duplicated: set[int] = field(default_factory=set)


def plan_corpus(ref: Reference, seed: int, count: int,
                conditions: tuple[str, ...] = CONDITIONS,
                include_invalid: bool = True,
                layouts: tuple[str, ...] = LAYOUTS) -> list[PlannedDocument]:
    """Plan ``count`` documents: their condition, container, file name and pages.

    Args:
        ref: reference data.
        seed: the corpus seed.
        count: number of files.
        conditions: scan conditions to use, dealt round-robin.
        include_invalid: plan invalid cases, duplicates and non-training pages (about 40 %
            of pages); otherwise every page is a valid certificate.
        layouts: certificate layouts dealt round-robin (the classic ones by default; the
            variety profile passes ``variety_certs.VARIETY_LAYOUTS``).

    Returns:
        The documents in file-name order within each condition folder. A duplicate's file
        sorts after its original's (its condition name is not smaller and its index is larger).
    """
    unknown = set(conditions) - set(ALL_CONDITIONS)
    if unknown:
        raise ValueError(f"unknown conditions: {sorted(unknown)}")
    rng = random.Random(f"credence-plan-{seed}")
    state = _PlanState(rng, ref)
    cond_cycle, layout_cycle, deck = _Cycle(rng, tuple(conditions)), _Cycle(rng, layouts), \
        _KindDeck(rng)
    slot = 0
    docs = []
    for index in range(count):
        condition = cond_cycle.next()
        n_pages = 1
        if condition != "phone" and rng.random() < BUNDLE_PROBABILITY:
            n_pages = rng.choice((2, 2, 3))
        weights = container_weights(condition, n_pages)
        names = sorted(weights)
        container = rng.choices(names, weights=[weights[n] for n in names])[0]
        doc = PlannedDocument(index, condition, container,
                              _file_name(index, condition, _extension(rng, container, condition)))
        for page_no in range(1, n_pages + 1):
            invalid = include_invalid and (math.floor((slot + 1) * INVALID_FRACTION)
                                           > math.floor(slot * INVALID_FRACTION))
            slot += 1
            page = _plan_page(state, deck, layout_cycle, doc, invalid)
            if page.record:
                page.record.doc_index, page.record.page = index, page_no
                page.record.condition, page.record.layout = condition, page.layout
                page.record.rel_path = doc.rel_path
                state.records.append(page.record)
            doc.pages.append(page)
        docs.append(doc)
    return docs


def _plan_page(st: _PlanState, deck: _KindDeck, layouts: _Cycle, doc: PlannedDocument,
               invalid: bool) -> PlannedPage:
    def originals() -> list[PlannedRecord]:
        return [r for r in st.records if r.case == "valid" and r.doc_index < doc.index
                and r.condition <= doc.condition and id(r) not in st.duplicated]

    kind = deck.take(lambda k: k != "duplicate:re_rendered" or bool(originals())) \
        if invalid else None
    if kind == "not_training_document:other":
        other_kind, facts = build_other(st.rng, st.ref)
        return PlannedPage(other_kind, other_kind, other=facts)
    if kind == "duplicate:re_rendered":
        original = st.rng.choice(originals())
        st.duplicated.add(id(original))
        layout = layouts.next()
        while layout == original.layout:
            layout = layouts.next()
        return PlannedPage("certificate", layout, record=duplicate_of(st.rng, original))
    record = build_case(st.rng, st.ref, kind, st.used) if kind else None
    if record is None:
        if kind:
            deck.put_back(kind)
        record = build_case(st.rng, st.ref, "valid", st.used)
        if record is None:  # pragma: no cover - the catalog always has valid dates
            raise RuntimeError("could not plan a valid certificate")
    layout = layouts.next()
    if record.fmt == "online" and "vendor" in layouts.items and st.rng.random() < 0.35:
        layout = "vendor"
    return PlannedPage("certificate", layout, record=record)
