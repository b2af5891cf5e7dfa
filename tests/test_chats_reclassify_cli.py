"""`python -m bot reclassify`: one command re-runs the classifier over stored articles."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.store import Store
from tests.support.deadlines import deadline
from tests.support.seeding import record_articles

REPO = Path(__file__).resolve().parents[1]


async def _stale_articles(database: Path) -> None:
    store = await Store.open(database)
    try:
        [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
        titles = ["Protests in Russia", "Coup in Myanmar", "Happy New Year"]
        stale = [
            NewArticle(
                ParsedItem(f"k{i}", t, "", None, datetime(2021, 2, 1, tzinfo=UTC)),
                Classification(),
            )
            for i, t in enumerate(titles)
        ]
        await record_articles(store, source.id, stale, now=1e9, baseline=True, route=lambda *_: [])
    finally:
        await store.close()


async def _countries(database: Path) -> list[tuple[str, ...]]:
    store = await Store.open(database)
    try:
        return sorted(a.countries for a in await store.articles.latest_articles(3))
    finally:
        await store.close()


def test_reclassify_command_reports_how_many_changed(tmp_path: Path) -> None:
    """Articles stored without countries get them; the command says how many changed."""
    database = tmp_path / "bot.sqlite3"
    asyncio.run(_stale_articles(database))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({"DATABASE_PATH": str(database), "PYTHONPATH": str(REPO)})
    run = subprocess.run(
        [sys.executable, "-m", "bot", "reclassify"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "reclassified 3 articles: 2 changed"
    assert asyncio.run(_countries(database)) == [(), ("MM",), ("RU",)]
