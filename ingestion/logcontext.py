"""The document a log line is about, on every line logged while a job runs.

``process_document`` sets the current document id; :class:`DocumentIdFilter`, installed on
the handler by the worker and CLI entry points only (STYLE rule 10), copies it onto every
record, including lines logged by the extractors and libraries below the job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_document_id: ContextVar[str] = ContextVar("credence_document_id", default="-")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [document=%(document_id)s] %(message)s"


@contextmanager
def document_context(document_id: str) -> Iterator[None]:
    """Every line logged inside the block names ``document_id``."""
    token = _document_id.set(document_id)
    try:
        yield
    finally:
        _document_id.reset(token)


def current_document_id() -> str:
    """The document being processed in this context (``-`` outside a job)."""
    return _document_id.get()


class DocumentIdFilter(logging.Filter):
    """Adds ``document_id`` to every record (an explicit ``extra`` wins)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "document_id"):
            record.document_id = _document_id.get()
        return True


def install_document_filter(handlers: list[logging.Handler], fmt: str = LOG_FORMAT) -> None:
    """Give ``handlers`` the filter and a format that prints the document id."""
    for handler in handlers:
        if not any(isinstance(f, DocumentIdFilter) for f in handler.filters):
            handler.addFilter(DocumentIdFilter())
        handler.setFormatter(logging.Formatter(fmt))
