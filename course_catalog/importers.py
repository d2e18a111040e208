"""CSV importers for the reference data: courses, standards, the roster, instructors.

Formats are in ``shared/spec/contract.md`` ("Import files"). Every importer:

* reads UTF-8 (a byte-order mark is accepted) with a header row; column order is free,
  header names are matched case-insensitively, unknown columns are ignored;
* refuses the whole file (nothing loaded) when a required column is missing, a column is
  named twice, the file is not UTF-8 or not CSV;
* validates each row on its own: a bad row is reported with its line number (the header is
  row 1) and column, and the good rows still load;
* upserts on the natural key and counts rows created, updated and unchanged;
* only adds to the session and flushes; the caller commits.

A column whose value may be empty (``approved_until``) is still a *required column*: leaving it
out of the header would silently make every course open-ended, which could credit training
after an approval lapsed. Truly optional columns (``provider``, the officer's cycle dates) are
left untouched on update when the header does not have them.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from course_catalog.keys import normalize_badge, normalize_post_number
from course_catalog.models import Course, Instructor, Officer, Standard
from credence.db import Base
from extractors.errors import CredenceError

log = logging.getLogger(__name__)

FORMATS = ("classroom", "online", "scenario", "hybrid")
ROLES = ("sworn", "dispatcher", "civilian")
CYCLE_KINDS = ("officer", "fixed", "rolling")
_TRUE = {"true", "yes", "y", "1", "t"}
_FALSE = {"false", "no", "n", "0", "f"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_STATE = re.compile(r"^[A-Z]{2}$")

Source = str | os.PathLike[str] | IO[str] | IO[bytes]


class ImportFileError(CredenceError):
    """The import file could not be opened or read at all (missing, a directory, no access)."""

    code = "import_file"


@dataclass(frozen=True)
class RowError:
    """One problem in an import file.

    Attributes:
        row: line number in the file, the header being row 1.
        column: the column at fault, or ``None`` when the whole row (or file) is.
        reason: plain-language explanation for the clerk.
    """

    row: int
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportReport:
    """What one import did.

    Attributes:
        kind: ``courses`` | ``standards`` | ``officers`` | ``instructors``.
        created, updated, unchanged: counts of rows loaded.
        errors: every rejected row or file-level problem, in file order.
        file_rejected: a file-level problem stopped the import; nothing was loaded.
    """

    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_rejected: bool = False

    @property
    def ok(self) -> bool:
        """True when every row loaded."""
        return not self.errors

    @property
    def rejected_rows(self) -> int:
        """How many data rows were refused (file-level problems not counted)."""
        return len({e.row for e in self.errors}) if not self.file_rejected else 0

    def format_lines(self) -> list[str]:
        """Human-readable summary, then one line per error (for the CLI)."""
        if self.file_rejected:
            head = f"{self.kind}: file rejected, nothing loaded"
        else:
            head = (
                f"{self.kind}: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.rejected_rows} rows rejected"
            )
        return [head, *(f"  {e}" for e in self.errors)]


class _Invalid(ValueError):
    """A cell failed validation; the message is the reason shown to the clerk."""


# --- cell parsers: str -> value, raising _Invalid -------------------------------------------


def _text(raw: str) -> str:
    return raw.strip()


def _state(raw: str) -> str:
    value = raw.strip().upper()
    if not _STATE.match(value):
        raise _Invalid(f"{raw.strip()!r} is not a two-letter state code")
    return value


def _iso_date(raw: str) -> date:
    value = raw.strip()
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _Invalid(f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _decimal(raw: str, *, positive: bool = False) -> float:
    value = raw.strip()
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise _Invalid(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise _Invalid(f"{value!r} is not a decimal number")
    if number < 0 or (positive and number == 0):
        raise _Invalid(f"{value!r} must be {'greater than 0' if positive else 'at least 0'}")
    return float(number)


def _positive_decimal(raw: str) -> float:
    return _decimal(raw, positive=True)


def _positive_int(raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or int(value) <= 0:
        raise _Invalid(f"{value!r} is not a whole number of months above 0")
    return int(value)


def _boolean(raw: str) -> bool:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _Invalid(f"{raw.strip()!r} is not true/false (yes/no, 1/0 also accepted)")


def _enum(allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise _Invalid(f"{raw.strip()!r} is not one of {', '.join(allowed)}")
        return value

    return parse


def _tags(raw: str) -> list[str]:
    out: list[str] = []
    for item in raw.split(";"):
        tag = item.strip().lower()
        if tag and tag not in out:
            out.append(tag)
    if not out:
        raise _Invalid("no value in the ';'-separated list")
    return out


def _roles(raw: str) -> list[str]:
    roles = _tags(raw)
    bad = [r for r in roles if r not in ROLES]
    if bad:
        raise _Invalid(f"{', '.join(map(repr, bad))} not among {', '.join(ROLES)}")
    return roles


# --- what each file holds ------------------------------------------------------------------


@dataclass(frozen=True)
class _Column:
    """One column: its parser, and whether the header / the value may lack it."""

    name: str
    parse: Callable[[str], Any]
    required_column: bool = True
    required_value: bool = True


@dataclass(frozen=True)
class _Kind:
    """Everything that differs between the four import files."""

    name: str
    model: type[Base]
    columns: tuple[_Column, ...]
    key: Callable[[dict[str, Any]], tuple]  # the upsert key of parsed values
    collision_key: Callable[[dict[str, Any]], tuple]  # values that must not coexist
    key_column: str  # named in duplicate-key errors
    collision_column: str  # named in collision errors
    date_order: tuple[str, str] | None = None  # (start, end): end >= start when both set
    # Rules across cells of one row: (column, reason) when the row is inconsistent.
    row_check: Callable[[dict[str, Any]], tuple[str, str] | None] | None = None


def _course_key(v: dict[str, Any]) -> tuple:
    return (v["post_number"],)


def _course_collision(v: dict[str, Any]) -> tuple:
    return (normalize_post_number(v["post_number"]),)


def _standard_key(v: dict[str, Any]) -> tuple:
    return (v["state"], v["topic"], v["standard"])


def _standard_collision(v: dict[str, Any]) -> tuple:
    # Two versions effective on the same day make "the standard in force" ambiguous.
    return (v["state"], v["topic"], v["effective_from"])


def _officer_key(v: dict[str, Any]) -> tuple:
    return (v["badge_number"],)


def _officer_collision(v: dict[str, Any]) -> tuple:
    return (normalize_badge(v["badge_number"]),)


def _instructor_key(v: dict[str, Any]) -> tuple:
    return (v["certification_number"],)


def _instructor_collision(v: dict[str, Any]) -> tuple:
    return (v["certification_number"].upper(),)


def _topic(raw: str) -> str:
    return raw.strip().lower()


def _check_standard_row(v: dict[str, Any]) -> tuple[str, str] | None:
    """The cycle and sub-topic columns must agree with each other (README "Standards file")."""
    if v.get("cycle_kind") == "fixed" and not v.get("cycle_anchor"):
        return "cycle_anchor", "a fixed statewide cycle needs the date one window starts"
    if v.get("cycle_anchor") and v.get("cycle_kind") != "fixed":
        return "cycle_anchor", "only a fixed cycle (cycle_kind fixed) has an anchor date"
    if v.get("parent_topic") and v["parent_topic"] == v.get("topic"):
        return "parent_topic", "a topic cannot be a sub-topic of itself"
    scenario = v.get("scenario_min_hours")
    if scenario is not None and v.get("min_hours") is not None and scenario > v["min_hours"]:
        return "scenario_min_hours", f"{scenario} is more than min_hours {v['min_hours']}"
    return None


COURSES = _Kind(
    name="courses",
    model=Course,
    columns=(
        _Column("post_number", _text),
        _Column("title", _text),
        _Column("state", _state),
        _Column("topics", _tags),
        _Column("hours", _positive_decimal),
        _Column("format", _enum(FORMATS)),
        _Column("standard", _text),
        _Column("approved_from", _iso_date),
        _Column("approved_until", _iso_date, required_value=False),
        _Column("provider", _text, required_column=False, required_value=False),
    ),
    key=_course_key,
    collision_key=_course_collision,
    key_column="post_number",
    collision_column="post_number",
    date_order=("approved_from", "approved_until"),
)

STANDARDS = _Kind(
    name="standards",
    model=Standard,
    columns=(
        _Column("state", _state),
        _Column("topic", _topic),
        _Column("standard", _text),
        _Column("effective_from", _iso_date),
        _Column("min_hours", _decimal),
        _Column("cycle_months", _positive_int),
        _Column("scenario_required", _boolean),
        _Column("certified_instructor_required", _boolean),
        _Column("applies_to", _roles),
        # Optional (README "Standards file"): absent or empty keeps today's meaning.
        _Column("cycle_kind", _enum(CYCLE_KINDS), required_column=False, required_value=False),
        _Column("cycle_anchor", _iso_date, required_column=False, required_value=False),
        _Column("parent_topic", _topic, required_column=False, required_value=False),
        _Column("scenario_min_hours", _decimal, required_column=False, required_value=False),
        _Column("online_allowed", _boolean, required_column=False, required_value=False),
    ),
    key=_standard_key,
    collision_key=_standard_collision,
    key_column="standard",
    collision_column="effective_from",
    row_check=_check_standard_row,
)

OFFICERS = _Kind(
    name="officers",
    model=Officer,
    columns=(
        _Column("badge_number", _text),
        _Column("first_name", _text),
        _Column("last_name", _text),
        _Column("state", _state),
        _Column("role", _enum(ROLES)),
        _Column("cycle_start", _iso_date, required_column=False, required_value=False),
        _Column("cycle_end", _iso_date, required_column=False, required_value=False),
        _Column("unit", _text, required_column=False, required_value=False),
    ),
    key=_officer_key,
    collision_key=_officer_collision,
    key_column="badge_number",
    collision_column="badge_number",
    date_order=("cycle_start", "cycle_end"),
)

INSTRUCTORS = _Kind(
    name="instructors",
    model=Instructor,
    columns=(
        _Column("name", _text),
        _Column("certification_number", _text),
        _Column("topics", _tags),
        _Column("certified_from", _iso_date),
        _Column("certified_until", _iso_date, required_value=False),
    ),
    key=_instructor_key,
    collision_key=_instructor_collision,
    key_column="certification_number",
    collision_column="certification_number",
    date_order=("certified_from", "certified_until"),
)


# --- public API ----------------------------------------------------------------------------


def import_courses(session: Session, source: Source) -> ImportReport:
    """Load or update the approved-course catalog (upsert on ``post_number``).

    Args:
        session: open session; rows are added and flushed, not committed.
        source: a path, or an open text or binary stream, of ``courses.csv``.

    Returns:
        What was created, updated, left unchanged and rejected.

    Raises:
        ImportFileError: the file cannot be opened.
    """
    return _import(session, source, COURSES)


def import_standards(session: Session, source: Source) -> ImportReport:
    """Load or update state standards (upsert on ``(state, topic, standard)``).

    See :func:`import_courses` for arguments and errors.
    """
    return _import(session, source, STANDARDS)


def import_officers(session: Session, source: Source) -> ImportReport:
    """Load or update the roster (upsert on ``badge_number``).

    See :func:`import_courses` for arguments and errors.
    """
    return _import(session, source, OFFICERS)


def import_instructors(session: Session, source: Source) -> ImportReport:
    """Load or update the instructor registry (upsert on ``certification_number``).

    See :func:`import_courses` for arguments and errors.
    """
    return _import(session, source, INSTRUCTORS)


# --- the one import procedure ----------------------------------------------------------------


@dataclass
class _ParsedRow:
    row: int
    values: dict[str, Any]  # only the columns the header has: absent ones stay untouched


def _import(session: Session, source: Source, kind: _Kind) -> ImportReport:
    report = ImportReport(kind=kind.name)
    text = _read_text(source, report)
    if text is None:
        return report
    try:
        records = _records(text)
    except _CsvSyntaxError as e:
        _reject_file(report, RowError(e.line, None, f"not valid CSV ({e}); nothing was loaded"))
        return report
    if not records:
        _reject_file(report, RowError(1, None, "the file is empty (no header row)"))
        return report
    header_row, header = records[0]
    columns = _map_header(header, header_row, kind, report)
    if columns is None:
        return report
    parsed = [
        p
        for row, cells in records[1:]
        if (p := _parse_row(row, cells, len(header), columns, kind, report)) is not None
    ]
    parsed = _drop_duplicate_keys(parsed, kind, report)
    _upsert(session, parsed, kind, report)
    report.errors.sort(key=lambda e: e.row)
    log.info(
        "import %s: %d created, %d updated, %d unchanged, %d errors",
        kind.name,
        report.created,
        report.updated,
        report.unchanged,
        len(report.errors),
    )
    return report


def _reject_file(report: ImportReport, error: RowError) -> None:
    report.errors.append(error)
    report.file_rejected = True


def _read_text(source: Source, report: ImportReport) -> str | None:
    """The file's text with any BOM removed, or ``None`` after reporting why not."""
    if isinstance(source, str | os.PathLike):
        try:
            data: str | bytes = Path(source).read_bytes()
        except OSError as e:
            raise ImportFileError(
                f"cannot read {source}: {e.strerror or e}", path=str(source)
            ) from e
    else:
        data = source.read()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            _reject_file(
                report,
                RowError(line, None, f"not UTF-8 (byte 0x{data[e.start]:02x}); save it as UTF-8"),
            )
            return None
    return data.removeprefix("\ufeff")


class _CsvSyntaxError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _records(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, cells) per CSV record, skipping blank lines.

    The line number is where the record starts: a quoted title may span lines.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[tuple[int, list[str]]] = []
    last_line = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as e:
            raise _CsvSyntaxError(last_line + 1, str(e)) from e
        first_line = last_line + 1
        last_line = reader.line_num
        if any(c.strip() for c in cells):
            out.append((first_line, cells))


def _map_header(
    header: list[str], header_row: int, kind: _Kind, report: ImportReport
) -> dict[int, _Column] | None:
    """Cell index -> known column, or ``None`` after reporting a file-level problem."""
    known = {c.name: c for c in kind.columns}
    wrong = _wrong_separator(header, known)
    if wrong:
        # Issue 19: a ';'-separated file (a spreadsheet in a European locale) gave "column
        # missing" for every column and no word about the separator.
        report.errors.append(RowError(
            header_row, None, f"the columns are separated by {wrong}, not commas: save the "
            "file as comma-separated CSV; nothing was loaded"))
        report.file_rejected = True
        return None
    by_index: dict[int, _Column] = {}
    seen: set[str] = set()
    problems: list[RowError] = []
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        if name in seen and name in known:
            problems.append(RowError(header_row, name, "column appears twice in the header"))
        seen.add(name)
        if name in known:
            by_index[index] = known[name]
    for col in kind.columns:
        if col.required_column and col.name not in seen:
            problems.append(
                RowError(header_row, col.name, "required column is missing; nothing was loaded")
            )
    if problems:
        report.errors.extend(problems)
        report.file_rejected = True
        return None
    return by_index


def _wrong_separator(header: list[str], known: dict) -> str | None:
    """The separator a one-column header is really split by (``';'``, tab, ``'|'``)."""
    if len(header) != 1:
        return None
    for sep, label in ((";", "';'"), ("\t", "tabs"), ("|", "'|'")):
        names = [n.strip().lower() for n in header[0].split(sep)]
        if len(names) > 1 and sum(n in known for n in names) >= 2:
            return label
    return None


def _parse_row(
    row: int,
    cells: list[str],
    width: int,
    columns: dict[int, _Column],
    kind: _Kind,
    report: ImportReport,
) -> _ParsedRow | None:
    """Validate one record; report every problem in it; ``None`` when it cannot load."""
    # A shifted row (an unquoted comma in a title) would otherwise load values into the wrong
    # columns, possibly without any cell failing its own check. Trailing empty cells are
    # tolerated (spreadsheets add them) only if the row then validates.
    shape = RowError(row, None, f"has {len(cells)} values but the header has {width} columns")
    if len(cells) < width or any(c.strip() for c in cells[width:]):
        report.errors.append(shape)
        return None
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for index, col in columns.items():
        raw = cells[index]
        if not raw.strip():
            if col.required_value:
                errors.append(RowError(row, col.name, "value is required"))
            else:
                values[col.name] = None
            continue
        try:
            values[col.name] = col.parse(raw)
        except _Invalid as e:
            errors.append(RowError(row, col.name, str(e)))
    if not errors and kind.date_order:
        start, end = kind.date_order
        if values.get(start) and values.get(end) and values[end] < values[start]:
            errors.append(RowError(row, end, f"{values[end]} is before {start} {values[start]}"))
    if not errors and kind.row_check and (problem := kind.row_check(values)):
        errors.append(RowError(row, *problem))
    if errors:
        report.errors.extend([shape] if len(cells) != width else errors)
        return None
    return _ParsedRow(row, values)


def _drop_duplicate_keys(
    parsed: list[_ParsedRow], kind: _Kind, report: ImportReport
) -> list[_ParsedRow]:
    """Reject every row whose key (or colliding spelling) appears more than once.

    All copies are refused, not just the later ones: the file disagrees with itself, and
    guessing which copy is right could load the wrong approval dates.
    """
    groups: dict[tuple, list[_ParsedRow]] = {}
    for p in parsed:
        groups.setdefault(("key", *kind.key(p.values)), []).append(p)
        groups.setdefault(("collision", *kind.collision_key(p.values)), []).append(p)
    bad: dict[int, RowError] = {}
    for group_key, rows in groups.items():
        if len(rows) < 2:
            continue
        lines = ", ".join(str(p.row) for p in rows)
        shown = " / ".join(str(k) for k in group_key[1:])
        if group_key[0] == "key":
            column, reason = kind.key_column, f"{shown!r} appears on rows {lines}"
        elif kind is STANDARDS:
            column, reason = kind.collision_column, f"{shown}: two standards take effect that day"
            reason += f" (rows {lines})"
        else:
            column, reason = kind.collision_column, f"rows {lines} give the same number {shown!r}"
        for p in rows:
            bad.setdefault(p.row, RowError(p.row, column, f"{reason}; none of them was loaded"))
    report.errors.extend(bad.values())
    return [p for p in parsed if p.row not in bad]


def _upsert(session: Session, parsed: list[_ParsedRow], kind: _Kind, report: ImportReport) -> None:
    existing: dict[tuple, Any] = {}
    collisions: dict[tuple, tuple] = {}  # collision key -> upsert key of the row holding it
    for obj in session.scalars(select(kind.model)):
        values = _values_of(obj, kind)
        existing[kind.key(values)] = obj
        collisions[kind.collision_key(values)] = kind.key(values)
    for p in parsed:
        key = kind.key(p.values)
        obj = existing.get(key)
        merged = {**_values_of(obj, kind), **p.values} if obj is not None else p.values
        holder = collisions.get(kind.collision_key(merged))
        if holder is not None and holder != key:
            report.errors.append(
                RowError(p.row, kind.collision_column, _clash_reason(kind, holder))
            )
            continue
        if obj is None:
            obj = kind.model(**{c.name: p.values.get(c.name) for c in kind.columns})
            session.add(obj)
            existing[key] = obj
            report.created += 1
        else:
            changed = {n: v for n, v in p.values.items() if getattr(obj, n) != v}
            for name, value in changed.items():
                setattr(obj, name, value)
            report.updated += bool(changed)
            report.unchanged += not changed
        collisions[kind.collision_key(merged)] = key
    session.flush()


def _values_of(obj: Any, kind: _Kind) -> dict[str, Any]:
    return {c.name: getattr(obj, c.name) for c in kind.columns}


def _clash_reason(kind: _Kind, holder: tuple) -> str:
    if kind is STANDARDS:
        return f"standard {holder[2]!r} for {holder[0]} / {holder[1]} already takes effect that day"
    return f"the same number as existing {kind.key_column} {holder[0]!r} in another spelling"
