"""What the reports remember: which deadline alerts were already raised."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from credence.db import Base, utcnow


class AlertSent(Base):
    """One deadline alert, raised once per (officer, topic, deadline, mark).

    The deadline is part of the key: when the officer's next cycle starts, its deadline is
    new and the 90/60/30-day marks fire again for it.
    """

    __tablename__ = "alerts_sent"
    __table_args__ = (
        UniqueConstraint("officer_id", "topic", "deadline", "mark", name="uq_alerts_sent_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"), index=True)
    topic: Mapped[str] = mapped_column(String(64))
    deadline: Mapped[date] = mapped_column(Date)
    mark: Mapped[int] = mapped_column(Integer)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
