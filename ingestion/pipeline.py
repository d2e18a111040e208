"""The reading pipeline for one document: read pages, classify, extract, then save.

Reading and extraction run outside any database transaction (they can take seconds per
page); the results are written in one short transaction at the end (Paperless consumer).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors import timing
from extractors.certificate import extract_certificate
from extractors.classify import certificate_by_record, classify_page
from extractors.decimal_point import restore_printed_point
from extractors.layout_evidence import learned_certificate, learned_sheet_form
from extractors.learned_places import read_learned_places
from extractors.reading import PageRead, ReadContext, read_document
from extractors.reread import reread_unsure_fields
from extractors.signin import SheetHeader, extract_sign_in, goes_on, settle_official
from extractors.types import (
    DocumentKind,
    ExtractedField,
    ExtractedRecord,
    PageText,
    ReferenceHints,
)
from extractors.written import read_written_person, read_written_values
from ingestion.models import Document, DocumentStatus, Page
from verification.corroboration import link_corroboration
from verification.layouts import note_use
from verification.records import record_training

log = logging.getLogger(__name__)


@dataclass
class PageOutcome:
    """What one page gave: its text, its kind and the page image kept for review."""

    text: PageText
    kind: DocumentKind
    image_path: Path | None
    why: str = ""


@dataclass
class DocumentReading:
    """Everything read from one document, ready to be saved."""

    pages: list[PageOutcome] = field(default_factory=list)
    records: list[ExtractedRecord] = field(default_factory=list)
    seconds: float = 0.0


@contextmanager
def work_folder(root: Path, name: str, *, keep: bool = False) -> Iterator[Path]:
    """A per-job folder for intermediates, removed afterwards unless ``keep``."""
    path = root / name
    path.mkdir(parents=True, exist_ok=True)
    try:
        yield path
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


@dataclass
class SheetContext:
    """What a sign-in page hands to the next page of the same document: its header.

    A continuation page ("page 2 of 2", no header) inherits it; any other kind of page in
    between ends the sheet. The rows of the sheet so far wait in ``rows`` until the sheet
    ends, when the training official's signature (at the foot of its last page) is written
    on each of them (:meth:`close`).
    """

    header: SheetHeader | None = None
    rows: list[ExtractedRecord] = field(default_factory=list)
    official: ExtractedField | None = None
    #: with no official's line found yet, an undecided line that may be it (the last page's)
    foot: ExtractedField | None = None

    def close(self) -> None:
        """End the current sheet: its rows get the official's signature decision."""
        if self.rows:
            settle_official(self.rows, self.official, self.foot)
        self.header, self.rows, self.official, self.foot = None, [], None, None


def extract_page(
    page: PageRead, hints: ReferenceHints, sheet: SheetContext | None = None
) -> tuple[PageOutcome, list[ExtractedRecord]]:
    """Classify one page and extract the records it holds (one per sign-in row)."""
    verdict = page.verdict or classify_page(page.text)
    if verdict.kind == DocumentKind.UNKNOWN and (
            learned := learned_certificate(page.text, hints.layouts)) is not None:
        verdict = replace(verdict, kind=DocumentKind.CERTIFICATE,
                          why=f"{verdict.why}; matches learned layout {learned.layout_id}")
    elif verdict.kind != DocumentKind.SIGN_IN_SHEET and (
            taught := learned_sheet_form(page.text, hints.layouts)) is not None:
        verdict = replace(verdict, kind=DocumentKind.SIGN_IN_SHEET,
                          why=f"{verdict.why}; matches learned sheet layout {taught}")
    sheet = sheet if sheet is not None else SheetContext()
    if verdict.kind == DocumentKind.UNKNOWN and sheet.header is not None and goes_on(page.text):
        verdict = replace(verdict, kind=DocumentKind.SIGN_IN_SHEET,
                          why=f"{verdict.why}; goes on from the sign-in sheet before it")
    outcome = PageOutcome(page.text, verdict.kind, page.image_path, verdict.why)
    if verdict.kind == DocumentKind.SIGN_IN_SHEET:
        graphics = page.graphics
        if graphics is None and page.read_graphics is not None:
            # a sheet by the form a reviewer taught, not by its wording: its rules and
            # drawn signatures were not read with the page, and its rows need them
            graphics = page.read_graphics()
        result = extract_sign_in(page.text, image=page.image, graphics=graphics,
                                 hints=hints, inherited=sheet.header)
        if sheet.header is None or result.header is not sheet.header:
            sheet.close()  # a page with its own header starts a new sheet
        sheet.header = result.header
        sheet.rows.extend(result.records)
        sheet.official = result.official or sheet.official
        sheet.foot = result.foot or sheet.foot
        if result.problems:
            outcome.why += "; " + "; ".join(result.problems)
        return outcome, result.records
    sheet.close()
    if verdict.kind == DocumentKind.CERTIFICATE:
        record = extract_certificate(page.text, hints)
        return outcome, [_read_again(record, page, hints)]
    if verdict.kind == DocumentKind.UNKNOWN:
        # Wording no lexicon knows ("Proof of Training", captions of its own) leaves a real
        # record unclassified. Its fields are still read: a page holding one officer's whole
        # training (officer, course, day, hours) and nothing that says otherwise is read as
        # the certificate it is; one holding less keeps its fields on the unknown record, so
        # the reviewer who says what the page is (document_kind=certificate) has them to
        # check; an unknown record is never credited.
        record = extract_certificate(page.text, hints)
        held = {n for n in record.fields if record.value(n) not in (None, "")}
        if (by_record := certificate_by_record(verdict, held)) is not None:
            outcome.kind, outcome.why = by_record.kind, by_record.why
            record = replace(record, kind=DocumentKind.CERTIFICATE)
            return outcome, [_read_again(record, page, hints)]
        if _reads_as_a_record(record):
            outcome.why += "; yet it holds an officer, a course and a date: held for review"
            return outcome, [replace(record, kind=DocumentKind.UNKNOWN)]
    return outcome, []


def _read_again(record: ExtractedRecord, page: PageRead, hints: ReferenceHints) -> ExtractedRecord:
    """A scanned certificate's unsure values read again: each box once more, lost values at
    a learned layout's places, pen-written values in their blanks, and a pen-written name
    and badge together (the second recognizer, the roster choosing)."""
    image, dpi = page.image, page.text.dpi
    record = restore_printed_point(record, image, dpi)
    record = reread_unsure_fields(record, image, dpi, hints)
    record = read_learned_places(record, page.text, image, dpi, hints)
    record = read_written_values(record, page.text, image, dpi)
    return read_written_person(record, page.text, image, dpi, hints.officers)


def _reads_as_a_record(record: ExtractedRecord) -> bool:
    """An officer (name or badge), a course (number or title) and a training date read."""
    def has(*names: str) -> bool:
        return any(record.value(n) not in (None, "") for n in names)
    return has("officer_name", "badge_number") and has("post_number", "course_title") \
        and has("training_date")


def read_and_extract(path: Path, ctx: ReadContext, hints: ReferenceHints) -> DocumentReading:
    """Read every page of the original at ``path`` and extract its records."""
    started = time.perf_counter()
    reading = DocumentReading()
    sheet = SheetContext()
    pages = read_document(path, ctx)
    times = timing.current()
    while True:
        with timing.stage("read"):
            page = next(pages, None)
        if page is None:
            break
        with timing.stage("extraction"):
            outcome, records = extract_page(page, hints, sheet)
        if times is not None:
            # after extraction: a reading it asks for (a sheet's head read again) is this
            # page's, and says so when the page paid more than one full OCR
            times.end_page(page.text.page_number)
        reading.pages.append(outcome)
        reading.records.extend(records)
    with timing.stage("extraction"):
        sheet.close()
    if reading.pages and not reading.records:
        # A document with no training page at all still gets one record, so the clerk sees
        # it in review as "not a training document" instead of it vanishing.
        reading.records.append(ExtractedRecord(1, DocumentKind.UNKNOWN))
    reading.seconds = time.perf_counter() - started
    return reading


def save_reading(session: Session, document_id: str, reading: DocumentReading) -> Document:
    """Write pages and verified records, and mark the document done (caller commits)."""
    doc = session.get(Document, document_id)
    existing = set(session.scalars(select(Page.number).where(Page.document_id == document_id)))
    for outcome in reading.pages:
        if outcome.text.page_number not in existing:
            session.add(_page_row(document_id, outcome))
    rows_on_page: dict[int, int] = {}
    for extracted in reading.records:
        row = rows_on_page.get(extracted.page_number, 0)
        rows_on_page[extracted.page_number] = row + 1
        if extracted.row_index is not None:
            row = extracted.row_index  # a sign-in row keeps its slot: stable ids per row
        with timing.stage("verification"):
            record = record_training(
                session,
                document_id=document_id,
                extracted=extracted,
                row_index=row,
                received_at=doc.created_at,
            )
            link_corroboration(session, record)  # a sign-in row and a certificate: one training
            note_use(session, extracted.layout_id, record)  # read with a learned layout (issue 17)
    doc.status = DocumentStatus.DONE
    doc.page_count = len(reading.pages)
    doc.seconds = round(reading.seconds, 3)
    doc.error = doc.error_code = None
    session.flush()
    times = timing.current()
    if times is not None:  # the save so far (the commit follows) is counted
        doc.timings = times.to_dict()
    return doc


def _page_row(document_id: str, outcome: PageOutcome) -> Page:
    text = outcome.text
    return Page(
        document_id=document_id,
        number=text.page_number,
        kind=str(outcome.kind),
        source=str(text.source),
        width=text.width,
        height=text.height,
        dpi=text.dpi,
        rotation=text.rotation,
        mean_confidence=text.mean_confidence,
        image_path=str(outcome.image_path) if outcome.image_path else None,
        text=text.to_dict(),
    )
