"""Frozen record types that cross the boundaries between the bot's parts.

Pure: imports nothing from telegram, httpx or aiosqlite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.core.chat_settings import ChatSettings


class SourceKind(StrEnum):
    """How a source's document is read."""

    FEED = "feed"  # RSS / Atom / RDF / JSON Feed, detected from the body
    HTML = "html"  # a listing page: CSS selectors, else JSON-LD / OpenGraph
    AUTO = "auto"  # a feed, or a home page whose feed is discovered


@dataclass(frozen=True, slots=True)
class HtmlSelectors:
    """CSS selectors for a listing page; `item` is relative to the page, the rest to the item."""

    item: str
    title: str
    link: str | None = None
    summary: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A source as configured (sources file, FEED_URLS, or an operator command)."""

    name: str
    url: str
    kind: SourceKind = SourceKind.FEED
    region: str | None = None  # default country/region name for every item, e.g. "Britain"
    selectors: HtmlSelectors | None = None
    language: str | None = None  # the language its teasers are written in ("es"); else the feed's


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One item as a parser read it, already cleaned to plain text and canonical URLs."""

    key: str  # stable identity: guid/id, else canonical link, else hash of title+date
    title: str
    summary: str  # plain text, at most SUMMARY_MAX (300) chars, a cut marked with "…"
    url: str | None  # absolute, tracking parameters removed
    published: datetime | None  # timezone-aware UTC, or None
    categories: tuple[str, ...] = ()
    image: str | None = None
    language: str | None = None  # the feed's <language> / xml:lang / JSON Feed "language"


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole parsed document."""

    format: str  # "rss2.0", "rss0.91", "rss1.0", "atom1.0", "atom0.3", "json1.1", "html", ...
    title: str | None
    link: str | None
    items: tuple[ParsedItem, ...]


@dataclass(frozen=True, slots=True)
class Classification:
    """Where a story happens: ISO 3166-1 alpha-2 codes and region identifiers."""

    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # region ids (see bot.core.regions), derived from the countries


@dataclass(frozen=True, slots=True)
class RegionFilter:
    """A chat's choice of the world. Empty means everything.

    Each id is an ISO alpha-2 country code ("RU"), an M49 numeric code ("150"),
    a grouping slug ("middle-east", "eu", "latin-america"), or "none" (stories about
    no particular country).
    """

    ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_everything(self) -> bool:
        """True when the filter lets every story through."""
        return not self.ids


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article, as the delivery side and commands see it."""

    id: int
    source_id: int
    source_name: str
    key: str
    title: str
    summary: str
    url: str | None
    published: datetime | None
    seen_at: datetime
    categories: tuple[str, ...] = ()
    image: str | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    language: str | None = None  # what it is written in (its own, else its source's), if known


class ChatKind(StrEnum):
    """Telegram's chat types."""

    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"

    @property
    def is_private(self) -> bool:
        """True for one-to-one chats (paced at 1 message per second)."""
        return self is ChatKind.PRIVATE


@dataclass(frozen=True, slots=True)
class Source:
    """A source as stored, with its whole state: caching, failures, pause, origin."""

    id: int
    name: str
    url: str
    kind: SourceKind
    region: str | None
    selectors: HtmlSelectors | None
    enabled: bool
    etag: str | None
    last_modified: str | None
    baseline_done: bool
    failures: int
    last_error: str | None
    last_success_at: float | None
    last_polled_at: float | None
    next_poll_at: float
    body_hash: str | None = None  # digest of the last document read, to skip unchanged ones
    language: str | None = None  # declared in the sources file; None: the feed's own <language>
    feed_title: str | None = None  # the feed's own name, shown under its teasers when known
    origin: str = "config"  # "config" (sources file) or "operator" (/addsource)
    paused: bool = False  # /pausesource: not polled until resumed
    failing_since: float | None = None  # first failure of the current run of failures
    last_error_at: float | None = None
    outage_notified_at: float | None = None  # when the operators were told of this outage

    @property
    def label(self) -> str:
        """How operators see the source: its feed's own title (else its name) with its host."""
        host = urlsplit(self.url).hostname or self.url
        title = self.feed_title or self.name
        return title if title == host else f"{title} ({host})"

    @classmethod
    def unsaved(cls, url: str, *, name: str, kind: SourceKind = SourceKind.AUTO) -> Source:
        """A source that is not in the database: for a preview or a one-off check of a URL."""
        return cls(
            id=0,
            name=name,
            url=url,
            kind=kind,
            region=None,
            selectors=None,
            enabled=True,
            etag=None,
            last_modified=None,
            baseline_done=False,
            failures=0,
            last_error=None,
            last_success_at=None,
            last_polled_at=None,
            next_poll_at=0,
        )


def _default_settings() -> ChatSettings:
    """Topics, words, sites, schedule and format as a chat has them before it chooses."""
    from bot.core.chat_settings import DEFAULT_SETTINGS  # noqa: PLC0415 (it imports this module)

    return DEFAULT_SETTINGS


@dataclass(frozen=True, slots=True)
class Chat:
    """A chat the bot knows, with its subscription settings."""

    id: int
    kind: ChatKind
    title: str | None
    username: str | None
    thread_id: int | None
    subscribed: bool
    region_filter: RegionFilter
    link_previews: bool
    deactivated_reason: str | None = None
    silent: bool = False  # teasers sent with disable_notification
    language: str | None = None  # chosen with /language; None: the person's, else English
    share_button: bool | None = None  # /format share on|off; None: off in channels, else on
    settings: ChatSettings = field(default_factory=_default_settings)


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An item the poller wants recorded: parser output plus its classification."""

    item: ParsedItem
    classification: Classification


@dataclass(frozen=True, slots=True)
class Delivery:
    """One queued outbox row with what is needed to send it."""

    id: int
    chat: Chat
    article: Article
    attempts: int
    created_at: float
    sort_at: float = 0.0  # the article's publication order key (delivery reads in this order)


@dataclass(frozen=True, slots=True)
class Sent:
    """Telegram accepted the message."""

    message_id: int | None


@dataclass(frozen=True, slots=True)
class RateLimited:
    """Telegram asked to wait (429); ``whole_bot`` when the limit was the bot's overall one."""

    retry_after: float
    whole_bot: bool = False


@dataclass(frozen=True, slots=True)
class ChatGone:
    """The chat cannot be posted to any more (blocked, kicked, no right to post, not found)."""

    reason: str


@dataclass(frozen=True, slots=True)
class ChatMoved:
    """The group became a supergroup with a new id."""

    new_chat_id: int


@dataclass(frozen=True, slots=True)
class MessageRejected:
    """Telegram refused this message itself (entities it cannot parse, too long); ``photo``:
    it was a photo Telegram would not take (a bad image URL, no right to post photos)."""

    reason: str
    photo: bool = False


@dataclass(frozen=True, slots=True)
class TransientFailure:
    """Network error, timeout or 5xx: worth retrying later."""

    reason: str


SendOutcome = Sent | RateLimited | ChatGone | ChatMoved | MessageRejected | TransientFailure
