"""Errors of intake: things wrong with an upload before any page is read."""

from __future__ import annotations

from extractors.errors import CredenceError, InputFileError


class BlobTooLargeError(InputFileError):
    """The file is over the configured upload size limit; it is not kept."""

    code = "too_large"

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            f"file is larger than the {limit / (1024 * 1024):g} MB upload limit",
            size=size,
            limit=limit,
        )


class UnsafeArchivePathError(InputFileError):
    """A zip member whose path is absolute or climbs out with ``..``."""

    code = "unsafe_archive_path"


class CorruptArchiveError(InputFileError):
    """A zip archive that cannot be opened or whose member cannot be read."""

    code = "corrupt_archive"


class ArchiveTooDeepError(InputFileError):
    """A zip inside zips deeper than intake opens; it is kept, not read (issue 19)."""

    code = "archive_too_deep"


class OutsideFolderError(InputFileError):
    """A link in a folder given to ``ingest`` that points outside it; nothing is stored.

    Issue 19: a link to a system file was stored as an original.
    """

    code = "outside_folder"


class UsageError(CredenceError):
    """The command itself was misused (a path that does not exist, ...)."""

    code = "usage"


class ArchiveTooLargeError(InputFileError):
    """A zip that expands past the archive caps (bytes or members); the rest is not stored.

    Issue 19: a 1.9 MB zip of distinct members became 1.9 GB of kept originals.
    """

    code = "archive_too_large"


class BatchTooLargeError(InputFileError):
    """An upload or ``credence ingest`` past the batch caps; the files after it are not stored."""

    code = "batch_too_large"
