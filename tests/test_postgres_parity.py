"""JSON fields and time zones behave the same on SQLite and PostgreSQL.

GIVEN the same document processed on each backend, THEN the JSON columns (words with boxes,
field evidence, reasons) come back equal, and the timestamps are the same instants in UTC
(SQLite hands back naive datetimes; they are stored in UTC, ``verification.records._aware``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from production_support import production_env, register
from sqlalchemy import select

from credence.db import make_engine, make_session_factory, session_scope
from ingestion.jobs import process_document
from ingestion.models import Document, Page
from verification.models import RecordEvent, TrainingRecord


def _as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _read_back(settings, doc_id: str) -> dict:
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine)() as session:
            page = session.scalars(select(Page).where(Page.document_id == doc_id)).one()
            record = session.scalars(select(TrainingRecord)).one()
            event = session.scalars(select(RecordEvent)).one()
            doc = session.get(Document, doc_id)
            return {
                "page_text": page.text,
                "fields": record.fields,
                "reasons": record.reasons,
                "credit_topics": record.credit_topics,
                "explanation": record.explanation,
                "event_after": {k: v for k, v in event.after.items() if k != "updated_at"},
                "received_at": _as_utc(record.received_at),
                "created_at": _as_utc(doc.created_at),
            }
    finally:
        engine.dispose()


def test_json_and_timestamps_read_back_the_same_on_both_backends(
    monkeypatch, tmp_path, corpus, postgres_url
):
    path = corpus / "docs" / "clean" / "doc_0003.pdf"
    received = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)  # a DST night in Europe
    results = []
    for name, url in (("sqlite", f"sqlite:///{tmp_path}/p.db"), ("postgresql", postgres_url)):
        settings = production_env(monkeypatch, tmp_path / name, url, None)
        [doc_id] = register(settings, [path])
        sessions = make_session_factory(make_engine(url))
        with session_scope(sessions) as session:
            session.get(Document, doc_id).created_at = received
        process_document(doc_id, settings)
        results.append(_read_back(settings, doc_id))

    sqlite, postgres = results
    assert sqlite["received_at"] == postgres["received_at"] == received
    assert sqlite["created_at"] == postgres["created_at"] == received
    for key in ("page_text", "fields", "reasons", "credit_topics", "explanation"):
        assert sqlite[key] == postgres[key], key
    assert sqlite["page_text"]["words"]  # a real page with words, boxes and confidences
    assert set(sqlite["event_after"]) == set(postgres["event_after"])
