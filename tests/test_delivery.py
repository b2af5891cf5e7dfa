"""The delivery engine against the fake Bot API: fan-out, order, concurrency, pacing, digests."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.core.models import NewArticle
from bot.core.pacing import Pacer
from bot.core.render import MESSAGE_LIMIT
from tests.delivery_support import Harness, harness_at, new_article
from tests.support.fake_telegram import FakeTelegram


@pytest.fixture
async def harness(tmp_path: Path, telegram: FakeTelegram) -> AsyncIterator[Harness]:
    async with harness_at(tmp_path / "bot.sqlite3", telegram) as opened:
        yield opened


async def test_every_chat_gets_every_teaser_once_in_publication_order(harness: Harness) -> None:
    """Each chat receives each teaser exactly once, oldest story first, whatever the queue order."""
    chats = list(range(101, 111))
    await harness.add_private(*chats)
    await harness.publish(new_article(3), new_article(1), new_article(2))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    for chat in chats:
        texts = [m.text for m in harness.telegram.messages(chat)]
        assert len(texts) == 3
        assert [t.split("\n")[0] for t in texts] == [f"Story number {n}" for n in (1, 2, 3)]
    assert await harness.states() == {"queued": 0, "sent": 30, "failed": 0, "cancelled": 0}


async def test_sends_overlap_but_never_two_to_one_chat(harness: Harness) -> None:
    """With a slow Bot API many sends are in flight at once, yet one chat waits for its answer."""
    harness.telegram.set_delay(0.4, "sendMessage")
    await harness.add_private(*range(201, 216))
    await harness.publish(new_article(1), new_article(2))
    started = time.monotonic()
    async with harness.running() as deliverer:
        await harness.telegram.async_wait_until(
            lambda: all(len(harness.telegram.messages(c)) >= 1 for c in range(201, 216)), 10
        )
        first_round = time.monotonic() - started - harness.stolen(started, time.monotonic())
        await harness.settle(deliverer)
    assert first_round < 2.0  # 15 sends of 0.4 s one after the other would take 6 s
    for chat in range(201, 216):
        first, second = [
            c for c in harness.telegram.calls("sendMessage") if c.params["chat_id"] == chat
        ]
        assert second.at - 0.4 >= first.at - 1e-3  # the second left after the first was answered


async def test_fan_out_runs_at_the_limit_without_a_single_429(harness: Harness) -> None:
    """In flood mode 60 chats get their teaser at 97%+ of 30 per second and never a 429."""
    harness.telegram.set_flood(True)
    chats = list(range(301, 361))
    await harness.add_private(*chats)
    await harness.publish(new_article(1))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    times = sorted(m.sent_at for m in harness.telegram.all_messages())
    assert len(times) == 60
    assert harness.telegram.count_429 == 0
    assert harness.rate(times) >= 29.0


async def test_paid_broadcast_goes_past_thirty_per_second(harness: Harness) -> None:
    """Above 30 per second every message carries allow_paid_broadcast and no 429 comes back."""
    harness.telegram.set_flood(True)
    await harness.add_private(*range(401, 551))
    await harness.publish(new_article(1))
    async with harness.running(rate=300, paid=True) as deliverer:
        await harness.settle(deliverer)
    calls = harness.telegram.calls("sendMessage")
    assert len(calls) == 150
    assert all(c.params.get("allow_paid_broadcast") is True for c in calls)
    assert harness.telegram.count_429 == 0
    assert harness.rate(sorted(c.at for c in calls)) > 100


async def test_a_long_backlog_becomes_a_digest_with_every_story(harness: Harness) -> None:
    """A group that would lag behind gets digests: fewer messages, every story once, each fits."""
    await harness.add_group(-500)
    stories = [new_article(n, summary="A long summary sentence. " * 12) for n in range(1, 41)]
    await harness.publish(*stories)
    async with harness.running(digest_after=30.0) as deliverer:
        await harness.settle(deliverer)
        assert deliverer.stats.digests >= 2
    digest = harness.telegram.messages(-500)
    assert 2 <= len(digest) < 10
    assert all(len(m.text) <= MESSAGE_LIMIT for m in digest)
    assert digest[0].text.startswith("🗞 News digest: ")
    body = "\n".join(m.text for m in digest)
    for n in range(1, 41):
        assert body.count(f"Story number {n} ") == 1
    positions = [body.index(f"Story number {n} ") for n in range(1, 41)]
    assert positions == sorted(positions)
    assert await harness.states() == {"queued": 0, "sent": 40, "failed": 0, "cancelled": 0}


async def test_link_preview_shows_the_feeds_image_unless_the_chat_turned_previews_off(
    harness: Harness,
) -> None:
    """A teaser previews the feed's image; a chat with previews off gets none."""
    await harness.add_private(301, 302)
    await harness.store.chats.set_link_previews(302, False, time.time())
    with_image = new_article(1)
    with_image = NewArticle(
        replace(with_image.item, image="https://news.example/pic.jpg"), with_image.classification
    )
    await harness.publish(with_image, new_article(2))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    first, second = harness.telegram.messages(301)
    assert first.link_preview_options["url"] == "https://news.example/pic.jpg"
    assert "url" not in (second.link_preview_options or {})
    off = harness.telegram.messages(302)[0]
    assert off.link_preview_options["is_disabled"] is True
    assert "url" not in off.link_preview_options


async def test_a_429_burst_lowers_the_overall_rate_which_then_recovers(harness: Harness) -> None:
    """With Telegram's limits enforced, three injected 429s the chats' own limits cannot explain
    slow the whole fan-out down for a while; afterwards it climbs back to the full rate."""
    harness.telegram.set_flood(True)
    await harness.add_private(*range(1001, 1301))
    await harness.publish(new_article(1))
    pacer = Pacer(overall_rate=30.0, slow_hold=2.0, recovery=0.25)
    async with harness.running(pacer=pacer) as deliverer:
        await harness.telegram.async_wait_until(
            lambda: len(harness.telegram.all_messages()) >= 60, 10
        )
        harness.telegram.fail_next_any(429, retry_after=1, times=3)
        await harness.settle(deliverer, timeout=60)
    assert pacer.slowdowns == 3
    assert harness.telegram.count_429 == 3  # the injected ones, and no other
    times = sorted(m.sent_at for m in harness.telegram.all_messages())
    assert len(times) == 300
    refused = [c.at for c in harness.telegram.calls("sendMessage") if c.status == 429]
    first, last = refused[0], refused[-1]  # each answer blocks the bot 1 s: they come in a row

    def rate(start: float, end: float) -> float:
        return harness.rate([t for t in times if start <= t < end])

    def raw_rate(start: float, end: float) -> float:  # a busy machine only lowers it
        inside = [t for t in times if start <= t < end]
        return (len(inside) - 1) / (inside[-1] - inside[0])

    before = rate(times[0], first)
    slowed = raw_rate(last + 1.0, last + 2.0)  # after the 1 s wait, within the 2 s hold
    recovered = rate(last + 4.5, times[-1] + 1e-9)  # 0.51 + 0.25/s is back to 1 by last + 4
    assert before >= 28.5
    assert slowed <= 0.6 * before
    assert recovered >= 28.5
