"""``make bench-ux``: issue 18's reviewer scenario replayed in Chromium, counted.

A reviewer resolves 10 queued records of mixed kinds (benchmarks/ux_scenario.py) with the
page's keys, candidates and one-click values. Counted: clicks, keystrokes, scrolls and the
fields the page marks to check; the keystroke-level estimate uses the issue's constants
(click 1.3 s, key 0.28 s, scroll 1.5 s, 1.35 s per field to check) and is printed beside the
issue's baseline (27 s a record). Results go to ``bench-results/bench_ux.json``.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from benchmarks.ux_scenario import (
    ARGS,
    BASELINE,
    CHROMIUM,
    KLM,
    Reviewer,
    build_corpus,
    login,
    serve,
)


def main() -> None:
    """Run the scenario once and print the figures."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        corpus = build_corpus(root)
        with serve(root, corpus, {"rev1": "reviewer"}) as srv, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            login(page, srv["url"], "rev1")
            started = time.perf_counter()
            tally = Reviewer(page).work(srv["url"], limit=10)
            wall = time.perf_counter() - started
            browser.close()
    n = tally.records
    result = {
        "records": n,
        "clicks": tally.clicks,
        "keystrokes": tally.keystrokes,
        "scrolls": tally.scrolls,
        "fields_to_check": tally.checks,
        "seconds_per_record": round(tally.per_record(), 2),
        "klm_constants": KLM,
        "baseline": BASELINE,
        "decisions": sorted(tally.decisions.values()),
        "wall_seconds_browser_and_server": round(wall, 2),
    }
    print(f"{'':24}{'issue 18 baseline':>20}{'now':>10}")
    print(f"{'records':24}{10:>20}{n:>10}")
    for key in ("clicks", "keystrokes", "scrolls"):
        print(f"{key:24}{BASELINE[key]:>20}{result[key]:>10}")
    print(f"{'fields to check':24}{'60 (6 a record)':>20}{tally.checks:>10}")
    klm = result["seconds_per_record"]
    print(f"{'KLM s per record':24}{BASELINE['seconds_per_record']:>20}{klm:>10}")
    print(f"decisions: {', '.join(result['decisions'])}")
    print(f"(browser and server wall time for the {n} records: {wall:.1f} s)")
    out = Path("bench-results")
    out.mkdir(exist_ok=True)
    (out / "bench_ux.json").write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
