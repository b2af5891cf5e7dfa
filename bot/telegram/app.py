"""Builds the python-telegram-bot application and registers the command lists."""

from __future__ import annotations

from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, Defaults

from bot.config import Settings
from bot.core import texts
from bot.core.i18n import DEFAULT, LANGUAGES, tr
from bot.telegram.polling import PollingBot
from bot.telegram.ratelimit import FairUpdateProcessor
from bot.telegram.transport import telegram_request

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.EDITED_MESSAGE,
    Update.CHANNEL_POST,
    Update.EDITED_CHANNEL_POST,
    Update.CALLBACK_QUERY,
    Update.MY_CHAT_MEMBER,
    Update.INLINE_QUERY,
]


def build_application(
    settings: Settings,
    *,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> Application:  # type: ignore[type-arg]
    """A PTB application talking to the configured Bot API server, HTML by default, its bot a
    :class:`bot.telegram.polling.PollingBot`.

    With ``rate_limiter`` every API call the handlers make goes through it (the delivery loop's
    :class:`bot.telegram.ratelimit.PriorityRateLimiter` gives replies priority slots).
    """
    bot = PollingBot(
        settings.bot_token,
        base_url=settings.bot_api_url,
        base_file_url=f"{settings.telegram_api_base_url}/file/bot",
        defaults=Defaults(parse_mode=ParseMode.HTML),
        request=telegram_request(settings.bot_api_url, settings.telegram_proxy, connections=16),
        get_updates_request=telegram_request(
            settings.bot_api_url, settings.telegram_proxy, connections=1, read_timeout=40
        ),
        rate_limiter=rate_limiter,
    )
    return ApplicationBuilder().bot(bot).concurrent_updates(FairUpdateProcessor(workers=8)).build()


def _commands(pairs: tuple[tuple[str, str], ...], language: str) -> list[BotCommand]:
    return [BotCommand(name, tr(description, language)) for name, description in pairs]


async def register_commands(app: Application) -> None:  # type: ignore[type-arg]
    """setMyCommands: one list for private chats, one for group members, one for group admins,
    in English for everyone and in each other language for people whose Telegram speaks it; and
    the bot's description (the "What can this bot do?" page) and short description likewise."""
    bot = app.bot
    for language in LANGUAGES:
        code = None if language == DEFAULT else language
        await bot.set_my_description(tr(texts.BOT_DESCRIPTION, language), language_code=code)
        await bot.set_my_short_description(
            tr(texts.BOT_SHORT_DESCRIPTION, language), language_code=code
        )
        await bot.set_my_commands(
            _commands(texts.PRIVATE_COMMANDS, language),
            scope=BotCommandScopeAllPrivateChats(),
            language_code=code,
        )
        await bot.set_my_commands(
            _commands(texts.GROUP_COMMANDS, language),
            scope=BotCommandScopeAllGroupChats(),
            language_code=code,
        )
        await bot.set_my_commands(
            _commands(texts.GROUP_ADMIN_COMMANDS, language),
            scope=BotCommandScopeAllChatAdministrators(),
            language_code=code,
        )
        await bot.set_my_commands(_commands(texts.PRIVATE_COMMANDS, language), language_code=code)
