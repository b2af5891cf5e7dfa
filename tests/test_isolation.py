"""Nobody stalls everybody: a slow source, a flooding user, and a crowd asking /channels each
cost only themselves. The real bot process against the fake Bot API and the local feed server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.core.models import ChatKind
from bot.telegram.ratelimit import MAX_WAITING_PER_CHAT
from tests.support.backends import BACKENDS, seed_subscribers, store_of
from tests.support.bot_process import BotProcess
from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.stories import story

READER = 9001


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_drip_feed_source_does_not_delay_a_healthy_ones_new_story(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """A feed sending one byte a second beside a healthy one: the healthy source's new story
    arrives within its poll interval plus one second."""
    interval = 1.0
    await seed_subscribers(bot_env, telegram, [READER])
    feeds.set("/feed.xml", rss([story(1)]))
    feeds.set("/drip.xml", rss([story(50)]), trickle=1)
    env = {
        **bot_env,
        "FEED_URLS": f"{feeds.url('/drip.xml')},{feeds.url('/feed.xml')}",
        "POLL_INTERVAL_SECONDS": str(interval),
    }
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        await asyncio.sleep(interval)  # the healthy source has been polled again meanwhile
        assert len(feeds.bytes_sent("/drip.xml")) == 0  # the drip feed's first poll is still on
        feeds.set("/feed.xml", rss([story(2), story(1)]))
        published = time.monotonic()
        [teaser] = await telegram.async_wait_for_messages(READER, 1, timeout=interval + 5)
        waited = time.monotonic() - published
        assert "Story 2 of the day" in teaser.text
        assert bot.terminate() == 0
    assert waited < interval + deadline(1.0), waited  # 1 s late at most on an idle machine


FLOODER = 9101
ASKER = 9102


async def test_one_users_flood_does_not_delay_another_users_reply(
    telegram: FakeTelegram, bot_process: BotProcess
) -> None:
    """30 quick /help from one user, then one /help from another: the other reply comes within
    2 s, and the flood's excess is merged or dropped rather than queued."""
    telegram.add_private_chat(FLOODER)
    telegram.add_private_chat(ASKER)
    bot_process.start()
    bot_process.wait_for(r"running as @")
    for number in range(30):
        telegram.send_message(FLOODER, FLOODER, "/help" if number % 2 else f"/help {number}")
    asked = time.monotonic()
    telegram.send_message(ASKER, ASKER, "/help")
    await telegram.async_wait_for_messages(ASKER, 1, timeout=10)
    waited = time.monotonic() - asked
    await asyncio.sleep(3)  # whatever the flooder is still owed has arrived
    flooder_replies = len(telegram.messages(FLOODER))
    bot_process.wait_for(r"updates chat=9101 flood merged=\d+ dropped=\d+")
    assert bot_process.terminate() == 0
    assert waited < deadline(2.0), waited  # 2 s on an idle machine
    assert 1 <= flooder_replies <= 1 + MAX_WAITING_PER_CHAT  # the one running, those waiting


CHANNEL_OWNER = 9200
STRANGERS = range(9301, 9321)
BYSTANDER = 9400


async def seed_channels(env: Mapping[str, str], telegram: FakeTelegram, count: int) -> list[int]:
    """``count`` channels the bot posts in, in the store and the world; the owner created the
    first three, another person the rest."""
    ids = [-1001000000000 - n for n in range(count)]
    async with store_of(env) as store:
        for number, chat_id in enumerate(ids):
            owner = CHANNEL_OWNER if number < 3 else CHANNEL_OWNER + 1
            telegram.add_channel(chat_id, f"Channel {number}", creator=owner)
            await store.chats.upsert_chat(
                chat_id, ChatKind.CHANNEL, now=time.time(), title=f"Channel {number}"
            )
            await store.chats.set_bot_rights(chat_id, can_post=True, added_by=None, now=time.time())
    return ids


CHAT_LOOKUPS = ("getChat", "getChatMember", "getChatAdministrators")


@pytest.mark.parametrize("backend", BACKENDS)
async def test_twenty_strangers_asking_channels_cost_one_lookup_per_channel(
    telegram: FakeTelegram, bot_process: BotProcess, bot_env: dict[str, str]
) -> None:
    """150 channels, 20 strangers send /channels at once: each is answered, Telegram is asked
    about each channel once (not 9,000 times), and a bystander's /help comes within 2 s."""
    await seed_channels(bot_env, telegram, 150)
    for user_id in [*STRANGERS, BYSTANDER, CHANNEL_OWNER]:
        telegram.add_private_chat(user_id)
    bot_process.start()
    bot_process.wait_for(r"running as @")
    for user_id in STRANGERS:
        telegram.send_message(user_id, user_id, "/channels")
    asked = time.monotonic()
    telegram.send_message(BYSTANDER, BYSTANDER, "/help")
    await telegram.async_wait_for_messages(BYSTANDER, 1, timeout=10)
    waited = time.monotonic() - asked
    for user_id in STRANGERS:
        await telegram.async_wait_for_messages(user_id, 1, timeout=20)
    telegram.send_message(CHANNEL_OWNER, CHANNEL_OWNER, "/channels")
    [owner] = await telegram.async_wait_for_messages(CHANNEL_OWNER, 1, timeout=10)
    lookups = sum(len(telegram.calls(method)) for method in CHAT_LOOKUPS)
    assert bot_process.terminate() == 0
    assert waited < deadline(2.0), waited  # 2 s on an idle machine
    assert lookups == 150
    assert all("Channel" not in telegram.messages(u)[0].text for u in STRANGERS)
    assert "Channel 2" in owner.text
    assert "Channel 3" not in owner.text
