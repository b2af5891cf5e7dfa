"""`python -m bot backup PATH`: a consistent online copy of the database, safe while the bot runs.

SQLite's online backup API copies the pages, a step at a time (for the progress bar), under one
read transaction, so the copy is the database as of one moment even while the bot writes (WAL mode
lets both go on at once). The
copy is written beside the target, checked, and renamed into place, so PATH is never half-written.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.core.errors import StoreError
from bot.core.progress import ProgressHook, no_progress

PAGES_PER_STEP = 2048  # 8 MB of 4 KB pages between two progress reports


@dataclass(frozen=True, slots=True)
class BackupResult:
    """Where the copy went and what it holds."""

    path: Path
    bytes: int
    schema_version: int
    articles: int


def backup_target(path: Path, now: datetime | None = None, *, suffix: str = ".sqlite3") -> Path:
    """The file to write: ``path`` itself, or a dated name inside it when it is a directory."""
    if path.is_dir():
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        return path / f"teaserbot-{stamp}{suffix}"
    return path


def backup_database(
    database: Path,
    path: Path,
    *,
    progress: ProgressHook = no_progress,
    pages_per_step: int = PAGES_PER_STEP,
) -> BackupResult:
    """Copy ``database`` to ``path`` (atomically replaced) and verify the copy."""
    if not database.is_file():
        raise StoreError(f"no database at {database}")
    target = backup_target(path)
    if target.resolve() == database.resolve():
        raise StoreError("the backup must not overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        source = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        with closing(source), closing(sqlite3.connect(partial)) as copy:
            source.execute("PRAGMA busy_timeout = 30000")
            _copy_pages(source, copy, progress, pages_per_step)
            copy.execute("PRAGMA journal_mode = DELETE")
            check = copy.execute("PRAGMA integrity_check").fetchone()
            if check is None or check[0] != "ok":
                raise StoreError(f"the copy failed its integrity check: {check}")
            version = int(copy.execute("PRAGMA user_version").fetchone()[0])
            articles = _count(copy, "articles")
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise StoreError(f"backup of {database} failed: {exc}") from exc
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=target, bytes=target.stat().st_size, schema_version=version, articles=articles
    )


def _copy_pages(
    source: sqlite3.Connection, copy: sqlite3.Connection, progress: ProgressHook, step: int
) -> None:
    """Copy every page, a step at a time, from one snapshot.

    The read transaction held on ``source`` across the steps pins one snapshot (WAL mode), so
    the copy is the database as of one moment however long it takes, and writers go on.
    """
    source.execute("BEGIN")
    source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # starts the snapshot
    try:
        source.backup(
            copy,
            pages=step,
            progress=lambda _status, remaining, total: progress(total - remaining, total),
            sleep=0,
        )
    finally:
        source.rollback()


def _count(db: sqlite3.Connection, table: str) -> int:
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if exists is None:
        return 0
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
