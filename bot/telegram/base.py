"""What every group of handlers shares: the store, the clock, and a few helpers."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import re
import time
from collections.abc import Callable, Collection, Coroutine

from telegram import (
    Bot,
    ChatFullInfo,
    ChatMemberAdministrator,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram import Chat as TgChat
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.models import Chat, ChatKind
from bot.service.reader import SourceReader
from bot.store import CANNOT_POST, StoreVerbs
from bot.telegram.permissions import (
    Refusal,
    bot_can_post,
    chat_label,
    check_here,
    check_remote,
    is_person,
)
from bot.telegram.views import View, subscription_line

log = logging.getLogger("bot.handlers")

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[object, object, None]]

_CHAT_ID = re.compile(r"^-\d{4,}$")
_MAX_ID_DIGITS = 16  # Telegram ids fit 52 bits: -100 and 13 digits at most
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
            told = await _try_send(
                message.reply_text(
                    tr(texts.REPLY_TOO_LONG), parse_mode=None, disable_notification=quiet
                )
            )
        elif kind == "bad_text":
            plain = plain_text(text).strip()[:4000]
            told = bool(plain) and await _try_send(
                message.reply_text(plain, parse_mode=None, disable_notification=quiet)
            )
        else:
            user = message.from_user
            person = user.id if user is not None and is_person(user) else tell
            told = False
            if person is not None and person != chat.id:
                label = chat_label(chat.title, chat.username, chat.id)
                notice = tr(texts.REPLY_REFUSED).format(chat=label)
                told = await _try_send(message.get_bot().send_message(person, notice))
        log.warning(
            "reply refused chat=%d reason=%r kind=%s told=%s", chat.id, exc.message, kind, told
        )
        return kind


async def _try_send(sending: Coroutine[object, object, Message]) -> bool:
    """Send a notice about a refused reply; False (and nothing raised) when that fails too."""
    try:
        await sending
    except TelegramError:
        return False
    return True


def chat_kind(chat: TgChat | ChatFullInfo) -> ChatKind:
    """Our kind for a Telegram chat."""
    return ChatKind(chat.type)


_LINK = re.compile(r"^(?:https?://)?(?:t|telegram)\.me/([A-Za-z][A-Za-z0-9_]{3,31})/?$", re.I)
_BARE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
NameCheck = Callable[[list[str]], bool]
"""Whether a command's first word, typed without its @, may name a chat (and not an argument)."""


def target_word(word: str) -> str:
    """A chat named by its t.me link as ``@username``; any other word as it is."""
    link = _LINK.match(word)
    return "@" + link.group(1) if link else word


def is_target(word: str) -> bool:
    """Whether a command's first word names another chat (@channel or -100123…)."""
    return (word.startswith("@") and len(word) > 1) or bool(_CHAT_ID.match(word))


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


async def creator_of(bot: Bot, chat_id: int) -> int | None:
    """The creator of a chat, per Telegram; None when it can't say."""
    try:
        admins = await bot.get_chat_administrators(chat_id)
    except TelegramError:
        return None
    return next((m.user.id for m in admins if m.status == "creator"), None)


class HandlerBase:
    """The store and clock the handlers share, and helpers used by several of them."""

    def __init__(
        self,
        store: StoreVerbs,
        *,
        clock: Callable[[], float] = time.time,
        operators: Collection[int] = (),
        channel_cleanup_after: float = 60.0,
        reader: SourceReader | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.operators = frozenset(operators)
        self.reader = reader
        self.channel_cleanup_after = channel_cleanup_after
        self._cleanups: set[asyncio.Task[None]] = set()

    def operators_only(self, name: str, callback: Callback) -> Callback:
        """The guard in front of every operator command: the user ids in ADMIN_USER_IDS run it,
        anyone else is refused with one log line. The answer goes to the operator's private chat;
        the update ends here (:class:`ApplicationHandlerStop`)."""

        async def guarded(update: Update, context: Context) -> None:
            message = update.effective_message
            if message is None:
                return
            user = update.effective_user
            if user is None or user.id not in self.operators:
                chat = update.effective_chat
                log.warning(
                    "operator command refused command=%s user=%s chat=%s",
                    name,
                    user.id if user else None,
                    chat.id if chat else None,
                )
                await answer_or_explain(message, tr(texts.OPERATORS_ONLY), html_text=False)
                raise ApplicationHandlerStop
            log.info("operator command=%s user=%d", name, user.id)
            await _run_for_operator(callback, update, context, message, user.id)
            raise ApplicationHandlerStop

        return guarded

    async def remember(self, chat: TgChat | ChatFullInfo) -> Chat:
        """Create or refresh the chat in the store from Telegram's view of it.

        A private chat's language is remembered from its first update (the person's Telegram
        language), so what the bot sends on its own, like digests, speaks it too.
        """
        stored = await self.store.upsert_chat(
            chat.id,
            chat_kind(chat),
            now=self.clock(),
            title=chat.title or chat.full_name,
            username=chat.username,
        )
        if stored.kind is ChatKind.PRIVATE and stored.language is None:
            await self.store.set_language(stored.id, i18n.followed(i18n.current()), self.clock())
            stored = dataclasses.replace(stored, language=i18n.current())
        return stored

    async def resolve_target(self, bot: Bot, word: str) -> int | None:
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
        self, bot: Bot, user_id: int, chat_id: int
    ) -> tuple[Chat | None, Refusal | None]:
        """Check, now, that the person may configure the chat; return it refreshed or a refusal."""
        # A group or channel the bot knows is named by its title in a refusal (ids of other
        # chats fit 52 bits; anything else is refused by check_remote before the store is read).
        stored = await self.store.chat(chat_id) if -(2**52) < chat_id < 0 else None
        known = stored is not None and (stored.title or stored.username)
        label = chat_label(stored.title, stored.username, chat_id) if stored and known else None
        refusal = await check_remote(bot, user_id, chat_id, label=label)
        if refusal is not None:
            return None, refusal
        if stored is None:
            stored = await self.store.chat(chat_id)
        if stored is None or stored.kind is not ChatKind.PRIVATE:
            try:
                tg_chat = await bot.get_chat(chat_id)
            except TelegramError:
                return None, Refusal(tr(texts.BOT_NOT_THERE).format(chat=label or chat_id))
            stored = await self.remember(tg_chat)
        return stored, None

    async def reply(
        self, message: Message, text: str, view: View | None = None, *, html: bool = True
    ) -> Message | None:
        """Answer in the message's chat (and topic); in a channel, clean both up later.

        A reply Telegram refuses is logged in one line and explained where that goes through
        (:func:`answer_or_explain`); then None. A channel the bot turns out unable to post in
        is marked so, and unsubscribed, as delivery would.
        """
        channel = message.chat.type == ChatType.CHANNEL
        sent = await answer_or_explain(
            message,
            text if view is None else view.text,
            keyboard=view.keyboard if view is not None else None,
            html_text=html,
            tell=await self.store.added_by(message.chat.id) if channel else None,
        )
        if isinstance(sent, str):
            known = await self.store.chat(message.chat.id) if channel else None
            if (
                known is not None
                and sent == "cannot_post"
                and known.deactivated_reason != CANNOT_POST
            ):
                now = self.clock()
                await self.store.set_bot_rights(
                    message.chat.id, can_post=False, added_by=None, now=now
                )
                await self.store.deactivate_chat(message.chat.id, CANNOT_POST, now)
            return None
        if channel and self.channel_cleanup_after > 0:
            task = asyncio.create_task(clean_up(message, sent, self.channel_cleanup_after))
            self._cleanups.add(task)
            task.add_done_callback(self._cleanups.discard)
        return sent

    @staticmethod
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

    async def command_target(
        self,
        update: Update,
        context: Context,
        *,
        members_see: bool = False,
        bare: NameCheck | None = None,
    ) -> tuple[Chat, Message, list[str]] | None:
        """The chat a configuring command acts on, after checking the sender may; else None.

        The chat itself, or (in a private chat) another chat named first: ``/region @channel …``.
        Refusals are answered here; with ``members_see``, a group member who asks without
        arguments is shown what the group gets instead (read only). A chat may be named by its
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
                chat = await self.store.chat(message.chat.id) or await self.remember(message.chat)
                line = subscription_line(chat) + "\n" + tr(texts.MEMBERS_READ_ONLY)
                await self.reply(message, line)
                return None
            await self.reply(message, refusal.text)
            return None
        if message.chat.type == ChatType.CHANNEL and not await self.channel_may_post(
            context.bot, message
        ):
            return None
        if args:
            args[0] = await self._named_chat(context.bot, message, args, bare)
        if not (args and is_target(args[0])):
            return await self.remember(message.chat), message, args
        if message.chat.type != ChatType.PRIVATE:
            await self.reply(message, tr(texts.PRIVATE_ONLY))
            return None
        chat_id = await self.resolve_target(context.bot, args[0])
        if chat_id is None:
            await self.reply(message, tr(texts.UNKNOWN_TARGET).format(target=echo(args[0])))
            return None
        target, refusal = await self.authorised_target(context.bot, message.chat.id, chat_id)
        if refusal is not None or target is None:
            await self.reply(message, refusal.text if refusal else tr(texts.ERROR))
            return None
        return target, message, args[1:]

    async def _named_chat(
        self, bot: Bot, message: Message, args: list[str], bare: NameCheck | None
    ) -> str:
        """The first word as a target when it names a chat: its t.me link, or (in a private
        chat, where ``bare`` allows) a username without its @ that Telegram knows."""
        word = target_word(args[0])
        if is_target(word) or bare is None or message.chat.type != ChatType.PRIVATE:
            return word
        if _BARE.match(word) and bare(args) and await self.resolve_target(bot, "@" + word):
            return "@" + word
        return word

    async def channel_may_post(self, bot: Bot, message: Message) -> bool:
        """Whether a channel post may configure its channel: only in a channel the bot is known to
        administer and post in (registered, else asked of Telegram now).

        The bot not an administrator there (a post Telegram would not have sent): one log line.
        An administrator without the right to post: the channel's admin who added the bot (else
        its creator) hears it privately, since nothing can be said in the channel.
        """
        chat = message.chat
        if any(known.id == chat.id for known in await self.store.channels()):
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
            await self.remember(chat)
            await self.store.set_bot_rights(chat.id, can_post=True, added_by=None, now=self.clock())
            return True
        person = await self.store.added_by(chat.id) or await creator_of(bot, chat.id)
        told = False
        if person is not None:
            label = chat_label(chat.title, chat.username, chat.id)
            notice = tr(texts.CHANNEL_CANNOT_POST).format(chat=label)
            told = await _try_send(bot.send_message(person, notice))
        log.warning("channel command refused chat=%d reason=cannot_post told=%s", chat.id, told)
        return False


async def _run_for_operator(
    callback: Callback, update: Update, context: Context, message: Message, user_id: int
) -> None:
    """Run an operator command; a refused answer is explained where the command was typed."""
    try:
        await callback(update, context)
    except Forbidden:  # the operator never started a private chat with the bot
        await answer_or_explain(message, tr(texts.OPERATOR_START_PRIVATE), html_text=False)
    except REFUSED as exc:  # the answer itself refused (too long, say)
        log.warning("operator answer refused user=%d reason=%r", user_id, exc.message)
        if refusal_kind(exc) == "too_long":
            await answer_or_explain(message, tr(texts.REPLY_TOO_LONG), html_text=False)
    else:
        if message.chat.id != user_id:
            await answer_or_explain(message, tr(texts.OPERATOR_ANSWERED_PRIVATELY), html_text=False)
