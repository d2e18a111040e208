"""Hours, badge and POST-number parsing: round trips, OCR lookalikes, junk that never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import (
    WORD_NUMBERS,
    confusable_key,
    find_hours,
    find_post_numbers,
    fix_digits,
    match_confusable,
    parse_badge,
    parse_hours,
    parse_post_number,
)

HALF_HOURS = st.integers(1, 160).map(lambda n: n / 2)
LOOK = {"0": "O", "1": "l", "5": "S", "8": "B", "2": "Z"}


def _fmt(h: float) -> str:
    return f"{h:g}" if h != int(h) else str(int(h))


# ------------------------------------------------------------------------------ hours

HOUR_FORMATS = {
    "hrs": lambda h: f"{h:.1f} hrs",
    "hours": lambda h: f"{_fmt(h)} hours",
    "credit": lambda h: f"{h:.2f} Credit Hours",
    "hyphen": lambda h: f"{_fmt(h)}-hour",
    "hr": lambda h: f"{_fmt(h)} hr.",
}


@pytest.mark.parametrize("fmt", sorted(HOUR_FORMATS), ids=sorted(HOUR_FORMATS))
@given(hours=HALF_HOURS)
def test_hours_round_trip(fmt: str, hours: float) -> None:
    found = find_hours(f"completed {HOUR_FORMATS[fmt](hours)} of training")
    assert [h.value for h in found] == [hours]


@pytest.mark.parametrize(("word", "value"), sorted(WORD_NUMBERS.items()))
def test_hours_spelled_and_in_digits(word: str, value: float) -> None:
    """"Eight (8) hours" and "8 (eight) hours" read the same; the two disagreeing
    ("Eight (6) hours": one of them misread) read no hours at all."""
    for text in (f"{word.title()} ({_fmt(value)}) hours", f"{_fmt(value)} ({word}) hours"):
        assert [h.value for h in find_hours(f"completed {text} of training")] == [value]
    wrong = value + 2
    for text in (f"{word.title()} ({_fmt(wrong)}) hours", f"{_fmt(wrong)} ({word}) hours"):
        assert [h.value for h in find_hours(f"completed {text} of training")] == [None]
    assert parse_hours(f"{_fmt(wrong)} ({word})").value is None


@given(hours=HALF_HOURS)
def test_bare_labelled_hours(hours: float) -> None:
    assert parse_hours(f" {hours:.1f}").value == hours
    assert parse_hours(_fmt(hours)).value == hours


@pytest.mark.parametrize(("word", "value"), [(w, v) for w, v in WORD_NUMBERS.items() if v >= 1])
def test_word_hours(word: str, value: float) -> None:
    assert parse_hours(f"{word.title()} hours").value == value


@given(hours=st.integers(1, 99), data=st.data())
def test_hours_lookalikes(hours: int, data: st.DataObject) -> None:
    text = str(hours)
    i = data.draw(st.integers(0, len(text) - 1))
    if text[i] in LOOK and len(text) > 1:
        text = text[:i] + LOOK[text[i]] + text[i + 1 :]
    assert parse_hours(f"{text} hours").value == hours


def test_hours_kinds_and_limits() -> None:
    (credit,) = find_hours("6.0 TCOLE Credit Hours")
    (contact,) = find_hours("8 contact hours")
    assert (credit.kind, contact.kind) == ("credit", "contact")
    assert find_hours("4 hours 30 minutes")[0].value == 4.5
    assert find_hours("Duration: 90 minutes")[0].value == 1.5
    assert find_hours("250 hours")[0].value is None  # impossible, raw kept
    assert parse_hours("03/03/2026") is None  # a date is not hours
    assert find_hours("is hours also hours") == []


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_hours_junk_never_raises(text: str) -> None:
    for h in find_hours(text):
        assert h.value is None or 0 < h.value <= 200
    parse_hours(text)


# ------------------------------------------------------------------------------ badges

BADGES = st.from_regex(r"\A[0-9]{1,7}\Z").filter(lambda s: s.strip())


@given(badge=BADGES, label=st.sampled_from(["#", "# ", "No. ", ": ", "#: ", " ", "-"]))
def test_badge_round_trip(badge: str, label: str) -> None:
    assert parse_badge(f"{label}{badge} of the Springfield PD").value == badge


@given(badge=st.from_regex(r"\A[0-9]{3,6}\Z"), data=st.data())
def test_badge_lookalikes(badge: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(1, len(badge) - 1))  # not the first: a capital there may be a prefix
    noisy = badge[:i] + LOOK.get(badge[i], badge[i]) + badge[i + 1 :]
    assert parse_badge(noisy).value == badge


@pytest.mark.parametrize(("text", "value"), [
    ("TX-4455", "TX-4455"), ("B-7731", "B-7731"), ("B231", "B231"), ("SO-7253", "SO-7253"),
    ("l234", "1234"), ("O012", "0012"), ("# 00417", "00417"), (": N/A", None),
    ("|KPD-318", "KPD-318"),  # a cell's rule read as a bar glued to the letter prefix
])
def test_badge_prefixes_stay(text: str, value: str | None) -> None:
    found = parse_badge(text)
    assert (found.value if found else None) == value


@given(st.text(max_size=40))
def test_badge_junk_never_raises(text: str) -> None:
    parse_badge(text)


# ------------------------------------------------------------------------- POST numbers

POST_SHAPES = [
    st.from_regex(r"\A[0-9]{3,6}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{5}\Z"),
    st.from_regex(r"\A[0-9]{4}-[0-9]{5}-[0-9]{2}-[0-9]{3}\Z"),
    st.from_regex(r"\ACJK [0-9]{4}\Z"),
    st.from_regex(r"\ATC[0-9]{4}\Z"),
    st.from_regex(r"\APER-[0-9]{3}\Z"),
]


@given(number=st.one_of(POST_SHAPES), label=st.sampled_from(["#", " #", ": ", "No. ", " "]))
def test_post_number_round_trip(number: str, label: str) -> None:
    assert parse_post_number(f"{label}{number} De-escalation").value == number


def test_post_number_normalises_spacing_and_case_only() -> None:
    assert parse_post_number("CJK  0297").value == "CJK 0297"
    assert parse_post_number("PER - 922").value == "PER-922"
    assert parse_post_number(": l849").value == "l849"  # what was read is kept
    assert parse_post_number("0080").value == "0080"


@pytest.mark.parametrize(("read", "number"), [
    ("WjX 6372", "WJX 6372"),     # a J read as the j its capital looks like in small print
    ("RvK-207", "RVK-207"),
    ("Key 6372", None),           # a word before the number is no prefix
    ("Ref 6372", None),
])
def test_a_prefix_read_partly_in_small_letters_is_read_in_capitals(read: str,
                                                                    number: str | None) -> None:
    """GIVEN a course number whose letter prefix OCR read with some capitals as small
    letters of the same shape THEN the prefix is kept, in capitals; a capitalised word
    before a number is not taken for a prefix."""
    found = parse_post_number(read)
    assert (found.value if found else None) == number


def test_distinctive_post_numbers_found_without_label() -> None:
    found = [t.value for t in find_post_numbers("ICAT (PER-922), CJK 0297 and TC1882, 1849")]
    assert found == ["PER-922", "CJK 0297", "TC1882"]


@given(number=st.from_regex(r"\A[0-9]{4}\Z"), data=st.data())
def test_confusable_match_is_unambiguous(number: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, 3))
    noisy = number[:i] + LOOK.get(number[i], number[i]) + number[i + 1 :]
    assert confusable_key(noisy) == confusable_key(number)
    assert match_confusable(noisy, [number, "99999"]) == number
    twin = number[:i] + ("7" if number[i] != "7" else "4") + number[i + 1 :]
    assert match_confusable(noisy, [number, twin]) in (number, None)


def test_confusable_match_refuses_ambiguity() -> None:
    assert match_confusable("l849", ["1849", "I849"]) is None
    assert match_confusable("2540-20182-20-003", ["2540-20182"]) == "2540-20182"
    assert match_confusable("1849", ["1849", "1B49"]) == "1849"


@given(st.text(max_size=40))
@settings(max_examples=300)
def test_post_number_junk_never_raises(text: str) -> None:
    parse_post_number(text)
    find_post_numbers(text)
    match_confusable(text, ["1849", "CJK 0297"])
    assert len(fix_digits(text)) == len(text)


@pytest.mark.parametrize(("text", "badge"), [("SO- 4110", "SO-4110"), ("D -892", "D-892"),
                                             ("SO - 4110", "SO-4110")])
def test_badge_with_a_spaced_hyphen_is_one_id(text: str, badge: str) -> None:
    """OCR puts spaces beside the hyphen of prefixed ids (seen on good scans)."""
    assert parse_badge(text).value == badge


def test_a_j_read_as_a_parenthesis_between_capitals_is_a_j() -> None:
    """Seen on a good scan of a Florida sheet: "Course Number: C)K0297"."""
    for read in ("C)K0297", "C]K0297", "CJK0297"):
        found = parse_post_number(read)
        assert found is not None and found.value == "CJK0297"
    assert parse_post_number("(TC1882)").value == "TC1882"


@pytest.mark.parametrize(("text", "number"), [("ICAT~200", "ICAT-200"), ("OH~22917", "OH-22917")])
def test_a_hyphen_read_as_a_tilde_in_a_course_number_is_a_hyphen(text: str, number: str) -> None:
    assert parse_post_number(text).value == number


@pytest.mark.parametrize(("text", "number"), [
    ("1849-A", "1849-A"), ("DE-2023-01", "DE-2023-01"), ("1849-A, 8 hours", "1849-A"),
    ("1849 - De-escalation", "1849"), ("1849-De-escalation Techniques", "1849"),
    ("2540-20182-20-003", "2540-20182-20-003")])
def test_a_course_number_keeps_its_hyphenated_suffix(text: str, number: str) -> None:
    """A lettered section or module ("1849-A") is part of the number: cut off, it would be
    another course's number."""
    assert parse_post_number(text).value == number


@pytest.mark.parametrize(("text", "kind"), [("16 Continuing Education Hours", "credit"),
                                             ("8 in-service hours", ""),
                                             ("8 instructional hours", "contact")])
def test_hours_with_more_qualifiers(text: str, kind: str) -> None:
    (found,) = find_hours(f"for a total of {text}.")
    assert (found.value, found.kind) == (float(text.split()[0]), kind)


@pytest.mark.parametrize("text, value", [
    ("OR-DPSST-0412", "OR-DPSST-0412"),        # a state and a program code before the digits
    ("# NV-CIT-2207 Crisis Response", "NV-CIT-2207"),
    ("KS-LE-118A", "KS-LE-118A"),
])
def test_course_numbers_with_several_letter_groups(text: str, value: str) -> None:
    """A course number prefixed by more than one group of letters is read whole (the
    first group alone was no number, so the course number was never read)."""
    assert parse_post_number(text).value == value
