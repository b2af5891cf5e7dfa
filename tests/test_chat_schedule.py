"""Schedules, quiet hours and time zones as people type them (the pure core of issue 25)."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import i18n
from bot.core.chat_schedule import (
    DailyAt,
    EveryHours,
    Instant,
    QuietHours,
    ScheduleError,
    next_digest_at,
    parse_quiet,
    parse_schedule,
    quiet_from_text,
    quiet_text,
    quiet_until,
    schedule_from_text,
    schedule_to_text,
)
from bot.core.time_zones import resolve_zone


def at(text: str, zone: str) -> float:
    """A wall-clock time in a zone as POSIX seconds."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).timestamp()


def wall(moment: float, zone: str) -> str:
    """POSIX seconds as the wall clock of a zone."""
    return datetime.fromtimestamp(moment, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M %Z")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("instant", Instant()),
        ("Sofort", Instant()),
        ("сразу", Instant()),
        ("every 3 h", EveryHours(3)),
        ("every 3h", EveryHours(3)),
        ("alle 6 Stunden", EveryHours(6)),
        ("cada 12 horas", EveryHours(12)),
        ("toutes les 2 heures", EveryHours(2)),
        ("a cada 4 horas", EveryHours(4)),
        ("каждые 8 часов", EveryHours(8)),
        ("daily 07:30", DailyAt(7, 30, "UTC")),
        ("daily 7h30 Europe/Madrid", DailyAt(7, 30, "Europe/Madrid")),
        ("täglich 18:00 Berlin", DailyAt(18, 0, "Europe/Berlin")),
        ("diario 9:05 São Paulo", DailyAt(9, 5, "America/Sao_Paulo")),
        ("chaque jour 20:00 Paris", DailyAt(20, 0, "Europe/Paris")),
        ("ежедневно 08:00 Europe/Moscow", DailyAt(8, 0, "Europe/Moscow")),
        ("daily 06:00 Spain", DailyAt(6, 0, "Europe/Madrid")),
    ],
)
def test_a_schedule_is_read_in_every_language(typed: str, expected: object) -> None:
    """Instant, every N hours and daily at a time in a zone read the same in six languages."""
    assert parse_schedule(typed) == expected


def test_a_daily_time_without_a_zone_keeps_the_chats_zone() -> None:
    """``daily 07:30`` keeps the zone the chat already has (UTC when it has none)."""
    assert parse_schedule("daily 07:30", zone="Asia/Karachi") == DailyAt(7, 30, "Asia/Karachi")


@pytest.mark.parametrize(
    ("typed", "quoted"),
    [
        ("weekly", "weekly"),
        ("every 0 h", "every 0 h"),
        ("every 25 h", "every 25 h"),
        ("daily 25:00", "daily 25:00"),
        ("daily 07:30 Atlantis", "Atlantis"),
        ("daily 07:30 USA", "USA"),
    ],
)
def test_a_schedule_that_cannot_be_read_is_refused_quoting_what_was_typed(
    typed: str, quoted: str
) -> None:
    """A refusal names exactly what the person typed (or the part that was wrong)."""
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(typed)
    assert f"'{quoted}'" in str(caught.value)


def test_a_refusal_is_in_the_chats_language() -> None:
    """Errors come from the catalogs: a Spanish chat reads Spanish."""
    i18n.use("es")
    try:
        with pytest.raises(ScheduleError) as caught:
            parse_schedule("semanal")
    finally:
        i18n.use(None)
    assert "No entiendo 'semanal'" in str(caught.value)


def test_a_country_with_several_zones_asks_for_one() -> None:
    """``USA`` has many zones: the answer names some to choose from."""
    with pytest.raises(ScheduleError) as caught:
        resolve_zone("USA", ScheduleError)
    assert "America/New_York" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Madrid", "Europe/Madrid"),
        ("europe/madrid", "Europe/Madrid"),
        ("Sao Paulo", "America/Sao_Paulo"),
        ("new york", "America/New_York"),
        ("UTC", "UTC"),
        ("Alemania", "Europe/Berlin"),
        ("Россия", None),
    ],
)
def test_a_zone_is_named_by_its_name_a_city_or_a_country(typed: str, zone: str | None) -> None:
    """IANA names in any case, cities, and countries with one zone resolve; Russia asks."""
    if zone is None:
        with pytest.raises(ScheduleError):
            resolve_zone(typed, ScheduleError)
    else:
        assert resolve_zone(typed, ScheduleError) == zone


@pytest.mark.parametrize(
    ("zone", "before", "after"),
    [
        ("Europe/Berlin", "2026-03-28 08:00", "2026-03-29 07:30 CEST"),  # spring forward
        ("Europe/Berlin", "2026-10-24 08:00", "2026-10-25 07:30 CET"),  # fall back
        ("America/New_York", "2026-03-07 08:00", "2026-03-08 07:30 EDT"),
        ("America/New_York", "2026-10-31 08:00", "2026-11-01 07:30 EST"),
    ],
)
def test_a_daily_digest_keeps_its_wall_time_across_daylight_saving(
    zone: str, before: str, after: str
) -> None:
    """07:30 stays 07:30 local on the day the clocks change, in two time zones."""
    due = next_digest_at(DailyAt(7, 30, zone), at(before, zone))
    assert due is not None
    assert wall(due, zone) == after


def test_a_daily_time_skipped_by_the_clock_change_comes_just_after_the_gap() -> None:
    """02:30 does not exist in Berlin on 29 March 2026: the digest comes at 03:30 CEST."""
    due = next_digest_at(DailyAt(2, 30, "Europe/Berlin"), at("2026-03-29 00:00", "Europe/Berlin"))
    assert due is not None
    assert wall(due, "Europe/Berlin") == "2026-03-29 03:30 CEST"


def test_a_daily_time_repeated_by_the_clock_change_comes_once() -> None:
    """02:30 happens twice in Berlin on 25 October 2026: the digest comes at the first."""
    zone = "Europe/Berlin"
    first = next_digest_at(DailyAt(2, 30, zone), at("2026-10-25 00:00", zone))
    assert first is not None
    assert wall(first, zone) == "2026-10-25 02:30 CEST"
    second = next_digest_at(DailyAt(2, 30, zone), first)
    assert second is not None
    assert wall(second, zone) == "2026-10-26 02:30 CET"


@given(
    after=st.floats(min_value=1.7e9, max_value=1.9e9),
    hour=st.integers(0, 23),
    minute=st.integers(0, 59),
    zone=st.sampled_from(["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"]),
)
def test_the_next_daily_digest_is_the_first_one_after_now(
    after: float, hour: int, minute: int, zone: str
) -> None:
    """The next digest is after ``after``, within a day and an hour of it, and the one after
    that is on the next local day."""
    due = next_digest_at(DailyAt(hour, minute, zone), after)
    assert due is not None
    assert after < due <= after + 25 * 3600
    later = next_digest_at(DailyAt(hour, minute, zone), due)
    assert later is not None
    tz = ZoneInfo(zone)
    days = (datetime.fromtimestamp(later, tz).date() - datetime.fromtimestamp(due, tz).date()).days
    assert days == 1


@given(after=st.floats(min_value=0, max_value=4e9), hours=st.integers(1, 24))
def test_every_n_hours_falls_on_the_next_whole_period(after: float, hours: int) -> None:
    """``every N h`` digests come at whole multiples of N hours, the first after ``after``."""
    due = next_digest_at(EveryHours(hours), after)
    assert due is not None
    assert after < due <= after + hours * 3600
    assert due % (hours * 3600) == 0


def test_an_instant_chat_has_no_digest_time() -> None:
    """Instant chats are sent to at once: no digest is due."""
    assert next_digest_at(Instant(), 1.8e9) is None


@given(
    schedule=st.one_of(
        st.just(Instant()),
        st.builds(EveryHours, st.integers(1, 24)),
        st.builds(
            DailyAt, st.integers(0, 23), st.integers(0, 59), st.sampled_from(["UTC", "Asia/Tokyo"])
        ),
    )
)
def test_a_stored_schedule_reads_back_the_same(schedule: object) -> None:
    """The stored text of every schedule reads back as that schedule."""
    assert schedule_from_text(schedule_to_text(schedule)) == schedule  # type: ignore[arg-type]


def test_quiet_hours_across_midnight_end_in_the_morning() -> None:
    """22:00-07:00: at 23:00 and at 06:00 it is quiet until 07:00; at 12:00 it is not."""
    quiet = parse_quiet("22:00-07:00 Europe/Berlin")
    assert quiet == QuietHours(22 * 60, 7 * 60, "Europe/Berlin", hold=False)
    end = at("2026-06-02 07:00", "Europe/Berlin")
    assert quiet_until(quiet, at("2026-06-01 23:00", "Europe/Berlin")) == end
    assert quiet_until(quiet, at("2026-06-02 06:00", "Europe/Berlin")) == end
    assert quiet_until(quiet, at("2026-06-02 12:00", "Europe/Berlin")) is None


def test_quiet_hours_can_hold_teasers_and_can_be_turned_off() -> None:
    """``hold`` (in any language) holds teasers; ``off`` removes quiet hours."""
    assert parse_quiet("23-6 hold").hold is True  # type: ignore[union-attr]
    assert parse_quiet("23:00-06:30 retener").hold is True  # type: ignore[union-attr]
    assert parse_quiet("off") is None
    assert parse_quiet("aus") is None


@pytest.mark.parametrize("typed", ["22:00", "22:00-22:00", "late-early", "25:00-07:00"])
def test_quiet_hours_that_cannot_be_read_are_refused(typed: str) -> None:
    """A range without two different valid times is refused with a message."""
    with pytest.raises(ScheduleError):
        parse_quiet(typed)


@given(
    start=st.integers(0, 1439),
    end=st.integers(0, 1439),
    hold=st.booleans(),
    zone=st.sampled_from(["UTC", "America/New_York"]),
    now=st.floats(min_value=1.7e9, max_value=1.9e9),
)
def test_quiet_hours_end_within_a_day_and_read_back_from_storage(
    start: int, end: int, hold: bool, zone: str, now: float
) -> None:
    """Quiet hours, when they hold, end after now and within a day; stored, they read back."""
    if start == end:
        return
    quiet = QuietHours(start, end, zone, hold)
    assert quiet_from_text(quiet_text(quiet)) == quiet
    until = quiet_until(quiet, now)
    if until is not None:
        assert now < until <= now + 25 * 3600
        assert quiet_until(quiet, until) is None or until - now > 0


def test_the_utc_clock_is_the_default_zone() -> None:
    """Without a zone, times are UTC."""
    due = next_digest_at(
        parse_schedule("daily 07:30"), datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    )
    assert due == datetime(2026, 1, 1, 7, 30, tzinfo=UTC).timestamp()
