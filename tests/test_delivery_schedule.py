"""Scheduled digests and quiet hours through the delivery engine and the fake Bot API.

The engine's wall clock is a :class:`Clock` the test moves (the process edge's clock); pacing
keeps its own monotonic clock. An instant chat beside the scheduled one is the heartbeat: once
its teaser arrives, the engine has read the outbox at the clock's time.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.chat_schedule import DailyAt, Instant, QuietHours
from bot.core.chat_settings import ChatSettings
from bot.core.models import Chat, Classification, NewArticle, SourceSpec
from bot.core.polling import ArticleIntent, PollIntent
from bot.service.delivery import Deliverer
from tests.delivery_support import Harness, harness_at, new_article
from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import record_articles

DIGEST = 11
HEARTBEAT = 12


class Clock:
    """A wall clock the test sets."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def at(text: str, zone: str = "UTC") -> float:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def story(number: int, country: str = "", summary: str | None = None) -> NewArticle:
    entry = new_article(number, summary=summary)
    return replace(entry, classification=Classification(countries=(country,) if country else ()))


@pytest.fixture
async def harness(tmp_path: Path, telegram: FakeTelegram) -> AsyncIterator[Harness]:
    async with harness_at(tmp_path / "bot.sqlite3", telegram) as opened:
        await opened.add_private(DIGEST, HEARTBEAT)
        yield opened


async def choose(harness: Harness, chat_id: int, now: float = 0.0, **chosen: object) -> None:
    """Change the chat's settings at ``now`` (its waiting rows are retimed from then)."""

    def change(settings: ChatSettings) -> ChatSettings:
        return replace(settings, **chosen)  # type: ignore[arg-type]

    await harness.store.chats.change_settings(chat_id, change, now=now)


async def publish(
    harness: Harness, clock: Clock, *articles: NewArticle, only: int | None = None
) -> None:
    """Record the articles at the clock's time for every subscribed chat (or ``only`` one), as
    a poll does."""
    if not harness.source_id:
        (source,) = await harness.store.sources.sync_sources(
            [SourceSpec("News", "https://news.example")]
        )
        harness.source_id = source.id

    def route(entry: NewArticle, chats: Sequence[Chat]) -> list[int]:
        return [chat.id for chat in chats if only in (None, chat.id)]

    await record_articles(
        harness.store, harness.source_id, list(articles), now=clock(), route=route
    )


async def heartbeat(harness: Harness, deliverer: Deliverer, clock: Clock, number: int) -> None:
    """A story only the instant chat gets, once it arrived: the engine read the outbox now."""
    before = len(harness.telegram.messages(HEARTBEAT))
    await publish(harness, clock, story(number), only=HEARTBEAT)
    deliverer.wake()
    await harness.telegram.async_wait_for_messages(HEARTBEAT, before + 1)


async def held_until(harness: Harness, when: float) -> None:
    """Wait until the outbox's next due row is due at ``when`` (the engine held the chat)."""
    until = time.monotonic() + deadline(10)
    while await harness.store.outbox.next_delivery_time() != when:
        assert time.monotonic() < until, await harness.store.outbox.next_delivery_time()
        await asyncio.sleep(0.02)


def links(text: str) -> list[str]:
    return re.findall(r'href="https://news\.example/(\d+)"', text)


async def test_a_daily_digest_waits_then_holds_every_new_story_once(harness: Harness) -> None:
    """``daily 07:00 UTC``: nothing before 07:00, also across an engine restart; at 07:00 one
    message holds every story queued since, grouped by region, each title a link."""
    clock = Clock(at("2026-03-10 06:00"))
    await choose(harness, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    await publish(harness, clock, story(1, "RU"), story(2, "FR"), story(3, "RU"))
    async with harness.running(clock=clock) as deliverer:
        await harness.telegram.async_wait_for_messages(HEARTBEAT, 3)
    async with harness.running(clock=clock) as deliverer:  # restarted in between
        await publish(harness, clock, story(4))
        clock.now = at("2026-03-10 06:59:59")
        await heartbeat(harness, deliverer, clock, 100)
        assert harness.telegram.messages(DIGEST) == []
        clock.now = at("2026-03-10 07:00")
        deliverer.wake()
        [digest] = await harness.telegram.async_wait_for_messages(DIGEST, 1)
        await heartbeat(harness, deliverer, clock, 101)
    assert len(harness.telegram.messages(DIGEST)) == 1
    assert digest.text.startswith("🗞 News digest: 4 stories")
    assert sorted(links(digest.raw_text)) == ["1", "2", "3", "4"]
    assert sum(e["type"] == "text_link" for e in digest.entities) == 4
    lines = digest.text.split("\n\n")
    assert (
        lines.index("Eastern Europe") < lines.index("Western Europe") < lines.index("International")
    )
    assert links(digest.raw_text) == ["1", "3", "2", "4"]  # grouped by region, in order
    assert [state for state, _, _ in harness.rows(DIGEST)] == ["sent"] * 4


@pytest.mark.parametrize(
    ("zone", "day_before"),
    [
        ("Europe/Berlin", "2026-10-24"),  # clocks go back on the 25th
        ("Europe/Berlin", "2026-03-28"),  # forward on the 29th
        ("America/New_York", "2026-10-31"),  # back on 1 November
        ("America/New_York", "2026-03-07"),  # forward on the 8th
    ],
)
async def test_a_daily_digest_keeps_its_wall_time_across_daylight_saving(
    harness: Harness, zone: str, day_before: str
) -> None:
    """``daily 07:30`` in a zone whose clocks change overnight: the digest comes at 07:30 local
    time the next morning (not 24 hours after the previous 07:30), not a minute before."""
    clock = Clock(at(f"{day_before} 12:00", zone))
    await choose(harness, DIGEST, schedule=DailyAt(7, 30, zone))
    await publish(harness, clock, story(1), story(2))
    day = datetime.fromisoformat(day_before).toordinal() + 1
    morning = datetime.fromordinal(day).date().isoformat()
    async with harness.running(clock=clock) as deliverer:
        await harness.telegram.async_wait_for_messages(HEARTBEAT, 2)
        clock.now = at(f"{morning} 07:29", zone)
        await heartbeat(harness, deliverer, clock, 100)
        assert harness.telegram.messages(DIGEST) == []
        clock.now = at(f"{morning} 07:30", zone)
        deliverer.wake()
        [digest] = await harness.telegram.async_wait_for_messages(DIGEST, 1)
    assert sorted(links(digest.raw_text)) == ["1", "2"]


async def test_a_digest_split_across_messages_records_each_message_once(
    harness: Harness,
) -> None:
    """A digest too long for one message goes as several, each recorded when it is sent: when
    the answer to the second is lost and the engine stops, the first part's stories stay sent
    and the rest come in the next digest; every story exactly once."""
    clock = Clock(at("2026-03-10 06:00"))
    await choose(harness, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    long = "A long sentence about the strike and what the workers asked for. " * 3
    await publish(harness, clock, *(story(n, summary=long) for n in range(1, 61)), only=DIGEST)
    clock.now = at("2026-03-10 07:00")
    async with harness.running(clock=clock):
        [first] = await harness.telegram.async_wait_for_messages(DIGEST, 1)
        harness.telegram.fail_next(DIGEST, drop=True)  # the second part: its answer is lost
        assert await harness.telegram.async_wait_until(
            lambda: any(c.status == 0 for c in harness.telegram.calls("sendMessage")), 20
        )
    assert "(part 1 of 3)" in first.text
    in_first = links(first.raw_text)
    states = [state for state, _, _ in harness.rows(DIGEST)]
    assert states.count("sent") == len(in_first)
    assert states.count("queued") == 60 - len(in_first)
    clock.now += 60  # the lost part's retry is due
    async with harness.running(clock=clock) as deliverer:
        await harness.settle(deliverer)
    messages = harness.telegram.messages(DIGEST)
    every = [n for m in messages for n in links(m.raw_text)]
    assert sorted(every, key=int) == [str(n) for n in range(1, 61)]
    assert len(messages) == 3
    assert [state for state, _, _ in harness.rows(DIGEST)] == ["sent"] * 60


async def test_quiet_hours_send_silently(harness: Harness) -> None:
    """Inside silent quiet hours teasers go with disable_notification; other chats ring."""
    clock = Clock(at("2026-03-10 23:00", "Europe/Madrid"))
    await choose(harness, DIGEST, quiet=QuietHours(22 * 60, 7 * 60, "Europe/Madrid"))
    await publish(harness, clock, story(1))
    async with harness.running(clock=clock) as deliverer:
        await harness.settle(deliverer)
    [quiet] = harness.telegram.messages(DIGEST)
    [loud] = harness.telegram.messages(HEARTBEAT)
    assert quiet.silent
    assert not loud.silent


async def test_quiet_hours_that_hold_send_at_their_end(harness: Harness) -> None:
    """Quiet hours that hold: a teaser found inside them, and one queued before them but due
    inside, both wait until the quiet hours end, then go with a sound."""
    clock = Clock(at("2026-03-10 21:59"))
    await publish(harness, clock, story(1))  # queued before the quiet hours, not sent yet
    await choose(harness, DIGEST, quiet=QuietHours(22 * 60, 7 * 60, "UTC", hold=True))
    clock.now = at("2026-03-10 23:00")
    await harness.store.outbox.retime_queued(DIGEST, ChatSettings(), clock.now)  # due now again
    await publish(harness, clock, story(2))
    async with harness.running(clock=clock) as deliverer:
        await harness.telegram.async_wait_for_messages(HEARTBEAT, 2)
        await heartbeat(harness, deliverer, clock, 100)
        assert harness.telegram.messages(DIGEST) == []
        await held_until(harness, at("2026-03-11 07:00"))
        clock.now = at("2026-03-11 07:00")
        deliverer.wake()
        messages = await harness.telegram.async_wait_for_messages(DIGEST, 2)
    assert [m.text.split("\n")[0] for m in messages] == ["Story number 1", "Story number 2"]
    assert not any(m.silent for m in messages)
    assert [row[:2] for row in harness.rows(DIGEST)] == [("sent", 1), ("sent", 1)]


async def test_changing_the_schedule_retimes_what_waits(harness: Harness) -> None:
    """Stories waiting for a daily digest go at once, one teaser each, when the chat switches
    to instant; switched back, new stories wait for the digest again."""
    clock = Clock(at("2026-03-10 06:00"))
    await choose(harness, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    await publish(harness, clock, story(1), story(2), only=DIGEST)
    async with harness.running(clock=clock) as deliverer:
        await heartbeat(harness, deliverer, clock, 100)
        assert harness.telegram.messages(DIGEST) == []
        await choose(harness, DIGEST, clock(), schedule=Instant())
        deliverer.wake()
        messages = await harness.telegram.async_wait_for_messages(DIGEST, 2)
        await choose(harness, DIGEST, clock(), schedule=DailyAt(7, 0, "UTC"))
        await publish(harness, clock, story(3), only=DIGEST)
        await heartbeat(harness, deliverer, clock, 101)
    assert [m.text.split("\n")[0] for m in messages] == ["Story number 1", "Story number 2"]
    assert len(harness.telegram.messages(DIGEST)) == 2
    assert await harness.store.outbox.next_delivery_time() == at("2026-03-10 07:00")


async def test_rows_queued_due_now_for_a_scheduled_chat_wait_for_its_digest(
    harness: Harness,
) -> None:
    """Rows a fan-out queued due at once (one that does not know the chat's schedule) are held
    by delivery until the digest they belong to, then sent in it."""
    clock = Clock(at("2026-03-10 06:00"))
    await choose(harness, DIGEST, schedule=DailyAt(7, 0, "UTC"))
    (source,) = await harness.store.sources.sync_sources(
        [SourceSpec("News", "https://news.example")]
    )
    harness.source_id = source.id
    entries = (story(1), story(2))
    intents = tuple(ArticleIntent(e.item, e.classification, (DIGEST,)) for e in entries)
    intent = PollIntent(source.id, clock(), None, intents)  # no due_at: all due now
    await harness.store.polls.apply_poll(intent)
    async with harness.running(clock=clock) as deliverer:
        await held_until(harness, at("2026-03-10 07:00"))
        await heartbeat(harness, deliverer, clock, 100)
        assert harness.telegram.messages(DIGEST) == []
        clock.now = at("2026-03-10 07:00")
        deliverer.wake()
        [digest] = await harness.telegram.async_wait_for_messages(DIGEST, 1)
    assert sorted(links(digest.raw_text)) == ["1", "2"]
