"""Uploaded documents and the pages read from them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
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


class DocumentStatus:
    """Values of ``Document.status``."""

    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"
    COPY = "copy"  # byte-identical to an earlier upload; its records are the first's


class Batch(Base):
    """One ``credence ingest`` run or one web upload."""

    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: the agency the paperwork comes from (``credence ingest --agency``); ``None``: the
    #: roster's own. Learned layouts are kept per agency (issue 17).
    agency: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Document(Base):
    """One uploaded file. Byte-identical uploads share one original and one processing.

    The partial unique index makes "one processed document per sha256" a database fact,
    not a race: a second upload of the same bytes becomes a ``copy`` pointing at the first.
    """

    __tablename__ = "documents"
    __table_args__ = (
        Index(
            "uq_documents_sha256_original",
            "sha256",
            unique=True,
            sqlite_where=text("copy_of_id IS NULL"),
            postgresql_where=text("copy_of_id IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    batch_id: Mapped[str | None] = mapped_column(ForeignKey("batches.id"), nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source_filename: Mapped[str] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    copy_of_id: Mapped[str | None] = mapped_column(ForeignKey("documents.id"), nullable=True)
    page_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: ``host:pid`` of the process that holds the document while it is queued or processing
    #: in the embedded mode (the runner that will read it, then the worker reading it), so a
    #: later run can tell a document whose process died from one still being worked on.
    held_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: Where the processing time went: seconds per stage and tesseract runs (issue 13,
    #: ``extractors.timing.StageTimes.to_dict``); ``None`` before migration 0009.
    timings: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Page(Base):
    """What was read from one page: words with boxes and confidences, for review."""

    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_pages_document_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    dpi: Mapped[float | None] = mapped_column(Float, nullable=True)
    rotation: Mapped[int] = mapped_column(Integer, default=0)
    mean_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    image_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    text: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
