"""Faults end clearly: a one-line log, the right exit status, and backoff where waiting helps.

The real bot process against the fake Bot API server and the local feed server.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.models import ChatKind
from bot.store import Store
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

CHATS = range(8001, 8031)


def story(number: int) -> dict[str, str]:
    return {
        "title": f"Story {number} of the day",
        "link": f"https://news.example/story-{number}",
        "guid": f"story-{number}",
        "description": f"What happened in story {number}.",
    }


async def seed_chats(database: Path, telegram: FakeTelegram, chat_ids: range) -> None:
    """Subscribed private chats in the store (before the bot starts) and in the fake world."""
    store = await Store.open(database)
    try:
        for chat_id in chat_ids:
            telegram.add_private_chat(chat_id)
            await store.upsert_chat(chat_id, ChatKind.PRIVATE, now=time.time())
            await store.set_subscribed(chat_id, True, now=time.time())
    finally:
        await store.close()


async def test_a_telegram_outage_pauses_every_send_with_backoff_then_delivers_all(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess, bot_env: dict[str, str]
) -> None:
    """Every call answered 502: the bot backs off instead of trying each of 30 chats, logs one
    line per pause and no traceback, and delivers everything once Telegram is back."""
    database = Path(bot_env["DATABASE_PATH"])
    await seed_chats(database, telegram, CHATS)
    feeds.set("/feed.xml", rss([story(0)]))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    telegram.clear_log()
    telegram.fail_next_any(502, times=100_000, method="*")
    telegram.send_message(CHATS[0], CHATS[0], "/help")  # ends the long poll under way
    feeds.set("/feed.xml", rss([story(1), story(0)]))
    await asyncio.sleep(8)
    sends = len(telegram.calls("sendMessage"))
    polls = len(telegram.calls("getUpdates"))
    telegram.clear_faults()
    assert await telegram.async_wait_until(
        lambda: all(len(telegram.messages(chat)) == 1 for chat in CHATS), 90
    )
    bot_process.wait_for(r"deliver outage over")
    assert bot_process.terminate() == 0
    print(f"outage calls: sendMessage={sends} getUpdates={polls}")
    assert sends <= 16, sends  # not one attempt per chat, nor a retry loop at full speed
    assert polls <= 8, polls  # getUpdates backs off too
    assert "deliver outage failures_in_a_row=" in bot_process.output
    assert "Traceback" not in bot_process.output
    assert bot_process.output.count("updates: getUpdates failed") == 1
