"""The one wrapper around tesseract (OCRmyPDF ``_exec/tesseract.py``).

Every tesseract run in Credence goes through this module. Word reading (:func:`ocr_words`)
uses tesseract's C API through ``tesserocr`` when it is installed (``CREDENCE_OCR_ENGINE``
``api``, the default then): one engine per process and thread, loaded once and kept warm, is
given the page's pixels as they are (no file written, no image re-encoded). A tesseract
process pays ~80-150 ms to start and load its model on every run, and a scanned page is read
two or three times (the page, then a few values or cells again): issue 13 measured 23 % of a
scanned batch's time in such second readings. Its output is tesseract's own TSV, the same
as the command's word for word and box for box (``tests/test_tesseract.py``). Without
tesserocr (or with ``CREDENCE_OCR_ENGINE=cli``), a tesseract process is run by way of
pytesseract; orientation detection likewise (the warm ``osd`` engine, else a process). Each
tesseract process gets ``OMP_THREAD_LIMIT=1`` (set in this process's environment, which
pytesseract's child inherits): tesseract's OpenMP threads cost more than they give on a page
(see ``spec/measured.md``); parallelism comes from running one process per core instead.

pytesseract is always handed a *path*: given a PIL image it would write its own temporary
PNG (~60 ms per 300-dpi page), while a path passes straight through to tesseract. The caller
writes an uncompressed TIFF into its work folder (:func:`write_ocr_input`, ~10 ms). pytesseract
drops tesseract's stderr when the run succeeds, so only failures carry tesseract's message.

Known harmless outcomes (a blank page, a timeout) give an empty :class:`OcrResult` with a
warning; anything else raises :class:`~extractors.errors.OcrFailedError`.
"""

from __future__ import annotations

import functools
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import pytesseract
from PIL import Image

from extractors import timing
from extractors.errors import OcrFailedError
from extractors.pixels import pixel_bytes
from extractors.types import BBox, Word, px_to_pt

# One OpenMP thread per tesseract, in tesseract processes and in this one; an operator's
# explicit setting wins. It must be in the environment before tesserocr is imported: libgomp
# (which libtesseract links) reads it once, when it is loaded. Set after the import it was
# ignored in this process, so the warm engine ran up to 4 OpenMP threads (LSTM gates); a
# process that had read a page and then forked a batch left each child libgomp's thread team
# without its threads, and the child's first page waited on them for ever.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

try:  # built against libtesseract (scripts/setup.sh); without it, tesseract processes
    import tesserocr
except ImportError:  # pragma: no cover - depends on the machine
    tesserocr = None

log = logging.getLogger(__name__)

#: ``api``: tesseract's C API kept warm in the process (tesserocr); ``cli``: a process per run.
ENGINE = os.environ.get("CREDENCE_OCR_ENGINE", "api" if tesserocr is not None else "cli")

#: The tesseract executable; override with ``CREDENCE_TESSERACT`` (a path) if it is not on PATH.
TESSERACT = os.environ.get("CREDENCE_TESSERACT", "tesseract")
pytesseract.pytesseract.tesseract_cmd = TESSERACT


#: Page segmentation modes that read one block, line or word: a region re-read.
_REGION_PSMS = frozenset({6, 7, 8, 13})


@dataclass(frozen=True)
class OcrResult:
    """Words tesseract read on one image.

    Attributes:
        words: boxes in PDF points (pixels converted with the image DPI), top-left origin;
            ``line_id`` numbers tesseract's (block, paragraph, line) triples in reading order.
        width, height: the image size in points.
        dpi: the resolution the boxes were converted with.
        mean_confidence: mean word confidence 0..1, ``None`` when no word was read.
        warnings: harmless outcomes (timeout, nothing read).
        seconds: wall time of the tesseract run.
        timed_out: the run was abandoned after the timeout (``width``/``height`` are 0).
    """

    words: tuple[Word, ...]
    width: float
    height: float
    dpi: float
    mean_confidence: float | None
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    timed_out: bool = False


def ocr_words(
    image_or_path: Image.Image | str | Path,
    dpi: float,
    *,
    timeout: float,
    lang: str = "eng",
    psm: int | None = None,
    purpose: str = "",
    invert: bool = True,
) -> OcrResult:
    """Read the words on one page image with their boxes and confidences.

    Args:
        image_or_path: a PIL image, or the path of an image file tesseract can read. Pass a
            path to an uncompressed file (TIFF) you wrote yourself: it is the fastest input.
        dpi: the image resolution; boxes are converted to points with it.
        timeout: seconds before the run is abandoned (an empty result with a warning).
        lang: tesseract language(s), e.g. ``"eng"`` or ``"eng+spa"``.
        psm: page segmentation mode; ``None`` keeps tesseract's default (3).
        purpose: why this run (``"ocr"``, ``"ocr90"``, ``"ruled table"``), for the
            per-stage timing (:mod:`extractors.timing`): a line or word mode (``psm`` 6-8,
            13) is a region re-read, anything else a full-page reading.
        invert: read the lines tesseract is unsure of again from an inverted copy (its
            default, for white type on a dark fill); ``False`` where the image has no such
            fill (:mod:`extractors.inverted`), which saves the retry's cost.

    Raises:
        OcrFailedError: tesseract is missing, crashed or could not load the language.
    """
    started = time.perf_counter()
    kind = "region" if psm in _REGION_PSMS else "page"
    if uses_warm_engine():
        with timing.tesseract_run(kind, purpose):
            out = _recognize(image_or_path, dpi, lang, psm, timeout, invert)
        if out is None:
            log.warning("[tesseract] timed out after %ss", timeout)
            warning = f"ocr timed out after {timeout:g} s"
            return OcrResult((), 0.0, 0.0, dpi, None, (warning,), timeout, timed_out=True)
    else:
        out = _run_command(image_or_path, dpi, lang, psm, timeout, kind, purpose, invert)
        if out is None:
            warning = f"ocr timed out after {timeout:g} s"
            return OcrResult((), 0.0, 0.0, dpi, None, (warning,), timeout, timed_out=True)
    result = _parse_tsv(out, dpi)
    warnings = () if result.words else ("no text found by ocr",)
    return replace(result, warnings=warnings, seconds=time.perf_counter() - started)


def _run_command(image_or_path: Image.Image | str | Path, dpi: float, lang: str,
                 psm: int | None, timeout: float, kind: str, purpose: str,
                 invert: bool = True) -> str | None:
    """Tesseract's TSV from a tesseract process; ``None`` on a timeout."""
    config = f"--dpi {round(dpi)}" + (f" --psm {psm}" if psm is not None else "")
    if not invert:
        config += " -c tessedit_do_invert=0"
    with timing.tesseract_run(kind, purpose), _as_path(image_or_path) as path:
        try:
            return _call(pytesseract.image_to_data, str(path), lang=lang, config=config,
                         timeout=timeout)
        except _Timeout:
            log.warning("[tesseract] timed out after %ss on %s", timeout, path)
            return None


#: Warm engines by (thread, languages). A forked process keeps its parent's (memory only:
#: the model, no open file or thread), so a worker that warmed one before forking hands it to
#: every job; OMP_THREAD_LIMIT=1 (above) means no OpenMP thread exists to be lost in a fork.
_ENGINES: dict[tuple[int, int, str], object] = {}
#: Engines loaded on purpose before forking (:func:`warm_engine`, an RQ worker between jobs):
#: a forked child may adopt these. An engine a process made while reading (any thread) is
#: never adopted: forked while it was in use, its lock is inherited held and the child's
#: first page waits for ever (a batch forked by a process that had read pages itself hung).
_WARM: dict[str, object] = {}


def fork_safe() -> bool:
    """Whether a fork of this process can read pages: no OpenMP thread team can exist in it.

    libgomp keeps its team of threads between parallel regions; a fork copies the team's
    bookkeeping but not its threads, and the child's first parallel region (tesseract's
    LSTM) waits for them for ever. With a thread limit of 1 there is never a team. False
    when libgomp was loaded before ``OMP_THREAD_LIMIT`` was set, or an operator set it
    above 1.
    """
    return _openmp_thread_limit() <= 1


def _openmp_thread_limit() -> int:
    """libgomp's thread limit in this process; 1 when libgomp is not loaded here."""
    import ctypes

    try:
        gomp = ctypes.CDLL("libgomp.so.1", mode=os.RTLD_NOLOAD)
    except (OSError, AttributeError):  # not loaded (no tesserocr), or not Linux
        return 1
    return int(gomp.omp_get_thread_limit())


def uses_warm_engine() -> bool:
    """Whether :func:`ocr_words` reads in this process (an image needs no file written)."""
    return ENGINE == "api" and tesserocr is not None


def warm_engine(lang: str = "eng") -> None:
    """Load the tesseract engine for ``lang`` in this thread now (a worker before it forks)."""
    if uses_warm_engine():
        _WARM[lang] = _engine(lang)


def _engine(lang: str):
    key = (os.getpid(), threading.get_ident(), lang)
    api = _ENGINES.get(key)
    if api is None and threading.current_thread() is threading.main_thread():
        api = _WARM.get(lang)
    if api is None:
        try:
            api = tesserocr.PyTessBaseAPI(lang=lang)
        except RuntimeError as e:
            raise OcrFailedError(f"tesseract could not load language {lang!r}: {e}") from e
        # The command's chatter ("Empty page!!", leptonica's "Error in boxClipToRectangle")
        # was captured by pytesseract; in this process it would reach the worker's stderr.
        api.SetVariable("debug_file", os.devnull)
        _quiet_leptonica()
        _ENGINES[key] = api
    return api


@functools.cache
def _quiet_leptonica() -> None:
    """Silence leptonica's messages in this process (``setMsgSeverity(L_SEVERITY_NONE)``)."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica")
    try:
        ctypes.CDLL(name or "liblept.so.5").setMsgSeverity(6)
    except (OSError, AttributeError):  # another build: its messages stay on stderr
        log.debug("[tesseract] could not quiet leptonica's messages")


def _recognize(image_or_path: Image.Image | str | Path, dpi: float, lang: str,
               psm: int | None, timeout: float, invert: bool = True) -> str | None:
    """Tesseract's TSV (header line first) from the warm engine; ``None`` on a timeout.

    The settings are the command's: ``--dpi`` is tesseract's ``user_defined_dpi``.
    """
    api = _engine(lang)
    image = image_or_path if isinstance(image_or_path, Image.Image) else _open(image_or_path)
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB" if "A" in image.mode or image.mode == "P" else "L")
    depth = 1 if image.mode == "L" else 3
    pixels = pixel_bytes(image)  # held until the run ends (tesseract may not copy it)
    try:
        api.SetPageSegMode(tesserocr.PSM.AUTO if psm is None else psm)
        api.SetVariable("user_defined_dpi", str(round(dpi)))
        api.SetVariable("tessedit_do_invert", "1" if invert else "0")
        api.SetImageBytes(pixels, image.width, image.height, depth, depth * image.width)
        if not api.Recognize(timeout=round(timeout * 1000)):
            return None
        return _TSV_HEADER + api.GetTSVText(0)
    except RuntimeError as e:
        raise OcrFailedError(f"tesseract failed: {e}") from e
    finally:
        api.Clear()  # the page's image and results; the model stays


def _open(path: str | Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            image.load()
            return image
    except OSError as e:
        raise OcrFailedError(f"could not open the image for tesseract: {e}") from e


_TSV_HEADER = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
               "\theight\tconf\ttext\n")


def detect_orientation(
    image_or_path: Image.Image | str | Path,
    *,
    timeout: float,
    dpi: float | None = None,
    min_confidence: float = 1.0,
) -> int | None:
    """Ask tesseract's OSD how far the page must turn clockwise to be upright.

    OSD on a full 300-dpi page costs more than reading it; pass a ~1/3-size image
    (and its ``dpi``). The warm engine's OSD (tesseract's ``osd`` model, loaded once per
    process) answers what ``tesseract --psm 0`` prints, confidence rounded as it prints it;
    a tesseract process costs ~0.5 s more a run, mostly starting and loading both models.
    The warm run has no timeout of its own: OSD reads a few dozen characters of a small copy.

    Returns:
        0, 90, 180 or 270 degrees clockwise; ``None`` when OSD cannot tell (too few
        characters, confidence below ``min_confidence``, or a timeout).
    """
    with timing.tesseract_run("osd"):
        if uses_warm_engine():
            found = _detect_warm(image_or_path, dpi)
        else:
            found = _detect_command(image_or_path, dpi, timeout)
    if found is None:
        return None
    rotate, confidence = found
    log.debug("[tesseract] osd: rotate %s, confidence %.2f", rotate, confidence)
    return rotate % 360 if confidence >= min_confidence else None


def _detect_warm(image_or_path: Image.Image | str | Path,
                 dpi: float | None) -> tuple[int, float] | None:
    """(clockwise turn, confidence) from the warm OSD engine; ``None`` when it cannot tell."""
    api = _engine("osd")
    image = image_or_path if isinstance(image_or_path, Image.Image) else _open(image_or_path)
    if image.mode != "L":
        image = image.convert("L")
    pixels = pixel_bytes(image)  # held until the run ends (tesseract may not copy it)
    try:
        api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
        api.SetVariable("user_defined_dpi", str(round(dpi)) if dpi else "0")
        api.SetImageBytes(pixels, image.width, image.height, 1, image.width)
        found = api.DetectOrientationScript()
    except RuntimeError as e:
        raise OcrFailedError(f"tesseract orientation detection failed: {e}") from e
    finally:
        api.Clear()
    if not found:
        log.debug("[tesseract] osd: Too few characters. Skipping this page")
        return None
    # The command prints "Rotate: (360 - orientation) % 360" and the confidence to 2 places.
    return (360 - found["orient_deg"]) % 360, round(found["orient_conf"], 2)


def _detect_command(image_or_path: Image.Image | str | Path, dpi: float | None,
                    timeout: float) -> tuple[int, float] | None:
    """(clockwise turn, confidence) from ``tesseract --psm 0``; ``None`` when it cannot tell."""
    config = "--psm 0" + (f" --dpi {round(dpi)}" if dpi else "")
    with _as_path(image_or_path) as path:
        try:
            out = _call(pytesseract.image_to_osd, str(path), config=config, timeout=timeout,
                        harmless=("Too few characters",))
        except _Timeout:
            log.warning("[tesseract] orientation detection timed out after %ss", timeout)
            return None
    fields = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    try:
        return int(fields["Rotate"].strip()), float(fields["Orientation confidence"].strip())
    except (KeyError, ValueError):
        return None  # "Too few characters. Skipping this page"


@functools.cache
def tesseract_version() -> str:
    """The tesseract version string, e.g. ``"5.3.0"``.

    Raises:
        OcrFailedError: tesseract is not installed.
    """
    return str(_call(pytesseract.get_tesseract_version))


class _Timeout(Exception):
    """pytesseract gave up on a run after its timeout."""


def _call(function, *args, harmless: tuple[str, ...] = (), **kwargs) -> str:
    """Run one pytesseract function, translating its failures once (STYLE rule 3).

    A failure whose message contains one of ``harmless`` returns an empty string (e.g. OSD
    on a page with too few characters); a timeout raises :class:`_Timeout`.
    """
    try:
        return function(*args, **kwargs)
    except pytesseract.TesseractNotFoundError as e:
        raise OcrFailedError(f"tesseract is not installed ({TESSERACT!r} not found)") from e
    except pytesseract.TesseractError as e:
        message = str(e.message).strip()
        for line in message.splitlines():
            log.debug("[tesseract] %s", line)
        if any(h in message for h in harmless):
            return ""
        tail = " / ".join(message.splitlines()[-3:]) or "no message"
        raise OcrFailedError(
            f"tesseract exited with status {e.status}: {tail}", returncode=e.status, stderr=message
        ) from e
    except RuntimeError as e:
        if "timeout" in str(e).lower():
            raise _Timeout(str(e)) from e
        raise OcrFailedError(f"could not run tesseract: {e}") from e
    except OSError as e:
        raise OcrFailedError(f"could not run tesseract: {e}") from e


class _as_path:
    """Context manager: a path as is, or a PIL image written to a temporary TIFF."""

    def __init__(self, image_or_path: Image.Image | str | Path) -> None:
        self._source = image_or_path
        self._tmp: tempfile.TemporaryDirectory[str] | None = None

    def __enter__(self) -> Path:
        if not isinstance(self._source, Image.Image):
            return Path(self._source)
        self._tmp = tempfile.TemporaryDirectory(prefix="credence-ocr-")
        path = Path(self._tmp.name) / "page.tif"
        write_ocr_input(self._source, path)
        return path

    def __exit__(self, *exc: object) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()


def write_ocr_input(image: Image.Image, path: Path) -> Path:
    """Write ``image`` as the cheapest file tesseract can read: an uncompressed TIFF.

    It costs ~10 ms to write for a 300-dpi page where PNG costs 60-300 ms, and tesseract
    (leptonica) reads it as fast as PNG. PGM, just as cheap to write, costs tesseract
    0.15-0.2 s more per page to read (leptonica's PNM reader; measured on this machine:
    0.84 s vs 1.01 s for a certificate page). The path's suffix becomes ``.tif``.
    """
    if image.mode not in ("1", "L", "RGB"):
        image = image.convert("RGB" if "A" in image.mode or image.mode == "P" else "L")
    path = path.with_suffix(".tif")
    image.save(path, format="TIFF", compression=None)
    return path


def _parse_tsv(tsv: str, dpi: float) -> OcrResult:
    """Turn tesseract's TSV into words in points."""
    words: list[Word] = []
    line_ids: dict[tuple[str, str, str], int] = {}
    width = height = 0.0
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        if cols[0] == "1":
            width, height = px_to_pt(float(cols[8]), dpi), px_to_pt(float(cols[9]), dpi)
            continue
        text = cols[11].strip()
        if cols[0] != "5" or not text:
            continue
        left, top, w, h = (int(c) for c in cols[6:10])
        conf = float(cols[10])
        confidence = None if conf < 0 else min(conf / 100.0, 1.0)
        if confidence is not None:
            confs.append(confidence)
        line_id = line_ids.setdefault((cols[2], cols[3], cols[4]), len(line_ids))
        box = BBox(
            px_to_pt(left, dpi), px_to_pt(top, dpi), px_to_pt(left + w, dpi), px_to_pt(top + h, dpi)
        )
        words.append(Word(text, box, confidence, line_id))
    mean = sum(confs) / len(confs) if confs else None
    return OcrResult(tuple(words), width, height, dpi, mean)
