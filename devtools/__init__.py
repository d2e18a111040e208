"""Development tools: the sample generator and the evaluation that scores the reader.

Kept out of the product package and out of the wheel (pyproject's package list does not name
it): the generator is where tests come from, not part of what an agency installs, and an
evaluation that ships and changes with the reader would grade itself. Run from a checkout:
``python -m devtools samples generate OUT`` and ``python -m devtools eval CORPUS``.
Nothing in the product imports this package (an import-linter contract checks it).
"""
