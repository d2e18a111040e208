"""A seeded, deterministic generator of sample paperwork with ground truth.

The generator builds reference data (courses, versioned standards, a roster, an instructor
registry), plans certificate cases that each exercise one verification rule (or none, for
valid cases), renders the pages with reportlab, degrades them into scan conditions and writes
``truth.jsonl`` beside the documents. Same seed, same bytes.

Modules:
    reference: the reference data and its CSV files (contract columns).
    wording: label vocabularies and the printed forms of dates, names and hours.
    drawing: fonts, text wrapping and decorations shared by every page kind.
    certificates: certificate layouts.
    otherdocs: pages that are not training records (memo, invoice, announcement).
    rules: the contract's verification rules, re-stated to check planned cases.
    plan: choosing officers, courses, dates and instructors for each case.
    degrade: rasterising pages, scan conditions and output containers.
    corpus: ``generate_corpus``, the entry point.
"""

from __future__ import annotations

from typing import Any

__all__ = ["CONDITIONS", "LAYOUTS", "build_reference", "generate_corpus", "write_reference_csvs"]

_EXPORTS = {
    "CONDITIONS": "devtools.samplegen.degrade",
    "LAYOUTS": "devtools.samplegen.certificates",
    "build_reference": "devtools.samplegen.reference",
    "generate_corpus": "devtools.samplegen.corpus",
    "write_reference_csvs": "devtools.samplegen.reference",
}


def __getattr__(name: str) -> Any:
    """Import the public names lazily, so ``reference`` alone does not pull in numpy."""
    if name not in _EXPORTS:
        raise AttributeError(name)
    import importlib

    return getattr(importlib.import_module(_EXPORTS[name]), name)
