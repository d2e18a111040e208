"""Documents an embedded run left unfinished: queued or processing, held by a process
that has ended (``ingestion.holders``), or by none for a while.

Apart from the queue's operations (:mod:`ingestion.operations`), so that an embedded
``credence ingest`` does not import Redis and RQ to look for them (~0.15 s a start).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from credence.db import as_utc
from ingestion.holders import holder_is_gone
from ingestion.models import Document, DocumentStatus

#: A queued document no process holds is resumed by another run after this long alone
#: (a run registering it right now is about to hand it to its runner).
ORPHAN_QUIET = timedelta(minutes=10)


def find_orphans(session: Session, quiet_after: timedelta = ORPHAN_QUIET) -> list[str]:
    """Embedded mode: documents left queued or processing by a process that has ended.

    A document held by a process of this host that no longer exists is an orphan at once;
    one held by no process (registered, never handed to a runner: a crash in between, or a
    row older than the ``held_by`` column) once it has been left alone for ``quiet_after``.
    Oldest first.
    """
    rows = session.execute(
        select(Document.id, Document.held_by, Document.updated_at)
        .where(Document.status.in_((DocumentStatus.QUEUED, DocumentStatus.PROCESSING)))
        .order_by(Document.created_at, Document.id)
    )
    cutoff = datetime.now(UTC) - quiet_after
    return [
        doc_id for doc_id, holder, updated in rows
        if (holder_is_gone(holder) if holder else as_utc(updated) < cutoff)
    ]
