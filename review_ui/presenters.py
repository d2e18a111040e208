"""What the review page shows, computed from a record: pure functions, no database."""

from __future__ import annotations

from typing import Any

from ingestion.models import Page
from verification.models import RecordEvent, TrainingRecord
from verification.reasons import Reason
from verification.review import EDITABLE_FIELDS, SHEET_ONLY_FIELDS
from verification.rules import CONFIDENCE_THRESHOLD

LABELS = {
    "officer_name": "Officer name",
    "badge_number": "Badge number",
    "training_date": "Training date",
    "hours": "Hours",
    "post_number": "POST number",
    "course_title": "Course title",
    "instructor_name": "Instructor",
    "location": "Location",
    "training_format": "Format",
    "signed": "Signed",
    "official_signed": "Official signed",
}


def confidence_class(field: dict[str, Any] | None) -> str:
    """``conf-missing`` | ``conf-low`` | ``conf-mid`` | ``conf-high`` for the form colours."""
    if not field or field.get("value") in (None, ""):
        return "conf-missing"
    c = field.get("confidence")
    if c is None or c >= 0.9:
        return "conf-high"  # None: the text layer, not measured and trusted
    return "conf-mid" if c >= CONFIDENCE_THRESHOLD else "conf-low"


def describe_reason(code: str) -> str:
    """The plain-language sentence for a reason code (the code itself if unknown)."""
    try:
        return Reason(code).description
    except ValueError:
        return code


# The fields a failing rule puts in doubt: the page marks them for the reviewer to look at.
REASON_FIELDS = {
    Reason.OFFICER_NOT_ON_ROSTER: ("officer_name", "badge_number"),
    Reason.POST_NUMBER_UNKNOWN: ("post_number", "course_title"),
    Reason.COURSE_TITLE_MISMATCH: ("course_title",),
    Reason.OUTSIDE_APPROVAL_WINDOW: ("training_date",),
    Reason.SUPERSEDED_STANDARD: ("training_date", "post_number"),
    Reason.SCENARIO_REQUIRED: ("training_format",),
    Reason.INSTRUCTOR_NOT_CERTIFIED: ("instructor_name",),
    Reason.HOURS_EXCEED_COURSE: ("hours",),
    Reason.NOT_SIGNED: ("signed", "official_signed"),
    Reason.DUPLICATE: ("officer_name", "training_date"),
}


def unsure_fields(record: TrainingRecord) -> list[str]:
    """Fields the reviewer must look at: read with low confidence or not at all (when
    required), or named by a failing rule. The rest can be confirmed at once."""
    fields = record.fields or {}
    explanation = record.explanation or {}
    names: list[str] = []
    for rule in failed_rules(explanation):
        evidence = rule.get("evidence") or {}
        names += list(evidence.get("missing") or []) + list(evidence.get("fields") or {})
        names += REASON_FIELDS.get(rule.get("reason"), ())
    for code in record.reasons or []:
        names += REASON_FIELDS.get(code, ())
    for name, f in fields.items():
        if name in EDITABLE_FIELDS and confidence_class(f) == "conf-low":
            names.append(name)
    return [n for n in dict.fromkeys(names) if n in EDITABLE_FIELDS]


def field_rows(record: TrainingRecord, form_values=None) -> list[dict[str, Any]]:
    """One row per field for the form: label, value shown, evidence, colour class, whether
    the page marks it unsure, and the values one click can take (the raw reading, the
    roster or catalog value)."""
    fields = record.fields or {}
    # only a sign-in row has a signature of its own for the reviewer to decide
    editable = [n for n in EDITABLE_FIELDS
                if n not in SHEET_ONLY_FIELDS or record.document_kind == "sign_in_sheet"]
    names = list(dict.fromkeys([*editable, *fields]))
    unsure = set(unsure_fields(record))
    refs = _reference_of(record.explanation or {})
    rows = []
    for name in names:
        f = fields.get(name) or {}
        value = f.get("value")
        if form_values is not None and f"field_{name}" in form_values:
            value = form_values.get(f"field_{name}")
        elif name in SHEET_ONLY_FIELDS and isinstance(value, bool):
            value = "yes" if value else "no"  # what the reviewer types to decide it
        c = f.get("confidence")
        rows.append(
            {
                "name": name,
                "label": LABELS.get(name, name),
                "value": "" if value is None else str(value),
                "raw_text": f.get("raw_text"),
                "matched": f.get("matched"),
                "confidence": None if c is None else round(c * 100),
                "css": confidence_class(f),
                "editable": name in editable,
                "corrected_by": f.get("corrected_by"),
                "read_value": f.get("read_value"),
                "unsure": name in unsure,
                # a signature's reading is ink figures, no value to take
                "takes": [] if name in SHEET_ONLY_FIELDS else _takes(f, value, refs.get(name)),
            }
        )
    return rows


def _reference_of(explanation: dict[str, Any]) -> dict[str, str]:
    """Field values of the roster officer and the catalog course the record was matched to."""
    officer, course = explanation.get("officer") or {}, explanation.get("course") or {}
    refs = {
        "officer_name": officer.get("name"),
        "badge_number": officer.get("badge_number"),
        "post_number": course.get("post_number"),
        "course_title": course.get("title"),
    }
    return {k: str(v) for k, v in refs.items() if v}


def _takes(f: dict[str, Any], value: Any, reference: str | None) -> list[tuple[str, str]]:
    """(what, value) pairs a one-click button can put in the field."""
    shown = "" if value is None else str(value)
    out = []
    raw, matched = f.get("raw_text"), f.get("matched") or reference
    if raw and str(raw).strip() != shown:
        out.append(("read", str(raw).strip()))
    if matched and str(matched) != shown and str(matched) != str(raw or "").strip():
        out.append(("reference", str(matched)))
    return out


def field_boxes(record: TrainingRecord) -> list[dict[str, Any]]:
    """Boxes (PDF points, top-left origin) of the fields read on the record's page."""
    boxes = []
    for name, f in (record.fields or {}).items():
        bbox = (f or {}).get("bbox")
        if bbox and (f.get("page") or record.page) == record.page:
            x0, top, x1, bottom = bbox
            # The outline stands a few points outside the box, so it never covers the
            # value (issue 18: the focused box hid a badge's digits).
            pad = 3
            boxes.append(
                {
                    "name": name,
                    "label": LABELS.get(name, name),
                    "x": x0 - pad,
                    "y": top - pad,
                    "w": max(x1 - x0, 1) + 2 * pad,
                    "h": max(bottom - top, 1) + 2 * pad,
                    "css": confidence_class(f),
                }
            )
    return boxes


def checked_against(explanation: dict[str, Any]) -> list[tuple[str, str]]:
    """What the decision was checked against, as (what, plain sentence) pairs."""
    out = []
    course = explanation.get("course")
    if course:
        out.append(
            (
                "Catalog course",
                f"{course['post_number']} {course['title']} ({course['state']}), "
                f"{course['hours']} h, {course['format']}, approved under {course['standard']}",
            )
        )
    standard = explanation.get("standard")
    if standard:
        out.append(
            (
                "Standard in force",
                f"{standard['name']} for {standard['topic']}, "
                f"effective from {standard['effective_from']}",
            )
        )
    for topic, s in (explanation.get("standards_in_force") or {}).items():
        out.append((f"In force for {topic}", s.get("name", "")))
    officer = explanation.get("officer")
    if officer:
        out.append(("Roster officer", f"{officer['name']} #{officer['badge_number']}"))
    instructor = explanation.get("instructor")
    if instructor:
        out.append(
            ("Instructor", f"{instructor['name']} (cert. {instructor['certification_number']})")
        )
    for note in explanation.get("notes") or []:
        out.append(("Note", note))
    return out


def match_notes(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """How the officer and the course were matched (or why not), with their candidates."""
    matches = explanation.get("matches") or {}
    notes = []
    for key, label in (("officer", "Roster officer"), ("course", "Catalog course")):
        m = matches.get(key)
        if m:
            notes.append(
                {
                    "kind": key,
                    "label": label,
                    "why": m.get("why"),
                    "learned": m.get("method") == "learned",
                    "candidates": m.get("candidates") or [],
                }
            )
    return notes


def failed_rules(explanation: dict[str, Any]) -> list[dict[str, Any]]:
    """Rules that did not pass, with their evidence, for the reasons panel."""
    return [r for r in explanation.get("rules") or [] if not r.get("passed")]


# Preset reasons for a rejection: the usual ones need no typing (issue 18).
REJECT_REASONS = (
    "not a training document",
    "unsigned",
    "course not approved",
    "duplicate",
    "illegible",
    "rescan needed",
)


def reject_reason(preset: str | None, note: str | None) -> str:
    """The reason kept in the history: the preset, the note, or both."""
    parts = [p.strip() for p in (preset, note) if p and p.strip()]
    return ": ".join(parts)


def review_context(
    record: TrainingRecord, page: Page | None, history: list[RecordEvent], form_values=None
) -> dict[str, Any]:
    """Everything the review template shows for ``record``."""
    explanation = record.explanation or {}
    return {
        "unsure": unsure_fields(record),
        "reject_reasons": REJECT_REASONS,
        "record": record,
        "page": page,
        "fields": field_rows(record, form_values),
        "boxes": field_boxes(record),
        "reasons": [(r, describe_reason(r)) for r in record.reasons or []],
        "checked": checked_against(explanation),
        "matches": match_notes(explanation),
        "failed_rules": failed_rules(explanation),
        "history": history,
    }


def preview_summary(result) -> dict[str, Any]:
    """A correction's preview (a ``VerificationResult``) as the page shows it."""
    explanation = result.explanation or {}
    return {
        "status": result.status,
        "reasons": [(str(r), describe_reason(str(r))) for r in result.reasons],
        "checked": checked_against(explanation),
        "matches": match_notes(explanation),
        "credit_hours": result.credit_hours,
        "credit_topics": list(result.credit_topics),
    }
