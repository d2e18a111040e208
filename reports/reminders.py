"""Deadline alerts: officers crossing the 90-, 60- and 30-day marks without enough hours.

Each alert is raised once per (officer, topic, deadline, mark) and kept in ``alerts_sent``,
so a re-run the same day (or the next) does not repeat it; a new cycle has a new deadline and
its marks fire again. An officer first seen inside 30 days gets the 30-day alert only, not
three at once. A passed deadline raises one more alert, mark ``0`` ("overdue").

Optionally the new alerts go out in one e-mail through an SMTP server (:class:`Mailer`).
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.compliance import Status, TopicStatus, roster_compliance
from reports.models import AlertSent

MARKS = (90, 60, 30)
OVERDUE_MARK = 0


@dataclass(frozen=True)
class Alert:
    """One officer and topic at one mark before (or past) the deadline."""

    status: TopicStatus
    mark: int
    already_raised: bool = False

    @property
    def label(self) -> str:
        """``90 days`` ... ``overdue``."""
        return "overdue" if self.mark == OVERDUE_MARK else f"{self.mark} days"

    def line(self) -> str:
        """One human-readable line (CLI output and e-mail body)."""
        s = self.status
        return (
            f"{s.badge_number:<10} {s.name:<28} {s.topic:<16} deadline {s.deadline} "
            f"({s.days_left:+d} d, {self.label}): {s.credited_hours:g} of "
            f"{s.requirement.min_hours:g} h, {s.needed_hours:g} h needed"
            + (f", {s.pending_hours:g} h in review" if s.pending_hours else "")
        )


@dataclass(frozen=True)
class Mailer:
    """Where reminder e-mails go (``CREDENCE_SMTP_*`` and ``CREDENCE_ALERT_TO``)."""

    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    timeout: float = 30.0


@dataclass(frozen=True)
class ReminderRun:
    """What one ``credence reminders`` run found.

    Attributes:
        new: alerts raised by this run (and e-mailed, when a mailer was given).
        repeated: alerts at their current mark that an earlier run already raised.
        emailed_to: recipients of the e-mail, empty when none was sent.
    """

    as_of: date
    new: tuple[Alert, ...]
    repeated: tuple[Alert, ...]
    emailed_to: tuple[str, ...] = ()


def mark_for(status: TopicStatus) -> int | None:
    """The most urgent mark ``status`` has crossed, or ``None`` (met, or far from due)."""
    if status.status not in (Status.DUE_SOON, Status.OVERDUE, Status.IN_PROGRESS):
        return None
    days = status.days_left
    if days is None or not status.needed_hours:
        return None
    if days < 0:
        return OVERDUE_MARK
    crossed = [m for m in MARKS if days <= m]
    return min(crossed) if crossed else None


def current_alerts(session: Session, statuses: Sequence[TopicStatus]) -> list[Alert]:
    """The alert each status is at now, flagged when it was already raised."""
    raised = _raised_keys(session)
    out = []
    for s in statuses:
        mark = mark_for(s)
        if mark is not None:
            key = (s.officer_id, s.topic, s.deadline, mark)
            out.append(Alert(s, mark, already_raised=key in raised))
    out.sort(key=lambda a: (a.status.days_left, a.status.badge_number, a.status.topic))
    return out


def raise_reminders(session: Session, as_of: date, mailer: Mailer | None = None) -> ReminderRun:
    """Record the alerts not raised before and, with a mailer, e-mail them in one message.

    The rows are flushed before the e-mail is sent: if sending fails the caller rolls back,
    and the next run raises the same alerts again instead of losing them.

    Args:
        session: open session; alert rows are added and flushed, not committed.
        as_of: the report date.
        mailer: SMTP settings; ``None`` only lists and records.

    Returns:
        The new and already-raised alerts.

    Raises:
        OSError, smtplib.SMTPException: the SMTP server refused or could not be reached.
    """
    alerts = current_alerts(session, roster_compliance(session, as_of))
    new = tuple(a for a in alerts if not a.already_raised)
    for a in new:
        session.add(
            AlertSent(
                officer_id=a.status.officer_id,
                topic=a.status.topic,
                deadline=a.status.deadline,
                mark=a.mark,
                emailed=mailer is not None,
            )
        )
    session.flush()
    emailed: tuple[str, ...] = ()
    if mailer is not None and new:
        send_alert_mail(mailer, new, as_of)
        emailed = mailer.recipients
    repeated = tuple(a for a in alerts if a.already_raised)
    return ReminderRun(as_of, new, repeated, emailed)


def send_alert_mail(mailer: Mailer, alerts: Sequence[Alert], as_of: date) -> None:
    """Send one plain-text message listing ``alerts`` to the mailer's recipients."""
    message = EmailMessage()
    message["Subject"] = f"Credence: {len(alerts)} training deadline alert(s) as of {as_of}"
    message["From"] = mailer.sender
    message["To"] = ", ".join(mailer.recipients)
    body = [
        f"Officers without enough verified hours at the 90/60/30-day marks, as of {as_of}:",
        "",
        *(a.line() for a in alerts),
        "",
        "Hours in review are not counted until a reviewer approves them.",
    ]
    message.set_content("\n".join(body) + "\n")
    with smtplib.SMTP(mailer.host, mailer.port, timeout=mailer.timeout) as smtp:
        smtp.send_message(message)


def _raised_keys(session: Session) -> set[tuple]:
    rows = session.execute(
        select(AlertSent.officer_id, AlertSent.topic, AlertSent.deadline, AlertSent.mark)
    )
    return {tuple(r) for r in rows}
