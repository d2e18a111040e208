"""The dashboard's one table of officers: filtered by status and name, paged, each row with its
deadline alert (issue 18, point 6: "Due soon" and "Deadline alerts" listed the same rows twice),
and the review backlog that holds hours back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.compliance import Status, TopicStatus
from reports.dashboard import DashboardSummary
from reports.reminders import Alert
from verification.models import RecordStatus, TrainingRecord

# Shown when no status is chosen: the officers someone must act on.
ACTION_STATUSES = (Status.OVERDUE, Status.DUE_SOON)


@dataclass(frozen=True)
class DeadlineRow:
    """One officer and topic, with the alert mark it has reached (if any)."""

    status: TopicStatus
    alert: Alert | None


def deadline_rows(
    summary: DashboardSummary, *, status: str | None = None, name: str | None = None
) -> list[DeadlineRow]:
    """Officers of ``status`` (default: overdue, due soon, or past an alert mark) whose name
    or badge contains ``name``; soonest deadline first."""
    alerts = {(a.status.officer_id, a.status.topic): a for a in summary.alerts}
    needle = (name or "").strip().lower()
    rows = []
    for s in summary.statuses:
        alert = alerts.get((s.officer_id, s.topic))
        if status:
            if str(s.status) != status:
                continue
        elif s.status not in ACTION_STATUSES and alert is None:
            continue
        if needle and needle not in s.name.lower() and needle not in s.badge_number.lower():
            continue
        rows.append(DeadlineRow(s, alert))
    far = 10**9
    rows.sort(
        key=lambda r: (
            r.status.days_left if r.status.days_left is not None else far,
            r.status.name,
            r.status.topic,
        )
    )
    return rows


@dataclass(frozen=True)
class Backlog:
    """Records waiting for a reviewer: how many, and since when."""

    waiting: int
    oldest: datetime | None


def review_backlog(session: Session) -> Backlog:
    """How many records wait for review and when the oldest arrived."""
    waiting, oldest = session.execute(
        select(func.count(), func.min(TrainingRecord.created_at)).where(
            TrainingRecord.status == RecordStatus.NEEDS_REVIEW
        )
    ).one()
    return Backlog(waiting or 0, oldest)
