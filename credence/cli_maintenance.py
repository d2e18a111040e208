"""The operator's commands of the ``credence`` command line: audit, store, backup, restore.

Kept beside ``credence.cli`` (which registers them) so the day-to-day commands stay short.
Each handler opens what it needs, calls one service and maps the outcome to an exit code.
"""

from __future__ import annotations

from pathlib import Path

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


def cmd_verify_store(args, settings: Settings) -> int:
    """Every original against its digest; exit 1 when one is missing or altered."""
    from datetime import timedelta

    from ingestion.integrity import source_names, verify_store
    from ingestion.storage import BlobStore

    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            report = verify_store(session, BlobStore(settings.blob_dir),
                                  remove_orphans=args.remove_orphans,
                                  grace=timedelta(minutes=args.grace_minutes))
            problems = [(kind, sha, source_names(session, sha))
                        for kind, shas in (("missing", report.missing),
                                           ("altered", report.altered))
                        for sha in shas]
    finally:
        engine.dispose()
    print(f"store: {report.checked} originals checked, {len(report.missing)} missing, "
          f"{len(report.altered)} altered, {len(report.orphans)} orphaned"
          + (f" ({len(report.removed)} removed)" if args.remove_orphans else ""))
    for kind, sha, names in problems:
        print(f"  {kind} {sha} {'; '.join(names)}")
    for path in report.orphans:
        print(f"  orphan {path}" + (" (removed)" if path in report.removed else ""))
    if not report.intact:
        print("store: re-ingest the right file to repair an altered or missing original")
    return EXIT_OK if report.intact else EXIT_ERROR


def cmd_backup(args, settings: Settings) -> int:
    """The database and the stored files into a new folder."""
    from credence.backup import backup

    result = backup(settings, Path(args.dest), use_pg_dump=not args.no_pg_dump)
    print(f"backup: {result.dest} (database: {result.method}; {result.files} files)")
    return EXIT_OK


def cmd_restore(args, settings: Settings) -> int:
    """A backup into the empty data folder and database of the settings."""
    from credence.backup import restore

    result = restore(settings, Path(args.src))
    print(f"restored {result.dest} into {settings.data_dir} (database: {result.method}; "
          f"{result.files} files)")
    return EXIT_OK


def add_commands(sub) -> None:
    """Register the maintenance commands on the ``credence`` sub-parser."""
    audit = sub.add_parser("audit", help="the record history (audit log)").add_subparsers(
        dest="action")
    p = audit.add_parser("verify", help="check the audit log's hash chain")
    p.set_defaults(handler=cmd_audit_verify)
    p = sub.add_parser("verify-store", help="check every stored original against its digest")
    p.add_argument("--remove-orphans", action="store_true",
                   help="delete stored files no document names")
    p.add_argument("--grace-minutes", type=float, default=60,
                   help="leave files younger than this alone (an intake may be running)")
    p.set_defaults(handler=cmd_verify_store)
    p = sub.add_parser("backup", help="save the database and the stored files into DEST")
    p.add_argument("dest")
    p.add_argument("--no-pg-dump", action="store_true",
                   help="PostgreSQL: copy the tables through SQLAlchemy instead of pg_dump")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("restore", help="restore a backup into an empty data folder and database")
    p.add_argument("src")
    p.set_defaults(handler=cmd_restore)
