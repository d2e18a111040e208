"""``python -m devtools samples generate OUT ...`` and ``python -m devtools eval CORPUS ...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from credence.config import load_settings
from devtools.samplegen import cli as samplegen_cli
from ingestion.errors import UsageError


def _eval(args: argparse.Namespace) -> int:
    from devtools.evaluation import run_evaluation

    return run_evaluation(args.corpus, load_settings(), json_out=args.json, keep=args.keep)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m devtools",
                                     description="Credence development tools (not shipped).")
    sub = parser.add_subparsers(dest="command", required=True)
    samples = sub.add_parser("samples", help="sample documents").add_subparsers(
        dest="action", required=True)
    p = samples.add_parser("generate", help="render a seeded corpus with ground truth")
    samplegen_cli.add_arguments(p)
    p.set_defaults(handler=samplegen_cli.run)
    p = sub.add_parser("eval", help="ingest a generated corpus and score it against its truth")
    p.add_argument("corpus", type=Path)
    p.add_argument("--json", help="also write the metrics as JSON to this file")
    p.add_argument("--keep", help="ingest into this (empty) folder and keep it for inspection")
    p.set_defaults(handler=_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
