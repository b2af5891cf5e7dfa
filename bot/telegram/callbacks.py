"""Inline buttons: every press is re-authorised against the chat its data names, then applied.

A press by someone who may not change that chat is answered with an alert and changes nothing.
"""

from __future__ import annotations

import html
import logging
import re

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core import i18n, region_choice, regions, texts
from bot.core.i18n import tr
from bot.core.models import Chat, RegionFilter
from bot.telegram import filter_buttons, format, timing
from bot.telegram.channels import channels_view_for
from bot.telegram.deps import Context, Deps
from bot.telegram.language import choose_language
from bot.telegram.replies import REFUSED, reply, show
from bot.telegram.settings_view import settings_for
from bot.telegram.targets import authorised_target
from bot.telegram.views import (
    ROOT,
    Action,
    ButtonData,
    Outcome,
    View,
    language_view,
    region_view,
    subscription_line,
)

log = logging.getLogger("bot.callbacks")

_TAG = re.compile(r"<[^>]+>")
ALERT_LIMIT = 200


def alert_text(text: str) -> str:
    """An HTML text as plain text for a callback alert (at most 200 characters)."""
    return html.unescape(_TAG.sub("", text))[:ALERT_LIMIT]


def carries(message: Message, chat_id: int, user_id: int) -> bool:
    """Whether a button acting on ``chat_id`` may sit under ``message``: a message acts on its
    own chat; only the presser's private chat also sets up other chats (his channels)."""
    here = message.chat
    return here.id == chat_id or (here.type == ChatType.PRIVATE and here.id == user_id)


def _page_args(args: tuple[str, ...]) -> tuple[str, str | None]:
    page = args[0] if args else ROOT
    back = args[1] if len(args) > 1 and args[1] in ("settings", "channels") else None
    return page, back


async def on_button(deps: Deps, update: Update, context: Context) -> None:
    """Re-authorise the person who pressed, apply the button's action, update the message."""
    query = update.callback_query
    if query is None:
        return
    data = ButtonData.decode(query.data)
    message = query.message
    if data is None or not isinstance(message, Message):
        await _answer(query, tr(texts.BUTTON_EXPIRED), alert=True)
        return
    user_id = query.from_user.id
    if not carries(message, data.chat_id, user_id):
        log.warning(
            "button refused action=%s chat=%d user=%d reason=not this message's chat",
            data.action,
            data.chat_id,
            user_id,
        )
        await _answer(query, tr(texts.BUTTON_REFUSED), alert=True)
        return
    chat, refusal = await authorised_target(deps, context.bot, user_id, data.chat_id)
    if refusal is not None or chat is None:
        log.info("button refused action=%s chat=%d user=%d", data.action, data.chat_id, user_id)
        text = alert_text(refusal.text) if refusal else tr(texts.BUTTON_REFUSED)
        await _answer(query, text or tr(texts.BUTTON_REFUSED), alert=True)
        return
    outcome = await _apply(deps, context, query, message, data, chat=chat)
    await _answer(query, outcome.toast)
    if outcome.summary is not None:
        await show(message, View(outcome.summary, None))
    elif outcome.view is None:
        try:
            await message.edit_reply_markup(None)
        except REFUSED as exc:
            log.warning("edit refused chat=%d reason=%r", message.chat.id, exc.message)
    elif outcome.as_new:
        await reply(deps, message, "", outcome.view)
    else:
        await show(message, outcome.view)


async def _answer(query: CallbackQuery, text: str | None, *, alert: bool = False) -> None:
    """Answer a press (at most 200 characters); a refused answer, e.g. a press answered too
    late, is one log line."""
    try:
        await query.answer(text[:ALERT_LIMIT] if text else None, show_alert=alert)
    except TelegramError as exc:
        log.warning("button answer refused query=%s reason=%r", query.id, exc.message)


async def _apply(
    deps: Deps,
    context: Context,
    query: CallbackQuery,
    message: Message,
    data: ButtonData,
    *,
    chat: Chat,
) -> Outcome:
    """Apply a pressed button's action to ``chat``; what the press leads to."""
    now = deps.clock()
    log.info("button action=%s chat=%d user=%d", data.action, chat.id, query.from_user.id)
    if filter_buttons.handles(data):
        return await filter_buttons.apply(deps, chat, message, data)
    match data.action:
        case Action.REGION_TOGGLE:
            return await _toggle_region(deps, chat, message, data)
        case Action.REGION_PAGE | Action.REGION_NEW:
            return _region_page(chat, data)
        case Action.REGION_CLEAR:
            return await _clear_regions(deps, chat, message, data)
        case Action.SETTINGS | Action.SETTINGS_NEW:
            new = data.action == Action.SETTINGS_NEW
            toast = tr(texts.TOAST_OPENED_BELOW) if new else tr(texts.TOAST_SETTINGS)
            return Outcome(await settings_for(deps, chat), toast, as_new=new)
        case Action.SUBSCRIBE_TOGGLE:
            toast = await _toggle_subscription(deps, chat, message)
            return Outcome(await settings_for(deps, await _fresh(deps, chat)), toast)
        case Action.PREVIEWS_TOGGLE | Action.SILENT_TOGGLE:
            return await _toggle_setting(deps, chat, data.action, now)
        case action if action in TIMING_ACTIONS:
            return Outcome(*await _timing(deps, chat, message, data))
        case Action.LANGUAGE:
            return Outcome(language_view(chat), tr(texts.TOAST_LANGUAGES))
        case Action.LANGUAGE_SET:
            chosen = await choose_language(deps, chat, message, data.args[:1])
            fresh = await _fresh(deps, chat)
            toast = tr(texts.TOAST_LANGUAGE).format(language=i18n.LANGUAGES[chosen])
            return Outcome(language_view(fresh), toast)
        case Action.STOP_HERE:
            await deps.store.chats.set_subscribed(chat.id, False, now=now)
            done = View(tr(texts.ONLY_CHANNELS_DONE), None)
            return Outcome(done, tr(texts.TOAST_UNSUBSCRIBED), as_new=True)
        case Action.CHANNELS:
            view = await channels_view_for(deps, context.bot, query.from_user.id)
            return Outcome(view, tr(texts.TOAST_CHANNELS))
        case Action.CHANNEL_TOGGLE:
            toast = await _toggle_subscription(deps, chat, message)
            return Outcome(await channels_view_for(deps, context.bot, query.from_user.id), toast)
        case _:  # Action.DONE
            if data.args[:1] == ("channels",):
                return Outcome(toast=tr(texts.TOAST_DONE))
            remote = message.chat.id != chat.id
            mark = "✅ " if chat.subscribed else "🔕 "
            summary = mark + subscription_line(chat, remote=remote)
            return Outcome(toast=tr(texts.TOAST_DONE), summary=summary)


TIMING_ACTIONS = frozenset(
    {
        Action.SCHEDULE_VIEW,
        Action.SCHEDULE_SET,
        Action.QUIET_VIEW,
        Action.QUIET_SET,
        Action.FORMAT_VIEW,
        Action.FORMAT_TOGGLE,
    }
)
"""The buttons of /schedule, /quiet and /format (their own modules apply them)."""


async def _timing(deps: Deps, chat: Chat, message: Message, data: ButtonData) -> tuple[View, str]:
    remote = message.chat.id != chat.id
    if data.action in (Action.FORMAT_VIEW, Action.FORMAT_TOGGLE):
        return await format.press(deps, chat, data, remote=remote)
    return await timing.press(deps, chat, data, remote=remote)


async def _clear_regions(deps: Deps, chat: Chat, message: Message, data: ButtonData) -> Outcome:
    """Everything: no region filter (subscribing the chat)."""
    _, back = _page_args(data.args)
    await deps.store.chats.set_region_filter(chat.id, RegionFilter(), deps.clock())
    await _subscribe(deps, chat, message)
    view = region_view(await _fresh(deps, chat), ROOT, back_to=back)
    return Outcome(view, tr(texts.TOAST_EVERYTHING))


async def _toggle_setting(deps: Deps, chat: Chat, action: str, now: float) -> Outcome:
    """Turn link previews or silent posts on or off."""
    if action == Action.PREVIEWS_TOGGLE:
        await deps.store.chats.set_link_previews(chat.id, not chat.link_previews, now)
        toast = tr(texts.TOAST_PREVIEWS_OFF if chat.link_previews else texts.TOAST_PREVIEWS_ON)
    else:
        await deps.store.chats.set_silent(chat.id, not chat.silent, now)
        toast = tr(texts.TOAST_SILENT_OFF if chat.silent else texts.TOAST_SILENT_ON)
    return Outcome(await settings_for(deps, await _fresh(deps, chat)), toast)


async def _toggle_region(deps: Deps, chat: Chat, message: Message, data: ButtonData) -> Outcome:
    """Add or remove one region; adding one subscribes the chat ("send me these")."""
    rid = data.args[0] if data.args else ""
    page, back = _page_args(data.args[1:])
    if rid not in regions.tables().regions:
        return Outcome(region_view(chat, ROOT, back_to=back), tr(texts.BUTTON_EXPIRED))
    name = regions.display_name(rid)
    toggled = region_choice.toggle(chat.region_filter, rid)
    if toggled.change == "emptied":
        # No regions left: nothing is sent (never everything by accident), until the
        # person taps a region or Everything.
        await deps.store.chats.set_subscribed(chat.id, False, now=deps.clock())
        await deps.store.chats.set_region_filter(chat.id, toggled.filter, deps.clock())
        toast = tr(texts.TOAST_NO_REGIONS).format(name=name)
    elif toggled.change == "removed":
        await deps.store.chats.set_region_filter(chat.id, toggled.filter, deps.clock())
        toast = tr(texts.TOAST_REMOVED).format(name=name)
    else:
        toast = tr(texts.TOAST_ADDED).format(name=name)
        # The filter first: a story routed in between must not reach a chat unfiltered.
        await deps.store.chats.set_region_filter(chat.id, toggled.filter, deps.clock())
        if not chat.subscribed:
            await _subscribe(deps, chat, message)
            toast = tr(texts.TOAST_ADDED_SUBSCRIBED).format(name=name)
    fresh = await _fresh(deps, chat)
    if page != ROOT and page not in regions.tables().regions:
        page = ROOT
    return Outcome(region_view(fresh, page, back_to=back), toast)


async def _subscribe(deps: Deps, chat: Chat, message: Message) -> None:
    if chat.subscribed:
        return
    here = message.chat.id == chat.id and message.is_topic_message
    thread_id = message.message_thread_id if here else chat.thread_id
    await deps.store.chats.set_subscribed(chat.id, True, now=deps.clock(), thread_id=thread_id)


async def _toggle_subscription(deps: Deps, chat: Chat, message: Message) -> str:
    if chat.subscribed:
        await deps.store.chats.set_subscribed(chat.id, False, now=deps.clock())
        return tr(texts.TOAST_UNSUBSCRIBED)
    await _subscribe(deps, chat, message)
    return tr(texts.TOAST_SUBSCRIBED)


async def _fresh(deps: Deps, chat: Chat) -> Chat:
    fresh = await deps.store.chats.chat(chat.id)
    assert fresh is not None
    return fresh


def _region_page(chat: Chat, data: ButtonData) -> Outcome:
    """Open a page of the region keyboard, in place or as a new message."""
    page, back = _page_args(data.args)
    if page != ROOT and page not in regions.tables().regions:
        page = ROOT
    new = data.action == Action.REGION_NEW
    if new:
        toast = tr(texts.TOAST_OPENED_BELOW)
    elif page == ROOT:
        toast = tr(texts.TOAST_ROOT)
    else:
        toast = tr(texts.TOAST_PAGE).format(name=regions.display_name(page))
    return Outcome(region_view(chat, page, back_to=back), toast, as_new=new)
