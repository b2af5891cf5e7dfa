"""The bot's real handlers in-process: a PTB Application wired to the fake Bot API server.

Updates are made by the fake server's world (so they look exactly like Telegram's) and then
handed to ``Application.process_update`` directly: no polling delay, each step finished when
the call returns. Errors raised by a handler are collected and fail the test at teardown.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.config import load_settings
from bot.net.http import Fetcher
from bot.service.importing import SourceAdder
from bot.service.reader import SourceReader
from bot.store import Store
from bot.telegram.app import build_application
from bot.telegram.deps import Deps
from bot.telegram.handlers import install
from bot.telegram.views import ButtonData
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.tg_objects import JSON


class Harness:
    """Drive the handlers with updates from the fake server's world."""

    def __init__(self, telegram: FakeTelegram, store: Store, app: Application) -> None:  # type: ignore[type-arg]
        self.tg = telegram
        self.store = store
        self.app = app
        self.errors: list[BaseException] = []

    async def process(self, update: JSON | None) -> None:
        """Hand one update (as the fake server queued it) to the application."""
        assert update is not None, "the bot would not receive this update"
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def send(self, chat_id: int, user_id: int, text: str, **kwargs: Any) -> None:
        """A user writes in a chat."""
        await self.process(self.tg.send_message(chat_id, user_id, text, **kwargs))

    async def post(self, channel_id: int, text: str) -> None:
        """A post appears in a channel."""
        await self.process(self.tg.channel_post(channel_id, text))

    async def press(self, chat_id: int, user_id: int, message_id: int, data: str) -> None:
        """A user presses a button with this data under a bot message."""
        await self.process(self.tg.press_button(chat_id, user_id, message_id, data))

    async def membership(self, chat_id: int, by: int, new_status: str, **rights: Any) -> None:
        """Someone changes the bot's status in a chat."""
        await self.process(
            self.tg.bot_membership_changed(chat_id, by, new_status=new_status, **rights)
        )

    def last(self, chat_id: int) -> SentMessage:
        """The last message the bot sent to a chat."""
        messages = self.tg.messages(chat_id)
        assert messages, f"the bot sent nothing to {chat_id}"
        return messages[-1]

    def button(self, message: SentMessage, action: str, *args: str) -> str:
        """The data of the first button of a message with this action (and leading args)."""
        return button_data(message, action, *args)

    def labels(self, message: SentMessage) -> list[str]:
        """Every button label of a message."""
        return button_labels(message)


@asynccontextmanager
async def harness(
    telegram: FakeTelegram,
    tmp_path: Path,
    *,
    operators: Collection[int] = (),
    fetcher: Fetcher | None = None,
    channel_cleanup_after: float = 60.0,
    clock: Callable[[], float] = time.time,
) -> AsyncIterator[Harness]:
    """A started application with the real handlers, a real store in ``tmp_path``.

    With ``fetcher``, /addsource can read sources; the operator commands answer ``operators``;
    ``clock`` is the handlers' time.
    """
    settings = load_settings(
        {
            "BOT_TOKEN": telegram.token,
            "TELEGRAM_API_BASE_URL": telegram.root_url,
            "DATABASE_PATH": str(tmp_path / "bot.sqlite3"),
        },
        cwd=tmp_path,
    )
    store = await Store.open(settings.database_path)
    app = build_application(settings)
    sources = SourceAdder(store, SourceReader(fetcher)) if fetcher is not None else None
    install(
        app,
        Deps(
            store,
            operators=operators,
            channel_cleanup_after=channel_cleanup_after,
            sources=sources,
            clock=clock,
        ),
    )
    h = Harness(telegram, store, app)

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        h.errors.append(context.error)

    app.add_error_handler(record)
    await app.initialize()
    try:
        yield h
    finally:
        await app.shutdown()
        await store.close()
    assert not h.errors, f"handlers raised: {h.errors!r}"


def button_data(message: SentMessage, action: str, *args: str) -> str:
    """The data of the first button of a message with this action (and leading args)."""
    assert message.reply_markup is not None, f"no keyboard under {message.text!r}"
    for row in message.reply_markup["inline_keyboard"]:
        for button in row:
            data = ButtonData.decode(button.get("callback_data"))
            if data and data.action == action and data.args[: len(args)] == args:
                return str(button["callback_data"])
    raise AssertionError(f"no {action} {args} button under {message.text!r}")


def button_labels(message: SentMessage) -> list[str]:
    """Every button label of a message."""
    markup = message.reply_markup or {"inline_keyboard": []}
    return [str(b["text"]) for row in markup["inline_keyboard"] for b in row]
