"""Who gets a new article (bot.core.routing through decide_poll): each chat's whole filter,
regions AND topics AND keywords AND sites, with the real place and topic classifiers. Pure."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import regions
from bot.core.chat_filters import SiteFilter
from bot.core.chat_settings import DEFAULT_SETTINGS, ChatSettings
from bot.core.keywords import parse_keywords
from bot.core.models import Article, Chat, ChatKind, ParsedFeed, ParsedItem, RegionFilter, Source
from bot.core.polling import Fetched, PollKnowledge, PollRules, decide_poll
from bot.core.routing import Router, hashtags, recipients, story_of, topics_of_item
from bot.core.topics import TopicFilter

NOW = 1_800_000_000.0
SOURCE = replace(Source.unsaved("https://news.example/feed", name="News"), id=3, baseline_done=True)
OTHER_SITE = 4
# Telegram links a hashtag of letters, digits and underscores (not only digits).
HASHTAG = re.compile(r"^#\w*[^\W\d_]\w*$")


def item(key: str, title: str, summary: str = "", language: str | None = "en") -> ParsedItem:
    return ParsedItem(
        key=key,
        title=title,
        summary=summary,
        url=f"https://news.example/{key}",
        published=datetime(2026, 12, 1, tzinfo=UTC),
        language=language,
    )


STRIKE_CHILE = item("strike", "Chile: copper miners strike at Escondida", "Workers walk out.")
ELECTION_CHILE = item("vote", "Chile: elections bring a new president", "The right wins the vote.")
STRIKE_FRANCE = item("greve", "France: miners strike", "Workers walk out over wages.")
FOOTBALL = item("cup", "Football: Chile win the cup", "Miners celebrate.")
VENEZUELA_IN_VALENCIA = item(
    "ve",
    "Venezuela: Maduro encarcela a sindicalistas",
    "La detención fue condenada en un acto de solidaridad en Valencia.",
    "es",
)
HUELGAS = item("huelgas", "Las huelgas paralizan los puertos", "Los estibadores paran.", "es")


def chat(
    chat_id: int,
    region: str = "",
    *,
    topics: str = "",
    words: str = "",
    sites: frozenset[int] | None = None,
) -> Chat:
    settings = ChatSettings(
        topics=TopicFilter(frozenset(topics.split())),
        keywords=parse_keywords(words) if words else DEFAULT_SETTINGS.keywords,
        sites=SiteFilter(sites),
    )
    return Chat(
        id=chat_id,
        kind=ChatKind.PRIVATE,
        title=None,
        username=None,
        thread_id=None,
        subscribed=True,
        region_filter=regions.parse_filter(region) if region else RegionFilter(),
        link_previews=True,
        settings=settings,
    )


def routed(
    chats: tuple[Chat, ...], *items: ParsedItem, source: Source = SOURCE
) -> dict[str, set[int]]:
    """Each new item's recipients, decided as the poller decides (real classifiers)."""
    feed = Fetched(feed=ParsedFeed(format="rss2.0", title=None, link=None, items=items))
    rules = PollRules(interval=60, rng=random.Random(1))
    intent = decide_poll(source, feed, PollKnowledge(chats=chats), NOW, rules)
    return {a.item.key: set(a.recipients) for a in intent.articles}


def test_a_chat_with_a_topic_gets_only_stories_about_it() -> None:
    """A chat with topic labour gets the strike story and not the election story."""
    got = routed((chat(1, topics="labour"), chat(2)), STRIKE_CHILE, ELECTION_CHILE)
    assert got == {"strike": {1, 2}, "vote": {2}}


def test_regions_and_topics_combine_with_and() -> None:
    """Latin America + labour: labour stories from Latin America only."""
    chats = (chat(1, "latin america", topics="labour"),)
    got = routed(chats, STRIKE_CHILE, ELECTION_CHILE, STRIKE_FRANCE)
    assert got == {"strike": {1}, "vote": set(), "greve": set()}


def test_an_excluded_word_keeps_a_story_out() -> None:
    """-football excludes the football story and nothing else."""
    got = routed((chat(1, words="-football"),), FOOTBALL, STRIKE_CHILE)
    assert got == {"cup": set(), "strike": {1}}


def test_excluded_words_win_over_included_words_topics_and_regions() -> None:
    """A story with an excluded word is kept out even when everything else lets it through."""
    chats = (chat(1, "chile", topics="culture labour", words="+miners -football"),)
    assert routed(chats, FOOTBALL, STRIKE_CHILE) == {"cup": set(), "strike": {1}}


def test_included_words_narrow_and_match_stems_in_the_articles_language() -> None:
    """+huelga lets a Spanish story about "huelgas" through and keeps a story without it out."""
    got = routed((chat(1, words="+huelga"),), HUELGAS, ELECTION_CHILE)
    assert got == {"huelgas": {1}, "vote": set()}


def test_a_chat_that_chose_sites_gets_nothing_from_the_others() -> None:
    """Sites narrowed to one source: its stories arrive, another source's do not."""
    chats = (chat(1, sites=frozenset({OTHER_SITE})), chat(2, sites=frozenset({SOURCE.id})))
    assert routed(chats, STRIKE_CHILE) == {"strike": {2}}
    other = replace(SOURCE, id=OTHER_SITE)
    assert routed(chats, STRIKE_CHILE, source=other) == {"strike": {1}}


def test_a_story_about_venezuela_set_in_valencia_goes_to_latin_america() -> None:
    """Places come from what the story is about: Venezuela (Latin America), not Valencia."""
    chats = (chat(1, "latin america", topics="labour"), chat(2, "europe"), chat(3, "spain"))
    assert routed(chats, VENEZUELA_IN_VALENCIA) == {"ve": {1}}


def test_new_articles_carry_their_topics_and_a_baseline_goes_to_nobody() -> None:
    """Every new article's topics are decided with it, on the first poll too (sent to nobody)."""
    first = replace(SOURCE, baseline_done=False)
    feed = Fetched(feed=ParsedFeed("rss2.0", None, None, (STRIKE_CHILE, ELECTION_CHILE)))
    intent = decide_poll(first, feed, PollKnowledge(chats=(chat(1),)), NOW, PollRules(60))
    assert {a.item.key: (a.topics, a.recipients) for a in intent.articles} == {
        "strike": (("labour",), ()),
        "vote": (("politics",), ()),
    }


FILTERS = st.sampled_from(
    [
        {},
        {"region": "latin america"},
        {"region": "europe"},
        {"topics": "labour"},
        {"topics": "politics culture"},
        {"words": "-football"},
        {"words": "+strike +huelga"},
        {"sites": frozenset({3})},
        {"sites": frozenset({4})},
        {"region": "chile", "topics": "labour", "words": "-cup"},
    ]
)
CHAT_SETS = st.lists(st.tuples(st.integers(1, 30), FILTERS), max_size=30).map(
    lambda pairs: tuple(
        chat(i, **f)  # type: ignore[arg-type]
        for i, f in dict(pairs).items()
    )
)
STORIES = [STRIKE_CHILE, ELECTION_CHILE, STRIKE_FRANCE, FOOTBALL, VENEZUELA_IN_VALENCIA, HUELGAS]


@settings(max_examples=60, deadline=None)
@given(st.lists(CHAT_SETS, min_size=1, max_size=4), st.sets(st.integers(1, 30), max_size=5))
def test_the_router_answers_as_each_chats_filter_does(
    polls: list[tuple[Chat, ...]], have: set[int]
) -> None:
    """Kept from poll to poll (chats joining, leaving, changing filters), the router chooses
    exactly the chats whose own filter lets the story through."""
    router = Router()
    for chats in polls:
        for entry in STORIES:
            places = regions.classify(entry.title, entry.summary, (), None, entry.language)
            story = story_of(entry, SOURCE, places, topics_of_item(entry, SOURCE))
            once = recipients(story, chats, have_url=have)
            assert router.recipients(story, chats, have_url=have) == once
        assert router.size == len(chats)


def article(countries: tuple[str, ...], topics: tuple[str, ...]) -> Article:
    return Article(
        id=1,
        source_id=3,
        source_name="News",
        key="k",
        title="t",
        summary="",
        url=None,
        published=None,
        seen_at=datetime(2026, 12, 1, tzinfo=UTC),
        countries=countries,
        topics=topics,
    )


def test_hashtags_show_places_then_topics() -> None:
    """Under a teaser: the places, then the topics in the taxonomy's order."""
    tags = hashtags(article(("CL",), ("economy", "labour")))
    assert tags == ["#Chile", "#LatinAmerica", "#Labour", "#Economy"]
    assert hashtags(article((), ())) == []


def test_hashtags_name_topics_in_the_chats_language_as_valid_hashtags() -> None:
    """In a chat's language the topics are translated, each a hashtag Telegram links."""
    every = ("labour", "politics", "war", "economy", "environment", "rights", "theory", "culture")
    for language in ("en", "de", "es", "fr", "pt", "ru"):
        tags = hashtags(article(("RU",), every), language)
        assert len(tags) == len(hashtags(article(("RU",), ()))) + len(every)
        assert all(HASHTAG.match(tag) for tag in tags), tags
    assert "#MedioAmbiente" in hashtags(article((), ("environment",)), "es")
    assert hashtags(article((), ("labour",)), "ru") == ["#Труд"]
