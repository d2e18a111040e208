"""Web accounts: create, authenticate, change; logins held on the server.

Service functions (session first, no commit). Issue 19: passwords such as ``12345678`` were
accepted, a cookie outlived logout and password changes, and an admin could deactivate the
last admin. Passwords now need ``MIN_PASSWORD_LENGTH`` characters and must not be easy to
guess: zxcvbn (Dropbox's estimator, on PyPI) scores them against its lists of common
passwords, names, words and keyboard patterns, and the account's own name; a list of our own
would be a few thousand words long and still miss "Summer2024!".
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from credence.db import as_utc, utcnow
from extractors.errors import CredenceError
from review_ui.models import ROLES, User, UserSession

MIN_PASSWORD_LENGTH = 10
# zxcvbn's score 0..4; 3 is "safely unguessable: moderate protection from offline attack".
MIN_PASSWORD_SCORE = 3
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,100}$")
# Checked against when the username is unknown, so a wrong name and a wrong password take
# the same time (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("credence-dummy-password")


class AccountError(CredenceError):
    """An account cannot be created or changed as asked."""

    code = "account_error"


def _check(username: str, password: str | None, role: str) -> None:
    if not _USERNAME.match(username or ""):
        raise AccountError("a username is 1-100 letters, digits or . _ @ -")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if password is not None:
        check_password(username, password)


def check_password(username: str, password: str) -> None:
    """Refuse a password that is short or easy to guess, saying why.

    Raises:
        AccountError: with the reason (and zxcvbn's advice when it has one).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    verdict = zxcvbn(password[:200], user_inputs=[username, "credence"])
    if verdict["score"] < MIN_PASSWORD_SCORE:
        feedback = verdict["feedback"]
        why = feedback.get("warning") or "it is too easy to guess"
        advice = " ".join(feedback.get("suggestions") or [])
        raise AccountError(f"this password is too easy to guess: {why.rstrip('.')}."
                           + (f" {advice}" if advice else ""))


def create_user(session: Session, username: str, password: str, role: str) -> User:
    """Add an account; refused when the name is taken or the input invalid."""
    _check(username, password, role)
    if find_user(session, username) is not None:
        raise AccountError(f"user {username!r} already exists")
    user = User(username=username, password_hash=generate_password_hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, username: str) -> User | None:
    """The account with this username, or ``None``."""
    return session.scalars(select(User).where(User.username == username)).first()


def list_users(session: Session) -> list[User]:
    """Every account, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active account when the password is right, else ``None``."""
    user = find_user(session, username or "")
    if user is None:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        return None
    return user


def update_user(
    session: Session,
    user: User,
    *,
    role: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> User:
    """Change an account's role, whether it may log in, or its password.

    A new password or a deactivation ends every login of the account at once. The last
    active admin can be neither demoted nor deactivated (not even by themselves).

    Raises:
        AccountError: invalid input, or the change would leave no active admin.
    """
    _check(user.username, password, role or user.role)
    stays_admin = (role or user.role) == "admin" and (user.active if active is None else active)
    if user.role == "admin" and user.active and not stays_admin:
        _keep_an_admin(session, user)
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if password:
        user.password_hash = generate_password_hash(password)
    if password or not user.active:
        end_all_sessions(session, user)
    session.flush()
    return user


def _keep_an_admin(session: Session, leaving: User) -> None:
    others = session.scalar(
        select(func.count()).select_from(User).where(
            User.role == "admin", User.active.is_(True), User.id != leaving.id
        )
    )
    if not others:
        raise AccountError(
            f"{leaving.username} is the last active admin: make another account an admin "
            "first, or no one could manage accounts"
        )


# -- logins held on the server -----------------------------------------------------------


def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, address: str | None = None) -> str:
    """Record a new login of ``user``; return the token its cookie carries."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(id=_token_id(token), user_id=user.id, address=(address or "")[:64]))
    session.flush()
    return token


def session_user(session: Session, token: str | None, max_age: timedelta) -> User | None:
    """The active user of a login that exists and is younger than ``max_age``, else ``None``.

    An expired login's row is removed.
    """
    if not token or not isinstance(token, str):
        return None
    row = session.get(UserSession, _token_id(token))
    if row is None:
        return None
    if as_utc(row.created_at) + max_age < utcnow():
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None


def end_session(session: Session, token: str | None) -> None:
    """End one login (logout)."""
    if token and isinstance(token, str):
        session.execute(delete(UserSession).where(UserSession.id == _token_id(token)))


def end_all_sessions(session: Session, user: User) -> int:
    """End every login of ``user`` (password changed, account disabled); how many."""
    result = session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return result.rowcount or 0


def set_password(session: Session, username: str, password: str) -> User:
    """Give an account a new password (ends its logins).

    Raises:
        AccountError: no such account, or the password is refused.
    """
    user = find_user(session, username)
    if user is None:
        raise AccountError(f"no user {username!r}")
    return update_user(session, user, password=password)
