"""/start, /stop, /help and /latest."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from telegram import Message, Update
from telegram.constants import ChatType

from bot import regions, texts
from bot.models import RegionFilter
from bot.render import article_list
from bot.telegram.base import Context, HandlerBase
from bot.telegram.views import filter_text, settings_view, welcome_keyboard

log = logging.getLogger("bot.handlers")

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


def commands_for(chat_type: str) -> str:
    """The command list for a help text in a chat of this type."""
    if chat_type == ChatType.PRIVATE:
        return texts.command_list(texts.PRIVATE_COMMANDS)
    return texts.command_list(texts.GROUP_ADMIN_COMMANDS)


class Commands(HandlerBase):
    """/start, /stop, /help, /latest."""

    async def start(self, update: Update, context: Context) -> None:
        """/start: subscribe the chat (admins only outside private chats)."""
        found = await self.command_target(update, context)
        if found is None:
            return
        chat, message, _ = found
        here = chat.id == message.chat.id
        thread_id = message.message_thread_id if here and message.is_topic_message else None
        changed = await self.store.set_subscribed(
            chat.id, True, now=self.clock(), thread_id=thread_id
        )
        log.info(
            "command=start chat=%d kind=%s new=%s thread=%s", chat.id, chat.kind, changed, thread_id
        )
        if not here:
            fresh = await self.store.chat(chat.id)
            assert fresh is not None
            await self.reply(message, "", settings_view(fresh))
        elif message.chat.type != ChatType.PRIVATE:
            await self.reply(message, texts.GROUP_WELCOME)
        elif changed:
            await message.reply_text(texts.WELCOME, reply_markup=welcome_keyboard(chat.id))
        else:
            await message.reply_text(
                texts.ALREADY_SUBSCRIBED.format(regions=filter_text(chat)),
                reply_markup=welcome_keyboard(chat.id),
            )

    async def stop(self, update: Update, context: Context) -> None:
        """/stop: unsubscribe the chat and say how to come back."""
        found = await self.command_target(update, context)
        if found is None:
            return
        chat, message, _ = found
        if not chat.subscribed:
            await self.reply(message, texts.NOT_SUBSCRIBED)
            return
        await self.store.set_subscribed(chat.id, False, now=self.clock())
        log.info("command=stop chat=%d kind=%s", chat.id, chat.kind)
        await self.reply(message, texts.STOPPED)

    async def help(self, update: Update, context: Context) -> None:
        """/help [command]: what the bot does and its commands."""
        message = update.effective_message
        if message is None:
            return
        args = context.args or []
        if args:
            name = args[0].lstrip("/").split("@", 1)[0].lower()
            known = name in texts.COMMAND_HELP
            text = (
                texts.command_help(name)
                if known
                else texts.HELP_UNKNOWN.format(name=html.escape(name))
            )
            await self.reply(message, text)
            return
        await self.reply(message, texts.HELP.format(commands=commands_for(message.chat.type)))

    async def latest(self, update: Update, context: Context) -> None:
        """/latest [region] [N]: the most recent teasers (anyone may ask)."""
        message = update.effective_message
        if message is None:
            return
        try:
            request = parse_latest_args(list(context.args or []))
        except UsageError as exc:
            await message.reply_text(str(exc), parse_mode=None, do_quote=False)
            return
        await self.reply_latest(message, request)

    async def reply_latest(self, message: Message, request: LatestRequest) -> None:
        """Answer a /latest request in the message's chat."""
        if request.region.is_everything:
            articles = await self.store.latest_articles(request.count)
        else:
            recent = await self.store.latest_articles(request.count, scan=2000)
            articles = [
                a for a in recent if regions.matches(request.region, a.countries, a.regions)
            ][: request.count]
        name = regions.format_filter(request.region)
        if not articles:
            empty = (
                texts.LATEST_EMPTY
                if request.region.is_everything
                else texts.LATEST_EMPTY_REGION.format(region=name)
            )
            await message.reply_text(empty, parse_mode=None, do_quote=False)
            return
        heading = (
            texts.LATEST_HEADING.format(count=len(articles))
            if request.region.is_everything
            else texts.LATEST_HEADING_REGION.format(count=len(articles), region=name)
        )
        await message.reply_text(
            article_list(articles, heading=heading),
            disable_web_page_preview=True,
            do_quote=False,
        )
