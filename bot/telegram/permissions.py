"""Who may change a chat's settings, asked of Telegram at the moment of every change.

Nothing sent by the client (button data, typed ids) is trusted, and every change is checked
live with getChatMember. Only the /channels *listing* uses :class:`AdminCache`: what Telegram
said about each channel's administrators in the last :data:`ADMINS_TTL` seconds, so that many
people asking at once cost one getChatAdministrators per channel, not three calls per channel
per person. A button under that listing is checked live again when pressed.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from telegram import (
    Bot,
    ChatMember,
    ChatMemberAdministrator,
    ChatMemberRestricted,
    Message,
    User,
)
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core import texts
from bot.core.i18n import tr

log = logging.getLogger("bot.permissions")

ADMIN_STATUSES = frozenset({ChatMember.OWNER, ChatMember.ADMINISTRATOR})
GROUP_ANONYMOUS_BOT = 1087968824
"""The account Telegram sends an anonymous group admin's messages from (with the group as
``sender_chat``)."""
CHANNEL_BOT = 136817688
"""The account Telegram sends messages from that a channel posts in a group."""


def is_person(user: User) -> bool:
    """Whether a message's sender is a person who can be written to (not a bot or Telegram's
    stand-in accounts for anonymous admins and channels)."""
    return not user.is_bot and user.id not in (GROUP_ANONYMOUS_BOT, CHANNEL_BOT)


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
    Group: the creator or an administrator, or an anonymous admin posting as the group itself
    (from GroupAnonymousBot, with the group as ``sender_chat``: Telegram vouches for both).
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
        # Anonymous admins post as the group itself, from Telegram's GroupAnonymousBot account;
        # a channel posting here may not, and a person claiming to be the group is not believed.
        if sender_chat.id != chat.id:
            return Refusal(tr(texts.ADMINS_ONLY))
        anonymous = user is not None and user.id == GROUP_ANONYMOUS_BOT
        if not anonymous:
            log.warning(
                "forged anonymous admin chat=%d from=%s", chat.id, user.id if user else None
            )
        return None if anonymous else Refusal(tr(texts.FORGED_SENDER))
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


async def check_remote(
    bot: Bot, user_id: int, chat_id: int, *, label: str | None = None
) -> Refusal | None:
    """May this person change the settings of that chat from elsewhere (a button, a DM)?

    Their own private chat, yes. A group or channel: only when Telegram says, now, that they are
    its creator or an administrator, and that the bot can still post there. ``label``: the
    chat's name as the bot knows it, for a refusal when Telegram can't say.
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
        return Refusal(tr(texts.BOT_NOT_THERE).format(chat=label or chat_id))
    label = chat_label(chat.title, chat.username, chat_id)
    if member.status not in ADMIN_STATUSES:
        log.info("refused chat=%d user=%d status=%s", chat_id, user_id, member.status)
        return Refusal(tr(texts.NOT_ADMIN_OF).format(chat=label))
    if not bot_can_post(mine, chat.type):
        return Refusal(tr(texts.BOT_CANNOT_POST).format(chat=label))
    return None


ADMINS_TTL = 60.0
"""Seconds a channel's administrator list is reused for /channels listings."""
LOOKUPS_AT_ONCE = 4
"""getChatAdministrators calls in flight at once, whoever asked (the rest wait their turn)."""


@dataclass(frozen=True, slots=True)
class ChannelAdmins:
    """What Telegram said about a channel: who administers it and whether the bot can post."""

    admin_ids: frozenset[int]
    bot_can_post: bool

    def lets(self, user_id: int) -> bool:
        """Whether this person may configure the channel (and the bot can post there)."""
        return self.bot_can_post and user_id in self.admin_ids


class AdminCache:
    """Recent getChatAdministrators answers, one lookup per channel however many people ask.

    An answer is kept for ``ttl`` seconds (a failed lookup too: the bot is not in the channel);
    callers asking about a channel whose lookup is under way wait for that one.
    """

    def __init__(
        self,
        *,
        ttl: float = ADMINS_TTL,
        at_once: int = LOOKUPS_AT_ONCE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.clock = clock
        self._known: dict[int, tuple[float, ChannelAdmins | None]] = {}
        self._pending: dict[int, asyncio.Future[ChannelAdmins | None]] = {}
        self._slots = asyncio.Semaphore(at_once)

    def forget(self, chat_id: int) -> None:
        """Drop what is known about a channel (its membership changed)."""
        self._known.pop(chat_id, None)

    async def admins(self, bot: Bot, chat_id: int) -> ChannelAdmins | None:
        """The channel's administrators, from a recent answer or asked now; None if unknown."""
        now = self.clock()
        known = self._known.get(chat_id)
        if known is not None and now - known[0] < self.ttl:
            return known[1]
        pending = self._pending.get(chat_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[ChannelAdmins | None] = asyncio.get_running_loop().create_future()
        self._pending[chat_id] = future
        try:
            found = await self._lookup(bot, chat_id)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody logs it as lost
            raise
        else:
            self._known[chat_id] = (self.clock(), found)
            future.set_result(found)
        finally:
            del self._pending[chat_id]
            if len(self._known) > 10_000:
                self._prune()
        return found

    async def _lookup(self, bot: Bot, chat_id: int) -> ChannelAdmins | None:
        async with self._slots:
            try:
                members = await bot.get_chat_administrators(chat_id)
            except TelegramError as exc:
                log.info("channel admins unknown chat=%d error=%r", chat_id, exc.message)
                return None
        return ChannelAdmins(
            admin_ids=frozenset(m.user.id for m in members if m.status in ADMIN_STATUSES),
            bot_can_post=any(
                m.user.id == bot.id and bot_can_post(m, ChatType.CHANNEL) for m in members
            ),
        )

    def _prune(self) -> None:
        horizon = self.clock() - self.ttl
        for chat_id in [c for c, (at, _) in self._known.items() if at < horizon]:
            del self._known[chat_id]
