"""The small ones of issue 19 (point 7), through the command line on real files.

Truncated multi-page TIFF -> ``corrupt_file``; ``ingest FOLDER`` does not follow a link out
of the folder (``outside_folder``, nothing stored); a zip nested too deep says so
(``archive_too_deep``); ``credence status`` counts documents held by a process that has
ended; a ``;``-separated CSV says the separator is wrong.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import text

from credence.cli import main
from credence.db import make_engine
from ingestion.holders import this_process


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("CREDENCE_DATA_DIR", str(data))
    monkeypatch.delenv("CREDENCE_DATABASE_URL", raising=False)
    monkeypatch.delenv("CREDENCE_REDIS_URL", raising=False)
    monkeypatch.setenv("CREDENCE_WORKERS", "1")
    assert main(["init"]) == 0
    return data


def _documents(data: Path) -> dict[str, tuple[str, str | None]]:
    engine = make_engine(f"sqlite:///{data / 'credence.db'}")
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT source_filename, status, error_code FROM documents"))
            return {name: (status, code) for name, status, code in rows}
    finally:
        engine.dispose()


def multipage_tiff(pages: int = 3) -> bytes:
    images = [Image.new("L", (600, 800), 255) for _ in range(pages)]
    for i, im in enumerate(images):
        ImageDraw.Draw(im).text((60, 60), f"page {i + 1}", fill=0)
    buf = io.BytesIO()
    images[0].save(buf, "TIFF", save_all=True, append_images=images[1:])
    return buf.getvalue()


def nested_zip(depth: int, inner: bytes) -> bytes:
    data, name = inner, "scan.pdf"
    for level in range(depth):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr(name, data)
        data, name = buf.getvalue(), f"level{level}.zip"
    return data


@pytest.mark.parametrize("fraction", [0.34, 0.5])
def test_truncated_multipage_tiff_is_corrupt_file(data, tmp_path, fraction):
    whole = multipage_tiff()
    path = tmp_path / "scans.tif"
    path.write_bytes(whole[: int(len(whole) * fraction)])
    assert main(["ingest", str(path)]) == 0
    assert _documents(data)["scans.tif"] == ("failed", "corrupt_file")


def test_ingest_does_not_follow_links_out_of_the_folder(data, tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(b"%PDF-1.4 not for the store")
    (folder / "leak.pdf").symlink_to(secret)
    (folder / "same.tif").write_bytes(multipage_tiff(1))
    (folder / "alias.tif").symlink_to(folder / "same.tif")  # inside the folder: read
    assert main(["ingest", str(folder)]) == 0
    docs = _documents(data)
    assert docs["leak.pdf"] == ("failed", "outside_folder")
    assert docs["same.tif"][1] is None and docs["alias.tif"][1] is None
    stored = [p.read_bytes() for p in (data / "originals").rglob("*") if p.is_file()]
    assert secret.read_bytes() not in stored


def test_zip_nested_too_deep_says_so(data, tmp_path):
    path = tmp_path / "deep.zip"
    path.write_bytes(nested_zip(5, b"%PDF-1.4\n"))
    assert main(["ingest", str(path)]) == 0
    codes = {code for _, code in _documents(data).values()}
    assert codes == {"archive_too_deep"}


def test_status_counts_documents_held_by_an_ended_process(data, tmp_path, capsys):
    path = tmp_path / "one.tif"
    path.write_bytes(multipage_tiff(1))
    assert main(["ingest", str(path)]) == 0
    ended = subprocess.Popen(["true"])
    ended.wait()
    holder = f"{this_process().rpartition(':')[0]}:{ended.pid}"
    engine = make_engine(f"sqlite:///{data / 'credence.db'}")
    with engine.begin() as conn:  # as a killed ingest leaves it, a moment ago
        conn.execute(text("UPDATE documents SET status = 'processing', held_by = :h"),
                     {"h": holder})
    engine.dispose()
    capsys.readouterr()
    assert main(["status"]) == 0
    out = capsys.readouterr().out
    assert "stuck documents: 1" in out and f"held by {holder}, which has ended" in out


def test_semicolon_separated_csv_names_the_separator(data, tmp_path, capsys):
    path = tmp_path / "officers.csv"
    path.write_text("badge_number;first_name;last_name;state;role\n1;Ana;Ruiz;TX;sworn\n",
                    encoding="utf-8")
    assert main(["roster", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "separated by ';', not commas" in out
    assert "required column is missing" not in out


def test_a_one_pixel_image_is_prepared_not_divided_by_zero():
    """Finding of the hostile corpus: a 1 x 1 PNG had its resolution estimated as 0 dpi."""
    from extractors.preprocess import prepare_scan, resolve_dpi

    (xdpi, ydpi), estimated = resolve_dpi((1, 1), None)
    assert estimated and xdpi >= 1 and ydpi >= 1
    prepared = prepare_scan(Image.new("L", (1, 1), 255), None, target_dpi=300,
                            max_pixels=120_000_000)
    assert prepared.image.width >= 1
