"""The single entry point for turning a fetched document into a `ParsedFeed`."""

from __future__ import annotations

from bot.core.errors import ParseError
from bot.core.models import HtmlSelectors, ParsedFeed, SourceKind
from bot.core.parsing.feeds import parse_feed
from bot.core.parsing.html import discover_feed_urls, looks_like_html, parse_listing


def parse_document(
    body: bytes,
    *,
    url: str,
    content_type: str | None = None,
    kind: SourceKind = SourceKind.FEED,
    selectors: HtmlSelectors | None = None,
) -> ParsedFeed:
    """Parse a feed (RSS/Atom/JSON Feed) or, for kind HTML, a listing page; else ParseError."""
    if not body or not body.strip():
        raise ParseError("empty document")
    try:
        if kind == SourceKind.HTML:
            return parse_listing(body, url=url, content_type=content_type, selectors=selectors)
        return parse_feed(body, url=url, content_type=content_type)
    except ParseError:
        raise
    except Exception as exc:
        # The parse boundary (DESIGN rule 2): whatever a hostile or broken document provokes
        # becomes this source's error, never the poller's.
        raise ParseError(f"unreadable document: {type(exc).__name__}: {exc}") from exc


__all__ = ["discover_feed_urls", "looks_like_html", "parse_document"]
