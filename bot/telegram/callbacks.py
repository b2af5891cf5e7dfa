"""Inline buttons: every press is re-authorised against the chat its data names, then applied.

A press by someone who may not change that chat is answered with an alert and changes nothing.
"""

from __future__ import annotations

import html
import logging
import re

from telegram import CallbackQuery, Message, Update

from bot import regions, texts
from bot.models import Chat, RegionFilter
from bot.telegram.base import Context
from bot.telegram.channels import ChannelCommands
from bot.telegram.views import (
    ROOT,
    Action,
    ButtonData,
    View,
    region_view,
    settings_view,
)

log = logging.getLogger("bot.callbacks")

_TAG = re.compile(r"<[^>]+>")
ALERT_LIMIT = 200


def alert_text(text: str) -> str:
    """An HTML text as plain text for a callback alert (at most 200 characters)."""
    return html.unescape(_TAG.sub("", text))[:ALERT_LIMIT]


def _page_args(args: tuple[str, ...]) -> tuple[str, str | None]:
    page = args[0] if args else ROOT
    back = args[1] if len(args) > 1 and args[1] in ("settings", "channels") else None
    return page, back


class Callbacks(ChannelCommands):
    """The callback_query handler."""

    async def on_button(self, update: Update, context: Context) -> None:
        """Re-authorise the person who pressed, apply the button's action, update the message."""
        query = update.callback_query
        if query is None:
            return
        data = ButtonData.decode(query.data)
        message = query.message
        if data is None or not isinstance(message, Message):
            await query.answer(texts.BUTTON_EXPIRED, show_alert=True)
            return
        user_id = query.from_user.id
        chat, refusal = await self.authorised_target(context.bot, user_id, data.chat_id)
        if refusal is not None or chat is None:
            log.info("button refused action=%s chat=%d user=%d", data.action, data.chat_id, user_id)
            text = alert_text(refusal.text) if refusal else texts.BUTTON_REFUSED
            await query.answer(text or texts.BUTTON_REFUSED, show_alert=True)
            return
        view = await self._apply(context, query, message, data, chat)
        await query.answer()
        if view is None:
            await message.edit_reply_markup(None)
        else:
            await self.show(message, view)

    async def _apply(
        self, context: Context, query: CallbackQuery, message: Message, data: ButtonData, chat: Chat
    ) -> View | None:
        now = self.clock()
        log.info("button action=%s chat=%d user=%d", data.action, chat.id, query.from_user.id)
        match data.action:
            case Action.REGION_TOGGLE:
                rid = data.args[0] if data.args else ""
                page, back = _page_args(data.args[1:])
                if rid not in regions.tables().regions:
                    return region_view(chat, ROOT, back_to=back)
                ids = chat.region_filter.ids
                new = RegionFilter(ids - {rid} if rid in ids else ids | {rid})
                await self.store.set_region_filter(chat.id, new, now)
                return region_view(await self._fresh(chat), page, back_to=back)
            case Action.REGION_PAGE:
                page, back = _page_args(data.args)
                if page != ROOT and page not in regions.tables().regions:
                    page = ROOT
                return region_view(chat, page, back_to=back)
            case Action.REGION_CLEAR:
                _, back = _page_args(data.args)
                await self.store.set_region_filter(chat.id, RegionFilter(), now)
                return region_view(await self._fresh(chat), ROOT, back_to=back)
            case Action.SETTINGS:
                return settings_view(chat)
            case Action.SUBSCRIBE_TOGGLE:
                await self._toggle_subscription(chat, message)
                return settings_view(await self._fresh(chat))
            case Action.PREVIEWS_TOGGLE:
                await self.store.set_link_previews(chat.id, not chat.link_previews, now)
                return settings_view(await self._fresh(chat))
            case Action.CHANNELS:
                return await self.channels_view_for(context.bot, query.from_user.id)
            case Action.CHANNEL_TOGGLE:
                await self._toggle_subscription(chat, message)
                return await self.channels_view_for(context.bot, query.from_user.id)
            case _:  # Action.DONE
                return None

    async def _toggle_subscription(self, chat: Chat, message: Message) -> None:
        if chat.subscribed:
            await self.store.set_subscribed(chat.id, False, now=self.clock())
            return
        here = message.chat.id == chat.id and message.is_topic_message
        thread_id = message.message_thread_id if here else chat.thread_id
        await self.store.set_subscribed(chat.id, True, now=self.clock(), thread_id=thread_id)

    async def _fresh(self, chat: Chat) -> Chat:
        fresh = await self.store.chat(chat.id)
        assert fresh is not None
        return fresh
