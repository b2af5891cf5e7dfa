"""`python -m bot backup PATH` on PostgreSQL: pg_dump's custom format, taken from one snapshot.

pg_dump (PostgreSQL's own tool; pg_restore reads its files) writes the dump. It runs inside a
snapshot this module exports and reads its figures from, so the schema version and article count
printed are those of the dump, even while bots keep writing. The password reaches pg_dump in
PGPASSWORD, never on its command line nor in a message. The dump is written beside the target,
listed with pg_restore to check it is whole, and renamed into place.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from bot.core.errors import StoreError
from bot.core.progress import ProgressHook, no_progress
from bot.store.backup import BackupResult, backup_target, prune_backups
from bot.store.postgres.base import CONNECT_TIMEOUT, connect_error, describe

DUMP_SUFFIX = ".dump"
_TABLES = (  # the tables pg_dump dumps the contents of
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
)


def split_password(url: str) -> tuple[str, str | None]:
    """The URL without its password, and the password (percent-decoded; None when absent)."""
    parts = urlsplit(url)
    userinfo, at, hostport = parts.netloc.rpartition("@")
    if not at or ":" not in userinfo:
        return url, None
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=f"{user}@{hostport}")), unquote(password)


def pg_dump_hint(url: str, target: Path) -> str:
    """The pg_dump command an operator can run instead (the password left out)."""
    safe, password = split_password(url)
    prefix = "PGPASSWORD=… " if password else ""
    return f"{prefix}pg_dump --format=custom --file={shlex.quote(str(target))} {shlex.quote(safe)}"


async def backup_postgres(
    url: str,
    path: Path | str,
    *,
    pg_dump: str | None = None,
    progress: ProgressHook = no_progress,
    keep: int | None = None,
) -> BackupResult:
    """Dump the database at ``url`` to ``path`` (a file, or a dated file in a folder of which
    the newest ``keep`` are kept)."""
    target = backup_target(path, suffix=DUMP_SUFFIX)
    tool = pg_dump or shutil.which("pg_dump")
    if tool is None:
        raise StoreError(
            "pg_dump is not installed here (Debian: apt-get install postgresql-client); "
            f"back up PostgreSQL with: {pg_dump_hint(url, target)}"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        version, articles = await _dump(url, tool, partial, progress)
        await _check(tool, partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    dated = target != Path(path)
    pruned = prune_backups(target.parent, keep, suffix=DUMP_SUFFIX) if keep and dated else ()
    return BackupResult(
        path=target,
        bytes=target.stat().st_size,
        schema_version=version,
        articles=articles,
        pruned=pruned,
    )


async def _connect(url: str) -> asyncpg.Connection:
    try:
        return await asyncpg.connect(url, timeout=CONNECT_TIMEOUT)
    except Exception as exc:
        error = connect_error(url, exc)
        if error is None:
            raise
        raise error from None


async def _dump(url: str, tool: str, partial: Path, progress: ProgressHook) -> tuple[int, int]:
    """Run pg_dump in a snapshot exported here; the schema version and articles it holds."""
    conn = await _connect(url)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            version = await conn.fetchval(
                "SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 "
                "ELSE (SELECT coalesce(max(version), 0) FROM schema_version) END"
            )
            articles = 0
            if await conn.fetchval("SELECT to_regclass('articles') IS NOT NULL"):
                articles = await conn.fetchval("SELECT count(*) FROM articles")
            tables = int(await conn.fetchval(_TABLES))
            progress(0, tables)
            await _run_pg_dump(url, tool, partial, snapshot, _TableCounter(progress, tables))
    except asyncpg.PostgresError as exc:
        raise StoreError(f"backup of {describe(url)} failed: {exc}") from None
    finally:
        await conn.close()
    return int(version), int(articles)


class _TableCounter:
    """Counts the tables pg_dump --verbose says it dumps, as progress."""

    def __init__(self, progress: ProgressHook, tables: int) -> None:
        self.progress = progress
        self.tables = tables
        self.done = 0

    def __call__(self, line: str) -> None:
        if "dumping contents of table" in line:
            self.done += 1
            self.progress(min(self.done, self.tables), self.tables)


async def _run_pg_dump(
    url: str, tool: str, partial: Path, snapshot: str, on_line: Callable[[str], None]
) -> None:
    safe, password = split_password(url)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = password
    failed = await _run_tool(
        tool,
        "--verbose",
        "--format=custom",
        f"--snapshot={snapshot}",
        f"--file={partial}",
        f"--dbname={safe}",
        env=env,
        on_line=on_line,
    )
    if failed is not None:
        raise StoreError(f"pg_dump of {describe(url)} failed: {failed}")


async def _check(tool: str, partial: Path) -> None:
    """pg_restore can read the dump's table of contents (when pg_restore is installed)."""
    restore = Path(tool).with_name("pg_restore")
    if not restore.exists():
        return
    failed = await _run_tool(str(restore), "--list", str(partial))
    if failed is not None:
        raise StoreError(f"the dump failed its check (pg_restore --list): {failed}")


async def _run_tool(
    *argv: str, env: dict[str, str] | None = None, on_line: Callable[[str], None] | None = None
) -> str | None:
    """Run a PostgreSQL client tool quietly; its error line when it failed, else None.

    Each line it writes to stderr goes to ``on_line`` as it comes (pg_dump --verbose's progress).
    """
    proc = await asyncio.create_subprocess_exec(
        *argv,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    assert proc.stderr is not None
    err = bytearray()
    async for line in proc.stderr:
        err += line
        if on_line is not None:
            on_line(line.decode("utf-8", "replace"))
    await proc.wait()
    return _reason(bytes(err)) if proc.returncode != 0 else None


def _reason(err: bytes) -> str:
    """The tool's error line (its first ``error:`` line, else its last line)."""
    lines = [line.strip() for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("pg_dump: dumping")] or lines
    errors = [line for line in lines if "error:" in line]
    return (errors or lines or ["no message"])[0 if errors else -1]
