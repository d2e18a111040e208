"""Compliance cycles as states define them: fixed statewide windows, officer anchors, rolling.

Pure date arithmetic, no database: :mod:`reports.compliance` feeds it the standard's cycle
columns, the officer's roster dates and the officer's credited training.

* ``fixed``: statewide windows of ``cycle_months`` repeating from ``cycle_anchor`` (Texas
  2-year units from 2023-09-01, training years from a July 1, calendar years from a Jan 1).
* ``officer`` (the default): the officer's ``cycle_start``..``cycle_end`` from the roster
  (Florida's "June 30 of the 4th year after certification" is such a date). A requirement
  with a shorter ``cycle_months`` (annual inside a 3-year licence) repeats inside it.
* ``rolling``: ``cycle_months`` from the day the requirement was last completed (Colorado:
  5 years from the last mandated course); before any completion, from the roster's
  ``cycle_start`` (e.g. the certification date).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

FIXED = "fixed"
OFFICER = "officer"
ROLLING = "rolling"

# Summing many decimal hours in floating point: 0.1 + 0.2 must still meet 0.3.
HOURS_EPSILON = 1e-6


@dataclass(frozen=True)
class Cycle:
    """The window in which the current requirement must be met.

    Attributes:
        kind: ``fixed`` | ``officer`` | ``rolling``.
        start: first day that counts.
        end: the deadline, the last day that counts (inclusive).
        completed_on: rolling cycles only: the day the requirement was last completed,
            which started this window; ``None`` when it never was.
    """

    kind: str
    start: date
    end: date
    completed_on: date | None = None


class CycleUnknownError(ValueError):
    """The data needed to place the cycle is missing; the message says what is missing."""


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day.

    Args:
        day: the starting date.
        months: months to add (may be negative).

    Returns:
        The moved date (Jan 31 + 1 month is Feb 28 or 29).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def fixed_cycle(anchor: date, months: int, on: date) -> Cycle:
    """The statewide window of ``months`` that contains ``on``, windows repeating from ``anchor``.

    Args:
        anchor: a day on which one window starts (any window: earlier or later than ``on``).
        months: window length.
        on: the day to place.

    Returns:
        The window ``start <= on <= end``.
    """
    elapsed = (on.year - anchor.year) * 12 + (on.month - anchor.month)
    k = elapsed // months
    # Month arithmetic ignores the day: step back or forward until the window holds ``on``.
    while add_months(anchor, k * months) > on:
        k -= 1
    while add_months(anchor, (k + 1) * months) <= on:
        k += 1
    start = add_months(anchor, k * months)
    return Cycle(FIXED, start, add_months(anchor, (k + 1) * months) - timedelta(days=1))


def officer_cycle(start: date | None, end: date | None, months: int, on: date) -> Cycle:
    """The officer's roster cycle, or the repeat of a shorter requirement inside it.

    An annual requirement inside a 3-year licence cycle is due every 12 months counted from
    the licence cycle's start; the last repeat ends with the licence cycle. A requirement
    that does not fit twice into the roster cycle is due once, by the roster's end.

    Raises:
        CycleUnknownError: the roster has no cycle dates for the officer.
    """
    if start is None or end is None:
        missing = [n for n, v in (("cycle_start", start), ("cycle_end", end)) if v is None]
        raise CycleUnknownError(f"no cycle dates on the roster ({', '.join(missing)} empty)")
    # Only a requirement that clearly recurs (at least twice) splits the roster cycle: a
    # 24-month requirement inside a 36-month licence is met once per licence.
    if on < start or add_months(start, 2 * months) > end + timedelta(days=1):
        return Cycle(OFFICER, start, end)
    sub = fixed_cycle(start, months, min(on, end))
    return Cycle(OFFICER, sub.start, min(sub.end, end))


def rolling_cycle(
    roster_start: date | None,
    roster_end: date | None,
    months: int,
    min_hours: float,
    credits: Iterable[tuple[date, float]],
    on: date,
) -> Cycle:
    """The rolling window: ``months`` from the last completion on or before ``on``.

    Hours accumulate from one completion to the next: the day the running total reaches
    ``min_hours`` completes the requirement and starts a new period (surplus hours do not
    carry over, as no state lets one course count for two periods).

    Args:
        roster_start: the officer's cycle start (certification date) anchors the first period.
        roster_end: its end, when the roster gives one; else ``roster_start + months``.
        months: the rolling period.
        min_hours: hours that complete the requirement.
        credits: (training date, credited hours), any order.
        on: the report date; later training is ignored.

    Raises:
        CycleUnknownError: never completed and no roster date to count the first period from.
    """
    completed = last_completion(credits, min_hours, on)
    if completed is not None:
        return Cycle(ROLLING, completed + timedelta(days=1), add_months(completed, months),
                     completed_on=completed)
    if roster_start is None:
        raise CycleUnknownError(
            "rolling cycle: no completed course yet and no cycle_start on the roster to count"
            " the first period from"
        )
    end = roster_end if roster_end is not None else add_months(roster_start, months)
    return Cycle(ROLLING, roster_start, end)


def last_completion(
    credits: Iterable[tuple[date, float]], min_hours: float, on: date
) -> date | None:
    """The last day on or before ``on`` on which the running total reached ``min_hours``."""
    if min_hours <= 0:
        return None
    total, completed = 0.0, None
    for day, hours in sorted(c for c in credits if c[0] <= on):
        total += hours
        if total + HOURS_EPSILON >= min_hours:
            completed, total = day, 0.0
    return completed
