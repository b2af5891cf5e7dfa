"""Bot API transport candidates for the delivery benchmarks, side by side.

- ``aiohttp``: what the bot uses, a small PTB ``BaseRequest`` on an aiohttp session
  (``bot/telegram/transport.py``).
- ``httpx``: python-telegram-bot's own ``HTTPXRequest``, stock, with the same pool size.
- ``legacy``: the hand-written HTTP/1.1 client the bot used before (``bot/telegram/wire.py`` at
  commit 4f54077, read from git at run time; it is no longer part of the bot).

``make(name)`` returns a factory with the signature of
:func:`bot.telegram.transport.telegram_request`.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram.request import BaseRequest, HTTPXRequest

from bot.telegram.transport import telegram_request

REPO = Path(__file__).resolve().parents[1]
LEGACY_COMMIT = "4f54077"
NAMES = ("aiohttp", "httpx", "legacy")

Factory = Callable[..., BaseRequest]


def _legacy_module() -> Any:
    source = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{LEGACY_COMMIT}:bot/telegram/wire.py"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="legacy_wire_")) / "legacy_wire.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("legacy_wire", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["legacy_wire"] = module
    spec.loader.exec_module(module)
    return module


def make(name: str) -> Factory:
    """The ``telegram_request``-shaped factory of candidate ``name``."""
    if name == "aiohttp":
        return telegram_request
    if name == "httpx":
        return lambda _root, _proxy, *, connections, **_: HTTPXRequest(
            connection_pool_size=connections, read_timeout=15, write_timeout=15, pool_timeout=10
        )
    if name == "legacy":
        keep_alive = _legacy_module().KeepAliveRequest
        return lambda _root, _proxy, *, connections, **_: keep_alive(connections=connections)
    raise ValueError(f"unknown transport {name!r}; one of {', '.join(NAMES)}")


def install(name: str) -> None:
    """Make the delivery loop's Bot (``sender.delivery_bot``) use candidate ``name``."""
    import bot.telegram.sender as sender  # noqa: PLC0415

    sender.telegram_request = make(name)  # type: ignore[assignment]
