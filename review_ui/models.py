"""Web accounts: who may log in, and in which role.

Passwords are hashed with ``werkzeug.security`` (scrypt, salted), which ships with Flask:
a well-kept implementation with no extra dependency to install on a small agency's machine.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
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
