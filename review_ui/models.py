"""Web accounts: who may log in, and in which role.

Passwords are hashed with ``werkzeug.security`` (scrypt, salted), which ships with Flask:
a well-kept implementation with no extra dependency to install on a small agency's machine.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from credence.db import Base, utcnow

ROLES = ("clerk", "reviewer", "admin")


class User(Base):
    """A person who uses the web app: a clerk, a reviewer or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class UserSession(Base):
    """A login, held on the server: the cookie carries only its random token.

    Issue 19: a signed cookie stayed valid after logout and after a password change. Ending
    a login deletes its row; a password change or a deactivation deletes every row of the
    user, and the next request of any browser holding one of them is logged out.
    Only the token's sha256 is stored, so the table alone opens no session.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    address: Mapped[str | None] = mapped_column(String(64), nullable=True)


class LoginFailureCount(Base):
    """Failed logins counted per account (``user:NAME``) or address (``addr:IP``).

    The database storage of the login throttle; with ``CREDENCE_REDIS_URL`` set, Redis
    keeps the same counters instead (review_ui.throttle).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
