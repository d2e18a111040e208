"""``generate_corpus``: reference CSVs, rendered and degraded documents, and ``truth.jsonl``.

Layout of a corpus folder::

    reference/courses.csv standards.csv officers.csv instructors.csv
    docs/<condition>/<prefix><NNNN>.<ext>     one file per planned document
    truth.jsonl                               one line per page, sorted by (file, page)
    corpus.json                               seed, options and counts

A truth line (see :func:`truth_line`) holds the page's expected outcome
(``case``, ``expected_status``, ``expected_reasons``), the field values a perfect reader
extracts (``fields``), the exact strings printed (``printed``), the roster officer and catalog
course it should be matched to (``expected_match``), the credit it should earn
(``expected_credit``) and how the page was scanned (``scan``).

File names sort so that the original of every duplicate is ingested first when files are
taken in sorted relative-path order.
"""

from __future__ import annotations

import io
import json
import logging
import random
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from reportlab.pdfgen.canvas import Canvas

from devtools.samplegen import wording as wd
from devtools.samplegen.certificates import LAYOUTS, CertificateFacts, Printed, draw_certificate
from devtools.samplegen.degrade import CONDITIONS, ScanPage, scan_document, write_container
from devtools.samplegen.drawing import font_families
from devtools.samplegen.fontpool import hand_faces, variety_families
from devtools.samplegen.otherdocs import draw_other
from devtools.samplegen.plan import PlannedDocument, PlannedPage, PlannedRecord, plan_corpus
from devtools.samplegen.reference import Reference, build_reference, write_reference_csvs
from devtools.samplegen.variety_certs import VARIETY_LAYOUTS, draw_variety_certificate

log = logging.getLogger(__name__)

GENERATOR_VERSION = 1
#: profile -> certificate layouts dealt (sheets follow the profile too)
PROFILES = {"classic": LAYOUTS, "variety": VARIETY_LAYOUTS}
_OWNED = ("docs", "reference", "truth.jsonl", "corpus.json")


def generate_corpus(out_dir: Path | str, seed: int = 7, count: int = 40,
                    conditions: Iterable[str] = CONDITIONS,
                    include_invalid: bool = True, sheets: int = 0,
                    sheet_conditions: Iterable[str] | None = None,
                    profile: str = "classic") -> Path:
    """Generate a sample corpus with ground truth.

    Args:
        out_dir: folder to write; the generator's own entries in it (``docs/``,
            ``reference/``, ``truth.jsonl``, ``corpus.json``) are replaced, nothing else.
        seed: same seed, same bytes (on a machine with the same fonts).
        count: number of document files.
        conditions: scan conditions to deal round-robin (see ``degrade.CONDITIONS``).
        include_invalid: also plan invalid cases, duplicates and non-training pages.
        sheets: number of sign-in sheet documents to add (``0``: none, and the corpus is
            byte-identical to one generated before sheets existed). Their truth lines carry
            ``row``, one line per attendee row.
        sheet_conditions: scan conditions dealt to the sheets (default: ``conditions``
            without ``phone`` and ``rotated``).

    Returns:
        ``out_dir`` as a ``Path``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name in _OWNED:
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r} (profiles: {', '.join(PROFILES)})")
    ref = build_reference(seed)
    write_reference_csvs(ref, out / "reference")
    docs = plan_corpus(ref, seed, count, tuple(conditions), include_invalid,
                       layouts=PROFILES[profile])
    truth: list[dict[str, Any]] = []
    for doc in docs:
        started = time.perf_counter()
        truth.extend(write_document(doc, ref, seed, out))
        log.debug("wrote %s (%d pages) in %.2f s", doc.rel_path, len(doc.pages),
                  time.perf_counter() - started)
    if sheets:
        from devtools.samplegen.signin import grow_roster, write_sheets
        from devtools.samplegen.variety_sheets import VARIETY_SHEET_LAYOUTS

        # Classes of up to 30 need a bigger roster than the certificates were planned on;
        # the grown one (a superset) is the reference data of this corpus.
        printed = (p.record.badge for d in docs for p in d.pages if p.record)
        ref = grow_roster(ref, seed, printed)
        write_reference_csvs(ref, out / "reference")
        truth.extend(write_sheets(ref, seed, sheets, docs, out, sheet_conditions or tuple(
            c for c in conditions if c not in ("phone", "rotated")) or ("clean",),
            layouts=VARIETY_SHEET_LAYOUTS if profile == "variety" else None))
    truth.sort(key=lambda t: (t["file"], t["page"], t.get("row", 0)))
    with (out / "truth.jsonl").open("w", encoding="utf-8") as fh:
        for line in truth:
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    _write_manifest(out, seed, count, tuple(conditions), include_invalid, truth)
    if sheets or profile != "classic":
        manifest = json.loads((out / "corpus.json").read_text())
        if sheets:
            manifest["sheets"] = sheets
        if profile != "classic":
            manifest["profile"] = profile
            manifest["fonts"] = [f.name for f in variety_families()] + list(hand_faces())
        (out / "corpus.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return out


def _write_manifest(out: Path, seed: int, count: int, conditions: tuple[str, ...],
                    include_invalid: bool, truth: list[dict[str, Any]]) -> None:
    manifest = {
        "generator": "devtools.samplegen",
        "version": GENERATOR_VERSION,
        "seed": seed,
        "count": count,
        "conditions": list(conditions),
        "include_invalid": include_invalid,
        "records": len(truth),
        "cases": dict(sorted(Counter(t["case"] for t in truth).items())),
        "fonts": [f.name for f in font_families()],
    }
    (out / "corpus.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


# --- one document ----------------------------------------------------------------------------


def render_pdf(doc: PlannedDocument, ref: Reference,
               seed: int) -> tuple[bytes, list[Printed | None]]:
    """Draw a planned document as a born-digital PDF; also return what each page printed."""
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1, pageCompression=1)
    printed: list[Printed | None] = []
    for number, page in enumerate(doc.pages, start=1):
        rng = random.Random(f"credence-page-{seed}-{doc.index}-{number}")
        if page.record is not None:
            facts = certificate_facts(page.record, page.layout, ref, rng)
            draw = draw_variety_certificate if page.layout in VARIETY_LAYOUTS \
                else draw_certificate
            printed.append(draw(c, facts, page.layout, rng))
        else:
            assert page.other is not None
            draw_other(c, page.other, page.kind, rng)
            printed.append(None)
        c.showPage()
    c.save()
    return buf.getvalue(), printed


def certificate_facts(rec: PlannedRecord, layout: str, ref: Reference,
                      rng: random.Random) -> CertificateFacts:
    """The facts of a planned record plus the issuer, signatory and agency of this copy."""
    provider = rec.course.provider if rec.course else None
    if layout == "vendor":
        issuer = provider if provider in wd.VENDORS else rng.choice(wd.VENDORS)
    elif provider and provider not in wd.VENDORS and provider != "TCOLE" and rng.random() < 0.4:
        issuer = provider
    else:
        issuer = rng.choice(wd.ISSUERS[rec.state])
    coordinator = rng.choice([p for p in ref.outsiders if p != rec.instructor
                              and p != rec.person])
    show_format = rng.random() < {"post_form": 0.75, "vendor": 0.6}.get(layout, 0.35)
    return CertificateFacts(
        state=rec.state, officer=rec.person, officer_role=rec.role, badge_number=rec.badge,
        training_date=rec.day, date_start=rec.date_start, hours=rec.hours,
        post_number=rec.post_number, course_title=rec.title, instructor=rec.instructor,
        location=rec.location, training_format=rec.fmt, show_format=show_format, issuer=issuer,
        coordinator=coordinator,
        agency=rng.choice(wd.AGENCIES[rec.state]) if rng.random() < 0.5 else None)


def write_document(doc: PlannedDocument, ref: Reference, seed: int,
                   out: Path) -> list[dict[str, Any]]:
    """Render, degrade and write one document; return its truth lines."""
    pdf_bytes, printed = render_pdf(doc, ref, seed)
    path = out / doc.rel_path
    path.parent.mkdir(parents=True, exist_ok=True)
    scans: list[ScanPage | None] = [None] * len(doc.pages)
    dpi_in_file = None
    if doc.condition == "clean":
        path.write_bytes(pdf_bytes)
    else:
        rng = np.random.default_rng([seed, doc.index, 7919])
        pages = scan_document(pdf_bytes, doc.condition, rng, doc.container)
        keep_dpi = doc.container == "pdf" or rng.random() < 0.85
        dpi_in_file = write_container(pages, path, doc.container, rng, keep_dpi=keep_dpi)
        scans = list(pages)
    return [truth_line(doc, number, page, printed[number - 1], scans[number - 1], dpi_in_file)
            for number, page in enumerate(doc.pages, start=1)]


# --- truth -----------------------------------------------------------------------------------


def truth_line(doc: PlannedDocument, number: int, page: PlannedPage, printed: Printed | None,
               scan: ScanPage | None, dpi_in_file: int | None) -> dict[str, Any]:
    """The ground truth of one page.

    ``fields`` follows the contract's exported-record names. Names are in natural order
    without rank ("Jane Q. Doe Jr."), as a reader should normalise them; ``post_number``,
    ``badge_number``, ``course_title`` and ``location`` are as printed; ``training_date`` is
    ISO (the last day when a range is printed); a field the page does not print is ``null``.
    """
    line: dict[str, Any] = {"file": doc.rel_path, "page": number, "condition": doc.condition,
                            "layout": page.layout, "container": doc.container}
    rec = page.record
    if rec is None or printed is None:
        line |= {"kind": "unknown", "case": "not_training_document", "variant": page.kind,
                 "expected_status": "needs_review",
                 "expected_reasons": ["not_training_document"],
                 "fields": dict.fromkeys(_FIELDS), "printed": {},
                 "expected_match": {"officer_badge": None, "course_post_number": None},
                 "expected_credit": {"topics": [], "hours": 0.0},
                 "duplicate_of": None, "date_range": None}
    else:
        line |= _certificate_truth(rec, printed)
    line["scan"] = {
        "dpi": scan.dpi if scan else None,
        "dpi_in_file": dpi_in_file,
        "rotation": scan.rotation if scan else 0,
        "skew": scan.skew if scan else 0.0,
        "exif_orientation": scan.exif_orientation if scan else None,
    }
    if scan is not None and scan.damage is not None:
        line["scan"]["damage"] = scan.damage
    return line


_FIELDS = ("officer_name", "badge_number", "training_date", "hours", "post_number",
           "course_title", "instructor_name", "location", "training_format")


def _certificate_truth(rec: PlannedRecord, printed: Printed) -> dict[str, Any]:
    v = printed.values
    fields = {
        "officer_name": printed.officer_name,
        "badge_number": v["badge_number"],
        "training_date": rec.day.isoformat() if rec.day and v["training_date"] else None,
        "hours": float(rec.hours) if rec.hours is not None and v["hours"] else None,
        "post_number": v["post_number"],
        "course_title": v["course_title"],
        "instructor_name": printed.instructor_name,
        "location": v["location"],
        "training_format": rec.fmt if v["training_format"] else None,
    }
    verified = rec.case == "valid"
    original = rec.duplicate_of
    return {
        "kind": "certificate", "case": rec.case, "variant": rec.variant,
        "expected_status": rec.expected_status, "expected_reasons": rec.expected_reasons,
        "fields": fields, "printed": v,
        "expected_match": {
            "officer_badge": rec.officer.badge_number if rec.officer else None,
            "course_post_number": rec.course.post_number if rec.course else None,
        },
        "expected_credit": {
            "topics": list(rec.course.topics) if verified and rec.course else [],
            "hours": float(rec.hours) if verified and rec.hours is not None else 0.0,
        },
        "duplicate_of": ({"file": original.rel_path, "page": original.page}
                         if original else None),
        "date_range": ([rec.date_start.isoformat(), rec.day.isoformat()]
                       if rec.date_start and rec.day else None),
    }
