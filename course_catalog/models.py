"""Reference data: approved courses, versioned state standards, the roster, instructors."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credence.db import Base


class Course(Base):
    """One approved course, keyed by the POST number as the state prints it."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_number: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(2))
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    hours: Mapped[float] = mapped_column(Float)
    format: Mapped[str] = mapped_column(String(16))
    standard: Mapped[str] = mapped_column(String(64))
    approved_from: Mapped[date] = mapped_column(Date)
    approved_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    provider: Mapped[str | None] = mapped_column(String(200), nullable=True)


class Standard(Base):
    """A state requirement profile for one topic under one standard version."""

    __tablename__ = "standards"
    __table_args__ = (UniqueConstraint("state", "topic", "standard", name="uq_standards_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(2))
    topic: Mapped[str] = mapped_column(String(64))
    standard: Mapped[str] = mapped_column(String(64))
    effective_from: Mapped[date] = mapped_column(Date)
    min_hours: Mapped[float] = mapped_column(Float)
    cycle_months: Mapped[int] = mapped_column(Integer)
    scenario_required: Mapped[bool] = mapped_column(Boolean, default=False)
    certified_instructor_required: Mapped[bool] = mapped_column(Boolean, default=False)
    applies_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    # How the cycle is counted (README "Standards file"); empty means ``officer``: the
    # officer's own cycle dates from the roster, as before these columns existed.
    cycle_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    cycle_anchor: Mapped[date | None] = mapped_column(Date, nullable=True)
    parent_topic: Mapped[str | None] = mapped_column(String(64), nullable=True)
    scenario_min_hours: Mapped[float | None] = mapped_column(Float, nullable=True)
    online_allowed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class Officer(Base):
    """One person on the roster, keyed by badge number."""

    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    badge_number: Mapped[str] = mapped_column(String(32), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(16))
    cycle_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    cycle_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    unit: Mapped[str | None] = mapped_column(String(100), nullable=True)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Instructor(Base):
    """An instructor and the certification that covers some topics for a period."""

    __tablename__ = "instructors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    certification_number: Mapped[str] = mapped_column(String(64), unique=True)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    certified_from: Mapped[date] = mapped_column(Date)
    certified_until: Mapped[date | None] = mapped_column(Date, nullable=True)


class ReferenceRevision(Base):
    """One row whose token changes (by database triggers) whenever reference data changes.

    See migration 0005 and :mod:`course_catalog.snapshot`.
    """

    __tablename__ = "reference_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64))
