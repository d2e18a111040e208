"""Date parsing: every supported format round-trips, OCR lookalikes still parse, junk is safe."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.dates import find_dates, parse_date

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


FORMATS = {
    "long": lambda d: f"{MONTH_NAMES[d.month - 1]} {d.day}, {d.year}",
    "abbr_dot": lambda d: f"{MONTH_ABBR[d.month - 1]}. {d.day}, {d.year}",
    "day_month": lambda d: f"{d.day} {MONTH_NAMES[d.month - 1]} {d.year}",
    "slashed": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "slashed_short": lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}",
    "iso": lambda d: d.isoformat(),
    "day_of": lambda d: f"on the {_ordinal(d.day)} day of {MONTH_NAMES[d.month - 1]}, {d.year}",
    "ordinal": lambda d: f"{MONTH_NAMES[d.month - 1]} {_ordinal(d.day)}, {d.year}",
    "dashed_abbr": lambda d: f"{d.day:02d}-{MONTH_ABBR[d.month - 1].upper()}-{d.year}",
    "dotted": lambda d: f"{d.month:02d}.{d.day:02d}.{d.year}",
}
dates = st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2068, 12, 31))


@pytest.mark.parametrize("fmt", sorted(FORMATS), ids=sorted(FORMATS))
@given(day=dates)
def test_round_trip(fmt: str, day: dt.date) -> None:
    assert parse_date(FORMATS[fmt](day)) == day


@given(day=dates, prefix=st.sampled_from(["Date: ", "Completed on ", "", "held  "]),
       suffix=st.sampled_from(["", ".", " at the Academy", ", 8 hours"]))
def test_found_inside_text(day: dt.date, prefix: str, suffix: str) -> None:
    text = prefix + FORMATS["long"](day) + suffix
    (found,) = find_dates(text)
    assert found.value == day
    assert text[found.start : found.end] == found.raw


LOOKALIKES = {"0": "O", "1": "l", "5": "S", "8": "B", "3": "З", "2": "Z"}


@given(day=dates, data=st.data())
def test_lookalike_digits_still_parse(day: dt.date, data: st.DataObject) -> None:
    """GIVEN a slashed date WHEN one digit per group is read as a lookalike THEN same date."""
    groups = [f"{day.month:02d}", f"{day.day:02d}", f"{day.year}"]
    noisy = []
    for g in groups:
        i = data.draw(st.integers(0, len(g) - 1))
        swap = LOOKALIKES.get(g[i]) if data.draw(st.booleans()) else None
        noisy.append(g[:i] + swap + g[i + 1 :] if swap else g)
    assert parse_date("/".join(noisy)) == day


@given(day=dates, spaces=st.sampled_from([" / ", "/ ", " /"]))
def test_stray_spaces_around_separators(day: dt.date, spaces: str) -> None:
    text = spaces.join([f"{day.month:02d}", f"{day.day:02d}", str(day.year)])
    assert parse_date(text) == day


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_junk_never_raises(text: str) -> None:
    for found in find_dates(text):
        assert found.value is None or isinstance(found.value, dt.date)
        assert 0 <= found.start < found.end <= len(text)


@pytest.mark.parametrize(("text", "first", "last"), [
    ("March 2-3, 2026", dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
    ("March 30 - April 1, 2026", dt.date(2026, 3, 30), dt.date(2026, 4, 1)),
    ("2-3 March 2026", dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
    ("03/02/2026 - 03/03/2026", dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
    ("March 2, 2026 through March 3, 2026", dt.date(2026, 3, 2), dt.date(2026, 3, 3)),
    ("2026-01-12 through 2026-01-13", dt.date(2026, 1, 12), dt.date(2026, 1, 13)),
], ids=["month-days", "two-months", "days-month", "slashed", "through", "iso-through"])
def test_ranges_take_the_last_day(text: str, first: dt.date, last: dt.date) -> None:
    (found,) = find_dates(text)
    assert (found.first, found.value) == (first, last)
    assert found.is_range


@pytest.mark.parametrize("text", ["02/30/2026", "13/03/2026", "April 31, 2026", "00/10/2026"])
def test_impossible_dates_keep_text(text: str) -> None:
    (found,) = find_dates(text)
    assert found.value is None and found.raw == text


def test_cyrillic_and_letter_lookalikes() -> None:
    assert parse_date("0З/03/2026") == dt.date(2026, 3, 3)
    assert parse_date("O3/O3/2O26") == dt.date(2026, 3, 3)
    assert parse_date("lO/lO/lOOO") is None  # mostly letters: not a date


def test_not_dates() -> None:
    assert find_dates("2540-20182-20-003 (512) 555-1234 8.0 hrs") == []
    assert parse_date("Mayo 1, 2026") is None


@pytest.mark.parametrize("text", ["Held on: 2/8 March 2025", "Class day | 3|1 Oct 2024",
                                  "Attended 1\\4 of June 2026"])
def test_a_day_glued_to_a_digit_by_a_slash_or_bar_is_no_day(text: str) -> None:
    """A two-digit day whose stroke broke ("28" read "2/8") is not the day after the break:
    the 8th of March would be a wrong date, surely read (a training credited twice, its
    second copy dated ten days off its first). No date is read; the date's place is read
    again, or the record goes to review."""
    assert find_dates(text) == []


def test_a_day_after_a_slash_and_a_space_or_a_word_is_a_day() -> None:
    assert parse_date("Sessions 1 / 7 November 2025") == dt.date(2025, 11, 7)
    assert parse_date("Week 2/ held 8 March 2025") == dt.date(2025, 3, 8)
