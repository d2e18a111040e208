"""Corroboration: a sign-in row and a certificate of the same training are one training.

Duplicate detection (``rules.find_duplicate``) already makes the later-received record of a
training (officer, course, date) a ``duplicate`` of the first, so credit is counted once.
When the two records are different kinds of evidence (a sign-in row and a certificate), this
module links them: each record's ``explanation["corroboration"]`` names the other record,
its document and kind, and what the two say differently. Agreement is noted on both (it
strengthens the original's evidence); disagreement (hours, instructor, location) sends the
later record to review with the differences, still never credited.

Service functions: they take the session first, flush, and never commit.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from extractors.types import DocumentKind
from verification.models import RecordEvent, RecordStatus, TrainingRecord
from verification.rules import read_hours

log = logging.getLogger(__name__)

EVIDENCE_KINDS = frozenset({str(DocumentKind.CERTIFICATE), str(DocumentKind.SIGN_IN_SHEET)})
_COMPARED = ("hours", "instructor_name", "location")


def link_corroboration(
    session: Session, record: TrainingRecord, actor: str = "credence"
) -> list[tuple[TrainingRecord, TrainingRecord]]:
    """Link ``record`` with the other-kind record(s) of the same training, if any.

    Works both ways: ``record`` may be the later one (a ``duplicate`` of an earlier record)
    or the original that earlier-processed records were demoted to duplicates of.

    Args:
        session: open session; changes are flushed, not committed.
        record: a record just stored by ``record_training``.
        actor: who made the link, for the history.

    Returns:
        The (original, later) pairs linked.
    """
    pairs = []
    if record.duplicate_of_id is not None:
        original = session.get(TrainingRecord, record.duplicate_of_id)
        if original is not None:
            pairs.append((original, record))
    later = session.scalars(
        select(TrainingRecord).where(TrainingRecord.duplicate_of_id == record.id)
    ).all()
    pairs.extend((record, other) for other in later)
    linked = []
    for original, dup in pairs:
        if _is_corroboration(original, dup) and not _already_linked(dup, original):
            _link(session, original, dup, actor)
            linked.append((original, dup))
    session.flush()
    return linked


def _is_corroboration(original: TrainingRecord, later: TrainingRecord) -> bool:
    kinds = {original.document_kind, later.document_kind}
    return kinds == EVIDENCE_KINDS


def _already_linked(record: TrainingRecord, other: TrainingRecord) -> bool:
    return (record.explanation or {}).get("corroboration", {}).get("record_id") == other.id


def compare_evidence(a: TrainingRecord, b: TrainingRecord) -> dict[str, dict[str, Any]]:
    """Fields both records show with different values (hours as numbers, text folded)."""
    out = {}
    for name in _COMPARED:
        va, vb = _value(a, name), _value(b, name)
        if va is None or vb is None:
            continue
        if name == "hours":
            same = read_hours(va) == read_hours(vb)
        else:
            same = " ".join(str(va).lower().split()) == " ".join(str(vb).lower().split())
        if not same:
            out[name] = {a.document_kind: va, b.document_kind: vb}
    return out


def _value(record: TrainingRecord, name: str) -> Any:
    field = (record.fields or {}).get(name) or {}
    return field.get("matched", field.get("value"))


def _link(session: Session, original: TrainingRecord, later: TrainingRecord, actor: str) -> None:
    """Write the link on both records; a disagreement sends the later one to review."""
    differences = compare_evidence(original, later)
    agrees = not differences
    for this, other, role in (
        (original, later, "corroborated_by"),
        (later, original, "corroborates"),
    ):
        explanation = dict(this.explanation or {})
        explanation["corroboration"] = {
            "role": role,
            "record_id": other.id,
            "document_id": other.document_id,
            "document_kind": other.document_kind,
            "agrees": agrees,
            "differences": differences,
        }
        this.explanation = explanation  # a new dict, so the JSON column sees the change
    before = {"status": later.status, "reasons": list(later.reasons or [])}
    if not agrees and later.status == RecordStatus.DUPLICATE:
        # Still no credit; a person decides which piece of evidence is right.
        later.status = RecordStatus.NEEDS_REVIEW
    why = f"same training as {original.id} ({original.document_kind}); " + (
        "the evidence agrees" if agrees else f"they differ on {', '.join(differences)}"
    )
    for this in (original, later):
        session.add(
            RecordEvent(
                record_id=this.id,
                actor=actor,
                action="corroborated",
                before=before if this is later else None,
                after={"status": this.status, "corroboration": this.explanation["corroboration"]},
                why=why,
            )
        )
    log.info("corroboration %s <- %s: %s", original.id, later.id, why)
