"""What ships: the wheel holds the product and its data, never the development tools.

The sample generator and the evaluation live in ``devtools/`` so that the product does not
carry, and cannot grade itself with, the code its tests come from.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_the_product_without_the_development_tools(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = tmp_path.glob("credence-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if "/" in n and ".dist-info" not in n}
    assert {"credence", "ingestion", "extractors", "verification", "review_ui",
            "course_catalog", "reports"} <= tops
    assert "devtools" not in tops
    assert not [n for n in names if "samplegen" in n or n.endswith("evaluation.py")]
    assert any(n.startswith("review_ui/templates/") for n in names)
    assert any(n.startswith("credence/migrations/versions/") for n in names)


def test_the_development_tools_run_from_a_checkout(tmp_path):
    out = tmp_path / "corpus"
    run = subprocess.run(
        [sys.executable, "-m", "devtools", "samples", "generate", str(out), "--seed", "3",
         "--count", "2", "--conditions", "clean"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "truth.jsonl").read_text().strip()
    bad = subprocess.run([sys.executable, "-m", "devtools", "eval", str(tmp_path / "none")],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode != 0
