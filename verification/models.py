"""Training records and their append-only history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from credence.db import Base, utcnow


class RecordStatus:
    """Values of ``TrainingRecord.status`` (contract: ``status``)."""

    VERIFIED = "verified"
    NEEDS_REVIEW = "needs_review"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"


class TrainingRecord(Base):
    """One training record read from one page (a certificate, or a sign-in row).

    ``fields`` keeps every extracted field with its evidence (value, raw text, confidence,
    box, page, source); the flat columns are the verified view used for queries.
    ``explanation`` says which catalog course, standard, roster entry and instructor the
    decision used, and each rule's outcome.
    """

    __tablename__ = "records"
    __table_args__ = (
        # One credit per training, whatever the concurrency: a second verified record for the
        # same officer, course and date is refused by the database, not by luck.
        Index(
            "uq_records_one_credit",
            "officer_id",
            "course_id",
            "training_date",
            unique=True,
            sqlite_where=text("status = 'verified'"),
            postgresql_where=text("status = 'verified'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    page: Mapped[int] = mapped_column(Integer)
    row_index: Mapped[int] = mapped_column(Integer, default=0)
    document_kind: Mapped[str] = mapped_column(String(16))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    credit_topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    credit_hours: Mapped[float] = mapped_column(Float, default=0.0)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), nullable=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), nullable=True)
    standard_id: Mapped[int | None] = mapped_column(ForeignKey("standards.id"), nullable=True)
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("instructors.id"), nullable=True)
    training_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    duplicate_of_id: Mapped[str | None] = mapped_column(ForeignKey("records.id"), nullable=True)
    # When the source document was received: of two records of one training, the one
    # received first is the original and the other the duplicate, whatever order parallel
    # workers happen to finish them in.
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Optimistic locking for reviewers: a decision names the version it was made on and is
    # refused when the record changed meanwhile (verification.review).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class RecordEvent(Base):
    """An append-only entry in a record's history: who changed what, when and why."""

    __tablename__ = "record_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    why: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The hash chain (verification.audit): the previous event's hash and this one's, over
    # its content and prev_hash. Database triggers refuse UPDATE and DELETE (migration 0006).
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RecordEventChain(Base):
    """One row: the hash of the newest record event, the head of the audit chain.

    Writers lock this row before they read it (verification.audit), so two transactions
    never chain their events to the same predecessor; ``credence audit verify`` also checks
    that the newest event is this one (a deleted tail would otherwise go unseen).
    """

    __tablename__ = "record_event_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    head_hash: Mapped[str] = mapped_column(String(64))


class LearnedMapping(Base):
    """A reviewer's correction kept for later documents: this text as read means that row.

    ``kind`` is ``officer`` (key: badge and name as read), ``course_post_number`` or
    ``course_title``; ``raw_key`` is the normalised text as read (see verification.learning).
    """

    __tablename__ = "learned_mappings"
    __table_args__ = (UniqueConstraint("kind", "raw_key", name="uq_learned_mappings_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    raw_key: Mapped[str] = mapped_column(String(400))
    target_id: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(String(100))
    record_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearnedLayout(Base):
    """A form's layout learned from reviewers' decisions (issue 17; verification.layouts).

    ``fingerprint`` is :class:`extractors.layout_fingerprint.Fingerprint` as a dict;
    ``fields`` maps a field name to where its value sat (``box``, fingerprint space), with
    ``hits`` (decisions that confirmed the place) and ``misses`` (decisions that contradicted
    it). ``columns`` (sheets) gives the roles of its table's columns. ``agency`` is the
    batch's agency of the documents it was learned from. ``sources`` lists those documents,
    each with its record, reviewer and day. ``strength`` grows with confirmations and
    shrinks with contradicting decisions and rejections; a layout at 0 or below is not used.
    """

    __tablename__ = "learned_layouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    fingerprint: Mapped[dict[str, Any]] = mapped_column(JSON)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: a sheet's table columns: [role, x0, x1] in fingerprint space (migration 0011).
    columns: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    strength: Mapped[float] = mapped_column(Float, default=1.0)
    thumbnail_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class LayoutUse(Base):
    """A record read with a learned layout's evidence (counts uses and later changes)."""

    __tablename__ = "layout_uses"
    __table_args__ = (UniqueConstraint("layout_id", "record_id", name="uq_layout_uses_record"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    layout_id: Mapped[int] = mapped_column(
        ForeignKey("learned_layouts.id", ondelete="CASCADE"), index=True
    )
    record_id: Mapped[str] = mapped_column(String(40), index=True)
    score: Mapped[float] = mapped_column(Float)
    changed_by_reviewer: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Every process that can write a record event has imported this module: installing the
# chain's flush listener here means no event is ever written outside the chain.
from verification import audit as _audit  # noqa: E402, F401
