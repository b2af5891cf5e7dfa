"""Private messages no command handler took: an unknown command, plain text, a pasted link.

Every one gets a short, useful answer, so nobody is left wondering whether the bot is alive.
"""

from __future__ import annotations

import difflib
import html
import logging
import re

from telegram import (
    Chat,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    MessageOriginChannel,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core import texts
from bot.core.i18n import tr
from bot.telegram.commands import sites_text
from bot.telegram.deps import Context, Deps, Handler
from bot.telegram.permissions import chat_label, check_remote
from bot.telegram.replies import echo, reply
from bot.telegram.targets import remember
from bot.telegram.views import View, add_me_row, channel_added_view

log = logging.getLogger("bot.handlers")

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_URL_LIMIT = 200


def command_name(text: str) -> str | None:
    """The command a message starts with ("/Regoin@bot x" -> "regoin"); None for plain text."""
    if not text.startswith("/") or len(text) < 2:
        return None
    return text[1:].split(maxsplit=1)[0].split("@", 1)[0].lower() if text[1:].strip() else None


def addressee(text: str) -> str | None:
    """The bot a command is addressed to ("/start@OtherBot x" -> "OtherBot"); None if nobody."""
    first = text[1:].split(maxsplit=1)[0] if text.startswith("/") and text[1:].strip() else ""
    _, at, name = first.partition("@")
    return name if at and name else None


MEANT = {"list": "settings", "lists": "settings", "config": "settings", "options": "settings"}
"""Words people type for one of our commands that a spelling guess would get wrong."""


def guess_command(name: str, known: list[str]) -> str | None:
    """The known command closest to a mistyped one, if any is close enough."""
    if MEANT.get(name) in known:
        return MEANT[name]
    found = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    if found:
        return found[0]
    if len(name) < 3:
        return None
    starts = [command for command in known if command.startswith(name[:3])]
    return starts[0] if len(starts) == 1 else None


def first_url(message: Message) -> str | None:
    """The first web address in a message, from its entities or its text."""
    text = message.text or message.caption or ""
    for entity, value in message.parse_entities([MessageEntity.URL]).items():
        del entity
        return value
    for entity in message.entities or ():
        if entity.type == MessageEntity.TEXT_LINK and entity.url:
            return entity.url
    match = _URL.search(text)
    return match.group(0) if match else None


def private_fallback(handled: frozenset[str]) -> Handler:
    """The private-chat fallback; the commands in ``handled`` have handlers of their own."""

    async def fallback(deps: Deps, update: Update, context: Context) -> None:
        await answer_private(deps, handled, update, context)

    return fallback


async def answer_private(
    deps: Deps, handled: frozenset[str], update: Update, context: Context
) -> None:
    """Answer a private message no other handler answered."""
    message = update.message
    if message is None or message.chat.type != ChatType.PRIVATE:
        return
    if isinstance(message.forward_origin, MessageOriginChannel):
        await set_up_forwarded(deps, context, message, message.forward_origin.chat)
        return
    text = message.text or message.caption or ""
    name = command_name(text)
    operator = message.from_user is not None and message.from_user.id in deps.operators
    if name is not None:
        to = addressee(text)
        if to is not None and to.lower() != (context.bot.username or "").lower():
            log.info("private chat=%d command for another bot", message.chat.id)
            await reply(deps, message, tr(texts.OTHER_BOT_COMMAND).format(bot=echo(to, 33)))
            return
        if name in handled:
            return
        known = [command for command, _ in texts.PRIVATE_COMMANDS]
        if operator:
            known += [command for command, _ in texts.OPERATOR_COMMANDS]
        guess = guess_command(name, known)
        typed = html.escape(name[:40])
        answer = (
            tr(texts.UNKNOWN_COMMAND_GUESS).format(typed=typed, guess=guess)
            if guess
            else tr(texts.UNKNOWN_COMMAND).format(typed=typed)
        )
        log.info("private chat=%d unknown command=%s guess=%s", message.chat.id, name, guess)
        await reply(deps, message, answer)
        return
    url = first_url(message)
    if url is None:
        log.info("private chat=%d text without a command", message.chat.id)
        await reply(deps, message, tr(texts.TEXT_HINT))
        return
    answer = tr(texts.URL_HINT).format(sites=sites_text(await deps.store.sources.followed_sites()))
    if operator:
        answer += tr(texts.URL_HINT_OPERATOR).format(url=html.escape(url[:_URL_LIMIT]))
    log.info("private chat=%d sent a link", message.chat.id)
    await reply(deps, message, answer)


async def set_up_forwarded(deps: Deps, context: Context, message: Message, channel: Chat) -> None:
    """A post forwarded from a channel: that channel's set-up, for one of its admins."""
    user = message.from_user
    if user is None:
        return
    label = chat_label(channel.title, channel.username, channel.id)
    log.info("private chat=%d forwarded a post of channel=%d", message.chat.id, channel.id)
    if not await _bot_is_in(context, channel):
        add = add_me_row(context.bot.username)[1:]
        text = tr(texts.FORWARD_NOT_THERE).format(chat=label)
        await reply(deps, message, "", View(text, InlineKeyboardMarkup([add]) if add else None))
        return
    refusal = await check_remote(context.bot, user.id, channel.id)
    if refusal is not None:
        await reply(deps, message, refusal.text)
        return
    stored = await remember(deps, await context.bot.get_chat(channel.id))
    await reply(deps, message, "", channel_added_view(stored))


async def _bot_is_in(context: Context, channel: Chat) -> bool:
    try:
        mine = await context.bot.get_chat_member(channel.id, context.bot.id)
    except TelegramError:
        return False
    return mine.status in ("administrator", "creator")
