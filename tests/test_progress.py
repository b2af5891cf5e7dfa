"""Long commands show a progress bar on a terminal and only their summary line elsewhere."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.store import Store
from bot.store.postgres import backup_postgres
from bot.store.postgres.copy import copy_store
from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer, rss
from tests.support.postgres import PostgresServer
from tests.support.seeding import record_articles
from tests.support.terminal import run_on_terminal

REPO = Path(__file__).resolve().parents[1]
ARTICLES = 1200
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\r")


async def _articles(database: Path, count: int = ARTICLES) -> None:
    store = await Store.open(database)
    try:
        [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
        entries = [
            NewArticle(
                ParsedItem(f"k{i}", f"Protests in Chile {i}", "", None, None), Classification()
            )
            for i in range(count)
        ]
        await record_articles(
            store, source.id, entries, now=1e9, baseline=True, route=lambda *_: []
        )
    finally:
        await store.close()


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({"DATABASE_PATH": str(database), "PYTHONPATH": str(REPO)})
    return env


def _piped(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(120),
        check=False,
    )


def test_reclassify_on_a_terminal_draws_a_bar_with_count_rate_and_time_left(
    tmp_path: Path,
) -> None:
    """On a terminal `reclassify` draws a bar: articles done of all, a rate and the time left."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_articles(database))
    status, output = run_on_terminal(
        [sys.executable, "-m", "bot", "reclassify"], cwd=tmp_path, env=_env(database)
    )
    text = _ANSI.sub("", output)
    assert status == 0, text
    assert f"{ARTICLES}/{ARTICLES} articles" in text
    assert re.search(r"[\d,.?]+ articles/s", text)
    assert re.search(r"(\d+:\d\d:\d\d|-:--:--) left", text)
    assert f"reclassified {ARTICLES} articles: {ARTICLES} changed" in text


def test_reclassify_in_a_log_prints_one_summary_line(tmp_path: Path) -> None:
    """Not on a terminal, `reclassify` writes its summary line and nothing else."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_articles(database))
    run = _piped(tmp_path, _env(database), "reclassify")
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"reclassified {ARTICLES} articles: {ARTICLES} changed\n"
    assert run.stderr == ""


def test_backup_on_a_terminal_draws_a_bar_and_in_a_log_one_line(tmp_path: Path) -> None:
    """`backup` of SQLite shows pages copied on a terminal and only its summary in a log."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_articles(database))
    env = _env(database)
    status, output = run_on_terminal(
        [sys.executable, "-m", "bot", "backup", str(tmp_path / "tty.sqlite3")],
        cwd=tmp_path,
        env=env,
    )
    text = _ANSI.sub("", output)
    assert status == 0, text
    assert re.search(r"backup .*(\d+)/\1 pages", text)
    assert f"{ARTICLES} articles" in text.splitlines()[-1]
    run = _piped(tmp_path, env, "backup", str(tmp_path / "log.sqlite3"))
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert len(run.stdout.splitlines()) == 1
    assert run.stdout.startswith("backed up ")


def test_backup_and_copy_store_on_postgresql_report_progress_to_the_end(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
) -> None:
    """copy-store reports rows copied of all, and a PostgreSQL backup the tables pg_dump dumped."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_articles(database, 30))
    copied: list[tuple[int, int | None]] = []
    result = asyncio.run(
        copy_store(database, postgres_url, progress=lambda d, t: copied.append((d, t)))
    )
    rows = sum(result.rows.values())
    assert copied[0] == (0, rows)
    assert copied[-1] == (rows, rows)
    dumped: list[tuple[int, int | None]] = []
    asyncio.run(
        backup_postgres(
            postgres_url, tmp_path / "pg.dump", progress=lambda d, t: dumped.append((d, t))
        )
    )
    tables = dumped[0][1]
    assert tables is not None
    assert tables >= len(result.rows)
    assert dumped[-1] == (tables, tables)


def test_copy_store_on_a_terminal_draws_a_bar_and_in_a_log_one_line(
    tmp_path: Path, postgres_server: PostgresServer, postgres_url: str
) -> None:
    """`copy-store` shows rows copied on a terminal; in a log only its summary line."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_articles(database, 40))
    env = _env(database)
    status, output = run_on_terminal(
        [sys.executable, "-m", "bot", "copy-store", "--to", postgres_url], cwd=tmp_path, env=env
    )
    text = _ANSI.sub("", output)
    assert status == 0, text
    assert re.search(r"copy-store .*(\d+)/\1 rows", text)
    assert "verified" in text


def test_sources_import_on_a_terminal_draws_a_bar_above_which_each_feed_is_told(
    tmp_path: Path,
) -> None:
    """On a terminal `sources import` shows feeds done of all with each feed's line and the
    summary; in a log only those lines (covered in tests/test_opml.py)."""
    with FeedServer() as feeds:
        for n in range(3):
            feeds.set(f"/f{n}.rss", rss([{"title": "T", "link": f"https://x.example/{n}"}]))
        body = "".join(
            f'<outline text="F{n}" xmlUrl="{feeds.url(f"/f{n}.rss")}"/>' for n in range(3)
        )
        opml = tmp_path / "feeds.opml"
        opml.write_text(f'<opml version="2.0"><body>{body}</body></opml>')
        env = {**_env(tmp_path / "bot.sqlite3"), "ALLOW_PRIVATE_SOURCES": "true"}
        status, output = run_on_terminal(
            [sys.executable, "-m", "bot", "sources", "import", str(opml)], cwd=tmp_path, env=env
        )
    text = _ANSI.sub("", output)
    assert status == 0, text
    assert re.search(r"import .*3/3 feeds", text)
    assert "added #1 F0: " in text
    assert f"imported {opml}: 3 added, 0 already there, 0 failed (3 feeds)" in text
