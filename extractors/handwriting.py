"""A second recognizer for the cells tesseract cannot read: handwritten names and badges.

Tesseract was trained on print; on a hand-filled sign-in sheet it loses most badge numbers
and many names (``../shared/spec/measured.md``, "Handwriting"). PP-OCRv6's recognition model
(the ``rapidocr`` wheel, which carries its ONNX models: nothing is downloaded, ever) reads
them far better, at about 50 ms a cell crop with one thread.

The chain, per name or badge cell of a scanned sheet's row:

1. :func:`judge_cell` decides whether the cell is *handwritten or unreadable*: it holds ink
   (after its rules are left out) and tesseract either read nothing there, read it with low
   word confidences, or read words that cover only part of the ink (a stroke statistic:
   the share of the cell's ink pixels inside tesseract's word boxes).
2. Only those cells are read again by :func:`read_cell` (recognition alone on the crop; no
   detection model is loaded).
3. Both readings are :class:`Candidate` s with their confidences. :func:`choose_person`
   picks the name and badge *jointly*: a pair that names one roster officer (the badge on
   the roster, the name fitting that officer) wins over one that does not, whichever engine
   read it; otherwise the column's type decides (a badge-like value, letters that read as a
   name), then the confidence. The engine's name never decides on its own.

The recognizer is loaded once per process (:func:`recognizer`), lazily, with one ONNX
Runtime thread (intra and inter op), as tesseract runs with one OpenMP thread: parallelism
comes from one worker process per core. ``CREDENCE_HANDWRITING=off`` switches all of this
off for the smallest installations (the reading is then tesseract's alone).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors import timing
from extractors.decimal_point import with_decimal_point
from extractors.names import HAND_ALIKE, SUFFIXES, normalise_name
from extractors.numbers import fix_digits
from extractors.pixels import crop_area
from extractors.types import BBox, Word

log = logging.getLogger(__name__)

#: The environment setting: ``on`` (default) or ``off``.
SETTING = "CREDENCE_HANDWRITING"
ENGINE = "pp-ocrv6"
#: A cell whose tesseract words all reach this confidence and cover its ink is typed.
SURE_WORD = 0.85
#: Share of the cell's ink that tesseract's words must cover for the cell to count as read.
INK_COVERED = 0.75
#: Least share of dark pixels inside a cell (rules left out) for it to hold writing.
MIN_INK = 0.004
#: Dark: a pixel below this gray level is ink.
DARK = 150
#: A name or badge fits a roster entry from this similarity (rapidfuzz, 0-100).
FITS = 85.0
#: A name reading this close to one roster officer's name (and to no other's at FITS) names
#: that officer on its own: one letter's slip in a dozen.
NAMES_ONE = 95.0
#: The confidence a badge proposed from the roster gets: under the verifier's floor for
#: values the reference data corroborates, so its record always goes to review.
PROPOSED = 0.25
#: Characters a cell's reading may hold (PP-OCR's dictionary also holds CJK characters,
#: which a name or badge on these forms never is).
_KEEP = re.compile(r"[^A-Za-z0-9À-ɏ'’.,#/ -]")


def enabled(env: dict[str, str] | None = None) -> bool:
    """Whether the second recognizer is switched on (``CREDENCE_HANDWRITING``, default on)."""
    value = (os.environ if env is None else env).get(SETTING, "on").strip().lower()
    return value not in ("off", "0", "false", "no")


# --- the recognizer ----------------------------------------------------------------------


class HandwritingUnavailableError(RuntimeError):
    """The recognizer could not be loaded (a damaged install): the reading goes on without."""


@functools.cache
def recognizer() -> Any:
    """The PP-OCRv6 recognition model, loaded once per process with one thread.

    Only the recognition model is loaded (no detection or orientation model): the crop is
    one cell. The model file is the one inside the wheel, given by path, so the library
    never reaches for the network.

    Raises:
        HandwritingUnavailableError: the package or its model is missing or broken.
    """
    started = time.perf_counter()
    _single_threaded_opencv()
    try:
        import rapidocr
        from rapidocr import RapidOCR

        model = Path(rapidocr.__file__).parent / "models" / "PP-OCRv6_rec_small.onnx"
        if not model.is_file():
            raise FileNotFoundError(model)
        engine = RapidOCR(params={
            "Global.use_det": False, "Global.use_cls": False, "Global.use_rec": True,
            "Global.log_level": "error", "Rec.model_path": str(model),
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        })
    except Exception as e:  # any failure to load: say so once, read on with tesseract
        raise HandwritingUnavailableError(f"handwriting recognizer unavailable: {e}") from e
    log.debug("[handwriting] recognizer loaded in %.2fs", time.perf_counter() - started)
    return engine


@functools.cache
def _loaded() -> Any:
    """The recognizer, or ``None`` when it cannot be loaded (said once per process, not once
    per cell)."""
    try:
        return recognizer()
    except HandwritingUnavailableError as e:
        log.warning("%s; handwritten cells are read by tesseract alone", e)
        return None


def _single_threaded_opencv() -> None:
    """OpenCV (under rapidocr) runs its own thread pool; a process forked after the pool
    ran inherits it without its threads and waits on it for ever (a batch's worker forked
    from a process that had read a sheet hung). One thread: no pool to inherit."""
    try:
        import cv2
    except ImportError:
        return
    cv2.setNumThreads(1)



def warm_up() -> bool:
    """Load the recognizer now (a worker process before its first job); False if it can't.

    The recognizer builds its model session on its first reading, not when it is made: one
    reading of a blank line here, or every job an RQ worker forks would load the model
    again (0.5-1 s each, the per-job tax of issue 13).
    """
    engine = _loaded() if enabled() else None
    if engine is None:
        return False
    blank = np.full((32, 96, 3), 255, dtype=np.uint8)
    blank[14:18, 8:88] = 0
    engine(blank, use_det=False, use_cls=False, use_rec=True)
    return True


# --- is this cell handwritten or unreadable? ---------------------------------------------


@dataclass(frozen=True)
class CellVerdict:
    """What :func:`judge_cell` made of one cell.

    Attributes:
        second_look: the cell is handwritten or unreadable: read it again.
        why: in words, for the log and the evidence.
        ink: share of dark pixels in the cell (its rules left out).
        covered: share of that ink inside tesseract's word boxes (1.0: no ink).
    """

    second_look: bool
    why: str
    ink: float = 0.0
    covered: float = 1.0


def judge_cell(image: Image.Image, dpi: float, cell: BBox, words: list[Word]) -> CellVerdict:
    """Whether a scanned cell needs the second recognizer, from tesseract's word
    confidences and the cell's ink.

    Typed cells read well are left alone (the second look costs ~50 ms): every word at
    :data:`SURE_WORD` or better and covering :data:`INK_COVERED` of the ink.
    """
    return judge_area(image, dpi, _inside(cell), words)


def judge_area(image: Image.Image, dpi: float, area: BBox, words: list[Word]) -> CellVerdict:
    """:func:`judge_cell` for any area of the page (points), taken as it is: a form's
    blank after its label, where no cell rules are to be left out."""
    ink, covered = _ink_stats(image, dpi, area, [w.bbox for w in words])
    if ink < MIN_INK:
        return CellVerdict(False, "no writing", ink, covered)
    confs = [w.confidence or 0.0 for w in words]
    if not words:
        return CellVerdict(True, f"ink {ink:.3f} but no word read", ink, covered)
    if min(confs) < SURE_WORD:
        return CellVerdict(True, f"word confidence {min(confs):.2f}", ink, covered)
    if covered < INK_COVERED:
        return CellVerdict(True, f"words cover {covered:.0%} of the ink", ink, covered)
    return CellVerdict(False, "typed, read well", ink, covered)


def _ink_stats(image: Image.Image, dpi: float, area: BBox,
               boxes: list[BBox]) -> tuple[float, float]:
    """(ink share of ``area``, share of that ink inside ``boxes``)."""
    gray = crop_area(image, dpi, area)
    if gray is None:
        return 0.0, 1.0
    dark = np.asarray(gray) < DARK
    dark = without_rules(dark)
    total = int(dark.sum())
    if total == 0:
        return 0.0, 1.0
    inner = area
    k = dpi / 72.0
    mask = np.zeros_like(dark)
    for b in boxes:
        x0, x1 = round((b.x0 - inner.x0 - 1) * k), round((b.x1 - inner.x0 + 1) * k)
        y0, y1 = round((b.top - inner.top - 1) * k), round((b.bottom - inner.top + 1) * k)
        mask[max(0, y0):max(0, y1), max(0, x0):max(0, x1)] = True
    return total / dark.size, float((dark & mask).sum()) / total


def without_rules(dark: np.ndarray) -> np.ndarray:
    """Ink without the lines that run (almost) all the way across or down the crop."""
    out = dark.copy()
    h, w = dark.shape
    out[dark.mean(axis=1) > 0.6, :] = False
    out[:, dark.mean(axis=0) > 0.6] = False
    return out if h and w else dark


def _inside(cell: BBox) -> BBox:
    """The cell inside its rules (as the signature check looks)."""
    mx, my = 2.5, 0.12 * (cell.bottom - cell.top)
    return BBox(cell.x0 + mx, cell.top + my, max(cell.x0 + mx + 1, cell.x1 - mx),
                max(cell.top + my + 1, cell.bottom - my))


# --- the second reading -------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """One reading of a cell: its text, the recognizer's confidence (0..1), which engine."""

    text: str
    confidence: float | None
    engine: str


def read_cell(image: Image.Image, dpi: float, cell: BBox) -> Candidate | None:
    """The second recognizer's reading of a cell's inside, or ``None`` (nothing read, or
    the recognizer unavailable)."""
    return read_area(image, dpi, _inside(cell))


def read_area(image: Image.Image, dpi: float, area: BBox, *,
              numeric: bool = False) -> Candidate | None:
    """The second recognizer's reading of ``area`` (points) as one line of text, or
    ``None`` (nothing read, or the recognizer unavailable); rules across or down the crop
    are left out. ``numeric``: the place holds a number (hours), whose decimal point the
    recognizer may have dropped (:mod:`extractors.decimal_point` puts it back)."""
    crop = crop_area(image, dpi, area)
    if crop is None:
        return None
    crop = _clear_rules(crop)
    engine = _loaded()
    if engine is None:
        return None
    pad = max(4, crop.height // 4)
    canvas = Image.new("L", (crop.width + 2 * pad, crop.height + 2 * pad), 255)
    canvas.paste(crop, (pad, pad))
    rgb = np.stack([np.asarray(canvas)] * 3, axis=-1)
    started = time.perf_counter()
    try:
        with timing.stage("handwriting"):  # its own line in the split (issue 13)
            out = engine(rgb, use_det=False, use_cls=False, use_rec=True)
    except Exception as e:  # a model failure on one crop loses that reading only
        log.warning("[handwriting] recognition failed on a cell: %s", e)
        return None
    texts, scores = getattr(out, "txts", None) or (), getattr(out, "scores", None) or ()
    text = _KEEP.sub("", " ".join(texts)).strip(" .,-/")
    log.debug("[handwriting] %r (%.2f) in %.0f ms", text, scores[0] if scores else 0,
              1000 * (time.perf_counter() - started))
    if not text or not any(c.isalnum() for c in text):
        return None
    if numeric and (pointed := with_decimal_point(crop, text)) != text:
        log.debug("[handwriting] %r: a decimal point in the ink: %r", text, pointed)
        text = pointed
    return Candidate(text, round(float(min(scores)), 3) if scores else None, ENGINE)


def _clear_rules(crop: Image.Image) -> Image.Image:
    """The crop with rules that run across or down it painted white (a cell's own rule
    left inside the crop reads as a '1' or an 'I')."""
    a = np.asarray(crop).copy()
    dark = a < DARK
    a[dark.mean(axis=1) > 0.6, :] = 255
    a[:, dark.mean(axis=0) > 0.6] = 255
    return Image.fromarray(a)


# --- choosing between readings ------------------------------------------------------------


@dataclass(frozen=True)
class PersonChoice:
    """The name and badge readings chosen for one row, and why."""

    name: Candidate | None
    badge: Candidate | None
    why: str
    roster_fit: bool = False
    #: the badge is the roster's, proposed for review (:func:`_badge_a_digit_off`)
    proposed: bool = False


def choose_person(names: list[Candidate], badges: list[Candidate],
                  officers: tuple[tuple[str, str], ...],
                  parse_badge, parse_name) -> PersonChoice:
    """The name and badge readings of one row, chosen jointly.

    1. A pair naming one roster officer (badge on the roster, name fitting that officer's
       name at :data:`FITS` or better) wins; of several, the closest fit, then the most
       confident.
    2. Otherwise each cell on its own: a reading of the column's type (``parse_badge``,
       ``parse_name`` give a value) over one that is not, then the higher confidence.

    Args:
        names: the name cell's readings (tesseract's first, if any).
        badges: the badge cell's readings.
        officers: the roster's (badge, full name) pairs.
        parse_badge: text -> badge value or ``None`` (the column's type).
        parse_name: text -> name value or ``None``.
    """
    by_badge: dict[str, list[str]] = {}
    for badge, full in officers:
        by_badge.setdefault(_badge_key(badge), []).append(full)
    fits = []
    for b in badges:
        value = parse_badge(b.text)
        key = roster_badge_key(str(value), by_badge) if value else None
        holders = by_badge.get(key) if key else None
        for n in names if holders else ():
            score = max(name_fit(n.text, full) for full in holders)
            if score >= FITS:
                conf = (n.confidence or 0) + (b.confidence or 0)
                fits.append((conf, score, n, b))
    if fits:
        # the closer fit first (in steps of 5: a letter's slip is no evidence), then the
        # more confident pair
        conf, score, n, b = max(fits, key=lambda f: (round(f[1] / 5), f[0]))
        return PersonChoice(n, b, f"name {n.engine} + badge {b.engine} fit one roster "
                                  f"officer (name {score:.0f})", True)
    name = _best_of_type(names, parse_name)
    badge = _best_of_type(badges, parse_badge)
    proposed = _badge_a_digit_off(name, badges, officers, parse_badge)
    if proposed is not None:
        return proposed
    return PersonChoice(name, badge, "no pair fits the roster; by column type and confidence")


def _badge_a_digit_off(name: Candidate | None, badges: list[Candidate],
                       officers: tuple[tuple[str, str], ...],
                       parse_badge) -> PersonChoice | None:
    """The roster badge of the one officer a name reading names, when a badge reading is
    that badge with one digit slipped: a pen's 6 read as a 4, a digit written in two
    strokes read as two (``444071``), two digits run together read as one (``3072``); and
    no other roster badge is one slip from it. Proposed with a confidence under any the
    verifier trusts, so the row goes to review showing the roster's badge and the reading,
    never verified on it.

    The name must fit that officer (:data:`FITS`) and no other: with the badge's slip it is
    the second, independent piece of evidence, and nothing is credited on either.
    """
    if name is None:
        return None
    named = [(b, full) for b, full in officers if name_fit(name.text, full) >= FITS]
    if len(named) != 1:
        return None
    badge, full = named[0]
    key = _badge_key(badge)
    for b in badges:
        value = parse_badge(b.text)
        read = _badge_key(str(value)) if value else ""
        if len(read) < 3 or not read.isdigit() or not _one_slip(read, key):
            continue
        if any(_one_slip(read, _badge_key(o)) or _badge_key(o) == read
               for o, _f in officers if _badge_key(o) != key):
            return None  # another officer's badge is as near: the slip names nobody
        return PersonChoice(name, Candidate(key, min(b.confidence or 0.0, PROPOSED), b.engine),
                            f"badge read {b.text!r} is one digit from {full!r}'s {badge!r}, "
                            f"whom the name names: proposed for review", proposed=True)
    return None


def _one_slip(read: str, badge: str) -> bool:
    """One digit changed, added or lost between a reading and a badge."""
    return Levenshtein.distance(read, badge) == 1


def roster_badge_key(value: str, roster_keys) -> str | None:
    """The roster badge a badge reading stands for: itself, or, when it is on no roster
    officer, the same reading with its look-alike letters as digits (a pen's ``Z`` for a
    ``2``, ``#Z730`` for ``2730``), which a badge reader keeps as a letter prefix because
    real badges have them. ``None`` when neither is on the roster. The caller still needs
    the row's name to fit that officer: the digit reading alone attributes nothing."""
    key = _badge_key(value)
    if key in roster_keys:
        return key
    as_digits = _badge_key(fix_digits(value))
    return as_digits if as_digits != key and as_digits in roster_keys else None


def _best_of_type(cands: list[Candidate], parse) -> Candidate | None:
    if not cands:
        return None
    return max(cands, key=lambda c: (parse(c.text) is not None, c.confidence or 0.0))


def _badge_key(value: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", value.upper())


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def name_fit(read: str, full_name: str) -> float:
    """How well a name as read fits a roster name, spaces, commas and order aside (0-100).

    The second recognizer often drops the spaces between words ("JANEDOE"); the letters
    are compared in both orders (first last, last first).
    """
    read_l = _letters(read)
    parts = full_name.split()
    if not read_l or not parts:
        return 0.0
    orders = {_letters(full_name), _letters(" ".join(parts[-1:] + parts[:-1]))}
    # a sheet's hand rarely writes the roster's suffix ("Tobias Renwick" for "Tobias Renwick III")
    bare = [p for p in parts if p.lower().strip(".,") not in SUFFIXES]
    if len(bare) >= 2 and len(bare) < len(parts):
        orders |= {_letters(" ".join(bare)), _letters(" ".join(bare[-1:] + bare[:-1]))}
    alike = read_l.translate(HAND_ALIKE)
    return max(max(fuzz.ratio(read_l, o), fuzz.ratio(alike, o.translate(HAND_ALIKE)))
               for o in orders)


def _folded(word: str) -> str:
    """A word's letters, small, without accents (``Núñez`` -> ``nunez``)."""
    plain = unicodedata.normalize("NFKD", word)
    return "".join(c for c in plain if c.isalpha() and not unicodedata.combining(c)).lower()


def spell_as(read: str, full_name: str) -> str:
    """A name reading with each word spelt as the roster name's word it stands for, where
    the reading slipped on a letter or two (at most one in three letters of the word;
    letters a pen writes alike and accents cost nothing): ``Erin Schwidt`` -> ``Erin
    Schmidt``, ``RENKIEK`` -> ``RENWICK``.

    Only for a reading already known to name that officer (its badge on the roster, the
    name fitting the holder's): a lexicon of one name, as a recognizer's own dictionary
    settles a word it half saw. Words of the reading that stand for none of the roster
    name's (an initial, a rank) stay as read; words the reading lacks are not added.
    """
    ref = [(w, _folded(w).translate(HAND_ALIKE)) for w in full_name.split()]
    used: set[int] = set()
    out = []
    for token in re.split(r"(\s+|,)", read):
        key = _folded(token).translate(HAND_ALIKE)
        best = None
        for j, (word, ref_key) in enumerate(ref):
            if j in used or len(key) < 2 or len(ref_key) < 2:
                continue
            d = Levenshtein.distance(key, ref_key)
            if d <= max(1, len(ref_key) // 3) and (best is None or d < best[0]):
                best = (d, j, word)
        if best is None:
            out.append(token)
            continue
        used.add(best[1])
        out.append(best[2].upper() if token.isupper() else best[2])
    return "".join(out)


def spelt_as_holder(read: str, holders: list[str]) -> str | None:
    """A name reading spelt as the one officer holding the row's badge, when every word of
    it is one of that officer's words with a slip (:func:`spell_as`) and, so spelt, it
    names him fully; ``None`` otherwise (no single holder, a word that is another name's)."""
    if len(holders) != 1:
        return None
    spelt = spell_as(read, holders[0])
    return spelt if spelt != read and name_fit(spelt, holders[0]) >= NAMES_ONE else None


def respace(read: str, full_name: str) -> str:
    """A name read without spaces, or with a space inside a word (``LUIS OR TEGA``), with
    the spaces of the roster name it fits put back.

    Only the spacing comes from the reference: every letter stays as read. A reading that
    has as many words as the roster name, or fits it in neither order, is returned as it
    is, and so is one with more words that reads as a name (a middle name or initial).
    Read in "last first" order, the surname gets its comma ("DOE, JANE").
    """
    parts = full_name.split()
    words = [w for w in re.split(r"[\s,]+", read) if w]
    if len(words) == len(parts) or len(parts) < 2 \
            or (len(words) > len(parts) and normalise_name(read) is not None):
        return read
    compact = re.sub(r"[\s,]", "", read)
    best = None
    for order, comma in ((parts, False), (parts[-1:] + parts[:-1], True)):
        ref = "".join(order)
        score = fuzz.ratio(compact.lower().translate(HAND_ALIKE), ref.lower().translate(HAND_ALIKE))
        if best is None or score > best[0]:
            best = (score, order, comma)
    score, order, comma = best
    if score < FITS:
        return read
    ref = "".join(order)
    # word starts in the reference, mapped through the alignment into the reading
    starts, pos = set(), 0
    for part in order[:-1]:
        pos += len(part)
        starts.add(pos)
    cuts = set()
    alike_ref, alike_read = (t.lower().translate(HAND_ALIKE) for t in (ref, compact))
    for op in Levenshtein.opcodes(alike_ref, alike_read):
        for s in starts:
            if op.src_start <= s < op.src_end or (s == op.src_end == len(ref)):
                offset = s - op.src_start if op.tag == "equal" else 0
                cuts.add(min(op.dest_start + offset, len(compact)))
    out, last = [], 0
    for i, cut in enumerate(sorted(c for c in cuts if 0 < c < len(compact))):
        out.append(compact[last:cut] + ("," if comma and i == 0 else ""))
        last = cut
    out.append(compact[last:])
    return " ".join(out)


# --- one row ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowReading:
    """A row's name and badge words after the second look (unchanged when none was taken)."""

    name_words: list[Word]
    badge_words: list[Word]
    notes: tuple[str, ...] = ()
    #: the chosen name and badge name one roster officer together
    roster_fit: bool = False
    #: the name as the recognizer read it, when its words were spelt as the roster's
    name_as_read: str | None = None


def read_row_by_hand(image: Image.Image, dpi: float, name_cell: BBox | None,
                     name_words: list[Word], badge_cell: BBox | None, badge_words: list[Word],
                     officers: tuple[tuple[str, str], ...], parse_badge,
                     parse_name) -> RowReading:
    """Read a row's handwritten or unreadable name and badge cells again and choose.

    Args:
        image, dpi: the page as tesseract saw it.
        name_cell, badge_cell: the cells (points); ``None`` when the sheet has no such column.
        name_words, badge_words: tesseract's words in them.
        officers: the roster's (badge, full name) pairs.
        parse_badge, parse_name: the columns' types (text -> value or ``None``).

    Returns:
        The words to read the row from: tesseract's, or one word per cell holding the
        chosen reading, boxed as the cell's inside, with its recognizer's confidence.
    """
    names, badges, notes = [], [], []
    for cell, words, out, parse in ((name_cell, name_words, names, parse_name),
                                    (badge_cell, badge_words, badges, parse_badge)):
        text = " ".join(w.text for w in words)
        if words:
            conf = min((w.confidence or 0.0) for w in words)
            out.append(Candidate(text, conf, "tesseract"))
        if cell is None:
            continue
        verdict = judge_cell(image, dpi, cell, words)
        why = verdict.why
        if not verdict.second_look:
            if not words or parse(text) is not None:
                continue
            why = f"{text!r} read surely but is no value of the column's type"
        second = read_cell(image, dpi, cell)
        notes.append(f"{why}: read {second.text if second else None!r}")
        if second is not None:
            out.append(second)
    if len(names) + len(badges) <= (bool(name_words) + bool(badge_words)):
        return RowReading(name_words, badge_words, tuple(notes))  # no second reading
    choice = choose_person(names, badges, officers, parse_badge, parse_name)
    name, as_read = choice.name, None
    badge = choice.badge
    if name is not None and choice.roster_fit and badge is not None:
        read_key = _badge_key(str(parse_badge(badge.text)))
        key = roster_badge_key(read_key, {_badge_key(b) for b, _full in officers})
        if key != read_key:
            notes.append(f"badge read {badge.text!r}, its look-alike letters digits: {key!r}")
            badge = Candidate(key, badge.confidence, badge.engine)
        holders = [full for b, full in officers if _badge_key(b) == key]
        best = max(holders, key=lambda full: name_fit(name.text, full))
        spaced = respace(name.text, best) if name.engine != "tesseract" else name.text
        spelt = spell_as(spaced, best)
        if spelt != name.text:
            as_read = name.text
            notes.append(f"name read {name.text!r}, spelt as the roster's {best!r}")
            name = Candidate(spelt, name.confidence, name.engine)
    elif name is not None and badge is not None and not choice.proposed:
        # The badge is its holder's as read but the name, taken whole, fits under FITS:
        # when every word of it is that holder's word with a slip or two, spelling it so
        # names the holder fully (``TOBIAS RENKIEK`` under the badge of Tobias Renwick).
        key = _badge_key(str(parse_badge(badge.text)))
        holders = [full for b, full in officers if _badge_key(b) == key]
        spelt = spelt_as_holder(name.text, holders)
        if spelt is not None:
            as_read = name.text
            notes.append(f"name read {name.text!r}, each word a slip of the badge holder "
                         f"{holders[0]!r}'s: spelt so")
            name = Candidate(spelt, name.confidence, name.engine)
    notes.append(choice.why)
    line = name_words[0].line_id if name_words else badge_words[0].line_id if badge_words else 0
    return RowReading(_as_words(name, names, name_words, name_cell, line),
                      _as_words(badge, badges, badge_words, badge_cell, line),
                      tuple(notes), choice.roster_fit, as_read)


def _as_words(chosen: Candidate | None, cands: list[Candidate], words: list[Word],
              cell: BBox | None, line: int) -> list[Word]:
    if chosen is None or cell is None:
        return words
    if chosen.engine == "tesseract" and chosen.text == " ".join(w.text for w in words):
        return words
    conf = chosen.confidence
    # both engines read the same letters: the better confidence stands
    same = [c.confidence or 0.0 for c in cands if c.engine == "tesseract"
            and _letters(c.text) + re.sub(r"\D", "", c.text)
            == _letters(chosen.text) + re.sub(r"\D", "", chosen.text)]
    if same and conf is not None:
        conf = max(conf, *same)
    return [Word(chosen.text, _inside(cell), conf, line)]
