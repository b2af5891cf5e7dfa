"""Reaching the Bot API at start: retried with capped backoff; a rejected token ends the run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from telegram import User
from telegram.error import InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application

from bot.core.errors import TokenRejectedError
from bot.telegram.sender import retry_after_seconds

log = logging.getLogger("bot")

FIRST_DELAY = 1.0
MAX_DELAY = 60.0


def delays(first: float = FIRST_DELAY, cap: float = MAX_DELAY) -> list[float]:
    """The waits between attempts: doubling from ``first`` up to ``cap`` (the last repeats)."""
    out = [first]
    while out[-1] < cap:
        out.append(min(cap, out[-1] * 2))
    return out


async def connect(
    app: Application[Any, Any, Any, Any, Any, Any],
    api_root: str,
    stop: asyncio.Event,
    *,
    first_delay: float = FIRST_DELAY,
    max_delay: float = MAX_DELAY,
) -> User | None:
    """Initialize ``app`` (PTB's getMe) until Telegram answers; None if ``stop`` is set first.

    Raises :class:`TokenRejectedError` when Telegram refuses the token (401).
    """
    waits = delays(first_delay, max_delay)
    attempt = 0
    while not stop.is_set():
        try:
            await app.initialize()
        except InvalidToken as exc:
            raise TokenRejectedError(
                "Telegram rejected BOT_TOKEN (401 Unauthorized): copy the token again from "
                "@BotFather and check that the bot was not deleted"
            ) from exc
        except (NetworkError, RetryAfter) as exc:  # TimedOut too; no BadRequest from getMe
            wait = waits[min(attempt, len(waits) - 1)]
            if isinstance(exc, RetryAfter):
                wait = max(wait, retry_after_seconds(exc))
            attempt += 1
            log.warning(
                "cannot reach the Bot API at %s (%s): retrying in %g s; "
                "set TELEGRAM_PROXY if Telegram is blocked here",
                api_root,
                exc.message or type(exc).__name__,
                wait,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), wait)
            continue
        user: User = app.bot.bot
        return user
    return None
