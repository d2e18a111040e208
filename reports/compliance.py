"""Per-officer compliance: each officer's status against the standard in force, per topic.

For every officer and every required topic of the officer's state the report says which
requirement applies (standard in force, minimum hours, cycle, scenario / instructor / online
rules, the roles it covers), the hours credited inside the cycle, the hours still needed, the
deadline and days left, and a status. Only ``verified`` records count; records in review are
shown as pending hours, never counted. When data is missing (no cycle dates, no standard for
the state, two versions in force on the same day) the status is ``missing_data`` with what is
missing, instead of a guessed status.

The whole roster is computed from four queries (standards, courses, verified records, records
in review) and plain Python, so 5,000 officers and 100,000 records take well under 2 s.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from course_catalog.models import Course, Officer, Standard
from reports import cycles
from reports.cycles import HOURS_EPSILON, Cycle, CycleUnknownError
from verification.models import RecordStatus, TrainingRecord

DUE_SOON_DAYS = 90
PRIMARY_TOPIC = "de-escalation"


class Status(StrEnum):
    """A topic's status for one officer."""

    COMPLIANT = "compliant"
    IN_PROGRESS = "in_progress"  # hours short, deadline more than 90 days away
    DUE_SOON = "due_soon"  # hours short, deadline within 90 days
    OVERDUE = "overdue"  # hours short, deadline passed
    NOT_APPLICABLE = "not_applicable"  # the requirement does not cover this officer
    MISSING_DATA = "missing_data"  # a status cannot be computed without guessing


@dataclass(frozen=True)
class PartStatus:
    """A minimum inside the requirement: a sub-topic's hours, or the scenario hours."""

    name: str
    min_hours: float
    credited_hours: float

    @property
    def needed_hours(self) -> float:
        """Hours still missing for this part (0 when met)."""
        return _shortfall(self.min_hours, self.credited_hours)


@dataclass(frozen=True)
class Requirement:
    """The standard in force for the officer's state and topic, as it applies."""

    standard: str
    effective_from: date
    min_hours: float
    cycle_months: int
    cycle_kind: str
    cycle_anchor: date | None
    scenario_required: bool
    scenario_min_hours: float | None
    certified_instructor_required: bool
    online_allowed: bool
    applies_to: tuple[str, ...]


@dataclass(frozen=True)
class TopicStatus:
    """One officer's standing on one topic on the report date.

    ``missing`` lists what is missing when ``status`` is ``missing_data``; ``notes`` explain
    anything else a reader should know (a standard changed mid-cycle, hours not accepted).
    """

    officer_id: int
    badge_number: str
    name: str
    state: str
    role: str
    unit: str | None
    topic: str
    as_of: date
    status: Status
    requirement: Requirement | None = None
    cycle: Cycle | None = None
    credited_hours: float = 0.0
    needed_hours: float | None = None
    pending_hours: float = 0.0
    pending_records: int = 0
    parts: tuple[PartStatus, ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def deadline(self) -> date | None:
        """The last day the requirement can be met in this cycle."""
        return self.cycle.end if self.cycle else None

    @property
    def days_left(self) -> int | None:
        """Days from the report date to the deadline (negative once overdue)."""
        return (self.cycle.end - self.as_of).days if self.cycle else None


@dataclass(slots=True)
class _Credit:
    day: date
    hours: float
    topics: frozenset[str]
    format: str | None


@dataclass(frozen=True)
class _Pending:
    day: date | None
    hours: float
    topics: frozenset[str] | None  # None: no catalog course matched, topic unknown


@dataclass
class _Catalog:
    """The standards and course formats, loaded once per report."""

    versions: dict[tuple[str, str], list[Standard]] = field(default_factory=dict)
    subtopics: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    topics: list[str] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)
    course_topics: dict[int, frozenset[str]] = field(default_factory=dict)


# --- public API ------------------------------------------------------------------------------


def roster_compliance(
    session: Session,
    as_of: date,
    *,
    unit: str | None = None,
    role: str | None = None,
    state: str | None = None,
) -> list[TopicStatus]:
    """Every officer's status on every topic their state requires, ordered by badge.

    Args:
        session: open session (read only).
        as_of: the report date; training after it is ignored.
        unit, role, state: optional filters on the roster (exact match; state any case).

    Returns:
        One :class:`TopicStatus` per officer and required topic.
    """
    stmt = select(Officer).order_by(Officer.badge_number)
    if unit:
        stmt = stmt.where(Officer.unit == unit)
    if role:
        stmt = stmt.where(Officer.role == role)
    if state:
        stmt = stmt.where(Officer.state == state.strip().upper())
    officers = list(session.scalars(stmt))
    return _evaluate_officers(session, officers, as_of, officer_filter=bool(unit or role or state))


def officer_compliance(session: Session, officer: Officer, as_of: date) -> list[TopicStatus]:
    """One officer's status on every topic (see :func:`roster_compliance`)."""
    return _evaluate_officers(session, [officer], as_of, officer_filter=True)


# --- loading ---------------------------------------------------------------------------------


def _evaluate_officers(
    session: Session, officers: Sequence[Officer], as_of: date, *, officer_filter: bool
) -> list[TopicStatus]:
    catalog = _load_catalog(session)
    ids = [o.id for o in officers] if officer_filter else None
    credits = _load_credits(session, catalog, ids)
    pending = _load_pending(session, catalog, ids)
    out: list[TopicStatus] = []
    for officer in officers:
        for topic in _topics_for(officer, catalog):
            out.append(
                evaluate_topic(
                    officer, topic, as_of, catalog, credits.get(officer.id, []),
                    pending.get(officer.id, []),
                )
            )
    return out


def _topics_for(officer: Officer, catalog: _Catalog) -> list[str]:
    """The topics the officer's state requires; every known topic when it has none loaded.

    A state without any standard is reported, per topic, as missing data rather than left
    out: an officer must never silently vanish from the report. De-escalation, the
    requirement these reports exist for, is always reported when any state has it.
    """
    own = [
        t for t in catalog.topics
        if (officer.state, t) in catalog.versions or t == PRIMARY_TOPIC
    ]
    return own if any((officer.state, t) in catalog.versions for t in own) else catalog.topics


def _load_catalog(session: Session) -> _Catalog:
    catalog = _Catalog()
    standards = session.scalars(select(Standard).order_by(Standard.effective_from, Standard.id))
    for s in standards:
        catalog.versions.setdefault((s.state, s.topic), []).append(s)
        if s.parent_topic:
            subs = catalog.subtopics.setdefault((s.state, s.parent_topic), [])
            if s.topic not in subs:
                subs.append(s.topic)
        elif s.topic not in catalog.topics:
            catalog.topics.append(s.topic)
    # A topic that is a sub-topic somewhere and top-level elsewhere stays a topic there.
    catalog.topics.sort()
    for course_id, fmt, topics in session.execute(
        select(Course.id, Course.format, Course.topics)
    ):
        catalog.formats[course_id] = fmt
        catalog.course_topics[course_id] = frozenset(topics or ())
    return catalog


def _load_credits(
    session: Session, catalog: _Catalog, officer_ids: list[int] | None
) -> dict[int, list[_Credit]]:
    t = TrainingRecord.__table__
    stmt = select(
        t.c.officer_id,
        type_coerce(t.c.training_date, String),
        t.c.credit_hours,
        type_coerce(t.c.credit_topics, String),
        t.c.course_id,
    ).where(
        t.c.status == RecordStatus.VERIFIED,
        t.c.officer_id.is_not(None),
        t.c.training_date.is_not(None),
    )
    if officer_ids is not None:
        stmt = stmt.where(t.c.officer_id.in_(officer_ids))
    out: dict[int, list[_Credit]] = defaultdict(list)
    days: dict[Any, date] = {}
    topic_sets: dict[Any, frozenset[str]] = {}
    # Core rows, raw dates and JSON decoded once per distinct value: 100,000 records share
    # a few hundred dates and a handful of topic lists (half the report's time otherwise).
    for officer_id, raw_day, hours, raw_topics, course_id in session.connection().execute(
        stmt
    ).all():
        if not hours or not raw_topics:
            continue
        day = days.get(raw_day)
        if day is None:
            day = days[raw_day] = _as_date(raw_day)
        key = raw_topics if isinstance(raw_topics, str) else tuple(raw_topics)
        topics = topic_sets.get(key)
        if topics is None:
            topics = topic_sets[key] = _as_topics(raw_topics)
        out[officer_id].append(_Credit(day, float(hours), topics, catalog.formats.get(course_id)))
    return out


def _load_pending(
    session: Session, catalog: _Catalog, officer_ids: list[int] | None
) -> dict[int, list[_Pending]]:
    stmt = select(
        TrainingRecord.officer_id,
        TrainingRecord.training_date,
        TrainingRecord.fields[("hours", "value")],  # not the whole evidence of each field
        TrainingRecord.course_id,
    ).where(
        TrainingRecord.status == RecordStatus.NEEDS_REVIEW,
        TrainingRecord.officer_id.is_not(None),
    )
    if officer_ids is not None:
        stmt = stmt.where(TrainingRecord.officer_id.in_(officer_ids))
    out: dict[int, list[_Pending]] = defaultdict(list)
    for officer_id, day, hours, course_id in session.execute(stmt):
        hours = float(hours) if isinstance(hours, int | float) and hours > 0 else 0.0
        topics = catalog.course_topics.get(course_id) if course_id is not None else None
        out[officer_id].append(_Pending(day, hours, topics))
    return out


def _as_date(raw: Any) -> date:
    # SQLite hands back the stored ISO text; PostgreSQL drivers a date already.
    return raw if isinstance(raw, date) else date.fromisoformat(str(raw)[:10])


def _as_topics(raw: Any) -> frozenset[str]:
    return frozenset(json.loads(raw) if isinstance(raw, str) else raw or ())


# --- evaluation ------------------------------------------------------------------------------


def evaluate_topic(
    officer: Officer,
    topic: str,
    as_of: date,
    catalog: _Catalog,
    credits: Sequence[_Credit],
    pending: Sequence[_Pending],
) -> TopicStatus:
    """The status of ``officer`` on ``topic`` on ``as_of`` (pure: no database)."""
    base: dict[str, Any] = {
        "officer_id": officer.id,
        "badge_number": officer.badge_number,
        "name": officer.full_name,
        "state": officer.state,
        "role": officer.role,
        "unit": officer.unit,
        "topic": topic,
        "as_of": as_of,
    }
    versions = catalog.versions.get((officer.state, topic), [])
    if not versions:
        return _missing(base, f"no {topic} standard loaded for state {officer.state}")
    standard, problem = _in_force(versions, as_of)
    if problem:
        return _missing(base, problem)
    if standard is None:
        first = versions[0]
        note = f"{first.standard} takes effect {first.effective_from}; nothing required before"
        return TopicStatus(**base, status=Status.NOT_APPLICABLE, notes=(note,))
    return _evaluate_standard(base, officer, standard, versions, catalog, credits, pending)


def _evaluate_standard(
    base: dict[str, Any],
    officer: Officer,
    standard: Standard,
    versions: Sequence[Standard],
    catalog: _Catalog,
    credits: Sequence[_Credit],
    pending: Sequence[_Pending],
) -> TopicStatus:
    as_of, topic = base["as_of"], base["topic"]
    requirement = _requirement(standard)
    if officer.role not in requirement.applies_to:
        note = (
            f"{standard.standard} applies to {', '.join(requirement.applies_to)}; "
            f"officer is {officer.role}"
        )
        return TopicStatus(
            **base, status=Status.NOT_APPLICABLE, requirement=requirement, notes=(note,)
        )
    topical = [c for c in credits if topic in c.topics]
    accepted, notes = _accepted(topical, requirement)
    try:
        cycle = _cycle(officer, requirement, accepted, as_of)
    except CycleUnknownError as e:
        return _missing(base, str(e), requirement=requirement)
    notes += _mid_cycle_notes(versions, standard, cycle, as_of)
    in_cycle = [c for c in accepted if cycle.start <= c.day <= min(cycle.end, as_of)]
    credited = _sum(c.hours for c in in_cycle)
    parts = _parts(officer, standard, requirement, catalog, credits, cycle, as_of)
    waiting = [p for p in pending if _pending_counts(p, topic, cycle)]
    status, needed = _status(requirement, cycle, credited, parts, as_of)
    if status is Status.MISSING_DATA:
        return _missing(base, "the roster cycle ended; load the officer's current cycle dates",
                        requirement=requirement)
    return TopicStatus(
        **base,
        status=status,
        requirement=requirement,
        cycle=cycle,
        credited_hours=credited,
        needed_hours=needed,
        pending_hours=_sum(p.hours for p in waiting),
        pending_records=len(waiting),
        parts=parts,
        notes=tuple(notes),
    )


def _missing(base: dict[str, Any], what: str, *, requirement: Requirement | None = None):
    return TopicStatus(**base, status=Status.MISSING_DATA, requirement=requirement, missing=(what,))


def _in_force(versions: Sequence[Standard], on: date) -> tuple[Standard | None, str | None]:
    """The version in force on ``on``, or a reason when two versions tie on that day."""
    started = [v for v in versions if v.effective_from <= on]
    if not started:
        return None, None
    latest = started[-1]
    tied = [v for v in started if v.effective_from == latest.effective_from]
    if len(tied) > 1:
        names = " and ".join(v.standard for v in tied)
        return None, f"overlapping standards: {names} both take effect {latest.effective_from}"
    return latest, None


def _requirement(s: Standard) -> Requirement:
    return Requirement(
        standard=s.standard,
        effective_from=s.effective_from,
        min_hours=float(s.min_hours),
        cycle_months=int(s.cycle_months),
        cycle_kind=s.cycle_kind or cycles.OFFICER,
        cycle_anchor=s.cycle_anchor,
        scenario_required=bool(s.scenario_required),
        scenario_min_hours=s.scenario_min_hours,
        certified_instructor_required=bool(s.certified_instructor_required),
        online_allowed=s.online_allowed is not False,
        applies_to=tuple(s.applies_to or ()),
    )


def _accepted(credits: Sequence[_Credit], req: Requirement) -> tuple[list[_Credit], list[str]]:
    """The credits this requirement accepts; a note for hours it refuses (online)."""
    if req.online_allowed:
        return list(credits), []
    refused = [c for c in credits if c.format == "online"]
    kept = [c for c in credits if c.format != "online"]
    notes = []
    if refused:
        notes.append(f"{_sum(c.hours for c in refused):g} h of online training not accepted")
    return kept, notes


def _cycle(officer: Officer, req: Requirement, credits: Sequence[_Credit], as_of: date) -> Cycle:
    if req.cycle_kind == cycles.FIXED:
        if req.cycle_anchor is None:
            raise CycleUnknownError(
                f"standard {req.standard} has a fixed cycle but no cycle_anchor"
            )
        return cycles.fixed_cycle(req.cycle_anchor, req.cycle_months, as_of)
    if req.cycle_kind == cycles.ROLLING:
        return cycles.rolling_cycle(
            officer.cycle_start,
            officer.cycle_end,
            req.cycle_months,
            req.min_hours,
            [(c.day, c.hours) for c in credits],
            as_of,
        )
    return cycles.officer_cycle(officer.cycle_start, officer.cycle_end, req.cycle_months, as_of)


def _mid_cycle_notes(
    versions: Sequence[Standard], standard: Standard, cycle: Cycle, as_of: date
) -> list[str]:
    """Say when the standard changed during the cycle: earlier hours were earned under another.

    Those hours still count: verification already checked each against the standard in
    force on its training date.
    """
    if not cycle.start < standard.effective_from <= as_of:
        return []
    earlier = [v for v in versions if v.effective_from < standard.effective_from]
    replaced = f", replacing {earlier[-1].standard}" if earlier else ""
    return [
        f"standard changed during the cycle: {standard.standard} from "
        f"{standard.effective_from}{replaced}"
    ]


def _parts(
    officer: Officer,
    standard: Standard,
    req: Requirement,
    catalog: _Catalog,
    credits: Sequence[_Credit],
    cycle: Cycle,
    as_of: date,
) -> tuple[PartStatus, ...]:
    """Sub-topic minimums and the scenario minimum, each counted inside the cycle."""
    last = min(cycle.end, as_of)
    in_cycle = [c for c in credits if cycle.start <= c.day <= last]
    if not req.online_allowed:
        in_cycle = [c for c in in_cycle if c.format != "online"]
    parts: list[PartStatus] = []
    if req.scenario_min_hours:
        # Only scenario-format courses: a hybrid course's certificate does not say how many
        # of its hours were scenarios, and counting them all could credit hours not earned.
        hours = _sum(c.hours for c in in_cycle if standard.topic in c.topics
                     and c.format == "scenario")
        parts.append(PartStatus("scenario", float(req.scenario_min_hours), hours))
    for sub in catalog.subtopics.get((officer.state, standard.topic), []):
        versions = catalog.versions.get((officer.state, sub), [])
        sub_standard, _ = _in_force(versions, as_of)
        if sub_standard is None or sub_standard.parent_topic != standard.topic:
            continue
        hours = _sum(c.hours for c in in_cycle if sub in c.topics)
        parts.append(PartStatus(sub, float(sub_standard.min_hours), hours))
    return tuple(parts)


def _pending_counts(p: _Pending, topic: str, cycle: Cycle) -> bool:
    if p.topics is not None and topic not in p.topics:
        return False
    return p.day is None or cycle.start <= p.day <= cycle.end


def _status(
    req: Requirement, cycle: Cycle, credited: float, parts: Sequence[PartStatus], as_of: date
) -> tuple[Status, float]:
    needed = max(
        _shortfall(req.min_hours, credited),
        sum(p.needed_hours for p in parts if p.name != "scenario"),
        max((p.needed_hours for p in parts if p.name == "scenario"), default=0.0),
    )
    needed = round(needed, 2)
    days_left = (cycle.end - as_of).days
    if cycle.kind == cycles.ROLLING and cycle.completed_on is not None:
        # Completed within the rolling period: in good standing until the period runs out.
        if days_left < 0:
            return Status.OVERDUE, needed
        if days_left <= DUE_SOON_DAYS and needed > 0:
            return Status.DUE_SOON, needed
        return Status.COMPLIANT, needed
    if needed <= 0:
        if days_left < 0 and cycle.kind == cycles.OFFICER:
            return Status.MISSING_DATA, 0.0
        return Status.COMPLIANT, 0.0
    if days_left < 0:
        return Status.OVERDUE, needed
    if days_left <= DUE_SOON_DAYS:
        return Status.DUE_SOON, needed
    return Status.IN_PROGRESS, needed


def _shortfall(minimum: float, credited: float) -> float:
    short = minimum - credited
    return 0.0 if short <= HOURS_EPSILON else round(short, 2)


def _sum(values: Iterable[float]) -> float:
    return round(float(sum(values)), 4)
