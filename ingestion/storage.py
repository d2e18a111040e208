"""Content-addressed storage of originals: every upload kept under its sha256.

Writes are idempotent (same bytes, same path), so an original can be stored before the
database transaction that records it commits (STYLE rule 8). A new original is fsynced
before it is renamed into place, and the folder after, so a power cut leaves either the
whole file or none. Storing bytes whose stored copy was altered on disk puts the right
bytes back (issue 19: re-ingesting the good file used to keep the bad copy).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ingestion.errors import BlobTooLargeError

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    """An original as stored: its digest, size and where it lives."""

    sha256: str
    size: int
    path: Path


class BlobStore:
    """Originals under ``root/ab/cd/<sha256>``; a shared mount works for several workers."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        """Where the original with this digest lives (whether or not it exists yet)."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None = None) -> StoredBlob:
        """Copy ``stream`` into the store while hashing it; return the stored blob.

        Raises:
            BlobTooLargeError: the stream is longer than ``max_bytes``; nothing is kept.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.root, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as tmp:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise BlobTooLargeError(size, max_bytes)
                    digest.update(chunk)
                    tmp.write(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists() and file_digest(final) == sha:
                os.unlink(tmp_name)
            else:
                # Atomic: readers never see a half-written original; an altered copy is
                # replaced by the bytes its name promises.
                os.replace(tmp_name, final)
                _fsync_dir(final.parent)
            return StoredBlob(sha, size, final)
        except BaseException:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
            raise

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> StoredBlob:
        """Store the file at ``path``."""
        with open(path, "rb") as f:
            return self.put_stream(f, max_bytes=max_bytes)

    def walk(self) -> Iterator[Path]:
        """Every file under the store's root (originals and left-over incoming files)."""
        if self.root.exists():
            yield from (p for p in sorted(self.root.rglob("*")) if p.is_file())

    def copy_out(self, sha256: str, dest: Path) -> Path:
        """Copy an original out of the store (e.g. into a job's work folder)."""
        shutil.copyfile(self.path_for(sha256), dest)
        return dest




def file_digest(path: Path) -> str:
    """The sha256 of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(folder: Path) -> None:
    # The rename is durable only once the folder's entry is on disk.
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
