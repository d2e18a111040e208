"""Reference data for the sample corpus: catalog, standards, roster and instructor registry.

The catalog, standards and instructors are fixed tables chosen so that every verification rule
in the contract can be exercised (closed approval windows, a superseded 2020 standard, a state
that requires scenario training, states that require certified instructors, expired
certifications). The roster is drawn from the seed: varied names (hyphens, apostrophes,
two-part surnames, suffixes), near-identical name pairs with different badges, and badge
numbers in several shapes, many holding characters OCR confuses (0/O, 1/l, 5/S, 8/B).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

D = date.fromisoformat

# Training dates in the corpus fall inside this span; it is fixed, not "today", so that a
# seed always gives the same corpus.
DATE_MIN = date(2021, 1, 4)
DATE_MAX = date(2026, 3, 20)

STATES = ("TX", "CA", "FL", "WA", "GA")
FORMATS = ("classroom", "online", "scenario", "hybrid")
ROLES = ("sworn", "dispatcher", "civilian")


@dataclass(frozen=True)
class Person:
    """A person's name in parts; ``middle`` is an initial or a name, ``suffix`` e.g. ``Jr.``."""

    first: str
    last: str
    middle: str = ""
    suffix: str = ""

    @property
    def full(self) -> str:
        """``First Last`` with the suffix, the form a roster or registry lists."""
        return " ".join(p for p in (self.first, self.last, self.suffix) if p)


@dataclass(frozen=True)
class Course:
    """One approved course (a ``courses.csv`` row) plus printed title variants."""

    post_number: str
    title: str
    state: str
    topics: tuple[str, ...]
    hours: float
    format: str
    standard: str
    approved_from: date
    approved_until: date | None
    provider: str | None = None
    title_variants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Standard:
    """One versioned state requirement profile (a ``standards.csv`` row)."""

    state: str
    topic: str
    standard: str
    effective_from: date
    min_hours: float
    cycle_months: int
    scenario_required: bool
    certified_instructor_required: bool
    applies_to: tuple[str, ...]


@dataclass(frozen=True)
class Officer:
    """One roster entry (an ``officers.csv`` row).

    ``suffix_in_last_name`` says whether the roster writes ``Washington Jr.`` as the last name
    (some agencies do) or drops the suffix (others do); certificates print it either way.
    """

    person: Person
    badge_number: str
    state: str
    role: str
    cycle_start: date
    cycle_end: date
    suffix_in_last_name: bool = False

    @property
    def roster_first(self) -> str:
        """``first_name`` as the roster writes it."""
        return self.person.first

    @property
    def roster_last(self) -> str:
        """``last_name`` as the roster writes it (with the suffix for some agencies)."""
        if self.suffix_in_last_name and self.person.suffix:
            return f"{self.person.last} {self.person.suffix}"
        return self.person.last


@dataclass(frozen=True)
class Instructor:
    """One instructor registry entry (an ``instructors.csv`` row)."""

    person: Person
    certification_number: str
    topics: tuple[str, ...]
    certified_from: date
    certified_until: date | None
    home_state: str

    @property
    def name(self) -> str:
        """The name as the registry lists it."""
        return self.person.full

    def certified_on(self, day: date, topic: str) -> bool:
        """Whether the certification covers ``topic`` on ``day``."""
        if topic not in self.topics or day < self.certified_from:
            return False
        return self.certified_until is None or day <= self.certified_until


@dataclass(frozen=True)
class Reference:
    """All reference data of one corpus."""

    courses: tuple[Course, ...]
    standards: tuple[Standard, ...]
    officers: tuple[Officer, ...]
    instructors: tuple[Instructor, ...]
    # Names that appear nowhere in the reference: off-roster people, unregistered instructors,
    # coordinators and signatories.
    outsiders: tuple[Person, ...] = field(default=())

    def course(self, post_number: str) -> Course | None:
        """The catalog course with this exact POST number, if any."""
        return next((c for c in self.courses if c.post_number == post_number), None)

    def standard(self, standard_id: str) -> Standard:
        """The standards row with this id (ids are unique across states and topics)."""
        return next(s for s in self.standards if s.standard == standard_id)

    def standards_for(self, state: str, topic: str) -> list[Standard]:
        """Every version for (state, topic), oldest first."""
        rows = [s for s in self.standards if s.state == state and s.topic == topic]
        return sorted(rows, key=lambda s: s.effective_from)

    def standard_in_force(self, state: str, topic: str, day: date) -> Standard | None:
        """The standard with the latest ``effective_from`` on or before ``day``."""
        rows = [s for s in self.standards_for(state, topic) if s.effective_from <= day]
        return rows[-1] if rows else None

    def officer(self, badge_number: str) -> Officer | None:
        """The roster officer with this badge, if any."""
        return next((o for o in self.officers if o.badge_number == badge_number), None)

    def instructor(self, name: str) -> Instructor | None:
        """The registry instructor with this name, if any."""
        return next((i for i in self.instructors if i.name == name), None)


# --- the fixed tables --------------------------------------------------------------------

_STANDARDS = (
    # state, topic, id, effective, min_hours, cycle_months, scenario, certified, applies_to
    ("TX", "de-escalation", "TX-DEESC-2020", "2020-01-01", 8, 24, False, False, "sworn"),
    ("TX", "de-escalation", "TX-DEESC-2023", "2023-09-01", 8, 24, False, False, "sworn"),
    ("TX", "crisis-intervention", "TX-CIT-2018", "2018-09-01", 16, 48, False, False,
     "sworn;dispatcher"),
    ("TX", "use-of-force", "TX-UOF-2020", "2020-01-01", 4, 24, False, False, "sworn"),
    ("TX", "firearms", "TX-FA-2019", "2019-01-01", 8, 12, False, False, "sworn"),
    ("CA", "de-escalation", "CA-DEESC-2020", "2020-07-01", 4, 24, False, False,
     "sworn;dispatcher"),
    ("CA", "de-escalation", "CA-DEESC-2022", "2022-01-01", 4, 24, False, True,
     "sworn;dispatcher"),
    ("CA", "crisis-intervention", "CA-CIT-2019", "2019-01-01", 8, 24, False, False, "sworn"),
    ("CA", "use-of-force", "CA-UOF-2019", "2019-01-01", 4, 24, False, False, "sworn"),
    ("FL", "de-escalation", "FL-DEESC-2021", "2021-01-01", 4, 48, False, False, "sworn"),
    ("FL", "crisis-intervention", "FL-CIT-2019", "2019-07-01", 8, 48, False, False, "sworn"),
    ("FL", "use-of-force", "FL-UOF-2020", "2020-01-01", 8, 48, False, False, "sworn"),
    ("WA", "de-escalation", "WA-DEESC-2021", "2021-07-25", 8, 36, True, False,
     "sworn;dispatcher"),
    ("WA", "de-escalation", "WA-DEESC-2024", "2024-01-01", 8, 36, True, True,
     "sworn;dispatcher"),
    ("WA", "crisis-intervention", "WA-CIT-2020", "2020-01-01", 8, 36, False, False, "sworn"),
    ("WA", "firearms", "WA-FA-2019", "2019-01-01", 8, 12, False, False, "sworn"),
    ("GA", "de-escalation", "GA-DEESC-2021", "2021-01-01", 2, 12, False, True, "sworn"),
    ("GA", "crisis-intervention", "GA-CIT-2019", "2019-01-01", 8, 12, False, False, "sworn"),
    ("GA", "use-of-force", "GA-UOF-2021", "2021-01-01", 2, 12, False, False, "sworn"),
    ("GA", "firearms", "GA-FA-2020", "2020-01-01", 8, 12, False, False, "sworn"),
)

_VENDOR = "Blue Line eLearning"
_COURSES = (
    # post_number, title, state, topics, hours, format, standard, from, until, provider, variants
    ("1849", "De-escalation Techniques", "TX", "de-escalation", 8, "classroom", "TX-DEESC-2023",
     "2023-09-01", None, "TCOLE", ("De-Escalation Techniques", "De-escalation Techniques Course")),
    ("3185", "De-escalation and Crisis Communication", "TX", "de-escalation", 8, "classroom",
     "TX-DEESC-2020", "2020-01-01", "2025-08-31", "Texas Regional Academy",
     ("De-Escalation & Crisis Communication",)),
    ("8105", "De-escalation: Verbal Tactics (Online)", "TX", "de-escalation", 4, "online",
     "TX-DEESC-2023", "2024-01-01", None, _VENDOR, ("De-escalation - Verbal Tactics",)),
    ("1850", "Crisis Intervention Training", "TX", "crisis-intervention", 40, "classroom",
     "TX-CIT-2018", "2018-09-01", None, "TCOLE", ("Crisis Intervention Training (CIT)",)),
    ("2195", "Use of Force: Legal Update", "TX", "use-of-force", 4, "online", "TX-UOF-2020",
     "2020-01-01", "2023-12-31", _VENDOR, ()),
    ("10985", "Patrol Rifle Qualification", "TX", "firearms", 8, "classroom", "TX-FA-2019",
     "2019-01-01", None, None, ()),
    ("2540-20182", "De-escalation Strategies and Tactics", "CA", "de-escalation", 8, "hybrid",
     "CA-DEESC-2022", "2022-01-01", None, "San Diego Regional Public Safety Training Institute",
     ("De-Escalation Strategies & Tactics",)),
    ("2540-20115", "De-escalation: Communication and Tactics", "CA", "de-escalation", 4,
     "classroom", "CA-DEESC-2020", "2020-07-01", "2024-06-30",
     "San Diego Regional Public Safety Training Institute", ()),
    ("1250-30412", "Crisis Intervention Behavioral Health Training", "CA",
     "crisis-intervention;de-escalation", 16, "classroom", "CA-DEESC-2022", "2022-03-01", None,
     "Golden West College Criminal Justice Training Center", ("Crisis Intervention BHT",)),
    ("5080-21538", "Principled Policing and Use of Force", "CA", "use-of-force", 8, "scenario",
     "CA-UOF-2019", "2019-01-01", "2022-12-31", None, ()),
    ("8150-36011", "Tactical Communication for Dispatchers", "CA", "de-escalation", 2, "online",
     "CA-DEESC-2022", "2022-06-01", None, _VENDOR, ()),
    ("CJK 0297", "Crisis Intervention Team (CIT) Training", "FL",
     "crisis-intervention;de-escalation", 40, "classroom", "FL-DEESC-2021", "2021-01-01", None,
     "Florida Public Safety Institute", ("CIT Training",)),
    ("2210", "De-escalation for Patrol Officers", "FL", "de-escalation", 4, "online",
     "FL-DEESC-2021", "2021-03-01", None, _VENDOR, ()),
    ("057", "Use of Force Update", "FL", "use-of-force", 8, "classroom", "FL-UOF-2020",
     "2020-01-01", None, None, ()),
    ("CJK 0401", "Verbal De-escalation Refresher", "FL", "de-escalation", 2, "classroom",
     "FL-DEESC-2021", "2021-01-01", "2023-06-30", None, ()),
    ("PER-922", "ICAT: Integrating Communications, Assessment, and Tactics", "FL",
     "de-escalation;use-of-force", 16, "scenario", "FL-DEESC-2021", "2021-06-01", None,
     "Police Executive Research Forum",
     ("ICAT - Integrating Communications, Assessment & Tactics",)),
    ("0080", "Patrol Tactics: De-escalation Scenarios", "WA", "de-escalation", 16, "scenario",
     "WA-DEESC-2024", "2024-01-01", None, "Washington State CJTC", ()),
    ("0158", "Crisis Communication and De-escalation", "WA",
     "de-escalation;crisis-intervention", 8, "hybrid", "WA-DEESC-2024", "2024-02-01", None,
     "Washington State CJTC", ()),
    ("0035", "De-escalation Classroom Overview", "WA", "de-escalation", 4, "classroom",
     "WA-DEESC-2024", "2024-01-01", None, None, ()),
    ("0061", "LETCSA De-escalation Skills", "WA", "de-escalation", 8, "scenario",
     "WA-DEESC-2021", "2021-07-25", None, "Washington State CJTC", ()),
    ("0108", "Firearms Qualification and Judgment", "WA", "firearms", 8, "classroom",
     "WA-FA-2019", "2019-01-01", None, None, ()),
    ("TC1882", "De-escalation and Crisis Response", "GA", "de-escalation;crisis-intervention",
     8, "classroom", "GA-DEESC-2021", "2021-01-01", None, "Georgia Public Safety Training Center",
     ("De-Escalation and Crisis Response",)),
    ("TC5018", "Use of Force and De-escalation Update", "GA", "de-escalation;use-of-force", 4,
     "hybrid", "GA-DEESC-2021", "2021-07-01", None, "Georgia Public Safety Training Center", ()),
    ("TC0815", "Firearms Requalification", "GA", "firearms", 8, "classroom", "GA-FA-2020",
     "2020-01-01", None, None, ()),
    ("ABLE-101", "Active Bystandership for Law Enforcement (ABLE)", "GA", "use-of-force", 8,
     "classroom", "GA-UOF-2021", "2021-01-01", "2024-12-31", None, ("ABLE Project Training",)),
)

_INSTRUCTORS = (
    # first, last, certification, topics, from, until, home state
    ("Maria", "Lopez", "DEI-0412", "de-escalation;crisis-intervention", "2019-06-01", None, "TX"),
    ("Gregory", "Thibodeaux", "DEI-1185", "de-escalation", "2018-01-15", "2023-12-31", "TX"),
    ("Howard", "Kimbrough", "DEI-2019-0057", "de-escalation", "2019-01-01", None, "TX"),
    ("Anita", "Raman", "CA-DEI-20-118", "de-escalation;use-of-force", "2020-03-01", None, "CA"),
    ("Wesley", "Oduya", "CA-DEI-21-305", "de-escalation", "2021-02-01", "2024-01-31", "CA"),
    ("Helen", "Sorensen", "CA-FI-19-044", "firearms", "2019-01-01", None, "CA"),
    ("Dwayne", "Castellanos", "FL-IC-5018", "de-escalation;crisis-intervention", "2020-09-01",
     None, "FL"),
    ("Lorraine", "Becket-Hall", "FL-IC-3307", "firearms;use-of-force", "2018-05-01", None, "FL"),
    ("Ellen", "Marchetti", "PERF-ICAT-0922", "de-escalation;use-of-force", "2019-01-01", None,
     "FL"),
    ("Samuel", "Okonkwo", "WA-DI-0080", "de-escalation", "2021-01-01", None, "WA"),
    ("Trina", "Vasquez", "WA-DI-0158", "de-escalation;crisis-intervention", "2024-03-01", None,
     "WA"),
    ("Paul", "Lindgren", "WA-FI-0031", "firearms", "2019-01-01", None, "WA"),
    ("Marcus", "Bell", "GA-DEI-1882", "de-escalation", "2020-01-01", None, "GA"),
    ("Yolanda", "Pruitt", "GA-DEI-2210", "de-escalation;crisis-intervention", "2021-05-01",
     "2024-04-30", "GA"),
    ("Curtis", "Ambrose", "GA-FI-0815", "firearms;use-of-force", "2019-01-01", None, "GA"),
    ("Beatriz", "Olmos-Reyna", "GA-DEI-5081", "de-escalation;use-of-force", "2022-01-10", None,
     "GA"),
)

# --- names ---------------------------------------------------------------------------------

FIRST_NAMES = (
    "James", "Maria", "Robert", "Jennifer", "Michael", "Linda", "David", "Patricia", "Carlos",
    "Aisha", "Dmitri", "Mei", "Tyrone", "Siobhan", "José", "Priya", "Andre", "Keisha",
    "Hiroshi", "Fatima", "Bartholomew", "Ngozi", "Liam", "Ana", "DeShawn", "Guadalupe",
    "Kwame", "Olga", "Rafael", "Yesenia", "Terrence", "Bridget", "Juan", "Latoya", "Thanh",
    "Ingrid", "Ezekiel", "Imani", "Scott", "Brianna", "Francisco", "Delores", "Raymond",
    "Emily", "Kevin", "Samantha", "Luis", "Valerie", "Jamal", "Colleen", "Mary-Kate", "Jean-Luc",
)
LAST_NAMES = (
    "Garcia", "Williams", "O'Brien", "Martinez-Lopez", "De La Cruz", "Van Buren", "McAllister",
    "MacDonald", "D'Angelo", "Okafor", "Kowalski", "Washington", "St. James", "Hernandez",
    "Petrov", "Yamamoto", "Abernathy", "Fitzgerald", "Rodriguez", "Bui", "Santos-Oliveira",
    "Le", "Ng", "Baptiste", "Schmidt", "Oyelaran", "Delgado", "Thompson", "Christensen",
    "Muñoz", "Peña", "Al-Hassan", "Ben-David", "Dupree", "Villanueva", "Lindqvist", "Kim",
    "Park", "O'Connor", "Featherstonehaugh", "Wojciechowski", "Quintanilla", "Brooks",
    "Coleman", "Van der Berg", "LaFleur", "Ramírez", "Hollister", "Ashby-Grant", "Begay",
)
SUFFIXES = ("Jr.", "Sr.", "II", "III", "IV")

# Officers whose names differ by a letter or two; each pair has different badges.
_SIMILAR_PAIRS = (
    (Person("Jon", "Smith"), Person("John", "Smith")),
    (Person("Katherine", "Reyes", "M."), Person("Catherine", "Reyes")),
    (Person("Michael", "O'Neil"), Person("Michael", "O'Neill", "J.")),
    (Person("Sara", "Nguyen"), Person("Sarah", "Nguyen", "T.")),
    (Person("Robert", "Johnson", "A."), Person("Robert", "Johnson", "L.")),
)

_CYCLES = {
    "TX": ("2025-09-01", "2027-08-31"),
    "CA": ("2026-01-01", "2027-12-31"),
    "WA": ("2025-01-01", "2027-12-31"),
    "GA": ("2026-01-01", "2026-12-31"),
}

# Officers per state; roles are mostly sworn, with dispatchers and civilian staff.
_STATE_SIZES = {"TX": 12, "CA": 11, "FL": 9, "WA": 9, "GA": 9}


def build_reference(seed: int = 7) -> Reference:
    """Build the reference data of a corpus.

    Args:
        seed: drives the roster (names, badges, roles, states) and the outsider names; the
            catalog, standards and instructor registry are fixed tables.

    Returns:
        The reference data; ``build_reference(s) == build_reference(s)`` for any seed.
    """
    rng = random.Random(f"credence-reference-{seed}")
    instructors = tuple(_build_instructors())
    taken = {p.full for p in (i.person for i in instructors)}
    officers = _build_officers(rng, taken)
    taken |= {o.person.full for o in officers}
    outsiders = _build_outsiders(rng, taken, 40)
    return Reference(
        courses=tuple(_build_courses()),
        standards=tuple(_build_standards()),
        officers=tuple(officers),
        instructors=instructors,
        outsiders=tuple(outsiders),
    )


def _build_standards() -> Iterable[Standard]:
    for st, topic, sid, eff, hours, months, scen, cert, roles in _STANDARDS:
        yield Standard(st, topic, sid, D(eff), float(hours), months, scen, cert,
                       tuple(roles.split(";")))


def _build_courses() -> Iterable[Course]:
    for num, title, st, topics, hours, fmt, std, start, until, prov, variants in _COURSES:
        yield Course(num, title, st, tuple(topics.split(";")), float(hours), fmt, std, D(start),
                     D(until) if until else None, prov, tuple(variants))


def _build_instructors() -> Iterable[Instructor]:
    for first, last, cert, topics, start, until, home in _INSTRUCTORS:
        yield Instructor(Person(first, last), cert, tuple(topics.split(";")), D(start),
                         D(until) if until else None, home)


def _build_officers(rng: random.Random, taken: set[str]) -> list[Officer]:
    """The roster: similar-name pairs first (same state each), then random people."""
    people: list[tuple[Person, str]] = []
    for pair, state in zip(_SIMILAR_PAIRS, rng.sample(STATES, len(STATES)), strict=True):
        people.extend((p, state) for p in pair)
    for state, size in _STATE_SIZES.items():
        have = sum(1 for _, s in people if s == state)
        for _ in range(size - have):
            person = _random_person(rng, taken | {p.full for p, _ in people})
            people.append((person, state))
    badges: set[str] = set()
    officers = []
    for i, (person, state) in enumerate(people):
        badge = _unique_badge(rng, state, badges)
        role = _role_for(rng, i)
        start, end = _cycle_for(rng, state)
        officers.append(Officer(person, badge, state, role, start, end,
                                suffix_in_last_name=bool(person.suffix) and rng.random() < 0.5))
    return officers


def _role_for(rng: random.Random, index: int) -> str:
    # The similar-name pairs (the first ten) stay sworn so that they take courses.
    if index < 2 * len(_SIMILAR_PAIRS):
        return "sworn"
    return rng.choices(ROLES, weights=(80, 14, 6))[0]


def _cycle_for(rng: random.Random, state: str) -> tuple[date, date]:
    if state in _CYCLES:
        start, end = _CYCLES[state]
        return D(start), D(end)
    # Florida: four years ending June 30, anchored on each officer's certification year.
    end_year = rng.choice((2026, 2027, 2028, 2029))
    return date(end_year - 4, 7, 1), date(end_year, 6, 30)


def _random_person(rng: random.Random, taken: set[str]) -> Person:
    while True:
        first = rng.choice(FIRST_NAMES)
        last = rng.choice(LAST_NAMES)
        middle = rng.choice("ABCDEFGHJKLMNPRSTW") + "." if rng.random() < 0.55 else ""
        if rng.random() < 0.08:
            middle = rng.choice(("Lee", "Ann", "Marie", "Ray"))
        suffix = rng.choice(SUFFIXES) if rng.random() < 0.12 else ""
        person = Person(first, last, middle, suffix)
        if person.full not in taken and f"{first} {last}" not in taken:
            return person


def _build_outsiders(rng: random.Random, taken: set[str], count: int) -> list[Person]:
    """People on no list: their last names differ from every roster and registry name."""
    taken_last = {name.split()[-1] for name in taken}
    out: list[Person] = []
    extra_last = ("Whitfield", "Kaminski", "Oyelowo", "Brannigan", "Tremblay", "Sokolov",
                  "Achebe", "Lundgren", "Carrasco", "Pemberton", "Haddad", "Nakamura",
                  "Fairweather", "Galloway", "Mendelsohn", "Takahashi", "Ortega-Ruiz",
                  "Blackwood", "Esposito", "Drummond")
    while len(out) < count:
        person = Person(rng.choice(FIRST_NAMES), rng.choice(extra_last),
                        rng.choice("BDGKMRT") + "." if rng.random() < 0.3 else "")
        if person.last not in taken_last and person not in out:
            out.append(person)
    return out


# Badge shapes per state: (pattern, weight). ``d`` is a digit, ``0`` a literal zero, other
# characters are literal. Prefix letters S, B and O are the ones OCR confuses with 5, 8, 0.
_BADGE_SHAPES = {
    "TX": (("dddd", 4), ("dddddd", 3), ("B-dddd", 2), ("Sddd", 1)),
    "CA": (("dddd", 3), ("S-dddd", 3), ("ddddd", 2), ("B1ddd", 1)),
    "FL": (("dddd", 3), ("SO-dddd", 3), ("D-ddd", 1), ("1ddd8", 1)),
    "WA": (("0ddd", 4), ("00ddd", 3), ("K-ddd", 1)),
    "GA": (("dddd", 3), ("APD-ddd", 2), ("Bddd", 1), ("O-dddd", 1)),
}


def badge_from_shape(rng: random.Random, shape: str) -> str:
    """A badge number shaped like ``shape`` (``d`` = random digit, anything else literal)."""
    return "".join(str(rng.randrange(10)) if ch == "d" else ch for ch in shape)


def _unique_badge(rng: random.Random, state: str, taken: set[str]) -> str:
    shapes, weights = zip(*_BADGE_SHAPES[state], strict=True)
    while True:
        badge = badge_from_shape(rng, rng.choices(shapes, weights=weights)[0])
        if badge not in taken and not badge.startswith("0000"):
            taken.add(badge)
            return badge


def badge_shapes(state: str) -> tuple[str, ...]:
    """The badge shapes agencies in ``state`` use (for inventing off-roster badges)."""
    return tuple(shape for shape, _ in _BADGE_SHAPES[state])


# --- CSV ------------------------------------------------------------------------------------


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _hours(h: float) -> str:
    return f"{h:g}"


def _bool(b: bool) -> str:
    return "true" if b else "false"


def write_reference_csvs(ref: Reference, out_dir: Path) -> dict[str, Path]:
    """Write ``courses.csv``, ``standards.csv``, ``officers.csv`` and ``instructors.csv``.

    Columns are exactly the contract's; dates are ISO, lists ``;``-separated, booleans
    ``true``/``false``, and empty optional cells stay empty.

    Args:
        ref: the reference data.
        out_dir: folder to write into (created if missing).

    Returns:
        File name stem -> path of each file written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {
        "courses": (
            ["post_number", "title", "state", "topics", "hours", "format", "standard",
             "approved_from", "approved_until", "provider"],
            [[c.post_number, c.title, c.state, ";".join(c.topics), _hours(c.hours), c.format,
              c.standard, _iso(c.approved_from), _iso(c.approved_until), c.provider or ""]
             for c in ref.courses],
        ),
        "standards": (
            ["state", "topic", "standard", "effective_from", "min_hours", "cycle_months",
             "scenario_required", "certified_instructor_required", "applies_to"],
            [[s.state, s.topic, s.standard, _iso(s.effective_from), _hours(s.min_hours),
              str(s.cycle_months), _bool(s.scenario_required),
              _bool(s.certified_instructor_required), ";".join(s.applies_to)]
             for s in ref.standards],
        ),
        "officers": (
            ["badge_number", "first_name", "last_name", "state", "role", "cycle_start",
             "cycle_end"],
            [[o.badge_number, o.roster_first, o.roster_last, o.state, o.role,
              _iso(o.cycle_start), _iso(o.cycle_end)] for o in ref.officers],
        ),
        "instructors": (
            ["name", "certification_number", "topics", "certified_from", "certified_until"],
            [[i.name, i.certification_number, ";".join(i.topics), _iso(i.certified_from),
              _iso(i.certified_until)] for i in ref.instructors],
        ),
    }
    paths = {}
    for stem, (header, rows) in tables.items():
        path = out_dir / f"{stem}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        paths[stem] = path
    return paths
