"""Teasers and lists as Telegram HTML: every piece of feed text escaped, within Telegram's limits.

Pure: imports nothing from telegram, httpx or aiosqlite.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from bot.core.models import Article

MESSAGE_LIMIT = 4096
"""Telegram's limit on a message's text, counted after entity parsing."""

SUMMARY_CHARS = 300
TITLE_CHARS = 250
LIST_SUMMARY_CHARS = 140
_ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile("[.!?\u2026][\"')\\]\u00bb\u201d\u2019]?(?=\\s)")


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units: how Telegram counts a message's length (an
    emoji or any character beyond the first plane counts twice)."""
    return len(text.encode("utf-16-le")) // 2


def cut_utf16(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-16 code units, never inside a character."""
    if utf16_len(text) <= limit:
        return text
    out, used = [], 0
    for char in text:
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            break
        out.append(char)
    return "".join(out)


def shorten(text: str, limit: int) -> str:
    """Cut plain text to at most ``limit`` characters at a sentence or word boundary, with '…'."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    # A sentence that ends in the last third of the window reads better than a cut word.
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] >= limit * 2 // 3:
        return window[: ends[-1]]
    cut = window.rfind(" ")
    if cut < limit // 2:
        cut = len(window)
    return window[:cut].rstrip(" ,;:-\u2013\u2014") + _ELLIPSIS


def escape(text: str) -> str:
    """Escape text for Telegram HTML (``<``, ``>``, ``&``); quotes stay readable."""
    return html.escape(text, quote=False)


def safe_href(url: str | None) -> str | None:
    """The URL escaped for a double-quoted attribute, or None unless it is http(s).

    The one way every message (teaser, list, digest) writes a link's target.
    """
    if url and url.lower().startswith(("http://", "https://")):
        return html.escape(url, quote=True)
    return None


def teaser(
    article: Article, *, tags: Sequence[str] = (), summary_chars: int = SUMMARY_CHARS
) -> str:
    """One article as a teaser: bold linked title, summary, source name and region hashtags."""
    title = escape(shorten(article.title, TITLE_CHARS) or "(untitled)")
    href = safe_href(article.url)
    head = f'<b><a href="{href}">{title}</a></b>' if href else f"<b>{title}</b>"
    parts = [head]
    summary = shorten(article.summary, summary_chars)
    if summary:
        parts.append(escape(summary))
    footer = f"<i>{escape(article.source_name)}</i>"
    if tags:
        footer += " " + " ".join(escape(tag) for tag in tags)
    parts.append(footer)
    return "\n\n".join(parts)


def teaser_plain(article: Article, *, summary_chars: int = SUMMARY_CHARS) -> str:
    """The same teaser without markup, for when Telegram refuses the HTML one."""
    lines = [shorten(article.title, TITLE_CHARS) or "(untitled)"]
    summary = shorten(article.summary, summary_chars)
    if summary:
        lines.append(summary)
    if article.url:
        lines.append(article.url)
    lines.append(article.source_name)
    return cut_utf16("\n\n".join(lines), MESSAGE_LIMIT)


def cut_marked(text: str, limit: int) -> str:
    """Plain text cut to at most ``limit`` characters at a word boundary; any cut, even at the
    end of a sentence, ends with "…" so a short line never reads as the whole story."""
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    window = text[: limit - 1]
    cut = window.rfind(" ")
    if cut < limit // 2:
        cut = len(window)
    return window[:cut].rstrip(" ,;:-\u2013\u2014") + _ELLIPSIS


def article_list(
    articles: Sequence[Article],
    *,
    heading: str | Callable[[int], str],
    notes: Sequence[str] = (),
    start: int = 1,
) -> str:
    """A numbered list of linked titles with a short summary each, within the message limit.

    ``notes`` (plain text) are shown in italics under the heading; numbers begin at ``start``;
    ``heading`` may be given
    the number of articles that fit. The list is sized by what Telegram counts: the visible
    text in UTF-16 code units. Titles and summaries that are cut end with "…", like teasers.
    """
    used = utf16_len(heading(len(articles)) if callable(heading) else heading)
    if notes:
        used += sum(utf16_len(note) + 1 for note in notes)
    lines: list[str] = []
    for number, article in enumerate(articles, start=start):
        title = cut_marked(article.title, TITLE_CHARS) or "(untitled)"
        href = safe_href(article.url)
        line = (
            f'{number}. <a href="{href}">{escape(title)}</a>'
            if href
            else f"{number}. {escape(title)}"
        )
        visible = f"\n\n{number}. {title}"
        summary = cut_marked(article.summary, LIST_SUMMARY_CHARS)
        if summary:
            line += f"\n{escape(summary)}"
            visible += f"\n{summary}"
        line += f" <i>({escape(article.source_name)})</i>"
        visible += f" ({article.source_name})"
        if used + utf16_len(visible) > MESSAGE_LIMIT - 50:
            break
        lines.append(line)
        used += utf16_len(visible)
    title = heading(len(lines)) if callable(heading) else heading
    head = f"<b>{escape(title)}</b>"
    if notes:
        head += "\n" + "\n".join(f"<i>{escape(note)}</i>" for note in notes)
    return "\n\n".join([head, *lines])
