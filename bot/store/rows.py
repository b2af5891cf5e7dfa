"""Conversions between database rows and the record types, and small result records."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core.chat_settings import SettingsText, settings_from_text
from bot.core.i18n import stored_language
from bot.core.models import (
    Article,
    Chat,
    ChatKind,
    HtmlSelectors,
    Source,
    SourceKind,
)
from bot.core.regions.filters import filter_from_text
from bot.core.usage import DAYS, HOURS, UsageStats, spread


def ts(value: datetime | None) -> float | None:
    return value.timestamp() if value is not None else None


def dt(value: float | None) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if value is not None else None


def selectors_to_json(selectors: HtmlSelectors | None) -> str | None:
    if selectors is None:
        return None
    fields = {
        "item": selectors.item,
        "title": selectors.title,
        "link": selectors.link,
        "summary": selectors.summary,
        "date": selectors.date,
    }
    return json.dumps(fields, sort_keys=True)


def selectors_from_json(text: str | None) -> HtmlSelectors | None:
    if not text:
        return None
    data = json.loads(text)
    return HtmlSelectors(
        item=data["item"],
        title=data["title"],
        link=data.get("link"),
        summary=data.get("summary"),
        date=data.get("date"),
    )


SOURCE_COLUMNS = (
    "id, name, url, kind, region, selectors, enabled, etag, last_modified, baseline_done, "
    "failures, last_error, last_success_at, last_polled_at, next_poll_at, body_hash, language, "
    "feed_title, origin, paused, failing_since, last_error_at, outage_notified_at"
)
CHAT_COLUMNS = (
    "c.id AS chat_id, c.kind AS chat_kind, c.title AS chat_title, "
    "c.username AS chat_username, c.thread_id AS chat_thread_id, "
    "c.subscribed AS chat_subscribed, c.region_filter AS chat_region_filter, "
    "c.link_previews AS chat_link_previews, "
    "c.deactivated_reason AS chat_deactivated_reason, c.silent AS chat_silent, "
    "c.language AS chat_language, c.share_button AS chat_share_button, "
    "c.topic_filter AS chat_topic_filter, c.keywords AS chat_keywords, c.sites AS chat_sites, "
    "c.schedule AS chat_schedule, c.quiet AS chat_quiet, c.post_format AS chat_post_format, "
    "c.time_zone AS chat_time_zone"
)
"""A chat's columns, named ``chat_*`` so that they can be read beside an article's."""
ARTICLE_COLUMNS = (
    "a.id AS article_id, a.source_id AS article_source_id, "
    "coalesce(s.feed_title, s.name) AS article_source_name, a.key AS article_key, "
    "a.title AS article_title, a.summary AS article_summary, a.url AS article_url, "
    "a.published_at AS article_published_at, a.seen_at AS article_seen_at, "
    "a.categories AS article_categories, a.image AS article_image, "
    "a.countries AS article_countries, a.regions AS article_regions, a.topics AS article_topics, "
    "coalesce(a.language, s.language) AS article_language"
)
"""An article's columns (with its source's name), named ``article_*``."""


def source_row(row: Any) -> Source:
    """A source from a row of :data:`SOURCE_COLUMNS`, read by column name."""
    return Source(
        id=row["id"],
        name=row["name"],
        url=row["url"],
        kind=SourceKind(row["kind"]),
        region=row["region"],
        selectors=selectors_from_json(row["selectors"]),
        enabled=bool(row["enabled"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        baseline_done=bool(row["baseline_done"]),
        failures=row["failures"],
        last_error=row["last_error"],
        last_success_at=row["last_success_at"],
        last_polled_at=row["last_polled_at"],
        next_poll_at=row["next_poll_at"],
        body_hash=row["body_hash"],
        language=row["language"],
        feed_title=row["feed_title"],
        origin=str(row["origin"]),
        paused=bool(row["paused"]),
        failing_since=row["failing_since"],
        last_error_at=row["last_error_at"],
        outage_notified_at=row["outage_notified_at"],
    )


_KINDS = {kind.value: kind for kind in ChatKind}  # a dict lookup: 100,000 chats are read at once


def chat_row(row: Any) -> Chat:
    """A chat from a row holding :data:`CHAT_COLUMNS`, read by column name."""
    return Chat(
        id=row["chat_id"],
        kind=_KINDS[row["chat_kind"]],
        title=row["chat_title"],
        username=row["chat_username"],
        thread_id=row["chat_thread_id"],
        subscribed=bool(row["chat_subscribed"]),
        region_filter=filter_from_text(row["chat_region_filter"]),
        link_previews=bool(row["chat_link_previews"]),
        deactivated_reason=row["chat_deactivated_reason"],
        silent=bool(row["chat_silent"]),
        language=stored_language(row["chat_language"])[0],
        share_button=None if row["chat_share_button"] is None else bool(row["chat_share_button"]),
        settings=settings_from_text(
            SettingsText(
                topic_filter=row["chat_topic_filter"],
                keywords=row["chat_keywords"],
                sites=row["chat_sites"],
                schedule=row["chat_schedule"],
                quiet=row["chat_quiet"],
                post_format=row["chat_post_format"],
                time_zone=row["chat_time_zone"],
            )
        ),
    )


def article_row(row: Any) -> Article:
    """An article from a row holding :data:`ARTICLE_COLUMNS`, read by column name."""
    seen_at = dt(row["article_seen_at"])
    assert seen_at is not None
    return Article(
        id=row["article_id"],
        source_id=row["article_source_id"],
        source_name=row["article_source_name"],
        key=row["article_key"],
        title=row["article_title"],
        summary=row["article_summary"],
        url=row["article_url"],
        published=dt(row["article_published_at"]),
        seen_at=seen_at,
        categories=tuple(json.loads(row["article_categories"])),
        image=row["article_image"],
        countries=tuple(row["article_countries"].split()),
        regions=tuple(row["article_regions"].split()),
        topics=tuple(row["article_topics"].split()),
        language=row["article_language"],
    )


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """Outbox rows by state."""

    queued: int
    sent: int
    failed: int
    cancelled: int


ORIGIN_OPERATOR = "operator"
CANNOT_POST = "bot cannot post"
"""A chat's deactivation reason while the bot is there but may not post (a channel's admin
without the right to post messages): it waits for that right."""


def identity_hash(kind: str, value: str) -> int:
    """A signed 64-bit digest of an item's key (``kind`` "k") or URL ("u"), kept after pruning."""
    digest = hashlib.blake2b(f"{kind}:{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@dataclass(frozen=True, slots=True)
class PruneResult:
    """What one pruning pass removed."""

    articles: int
    keys_kept: int


@dataclass(frozen=True, slots=True)
class SourceStatus:
    """A source with the state the operator commands show."""

    source: Source

    @property
    def origin(self) -> str:
        """Where the source came from: the sources file, or an operator's /addsource."""
        return self.source.origin

    @property
    def paused(self) -> bool:
        """Whether an operator paused it."""
        return self.source.paused

    @property
    def failing_since(self) -> float | None:
        """When its current run of failed polls began (None: its last poll worked)."""
        return self.source.failing_since

    @property
    def outage_notified_at(self) -> float | None:
        """When the operators were told it is failing (None: not told, or recovered since)."""
        return self.source.outage_notified_at


@dataclass(frozen=True, slots=True)
class HealthFigures:
    """What /healthz and the gauges read from the database."""

    overdue_source: str | None  # the most overdue enabled, unpaused source
    poll_overdue_s: float  # how long past its due time it is (0 when none is due)
    queued: int
    oldest_due_age_s: float  # how long the oldest due outbox row has waited (0 when none)


@dataclass(frozen=True, slots=True)
class OpsStats:
    """The figures /stats shows."""

    chats_by_kind: dict[str, int]
    subscriptions_by_region: dict[str, int]  # "" means the whole world
    sent_since: int
    queued: int
    articles: int
    sources: int


def status_row(row: Any) -> SourceStatus:
    """A source with what the operator commands show, from a row of :data:`SOURCE_COLUMNS`."""
    return SourceStatus(source_row(row))


def usage_stats(  # noqa: PLR0917 (the rows of each query, in the order they were read)
    now: float,
    chats: Sequence[Any],
    filters: Sequence[Any],
    sources: Sequence[Any],
    articles: Sequence[Any],
    sent: Sequence[Any],
    failed: Sequence[Any],
    queued: int,
    oldest_due_age_s: float,
) -> UsageStats:
    """The usage figures from the rows of :meth:`usage_stats`'s queries (both backends)."""
    by_source: dict[int, list[tuple[int, int]]] = {}
    for source_id, day, count in articles:
        by_source.setdefault(int(source_id), []).append((int(day), int(count)))
    return UsageStats(
        now=now,
        chats=tuple((str(r[0]), str(r[1]), int(r[2])) for r in chats),
        filters=tuple((str(r[0]), int(r[1])) for r in filters),
        articles_per_day=tuple(
            (str(r[1]), spread(by_source.get(int(r[0]), []), DAYS)) for r in sources
        ),
        sent_per_hour=spread(((int(r[0]), int(r[1])) for r in sent), HOURS),
        failed_per_hour=spread(((int(r[0]), int(r[1])) for r in failed), HOURS),
        queued=queued,
        oldest_due_age_s=oldest_due_age_s,
    )
