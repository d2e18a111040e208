"""What paperwork says and how it prints values: labels, dates, names, hours, places.

Every vocabulary here has many entries on purpose: Credence is judged on other agencies'
paperwork, so no field may be printed only one way. Functions take a ``random.Random`` and
return the printed string; callers record what was printed as ground truth.
"""

from __future__ import annotations

import random
from datetime import date

from devtools.samplegen.reference import Person

# --- labels --------------------------------------------------------------------------------

LABELS: dict[str, tuple[str, ...]] = {
    "officer_name": ("Name", "Officer", "Student Name", "Participant", "Attendee", "Trainee",
                     "Officer Name", "Student", "Awarded to", "Name of Officer"),
    "badge_number": ("Badge #", "Badge No.", "ID", "PID", "POST ID", "Officer ID",
                     "Badge Number", "Employee ID", "ID #", "Badge", "Officer No."),
    "training_date": ("Date", "Date of Training", "Completed on", "Date Completed",
                      "Completion Date", "Training Date", "Course Date", "Date(s)",
                      "Date of Completion"),
    "hours": ("Hours", "Credit Hours", "Contact Hours", "Training Hours", "Duration",
              "Hours Completed", "CE Hours", "Total Hours", "Hours Awarded"),
    "post_number": ("POST Course #", "Course No.", "Course Number", "Course ID",
                    "POST Control No.", "Course #", "State Course No.", "Approval No.",
                    "POST Course Number"),
    "course_title": ("Course", "Course Title", "Training", "Course Name", "Program", "Subject",
                     "Title"),
    "instructor_name": ("Instructor", "Presented by", "Lead Instructor", "Instructor of Record",
                        "Facilitator", "Trainer", "Instructed by"),
    "location": ("Location", "Held at", "Training Site", "Venue", "Site", "Training Location",
                 "Place"),
    "training_format": ("Delivery", "Format", "Delivery Method", "Method of Instruction",
                        "Training Type", "Mode"),
    "serial": ("Certificate No.", "Certificate #", "Cert. ID", "Serial No.", "Certificate Number",
               "Verification Code", "Record #"),
    "provider": ("Provider #", "Provider No.", "Training Provider ID", "Academy No.",
                 "Vendor ID", "Provider ID"),
    "agency": ("Agency", "Department", "Employing Agency", "Organization"),
}

# Each state's own names for the course number and the officer's id, mixed with the generic ones.
STATE_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "TX": {"post_number": ("TCOLE Course #", "TCOLE Course No.", "TCOLE Course Number"),
           "badge_number": ("TCOLE PID", "PID #")},
    "CA": {"post_number": ("POST Control No.", "Course Control #", "POST Course Cert. #"),
           "badge_number": ("POST ID", "POST ID #")},
    "FL": {"post_number": ("CJSTC Course #", "CJSTC Course Number", "FDLE Course No."),
           "badge_number": ("CJSTC ID", "Officer ID")},
    "WA": {"post_number": ("CJTC Course No.", "CJTC Course #", "Course No."),
           "badge_number": ("Personnel #", "Badge No.")},
    "GA": {"post_number": ("GPSTC Course #", "POST Course ID", "Course Code"),
           "badge_number": ("POST Cert #", "Badge #")},
}

STATE_BOARDS = {
    "TX": "Texas Commission on Law Enforcement",
    "CA": "Commission on Peace Officer Standards and Training",
    "FL": "Criminal Justice Standards and Training Commission",
    "WA": "Washington State Criminal Justice Training Commission",
    "GA": "Georgia Peace Officer Standards and Training Council",
}
STATE_NAMES = {"TX": "Texas", "CA": "California", "FL": "Florida", "WA": "Washington",
               "GA": "Georgia"}


def label(rng: random.Random, key: str, state: str | None = None) -> str:
    """A label for ``key``, sometimes the state's own wording."""
    own = STATE_LABELS.get(state or "", {}).get(key, ())
    if own and rng.random() < 0.45:
        return rng.choice(own)
    return rng.choice(LABELS[key])


def labelled(rng: random.Random, text: str, value: str, sep: str | None = None) -> str:
    """``Label: value`` with a varied separator."""
    if sep is None:
        sep = rng.choice((": ", ": ", ":  ", " ", " - "))
    if text.endswith(("#", ".")) and sep == " ":
        sep = " "
    return f"{text}{sep}{value}"


# --- dates ---------------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")

DATE_STYLES = ("long", "numeric", "numeric_short", "iso", "abbrev", "day_month", "dash_upper",
               "numeric_dash", "two_digit_year")


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``, ``22nd``..."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(d: date, style: str) -> str:
    """Print ``d`` in one of :data:`DATE_STYLES` (US month-first where numeric).

    >>> format_date(date(2026, 3, 3), "long")
    'March 3, 2026'
    """
    month = MONTHS[d.month - 1]
    return {
        "long": f"{month} {d.day}, {d.year}",
        "numeric": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "numeric_short": f"{d.month}/{d.day}/{d.year}",
        "iso": d.isoformat(),
        "abbrev": f"{month[:3]} {d.day}, {d.year}",
        "day_month": f"{d.day} {month} {d.year}",
        "dash_upper": f"{d.day:02d}-{month[:3].upper()}-{d.year}",
        "numeric_dash": f"{d.month:02d}-{d.day:02d}-{d.year}",
        "two_digit_year": f"{d.month:02d}/{d.day:02d}/{d.year % 100:02d}",
        "ordinal": f"{ordinal(d.day)} day of {month}, {d.year}",
    }[style]


def choose_date_style(rng: random.Random, prose: bool = False) -> str:
    """A date style; prose (award, letter) may also say ``3rd day of March, 2026``."""
    styles = DATE_STYLES + (("ordinal", "long", "long") if prose else ())
    return rng.choice(styles)


def format_date_range(start: date, end: date, style: str, rng: random.Random) -> str:
    """A multi-day course's dates: ``March 2-6, 2026``, ``03/02/2026 - 03/06/2026``..."""
    if style in ("long", "abbrev", "ordinal") and start.month == end.month and rng.random() < 0.6:
        month = MONTHS[start.month - 1]
        month = month[:3] if style == "abbrev" else month
        return f"{month} {start.day}-{end.day}, {end.year}"
    if style == "ordinal":
        style = "long"
    joiner = rng.choice((" - ", " to ", " through ", "-"))
    return f"{format_date(start, style)}{joiner}{format_date(end, style)}"


# --- names ---------------------------------------------------------------------------------

NAME_STYLES = ("natural", "natural_middle", "upper_natural", "last_first", "last_first_middle",
               "upper_last_first", "title_case_middle")

RANKS_SWORN = ("Officer", "Deputy", "Sgt.", "Cpl.", "Trooper", "Det.", "Ofc.", "Sergeant",
               "Lieutenant", "Dep.")
RANKS_DISPATCH = ("Dispatcher", "Telecommunicator", "Communications Officer")
INSTRUCTOR_RANKS = ("Sgt.", "Lt.", "Instructor", "Dr.", "Capt.", "Cpl.", "Officer")


def format_name(person: Person, style: str) -> tuple[str, str]:
    """Print a person's name.

    Returns:
        (printed, canonical): the printed form (``DOE JR., JANE Q.``) and the natural-order
        form of the same parts (``Jane Q. Doe Jr.``), which is what the ground truth records.
    """
    middle = person.middle if style in ("natural_middle", "last_first_middle",
                                        "title_case_middle") else ""
    natural = " ".join(p for p in (person.first, middle, person.last, person.suffix) if p)
    if style in ("natural", "natural_middle", "title_case_middle"):
        printed = natural
    elif style == "upper_natural":
        printed = natural.upper()
    else:
        last = " ".join(p for p in (person.last, person.suffix) if p)
        first = " ".join(p for p in (person.first, middle) if p)
        printed = f"{last}, {first}"
        if style == "upper_last_first":
            printed = printed.upper()
    return printed, natural


def rank_for(rng: random.Random, role: str | None) -> str:
    """A rank or title printed before an officer's name, or ``""``."""
    if role == "dispatcher":
        return rng.choice(RANKS_DISPATCH) if rng.random() < 0.4 else ""
    if role == "civilian" or rng.random() > 0.35:
        return ""
    return rng.choice(RANKS_SWORN)


# --- hours ---------------------------------------------------------------------------------

_NUMBER_WORDS = ("Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine",
                 "Ten", "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen",
                 "Seventeen", "Eighteen", "Nineteen", "Twenty")
HOURS_STYLES = ("plain", "one_decimal", "two_decimals", "words")


def format_hours(hours: float, style: str) -> str:
    """Print an hours value: ``8``, ``8.0``, ``8.00`` or ``Eight (8)``."""
    whole = float(hours).is_integer()
    if style == "words" and whole and int(hours) < len(_NUMBER_WORDS):
        return f"{_NUMBER_WORDS[int(hours)]} ({int(hours)})"
    if style == "two_decimals":
        return f"{hours:.2f}"
    if style == "one_decimal" or not whole:
        return f"{hours:.1f}"
    return f"{int(hours)}"


HOURS_UNITS = ("hours", "hrs", "Hours", "hrs.", "hour(s)", "Hrs")

# --- formats ---------------------------------------------------------------------------------

FORMAT_WORDS = {
    "classroom": ("Classroom", "In-Person", "Classroom / Lecture", "Instructor-led"),
    "online": ("Online", "Online (self-paced)", "Web-based", "E-Learning"),
    "scenario": ("Scenario-Based", "Scenario", "Reality-Based Training", "Practical Scenarios"),
    "hybrid": ("Hybrid", "Blended (online + classroom)", "Hybrid / Blended", "Blended"),
}


def format_word(rng: random.Random, fmt: str) -> str:
    """How a certificate prints a delivery format."""
    return rng.choice(FORMAT_WORDS[fmt])


# --- issuers, places, distractor numbers --------------------------------------------------

ISSUERS = {
    "TX": ("Harris County Sheriff's Office Training Academy",
           "North Central Texas Regional Police Academy",
           "Austin Police Department Training Academy",
           "Lubbock County Sheriff's Office", "Brazos Valley Council of Governments Academy"),
    "CA": ("San Diego Regional Public Safety Training Institute",
           "Sacramento County Sheriff's Office Training Bureau",
           "Golden West College Criminal Justice Training Center", "Fresno Police Department",
           "Santa Rosa Junior College Public Safety Training Center"),
    "FL": ("Florida Public Safety Institute", "Broward Sheriff's Office Training Division",
           "Miami-Dade Public Safety Training Institute", "Tampa Police Department Academy",
           "Indian River State College Criminal Justice Institute"),
    "WA": ("Washington State Criminal Justice Training Commission",
           "Spokane County Sheriff's Office", "Tacoma Police Department Training Unit",
           "Yakima Valley Regional Training Center"),
    "GA": ("Georgia Public Safety Training Center", "Atlanta Police Academy",
           "Cobb County Police Training Unit", "Savannah-Chatham Regional Academy",
           "North Central Georgia Law Enforcement Academy"),
}
VENDORS = ("Blue Line eLearning", "Command Presence Online Academy", "Guardian Training Systems",
           "Vector Law Enforcement Learning", "Shield Point CE", "Tactical Mind Institute")

PLACES = {
    "TX": ("Harris County Sheriff's Office Academy, Houston, TX",
           "7300 N. Shepherd Dr., Houston, TX 77091", "Austin Police Academy, Austin, TX",
           "Lubbock County Training Center, Room 104", "Bryan, Texas",
           "Region 5 Training Facility, Beaumont, TX 77701"),
    "CA": ("San Diego Regional Training Center, San Diego, CA",
           "Sacramento County Sheriff's Training Bureau, 7000 65th St.",
           "Golden West College, Huntington Beach, CA 92647", "Fresno PD Training Room B",
           "Santa Rosa, California"),
    "FL": ("Florida Public Safety Institute, Havana, FL 32333",
           "Broward Sheriff's Office, Fort Lauderdale, FL", "Miami-Dade PSTI, Doral, FL",
           "Tampa Police Training Center", "Vero Beach, Florida"),
    "WA": ("CJTC Burien Campus, 19010 1st Ave S, Burien, WA 98148", "Spokane, WA",
           "Tacoma Police Training Center", "Yakima Valley Regional Training Center",
           "Olympia, Washington"),
    "GA": ("Georgia Public Safety Training Center, Forsyth, GA 31029",
           "Atlanta Police Academy, 180 Southside Industrial Pkwy", "Cobb County Safety Village",
           "Savannah, GA", "Dahlonega, Georgia"),
}
ONLINE_PLACES = ("Online", "Online (self-paced)", "Virtual Classroom", "Web-based / Online",
                 "Online - Distance Learning")

AGENCIES = {
    "TX": ("Harris County Sheriff's Office", "Pasadena Police Department",
           "Travis County Constable Pct. 3"),
    "CA": ("Chula Vista Police Department", "Sacramento County Sheriff's Office", "Escondido PD"),
    "FL": ("Broward Sheriff's Office", "Ocala Police Department", "Leon County Sheriff's Office"),
    "WA": ("Spokane Police Department", "Pierce County Sheriff's Department",
           "Kent Police Department"),
    "GA": ("Cobb County Police Department", "Macon-Bibb County Sheriff's Office",
           "Athens-Clarke County PD"),
}

STREETS = ("1200 Baker St.", "400 W. Main Street", "88 Commerce Pkwy, Suite 210",
           "2150 Academy Drive", "5 Justice Plaza", "901 Ridgeline Rd.")


def place(rng: random.Random, state: str, fmt: str) -> str:
    """Where the course was held (``Online`` and the like for online courses)."""
    if fmt == "online":
        return rng.choice(ONLINE_PLACES)
    return rng.choice(PLACES[state])


def phone(rng: random.Random) -> str:
    """A phone number (a distractor digit string)."""
    area = rng.choice(("713", "512", "619", "916", "305", "850", "206", "509", "404", "478"))
    return f"({area}) 555-{rng.randrange(100, 10000):04d}"


def serial_number(rng: random.Random, year: int) -> str:
    """A certificate serial number, in one of several shapes."""
    shape = rng.randrange(5)
    if shape == 0:
        return f"{year}-{rng.randrange(10000, 99999)}"
    if shape == 1:
        letters = "".join(rng.choice("ABCDEFGHJKMNPQRSTUVWXYZ23456789") for _ in range(6))
        return f"CERT-{letters}"
    if shape == 2:
        return f"No. {rng.randrange(1000, 999999):06d}"
    if shape == 3:
        return f"{rng.randrange(100000, 9999999)}"
    return f"C{year % 100:02d}{rng.randrange(1000, 9999)}-{rng.randrange(10, 99)}"


def provider_number(rng: random.Random, state: str, post_number: str | None) -> str:
    """A training provider's number: a distractor beside the POST number."""
    if state == "CA" and post_number and "-" in post_number and rng.random() < 0.6:
        return post_number.split("-")[0]  # the presenter code heads the control number
    shape = rng.randrange(3)
    if shape == 0:
        return f"{rng.randrange(1000, 9999)}"
    if shape == 1:
        return f"PRV-{rng.randrange(10000, 99999)}"
    return f"{state}{rng.randrange(100, 999)}-{rng.randrange(10, 99)}"
