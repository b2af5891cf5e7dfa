"""End to end with the real bot process: /format and /schedule typed in a chat change what the
chat gets (issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.bot_process import BotProcess
from tests.support.fake_clock import FakeClock
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss

READER = 2651
POLLED = r"poll source=Daily .* status="
OLD = {"title": "An old story", "link": "https://news.example/old", "guid": "old"}
FIRST = {
    "title": "Harbour strike in Valparaíso, Chile",
    "link": "https://news.example/harbour",
    "guid": "harbour",
    "description": "Dockers stop work in Chile's main port.",
}
SECOND = {
    "title": "Snow closes mountain passes in Chile",
    "link": "https://news.example/snow",
    "guid": "snow",
    "description": "Drivers wait at the border with Argentina.",
}


def _say(telegram: FakeTelegram, text: str) -> SentMessage:
    before = len(telegram.messages(READER))
    telegram.send_message(READER, READER, text)
    return telegram.wait_for_messages(READER, before + 1, timeout=30)[before]


def _with(telegram: FakeTelegram, link: str, timeout: float) -> SentMessage:
    assert telegram.wait_until(
        lambda: any(link in m.raw_text for m in telegram.messages(READER)), timeout=timeout
    ), f"nothing with {link} arrived"
    return next(m for m in telegram.messages(READER) if link in m.raw_text)


def _started(telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess) -> None:
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    feeds.set("/feed.xml", rss([OLD], title="Daily"))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")
    _say(telegram, "/start")


def test_format_hashtags_off_removes_the_hashtags(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A teaser carries its place hashtags; after /format hashtags off the next one has none,
    and keeps its title, summary and source."""
    _started(telegram, feeds, bot_process)
    feeds.set("/feed.xml", rss([FIRST, OLD], title="Daily"))
    first = _with(telegram, "news.example/harbour", timeout=60)
    assert "#Chile" in first.text
    answer = _say(telegram, "/format hashtags off")
    assert answer.text.startswith("✅ Hashtags: off")
    feeds.set("/feed.xml", rss([SECOND, FIRST, OLD], title="Daily"))
    second = _with(telegram, "news.example/snow", timeout=60)
    assert "#" not in second.text
    assert "Snow closes mountain passes in Chile" in second.text
    assert "Drivers wait at the border" in second.text
    assert "Daily" in second.text
    assert bot_process.terminate() == 0


def test_daily_schedule_typed_brings_one_digest_at_its_time(
    telegram: FakeTelegram, feeds: FeedServer, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """/schedule daily HH:MM UTC: stories found before that minute are not sent one by one;
    at HH:MM one digest holds them all (the bot's wall clock is moved at the process edge)."""
    clock = FakeClock(tmp_path / "clock")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    due = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, 30, tzinfo=UTC).timestamp()
    clock.set(due - 3600)
    bot = BotProcess(bot_env, cwd=tmp_path, clock=clock.path)
    try:
        _started(telegram, feeds, bot)
        answer = _say(telegram, "/schedule daily 07:30 UTC")
        assert answer.text.startswith("Schedule for this chat: one digest a day at 07:30 (UTC).")
        before = len(telegram.messages(READER))
        feeds.set("/feed.xml", rss([SECOND, FIRST, OLD], title="Daily"))
        bot.wait_for(r"poll source=.* status=ok .*new=2 ", timeout=60)
        polls = len(bot.wait_for(POLLED))
        clock.set(due - 20)
        bot.wait_for(POLLED, timeout=60, count=polls + 2)  # polls at 07:29:40 send nothing
        assert len(telegram.messages(READER)) == before, "a teaser left before its digest"
        clock.set(due)
        digest = _with(telegram, "news.example/snow", timeout=60)
        assert "news.example/harbour" in digest.raw_text
        assert len(telegram.messages(READER)) == before + 1
        assert bot.terminate() == 0
    finally:
        bot.__exit__()


def test_quiet_hours_typed_send_the_next_teaser_silently(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/quiet over the present hour: the next teaser comes at once, without a sound; after
    /quiet off the one after notifies again."""
    _started(telegram, feeds, bot_process)
    hour = datetime.now(UTC).hour
    answer = _say(telegram, f"/quiet {(hour - 1) % 24:02d}:00-{(hour + 2) % 24:02d}:00 UTC")
    assert "They are on now" in answer.text
    feeds.set("/feed.xml", rss([FIRST, OLD], title="Daily"))
    assert _with(telegram, "news.example/harbour", timeout=60).silent
    assert _say(telegram, "/quiet off").text == "Quiet hours for this chat: none."
    feeds.set("/feed.xml", rss([SECOND, FIRST, OLD], title="Daily"))
    assert not _with(telegram, "news.example/snow", timeout=60).silent
    assert bot_process.terminate() == 0
