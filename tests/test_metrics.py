"""Prometheus metrics and /healthz: values after a scripted run, and 503 when the bot stalls."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
from bot.service.healthcheck import Health
from bot.service.metrics import Metrics, MetricsServer
from bot.store import HealthFigures, Store
from tests.conftest import TOKEN
from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.seeding import poll_ok, record_articles

READER = 1101
FIRST = {"title": "First story", "link": "https://news.example/1", "guid": "g1"}
SECOND = {"title": "Second story", "link": "https://news.example/2", "guid": "g2"}
T0 = 1_800_000_000.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition, keyed by name and sorted labels."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(found: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str):
    return found.get((name, tuple(sorted(labels.items()))))


@pytest.mark.parametrize("backend", BACKENDS)
def test_metrics_after_a_scripted_poll_and_deliver_run(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """Polls, errors, articles, a 429 and its retry, a delivery: each shows up in /metrics."""
    port = free_port()
    good, broken = feeds.url("/feed.xml"), feeds.url("/broken.xml")
    feeds.set("/feed.xml", rss([FIRST], title="Example News"))
    feeds.set("/broken.xml", b"oops", status=500, content_type="text/plain")
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    env = {**bot_env, "FEED_URLS": f"{good},{broken}", "METRICS_PORT": str(port)}
    env["LOG_FORMAT"] = "json"
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"poll source=.* status=ok .*baseline=True")
        telegram.send_message(READER, READER, "/start")
        telegram.wait_for_messages(READER, 1)
        telegram.fail_next(READER, 429, retry_after=1)
        feeds.set("/feed.xml", rss([SECOND, FIRST], title="Example News"))
        [_, teaser] = telegram.wait_for_messages(READER, 2, timeout=15)
        assert "Second story" in teaser.text
        bot.wait_for(r"deliver batch sent=1 ")

        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            exposition = client.get("/metrics")
            health = client.get("/healthz")
            missing = client.get("/nothing")
        assert bot.terminate() == 0

    assert exposition.status_code == 200
    assert exposition.headers["content-type"].startswith("text/plain")
    found = samples(exposition.text)
    names = {dict(labels).get("source") for (_, labels) in found} - {None}
    ok_name = next(name for name in names if name and "broken" not in name)
    bad_name = next(name for name in names if name and "broken" in name)
    assert value(found, "teaserbot_polls_total", source=ok_name, status="ok") >= 2
    assert value(found, "teaserbot_poll_errors_total", source=bad_name) >= 1
    assert value(found, "teaserbot_polls_total", source=bad_name, status="error") >= 1
    assert value(found, "teaserbot_articles_recorded_total", source=ok_name) == 2
    assert value(found, "teaserbot_messages_sent_total") == 1
    assert value(found, "teaserbot_telegram_429_total") == 1
    assert value(found, "teaserbot_messages_retried_total", reason="rate_limited") == 1
    assert value(found, "teaserbot_outbox_depth") == 0
    assert value(found, "teaserbot_outbox_oldest_due_age_seconds") == 0
    last_ok = value(found, "teaserbot_source_last_success_timestamp_seconds", source=ok_name)
    assert last_ok is not None
    assert last_ok == pytest.approx(
        value(found, "teaserbot_last_successful_poll_timestamp_seconds"), abs=5
    )
    assert value(found, "teaserbot_source_last_success_timestamp_seconds", source=bad_name) is None
    assert value(found, "teaserbot_source_failing_seconds", source=bad_name) >= 0
    assert value(found, "teaserbot_source_failing_seconds", source=ok_name) == 0
    assert value(found, "teaserbot_leader") == 1  # the only process leads (both backends)
    assert value(found, "teaserbot_broadcast_rate_limit") == float(env.get("BROADCAST_RATE", 30))
    assert (health.status_code, health.text) == (200, "ok\n")
    assert missing.status_code == 404

    records = [json.loads(line) for line in bot.lines if line.strip()]  # every line is JSON
    messages = [record["msg"] for record in records]
    assert any(m.startswith("poll source=") and " ms=" in m and "status=ok" in m for m in messages)
    assert any(m.startswith("poll source=") and "status=error" in m for m in messages)
    assert any(m.startswith("deliver batch sent=1 ") for m in messages)
    assert TOKEN not in bot.output
    assert TOKEN.split(":", 1)[1] not in bot.output


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = await Store.open(tmp_path / "bot.sqlite3")
    await opened.sources.sync_sources([SourceSpec(name="Example", url="https://example.org/f")])
    yield opened
    await opened.close()


async def queue_one(store: Store, at: float) -> None:
    await store.chats.upsert_chat(42, ChatKind.PRIVATE, now=at)
    await store.chats.set_subscribed(42, True, now=at)
    item = ParsedItem(key="k", title="T", summary="S", url="https://example.org/1", published=None)
    await record_articles(
        store,
        1,
        [NewArticle(item, Classification())],
        now=at,
        baseline=False,
        route=lambda _entry, chats: [c.id for c in chats],
    )


async def test_healthz_answers_503_when_polling_has_stalled(store: Store) -> None:
    """A source overdue longer than the stall limit makes /healthz 503 with the reason."""
    clock = [T0]
    await poll_ok(store, 1, now=T0, next_poll_at=T0 + 60, etag=None, last_modified=None)
    metrics = Metrics(clock=lambda: clock[0])
    server = MetricsServer(store, metrics, Health(stall_after=300))
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            clock[0] = T0 + 200
            assert (await client.get("/healthz")).status_code == 200
            clock[0] = T0 + 60 + 301
            stalled = await client.get("/healthz")
            scraped = await client.get("/metrics")
    finally:
        await server.stop()
    assert stalled.status_code == 503
    assert stalled.text == "polling stalled: source 'Example' is 301 s overdue\n"
    assert value(samples(scraped.text), "teaserbot_healthy") == 0


async def test_delivery_stalls_only_when_due_rows_wait_and_nothing_is_sent(store: Store) -> None:
    """Due rows waiting too long make delivery unhealthy unless sends are still going out."""
    await queue_one(store, T0)
    now = T0 + 400
    await poll_ok(store, 1, now=now, next_poll_at=now + 60, etag=None, last_modified=None)
    health = Health(stall_after=300)
    figures = await store.stats.health_figures(now)
    assert figures.queued == 1
    assert figures.oldest_due_age_s == pytest.approx(400)
    quiet = health.judge(figures, now=now, last_send_at=None)
    busy = health.judge(figures, now=now, last_send_at=now - 2)
    assert not quiet.ok
    assert quiet.problems == ("delivery stalled: 1 queued, the oldest due for 400 s",)
    assert busy.ok


def test_a_fresh_bot_is_healthy() -> None:
    """Nothing overdue and nothing waiting is healthy."""
    figures = HealthFigures(None, 0.0, 0, 0.0)
    assert Health(stall_after=300).judge(figures, now=T0, last_send_at=None).ok


async def test_a_process_that_sends_nothing_itself_is_healthy_while_another_sends(
    store: Store,
) -> None:
    """Old due rows with no send by this process, but a recent send in the database (the leader
    among processes sharing PostgreSQL): healthy; with no recent send anywhere: stalled."""
    await store.chats.upsert_chat(43, ChatKind.PRIVATE, now=T0)
    await store.chats.set_subscribed(43, True, now=T0)
    await queue_one(store, T0)
    now = T0 + 400
    await poll_ok(store, 1, now=now, next_poll_at=now + 60, etag=None, last_modified=None)
    health = Health(stall_after=300)
    assert not (await Metrics(clock=lambda: now).refresh(store, health)).ok
    first, _second = await store.outbox.due_deliveries(now, 10)
    await store.outbox.record_outcomes(sent=[(first.id, 1, now - 5)], retries=[], failed=[])
    assert (await Metrics(clock=lambda: now).refresh(store, health)).ok
