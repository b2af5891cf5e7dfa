"""PTB's rate-limiter hook: every message a handler sends takes a priority slot of the throttle.

Installed on the application's bot (``ApplicationBuilder.rate_limiter``), so handler code needs
no change: ``message.reply_text(...)`` waits for the next overall slot its chat may use, ahead of
the broadcast. The delivery loop sends through its own ``Bot`` and takes its slots itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.telegram.sender import retry_after_seconds
from bot.throttle import Throttle

log = logging.getLogger("bot.telegram")

_PACED_PREFIXES = ("send", "copymessage", "forwardmessage", "editmessage")
_UNPACED = frozenset({"sendchataction"})


def is_paced(endpoint: str) -> bool:
    """Whether a Bot API method posts or changes a message (and so counts against the limits)."""
    name = endpoint.lower()
    return name.startswith(_PACED_PREFIXES) and name not in _UNPACED


def chat_of(data: dict[str, Any]) -> tuple[int, bool]:
    """The chat id a request addresses and whether it is a private chat (positive id)."""
    raw = data.get("chat_id")
    if isinstance(raw, int):
        return raw, raw > 0
    if isinstance(raw, str) and raw.lstrip("-").isdigit():
        value = int(raw)
        return value, value > 0
    return hash(raw), False  # "@channelusername": a channel


class PriorityRateLimiter(BaseRateLimiter[None]):
    """Makes handler-originated messages take priority slots from the shared :class:`Throttle`."""

    def __init__(self, throttle: Throttle) -> None:
        self.throttle = throttle

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(  # noqa: PLR0917 - PTB's signature
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Wait for a priority slot (message methods only), then call the Bot API once more at
        most after a 429, waiting exactly as long as Telegram asked."""
        if not is_paced(endpoint):
            return await callback(*args, **kwargs)
        chat_id, private = chat_of(data)
        counted = await self.throttle.acquire_priority(chat_id, private)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            now = self.throttle.clock()
            whole_bot = not self.throttle.pacer.chat_limit_possible(chat_id, private)
            self.throttle.block(now + seconds, None if whole_bot else chat_id)
            if whole_bot:
                self.throttle.slow_down()
            log.warning(
                "reply chat=%s outcome=rate_limited retry_after=%g whole_bot=%s",
                chat_id,
                seconds,
                whole_bot,
            )
        finally:
            # Count the reply when its answer came, the latest Telegram can have counted it.
            self.throttle.answered(chat_id, counted)
        counted = await self.throttle.acquire_priority(chat_id, private)
        try:
            return await callback(*args, **kwargs)
        finally:
            self.throttle.answered(chat_id, counted)
