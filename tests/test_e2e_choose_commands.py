"""End to end with the real bot process: the chats' choices typed as commands decide who gets a
story (tests/test_e2e_choose.py writes the choices into the store instead).

Readers and a channel choose by typing (/topic, /keywords, /sites; the channel from its admin's
private chat); two sites then publish; each chat gets exactly what its filters allow. What each
chat was queued is read back from the database, so a story wrongly routed is seen without
waiting for it to be sent.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from tests.support.backends import BACKENDS, store_of
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.store_rows import database

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

LABOUR, NO_FOOTBALL, ONE_SITE, ADMIN = 1301, 1302, 1303, 1304
CHANNEL = -1001300

OLD = {"title": "An old story", "link": "https://workers.example/old", "guid": "old"}
STRIKE = {
    "title": "Dock workers strike for higher wages",
    "link": "https://workers.example/strike",
    "guid": "strike",
    "description": "Thousands of dock workers walked out on Monday, their union said.",
    "category": "Strikes",
}
ELECTION = {
    "title": "Parliament election: parties campaign for votes",
    "link": "https://workers.example/election",
    "guid": "election",
    "description": "The parties held rallies before Sunday's vote.",
    "category": "Elections",
}
FOOTBALL = {
    "title": "Football cup final: fans celebrate",
    "link": "https://workers.example/football",
    "guid": "football",
    "description": "The league title was decided in extra time.",
    "category": "Football",
}
NURSES = {
    "title": "Nurses strike across the country",
    "link": "https://voices.example/nurses",
    "guid": "nurses",
    "description": "Nurses walked out over pay; the union called it a success.",
    "category": "Strikes",
}
EXPECTED = {
    LABOUR: {STRIKE["title"], NURSES["title"]},
    NO_FOOTBALL: {STRIKE["title"], ELECTION["title"], NURSES["title"]},
    ONE_SITE: {STRIKE["title"], ELECTION["title"], FOOTBALL["title"]},
    CHANNEL: {NURSES["title"]},
}


def _ask(telegram: FakeTelegram, user: int, text: str, starts: str) -> None:
    """Send a command in the user's private chat and wait for the answer that starts so."""
    before = len(telegram.messages(user))
    telegram.send_message(user, user, text)
    answer = telegram.wait_for_messages(user, before + 1)[before]
    assert answer.text.startswith(starts), answer.text


def _received(telegram: FakeTelegram, chat_id: int) -> set[str]:
    titles = {t for stories in EXPECTED.values() for t in stories} | {FOOTBALL["title"]}
    return {
        m.text.split("\n")[0] for m in telegram.messages(chat_id) if m.text.split("\n")[0] in titles
    }


async def _queued(env: Mapping[str, str], chat_id: int) -> set[str]:
    """The titles of every outbox row of a chat, sent or not."""
    async with store_of(env) as store, database(store).transaction() as db:
        rows = await db.all(
            "SELECT a.title FROM outbox o JOIN articles a ON a.id = o.article_id "
            "WHERE o.chat_id = ?",
            chat_id,
        )
    return {str(row[0]) for row in rows}


def test_each_chat_gets_only_what_its_topics_keywords_and_sites_allow(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/topic labour gets the strikes, not the election; /keywords -football no football story;
    /sites narrowed to one site nothing from the other; a channel set from its admin's private
    chat only the story its topic and site allow."""
    for user in (LABOUR, NO_FOOTBALL, ONE_SITE, ADMIN):
        telegram.add_user(user, f"Reader {user}")
        telegram.add_private_chat(user)
    telegram.add_channel(CHANNEL, "Strike Watch", "strikewatch", creator=ADMIN, bot_status="left")
    feeds.set("/workers.xml", rss([OLD], title="Workers Daily"))
    feeds.set("/voices.xml", rss([], title="Other Voices"))
    bot_process.env["FEED_URLS"] = f"{feeds.url('/workers.xml')},{feeds.url('/voices.xml')}"
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True", count=2)

    _ask(telegram, LABOUR, "/start", "Welcome")
    _ask(telegram, LABOUR, "/topic labour", "Topics for this chat: Labour.")
    _ask(telegram, NO_FOOTBALL, "/start", "Welcome")
    _ask(telegram, NO_FOOTBALL, "/keywords -football", "Keywords for this chat: -football.")
    _ask(telegram, ONE_SITE, "/start", "Welcome")
    _ask(telegram, ONE_SITE, "/sites workers", "Sites for this chat: Workers Daily.")
    telegram.bot_membership_changed(CHANNEL, ADMIN, new_status="administrator")
    telegram.wait_for_messages(ADMIN, 1)
    _ask(telegram, ADMIN, "/start @strikewatch", "Settings for Strike Watch")
    _ask(telegram, ADMIN, "/topic @strikewatch labour", "Topics for Strike Watch: Labour.")
    _ask(telegram, ADMIN, "/sites @strikewatch other voices", "Sites for Strike Watch: Other")

    feeds.set("/workers.xml", rss([STRIKE, ELECTION, FOOTBALL, OLD], title="Workers Daily"))
    feeds.set("/voices.xml", rss([NURSES], title="Other Voices"))
    for chat_id, stories in EXPECTED.items():
        assert telegram.wait_until(lambda c=chat_id, s=stories: _received(telegram, c) == s, 20)
    for chat_id, stories in EXPECTED.items():
        assert asyncio.run(_queued(bot_process.env, chat_id)) == stories
    assert bot_process.terminate() == 0
