"""Numbered stories for local feeds, and subscribed chats seeded before a bot process starts."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

from bot.core.models import ChatKind
from bot.store import Store
from tests.support.fake_telegram import FakeTelegram


def story(number: int, *, dated: bool = False) -> dict[str, str]:
    """Feed item number ``number`` (with a pubDate an hour apart per number when ``dated``)."""
    item = {
        "title": f"Story {number} of the day",
        "link": f"https://news.example/story-{number}",
        "guid": f"story-{number}",
        "description": f"What happened in story {number}.",
    }
    if dated:
        item["pubDate"] = f"Mon, 01 Feb 2021 {10 + number:02d}:00:00 +0000"
    return item


async def seed_chats(database: Path, telegram: FakeTelegram, chat_ids: Iterable[int]) -> None:
    """Subscribed private chats in the store (before the bot starts) and in the fake world."""
    store = await Store.open(database)
    try:
        for chat_id in chat_ids:
            telegram.add_private_chat(chat_id)
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=time.time())
            await store.chats.set_subscribed(chat_id, True, now=time.time())
    finally:
        await store.close()
