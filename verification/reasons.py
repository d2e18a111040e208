"""Reason codes: "processed, and here is why it was not credited" (contract: reason codes)."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a record was not verified. Values are exactly the contract's codes."""

    UNREADABLE = "unreadable"
    MISSING_FIELD = "missing_field"
    OFFICER_NOT_ON_ROSTER = "officer_not_on_roster"
    POST_NUMBER_UNKNOWN = "post_number_unknown"
    COURSE_TITLE_MISMATCH = "course_title_mismatch"
    OUTSIDE_APPROVAL_WINDOW = "outside_approval_window"
    SUPERSEDED_STANDARD = "superseded_standard"
    SCENARIO_REQUIRED = "scenario_required"
    INSTRUCTOR_NOT_CERTIFIED = "instructor_not_certified"
    HOURS_EXCEED_COURSE = "hours_exceed_course"
    NOT_SIGNED = "not_signed"
    DUPLICATE = "duplicate"
    NOT_TRAINING_DOCUMENT = "not_training_document"

    @property
    def description(self) -> str:
        """One plain-language sentence for the review screen."""
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[Reason, str] = {
    Reason.UNREADABLE: (
        "A required field was found on the page but could not be read with enough confidence. "
        "Compare it with the scan and correct it."
    ),
    Reason.MISSING_FIELD: (
        "A required field (officer name, badge, date, hours, POST number or course title) "
        "does not appear on the document."
    ),
    Reason.OFFICER_NOT_ON_ROSTER: (
        "No roster officer matches both the name and the badge number read, or the name "
        "does not fit the officer who holds that badge."
    ),
    Reason.POST_NUMBER_UNKNOWN: (
        "The POST course number is not in the approved-course catalog for the officer's state."
    ),
    Reason.COURSE_TITLE_MISMATCH: (
        "The course title on the document does not fit the catalog course with that POST number."
    ),
    Reason.OUTSIDE_APPROVAL_WINDOW: (
        "The training date is outside the period in which the course was approved."
    ),
    Reason.SUPERSEDED_STANDARD: (
        "The course was approved under a curriculum standard that was not the one in force in "
        "the state on the training date, so the hours do not satisfy the requirement."
    ),
    Reason.SCENARIO_REQUIRED: (
        "The state standard in force requires scenario-based training and this course or "
        "session was not scenario-based or hybrid."
    ),
    Reason.INSTRUCTOR_NOT_CERTIFIED: (
        "The state requires a certified instructor for this topic, and the instructor named is "
        "missing, not in the registry, or was not certified for the topic on the training date."
    ),
    Reason.HOURS_EXCEED_COURSE: (
        "The hours on the document are more than the course's approved hours."
    ),
    Reason.NOT_SIGNED: "The officer's signature is missing from the sign-in sheet row.",
    Reason.DUPLICATE: (
        "The same training (officer, course and date) is already on record; it is credited "
        "only once."
    ),
    Reason.NOT_TRAINING_DOCUMENT: "The page is not a training certificate or a sign-in sheet.",
}
