"""What every group of handlers shares: the store, the clock, and a few helpers."""

from __future__ import annotations

import asyncio
import dataclasses
import html
import logging
import re
import time
from collections.abc import Callable, Collection, Coroutine

from telegram import Bot, ChatFullInfo, ChatMemberAdministrator, Message, Update
from telegram import Chat as TgChat
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.models import Chat, ChatKind
from bot.store import Store
from bot.telegram.permissions import Refusal, check_here, check_remote
from bot.telegram.views import View

log = logging.getLogger("bot.handlers")

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[object, object, None]]

_CHAT_ID = re.compile(r"^-\d{4,}$")


def chat_kind(chat: TgChat | ChatFullInfo) -> ChatKind:
    """Our kind for a Telegram chat."""
    return ChatKind(chat.type)


def is_target(word: str) -> bool:
    """Whether a command's first word names another chat (@channel or -100123…)."""
    return (word.startswith("@") and len(word) > 1) or bool(_CHAT_ID.match(word))


class HandlerBase:
    """The store and clock the handlers share, and helpers used by several of them."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        operators: Collection[int] = (),
        channel_cleanup_after: float = 60.0,
    ) -> None:
        self.store = store
        self.clock = clock
        self.operators = frozenset(operators)
        self.channel_cleanup_after = channel_cleanup_after
        self._cleanups: set[asyncio.Task[None]] = set()

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
            await self.store.set_language(stored.id, i18n.current(), self.clock())
            stored = dataclasses.replace(stored, language=i18n.current())
        return stored

    async def resolve_target(self, bot: Bot, word: str) -> int | None:
        """The id of a chat named by @username or numeric id; None when Telegram can't find it."""
        if _CHAT_ID.match(word):
            return int(word)
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
        refusal = await check_remote(bot, user_id, chat_id)
        if refusal is not None:
            return None, refusal
        stored = await self.store.chat(chat_id)
        if stored is None or stored.kind is not ChatKind.PRIVATE:
            try:
                tg_chat = await bot.get_chat(chat_id)
            except TelegramError:
                return None, Refusal(tr(texts.BOT_NOT_THERE).format(chat=chat_id))
            stored = await self.remember(tg_chat)
        return stored, None

    async def reply(
        self, message: Message, text: str, view: View | None = None, *, html: bool = True
    ) -> Message:
        """Answer in the message's chat (and topic); in a channel, clean both up later."""
        sent = await message.reply_text(
            text if view is None else view.text,
            reply_markup=view.keyboard if view is not None else None,
            do_quote=False,
            disable_web_page_preview=True,
            **({} if html else {"parse_mode": None}),
        )
        if message.chat.type == ChatType.CHANNEL and self.channel_cleanup_after > 0:
            task = asyncio.create_task(self._clean_up(message, sent))
            self._cleanups.add(task)
            task.add_done_callback(self._cleanups.discard)
        return sent

    async def _clean_up(self, command: Message, answer: Message) -> None:
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
        await asyncio.sleep(self.channel_cleanup_after)
        for message_id in (command.message_id, answer.message_id):
            try:
                await bot.delete_message(chat_id, message_id)
            except TelegramError as exc:
                log.info("cleanup chat=%d message=%d failed: %r", chat_id, message_id, exc.message)
        log.info("cleanup chat=%d removed command and answer", chat_id)

    @staticmethod
    async def show(message: Message, view: View) -> None:
        """Replace a bot message's text and keyboard in place; unchanged content is fine."""
        try:
            await message.edit_text(
                view.text, reply_markup=view.keyboard, disable_web_page_preview=True
            )
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                raise

    async def command_target(
        self, update: Update, context: Context
    ) -> tuple[Chat, Message, list[str]] | None:
        """The chat a configuring command acts on, after checking the sender may; else None.

        The chat itself, or (in a private chat) another chat named first: ``/region @channel …``.
        Refusals are answered here.
        """
        message = update.effective_message
        if message is None:
            return None
        args = list(context.args or [])
        refusal = await check_here(context.bot, message)
        if refusal is not None:
            await self.reply(message, refusal.text)
            return None
        if not (args and is_target(args[0])):
            return await self.remember(message.chat), message, args
        if message.chat.type != ChatType.PRIVATE:
            await self.reply(message, tr(texts.PRIVATE_ONLY))
            return None
        chat_id = await self.resolve_target(context.bot, args[0])
        if chat_id is None:
            await self.reply(message, tr(texts.UNKNOWN_TARGET).format(target=html.escape(args[0])))
            return None
        target, refusal = await self.authorised_target(context.bot, message.chat.id, chat_id)
        if refusal is not None or target is None:
            await self.reply(message, refusal.text if refusal else tr(texts.ERROR))
            return None
        return target, message, args[1:]
