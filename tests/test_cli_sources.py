"""`python -m bot sources`: the polling status table, read from a database the poller filled."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.core.models import SourceSpec
from bot.net.http import Fetcher
from bot.service.poller import Poller
from bot.store import Store
from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer, rss
from tests.test_poller import Clock, no_region, story

REPO = Path(__file__).resolve().parents[1]
HEADER = ["ID", "NAME", "URL", "STATUS", "LAST", "SUCCESS", "LAST", "ERROR", "NEXT", "POLL"]


def sources_command(database: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot sources` on the database, without a token."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "FEED_", "SOURCES_"))
    }
    env.update({"PYTHONPATH": str(REPO), "DATABASE_PATH": str(database)})
    return subprocess.run(
        [sys.executable, "-m", "bot", "sources"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(30),
        check=False,
    )


async def test_sources_table_shows_what_the_poller_recorded(
    feeds: FeedServer, tmp_path: Path
) -> None:
    """Healthy, failing, gone and unpolled sources each show status, times and last error."""
    feeds.set("/ok.xml", rss([story(1)], title="ok"))
    feeds.set("/down.xml", "boom", status=500, content_type="text/plain")
    feeds.set("/gone.xml", "gone", status=410, content_type="text/plain")
    feeds.set("/page.xml", "<html><body>Not a feed</body></html>", content_type="text/html")
    database = tmp_path / "bot.sqlite3"
    clock = Clock()
    store = await Store.open(database)
    try:
        names = ("ok", "down", "gone", "page")
        await store.sources.sync_sources(
            [SourceSpec(name=n, url=feeds.url(f"/{n}.xml")) for n in names]
            + [SourceSpec(name="later", url=feeds.url("/later.xml"))]
        )
        async with Fetcher(
            allow_private=True, user_agent="teaserbot-test", total_timeout=3
        ) as fetcher:
            poller = Poller(store, fetcher, interval=60, classify=no_region, clock=clock)
            due = [s for s in await store.sources.sources() if s.name != "later"]  # never polled
            await poller.poll_many(due)
            down = next(s for s in await store.sources.sources() if s.name == "down")
            await poller.poll(down)  # a second failure
    finally:
        await store.close()

    result = sources_command(database, tmp_path)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == HEADER
    by_name = {row.split()[1]: row for row in rows}  # a name, then its host: "ok (127.0.0.1)"
    assert set(by_name) == {"ok", "down", "gone", "page", "later"}
    assert feeds.url("/ok.xml") in by_name["ok"]
    assert " ok " in by_name["ok"]
    assert "failing x2" in by_name["down"]
    assert "HTTP 500" in by_name["down"]
    assert "disabled" in by_name["gone"]
    assert "HTTP 410 Gone" in by_name["gone"]
    assert "not a feed" in by_name["page"]
    assert by_name["down"].count("Z") == 1  # next poll only: it never succeeded
    assert by_name["ok"].count("Z") == 2  # last success and next poll
    assert by_name["gone"].rstrip().endswith("-")  # disabled: no next poll
    assert by_name["later"].split()[4:] == ["new", "-", "-", "due"]


def test_sources_command_needs_no_token_and_handles_an_empty_database(tmp_path: Path) -> None:
    """On a fresh database the table has only its header; no token is asked for."""
    result = sources_command(tmp_path / "fresh.sqlite3", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == HEADER
