"""The process's shared copy of the reference data, and when it must not be used.

Each process keeps one copy of the roster, catalog and instructors (course_catalog.snapshot)
instead of loading them for every transaction. A stale copy could credit training to an
officer taken off the roster, so these tests change the reference data every way it can
change (another process's import, SQL typed by hand, this transaction's own uncommitted
change) and check the next read sees it, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete, text

from course_catalog import queries, snapshot
from course_catalog.models import Officer
from credence.db import Base, make_engine, make_session_factory, session_scope
from credence.schema import upgrade_schema


def _officer(badge: str, last: str) -> Officer:
    return Officer(badge_number=badge, first_name="Dana", last_name=last, state="TX",
                   role="sworn", cycle_start=date(2025, 1, 1), cycle_end=date(2026, 12, 31))


@pytest.fixture
def migrated(database_url: str):
    """Sessions on a database built by the migrations (which create the token's triggers)."""
    upgrade_schema(database_url)
    engine = make_engine(database_url)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as session:
        session.add_all([_officer("1001", "Reyes"), _officer("1002", "Okafor")])
    yield sessions
    engine.dispose()


def _badges(sessions) -> list[str]:
    with sessions() as session:
        return [o.badge_number for o in queries.all_officers(session)]


def test_transactions_share_one_copy_until_the_roster_changes(migrated, database_url):
    """GIVEN two transactions and no change between them THEN they read the same copy;
    WHEN another process (another engine) removes an officer THEN the next transaction
    reads a new copy without that officer."""
    with migrated() as a:
        first = snapshot.current(a)
        assert first is not None
    with migrated() as b:
        assert snapshot.current(b) is first
        assert queries.all_officers(b) is first.officers

    other = make_engine(database_url)  # another process's import
    try:
        with session_scope(make_session_factory(other)) as session:
            session.execute(delete(Officer).where(Officer.badge_number == "1002"))
    finally:
        other.dispose()
    assert _badges(migrated) == ["1001"]


def test_sql_typed_by_hand_changes_the_token_too(migrated, database_url):
    """GIVEN an administrator's UPDATE outside Credence THEN the next read sees it."""
    assert sorted(_badges(migrated)) == ["1001", "1002"]
    other = make_engine(database_url)
    try:
        with other.begin() as conn:
            conn.execute(
                text("UPDATE officers SET badge_number = '2002' WHERE last_name = 'Okafor'"))
    finally:
        other.dispose()
    assert sorted(_badges(migrated)) == ["1001", "2002"]


def test_a_transaction_reads_its_own_uncommitted_change_not_the_shared_copy(migrated):
    """GIVEN a transaction that added an officer (flushed or not) WHEN it reads the roster
    THEN it sees the officer; the shared copy is not built from its uncommitted rows for
    anyone else, and once it rolls back the officer is gone for everyone."""
    assert sorted(_badges(migrated)) == ["1001", "1002"]
    with migrated() as session:
        session.add(_officer("1003", "Ngata"))
        assert snapshot.current(session) is None  # pending: the copy cannot show it
        assert "1003" in [o.badge_number for o in queries.all_officers(session)]
        session.flush()
        assert "1003" in [o.badge_number for o in queries.all_officers(session)]
        with migrated() as other:
            assert "1003" not in [o.badge_number for o in queries.all_officers(other)]
        session.rollback()
    assert sorted(_badges(migrated)) == ["1001", "1002"]


def test_shared_results_are_computed_once_per_copy(migrated):
    """Values derived from the reference rows (the roster index, the extractors' hints) are
    computed once per copy, and again after a change."""
    calls = []

    def compute():
        calls.append(1)
        return len(queries.all_officers(session))

    for _ in range(2):
        with migrated() as session:
            assert snapshot.shared(session, "count", compute) == 2
    assert len(calls) == 1
    with session_scope(migrated) as session:
        session.add(_officer("1003", "Ngata"))
    with migrated() as session:
        assert snapshot.shared(session, "count", compute) == 3
    assert len(calls) == 2


def test_a_database_without_the_token_never_shares(tmp_path):
    """GIVEN a schema made by create_all (no token row, no triggers) THEN every transaction
    reads its own rows, and still sees every change."""
    engine = make_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    Base.metadata.create_all(engine)
    sessions = make_session_factory(engine)
    try:
        with session_scope(sessions) as session:
            session.add(_officer("1001", "Reyes"))
        with sessions() as session:
            assert snapshot.current(session) is None
            assert [o.badge_number for o in queries.all_officers(session)] == ["1001"]
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM officers"))
        assert _badges(sessions) == []
    finally:
        engine.dispose()
