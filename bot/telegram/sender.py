"""Sends messages through python-telegram-bot; the only place telegram.error maps to outcomes.

The delivery loop has a ``Bot`` of its own (:func:`delivery_bot`) with a connection pool sized for
its sends in flight (:mod:`bot.telegram.transport`), without the application's rate limiter: it
paces itself.

A teaser is posted with the bot's ``BaseRequest.post`` (PTB's own request path: the same URL,
timeouts and mapping of every error answer to a ``telegram.error``), not ``Bot.send_message``:
that one builds the answer into a ``telegram.Message`` (the message, its sender, its chat and
every entity, ~240 attribute writes), about a third of the bot's CPU per delivered message
(profile in docs/performance.md, issue 27), while delivery needs only the ``message_id``.
"""

from __future__ import annotations

import datetime as dt
import json

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.models import (
    Chat,
    ChatGone,
    ChatMoved,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    TransientFailure,
)
from bot.telegram.transport import telegram_request

# 400 answers about the message itself (its markup, its length, its link preview): it is sent
# once more as plain text. Every other 400 ("chat not found", "not enough rights", a deleted
# topic, ...) means the chat cannot be posted to, as a 403 does.
_MESSAGE_PROBLEMS = (
    "can't parse",
    "can't find end",
    "unsupported start tag",
    "unclosed",
    "entit",  # entity / entities
    "message is too long",
    "text is too long",
    "message_too_long",
    "text is empty",
    "message text is empty",
    "text must be non-empty",
    "unsupported parse_mode",
    "wrong http url",
    "button_url_invalid",
    "reply markup",
    "webpage",
    "web page",
    "http url content",
)
# 400 answers to a photo that mean the photo (or posting photos here) is the problem: the teaser
# goes as a text message instead ("wrong file identifier/HTTP URL specified", "failed to get
# HTTP URL content", "wrong type of the web page content", "PHOTO_INVALID_DIMENSIONS",
# "IMAGE_PROCESS_FAILED", "not enough rights to send photos to the chat", ...).
_PHOTO_PROBLEMS = ("photo", "image", "file", "http url", "web page", "webpage", "media", "caption")


def retry_after_seconds(exc: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds."""
    value: object = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)  # type: ignore[arg-type]


def outcome_of(exc: TelegramError, *, photo: bool = False) -> SendOutcome:
    """Classify a Telegram error as a send outcome (``photo``: the answer to a sendPhoto)."""
    match exc:
        case RetryAfter():
            return RateLimited(retry_after_seconds(exc))
        case ChatMigrated():
            return ChatMoved(int(exc.new_chat_id))
        case Forbidden():
            return ChatGone(exc.message)
        case BadRequest():  # BadRequest subclasses NetworkError: test it first
            lowered = exc.message.lower()
            if photo and any(problem in lowered for problem in _PHOTO_PROBLEMS + _MESSAGE_PROBLEMS):
                return MessageRejected(exc.message, photo=True)
            if any(problem in lowered for problem in _MESSAGE_PROBLEMS):
                return MessageRejected(exc.message)
            return ChatGone(exc.message)
        case NetworkError():
            return TransientFailure(exc.message or type(exc).__name__)
        case _:
            return TransientFailure(exc.message or type(exc).__name__)


def delivery_bot(token: str, base_url: str, *, connections: int, proxy: str | None = None) -> Bot:
    """A ``Bot`` for the delivery loop with its own pool of ``connections`` keep-alive sockets."""
    return Bot(
        token,
        base_url=base_url,
        request=telegram_request(base_url, proxy, connections=connections),
        get_updates_request=telegram_request(base_url, proxy, connections=1),
    )


class TelegramSender:
    """A :class:`bot.service.delivery.Sender` backed by a PTB ``Bot``.

    With ``paid`` (a broadcast rate above Telegram's free 30 messages per second) every message
    is sent with ``allow_paid_broadcast``.
    """

    def __init__(self, bot: Bot, *, paid: bool = False) -> None:
        self.bot = bot
        self.paid = paid
        self._url = f"{bot.base_url}/sendMessage"
        self._photo_url = f"{bot.base_url}/sendPhoto"

    def _buttons(self, chat: Chat, share: str | None, read_url: str | None) -> str | None:
        """The buttons under a teaser (JSON ``reply_markup``): "Read" opening ``read_url``, and
        the share button when asked for and the bot's inline mode is on (getMe says)."""
        try:
            inline = share is not None and bool(self.bot.bot.supports_inline_queries)
        except RuntimeError:  # not initialised: getMe not asked yet
            inline = False
        language = chat.language or i18n.DEFAULT
        row: list[dict[str, str | None]] = []
        if read_url is not None:
            row.append({"text": tr(texts.READ_BUTTON, language), "url": read_url})
        if inline:
            row.append({"text": tr(texts.SHARE_BUTTON, language), "switch_inline_query": share})
        return json.dumps({"inline_keyboard": [row]}) if row else None

    async def send(
        self,
        chat: Chat,
        text: str,
        *,
        html: bool,
        link_preview: bool,
        preview_url: str | None = None,
        share: str | None = None,
        photo: str | None = None,
        read_url: str | None = None,
        silent: bool = False,
    ) -> SendOutcome:
        """Send one message and report the outcome; never raises for Telegram's answers.

        With link previews on, a teaser that names an image previews it; one without an image
        gets no preview (the teaser already says what the page would). A silent chat's messages,
        and those sent with ``silent`` (quiet hours), arrive without a notification sound.
        ``share`` adds a button that starts an inline query for the story in a chat the reader
        picks (only while the bot's inline mode is on); ``read_url`` a "Read" button opening
        the article. With ``photo`` (an http(s) image URL) the message is a photo with ``text``
        as its caption.
        """
        fields: list[tuple[str, object]] = [
            ("chat_id", chat.id),
            ("photo", photo),
            ("caption" if photo else "text", text),
            ("parse_mode", "HTML" if html else None),
            ("message_thread_id", chat.thread_id),
            ("allow_paid_broadcast", True if self.paid else None),
            ("disable_notification", True if chat.silent or silent else None),
            ("reply_markup", self._buttons(chat, share, read_url)),
        ]
        if photo is None:
            shown = link_preview and bool(preview_url)
            preview = (
                json.dumps({"is_disabled": False, "url": preview_url}) if shown else _NO_PREVIEW
            )
            fields.append(("link_preview_options", preview))
        request = RequestData(
            [RequestParameter(name, value, None) for name, value in fields if value is not None]
        )
        try:
            answer = await self.bot.request.post(self._photo_url if photo else self._url, request)
        except TelegramError as exc:
            return outcome_of(exc, photo=photo is not None)
        return _sent(answer)


_NO_PREVIEW = json.dumps({"is_disabled": True})


def _sent(answer: object) -> SendOutcome:
    """The outcome of a ``sendMessage`` answer Telegram accepted (the message it made)."""
    if isinstance(answer, dict) and isinstance(answer.get("message_id"), int):
        return Sent(answer["message_id"])
    return TransientFailure(f"unreadable sendMessage answer: {str(answer)[:100]}")
