"""Intake: walk the paths a clerk gave, open zips, store originals, register documents.

Nothing here reads a page. Every input becomes a ``Document`` row: queued for reading,
a ``copy`` of an earlier byte-identical upload, or ``failed`` with a specific error while
the original is kept (only an over-limit file is not kept: keeping it is what the limit
refuses).
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from extractors.errors import CredenceError
from ingestion.errors import (
    ArchiveTooDeepError,
    ArchiveTooLargeError,
    BatchTooLargeError,
    BlobTooLargeError,
    CorruptArchiveError,
    OutsideFolderError,
    UnsafeArchivePathError,
    UsageError,
)
from ingestion.models import Batch, Document, DocumentStatus
from ingestion.storage import BlobStore

log = logging.getLogger(__name__)

_ZIP_MAGIC = b"PK\x03\x04"
_MAX_ZIP_DEPTH = 3


@dataclass
class InputItem:
    """One file to register: a name as the contract spells it, and how to open its bytes.

    ``error`` is set when the item is already known to be bad (an unsafe zip member, an
    unreadable archive); its bytes, when there are any, are still stored.
    """

    source_filename: str
    open: Callable[[], BinaryIO] | None
    error: CredenceError | None = None


@dataclass(frozen=True)
class IntakeLimits:
    """How much one batch may store (issue 19: a clerk could fill the disk).

    Attributes:
        file_bytes: one file or zip member (``CREDENCE_MAX_UPLOAD_MB``).
        archive_bytes: everything one zip expands to, nested zips included.
        archive_files: the members one zip holds, nested zips included.
        batch_bytes: everything one upload or ``credence ingest`` stores.
        batch_files: the files one upload or ``credence ingest`` registers.
    """

    file_bytes: int
    archive_bytes: int | None = None
    archive_files: int | None = None
    batch_bytes: int | None = None
    batch_files: int | None = None

    @classmethod
    def from_settings(cls, settings) -> IntakeLimits:
        """The limits of ``credence.config.Settings``."""
        return cls(settings.max_upload_bytes, settings.max_archive_bytes,
                   settings.max_archive_files, settings.max_batch_bytes,
                   settings.max_batch_files)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


class IntakeTally:
    """What a batch has taken so far, counted while it is taken, against its limits.

    One tally spans a whole upload or ``credence ingest`` (every path given); the archive
    counts restart at each top-level zip. ``stopped`` is set once the batch is full: no
    further file is stored.
    """

    def __init__(self, limits: IntakeLimits) -> None:
        self.limits = limits
        self.files = 0
        self.bytes = 0
        self.archive_files = 0
        self.archive_bytes = 0
        self.in_archive = False
        self.stopped = False

    def room(self) -> int:
        """The most bytes the next file or member may have."""
        room = self.limits.file_bytes
        if self.limits.batch_bytes is not None:
            room = min(room, self.limits.batch_bytes - self.bytes)
        if self.in_archive and self.limits.archive_bytes is not None:
            room = min(room, self.limits.archive_bytes - self.archive_bytes)
        return max(0, room)

    def batch_full(self, size: int) -> BatchTooLargeError | None:
        """Why a next file of ``size`` bytes does not fit the batch, if it does not."""
        lim = self.limits
        if lim.batch_files is not None and self.files + 1 > lim.batch_files:
            what = f"{lim.batch_files} files"
        elif lim.batch_bytes is not None and self.bytes + size > lim.batch_bytes:
            what = _mb(lim.batch_bytes)
        else:
            return None
        self.stopped = True
        return BatchTooLargeError(
            f"the upload reached its limit of {what} (CREDENCE_MAX_BATCH_FILES / "
            "CREDENCE_MAX_BATCH_MB): this file and the ones after it were not stored; "
            "send them in another batch", files=self.files, bytes=self.bytes)

    def archive_full(self, size: int) -> ArchiveTooLargeError | None:
        """Why a next member of ``size`` bytes does not fit its zip, if it does not."""
        lim = self.limits
        if lim.archive_files is not None and self.archive_files + 1 > lim.archive_files:
            what = f"holds more than {lim.archive_files} files (CREDENCE_MAX_ARCHIVE_FILES)"
        elif lim.archive_bytes is not None and self.archive_bytes + size > lim.archive_bytes:
            what = f"expands to more than {_mb(lim.archive_bytes)} (CREDENCE_MAX_ARCHIVE_MB)"
        else:
            return None
        return ArchiveTooLargeError(
            f"the zip {what}: it was not expanded further; the {self.archive_files} "
            "file(s) before the limit were taken, the rest was not stored; split it into "
            "smaller zips", files=self.archive_files, bytes=self.archive_bytes)

    def take(self, size: int, *, member: bool, stored: bool = True) -> None:
        """Count a file or member taken (``stored``: it becomes a document)."""
        if member:
            self.archive_files += 1
            self.archive_bytes += size
        if stored:
            self.files += 1
            self.bytes += size


def new_id(prefix: str) -> str:
    """A short random id with a readable prefix (``doc_…``, ``bat_…``)."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def check_paths(paths: list[Path]) -> None:
    """Refuse the whole command before anything is stored when a path does not exist.

    Raises:
        UsageError: naming every missing path.
    """
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)}")


def collect_inputs(
    paths: list[Path], *, max_bytes: int, tally: IntakeTally | None = None
) -> Iterator[InputItem]:
    """Yield every file under ``paths``: files, folders (recursive, sorted) and zips.

    ``tally`` (default: only the per-file limit ``max_bytes``) counts the batch against its
    limits while zips are expanded: a zip past its limits yields one failed item for itself
    and no more of its members; a batch past its limits yields one failed item and stops.
    Pass the same tally to several calls to count them as one batch.

    Raises:
        UsageError: a path does not exist (the command was misused, nothing registered).
    """
    check_paths(paths)
    tally = tally or IntakeTally(IntakeLimits(max_bytes))
    for path in paths:
        if tally.stopped:
            return
        if path.is_dir():
            yield from _items_in_folder(path, tally)
        else:
            yield from _items_for_file(path, path.name, tally)


def _items_in_folder(path: Path, tally: IntakeTally) -> Iterator[InputItem]:
    root = path.resolve()
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        if tally.stopped:
            return
        name = file.relative_to(path).as_posix()
        if is_system_file(name):
            continue
        if not file.resolve().is_relative_to(root):
            # rglob does not enter linked folders, but lists a linked file.
            yield InputItem(name, None, OutsideFolderError(
                f"{name} is a link to a file outside the folder given; not read"))
            continue
        yield from _items_for_file(file, name, tally)


# What file managers leave beside the documents: Finder's and Explorer's folder data, and the
# resource forks macOS puts in zips (``__MACOSX/._scan.pdf``). Not paperwork, never reported.
_SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db"})
_SYSTEM_FOLDERS = frozenset({"__MACOSX"})


def is_system_file(name: str) -> bool:
    """Whether ``name`` (a ``/``-separated path in a folder or zip) is a hidden or system file."""
    parts = PurePosixPath(name).parts
    return (
        parts[-1].startswith(".")
        or parts[-1].lower() in _SYSTEM_FILES
        or any(p in _SYSTEM_FOLDERS for p in parts[:-1])
    )


def _items_for_file(path: Path, name: str, tally: IntakeTally) -> Iterator[InputItem]:
    with open(path, "rb") as f:
        head = f.read(4)
    if head == _ZIP_MAGIC:
        tally.in_archive, tally.archive_files, tally.archive_bytes = True, 0, 0
        try:
            yield from _items_in_zip(lambda: open(path, "rb"), name, tally, depth=1)
        finally:
            tally.in_archive = False
        return
    size = path.stat().st_size
    if size <= tally.limits.file_bytes:  # an over-limit file is refused at storing, uncounted
        full = tally.batch_full(size)
        if full is not None:
            yield InputItem(name, None, full)
            return
        tally.take(size, member=False)
    yield InputItem(name, lambda: open(path, "rb"))


class _ArchiveFull(Exception):
    """Raised inside a (nested) zip once its archive is full: leave every level at once."""


def _items_in_zip(
    opener: Callable[[], BinaryIO], name: str, tally: IntakeTally, depth: int
) -> Iterator[InputItem]:
    try:
        with opener() as raw:
            archive = zipfile.ZipFile(raw)
            members = [
                m for m in archive.infolist()
                if not m.is_dir() and not is_system_file(m.filename.replace("\\", "/"))
            ]
            # Read members now, while the archive is open; each is size-checked first.
            for member in sorted(members, key=lambda m: m.filename):
                if tally.stopped:
                    return
                yield from _item_for_member(archive, member, name, tally, depth)
    except _ArchiveFull as full:
        if depth > 1:
            raise
        yield InputItem(name, None, full.args[0])
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        yield InputItem(name, opener, CorruptArchiveError(f"cannot open zip archive: {e}"))


def _item_for_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, tally: IntakeTally, depth: int
) -> Iterator[InputItem]:
    inner = member.filename.replace("\\", "/")
    label = f"{name}/{inner.lstrip('/')}"
    max_bytes = tally.limits.file_bytes
    if member.file_size > max_bytes:
        yield InputItem(label, None, BlobTooLargeError(member.file_size, max_bytes))
        return
    full = tally.archive_full(member.file_size)
    if full is not None:  # the member count, or a declared size already past the limit
        raise _ArchiveFull(full)
    try:
        data = _read_member(archive, member, tally)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        yield InputItem(label, None, CorruptArchiveError(f"cannot read {inner!r} from zip: {e}"))
        return
    except BlobTooLargeError as e:
        yield InputItem(label, None, e)
        return
    except BatchTooLargeError as e:
        yield InputItem(label, None, e)
        return
    nested = data[:4] == _ZIP_MAGIC and depth < _MAX_ZIP_DEPTH
    if not nested:
        full = tally.batch_full(len(data))
        if full is not None:
            yield InputItem(label, None, full)
            return
    tally.take(len(data), member=True, stored=not nested)
    item_open = _bytes_opener(data)
    unsafe = _unsafe_reason(inner)
    if unsafe:
        yield InputItem(label, item_open, UnsafeArchivePathError(f"zip member {inner!r} {unsafe}"))
    elif nested:
        yield from _items_in_zip(item_open, label, tally, depth + 1)
    elif data[:4] == _ZIP_MAGIC:
        yield InputItem(label, item_open, ArchiveTooDeepError(
            f"a zip nested more than {_MAX_ZIP_DEPTH} zips deep is not opened; "
            "unpack it and upload its files"))
    else:
        yield InputItem(label, item_open)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, tally: IntakeTally) -> bytes:
    """The member's bytes, counted as they come out against every limit they could cross.

    The declared size can lie (zip bombs): what really comes out is counted, and reading
    stops at the first byte past a limit; nothing of the member reaches the disk.

    Raises:
        BlobTooLargeError: the member alone is over the per-file limit.
        _ArchiveFull: the zip is over its limits.
        BatchTooLargeError: the batch is over its limits.
    """
    room = tally.room()
    out = io.BytesIO()
    with archive.open(member) as src:
        while chunk := src.read(1024 * 1024):
            size = out.tell() + len(chunk)
            if size > room:
                _raise_for(tally, size)
            out.write(chunk)
    return out.getvalue()


def _raise_for(tally: IntakeTally, size: int) -> None:
    if size > tally.limits.file_bytes:
        raise BlobTooLargeError(size, tally.limits.file_bytes)
    full = tally.archive_full(size)
    if full is not None:
        raise _ArchiveFull(full)
    raise tally.batch_full(size) or BlobTooLargeError(size, tally.room())


def _bytes_opener(data: bytes) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(data)


def _unsafe_reason(inner: str) -> str | None:
    path = PurePosixPath(inner)
    if inner.startswith("/") or (len(inner) > 1 and inner[1] == ":"):
        return "has an absolute path"
    if ".." in path.parts:
        return "climbs out of the archive with '..'"
    return None


def start_batch(session: Session, created_by: str | None = None,
                agency: str | None = None) -> Batch:
    """Create the batch that groups one run's documents (from ``agency``, if given)."""
    batch = Batch(id=new_id("bat"), created_by=created_by, agency=agency or None)
    session.add(batch)
    session.flush()
    return batch


def register_item(
    session: Session, store: BlobStore, batch: Batch, item: InputItem, *, max_bytes: int
) -> Document:
    """Store the item's original and add its ``Document``; never raises for bad input."""
    error = item.error
    blob = None
    if item.open is not None:
        try:
            with item.open() as stream:
                blob = store.put_stream(stream, max_bytes=max_bytes)
        except BlobTooLargeError as e:
            error = e
    if blob is None:
        return _add_failed(session, batch, item.source_filename, None, error)
    if error is not None:
        return _add_failed(session, batch, item.source_filename, blob, error)
    return _add_original_or_copy(session, batch, item.source_filename, blob)


def _add_failed(session, batch, name, blob, error: CredenceError | None) -> Document:
    doc = Document(
        id=new_id("doc"),
        batch_id=batch.id,
        sha256=blob.sha256 if blob else hashlib.sha256(b"").hexdigest(),
        source_filename=name,
        size_bytes=blob.size if blob else int((error.details or {}).get("size", 0)),
        status=DocumentStatus.FAILED,
        error_code=error.code if error else "error",
        error=str(error) if error else "unknown error",
    )
    # A failed intake is never the "original" of its digest (a later good upload of the same
    # bytes must not become a copy of a failure): pointing at itself keeps it out of the
    # partial unique index on originals.
    doc.copy_of_id = doc.id
    session.add(doc)
    session.flush()
    log.info("intake failed for %s: %s", name, doc.error)
    return doc


def _add_original_or_copy(session: Session, batch: Batch, name: str, blob) -> Document:
    doc = Document(
        id=new_id("doc"),
        batch_id=batch.id,
        sha256=blob.sha256,
        source_filename=name,
        size_bytes=blob.size,
        status=DocumentStatus.QUEUED,
    )
    first = _original_for(session, blob.sha256)
    if first is not None and first.status == DocumentStatus.FAILED:
        # Issue 19: the same bytes of a document whose reading failed were refused as a
        # copy, so it could never be read again. The failure keeps its error and steps
        # aside (points at itself, like a failed intake); this upload is read instead.
        log.info("%s: earlier reading of these bytes (%s) failed; reading again", name, first.id)
        first.copy_of_id = first.id
        session.flush()
        first = None
    if first is None:
        try:
            with session.begin_nested():
                session.add(doc)
            return doc
        except IntegrityError:
            # Another upload of the same bytes won the race: this one is its copy.
            first = _original_for(session, blob.sha256)
    doc = Document(
        id=doc.id,
        batch_id=batch.id,
        sha256=blob.sha256,
        source_filename=name,
        size_bytes=blob.size,
        status=DocumentStatus.COPY,
        copy_of_id=first.id,
    )
    session.add(doc)
    session.flush()
    return doc


def _original_for(session: Session, sha256: str) -> Document | None:
    return session.scalars(
        select(Document).where(Document.sha256 == sha256, Document.copy_of_id.is_(None))
    ).first()
