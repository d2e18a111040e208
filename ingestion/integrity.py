"""Originals that prove themselves: every stored file checked against its digest.

Issue 19: four bytes overwritten in a stored original went unnoticed, and a kill during intake
left files no document names. :func:`verify_store` reads every original a document names and
reports the missing and the altered ones, and the files no document names (orphans). Orphans
younger than ``grace`` are left out: an intake stores its originals before the transaction
that records them commits (STYLE rule 8), so a fresh file may belong to a running intake.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ingestion.models import Document
from ingestion.storage import BlobStore, file_digest

# A failed intake with no bytes at all records the digest of nothing and stores no file.
_EMPTY = hashlib.sha256(b"").hexdigest()


@dataclass
class StoreReport:
    """What :func:`verify_store` found."""

    checked: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """True when every original is there with the bytes its digest names."""
        return not self.missing and not self.altered


def verify_store(
    session: Session,
    store: BlobStore,
    *,
    remove_orphans: bool = False,
    grace: timedelta = timedelta(hours=1),
) -> StoreReport:
    """Check every original against its digest; find (and optionally remove) orphans."""
    report = StoreReport()
    known = set(session.scalars(select(Document.sha256).distinct()))
    for sha in sorted(known):
        path = store.path_for(sha)
        if not path.exists():
            if sha != _EMPTY:
                report.missing.append(sha)
            continue
        report.checked += 1
        if file_digest(path) != sha:
            report.altered.append(sha)
    cutoff = time.time() - grace.total_seconds()
    for path in store.walk():
        if (path.name in known and store.path_for(path.name) == path) or (
            path.stat().st_mtime > cutoff
        ):
            continue
        report.orphans.append(path)
        if remove_orphans:
            os.unlink(path)
            report.removed.append(path)
    return report


def source_names(session: Session, sha256: str) -> list[str]:
    """The names the documents holding ``sha256`` were uploaded under."""
    return list(session.scalars(
        select(Document.source_filename).where(Document.sha256 == sha256).order_by(Document.id)
    ))
