"""/settings: everything about a chat, with buttons to change it."""

from __future__ import annotations

from telegram import Update

from bot.telegram.base import HandlerBase
from bot.telegram.commands import any_word
from bot.telegram.deps import Context
from bot.telegram.views import settings_view


class SettingsCommands(HandlerBase):
    """/settings."""

    async def settings(self, update: Update, context: Context) -> None:
        """/settings [@chat]: the chat's subscription, regions and link previews, with buttons."""
        found = await self.command_target(update, context, members_see=True, bare=any_word)
        if found is None:
            return
        chat, message, _ = found
        await self.reply(message, "", settings_view(chat))
