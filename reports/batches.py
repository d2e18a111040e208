"""What a batch gave, file by file, in the clerk's words (issue 18, point 3).

Per file: pages, records found and their outcomes with the reasons in plain words; for a
sign-in sheet, the rows the reader placed between the first and the last row it read against
the records it made, and the rows it found but could not read (no name, no badge), with a
warning when they differ. A file whose pages could not be read, or a sheet with rows lost, is
marked "needs rescan": the clerk's action is to scan it again and upload it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingestion.models import Batch, Document, DocumentStatus, Page
from verification.models import RecordStatus, TrainingRecord
from verification.reasons import Reason

# Reasons that say the paper, as scanned, could not be read: a better scan may fix them.
RESCAN_REASONS = frozenset({Reason.UNREADABLE})


@dataclass
class SheetRows:
    """One sign-in page: rows in the table's span, records made, rows not read."""

    page: int
    rows_seen: int
    records: int
    unread: int

    @property
    def warning(self) -> str | None:
        """A sentence when rows were lost or not read, else ``None``."""
        if self.records == self.unread:
            return (
                f"page {self.page}: no attendee row could be read; "
                "the table may be too faint, skewed or cut off"
            )
        parts = []
        if self.rows_seen > self.records:
            parts.append(f"{self.rows_seen - self.records} of {self.rows_seen} rows made no record")
        if self.unread:
            parts.append(f"{self.unread} row(s) with neither name nor badge read")
        return f"page {self.page}: " + "; ".join(parts) if parts else None


@dataclass
class FileReport:
    """One uploaded file: what was read and what became of it."""

    document_id: str
    filename: str
    status: str
    pages: int | None
    error: str | None
    records: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)
    sheets: list[SheetRows] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """Every sheet warning of the file."""
        return [w for s in self.sheets if (w := s.warning)]

    @property
    def needs_rescan(self) -> bool:
        """The clerk should scan this file again and upload it."""
        if self.status == DocumentStatus.FAILED:
            return True
        return bool(self.warnings) or any(r in RESCAN_REASONS for r in self.reasons)

    @property
    def outcome(self) -> str:
        """The file's outcome in words."""
        if self.status == DocumentStatus.FAILED:
            return f"could not be read: {self.error or 'unknown error'}"
        if self.status == DocumentStatus.COPY:
            return "already uploaded earlier: nothing new"
        if self.status not in (DocumentStatus.DONE,):
            return "being read"
        total = sum(self.records.values())
        if not total:
            return "no training record found"
        parts = []
        for status, words in (
            (RecordStatus.VERIFIED, "credited"),
            (RecordStatus.NEEDS_REVIEW, "waiting for a reviewer"),
            (RecordStatus.DUPLICATE, "already on file (duplicate)"),
            (RecordStatus.REJECTED, "rejected"),
        ):
            if self.records[status]:
                parts.append(f"{self.records[status]} {words}")
        return f"{total} record{'s' if total != 1 else ''}: " + ", ".join(parts)

    def reason_lines(self) -> list[str]:
        """'3 × the badge is not on the roster' for each reason, most frequent first."""
        out = []
        for code, n in self.reasons.most_common():
            try:
                text = Reason(code).description
            except ValueError:
                text = code
            out.append(f"{n} × {text}")
        return out


def _is_unread(record: TrainingRecord) -> bool:
    fields = record.fields or {}
    return not any(
        (fields.get(n) or {}).get("value") or (fields.get(n) or {}).get("raw_text")
        for n in ("officer_name", "badge_number")
    )


def _sheet_rows(records: list[TrainingRecord]) -> list[SheetRows]:
    by_page: dict[int, list[TrainingRecord]] = {}
    for r in records:
        if r.document_kind == "sign_in_sheet":
            by_page.setdefault(r.page, []).append(r)
    out = []
    for page, rows in sorted(by_page.items()):
        slots = [r.row_index for r in rows if r.row_index is not None]
        span = max(slots) - min(slots) + 1 if slots else len(rows)
        out.append(SheetRows(page, max(span, len(rows)), len(rows), sum(map(_is_unread, rows))))
    return out


def batch_report(session: Session, batch: Batch) -> list[FileReport]:
    """Every file of ``batch`` with its outcome, reasons and sheet row counts."""
    docs = session.scalars(
        select(Document)
        .where(Document.batch_id == batch.id)
        .order_by(Document.created_at, Document.id)
    ).all()
    sources = {d.id: (d.copy_of_id if d.status == DocumentStatus.COPY else d.id) for d in docs}
    records: dict[str, list[TrainingRecord]] = {s: [] for s in sources.values()}
    for r in session.scalars(
        select(TrainingRecord)
        .where(TrainingRecord.document_id.in_(list(records)))
        .order_by(TrainingRecord.page, TrainingRecord.row_index)
    ):
        records[r.document_id].append(r)
    pages = Counter(
        session.scalars(select(Page.document_id).where(Page.document_id.in_(list(records))))
    )
    out = []
    for d in docs:
        own = records[sources[d.id]] if d.status != DocumentStatus.COPY else []
        report = FileReport(
            d.id, d.source_filename, d.status, d.page_count or pages[d.id] or None, d.error
        )
        for r in own:
            report.records[r.status] += 1
            if r.status == RecordStatus.NEEDS_REVIEW:
                report.reasons.update(r.reasons or [])
        report.sheets = _sheet_rows(own)
        out.append(report)
    return out
