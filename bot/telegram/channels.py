"""/channels: the channels a person administers, with buttons to set each one up."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.constants import ChatType

from bot.core import texts
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.views import View, channels_view

log = logging.getLogger("bot.handlers")


async def administered_channels(deps: Deps, bot: Bot, user_id: int) -> list[Chat]:
    """The known channels where, per Telegram lately, the person is an admin and the bot
    posts; one getChatAdministrators per channel per minute, however many people ask."""
    channels = await deps.store.chats.channels()
    found = await asyncio.gather(*(deps.channel_admins.admins(bot, c.id) for c in channels))
    return [
        chat
        for chat, admins in zip(channels, found, strict=True)
        if admins is not None and admins.lets(user_id)
    ]


async def channels_view_for(deps: Deps, bot: Bot, user_id: int) -> View:
    """The /channels message for a person."""
    waiting = await deps.store.chats.waiting_channels(user_id)
    return channels_view(await administered_channels(deps, bot, user_id), user_id, waiting)


async def channels(deps: Deps, update: Update, context: Context) -> None:
    """/channels: list the person's channels with subscribe/unsubscribe/regions buttons."""
    message = update.effective_message
    if message is None:
        return
    user = message.from_user
    if message.chat.type != ChatType.PRIVATE or user is None or user.id != message.chat.id:
        await reply(deps, message, tr(texts.PRIVATE_ONLY))
        return
    await reply(deps, message, "", await channels_view_for(deps, context.bot, user.id))
