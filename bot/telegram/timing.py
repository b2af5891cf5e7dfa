"""/schedule (teasers at once, or one digest every few hours or a day) and /quiet (hours when
teasers arrive without a sound, or wait), typed and by buttons.

A chat's time zone is the one it last named (``/schedule daily 07:30 Madrid``,
``/quiet 22-7 Berlin``), else UTC. When the schedule or the quiet hours change, the store
re-times the teasers already queued for the chat (``change_settings``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from telegram import Update

from bot.core import texts
from bot.core.chat_schedule import (
    DailyAt,
    EveryHours,
    Instant,
    QuietHours,
    Schedule,
    ScheduleError,
    parse_quiet,
    parse_schedule,
    quiet_text,
    schedule_to_text,
)
from bot.core.chat_settings import ChatSettings
from bot.core.delivery_words import quiet_short, schedule_short, zone_of
from bot.core.errors import BotError
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.targets import NameCheck, command_target
from bot.telegram.timing_views import BACK, quiet_state, quiet_view, schedule_state, schedule_view
from bot.telegram.views import Action, ButtonData, View, label_of, ref_of

log = logging.getLogger("bot.handlers")


def names_chat(parse: Callable[[str], object]) -> NameCheck:
    """For a command whose words ``parse`` reads: the first word names a chat (without its @)
    when all the words cannot be read but the words after it can (``/schedule worlddesk daily
    08:00``)."""

    def reads(typed: str) -> bool:
        try:
            parse(typed)
        except BotError:
            return False
        return True

    return lambda args: len(args) > 1 and not reads(" ".join(args)) and reads(" ".join(args[1:]))


def _named_zone(chosen: str, settings: ChatSettings) -> str | None:
    """The chat's time zone after a command that resolved ``chosen``: a zone named in it (one
    other than the chat's own) becomes the chat's."""
    return chosen if chosen != zone_of(settings.time_zone) else settings.time_zone


async def set_schedule(deps: Deps, chat: Chat, schedule: Schedule) -> Chat:
    """Store the chat's schedule (and the time zone it names); the store re-times the rows
    already queued for the chat in the same transaction."""
    now = deps.clock()

    def change(s: ChatSettings) -> ChatSettings:
        zone = _named_zone(schedule.zone, s) if isinstance(schedule, DailyAt) else s.time_zone
        return replace(s, schedule=schedule, time_zone=zone)

    settings = await deps.store.chats.change_settings(chat.id, change, now)
    log.info(
        "command=schedule chat=%d schedule=%r zone=%s",
        chat.id,
        schedule_to_text(schedule),
        settings.time_zone,
    )
    return replace(chat, settings=settings)


async def set_quiet(deps: Deps, chat: Chat, quiet: QuietHours | None) -> Chat:
    """Store the chat's quiet hours (and the time zone they name); None ends them."""

    def change(s: ChatSettings) -> ChatSettings:
        zone = _named_zone(quiet.zone, s) if quiet else s.time_zone
        return replace(s, quiet=quiet, time_zone=zone)

    settings = await deps.store.chats.change_settings(chat.id, change, deps.clock())
    log.info("command=quiet chat=%d quiet=%r", chat.id, quiet_text(quiet) or "off")
    return replace(chat, settings=settings)


def unsubscribed_note(chat: Chat, *, remote: bool) -> str:
    """For a chat that is not subscribed: a paragraph saying how to subscribe it (its schedule
    and quiet hours wait until then)."""
    if chat.subscribed:
        return ""
    if remote:
        note = tr(texts.NOT_SUBSCRIBED_REMOTE).format(
            chat=label_of(chat), ref=html.escape(ref_of(chat))
        )
    else:
        note = tr(texts.NOT_SUBSCRIBED)
    return "\n\n" + note


T = TypeVar("T")


@dataclass(frozen=True)
class _Timing(Generic[T]):
    """What /schedule and /quiet each bring to the one way both are answered."""

    read: Callable[..., T]  # parse_schedule / parse_quiet (typed text, zone=…)
    save: Callable[[Deps, Chat, T], Awaitable[Chat]]
    view: Callable[..., View]  # the state with its buttons
    state: Callable[[Chat, float], str]


async def _timing_command(timing: _Timing[T], deps: Deps, update: Update, context: Context) -> None:
    """Show the setting with buttons, or read the typed one, store it and say what it is now."""
    found = await command_target(deps, update, context, bare=names_chat(timing.read))
    if found is None:
        return
    chat, message, args = found
    remote, now = chat.id != message.chat.id, deps.clock()
    if not args:
        await reply(deps, message, "", timing.view(chat, now, remote=remote))
        return
    try:
        chosen = timing.read(" ".join(args), zone=zone_of(chat.settings.time_zone))
    except ScheduleError as exc:
        await reply(deps, message, exc.message, html=False)
        return
    chat = await timing.save(deps, chat, chosen)
    await reply(deps, message, timing.state(chat, now) + unsubscribed_note(chat, remote=remote))


_SCHEDULE = _Timing(parse_schedule, set_schedule, schedule_view, schedule_state)
_QUIET = _Timing(parse_quiet, set_quiet, quiet_view, quiet_state)


async def schedule(deps: Deps, update: Update, context: Context) -> None:
    """/schedule [@chat] [instant | every N h | daily HH:MM [zone]]: show it, or set it."""
    await _timing_command(_SCHEDULE, deps, update, context)


async def quiet(deps: Deps, update: Update, context: Context) -> None:
    """/quiet [@chat] [HH:MM-HH:MM [hold|silent] [zone] | off]: show them, or set them."""
    await _timing_command(_QUIET, deps, update, context)


def _back(args: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """A button's own arguments, and where its view leads back to."""
    if args and args[-1] == BACK:
        return args[:-1], BACK
    return args, None


def schedule_of_button(args: tuple[str, ...], zone: str) -> Schedule | None:
    """The schedule a button asks for (daily times in ``zone``); None when unreadable."""
    match args:
        case ("i",):
            return Instant()
        case ("e", hours) if hours.isdigit() and 1 <= int(hours) <= 24:
            return EveryHours(int(hours))
        case ("d", hhmm) if len(hhmm) == 4 and hhmm.isdigit():
            hour, minute = int(hhmm[:2]), int(hhmm[2:])
            return DailyAt(hour, minute, zone) if hour < 24 and minute < 60 else None
    return None


def quiet_of_button(args: tuple[str, ...], chat: Chat) -> QuietHours | None:
    """The quiet hours a button asks for: a range (in the current zone, keeping the mode), a
    mode for the current hours, or "off"."""
    current = chat.settings.quiet
    word = args[0] if args else "off"
    if word in ("hold", "silent"):
        return replace(current, hold=word == "hold") if current else None
    start, _, end = word.partition("-")
    if not (len(start) == len(end) == 4 and start.isdigit() and end.isdigit()):
        return None
    zone = current.zone if current else zone_of(chat.settings.time_zone)
    hold = current.hold if current else False
    minutes = [int(t[:2]) * 60 + int(t[2:]) for t in (start, end)]
    return QuietHours(minutes[0], minutes[1], zone, hold)


async def press(deps: Deps, chat: Chat, data: ButtonData, *, remote: bool) -> tuple[View, str]:
    """A /schedule or /quiet button (already re-authorised): the view to show, a toast."""
    args, back = _back(data.args)
    now = deps.clock()
    if data.action == Action.SCHEDULE_SET:
        chosen = schedule_of_button(args, zone_of(chat.settings.time_zone))
        if chosen is not None:
            chat = await set_schedule(deps, chat, chosen)
        toast = tr(texts.TOAST_SCHEDULE).format(schedule=schedule_short(chat.settings.schedule))
        return schedule_view(chat, now, back=back, remote=remote), toast
    if data.action == Action.QUIET_SET:
        wanted = quiet_of_button(args, chat)
        if wanted is not None or args[:1] == ("off",):
            chat = await set_quiet(deps, chat, wanted)
        toast = tr(texts.TOAST_QUIET).format(quiet=quiet_short(chat.settings.quiet))
        return quiet_view(chat, now, back=back, remote=remote), toast
    if data.action == Action.QUIET_VIEW:
        toast = tr(texts.TOAST_QUIET).format(quiet=quiet_short(chat.settings.quiet))
        return quiet_view(chat, now, back=back, remote=remote), toast
    toast = tr(texts.TOAST_SCHEDULE).format(schedule=schedule_short(chat.settings.schedule))
    return schedule_view(chat, now, back=back, remote=remote), toast
