"""Sends messages through python-telegram-bot; the only place telegram.error maps to outcomes."""

from __future__ import annotations

import datetime as dt

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.models import (
    Chat,
    ChatGone,
    ChatMoved,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    TransientFailure,
)

# 400 answers that mean the chat, not the message, is the problem.
_CHAT_PROBLEMS = (
    "chat not found",
    "not enough rights",
    "have no rights",
    "need administrator rights",
    "chat_write_forbidden",
    "peer_id_invalid",
    "bot was kicked",
    "user is deactivated",
    "group chat was deactivated",
    "topic_closed",
    "message thread not found",
    "chat_restricted",
)


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    value: object = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


def outcome_of(exc: TelegramError) -> SendOutcome:
    """Classify a Telegram error as a send outcome."""
    match exc:
        case RetryAfter():
            return RateLimited(retry_after_seconds(exc))
        case ChatMigrated():
            return ChatMoved(int(exc.new_chat_id))
        case Forbidden():
            return ChatGone(exc.message)
        case BadRequest():  # BadRequest subclasses NetworkError: test it first
            lowered = exc.message.lower()
            if any(problem in lowered for problem in _CHAT_PROBLEMS):
                return ChatGone(exc.message)
            return MessageRejected(exc.message)
        case NetworkError():
            return TransientFailure(exc.message or type(exc).__name__)
        case _:
            return TransientFailure(exc.message or type(exc).__name__)


class TelegramSender:
    """A :class:`bot.delivery.Sender` backed by a PTB ``Bot``."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat: Chat, text: str, *, html: bool, link_preview: bool) -> SendOutcome:
        """Send one message and report the outcome; never raises for Telegram's answers."""
        try:
            message = await self.bot.send_message(
                chat_id=chat.id,
                text=text,
                parse_mode=ParseMode.HTML if html else None,
                link_preview_options=LinkPreviewOptions(is_disabled=not link_preview),
                message_thread_id=chat.thread_id,
            )
        except TelegramError as exc:
            return outcome_of(exc)
        return Sent(message.message_id)
