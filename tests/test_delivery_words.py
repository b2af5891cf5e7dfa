"""Words for a chat's schedule, quiet hours and format: times on the chat's clock, six languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core import i18n
from bot.core.chat_schedule import DailyAt, EveryHours, Instant, QuietHours, parse_schedule
from bot.core.delivery_words import (
    format_words,
    named_part,
    next_digest_words,
    quiet_now_words,
    quiet_short,
    quiet_words,
    sample_article,
    schedule_short,
    schedule_words,
    when_words,
)
from bot.core.post_format import PostFormat, render_post

NOON = datetime(2026, 12, 8, 12, 0, tzinfo=UTC).timestamp()  # Tuesday


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.use("en")


def test_when_is_today_tomorrow_or_a_date_on_the_zones_clock() -> None:
    """A moment is told as today, tomorrow or a short date, on the given zone's calendar."""
    at = datetime(2026, 12, 8, 15, 0, tzinfo=UTC).timestamp()
    assert when_words(at, NOON, "UTC") == "today at 15:00"
    assert when_words(at, NOON, "Asia/Tokyo") == "tomorrow at 00:00"
    later = datetime(2026, 12, 10, 7, 30, tzinfo=UTC).timestamp()
    assert when_words(later, NOON, "UTC") == "on Thu, Dec 10 at 07:30"
    i18n.use("de")
    assert when_words(later, NOON, "UTC") == "am Do., 10. Dez. um 07:30"
    i18n.use("ru")
    assert when_words(at, NOON, "UTC") == "сегодня в 15:00"


def test_next_digest_words_for_each_schedule() -> None:
    """Instant has no next digest; every N hours is told on the chat's clock, a daily digest
    on its own zone's."""
    assert next_digest_words(Instant(), NOON, None) == ""
    assert next_digest_words(EveryHours(5), NOON, None) == (
        "The next digest comes today at 15:00 (UTC), if there is news by then."
    )
    assert "today at 16:00 (Europe/Berlin)" in next_digest_words(
        EveryHours(5), NOON, "Europe/Berlin"
    )
    daily = DailyAt(7, 30, "America/New_York")
    assert "today at 07:30 (America/New_York)" in next_digest_words(daily, NOON, "UTC")


def test_daily_time_stays_on_the_wall_clock_across_a_daylight_saving_change() -> None:
    """Before Europe's autumn change a daily 07:30 digest is still told as 07:30 local."""
    before = datetime(2026, 10, 24, 12, 0, tzinfo=UTC).timestamp()  # the change is on the 25th
    words = next_digest_words(DailyAt(7, 30, "Europe/Madrid"), before, None)
    assert "tomorrow at 07:30 (Europe/Madrid)" in words


def test_schedule_and_quiet_descriptions() -> None:
    """Schedules and quiet hours in a sentence and in a button, with the right plural."""
    assert schedule_words(EveryHours(1)) == "one digest every hour"
    assert schedule_words(EveryHours(6)) == "one digest every 6 hours"
    assert schedule_short(DailyAt(8, 5, "UTC")) == "daily at 08:05"
    quiet = QuietHours(22 * 60, 7 * 60, "Europe/Berlin", hold=True)
    assert quiet_words(quiet) == "22:00-07:00 (Europe/Berlin), teasers wait until 07:00"
    assert quiet_short(None) == "none"
    i18n.use("ru")
    assert schedule_words(EveryHours(21)) == "один дайджест раз в 21 час"
    assert schedule_words(EveryHours(3)) == "один дайджест раз в 3 часа"
    assert schedule_words(EveryHours(12)) == "один дайджест раз в 12 часов"


def test_quiet_now_says_until_when() -> None:
    """Inside quiet hours the words say when they end on their own clock; outside, nothing."""
    night = QuietHours(22 * 60, 7 * 60, "UTC")
    late = datetime(2026, 12, 8, 23, 0, tzinfo=UTC).timestamp()
    assert quiet_now_words(night, late) == "They are on now, until 07:00."
    assert quiet_now_words(night, NOON) == ""
    assert quiet_now_words(None, NOON) == ""


def test_format_words_and_the_part_a_request_names() -> None:
    """The parts a format shows are listed by name; a typed request names one part."""
    assert format_words(PostFormat(), share=True) == "Summary, Hashtags, Source, Share button"
    bare = PostFormat(summary=False, hashtags=False, source=False)
    assert format_words(bare, share=False) == "the title only"
    assert named_part("hashtags off") == "hashtags"
    assert named_part("photo on") == "photo"
    assert named_part("Quelle aus") == "source"
    assert named_part("signature — Our paper") == "signature"
    assert named_part("signature off") == "signature"


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("every hour", 1),
        ("hourly", 1),
        ("cada hora", 1),
        ("toutes les heures", 1),
        ("jede Stunde", 1),
        ("каждый час", 1),
        ("каждые 6 ч", 6),
    ],
)
def test_every_hour_in_words(typed: str, hours: int) -> None:
    """Every hour, in words and their translations, means a digest every hour."""
    assert parse_schedule(typed) == EveryHours(hours)


def test_russian_daily_words_are_read_as_typed() -> None:
    """Russian words with й are compared folded like what is typed ("каждый день")."""
    assert parse_schedule("каждый день 7:30") == DailyAt(7, 30, "UTC")


@pytest.mark.parametrize("language", sorted(i18n.LANGUAGES))
def test_sample_story_previews_in_every_language(language: str) -> None:
    """The made-up story for a preview is in the chat's language and renders with hashtags."""
    i18n.use(language)
    post = render_post(sample_article(NOON), PostFormat(), tags=["#Spain", "#Europe"])
    assert i18n.tr("Example News") in post.html
    assert "#Spain" in post.html
