"""Roster, catalog, title and instructor matching (pure functions over reference rows)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_catalog.models import Course, Instructor, Officer
from verification.matching import (
    NAME_CONFIRMS_CORRECTION,
    NAME_FITS_BADGE,
    TITLE_FITS,
    Roster,
    compact_key,
    match_course,
    match_instructor,
    match_officer,
    match_title,
    name_score,
    normalize_badge,
    normalize_post_number,
    ocr_skeleton,
    title_score,
)

D = date.fromisoformat


def _officers() -> list[Officer]:
    rows = [
        ("1001", "John", "Smith"),
        ("1002", "Jon", "Smith"),
        ("2001", "Maria", "Garcia"),
        ("3001", "Mary", "O'Brien-Hale"),
        ("0042", "Luis", "De la Cruz"),
    ]
    return [
        Officer(id=i, badge_number=b, first_name=f, last_name=last, state="TX", role="sworn")
        for i, (b, f, last) in enumerate(rows, start=1)
    ]


def test_title_acronyms_fit_only_their_own_course():
    cit = "Crisis Intervention Team (CIT) Training"
    icat = "ICAT: Integrating Communications, Assessment, and Tactics"
    able = "Active Bystandership for Law Enforcement (ABLE)"
    assert title_score("CIT Training", cit) >= TITLE_FITS
    assert title_score("ICAT", icat) >= TITLE_FITS
    assert title_score("ABLE Project Training", able) >= TITLE_FITS
    assert title_score("ICAT", cit) < TITLE_FITS
    assert title_score("CAT", icat) < TITLE_FITS  # a fragment of the acronym is not enough
    assert title_score("CIT Firearms", cit) < TITLE_FITS


def test_a_bracketed_word_of_a_title_alone_does_not_fit_it():
    """GIVEN a catalog title with a plain word in brackets WHEN only that word was read
    THEN it does not fit (it is no acronym): a title cut down to "Online)" was verified."""
    verbal = "Crowd Contact: Calming Words (Online)"
    assert title_score("Online)", verbal) < TITLE_FITS
    assert title_score("Crowd Contact - Calming Words", verbal) >= TITLE_FITS


def _courses() -> list[Course]:
    rows = [
        ("1849", "De-escalation Techniques", "TX"),
        ("0080", "Crisis Intervention", "WA"),
        ("PER-922", "ICAT", "TX"),
        ("TC1882", "Verbal De-escalation", "GA"),
        ("TC5080", "Course A", "GA"),
        ("TCS080", "Course B", "GA"),
        ("2540-20182", "Tactical Communication", "CA"),
    ]
    return [
        Course(id=i, post_number=p, title=t, state=s, topics=["de-escalation"], hours=8,
               format="classroom", standard="S", approved_from=D("2020-01-01"))
        for i, (p, t, s) in enumerate(rows, start=1)
    ]  # fmt: skip


ROSTER = _officers()
CATALOG = _courses()


def by_badge(badge: str) -> Officer:
    return next(o for o in ROSTER if o.badge_number == badge)


def by_post(number: str) -> Course:
    return next(c for c in CATALOG if c.post_number == number)


# --- officers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "badge", "expected"),
    [
        ("John Smith", "1001", "1001"),
        ("SMITH, JOHN A.", "#1001", "1001"),
        ("Sgt. John Q. Smith Jr.", "No. 1001", "1001"),
        ("J0hn Smlth", "1001", "1001"),  # OCR noise in the name
        ("Smith, J.", "1001", "1001"),  # initial only: enough when the badge is exact
        ("Jon Smith", "1002", "1002"),
        ("Mary O Brien Hale", "3001", "3001"),  # hyphen and apostrophe lost
        ("MARY OBRIEN-HALE", "3001", "3001"),
        ("Luis De La Cruz", "42", None),  # leading zeros are part of the badge
        ("Luis De La Cruz", "0042", "0042"),
    ],
)
def test_badge_decides_and_name_must_fit(name, badge, expected):
    result = match_officer(ROSTER, name, badge)
    assert (result.item.badge_number if result.item else None) == expected, result.why
    assert result.why


def test_no_badge_never_matches_even_on_an_exact_name():
    result = match_officer(ROSTER, "John Smith", None)
    assert result.item is None and result.method == "no_input"
    assert result.candidates[0].label == "John Smith #1001"  # offered to the reviewer only


def test_unknown_badge_never_falls_back_to_the_name():
    result = match_officer(ROSTER, "John Smith", "1003")
    assert result.item is None and "not on the roster" in result.why


def test_name_conflicting_with_the_badge_holder_is_not_attributed():
    result = match_officer(ROSTER, "Jane Smith", "1001")
    assert result.item is None and result.method == "conflict"
    assert "held by John Smith" in result.why


def test_name_of_another_officer_on_a_badge_is_not_attributed():
    """John Smith's name on Jon Smith's badge: one of the two was misread; a person decides."""
    result = match_officer(ROSTER, "John Smith", "1002")
    assert result.item is None and result.method == "conflict"
    assert "John Smith #1001" in result.why


def test_ocr_badge_correction_needs_a_unique_badge_and_a_confirming_name():
    fixed = match_officer(ROSTER, "John Smith", "1OO1")
    assert fixed.item is by_badge("1001") and fixed.method == "ocr_corrected"
    assert fixed.corrected_to == "1001"
    assert match_officer(ROSTER, "Jon Smith", "lOO2").item is by_badge("1002")
    # an initial is not enough to confirm a corrected badge
    assert match_officer(ROSTER, "J. Smith", "1OO1").item is None
    # the corrected badge's holder has another name
    assert match_officer(ROSTER, "Maria Garcia", "1OO1").item is None


_LETTERS = str.maketrans("0123456789", "KLMNPRTVWX")


def _crowd(n: int) -> list[Officer]:
    """``n`` officers with made-up surnames and letter badges, none near an officer of ROSTER."""
    import random
    import string

    rng = random.Random(5)
    return [
        Officer(id=10_000 + i, badge_number=f"Q{i:04d}".translate(_LETTERS),
                first_name=rng.choice(["Ann", "Raj"]),
                last_name="".join(rng.choices(string.ascii_lowercase, k=9)).title(), state="TX",
                role="sworn")
        for i in range(n)
    ]  # fmt: skip


def test_a_large_roster_is_indexed_and_decides_as_a_small_one():
    """GIVEN the roster among 3,000 other officers (Roster: badge index, surname prefilter)
    THEN every decision, and every candidate offered to the reviewer that comes close (a
    score of 65 or more), are those of the small roster."""
    big = Roster.of([*ROSTER, *_crowd(3000)])
    for name, badge in (("John Smith", "1001"), ("John Smith", "1002"), ("Jane Smith", "1001"),
                        ("John Smith", "1OO1"), ("J. Smith", "1OO1"), ("Jon Smith", "lOO2"),
                        ("Mary O Brien Hale", "3001"), ("John Smith", None),
                        ("Smyth John", "1009")):  # fmt: skip
        small, large = match_officer(ROSTER, name, badge), match_officer(big, name, badge)
        assert (small.item, small.method, small.why) == (large.item, large.method, large.why)
        close = [[c for c in m.candidates if c.score >= 65] for m in (small, large)]
        assert close[0] == close[1], (name, badge)


def test_a_badge_one_character_off_is_attributed_for_review_never_matched():
    """GIVEN Maria Garcia #2001 WHEN "20001" / "2011" / "201" is read with her name THEN the
    record is attributed to her for a reviewer (``tentative``), never ``matched``; with another
    name, or when two badges are one character off with fitting names, nobody is."""
    for read in ("20001", "2011", "201"):
        result = match_officer(ROSTER, "Maria Garcia", read)
        assert result.item is by_badge("2001") and result.method == "near_badge", read
        assert result.tentative and not result.matched
        assert "not credited" in result.why and result.corrected_to == "2001"
    assert match_officer(ROSTER, "Maria Garza", "2011").item is None
    assert match_officer(ROSTER, "Jane Doe", "2011").item is None
    # 1003 is one character off 1001 (John Smith) and 1002 (Jon Smith): both names fit
    assert match_officer(ROSTER, "John Smith", "1003").item is None


def test_ambiguous_ocr_badge_is_refused():
    """GIVEN badges 5001 and S001 on the roster WHEN 5OO1 is read THEN neither is chosen."""
    roster = [*ROSTER] + [
        Officer(id=i, badge_number=b, first_name="Ann", last_name="Lee", state="TX", role="sworn")
        for i, b in ((98, "5001"), (99, "S001"))
    ]
    result = match_officer(roster, "Ann Lee", "5OO1")
    assert result.item is None and result.method == "ambiguous"


def test_name_scores_behind_the_thresholds():
    assert name_score("John Smith", "John", "Smith") == 100
    assert name_score("Jane Smith", "John", "Smith") < NAME_FITS_BADGE
    assert name_score("Maria Garcia", "John", "Smith") < NAME_FITS_BADGE
    assert NAME_FITS_BADGE <= name_score("J. Smith", "John", "Smith") < NAME_CONFIRMS_CORRECTION
    assert name_score("Jon Smith", "John", "Smith") >= NAME_FITS_BADGE
    assert name_score("Smith", "John", "Smith") < NAME_FITS_BADGE  # a surname alone does not
    assert name_score("", "John", "Smith") == 0


def _officer(i: int, first: str, last: str, badge: str) -> Officer:
    return Officer(id=i, badge_number=badge, first_name=first, last_name=last, state="TX",
                   role="sworn")


def test_a_given_name_read_with_letters_a_hand_writes_alike_fits_its_badge():
    """GIVEN James Becker #31895 on the roster WHEN a pen-written row reads 'Becker, Sanes'
    (a looped J read as an S) with his badge THEN it is his record, and the why says how."""
    roster = [*ROSTER, _officer(71, "James", "Becker", "31895")]
    result = match_officer(roster, "Becker, Sanes", "31895")
    assert result.matched and result.item.id == 71
    assert "alike" in result.why
    # "Sanes" does not fit James unless the surname holds as read ...
    assert not match_officer(roster, "Sanes Bocker", "31895").matched
    # ... nor do other given names: the look-alikes are a few pen strokes, not vowels
    assert not match_officer(roster, "Jack Becker", "31895").matched
    assert not match_officer(roster, "Sanet Becker", "31895").matched


def test_look_alike_letters_never_choose_between_two_officers():
    """GIVEN James Becker #31895 and a Sanes Becker on the roster WHEN 'Sanes Becker' is read
    with James's badge THEN nobody is chosen (either could have written it)."""
    roster = [*ROSTER, _officer(71, "James", "Becker", "31895"),
              _officer(72, "Sanes", "Becker", "31896")]
    result = match_officer(roster, "Sanes Becker", "31895")
    assert result.item is None


# --- courses -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "expected", "method"),
    [
        ("1849", "1849", "exact"),
        (" 1849 ", "1849", "exact"),
        ("0080", "0080", "exact"),
        ("tc 1882", "TC1882", "exact"),
        ("PER\u2013922", "PER-922", "exact"),  # en dash
        ("PER 922", "PER-922", "separators"),
        ("PER922", "PER-922", "separators"),
        ("l849", "1849", "ocr_corrected"),
        ("I8A9", None, "none"),
        ("OO8O", "0080", "ocr_corrected"),
        ("TC l88Z", "TC1882", "ocr_corrected"),
        ("2540-20182-20-003", "2540-20182", "ca_control_number"),
        ("2540 20182 20 003", "2540-20182", "ca_control_number"),
        ("254O-20182-2O-OO3", "2540-20182", "ca_control_number+ocr_corrected"),
        ("7777", None, "none"),
        ("", None, "no_input"),
    ],
)
def test_post_number_matching(read, expected, method):
    result = match_course(CATALOG, read)
    assert (result.item.post_number if result.item else None) == expected, result.why
    assert result.method == method


def test_ocr_correction_refused_when_ambiguous():
    result = match_course(CATALOG, "TC5O8O")  # TC5080 or TCS080
    assert result.item is None and result.method == "ambiguous"
    assert "TC5080" in result.why and "TCS080" in result.why
    assert match_course(CATALOG, "TCS080").item is by_post("TCS080")  # exact still wins


def test_ca_control_number_only_matches_a_california_course():
    catalog = [*CATALOG]
    catalog[-1] = Course(id=7, post_number="2540-20182", title="X", state="TX", topics=[],
                         hours=1, format="online", standard="S",
                         approved_from=D("2020-01-01"))  # fmt: skip
    assert match_course(catalog, "2540-20182-20-003").item is None


def test_course_candidates_rank_title_and_number():
    result = match_course(CATALOG, "1894", title="De-escalation Techniques")
    assert result.item is None
    assert result.candidates[0].label.startswith("1849 De-escalation Techniques")
    assert len(result.candidates) == 3


# --- titles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "fits"),
    [
        ("De-escalation Techniques", True),
        ("DE-ESCALATION TECHNIQUES", True),
        ("De-escalation", True),
        ("De escalation", True),
        ("Deescalation Techniques", True),
        ("De-escalat1on Techn1ques", True),
        ("Course 1849: De-escalation Techniques Training", True),
        ("Firearms Qualification", False),
        ("Techniques", False),
        ("Crisis Intervention Techniques", False),
        ("Training", False),
    ],
)
def test_title_fit(read, fits):
    course = by_post("1849")
    assert match_title(read, course).matched is fits, title_score(read, course.title)
    assert (title_score(read, course.title) >= TITLE_FITS) is fits


# --- instructors ---------------------------------------------------------------------------


def _registry() -> list[Instructor]:
    rows = [
        ("Dana Reyes", "I-1", ["de-escalation"], "2020-01-01", "2022-12-31"),
        ("Dana Reyes", "I-2", ["de-escalation"], "2023-01-01", None),
        ("Dan Reyes", "I-3", ["firearms"], "2020-01-01", None),
        ("Lee Park", "I-4", ["de-escalation"], "2020-01-01", None),
    ]
    return [
        Instructor(id=i, name=n, certification_number=c, topics=t, certified_from=D(f),
                   certified_until=D(u) if u else None)
        for i, (n, c, t, f, u) in enumerate(rows, start=1)
    ]  # fmt: skip


def test_instructor_same_person_prefers_the_certification_in_force():
    reg = _registry()
    early = match_instructor(reg, "Lee Park", topics=["de-escalation"], on_date=D("2021-05-01"))
    assert early.item.certification_number == "I-4"
    result = match_instructor(reg, "Park, Lee", topics=["de-escalation"], on_date=D("2024-01-01"))
    assert result.item.certification_number == "I-4"


def test_instructor_two_different_people_fitting_is_ambiguous():
    result = match_instructor(_registry(), "Dana Reyes", topics=["de-escalation"],
                              on_date=D("2024-01-01"))  # fmt: skip
    # "Dan Reyes" fits "Dana Reyes" too well to tell them apart
    assert result.item is None and result.method == "ambiguous"


def test_instructor_not_in_registry():
    assert match_instructor(_registry(), "Pat Nobody").item is None
    assert match_instructor(_registry(), None).method == "no_input"


# --- normalisation properties ----------------------------------------------------------------

_BADGEISH = st.text(alphabet="0123456789OolIi|SsBZzGg#-. No:ABC\u2013\u00a0", max_size=20)


@given(st.one_of(st.text(), _BADGEISH))
def test_normalisers_never_raise_and_are_idempotent(text):
    for fn in (normalize_badge, normalize_post_number, compact_key):
        once = fn(text)
        assert isinstance(once, str) and fn(once) == once
    for badge in (False, True):
        once = ocr_skeleton(text, badge=badge)
        assert ocr_skeleton(once, badge=badge) == once


@given(st.from_regex(r"[0-9A-Z]{1,8}", fullmatch=True), st.sampled_from(["#", "No. ", " ", "#  "]))
def test_badge_labels_and_spaces_do_not_change_the_badge(badge, prefix):
    assert normalize_badge(prefix + badge) == normalize_badge(badge)


@given(st.from_regex(r"[0-9]{1,8}", fullmatch=True))
def test_every_ocr_variant_of_a_number_has_its_skeleton(number):
    variant = number.replace("0", "O").replace("1", "l").replace("5", "S").replace("8", "B")
    assert ocr_skeleton(variant) == ocr_skeleton(number) == number
    assert ocr_skeleton(variant, badge=True) == number


@given(st.text(max_size=30), st.text(max_size=30))
def test_matchers_never_raise(name, number):
    match_officer(ROSTER, name, number)
    match_course(CATALOG, number, title=name)
    name_score(name, "John", "Smith")
