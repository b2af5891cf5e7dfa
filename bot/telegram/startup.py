"""Reaching the Bot API at start: retried with capped backoff; a rejected token ends the run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from typing import Any

from telegram import User
from telegram.error import InvalidToken, NetworkError, RetryAfter
from telegram.ext import Application

from bot.core.errors import ConfigError, TokenRejectedError
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
    """Initialize ``app`` (PTB's getMe) until Telegram answers; None if ``stop`` is set first
    (also while a getMe hangs).

    Raises :class:`TokenRejectedError` when Telegram refuses the token (401), and
    :class:`ConfigError` for a 404 (no Bot API at ``api_root``, or a malformed token) or a
    proxy that wants credentials (407). Unless it returns the bot's user, the connections it
    opened are closed.
    """
    user: User | None = None
    try:
        user = await _connect(app, api_root, stop, delays(first_delay, max_delay))
    finally:
        if user is None:
            await app.bot.shutdown()
    return user


async def _connect(
    app: Application[Any, Any, Any, Any, Any, Any],
    api_root: str,
    stop: asyncio.Event,
    waits: list[float],
) -> User | None:
    attempt = 0
    while not stop.is_set():
        try:
            if not await unless_stopped(app.initialize(), stop):
                return None
        except InvalidToken as exc:
            raise _rejected(exc, api_root) from None
        except (NetworkError, RetryAfter) as exc:  # TimedOut too; no BadRequest from getMe
            if isinstance(exc, NetworkError) and "(407)" in exc.message:
                raise ConfigError(
                    "the proxy in TELEGRAM_PROXY refused the connection (407 Proxy "
                    "Authentication Required): give its user name and password as "
                    "http://user:password@host:port"
                ) from None
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


def _rejected(exc: InvalidToken, api_root: str) -> ConfigError:
    """The one line for a getMe that Telegram answered 401 or 404."""
    said = exc.__cause__ if isinstance(exc.__cause__, InvalidToken) else exc  # PTB rewords it
    if "404" in str(said) or "Not Found" in str(said):
        return ConfigError(
            f"the Bot API at {api_root} answered 404 Not Found: check TELEGRAM_API_BASE_URL "
            "(unset, it is https://api.telegram.org) and that BOT_TOKEN is the whole token "
            "from @BotFather"
        )
    return TokenRejectedError(
        "Telegram rejected BOT_TOKEN (401 Unauthorized): copy the token again from "
        "@BotFather and check that the bot was not deleted"
    )


async def unless_stopped(job: Coroutine[Any, Any, None], stop: asyncio.Event) -> bool:
    """Run ``job`` until it ends (True) or ``stop`` is set first (False; ``job`` cancelled)."""
    task = asyncio.ensure_future(job)
    stopper = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait([task, stopper], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if task.cancelled():
        return False
    task.result()
    return True
