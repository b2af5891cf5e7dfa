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
from bot.telegram.base import HandlerBase
from bot.telegram.deps import Context

log = logging.getLogger("bot.format")

_ON = frozenset({"on", "yes", "true", "1", "an", "ein", "sí", "si", "sim", "oui", "вкл", "да"})
_OFF = frozenset({"off", "no", "false", "0", "aus", "non", "não", "nao", "выкл", "нет"})


class FormatCommands(HandlerBase):
    """/format [@chat] [setting on|off] (who may change a chat's settings may change these)."""

    def format_setters(self) -> dict[str, Callable[[int, bool, float], Awaitable[None]]]:
        """Setting name -> the store verb that changes it."""
        return {"share": self.store.set_share_button}

    async def format(self, update: Update, context: Context) -> None:
        """/format: show the settings, or switch one on or off."""
        found = await self.command_target(update, context)
        if found is None:
            return
        chat, message, args = found
        words = [a.lower() for a in args]
        setters = self.format_setters()
        if len(words) != 2 or words[0] not in setters or words[1] not in _ON | _OFF:
            await self.reply(message, self.format_text(chat))
            return
        on = words[1] in _ON
        await setters[words[0]](chat.id, on, self.clock())
        log.info("format chat=%d %s=%s", chat.id, words[0], "on" if on else "off")
        await self.reply(message, tr(texts.FORMAT_SHARE_ON if on else texts.FORMAT_SHARE_OFF))

    @staticmethod
    def format_text(chat: Chat) -> str:
        """The chat's format settings and how to change them."""
        state = texts.FORMAT_ON if shares(chat) else texts.FORMAT_OFF
        return tr(texts.FORMAT_USAGE).format(share=tr(state))
