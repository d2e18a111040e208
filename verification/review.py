"""Reviewer decisions: approve, correct-and-reverify (with a preview first), reject.

Service functions: they take the session first, flush, and never commit; when one raises,
the caller rolls the unit of work back (the version claim included). Every decision
names the record ``version`` the reviewer saw; a decision made on a version that has changed
since is refused (:class:`RecordChangedError`), so two reviewers never overwrite each other
silently. Every change writes an append-only :class:`RecordEvent`.

Approving is not overriding: it confirms the fields as read (confidence 1.0) and verifies the
record again; it is credited only when every rule then passes. A record whose rules still fail
is corrected or rejected, never credited by a click (a false credit is the worst bug).
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from course_catalog.models import Course, Officer
from extractors.errors import CredenceError
from verification import layouts, learning
from verification.models import RecordEvent, RecordStatus, TrainingRecord
from verification.records import _snapshot, extracted_from_record, log_change, reverify_record
from verification.verify import VerificationResult, verify_extraction

# Fields a reviewer may correct (contract: exported record).
EDITABLE_FIELDS = (
    "officer_name",
    "badge_number",
    "training_date",
    "hours",
    "post_number",
    "course_title",
    "instructor_name",
    "location",
    "training_format",
    "signed",
    "official_signed",
)
#: Yes/no fields only a sign-in sheet's row has: its attendee's signature, and the training
#: official's signature on the sheet, when the reader left them undecided.
SHEET_ONLY_FIELDS = ("signed", "official_signed")
#: What a reviewer may say of a signature the reader left undecided.
SIGNED_WORDS = {"yes": True, "true": True, "signed": True, "no": False, "false": False,
                "unsigned": False}
#: A page read as "not a training document" that the reviewer says is a certificate
#: (``document_kind=certificate``): it is verified as one, and its form is learned (issue 17).
KIND_FIELD = "document_kind"
RECLASSIFIABLE = ("unknown",)
# Keys a reviewer's correction adds to a field; verification rebuilds ``fields`` and would drop
# them, so they are carried over (see _carry_review_marks).
_REVIEW_KEYS = ("read_value", "corrected_by", "confirmed_by")


class ReviewError(CredenceError):
    """A decision that cannot be taken as asked; nothing was changed."""

    code = "review_refused"


class RecordChangedError(ReviewError):
    """Someone else changed the record after this reviewer opened it."""

    code = "record_changed"


def record_history(session: Session, record_id: str) -> list[RecordEvent]:
    """Every event of a record, oldest first (the audit trail; never edited)."""
    stmt = select(RecordEvent).where(RecordEvent.record_id == record_id)
    return list(session.scalars(stmt.order_by(RecordEvent.at, RecordEvent.id)))


def _claim_version(session: Session, record: TrainingRecord, expected_version: int) -> None:
    """Compare-and-set the version in the database, or refuse: the optimistic lock.

    The conditional UPDATE is atomic on SQLite and PostgreSQL: of two reviewers deciding on
    the same version, exactly one gets the row; the other sees 0 rows and is told.
    """
    result = session.execute(
        update(TrainingRecord)
        .where(TrainingRecord.id == record.id, TrainingRecord.version == expected_version)
        .values(version=expected_version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(record)
        raise RecordChangedError(
            f"record {record.id} was changed by someone else since you opened it "
            f"(version {expected_version}, now {record.version}); reload it and decide again",
            record_id=record.id,
        )
    record.version = expected_version + 1


def _require_open(record: TrainingRecord) -> None:
    if record.status != RecordStatus.NEEDS_REVIEW:
        raise ReviewError(
            f"record {record.id} is {record.status}, not waiting for review; nothing changed",
            record_id=record.id,
        )


def _clean_changes(changes: dict[str, str | None]) -> dict[str, str | None]:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS) - {KIND_FIELD})
    if unknown:
        raise ReviewError(f"these fields cannot be corrected: {', '.join(unknown)}")
    clean = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in changes.items()}
    for name in SHEET_ONLY_FIELDS:
        if clean.get(name) is not None and not isinstance(clean[name], bool):
            # a reviewer who looked at the signature says whether it is there
            word = str(clean[name]).lower()
            if word not in SIGNED_WORDS:
                raise ReviewError(f"{name} must be yes or no, not {clean[name]!r}")
            clean[name] = SIGNED_WORDS[word]
    return clean


def _check_signed_applies(record: TrainingRecord, changes: dict[str, Any]) -> None:
    """Only a sign-in row has signatures to decide (an empty value, as a form of every
    field posts it, decides nothing)."""
    for name in SHEET_ONLY_FIELDS:
        if changes.get(name) is not None and record.document_kind != "sign_in_sheet":
            raise ReviewError(f"{name} is decided only for a sign-in sheet's row "
                              f"(this record is {record.document_kind})")


def _take_kind(record: TrainingRecord, changes: dict[str, str | None]) -> str | None:
    """The kind a reviewer gave a page read as not a training document (popped from
    ``changes``), or ``None``. Only ``certificate``, and only for such a page: a sheet is a
    table of rows, which a correction of one record cannot make."""
    if KIND_FIELD not in changes:
        return None
    kind = changes.pop(KIND_FIELD)
    if kind == record.document_kind:
        return None
    if kind != "certificate" or record.document_kind not in RECLASSIFIABLE:
        raise ReviewError(
            f"{KIND_FIELD} can only make a page read as not a training document a "
            f"certificate (this record is {record.document_kind}, asked {kind!r})")
    return kind


def _reference_values(
    session: Session, officer_id: int | None, course_id: int | None
) -> dict[str, str]:
    """Field values of a candidate the reviewer picked (a roster officer, a catalog course)."""
    values: dict[str, str] = {}
    if officer_id is not None:
        officer = session.get(Officer, officer_id)
        if officer is None:
            raise ReviewError(f"no roster officer {officer_id}")
        values.update(officer_name=officer.full_name, badge_number=officer.badge_number)
    if course_id is not None:
        course = session.get(Course, course_id)
        if course is None:
            raise ReviewError(f"no catalog course {course_id}")
        values.update(post_number=course.post_number, course_title=course.title)
    return values


def corrected_fields(
    record: TrainingRecord, changes: dict[str, str | None], actor: str
) -> dict[str, Any]:
    """The record's fields with ``changes`` applied; only fields whose value changes move.

    A corrected field keeps its ``raw_text`` and box (the evidence), remembers the value
    first read (``read_value``) and who corrected it, and is trusted (confidence 1.0).
    """
    fields = copy.deepcopy(record.fields or {})
    for name, value in changes.items():
        old = fields.get(name) or {"raw_text": None, "bbox": None, "page": record.page}
        if _same(old.get("value"), value):
            continue
        old.setdefault("read_value", old.get("value"))
        old.update(value=value, confidence=1.0, corrected_by=actor)
        old.setdefault("source", "derived")
        fields[name] = old
    return fields


def _same(stored: Any, given: Any) -> bool:
    """Equal as the form shows them: 14.0 and "14.0", None and ""."""
    return ("" if stored is None else str(stored)) == ("" if given is None else str(given))


def _changed_values(
    before: dict[str, Any], after: dict[str, Any], names
) -> dict[str, tuple[Any, Any]]:
    """Field name -> (value before, value after), for the fields whose value changed."""
    out = {}
    for n in names:
        old, new = (before.get(n) or {}).get("value"), (after.get(n) or {}).get("value")
        if not _same(old, new):
            out[n] = (old, new)
    return out


def _correction_event(
    record_id: str, actor: str, changed: dict[str, tuple[Any, Any]], why: str | None
) -> RecordEvent:
    return RecordEvent(
        record_id=record_id,
        actor=actor,
        action="corrected",
        before={"fields": {n: old for n, (old, _) in changed.items()}},
        after={"fields": {n: new for n, (_, new) in changed.items()}},
        why=why or "corrected by a reviewer",
    )


def _probe(session: Session, record: TrainingRecord, fields: dict[str, Any],
           kind: str | None = None):
    """Verify ``fields`` (and ``kind``) as if they were the record's, writing nothing."""
    probe = TrainingRecord(
        id=record.id, page=record.page, document_kind=kind or record.document_kind, fields=fields
    )
    with session.no_autoflush:
        return verify_extraction(session, extracted_from_record(probe), exclude_record_id=record.id)


def preview_correction(
    session: Session,
    record: TrainingRecord,
    changes: dict[str, str | None],
    *,
    officer_id: int | None = None,
    course_id: int | None = None,
) -> VerificationResult:
    """What verification would decide with ``changes`` applied. Reads only; changes nothing."""
    changes = {**_clean_changes(changes), **_reference_values(session, officer_id, course_id)}
    _check_signed_applies(record, changes)
    return _probe(session, record, corrected_fields(record, changes, "preview"))


def correct_record(
    session: Session,
    record: TrainingRecord,
    changes: dict[str, str | None],
    *,
    actor: str,
    expected_version: int,
    why: str | None = None,
    officer_id: int | None = None,
    course_id: int | None = None,
) -> TrainingRecord:
    """Apply a reviewer's corrections, verify the record again and learn from the mapping.

    Args:
        session: open session; flushed, not committed.
        record: the record (``needs_review``).
        changes: field name -> corrected value (only changed values are applied).
        actor: the reviewer's username.
        expected_version: the version the reviewer saw.
        why: the reviewer's note.
        officer_id: a roster officer picked from the candidates (fills name and badge).
        course_id: a catalog course picked from the candidates (fills POST number, title).

    Returns:
        The record, verified again (``verified`` when every rule now passes).

    Raises:
        RecordChangedError: the record changed since ``expected_version``.
        ReviewError: the record is not waiting for review, or the changes are not allowed.
    """
    changes = {**_clean_changes(changes), **_reference_values(session, officer_id, course_id)}
    _claim_version(session, record, expected_version)
    _require_open(record)
    _check_signed_applies(record, changes)
    kind = _take_kind(record, changes)
    fields = corrected_fields(record, changes, actor)
    changed = _changed_values(record.fields or {}, fields, changes)
    if kind:
        changed[KIND_FIELD] = (record.document_kind, kind)
        record.document_kind = kind
    if not changed:
        raise ReviewError("nothing to correct: no field differs from what is stored")
    session.add(_correction_event(record.id, actor, changed, why))
    record.fields = fields
    _reverify_keeping_marks(session, record, actor, why or "verified again after a correction")
    _learn_from(session, record, actor)
    return record


def _reverify_keeping_marks(session: Session, record: TrainingRecord, actor: str, why: str):
    marks = {n: {k: d[k] for k in _REVIEW_KEYS if k in d} for n, d in (record.fields or {}).items()}
    try:
        with session.begin_nested():
            reverify_record(session, record, actor, why)
    except IntegrityError as e:  # the one-credit index: the same training was credited meanwhile
        session.refresh(record)
        raise ReviewError(
            "this training was credited by another record meanwhile; reload and decide again"
        ) from e
    fields = copy.deepcopy(record.fields)
    for name, extra in marks.items():
        if name in fields and extra:
            fields[name].update(extra)
    record.fields = fields
    session.flush()


def _read_value(record: TrainingRecord, name: str) -> str | None:
    d = (record.fields or {}).get(name) or {}
    value = d.get("read_value", d.get("value"))
    return None if value is None else str(value)


def _learn_from(session: Session, record: TrainingRecord, actor: str) -> None:
    """Keep the misreading -> reference mapping when a correction made a match possible,
    and the form's layout when the decision left the record verified (issue 17)."""
    layouts.learn_from_decision(session, record, actor)
    fields = record.fields or {}
    officer_fixed = any(
        "read_value" in (fields.get(n) or {}) for n in ("officer_name", "badge_number")
    )
    if record.officer_id is not None and officer_fixed:
        key = learning.officer_key(
            _read_value(record, "officer_name"), _read_value(record, "badge_number")
        )
        learning.learn_mapping(session, learning.OFFICER, key, record.officer_id, actor, record.id)
    course_fixed = any(
        "read_value" in (fields.get(n) or {}) for n in ("post_number", "course_title")
    )
    if record.course_id is not None and course_fixed:
        kind_key = learning.course_key(
            _read_value(record, "post_number"), _read_value(record, "course_title")
        )
        if kind_key:
            learning.learn_mapping(session, *kind_key, record.course_id, actor, record.id)


def approve_record(
    session: Session,
    record: TrainingRecord,
    changes: dict[str, str | None] | None = None,
    *,
    actor: str,
    expected_version: int,
    note: str | None = None,
    officer_id: int | None = None,
    course_id: int | None = None,
) -> TrainingRecord:
    """Fix-and-approve: apply any corrections, confirm every field, credit if all rules pass.

    With no ``changes`` this confirms the fields as read (a reviewer checked them against
    the scan). Either way it is credited only when verification then passes every rule.

    Raises:
        RecordChangedError: the record changed since ``expected_version``.
        ReviewError: not waiting for review, or rules still fail (nothing is saved then;
            the message lists the reasons, to correct or reject instead).
    """
    changes = {**_clean_changes(changes or {}), **_reference_values(session, officer_id, course_id)}
    _claim_version(session, record, expected_version)
    _require_open(record)
    _check_signed_applies(record, changes)
    kind = _take_kind(record, changes)
    fields = corrected_fields(record, changes, actor)
    changed = _changed_values(record.fields or {}, fields, changes)
    for d in fields.values():
        if d.get("value") is not None:
            d["confidence"], d["confirmed_by"] = 1.0, actor
    result = _probe(session, record, fields, kind)
    if not result.verified:
        reasons = ", ".join(str(r) for r in result.reasons) or result.status
        raise ReviewError(
            f"cannot approve: with these fields confirmed, these checks still fail: "
            f"{reasons}. Correct the fields or reject the record.",
            reasons=[str(r) for r in result.reasons],
        )
    before = _snapshot(record)
    if kind:
        changed[KIND_FIELD] = (record.document_kind, kind)
        record.document_kind = kind
    if changed:
        session.add(_correction_event(record.id, actor, changed, note))
    record.fields = fields
    _reverify_keeping_marks(session, record, actor, note or "fields confirmed by a reviewer")
    log_change(session, record, actor, "approved", before, note or "approved by a reviewer")
    _learn_from(session, record, actor)
    session.flush()
    return record


def reject_record(
    session: Session, record: TrainingRecord, *, actor: str, expected_version: int, reason: str
) -> TrainingRecord:
    """Reject a record with a reason: never credited; kept with its history.

    Raises:
        ReviewError: no reason given, or the record is not waiting for review.
        RecordChangedError: the record changed since ``expected_version``.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("a rejection needs a reason")
    _claim_version(session, record, expected_version)
    _require_open(record)
    before = _snapshot(record)
    record.status = RecordStatus.REJECTED
    record.credit_topics, record.credit_hours = [], 0.0
    log_change(session, record, actor, "rejected", before, reason)
    layouts.doubt_rejected(session, record)  # a layout that read a rejected record is doubted
    layouts.learn_from_sheet_rejection(session, record, actor)
    session.flush()
    return record
