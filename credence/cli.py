"""The ``credence`` command line: parses arguments, opens sessions, calls one service each."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory, session_scope
from extractors.errors import CredenceError

log = logging.getLogger("credence")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_UNAVAILABLE = 3


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``credence`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose)
    if not hasattr(args, "handler"):
        parser.print_help()
        return EXIT_USAGE
    with cli_exception_handler() as outcome:
        outcome.code = args.handler(args, load_settings())
    return outcome.code


def run() -> None:
    """The ``credence`` executable: :func:`main`, then exit without the final collections.

    At exit the interpreter's garbage collector walks every object the command built or
    imported (spaCy's vocabulary, the reader's tables, SQLAlchemy's): ~0.5 s of every
    command, 0.65 s of a `credence ingest` on this machine (issue 13). Frozen, they are left
    to the operating system. Exit handlers and buffered output still run as usual; only
    objects in reference cycles are not finalised one by one, and none of ours holds
    anything the operating system does not release (committed data is on disk already).
    """
    code = main()
    gc.freeze()
    sys.exit(code)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Import with the cyclic garbage collector off: importing the reader (spaCy,
    SQLAlchemy, OpenCV) makes hundreds of thousands of objects, none of them garbage, and
    the collections they set off cost ~0.2 s of a `credence ingest` start (issue 13)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Outcome:
    code = EXIT_OK


class cli_exception_handler:  # noqa: N801 - used as a context manager, named for what it does
    """Map every exception a command can raise to a message and an exit code, in one place."""

    def __enter__(self) -> _Outcome:
        self.outcome = _Outcome()
        return self.outcome

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc is None:
            return False
        from sqlalchemy.exc import OperationalError, ProgrammingError

        from ingestion.errors import UsageError

        if isinstance(exc, UsageError):
            print(f"credence: {exc}", file=sys.stderr)
            self.outcome.code = EXIT_USAGE
        elif isinstance(exc, CredenceError):
            print(f"credence: {exc}", file=sys.stderr)
            self.outcome.code = EXIT_ERROR
        elif isinstance(exc, OperationalError | ProgrammingError) and _no_schema(exc):
            print("credence: the database has no Credence schema yet: run `credence init`",
                  file=sys.stderr)
            self.outcome.code = EXIT_USAGE
        elif isinstance(exc, OperationalError):
            url = _configured_url("database_url")
            print(f"credence: database unavailable at {url}: {_first_line(exc.orig)}",
                  file=sys.stderr)
            self.outcome.code = EXIT_UNAVAILABLE
        elif _is_redis_connection_error(exc):
            url = _configured_url("redis_url")
            print(f"credence: Redis unavailable at {url}: {_first_line(exc)}", file=sys.stderr)
            self.outcome.code = EXIT_UNAVAILABLE
        elif isinstance(exc, FileNotFoundError):
            print(f"credence: no such file: {exc.filename}", file=sys.stderr)
            self.outcome.code = EXIT_USAGE
        elif isinstance(exc, BrokenPipeError):
            # `credence records export | head`: the reader has what it wanted. Point stdout
            # at devnull so the interpreter's last flush does not fail again (Python's
            # documented recipe for SIGPIPE).
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            self.outcome.code = EXIT_OK
        elif isinstance(exc, KeyboardInterrupt):
            print("credence: interrupted", file=sys.stderr)
            self.outcome.code = 130
        else:
            return False
        return True


def _is_redis_connection_error(exc: BaseException) -> bool:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(exc, RedisConnectionError | RedisTimeoutError)


def _configured_url(name: str) -> str:
    """The URL a failing connection used, password hidden (settings are read again here)."""
    try:
        return _safe_url(getattr(load_settings(), name) or "(unset)")
    except Exception:  # a malformed URL must not hide the original error
        return "(unparseable URL)"


def _first_line(error: object) -> str:
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _no_schema(exc: Exception) -> bool:
    message = str(getattr(exc, "orig", exc))
    return "no such table" in message or ("relation" in message and "does not exist" in message)


def configure_logging(verbose: int) -> None:
    """Log to stderr: warnings by default, info with -v, debug with -vv."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from ingestion.logcontext import install_document_filter

    # The document id on every line, on our stderr handler only (not on a host's handlers).
    install_document_filter(
        [h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler]
    )


def _sessions(settings: Settings):
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_session_factory(make_engine(settings.database_url))


# -- commands ---------------------------------------------------------------------------


def cmd_init(args, settings: Settings) -> int:
    from credence.schema import upgrade_schema

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_schema(settings.database_url)
    print(f"schema is up to date ({_safe_url(settings.database_url)})")
    return EXIT_OK


def _import_command(kind: str) -> Callable:
    def run(args, settings: Settings) -> int:
        from course_catalog import importers

        importer = getattr(importers, f"import_{kind}")
        with session_scope(_sessions(settings)) as session:
            report = importer(session, Path(args.file))
        for line in report.format_lines():
            print(line)
        # A file rejected as a whole loaded nothing: say so in the exit code too. Rejected
        # rows are reported above while the good rows load, which is not a failure.
        return EXIT_ERROR if report.file_rejected else EXIT_OK

    return run


def cmd_ingest(args, settings: Settings) -> int:
    with _collector_paused():  # the reader's modules: ~1.5 s to import
        from ingestion.runner import make_runner
        from ingestion.service import ingest_paths, resume_orphans

    if not args.paths and not args.retry_failed:
        print("credence ingest: give PATH... to read, or --retry-failed", file=sys.stderr)
        return EXIT_USAGE
    if args.workers:
        settings = dataclasses.replace(settings, workers=args.workers)
    sessions = _sessions(settings)
    runner = make_runner(settings)
    if not settings.redis_url:  # with Redis, `credence status --recover` does this
        resumed = resume_orphans(sessions, settings, runner)
        if resumed:
            print(f"resumed {len(resumed)} document(s) an earlier run left unfinished:")
            for doc in resumed:
                print(_document_line(doc))
    if args.retry_failed:
        from ingestion.service import retry_failed

        again = retry_failed(sessions, settings, runner)
        print(f"read again {len(again)} document(s) whose reading had failed:")
        for doc in again:
            print(_document_line(doc))
    if not args.paths:
        return EXIT_OK
    result = ingest_paths(sessions, settings, runner, [Path(p) for p in args.paths],
                          agency=args.agency)
    for doc in result.documents:
        print(_document_line(doc))
    docs, records = result.document_counts(), result.record_counts()
    print(
        f"batch {result.batch_id}: {len(result.documents)} documents "
        f"({docs.get('done', 0)} read, {docs.get('copy', 0)} copies, "
        f"{docs.get('failed', 0)} failed); "
        f"{sum(records.values())} records ({records.get('verified', 0)} verified, "
        f"{records.get('needs_review', 0)} needs review, {records.get('duplicate', 0)} duplicate)"
    )
    return EXIT_OK


def _document_line(doc) -> str:
    if doc.status == "failed":
        return f"FAILED    {doc.source_filename}: {doc.error}"
    if doc.status == "copy":
        return f"COPY      {doc.source_filename}: identical to an earlier upload ({doc.copy_of})"
    counts = {s: doc.record_statuses.count(s) for s in dict.fromkeys(doc.record_statuses)}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "no records"
    reasons = f" [{', '.join(doc.reasons)}]" if doc.reasons else ""
    return f"{doc.status.upper():<9} {doc.source_filename}: {summary}{reasons}"


def cmd_export(args, settings: Settings) -> int:
    from reports.records_export import export_rows, write_csv, write_jsonl, write_xlsx

    sessions = _sessions(settings)
    with sessions() as session:
        rows = export_rows(session, status=args.status)
        if args.format == "xlsx":
            if not args.output:
                print("credence: --format xlsx needs -o FILE", file=sys.stderr)
                return EXIT_USAGE
            n = write_xlsx(rows, Path(args.output))
        else:
            writer = write_jsonl if args.format == "jsonl" else write_csv
            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="") as out:
                    n = writer(rows, out)
            else:
                n = writer(rows, sys.stdout)
    if args.output:
        print(f"{n} records written to {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args, settings: Settings) -> int:
    from review_ui import create_app

    # Secure cookies need HTTPS. On the loopback interface nothing crosses the network, and
    # browsers differ on Secure cookies over http://127.0.0.1, so the flag is left off there.
    loopback = args.host in ("127.0.0.1", "localhost", "::1")
    config = {"SESSION_COOKIE_SECURE": False} if args.insecure_cookies or loopback else None
    app = create_app(settings, config)
    if args.dev:
        # Flask's development server: a debugging aid, never for real use (issue 19).
        app.run(host=args.host, port=args.port, threaded=True)
        return EXIT_OK
    from credence.serving import serve

    serve(app, settings, args.host, args.port)
    return EXIT_OK


def cmd_users_create(args, settings: Settings) -> int:
    import getpass

    from review_ui.accounts import AccountError, create_user

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"password for {args.name}: ")
        if getpass.getpass("again: ") != password:
            print("credence: the passwords differ", file=sys.stderr)
            return EXIT_USAGE
    try:
        with session_scope(_sessions(settings)) as session:
            create_user(session, args.name, password, args.role)
    except AccountError as e:
        print(f"credence: {e}", file=sys.stderr)
        return EXIT_USAGE
    print(f"user {args.name} created ({args.role})")
    return EXIT_OK


def cmd_users_unlock(args, settings: Settings) -> int:
    """Lift the login lockout of an account (and of an address with ``--address``)."""
    from review_ui.accounts import find_user
    from review_ui.throttle import make_throttle

    sessions = _sessions(settings)
    with sessions() as session:
        if find_user(session, args.name) is None:
            print(f"credence: no user {args.name!r}", file=sys.stderr)
            return EXIT_ERROR
    throttle = make_throttle(settings, sessions)
    was = throttle.unlock(args.name)
    print(f"user {args.name} unlocked" if was else f"user {args.name} was not locked")
    if args.address:
        was = throttle.unlock_address(args.address)
        print(f"address {args.address} unlocked" if was
              else f"address {args.address} was not locked")
    return EXIT_OK


DEMO_USER = "demo"


def cmd_users_demo(args, settings: Settings) -> int:
    """First run: a demo admin account, its password kept in the data folder (0600) so that
    every ``make run`` can say again how to log in; then the URL and the account."""
    import secrets

    from review_ui.accounts import create_user, find_user

    saved = settings.data_dir / "demo-account.txt"
    with session_scope(_sessions(settings)) as session:
        exists = find_user(session, DEMO_USER) is not None
        if not exists:
            password = secrets.token_urlsafe(12)
            create_user(session, DEMO_USER, password, "admin")
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            saved.write_text(password + "\n")
            saved.chmod(0o600)
            print(f"created the demo account {DEMO_USER!r} (admin)")
    url = f"http://{args.host}:{args.port}/"
    print(f"open {url} and log in as {DEMO_USER!r}", end="")
    if saved.exists():
        print(f" with the password {saved.read_text().strip()} (kept in {saved})")
    else:
        print(" (its password was changed since; reset it from another admin account)")
    print("more accounts: credence users create NAME --role clerk|reviewer|admin")
    return EXIT_OK


def cmd_worker(args, settings: Settings) -> int:
    if not settings.redis_url:
        print("credence: `credence worker` needs CREDENCE_REDIS_URL", file=sys.stderr)
        return EXIT_USAGE
    from ingestion.worker import configure_worker_logging, run_worker

    configure_worker_logging(logging.INFO if args.verbose < 2 else logging.DEBUG)
    run_worker(settings, burst=args.burst, name=args.name)
    return EXIT_OK


def cmd_status(args, settings: Settings) -> int:
    """Queue depth, workers, failed jobs, stuck documents; retry or recover on request."""
    from datetime import timedelta

    from ingestion.operations import queue_status, requeue_stuck, retry_failed
    from ingestion.queue import connect

    if args.retry_failed and not settings.redis_url:
        print("credence: status --retry-failed retries RQ jobs and needs CREDENCE_REDIS_URL; "
              "without Redis, `credence ingest --retry-failed` reads failed documents again",
              file=sys.stderr)
        return EXIT_USAGE
    if args.recover and not settings.redis_url:
        from ingestion.runner import make_runner
        from ingestion.service import resume_orphans

        resumed = resume_orphans(_sessions(settings), settings, make_runner(settings))
        print(f"resumed {len(resumed)} document(s) an ended run left unfinished")
        for doc in resumed:
            print(_document_line(doc))
    redis = connect(settings.redis_url) if settings.redis_url else None
    stuck_after = timedelta(minutes=args.stuck_after)
    with session_scope(_sessions(settings)) as session:
        if redis is not None and args.recover:
            recovered, requeued = requeue_stuck(session, redis, settings, stuck_after)
            print(f"recovered {len(recovered)} abandoned job(s); re-enqueued {len(requeued)} "
                  "stuck document(s)")
        if redis is not None and args.retry_failed:
            print(f"retrying {len(retry_failed(session, redis, settings))} failed job(s)")
    with _sessions(settings)() as session:
        status = queue_status(session, redis, settings, stuck_after)
    for line in _status_lines(status):
        print(line)
    if status.live_workers < args.require_workers:
        return EXIT_UNAVAILABLE
    return EXIT_OK


def _status_lines(status) -> list[str]:
    docs = ", ".join(f"{n} {s}" for s, n in sorted(status.documents.items())) or "none"
    lines = [f"documents: {docs}"]
    if status.redis_url is None:
        lines.append("queue: embedded mode (no CREDENCE_REDIS_URL): jobs run in-process")
    else:
        lines.append(f"queue {_safe_url(status.redis_url)}: {status.queued} queued, "
                     f"{status.running} running, {status.scheduled} waiting to retry")
        lines.append(f"workers: {status.live_workers} alive of {len(status.workers)}")
        for w in status.workers:
            beat = w.last_heartbeat.isoformat(timespec="seconds") if w.last_heartbeat else "never"
            lines.append(f"  {'ALIVE' if w.alive else 'DEAD '} {w.name} {w.hostname}:{w.pid} "
                         f"{w.state} {w.current_job or ''} last heartbeat {beat}")
        lines.append(f"failed jobs: {len(status.failed)}")
        for f in status.failed:
            lines.append(f"  {f.job_id} {f.source_filename or ''}: {f.error}")
    lines.append(f"stuck documents: {len(status.stuck)}")
    for d in status.stuck:
        held = f", held by {d.dead_holder}, which has ended" if d.dead_holder else ""
        lines.append(f"  {d.document_id} {d.source_filename}: {d.status} since "
                     f"{d.since.isoformat(timespec='seconds')} ({d.attempts} attempts{held})")
    return lines


def cmd_reminders(args, settings: Settings) -> int:
    """List (and record, and optionally e-mail) the deadline alerts not raised before."""
    from reports.reminders import Mailer, raise_reminders

    mailer = None
    if settings.smtp_host and settings.alert_to:
        mailer = Mailer(settings.smtp_host, settings.smtp_port, settings.smtp_from,
                        settings.alert_to)
    with session_scope(_sessions(settings)) as session:
        run = raise_reminders(session, args.as_of, mailer)
    for alert in run.new:
        print(alert.line())
    sent = f"; e-mailed to {', '.join(run.emailed_to)}" if run.emailed_to else ""
    print(f"{len(run.new)} new alert(s) as of {run.as_of}, {len(run.repeated)} already "
          f"raised{sent}", file=sys.stderr)
    return EXIT_OK


def cmd_report(args, settings: Settings) -> int:
    """``report compliance`` and ``report officer BADGE`` in csv, xlsx or pdf."""
    from reports import exports
    from reports.compliance import roster_compliance
    from reports.dashboard import officer_profile

    if args.format in ("xlsx", "pdf") and not args.output:
        print(f"credence: --format {args.format} needs -o FILE", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.output) if args.output else None
    with _sessions(settings)() as session:
        if args.action == "officer":
            profile = officer_profile(session, args.badge, args.as_of)
            n = _write_report(exports, "officer", args.format, out, profile)
        else:
            statuses = roster_compliance(session, args.as_of)
            n = _write_report(exports, "summary", args.format, out, statuses, args.as_of)
    if out:
        print(f"{n} rows written to {out}", file=sys.stderr)
    return EXIT_OK


def _write_report(exports, what: str, fmt: str, out: Path | None, *data) -> int:
    writer = getattr(exports, f"write_{what}_{fmt}")
    if fmt == "csv":
        if out is None:
            return writer(data[0], sys.stdout)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return writer(data[0], fh)
    if what == "officer":
        return writer(data[0], out)
    return writer(data[0], out, data[1])


def _iso_day(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# -- parser -----------------------------------------------------------------------------


_EPILOG = """\
more: credence users create|unlock NAME; credence ingest --retry-failed reads again every
document whose reading failed; credence COMMAND --help for a command's options.

a document that cannot be read is reported (credence ingest, the batch page) with one of:
  corrupt_file, encrypted_pdf, unsupported_type, empty_document, image_too_large,
  too_large (a file over CREDENCE_MAX_UPLOAD_MB), unsafe_archive_path, corrupt_archive,
  archive_too_deep, outside_folder, archive_too_large (a zip past CREDENCE_MAX_ARCHIVE_MB
  or CREDENCE_MAX_ARCHIVE_FILES), batch_too_large (an upload past CREDENCE_MAX_BATCH_MB or
  CREDENCE_MAX_BATCH_FILES), internal_error.
exit codes: 0 done, 1 failed, 2 misused, 3 database or Redis unavailable.
"""


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree (names as in ../shared/spec/contract.md)."""
    parser = argparse.ArgumentParser(prog="credence", description=__doc__, epilog=_EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    sub = parser.add_subparsers(dest="command")

    sub.add_parser("init", help="create or upgrade the schema").set_defaults(handler=cmd_init)

    for group, kind, help_ in (
        ("catalog", "courses", "approved courses (upsert on post_number)"),
        ("standards", "standards", "state requirement profiles"),
        ("roster", "officers", "officers (upsert on badge_number)"),
        ("instructors", "instructors", "instructors"),
    ):
        g = sub.add_parser(group, help=f"{group} data").add_subparsers(dest="action")
        p = g.add_parser("import", help=f"load / update {help_} from a CSV file")
        p.add_argument("file")
        p.set_defaults(handler=_import_command(kind))

    p = sub.add_parser("ingest", help="read files, folders and zips; wait; print the outcome")
    p.add_argument("paths", nargs="*")
    p.add_argument("--retry-failed", action="store_true",
                   help="first read again every document whose reading failed")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: cores)")
    p.add_argument("--agency", help="the agency the paperwork comes from (learned layouts are "
                                    "kept per agency; default: the roster's own)")
    p.set_defaults(handler=cmd_ingest)

    records = sub.add_parser("records", help="training records").add_subparsers(dest="action")
    p = records.add_parser("export", help="export every extracted record")
    p.add_argument("--format", choices=("jsonl", "csv", "xlsx"), default="jsonl")
    p.add_argument("-o", "--output")
    p.add_argument("--status", choices=("verified", "needs_review", "rejected", "duplicate"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("serve", help="run the web app (production server: waitress)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--dev", action="store_true",
                   help="Flask's development server instead (debugging only, never in use)")
    p.add_argument("--insecure-cookies", action="store_true",
                   help="session cookie without the Secure flag (plain http beyond localhost)")
    p.set_defaults(handler=cmd_serve)

    users = sub.add_parser("users", help="web accounts: create, unlock").add_subparsers(
        dest="action")
    p = users.add_parser("create", help="create a web account")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=("clerk", "reviewer", "admin"))
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    p.set_defaults(handler=cmd_users_create)
    p = users.add_parser("unlock", help="lift an account's login lockout (too many wrong "
                                        "passwords)")
    p.add_argument("name")
    p.add_argument("--address", help="also lift the lockout of this client address")
    p.set_defaults(handler=cmd_users_unlock)
    p = users.add_parser(
        "demo", help="first run: create a demo admin account (once) and print how to log in"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_users_demo)

    p = sub.add_parser("worker", help="run an RQ worker (needs CREDENCE_REDIS_URL)")
    p.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    p.add_argument("--name", help="worker name (default: rq's, unique per process)")
    p.set_defaults(handler=cmd_worker)

    p = sub.add_parser("status", help="queue depth, workers, failed jobs, stuck documents")
    p.add_argument("--retry-failed", action="store_true", help="queue every failed job again")
    p.add_argument("--recover", action="store_true",
                   help="hand dead workers' jobs back and re-enqueue stuck documents (embedded: "
                        "read the documents an ended run left unfinished, now)")
    p.add_argument("--stuck-after", type=float, default=15.0, metavar="MINUTES",
                   help="queued or processing this long with no live job is stuck (15)")
    p.add_argument("--require-workers", type=int, default=0, metavar="N",
                   help="exit 3 when fewer than N workers are alive (a health probe)")
    p.set_defaults(handler=cmd_status)

    _add_report_commands(sub)
    from credence.cli_maintenance import add_commands
    from credence.cli_review import add_commands as add_review_commands

    add_commands(sub)
    add_review_commands(sub)
    return parser


def _add_report_commands(sub) -> None:
    from datetime import date

    today = date.today()
    p = sub.add_parser("reminders", help="officers crossing the 90/60/30-day marks")
    p.add_argument("--as-of", type=_iso_day, default=today, metavar="DATE")
    p.set_defaults(handler=cmd_reminders)
    report = sub.add_parser("report", help="compliance reports").add_subparsers(dest="action")
    p_roster = report.add_parser("compliance", help="roster-wide compliance summary")
    p_officer = report.add_parser("officer", help="one officer's record (PDF: evidence packet)")
    p_officer.add_argument("badge")
    for p in (p_roster, p_officer):
        p.add_argument("--format", choices=("csv", "xlsx", "pdf"), default="csv")
        p.add_argument("-o", "--output")
        p.add_argument("--as-of", type=_iso_day, default=today, metavar="DATE")
        p.set_defaults(handler=cmd_report)


if __name__ == "__main__":
    run()
