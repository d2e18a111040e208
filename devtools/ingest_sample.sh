#!/usr/bin/env bash
# Ingest some documents of a generated corpus into a fresh data folder, with the corpus's own
# reference data, and print what was exported: the way to reproduce one reader failure seen
# in `python -m devtools eval` (e.g. of `make eval-variety`).
#   devtools/ingest_sample.sh eval-variety/corpus clean/doc_0030.pdf fax/faxsheet_0010.pdf
# Run from the project root (uses .venv/bin/credence); the data folder is left in /tmp.
set -euo pipefail
corpus=$1; shift
export CREDENCE_DATA_DIR=$(mktemp -d /tmp/credence-sample.XXXX)
unset CREDENCE_DATABASE_URL CREDENCE_REDIS_URL
ref=$corpus/reference
.venv/bin/credence init >/dev/null
.venv/bin/credence catalog import "$ref/courses.csv" >/dev/null
.venv/bin/credence standards import "$ref/standards.csv" >/dev/null
.venv/bin/credence roster import "$ref/officers.csv" >/dev/null
.venv/bin/credence instructors import "$ref/instructors.csv" >/dev/null
.venv/bin/credence ingest "${@/#/$corpus/docs/}" | tail -n 1
.venv/bin/credence records export --format jsonl | .venv/bin/python -c '
import json, sys
keys = ("document_kind", "officer_name", "badge_number", "training_date", "hours",
        "post_number", "course_title", "instructor_name", "location", "signed")
for line in sys.stdin:
    r = json.loads(line)
    print(r["source_filename"], "p%d" % r["page"], r["status"], r["reasons"],
          {k: r[k] for k in keys if r[k] is not None})'
echo "data folder: $CREDENCE_DATA_DIR"
