"""`python -m bot backup PATH`: a consistent online copy of the database, safe while the bot runs.

SQLite's online backup API copies the pages, a step at a time (for the progress bar), under one
read transaction, so the copy is the database as of one moment even while the bot writes (WAL mode
lets both go on at once). The
copy is written beside the target, checked, and renamed into place, so PATH is never half-written.

PATH names a folder of dated backups (``teaserbot-20260101-120000.sqlite3``) when it is a
directory, ends with ``/``, or does not exist yet and has no extension; else it is the file to
write. In a folder, ``--keep N`` then removes all but the newest N dated backups.
"""

from __future__ import annotations

import os
import re
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
    pruned: tuple[Path, ...] = ()  # older dated backups removed (--keep)


def is_backup_folder(path: Path | str) -> bool:
    """Whether PATH names a folder of dated backups: a directory, a name ending with ``/``, or
    a name that does not exist yet and has no extension (``/data/backups``)."""
    text = str(path)
    folder = Path(text)
    if text.endswith(("/", os.sep)) or folder.is_dir():
        return True
    return not folder.exists() and not folder.suffix


def backup_target(
    path: Path | str, now: datetime | None = None, *, suffix: str = ".sqlite3"
) -> Path:
    """The file to write: ``path`` itself, or a dated name inside it when it names a folder."""
    if is_backup_folder(path):
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
        return Path(path) / f"teaserbot-{stamp}{suffix}"
    return Path(path)


def prune_backups(folder: Path, keep: int, *, suffix: str) -> tuple[Path, ...]:
    """Remove all but the newest ``keep`` dated backups in ``folder``; the removed ones."""
    dated = re.compile(rf"teaserbot-\d{{8}}-\d{{6}}{re.escape(suffix)}")
    backups = sorted(p for p in folder.iterdir() if dated.fullmatch(p.name) and p.is_file())
    old = backups[: max(len(backups) - keep, 0)]
    for backup in old:
        backup.unlink(missing_ok=True)
    return tuple(old)


def backup_database(
    database: Path,
    path: Path | str,
    *,
    progress: ProgressHook = no_progress,
    pages_per_step: int = PAGES_PER_STEP,
    keep: int | None = None,
) -> BackupResult:
    """Copy ``database`` to ``path`` (atomically replaced) and verify the copy; in a folder of
    dated backups, keep the newest ``keep`` (all when None)."""
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
    dated = target != Path(path)
    pruned = prune_backups(target.parent, keep, suffix=".sqlite3") if keep and dated else ()
    return BackupResult(
        path=target,
        bytes=target.stat().st_size,
        schema_version=version,
        articles=articles,
        pruned=pruned,
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
