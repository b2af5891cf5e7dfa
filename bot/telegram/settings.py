"""/settings: everything about a chat, with buttons to change it."""

from __future__ import annotations

from telegram import Update

from bot.telegram.commands import any_word
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.settings_view import settings_for
from bot.telegram.targets import command_target


async def settings(deps: Deps, update: Update, context: Context) -> None:
    """/settings [@chat]: everything about the chat (subscription, filters, delivery, language),
    with buttons."""
    found = await command_target(deps, update, context, members_see=True, bare=any_word)
    if found is None:
        return
    chat, message, _ = found
    await reply(deps, message, "", await settings_for(deps, chat))
