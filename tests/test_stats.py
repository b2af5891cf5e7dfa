"""`python -m bot stats` and the /stats page: counts of chats, subscriptions, articles and
deliveries on both backends, no chat ids or names, and a chart a real browser renders."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from lxml import html as lxml_html

from bot.core.models import ChatKind, RegionFilter, SourceSpec
from bot.core.stats_page import stats_page
from bot.core.usage import DAY, HOUR, HOURS, UsageStats, hour_starts, usage_text
from bot.service.healthcheck import Health
from bot.service.metrics import Metrics, MetricsServer
from bot.store import Store
from bot.store.protocol import StoreVerbs
from tests.support.deadlines import deadline
from tests.support.store_rows import add_article, queue, sql

REPO = Path(__file__).resolve().parents[1]
NOW = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC
SECRET_CHAT, SECRET_TITLE = -1001234567890, "Secret Cabal Group"


@pytest.fixture
def store(backend_store: StoreVerbs) -> StoreVerbs:
    """A fresh store on each backend (tests/conftest.py)."""
    return backend_store


async def seed(store: StoreVerbs) -> None:
    """Chats of each kind and language, filters, articles over days, rows sent over hours."""
    [news, other] = await store.sources.sync_sources(
        [
            SourceSpec(name="News <b>", url="https://n.example/f"),
            SourceSpec("Other", "https://o.example/f"),
        ]
    )
    chats = [
        (1, ChatKind.PRIVATE, "en", ""),
        (2, ChatKind.PRIVATE, "de", "europe"),
        (3, ChatKind.PRIVATE, "en", "europe asia"),
        (SECRET_CHAT, ChatKind.CHANNEL, None, "europe"),
    ]
    for chat_id, kind, language, text in chats:
        await store.chats.upsert_chat(chat_id, kind, now=NOW, title=SECRET_TITLE)
        await store.chats.set_subscribed(chat_id, True, now=NOW)
        await store.chats.set_language(chat_id, language, NOW)
        ids = frozenset(text.split())
        await store.chats.set_region_filter(chat_id, RegionFilter(ids), NOW)
    await store.chats.upsert_chat(4, ChatKind.GROUP, now=NOW, title="Left")  # never subscribed
    today = await add_article(store, news.id, "t1", seen_at=NOW - 60)
    await add_article(store, news.id, "t2", seen_at=NOW - 120)
    await add_article(store, news.id, "d3", seen_at=NOW - 3 * DAY)
    await add_article(store, other.id, "old", seen_at=NOW - 8 * DAY)  # before the window
    hour_ago, two_hours_ago = NOW - HOUR, NOW - 2 * HOUR
    for chat_id, sent_at in (
        (1, hour_ago),
        (2, hour_ago),
        (3, two_hours_ago),
        (SECRET_CHAT, NOW - 26 * HOUR),
    ):
        row = await queue(store, today, chat_id)
        await sql(store, "UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?", sent_at, row)
    other_article = await add_article(store, news.id, "t3", seen_at=NOW - 30)
    failed = await queue(store, other_article, 1, due=NOW - 2 * HOUR)
    await sql(store, "UPDATE outbox SET state = 'failed' WHERE id = ?", failed)
    await queue(store, other_article, 2, due=NOW - 100)


async def test_usage_figures_are_counted_the_same_on_both_backends(store: StoreVerbs) -> None:
    """Subscribed chats by kind and language, filters and regions, articles per source per UTC
    day, sends and failures per UTC hour of the last 24, and the outbox."""
    await seed(store)
    stats = await store.stats.usage_stats(NOW)
    assert stats.chats == (("private", "en", 2), ("channel", "", 1), ("private", "de", 1))
    assert stats.filters == (("europe", 2), ("", 1), ("asia europe", 1))
    assert stats.regions == [("europe", 3), ("", 1), ("asia", 1)]
    assert stats.articles_per_day == (("News <b>", (0, 0, 0, 1, 0, 0, 3)), ("Other", (0,) * 7))
    expected_sent = [0] * HOURS
    expected_sent[-2], expected_sent[-3] = 2, 1
    expected_failed = [0] * HOURS
    expected_failed[-3] = 1
    assert stats.sent_per_hour == tuple(expected_sent)
    assert stats.failed_per_hour == tuple(expected_failed)
    assert stats.queued == 1
    assert stats.oldest_due_age_s == pytest.approx(100)


def sample() -> UsageStats:
    sent = [0] * HOURS
    sent[5], sent[20] = 7, 12
    return UsageStats(
        now=NOW,
        chats=(("private", "en", 2),),
        filters=(("", 1), ("europe", 1)),
        articles_per_day=(("<script>alert(1)</script>", (1, 2, 3, 4, 5, 6, 7)),),
        sent_per_hour=tuple(sent),
        failed_per_hour=(1,) + (0,) * (HOURS - 1),
        queued=3,
        oldest_due_age_s=12.4,
    )


def test_the_summary_names_every_figure() -> None:
    """The terminal summary shows each table and the 24-hour totals with the busiest hour."""
    text = usage_text(sample())
    assert text.startswith("teaserbot at 2023-11-14 22:13 UTC")
    for heading in ("Subscribed chats", "Subscriptions by region", "Subscriptions by filter"):
        assert heading in text
    assert "  SOURCE                     11-08  11-09" in text
    hour = hour_starts(NOW)[20]
    assert f"19 sent, 1 failed (busiest hour {int(hour // HOUR % 24):02d}:00 UTC: 12 sent)" in text
    assert "Outbox: 3 queued, the oldest due for 12 s" in text


def test_the_page_escapes_names_and_draws_one_bar_per_hour() -> None:
    """Every name from the database is escaped; the chart has 24 bars scaled to the busiest."""
    page = stats_page(sample())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    doc = lxml_html.fromstring(page)
    hours = doc.xpath('//svg[@id="deliveries-per-hour"]/g[@class="hour"]')
    assert len(hours) == HOURS
    heights = [float(g.xpath('rect[@class="sent"]/@height')[0]) for g in hours]
    assert heights[20] == max(heights) > heights[5] > 0 == heights[0]


def test_the_stats_command_prints_the_summary_without_chat_ids(tmp_path: Path) -> None:
    """`python -m bot stats` needs no token and prints counts, never a chat id or title."""
    database = tmp_path / "bot.sqlite3"

    async def seeded() -> None:
        opened = await Store.open(database)
        try:
            await seed(opened)
        finally:
            await opened.close()

    asyncio.run(seeded())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({"DATABASE_PATH": str(database), "PYTHONPATH": str(REPO)})
    run = subprocess.run(
        [sys.executable, "-m", "bot", "stats"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "Subscribed chats" in run.stdout
    assert "Deliveries in the last 24 h:" in run.stdout
    assert str(SECRET_CHAT) not in run.stdout
    assert SECRET_TITLE not in run.stdout


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("CI must run the browser test: chromium is missing (.ci/run installs it)")
    pytest.skip("chromium is not installed (Debian: apt-get install chromium); CI installs it")


async def dump_dom(browser: str, url: str, profile: Path) -> tuple[bytes, bytes, int | None]:
    """Load ``url`` in headless Chromium; (the DOM it built, its stderr, its exit status)."""
    proc = await asyncio.create_subprocess_exec(
        browser,
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        dom, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise
    return dom, err, proc.returncode


async def test_the_stats_page_renders_in_headless_chromium_with_its_chart(tmp_path: Path) -> None:
    """A real headless Chromium loads /stats from the metrics port and finds the SVG chart with
    a bar for each hour, the busy hours drawn, and no chat id or title on the page."""
    browser = _chromium()
    store = await Store.open(tmp_path / "bot.sqlite3")
    await seed(store)
    server = MetricsServer(store, Metrics(clock=lambda: NOW), Health(stall_after=300))
    try:
        port = await server.start("127.0.0.1", 0)
        url = f"http://127.0.0.1:{port}/stats"
        async with httpx.AsyncClient() as client:
            answer = await client.get(url)
        dom, err, status = await dump_dom(browser, url, tmp_path / "chromium")
    finally:
        await server.stop()
        await store.close()
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert status == 0, err.decode(errors="replace")[-2000:]
    doc = lxml_html.fromstring(dom)
    [chart] = doc.xpath('//svg[@id="deliveries-per-hour"]')
    hours = chart.xpath('g[@class="hour"]')
    assert len(hours) == HOURS
    drawn = [i for i, g in enumerate(hours) if float(g.xpath('rect[@class="sent"]/@height')[0]) > 0]
    assert drawn == [HOURS - 3, HOURS - 2]
    text = doc.text_content()
    assert "3 sent, 1 failed" in text
    assert str(SECRET_CHAT) not in dom.decode()
    assert SECRET_TITLE not in dom.decode()
