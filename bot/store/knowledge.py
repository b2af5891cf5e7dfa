"""What deciding a poll needs to know, assembled the same way on both backends.

Each backend answers the four reads in its own SQL; :class:`KnowledgeReads` puts them together
into :class:`~bot.core.polling.PollKnowledge`, reading only what the decision can use.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.models import Chat, ParsedItem, Source
from bot.core.polling import PollKnowledge
from bot.store.rows import identity_hash


def identity_hashes(items: Sequence[ParsedItem]) -> dict[int, list[str]]:
    """The digests a pruned article leaves behind (of its key and of its link), each with the
    keys of the items that carry it."""
    by_hash: dict[int, list[str]] = {}
    for item in items:
        by_hash.setdefault(identity_hash("k", item.key), []).append(item.key)
        if item.url:
            by_hash.setdefault(identity_hash("u", item.url), []).append(item.key)
    return by_hash


class KnowledgeReads:
    """``poll_knowledge`` from the reads a backend provides."""

    async def known_items(self, source_id: int, items: Sequence[ParsedItem]) -> set[str]:
        """The keys of ``items`` the source already has (by key, or by link)."""
        raise NotImplementedError

    async def subscribed_chats(self) -> list[Chat]:
        """Every subscribed chat (the candidates for a new article)."""
        raise NotImplementedError

    async def _pruned(self, source_id: int, items: Sequence[ParsedItem]) -> frozenset[str]:
        """The keys of ``items`` whose key or URL digest was kept when the article was pruned."""
        raise NotImplementedError

    async def _chats_having(self, urls: Sequence[str]) -> dict[str, frozenset[int]]:
        """For each URL, the chats with an article of that link queued or sent."""
        raise NotImplementedError

    async def poll_knowledge(self, source: Source, items: Sequence[ParsedItem]) -> PollKnowledge:
        """What deciding a poll of ``source`` that read ``items`` needs to know.

        The chats and the links they have are read only for a baselined source with items
        that are not known yet (nothing else can be sent).
        """
        known = await self.known_items(source.id, items)
        rest = [item for item in items if item.key not in known]
        if not rest:
            return PollKnowledge(known=frozenset(known))
        pruned = await self._pruned(source.id, rest)
        if not source.baseline_done:
            return PollKnowledge(known=frozenset(known), pruned=pruned)
        urls = sorted({item.url for item in rest if item.url})
        return PollKnowledge(
            known=frozenset(known),
            pruned=pruned,
            chats=tuple(await self.subscribed_chats()),
            have_url=await self._chats_having(urls),
        )
