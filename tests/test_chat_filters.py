"""A chat's combined filter (regions AND topics AND keywords AND sites) and routing by it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import regions
from bot.core.chat_filters import (
    ChatFilter,
    ChatIndex,
    SiteFilter,
    StoryFacts,
    allows,
    recipients,
    sites_from_text,
    sites_to_text,
    story_facts,
)
from bot.core.keywords import KeywordFilter, parse_keywords, story_words
from bot.core.models import Classification, RegionFilter
from bot.core.topics import TOPICS, TopicFilter, parse_filter


def _story(
    title: str, summary: str = "", *, source_id: int = 1, language: str = "en"
) -> StoryFacts:
    places = regions.classify(title, summary, (), None, language)
    return story_facts(
        source_id=source_id, title=title, summary=summary, language=language, places=places
    )


CHILE_STRIKE = _story("Chile: copper miners strike at Escondida", "Workers walk out over wages.")
CHILE_ELECTION = _story("Chile: the presidential election goes to a runoff", "Voters return.")
FRANCE_STRIKE = _story("France: rail workers strike against the pension reform", "")
FOOTBALL = _story("Football: Liverpool win the league", "The fans celebrate the season.")
LATAM_LABOUR = ChatFilter(
    regions=regions.parse_filter("latin america"), topics=parse_filter("labour")
)


def test_regions_and_topics_combine_with_and() -> None:
    """Latin America + labour gets a Chilean strike, not a Chilean election nor a French strike."""
    assert allows(LATAM_LABOUR, CHILE_STRIKE)
    assert not allows(LATAM_LABOUR, CHILE_ELECTION)
    assert not allows(LATAM_LABOUR, FRANCE_STRIKE)


def test_an_excluded_word_beats_every_other_choice() -> None:
    """A chat that chose nothing but -football gets everything except the football story."""
    f = ChatFilter(keywords=parse_keywords("-football"))
    assert not allows(f, FOOTBALL)
    assert allows(f, CHILE_STRIKE)
    assert allows(f, CHILE_ELECTION)


def test_included_words_narrow_the_regions_and_topics() -> None:
    """+copper on top of Latin America + labour keeps only stories with that word."""
    f = ChatFilter(LATAM_LABOUR.regions, LATAM_LABOUR.topics, parse_keywords("+copper"))
    assert allows(f, CHILE_STRIKE)
    other = _story("Chile: dockers strike in Valparaíso", "Workers walk out.")
    assert allows(LATAM_LABOUR, other)
    assert not allows(f, other)


def test_sites_default_to_every_site_including_new_ones() -> None:
    """No choice of sites lets any source through, also one added later; a choice keeps to it."""
    assert allows(ChatFilter(), _story("A strike", source_id=999))
    chosen = ChatFilter(sites=SiteFilter(frozenset({1, 2})))
    assert allows(chosen, _story("A strike", source_id=2))
    assert not allows(chosen, _story("A strike", source_id=3))


def test_everything_is_the_default() -> None:
    """A chat that chose nothing gets every story."""
    assert ChatFilter().is_everything
    for story in (CHILE_STRIKE, CHILE_ELECTION, FRANCE_STRIKE, FOOTBALL):
        assert allows(ChatFilter(), story)


def test_the_index_and_the_one_off_route_alike_and_skip_chats_with_the_link() -> None:
    """ChatIndex and recipients() choose the same chats; have_url chats are left out."""
    chats = [
        (1, ChatFilter()),
        (2, LATAM_LABOUR),
        (3, ChatFilter(topics=parse_filter("war"))),
        (4, ChatFilter(keywords=parse_keywords("-copper"))),
        (5, ChatFilter(sites=SiteFilter(frozenset({7})))),
        (6, LATAM_LABOUR),
    ]
    index = ChatIndex(chats)
    assert sorted(index.recipients(CHILE_STRIKE)) == [1, 2, 6]
    assert recipients(CHILE_STRIKE, chats) == (1, 2, 6)
    assert sorted(index.recipients(CHILE_STRIKE, have_url={2})) == [1, 6]
    assert recipients(CHILE_STRIKE, chats, have_url={2}) == (1, 6)
    assert index.size == 6
    assert index.distinct_filters == 5


def test_story_facts_use_given_topics() -> None:
    """Stored topics are used as they are; otherwise the story is classified."""
    given_topics = story_facts(source_id=1, title="x", summary="", story_topics=("war",))
    assert given_topics.topics == ("war",)
    assert story_facts(source_id=1, title="Dockers strike", summary="").topics == ("labour",)


REGION_FILTERS = [
    RegionFilter(),
    *(regions.parse_filter(n) for n in ("europe", "latin america", "RU", "none")),
]
COUNTRIES = st.lists(st.sampled_from(["CL", "FR", "RU", "US", "IN"]), max_size=2, unique=True)
WORDS = ["strike", "football", "copper", "war", "election", "huelga"]


@st.composite
def chat_filters(draw: st.DrawFn) -> ChatFilter:
    """Any mix of the four choices."""
    words = draw(st.lists(st.tuples(st.sampled_from("+-"), st.sampled_from(WORDS)), max_size=3))
    sites = draw(st.one_of(st.none(), st.frozensets(st.integers(1, 4), min_size=1)))
    return ChatFilter(
        regions=draw(st.sampled_from(REGION_FILTERS)),
        topics=TopicFilter(draw(st.frozensets(st.sampled_from(TOPICS), max_size=3))),
        keywords=parse_keywords(" ".join(s + w for s, w in words)) if words else KeywordFilter(),
        sites=SiteFilter(sites),
    )


@st.composite
def stories(draw: st.DrawFn) -> StoryFacts:
    """Any story: a source, countries, topics and some of the words."""
    countries = draw(COUNTRIES)
    text = " ".join(draw(st.lists(st.sampled_from([*WORDS, "strikes", "wars", "other"]))))
    return StoryFacts(
        source_id=draw(st.integers(1, 4)),
        countries=tuple(countries),
        regions=regions.region_ids_for(countries),
        topics=tuple(draw(st.frozensets(st.sampled_from(TOPICS), max_size=3))),
        words=story_words(text, "", (), "en"),
    )


@given(chat_filters(), stories())
@settings(deadline=None)
def test_a_story_passes_when_it_passes_each_choice(f: ChatFilter, story: StoryFacts) -> None:
    """allows() is the AND of the four choices, each tested on its own."""
    each = [
        allows(ChatFilter(regions=f.regions), story),
        allows(ChatFilter(topics=f.topics), story),
        allows(ChatFilter(keywords=f.keywords), story),
        allows(ChatFilter(sites=f.sites), story),
    ]
    assert allows(f, story) == all(each)
    assert each[0] == regions.matches(f.regions, story.countries, story.regions)
    assert each[1] == (f.topics.is_everything or bool(f.topics.ids & set(story.topics)))
    assert each[3] == (f.sites.ids is None or story.source_id in f.sites.ids)


@given(chat_filters(), stories())
@settings(deadline=None)
def test_an_excluded_word_in_the_story_stops_it_whatever_else(
    f: ChatFilter, story: StoryFacts
) -> None:
    """If the story holds one of the chat's excluded words, the chat never gets it."""
    if f.keywords.exclude and f.keywords.exclude[0] in story.words.keys:
        assert not allows(f, story)


@given(
    st.lists(
        st.tuples(st.integers(1, 10**6), chat_filters()), max_size=40, unique_by=lambda c: c[0]
    ),
    st.lists(stories(), min_size=1, max_size=3),
    st.frozensets(st.integers(1, 10**6), max_size=5),
)
@settings(max_examples=150, deadline=None)
def test_the_index_routes_exactly_like_asking_each_chat(
    chats: list[tuple[int, ChatFilter]], many: list[StoryFacts], have_url: frozenset[int]
) -> None:
    """ChatIndex.recipients gives the chats whose filter allows the story, minus have_url."""
    index = ChatIndex(chats)
    for story in many:
        want = sorted(c for c, f in chats if allows(f, story) and c not in have_url)
        assert sorted(index.recipients(story, have_url=have_url)) == want
        assert list(recipients(story, chats, have_url=have_url)) == [
            c for c, f in chats if allows(f, story) and c not in have_url
        ]


@pytest.mark.parametrize("count", [0, 1, 1000])
def test_the_index_counts_its_chats(count: int) -> None:
    """The index knows how many chats it holds, and the chats that chose nothing get all."""
    index = ChatIndex((i, ChatFilter()) for i in range(count))
    assert index.size == count
    assert len(index.recipients(FOOTBALL)) == count
    assert Classification() == Classification()


@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.one_of(st.none(), chat_filters())),
        max_size=40,
    ),
    stories(),
)
@settings(max_examples=150, deadline=None)
def test_an_index_kept_current_routes_like_a_fresh_one(
    changes: list[tuple[int, ChatFilter | None]], story: StoryFacts
) -> None:
    """Setting and removing chats one by one leaves the index routing exactly like one built
    from the chats as they end up (None: the chat leaves)."""
    index = ChatIndex()
    final: dict[int, ChatFilter] = {}
    for chat_id, f in changes:
        if f is None:
            index.remove(chat_id)
            final.pop(chat_id, None)
        else:
            index.set(chat_id, f)
            final[chat_id] = f
    fresh = ChatIndex(final.items())
    assert index.size == fresh.size == len(final)
    assert sorted(index.recipients(story)) == sorted(fresh.recipients(story))
    assert sorted(index.recipients(story)) == sorted(
        c for c, f in final.items() if allows(f, story)
    )


def test_words_a_chat_adds_after_stories_were_routed_are_matched() -> None:
    """An index that has routed stories still matches the words of a chat set afterwards."""
    index = ChatIndex([(1, ChatFilter(keywords=parse_keywords("-football")))])
    assert index.recipients(CHILE_STRIKE) == [1]
    index.set(2, ChatFilter(keywords=parse_keywords("+strikes")))
    index.set(1, ChatFilter(keywords=parse_keywords("+copper")))
    assert sorted(index.recipients(CHILE_STRIKE)) == [1, 2]
    assert index.recipients(FOOTBALL) == []


@given(st.one_of(st.none(), st.frozensets(st.integers(1, 10**9))))
@settings(deadline=None)
def test_sites_stored_form_round_trips(ids: frozenset[int] | None) -> None:
    """NULL keeps "every site, also new ones"; a chosen set (even empty) reads back the same."""
    f = SiteFilter(ids)
    assert sites_from_text(sites_to_text(f)) == f
