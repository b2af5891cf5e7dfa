"""What deciding a poll needs to know, read the same way on both backends.

:class:`KnowledgeReads` answers four reads (keys the source has, pruned keys, subscribed chats,
the chats that have each link) and puts them together into
:class:`~bot.core.polling.PollKnowledge`, reading only what the decision can use.

Feed text is looked up as the backend stores it (``Dialect.text``: PostgreSQL drops NUL), and
answered in the text the items carry.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.fanout import FIRST_SLICE
from bot.core.models import Chat, ParsedItem, Source
from bot.core.polling import PollKnowledge
from bot.store.rows import CHAT_COLUMNS, chat_row, identity_hash
from bot.store.sql import Session, Verbs


def identity_hashes(items: Sequence[ParsedItem]) -> dict[int, list[str]]:
    """The digests a pruned article leaves behind (of its key and of its link), each with the
    keys of the items that carry it."""
    by_hash: dict[int, list[str]] = {}
    for item in items:
        by_hash.setdefault(identity_hash("k", item.key), []).append(item.key)
        if item.url:
            by_hash.setdefault(identity_hash("u", item.url), []).append(item.key)
    return by_hash


class KnowledgeReads(Verbs):
    """``poll_knowledge`` and the reads it is made of."""

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        """The keys of ``items`` the source already has, matched by key or by canonical URL.

        Matching the URL too keeps an item whose key changed (its guid became a duplicate, went
        missing or appeared) from counting as new.
        """
        if not items:
            return set()
        text, d = self._dialect.text, self._dialect
        # One indexed lookup per key and per link (articles inside, by CROSS JOIN on SQLite):
        # an OR of the two lists would read every article of the source.
        rows = await self._sql.all(
            f"SELECT a.key, a.url FROM {d.each('k', 'text')} CROSS JOIN articles a "  # noqa: S608
            "WHERE a.source_id = ? AND a.key = k.value UNION ALL "
            f"SELECT a.key, a.url FROM {d.each('u', 'text')} CROSS JOIN articles a "
            "WHERE a.url = u.value AND a.source_id = ?",
            d.array(text(item.key) for item in items),
            source_id,
            d.array(text(item.url) for item in items if item.url),
            source_id,
        )
        found_keys = {row[0] for row in rows}
        found_urls = {row[1] for row in rows if row[1]}
        return {
            item.key
            for item in items
            if text(item.key) in found_keys or (item.url and text(item.url) in found_urls)
        }

    async def subscribed_chats(
        self, *, after: int | None = None, limit: int | None = None
    ) -> list[Chat]:
        """The subscribed chats (the candidates for a new article), by id: every one, or the
        first ``limit`` after the chat id ``after``."""
        return await self._subscribed(self._sql, after, limit)

    async def _subscribed(self, db: Session, after: int | None, limit: int | None) -> list[Chat]:
        where = "" if after is None else " AND c.id > ?"
        rows = await db.all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.subscribed{where} "  # noqa: S608
            f"ORDER BY c.id{'' if limit is None else ' LIMIT ?'}",
            *(() if after is None else (after,)),
            *(() if limit is None else (limit,)),
        )
        return [chat_row(r) for r in rows]

    async def _pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        """The keys of ``items`` whose key or URL digest was kept when the article was pruned."""
        by_hash = identity_hashes(items)
        rows = await self._sql.all(
            "SELECT key_hash FROM pruned_keys WHERE source_id = ? "  # noqa: S608
            f"AND {self._dialect.any_of('key_hash')}",
            source_id,
            self._dialect.array(by_hash),
        )
        return frozenset(key for (found,) in rows for key in by_hash[found])

    async def _chats_having(
        self, urls: Sequence[str], upto: int | None
    ) -> dict[str, frozenset[int]]:
        """For each URL, the chats (with an id up to ``upto``, if given) with an article of that
        link queued or sent.

        CROSS JOIN keeps articles (by the URL index) outermost on SQLite: joining from the
        outbox instead would scan a chat's whole history.
        """
        if not urls:
            return {}
        stored: dict[str, list[str]] = {}  # each link as stored -> the links read
        for url in urls:
            stored.setdefault(self._dialect.text(url), []).append(url)
        bound = "" if upto is None else "AND o.chat_id <= ? "
        rows = await self._sql.all(
            "SELECT a.url, o.chat_id FROM articles a CROSS JOIN outbox o "  # noqa: S608
            f"WHERE o.article_id = a.id AND {self._dialect.any_of('a.url')} "
            f"AND o.state IN ('queued', 'sent') {bound}",
            self._dialect.array(stored),
            *(() if upto is None else (upto,)),
        )
        having: dict[str, set[int]] = {}
        for url, chat_id in rows:
            for read in stored[str(url)]:
                having.setdefault(read, set()).add(int(chat_id))
        return {url: frozenset(chats) for url, chats in having.items()}

    async def _having(self, db: Session, url: str, after: int, upto: int) -> frozenset[int]:
        """The chats with an id in (``after``, ``upto``] that have ``url`` (as stored) queued
        or sent."""
        rows = await db.all(
            "SELECT o.chat_id FROM articles a CROSS JOIN outbox o "
            "WHERE o.article_id = a.id AND a.url = ? AND o.state IN ('queued', 'sent') "
            "AND o.chat_id > ? AND o.chat_id <= ?",
            url,
            after,
            upto,
        )
        return frozenset(int(r[0]) for r in rows)

    async def poll_knowledge(self, source: Source, items: Sequence[ParsedItem]) -> PollKnowledge:
        """What deciding a poll of ``source`` that read ``items`` needs to know.

        The chats and the links they have are read only for a baselined source with items
        that are not known yet (nothing else can be sent); only the first
        :data:`~bot.core.fanout.FIRST_SLICE` of them: the rest follow in slices
        (:mod:`bot.store.fanouts`).
        """
        known = await self.known_items(source.id, items)
        rest = [item for item in items if item.key not in known]
        if not rest:
            return PollKnowledge(known=frozenset(known))
        pruned = await self._pruned(source.id, rest)
        if not source.baseline_done:
            return PollKnowledge(known=frozenset(known), pruned=pruned)
        urls = sorted({item.url for item in rest if item.url})
        chats = await self.subscribed_chats(limit=FIRST_SLICE)
        more_after = chats[-1].id if len(chats) == FIRST_SLICE else None
        return PollKnowledge(
            known=frozenset(known),
            pruned=pruned,
            chats=tuple(chats),
            have_url=await self._chats_having(urls, more_after),
            more_after=more_after,
        )
