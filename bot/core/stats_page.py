"""The read-only /stats page: the usage summary as HTML, with deliveries per hour drawn as SVG.

Drawn here, on the server: the page holds no script and loads nothing, so it renders anywhere
(and under the strict Content-Security-Policy the metrics server sends with it). Every name from
the database is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape

from bot.core.usage import HOURS, UsageStats

_WIDTH, _HEIGHT = 720, 240
_LEFT, _BOTTOM, _TOP = 44, 28, 12
_STYLE = """
body{font:15px/1.4 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}
h1{font-size:1.4em}h2{font-size:1.1em;margin-top:1.6em}
table{border-collapse:collapse}td,th{padding:.2em .8em;text-align:left}
td.n,th.n{text-align:right}tr:nth-child(even){background:#f4f4f4}
svg text{font:11px system-ui,sans-serif;fill:#555}.sent{fill:#3b7dd8}.failed{fill:#d8453b}
"""


def _utc(ts: float, fmt: str) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime(fmt)


_PLOT_W, _PLOT_H = _WIDTH - _LEFT - 8, _HEIGHT - _BOTTOM - _TOP
_BASE = _TOP + _PLOT_H
_STEP = _PLOT_W / HOURS


def _rect(kind: str, x: float, top: float, height: float) -> str:
    return (
        f'<rect class="{kind}" x="{x:.1f}" y="{top:.1f}" '
        f'width="{_STEP * 0.8:.1f}" height="{height:.1f}"/>'
    )


def _bar(i: int, start: float, sent: int, failed: int, scale: int) -> str:
    """One hour's bar (sent, failed stacked on it), its tooltip, and every third hour's tick."""
    x = _LEFT + i * _STEP + _STEP * 0.1
    sent_h, failed_h = _PLOT_H * sent / scale, _PLOT_H * failed / scale
    label = f"{_utc(start, '%H:00')} UTC: {sent} sent, {failed} failed"
    bar = (
        f'<g class="hour"><title>{label}</title>{_rect("sent", x, _BASE - sent_h, sent_h)}'
        f"{_rect('failed', x, _BASE - sent_h - failed_h, failed_h)}</g>"
    )
    if i % 3:
        return bar
    tick = f'<text x="{x + _STEP * 0.4:.1f}" y="{_BASE + 16}" text-anchor="middle">'
    return f"{bar}{tick}{_utc(start, '%H')}</text>"


def deliveries_chart(stats: UsageStats) -> str:
    """An SVG bar chart of teasers sent (and failed, stacked) in each of the last 24 hours."""
    hours = list(zip(stats.hours, stats.sent_per_hour, stats.failed_per_hour, strict=True))
    top = max(sent + failed for _, sent, failed in hours)
    bars = "".join(_bar(i, *hour, scale=max(top, 1)) for i, hour in enumerate(hours))
    return (
        '<svg id="deliveries-per-hour" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{_WIDTH}" height="{_HEIGHT}" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        'aria-labelledby="chart-title">'
        '<title id="chart-title">Teasers delivered per hour, last 24 hours (UTC)</title>'
        f'<line x1="{_LEFT}" y1="{_BASE}" x2="{_WIDTH - 8}" y2="{_BASE}" stroke="#999"/>'
        f'<text x="{_LEFT - 6}" y="{_TOP + 4}" text-anchor="end">{top}</text>'
        f'<text x="{_LEFT - 6}" y="{_BASE}" text-anchor="end">0</text>'
        f"{bars}</svg>"
    )


def _rows(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    def cell(tag: str, value: str) -> str:
        kind = ' class="n"' if value.isdigit() else ""
        return f"<{tag}{kind}>{escape(value)}</{tag}>"

    head = "".join(cell("th", h) for h in header)
    body = "".join("<tr>" + "".join(cell("td", v) for v in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def stats_page(stats: UsageStats) -> str:
    """The whole /stats page."""
    sent, failed = sum(stats.sent_per_hour), sum(stats.failed_per_hour)
    chats = [(k, lang or "-", str(n)) for k, lang, n in stats.chats]
    regions = [(r or "whole world", str(n)) for r, n in stats.regions]
    filters = [(t or "whole world", str(n)) for t, n in stats.filters]
    days = tuple(_utc(d, "%m-%d") for d in stats.days)
    articles = [(name, *(str(n) for n in counts)) for name, counts in stats.articles_per_day]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>teaserbot stats</title><style>{_STYLE}</style></head><body>"
        f"<h1>teaserbot</h1><p>As of {_utc(stats.now, '%Y-%m-%d %H:%M')} UTC. "
        "Counts only: no chat is named.</p>"
        f"<h2>Deliveries in the last 24 hours: {sent} sent, {failed} failed</h2>"
        f"{deliveries_chart(stats)}"
        f"<p>Outbox: {stats.queued} queued, the oldest due for {stats.oldest_due_age_s:.0f} s.</p>"
        f"<h2>Subscribed chats</h2>{_rows(('kind', 'language', 'chats'), chats)}"
        f"<h2>Subscriptions by region</h2>{_rows(('region', 'chats'), regions)}"
        f"<h2>Subscriptions by filter</h2>{_rows(('filter', 'chats'), filters)}"
        f"<h2>Articles per source per day (UTC)</h2>{_rows(('source', *days), articles)}"
        "</body></html>"
    )
