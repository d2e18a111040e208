"""The generator's command line.

Shared by ``python -m devtools.samplegen`` and ``python -m devtools samples generate``, which
calls :func:`add_arguments` on its subparser and :func:`run` as its handler.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from devtools.samplegen.corpus import PROFILES, generate_corpus
from devtools.samplegen.degrade import ALL_CONDITIONS, CONDITIONS

#: conditions a ``variety`` corpus deals when none are given: born-digital, a good scan,
#: the three damage levels, a fax and a phone photo
VARIETY_CONDITIONS = ("clean", "good_scan", "damage1", "damage2", "damage3", "fax", "phone")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the generator's arguments to ``parser``."""
    parser.add_argument("out", help="output folder")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--count", type=int, default=40, help="number of files (default 40)")
    parser.add_argument("--conditions", default=None,
                        help=f"comma-separated scan conditions of {','.join(ALL_CONDITIONS)} "
                             f"(default: classic {','.join(CONDITIONS)}; variety "
                             f"{','.join(VARIETY_CONDITIONS)})")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="classic",
                        help="classic: the layouts the tests were written on (default); "
                             "variety: other layout families, wording, fonts and hands")
    parser.add_argument("--sheets", type=int, default=0,
                        help="also generate this many sign-in sheet documents (default 0)")
    parser.add_argument("--valid-only", action="store_true",
                        help="only valid certificates (no invalid cases, duplicates or memos)")


def build_parser() -> argparse.ArgumentParser:
    """The stand-alone parser."""
    parser = argparse.ArgumentParser(
        prog="python -m devtools.samplegen",
        description="Generate a seeded sample corpus of training certificates with ground truth.",
    )
    add_arguments(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Generate the corpus described by parsed ``args``; print a summary; return an exit code.

    Returns:
        0 on success, 2 for a bad ``--conditions`` or ``--count``.
    """
    profile = getattr(args, "profile", "classic")
    given = args.conditions or ",".join(VARIETY_CONDITIONS if profile == "variety"
                                        else CONDITIONS)
    conditions = tuple(c.strip() for c in given.split(",") if c.strip())
    unknown = sorted(set(conditions) - set(ALL_CONDITIONS))
    if unknown or not conditions or args.count < 1:
        print(f"samplegen: bad --conditions {unknown} or --count {args.count} "
              f"(conditions: {', '.join(ALL_CONDITIONS)})", file=sys.stderr)
        return 2
    started = time.perf_counter()
    out = generate_corpus(args.out, seed=args.seed, count=args.count, conditions=conditions,
                          include_invalid=not args.valid_only,
                          sheets=getattr(args, "sheets", 0), profile=profile)
    manifest = json.loads((out / "corpus.json").read_text())
    print(f"wrote {args.count} documents, {manifest['records']} truth records to {out} "
          f"in {time.perf_counter() - started:.1f} s; cases: {manifest['cases']}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m devtools.samplegen``."""
    return run(build_parser().parse_args(argv))
