"""The audit log is append-only at the database and its hash chain shows tampering (issue 19, 4).

Run on a schema built by the migrations (the triggers live there), on SQLite and on the real
PostgreSQL server. To tamper, a test drops the triggers first, as an attacker with the
database's owner rights would.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from compliance_factory import add_course, add_officer, add_record, add_standard
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from credence.cli import main
from credence.db import make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema
from verification.audit import verify_chain
from verification.models import RecordEvent


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def migrated_url(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    upgrade_schema(url)
    return url


@pytest.fixture
def engine(migrated_url):
    engine = make_engine(migrated_url)
    yield engine
    engine.dispose()


def _history(engine) -> list[int]:
    """Three records with a created event each and one reviewer's note: four events."""
    with session_scope(make_session_factory(engine)) as s:
        add_standard(s)
        course = add_course(s, "1849")
        officer = add_officer(s, "1001")
        records = [add_record(s, officer, course, date(2025, m, 1), 2) for m in (2, 3, 4)]
        s.add(RecordEvent(record_id=records[0].id, actor="rivera", action="approved",
                          why="signature checked", at=datetime(2025, 2, 10)))
    with make_session_factory(engine)() as s:
        return list(s.scalars(text("SELECT id FROM record_events ORDER BY id")))


def _verify(engine):
    with make_session_factory(engine)() as s:
        return verify_chain(s)


def _drop_triggers(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP TRIGGER record_events_append_only ON record_events"))
        else:
            conn.execute(text("DROP TRIGGER record_events_no_update"))
            conn.execute(text("DROP TRIGGER record_events_no_delete"))


@pytest.mark.parametrize("statement", [
    "UPDATE record_events SET why = 'nothing to see' WHERE id = :id",
    "DELETE FROM record_events WHERE id = :id",
])
def test_update_and_delete_are_refused(engine, statement):
    ids = _history(engine)
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement), {"id": ids[1]})
    result = _verify(engine)
    assert result.intact and result.events == 4


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql(postgres_url):
    upgrade_schema(postgres_url)
    engine = make_engine(postgres_url)
    try:
        _history(engine)
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text("TRUNCATE record_events"))
    finally:
        engine.dispose()


def test_every_event_links_to_the_one_before(engine):
    _history(engine)
    with make_session_factory(engine)() as s:
        events = list(s.scalars(text("SELECT prev_hash FROM record_events ORDER BY id")))
        hashes = list(s.scalars(text("SELECT hash FROM record_events ORDER BY id")))
    assert events[0] == "0" * 64
    assert events[1:] == hashes[:-1]
    assert len(set(hashes)) == 4


def test_changed_content_is_found(engine, migrated_url, monkeypatch, capsys):
    ids = _history(engine)
    monkeypatch.setenv("CREDENCE_DATABASE_URL", migrated_url)
    assert main(["audit", "verify"]) == 0
    assert "4 events, chain intact" in capsys.readouterr().out
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE record_events SET why = 'approved on the phone' WHERE id = :i"),
                     {"i": ids[3]})
    assert main(["audit", "verify"]) == 1
    assert f"chain broken at event {ids[3]}" in capsys.readouterr().out
    assert "content was changed" in _verify(engine).why


def test_removed_event_is_found(engine):
    ids = _history(engine)
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM record_events WHERE id = :i"), {"i": ids[1]})
    result = _verify(engine)
    assert result.broken_at == ids[2] and "removed" in result.why


def test_removed_newest_event_is_found(engine):
    ids = _history(engine)
    _drop_triggers(engine)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM record_events WHERE id = :i"), {"i": ids[-1]})
    result = _verify(engine)
    assert not result.intact and "newest events were removed" in result.why


def test_event_written_around_the_chain_is_found(engine):
    ids = _history(engine)
    with engine.begin() as conn:
        record_id = conn.execute(text("SELECT record_id FROM record_events WHERE id = :i"),
                                 {"i": ids[0]}).scalar_one()
        conn.execute(text("INSERT INTO record_events (record_id, actor, action, at) "
                          "VALUES (:r, 'mallory', 'approved', CURRENT_TIMESTAMP)"),
                     {"r": record_id})
    result = _verify(engine)
    assert not result.intact and "no hash" in result.why


def test_chain_continues_across_sessions(engine):
    """GIVEN a chain, WHEN later sessions add events, THEN they extend it and it holds."""
    _history(engine)
    with session_scope(make_session_factory(engine)) as s:
        record_id = s.scalars(text("SELECT id FROM records ORDER BY id")).first()
        s.add(RecordEvent(record_id=record_id, actor="rivera", action="note", why="one"))
        s.flush()
        s.add(RecordEvent(record_id=record_id, actor="rivera", action="note", why="two"))
    result = _verify(engine)
    assert result.intact and result.events == 6


def test_concurrent_writers_keep_one_chain(engine):
    """GIVEN two writers adding events at once, THEN no two events share a predecessor."""
    import threading

    _history(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        record_id = s.scalars(text("SELECT id FROM records ORDER BY id")).first()
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for i in range(15):
                with session_scope(sessions) as s:
                    s.add(RecordEvent(record_id=record_id, actor=name, action="note", why=str(i)))
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in ("ana", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = _verify(engine)
    assert result.intact and result.events == 34


def test_a_transaction_chains_its_events_from_the_head_it_holds(engine):
    """GIVEN one transaction adding events flush after flush, one of them in a savepoint
    that is rolled back WHEN it commits THEN the chain holds: the head read once under the
    lock serves the later flushes, and the rolled-back savepoint's events are not chained
    to."""
    _history(engine)
    with session_scope(make_session_factory(engine)) as s:
        record_id = s.scalars(text("SELECT id FROM records ORDER BY id")).first()
        for why in ("one", "two"):
            s.add(RecordEvent(record_id=record_id, actor="rivera", action="note", why=why))
            s.flush()
        with s.begin_nested() as savepoint:
            s.add(RecordEvent(record_id=record_id, actor="rivera", action="note", why="gone"))
            s.flush()
            savepoint.rollback()
        s.add(RecordEvent(record_id=record_id, actor="rivera", action="note", why="three"))
    result = _verify(engine)
    assert result.intact and result.events == 7


def test_concurrent_writers_of_several_flushes_keep_one_chain(engine):
    """GIVEN two writers whose transactions each add three events in three flushes, at
    once, THEN every event links to the one before it, across both writers."""
    import threading

    _history(engine)
    sessions = make_session_factory(engine)
    with sessions() as s:
        record_id = s.scalars(text("SELECT id FROM records ORDER BY id")).first()
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for i in range(8):
                with session_scope(sessions) as s:
                    for j in range(3):
                        s.add(RecordEvent(record_id=record_id, actor=name, action="note",
                                          why=f"{i}.{j}"))
                        s.flush()
        except BaseException as e:  # reported below, in the test's thread
            errors.append(e)

    threads = [threading.Thread(target=write, args=(n,)) for n in ("ana", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = _verify(engine)
    assert result.intact and result.events == 4 + 2 * 8 * 3


def test_upgrade_chains_the_events_already_there(engine, migrated_url):
    """GIVEN a database at 0005 holding a history, WHEN it is upgraded, THEN it is chained."""
    from alembic import command

    from credence.schema import alembic_config

    _history(engine)
    engine.dispose()
    command.downgrade(alembic_config(migrated_url), "0005")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM record_events")).scalar_one() == 4
    upgrade_schema(migrated_url)
    result = _verify(engine)
    assert result.intact and result.events == 4
