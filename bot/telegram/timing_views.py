"""The views of /schedule, /quiet and /format: the chat's choice now, and buttons to change it.

Like every view, a button only names a request; the callback handler re-checks the person who
pressed it (:mod:`bot.telegram.callbacks`).
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import texts
from bot.core.chat_schedule import DailyAt, EveryHours, Instant, Schedule
from bot.core.delivery_words import (
    SWITCHES,
    clock,
    next_digest_words,
    quiet_now_words,
    quiet_words,
    schedule_words,
    zone_of,
)
from bot.core.i18n import tr, trn
from bot.core.models import Chat
from bot.core.post_format import SIGNATURE_CHARS, Post
from bot.core.search import shares
from bot.telegram.views import Action, ButtonData, View, name_of, ref_of

EVERY_CHOICES = (1, 3, 6, 12)
DAILY_CHOICES = (7 * 60, 8 * 60, 12 * 60, 18 * 60, 20 * 60, 22 * 60)
QUIET_CHOICES = ((22 * 60, 7 * 60), (23 * 60, 7 * 60), (22 * 60, 8 * 60), (0, 6 * 60))
BACK = "settings"


def button(label: str, action: str, chat_id: int, *args: str) -> InlineKeyboardButton:
    """A button asking for ``action`` on the chat ``chat_id``."""
    return InlineKeyboardButton(label, callback_data=ButtonData(action, chat_id, args).encode())


def typed_ref(chat: Chat, *, remote: bool) -> str:
    """What goes between a command and its words in an example: "@channel " when the chat is
    set up from a private chat, else nothing."""
    return html.escape(ref_of(chat)) + " " if remote else ""


def _last_row(chat: Chat, back: str | None) -> list[InlineKeyboardButton]:
    if back == BACK:
        return [button(tr(texts.BUTTON_BACK), Action.SETTINGS, chat.id)]
    return [button(tr(texts.BUTTON_DONE), Action.DONE, chat.id)]


def _ticked(on: bool, label: str) -> str:
    return (texts.CHECKED if on else texts.UNCHECKED) + label


def schedule_state(chat: Chat, now: float) -> str:
    """ "Schedule for this chat: one digest every 3 hours. The next digest comes …"."""
    s = chat.settings
    line = tr(texts.SCHEDULE_STATE).format(
        chat=name_of(chat), schedule=html.escape(schedule_words(s.schedule))
    )
    following = next_digest_words(s.schedule, now, s.time_zone)
    return f"{line} {html.escape(following)}" if following else line


def schedule_code(schedule: Schedule) -> tuple[str, ...]:
    """A schedule as a button's arguments: ``("i",)``, ``("e", "3")``, ``("d", "0730")``."""
    match schedule:
        case Instant():
            return ("i",)
        case EveryHours(hours):
            return ("e", str(hours))
        case DailyAt(hour, minute, _):
            return ("d", f"{hour:02d}{minute:02d}")


def schedule_view(chat: Chat, now: float, *, back: str | None = None, remote: bool = False) -> View:
    """The chat's schedule and buttons: instant, every 1/3/6/12 h, daily at common hours."""
    s = chat.settings
    zone = zone_of(s.time_zone)
    hint = tr(texts.SCHEDULE_HINT).format(zone=zone, ref=typed_ref(chat, remote=remote))
    text = schedule_state(chat, now) + "\n\n" + hint
    chosen = schedule_code(s.schedule)
    extra = (back,) if back else ()

    def choice(label: str, code: tuple[str, ...]) -> InlineKeyboardButton:
        mark = "✅ " if code == chosen else ""
        return button(mark + label, Action.SCHEDULE_SET, chat.id, *code, *extra)

    rows = [[choice(tr(texts.BUTTON_SCHEDULE_INSTANT), ("i",))]]
    rows.append(
        [
            choice(trn(texts.BUTTON_EVERY_HOURS, n).format(count=n), ("e", str(n)))
            for n in EVERY_CHOICES
        ]
    )
    daily = [
        choice(tr(texts.BUTTON_DAILY_AT).format(clock=clock(m)), ("d", clock(m).replace(":", "")))
        for m in DAILY_CHOICES
    ]
    rows += [daily[:3], daily[3:], _last_row(chat, back)]
    return View(text, InlineKeyboardMarkup(rows))


def quiet_state(chat: Chat, now: float) -> str:
    """ "Quiet hours for this chat: 22:00-07:00 (UTC), teasers wait until 07:00." and whether
    they hold now."""
    quiet = chat.settings.quiet
    line = tr(texts.QUIET_STATE).format(chat=name_of(chat), quiet=html.escape(quiet_words(quiet)))
    now_words = quiet_now_words(quiet, now)
    return f"{line} {html.escape(now_words)}" if now_words else line


def quiet_view(chat: Chat, now: float, *, back: str | None = None, remote: bool = False) -> View:
    """The chat's quiet hours and buttons: common hours, without a sound or held, none."""
    quiet = chat.settings.quiet
    zone = quiet.zone if quiet else zone_of(chat.settings.time_zone)
    hint = tr(texts.QUIET_HINT).format(zone=zone, ref=typed_ref(chat, remote=remote))
    text = quiet_state(chat, now) + "\n\n" + hint
    extra = (back,) if back else ()
    ranges = []
    for start, end in QUIET_CHOICES:
        code = f"{clock(start)}-{clock(end)}".replace(":", "")
        on = quiet is not None and (quiet.start, quiet.end) == (start, end)
        label = ("✅ " if on else "") + f"{clock(start)}-{clock(end)}"
        ranges.append(button(label, Action.QUIET_SET, chat.id, code, *extra))
    rows = [ranges[:2], ranges[2:]]
    if quiet is not None:
        hold, silent = tr(texts.BUTTON_QUIET_HOLD), tr(texts.BUTTON_QUIET_SILENT)
        modes = ((not quiet.hold, silent, "silent"), (quiet.hold, hold, "hold"))
        rows.append(
            [
                button(_ticked(on, label), Action.QUIET_SET, chat.id, word, *extra)
                for on, label, word in modes
            ]
        )
        rows.append([button(tr(texts.BUTTON_QUIET_OFF), Action.QUIET_SET, chat.id, "off", *extra)])
    rows.append(_last_row(chat, back))
    return View(text, InlineKeyboardMarkup(rows))


def format_view(
    chat: Chat,
    post: Post,
    *,
    sample: bool = False,
    back: str | None = None,
    remote: bool = False,
    note: str = "",
) -> View:
    """The chat's teaser format: ``post`` (the latest story, or a made-up one when ``sample``)
    as the chat would get it, then a toggle for each part. ``note`` heads the message (what
    just changed)."""
    heading = tr(texts.FORMAT_VIEW_SAMPLE if sample else texts.FORMAT_VIEW)
    parts = [note] if note else []
    parts += [heading.format(chat=name_of(chat)), post.html]
    if post.photo:
        parts.append(tr(texts.FORMAT_PHOTO_NOTE))
    share = tr(texts.FORMAT_ON if shares(chat) else texts.FORMAT_OFF)
    parts.append(tr(texts.FORMAT_SHARE_STATE).format(share=share))
    ref = typed_ref(chat, remote=remote)
    parts.append(tr(texts.FORMAT_HINT).format(ref=ref, limit=SIGNATURE_CHARS))
    return View("\n\n".join(parts), InlineKeyboardMarkup(_format_rows(chat, post, back)))


def _format_rows(chat: Chat, post: Post, back: str | None) -> list[list[InlineKeyboardButton]]:
    fmt = chat.settings.post_format
    extra = (back,) if back else ()
    toggles = [
        button(_ticked(getattr(fmt, field), tr(name)), Action.FORMAT_TOGGLE, chat.id, field, *extra)
        for field, name in SWITCHES
    ]
    share = _ticked(shares(chat), tr(texts.FORMAT_PART_SHARE))
    toggles.append(button(share, Action.FORMAT_TOGGLE, chat.id, "share", *extra))
    rows = [toggles[i : i + 2] for i in range(0, len(toggles), 2)]
    if post.button_url:
        rows.insert(0, [InlineKeyboardButton(tr(texts.READ_BUTTON), url=post.button_url)])
    if fmt.signature:
        off = tr(texts.BUTTON_SIGNATURE_OFF)
        rows.append([button(off, Action.FORMAT_TOGGLE, chat.id, "signature", *extra)])
    rows.append(_last_row(chat, back))
    return rows
