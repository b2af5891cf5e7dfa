"""Where an article goes: the places and topics it is about, the chats that get it, its hashtags.

Pure: the poller's decision and the preview use these same rules, so a preview shows what a
chat receives. A chat gets a story when its whole filter lets it through (``chat_filter``:
regions AND topics AND keywords AND sites, :mod:`bot.core.chat_filters`).
"""

from __future__ import annotations

import operator
import re
import threading
from collections.abc import Callable, Collection, Sequence
from itertools import compress

from bot.core import chat_filters, regions, topics
from bot.core.chat_filters import ChatIndex, StoryFacts, story_facts
from bot.core.chat_settings import ChatSettings, chat_filter
from bot.core.models import Article, Chat, Classification, ParsedItem, RegionFilter, Source


def classify_item(item: ParsedItem, source: Source) -> Classification:
    """Where a story happens, from its text, tags and the source's default region."""
    language = source.language or item.language
    return regions.classify(item.title, item.summary, item.categories, source.region, language)


def topics_of_item(item: ParsedItem, source: Source) -> tuple[str, ...]:
    """What a story is about (``labour``, ``war``, …), from its tags and text in its language."""
    language = source.language or item.language
    return topics.topics_of(item.title, item.summary, item.categories, language)


def story_of(
    item: ParsedItem, source: Source, places: Classification, story_topics: Sequence[str]
) -> StoryFacts:
    """What routing needs to know of a new item: its source, places, topics and words."""
    return story_facts(
        source_id=source.id,
        title=item.title,
        summary=item.summary,
        categories=item.categories,
        language=source.language or item.language,
        places=places,
        story_topics=story_topics,
    )


def recipients(
    story: StoryFacts,
    chats: Sequence[Chat],
    *,
    have_url: Collection[int] = (),
    router: Router | None = None,
) -> tuple[int, ...]:
    """The chats whose whole filter lets this story through, by chat id.

    ``have_url``: chats that already have an article with the same link queued or sent (from
    another source); they do not get it twice. ``router``: an index of the chats' filters kept
    from poll to poll (the same answer, in milliseconds for 100,000 chats); without one every
    chat's filter is asked once.
    """
    if router is not None:
        return router.recipients(story, chats, have_url=have_url)
    pairs = ((chat.id, chat_filter(chat)) for chat in chats)
    return tuple(sorted(chat_filters.recipients(story, pairs, have_url=have_url)))


_ID: Callable[[Chat], int] = operator.attrgetter("id")
_REGIONS: Callable[[Chat], RegionFilter] = operator.attrgetter("region_filter")
_SETTINGS: Callable[[Chat], ChatSettings] = operator.attrgetter("settings")


class Router:
    """The chats' filters in a :class:`ChatIndex`, kept current from one poll to the next.

    A memo, not a state: ``recipients`` answers for the chats it is given, exactly as asking
    each chat's filter would; between calls only the chats that joined, left or changed their
    filter are re-indexed. Polls are decided in a small thread pool, so calls take turns.
    """

    def __init__(self) -> None:
        self._index = ChatIndex()
        # The chats indexed: their ids, region filters and settings, column by column.
        self._columns: tuple[list[int], list[RegionFilter], list[ChatSettings]] = ([], [], [])
        self._lock = threading.Lock()

    def recipients(
        self, story: StoryFacts, chats: Sequence[Chat], *, have_url: Collection[int] = ()
    ) -> tuple[int, ...]:
        """The chats among ``chats`` that get the story, by chat id."""
        with self._lock:
            self._sync(chats)
            return tuple(sorted(self._index.recipients(story, have_url=have_url)))

    def _sync(self, chats: Sequence[Chat]) -> None:
        """Bring the index to exactly ``chats``.

        Chats read back from the store share their filter objects (parsed once per stored
        text), so an unchanged chat is seen by identity: when nothing changed this is three
        list comparisons, and otherwise only the chats that joined or whose filter changed are
        indexed again. Lists of references only: no object per chat for the garbage collector.
        """
        columns = (
            list(map(_ID, chats)),
            list(map(_REGIONS, chats)),
            list(map(_SETTINGS, chats)),
        )
        if columns == self._columns:
            return
        ids, filters, settings = columns
        old_ids, old_filters, old_settings = self._columns
        was_filters: list[RegionFilter | None] = list(old_filters)
        was_settings: list[ChatSettings | None] = list(old_settings)
        if ids != old_ids:
            for gone in set(old_ids).difference(ids):
                self._index.remove(gone)
            by_id_f = dict(zip(old_ids, old_filters, strict=True))
            by_id_s = dict(zip(old_ids, old_settings, strict=True))
            was_filters = [by_id_f.get(chat_id) for chat_id in ids]
            was_settings = [by_id_s.get(chat_id) for chat_id in ids]
        every = range(len(ids))
        changed = set(compress(every, map(operator.is_not, filters, was_filters)))
        changed.update(compress(every, map(operator.is_not, settings, was_settings)))
        for at in sorted(changed):
            self._index.set(ids[at], chat_filter(chats[at]))
        self._columns = columns

    @property
    def size(self) -> int:
        """How many chats the index holds."""
        return self._index.size


def article_recipients(
    article: Article, chats: Sequence[Chat], *, have_url: Collection[int] = ()
) -> tuple[int, ...]:
    """The chats among ``chats`` that get a stored article, by chat id: the same rule as a new
    item's (:func:`recipients`), from what the article's row keeps (a fan-out's later slices;
    no router: each slice holds other chats)."""
    story = story_facts(
        source_id=article.source_id,
        title=article.title,
        summary=article.summary,
        categories=article.categories,
        language=article.language,
        places=Classification(article.countries, article.regions),
        story_topics=article.topics,
    )
    return recipients(story, chats, have_url=have_url)


_NOT_IN_TAG = re.compile(r"\W+")


def hashtags(article: Article, language: str | None = None) -> list[str]:
    """The hashtags under a teaser: its places, then its topics.

    ``#Russia #EasternEurope #Labour``, ``#UK #Europe #Politics``. Places are named as people
    search for them (English); topics too unless ``language`` names the chat's language
    (``#Trabajo``, ``#MedioAmbiente``).
    """
    places = regions.teaser_hashtags(article.countries)
    if language is None:
        return places + topics.teaser_hashtags(article.topics)
    named = (topics.display_name(t, language) for t in topics.TOPICS if t in article.topics)
    tags = ("#" + "".join(_NOT_IN_TAG.sub(" ", n).title().split()) for n in named)
    return places + [tag for tag in tags if len(tag) > 1]
