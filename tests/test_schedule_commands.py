"""/schedule and /quiet typed and by buttons: private chats, groups, channels, six languages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.core.chat_schedule import DailyAt, EveryHours, Instant, QuietHours
from bot.core.chat_settings import ChatSettings
from bot.telegram.views import Action
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import FakeTelegram

ANN, LUCIA, JONAS, OLGA = 901, 902, 903, 904
GROUP, OWNER, MEMBER = -100900, 911, 912
CHANNEL, ALICE, EVE = -100901, 921, 922
NOW = datetime(2026, 12, 8, 13, 20, tzinfo=UTC).timestamp()  # a Tuesday


def _clock() -> float:
    return NOW


def _people(telegram: FakeTelegram) -> None:
    for user, name, language in (
        (ANN, "Ann", "en"),
        (LUCIA, "Lucía", "es"),
        (JONAS, "Jonas", "de"),
        (OLGA, "Olga", "ru"),
        (ALICE, "Alice", "en"),
        (EVE, "Eve", "en"),
    ):
        telegram.add_user(user, name, language_code=language)
        telegram.add_private_chat(user)


async def _settings(h: Harness, chat_id: int) -> ChatSettings:
    chat = await h.store.chats.chat(chat_id)
    assert chat is not None
    return chat.settings


async def test_schedule_typed_forms_and_their_answers(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Every N hours and daily at a time (in a named zone, then kept) are stored and confirmed
    with the next digest's time on the chat's clock; instant goes back to one by one."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/schedule every 3 h")
        assert (await _settings(h, ANN)).schedule == EveryHours(3)
        assert h.last(ANN).text == (
            "Schedule for this chat: one digest every 3 hours. The next digest comes today at "
            "15:00 (UTC), if there is news by then."
        )
        await h.send(ANN, ANN, "/schedule daily 07:30 Madrid")
        settings = await _settings(h, ANN)
        assert settings.schedule == DailyAt(7, 30, "Europe/Madrid")
        assert settings.time_zone == "Europe/Madrid"
        assert "tomorrow at 07:30 (Europe/Madrid)" in h.last(ANN).text
        await h.send(ANN, ANN, "/schedule daily 18:00")
        assert (await _settings(h, ANN)).schedule == DailyAt(18, 0, "Europe/Madrid")
        assert "today at 18:00 (Europe/Madrid)" in h.last(ANN).text
        await h.send(ANN, ANN, "/schedule every hour")
        assert (await _settings(h, ANN)).schedule == EveryHours(1)
        assert "one digest every hour" in h.last(ANN).text
        assert "today at 15:00 (Europe/Madrid)" in h.last(ANN).text
        await h.send(ANN, ANN, "/schedule instant")
        assert (await _settings(h, ANN)).schedule == Instant()
        assert h.last(ANN).text == ("Schedule for this chat: every teaser as soon as I find it.")


async def test_daily_without_a_zone_is_utc(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A chat that never named a time zone gets its daily digest on UTC's clock (and, not
    subscribed yet, hears how to subscribe)."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/schedule daily 9:15")
        settings = await _settings(h, ANN)
        assert settings.schedule == DailyAt(9, 15, "UTC")
        assert settings.time_zone is None
        assert "tomorrow at 09:15 (UTC)" in h.last(ANN).text
        assert h.last(ANN).text.endswith(
            "\n\nThis chat is not subscribed. Send /start to subscribe."
        )


async def test_bad_schedules_are_quoted_and_change_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Each unreadable schedule gets an answer quoting it exactly; the schedule stays."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/schedule every 6 h")
        answers = {
            "weekly": "I can't read 'weekly' as a schedule. Try /schedule instant, /schedule "
            "every 3 h or /schedule daily 07:30 Europe/Madrid.",
            "every 30 h": "'every 30 h': a digest can come every 1 to 24 hours.",
            "daily 25:00": "'daily 25:00': give the time as HH:MM, from 00:00 to 23:59.",
            "daily 07:00 Atlantis": "I don't know the time zone 'Atlantis'. Name a city "
            "(Madrid), a zone (Europe/Madrid) or UTC.",
        }
        for typed, answer in answers.items():
            await h.send(ANN, ANN, f"/schedule {typed}")
            assert h.last(ANN).text == answer
        await h.send(ANN, ANN, "/schedule daily 07:00 United States")
        several = h.last(ANN).text
        assert several.startswith("'United States' has several time zones. Name one: ")
        assert "America/New_York" in several
        assert h.last(ANN).parse_mode is None
        assert (await _settings(h, ANN)).schedule == EveryHours(6)


async def test_schedule_buttons_change_it_in_place(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/schedule shows the schedule with buttons; a press stores the choice, edits the same
    message and answers with a toast; the daily buttons use the chat's own zone."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/schedule daily 08:00 Berlin")
        await h.send(ANN, ANN, "/schedule")
        view = h.last(ANN)
        assert view.text.startswith("Schedule for this chat: one digest a day at 08:00")
        assert "the daily times are in Europe/Berlin" in view.text
        labels = h.labels(view)
        for label in ("⚡ Instant", "Every hour", "Every 3 h", "Every 12 h", "✅ Daily 08:00"):
            assert label in labels
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.SCHEDULE_SET, "e", "6"))
        assert (await _settings(h, ANN)).schedule == EveryHours(6)
        assert telegram.callback_answers[-1].text == "Schedule: every 6 h"
        edited = h.last(ANN)
        assert edited.message_id == view.message_id
        assert "✅ Every 6 h" in h.labels(edited)
        await h.press(ANN, ANN, view.message_id, h.button(edited, Action.SCHEDULE_SET, "d", "1800"))
        assert (await _settings(h, ANN)).schedule == DailyAt(18, 0, "Europe/Berlin")
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.SCHEDULE_SET, "i"))
        assert (await _settings(h, ANN)).schedule == Instant()
        assert len(telegram.messages(ANN)) == 2
        assert h.last(ANN).edits == 3


async def test_group_admin_sets_members_are_refused(telegram: FakeTelegram, tmp_path: Path) -> None:
    """In a group the creator sets the schedule and quiet hours; a member's command and a
    member's press on the admin's buttons are refused and change nothing."""
    telegram.add_group(GROUP, "Readers' club", creator=OWNER, members=[MEMBER])
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(GROUP, OWNER, "/schedule every 12 h")
        assert (await _settings(h, GROUP)).schedule == EveryHours(12)
        answer = h.last(GROUP).text
        assert answer.startswith("Schedule for Readers' club: one digest every 12 hours.")
        await h.send(GROUP, MEMBER, "/schedule instant")
        assert h.last(GROUP).text == "Only this chat's admins can do that."
        await h.send(GROUP, MEMBER, "/quiet 22:00-07:00")
        assert h.last(GROUP).text == "Only this chat's admins can do that."
        await h.send(GROUP, OWNER, "/schedule")
        view = h.last(GROUP)
        await h.press(GROUP, MEMBER, view.message_id, h.button(view, Action.SCHEDULE_SET, "i"))
        assert telegram.callback_answers[-1].show_alert
        settings = await _settings(h, GROUP)
        assert settings.schedule == EveryHours(12)
        assert settings.quiet is None


async def test_channel_set_from_the_admins_private_chat(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/schedule @channel and /quiet @channel set a channel for its admin, by name in the
    answer; someone who is not its admin is refused."""
    _people(telegram)
    telegram.add_channel(CHANNEL, "World Desk", "worlddesk", creator=ALICE)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ALICE, ALICE, "/schedule @worlddesk daily 08:00 UTC")
        assert (await _settings(h, CHANNEL)).schedule == DailyAt(8, 0, "UTC")
        assert h.last(ALICE).text.startswith(
            "Schedule for World Desk: one digest a day at 08:00 (UTC)."
        )
        assert "<code>/start @worlddesk</code> subscribes it" in h.last(ALICE).raw_text
        await h.send(ALICE, ALICE, "/quiet worlddesk 23:00-06:00 hold")
        assert (await _settings(h, CHANNEL)).quiet == QuietHours(23 * 60, 6 * 60, "UTC", True)
        await h.send(ALICE, ALICE, "/schedule @worlddesk")
        assert "<code>/schedule @worlddesk every 3 h</code>" in h.last(ALICE).raw_text
        await h.send(EVE, EVE, "/schedule @worlddesk instant")
        assert "not an administrator" in h.last(EVE).text
        assert (await _settings(h, CHANNEL)).schedule == DailyAt(8, 0, "UTC")
        own = await h.store.chats.chat(ALICE)
        assert own is None or own.settings.schedule == Instant()


async def test_other_languages(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Schedules and quiet hours typed in Spanish, German and Russian, answered in kind."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(LUCIA, LUCIA, "/schedule cada 3 horas")
        assert (await _settings(h, LUCIA)).schedule == EveryHours(3)
        assert "cada 3 horas" in h.last(LUCIA).text
        await h.send(LUCIA, LUCIA, "/schedule diario 07:30 Madrid")
        assert (await _settings(h, LUCIA)).schedule == DailyAt(7, 30, "Europe/Madrid")
        assert "mañana a las 07:30" in h.last(LUCIA).text
        await h.send(JONAS, JONAS, "/quiet 22:00-07:00 halten Berlin")
        assert (await _settings(h, JONAS)).quiet == QuietHours(
            22 * 60, 7 * 60, "Europe/Berlin", True
        )
        assert "bis 07:00" in h.last(JONAS).text
        await h.send(OLGA, OLGA, "/schedule каждые 6 ч")
        assert (await _settings(h, OLGA)).schedule == EveryHours(6)
        assert "раз в 6 часов" in h.last(OLGA).text
        await h.send(OLGA, OLGA, "/schedule еженедельно")
        assert h.last(OLGA).text.startswith("Не понимаю расписание «еженедельно»")  # noqa: RUF001


async def test_quiet_typed_shown_and_by_buttons(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/quiet sets the hours (silent by default, held when asked, in the chat's zone), says
    when they hold now, shows them with buttons, switches the mode and ends them."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/quiet 12:00-14:00")
        assert (await _settings(h, ANN)).quiet == QuietHours(12 * 60, 14 * 60, "UTC", False)
        assert h.last(ANN).text == (
            "Quiet hours for this chat: 12:00-14:00 (UTC), teasers arrive without a sound. "
            "They are on now, until 14:00."
        )
        await h.send(ANN, ANN, "/quiet 22:00-22:00")
        assert h.last(ANN).text == (
            "'22:00-22:00': quiet hours must start and end at different times."
        )
        await h.send(ANN, ANN, "/quiet at night")
        assert h.last(ANN).text == (
            "I can't read 'at night' as quiet hours. Try /quiet 22:00-07:00, or /quiet off."
        )
        await h.send(ANN, ANN, "/quiet")
        view = h.last(ANN)
        assert "☑ 🔕 Without a sound" in h.labels(view)
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.QUIET_SET, "hold"))
        assert (await _settings(h, ANN)).quiet == QuietHours(12 * 60, 14 * 60, "UTC", True)
        later = h.button(h.last(ANN), Action.QUIET_SET, "2300-0700")
        await h.press(ANN, ANN, view.message_id, later)
        assert (await _settings(h, ANN)).quiet == QuietHours(23 * 60, 7 * 60, "UTC", True)
        assert telegram.callback_answers[-1].text == "Quiet hours: 23:00-07:00"
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.QUIET_SET, "off"))
        assert (await _settings(h, ANN)).quiet is None
        await h.send(ANN, ANN, "/quiet 23:00-07:00 Tokyo")
        await h.send(ANN, ANN, "/quiet off")
        settings = await _settings(h, ANN)
        assert settings.quiet is None
        assert settings.time_zone == "Asia/Tokyo"
        assert h.last(ANN).text == "Quiet hours for this chat: none."


async def test_settings_show_schedule_quiet_and_format(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/settings lists the schedule, quiet hours and format, and its buttons open their views
    with a way back."""
    _people(telegram)
    async with harness(telegram, tmp_path, clock=_clock) as h:
        await h.send(ANN, ANN, "/schedule every 3 h")
        await h.send(ANN, ANN, "/quiet 22:00-07:00")
        await h.send(ANN, ANN, "/settings")
        view = h.last(ANN)
        assert "Schedule: every 3 h\nQuiet hours: 22:00-07:00\nFormat: Summary, Hashtags" in (
            view.text
        )
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.SCHEDULE_VIEW))
        schedule = h.last(ANN)
        assert schedule.text.startswith("Schedule for this chat")
        await h.press(ANN, ANN, view.message_id, h.button(schedule, Action.SCHEDULE_SET, "i"))
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.SETTINGS))
        assert "Schedule: instant" in h.last(ANN).text
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.QUIET_VIEW))
        assert h.last(ANN).text.startswith("Quiet hours for this chat: 22:00-07:00")
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.SETTINGS))
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.FORMAT_VIEW))
        assert "How teasers look in this chat" in h.last(ANN).text
        assert len(telegram.messages(ANN)) == 3
