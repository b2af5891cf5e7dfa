"""A fan-out in slices: an article reaches its audience a slice of chats at a time.

Pure. The poll that finds a new article routes it to the first :data:`FIRST_SLICE` subscribed
chats (by chat id) and commits their outbox rows with the article, so the first message leaves
at once whatever the size of the audience; when more chats may follow, the same transaction
records a durable cursor (the article and the last chat id routed). The shell then routes the
rest :data:`NEXT_SLICE` chats at a time, each slice's rows and its cursor committed together,
so a crash at any point neither loses a chat nor queues one twice: the next process resumes
from the cursor. :func:`next_step` decides one slice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.arrival import arrivals
from bot.core.models import Article, Chat
from bot.core.routing import article_recipients

FIRST_SLICE = 500
"""Chats the poll that finds an article routes itself (the rest follow in slices)."""
NEXT_SLICE = 2000
"""Chats routed per slice after the first (one transaction each)."""


@dataclass(frozen=True, slots=True)
class FanOutSlice:
    """The next chats of a fan-out under way, as the store read them for its cursor.

    ``chats``: the subscribed chats after the cursor, by id (at most the slice's size);
    ``have_url``: those of them that already have the article's link queued or sent (from
    another source); ``last``: no subscribed chat comes after these; ``now``: when the slice
    is routed (the rows of chats whose schedule or quiet hours hold them are due later).
    """

    article: Article
    chats: tuple[Chat, ...]
    have_url: frozenset[int] = frozenset()
    last: bool = True
    now: float = 0.0


@dataclass(frozen=True, slots=True)
class FanOutStep:
    """What one slice changes: the chats to queue the article for (``due_at``: those whose
    rows wait, with when each is due, as a poll decides it), and the cursor to store (None:
    the fan-out is done and its cursor removed)."""

    article_id: int
    recipients: tuple[int, ...]
    after: int | None
    due_at: Mapping[int, float] = field(default_factory=dict)


def next_step(s: FanOutSlice) -> FanOutStep:
    """Route the article to the slice's chats, and move the cursor past them."""
    chosen = article_recipients(s.article, s.chats, have_url=s.have_url)
    after = None if s.last or not s.chats else s.chats[-1].id
    due_at = arrivals((c for c in s.chats if c.id in set(chosen)), s.now) if chosen else {}
    return FanOutStep(s.article.id, chosen, after, due_at)
