"""/format: how a chat's teasers look. For now one setting, ``share`` (the share button).

``/format`` shows the settings; ``/format NAME on|off`` changes one. A later setting is one more
entry in :data:`SETTINGS` and its store verb.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.core import texts
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.core.search import shares
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.targets import command_target

log = logging.getLogger("bot.format")

_ON = frozenset({"on", "yes", "true", "1", "an", "ein", "sí", "si", "sim", "oui", "вкл", "да"})
_OFF = frozenset({"off", "no", "false", "0", "aus", "non", "não", "nao", "выкл", "нет"})


def format_setters(deps: Deps) -> dict[str, Callable[[int, bool, float], Awaitable[None]]]:
    """Setting name -> the store verb that changes it."""
    return {"share": deps.store.chats.set_share_button}


async def format_command(deps: Deps, update: Update, context: Context) -> None:
    """/format: show the settings, or switch one on or off."""
    found = await command_target(deps, update, context)
    if found is None:
        return
    chat, message, args = found
    words = [a.lower() for a in args]
    setters = format_setters(deps)
    if len(words) != 2 or words[0] not in setters or words[1] not in _ON | _OFF:
        await reply(deps, message, format_text(chat))
        return
    on = words[1] in _ON
    await setters[words[0]](chat.id, on, deps.clock())
    log.info("format chat=%d %s=%s", chat.id, words[0], "on" if on else "off")
    await reply(deps, message, tr(texts.FORMAT_SHARE_ON if on else texts.FORMAT_SHARE_OFF))


def format_text(chat: Chat) -> str:
    """The chat's format settings and how to change them."""
    state = texts.FORMAT_ON if shares(chat) else texts.FORMAT_OFF
    return tr(texts.FORMAT_USAGE).format(share=tr(state))
