"""Command handlers: subscribe, unsubscribe, help, latest, region filters.

Settings of a group can be changed only by its creator and administrators (checked against
Telegram at the time of the command); a command posted in a channel comes from its admins.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass

from telegram import Chat as TgChat
from telegram import ChatMember, Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, filters

from bot import regions, texts
from bot.models import Chat, ChatKind, RegionFilter
from bot.render import article_list
from bot.store import Store

log = logging.getLogger("bot.handlers")

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[object, object, None]]

COMMAND_UPDATES = filters.UpdateType.MESSAGE | filters.UpdateType.CHANNEL_POST
_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, slots=True)
class LatestRequest:
    """A parsed ``/latest`` command."""

    count: int
    region: RegionFilter


class UsageError(Exception):
    """The command's arguments are wrong; the message is the reply."""


def parse_latest_args(args: list[str]) -> LatestRequest:
    """Read ``/latest [region…] [N]``; raise UsageError with a one-line reply when wrong."""
    words = list(args)
    count = texts.LATEST_DEFAULT
    if words and _NUMBER.match(words[-1]):
        count = int(words.pop())
        if not 1 <= count <= texts.LATEST_MAX:
            raise UsageError(texts.LATEST_USAGE.format(max=texts.LATEST_MAX))
    elif words and _NUMBER.match(words[0]):
        count = int(words.pop(0))
        if not 1 <= count <= texts.LATEST_MAX:
            raise UsageError(texts.LATEST_USAGE.format(max=texts.LATEST_MAX))
    region = RegionFilter()
    if words:
        try:
            region = regions.parse_filter(" ".join(words))
        except regions.FilterError as exc:
            raise UsageError(exc.message) from None
    return LatestRequest(count=count, region=region)


def chat_kind(chat: TgChat) -> ChatKind:
    """Our kind for a Telegram chat."""
    return ChatKind(chat.type)


class Handlers:
    """The bot's command handlers, bound to the store."""

    def __init__(self, store: Store, *, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock

    def install(self, app: Application) -> None:  # type: ignore[type-arg]
        """Register every handler and the error handler on the application."""
        commands: dict[str, Callback] = {
            "start": self.start,
            "stop": self.stop,
            "help": self.help,
            "latest": self.latest,
        }
        for name, callback in commands.items():
            app.add_handler(CommandHandler(name, callback, filters=COMMAND_UPDATES))
        app.add_error_handler(self.on_error)

    # ----------------------------------------------------------------- helpers

    async def _remember(self, chat: TgChat) -> Chat:
        return await self.store.upsert_chat(
            chat.id,
            chat_kind(chat),
            now=self.clock(),
            title=chat.title or chat.full_name,
            username=chat.username,
        )

    async def may_configure(self, update: Update, context: Context) -> bool:
        """Whether the sender may change this chat's settings (asks Telegram, never caches)."""
        chat = update.effective_chat
        message = update.effective_message
        if chat is None or message is None:
            return False
        if chat.type in (ChatType.PRIVATE, ChatType.CHANNEL):
            return True
        if message.sender_chat is not None:
            # Anonymous admins post as the group itself; anything else (a channel) may not.
            return message.sender_chat.id == chat.id
        user = message.from_user
        if user is None:
            return False
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning(
                "admin check failed chat=%d user=%d error=%r", chat.id, user.id, exc.message
            )
            return False
        return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR)

    async def _refuse_unless_admin(self, update: Update, context: Context) -> bool:
        """Reply with a refusal and return True when the sender may not configure the chat."""
        if await self.may_configure(update, context):
            return False
        message = update.effective_message
        assert message is not None
        forged = message.from_user is None and message.sender_chat is None
        await message.reply_text(texts.FORGED_SENDER if forged else texts.ADMINS_ONLY)
        return True

    @staticmethod
    def _commands_for(chat: TgChat) -> str:
        if chat.type == ChatType.PRIVATE:
            return texts.command_list(texts.PRIVATE_COMMANDS)
        return texts.command_list(texts.GROUP_ADMIN_COMMANDS)

    # ---------------------------------------------------------------- commands

    async def start(self, update: Update, context: Context) -> None:
        """/start: subscribe the chat."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or await self._refuse_unless_admin(update, context):
            return
        await self._remember(chat)
        thread_id = message.message_thread_id if message.is_topic_message else None
        changed = await self.store.set_subscribed(
            chat.id, True, now=self.clock(), thread_id=thread_id
        )
        log.info("command=start chat=%d kind=%s new=%s", chat.id, chat.type, changed)
        commands = self._commands_for(chat)
        if chat.type != ChatType.PRIVATE:
            await message.reply_text(texts.GROUP_WELCOME)
        elif changed:
            await message.reply_text(texts.WELCOME.format(commands=commands))
        else:
            await message.reply_text(texts.ALREADY_SUBSCRIBED.format(commands=commands))

    async def stop(self, update: Update, context: Context) -> None:
        """/stop: unsubscribe the chat."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None or await self._refuse_unless_admin(update, context):
            return
        known = await self.store.chat(chat.id)
        if known is None or not known.subscribed:
            await message.reply_text(texts.NOT_SUBSCRIBED)
            return
        await self.store.set_subscribed(chat.id, False, now=self.clock())
        log.info("command=stop chat=%d kind=%s", chat.id, chat.type)
        await message.reply_text(texts.STOPPED)

    async def help(self, update: Update, context: Context) -> None:
        """/help: what the bot does and its commands."""
        chat, message = update.effective_chat, update.effective_message
        if chat is None or message is None:
            return
        await message.reply_text(texts.HELP.format(commands=self._commands_for(chat)))

    async def latest(self, update: Update, context: Context) -> None:
        """/latest [region] [N]: the most recent teasers."""
        message = update.effective_message
        if message is None:
            return
        try:
            request = parse_latest_args(list(context.args or []))
        except UsageError as exc:
            await message.reply_text(str(exc), parse_mode=None)
            return
        await self.reply_latest(message, request)

    async def reply_latest(self, message: Message, request: LatestRequest) -> None:
        """Answer a /latest request in the message's chat."""
        if request.region.is_everything:
            articles = await self.store.latest_articles(request.count)
        else:
            recent = await self.store.latest_articles(request.count, scan=2000)
            articles = [a for a in recent if regions.matches(request.region, a.countries)]
            articles = articles[: request.count]
        if not articles:
            empty = (
                texts.LATEST_EMPTY
                if request.region.is_everything
                else texts.LATEST_EMPTY_REGION.format(region=regions.format_filter(request.region))
            )
            await message.reply_text(empty, parse_mode=None)
            return
        heading = (
            texts.LATEST_HEADING.format(count=len(articles))
            if request.region.is_everything
            else texts.LATEST_HEADING_REGION.format(
                count=len(articles), region=regions.format_filter(request.region)
            )
        )
        await message.reply_text(
            article_list(articles, heading=heading), disable_web_page_preview=True
        )

    # ------------------------------------------------------------------ errors

    async def on_error(self, update: object, context: Context) -> None:
        """Log unexpected errors once, with the update's chat, and apologise to the user."""
        log.error("unhandled error while handling an update", exc_info=context.error)
        if isinstance(update, Update) and update.effective_message is not None:
            try:
                await update.effective_message.reply_text(texts.ERROR, parse_mode=None)
            except TelegramError:
                log.warning("could not tell the user about the error")
