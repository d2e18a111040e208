"""The contract's verification rules, re-stated over the generator's own reference data.

This is not Credence's verifier: it is the generator's check that each planned case triggers
exactly the reason it is meant to (and a valid case none). Where the contract leaves a choice
open, the check takes the strict reading of both sides, so that a planned case holds under
either: requirement flags are the union of the course's own standard and every standard in
force for the course's topics on the training date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from devtools.samplegen.reference import Course, Person, Reference, Standard

REASONS = ("unreadable", "missing_field", "officer_not_on_roster", "post_number_unknown",
           "course_title_mismatch", "outside_approval_window", "superseded_standard",
           "scenario_required", "instructor_not_certified", "hours_exceed_course", "not_signed",
           "duplicate", "not_training_document")

# What a certificate in the corpus can be flagged for (sign-in rows add ``not_signed``;
# ``unreadable`` depends on the reader, not on the document).
CERTIFICATE_REASONS = tuple(r for r in REASONS if r not in ("unreadable", "not_signed"))


@dataclass(frozen=True)
class Claim:
    """What a certificate states, as a perfect reader would extract it.

    ``post_number`` is the catalog form (a California control number reduced to its course
    certification number); ``None`` means the certificate does not print the field.
    """

    person: Person | None
    badge_number: str | None
    training_date: date | None
    hours: float | None
    post_number: str | None
    course_title: str | None
    instructor: Person | None


def same_name(a: Person, b: Person) -> bool:
    """First and last names equal, ignoring case, middle names and suffixes."""
    return a.first.lower() == b.first.lower() and a.last.lower() == b.last.lower()


def title_fits(course: Course, title: str) -> bool:
    """The printed title is the catalog title or one of its known variants."""
    return title.lower() in {t.lower() for t in (course.title, *course.title_variants)}


def requirements(ref: Reference, course: Course, day: date) -> list[Standard]:
    """The course's own standard plus every standard in force for its topics on ``day``."""
    rows = [ref.standard(course.standard)]
    for topic in course.topics:
        in_force = ref.standard_in_force(course.state, topic, day)
        if in_force is not None and in_force not in rows:
            rows.append(in_force)
    return rows


def expected_reasons(ref: Reference, claim: Claim) -> set[str]:
    """The reason codes a correct verifier gives ``claim`` (``duplicate`` excepted)."""
    reasons: set[str] = set()
    required = (claim.person, claim.badge_number, claim.training_date, claim.hours,
                claim.post_number)
    if any(v is None for v in required):
        reasons.add("missing_field")
    if claim.person and claim.badge_number:
        officer = ref.officer(claim.badge_number)
        if officer is None or not same_name(officer.person, claim.person):
            reasons.add("officer_not_on_roster")
    course = ref.course(claim.post_number) if claim.post_number else None
    if claim.post_number and course is None:
        reasons.add("post_number_unknown")
    if course is None:
        return reasons
    if claim.course_title and not title_fits(course, claim.course_title):
        reasons.add("course_title_mismatch")
    if claim.hours is not None and claim.hours > course.hours:
        reasons.add("hours_exceed_course")
    if claim.training_date:
        reasons |= _dated_reasons(ref, course, claim.training_date, claim.instructor)
    return reasons


def _dated_reasons(ref: Reference, course: Course, day: date,
                   instructor: Person | None) -> set[str]:
    reasons: set[str] = set()
    if day < course.approved_from or (course.approved_until and day > course.approved_until):
        reasons.add("outside_approval_window")
    own = ref.standard(course.standard)
    in_force = ref.standard_in_force(course.state, own.topic, day)
    if in_force is None or in_force.standard != own.standard:
        reasons.add("superseded_standard")
    rows = requirements(ref, course, day)
    if any(s.scenario_required for s in rows) and course.format not in ("scenario", "hybrid"):
        reasons.add("scenario_required")
    needs_cert = [s for s in rows if s.certified_instructor_required]
    if needs_cert:
        registered = ref.instructor(instructor.full) if instructor else None
        if registered is None or not all(registered.certified_on(day, s.topic)
                                         for s in needs_cert):
            reasons.add("instructor_not_certified")
    return reasons
