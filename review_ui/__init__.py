"""The web app (Flask). The only package that imports flask."""

from __future__ import annotations

from review_ui.app import create_app

__all__ = ["create_app"]
