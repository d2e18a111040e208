"""The ``credence`` command line: parses arguments, opens sessions, calls one service each."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Callable
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
            print(f"credence: database unavailable: {exc.orig}", file=sys.stderr)
            self.outcome.code = EXIT_UNAVAILABLE
        elif isinstance(exc, FileNotFoundError):
            print(f"credence: no such file: {exc.filename}", file=sys.stderr)
            self.outcome.code = EXIT_USAGE
        elif isinstance(exc, KeyboardInterrupt):
            print("credence: interrupted", file=sys.stderr)
            self.outcome.code = 130
        else:
            return False
        return True


def _no_schema(exc: Exception) -> bool:
    message = str(getattr(exc, "orig", exc))
    return "no such table" in message or ("relation" in message and "does not exist" in message)


def configure_logging(verbose: int) -> None:
    """Log to stderr: warnings by default, info with -v, debug with -vv."""
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


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
    from ingestion.runner import make_runner
    from ingestion.service import ingest_paths

    if args.workers:
        settings = dataclasses.replace(settings, workers=args.workers)
    sessions = _sessions(settings)
    result = ingest_paths(sessions, settings, make_runner(settings), [Path(p) for p in args.paths])
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

    app = create_app(settings)
    app.run(host=args.host, port=args.port)
    return EXIT_OK


def cmd_worker(args, settings: Settings) -> int:
    if not settings.redis_url:
        print("credence: `credence worker` needs CREDENCE_REDIS_URL", file=sys.stderr)
        return EXIT_USAGE
    from ingestion.worker import run_worker

    run_worker(settings, burst=args.burst)
    return EXIT_OK


def cmd_samples(args, settings: Settings) -> int:
    from credence.samplegen.corpus import generate_corpus

    conditions = tuple(args.conditions.split(",")) if args.conditions else None
    kwargs = {"conditions": conditions} if conditions else {}
    out = generate_corpus(Path(args.out), seed=args.seed, count=args.count, **kwargs)
    print(f"corpus written to {out}")
    return EXIT_OK


def cmd_eval(args, settings: Settings) -> int:
    from credence.evaluation import run_evaluation

    return run_evaluation(Path(args.corpus), settings, json_out=args.json)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# -- parser -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree (names as in ../shared/spec/contract.md)."""
    parser = argparse.ArgumentParser(prog="credence", description=__doc__)
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
    p.add_argument("paths", nargs="+")
    p.add_argument("--workers", type=int, default=0, help="worker processes (default: cores)")
    p.set_defaults(handler=cmd_ingest)

    records = sub.add_parser("records", help="training records").add_subparsers(dest="action")
    p = records.add_parser("export", help="export every extracted record")
    p.add_argument("--format", choices=("jsonl", "csv", "xlsx"), default="jsonl")
    p.add_argument("-o", "--output")
    p.add_argument("--status", choices=("verified", "needs_review", "rejected", "duplicate"))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("serve", help="run the web app")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("worker", help="run an RQ worker (needs CREDENCE_REDIS_URL)")
    p.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    p.set_defaults(handler=cmd_worker)

    samples = sub.add_parser("samples", help="sample documents").add_subparsers(dest="action")
    p = samples.add_parser("generate", help="render a seeded corpus with ground truth")
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--count", type=int, default=40)
    p.add_argument("--conditions", help="comma-separated scan conditions")
    p.set_defaults(handler=cmd_samples)

    p = sub.add_parser("eval", help="ingest a generated corpus and score it against its truth")
    p.add_argument("corpus")
    p.add_argument("--json", help="also write the metrics as JSON to this file")
    p.set_defaults(handler=cmd_eval)
    return parser


if __name__ == "__main__":
    sys.exit(main())
