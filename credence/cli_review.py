"""``credence review decide``: a reviewer's decision from the command line (contract).

The same service functions as the web review page (``verification.review``): the same rules
(approving credits only when every check then passes), the same audit events and the same
learning. Only the way the reviewer is named differs: ``--as USERNAME`` must be an active
account with the reviewer or admin role, as the web's ``review`` capability requires.
"""

from __future__ import annotations

import sys

from credence.config import Settings
from credence.db import make_engine, make_session_factory, session_scope
from extractors.errors import CredenceError

EXIT_OK = 0
# Roles that may decide on a record (the web's ``review`` capability, review_ui.web).
REVIEW_ROLES = ("reviewer", "admin")


class DecisionInputError(CredenceError):
    """The decision named an unknown record, field or user, or a malformed ``--set``."""

    code = "decision_refused"


def parse_sets(pairs: list[str] | None) -> dict[str, str | None]:
    """``FIELD=VALUE`` pairs into a dict; an empty VALUE clears the field."""
    from verification.review import EDITABLE_FIELDS, KIND_FIELD

    changes: dict[str, str | None] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise DecisionInputError(f"--set wants FIELD=VALUE, got {pair!r}")
        if name not in (*EDITABLE_FIELDS, KIND_FIELD):
            raise DecisionInputError(
                f"unknown field {name!r}; a reviewer may set: {', '.join(EDITABLE_FIELDS)}, "
                f"{KIND_FIELD} (certificate, for a page read as not a training document)"
            )
        changes[name] = value
    return changes


def _reviewer(session, username: str):
    from review_ui.accounts import find_user

    user = find_user(session, username)
    if user is None:
        raise DecisionInputError(f"no user {username!r}")
    if not user.active or user.role not in REVIEW_ROLES:
        raise DecisionInputError(
            f"user {username!r} ({user.role}{'' if user.active else ', inactive'}) may not "
            f"decide on records: a reviewer or admin must"
        )
    return user


def decide(session, record_id: str, changes: dict, *, approve: bool, reject_reason, actor: str):
    """Take one decision on the record's current version; returns the record.

    ``--reject`` with ``--set``: the values are saved as a correction first (verified again,
    so the history and the learning see them); when that correction makes the record pass
    every check there is nothing left to reject and the decision is refused.
    """
    from verification import review
    from verification.models import RecordStatus, TrainingRecord

    record = session.get(TrainingRecord, record_id)
    if record is None:
        raise DecisionInputError(f"no record {record_id!r}")
    if approve:
        return review.approve_record(
            session, record, changes, actor=actor, expected_version=record.version
        )
    if changes:
        review.correct_record(session, record, changes, actor=actor,
                              expected_version=record.version)
        if record.status != RecordStatus.NEEDS_REVIEW:
            raise review.ReviewError(
                f"with these corrections record {record_id} is {record.status}: "
                "nothing to reject (approve it instead)"
            )
    return review.reject_record(
        session, record, actor=actor, expected_version=record.version, reason=reject_reason
    )


def cmd_review_decide(args, settings: Settings) -> int:
    """Approve or reject one record as the named reviewer; exit 1 with the reason if refused."""
    changes = parse_sets(args.set)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            user = _reviewer(session, args.as_user)
            record = decide(session, args.record_id, changes, approve=args.approve,
                            reject_reason=args.reject, actor=user.username)
            line = f"record {record.id}: {record.status}"
            if record.reasons:
                line += f" ({', '.join(record.reasons)})"
    finally:
        engine.dispose()
    print(line, file=sys.stdout)
    return EXIT_OK


def add_commands(sub) -> None:
    """Register ``review decide`` on the ``credence`` sub-parser."""
    review = sub.add_parser("review", help="reviewer decisions").add_subparsers(dest="action")
    p = review.add_parser(
        "decide",
        help="approve or reject a record as a reviewer (same rules, history and learning as "
             "the web review)",
    )
    p.add_argument("record_id")
    p.add_argument("--set", action="append", metavar="FIELD=VALUE",
                   help="correct a field first (repeatable; empty VALUE clears it); "
                        "document_kind=certificate: a page read as not a training document "
                        "is a certificate")
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--approve", action="store_true",
                      help="confirm the fields; credited only when every check then passes")
    what.add_argument("--reject", metavar="REASON", help="reject the record with a reason")
    p.add_argument("--as", dest="as_user", required=True, metavar="USERNAME",
                   help="an active account with the reviewer or admin role")
    p.set_defaults(handler=cmd_review_decide)
