"""Conversions between database rows and the record types, and small result records."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core.models import (
    Article,
    Chat,
    ChatKind,
    HtmlSelectors,
    RegionFilter,
    Source,
    SourceKind,
)


def filter_to_text(region_filter: RegionFilter) -> str:
    """The storage form of a region filter: its ids, sorted, space-separated."""
    return " ".join(sorted(region_filter.ids))


def filter_from_text(text: str) -> RegionFilter:
    """Read a region filter back from its storage form."""
    return RegionFilter(frozenset(text.split()))


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
    "c.id, c.kind, c.title, c.username, c.thread_id, c.subscribed, c.region_filter, "
    "c.link_previews, c.deactivated_reason, c.silent, c.language"
)
CHAT_WIDTH = 11
"""How many columns CHAT_COLUMNS reads."""
ARTICLE_COLUMNS = (
    "a.id, a.source_id, coalesce(s.feed_title, s.name), a.key, a.title, a.summary, a.url, "
    "a.published_at, a.seen_at, a.categories, a.image, a.countries, a.regions"
)


def source_row(row: Any) -> Source:
    return Source(
        id=row[0],
        name=row[1],
        url=row[2],
        kind=SourceKind(row[3]),
        region=row[4],
        selectors=selectors_from_json(row[5]),
        enabled=bool(row[6]),
        etag=row[7],
        last_modified=row[8],
        baseline_done=bool(row[9]),
        failures=row[10],
        last_error=row[11],
        last_success_at=row[12],
        last_polled_at=row[13],
        next_poll_at=row[14],
        body_hash=row[15],
        language=row[16],
        feed_title=row[17],
        origin=str(row[18]),
        paused=bool(row[19]),
        failing_since=row[20],
        last_error_at=row[21],
        outage_notified_at=row[22],
    )


def chat_row(row: Any, offset: int = 0) -> Chat:
    r = row[offset : offset + CHAT_WIDTH]
    return Chat(
        id=r[0],
        kind=ChatKind(r[1]),
        title=r[2],
        username=r[3],
        thread_id=r[4],
        subscribed=bool(r[5]),
        region_filter=filter_from_text(r[6]),
        link_previews=bool(r[7]),
        deactivated_reason=r[8],
        silent=bool(r[9]),
        language=r[10],
    )


def article_row(row: Any, offset: int = 0) -> Article:
    r = row[offset : offset + 13]
    seen_at = dt(r[8])
    assert seen_at is not None
    return Article(
        id=r[0],
        source_id=r[1],
        source_name=r[2],
        key=r[3],
        title=r[4],
        summary=r[5],
        url=r[6],
        published=dt(r[7]),
        seen_at=seen_at,
        categories=tuple(json.loads(r[9])),
        image=r[10],
        countries=tuple(r[11].split()),
        regions=tuple(r[12].split()),
    )


@dataclass(frozen=True, slots=True)
class OutboxCounts:
    """Outbox rows by state."""

    queued: int
    sent: int
    failed: int
    cancelled: int
