"""What became of adding a source (by /addsource, an OPML file or `sources import`): the records
the service returns and the chat or the command line words for its reader."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.models import ParsedFeed, Source


@dataclass(frozen=True, slots=True)
class Added:
    """The source was added; ``feed`` is what the first read found."""

    source: Source
    feed: ParsedFeed


@dataclass(frozen=True, slots=True)
class AlreadyThere:
    """A source with this address exists already (nothing was added)."""

    source: Source


@dataclass(frozen=True, slots=True)
class BadAddress:
    """The address is not an absolute http(s) URL: ``problem`` says why."""

    problem: str


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Fetching or parsing the address failed: ``reason`` says why."""

    reason: str


AddOutcome = Added | AlreadyThere | BadAddress | Unreadable


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """How an import went: feeds added, already there, and those that could not be added."""

    added: int = 0
    existing: int = 0
    failed: int = 0

    def line(self, what: str) -> str:
        """The summary line printed after the feeds' own lines."""
        total = self.added + self.existing + self.failed
        return (
            f"imported {what}: {self.added} added, {self.existing} already there, "
            f"{self.failed} failed ({total} feeds)"
        )
