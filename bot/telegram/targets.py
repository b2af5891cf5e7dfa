"""Which chat a command or a button acts on, and whether the person may change it.

Settings of a group or channel can be changed only by its creator and administrators, checked
against Telegram at the time of every change (:mod:`bot.telegram.permissions`). A chat is
remembered in the store from Telegram's view of it as soon as the bot acts on it.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable

from telegram import Bot, ChatFullInfo, ChatMemberAdministrator, Message, Update
from telegram import Chat as TgChat
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.models import Chat, ChatKind
from bot.telegram.deps import Context, Deps
from bot.telegram.permissions import Refusal, bot_can_post, chat_label, check_here, check_remote
from bot.telegram.replies import GROUPS, echo, reply, try_send
from bot.telegram.views import subscription_line

log = logging.getLogger("bot.handlers")

_CHAT_ID = re.compile(r"^-\d{4,}$")
_MAX_ID_DIGITS = 16  # Telegram ids fit 52 bits: -100 and 13 digits at most
_LINK = re.compile(r"^(?:https?://)?(?:t|telegram)\.me/([A-Za-z][A-Za-z0-9_]{3,31})/?$", re.I)
_BARE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
NameCheck = Callable[[list[str]], bool]
"""Whether a command's first word, typed without its @, may name a chat (and not an argument)."""


def chat_kind(chat: TgChat | ChatFullInfo) -> ChatKind:
    """Our kind for a Telegram chat."""
    return ChatKind(chat.type)


def target_word(word: str) -> str:
    """A chat named by its t.me link as ``@username``; any other word as it is."""
    link = _LINK.match(word)
    return "@" + link.group(1) if link else word


def is_target(word: str) -> bool:
    """Whether a command's first word names another chat (@channel or -100123…)."""
    return (word.startswith("@") and len(word) > 1) or bool(_CHAT_ID.match(word))


async def creator_of(bot: Bot, chat_id: int) -> int | None:
    """The creator of a chat, per Telegram; None when it can't say."""
    try:
        admins = await bot.get_chat_administrators(chat_id)
    except TelegramError:
        return None
    return next((m.user.id for m in admins if m.status == "creator"), None)


async def remember(deps: Deps, chat: TgChat | ChatFullInfo) -> Chat:
    """Create or refresh the chat in the store from Telegram's view of it.

    A private chat's language is remembered from its first update (the person's Telegram
    language), so what the bot sends on its own, like digests, speaks it too.
    """
    stored = await deps.store.chats.upsert_chat(
        chat.id,
        chat_kind(chat),
        now=deps.clock(),
        title=chat.title or chat.full_name,
        username=chat.username,
    )
    if stored.kind is ChatKind.PRIVATE and stored.language is None:
        await deps.store.chats.set_language(stored.id, i18n.followed(i18n.current()), deps.clock())
        stored = dataclasses.replace(stored, language=i18n.current())
    return stored


async def resolve_target(bot: Bot, word: str) -> int | None:
    """The id of a chat named by @username or numeric id; None when Telegram can't find it."""
    if _CHAT_ID.match(word):
        return int(word) if len(word) <= _MAX_ID_DIGITS + 1 else None
    if len(word) > 33:  # "@" and a username of at most 32 characters
        return None
    try:
        chat = await bot.get_chat(word)
    except TelegramError as exc:
        log.info("cannot resolve target=%s error=%r", word, exc.message)
        return None
    return chat.id


async def authorised_target(
    deps: Deps, bot: Bot, user_id: int, chat_id: int
) -> tuple[Chat | None, Refusal | None]:
    """Check, now, that the person may configure the chat; return it refreshed or a refusal."""
    # A group or channel the bot knows is named by its title in a refusal (ids of other
    # chats fit 52 bits; anything else is refused by check_remote before the store is read).
    stored = await deps.store.chats.chat(chat_id) if -(2**52) < chat_id < 0 else None
    known = stored is not None and (stored.title or stored.username)
    label = chat_label(stored.title, stored.username, chat_id) if stored and known else None
    refusal = await check_remote(bot, user_id, chat_id, label=label)
    if refusal is not None:
        return None, refusal
    if stored is None:
        stored = await deps.store.chats.chat(chat_id)
    if stored is None or stored.kind is not ChatKind.PRIVATE:
        try:
            tg_chat = await bot.get_chat(chat_id)
        except TelegramError:
            return None, Refusal(tr(texts.BOT_NOT_THERE).format(chat=label or chat_id))
        stored = await remember(deps, tg_chat)
    return stored, None


async def command_target(
    deps: Deps,
    update: Update,
    context: Context,
    *,
    members_see: bool = False,
    bare: NameCheck | None = None,
    member_line: Callable[[Chat], str] | None = None,
) -> tuple[Chat, Message, list[str]] | None:
    """The chat a configuring command acts on, after checking the sender may; else None.

    The chat itself, or (in a private chat) another chat named first: ``/region @channel …``.
    Refusals are answered here; with ``members_see``, a group member who asks without
    arguments is shown what the group gets instead (read only: ``member_line``, by default its
    subscription and regions). A chat may be named by its
    t.me link too, and (where ``bare`` says the first word may be one) without its @.
    """
    message = update.effective_message
    if message is None:
        return None
    args = list(context.args or [])
    refusal = await check_here(context.bot, message)
    if refusal is not None:
        member = members_see and not args and message.chat.type in GROUPS
        if member and refusal.text == tr(texts.ADMINS_ONLY):
            chat = await deps.store.chats.chat(message.chat.id) or await remember(
                deps, message.chat
            )
            line = (member_line or subscription_line)(chat) + "\n" + tr(texts.MEMBERS_READ_ONLY)
            await reply(deps, message, line)
            return None
        await reply(deps, message, refusal.text)
        return None
    if message.chat.type == ChatType.CHANNEL and not await channel_may_post(
        deps, context.bot, message
    ):
        return None
    if args:
        args[0] = await _named_chat(context.bot, message, args, bare)
    if not (args and is_target(args[0])):
        return await remember(deps, message.chat), message, args
    if message.chat.type != ChatType.PRIVATE:
        await reply(deps, message, tr(texts.PRIVATE_ONLY))
        return None
    chat_id = await resolve_target(context.bot, args[0])
    if chat_id is None:
        await reply(deps, message, tr(texts.UNKNOWN_TARGET).format(target=echo(args[0])))
        return None
    target, refusal = await authorised_target(deps, context.bot, message.chat.id, chat_id)
    if refusal is not None or target is None:
        await reply(deps, message, refusal.text if refusal else tr(texts.ERROR))
        return None
    return target, message, args[1:]


async def _named_chat(bot: Bot, message: Message, args: list[str], bare: NameCheck | None) -> str:
    """The first word as a target when it names a chat: its t.me link, or (in a private
    chat, where ``bare`` allows) a username without its @ that Telegram knows."""
    word = target_word(args[0])
    if is_target(word) or bare is None or message.chat.type != ChatType.PRIVATE:
        return word
    if _BARE.match(word) and bare(args) and await resolve_target(bot, "@" + word):
        return "@" + word
    return word


async def channel_may_post(deps: Deps, bot: Bot, message: Message) -> bool:
    """Whether a channel post may configure its channel: only in a channel the bot is known to
    administer and post in (registered, else asked of Telegram now).

    The bot not an administrator there (a post Telegram would not have sent): one log line.
    An administrator without the right to post: the channel's admin who added the bot (else
    its creator) hears it privately, since nothing can be said in the channel.
    """
    chat = message.chat
    if any(known.id == chat.id for known in await deps.store.chats.channels()):
        return True
    try:
        mine = await bot.get_chat_member(chat.id, bot.id)
    except TelegramError as exc:
        log.warning("channel post ignored chat=%d reason=%r", chat.id, exc.message)
        return False
    if not isinstance(mine, ChatMemberAdministrator):
        log.warning("channel post ignored chat=%d bot_status=%s", chat.id, mine.status)
        return False
    if bot_can_post(mine, ChatType.CHANNEL):
        # Telegram vouches for it now: remember it, so the next post needs no question.
        await remember(deps, chat)
        await deps.store.chats.set_bot_rights(
            chat.id, can_post=True, added_by=None, now=deps.clock()
        )
        return True
    person = await deps.store.chats.added_by(chat.id) or await creator_of(bot, chat.id)
    told = False
    if person is not None:
        label = chat_label(chat.title, chat.username, chat.id)
        notice = tr(texts.CHANNEL_CANNOT_POST).format(chat=label)
        told = await try_send(bot.send_message(person, notice))
    log.warning("channel command refused chat=%d reason=cannot_post told=%s", chat.id, told)
    return False
