"""When a chat's teasers are due (schedules, quiet hours) and what quiet hours ask of a send."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.arrival import (
    Quiet,
    arrival_at,
    arrivals,
    early_rows,
    quiet_now,
    scheduled,
    settings_arrival,
)
from bot.core.chat_schedule import DailyAt, EveryHours, Instant, QuietHours
from bot.core.chat_settings import DEFAULT_SETTINGS, ChatSettings
from bot.core.models import Article, Chat, ChatKind, Delivery, RegionFilter


def at(text: str, zone: str = "UTC") -> float:
    """POSIX time of a local wall time ``YYYY-MM-DD HH:MM`` in ``zone``."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def chat(chat_id: int, chosen: ChatSettings = DEFAULT_SETTINGS) -> Chat:
    return Chat(chat_id, ChatKind.PRIVATE, None, None, None, True, RegionFilter(), True,
                settings=chosen)  # fmt: skip


def row(row_id: int, owner: Chat, created_at: float) -> Delivery:
    article = Article(row_id, 1, "News", str(row_id), "T", "S", None, None, datetime.now(UTC))
    return Delivery(row_id, owner, article, 0, created_at)


DAILY = ChatSettings(schedule=DailyAt(7, 30, "Europe/Berlin"))


def test_an_instant_chat_is_due_at_once() -> None:
    """Instant and no quiet hours: due the moment the teaser is found."""
    now = at("2026-06-01 12:00")
    assert arrival_at(Instant(), None, now) == now
    assert settings_arrival(DEFAULT_SETTINGS, now) == now


def test_every_n_hours_waits_for_the_next_whole_period() -> None:
    """``every 3 h``: due at the next multiple of three hours (UTC)."""
    assert arrival_at(EveryHours(3), None, at("2026-06-01 10:05")) == at("2026-06-01 12:00")


def test_daily_waits_for_the_next_local_time() -> None:
    """``daily 07:30 Europe/Berlin``: found in the evening, due at 07:30 Berlin time next day."""
    found = at("2026-06-01 20:00", "Europe/Berlin")
    assert settings_arrival(DAILY, found) == at("2026-06-02 07:30", "Europe/Berlin")


def test_quiet_hours_that_hold_move_an_instant_teaser_to_their_end() -> None:
    """Instant, quiet 22:00-07:00 hold: a teaser found at 23:00 is due at 07:00."""
    quiet = QuietHours(22 * 60, 7 * 60, "UTC", hold=True)
    assert arrival_at(Instant(), quiet, at("2026-06-01 23:00")) == at("2026-06-02 07:00")
    silent = replace(quiet, hold=False)
    assert arrival_at(Instant(), silent, at("2026-06-01 23:00")) == at("2026-06-01 23:00")


def test_a_digest_time_inside_quiet_hours_that_hold_waits_for_their_end() -> None:
    """Digests every 6 h, quiet 23:00-08:00 hold: the 00:00 and 06:00 digests come at 08:00."""
    quiet = QuietHours(23 * 60, 8 * 60, "UTC", hold=True)
    assert arrival_at(EveryHours(6), quiet, at("2026-06-01 19:00")) == at("2026-06-02 08:00")
    assert arrival_at(EveryHours(6), quiet, at("2026-06-01 10:00")) == at("2026-06-01 12:00")


def test_only_chats_whose_rows_wait_are_listed() -> None:
    """Default and instant chats are due now (not listed); scheduled and held ones are."""
    now = at("2026-06-01 23:30")
    hold = ChatSettings(quiet=QuietHours(22 * 60, 7 * 60, "UTC", hold=True))
    silent = ChatSettings(quiet=QuietHours(22 * 60, 7 * 60, "UTC"))
    chats = [chat(1), chat(2, DAILY), chat(3, hold), chat(4, silent), chat(5, ChatSettings())]
    assert arrivals(chats, now) == {
        2: at("2026-06-02 07:30", "Europe/Berlin"),
        3: at("2026-06-02 07:00"),
    }


def test_quiet_hours_say_silent_or_hold_inside_and_nothing_outside() -> None:
    """Inside silent quiet hours: silent; inside holding ones: held until their end."""
    silent = QuietHours(22 * 60, 7 * 60, "Europe/Madrid")
    assert quiet_now(silent, at("2026-06-01 23:00", "Europe/Madrid")) == Quiet(None)
    assert quiet_now(silent, at("2026-06-01 12:00", "Europe/Madrid")) is None
    assert quiet_now(None, at("2026-06-01 23:00")) is None
    hold = replace(silent, hold=True)
    assert quiet_now(hold, at("2026-06-02 06:00", "Europe/Madrid")) == Quiet(
        at("2026-06-02 07:00", "Europe/Madrid")
    )


def test_rows_read_before_their_digest_wait_for_it() -> None:
    """A scheduled chat's row queued after the last digest waits for the next; an older one
    (its digest time passed) and an instant chat's row are due."""
    daily = chat(1, ChatSettings(schedule=DailyAt(7, 0, "UTC")))
    now = at("2026-06-02 06:00")
    fresh = row(1, daily, at("2026-06-02 05:00"))
    old = row(2, daily, at("2026-06-01 06:00"))
    instant = row(3, chat(2), at("2026-06-02 05:00"))
    assert early_rows([fresh, old, instant], now) == [(fresh, at("2026-06-02 07:00"))]
    assert scheduled(daily.settings)
    assert not scheduled(DEFAULT_SETTINGS)


zones = st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"])


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 23),
    st.integers(0, 59),
    zones,
    st.floats(at("2026-01-01 00:00"), at("2027-01-01 00:00")),
)
def test_a_daily_digest_comes_at_its_wall_time_within_a_day(
    hour: int, minute: int, zone: str, now: float
) -> None:
    """Whatever the zone and the day (daylight-saving changes too): the next daily digest is
    after ``now``, within 25 hours, at the chosen wall time (or just after a skipped hour)."""
    due = arrival_at(DailyAt(hour, minute, zone), None, now)
    assert now < due <= now + 25 * 3600
    local = datetime.fromtimestamp(due, ZoneInfo(zone))
    assert (local.hour, local.minute) == (hour, minute) or local.hour == (hour + 1) % 24


def test_a_zone_this_machine_does_not_know_reads_as_utc() -> None:
    """A stored zone the tz database lacks never stops delivery: it counts as UTC."""
    now = at("2026-06-01 05:00")
    assert arrival_at(DailyAt(7, 0, "Nowhere/City"), None, now) == at("2026-06-01 07:00")
    quiet = QuietHours(4 * 60, 6 * 60, "../etc", hold=True)
    assert quiet_now(quiet, now) == Quiet(at("2026-06-01 06:00"))
