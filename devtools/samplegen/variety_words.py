"""The ``variety`` profile's vocabulary: captions, headings and attestations of its own.

Written fresh for the variety profile (issue 12, "the evaluation grades itself"): none of it
is taken from the reader's lexicon (``extractors/labels.py``) or from any development corpus.
Plain words such as "Date" or "Venue" are bound to occur in any vocabulary; the point is that
the reader meets wordings it was not tuned on, so ``make eval`` says something about paperwork
it has never seen. :func:`lexicon_overlap` measures how much of this vocabulary the reader
happens to know (reported, not asserted).

Dates and hours get printed forms the classic profile never uses; every form states the
same day or amount unambiguously (US month-first where numeric), so the truth stays exact.
"""

from __future__ import annotations

import random
from datetime import date

from devtools.samplegen import wording as wd

# field -> captions a form prints beside, above or under the value
CAPTIONS: dict[str, tuple[str, ...]] = {
    "officer_name": (
        "Member", "Sworn Member", "Enrollee", "Officer of Record", "Attending Member",
        "Personnel Name", "Candidate", "Credited To", "Peace Officer", "Licensee",
        "Licensee Name", "Course Participant", "Individual Trained", "Member Name (print)",
        "Student of Record", "Full Legal Name", "Name of Enrollee", "Attending Officer",
    ),
    "badge_number": (
        "Badge/Serial", "Serial No.", "Shield No.", "Star No.", "Member ID", "Personnel ID",
        "Agency ID No.", "Credential No.", "License No.", "Officer Cert. No.", "Identifier",
        "Member No.", "Badge Nbr", "Shield / Star", "State Officer No.", "Serial Number",
    ),
    "training_date": (
        "Session Date", "Date Held", "Class Held", "Delivered On", "Date of Instruction",
        "Instruction Date", "Course End Date", "Date Concluded", "Day of Training",
        "Date Trained", "Session Held", "Final Day", "Class Concluded", "Date of Session",
    ),
    "hours": (
        "Credit Hrs", "Clock Hours", "Hours Earned", "Hours Credited", "Instruction Hours",
        "Contact Hrs.", "CE Credit (hrs)", "Credit Awarded", "Total Time (hrs)",
        "Hrs. Completed", "Length (hrs)", "Hours of Instruction", "Credited Hours",
        "Time Credited",
    ),
    "post_number": (
        "Course Ref.", "Course Ref. No.", "Approval Code", "State Approval #",
        "Curriculum Code", "Board Course No.", "Certified Course #", "Course Key",
        "Registry No.", "Commission Course No.", "Approved Course Code", "Course Reg. No.",
        "State Course Ref.",
    ),
    "course_title": (
        "Course Subject", "Program Name", "Module", "Instruction Received",
        "Training Topic", "Course of Instruction", "Block of Instruction",
        "Title of Training", "Lesson Plan Title", "Session Subject", "Class Subject",
    ),
    "instructor_name": (
        "Lead Presenter", "Course Director", "Taught By", "Trainer of Record",
        "Presenting Instructor", "Primary Trainer", "Session Leader", "Instructor (print)",
        "Cadre", "Course Lead",
    ),
    "location": (
        "Venue", "Facility", "Site of Training", "Place of Instruction", "Training Venue",
        "Where Held", "Room / Facility", "Session Location", "Host Site",
    ),
    "training_format": (
        "Delivery Mode", "Instruction Mode", "Type of Class", "Format of Instruction",
        "Modality", "Presentation", "Session Type",
    ),
}

# Titles a signer holds who is not the instructor (the "signer is not the instructor" trap).
SIGNER_TITLES = (
    "Training Coordinator", "Records Custodian", "Academy Commander", "Chief of Police",
    "Training Sergeant", "Program Manager", "Registrar", "Director of Training",
    "Authorized Official", "Certifying Official", "Division Commander", "Sheriff",
)
INSTRUCTOR_TITLES = ("Presenter", "Course Lead", "Lead Cadre", "Session Instructor",
                     "Trainer", "Instructor")

CERT_HEADINGS = (
    "Record of Training Completion", "Certificate of Instruction", "Proof of Training",
    "Course Credit Certificate", "In-Service Training Certificate",
    "Completion Acknowledgment", "Continuing Education Credit", "Training Credit Statement",
    "Instruction Completion Notice", "Statement of Completion", "Course Completion Form",
    "Verification of Training", "Attendance and Completion Record",
    "Certificate of Course Credit", "Training Accomplishment",
)
# Prose that names the person, then prose that leads to the course.
NAME_LEADS = (
    "Let it be known that", "It is hereby recorded that", "The undersigned attests that",
    "This record establishes that", "We are pleased to recognize", "Honoring",
    "The training unit attests that", "Records of this academy show that",
    "This document is issued to", "Recognition is given to",
)
COURSE_LEADS = (
    "has fulfilled all requirements of", "completed the full course of instruction in",
    "was in attendance for and completed", "has met the standards of",
    "finished the prescribed hours of", "has been credited with the course",
    "took part in and completed", "has earned credit for",
)
CLOSINGS = (
    "Issued under the authority of the training unit.",
    "Keep this record with the member's training file.",
    "Not valid without an authorized signature.",
    "Credit is reported to the state board as shown above.",
    "Questions about this record go to the academy registrar.",
)

SHEET_HEADINGS = (
    "Daily Training Roster", "Class Attendance Record", "Course Roll Sheet",
    "In-Service Attendance Log", "Training Session Sign-In Log", "Attendance Register",
    "Participant Log", "Class Register", "Roll Sheet - Training Session",
    "Session Attendance", "Members Present",
)
SHEET_HEADS = {
    "no": ("#", "No.", "Line", "Ln", ""),
    "name": ("Member (print)", "Participant", "Printed Name of Attendee", "Full Name",
             "Name - Please Print", "Attendee", "Member"),
    "last": ("Last Name", "Surname", "Last"),
    "first": ("First Name", "Given Name", "First"),
    "badge": ("Badge/Serial", "Serial #", "Shield", "Emp. No.", "ID No.", "Star #",
              "Personnel No.", "Member ID"),
    "signature": ("Sign Here", "Attendee Signature", "Signature of Member", "Signed",
                  "Signature (in ink)"),
    "rank": ("Rank", "Title/Rank", "Grade"),
    "unit": ("Unit", "Division", "Assignment", "Dept."),
    "time_in": ("Time In", "In", "Arrival"),
    "time_out": ("Time Out", "Out", "Departure"),
}
SHEET_NOTES = (
    "By signing, each member affirms attendance for the full session.",
    "Signatures above confirm presence for the whole class.",
    "Late arrival or early departure must be noted beside the signature.",
    "Print clearly. Illegible entries will not be credited.",
    "I attest that the members who signed above were present for the entire session.",
    "Return the completed roster to the training office within five days.",
)
OFFICIAL_CAPTIONS = (
    "Verified by (Instructor)", "Roster closed by", "Session Supervisor",
    "Approved - Training Unit", "Certifying Officer", "Instructor Attestation",
)
RANKS = ("Ofc.", "Dep.", "Sgt.", "Cpl.", "Det.", "Lt.", "Tpr.", "PO", "Disp.", "")
UNITS = ("Patrol", "CID", "Traffic", "Jail", "Comms", "SRO", "K-9", "Admin", "Night Shift",
         "Day Shift", "North Dist.", "Records")

# --- dates and hours ---------------------------------------------------------------------

DATE_STYLES = ("long", "numeric", "numeric_short", "iso", "abbrev", "day_month",
               "dash_upper", "numeric_dash", "two_digit_year", "weekday_long", "abbrev_dot",
               "upper_abbrev", "ordinal_long", "slash_iso", "day_abbrev", "dash_short_year")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def format_date(d: date, style: str) -> str:
    """Print ``d`` in one of :data:`DATE_STYLES` (the classic ones, then forms of our own).

    >>> format_date(date(2026, 3, 3), "weekday_long")
    'Tuesday, March 3, 2026'
    """
    month = wd.MONTHS[d.month - 1]
    short = month[:3]
    own = {
        "weekday_long": f"{_WEEKDAYS[d.weekday()]}, {month} {d.day}, {d.year}",
        "abbrev_dot": f"{short}{'' if month == short else '.'} {d.day}, {d.year}",
        "upper_abbrev": f"{short.upper()} {d.day:02d} {d.year}",
        "ordinal_long": f"{month} {wd.ordinal(d.day)}, {d.year}",
        "slash_iso": f"{d.year}/{d.month:02d}/{d.day:02d}",
        "day_abbrev": f"{d.day} {short} {d.year}",
        "dash_short_year": f"{d.day}-{short}-{d.year % 100:02d}",
    }
    return own.get(style) or wd.format_date(d, style)


def format_range(start: date, end: date, style: str, rng: random.Random) -> str:
    """A multi-day course: both days in one style, joined as forms join them."""
    joiner = rng.choice((" - ", " to ", " thru ", " through "))
    return f"{format_date(start, style)}{joiner}{format_date(end, style)}"


def format_hours(hours: float, rng: random.Random) -> str:
    """An hours amount: ``8``, ``8.0``, ``8.00``, ``Eight (8)``, ``8 hrs``..."""
    whole = float(hours).is_integer()
    style = rng.choice(("plain", "one_decimal", "two_decimals", "words", "unit", "unit_dec"))
    if style == "unit":
        unit = rng.choice(("hrs", "hours", "hr.", "Hrs."))
        return f"{int(hours) if whole else hours} {unit}"
    if style == "unit_dec":
        return f"{hours:.1f} {rng.choice(('hrs', 'hours', 'credit hours', 'contact hrs'))}"
    return wd.format_hours(hours, {"plain": "plain", "one_decimal": "one_decimal",
                                   "two_decimals": "two_decimals", "words": "words"}[style])


def caption(rng: random.Random, field: str, upper: bool = False) -> str:
    """A caption for ``field`` from :data:`CAPTIONS`."""
    text = rng.choice(CAPTIONS[field])
    return text.upper() if upper else text


def lexicon_overlap() -> tuple[int, int]:
    """(captions the reader's lexicon also lists, captions in all): a measure, not a rule."""
    from extractors import labels

    known = {p for phrases in labels.FIELD_LABELS.values() for p in phrases}

    def norm(text: str) -> str:
        return " ".join(labels._TOKEN.findall(text.lower()))

    ours = [c for phrases in CAPTIONS.values() for c in phrases]
    return sum(norm(c) in known for c in ours), len(ours)
