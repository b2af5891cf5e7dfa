"""Adding a source by its address, by the rules of /addsource (also `sources import`).

The address must be an absolute http(s) URL; the feed is fetched once through the source reader
(public addresses only unless ALLOW_PRIVATE_SOURCES, FEED_PROXY, size and time limits) and parsed;
a permanent redirect is followed to its new address; an address the store holds already is not
added twice. The outcome is a record the caller words for its reader (a chat, a terminal).
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from bot.config import http_url_problem
from bot.core.adding import Added, AddOutcome, AlreadyThere, BadAddress, Unreadable
from bot.core.errors import SourceError
from bot.core.models import Source, SourceKind, SourceSpec
from bot.service.reader import SourceReader
from bot.store import StoreVerbs

log = logging.getLogger("bot.sources")

NAME_LIMIT = 100  # characters of a source's name (given or the feed's title)


async def add_source(
    store: StoreVerbs, reader: SourceReader, url: str, name: str = ""
) -> AddOutcome:
    """Check, fetch once and add the source at ``url`` (named ``name``, else the feed's title)."""
    problem = http_url_problem(url)
    if problem is not None:
        return BadAddress(problem)
    try:
        fetched, feed = await reader.read_new(Source.unsaved(url, name="probe"))
    except SourceError as exc:
        reason = getattr(exc, "reason", None) or str(exc)
        log.info("addsource failed url=%s reason=%r", url, reason)
        return Unreadable(reason)
    feed_url = fetched.moved_to or url
    name = (name.strip() or feed.title or urlsplit(feed_url).hostname or feed_url)[:NAME_LIMIT]
    source, created = await store.sources.add_operator_source(
        SourceSpec(name=name, url=feed_url, kind=SourceKind.AUTO)
    )
    log.info("addsource source=%s url=%s created=%s", source.name, feed_url, created)
    return Added(source, feed) if created else AlreadyThere(source)
