"""Login throttling: wrong passwords counted per account and per address, then a lockout.

Issue 19: twenty wrong passwords, then the right one, logged in. Now ``max_failures`` wrong
passwords for one account within the lockout period lock that account for the period, and
``max_address_failures`` from one address lock that address; while locked, even the right
password is refused with a message naming the time it ends. An admin lifts a lockout sooner
(``credence users unlock``, the users page).

The counters live in Redis when ``CREDENCE_REDIS_URL`` is set (every web process and
machine sees the same counts; keys expire by themselves), in the database otherwise (table
``login_throttle``, written in a transaction of its own so a refused login, whose request
is rolled back, still counts). Flask-Limiter was considered: its storage (the ``limits``
package) has no SQL backend, and a lockout whose end is shown and which an admin can lift
is not a rate limit; the counters here are a few lines on either store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from credence.config import Settings
from credence.db import as_utc, utcnow
from review_ui.models import LoginFailureCount

_REDIS_PREFIX = "credence:login:"


def account_key(username: str) -> str:
    """The counter of one account (usernames compared as typed, lower-cased)."""
    return f"user:{(username or '').strip().lower()[:150]}"


def address_key(address: str | None) -> str:
    """The counter of one client address."""
    return f"addr:{address or 'unknown'}"


class ThrottleStore(Protocol):
    """Where failure counts live.

    ``failed`` MUST count one failure atomically (two processes failing at once count two)
    and return the end of the lockout when this failure reached ``limit``; ``locked_until``
    MUST return ``None`` once a lockout has ended or was cleared.
    """

    def locked_until(self, key: str) -> datetime | None: ...

    def failed(self, key: str, limit: int, period: timedelta) -> datetime | None: ...

    def clear(self, key: str) -> bool: ...


class DatabaseThrottleStore:
    """Counters in the ``login_throttle`` table, each change committed at once."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def locked_until(self, key: str) -> datetime | None:
        with self.sessions() as session:
            row = session.get(LoginFailureCount, key)
            if row is None or row.locked_until is None:
                return None
            until = as_utc(row.locked_until)
            return until if until > utcnow() else None

    def failed(self, key: str, limit: int, period: timedelta) -> datetime | None:
        now = utcnow()
        with self.sessions() as session, session.begin():
            row = session.get(LoginFailureCount, key, with_for_update=True)
            if row is None:
                try:
                    with session.begin_nested():
                        session.add(LoginFailureCount(key=key, failures=0, window_start=now))
                except IntegrityError:  # another process counted this key's first failure
                    pass
                row = session.get(
                    LoginFailureCount, key, with_for_update=True, populate_existing=True
                )
            if as_utc(row.window_start) + period < now:  # an old window: start counting again
                row.failures, row.window_start, row.locked_until = 0, now, None
            session.flush()
            session.execute(
                update(LoginFailureCount)
                .where(LoginFailureCount.key == key)
                .values(failures=LoginFailureCount.failures + 1)
            )
            session.refresh(row)
            if row.failures >= limit:
                row.locked_until = now + period
                return row.locked_until
            return None

    def clear(self, key: str) -> bool:
        with self.sessions() as session, session.begin():
            row = session.get(LoginFailureCount, key)
            if row is None:
                return False
            was_locked = row.locked_until is not None and as_utc(row.locked_until) > utcnow()
            session.delete(row)
            return was_locked

    def locked_keys(self) -> dict[str, datetime]:
        """Every key locked now, with the end of its lockout (for the users page)."""
        with self.sessions() as session:
            rows = session.scalars(
                select(LoginFailureCount).where(LoginFailureCount.locked_until.is_not(None))
            )
            now = utcnow()
            return {r.key: as_utc(r.locked_until) for r in rows if as_utc(r.locked_until) > now}


class RedisThrottleStore:
    """Counters in Redis: ``INCR`` with an expiry for the count, a key with a TTL for the lock."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis

        self.redis = Redis.from_url(redis_url)

    def locked_until(self, key: str) -> datetime | None:
        ttl = self.redis.pttl(_REDIS_PREFIX + "lock:" + key)
        if ttl is None or ttl < 0:
            return None
        return datetime.now(UTC) + timedelta(milliseconds=ttl)

    def failed(self, key: str, limit: int, period: timedelta) -> datetime | None:
        count_key = _REDIS_PREFIX + "count:" + key
        ms = max(1, int(period.total_seconds() * 1000))
        pipe = self.redis.pipeline()  # MULTI/EXEC: the window starts with the first failure
        pipe.set(count_key, 0, px=ms, nx=True)
        pipe.incr(count_key)
        count = pipe.execute()[1]
        if count < limit:
            return None
        self.redis.set(_REDIS_PREFIX + "lock:" + key, b"1", px=ms)
        return datetime.now(UTC) + period

    def clear(self, key: str) -> bool:
        removed = self.redis.delete(_REDIS_PREFIX + "lock:" + key)
        self.redis.delete(_REDIS_PREFIX + "count:" + key)
        return bool(removed)

    def locked_keys(self) -> dict[str, datetime]:
        """Every key locked now, with the end of its lockout (for the users page)."""
        found = {}
        prefix = _REDIS_PREFIX + "lock:"
        for raw in self.redis.scan_iter(match=prefix + "*", count=500):
            key = raw.decode()[len(prefix):]
            until = self.locked_until(key)
            if until is not None:
                found[key] = until
        return found


@dataclass(frozen=True)
class Lockout:
    """Why a login is refused before its password is looked at, and until when."""

    scope: str  # "account" or "address"
    until: datetime

    def message(self) -> str:
        """What the login page says."""
        at = self.until.astimezone(UTC).strftime("%H:%M UTC")
        if self.scope == "account":
            return (f"Too many failed logins for this account: it is locked until {at}. "
                    "An admin can unlock it sooner.")
        return (f"Too many failed logins from your address: logins from it are refused "
                f"until {at}.")


class LoginThrottle:
    """The policy over a store: check before the password, count after a failure."""

    def __init__(self, store: ThrottleStore, settings: Settings) -> None:
        self.store = store
        self.max_failures = max(1, settings.login_max_failures)
        self.max_address_failures = max(1, settings.login_max_address_failures)
        self.period = timedelta(minutes=settings.login_lockout_minutes)

    def lockout(self, username: str, address: str | None) -> Lockout | None:
        """The lockout that refuses this login now, if any."""
        until = self.store.locked_until(account_key(username))
        if until is not None:
            return Lockout("account", until)
        until = self.store.locked_until(address_key(address))
        if until is not None:
            return Lockout("address", until)
        return None

    def failed(self, username: str, address: str | None) -> Lockout | None:
        """Count a wrong password; the lockout it started, if it reached a limit."""
        account = self.store.failed(account_key(username), self.max_failures, self.period)
        by_address = self.store.failed(
            address_key(address), self.max_address_failures, self.period
        )
        if account is not None:
            return Lockout("account", account)
        if by_address is not None:
            return Lockout("address", by_address)
        return None

    def succeeded(self, username: str) -> None:
        """A right password: the account's failures are forgotten (the address's are not)."""
        self.store.clear(account_key(username))

    def unlock(self, username: str) -> bool:
        """Lift an account's lockout; whether it was locked."""
        return self.store.clear(account_key(username))

    def unlock_address(self, address: str) -> bool:
        """Lift an address's lockout; whether it was locked."""
        return self.store.clear(address_key(address))

    def locked_accounts(self) -> dict[str, datetime]:
        """Locked account names (lower-cased) with the end of their lockout."""
        return self._locked("user:")

    def locked_addresses(self) -> dict[str, datetime]:
        """Locked client addresses with the end of their lockout."""
        return self._locked("addr:")

    def _locked(self, prefix: str) -> dict[str, datetime]:
        keys = self.store.locked_keys()  # type: ignore[attr-defined]
        return {k[len(prefix):]: v for k, v in keys.items() if k.startswith(prefix)}


def make_throttle(settings: Settings, sessions: sessionmaker[Session]) -> LoginThrottle:
    """Redis counters when Redis is configured, the database's otherwise."""
    store: ThrottleStore
    if settings.redis_url:
        store = RedisThrottleStore(settings.redis_url)
    else:
        store = DatabaseThrottleStore(sessions)
    return LoginThrottle(store, settings)
