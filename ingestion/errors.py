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


class UsageError(CredenceError):
    """The command itself was misused (a path that does not exist, ...)."""

    code = "usage"
