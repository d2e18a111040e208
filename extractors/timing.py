"""Where a document's time goes: wall time per stage and tesseract calls per page (issue 13).

One document's processing runs inside :func:`collecting`, which gives a :class:`StageTimes`.
Stages nest: time spent in an inner stage counts for the inner stage only, so the stages of
one document add up to its wall time. The tesseract wrapper reports each run with
:func:`tesseract_run`; the first full-page OCR of a page counts as ``ocr``, any other
full-page run and every region re-read as ``second_reading`` (orientation detection as
``osd``), and a page that paid more than one full OCR says why in the log.

Outside :func:`collecting` every function here is a cheap no-op, so the readers can be
timed without knowing whether anyone is listening. Nothing here imports another Credence
package.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger(__name__)

#: The stages reported, in pipeline order (others may appear; these are always listed).
STAGES = (
    "claim",  # taking the document and the reference copy (roster, catalog) for it
    "read",  # decoding, the text layer, review images: reading that is not one of the below
    "preprocess",
    "osd",
    "ocr",
    "second_reading",
    "handwriting",  # the second recognizer (rapidocr) on cells tesseract could not read
    "marks",
    "tables",
    "signatures",
    "extraction",
    "verification",
    "save",
)

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class StageTimes:
    """Seconds per stage and tesseract runs of one document (or, summed, of a batch).

    Attributes:
        seconds: wall seconds per stage, exclusive of nested stages.
        tesseract: tesseract runs by kind (``page``, ``osd``, ``region``).
        pages: pages counted with :meth:`end_page`.
        extra_full_reads: why pages paid more than one full OCR (``"p2: ocr90"``, ...).
    """

    seconds: dict[str, float] = field(default_factory=dict)
    tesseract: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    extra_full_reads: list[str] = field(default_factory=list)
    _stack: list[list[Any]] = field(default_factory=list, repr=False)
    _page_full_reads: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready copy (seconds rounded to the millisecond), open stages counted so far."""
        if self._stack:
            self._charge(self._stack[-1], time.perf_counter())
        return {
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "tesseract": dict(self.tesseract),
            "pages": self.pages,
            "extra_full_reads": list(self.extra_full_reads),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> StageTimes:
        """The inverse of :meth:`to_dict` (an empty record for ``None``)."""
        data = data or {}
        return cls(dict(data.get("seconds", {})), dict(data.get("tesseract", {})),
                   int(data.get("pages", 0)), list(data.get("extra_full_reads", [])))

    def add(self, other: StageTimes) -> None:
        """Sum ``other`` into this one (batch totals)."""
        for k, v in other.seconds.items():
            self.seconds[k] = self.seconds.get(k, 0.0) + v
        for k, n in other.tesseract.items():
            self.tesseract[k] = self.tesseract.get(k, 0) + n
        self.pages += other.pages
        self.extra_full_reads.extend(other.extra_full_reads)

    def end_page(self, page_number: int) -> None:
        """Close a page's count of full OCR runs; log why when it paid more than one."""
        self.pages += 1
        if len(self._page_full_reads) > 1:
            why = ", ".join(self._page_full_reads[1:])
            log.info("page %d: %d full readings (%s)", page_number,
                     len(self._page_full_reads), why)
            self.extra_full_reads.append(f"p{page_number}: {why}")
        self._page_full_reads = []

    def _enter(self, name: str) -> None:
        now = time.perf_counter()
        if self._stack:
            self._charge(self._stack[-1], now)
        self._stack.append([name, now])

    def _exit(self) -> None:
        now = time.perf_counter()
        self._charge(self._stack.pop(), now)
        if self._stack:
            self._stack[-1][1] = now

    def _charge(self, frame: list[Any], now: float) -> None:
        self.seconds[frame[0]] = self.seconds.get(frame[0], 0.0) + now - frame[1]
        frame[1] = now


_current: ContextVar[StageTimes | None] = ContextVar("credence_stage_times", default=None)


@contextmanager
def collecting() -> Iterator[StageTimes]:
    """Time everything inside into a fresh :class:`StageTimes` (one per document)."""
    times = StageTimes()
    token = _current.set(times)
    try:
        yield times
    finally:
        _current.reset(token)


def current() -> StageTimes | None:
    """The :class:`StageTimes` being collected, if any."""
    return _current.get()


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Count the time inside towards ``name`` (minus nested stages)."""
    times = _current.get()
    if times is None:
        yield
        return
    times._enter(name)
    try:
        yield
    finally:
        times._exit()


def timed(name: str) -> Callable[[F], F]:
    """Decorator: each call of the function is a :func:`stage` called ``name``."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def inner(*args: Any, **kwargs: Any) -> Any:
            with stage(name):
                return function(*args, **kwargs)

        return inner  # type: ignore[return-value]

    return wrap


@contextmanager
def tesseract_run(kind: str, purpose: str = "") -> Iterator[None]:
    """Time one tesseract run of ``kind`` (``page``, ``osd`` or ``region``).

    The first full-page run of a page is ``ocr``; another full-page run is a second
    reading and ``purpose`` says why (``ocr90``: the page read again turned).
    """
    times = _current.get()
    if times is None:
        yield
        return
    times.tesseract[kind] = times.tesseract.get(kind, 0) + 1
    if kind == "page":
        times._page_full_reads.append(purpose or "page")
        name = "ocr" if len(times._page_full_reads) == 1 else "second_reading"
    else:
        name = "osd" if kind == "osd" else "second_reading"
    with stage(name):
        yield
