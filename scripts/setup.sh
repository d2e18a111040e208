#!/usr/bin/env bash
# Set up everything Credence needs on a fresh Debian machine: OS packages, then the venv.
# Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v tesseract >/dev/null 2>&1 || need_apt+=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd)
[ -f /usr/share/tesseract-ocr/5/tessdata/osd.traineddata ] || need_apt+=(tesseract-ocr-osd)
# tesserocr (tesseract's C API, issue 13) is built from source against the system's tesseract
[ -f /usr/include/tesseract/baseapi.h ] || need_apt+=(libtesseract-dev libleptonica-dev)
command -v pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
# grep -c, not grep -q: under pipefail, grep -q closing the pipe early fails fc-list
# (SIGPIPE) and the fonts looked missing on every run
fc-list 2>/dev/null | grep -ci dejavu >/dev/null || need_apt+=(fonts-dejavu-core)
fc-list 2>/dev/null | grep -ci liberation >/dev/null || need_apt+=(fonts-liberation)
# Handwriting fonts no corpus uses: the tests of the second recognizer write sheets in them
# (devtools/samplegen/handsheets.py)
fc-list 2>/dev/null | grep -ci dkghandwriting >/dev/null || need_apt+=(fonts-dkg-handwriting)
fc-list 2>/dev/null | grep -ci breip >/dev/null || need_apt+=(fonts-breip)
fc-list 2>/dev/null | grep -ci 'humor sans' >/dev/null || need_apt+=(fonts-humor-sans)
fc-list 2>/dev/null | grep -ci femkeklaver >/dev/null || need_apt+=(fonts-femkeklaver)
# The browser test drives Debian's chromium (never `playwright install`).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium chromium-driver)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} with apt-get"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.credence-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python dependencies"
  # Some machines list local package mirrors that may be absent; pip's notes about them
  # are noise here (a real failure still fails: pipefail).
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | { grep -v "^WARNING: Location" || true; }
  # tesserocr from source: linked to the same libtesseract as the tesseract command
  PIP_NO_BINARY=tesserocr .venv/bin/python -m pip install -q -e '.[test]' 2>&1 | { grep -v "^WARNING: Location" || true; }
  touch "$stamp"
fi
# Byte-code for Credence's own packages (pip compiles the installed ones): a
# shell that sets PYTHONDONTWRITEBYTECODE (this project's CI machines do) otherwise has
# every `credence` command and worker compile the reader from source, ~0.3 s a start.
# Only out-of-date files are compiled, so a run on an unchanged tree costs ~0.2 s.
.venv/bin/python -m compileall -q -j 0 credence extractors ingestion verification \
  course_catalog reports review_ui >/dev/null
