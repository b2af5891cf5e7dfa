"""What the bot is used for, in counts only: `python -m bot stats` and the /stats page.

No chat id, title or name of a person is in here: chats are counted by kind and language, and
subscriptions by their region filter. Time is cut into UTC hours (the last 24, the current one
last) and UTC days (the last 7, today last).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

HOUR = 3600
DAY = 86400
HOURS = 24
DAYS = 7


@dataclass(frozen=True, slots=True)
class UsageStats:
    """Counts for the stats summary and page, as of ``now``."""

    now: float
    chats: tuple[tuple[str, str, int], ...]  # (kind, language or "", subscribed chats)
    filters: tuple[tuple[str, int], ...]  # (region filter text, "" the whole world; chats)
    articles_per_day: tuple[tuple[str, tuple[int, ...]], ...]  # (source, count per day)
    sent_per_hour: tuple[int, ...]  # HOURS counts, oldest first
    failed_per_hour: tuple[int, ...]
    queued: int
    oldest_due_age_s: float

    @property
    def regions(self) -> list[tuple[str, int]]:
        """Subscribed chats per region named in their filters ("" the whole world), most first."""
        counts: dict[str, int] = {}
        for text, chats in self.filters:
            for region in text.split() or [""]:
                counts[region] = counts.get(region, 0) + chats
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def hours(self) -> tuple[float, ...]:
        """The start of each hour of :attr:`sent_per_hour`."""
        return hour_starts(self.now)

    @property
    def days(self) -> tuple[float, ...]:
        """The start of each day of :attr:`articles_per_day`."""
        return day_starts(self.now)


def hour_starts(now: float) -> tuple[float, ...]:
    """The starts of the last HOURS UTC hours, the current one last."""
    current = now // HOUR * HOUR
    return tuple(current - HOUR * (HOURS - 1 - i) for i in range(HOURS))


def day_starts(now: float) -> tuple[float, ...]:
    """The starts of the last DAYS UTC days, today last."""
    today = now // DAY * DAY
    return tuple(today - DAY * (DAYS - 1 - i) for i in range(DAYS))


def spread(counts: Iterable[tuple[int, int]], size: int) -> tuple[int, ...]:
    """(bucket index, count) pairs into ``size`` buckets; indexes outside are dropped."""
    out = [0] * size
    for index, count in counts:
        if 0 <= index < size:
            out[index] += count
    return tuple(out)


def _table(rows: Sequence[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        indent
        + "  ".join(
            cell.rjust(w) if cell.isdigit() else cell.ljust(w)
            for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def _utc(ts: float, fmt: str) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime(fmt)


def usage_text(stats: UsageStats) -> str:
    """The terminal summary of `python -m bot stats`."""
    lines = [f"teaserbot at {_utc(stats.now, '%Y-%m-%d %H:%M')} UTC", "", "Subscribed chats"]
    chats = [(kind, language or "-", str(n)) for kind, language, n in stats.chats]
    lines += _table([("KIND", "LANGUAGE", "CHATS"), *chats]) if chats else ["  none"]
    lines += ["", "Subscriptions by region (one chat may name several)"]
    regions = [(region or "whole world", str(n)) for region, n in stats.regions]
    lines += _table([("REGION", "CHATS"), *regions]) if regions else ["  none"]
    lines += ["", "Subscriptions by filter"]
    filters = [(text or "whole world", str(n)) for text, n in stats.filters]
    lines += _table([("FILTER", "CHATS"), *filters]) if filters else ["  none"]
    lines += ["", "Articles per source per day (UTC)"]
    header = ("SOURCE", *(_utc(day, "%m-%d") for day in stats.days))
    per_day = [(name, *(str(n) for n in counts)) for name, counts in stats.articles_per_day]
    lines += _table([header, *per_day]) if per_day else ["  no sources"]
    sent, failed = sum(stats.sent_per_hour), sum(stats.failed_per_hour)
    busiest = max(range(HOURS), key=lambda i: stats.sent_per_hour[i])
    lines += [
        "",
        f"Deliveries in the last 24 h: {sent} sent, {failed} failed"
        + (
            f" (busiest hour {_utc(stats.hours[busiest], '%H:00')} UTC: "
            f"{stats.sent_per_hour[busiest]} sent)"
            if sent
            else ""
        ),
        f"Outbox: {stats.queued} queued, the oldest due for {stats.oldest_due_age_s:.0f} s",
    ]
    return "\n".join(lines)
