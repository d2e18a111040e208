"""Deadline alerts at the 90/60/30-day marks, once per mark, optionally by e-mail."""

from __future__ import annotations

import smtplib
import socket
from datetime import date, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from compliance_factory import add_course, add_officer, add_record, add_standard
from sqlalchemy import func, select

from credence.cli import main
from reports.models import AlertSent
from reports.reminders import Mailer, raise_reminders

DEADLINE = date(2026, 12, 31)


def _day(days_before: int) -> date:
    return DEADLINE - timedelta(days=days_before)


@pytest.fixture
def roster(session):
    """Three sworn TX officers with the 2025-2026 cycle: 2 h short, met, and dispatcher."""
    add_standard(session, min_hours=8)
    course = add_course(session, "1849")
    short = add_officer(session, "100", last="Short")
    met = add_officer(session, "200", last="Met")
    add_officer(session, "300", role="dispatcher")
    add_record(session, short, course, date(2025, 3, 1), 6)
    add_record(session, met, course, date(2025, 3, 1), 8)
    session.commit()
    return short


def _marks(run):
    return [(a.status.badge_number, a.mark) for a in run.new]


def test_each_mark_fires_once(session, roster):
    assert _marks(raise_reminders(session, _day(91))) == []
    assert _marks(raise_reminders(session, _day(90))) == [("100", 90)]
    again = raise_reminders(session, _day(89))
    assert (_marks(again), [a.mark for a in again.repeated]) == ([], [90])
    assert _marks(raise_reminders(session, _day(60))) == [("100", 60)]
    assert _marks(raise_reminders(session, _day(30))) == [("100", 30)]
    assert _marks(raise_reminders(session, _day(1))) == []
    assert _marks(raise_reminders(session, _day(-1))) == [("100", 0)]
    assert session.scalar(select(func.count()).select_from(AlertSent)) == 4


def test_first_seen_inside_thirty_days_gets_only_the_thirty_day_alert(session, roster):
    run = raise_reminders(session, _day(25))
    assert _marks(run) == [("100", 30)]
    assert run.new[0].label == "30 days"
    assert "6 of 8 h, 2 h needed" in run.new[0].line()


def test_a_new_cycle_arms_the_marks_again(session, roster):
    raise_reminders(session, _day(30))
    roster.cycle_start, roster.cycle_end = date(2027, 1, 1), date(2028, 12, 31)
    session.flush()
    run = raise_reminders(session, date(2028, 12, 31) - timedelta(days=80))
    assert [(a.mark, a.status.deadline) for a in run.new] == [(90, date(2028, 12, 31))]


@pytest.fixture
def smtp_sink():
    """A real SMTP server (aiosmtpd) on a free local port, collecting what it receives."""

    class Sink:
        def __init__(self) -> None:
            self.messages: list[tuple[str, list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
            self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))
            return "250 OK"

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield sink, controller.port
    finally:
        controller.stop()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_alerts_are_emailed_once_through_smtp(session, roster, smtp_sink):
    sink, port = smtp_sink
    mailer = Mailer("127.0.0.1", port, "credence@agency.test", ("chief@agency.test",))
    run = raise_reminders(session, _day(60), mailer)
    assert run.emailed_to == ("chief@agency.test",)
    (sender, recipients, content) = sink.messages[0]
    assert (sender, recipients) == ("credence@agency.test", ["chief@agency.test"])
    mail = message_from_bytes(content)
    assert mail["Subject"] == "Credence: 1 training deadline alert(s) as of 2026-11-01"
    body = mail.get_payload(decode=True).decode()
    assert "100        Pat Short" in body and "60 days): 6 of 8 h, 2 h needed" in body
    raise_reminders(session, _day(59), mailer)
    assert len(sink.messages) == 1  # nothing new: no second e-mail


def test_unreachable_smtp_server_keeps_nothing_so_the_next_run_retries(
    session_factory, roster, monkeypatch, db_url, capsys
):
    monkeypatch.setenv("CREDENCE_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDENCE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CREDENCE_SMTP_PORT", str(_free_port()))  # nothing listens there
    monkeypatch.setenv("CREDENCE_ALERT_TO", "chief@agency.test")
    with pytest.raises((OSError, smtplib.SMTPException)):
        main(["reminders", "--as-of", _day(60).isoformat()])
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(AlertSent)) == 0


def test_cli_reminders_with_smtp(session_factory, roster, smtp_sink, monkeypatch, db_url,
                                 capsys):
    sink, port = smtp_sink
    monkeypatch.setenv("CREDENCE_DATABASE_URL", db_url)
    monkeypatch.setenv("CREDENCE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CREDENCE_SMTP_PORT", str(port))
    monkeypatch.setenv("CREDENCE_SMTP_FROM", "credence@agency.test")
    monkeypatch.setenv("CREDENCE_ALERT_TO", "chief@agency.test, training@agency.test")
    assert main(["reminders", "--as-of", _day(30).isoformat()]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("100 ") and "30 days" in out
    assert "1 new alert(s) as of 2026-12-01" in err
    assert "e-mailed to chief@agency.test, training@agency.test" in err
    assert sink.messages[0][1] == ["chief@agency.test", "training@agency.test"]
    assert main(["reminders", "--as-of", _day(29).isoformat()]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "0 new alert(s)" in err and "1 already raised" in err
