"""What a chat chose beyond its regions: topics, words, sites, when and how teasers arrive.

Pure. One frozen ``ChatSettings`` per chat, read from the store's text columns (each module's
own ``*_from_text``) and shared between chats with the same settings, so reading 100,000 chats
builds a handful of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from bot.core.chat_filters import ChatFilter, SiteFilter, sites_from_text, sites_to_text
from bot.core.chat_schedule import (
    Instant,
    QuietHours,
    Schedule,
    quiet_from_text,
    quiet_text,
    schedule_from_text,
    schedule_to_text,
)
from bot.core.keywords import KeywordFilter, keywords_from_text, keywords_to_text
from bot.core.models import Chat
from bot.core.post_format import PostFormat, format_from_text, format_to_text
from bot.core.topics import TopicFilter
from bot.core.topics import filter_from_text as topics_from_text
from bot.core.topics import filter_to_text as topics_to_text


@dataclass(frozen=True, slots=True)
class ChatSettings:
    """A chat's choices besides its regions; the defaults are the bot as it always was."""

    topics: TopicFilter = field(default_factory=TopicFilter)
    keywords: KeywordFilter = field(default_factory=KeywordFilter)
    sites: SiteFilter = field(default_factory=SiteFilter)
    schedule: Schedule = field(default_factory=Instant)
    quiet: QuietHours | None = None
    post_format: PostFormat = field(default_factory=PostFormat)
    time_zone: str | None = None  # the chat's IANA zone, once it named one


DEFAULT_SETTINGS = ChatSettings()


@dataclass(frozen=True, slots=True)
class SettingsText:
    """The stored form of :class:`ChatSettings`: one text (or NULL) per column."""

    topic_filter: str = ""
    keywords: str = ""
    sites: str | None = None
    schedule: str | None = None
    quiet: str | None = None
    post_format: str = ""
    time_zone: str | None = None


@lru_cache(maxsize=1 << 17)
def settings_from_text(stored: SettingsText) -> ChatSettings:
    """Read the stored columns back (cached: chats with the same settings share one object, so
    routing sees an unchanged chat by identity; room for as many distinct settings as chats)."""
    if stored == SettingsText():
        return DEFAULT_SETTINGS
    return ChatSettings(
        topics=topics_from_text(stored.topic_filter),
        keywords=keywords_from_text(stored.keywords),
        sites=sites_from_text(stored.sites),
        schedule=schedule_from_text(stored.schedule),
        quiet=quiet_from_text(stored.quiet),
        post_format=format_from_text(stored.post_format),
        time_zone=stored.time_zone,
    )


def settings_to_text(settings: ChatSettings) -> SettingsText:
    """The columns that store ``settings`` (the instant schedule and no quiet hours are NULL)."""
    return SettingsText(
        topic_filter=topics_to_text(settings.topics),
        keywords=keywords_to_text(settings.keywords),
        sites=sites_to_text(settings.sites),
        schedule=None
        if isinstance(settings.schedule, Instant)
        else schedule_to_text(settings.schedule),
        quiet=quiet_text(settings.quiet) if settings.quiet else None,
        post_format=format_to_text(settings.post_format),
        time_zone=settings.time_zone,
    )


def chat_filter(chat: Chat) -> ChatFilter:
    """Everything ``chat`` chose about what it gets, as one filter (regions AND the rest)."""
    s = chat.settings
    return ChatFilter(chat.region_filter, s.topics, s.keywords, s.sites)
