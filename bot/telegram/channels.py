"""/channels: the channels a person administers, with buttons to set each one up."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.constants import ChatType

from bot import texts
from bot.i18n import tr
from bot.models import Chat
from bot.telegram.base import Context, HandlerBase
from bot.telegram.permissions import check_remote
from bot.telegram.views import View, channels_view

log = logging.getLogger("bot.handlers")


class ChannelCommands(HandlerBase):
    """/channels."""

    async def administered_channels(self, bot: Bot, user_id: int) -> list[Chat]:
        """The known channels where, per Telegram now, the person is an admin and the bot posts."""
        return [
            chat
            for chat in await self.store.channels()
            if await check_remote(bot, user_id, chat.id) is None
        ]

    async def channels_view_for(self, bot: Bot, user_id: int) -> View:
        """The /channels message for a person."""
        return channels_view(await self.administered_channels(bot, user_id), user_id)

    async def channels(self, update: Update, context: Context) -> None:
        """/channels: list the person's channels with subscribe/unsubscribe/regions buttons."""
        message = update.effective_message
        if message is None:
            return
        user = message.from_user
        if message.chat.type != ChatType.PRIVATE or user is None or user.id != message.chat.id:
            await self.reply(message, tr(texts.PRIVATE_ONLY))
            return
        await self.reply(message, "", await self.channels_view_for(context.bot, user.id))
