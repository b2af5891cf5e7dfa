"""`python -m bot sources import FILE.opml`: many sources, each by the rules of /addsource."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core.adding import Added, AddOutcome, AlreadyThere, BadAddress, ImportSummary, Unreadable
from bot.core.opml import OpmlFeed
from bot.core.progress import ProgressHook, no_progress
from bot.service.adding import add_source
from bot.service.reader import SourceReader
from bot.store import StoreVerbs


def describe(feed: OpmlFeed, outcome: AddOutcome) -> str:
    """One feed's line on the command line."""
    match outcome:
        case Added(source, parsed):
            return (
                f"added #{source.id} {source.name}: {feed.url} ({parsed.format}, "
                f"{len(parsed.items)} items)"
            )
        case AlreadyThere(source):
            return f"skipped {feed.url}: already there as #{source.id} {source.name}"
        case BadAddress(problem):
            return f"failed {feed.url}: {problem}"
        case Unreadable(reason):
            return f"failed {feed.url}: {reason}"


async def import_feeds(
    store: StoreVerbs,
    reader: SourceReader,
    feeds: Sequence[OpmlFeed],
    *,
    each: Callable[[OpmlFeed, AddOutcome], None],
    progress: ProgressHook = no_progress,
) -> ImportSummary:
    """Add each feed in turn, handing each outcome to ``each``; addresses held already are
    skipped without fetching them, so a paused source stays paused."""
    known = {source.url: source for source in await store.sources.sources()}
    counts = {"added": 0, "existing": 0, "failed": 0}
    progress(0, len(feeds))
    for done, feed in enumerate(feeds, start=1):
        held = known.get(feed.url)
        outcome = (
            AlreadyThere(held) if held else await add_source(store, reader, feed.url, feed.title)
        )
        match outcome:
            case Added(source, _):
                counts["added"] += 1
                known[source.url] = source
            case AlreadyThere(_):
                counts["existing"] += 1
            case _:
                counts["failed"] += 1
        each(feed, outcome)
        progress(done, len(feeds))
    return ImportSummary(**counts)


@dataclass(frozen=True, slots=True)
class SourceAdder:
    """Adding one source, or many, with one store and reader: what the operators' /addsource
    and their OPML files are handed (``bot.telegram.deps.SourceAdding``)."""

    store: StoreVerbs
    reader: SourceReader

    async def add(self, url: str, name: str = "") -> AddOutcome:
        """Check, fetch once and add the source at ``url`` (:func:`add_source`)."""
        return await add_source(self.store, self.reader, url, name)

    async def add_feeds(
        self, feeds: Sequence[OpmlFeed], *, each: Callable[[OpmlFeed, AddOutcome], None]
    ) -> ImportSummary:
        """Add each feed in turn (:func:`import_feeds`)."""
        return await import_feeds(self.store, self.reader, feeds, each=each)
