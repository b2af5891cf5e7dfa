"""Outage notices: one message when a source has failed too long, one when it recovers."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.models import SourceSpec
from bot.service.notify import Notice, OutageNotifier, duration
from bot.store import Store
from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.seeding import poll_error, poll_ok

T0 = 1_800_000_000.0
OPERATOR = 701


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.sources.sync_sources(
        [SourceSpec(name="Flaky <News>", url="https://flaky.example/f")]
    )
    yield opened
    await opened.close()


async def fail(store: Store, at: float) -> None:
    await poll_error(store, 1, now=at, next_poll_at=at + 60, error="HTTP 503")


async def test_one_notice_per_outage_and_one_per_recovery(store: Store) -> None:
    """Failures under the threshold say nothing; past it one notice; recovery one; no repeats."""
    clock = Clock()
    told: list[str] = []

    async def tell(notice: Notice) -> None:
        told.append(notice("en"))

    notifier = OutageNotifier(store, tell, after=600, clock=clock)
    await fail(store, T0)
    clock.now = T0 + 300
    await fail(store, clock.now)
    assert await notifier.check() == 0

    clock.now = T0 + 601
    await fail(store, clock.now)
    assert await notifier.check() == 1
    for minutes in (15, 20, 30):
        clock.now = T0 + minutes * 60
        await fail(store, clock.now)
        assert await notifier.check() == 0
    assert len(told) == 1
    assert "Flaky &lt;News&gt;" in told[0]
    assert "failing for 10 min" in told[0]
    assert "HTTP 503" in told[0]

    clock.now = T0 + 3600
    await poll_ok(
        store, 1, now=clock.now, next_poll_at=clock.now + 60, etag=None, last_modified=None
    )
    assert await notifier.check() == 1
    assert await notifier.check() == 0
    assert len(told) == 2
    assert "works again" in told[1]


async def test_a_notice_is_made_in_each_operators_language(store: Store) -> None:
    """A notice is rendered per reader: the same outage reads in English and in Spanish."""
    notices: list[Notice] = []

    async def tell(notice: Notice) -> None:
        notices.append(notice)

    clock = Clock()
    notifier = OutageNotifier(store, tell, after=600, clock=clock)
    await fail(store, T0)
    clock.now = T0 + 601
    assert await notifier.check() == 1
    [notice] = notices
    assert "has been failing for 10 min" in notice("en")
    assert "lleva 10 min fallando" in notice("es")
    assert "Flaky &lt;News&gt;" in notice("es")


async def test_a_short_failure_that_recovers_says_nothing(store: Store) -> None:
    """A source that fails and recovers before the threshold produces no notice at all."""
    told: list[str] = []

    async def tell(notice: Notice) -> None:
        told.append(notice("en"))

    clock = Clock()
    notifier = OutageNotifier(store, tell, after=600, clock=clock)
    await fail(store, T0)
    clock.now = T0 + 120
    await poll_ok(
        store, 1, now=clock.now, next_poll_at=clock.now + 60, etag=None, last_modified=None
    )
    clock.now = T0 + 10_000
    assert await notifier.check() == 0
    assert told == []


async def test_notice_state_survives_a_restart(tmp_path: Path) -> None:
    """After a restart the same outage is not announced again."""
    told: list[str] = []

    async def tell(notice: Notice) -> None:
        told.append(notice("en"))

    clock = Clock()
    path = tmp_path / "restart.sqlite3"
    first = await Store.open(path)
    try:
        await first.sources.sync_sources([SourceSpec(name="Flaky", url="https://flaky.example/f")])
        await fail(first, T0)
        clock.now = T0 + 1000
        assert await OutageNotifier(first, tell, after=600, clock=clock).check() == 1
    finally:
        await first.close()
    second = await Store.open(path)
    try:
        assert await OutageNotifier(second, tell, after=600, clock=clock).check() == 0
    finally:
        await second.close()
    assert len(told) == 1


def test_duration_reads_naturally() -> None:
    """Durations are short and human: seconds, minutes, hours and minutes, days and hours."""
    assert duration(42) == "42 s"
    assert duration(600) == "10 min"
    assert duration(3 * 3600 + 300) == "3 h 5 min"
    assert duration(50 * 3600) == "2 d 2 h"


@pytest.mark.parametrize("backend", BACKENDS)
def test_operators_hear_once_of_a_real_outage_and_once_of_recovery(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """The running bot tells the operator once when a feed keeps failing, once when it is back."""
    feeds.set("/feed.xml", b"down", status=503, content_type="text/plain")
    telegram.add_user(OPERATOR, "Olga")
    telegram.add_private_chat(OPERATOR)
    env = {**bot_env, "ADMIN_USER_IDS": str(OPERATOR), "OUTAGE_NOTICE_AFTER_SECONDS": "0"}
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=error failures=1 ")
        [notice] = telegram.wait_for_messages(OPERATOR, 1)
        assert "has been failing" in notice.text
        bot.wait_for(r"poll source=.* status=error failures=3 ")
        assert len(telegram.messages(OPERATOR)) == 1

        feeds.set("/feed.xml", rss([{"title": "Back", "link": "https://x.example/1"}]))
        bot.wait_for(r"poll source=.* status=ok ", timeout=10)
        recovery = telegram.wait_for_messages(OPERATOR, 2)[1]
        assert "works again" in recovery.text
        time.sleep(0.5)
        assert len(telegram.messages(OPERATOR)) == 2
        assert bot.terminate() == 0
