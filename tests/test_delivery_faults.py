"""Each of Telegram's answers, injected through the fake Bot API, and what the engine does."""

from __future__ import annotations

import logging
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.delivery_outcome import retry_delay
from bot.core.models import ChatKind
from tests.delivery_support import Harness, harness_at, new_article
from tests.support.fake_telegram import FakeTelegram


@pytest.fixture
async def harness(tmp_path: Path, telegram: FakeTelegram) -> AsyncIterator[Harness]:
    async with harness_at(tmp_path / "bot.sqlite3", telegram) as opened:
        yield opened


async def test_429_after_a_recent_send_holds_only_that_chat(harness: Harness) -> None:
    """A 429 a group's own limit explains: that group waits exactly retry_after, others go on."""
    tg = harness.telegram
    await harness.add_group(-600)
    others = list(range(601, 621))
    await harness.add_private(*others)
    await harness.publish(new_article(1), new_article(2))
    async with harness.running(rate=20) as deliverer:
        await tg.async_wait_for_messages(-600, 1)
        tg.fail_next(-600, 429, retry_after=1)
        await tg.async_wait_for_messages(-600, 2, timeout=10)
        await harness.settle(deliverer)
    group_calls = [c for c in tg.calls("sendMessage") if c.params["chat_id"] == -600]
    assert [c.status for c in group_calls] == [200, 429, 200]
    limited, retried = group_calls[1].at, group_calls[2].at
    assert 1.0 <= retried - limited < 1.5
    meanwhile = [
        c
        for c in tg.calls("sendMessage")
        if c.params["chat_id"] != -600 and limited < c.at < limited + 1.0
    ]
    assert len(meanwhile) >= 12  # the other chats were not slowed (20 per second)
    assert tg.count_429 == 1
    assert await harness.states() == {"queued": 0, "sent": 42, "failed": 0, "cancelled": 0}


async def test_429_without_a_recent_send_pauses_the_whole_bot(harness: Harness) -> None:
    """A 429 no chat limit explains stops every send for exactly retry_after; nothing is lost."""
    tg = harness.telegram
    await harness.add_private(*range(651, 671))
    await harness.publish(new_article(1))
    tg.fail_next_any(429, retry_after=1)
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    calls = tg.calls("sendMessage")
    (limited,) = [c.at for c in calls if c.status == 429]
    assert not [c for c in calls if limited + 0.1 < c.at < limited + 1.0]
    assert min(c.at for c in calls if c.at > limited + 0.1) < limited + 1.6
    assert all(len(tg.messages(chat)) == 1 for chat in range(651, 671))


async def test_blocked_user_is_unsubscribed_and_its_queue_cancelled(harness: Harness) -> None:
    """403: the chat is deactivated with the reason, its rows cancelled, the others delivered."""
    tg = harness.telegram
    await harness.add_private(701, 702, 703, 704)
    tg.block_bot(703, send_update=False)
    await harness.publish(new_article(1), new_article(2))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    chat = await harness.store.chats.chat(703)
    assert chat is not None
    assert not chat.subscribed
    assert chat.deactivated_reason == "Forbidden: bot was blocked by the user"
    assert [r[0] for r in harness.rows(703)] == ["cancelled"] * 2
    assert tg.messages(703) == []
    assert all(len(tg.messages(c)) == 2 for c in (701, 702, 704))
    assert deliverer.stats.gone == 1


async def test_chat_not_found_is_treated_like_a_block(harness: Harness) -> None:
    """400 "chat not found" deactivates the chat and cancels its queue, as a 403 does."""
    await harness.store.chats.upsert_chat(-777, ChatKind.GROUP, now=0.0, title="Gone")
    await harness.store.chats.set_subscribed(-777, True, now=0.0)
    await harness.publish(new_article(1), new_article(2))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    chat = await harness.store.chats.chat(-777)
    assert chat is not None
    assert chat.deactivated_reason == "Chat not found"  # PTB drops the "Bad Request: " prefix
    assert [r[0] for r in harness.rows(-777)] == ["cancelled", "cancelled"]


async def test_migrated_group_moves_with_its_queue_and_gets_the_message(harness: Harness) -> None:
    """400 with migrate_to_chat_id: the chat, its filter and queue move; the message is resent."""
    tg = harness.telegram
    await harness.add_group(-900)
    tg.migrate_group(-900, -100900)
    await harness.publish(new_article(1), new_article(2))
    async with harness.running() as deliverer:
        await tg.async_wait_for_messages(-100900, 2)
        await harness.settle(deliverer)
    assert await harness.store.chats.chat(-900) is None
    moved = await harness.store.chats.chat(-100900)
    assert moved is not None
    assert moved.subscribed
    assert moved.kind is ChatKind.SUPERGROUP
    assert [m.text.split("\n")[0] for m in tg.messages(-100900)] == [
        "Story number 1",
        "Story number 2",
    ]
    assert [r[0] for r in harness.rows(-100900)] == ["sent", "sent"]


async def test_refused_message_is_sent_again_as_plain_text(harness: Harness) -> None:
    """400 for the message itself: sent once more without markup, and recorded as sent."""
    tg = harness.telegram
    await harness.add_private(1001)
    tg.fail_next(1001, 400, "Bad Request: can't parse entities: unsupported start tag")
    await harness.publish(new_article(1))
    async with harness.running() as deliverer:
        await harness.settle(deliverer)
    (message,) = tg.messages(1001)
    assert message.parse_mode is None
    assert "https://news.example/1" in message.text
    assert [r[0] for r in harness.rows(1001)] == ["sent"]


async def test_message_refused_twice_is_dropped_with_its_reason(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Refused as HTML and as plain text: the row is failed with both reasons, logged; the chat's
    next story still arrives."""
    tg = harness.telegram
    await harness.add_private(1101)
    tg.fail_next(1101, 400, "Bad Request: message is too long", times=2)
    await harness.publish(new_article(1), new_article(2))
    with caplog.at_level(logging.ERROR, logger="bot.delivery"):
        async with harness.running() as deliverer:
            await harness.settle(deliverer)
    (first, second) = harness.rows(1101)
    assert first[0] == "failed"
    assert first[2] == "rejected: Message is too long; as plain text: Message is too long"
    assert second[0] == "sent"
    assert [m.text.split("\n")[0] for m in tg.messages(1101)] == ["Story number 2"]
    assert "outcome=dropped" in caplog.text


async def test_network_errors_and_5xx_are_retried_with_backoff(harness: Harness) -> None:
    """502s and a dropped connection are retried (later, see test_backoff_*) until sent."""
    tg = harness.telegram
    await harness.add_private(1201, 1202)
    tg.fail_next(1201, 502, times=2)
    tg.fail_next(1202, drop=True)
    await harness.publish(new_article(1))
    async with harness.running(backoff_base=0.2) as deliverer:
        await harness.settle(deliverer)
    tries = [c for c in tg.calls("sendMessage") if c.params["chat_id"] == 1201]
    assert [c.status for c in tries] == [502, 502, 200]
    assert [r[:2] for r in harness.rows(1201)] == [("sent", 3)]
    assert len(tg.messages(1202)) == 1


async def test_a_failure_that_lasts_past_the_give_up_time_is_marked_failed(
    harness: Harness,
) -> None:
    """After the give-up time the row is failed with its reason, never silently dropped."""
    tg = harness.telegram
    await harness.add_private(1301)
    tg.fail_next(1301, 503, times=1000)
    await harness.publish(new_article(1))
    async with harness.running(give_up_after=0.4) as deliverer:
        await harness.settle(deliverer)
    ((state, attempts, error),) = harness.rows(1301)
    assert state == "failed"
    assert attempts >= 2
    assert error is not None
    assert error.startswith("gave up after ")
    assert "Service Unavailable" in error


def test_backoff_doubles_with_jitter_up_to_its_cap() -> None:
    """Each retry waits between half and all of base x 2^attempts, never more than the cap."""
    rng = random.Random(5)
    for attempts in range(12):
        full = min(5.0 * 2**attempts, 1800.0)
        delays = [retry_delay(attempts, rng) for _ in range(200)]
        assert all(full / 2 <= d <= full for d in delays)
        assert max(delays) - min(delays) > full / 4  # spread out, not in lockstep
