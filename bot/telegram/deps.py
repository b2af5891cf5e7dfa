"""What every handler is given: one frozen record of its dependencies, built by the caller.

The composition root (``bot/app.py``) builds one :class:`Deps` and hands it to
:func:`bot.telegram.handlers.install`, which binds it to each handler function. Nothing from
``bot.service`` is imported here: what the handlers need of it comes in through
:class:`SourceAdding`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.adding import AddOutcome, ImportSummary
from bot.core.opml import OpmlFeed
from bot.core.search import LongQueries
from bot.store import StoreVerbs
from bot.telegram.permissions import AdminCache

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Coroutine[object, object, None]]
"""What PTB calls: a handler with its dependencies bound."""


class SourceAdding(Protocol):
    """Adding sources by /addsource's rules (``bot.service.importing.SourceAdder`` in the bot)."""

    async def add(self, url: str, name: str = "") -> AddOutcome:
        """Check, fetch once and add the source at ``url``."""
        ...

    async def add_feeds(
        self, feeds: Sequence[OpmlFeed], *, each: Callable[[OpmlFeed, AddOutcome], None]
    ) -> ImportSummary:
        """Add each feed in turn (those held already are skipped), handing ``each`` outcome."""
        ...


@dataclass(frozen=True, slots=True)
class Deps:
    """The store, the clock, the operators and the services the handlers use.

    The record is frozen: no handler swaps a part. The last three fields are the handlers'
    only memory between updates (in memory: a restart forgets them).
    """

    store: StoreVerbs
    clock: Callable[[], float] = time.time
    operators: Collection[int] = frozenset()
    """The user ids in ADMIN_USER_IDS: they may run the operator commands."""
    channel_cleanup_after: float = 60.0
    """Seconds after which a command posted in a channel, and its answer, are removed (0: kept)."""
    sources: SourceAdding | None = None
    """/addsource's way to add sources; None: the operator commands cannot add any."""
    channel_admins: AdminCache = field(default_factory=AdminCache)
    """Recent answers about channels' administrators, shared by every /channels."""
    long_queries: LongQueries = field(default_factory=LongQueries)
    """Searches too long for their "Next 10" button's data."""
    cleanups: set[asyncio.Task[None]] = field(default_factory=set)
    """Channel clean-ups under way (held so that they are not collected before they run)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "operators", frozenset(self.operators))


Handler = Callable[[Deps, Update, Context], Coroutine[object, object, None]]
"""A handler function of a feature module: its dependencies first, then PTB's arguments."""


def bind(deps: Deps, handler: Handler) -> Callback:
    """The handler with ``deps`` bound, as PTB calls it."""

    async def callback(update: Update, context: Context) -> None:
        await handler(deps, update, context)

    callback.__name__ = callback.__qualname__ = handler.__name__
    return callback
