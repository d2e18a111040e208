"""``credence backup`` / ``credence restore``: the database and the stored files, together.

A backup is a folder: ``manifest.json``, the database, ``originals/`` and ``pages/``.
The database is saved the best way its engine allows:

- SQLite: the sqlite3 online backup API (a consistent copy while others write) into
  ``credence.db``;
- PostgreSQL: ``pg_dump --format=custom`` into ``database.dump`` when ``pg_dump`` is on the
  PATH, otherwise a table-by-table copy through SQLAlchemy into ``tables.db`` (SQLite).

The database is saved first and the files after: originals are written before the rows that
name them commit, so every original a saved row names is already there to be copied.
Restore goes into an empty data folder and database: the files are copied back, then the
database (a SQLite file, ``pg_restore``, or the table copy into a schema made by the
migrations), then page image paths are moved to the new data folder, then the schema is
brought up to date.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, inspect, select, text
from sqlalchemy.engine import make_url

from credence.config import Settings
from credence.db import Base, make_engine
from credence.models import import_all_models
from extractors.errors import CredenceError

MANIFEST = "manifest.json"
SQLITE_FILE = "credence.db"
DUMP_FILE = "database.dump"
TABLES_FILE = "tables.db"
_FOLDERS = ("originals", "pages")


class BackupError(CredenceError):
    """A backup or restore that cannot go on (a folder not empty, a tool missing)."""

    code = "backup_failed"


@dataclass(frozen=True)
class BackupResult:
    """Where the backup went and how the database was saved."""

    dest: Path
    method: str
    files: int


def backup(settings: Settings, dest: Path, *, use_pg_dump: bool = True) -> BackupResult:
    """Save the database and the stored files of ``settings`` into the new folder ``dest``."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty: a backup goes into a new folder")
    dest.mkdir(parents=True, exist_ok=True)
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        method = "sqlite-backup"
        _sqlite_backup(Path(url.database), dest / SQLITE_FILE)
    elif use_pg_dump and shutil.which("pg_dump"):
        method = "pg_dump"
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dest / DUMP_FILE}",
              _libpq_url(settings.database_url)])
    else:
        method = "table-copy"
        _copy_tables(make_engine(settings.database_url),
                     make_engine(f"sqlite:///{dest / TABLES_FILE}"))
    files = sum(_copy_folder(settings.data_dir / name, dest / name) for name in _FOLDERS)
    manifest = {
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data_dir": str(settings.data_dir),
        "database": url.get_backend_name(),
        "method": method,
        "files": files,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return BackupResult(dest, method, files)


def restore(settings: Settings, src: Path) -> BackupResult:
    """Restore the backup in ``src`` into the empty data folder and database of ``settings``."""
    from credence.schema import upgrade_schema

    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise BackupError(f"{src} is not a Credence backup (no {MANIFEST})") from e
    _require_empty(settings)
    files = sum(_copy_folder(src / name, settings.data_dir / name) for name in _FOLDERS)
    url = make_url(settings.database_url)
    method = manifest["method"]
    if method == "sqlite-backup" and url.get_backend_name() == "sqlite":
        _sqlite_backup(src / SQLITE_FILE, Path(url.database))
    elif method == "pg_dump":
        if url.get_backend_name() != "postgresql":
            raise BackupError("a pg_dump backup restores into PostgreSQL only")
        _run(["pg_restore", "--no-owner", "--exit-on-error",
              f"--dbname={_libpq_url(settings.database_url)}", str(src / DUMP_FILE)])
    else:
        upgrade_schema(settings.database_url)
        source = src / (SQLITE_FILE if method == "sqlite-backup" else TABLES_FILE)
        _copy_tables(make_engine(f"sqlite:///{source}"), make_engine(settings.database_url))
    upgrade_schema(settings.database_url)  # a backup of an older version: bring it up
    _move_page_paths(settings, manifest["data_dir"])
    return BackupResult(src, method, files)


def _require_empty(settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    for name in _FOLDERS:
        folder = settings.data_dir / name
        if folder.exists() and any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty: restore goes into an empty data folder")
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            if "documents" in inspect(conn).get_table_names() and conn.execute(
                text("SELECT count(*) FROM documents")
            ).scalar_one():
                raise BackupError("the database already holds documents: restore into an "
                                  "empty database")
    finally:
        engine.dispose()


def _sqlite_backup(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _copy_folder(source: Path, target: Path) -> int:
    """Copy every file (not an intake's left-over ``.incoming-`` file); return how many."""
    n = 0
    if not source.exists():
        return 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith(".incoming-"):
            continue
        out = target / path.relative_to(source)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, out)
        n += 1
    return n


def _copy_tables(source: Engine, target: Engine) -> None:
    """Every Credence table's rows from ``source`` into ``target``, parents first.

    ``target`` has the schema already (or gets it from the models); the rows its migrations
    seeded (the reference token, the audit chain's head) are replaced by the saved ones.
    """
    import_all_models()
    if not inspect(target).get_table_names():
        Base.metadata.create_all(target)
    present = set(inspect(source).get_table_names())
    tables = [t for t in Base.metadata.sorted_tables if t.name in present]
    try:
        with source.connect() as read, target.begin() as write:
            if target.dialect.name == "postgresql":
                write.execute(text("SET LOCAL TIME ZONE 'UTC'"))  # SQLite's moments are UTC
            for table in reversed(tables):
                if table.name != "record_events":  # append-only; empty in a new database
                    write.execute(table.delete())
            for table in tables:
                rows = [dict(r._mapping) for r in read.execute(select(table))]
                if rows:
                    write.execute(table.insert(), rows)
            if target.dialect.name == "postgresql":
                _reset_sequences(write, tables)
    finally:
        source.dispose()
        target.dispose()


def _reset_sequences(conn, tables) -> None:
    # Rows came with their ids: the next id a sequence gives must be past them.
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or pk[0].type.python_type is not int:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar_one()
        top = conn.execute(select(func.max(pk[0]))).scalar_one()
        if seq and top:
            conn.execute(text("SELECT setval(:s, :v)"), {"s": seq, "v": top})


def _move_page_paths(settings: Settings, old_data_dir: str) -> None:
    """Page image paths are stored whole: point them at the restored data folder."""
    new = str(settings.data_dir)
    if old_data_dir == new:
        return
    engine = make_engine(settings.database_url)
    try:
        pages = MetaData()
        pages.reflect(engine, only=["pages"])
        table = pages.tables["pages"]
        with engine.begin() as conn:
            rows = conn.execute(select(table.c.id, table.c.image_path)
                                .where(table.c.image_path.startswith(old_data_dir))).all()
            for page_id, path in rows:
                conn.execute(table.update().where(table.c.id == page_id)
                             .values(image_path=new + path[len(old_data_dir):]))
    finally:
        engine.dispose()


def _libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL as libpq spells it (no ``+driver``)."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
