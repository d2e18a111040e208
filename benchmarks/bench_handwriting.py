"""``make bench-handwriting``: what the second recognizer costs and gains (issue 16).

Hand-filled sheets in four handwriting fonts no corpus uses, and the same sheets typed (DejaVu
Sans), all from :mod:`devtools.samplegen.handsheets` (300-dpi scans, six attendees each), are
read through the real reader (tesseract, the cell judgement, PP-OCRv6, the choice) with
``CREDENCE_HANDWRITING`` on and off, each mode in a process of its own so its peak memory is
its own. Reported per mode, handwritten and typed rows apart: attendees identified (badge read
exactly and the name fitting, >= 80 as the roster matcher asks), seconds per sheet, against
bare ``tesseract`` (one thread) on the same files, and the process's peak resident memory.

Results are printed and written to ``bench-results/handwriting.json``. ``BENCH_SEEDS=N``
(default 2) sheets per font.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-results"
HAND = ("dkg.ttf", "Breip.ttf", "Humor-Sans.ttf", "femkeklaver.ttf")
TYPED = ("DejaVuSans.ttf",)


def _sheets(folder: Path, seeds: int) -> list[tuple[str, int, Path]]:
    """The sheets' scans, each with its truth beside it (``.json``), rendered once here so
    that the measuring processes only read: rendering alone takes a process to ~350 MB,
    which would hide the reader's own peak."""
    from devtools.samplegen.handsheets import render_hand_sheet, write_hand_sheet

    out = []
    for font in HAND + TYPED:
        for seed in range(seeds):
            path = folder / f"{font}-{seed}.png"
            if not path.exists() or not path.with_suffix(".json").exists():
                sheet = render_hand_sheet(font, seed)
                write_hand_sheet(sheet, path)
                path.with_suffix(".json").write_text(json.dumps(
                    [{"first": r.first, "last": r.last, "badge": r.badge} for r in sheet.rows]))
            out.append((font, seed, path))
    return out


def _truth(path: Path) -> list[dict]:
    return json.loads(path.with_suffix(".json").read_text())


def measure_mode(folder: Path, seeds: int) -> dict:
    """Read every sheet in this process (mode from the environment); per-kind figures."""
    from extractors.reading import ReadContext, read_document
    from extractors.signin import extract_sign_in
    from extractors.types import ReferenceHints
    from verification.matching import name_score

    stats: dict[str, dict] = {"handwritten": {"rows": 0, "identified": 0, "seconds": []},
                              "typed": {"rows": 0, "identified": 0, "seconds": []}}
    for font, _seed, path in _sheets(folder, seeds):
        truth = _truth(path)
        hints = ReferenceHints(officers=tuple((r["badge"], f"{r['first']} {r['last']}")
                                              for r in truth))
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as work:
            (page,) = list(read_document(path, ReadContext(Path(work), keep_page_images=False)))
            records = extract_sign_in(page.text, image=page.image, hints=hints).records
        kind = stats["typed" if font in TYPED else "handwritten"]
        kind["seconds"].append(time.perf_counter() - started)
        by_slot = {r.row_index: r for r in records}
        for i, row in enumerate(truth):
            rec = by_slot.get(i)
            name = rec.value("officer_name") if rec else None
            kind["rows"] += 1
            kind["identified"] += bool(rec and rec.value("badge_number") == row["badge"] and name
                                       and name_score(name, row["first"], row["last"]) >= 80)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {k: {"rows": v["rows"], "identified": v["identified"],
                "recall": round(v["identified"] / max(1, v["rows"]), 3),
                "median_seconds_per_sheet": round(statistics.median(v["seconds"]), 3)}
            for k, v in stats.items()} | {"peak_rss_mb": round(peak)}


def bare_tesseract(folder: Path, seeds: int) -> dict:
    """Median seconds of ``tesseract page -`` (one thread) per sheet, by kind."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    times: dict[str, list[float]] = {"handwritten": [], "typed": []}
    for font, _seed, path in _sheets(folder, seeds):
        started = time.perf_counter()
        subprocess.run(["tesseract", str(path), "-"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times["typed" if font in TYPED else "handwritten"].append(time.perf_counter() - started)
    return {k: round(statistics.median(v), 3) for k, v in times.items()}


def main() -> None:
    """Run both modes in processes of their own and print the comparison."""
    if len(sys.argv) > 1 and sys.argv[1] == "--mode":
        folder, seeds = Path(sys.argv[2]), int(sys.argv[3])
        print(json.dumps(measure_mode(folder, seeds)))
        return
    seeds = int(os.environ.get("BENCH_SEEDS", "2"))
    OUT.mkdir(exist_ok=True)
    folder = OUT / "handsheets"
    folder.mkdir(exist_ok=True)
    _sheets(folder, seeds)
    results: dict = {"bare_tesseract_seconds": bare_tesseract(folder, seeds)}
    for mode in ("on", "off"):
        env = {**os.environ, "CREDENCE_HANDWRITING": mode, "OMP_THREAD_LIMIT": "1"}
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_handwriting", "--mode",
                              str(folder), str(seeds)], env=env, check=True, cwd=ROOT,
                             capture_output=True, text=True)
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    bare = results["bare_tesseract_seconds"]
    print(f"{'mode':5} {'kind':12} {'identified':>11} {'recall':>7} {'s/sheet':>8} "
          f"{'x bare':>7} {'peak MB':>8}")
    for mode in ("on", "off"):
        for kind in ("handwritten", "typed"):
            r = results[mode][kind]
            print(f"{mode:5} {kind:12} {r['identified']:>5}/{r['rows']:<5} {r['recall']:>7.2f} "
                  f"{r['median_seconds_per_sheet']:>8.2f} "
                  f"{r['median_seconds_per_sheet'] / bare[kind]:>7.2f} "
                  f"{results[mode]['peak_rss_mb']:>8}")
    print(f"bare tesseract s/sheet: {bare}")
    (OUT / "handwriting.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
