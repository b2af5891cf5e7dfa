"""Who may change a chat's settings, asked of Telegram at the moment of every change.

Nothing here is cached and nothing sent by the client (button data, typed ids) is trusted: each
check reads the person's and the bot's membership live with getChatMember.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from telegram import Bot, ChatMember, ChatMemberAdministrator, ChatMemberRestricted, Message
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import texts
from bot.i18n import tr

log = logging.getLogger("bot.permissions")

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a change is refused; ``text`` is the reply (HTML)."""

    text: str


def chat_label(title: str | None, username: str | None, chat_id: int) -> str:
    """A chat's name for people, escaped for HTML."""
    if title:
        return f"<b>{html.escape(title)}</b>"
    if username:
        return f"@{html.escape(username)}"
    return str(chat_id)


async def check_here(bot: Bot, message: Message) -> Refusal | None:
    """May the sender of this message change the settings of the chat it was sent in?

    Private chat: the person themselves. Channel post: the channel (only its admins post).
    Group: the creator or an administrator, or an anonymous admin posting as the group itself.
    """
    chat = message.chat
    sender_chat = message.sender_chat
    user = message.from_user
    if chat.type == ChatType.PRIVATE:
        return None if user is not None and user.id == chat.id else Refusal(tr(texts.FORGED_SENDER))
    if chat.type == ChatType.CHANNEL:
        ok = sender_chat is not None and sender_chat.id == chat.id
        return None if ok else Refusal(tr(texts.FORGED_SENDER))
    if sender_chat is not None:
        # Anonymous admins post as the group itself; a channel posting here may not.
        return None if sender_chat.id == chat.id else Refusal(tr(texts.ADMINS_ONLY))
    if user is None:
        return Refusal(tr(texts.FORGED_SENDER))
    try:
        member = await bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.warning("admin check failed chat=%d user=%d error=%r", chat.id, user.id, exc.message)
        return Refusal(tr(texts.ADMIN_CHECK_FAILED))
    if member.status in ADMIN_STATUSES:
        return None
    log.info("refused chat=%d user=%d status=%s", chat.id, user.id, member.status)
    return Refusal(tr(texts.ADMINS_ONLY))


def bot_can_post(member: ChatMember, chat_type: str) -> bool:
    """Whether the bot, with this membership, can post in a chat of this type."""
    if chat_type == ChatType.CHANNEL:
        return isinstance(member, ChatMemberAdministrator) and bool(member.can_post_messages)
    if member.status in (ChatMember.LEFT, ChatMember.BANNED):
        return False
    if isinstance(member, ChatMemberRestricted):
        return bool(member.is_member and member.can_send_messages)
    return True


async def check_remote(bot: Bot, user_id: int, chat_id: int) -> Refusal | None:
    """May this person change the settings of that chat from elsewhere (a button, a DM)?

    Their own private chat, yes. A group or channel: only when Telegram says, now, that they are
    its creator or an administrator, and that the bot can still post there.
    """
    if chat_id == user_id:
        return None
    if chat_id > 0:
        return Refusal(tr(texts.NOT_YOUR_CHAT))
    try:
        chat = await bot.get_chat(chat_id)
        member = await bot.get_chat_member(chat_id, user_id)
        mine = await bot.get_chat_member(chat_id, bot.id)
    except TelegramError as exc:
        log.info("remote check failed chat=%d user=%d error=%r", chat_id, user_id, exc.message)
        return Refusal(tr(texts.BOT_NOT_THERE).format(chat=chat_id))
    label = chat_label(chat.title, chat.username, chat_id)
    if member.status not in ADMIN_STATUSES:
        log.info("refused chat=%d user=%d status=%s", chat_id, user_id, member.status)
        return Refusal(tr(texts.NOT_ADMIN_OF).format(chat=label))
    if not bot_can_post(mine, chat.type):
        return Refusal(tr(texts.BOT_CANNOT_POST).format(chat=label))
    return None
