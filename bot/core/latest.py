"""/latest: what it was asked for, and which stored articles pass a chat's filter.

Pure. ``/latest [region…] [topic…] [N]``: with no names the chat's own filter (regions AND
topics AND keywords AND sites, as routing decides who gets a story); with names exactly what
they say (``/latest labour``, ``/latest chile labour 10``); ``all`` for everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core import i18n, regions, texts, topics
from bot.core import keywords as kw
from bot.core.chat_filters import ChatFilter
from bot.core.errors import BotError
from bot.core.models import Article, RegionFilter
from bot.core.topics import TopicFilter

_NUMBER = re.compile(r"^[+-]?\d+$")
_MAX_DIGITS = 9
_BILLION = 1_000_000_000
_TOPIC_WORDS = 3  # the longest topic name, in words ("droits de l'homme" has its "de" dropped)
_ECHO_LIMIT = 64
SCAN = 2000
"""How many of the newest articles (of the chosen sites and topics) a filtered /latest reads."""


class LatestError(BotError):
    """The command's arguments are wrong; ``message`` is the one-line reply (plain text)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class LatestRequest:
    """A parsed ``/latest``.

    ``named`` None: the chat's own filter; otherwise what was named (``ChatFilter()``: "all").
    ``asked`` is the number typed when it was above the most shown at once (then ``count`` is
    that most).
    """

    count: int
    named: ChatFilter | None = None
    asked: int | None = None


def _number(word: str) -> int:
    """A typed count; one of more than nine digits counts as a billion (Python refuses to read
    numbers of thousands of digits, and nobody means one)."""
    digits = word.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return -_BILLION if word.startswith("-") else _BILLION
    return int(word)


def parse_latest(args: Sequence[str]) -> LatestRequest:
    """Read ``/latest [region…] [topic…] [N]`` (or ``all``); raise LatestError when wrong."""
    words = list(args)
    count = texts.LATEST_DEFAULT
    if words and _NUMBER.match(words[-1]):
        count = _number(words.pop())
    elif words and _NUMBER.match(words[0]):
        count = _number(words.pop(0))
    if count < 1:
        raise LatestError(i18n.tr(texts.LATEST_USAGE).format(max=texts.LATEST_MAX))
    asked = count if count > texts.LATEST_MAX else None
    count = min(count, texts.LATEST_MAX)
    named = _named(words) if words else None
    return LatestRequest(count=count, named=named, asked=asked)


def _named(words: Sequence[str]) -> ChatFilter:
    """The regions and topics named in ``words`` (topic names first, the rest are places)."""
    chosen: list[str] = []
    places: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(_TOPIC_WORDS, len(words) - i), 0, -1):
            typed = " ".join(words[i : i + size])
            found = topics.resolve_name(typed)
            if found:
                break
        if len(found) > 1:
            ideas = f" {i18n.tr(texts.OR)} ".join(
                topics.display_name(t) for t in topics.TOPICS if t in found
            )
            raise LatestError(
                i18n.tr(texts.TOPIC_AMBIGUOUS).format(typed=_shown(typed), ideas=ideas)
            )
        if found:
            chosen.extend(found)
            i += size
        else:
            places.append(words[i])
            i += 1
    return ChatFilter(regions=_regions(places), topics=TopicFilter(frozenset(chosen)))


def _regions(places: Sequence[str]) -> RegionFilter:
    """The regions named (everything when none is, or for "all")."""
    if not places:
        return RegionFilter()
    try:
        return regions.parse_filter(" ".join(places))
    except regions.FilterError as exc:
        hint = i18n.tr(texts.LATEST_TOPICS_HINT).format(topics=_topic_names())
        raise LatestError(f"{exc.message} {hint}") from None


def _topic_names() -> str:
    return ", ".join(topics.display_name(t) for t in topics.TOPICS)


def _shown(typed: str) -> str:
    return typed if len(typed) <= _ECHO_LIMIT else typed[: _ECHO_LIMIT - 1] + "…"


def passes(f: ChatFilter, article: Article) -> bool:
    """True when a stored article passes a chat's filter, as routing would have decided.

    The cheap tests first; the article's words (stemmed in its language) only when the filter
    has keywords and everything else passed.
    """
    if f.sites.ids is not None and article.source_id not in f.sites.ids:
        return False
    if not topics.matches(f.topics, article.topics):
        return False
    if not regions.matches(f.regions, article.countries, article.regions):
        return False
    if f.keywords.is_empty:
        return True
    words = kw.story_words(article.title, article.summary, article.categories, article.language)
    return kw.matches(f.keywords, words)


def latest_passing(f: ChatFilter, articles: Iterable[Article], count: int) -> list[Article]:
    """The first ``count`` articles (newest first, as read) that pass ``f``."""
    out: list[Article] = []
    for article in articles:
        if passes(f, article):
            out.append(article)
            if len(out) == count:
                break
    return out


def describe(f: ChatFilter, site_names: Mapping[int, str]) -> str:
    """A filter for a heading: "Latin America · Labour · +strike -football · Site A, Site B"."""
    parts = []
    if not f.regions.is_everything:
        parts.append(regions.format_filter(f.regions))
    if not f.topics.is_everything:
        parts.append(topics.format_filter(f.topics))
    if not f.keywords.is_empty:
        parts.append(kw.format_keywords(f.keywords))
    if f.sites.ids is not None:
        names = sorted(site_names.get(i, f"#{i}") for i in f.sites.ids)
        parts.append(", ".join(names))
    return " · ".join(parts)


def beyond_regions(f: ChatFilter) -> bool:
    """True when the filter chose more than regions (topics, keywords or sites)."""
    return not (f.topics.is_everything and f.keywords.is_empty and f.sites.is_everything)
