"""The bot's own membership: added to or removed from chats, rights changed, groups upgraded."""

from __future__ import annotations

import logging

from telegram import Bot, ChatMember, Update
from telegram.constants import ChatType
from telegram.error import ChatMigrated, TelegramError

from bot.core import texts
from bot.core.i18n import tr
from bot.store import CANNOT_POST
from bot.telegram.deps import Context, Deps
from bot.telegram.permissions import bot_can_post
from bot.telegram.targets import remember
from bot.telegram.views import channel_added_view, label_of

log = logging.getLogger("bot.membership")

_GONE = (ChatMember.LEFT, ChatMember.BANNED)


async def really_migrated(bot: Bot, old: int, new: int) -> bool:
    """Whether Telegram confirms that group ``old`` became supergroup ``new`` (asking about the
    old group then answers "upgraded to a supergroup" with the new id)."""
    try:
        await bot.get_chat(old)
    except ChatMigrated as exc:
        return exc.new_chat_id == new
    except TelegramError as exc:
        log.info("migration check chat=%d failed: %r", old, exc.message)
    return False


async def my_chat_member(deps: Deps, update: Update, context: Context) -> None:
    """Register, greet, or deactivate a chat as the bot's membership in it changes."""
    change = update.my_chat_member
    if change is None:
        return
    chat = change.chat
    old, new = change.old_chat_member, change.new_chat_member
    can_post = bot_can_post(new, chat.type)
    could_post = bot_can_post(old, chat.type)
    now = deps.clock()
    log.info(
        "membership chat=%d kind=%s by=%d %s->%s can_post=%s",
        chat.id,
        chat.type,
        change.from_user.id,
        old.status,
        new.status,
        can_post,
    )
    if chat.type == ChatType.PRIVATE:
        if new.status in _GONE and await deps.store.chats.chat(chat.id) is not None:
            await deps.store.chats.deactivate_chat(chat.id, "blocked by the user", now)
        return
    if not can_post:
        waiting = chat.type == ChatType.CHANNEL and new.status == ChatMember.ADMINISTRATOR
        if waiting:  # an admin without the right to post: remembered, and its adder told
            await remember(deps, chat)
        if await deps.store.chats.chat(chat.id) is not None:
            adder = change.from_user.id if waiting else None
            await deps.store.chats.set_bot_rights(chat.id, can_post=False, added_by=adder, now=now)
            reason = "bot removed" if new.status in _GONE else CANNOT_POST
            await deps.store.chats.deactivate_chat(chat.id, reason, now)
        if waiting:
            await _tell_right_missing(deps, context, chat.id, change.from_user.id)
        return
    await remember(deps, chat)
    adder = change.from_user.id if not could_post else None
    await deps.store.chats.set_bot_rights(chat.id, can_post=True, added_by=adder, now=now)
    if chat.type == ChatType.CHANNEL:
        if not could_post:
            await _tell_adder(deps, context, chat.id, change.from_user.id)
        return
    if await deps.store.chats.mark_greeted(chat.id, now):
        try:
            await context.bot.send_message(chat.id, tr(texts.GROUP_HELLO))
        except TelegramError as exc:
            log.warning("could not greet chat=%d error=%r", chat.id, exc.message)


async def _tell_right_missing(deps: Deps, context: Context, channel_id: int, user_id: int) -> None:
    """Tell the admin who made the bot a channel's administrator, in private, that it still
    needs the right to post messages (when they have a chat with the bot)."""
    stored = await deps.store.chats.chat(channel_id)
    if stored is None:
        return
    text = tr(texts.CHANNEL_NEEDS_POST_RIGHT).format(chat=label_of(stored))
    try:
        await context.bot.send_message(user_id, text, disable_web_page_preview=True)
    except TelegramError as exc:
        log.info(
            "could not tell user=%d that channel=%d needs the right to post: %r",
            user_id,
            channel_id,
            exc.message,
        )


async def _tell_adder(deps: Deps, context: Context, channel_id: int, user_id: int) -> None:
    """Tell the admin who added the bot to a channel, in private, how to set it up."""
    stored = await deps.store.chats.chat(channel_id)
    if stored is None:
        return
    view = channel_added_view(stored)
    try:
        await context.bot.send_message(
            user_id, view.text, reply_markup=view.keyboard, disable_web_page_preview=True
        )
    except TelegramError as exc:
        # Most often they never opened a chat with the bot: told at their first /start.
        log.info(
            "could not tell user=%d about channel=%d: %r; told at their /start",
            user_id,
            channel_id,
            exc.message,
        )
        await deps.store.chats.set_setup_pending(channel_id, True, deps.clock())
        return
    await deps.store.chats.set_setup_pending(channel_id, False, deps.clock())


async def migrated(deps: Deps, update: Update, context: Context) -> None:
    """A group became a supergroup: move its subscription to the new id."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if not await really_migrated(context.bot, old, new):
        log.warning("migrate chat=%d to=%d ignored: Telegram does not confirm it", old, new)
        return
    moved = await deps.store.chats.migrate_chat(old, new, deps.clock())
    log.info("migrate chat=%d to=%d moved=%s", old, new, moved)
