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


def collect_inputs(paths: list[Path], *, max_bytes: int) -> Iterator[InputItem]:
    """Yield every file under ``paths``: files, folders (recursive, sorted) and zips.

    Raises:
        UsageError: a path does not exist (the command was misused, nothing registered).
    """
    check_paths(paths)
    for path in paths:
        if path.is_dir():
            root = path.resolve()
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                name = file.relative_to(path).as_posix()
                if is_system_file(name):
                    continue
                if not file.resolve().is_relative_to(root):
                    # rglob does not enter linked folders, but lists a linked file.
                    yield InputItem(name, None, OutsideFolderError(
                        f"{name} is a link to a file outside the folder given; not read"))
                    continue
                yield from _items_for_file(file, name, max_bytes)
        else:
            yield from _items_for_file(path, path.name, max_bytes)


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


def _items_for_file(path: Path, name: str, max_bytes: int) -> Iterator[InputItem]:
    with open(path, "rb") as f:
        head = f.read(4)
    if head == _ZIP_MAGIC:
        yield from _items_in_zip(lambda: open(path, "rb"), name, max_bytes, depth=1)
    else:
        yield InputItem(name, lambda: open(path, "rb"))


def _items_in_zip(
    opener: Callable[[], BinaryIO], name: str, max_bytes: int, depth: int
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
                yield from _item_for_member(archive, member, name, max_bytes, depth)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        yield InputItem(name, opener, CorruptArchiveError(f"cannot open zip archive: {e}"))


def _item_for_member(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, max_bytes: int, depth: int
) -> Iterator[InputItem]:
    inner = member.filename.replace("\\", "/")
    label = f"{name}/{inner.lstrip('/')}"
    if member.file_size > max_bytes:
        yield InputItem(label, None, BlobTooLargeError(member.file_size, max_bytes))
        return
    try:
        data = _read_member(archive, member, max_bytes)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as e:
        yield InputItem(label, None, CorruptArchiveError(f"cannot read {inner!r} from zip: {e}"))
        return
    except BlobTooLargeError as e:
        yield InputItem(label, None, e)
        return
    item_open = _bytes_opener(data)
    unsafe = _unsafe_reason(inner)
    if unsafe:
        yield InputItem(label, item_open, UnsafeArchivePathError(f"zip member {inner!r} {unsafe}"))
    elif data[:4] == _ZIP_MAGIC and depth < _MAX_ZIP_DEPTH:
        yield from _items_in_zip(item_open, label, max_bytes, depth + 1)
    elif data[:4] == _ZIP_MAGIC:
        yield InputItem(label, item_open, ArchiveTooDeepError(
            f"a zip nested more than {_MAX_ZIP_DEPTH} zips deep is not opened; "
            "unpack it and upload its files"))
    else:
        yield InputItem(label, item_open)


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_bytes: int) -> bytes:
    # The declared size can lie (zip bombs): count what really comes out.
    out = io.BytesIO()
    with archive.open(member) as src:
        while chunk := src.read(1024 * 1024):
            if out.tell() + len(chunk) > max_bytes:
                raise BlobTooLargeError(out.tell() + len(chunk), max_bytes)
            out.write(chunk)
    return out.getvalue()


def _bytes_opener(data: bytes) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(data)


def _unsafe_reason(inner: str) -> str | None:
    path = PurePosixPath(inner)
    if inner.startswith("/") or (len(inner) > 1 and inner[1] == ":"):
        return "has an absolute path"
    if ".." in path.parts:
        return "climbs out of the archive with '..'"
    return None


def start_batch(session: Session, created_by: str | None = None) -> Batch:
    """Create the batch that groups one run's documents."""
    batch = Batch(id=new_id("bat"), created_by=created_by)
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
