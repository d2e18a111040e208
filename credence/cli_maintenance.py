"""The operator's commands of the ``credence`` command line: audit, store, backup, restore.

Kept beside ``credence.cli`` (which registers them) so the day-to-day commands stay short.
Each handler opens what it needs, calls one service and maps the outcome to an exit code.
"""

from __future__ import annotations

from credence.config import Settings
from credence.db import make_engine, make_session_factory

EXIT_OK = 0
EXIT_ERROR = 1


def cmd_audit_verify(args, settings: Settings) -> int:
    """Walk the audit chain; exit 1 and name the first broken link when there is one."""
    from verification.audit import verify_chain

    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            result = verify_chain(session)
    finally:
        engine.dispose()
    if result.intact:
        print(f"audit: {result.events} events, chain intact, head {result.head}")
        return EXIT_OK
    where = (f"event {result.broken_at} (record {result.record_id})"
             if result.broken_at is not None else "the chain's head")
    print(f"audit: chain broken at {where}: {result.why}; {result.events} event(s) read")
    return EXIT_ERROR


def add_commands(sub) -> None:
    """Register the maintenance commands on the ``credence`` sub-parser."""
    audit = sub.add_parser("audit", help="the record history (audit log)").add_subparsers(
        dest="action")
    p = audit.add_parser("verify", help="check the audit log's hash chain")
    p.set_defaults(handler=cmd_audit_verify)
