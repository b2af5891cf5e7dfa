"""Answering in a chat: a reply that survives Telegram's refusals, an edit in place, a
channel's answers cleaned up later; and the small text helpers answers share."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Coroutine

from telegram import ChatMemberAdministrator, InlineKeyboardMarkup, Message
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError

from bot.core import texts
from bot.core.i18n import tr
from bot.store import CANNOT_POST
from bot.telegram.deps import Deps
from bot.telegram.permissions import chat_label, is_person
from bot.telegram.views import View

log = logging.getLogger("bot.handlers")

ECHO_LIMIT = 64
"""Characters of what someone typed that an answer repeats (longer input is cut with "…")."""
REFUSED = (BadRequest, Forbidden, ChatMigrated)
"""What Telegram answers when it will not take a message: too long, no rights, chat gone."""
_TAG = re.compile(r"<[^>]+>")
GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


def echo(typed: str, limit: int = ECHO_LIMIT) -> str:
    """What someone typed, shortened to ``limit`` characters and escaped for HTML."""
    return html.escape(typed if len(typed) <= limit else typed[: limit - 1] + "…")


def plain_text(text: str) -> str:
    """An HTML text without its tags, for sending without a parse mode."""
    return html.unescape(_TAG.sub("", text))


def refusal_kind(exc: TelegramError) -> str:
    """Why Telegram refused a message: "too_long", "bad_text" (our markup) or "cannot_post"."""
    reason = exc.message.lower()
    if isinstance(exc, BadRequest) and "too long" in reason:
        return "too_long"
    if isinstance(exc, BadRequest) and ("parse entities" in reason or "text is empty" in reason):
        return "bad_text"
    return "cannot_post"


async def answer_or_explain(
    message: Message,
    text: str,
    *,
    keyboard: InlineKeyboardMarkup | None = None,
    html_text: bool = True,
    tell: int | None = None,
) -> Message | str:
    """Reply to ``message``; when Telegram refuses, log one line and say so where it will go.

    Too long: a short notice in the chat. Markup Telegram can't read: the text without it.
    The bot may not post there (or the chat is gone): the person who sent the command, or
    ``tell`` (a channel's admin), hears it in their private chat. Returns the message sent, or
    the :func:`refusal_kind` when refused.
    """
    chat = message.chat
    quiet = chat.type == ChatType.CHANNEL
    sender = message.from_user
    # In a group, an answer quotes the command it answers (not the bot's own messages).
    quote = chat.type in GROUPS and sender is not None and sender.id != message.get_bot().id
    try:
        return await message.reply_text(
            text,
            reply_markup=keyboard,
            do_quote=quote,
            allow_sending_without_reply=True,
            disable_web_page_preview=True,
            # In a channel every answer would notify all its subscribers: always silent there.
            disable_notification=quiet,
            **({} if html_text else {"parse_mode": None}),
        )
    except REFUSED as exc:
        kind = refusal_kind(exc)
        if kind == "too_long":
            told = await try_send(
                message.reply_text(
                    tr(texts.REPLY_TOO_LONG), parse_mode=None, disable_notification=quiet
                )
            )
        elif kind == "bad_text":
            plain = plain_text(text).strip()[:4000]
            told = bool(plain) and await try_send(
                message.reply_text(plain, parse_mode=None, disable_notification=quiet)
            )
        else:
            user = message.from_user
            person = user.id if user is not None and is_person(user) else tell
            told = False
            if person is not None and person != chat.id:
                label = chat_label(chat.title, chat.username, chat.id)
                notice = tr(texts.REPLY_REFUSED).format(chat=label)
                told = await try_send(message.get_bot().send_message(person, notice))
        log.warning(
            "reply refused chat=%d reason=%r kind=%s told=%s", chat.id, exc.message, kind, told
        )
        return kind


async def try_send(sending: Coroutine[object, object, Message]) -> bool:
    """Send a notice about a refused reply; False (and nothing raised) when that fails too."""
    try:
        await sending
    except TelegramError:
        return False
    return True


async def clean_up(command: Message, answer: Message, delay: float) -> None:
    """Remove a channel command post and its answer after a delay, if the bot may delete."""
    bot = command.get_bot()
    chat_id = command.chat.id
    try:
        mine = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError as exc:
        log.info("cleanup chat=%d skipped: %r", chat_id, exc.message)
        return
    if not (isinstance(mine, ChatMemberAdministrator) and mine.can_delete_messages):
        log.info("cleanup chat=%d skipped: the bot may not delete messages", chat_id)
        return
    await asyncio.sleep(delay)
    for message_id in (command.message_id, answer.message_id):
        try:
            await bot.delete_message(chat_id, message_id)
        except TelegramError as exc:
            log.info("cleanup chat=%d message=%d failed: %r", chat_id, message_id, exc.message)
    log.info("cleanup chat=%d removed command and answer", chat_id)


async def reply(
    deps: Deps, message: Message, text: str, view: View | None = None, *, html: bool = True
) -> Message | None:
    """Answer in the message's chat (and topic); in a channel, clean both up later.

    A reply Telegram refuses is logged in one line and explained where that goes through
    (:func:`answer_or_explain`); then None. A channel the bot turns out unable to post in
    is marked so, and unsubscribed, as delivery would.
    """
    store = deps.store
    channel = message.chat.type == ChatType.CHANNEL
    sent = await answer_or_explain(
        message,
        text if view is None else view.text,
        keyboard=view.keyboard if view is not None else None,
        html_text=html,
        tell=await store.chats.added_by(message.chat.id) if channel else None,
    )
    if isinstance(sent, str):
        known = await store.chats.chat(message.chat.id) if channel else None
        if known is not None and sent == "cannot_post" and known.deactivated_reason != CANNOT_POST:
            now = deps.clock()
            await store.chats.set_bot_rights(
                message.chat.id, can_post=False, added_by=None, now=now
            )
            await store.chats.deactivate_chat(message.chat.id, CANNOT_POST, now)
        return None
    if channel and deps.channel_cleanup_after > 0:
        task = asyncio.create_task(clean_up(message, sent, deps.channel_cleanup_after))
        deps.cleanups.add(task)
        task.add_done_callback(deps.cleanups.discard)
    return sent


async def show(message: Message, view: View) -> None:
    """Replace a bot message's text and keyboard in place; unchanged content is fine, and a
    refused edit (message gone, too long) is one log line."""
    try:
        await message.edit_text(
            view.text, reply_markup=view.keyboard, disable_web_page_preview=True
        )
    except REFUSED as exc:
        if "not modified" not in exc.message.lower():
            log.warning(
                "edit refused chat=%d message=%d reason=%r",
                message.chat.id,
                message.message_id,
                exc.message,
            )
