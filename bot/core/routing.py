"""Where an article goes: the places it is about, the chats that get it, its hashtags.

Pure: the poller's decision and the preview use these same rules, so a preview shows what a
chat receives.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.core import regions
from bot.core.models import Article, Chat, Classification, ParsedItem, Source


def classify_item(item: ParsedItem, source: Source) -> Classification:
    """Where a story happens, from its text, tags and the source's default region."""
    language = source.language or item.language
    return regions.classify(item.title, item.summary, item.categories, source.region, language)


def recipients(
    found: Classification, chats: Sequence[Chat], *, have_url: Collection[int] = ()
) -> tuple[int, ...]:
    """The subscribed chats whose region filter lets this article through.

    ``have_url``: chats that already have an article with the same link queued or sent (from
    another source); they do not get it twice.
    """
    return tuple(
        chat.id
        for chat in chats
        if chat.id not in have_url
        and regions.matches(chat.region_filter, found.countries, found.regions)
    )


def article_recipients(
    article: Article, chats: Sequence[Chat], *, have_url: Collection[int] = ()
) -> tuple[int, ...]:
    """The chats among ``chats`` that get a stored article: the same rule as a new item's
    (:func:`recipients`), from what the article's row keeps (a fan-out's later slices)."""
    found = Classification(article.countries, article.regions)
    return recipients(found, chats, have_url=have_url)


def hashtags(article: Article) -> list[str]:
    """The region hashtags shown under a teaser: ``#Russia #EasternEurope``, ``#UK #Europe``."""
    return regions.teaser_hashtags(article.countries)
