"""Everything a chat chose about what it gets, and who gets a story: regions AND topics AND
keywords AND sites.

A ``ChatFilter`` holds the four choices; each left empty lets everything through. A story passes
when it comes from a chosen site, has one of the chosen topics, happens in one of the chosen
regions, carries none of the excluded words and (when words are included) one of those. The
story's side is computed once (``StoryFacts``: places, topics, words, source) and the chats'
side once per set of chats (``ChatIndex``: chats grouped by identical filter, each filter
compiled once, the chats that chose nothing kept apart), so routing a story to 100,000 chats
is a few dictionary and set operations per distinct filter (bench/routing.py).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from bot.core import keywords as kw
from bot.core import regions, stems, topics
from bot.core.keywords import KeywordFilter, KeywordMatcher, StoryWords
from bot.core.models import Classification, RegionFilter
from bot.core.topics import TopicFilter


@dataclass(frozen=True, slots=True)
class SiteFilter:
    """The sources a chat gets. ``None``: every source, also those the operator adds later; a
    set: only these source ids (a chat that chose is never switched to new sources)."""

    ids: frozenset[int] | None = None

    @property
    def is_everything(self) -> bool:
        """True when every source, present and future, is let through."""
        return self.ids is None


def sites_to_text(f: SiteFilter) -> str | None:
    """The stored form: None (NULL) for every site, else the source ids in order ("1 4 7")."""
    return None if f.ids is None else " ".join(str(i) for i in sorted(f.ids))


def sites_from_text(s: str | None) -> SiteFilter:
    """Read the stored form back (NULL: every site, present and future)."""
    if s is None:
        return SiteFilter()
    return SiteFilter(frozenset(int(part) for part in s.split() if part.lstrip("-").isdigit()))


@dataclass(frozen=True, slots=True)
class ChatFilter:
    """A chat's four choices, combined with AND."""

    regions: RegionFilter = field(default_factory=RegionFilter)
    topics: TopicFilter = field(default_factory=TopicFilter)
    keywords: KeywordFilter = field(default_factory=KeywordFilter)
    sites: SiteFilter = field(default_factory=SiteFilter)
    _hash: int = field(init=False, repr=False, compare=False, default=0)

    def __post_init__(self) -> None:
        # Hashed once: an index groups 100,000 chats by their filters.
        object.__setattr__(
            self, "_hash", hash((self.regions, self.topics, self.keywords, self.sites))
        )

    def __hash__(self) -> int:
        return self._hash

    @property
    def is_everything(self) -> bool:
        """True when the chat chose nothing: every story reaches it."""
        return (
            self.regions.is_everything
            and self.topics.is_everything
            and self.keywords.is_empty
            and self.sites.is_everything
        )


@dataclass(frozen=True, slots=True)
class StoryFacts:
    """What routing needs to know about one story, computed once for every chat."""

    source_id: int
    countries: tuple[str, ...]
    regions: tuple[str, ...]
    topics: tuple[str, ...]
    words: StoryWords


def story_facts(
    *,
    source_id: int,
    title: str,
    summary: str,
    categories: Sequence[str] = (),
    language: str | None = None,
    places: Classification | None = None,
    story_topics: Sequence[str] | None = None,
) -> StoryFacts:
    """The facts of a story; its topics are classified here unless given (stored ones)."""
    found = places or Classification()
    chosen = (
        tuple(story_topics)
        if story_topics is not None
        else topics.topics_of(title, summary, categories, language)
    )
    return StoryFacts(
        source_id=source_id,
        countries=found.countries,
        regions=found.regions,
        topics=chosen,
        words=kw.story_words(title, summary, categories, language),
    )


def allows(f: ChatFilter, story: StoryFacts) -> bool:
    """True when the story passes every one of the chat's choices."""
    return _Compiled.of(f).allows(story, {}, {})


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One distinct filter, ready to test stories: the cheap tests first, words last."""

    sites: frozenset[int] | None
    topics: frozenset[str] | None
    regions: RegionFilter | None
    keywords: KeywordMatcher | None

    @classmethod
    def of(cls, f: ChatFilter) -> _Compiled:
        return cls(
            sites=f.sites.ids,
            topics=None if f.topics.is_everything else f.topics.ids,
            regions=None if f.regions.is_everything else f.regions,
            keywords=None if f.keywords.is_empty else kw.matcher(f.keywords),
        )

    def allows(
        self,
        story: StoryFacts,
        by_region: dict[RegionFilter, bool],
        by_words: dict[KeywordMatcher, bool],
    ) -> bool:
        """The test, remembering region and keyword answers shared by several filters."""
        if self.sites is not None and story.source_id not in self.sites:
            return False
        if self.topics is not None and self.topics.isdisjoint(story.topics):
            return False
        if self.regions is not None:
            passed = by_region.get(self.regions)
            if passed is None:
                passed = regions.matches(self.regions, story.countries, story.regions)
                by_region[self.regions] = passed
            if not passed:
                return False
        if self.keywords is not None:
            passed = by_words.get(self.keywords)
            if passed is None:
                passed = self.keywords.allows(story.words)
                by_words[self.keywords] = passed
            return passed
        return True


@dataclass(slots=True)
class _Group:
    """Chats that share sites, topics and regions: those without keywords, and those with
    keywords by keyword-filter number."""

    sites: frozenset[int] | None
    regions: RegionFilter | None
    plain: dict[int, None] = field(default_factory=dict)  # an ordered set of chat ids
    worded: dict[int, dict[int, None]] = field(default_factory=dict)

    def passes(self, story: StoryFacts, by_region: dict[RegionFilter, bool]) -> bool:
        if self.sites is not None and story.source_id not in self.sites:
            return False
        if self.regions is None:
            return True
        passed = by_region.get(self.regions)
        if passed is None:
            passed = regions.matches(self.regions, story.countries, story.regions)
            by_region[self.regions] = passed
        return passed


class _WordIndex:
    """Every chat's keywords, inverted: word -> the keyword filters that include or exclude it.

    A story's words are looked up once (its stems against the stems of every chosen word in
    the story's language), so the keyword test costs the words the story has, not the chats.
    """

    def __init__(self) -> None:
        self.numbers: dict[KeywordFilter, int] = {}
        self.including: dict[str, list[int]] = {}
        self.excluding: dict[str, list[int]] = {}
        self.exclude_only: set[int] = set()
        self._by_stem: dict[str | None, dict[str, list[str]]] = {}

    def number(self, f: KeywordFilter) -> int:
        found = self.numbers.get(f)
        if found is None:
            found = self.numbers[f] = len(self.numbers)
            if any(
                w not in self.including and w not in self.excluding
                for w in (*f.include, *f.exclude)
            ):
                self._by_stem.clear()  # the stem tables lack the new words: built again
            for word in f.include:
                self.including.setdefault(word, []).append(found)
            for word in f.exclude:
                self.excluding.setdefault(word, []).append(found)
            if not f.include:
                self.exclude_only.add(found)
        return found

    def _stems(self, language: str | None) -> dict[str, list[str]]:
        table = self._by_stem.get(language)
        if table is None:
            table = {}
            for word in (*self.including, *self.excluding):
                table.setdefault(stems.stem(word, language), []).append(word)
            self._by_stem[language] = table
        return table

    def passing(self, words: StoryWords) -> set[int]:
        """The keyword filters (by number) that let a story with these words through."""
        if not self.numbers:
            return set()
        table = self._stems(words.language)
        present = {w for s in words.stems for w in table.get(s, ())}
        present.update(w for w in words.keys if w in self.including or w in self.excluding)
        passing = set(self.exclude_only)
        for word in present:
            passing.update(self.including.get(word, ()))
        for word in present:
            passing.difference_update(self.excluding.get(word, ()))
        return passing


class ChatIndex:
    """Chats grouped by filter shape, for routing every story to them cheaply.

    Build it once from the chats, then keep it current with ``set`` and ``remove`` when a chat
    changes its filter, subscribes or leaves. The chats that chose nothing are kept apart; the
    others are grouped by (sites, topics, regions), the groups listed under each topic they ask
    for, so a story only visits the groups its topics can pass; keywords are answered for all
    chats at once through ``_WordIndex``.
    """

    __slots__ = ("_any_topic", "_by_topic", "_groups", "_keyed", "_open", "_where", "_words")

    def __init__(self, chats: Iterable[tuple[int, ChatFilter]] = ()) -> None:
        self._open: dict[int, None] = {}
        self._words = _WordIndex()
        self._keyed: dict[tuple[SiteFilter, TopicFilter, RegionFilter], int] = {}
        self._groups: list[_Group] = []
        self._any_topic: list[int] = []
        self._by_topic: dict[str, list[int]] = {}
        self._where: dict[int, tuple[int, int | None]] = {}  # chat -> (group or -1, words)
        for chat_id, f in chats:
            self.set(chat_id, f)

    @property
    def size(self) -> int:
        """How many chats the index holds."""
        return len(self._where)

    def set(self, chat_id: int, f: ChatFilter) -> None:
        """Put a chat in the index with this filter (replacing its earlier one)."""
        if chat_id in self._where:
            self.remove(chat_id)
        if f.is_everything:
            self._open[chat_id] = None
            self._where[chat_id] = (-1, None)
            return
        shape = (f.sites, f.topics, f.regions)
        at = self._keyed.get(shape)
        if at is None:
            at = self._keyed[shape] = self._add_group(f)
        group = self._groups[at]
        if f.keywords.is_empty:
            group.plain[chat_id] = None
            self._where[chat_id] = (at, None)
        else:
            number = self._words.number(f.keywords)
            group.worded.setdefault(number, {})[chat_id] = None
            self._where[chat_id] = (at, number)

    def remove(self, chat_id: int) -> None:
        """Take a chat out of the index (a chat it does not hold is ignored)."""
        where = self._where.pop(chat_id, None)
        if where is None:
            return
        at, number = where
        if at < 0:
            del self._open[chat_id]
            return
        group = self._groups[at]
        if number is None:
            del group.plain[chat_id]
            return
        ids = group.worded[number]
        del ids[chat_id]
        if not ids:
            del group.worded[number]

    def _add_group(self, f: ChatFilter) -> int:
        at = len(self._groups)
        regions_or_none = None if f.regions.is_everything else f.regions
        self._groups.append(_Group(f.sites.ids, regions_or_none))
        if f.topics.is_everything:
            self._any_topic.append(at)
        for topic in f.topics.ids:
            self._by_topic.setdefault(topic, []).append(at)
        return at

    @property
    def distinct_filters(self) -> int:
        """How many different filters the chats have (the chats that chose nothing: one)."""
        shapes = sum(len(g.worded) + bool(g.plain) for g in self._groups)
        return shapes + bool(self._open)

    def _candidates(self, story: StoryFacts) -> Iterable[int]:
        if len(story.topics) <= 1:
            return self._any_topic + [
                at for topic in story.topics for at in self._by_topic.get(topic, ())
            ]
        chosen = {at for topic in story.topics for at in self._by_topic.get(topic, ())}
        return self._any_topic + sorted(chosen)

    def recipients(self, story: StoryFacts, *, have_url: Collection[int] = ()) -> list[int]:
        """The chats the story passes, minus ``have_url`` (chats that already have its link).

        In no particular order: grouped by filter.
        """
        found = list(self._open)
        passing = self._words.passing(story.words)
        by_region: dict[RegionFilter, bool] = {}
        for at in self._candidates(story):
            group = self._groups[at]
            if not group.passes(story, by_region):
                continue
            found.extend(group.plain)
            for number, ids in group.worded.items():
                if number in passing:
                    found.extend(ids)
        if have_url:
            skip = set(have_url)
            return [chat_id for chat_id in found if chat_id not in skip]
        return found


def recipients(
    story: StoryFacts,
    chats: Iterable[tuple[int, ChatFilter]],
    *,
    have_url: Collection[int] = (),
) -> tuple[int, ...]:
    """The chats among ``chats`` that get the story, in their order (one-off: no index kept)."""
    skip = set(have_url)
    compiled: dict[ChatFilter, _Compiled] = {}
    by_region: dict[RegionFilter, bool] = {}
    by_words: dict[KeywordMatcher, bool] = {}
    out = []
    for chat_id, f in chats:
        if chat_id in skip:
            continue
        c = compiled.get(f)
        if c is None:
            c = compiled[f] = _Compiled.of(f)
        if c.allows(story, by_region, by_words):
            out.append(chat_id)
    return tuple(out)
