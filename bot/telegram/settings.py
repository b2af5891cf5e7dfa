"""/settings: everything about a chat, with buttons to change it (members of a group see it
without buttons)."""

from __future__ import annotations

from telegram import Update

from bot.telegram.commands import any_word
from bot.telegram.deps import Context, Deps
from bot.telegram.filter_views import known_sites
from bot.telegram.replies import reply
from bot.telegram.settings_view import settings_view
from bot.telegram.targets import command_target


async def settings(deps: Deps, update: Update, context: Context) -> None:
    """/settings [@chat]: everything about the chat (subscription, filters, delivery, language),
    with buttons."""
    sites = await known_sites(deps)
    found = await command_target(
        deps,
        update,
        context,
        members_see=True,
        bare=any_word,
        member_line=lambda chat: settings_view(chat, sites).text,
    )
    if found is None:
        return
    chat, message, _ = found
    await reply(deps, message, "", settings_view(chat, sites))
