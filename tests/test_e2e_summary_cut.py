"""End to end: a WordPress excerpt cut by the site reaches a reader with the cut marked (10.3)."""

from __future__ import annotations

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER = 1401
OLD = {"title": "An old story", "link": "https://news.example/old", "guid": "old"}
MYANMAR = {
    "title": "Myanmar Coup: Another Nail in the Coffin of Liberalism",
    "link": "https://news.example/myanmar",
    "guid": "myanmar",
    "description": (
        "<p>Four years after the coup, the junta is staging a vote in the areas it still "
        "controls. Myanmar&#8217;s generals have killed the illusion [&#8230;]</p>\n"
        '<p>The post <a href="https://news.example/myanmar">Myanmar Coup</a> appeared first on '
        '<a href="https://news.example">Socialist Revolution</a>.</p>'
    ),
    "category": "Myanmar",
}


def test_a_site_cut_excerpt_reaches_the_reader_ending_with_an_ellipsis(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """The teaser keeps the excerpt up to the site's cut, marks it with "…" and drops the
    "appeared first on" line: nothing reads as if the phrase were complete."""
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    feeds.set("/feed.xml", rss([OLD], title="Socialist Revolution"))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1)

    feeds.set("/feed.xml", rss([MYANMAR, OLD], title="Socialist Revolution"))
    assert telegram.wait_until(
        lambda: any("Myanmar" in m.text for m in telegram.messages(READER)), timeout=15
    )
    [teaser] = [m for m in telegram.messages(READER) if m.text.startswith("Myanmar Coup")]
    assert "Myanmar’s generals have killed the illusion…" in teaser.text  # noqa: RUF001
    assert "[…]" not in teaser.text
    assert "appeared first" not in teaser.text
    assert bot_process.terminate() == 0
