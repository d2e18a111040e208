"""The values every reader and extractor passes around: words with their evidence.

Coordinates are PDF points (1/72 inch) with a top-left origin, as pdfplumber reports them
(``x0/top/x1/bottom``). OCR pixel boxes are converted with :func:`px_to_pt` in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any


class FieldSource(StrEnum):
    """Where a value was read from."""

    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    DERIVED = "derived"


class DocumentKind(StrEnum):
    """What a page is (contract: ``document_kind``)."""

    CERTIFICATE = "certificate"
    SIGN_IN_SHEET = "sign_in_sheet"
    UNKNOWN = "unknown"


def px_to_pt(pixels: float, dpi: float) -> float:
    """Convert an image pixel coordinate to PDF points."""
    return pixels * 72.0 / dpi


@dataclass(frozen=True)
class BBox:
    """A box in PDF points, top-left origin."""

    x0: float
    top: float
    x1: float
    bottom: float

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.bottom < self.top:
            raise ValueError(f"inverted box: {self}")

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center_y(self) -> float:
        return (self.top + self.bottom) / 2

    def union(self, other: BBox) -> BBox:
        """The smallest box holding both."""
        return BBox(
            min(self.x0, other.x0),
            min(self.top, other.top),
            max(self.x1, other.x1),
            max(self.bottom, other.bottom),
        )

    def to_list(self) -> list[float]:
        return [round(self.x0, 2), round(self.top, 2), round(self.x1, 2), round(self.bottom, 2)]

    @classmethod
    def from_list(cls, values: list[float]) -> BBox:
        return cls(*values)

    @staticmethod
    def enclosing(boxes: list[BBox]) -> BBox:
        """The union of a non-empty list of boxes."""
        out = boxes[0]
        for box in boxes[1:]:
            out = out.union(box)
        return out


@dataclass(frozen=True)
class Word:
    """One word as read, with its box and confidence (0..1, ``None`` when not measured).

    ``line_id`` groups words the reader put on one line (tesseract block/par/line, or the
    text layer's line clustering); readers MUST set it so extractors can rebuild lines.
    """

    text: str
    bbox: BBox
    confidence: float | None
    line_id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.text, "b": self.bbox.to_list(), "c": self.confidence, "l": self.line_id}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Word:
        return cls(d["t"], BBox.from_list(d["b"]), d["c"], d.get("l", 0))


@dataclass(frozen=True)
class Line:
    """Words on one visual line, left to right."""

    words: tuple[Word, ...]

    # Cached: extractors ask a line for its text and box thousands of times per page.
    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def bbox(self) -> BBox:
        return BBox.enclosing([w.bbox for w in self.words])

    @property
    def confidence(self) -> float | None:
        """The weakest word's confidence: a line is only as sure as its worst word."""
        confs = [w.confidence for w in self.words if w.confidence is not None]
        return min(confs) if confs else None


@dataclass(frozen=True)
class PageText:
    """Everything read from one page.

    Attributes:
        page_number: 1-based, as in the contract.
        width, height: page size in points.
        words: reading order is not guaranteed; use :meth:`lines`.
        source: text layer or OCR.
        dpi: resolution the OCR ran at (``None`` for the text layer).
        rotation: degrees the page image was turned before reading (0/90/180/270).
        skew: small-angle correction applied, in degrees.
        mean_confidence: mean word confidence (``None`` for the text layer).
        warnings: harmless things the reader noticed (empty page, OCR timeout, ...).
    """

    page_number: int
    width: float
    height: float
    words: tuple[Word, ...]
    source: FieldSource
    dpi: float | None = None
    rotation: int = 0
    skew: float = 0.0
    mean_confidence: float | None = None
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines())

    def lines(self) -> list[Line]:
        """Words grouped by ``line_id``, lines top to bottom, words left to right."""
        return list(self._lines)

    @cached_property
    def _lines(self) -> tuple[Line, ...]:
        groups: dict[int, list[Word]] = {}
        for word in self.words:
            groups.setdefault(word.line_id, []).append(word)
        lines = [Line(tuple(sorted(ws, key=lambda w: w.bbox.x0))) for ws in groups.values()]
        return tuple(sorted(lines, key=lambda ln: (round(ln.bbox.top / 4), ln.bbox.x0)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "page_number": self.page_number,
            "width": self.width,
            "height": self.height,
            "source": str(self.source),
            "dpi": self.dpi,
            "rotation": self.rotation,
            "skew": self.skew,
            "mean_confidence": self.mean_confidence,
            "warnings": list(self.warnings),
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> PageText:
        return cls(
            page_number=d["page_number"],
            width=d["width"],
            height=d["height"],
            words=tuple(Word.from_dict(w) for w in d["words"]),
            source=FieldSource(d["source"]),
            dpi=d.get("dpi"),
            rotation=d.get("rotation", 0),
            skew=d.get("skew", 0.0),
            mean_confidence=d.get("mean_confidence"),
            warnings=tuple(d.get("warnings", ())),
        )


@dataclass(frozen=True)
class ExtractedField:
    """One field of a record with the evidence it was read from.

    A field that was found but failed to parse keeps its ``raw_text`` with ``value=None``.
    """

    name: str
    value: Any
    raw_text: str | None
    confidence: float | None
    bbox: BBox | None
    page_number: int
    source: FieldSource
    #: A sheet's official's signature only: the bottom of the table (points) its place is
    #: measured from, the block moving with the number of rows (issue 17).
    table_end: float | None = None

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if hasattr(self.value, "isoformat") else self.value
        out = {
            "value": value,
            "raw_text": self.raw_text,
            "confidence": self.confidence,
            "bbox": self.bbox.to_list() if self.bbox else None,
            "page": self.page_number,
            "source": str(self.source),
        }
        if self.table_end is not None:
            out["table_end"] = self.table_end
        return out


# The fields a training record holds (contract: exported record).
RECORD_FIELDS = (
    "officer_name",
    "badge_number",
    "training_date",
    "hours",
    "post_number",
    "course_title",
    "instructor_name",
    "location",
    "training_format",
    "signed",
)


@dataclass(frozen=True)
class ExtractedRecord:
    """One training record as read from a page, before verification.

    ``fields`` maps a name from :data:`RECORD_FIELDS` to its evidence; a field the page does
    not show is absent from the mapping.
    """

    page_number: int
    kind: DocumentKind
    fields: dict[str, ExtractedField] = field(default_factory=dict)
    #: the attendee row on a sign-in sheet page (0-based slot under the column header);
    #: ``None`` for a certificate. Record ids are stable per (document, page, row).
    row_index: int | None = None
    #: the learned layout whose places gave evidence for this record (issue 17), if any.
    layout_id: int | None = None

    def value(self, name: str) -> Any:
        f = self.fields.get(name)
        return f.value if f else None

    def confidence(self, name: str) -> float | None:
        f = self.fields.get(name)
        return f.confidence if f else None


@dataclass(frozen=True)
class ReferenceHints:
    """Reference vocabulary an extractor may use to read better (plain data, no database).

    Built by the caller from the catalog, roster and instructor registry. Extractors use it
    to choose between candidate readings, never to invent a value that is not on the page.
    """

    officer_names: tuple[str, ...] = ()
    badge_numbers: tuple[str, ...] = ()
    instructor_names: tuple[str, ...] = ()
    course_titles: tuple[str, ...] = ()
    post_numbers: tuple[str, ...] = ()
    #: (badge, full name) of each roster officer and (POST number, title) of each catalog
    #: course: which two readings would confirm each other.
    officers: tuple[tuple[str, str], ...] = ()
    courses: tuple[tuple[str, str], ...] = ()
    #: learned layouts (extractors.layout_evidence.LayoutHint) of this agency's forms.
    layouts: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A ruled line of a page in points: horizontal (``y`` from ``a`` to ``b`` along x) or
    vertical (``x`` ... along y), depending on the list that holds it."""

    pos: float
    a: float
    b: float

    @property
    def length(self) -> float:
        return self.b - self.a


@dataclass(frozen=True)
class PageGraphics:
    """What a born-digital page draws besides text (from pdfplumber): table rules and marks.

    Attributes:
        horizontal: horizontal rules (lines and rectangle edges) at least a few points long.
        vertical: vertical rules.
        marks: boxes of curves and images (signatures drawn or pasted on the page).
    """

    horizontal: tuple[Rule, ...] = ()
    vertical: tuple[Rule, ...] = ()
    marks: tuple[BBox, ...] = ()
