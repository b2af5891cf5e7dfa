"""Issue 24 end to end, with the real bot process, two local feeds and the fake Bot API: each
chat gets exactly what its filter (regions AND topics AND keywords AND sites) lets through.

The chats' choices are written with ``store.change_settings`` between two runs of the bot (the
commands that write them have tests of their own); the stories are classified by the bot.
"""

from __future__ import annotations

import time

import pytest

from bot.core import regions
from bot.core.chat_filters import SiteFilter
from bot.core.chat_settings import ChatSettings
from bot.core.keywords import parse_keywords
from bot.core.models import ChatKind
from bot.core.topics import TopicFilter
from tests.support.backends import BACKENDS, store_of
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.store_rows import database

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

LABOUR = 2401  # topic labour
NO_FOOTBALL = 2402  # -football
BLUE_ONLY = 2403  # sites: the second feed only
EVERYTHING = 2404  # chose nothing
CHANNEL = -1002400  # Latin America AND labour AND -football, set up by its admin
ADMIN = 2405

OLD = {"title": "Old news", "link": "https://news.example/old", "guid": "old"}
CHILE_STRIKE = {
    "title": "Chile: copper miners strike at Escondida",
    "link": "https://news.example/chile-strike",
    "guid": "chile-strike",
    "description": "Workers walk out over wages at the largest copper mine in the world.",
}
CHILE_VOTE = {
    "title": "Chile: elections bring a new president",
    "link": "https://news.example/chile-vote",
    "guid": "chile-vote",
    "description": "The right wins the runoff vote.",
}
FOOTBALL = {
    "title": "Football: Chile win the cup",
    "link": "https://news.example/football",
    "guid": "football",
    "description": "Fans celebrate in Santiago.",
}
FRANCE_STRIKE = {
    "title": "France: rail workers strike against the pension reform",
    "link": "https://news.example/france-strike",
    "guid": "france-strike",
    "description": "Unions call a walkout.",
}
ARGENTINA_STRIKE = {
    "title": "Argentina: dockers strike at the port of Buenos Aires",
    "link": "https://blue.example/argentina-strike",
    "guid": "argentina-strike",
    "description": "Unions stop work against layoffs.",
}
RED = (CHILE_STRIKE, CHILE_VOTE, FOOTBALL, FRANCE_STRIKE)
BLUE = (ARGENTINA_STRIKE,)


def title(*stories: dict[str, str]) -> set[str]:
    return {story["title"] for story in stories}


EXPECTED = {
    LABOUR: title(CHILE_STRIKE, FRANCE_STRIKE, ARGENTINA_STRIKE),
    NO_FOOTBALL: title(CHILE_STRIKE, CHILE_VOTE, FRANCE_STRIKE, ARGENTINA_STRIKE),
    BLUE_ONLY: title(ARGENTINA_STRIKE),
    EVERYTHING: title(*RED, *BLUE),
    CHANNEL: title(CHILE_STRIKE, ARGENTINA_STRIKE),
}


def received(telegram: FakeTelegram, chat_id: int) -> set[str]:
    """The story titles among the messages the bot sent to a chat."""
    return {m.text.split("\n")[0] for m in telegram.messages(chat_id)} & title(*RED, *BLUE)


async def choose(env: dict[str, str], telegram: FakeTelegram) -> None:
    """The chats and their choices, written as the commands would write them."""
    now = time.time()
    async with store_of(env) as store:
        blue = [s.id for s in await store.sources.sources() if "/blue.xml" in s.url]
        labour = TopicFilter(frozenset({"labour"}))
        choices = {
            LABOUR: ChatSettings(topics=labour),
            NO_FOOTBALL: ChatSettings(keywords=parse_keywords("-football")),
            BLUE_ONLY: ChatSettings(sites=SiteFilter(frozenset(blue))),
            EVERYTHING: ChatSettings(),
            CHANNEL: ChatSettings(topics=labour, keywords=parse_keywords("-football")),
        }
        for chat_id, settings in choices.items():
            if chat_id == CHANNEL:
                telegram.add_channel(CHANNEL, "Workers' Wire", "workerswire", admins=[ADMIN])
                await store.chats.upsert_chat(
                    chat_id, ChatKind.CHANNEL, now=now, title="Workers' Wire"
                )
                await store.chats.set_region_filter(
                    chat_id, regions.parse_filter("latin america"), now=now
                )
            else:
                telegram.add_private_chat(chat_id)
                await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=now)
            await store.chats.set_subscribed(chat_id, True, now=now)
            await store.chats.change_settings(chat_id, lambda _s, new=settings: new, now=now)
        channel = await store.chats.chat(CHANNEL)
        assert channel is not None
        assert channel.settings == choices[CHANNEL]


async def queued_for(env: dict[str, str]) -> dict[int, int]:
    """How many outbox rows each chat has (the routing decisions, sent or not)."""
    async with store_of(env) as store, database(store).transaction() as db:
        rows = await db.all("SELECT chat_id, count(*) FROM outbox GROUP BY chat_id")
    return {int(chat_id): int(count) for chat_id, count in rows}


async def test_each_chat_gets_what_its_filter_lets_through(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Topic labour gets the strikes and not the election; -football keeps the football story
    out; a chat narrowed to one site gets nothing from the other; a channel gets only Latin
    American labour stories without football; a chat that chose nothing gets everything."""
    feeds.set("/red.xml", rss([OLD], title="Red News"))
    feeds.set("/blue.xml", rss([OLD], title="Blue Post"))
    bot_process.env["FEED_URLS"] = f"{feeds.url('/red.xml')},{feeds.url('/blue.xml')}"
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True", count=2, timeout=30)
    assert bot_process.terminate() == 0

    await choose(bot_process.env, telegram)
    bot_process.start()
    bot_process.wait_for(r"running as @", timeout=30)
    feeds.set("/red.xml", rss([*RED, OLD], title="Red News"))
    feeds.set("/blue.xml", rss([*BLUE, OLD], title="Blue Post"))

    def all_arrived() -> bool:
        return all(received(telegram, c) == want for c, want in EXPECTED.items())

    assert telegram.wait_until(all_arrived, timeout=60), {
        chat_id: received(telegram, chat_id) for chat_id in EXPECTED
    }
    assert bot_process.terminate() == 0
    # Nothing else was decided for anyone (not even a row still waiting to be sent).
    assert await queued_for(bot_process.env) == {c: len(want) for c, want in EXPECTED.items()}
    strike = next(m for m in telegram.messages(LABOUR) if "copper" in m.text)
    assert strike.text.rsplit("\n", 1)[-1].endswith("#Chile #LatinAmerica #Labour")
