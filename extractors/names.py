"""Person names on certificates: find the name in a value, normalise it, reject non-names.

``DOE, JANE Q.`` becomes ``Jane Q. Doe``; ``Sgt. Mark Allen, M.Ed.`` becomes ``Mark Allen``;
hyphens, apostrophes, particles (``de la``, ``van``) and suffixes (``Jr.``, ``III``) are kept.
An agency (``Springfield Police Department``), a certificate title or a course name is not a
person: any word from :data:`NOT_NAME_WORDS` rejects the reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.numbers import fold_homoglyphs

RANKS = frozenset({
    "officer", "ofc", "off", "deputy", "dep", "sgt", "sergeant", "lt", "lieutenant", "cpl",
    "corporal", "capt", "cpt", "captain", "det", "detective", "trooper", "tpr", "agent", "sa",
    "chief", "dr", "mr", "mrs", "ms", "miss", "mx", "cadet", "recruit", "patrolman", "ptl",
    "inv", "investigator", "major", "maj", "cmdr", "commander", "sheriff", "undersheriff",
    "constable", "marshal", "colonel", "col", "inspector", "insp", "ranger", "warden",
    "dispatcher", "telecommunicator", "jailer", "reserve", "mpo", "spo", "po", "cso",
    "special", "senior", "master", "police", "peace", "detention", "corrections", "asst",
    "assistant", "deputy-sheriff", "prof", "professor", "rev", "instructor", "trainer",
    "facilitator", "lead", "certified",
})
#: Ranks and titles written abbreviated, with a full stop ("Cpl.", "Det.").
_RANK_ABBREVIATIONS = frozenset({
    "ofc", "off", "dep", "sgt", "lt", "cpl", "capt", "cpt", "det", "tpr", "sa", "dr", "mr",
    "mrs", "ms", "mx", "ptl", "inv", "maj", "cmdr", "col", "insp", "asst", "prof", "rev",
})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
CREDENTIALS = frozenset({
    "phd", "ph.d", "md", "ms", "ma", "ba", "bs", "med", "m.ed", "mpa", "mba", "lpc", "lcsw",
    "cit", "edd", "ed.d", "jd", "esq", "rn", "emt", "cpm", "lmft", "psyd", "msw", "ret", "cpt",
})
PARTICLES = frozenset({"de", "del", "della", "da", "di", "van", "von", "der", "den", "la",
                       "le", "du", "st", "bin", "al", "dos", "das", "ter", "y"})
NOT_NAME_WORDS = frozenset({
    "department", "dept", "police", "sheriff", "sheriff's", "county", "city", "academy",
    "college", "university", "office", "center", "centre", "institute", "commission", "state",
    "division", "bureau", "agency", "services", "service", "law", "enforcement", "standards",
    "association", "inc", "llc", "corp", "company", "certificate", "certification",
    "completion", "course", "training", "hours", "hour", "date", "signature", "instructor",
    "coordinator", "director", "program", "presented", "awarded", "certifies", "certify",
    "this", "that", "the", "and", "of", "for", "has", "have", "with", "de-escalation",
    "deescalation", "escalation", "crisis", "intervention", "techniques", "tactics", "safety",
    "badge", "location", "attendance", "achievement", "successfully", "completed", "public",
    "school", "district", "board", "council", "authority", "unit", "team", "task", "force",
    "use", "patrol", "response", "communication", "communications", "skills", "mental",
    "health", "management", "officers", "online", "classroom", "scenario", "hybrid", "page",
    "transcript", "record", "report", "roster", "sheet", "memorandum", "to", "from", "subject",
    "is", "in", "on", "at", "by", "as", "an", "a", "or", "credit", "credits", "total",
    "peace", "tcole", "post", "texas", "california",
    "region", "regional", "campus", "building", "room", "hall", "street", "st.", "avenue",
    "ave", "road", "rd", "blvd", "suite", "drive", "highway", "hwy", "facility", "range",
    "verbal", "judo", "awareness", "tactical", "strategies", "approach", "model", "module",
    "level", "basic", "advanced", "intermediate", "refresher", "update", "annual", "in-service",
    "inservice", "seminar", "workshop", "webinar", "class", "lesson", "curriculum", "no",
    "number", "id", "pid", "provider", "date:", "name", "officer", "your",
})
MAX_TOKENS = 6

_TOKEN = re.compile(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'.\-]*|[(),;/&|:\[\]\d#@]+|\S+")


@dataclass(frozen=True)
class NameMatch:
    """A person's name found in text.

    Attributes:
        value: the normalised name (``Jane Q. Doe``).
        raw: the text it was read from (``DOE, JANE Q.``), ranks included.
        start, end: offsets of ``raw`` in the searched text.
        quality: how name-like the reading is (0..1).
    """

    value: str
    raw: str
    start: int
    end: int
    quality: float


def _bare(token: str) -> str:
    return token.lower().strip(".,")


def _is_initial(token: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]\.?", token))


def _is_name_word(token: str) -> bool:
    """A capitalised (or all-caps) word of letters, apostrophes, hyphens and dots."""
    core = token.rstrip(".,")
    if not re.fullmatch(r"[A-Za-zÀ-ɏ][A-Za-zÀ-ɏ'\-.]*", core or "-"):
        return False
    if _bare(token) in NOT_NAME_WORDS:
        return False
    return core[0].isupper()


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _skip_ranks(toks: list[re.Match[str]]) -> int:
    i = 0
    while i < len(toks) - 1 and _bare(toks[i].group()) in RANKS:
        i += 1
        # "Lt, Oren Baptiste": an abbreviated rank's full stop read as a comma (a surname
        # that is a rank word, "MARSHAL, JOHN", is written out, never abbreviated)
        if (_bare(toks[i - 1].group()) in _RANK_ABBREVIATIONS and i < len(toks) - 1
                and toks[i].group() == "," and _is_name_word(toks[i + 1].group())):
            i += 1
    return i


def _collect(toks: list[re.Match[str]], i: int) -> tuple[list[re.Match[str]], int]:
    """The run of name tokens from ``i``; returns it and the index after it."""
    run: list[re.Match[str]] = []
    while i < len(toks) and len(run) < MAX_TOKENS:
        word = toks[i].group()
        nxt = toks[i + 1].group() if i + 1 < len(toks) else ""
        if _is_name_word(word) or _is_initial(word) or (_bare(word) in SUFFIXES and run):
            run.append(toks[i])
        elif _bare(word) in PARTICLES and (_is_name_word(nxt) or _bare(nxt) in PARTICLES):
            run.append(toks[i])
        else:
            break
        i += 1
    return run, i


@lru_cache(maxsize=8192)  # each line's word starts are tried for officer and instructor
def find_name(text: str) -> NameMatch | None:
    """The person's name at the start of ``text`` (after any rank or honorific).

    Args:
        text: a field value or the rest of a line, e.g. ``DOE, JANE Q. (Badge 1234)``.

    Returns:
        The name, normalised, or ``None`` when the text does not start with a person's name.
    """
    as_read = text
    text = _roman_suffixes(_letters_for_digits(fold_homoglyphs(text)))
    toks = _tokens(text)
    start = _skip_ranks(toks)
    run, i = _collect(toks, start)
    if not run:
        return None
    inverted = None
    comma = i < len(toks) and toks[i].group() == ","
    surname = [t for t in run if _bare(t.group()) not in SUFFIXES]
    if comma and surname and all(_bare(t.group()) in PARTICLES for t in surname[:-1]):
        # "DOE, JANE Q." -> surname, comma, given names
        rest, i = _collect(toks, i + 1)
        if rest and not all(_bare(t.group()) in SUFFIXES for t in rest):
            inverted, run = run, rest
    elif comma and i + 1 < len(toks) and _bare(toks[i + 1].group()) in SUFFIXES:
        run = [*run, toks[i + 1]]  # "John Smith, Jr."
    found = _build(text, toks, run, inverted)
    if found is None:
        return None
    return NameMatch(found.value, as_read[found.start : found.end], found.start, found.end,
                     found.quality)


_DIGIT_LETTERS = {"0": "O", "1": "I", "5": "S", "8": "B", "6": "G", "2": "Z"}


def _letters_for_digits(text: str) -> str:
    """Read ``J0HN SMlTH`` as ``JOHN SMITH``.

    Digits (and ``l`` among capitals) inside a word of letters are OCR confusions. The
    length is kept, so offsets hold.
    """
    def fix(m: re.Match[str]) -> str:
        word = m.group()
        letters = sum(c.isalpha() for c in word)
        if letters < 2 or letters <= sum(c.isdigit() for c in word):
            return word
        caps = sum(c.isupper() for c in word) > letters / 2
        out = [_DIGIT_LETTERS.get(c, c) for c in word]
        if caps:
            out = ["I" if c == "l" else c for c in out]
        return "".join(out)
    return re.sub(r"[A-Za-z0-9]*[0-9][A-Za-z0-9]*|[A-Z]+l[A-Zl]*", fix, text)


# "IV" read "!V", "III" read "Il1": a word of two or three such strokes after a name.
_ROMAN_SLIP = re.compile(r"(?<=[A-Za-z.] )[!|1lIV]{2,3}(?=[\s,.)]|$)")


def _roman_suffixes(text: str) -> str:
    """Read a numeral suffix whose I came out as ``!``, ``|``, ``1`` or ``l`` (same length)."""
    def fix(m: re.Match[str]) -> str:
        word = re.sub(r"[!|1l]", "I", m.group())
        return word if word in ("II", "III", "IV") else m.group()
    return _ROMAN_SLIP.sub(fix, text)


def _build(text: str, scope: list[re.Match[str]], run: list[re.Match[str]],
           inverted: list[re.Match[str]] | None) -> NameMatch | None:
    words = [t.group() for t in run + (inverted or [])]
    suffix = [w for w in words if _bare(w) in SUFFIXES]
    given = [w for w in words if _bare(w) not in SUFFIXES]
    full_words = [w for w in given if len(w.strip(".")) >= 2]
    if len(given) < 2 or not full_words or len(given) > MAX_TOKENS:
        return None
    if _is_initial(given[-1]) and len(full_words) < 2:
        return None
    value = " ".join(normalise_word(w) for w in given + suffix)
    pieces = run + (inverted or [])
    first = min(p.start() for p in pieces + scope[:1])
    last = max(p.end() for p in pieces)
    return NameMatch(value, text[first:last], first, last, _quality(given))


def _quality(given: list[str]) -> float:
    score = 1.0 if 2 <= len(given) <= 4 else 0.8
    if sum(_is_initial(w) for w in given) > 1:
        score -= 0.1
    if any(len(w) > 20 for w in given):
        score -= 0.3
    return score


def normalise_word(word: str) -> str:
    """``O'BRIEN`` -> ``O'Brien``, ``SMITH-JONES`` -> ``Smith-Jones``, ``III`` stays."""
    if len(word) > 2 and word.endswith(".") and _bare(word) not in SUFFIXES | PARTICLES:
        word = word[:-1]  # "Bridget R. Oyelowo." ends a sentence
    if _bare(word) in SUFFIXES:
        return word.upper() if _bare(word) not in ("jr", "sr") else word.capitalize()
    if _is_initial(word):
        return word.upper()
    if not (word.isupper() or word.islower()):
        return word  # mixed case as printed: McDonald, DeShawn
    if word.lower().rstrip(".") in PARTICLES:
        return word.capitalize() if word.lower().startswith("st") else word.lower()
    parts = re.split(r"([-'])", word.lower())
    out = "".join(p[:1].upper() + p[1:] if p not in "-'" else p for p in parts)
    if re.match(r"Mc[a-z]", out):
        out = "Mc" + out[2:].capitalize()
    return out


def normalise_name(text: str) -> str | None:
    """The normalised form of a name read on its own (``DOE, JANE`` -> ``Jane Doe``)."""
    found = find_name(text)
    return found.value if found else None


#: Letters a pen writes so alike that a recognizer takes one for the other ("Sanes" for
#: "James": a looped J for an S, an n for an m), folded together (``str.translate``).
HAND_ALIKE = str.maketrans("nvji", "musl")


def cell_name(text: str) -> str | None:
    """The name in a name column's cell: as :func:`normalise_name` reads it, or, when a
    word's first letter was read small (a hand's ``crystal Pham``), with the small first
    letters made capitals. A cell of a name column holds a name whatever its case; free
    text does not, so only cells get this second try."""
    found = normalise_name(text)
    if found is not None or not any(w[:1].islower() for w in text.split()):
        return found
    return normalise_name(" ".join(w[:1].upper() + w[1:] if w[:1].islower() and len(w) > 1
                                   else w for w in text.split()))


def same_person(read: str, reference: str) -> bool:
    """Whether two spellings name the same person.

    Same first and last name, ignoring case, middle initials and suffixes
    (``Bridget R. Oyelowo`` / ``Bridget Oyelowo``).
    """
    def core(name: str) -> list[str]:
        words = [w.strip(".,").lower() for w in name.split()]
        return [w for w in words if len(w) > 1 and w not in SUFFIXES]
    a, b = core(read), core(reference)
    return len(a) >= 2 and len(b) >= 2 and a[0] == b[0] and a[-1] == b[-1]
