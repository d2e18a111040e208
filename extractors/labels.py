"""The label vocabulary of training certificates and its spaCy matcher.

All the wording the extractor knows lives here: field labels (``Badge #``, ``Credit Hours``),
prose anchors (``This certifies that``, ``has successfully completed``) and distractors that
look like labels but introduce something else (``Certificate No.``, ``Provider #``, ``Issued``,
``Instructor Signature``). Add a wording by adding a phrase to a table below.

Lines are tokenised with one regex (runs of letters/digits, or single punctuation marks) so
``Badge#1234`` and ``Course No.:`` split the same way as the phrases; a ``spacy.blank("en")``
``PhraseMatcher(attr="LOWER")`` finds the phrases. The nlp object is built once and cached; it
needs no model download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import spacy
from rapidfuzz import fuzz, process
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from extractors.captions import caption_field, caption_words, names_a_kind_of_count
from extractors.dates import find_dates
from extractors.numbers import fold_homoglyphs

_TOKEN = re.compile(r"[^\W_]+|_+|[^\w\s]")


@dataclass(frozen=True)
class LabelSpec:
    """What a phrase in the vocabulary means.

    Attributes:
        field: the record field it introduces, or ``None`` for a distractor.
        kind: ``label`` (needs label context when it is one generic word), ``anchor`` (prose,
            no context needed) or ``distractor``.
        weight: how sure a value found through it is (0..1).
        tag: a refinement: hours ``credit`` / ``contact``; dates ``start`` / ``end``; titles
            ``course`` (the value may start with the course number); distractors ``signature``
            (a caption: claims no value), ``date`` (an issue / print date), ``id``.
    """

    field: str | None
    kind: str
    weight: float
    tag: str = ""


@dataclass(frozen=True)
class LabelHit:
    """A vocabulary phrase found in one line: character offsets into the line text."""

    spec: LabelSpec
    start: int
    end: int
    text: str

    @property
    def field(self) -> str | None:
        """The record field the phrase introduces (``None`` for a distractor)."""
        return self.spec.field


# field -> phrases; every phrase is a label (value to the right, or below in forms).
FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "officer_name": (
        "name", "officer", "officer name", "officer's name", "name of officer", "full name",
        "student", "student name", "participant", "participant name", "attendee",
        "attendee name", "trainee", "trainee name", "recipient", "learner", "learner name",
        "employee name", "member name", "user name", "deputy name", "peace officer name",
        "name of participant", "name of student", "officer / employee", "printed name",
        "print name", "name of recipient", "awardee", "employee", "deputy",
        "name of attendee", "name of trainee", "name of employee",
    ),
    "badge_number": (
        "badge", "badge #", "badge no", "badge number", "badge id", "badge / id", "id / badge",
        "badge or id", "id", "id #", "id no", "id number", "pid", "pid #", "pid no",
        "tcole pid", "tcole id", "tcole pid #", "post id", "post id #", "post id no",
        "post id number", "officer id", "officer #", "officer no", "officer number",
        "employee #", "employee no", "employee number", "employee id", "emp #", "emp id",
        "student id", "student #", "participant id", "member id", "member #", "member no",
        "member number", "personnel #",
        "personnel no", "personnel number", "star #", "shield #", "shield no", "license #",
        "license no", "license number", "officer license #", "state id", "state id #",
        "user id", "dpsst #", "cjstc id", "peace officer id", "unique id", "officer pid",
        "psid", "psid #", "psid no", "dpsst id", "dpsst no", "peace officer standards id",
        "post cert #", "post cert no", "post certification #", "post certification no",
        "post certification number", "officer cert #", "officer certification #",
        "officer cert no", "officer cert number", "officer certification no",
        "officer certification number", "officer license no", "officer license number",
    ),
    "post_number": (
        "course #", "course no", "course number", "course num", "course id", "course code",
        "course control no", "course control number", "course control #", "control no",
        "control number", "control #", "post control no", "post control number",
        "post control #", "post course no", "post course #", "post course number",
        "post course id", "post course", "tcole course", "tcole course #", "tcole course no",
        "tcole course number", "tcole course id", "tcole #", "tcole no", "approval #",
        "approval no", "approval number", "post approval #", "post approval no",
        "post approval number", "course approval #", "course approval no",
        "course approval number", "approval code", "approval id", "course approval code",
        "post approval code", "post #", "post",
        "post no", "post number", "cjstc course #",
        "cjstc course number", "cjstc course no", "cjstc #", "cjtc course #", "cjtc #",
        "course certification no", "course certification number", "course certification #",
        "catalog #", "catalog no", "catalog number", "curriculum #", "curriculum no",
        "curriculum number", "gpstc #", "gpstc course #", "state course #",
        "state course number", "state course no", "state course id", "state course code",
        "approved course #", "course/class #", "fdle course #",
        "fdle course no", "fdle course number", "fdle #", "dpsst course #", "mcoles course #",
        "post course code", "tcole course code", "post course cert #", "post course cert no",
        "course cert #", "course cert no", "course certification", "program id",
        "program #", "program no", "program number", "program code",
    ),
    "hours": (
        "hours", "hrs", "total hours", "total hrs", "training hours", "course hours",
        "class hours", "approved hours", "duration", "length", "course length",
        "number of hours", "# of hours", "hours of training", "tcole hours", "post hours",
        "length of course", "length of training", "length of class", "course duration",
        "training duration",
    ),
    "training_date": (
        "date", "dates", "date ( s )", "date of training", "training date", "training dates",
        "training date ( s )", "completed on", "completion date", "date completed",
        "date of completion", "course date", "course dates", "course date ( s )",
        "class date", "class dates", "class date ( s )", "session date", "session dates",
        "date attended", "attended on", "held on", "conducted on", "date of course",
        "date of class", "course completed", "completed date", "course completion date",
        "training completed", "date ( s ) of training", "dates of training", "completion",
        "completion date ( s )", "date of attendance", "attendance date",
    ),
    "instructor_name": (
        "instructor", "instructors", "instructor ( s )", "lead instructor",
        "primary instructor", "course instructor", "instructor name", "instructed by",
        "taught by", "presented by", "facilitator", "facilitated by", "trainer",
        "lead trainer", "conducted by", "class instructor", "training instructor",
        "certified instructor", "instructor of record", "lead facilitator",
        "course facilitator", "training facilitator", "class facilitator",
        "program facilitator", "course trainer", "presenter", "lead presenter",
        "delivered by", "speaker", "instructor / trainer",
    ),
    "location": (
        "location", "training location", "class location", "course location", "held at",
        "city , state",
        "site", "training site", "venue", "address", "conducted at", "facility",
        "training facility", "city", "city / state", "location of training",
        "training held at", "place",
    ),
    "training_format": (
        "format", "training format", "course format", "delivery", "delivery method",
        "delivery mode", "delivery format", "method", "method of delivery",
        "method of instruction", "modality", "instruction type", "instruction method",
        "training type", "course type", "type", "mode", "delivery type", "type of training",
        "type of instruction", "type of delivery",
    ),
    "course_title": (
        "course title", "course name", "name of course", "title", "training title",
        "training course", "class title", "class name", "program", "program title",
        "subject", "topic", "curriculum", "training name", "title of course",
        "course description", "training program",
    ),
}
# Labels whose value may begin with the course number (``Course: 1849 De-escalation``).
COURSE_LABELS = ("course", "class", "training")

# (field, weight, phrases): prose wording that introduces a value, no colon needed.
ANCHORS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("officer_name", 0.9, (
        "this certifies that", "this is to certify that", "certifies that", "certify that",
        "hereby certifies that", "hereby certify that", "this certificate is awarded to",
        "this certificate is presented to", "is hereby awarded to", "awarded to",
        "presented to", "issued to", "confirms that", "confirm that", "verifies that",
        "verify that", "acknowledges that", "this is to acknowledge that", "be it known that",
        "this is to verify that", "this is to confirm that", "attests that",
        "in recognition of", "proudly presented to", "is awarded to", "recognizes that",
        "certificate holder", "advised that", "show that", "shows that", "indicate that",
        "indicates that", "reflect that", "reflects that", "inform you that",
        "notify you that", "we certify that", "i certify that", "documents that",
    )),
    ("course_title", 0.85, (
        "has successfully completed", "successfully completed", "has completed",
        "for completing", "for successfully completing", "successfully completing",
        "for the successful completion of", "for successful completion of",
        "upon completion of", "completion of", "for satisfactorily completing",
        "has satisfactorily completed", "satisfactorily completed", "has participated in",
        "participated in", "completed the course", "completed the training",
        "completed training in", "for participation in", "has attended", "has completed the",
        "successfully passed", "has successfully passed", "for attending",
        "in recognition of completing", "in recognition of successfully completing",
        "in recognition of completion of", "in recognition of the completion of",
        "in recognition of successful completion of",
        "in recognition of the successful completion of",
    )),
    ("course_title", 0.7, ("completed", "attended")),
)

# key -> phrases that must never be read as a field (they introduce something else).
DISTRACTORS: dict[str, tuple[str, ...]] = {
    "id": (
        "certificate no", "certificate #", "certificate number", "certificate id",
        "certificate code", "cert no", "cert #", "cert id", "item no", "item #", "item number",
        "sku", "order no", "transaction id", "receipt #", "vendor course code",
        "vendor course #", "vendor course id", "vendor code", "vendor id", "vendor #",
        "internal course code", "internal id", "lms id", "lms course id", "product code",
        "module id", "module #", "catalog id", "certificate serial", "serial",
        "serial no", "serial #", "serial number", "verification code", "verification #",
        "verification no", "record id", "record #", "transcript id", "registration #",
        "registration no", "registration id", "enrollment id", "order #", "invoice #",
        "invoice no", "confirmation #", "confirmation no", "credential id", "document no",
        "document #", "tracking #", "reference #", "reference no", "ref #", "ref no",
        "roster #", "roster no", "class #", "class no", "session #", "session id", "class id",
        "certificate id #", "instructor #", "instructor id", "instructor no",
        "instructor certification #", "instructor cert #", "instructor license #",
        "page", "version", "rev", "form", "form #", "form no",
    ),
    "provider": (
        "provider", "provider #", "provider no", "provider number", "provider id",
        "training provider", "training provider #", "vendor", "vendor #", "academy #",
        "academy no", "academy number", "agency #", "agency no", "agency number", "ori",
        "ori #", "sponsor", "sponsor #", "presenter #", "presenter no", "academy id",
        "agency", "agency name", "department", "dept", "organization", "employer",
        "sponsoring agency", "issued by", "issuing agency",
    ),
    "contact": (
        "phone", "tel", "telephone", "fax", "cell", "email", "e - mail", "www", "website",
        "web", "ph", "toll free",
    ),
    "date": (
        "issued", "issue date", "date issued", "issued on", "date of issue", "printed",
        "printed on", "print date", "date printed", "generated", "generated on", "expires",
        "expiration", "expiration date", "exp", "exp date", "valid through", "valid until",
        "renewal date", "date of birth", "dob", "hire date", "date signed", "signed on",
        "report date", "run date", "reported", "date reported", "posted", "date posted",
        "awarded on", "enrollment date", "registration date",
    ),
    "signature": (
        "signature", "instructor signature", "instructor's signature", "officer signature",
        "student signature", "participant signature", "signature of instructor",
        "authorized signature", "signed", "training coordinator", "coordinator",
        "training director", "director", "academy director", "chief of police",
        "training manager", "training officer", "training supervisor", "commander",
        "program coordinator", "program manager", "administrator", "certifying official",
        "authorized by", "approved by", "witness", "registrar", "signature of officer",
        "executive director", "chief", "sheriff", "training sergeant", "training lieutenant",
        "training division", "signature / date", "officer standards", "chief of training",
        "director of training", "training chief", "academy commander", "bureau chief",
    ),
}

HOURS_TAGS = {
    "credit": ("credit hours", "credits", "credit", "ce hours", "ce credit", "ce credits",
               "continuing education hours", "hours awarded", "hours credited",
               "credit awarded", "tcole credit hours", "post credit hours", "hours completed",
               "cle hours", "credit hrs", "credits earned", "hours earned"),
    "contact": ("contact hours", "clock hours", "contact hrs", "instructional hours"),
}
DATE_TAGS = {
    "start": ("start date", "begin date", "beginning date", "date started", "from"),
    "end": ("end date", "ending date", "completion date", "date completed",
            "date of completion", "completed on", "course completed", "completed date"),
}

# Delivery formats: phrase -> format. Longest phrase wins ("virtual instructor-led").
FORMAT_WORDS: dict[str, tuple[str, ...]] = {
    "online": ("online", "on - line", "e - learning", "elearning", "web - based", "web based",
               "virtual", "self - paced", "webinar", "distance learning", "computer - based",
               "internet", "virtual instructor - led", "virtual instructor led", "live online",
               "online course", "online training", "remote", "asynchronous"),
    "scenario": ("scenario", "scenarios", "scenario - based", "scenario based",
                 "reality - based", "reality based", "simulation", "simulator", "role - play",
                 "role play", "role - playing", "force - on - force", "practical exercise",
                 "practical exercises", "hands - on", "skills - based", "live - action"),
    "classroom": ("classroom", "in - person", "in person", "instructor - led",
                  "instructor led", "lecture", "in - class", "in - service classroom",
                  "face - to - face", "face to face", "didactic"),
    "hybrid": ("hybrid", "blended", "classroom and scenario", "classroom / scenario",
               "classroom & scenario", "lecture and scenario", "lecture / practical",
               "classroom / practical"),
}

# Generic words that read as labels only before ':' / '#' or alone on their line (forms).
WEAK_WORDS = frozenset({
    "course", "class", "training", "title", "program", "subject", "topic", "curriculum",
    "type", "mode", "method", "length", "address", "city", "place", "facility", "learner",
    "modality", "from", "web", "ph", "page", "form", "rev", "version", "exp", "sponsor",
    "vendor", "provider", "serial",
    "recipient", "delivery", "format", "site", "chief", "sheriff", "director", "commander",
    "administrator", "coordinator", "witness", "registrar", "employer", "organization",
    "department", "agency", "dept", "awardee", "student", "trainee", "attendee",
    "participant", "cell", "tel", "fax", "email", "www", "issued", "id", "officer", "completion",
    "employee", "deputy", "speaker",
})
# Weak words that still read as labels at the start of a row before a capitalised value
# ("Place Olympia, Washington", "Participant Ramirez, Keisha") when nothing else says so.
ROW_START_WORDS = frozenset({
    "place", "site", "recipient", "delivery", "format", "learner", "modality", "awardee",
    "student", "trainee", "attendee", "participant",
})
_BORDER = "|\"'“”‘’`_[]{}~-—– "
_AFTER_PUNCT = re.compile(r"(?:^|[,;:|()\[\]/])\s*$")
_GLUED = re.compile(r"[A-Za-z0-9'’)]\s*$")
_LETTERISE = str.maketrans("015", "ols")
_SEP_ONLY = re.compile(r"^[\s/#:,&.\-]*$")
_LEADER = re.compile(r"(?:\.\s?){3,}|…")
_NUMBER_BEFORE = re.compile(r"(?:\d|\)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                            r"twelve|sixteen|twenty|forty))(?:\s?-|\s+)$", re.I)


def tokenize(text: str) -> list[tuple[int, int]]:
    """Split a line into (start, end) tokens: letter/digit runs or single punctuation marks.

    Full stops are left out, so ``Cert. ID`` and ``No.`` match ``cert id`` and ``no``.
    """
    return [m.span() for m in _TOKEN.finditer(text) if m.group() != "."]


@lru_cache(maxsize=1)
def get_nlp() -> spacy.language.Language:
    """The blank English pipeline (no model download), built once."""
    return spacy.blank("en")


def make_doc(text: str) -> Doc:
    """A spaCy Doc over our own tokenisation of ``text`` (labels and lines split alike)."""
    spans = tokenize(text)
    words = [text[s:e] for s, e in spans]
    spaces = [spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1)] + [False]
    return Doc(get_nlp().vocab, words=words, spaces=spaces[: len(words)])


def _all_specs() -> dict[str, list[tuple[str, LabelSpec]]]:
    """Map each phrase key to its spec entries (anchors and distractors included)."""
    table: dict[str, list[tuple[str, LabelSpec]]] = {}

    def add(phrase: str, spec: LabelSpec) -> None:
        table.setdefault(_phrase_key(phrase), []).append((phrase, spec))

    for field, phrases in FIELD_LABELS.items():
        for phrase in phrases:
            add(phrase, LabelSpec(field, "label", _label_weight(phrase), _tag(field, phrase)))
    for word in COURSE_LABELS:
        add(word, LabelSpec("course_title", "label", 0.8, "course"))
    for tag, phrases in HOURS_TAGS.items():
        for phrase in phrases:
            add(phrase, LabelSpec("hours", "label", 0.95, tag))
    for phrase in DATE_TAGS["start"]:
        add(phrase, LabelSpec("training_date", "label", 0.75, "start"))
    for field, weight, phrases in ANCHORS:
        for phrase in phrases:
            add(phrase, LabelSpec(field, "anchor", weight))
    for key, phrases in DISTRACTORS.items():
        for phrase in phrases:
            add(phrase, LabelSpec(None, "distractor", 0.0, key))
    for field, phrase in _bare_captions(table):
        add(phrase, LabelSpec(field, "label", BARE_CAPTION_WEIGHT, "bare"))
    return table


#: Number signs a form's caption may leave out ("Officer License #" over its box reads
#: "OFFICER LICENSE"): the caption says by its place what the sign said.
_NUMBER_SIGNS = ("#", "no", "number")
#: A caption without its number sign is a little less sure than with it.
BARE_CAPTION_WEIGHT = 0.85


def _bare_captions(table: dict[str, list[tuple[str, LabelSpec]]]) -> list[tuple[str, str]]:
    """Identifier labels of two words or more with their number sign dropped.

    Only where the shorter phrase is not already a phrase of its own (of any field, anchor
    or distractor), so "employee #" never makes "employee" an id label, and never for a
    certification number (the certificate's own number is no course's); the value after it
    must still read as an identifier.
    """
    out: dict[str, tuple[str, str]] = {}
    for field in ("badge_number", "post_number"):
        for phrase in FIELD_LABELS[field]:
            words = phrase.split()
            # a bare "... cert" may name the certificate's own number: never without its sign
            if len(words) >= 3 and words[-1] in _NUMBER_SIGNS and \
                    not any(w.startswith("cert") for w in words):
                bare = " ".join(words[:-1])
                key = _phrase_key(bare)
                if key not in table and key not in out:
                    out[key] = (field, bare)
    return list(out.values())


def _phrase_key(phrase: str) -> str:
    return " ".join(phrase[s:e].lower() for s, e in tokenize(phrase))


# Course-number labels that do not name the approving board (a vendor's own "Course Code"
# may sit beside the "CJSTC Course #"): less sure than the board's number.
GENERIC_NUMBER_LABELS = frozenset({
    "course #", "course no", "course number", "course num", "course id", "course code",
    "catalog #", "catalog no", "catalog number", "curriculum #", "curriculum no",
    "curriculum number", "course/class #", "program id", "program #", "program no",
    "program number", "program code",
})


def _label_weight(phrase: str) -> float:
    if len(tokenize(phrase)) == 1:
        return 0.85
    return 0.88 if phrase in GENERIC_NUMBER_LABELS else 0.95


def _tag(field: str, phrase: str) -> str:
    if field == "training_date" and phrase in DATE_TAGS["end"]:
        return "end"
    return ""


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, dict[str, LabelSpec]]:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    specs: dict[str, LabelSpec] = {}
    for key, entries in _all_specs().items():
        # The first entry wins for a phrase listed twice; anchors and distractors are added
        # after plain labels, so list a phrase once where it belongs.
        specs[key] = entries[0][1]
        matcher.add(key, [make_doc(entries[0][0])])
    return matcher, specs


@lru_cache(maxsize=1)
def _format_matcher() -> PhraseMatcher:
    matcher = PhraseMatcher(get_nlp().vocab, attr="LOWER")
    for fmt, phrases in FORMAT_WORDS.items():
        matcher.add(fmt, [make_doc(p) for p in phrases])
    return matcher


def find_labels(text: str, gap_starts: frozenset[int] = frozenset(),
                caption_end: int | None = None) -> list[LabelHit]:
    """Every vocabulary phrase in one line that reads as a label there, left to right.

    A phrase of one generic word counts only where it looks like a label: at the start of
    the line, after punctuation or a wide gap, or before ``:`` / ``#``; the weakest words
    (``course``, ``type``) need the colon or must stand alone. Hours words right after a
    number are a unit (``8.0 Credit Hours``), not a label. Neighbouring phrases of the same
    field (``Badge / ID``) are merged.

    Args:
        text: the line text (words joined by single spaces).
        gap_starts: offsets of words that follow a wide horizontal gap on the page.
        caption_end: the line's first piece, up to this offset (a wide gap), stands in a
            form's column of captions (:mod:`extractors.caption_column`): it is a caption
            when its words make one, as if a colon ended it.

    Returns:
        Non-overlapping hits, longest phrase first where two overlap.
    """
    return _signing_dates(_labels_in(text, gap_starts, caption_end))


# A signature's own date: "Signature ______ Date ______", or the captions "Signature   Date"
# under their lines. The date written there is the day the paper was signed, which may be
# days after the training; read as the training date it put a wrong date on a record.
_SIGNING_DATE = LabelSpec(None, "distractor", 0.0, "date")
_BARE_DATE = re.compile(r"dates?(?:\s*\(\s*s\s*\))?", re.I)


def _signing_dates(hits: tuple[LabelHit, ...]) -> list[LabelHit]:
    """Bare ``Date`` labels right of a signature caption on the same line become signing
    dates (a distractor that claims its value); a ``Date`` left of the signature (``Date:
    03/02   Instructor Signature: ____``) and a qualified label (``Date of Training``) stay."""
    out: list[LabelHit] = []
    signed = False
    for hit in hits:
        if signed and hit.field == "training_date" and _BARE_DATE.fullmatch(hit.text.strip()):
            hit = LabelHit(_SIGNING_DATE, hit.start, hit.end, hit.text)
        signed = signed or (hit.field is None and hit.spec.tag == "signature")
        out.append(hit)
    return out


@lru_cache(maxsize=8192)  # the classifier and the extractor both ask, for every line
def _labels_in(text: str, gap_starts: frozenset[int],
               caption_end: int | None = None) -> tuple[LabelHit, ...]:
    if not text.strip():
        return ()
    folded = _fold_id_words(fold_homoglyphs(text))
    numbers = _item_numbers(folded)
    if numbers:
        return _numbered_captions(text, numbers, gap_starts)
    doc, offsets = make_doc(folded), tokenize(folded)
    matcher, specs = _matcher()
    # Overlaps are settled among the phrases that read as labels: in "CIT Training Course
    # Number:" the value's "Training Course" loses to the label "Course Number".
    found = {}
    for _k, s, e in matcher(doc):
        if any(offsets[i][0] in gap_starts for i in range(s + 1, e)):
            continue  # "Course      Dates": two column heads, not the phrase "course dates"
        span = doc[s:e]
        start, end = offsets[span.start][0], offsets[span.end - 1][1]
        found[(s, e)] = LabelHit(specs[_phrase_key(span.text)], start, end, text[start:end])
    labels = _header_row(folded, doc, found, gap_starts) or {
        k: hit for k, hit in found.items() if _reads_as_label(folded, hit, k[1] - k[0], gap_starts)}
    spans = filter_spans([doc[s:e] for s, e in labels])
    hits = [labels[(span.start, span.end)] for span in spans]
    hits += _fuzzy_hits(folded, doc, offsets, hits)
    hits += _fuzzy_anchors(folded, doc, offsets, hits)
    hits = _composed_captions(folded, hits, gap_starts, caption_end)
    hits = _merge_same_field(folded, sorted(hits, key=lambda h: h.start), gap_starts)
    return tuple(_grown_over_tails(folded, hits, gap_starts))


#: A listed label's tail of a joining word and a word or two ("Hours of Instruction",
#: "Course of Study"), up to the next word.
_TAIL = re.compile(r"\s+(?:of|for|in)\s+[A-Za-z]+(?:\s+[A-Za-z]+)?")


def _grown_over_tails(text: str, hits: list[LabelHit],
                      gap_starts: frozenset[int]) -> list[LabelHit]:
    """Each listed label followed by a joining word and caption words that make, with it, a
    caption of the same field ("Hours" + "of Instruction") covers them: read as its value,
    the tail hid the value after it ("of Instruction 8.0 contact hrs" parses as nothing)."""
    out = []
    for i, hit in enumerate(hits):
        limit = hits[i + 1].start if i + 1 < len(hits) else len(text)
        m = _TAIL.match(text, hit.end) if hit.spec.kind == "label" and hit.field else None
        if m is not None:
            # the tail's word ends after the joining word's, the longest tail first
            ends = [hit.end + w.end() for w in re.finditer(r"[A-Za-z]+", m.group(0))][1:]
            for end in reversed(ends):
                tail = text[hit.end:end]
                if end <= limit and not any(hit.end < g < end for g in gap_starts) \
                        and caption_words(tail) and caption_field(hit.text + tail) == hit.field:
                    hit = LabelHit(hit.spec, hit.start, end, text[hit.start:end])
                    break
        out.append(hit)
    return out


#: A caption's end: a colon (or a semicolon before a space: a fax's colon as OCR reads
#: it), or a dash standing apart ("Member No. -") or with a space or leader dots after it
#: only ("Date Held- 13 Sep", "Peace Officer-.....", the space before it lost in the scan),
#: never a hyphen.
_CAPTION_END = re.compile(
    r"\s*(?::|;(?=\s)|(?<=\s)[-–—](?=\s|$)|(?<=[A-Za-z.])[-–—](?=\s|\.{2,}))")
_BRACKETED_CAPTION = re.compile(r"\(\s*([A-Za-z][A-Za-z .'/]{1,40}?)\s*:")
#: A table's column head of one word no caption family holds ("Status", "Category").
_BARE_HEAD = re.compile(r"[A-Z][A-Za-z]{2,}")
#: A column's head naming an identifier of something no family holds ("State Approval #",
#: "Permit No."): a caption of the row, like a one-word head.
_ID_HEAD = re.compile(r"[A-Z][A-Za-z]+(?: [A-Za-z]+){0,2} ?(?:#|No\.?|Number)")
#: A caption typed by its words is less sure than a listed label.
COMPOSED_WEIGHT = 0.8


def _composed_captions(text: str, hits: list[LabelHit], gap_starts: frozenset[int],
                       caption_end: int | None = None) -> list[LabelHit]:
    """``hits`` with the captions of words no list holds.

    The line is cut at wide gaps and at each caption end (a colon, a dash standing apart);
    a piece that ends in one and is made of caption words (:func:`captions.caption_field`)
    names its field ("Course Key -"). Words with no caption end are a caption when they
    are caption words only ("Course Subject" under its value), or when every piece of the
    row is a caption (a row of captions under a row of values). A listed phrase inside a
    caption of the same field ("hrs" in "Length (hrs)") grows to the whole caption, so no
    word of it is left over as a value; a piece holding a phrase of another field is left
    to that phrase. What follows a caption end up to the next one is a value. A first
    piece up to ``caption_end`` (a form's column of captions) is ended by its gap.
    """
    pieces = [(a, b, ended or (caption_end is not None and a == 0 and b <= caption_end))
              for a, b, ended in _caption_pieces(text, gap_starts)]
    captions = [bool(_covered(text, a, b, hits) or caption_field(text[a:b]))
                for a, b, _ended in pieces]
    row_of_captions = len(pieces) >= 2 and all(captions)
    # a caption beside field captions naming an identifier of something ("Program Name
    # State Approval #" under their values) keeps the row a row of captions: it claims its
    # own value, so the caption before it does not read its words as a value
    id_heads = (not row_of_captions and len(pieces) >= 2 and any(captions)
                and not any(ended for _a, _b, ended in pieces)
                and all(ok or _ID_HEAD.fullmatch(text[a:b].strip()) is not None
                        for ok, (a, b, _ended) in zip(captions, pieces, strict=True)))
    # A table's row of bare captions (three or more, no colon, no value: they stand over
    # their values) may also hold the caption of something no record holds ("Batch No.").
    # Two captions side by side are as often a signer's beside a field's, under signatures.
    # A column may be headed by one word of its own that no family holds ("Status",
    # "Category"), or by an identifier of something ("State Approval #"), when at least two
    # other heads of the row are captions.
    bare_captions = len(pieces) >= 3 and not any(ended for _a, _b, ended in pieces)
    if bare_captions:
        named = [_covered(text, a, b, hits) or bool(caption_field(text[a:b]))
                 or caption_words(text[a:b]) for a, b, _ended in pieces]
        bare_captions = sum(named) >= 2 and all(
            ok or _BARE_HEAD.fullmatch(text[a:b].strip()) is not None
            or _ID_HEAD.fullmatch(text[a:b].strip()) is not None
            for ok, (a, b, _ended) in zip(named, pieces, strict=True))
    row_of_captions = row_of_captions or bare_captions or id_heads
    hits = list(hits)
    for start, stop, ended in pieces:
        field = caption_field(text[start:stop], strict=not (ended or row_of_captions))
        if field is None and names_a_kind_of_count(text[start:stop]):
            # "Credit Type": its listed "Credit" names no hours here; the caption claims
            # its value (a kind, "Mandated") so that no number beside it is read as hours
            hits = [h for h in hits if not (start <= h.start and h.end <= stop)]
            hits.append(LabelHit(_UNKNOWN_CAPTION, start, stop, text[start:stop]))
            continue
        if field is None:
            piece = text[start:stop].strip()
            own_head = bare_captions and (caption_words(piece) or _BARE_HEAD.fullmatch(piece))
            if (own_head or (bare_captions or id_heads) and _ID_HEAD.fullmatch(piece)) \
                    and not any(
                    h.start < stop and start < h.end for h in hits):
                # a column's caption that names nothing of a record ("Serial No."): it
                # claims its own column, so the caption left of it does not take that too
                hits.append(LabelHit(_UNKNOWN_CAPTION, start, stop, text[start:stop]))
            continue
        inside = [h for h in hits if h.start < stop and start < h.end]
        if any(h.start < start or h.end > stop for h in inside) or _covered(
                text, start, stop, inside) and len({h.field for h in inside}) == 1 \
                and not _one_caption_in_parts(inside, field):
            continue  # a listed phrase says it all ("Badge:")
        if any(h.field != field for h in inside) and (
                not ended and not row_of_captions or any(len(h.text.split()) > 1 for h in inside)):
            # a listed phrase of another field wins, unless it is one word of a longer
            # caption ("Course" in "Commission Course No.", "Record" in "Student of Record:")
            continue
        if any(h.field != field for h in inside):
            inside_spec = None
        else:
            inside_spec = inside[0].spec if inside else None
        spec = inside_spec or LabelSpec(field, "label", COMPOSED_WEIGHT, "composed")
        hits = [h for h in hits if h not in inside]
        hits.append(LabelHit(spec, start, stop, text[start:stop]))
    return hits


def _one_caption_in_parts(inside: list[LabelHit], field: str) -> bool:
    """Listed phrases of one field that make a caption between them ("CE Credit (hrs)":
    the unit in brackets is no caption of its own, and its bracket no value)."""
    return len(inside) >= 2 and all(h.field == field and h.spec.kind == "label" for h in inside)


def _caption_pieces(text: str, gap_starts: frozenset[int]):
    """(start, stop, ended) of each piece that may be a caption: the words before the first
    caption end of a gap-separated segment, or a whole segment that has none, and the words
    after an opening bracket up to a colon."""
    starts = sorted({0, *(g for g in gap_starts if 0 < g < len(text))})
    for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
        piece_start, ended, ended_before = a, False, False
        for end in _CAPTION_END.finditer(text, a, b):
            ended = True
            piece = text[piece_start:end.start()]
            start = piece_start + len(piece) - len(piece.lstrip())
            if end.start() > start and not ended_before:
                # after a caption end comes its value: "Course Name: CIT Training Course
                # Number:" holds no caption "CIT Training Course Number"
                yield start, end.start(), True
            piece_start, ended_before = end.end(), True
        if not ended:
            piece = text[a:b]
            start = a + len(piece) - len(piece.lstrip())
            stop = a + len(piece.rstrip())
            if stop > start:
                yield start, stop, False
    for m in _BRACKETED_CAPTION.finditer(text):
        # a caption opened by a bracket inside prose: "Smith (Type of Class: Online)."
        yield m.start(1), m.end(1), True


def _covered(text: str, a: int, b: int, hits: list[LabelHit]) -> bool:
    """Every letter and digit of ``text[a:b]`` lies inside a phrase found."""
    return all(not c.isalnum() or any(h.start <= i < h.end for h in hits)
               for i, c in enumerate(text[a:b], start=a))


#: An id word of a label read with a digit for its letter ("Badge / 1D:", "Serial N0."),
#: where a label's punctuation stands beside it: after a slash or before a colon, number
#: sign or full stop. After a slash and before "No", both letters may slip ("BADGE / 10
#: NO." for "BADGE / ID NO."): a number there would be a value with a caption after it.
_ID_WORD_SLIP = re.compile(r"(?:(?<=/)\s*|(?<=\s))([1l|][Dd]|[Nn]0)(?=\s*[:#.])"
                           r"|(?<=/)\s*([1l|][Dd]|[Nn]0)\b"
                           r"|(?<=/)\s*([1l|][0oO])(?=\s+[Nn][oO0]\b)")


def _fold_id_words(text: str) -> str:
    """``text`` with such id words spelt right; the same length, so offsets still hold."""
    def fix(m: re.Match) -> str:
        word = m.group(0)
        word = word.replace("1", "I").replace("l", "I").replace("|", "I")
        return re.sub(r"(?<=I)[0oO]", "D", word).replace("0", "o")
    return _ID_WORD_SLIP.sub(fix, text)


# OCR may read the dot of a box number as a comma ("5, COURSE"), but not the first one's
_ITEM_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,2}[a-z]?[.),])(?=\s*[A-Za-z])", re.I)


def _item_numbers(text: str) -> list[tuple[int, int]]:
    """Where a form numbers its boxes' captions ("7. HOURS   8. INSTRUCTOR").

    Only a line that starts with such a number is a row of numbered captions; in
    "Hours 8. Instructor: ..." the 8 stays the hours.
    """
    first = _ITEM_NUMBER.search(text)
    if first is None or text[: first.start()].strip() or first.group(1).endswith(","):
        return []
    return [m.span(1) for m in _ITEM_NUMBER.finditer(text)]


#: A caption of a numbered box whose words are not in the vocabulary ("5. COURSE APPROVAL"):
#: it claims no value, but it ends the value of the caption before it.
_UNKNOWN_CAPTION = LabelSpec(None, "distractor", 0.0, "signature")


def _numbered_captions(text: str, numbers: list[tuple[int, int]],
                       gap_starts: frozenset[int]) -> tuple[LabelHit, ...]:
    """The captions of a row of numbered boxes ("6. DATE OF TRAINING  7. HOURS  8. INSTRUCTOR").

    Each number starts a caption of its own, read as if it began the line: a box's number
    is never a value (the "8." of the next box was read as 8 hours), "HOURS" after it is no
    unit, and two boxes' words never merge into one phrase. The number is part of its
    caption; a caption of unknown words still ends the one before it.
    """
    out: list[LabelHit] = []
    ends = [a for a, _b in numbers[1:]] + [len(text)]
    for (a, b), end in zip(numbers, ends, strict=True):
        item = text[b:end]
        lead = len(item) - len(item.lstrip())
        start = b + lead
        gaps = frozenset(g - start for g in gap_starts if start < g < end)
        found = _labels_in(text[start:end], gaps)
        if not found:
            spec = _slipped_caption(text[start:end])
            out.append(LabelHit(spec or _UNKNOWN_CAPTION, a, end, text[a:end].rstrip()))
            continue
        for k, h in enumerate(found):
            h0 = a if k == 0 else start + h.start
            out.append(LabelHit(h.spec, h0, start + h.end, text[h0: start + h.end]))
    return tuple(out)


def _slipped_caption(item: str) -> LabelSpec | None:
    """A numbered box's caption read with an OCR slip ("5. MCOLES COURSE NQ"): the whole
    caption is a label (a box's caption holds no value), so its last words may be matched
    fuzzily against the labels, the agency word before them left aside."""
    _matcher_obj, specs = _matcher()
    words = _phrase_key(item).split()
    for n in (3, 2):
        if len(words) >= n:
            tail = " ".join(words[-n:])
            if tail in specs:
                return None  # spelt right, and the context rules turned it down
            spec = _closest_label(tail, specs)
            if spec is not None and spec.kind == "label" and spec.tag != "bare":
                return LabelSpec(spec.field, spec.kind, spec.weight * 0.9, spec.tag)
    return None


def _header_row(text: str, doc: Doc, found: dict[tuple[int, int], LabelHit],
                gaps: frozenset[int]) -> dict[tuple[int, int], LabelHit] | None:
    """A row made of nothing but field labels is a row of column heads, all of them labels.

    A vendor table prints ``Course Code  Course Title  Completion Date  CE Hours`` with
    narrow gaps, so ``Title`` after ``Code`` looks glued to a value; when the phrases cover
    every word of a row laid out in columns (or of three or more phrases), none is a value.
    """
    spans = filter_spans([doc[s:e] for s, e in found])
    keys = [(sp.start, sp.end) for sp in spans]
    fields = [found[k] for k in keys if found[k].field is not None]
    if len(keys) < 2 or not fields or (len(keys) < 3 and not gaps):
        return None
    covered = set()
    for k in keys:
        covered.update(range(found[k].start, found[k].end))
    if any(c.isalnum() and i not in covered for i, c in enumerate(text)):
        return None
    return {k: _as_column_head(found[k]) for k in keys}


_COMPLETION_HEAD = LabelSpec("training_date", "label", 0.85, "end")


def _as_column_head(hit: LabelHit) -> LabelHit:
    """``Completed`` / ``Attended`` heading a table column name its date, not the course
    (as prose, "completed" introduces the course)."""
    if hit.spec.kind == "anchor" and hit.text.lower() in ("completed", "attended"):
        return LabelHit(_COMPLETION_HEAD, hit.start, hit.end, hit.text)
    return hit


#: A state's or board's acronym alone before a label at the start of a line.
_QUALIFIER = re.compile(r"[A-Z]{2,7}")


def _reads_as_label(text: str, hit: LabelHit, n_tokens: int, gaps: frozenset[int]) -> bool:
    before, after = text[: hit.start], text[hit.end :].lstrip()
    # dot leaders ("Officer ........ Jane Doe") join a label to its value as a colon does
    colon = after[:1] in (":", "#") or after[:3].lower() in ("no.", "no:") \
        or bool(_LEADER.match(after))
    if (hit.field == "hours" and _NUMBER_BEFORE.search(before) and hit.start not in gaps
            and not _ends_with_date(before)):
        return colon  # "8.0 Credit Hours": a unit, unless a colon makes it a label
    if hit.spec.kind == "anchor":
        return True
    if hit.spec.tag == "bare":
        # a caption without its number sign is one only before a colon or standing alone
        # (over its box); "CJTC Course ID:" is the label "Course ID" after an acronym
        return colon or not after or hit.end in gaps or _next_word_after_gap(text, hit.end, gaps)
    if re.match(r"-[A-Za-z]", text[hit.end :]):
        return False  # "Instructor-led", "Course-based": part of a compound word
    if hit.spec.kind == "distractor" and hit.spec.tag == "id" and _offered_after_label(before):
        return True  # "Badge/Serial B1947": another name offered for the labelled value
    if n_tokens > 1 and _QUALIFIER.fullmatch(_after_bracket(before).strip(_BORDER + " ")):
        # "CA POST Control Number", "WSCJTC Course No.": an agency's acronym first, also
        # in prose's brackets ("... the course (ABC Course No. XY-12)")
        return True
    if _GLUED.search(before) and hit.start not in gaps and not colon and not _prose_phrase(hit):
        # "Region 5 Training Facility": a label word inside a value, not a label
        # "Jane Doe Badge 1234", "FDLE Course No. CJK 0401"; never a bare "ID" ("Prowder ID")
        explicit = hit.field in ("badge_number", "post_number") and word_count(hit) > 0
        return (explicit and _starts_number(after)) or (
            n_tokens > 1 and _own_value_follows(hit.field, after))
    if n_tokens > 1:
        return True
    word = hit.text.lower()
    alone = not after or hit.end in gaps or _next_word_after_gap(text, hit.end, gaps)
    row_start = not before.strip(_BORDER)  # table borders read as "|" do not count
    if hit.field == "training_format" and _starts_format(after):
        return True  # "Mode In-Person"
    if word in ROW_START_WORDS and row_start and re.match(r"[\s\-–:|]*[A-Z0-9]", after):
        return True
    if word in WEAK_WORDS and not (hit.field in ("badge_number",) and _starts_number(after)):
        return colon or (alone and (row_start or hit.start in gaps))
    return colon or alone or bool(_AFTER_PUNCT.search(before)) or hit.start in gaps


def _offered_after_label(before: str) -> bool:
    """Whether ``before`` ends in a field's label and a slash (``Badge/``): what follows is
    the same value's other name (:func:`_merge_same_field` makes the two one label)."""
    word = re.search(r"(\w+)\s*/\s*$", before)
    if word is None:
        return False
    spec = _matcher()[1].get(_phrase_key(word.group(1)))
    return spec is not None and spec.kind == "label" and spec.field is not None


def _ends_with_date(text: str) -> bool:
    """``... 2026-07-29 Hours``: the number before an hours word ends a date, no quantity."""
    tail = text.rstrip(" ,;|")[-24:]
    return any(d.end == len(tail) for d in find_dates(tail))


def _own_value_follows(field: str | None, after: str) -> bool:
    """A footer strip runs its fields together (``... OH-22917 Date of Completion
    2026-07-29 Hours Completed 8``): a label of several words followed at once by a value of
    its own kind is a label even without a colon or a gap before it."""
    if field == "training_date":
        return any(d.start <= 1 for d in find_dates(after[:40]))
    if field == "hours":
        return bool(re.match(r"\d{1,3}(?:\.\d{1,2})?(?![\d/-])", after))
    return False


def _starts_format(text: str) -> bool:
    hits = find_formats(text[:40])
    return bool(hits) and hits[0].start <= 1


def word_count(hit: LabelHit) -> int:
    """Words in the label besides the generic ``id`` / ``no`` / ``#`` (``Badge`` has one)."""
    return sum(w.lower() not in ("id", "no", "#", "number") for w in re.findall(r"\w+|#", hit.text))


def _prose_phrase(hit: LabelHit) -> bool:
    """``presented by``, ``held at``: phrases that read as labels in the middle of prose."""
    return hit.text.lower().split()[-1] in ("by", "at", "on", "to", "in", "of")


def _next_word_after_gap(text: str, end: int, gaps: frozenset[int]) -> bool:
    rest = text[end:]
    nxt = end + len(rest) - len(rest.lstrip())
    return nxt in gaps


def _starts_number(text: str) -> bool:
    """A value that starts with a number or a prefixed id (``1234``, ``CJK 0401``,
    ``OR-DT-0412``)."""
    return bool(re.match(r"[#:.\s]*(?:[A-Z]{1,5}[\s-]?){0,3}\d", text))


def _after_bracket(before: str) -> str:
    """What stands between an opening bracket and a label (all of ``before`` if none)."""
    return before[before.rfind("(") + 1:] if "(" in before else before


def _merge_same_field(text: str, hits: list[LabelHit],
                      gap_starts: frozenset[int] = frozenset()) -> list[LabelHit]:
    out: list[LabelHit] = []
    for hit in hits:
        prev = out[-1] if out else None
        between = text[prev.end : hit.start] if prev else ""
        # past a wide gap, a caption of the same field heads a column of its own: two
        # signature blocks side by side ("Lead Trainer      Program Proctor")
        same = (prev and prev.field == hit.field and prev.spec.kind == hit.spec.kind == "label"
                and _SEP_ONLY.match(between) and hit.start not in gap_starts)
        # "Training Provider ID", "Vendor ID": an id word right after a distractor is its part
        # (past a wide gap it heads a column of its own)
        absorbed = (prev and prev.spec.kind == "distractor" and hit.spec.kind == "label"
                    and not between.strip() and len(hit.text.split()) == 1
                    and hit.start not in gap_starts)
        # "Badge/Serial No.": a field label and an id word offered as alternatives name one
        # value, the field's
        either = (prev and between.strip() == "/" and {prev.spec.kind, hit.spec.kind} == {
            "label", "distractor"} and "id" in (prev.spec.tag, hit.spec.tag))
        # "Date of Session:": a field's label naming what it is the date (hours, ...) of; the
        # word after "of" is no id of its own there
        of_what = (prev and prev.spec.kind == "label" and between.strip().lower() == "of"
                   and hit.spec.kind == "distractor" and hit.spec.tag == "id"
                   and text[hit.end:].lstrip()[:1] == ":")
        if of_what:
            out[-1] = LabelHit(prev.spec, prev.start, hit.end, text[prev.start : hit.end])
            continue
        if either:
            spec = prev.spec if prev.spec.kind == "label" else hit.spec
            out[-1] = LabelHit(spec, prev.start, hit.end, text[prev.start : hit.end])
            continue
        if prev and prev.spec.kind == "label" and _label_tail(text, between, hit):
            out[-1] = LabelHit(prev.spec, prev.start, hit.end, text[prev.start : hit.end])
            continue
        if same or absorbed:
            spec = prev.spec if absorbed or len(prev.text) >= len(hit.text) else hit.spec
            out[-1] = LabelHit(spec, prev.start, hit.end, text[prev.start : hit.end])
            continue
        out.append(hit)
    return out


# Words that finish a label before its colon ("Total Hours Completed:", "Credit Hours
# Awarded:"); alone they may be prose anchors ("completed") or labels of another field.
LABEL_TAIL_WORDS = frozenset({"awarded", "earned", "completed", "attended", "received",
                              "credited", "granted", "approved", "achieved", "obtained"})


def _label_tail(text: str, between: str, hit: LabelHit) -> bool:
    """Whether ``hit`` only finishes the label before it: a tail word right before a
    caption's end ("Hrs. Completed -", "Credit Hours Awarded:")."""
    return (between.strip() in ("", ".") and hit.text.lower() in LABEL_TAIL_WORDS
            and _CAPTION_END.match(text, hit.end) is not None)


def _fuzzy_hits(
    text: str, doc: Doc, offsets: list[tuple[int, int]], exact: list[LabelHit]
) -> list[LabelHit]:
    """OCR-noisy labels before a caption's end (``lnstructor:``, ``Hourss:``, ``Course End
    Dete -``), matched fuzzily."""
    out = []
    _matcher_obj, specs = _matcher()
    for tok in doc:
        if tok.i == 0 or not _ends_caption(text, offsets[tok.i]):
            continue
        for n in (2, 1):
            if tok.i - n < 0:
                continue
            start, end = offsets[tok.i - n][0], offsets[tok.i - 1][1]
            if any(h.start < end and start < h.end for h in exact + out):
                break
            words = _phrase_key(text[start:end])
            if words in specs:
                continue  # an exact phrase the context rules turned down
            spec = _closest_label(words, specs)
            if spec:
                out.append(LabelHit(LabelSpec(spec.field, spec.kind, spec.weight * 0.9, spec.tag),
                                    start, end, text[start:end]))
                break
    return out


def _ends_caption(text: str, span: tuple[int, int]) -> bool:
    """A colon, or a dash with a space after it ("Dete- 13 Sep", "Tite - De-escalation"):
    a hyphen joins letters on both sides, a caption's dash has none after it."""
    mark = text[span[0]:span[1]]
    if mark == ":":
        return True
    return mark in "-–—" and len(mark) == 1 and (span[1] == len(text) or text[span[1]].isspace())


#: An anchor phrase this long (letters, spaces aside) may be matched with an OCR slip.
_FUZZY_ANCHOR_CHARS = 12
#: How alike (rapidfuzz ratio) a run of words must be to an anchor phrase.
_FUZZY_ANCHOR_SIMILARITY = 90


@lru_cache(maxsize=1)
def _long_anchors() -> dict[int, dict[str, LabelSpec]]:
    """Anchor phrases long enough to be matched fuzzily, by their number of tokens."""
    out: dict[int, dict[str, LabelSpec]] = {}
    for field, weight, phrases in ANCHORS:
        for phrase in phrases:
            key = _phrase_key(phrase)
            if len(key.replace(" ", "")) >= _FUZZY_ANCHOR_CHARS:
                out.setdefault(len(key.split()), {})[key] = LabelSpec(field, "anchor", weight)
    return out


def _fuzzy_anchors(
    text: str, doc: Doc, offsets: list[tuple[int, int]], found: list[LabelHit]
) -> list[LabelHit]:
    """Prose anchors read with an OCR slip ("This centifies that"), matched fuzzily.

    Only long phrases (one wrong letter in a short one makes another word), only where no
    exact anchor was found on the line, and a little less sure than the exact phrase.
    """
    if any(h.spec.kind == "anchor" for h in found):
        return []
    out: list[LabelHit] = []
    words = [t.text.lower() for t in doc]
    for n, anchors in sorted(_long_anchors().items(), reverse=True):
        keys = list(anchors)
        for i in range(len(words) - n + 1):
            start, end = offsets[i][0], offsets[i + n - 1][1]
            if any(h.start < end and start < h.end for h in found + out):
                continue
            window = " ".join(words[i:i + n])
            best = process.extractOne(window, keys, scorer=fuzz.ratio,
                                      score_cutoff=_FUZZY_ANCHOR_SIMILARITY)
            if best is not None and best[1] < 100:
                spec = anchors[best[0]]
                out.append(LabelHit(LabelSpec(spec.field, "anchor", spec.weight * 0.9),
                                    start, end, text[start:end]))
    return out


def _closest_label(text: str, specs: dict[str, LabelSpec]) -> LabelSpec | None:
    text = text.translate(_LETTERISE)  # "0fficer" -> "officer"
    if len(text) < 4 or not text[:1].isalpha():
        return None
    best, score = None, 0.0
    n_words = len(text.split())
    for key, spec in specs.items():
        # a slip changes letters, it does not lose a word or sign ("Module" is no "Module #")
        if abs(len(key) - len(text)) > 2 or len(key.split()) != n_words:
            continue
        ratio = fuzz.ratio(text, key)
        if ratio > score:
            best, score = spec, ratio
    return best if score >= 85 else None


@dataclass(frozen=True)
class FormatHit:
    """A delivery-format phrase: the format it names and where it is in the text."""

    fmt: str
    start: int
    end: int
    text: str


def find_formats(text: str) -> list[FormatHit]:
    """Delivery-format wording in ``text`` (``Online``, ``Scenario-based``, ``In-Person``)."""
    folded = fold_homoglyphs(text)
    doc, offsets = make_doc(folded), tokenize(folded)
    matches = _format_matcher()(doc)
    keyed = {(s, e): get_nlp().vocab.strings[k] for k, s, e in matches}
    out = []
    for sp in filter_spans([doc[s:e] for _k, s, e in matches]):
        start, end = offsets[sp.start][0], offsets[sp.end - 1][1]
        out.append(FormatHit(keyed[(sp.start, sp.end)], start, end, text[start:end]))
    return out


def find_phrases(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of any of ``phrases`` in ``text`` (case-insensitive, token-aligned)."""
    folded = fold_homoglyphs(text)
    doc, offsets = make_doc(folded), tokenize(folded)
    spans = filter_spans([doc[s:e] for _k, s, e in _phrase_matcher(phrases)(doc)])
    return [(offsets[sp.start][0], offsets[sp.end - 1][1]) for sp in spans]


@lru_cache(maxsize=32)
def _phrase_matcher(phrases: tuple[str, ...]) -> PhraseMatcher:
    matcher = PhraseMatcher(get_nlp().vocab, attr="LOWER")
    matcher.add("P", [make_doc(p) for p in phrases])
    return matcher
