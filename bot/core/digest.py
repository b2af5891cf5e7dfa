"""Digests: a chat's backlog of teasers packed into as few messages as Telegram's limit allows.

Pure: imports nothing from telegram, httpx or aiosqlite. Every article given appears in exactly
one part, in the order given; each part fits :data:`bot.core.render.MESSAGE_LIMIT` both as HTML (its
visible text) and as the plain-text fallback, counted in UTF-16 code units as Telegram counts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.core import regions, topics
from bot.core.models import Article, Chat
from bot.core.render import MESSAGE_LIMIT, escape, safe_href, shorten, utf16_len

ENTRY_TITLE_CHARS = 200
ENTRY_SUMMARY_CHARS = 160
SIGNATURE_CHARS = 200
"""The longest signature a digest part ends with (``/format signature``'s own limit)."""
HEADING_RESERVE = 80
"""Room kept for the heading, whose part numbers are known only after packing."""

Heading = Callable[[int, int, int], str]
"""(stories in this part, part number from 1, number of parts) → the heading, plain text."""


@dataclass(frozen=True, slots=True)
class DigestPart:
    """One digest message: the articles it holds, as HTML and as the plain-text fallback."""

    articles: tuple[Article, ...]
    html: str
    plain: str


@dataclass(frozen=True, slots=True)
class _Entry:
    article: Article
    html: str
    plain: str


def _entry(article: Article) -> _Entry:
    title = shorten(article.title, ENTRY_TITLE_CHARS) or "(untitled)"
    summary = shorten(article.summary, ENTRY_SUMMARY_CHARS)
    href = safe_href(article.url)
    url = article.url if href else None
    head = f'<b><a href="{href}">{escape(title)}</a></b>' if href else f"<b>{escape(title)}</b>"
    html = "• " + head
    plain = "• " + title
    if summary:
        html += f" — {escape(summary)}"
        plain += f" — {summary}"
    html += f" <i>({escape(article.source_name)})</i>"
    plain += f" ({article.source_name})"
    if url:
        plain += f"\n{url}"
    return _Entry(article, html, plain)


def pack_digest(
    articles: Sequence[Article],
    heading: Heading,
    *,
    limit: int = MESSAGE_LIMIT,
    section: Callable[[Article], str] | None = None,
    signature: str | None = None,
) -> list[DigestPart]:
    """Pack ``articles`` (in order) into digest parts that each fit within ``limit``.

    With ``section`` (an article's group, plain text: a region or a topic), the articles are
    grouped under a line naming their section, sections in the order they first appear, and a
    part that begins inside a section names it again. ``signature`` (plain text, a channel's
    own last line) ends every part.
    """
    if section is not None:
        articles = _grouped(articles, section)
    groups: list[list[_Entry]] = []
    used = 0
    signature = signature[:SIGNATURE_CHARS] if signature else None
    budget = limit - HEADING_RESERVE - (utf16_len(signature) + 2 if signature else 0)
    for article in articles:
        entry = _entry(article)
        size = utf16_len(entry.plain) + 2  # the blank line before it
        if section is not None:
            size += utf16_len(section(article)) + 2  # its section's line (shown once: a bound)
        if groups and used + size <= budget:
            groups[-1].append(entry)
            used += size
        else:
            groups.append([entry])
            used = size
    return [
        _part(group, heading(len(group), number, len(groups)), section, signature)
        for number, group in enumerate(groups, start=1)
    ]


def region_section(language: str | None) -> Callable[[Article], str]:
    """An article's section in a scheduled digest, in ``language``: the part of the world people
    name its first known country by (Eastern Europe, Middle East), else International."""

    def section(article: Article) -> str:
        for code in article.countries:
            region = regions.familiar_region(code)
            if region is not None:
                return regions.display_name(region, language)
        return regions.display_name(regions.NONE_ID, language)

    return section


def topic_section(chosen: frozenset[str], language: str | None) -> Callable[[Article], str]:
    """An article's section by topic (the first of its topics the chat chose, else its first);
    an article without topics goes under its region (:func:`region_section`)."""
    by_region = region_section(language)

    def section(article: Article) -> str:
        picked = [t for t in article.topics if t in chosen] or list(article.topics)
        return topics.display_name(picked[0], language) if picked else by_region(article)

    return section


def chat_section(chat: Chat) -> Callable[[Article], str]:
    """How a chat's scheduled digest is grouped: by topic when it chose topics and not
    regions, else by region; names in the chat's language."""
    chosen = chat.settings.topics
    if not chosen.is_everything and chat.region_filter.is_everything:
        return topic_section(chosen.ids, chat.language)
    return region_section(chat.language)


def _grouped(articles: Sequence[Article], section: Callable[[Article], str]) -> list[Article]:
    """The articles grouped by section (a stable sort: in order within each section)."""
    order: dict[str, int] = {}
    for article in articles:
        order.setdefault(section(article), len(order))
    return sorted(articles, key=lambda a: order[section(a)])


def _part(
    group: list[_Entry],
    title: str,
    section: Callable[[Article], str] | None,
    signature: str | None = None,
) -> DigestPart:
    html, plain = [f"<b>{escape(title)}</b>"], [title]
    shown: str | None = None
    for entry in group:
        name = section(entry.article) if section is not None else None
        if name is not None and name != shown:
            html.append(f"<b>{escape(name)}</b>")
            plain.append(name)
            shown = name
        html.append(entry.html)
        plain.append(entry.plain)
    if signature:
        html.append(escape(signature))
        plain.append(signature)
    articles = tuple(e.article for e in group)
    return DigestPart(articles, "\n\n".join(html), "\n\n".join(plain))
