"""Web accounts: create, authenticate, change. Service functions (session first, no commit)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from extractors.errors import CredenceError
from review_ui.models import ROLES, User

MIN_PASSWORD_LENGTH = 8
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
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


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
    """Change an account's role, whether it may log in, or its password."""
    _check(user.username, password, role or user.role)
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if password:
        user.password_hash = generate_password_hash(password)
    session.flush()
    return user
