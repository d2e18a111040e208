# Credence: the two commands a newcomer needs are `make run` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
export CREDENCE_DATA_DIR ?= $(CURDIR)/credence-data
# the demo corpus lives in the (ignored) data folder: `make run` leaves the checkout clean
DEMO := $(CREDENCE_DATA_DIR)/demo-corpus

.PHONY: setup run demo test lint eval eval-variety eval-external bench bench-external bench-handwriting bench-layouts bench-reports bench-scale bench-ux clean

setup:
	./scripts/setup.sh

## make run: set up, load the sample reference data, ingest the sample certificates,
## print the outcome table, then serve the web app on http://127.0.0.1:8000
run: demo
	$(BIN)/credence users demo --host 127.0.0.1 --port 8000
	$(BIN)/credence serve --host 127.0.0.1 --port 8000

demo: setup
	$(BIN)/credence init
	$(BIN)/python -m devtools samples generate $(DEMO) --seed 7 --count 24 --sheets 4 --conditions clean,good_scan,skewed,fax
	$(BIN)/credence catalog import $(DEMO)/reference/courses.csv
	$(BIN)/credence standards import $(DEMO)/reference/standards.csv
	$(BIN)/credence roster import $(DEMO)/reference/officers.csv
	$(BIN)/credence instructors import $(DEMO)/reference/instructors.csv
	$(BIN)/credence ingest $(DEMO)/docs

## make test: set up from scratch, check PostgreSQL and Redis, run the whole suite
test: setup
	./scripts/check_services.sh
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest -q -n auto --durations=15

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## make eval: generate the evaluation corpus and score Credence against its truth
eval: setup
	$(BIN)/python -m devtools samples generate eval-out/corpus --seed 11 --count 240 --sheets 30
	$(BIN)/python -m devtools eval eval-out/corpus --json eval-out/metrics.json

## make eval-variety: the same scoring on the generator's variety profile (layout families,
## wording, fonts, hands and damage levels the reader was not built on; issue 12)
eval-variety: setup
	$(BIN)/python -m devtools samples generate eval-variety/corpus --seed 11 --count 140 --sheets 16 --profile variety
	$(BIN)/python -m devtools eval eval-variety/corpus --json eval-variety/metrics.json

## make eval-external: score Credence through the contract on a corpus it was not built
## against (EXTERNAL_CORPUS, default ../shared/corpora/agency-a); outputs in external-eval-out/
EXTERNAL_CORPUS ?= $(CURDIR)/../shared/corpora/agency-a
eval-external: setup
	../shared/tools/external-eval/run $(EXTERNAL_CORPUS) external-eval-out

## make bench: pipeline vs bare tesseract per scanned page, born-digital rate, memory
bench: setup
	$(BIN)/python -m benchmarks.run_bench

## make bench-external: agency-a's scanned documents through `credence ingest` vs bare tesseract
## (2 processes each), the per-stage split and tesseract runs per page; BENCH_RQ=1 also compares
## 2 RQ workers on PostgreSQL + Redis with the embedded run
bench-external: setup
	$(BIN)/python -m benchmarks.bench_external $(EXTERNAL_CORPUS) $(if $(BENCH_RQ),--rq)

## make bench-handwriting: hand-filled sheets in four handwriting fonts and the same typed,
## read with the second recognizer on and off (identified rows, time, peak memory)
bench-handwriting: setup
	$(BIN)/python -m benchmarks.bench_handwriting

## make bench-scale: production mode (RQ + PostgreSQL), 1 vs 2 workers; BENCH_PAGES=500 for the full run
bench-scale: setup
	./scripts/check_services.sh
	$(BIN)/python -m benchmarks.bench_scale

## make bench-reports: roster compliance summary (5,000 officers, 100,000 records) and a
## 20-page evidence packet
bench-reports: setup
	$(BIN)/python -m benchmarks.bench_reports

## make bench-ux: a reviewer resolves 10 queued records in Chromium; clicks, keystrokes,
## scrolls and the keystroke-level estimate per record beside issue 18's baseline
bench-ux: setup
	$(BIN)/python -m benchmarks.bench_ux

## make bench-layouts: forms new to the reader, the first copy of each decided through
## `credence review decide`, the rest ingested: straight-through before/after, false credits
bench-layouts: setup
	$(BIN)/python -m benchmarks.bench_layouts

clean:
	rm -rf $(CREDENCE_DATA_DIR) $(DEMO) eval-out bench-results
