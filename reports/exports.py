"""Compliance exports: the roster summary and one officer's record, as CSV, Excel and PDF.

The Excel files are real workbooks (openpyxl) with typed dates and numbers. The officer PDF
(reportlab) is the evidence packet for litigation or a POST audit: the officer's status per
topic, then each credited training with course, POST number, standard, instructor, hours,
the source page image and how the record was verified, then the records not credited.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import IO, Any

from reports.cells import append_row, inert
from reports.compliance import TopicStatus
from reports.dashboard import OfficerProfile, RecordLine

FORMATS = ("csv", "xlsx", "pdf")

# A file path, or an open binary stream (a web download built in memory).
Target = Path | IO[bytes]

SUMMARY_FIELDS = (
    "badge_number",
    "name",
    "state",
    "role",
    "unit",
    "topic",
    "status",
    "standard",
    "min_hours",
    "credited_hours",
    "needed_hours",
    "pending_hours",
    "cycle_kind",
    "cycle_start",
    "deadline",
    "days_left",
    "scenario_required",
    "certified_instructor_required",
    "parts",
    "missing",
    "notes",
)

RECORD_FIELDS = (
    "record_id",
    "status",
    "training_date",
    "course_title",
    "post_number",
    "course_format",
    "standard",
    "instructor",
    "instructor_certification",
    "hours",
    "credit_hours",
    "credit_topics",
    "reasons",
    "source_filename",
    "page",
    "document_sha256",
    "verification",
)


# --- rows ------------------------------------------------------------------------------------


def summary_row(s: TopicStatus) -> dict[str, Any]:
    """One status as typed values (dates stay dates, hours stay numbers)."""
    req = s.requirement
    return {
        "badge_number": s.badge_number,
        "name": s.name,
        "state": s.state,
        "role": s.role,
        "unit": s.unit,
        "topic": s.topic,
        "status": str(s.status),
        "standard": req.standard if req else None,
        "min_hours": req.min_hours if req else None,
        "credited_hours": s.credited_hours,
        "needed_hours": s.needed_hours,
        "pending_hours": s.pending_hours,
        "cycle_kind": s.cycle.kind if s.cycle else (req.cycle_kind if req else None),
        "cycle_start": s.cycle.start if s.cycle else None,
        "deadline": s.deadline,
        "days_left": s.days_left,
        "scenario_required": req.scenario_required if req else None,
        "certified_instructor_required": req.certified_instructor_required if req else None,
        "parts": "; ".join(f"{p.name} {p.credited_hours:g}/{p.min_hours:g} h" for p in s.parts),
        "missing": "; ".join(s.missing),
        "notes": "; ".join(s.notes),
    }


def record_row(r: RecordLine) -> dict[str, Any]:
    """One training record as typed values."""
    row = {name: getattr(r, name) for name in RECORD_FIELDS}
    row["credit_topics"] = ";".join(r.credit_topics)
    row["reasons"] = ";".join(r.reasons)
    return row


# --- CSV / XLSX ------------------------------------------------------------------------------


def write_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str], out: IO[str]) -> int:
    """A header row, then the rows (dates ISO, booleans ``true``/``false``)."""
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: inert(_cell_text(row.get(k))) for k in fields})
    return len(rows)


def _cell_text(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


def write_summary_csv(statuses: Sequence[TopicStatus], out: IO[str]) -> int:
    """The roster summary as CSV; returns the number of rows."""
    return write_csv([summary_row(s) for s in statuses], SUMMARY_FIELDS, out)


def write_officer_csv(profile: OfficerProfile, out: IO[str]) -> int:
    """One officer's records as CSV (the statuses are in the xlsx and PDF)."""
    return write_csv([record_row(r) for r in profile.records], RECORD_FIELDS, out)


def write_summary_xlsx(statuses: Sequence[TopicStatus], path: Target, as_of: date) -> int:
    """The roster summary as a workbook with typed cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _sheet(workbook, "compliance", SUMMARY_FIELDS, [summary_row(s) for s in statuses])
    _about_sheet(workbook, as_of)
    workbook.save(path)
    return len(statuses)


def write_officer_xlsx(profile: OfficerProfile, path: Target) -> int:
    """One officer: a ``status`` sheet per topic and a ``records`` sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _sheet(workbook, "status", SUMMARY_FIELDS, [summary_row(s) for s in profile.statuses])
    _sheet(workbook, "records", RECORD_FIELDS, [record_row(r) for r in profile.records])
    _about_sheet(workbook, profile.as_of)
    workbook.save(path)
    return len(profile.records)


def _sheet(workbook, title: str, fields: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    sheet = workbook.create_sheet(title)
    append_row(sheet, fields)
    for row in rows:
        append_row(sheet, [row.get(k) for k in fields])


def _about_sheet(workbook, as_of: date) -> None:
    sheet = workbook.create_sheet("about")
    append_row(sheet, ["as_of", as_of])
    append_row(sheet, ["counted", "verified records only; records in review are pending hours"])


# --- PDF -------------------------------------------------------------------------------------


def write_summary_pdf(statuses: Sequence[TopicStatus], path: Target, as_of: date) -> int:
    """The roster summary as a landscape table, one line per officer and topic."""
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    head = ["Badge", "Name", "Role", "Unit", "Topic", "Status", "Standard", "Credited",
            "Required", "Needed", "Pending", "Deadline", "Days", "Missing / notes"]
    rows = [head]
    for s in statuses:
        r = summary_row(s)
        rows.append([
            r["badge_number"], r["name"], r["role"], r["unit"] or "", r["topic"],
            r["status"].replace("_", " "), r["standard"] or "", _h(r["credited_hours"]),
            _h(r["min_hours"]), _h(r["needed_hours"]), _h(r["pending_hours"]),
            _d(r["deadline"]), "" if r["days_left"] is None else str(r["days_left"]),
            _note(r, styles),
        ])
    doc = SimpleDocTemplate(_pdf_target(path), pagesize=landscape(letter),
                            title="Compliance summary", leftMargin=28, rightMargin=28,
                            topMargin=28, bottomMargin=28)
    table = LongTable(rows, repeatRows=1, colWidths=[48, 92, 48, 50, 62, 52, 70, 40, 40, 36,
                                                     36, 54, 30, 118])
    table.setStyle(_table_style())
    doc.build([
        Paragraph(f"De-escalation training compliance as of {as_of}", styles["title"]),
        Paragraph("Only verified records are credited; hours in review are shown as pending.",
                  styles["body"]),
        Spacer(1, 8),
        table,
    ])
    return len(statuses)


def _note(row: dict[str, Any], styles) -> Any:
    """What is missing or noteworthy, wrapped; a plain empty cell when nothing (fast)."""
    from reportlab.platypus import Paragraph

    text = "; ".join(x for x in (row["missing"], row["notes"]) if x)
    return Paragraph(_esc(text), styles["small"]) if text else ""


def write_officer_pdf(profile: OfficerProfile, path: Target) -> int:
    """The evidence packet: statuses, each credited training with its scan, the rest.

    Returns:
        The number of records in the packet (credited or not).
    """
    from reportlab.lib.pagesizes import letter
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = _styles()
    o = profile.officer
    story: list[Any] = [
        Paragraph(f"Training record: {_esc(o.full_name)} (badge {_esc(o.badge_number)})",
                  styles["title"]),
        Paragraph(f"{o.state}, {o.role}{', ' + _esc(o.unit) if o.unit else ''}; "
                  f"report as of {profile.as_of}", styles["body"]),
        Spacer(1, 6),
        *_status_flowables(profile, styles),
    ]
    credited = profile.credited
    if not credited:
        story.append(Paragraph("Credited training: none", styles["h2"]))
    for i, line in enumerate(credited, start=1):
        # One page per training: its facts and its scan stay together for the auditor.
        story.append(PageBreak())
        story.append(Paragraph(f"Credited training {i} of {len(credited)}", styles["h2"]))
        story.extend(_evidence_flowables(line, styles))
    others = [r for r in profile.records if r.status != "verified"]
    if others:
        story.append(PageBreak())
        story.append(Paragraph(f"Records not credited ({len(others)})", styles["h2"]))
        story.extend(_other_flowables(others, styles))
    doc = SimpleDocTemplate(_pdf_target(path), pagesize=letter,
                            title=f"Evidence packet {o.badge_number}", leftMargin=40,
                            rightMargin=40, topMargin=40, bottomMargin=40)
    with _binary_streams():
        doc.build(story)
    return len(profile.records)


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Write streams binary instead of ASCII85 while one PDF is built.

    Without reportlab's C accelerator, ASCII85-encoding 20 scanned pages in pure Python takes
    most of the packet's time (and makes the file a quarter larger). The setting is global
    in reportlab, so it is restored afterwards for everyone else (the sample generator).
    """
    from reportlab import rl_config

    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _status_flowables(profile: OfficerProfile, styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Table

    rows = [["Topic", "Status", "Standard", "Credited", "Required", "Needed", "Pending",
             "Cycle", "Deadline", "Days"]]
    notes = []
    for s in profile.statuses:
        r = summary_row(s)
        rows.append([
            s.topic, r["status"].replace("_", " "), r["standard"] or "", _h(s.credited_hours),
            _h(r["min_hours"]), _h(s.needed_hours), _h(s.pending_hours),
            f"{_d(r['cycle_start'])} to {_d(s.deadline)}" if s.cycle else "",
            _d(s.deadline), "" if s.days_left is None else str(s.days_left),
        ])
        for text in (*s.missing, *s.notes, *(f"{p.name}: {p.credited_hours:g} of "
                                             f"{p.min_hours:g} h" for p in s.parts)):
            notes.append(Paragraph(_esc(f"{s.topic}: {text}"), styles["small"]))
        if s.requirement is not None:
            req = s.requirement
            rules = (f"{s.topic} requirement {req.standard} (in force since "
                     f"{req.effective_from}): {req.min_hours:g} h per {req.cycle_months} months"
                     f" ({req.cycle_kind} cycle); scenario-based required: "
                     f"{_yes(req.scenario_required)}; certified instructor required: "
                     f"{_yes(req.certified_instructor_required)}; online accepted: "
                     f"{_yes(req.online_allowed)}; applies to {', '.join(req.applies_to)}")
            notes.append(Paragraph(_esc(rules), styles["small"]))
    table = Table(rows, repeatRows=1)
    table.setStyle(_table_style())
    return [table, *notes]


def _evidence_flowables(line: RecordLine, styles) -> list[Any]:
    from reportlab.platypus import Paragraph, Table

    facts = [
        ["Training date", _d(line.training_date)],
        ["Course", line.course_title or ""],
        ["POST number", line.post_number or ""],
        ["Format", line.course_format or ""],
        ["Standard", line.standard or ""],
        ["Instructor", " ".join(x for x in (line.instructor or "",
                                            line.instructor_certification or "") if x)],
        ["Hours documented", _h(line.hours)],
        ["Hours credited", f"{_h(line.credit_hours)} ({', '.join(line.credit_topics)})"],
        ["Source", f"{line.source_filename}, page {line.page}"],
        ["Document SHA-256", line.document_sha256],
        ["Record", line.record_id],
    ]
    table = Table([[k, Paragraph(_esc(v), styles["small"])] for k, v in facts],
                  colWidths=[110, 420])
    table.setStyle(_table_style(header=False))
    out: list[Any] = [
        Paragraph(f"{_d(line.training_date)}: {_esc(line.course_title or '')}", styles["h3"]),
        table,
        Paragraph(f"How it was verified: {_esc(line.verification)}", styles["small"]),
    ]
    image = _page_image(line.page_image_path)
    if image is not None:
        out += [Paragraph(f"Source page {line.page} as scanned:", styles["small"]), image]
    else:
        out.append(Paragraph("(page image not available)", styles["small"]))
    return out


def _page_image(path: str | None):
    """The scan page scaled to fit below the facts; ``None`` when the file is gone."""
    if not path or not Path(path).is_file():
        return None
    from reportlab.lib.utils import ImageReader
    from reportlab.platypus import Image

    width, height = ImageReader(path).getSize()
    # Small enough to share its page with the facts above it (letter, 40 pt margins).
    scale = min(460 / width, 400 / height)
    # reportlab embeds a JPEG as is (no re-encoding), which keeps a 20-page packet fast.
    from reportlab.lib import colors
    from reportlab.platypus import Table

    framed = Table([[Image(path, width=width * scale, height=height * scale)]])
    framed.setStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    return framed


def _other_flowables(lines: Sequence[RecordLine], styles) -> list[Any]:
    from reportlab.platypus import Paragraph

    return [
        Paragraph(_esc(f"{_d(r.training_date) or 'no date'}: {r.course_title or '?'} "
                       f"({r.post_number or '?'}), {r.status}: "
                       f"{', '.join(r.reasons) or 'no reason'}; {r.source_filename} "
                       f"page {r.page}"), styles["small"])
        for r in lines
    ]


def _pdf_target(path: Target) -> Any:
    return str(path) if isinstance(path, Path) else path


def _styles() -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": base["Title"],
        "h2": base["Heading2"],
        "h3": base["Heading3"],
        "body": base["BodyText"],
        "small": ParagraphStyle("small", parent=base["BodyText"], fontSize=7.5, leading=9),
    }


def _table_style(*, header: bool = True):
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    commands: list[tuple] = [
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        commands += [("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                     ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold")]
    return TableStyle(commands)


def _h(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
