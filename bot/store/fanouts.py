"""Fan-outs in slices: the outbox rows of an article's audience, a slice of chats at a time
(both backends; the decision is :mod:`bot.core.fanout`'s).

``fanouts`` holds one row per article whose audience is not queued in full yet: the last chat
id routed (``after_chat``). The poll that finds the article writes its first slice's outbox rows
and this row in its transaction (:mod:`.polls`); :meth:`FanOutsStore.fan_out_next` then takes
the oldest fan-out, reads the next subscribed chats after its cursor, has them routed, queues
the chosen ones and moves the cursor (or removes it after the last chat), all in one
transaction: a crash loses nothing and queues nothing twice, and any process resumes from the
cursor. On PostgreSQL a fan-out is taken ``FOR UPDATE SKIP LOCKED`` (two processes never
route one slice twice) and its link is locked as ``apply_poll`` locks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.core.fanout import NEXT_SLICE, FanOutSlice, FanOutStep
from bot.core.models import Article
from bot.store.knowledge import KnowledgeReads
from bot.store.rows import ARTICLE_COLUMNS, article_row
from bot.store.sql import Session

# The link guard is the decision's fence against a poll of another source that committed the
# same link after this poll's facts were read: a race may drop a send, never double one.
# CROSS JOIN keeps articles (by URL index) outermost on SQLite: joining from the chat's outbox
# rows instead would scan its whole history per insert. One statement per article, set-based:
# the recipients go in as one list parameter, so the cost per chat is the database's own.
QUEUE = (
    "INSERT INTO outbox (article_id, chat_id, next_attempt_at, created_at) "
    "SELECT CAST(? AS bigint), r.value, CAST(? AS double precision), CAST(? AS double precision) "
    "FROM {recipients} WHERE CAST(? AS text) IS NULL OR NOT EXISTS ("
    "SELECT 1 FROM articles a CROSS JOIN outbox o WHERE o.article_id = a.id "
    "AND o.chat_id = r.value AND a.url = ? AND o.state IN ('queued', 'sent')) "
    "ON CONFLICT (article_id, chat_id) DO NOTHING"
)
CURSOR = "INSERT INTO fanouts (article_id, after_chat, created_at) VALUES (?, ?, ?)"

Route = Callable[[FanOutSlice], FanOutStep]
"""The pure decision of one slice (:func:`bot.core.fanout.next_step`)."""


@dataclass(frozen=True, slots=True)
class FanOutProgress:
    """What one slice of a fan-out wrote."""

    article_id: int
    chats: int  # chats routed
    queued: int  # outbox rows written
    done: bool  # the article's audience is queued in full


class LinkLocks(Protocol):
    """How a backend locks links for a transaction (nothing on SQLite, advisory locks on
    PostgreSQL), as applying a poll does."""

    async def lock_links(self, db: Session, urls: Sequence[str]) -> None:
        """Lock these links (as stored) until the transaction ends."""
        ...


def by_due(
    recipients: Sequence[int], due_at: Mapping[int, float], now: float
) -> list[tuple[float, Sequence[int]]]:
    """The recipients grouped by when their rows are due (most are due ``now``: one group)."""
    if not due_at:
        return [(now, recipients)]
    groups: dict[float, list[int]] = {}
    for chat_id in recipients:
        groups.setdefault(due_at.get(chat_id, now), []).append(chat_id)
    return list(groups.items())


class FanOutsStore(KnowledgeReads):
    """The fan-outs under way: their cursors, and routing the next slice of one."""

    _writes: LinkLocks

    async def _queue(  # noqa: PLR0917 (the queue statement's parameters)
        self,
        db: Session,
        article_id: int,
        recipients: Sequence[int],
        url: str | None,
        now: float,
        due_at: Mapping[int, float],
    ) -> int:
        """Queue an article for ``recipients`` (minus those that have its link), each row due
        when ``due_at`` says (else ``now``); rows written."""
        d = self._dialect
        queue = QUEUE.format(recipients=d.each("r", "bigint"))
        written = 0
        for at, chats in by_due(recipients, due_at, now):
            written += await db.execute(queue, article_id, at, now, d.array(chats), url, url)
        return written

    async def fan_outs(self) -> list[tuple[int, int]]:
        """(article id, last chat routed) of every fan-out under way, oldest first."""
        rows = await self._sql.all("SELECT article_id, after_chat FROM fanouts ORDER BY article_id")
        return [(int(r[0]), int(r[1])) for r in rows]

    async def fan_out_next(
        self, route: Route, *, now: float, chats: int = NEXT_SLICE
    ) -> FanOutProgress | None:
        """Route and queue the next ``chats`` chats of the oldest fan-out under way.

        None when there is none (or, on PostgreSQL, every one is being routed by another
        process right now).
        """
        d = self._dialect
        async with self._sql.transaction() as db:
            row = await db.one(
                "SELECT article_id, after_chat FROM fanouts "  # noqa: S608
                f"ORDER BY article_id LIMIT 1{d.skip_locked}"
            )
            if row is None:
                return None
            article_id, after = int(row[0]), int(row[1])
            article = await self._article(db, article_id)
            url = d.text(article.url) if article.url else None
            if url is not None:
                await self._writes.lock_links(db, [url])
            found = await self._subscribed(db, after, chats)
            have = (
                await self._having(db, url, after, found[-1].id) if found and url else frozenset()
            )
            step = route(FanOutSlice(article, tuple(found), have, last=len(found) < chats, now=now))
            queued = (
                await self._queue(db, article_id, step.recipients, url, now, step.due_at)
                if step.recipients
                else 0
            )
            if step.after is None:
                await db.execute("DELETE FROM fanouts WHERE article_id = ?", article_id)
            else:
                await db.execute(
                    "UPDATE fanouts SET after_chat = ? WHERE article_id = ?", step.after, article_id
                )
        return FanOutProgress(article_id, len(found), queued, done=step.after is None)

    async def _article(self, db: Session, article_id: int) -> Article:
        row = await db.one(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a "  # noqa: S608
            "JOIN sources s ON s.id = a.source_id WHERE a.id = ?",
            article_id,
        )
        assert row is not None  # its fan-out row goes with it (ON DELETE CASCADE)
        return article_row(row)
