"""One small function per rule. Each returns a :class:`RuleOutcome` and never raises.

A rule whose inputs are missing (no course matched, no date read) is *skipped*: it reports
``passed=False, skipped=True`` so that it can never count towards a credit, but its reason is
not listed while the rule that explains the missing input (``missing_field``,
``post_number_unknown``, ...) has failed. See ``verify.verify_extraction``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog.models import Course, Instructor, Officer, Standard
from extractors.types import DocumentKind, ExtractedRecord
from verification.matching import MatchResult, instructor_certified, match_title, title_score
from verification.models import RecordStatus, TrainingRecord
from verification.reasons import Reason

log = logging.getLogger(__name__)

# A required field read with a confidence below this is not trusted: the record goes to review
# as ``unreadable``. ``None`` means "not measured" (text layer) and is trusted. 0.6 is a
# starting value, not yet calibrated on real scans (see the evaluation harness).
CONFIDENCE_THRESHOLD = 0.6
#: A field whose value independently agrees with the reference data (a badge on the roster
#: whose officer's name was also read, a POST number in the catalog whose title was also
#: read) needs less confidence of its own: a misreading would have to produce two fields
#: that both fit the same real roster entry or course. Below this floor it is unreadable.
CORROBORATED_FLOOR = 0.3
REQUIRED_FIELDS = (
    "officer_name",
    "badge_number",
    "training_date",
    "hours",
    "post_number",
    "course_title",
)
SCENARIO_FORMATS = frozenset({"scenario", "hybrid"})
# How printed delivery formats are read: keywords per catalog format. Several formats on one
# document ("Blended (online + classroom)") read as hybrid, as the extractor does.
_FORMAT_WORDS = {
    "scenario": re.compile(r"\b(scenario|reality[- ]based|practical exercises?)\b"),
    "hybrid": re.compile(r"\b(hybrid|blended)\b"),
    "classroom": re.compile(r"\b(classroom|in[- ]person|lecture|instructor[- ]led)\b"),
    "online": re.compile(r"\b(online|on-line|web[- ]based|web|virtual|e-?learning|distance)\b"),
}
# Statuses a later record of the same training is a duplicate of.
DUPLICATE_OF_STATUSES = (RecordStatus.VERIFIED, RecordStatus.NEEDS_REVIEW)


@dataclass(frozen=True)
class RuleOutcome:
    """The result of one rule.

    Attributes:
        reason: the reason code this rule reports when it fails.
        passed: the rule holds. Only a record whose every rule passed is credited.
        evidence: JSON-able facts the decision used, for the explanation and the reviewer.
        rule: the rule's name.
        skipped: not evaluated because an input is missing; never counts as passed.
    """

    reason: Reason
    passed: bool
    evidence: dict[str, Any] = field(default_factory=dict)
    rule: str = ""
    skipped: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "reason": str(self.reason),
            "passed": self.passed,
            "skipped": self.skipped,
            "evidence": self.evidence,
        }


def _rule(reason: Reason) -> Callable:
    """Name the outcome after the function and turn any exception into a failed outcome."""

    def wrap(fn: Callable[..., RuleOutcome]) -> Callable[..., RuleOutcome]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> RuleOutcome:
            try:
                out = fn(*args, **kwargs)
            except Exception as e:  # a rule must never raise: fail safe, to review
                log.exception("rule %s raised; record goes to review", fn.__name__)
                return RuleOutcome(
                    reason, False, {"error": f"{type(e).__name__}: {e}"}, fn.__name__
                )
            return RuleOutcome(out.reason, out.passed, out.evidence, fn.__name__, out.skipped)

        return run

    return wrap


def _skip(reason: Reason, why: str) -> RuleOutcome:
    return RuleOutcome(reason, False, {"skipped": why}, skipped=True)


# --- reading values ------------------------------------------------------------------------


def read_date(value: Any) -> date | None:
    """A training date from an extracted value (date, datetime or ISO string), else ``None``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def read_hours(value: Any) -> float | None:
    """Hours from an extracted value (number or numeric string), else ``None``."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return float(number) if number.is_finite() else None


def read_format(value: Any) -> str | None:
    """A delivery format as printed, mapped to the catalog's words when recognised.

    Returns:
        ``scenario`` | ``hybrid`` | ``classroom`` | ``online``; the printed text (lower case)
        when no format word is in it (never scenario then); ``None`` when nothing was read.
    """
    if value is None or not str(value).strip():
        return None
    text = " ".join(str(value).strip().lower().split())
    kinds = {kind for kind, pattern in _FORMAT_WORDS.items() if pattern.search(text)}
    if not kinds:
        return text
    return kinds.pop() if len(kinds) == 1 else "hybrid"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def required_fields(extracted: ExtractedRecord) -> tuple[str, ...]:
    """Fields a record of this kind must show; a sign-in row must also show its signature."""
    if extracted.kind == DocumentKind.SIGN_IN_SHEET:
        return (*REQUIRED_FIELDS, "signed")
    return REQUIRED_FIELDS


# --- the rules -----------------------------------------------------------------------------


@_rule(Reason.MISSING_FIELD)
def check_required_present(extracted: ExtractedRecord) -> RuleOutcome:
    """Every required field appears on the document (found, even if not readable)."""
    missing = []
    for name in required_fields(extracted):
        f = extracted.fields.get(name)
        if f is None or (_blank(f.value) and _blank(f.raw_text)):
            missing.append(name)
    return RuleOutcome(Reason.MISSING_FIELD, not missing, {"missing": missing})


@_rule(Reason.UNREADABLE)
def check_readable(
    extracted: ExtractedRecord,
    also: Iterable[str] = (),
    today: date | None = None,
    corroborated: Iterable[str] = (),
) -> RuleOutcome:
    """Required fields (and ``also``) were read with enough confidence and parse.

    A field found but not parsed (``value`` None with ``raw_text``), a confidence under
    :data:`CONFIDENCE_THRESHOLD` (:data:`CORROBORATED_FLOOR` for the ``corroborated``
    fields, see :func:`corroborated_fields`), a date or hours value that does not parse, a
    training date after ``today``, or hours not above zero: unreadable. Absent fields are
    ``check_required_present``'s business.
    """
    problems: dict[str, str] = {}
    corroborated = set(corroborated)
    for name in dict.fromkeys((*required_fields(extracted), *also)):
        f = extracted.fields.get(name)
        if f is None or (_blank(f.value) and _blank(f.raw_text)):
            continue
        needed = CORROBORATED_FLOOR if name in corroborated else CONFIDENCE_THRESHOLD
        if _blank(f.value):
            problems[name] = f"found {f.raw_text!r} but could not read a value"
        elif f.confidence is not None and f.confidence < needed:
            problems[name] = f"confidence {f.confidence:.2f} < {needed}"
        elif name == "training_date" and read_date(f.value) is None:
            problems[name] = f"{f.value!r} is not a date"
        elif name == "training_date" and read_date(f.value) > (today or date.today()):
            # a misread year (2024 read as 2029) must not slip through an open-ended approval
            problems[name] = f"{f.value} is in the future"
        elif name == "hours" and (read_hours(f.value) or 0) <= 0:
            problems[name] = f"{f.value!r} is not a positive number of hours"
        elif name == "signed" and not isinstance(f.value, bool):
            problems[name] = f"{f.value!r} is not yes/no"
    evidence = {"fields": problems, "corroborated": sorted(corroborated)}
    return RuleOutcome(Reason.UNREADABLE, not problems, evidence)


#: Title fit (0-100) at which a title read and the catalog title of the POST number read
#: confirm each other.
CORROBORATING_TITLE_SCORE = 90.0
#: Name fit (0-100) at which a name read and the roster officer of the badge read confirm
#: each other.
CORROBORATING_NAME_SCORE = 90.0


def corroborated_fields(
    extracted: ExtractedRecord, officer_m: MatchResult[Officer], course_m: MatchResult[Course]
) -> tuple[str, ...]:
    """Fields whose value agrees with a second, independently read field on one reference row.

    Badge and name agree on a roster officer (badge on the roster, name fits it >= 90);
    POST number and title agree on a catalog course (number in the catalog, title fits
    >= 90). Either pair is then corroborated; a single field alone never is, but the
    delivery format printed, when it is the catalog course's own format (a format that
    disagrees still needs a sure reading, and then fails the scenario rule).
    """
    fields: list[str] = []
    if officer_m.matched and officer_m.score >= CORROBORATING_NAME_SCORE:
        fields += ["badge_number", "officer_name"]
    course = course_m.item
    title = extracted.value("course_title")
    if course is not None and title and title_score(str(title), course.title) >= (
        CORROBORATING_TITLE_SCORE
    ):
        fields += ["post_number", "course_title"]
    fmt = extracted.value("training_format")
    if course is not None and fmt and course.format and read_format(fmt) == course.format:
        # a delivery format read unsure that says what the catalog says of the course
        fields.append("training_format")
    return tuple(fields)


@_rule(Reason.NOT_SIGNED)
def check_signed(extracted: ExtractedRecord) -> RuleOutcome:
    """A sign-in row carries the officer's signature, and its sheet the training official's.

    A sign-in sheet is evidence only when a training official signed it: a row whose sheet
    shows no official's signature (``official_signed`` False), or whose official's signature
    line was not found or not looked at, fails too, saying so. Certificates: not applicable.
    """
    if extracted.kind != DocumentKind.SIGN_IN_SHEET:
        return RuleOutcome(Reason.NOT_SIGNED, True, {"applies": False})
    value = extracted.value("signed")
    official = extracted.value("official_signed")
    evidence: dict[str, Any] = {"applies": True, "signed": value, "official_signed": official}
    if official is not True:
        f = extracted.fields.get("official_signed")
        evidence["why"] = (
            "the training official's signature is missing"
            if official is False
            else "the training official's signature could not be confirmed"
            + (f": {f.raw_text}" if f is not None and f.raw_text else "")
        )
        return RuleOutcome(Reason.NOT_SIGNED, False, evidence)
    if value is None:
        return _skip(Reason.NOT_SIGNED, "signature not read")
    return RuleOutcome(Reason.NOT_SIGNED, value is True, evidence)


@_rule(Reason.OFFICER_NOT_ON_ROSTER)
def check_officer(match: MatchResult[Officer]) -> RuleOutcome:
    """A roster officer matches both the badge and the name read."""
    if match.method == "no_input":
        return _skip(Reason.OFFICER_NOT_ON_ROSTER, match.why)
    return RuleOutcome(Reason.OFFICER_NOT_ON_ROSTER, match.matched, {"match": match.to_dict()})


@_rule(Reason.POST_NUMBER_UNKNOWN)
def check_course_known(match: MatchResult[Course]) -> RuleOutcome:
    """The POST number read is (uniquely) in the catalog."""
    if match.method == "no_input":
        return _skip(Reason.POST_NUMBER_UNKNOWN, match.why)
    return RuleOutcome(Reason.POST_NUMBER_UNKNOWN, match.matched, {"match": match.to_dict()})


@_rule(Reason.POST_NUMBER_UNKNOWN)
def check_course_state(officer: Officer | None, course: Course | None) -> RuleOutcome:
    """The course is approved in the officer's state.

    A course approved by another state's POST board does not satisfy this state's
    requirement: for the officer, the number is not in *their* catalog. Reported as
    ``post_number_unknown`` with both states in the evidence.
    """
    if officer is None or course is None:
        return _skip(Reason.POST_NUMBER_UNKNOWN, "officer or course not matched")
    same = officer.state == course.state
    evidence = {"officer_state": officer.state, "course_state": course.state}
    if not same:
        evidence["why"] = (
            f"course {course.post_number} is approved in {course.state}; the officer is on the "
            f"{officer.state} roster"
        )
    return RuleOutcome(Reason.POST_NUMBER_UNKNOWN, same, evidence)


@_rule(Reason.COURSE_TITLE_MISMATCH)
def check_title(title_read: Any, course: Course | None) -> RuleOutcome:
    """The title read fits the catalog title of the matched course."""
    if course is None or _blank(title_read):
        return _skip(Reason.COURSE_TITLE_MISMATCH, "no course matched or no title read")
    match = match_title(str(title_read), course)
    return RuleOutcome(Reason.COURSE_TITLE_MISMATCH, match.matched, {"match": match.to_dict()})


@_rule(Reason.OUTSIDE_APPROVAL_WINDOW)
def check_approval_window(course: Course | None, on_date: date | None) -> RuleOutcome:
    """approved_from <= training date <= approved_until (empty ``approved_until``: open)."""
    if course is None or on_date is None:
        return _skip(Reason.OUTSIDE_APPROVAL_WINDOW, "no course matched or no date read")
    until = course.approved_until
    inside = course.approved_from <= on_date and (until is None or on_date <= until)
    evidence = {
        "training_date": on_date.isoformat(),
        "approved_from": course.approved_from.isoformat(),
        "approved_until": until.isoformat() if until else None,
    }
    return RuleOutcome(Reason.OUTSIDE_APPROVAL_WINDOW, inside, evidence)


def standards_in_force(
    versions_by_topic: dict[str, Sequence[Standard]], on_date: date
) -> dict[str, Standard]:
    """Topic -> the one standard in force on ``on_date`` (ties and "none yet" left out)."""
    out: dict[str, Standard] = {}
    for topic, versions in versions_by_topic.items():
        in_force = [s for s in versions if s.effective_from <= on_date]
        if not in_force:
            continue
        latest = max(s.effective_from for s in in_force)
        current = [s for s in in_force if s.effective_from == latest]
        if len(current) == 1:
            out[topic] = current[0]
    return out


@dataclass(frozen=True)
class StandardsContext:
    """The standards a course is judged by on its training date.

    Attributes:
        own: the rows (one per topic) of the standard the course was approved under, in the
            course's state. Empty when that standard is unknown to the state.
        versions_by_topic: every version, per topic of the course and of ``own``.
        in_force: topic -> the standard in force on the training date.
    """

    own: tuple[Standard, ...] = ()
    versions_by_topic: dict[str, Sequence[Standard]] = field(default_factory=dict)
    in_force: dict[str, Standard] = field(default_factory=dict)

    @property
    def requirements(self) -> list[Standard]:
        """Whose flags apply: the course's own standard and every standard in force for its
        topics (the strict reading: a requirement of either counts)."""
        out: dict[int, Standard] = {s.id: s for s in self.own}
        for s in self.in_force.values():
            out.setdefault(s.id, s)
        return list(out.values())


def _std(s: Standard) -> dict[str, Any]:
    return {"id": s.id, "standard": s.standard, "effective_from": s.effective_from.isoformat()}


@_rule(Reason.SUPERSEDED_STANDARD)
def check_curriculum(
    course: Course | None, on_date: date | None, standards: StandardsContext
) -> RuleOutcome:
    """The curriculum trap: the course's standard was the one in force on the training date.

    The course was approved under one standard (``course.standard``), a version of one
    topic's series in its state. In that series, the version in force on the training date
    (latest ``effective_from`` on or before it) must be the course's. Fails, saying which,
    when a newer version had taken effect, when no version had yet, when two took effect the
    same day, and when the course's standard is unknown to the state. The course's other
    topics are tags of content, not governed by this standard: listed, not checked.
    """
    if course is None or on_date is None:
        return _skip(Reason.SUPERSEDED_STANDARD, "no course matched or no date read")
    problems: list[str] = []
    governed = []
    for own in standards.own:
        versions = list(standards.versions_by_topic.get(own.topic, ()))
        current = standards.in_force.get(own.topic)
        problem = _curriculum_problem(course, own.topic, on_date, versions, current)
        governed.append(
            {
                "topic": own.topic,
                "versions": [_std(s) for s in versions],
                "in_force": _std(current) if current else None,
                "status": problem or "the course standard is in force",
            }
        )
        if problem:
            problems.append(problem)
    if not standards.own:
        known = sorted({s.standard for v in standards.versions_by_topic.values() for s in v})
        problems.append(
            f"the course standard {course.standard!r} is not a {course.state} standard "
            f"(known for the course topics: {', '.join(known) or 'none'}); the curriculum "
            "cannot be confirmed"
        )
    evidence = {
        "course_standard": course.standard,
        "state": course.state,
        "training_date": on_date.isoformat(),
        "governed_topics": governed,
        "other_topics": [t for t in course.topics if t not in {s.topic for s in standards.own}],
        "problems": problems,
    }
    return RuleOutcome(Reason.SUPERSEDED_STANDARD, not problems, evidence)


def _curriculum_problem(
    course: Course, topic: str, on_date: date, versions: list[Standard], current: Standard | None
) -> str | None:
    if current is None:
        if any(s.effective_from <= on_date for s in versions):
            return f"{topic}: two {course.state} standards take effect the same day; ambiguous"
        first = min(versions, key=lambda s: s.effective_from)
        return (
            f"{topic}: no {course.state} standard was in force on {on_date.isoformat()} "
            f"(the first, {first.standard}, took effect {first.effective_from.isoformat()})"
        )
    if current.standard == course.standard:
        return None
    return (
        f"{topic}: the course was approved under {course.standard}, but {current.standard} was "
        f"in force on {on_date.isoformat()} (since {current.effective_from.isoformat()})"
    )


@_rule(Reason.SCENARIO_REQUIRED)
def check_scenario(
    course: Course | None, format_read: Any, standards: StandardsContext
) -> RuleOutcome:
    """Where a standard requires scenario training, the course is scenario or hybrid.

    The standards are the course's own and those in force for its topics
    (:attr:`StandardsContext.requirements`). The catalog format must be ``scenario`` or
    ``hybrid``, and so must the format printed on the document when one was read ("this
    session was classroom" overrules the catalog).
    """
    if course is None:
        return _skip(Reason.SCENARIO_REQUIRED, "no course matched")
    requirements = standards.requirements
    if not requirements:
        return _skip(Reason.SCENARIO_REQUIRED, "no standard known to say")
    requiring = sorted({s.standard for s in requirements if s.scenario_required})
    printed = read_format(format_read)
    evidence: dict[str, Any] = {
        "requiring_standards": requiring,
        "course_format": course.format,
        "document_format": printed,
    }
    if not requiring:
        return RuleOutcome(Reason.SCENARIO_REQUIRED, True, evidence)
    ok = course.format in SCENARIO_FORMATS and (printed is None or printed in SCENARIO_FORMATS)
    return RuleOutcome(Reason.SCENARIO_REQUIRED, ok, evidence)


@_rule(Reason.INSTRUCTOR_NOT_CERTIFIED)
def check_instructor(
    name_read: Any,
    matches: Sequence[MatchResult[Instructor]],
    standards: StandardsContext,
    on_date: date | None,
) -> RuleOutcome:
    """Where a standard requires it, a named instructor was certified for its topic that day.

    For every standard among :attr:`StandardsContext.requirements` with
    ``certified_instructor_required``, at least one instructor named on the document must be
    in the registry and certified for that standard's topic on the training date. No
    instructor named: fails.
    """
    requirements = standards.requirements
    requiring = sorted({s.topic for s in requirements if s.certified_instructor_required})
    evidence: dict[str, Any] = {
        "requiring_topics": requiring,
        "instructor_read": None if _blank(name_read) else str(name_read),
        "matches": [m.to_dict() for m in matches],
    }
    if on_date is None or not requirements:
        return _skip(Reason.INSTRUCTOR_NOT_CERTIFIED, "no training date or no standard known")
    if not requiring:
        return RuleOutcome(Reason.INSTRUCTOR_NOT_CERTIFIED, True, evidence)
    if _blank(name_read):
        evidence["why"] = "a certified instructor is required and no instructor name was read"
        return RuleOutcome(Reason.INSTRUCTOR_NOT_CERTIFIED, False, evidence)
    found = [m.item for m in matches if m.item is not None]
    uncovered = [
        t for t in requiring if not any(instructor_certified(i, t, on_date) for i in found)
    ]
    if uncovered:
        evidence["uncovered_topics"] = uncovered
        evidence["why"] = (
            f"no instructor named was certified for {', '.join(uncovered)} on {on_date.isoformat()}"
        )
    return RuleOutcome(Reason.INSTRUCTOR_NOT_CERTIFIED, not uncovered, evidence)


@_rule(Reason.HOURS_EXCEED_COURSE)
def check_hours(hours: float | None, course: Course | None) -> RuleOutcome:
    """Documented hours are not above the course's approved hours (equal is fine)."""
    if course is None or hours is None:
        return _skip(Reason.HOURS_EXCEED_COURSE, "no course matched or no hours read")
    ok = hours <= course.hours + 1e-9
    evidence = {"documented_hours": hours, "course_hours": course.hours}
    return RuleOutcome(Reason.HOURS_EXCEED_COURSE, ok, evidence)


def find_duplicate(
    session: Session,
    officer_id: int | None,
    course_id: int | None,
    on_date: date | None,
    exclude_id: str | None = None,
) -> TrainingRecord | None:
    """The earliest verified or in-review record of the same officer, course and date."""
    if officer_id is None or course_id is None or on_date is None:
        return None
    stmt = (
        select(TrainingRecord)
        .where(
            TrainingRecord.officer_id == officer_id,
            TrainingRecord.course_id == course_id,
            TrainingRecord.training_date == on_date,
            TrainingRecord.status.in_(DUPLICATE_OF_STATUSES),
        )
        .order_by(TrainingRecord.received_at, TrainingRecord.created_at, TrainingRecord.id)
    )
    if exclude_id is not None:
        stmt = stmt.where(TrainingRecord.id != exclude_id)
    return session.scalars(stmt).first()


@_rule(Reason.DUPLICATE)
def check_duplicate(
    session: Session,
    officer: Officer | None,
    course: Course | None,
    on_date: date | None,
    exclude_id: str | None = None,
) -> RuleOutcome:
    """The same training (officer, course, date) is not already verified or in review."""
    if officer is None or course is None or on_date is None:
        return _skip(Reason.DUPLICATE, "officer, course or date unknown; cannot compare")
    first = find_duplicate(session, officer.id, course.id, on_date, exclude_id)
    evidence: dict[str, Any] = {"duplicate_of": first.id if first else None}
    if first is not None:
        evidence["duplicate_of_status"] = first.status
        evidence["duplicate_of_document"] = first.document_id
    return RuleOutcome(Reason.DUPLICATE, first is None, evidence)
