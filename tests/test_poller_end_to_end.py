"""Identity and robustness with the real bot process, a local feed server and the fake Bot API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import REPO, BotProcess
from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

READER = 2002


def item(n: int, **changes: str) -> dict[str, Any]:
    entry = {
        "title": f"Story number {n}",
        "link": f"https://news.example/{n}",
        "guid": f"https://news.example/?p={n}",
        "description": f"What happened in story {n}.",
        "pubDate": f"Mon, {n:02d} Feb 2021 10:00:00 +0000",
    }
    return entry | changes


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_messy_feed_sends_each_new_article_once_oldest_first(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_process: BotProcess,
    tmp_path: Path,
) -> None:
    """Edits, drop-outs, duplicate guids and a broken neighbour: only new items, once, in order."""
    a, b = item(1, guid="dup"), item(2, guid="dup")  # a CMS that repeats one guid
    feeds.set("/feed.xml", rss([b, a], title="Messy News"))
    bot_process.env["FEED_URLS"] = f"{feeds.url('/feed.xml')},{feeds.url('/broken.xml')}"
    telegram.add_user(READER, "Clara")
    telegram.add_private_chat(READER)

    bot_process.start()
    bot_process.wait_for(r"poll source=[^=]* status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1)

    # Three new items; b edited; a dropped (so b's guid is no longer a duplicate).
    edited_b = b | {"title": "Story number 2 (updated)", "description": "Now corrected."}
    feeds.set("/feed.xml", rss([item(5), item(3), item(4), edited_b], title="Messy News"))
    messages = telegram.wait_for_messages(READER, 4)
    assert [m.text.splitlines()[0] for m in messages[1:]] == [
        "Story number 3",
        "Story number 4",
        "Story number 5",
    ]

    # Everything comes back, with a changed channel description: nothing is new.
    feeds.set("/feed.xml", rss([item(5), item(4), item(3), b, a], description="rebuilt"))
    bot_process.wait_for(r"poll source=[^=]* status=ok items=5 new=0 queued=0")
    bot_process.wait_for(r"poll source=[^=]* status=not_modified .*same_body=True")

    table = subprocess.run(
        [sys.executable, "-m", "bot", "sources"],
        cwd=tmp_path,
        env={**bot_process.env, "PYTHONPATH": str(REPO), "BOT_TOKEN": ""},
        capture_output=True,
        text=True,
        timeout=deadline(30),
        check=True,
    ).stdout
    broken = next(line for line in table.splitlines() if "broken.xml" in line)
    assert "failing x" in broken
    assert "HTTP 404" in broken
    assert bot_process.terminate() == 0

    assert len(telegram.messages(READER)) == 4
    agents = {r.headers.get("user-agent", "") for r in feeds.requests()}
    assert len(agents) == 1
    assert agents.pop().startswith("teaserbot/")
    # One log line per failed poll, naming the source and the reason; nothing else about it.
    failures = [line for line in bot_process.lines if "HTTP 404" in line]
    assert failures
    assert all(
        "poll source=127.0.0.1/broken.xml (127.0.0.1) status=error" in line for line in failures
    )
    assert len(failures) == len(feeds.requests("/broken.xml"))
