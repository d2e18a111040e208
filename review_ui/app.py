"""App factory: builds the Flask app from settings; nothing is built at import time."""

from __future__ import annotations

from flask import Flask, render_template
from sqlalchemy import func, select, text

from credence.config import Settings, load_settings
from credence.db import make_engine, make_session_factory


def create_app(settings: Settings | None = None) -> Flask:
    """Create the web app for ``settings`` (default: from the environment)."""
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["CREDENCE_SETTINGS"] = settings
    engine = make_engine(settings.database_url)
    app.extensions["credence_sessions"] = make_session_factory(engine)

    @app.get("/healthz")
    def healthz():
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return {"status": "ok"}

    @app.get("/")
    def home():
        from verification.models import TrainingRecord

        with app.extensions["credence_sessions"]() as session:
            counts = dict(
                session.execute(
                    select(TrainingRecord.status, func.count()).group_by(TrainingRecord.status)
                ).all()
            )
        return render_template("home.html", counts=counts)

    return app
