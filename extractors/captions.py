"""Captions no wording list holds, typed by the kinds of words they are made of.

Every agency captions its forms in its own words: "Member No.", "Course Key", "Length (hrs)",
"Session Leader", "Site of Training". No list of phrases keeps up, but the words such a caption
is made of come from a few small families: who (officer, member, enrollee), who taught
(instructor, leader, cadre), what (course, class, subject), an identifier (no., code, key),
how long (hours, hrs, length), when (date, day, held), where (site, venue) and how (type,
mode). A caption is typed by the families of its words, in an order that settles compounds
("Session Leader" is a teacher, "Course End Date" a day, "Member No." an identifier of a
person). The value under or beside it must still parse as that field's value; a caption read
this way weighs less than a listed label.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z]+|#")

#: Words that are an officer's number by themselves ("Badge", "Shield").
BADGE_WORDS = frozenset({"badge", "shield", "star"})
ID_WORDS = frozenset({"no", "nbr", "num", "number", "#", "id", "code", "key", "ref",
                      "reference", "identifier", "nr"})
PERSON_WORDS = frozenset({
    "officer", "member", "student", "enrollee", "employee", "participant", "attendee",
    "trainee", "deputy", "trooper", "agent", "recruit", "cadet", "candidate", "personnel",
    "learner", "recipient", "licensee", "holder", "graduate",
    "enrolled", "name", "awardee", "individual", "person"})
TEACHER_WORDS = frozenset({
    "instructor", "instructors", "trainer", "teacher", "facilitator", "presenter", "leader",
    "lead", "cadre", "taught", "led", "instructed", "coach", "faculty", "lecturer", "educator",
    "proctor", "director"})
#: Teacher words that are verbs: with "by" they name who taught, else what was taught.
TEACHER_VERBS = frozenset({"taught", "led", "instructed"})
COURSE_WORDS = frozenset({
    "course", "class", "curriculum", "program", "programme", "session", "training", "lesson",
    "module", "block", "subject", "topic", "title", "instruction", "seminar", "workshop"})
TIME_WORDS = frozenset({"hours", "hrs", "hr", "hour", "time", "length", "duration", "credit",
                        "credits", "contact", "clock"})
DATE_WORDS = frozenset({"date", "dates", "day", "days", "dated", "held", "trained", "completed",
                        "ended", "end", "given", "when", "finished", "concluded"})
#: Date words that name a day themselves (not "held", "given": those say what happened).
DATE_NOUNS = frozenset({"date", "dates", "day", "days", "dated", "when"})
PLACE_WORDS = frozenset({"site", "venue", "location", "facility", "place", "where", "host",
                         "address", "city", "room", "campus", "range"})
FORMAT_WORDS = frozenset({"type", "modality", "delivery", "format", "method", "mode",
                          "presentation", "medium"})
#: Words of captions that name something else: a signature, a signer's rank or office, the
#: paper's own dates and contacts. "Member Signature" is no officer's name, "Training
#: Captain" under a signer's name no course.
OTHER_THINGS = frozenset({
    "signature", "signed", "sign", "initials", "approved", "authorized", "witness", "issued",
    "issue", "printed", "expires", "expiration", "birth", "dob", "phone", "email", "fax",
    "sergeant", "lieutenant", "captain", "commander", "chief", "sheriff", "major", "colonel",
    "corporal", "official", "custodian", "coordinator", "manager", "administrator",
    "supervisor", "registrar", "secretary", "clerk", "page", "form", "revision", "certificate",
    "cert", "serial", "invoice", "order", "receipt", "agency", "department", "provider",
    "vendor", "sponsor"})
#: Words that make a caption name a kind of something ("Credit Type", "Type of Credit",
#: "Hours Category"): its value is a word (Mandated, Elective), not the thing counted.
KIND_WORDS = frozenset({"type", "category", "kind", "status", "classification"})
#: Words that join a caption's words without saying anything of their own.
JOIN_WORDS = frozenset({"of", "the", "by", "on", "at", "to", "for", "in", "and", "or", "a",
                        "print", "printed", "s", "record", "full"})
_FAMILIES = (BADGE_WORDS, ID_WORDS, PERSON_WORDS, TEACHER_WORDS, COURSE_WORDS, TIME_WORDS,
             DATE_WORDS, PLACE_WORDS, FORMAT_WORDS)
#: Longest caption read this way, in words.
MAX_WORDS = 5


def caption_field(caption: str, strict: bool = False) -> str | None:
    """The record field a caption of unlisted words names, or ``None``.

    A caption is made of family words, joining words and at most one other word (a
    qualifier: "State", "Commission", "Total"); one with two or more other words is a value,
    not a caption ("Use of Force Training").

    Args:
        caption: the caption's text without its colon or dash.
        strict: for words with no colon or dash after them: two family words or more and
            no other word ("Course Subject", "Member No."), so a title such as "Firearms
            Training" on its own line stays a value.

    Returns:
        ``officer_name``, ``badge_number``, ``post_number``, ``hours``, ``training_date``,
        ``instructor_name``, ``location``, ``training_format``, ``course_title`` or None.
    """
    if any(c.isdigit() for c in caption):
        return None  # a caption holds no number; "Badge No. 4471" is a label and its value
    words = [w.lower() for w in _WORD.findall(caption)]
    if not strict:
        words = [_known_word(w) for w in words]
    meaning = _persons_licence([w for w in words if w not in JOIN_WORDS])
    if not meaning or len(meaning) > MAX_WORDS or OTHER_THINGS.intersection(meaning):
        return None
    other = [w for w in meaning if not any(w in family for family in _FAMILIES)]
    if strict and (other or len(meaning) < 2):
        return None
    last = words[-1]
    if _kind_of_count(meaning):
        return None
    if len(meaning) == 1 and other and last in ("on", "to"):
        # one verb before "on" / "to": "Delivered On" a day, "Credited To" a person
        return "training_date" if last == "on" else "officer_name"
    if len(other) > 1 or len(other) == len(meaning):
        return None
    has = set(meaning).intersection
    if has(PLACE_WORDS) and not has(DATE_NOUNS) and last != "on":
        return "location"  # "Where Held", "Site Trained": where it was held, not when
    if (has(PERSON_WORDS - {"name"}) and not has(DATE_NOUNS) and not has(TIME_WORDS)
            and not has(COURSE_WORDS) and meaning[-1] in DATE_WORDS and last != "on"):
        return "officer_name"  # "Individual Trained", "Member Completed": who, not when
    if last == "on" or (has(DATE_WORDS) and not has(TIME_WORDS)):
        return "training_date"  # "Course End Date", "Class Held", "Delivered On"
    if has(TIME_WORDS):
        return "hours"  # "Length (hrs)", "Total Time", "Contact Hrs."
    if has(BADGE_WORDS):
        return "badge_number"  # "Badge Nbr", "Shield"
    if has(ID_WORDS):
        if has(PERSON_WORDS):
            return "badge_number"  # "Member No.", "State Officer No."
        if has(COURSE_WORDS):
            return "post_number"  # "Course Key", "Curriculum Code"
        return None  # an identifier of something else (the certificate's own)
    if meaning[-1] in PERSON_WORDS - {"name"} and not has(TEACHER_WORDS):
        return "officer_name"  # the last word is who: "Course Participant", "Class Member"
    if has(TEACHER_WORDS) and has(COURSE_WORDS) and has(TEACHER_WORDS) <= TEACHER_VERBS \
            and last != "by":
        return "course_title"  # "Subject Taught": what was taught, not who taught it
    if has(TEACHER_WORDS):
        return "instructor_name"  # "Session Leader", "Trainer of Record", "Led By"
    if has(PLACE_WORDS):
        return "location"  # "Host Site", "Site of Training"
    if has(FORMAT_WORDS):
        return "training_format"  # "Type of Class", "Session Type"
    if has(COURSE_WORDS):
        return "course_title"  # "Title of Training", "Block of Instruction"
    if has(PERSON_WORDS):
        return "officer_name"  # "Name of Enrollee", "Student of Record"
    return None


def names_an_identifier(text: str) -> bool:
    """Whether ``text`` is the caption of a number, listed or not: caption words
    (:func:`caption_words`) ending in a word for a number ("REGISTRY NO.", "Folio #",
    "Class Code"). Beside another caption, past a gap, it is the next box's caption, never
    that caption's value."""
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(words) and words[-1] in ID_WORDS and caption_words(text)


def names_a_kind_of_count(caption: str) -> bool:
    """Whether ``caption`` is made of caption words and names the kind of a count, not the
    count: "Credit Type", "Type of Credit", "Hours Category". Its value says which kind
    (Mandated, Elective); a number read beside it is no hours."""
    words = [w.lower() for w in _WORD.findall(caption)]
    return caption_words(caption) and _kind_of_count([w for w in words if w not in JOIN_WORDS])


def _kind_of_count(meaning: list[str]) -> bool:
    """``meaning`` (a caption's words, joining words left out) names the kind of a count.
    "Session Type" names no count: it is a delivery format."""
    if len(meaning) < 2 or not TIME_WORDS.intersection(meaning):
        return False
    return meaning[-1] in KIND_WORDS or meaning[0] in KIND_WORDS


#: Every word a caption may be made of, for reading a slipped letter back.
_KNOWN = frozenset().union(*_FAMILIES, JOIN_WORDS, OTHER_THINGS)


@lru_cache(maxsize=4096)
def _known_word(word: str) -> str:
    """A word of six letters or more one OCR slip from exactly one known caption word of six
    letters or more (a letter lost, added or misread: "Trainor", "Instrucor", "Lacation" are
    read back), else the word as read. Shorter words are one letter from too many others:
    "Peace" from "place", "Dete" from "date" and "data", "Tite" from "title" and "time"."""
    if word in _KNOWN or len(word) < 6:
        return word
    near = [k for k in _KNOWN if len(k) >= 6 and abs(len(k) - len(word)) <= 1
            and _one_edit(word, k)]
    return near[0] if len(near) == 1 else word


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by changing, adding or dropping one letter."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


#: Words of a licence: the paper's own number alone ("Certificate No."), a person's after a
#: person's word ("Officer Cert. No.", "Peace Officer Certification Number").
LICENCE_WORDS = frozenset({"cert", "certificate", "certification", "license", "licence"})


def _persons_licence(meaning: list[str]) -> list[str]:
    """``meaning`` without a licence word that stands between a person's word and an id
    word: the number of the officer's own certification names the officer, as a badge
    does, where "Certificate No." alone numbers the paper."""
    for i, w in enumerate(meaning):
        if (w in LICENCE_WORDS and any(p in PERSON_WORDS - {"name"} for p in meaning[:i])
                and any(x in ID_WORDS for x in meaning[i + 1:])):
            return meaning[:i] + meaning[i + 1:]
    return meaning


def caption_words(text: str, qualifier: bool = False) -> bool:
    """Whether ``text`` reads as caption words, whatever field they name: words of the
    families, joining words, words of captions of other things, and at most one word of no
    family ("REGISTRY NO.", "(PRINT)", "LICENSEE"), no digit. A value ("Thanh Lundgren",
    "Firearms Requalification", "Online") is not. With ``qualifier`` (words beside a listed
    caption), one word of no family alone is a caption's qualifier ("STATE" OFFICER NO.)."""
    if any(c.isdigit() for c in text):
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or len(words) > MAX_WORDS:
        return False
    known = [w for w in words if w in JOIN_WORDS or w in OTHER_THINGS
             or any(w in family for family in _FAMILIES)]
    return (bool(known) or qualifier) and len(words) - len(known) <= 1
