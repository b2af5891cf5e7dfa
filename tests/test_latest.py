"""/latest honours every filter of the chat and takes topics as it takes regions: the parser
and the filter (bot.core.latest, pure) and the command against a real store and the fake Bot
API (tests/support/chat_harness.py)."""

from __future__ import annotations

import random
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import i18n, regions
from bot.core.chat_filters import ChatFilter, SiteFilter
from bot.core.chat_settings import ChatSettings
from bot.core.keywords import parse_keywords
from bot.core.latest import LatestError, parse_latest, passes
from bot.core.models import Article, ChatKind, ParsedFeed, ParsedItem, SourceSpec
from bot.core.polling import Fetched, PollKnowledge, PollRules, decide_poll
from bot.core.topics import TopicFilter
from bot.store import Store
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram

ANN = 801


# ---------------------------------------------------------------------- the parser (pure)


def test_a_topic_is_named_as_a_region_is() -> None:
    """/latest labour: that topic, every region, the default count."""
    request = parse_latest(["labour"])
    assert request.named == ChatFilter(topics=TopicFilter(frozenset({"labour"})))
    assert request.count == 5


def test_regions_topics_and_a_count_together() -> None:
    """/latest chile labour 10 and /latest latin america war economy 3: AND of what is named."""
    request = parse_latest(["chile", "labour", "10"])
    assert request.named == ChatFilter(
        regions=regions.parse_filter("chile"), topics=TopicFilter(frozenset({"labour"}))
    )
    assert request.count == 10
    mixed = parse_latest(["latin", "america", "war", "and", "economy", "3"])
    assert mixed.named is not None
    assert mixed.named.regions == regions.parse_filter("latin america")
    assert mixed.named.topics.ids == {"war", "economy"}
    assert mixed.count == 3


@pytest.mark.parametrize(
    ("words", "topic"),
    [
        ("trabajo", "labour"),
        ("trabalho", "labour"),
        ("travail", "labour"),
        ("Krieg", "war"),
        ("Экология", "environment"),
        ("medio ambiente", "environment"),
    ],
)
def test_topic_names_are_understood_in_every_language(words: str, topic: str) -> None:
    """Topic names in the six languages (and two-word names) are read as topics."""
    request = parse_latest([*words.split(), "chile"])
    assert request.named is not None
    assert request.named.topics.ids == {topic}
    assert request.named.regions == regions.parse_filter("chile")


def test_no_names_means_the_chats_own_filter_and_all_means_everything() -> None:
    """/latest and /latest 7 use the chat's filter; /latest all everything; all + a topic: that
    topic everywhere."""
    assert parse_latest([]).named is None
    assert parse_latest(["7"]).named is None
    assert parse_latest(["all"]).named == ChatFilter()
    assert parse_latest(["all", "war"]).named == ChatFilter(topics=TopicFilter(frozenset({"war"})))


def test_an_unknown_word_is_refused_quoting_what_was_typed() -> None:
    """A word that is neither a place nor a topic is quoted exactly, and topics are offered."""
    with pytest.raises(LatestError) as caught:
        parse_latest(["chile", "Quuxland", "labour"])
    assert "'Quuxland'" in caught.value.message
    assert "You can also name a topic: Labour, Politics, War" in caught.value.message
    with pytest.raises(LatestError) as zero:
        parse_latest(["labour", "0"])
    assert zero.value.message.startswith("Usage: /latest [region] [topic] [N]")


def test_the_parser_speaks_the_chats_language() -> None:
    """The refusal and its topic names come in the language of the update."""
    i18n.use("es")
    try:
        with pytest.raises(LatestError) as caught:
            parse_latest(["Quuxland"])
    finally:
        i18n.use(None)
    assert "'Quuxland'" in caught.value.message
    assert "Trabajo" in caught.value.message


# ---------------------------------------------------------------------- the filter (pure)


def stored(
    title: str, *, topics: tuple[str, ...], countries: tuple[str, ...], site: int = 1
) -> Article:
    found = regions.classify(title, "", (), None, "en")
    assert found.countries == countries
    return Article(
        id=1,
        source_id=site,
        source_name="News",
        key=title,
        title=title,
        summary="",
        url=None,
        published=None,
        seen_at=datetime(2026, 12, 1, tzinfo=UTC),
        countries=found.countries,
        regions=found.regions,
        topics=topics,
        language="en",
    )


def test_a_stored_article_passes_as_routing_would_decide() -> None:
    """Sites, topics, regions and words (stemmed, excluded words winning) all apply."""
    strikes = stored("Chile: dockers strikes spread", topics=("labour",), countries=("CL",))
    latam_labour = ChatFilter(
        regions=regions.parse_filter("latin america"), topics=TopicFilter(frozenset({"labour"}))
    )
    assert passes(latam_labour, strikes)
    assert not passes(replace(latam_labour, sites=SiteFilter(frozenset({2}))), strikes)
    assert passes(ChatFilter(keywords=parse_keywords("+strike")), strikes)
    assert not passes(ChatFilter(keywords=parse_keywords("+strike -dockers")), strikes)
    assert not passes(ChatFilter(topics=TopicFilter(frozenset({"war"}))), strikes)


# -------------------------------------------------------------- the command (store + Bot API)

STORIES = (
    ("Chile: copper miners strike at Escondida", "Workers walk out over wages."),
    ("Chile: elections bring a new president", "The right wins the runoff vote."),
    ("France: rail workers strike against the pension reform", "Unions call a walkout."),
    ("Football: Chile win the cup", "Miners celebrate in Santiago."),
)


async def _articles(store: Store) -> tuple[int, int]:
    """The stories of two sites, stored as a poll stores them (places and topics decided)."""
    sources = await store.sources.sync_sources(
        [
            SourceSpec("Red News", "https://red.example/feed"),
            SourceSpec("Blue", "https://blue.example/f"),
        ]
    )
    for n, (title, summary) in enumerate(STORIES):
        source = sources[n % 2]
        item = ParsedItem(f"k{n}", title, summary, f"https://news.example/{n}", None)
        feed = Fetched(feed=ParsedFeed("rss2.0", None, None, (item,)))
        intent = decide_poll(source, feed, PollKnowledge(), time.time() + n, PollRules(60))
        await store.polls.apply_poll(replace(intent, baseline=False, update=None))
    return sources[0].id, sources[1].id


async def _choose(store: Store, chat_id: int, change: ChatSettings) -> None:
    await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=time.time(), title="Ann")
    await store.chats.change_settings(chat_id, lambda _s: change, now=time.time())


async def test_latest_honours_the_chats_topics_words_and_sites(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A chat with topic labour sees the strikes, not the election; -football and one site
    narrow it further; /latest all still shows everything."""
    async with harness(telegram, tmp_path) as h:
        red, _blue = await _articles(h.store)
        await _choose(h.store, ANN, ChatSettings(topics=TopicFilter(frozenset({"labour"}))))
        await h.send(ANN, ANN, "/latest")
        answer = h.last(ANN).text
        assert "copper miners strike" in answer
        assert "rail workers strike" in answer
        assert "elections" not in answer
        assert "Labour" in answer.splitlines()[0]
        assert "What this chat gets. /latest all shows everything." in answer
        words = ChatSettings(keywords=parse_keywords("+miners -football"))
        await _choose(h.store, ANN, words)
        await h.send(ANN, ANN, "/latest")
        answer = h.last(ANN).text
        assert "copper miners strike" in answer
        assert "Football" not in answer
        assert "rail workers" not in answer
        await _choose(h.store, ANN, ChatSettings(sites=SiteFilter(frozenset({red}))))
        await h.send(ANN, ANN, "/latest 10")
        answer = h.last(ANN).text
        assert "Red News" in answer.splitlines()[0]
        assert "copper miners" in answer
        assert "rail workers" in answer
        assert "Football" not in answer  # the other site's
        assert "elections" not in answer
        await h.send(ANN, ANN, "/latest all")
        assert all(title in h.last(ANN).text for title, _ in STORIES[:1])
        assert "elections" in h.last(ANN).text


async def test_latest_with_named_regions_and_topics(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/latest chile labour 10 lists the Chilean strike only; /latest labour both strikes; an
    unknown word is refused, quoted; nothing found says what was asked."""
    async with harness(telegram, tmp_path) as h:
        await _articles(h.store)
        await h.send(ANN, ANN, "/latest chile labour 10")
        answer = h.last(ANN).text
        assert answer.splitlines()[0] == "The latest story: Chile · Labour"
        assert "copper miners" in answer
        assert "rail workers" not in answer
        await h.send(ANN, ANN, "/latest labour")
        assert "rail workers" in h.last(ANN).text
        assert "elections" not in h.last(ANN).text
        await h.send(ANN, ANN, "/latest chile Quuxland")
        assert h.last(ANN).text.startswith("I don't know 'Quuxland'")
        await h.send(ANN, ANN, "/latest russia theory")
        assert h.last(ANN).text == "No recent articles about Russia · Theory."


async def test_a_filtered_latest_stays_bounded_over_many_articles(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """With thousands of newer articles of another site and topic, /latest still finds the
    chat's own (the site and topic conditions are the database's, not a scan's)."""
    async with harness(telegram, tmp_path) as h:
        red, _blue = await _articles(h.store)
        [other] = [s for s in await h.store.sources.sources() if s.id != red][:1]
        rng = random.Random(5)
        now = time.time() + 100
        items = tuple(
            ParsedItem(f"x{n}", f"Budget vote number {rng.randint(0, 10**6)}", "", None, None)
            for n in range(2500)
        )
        feed = Fetched(feed=ParsedFeed("rss2.0", None, None, items))
        intent = decide_poll(other, feed, PollKnowledge(), now, PollRules(60))
        await h.store.polls.apply_poll(replace(intent, baseline=False, update=None))
        await _choose(
            h.store,
            ANN,
            ChatSettings(
                topics=TopicFilter(frozenset({"labour"})), sites=SiteFilter(frozenset({red}))
            ),
        )
        await h.send(ANN, ANN, "/latest")
        assert "copper miners strike" in h.last(ANN).text


# python-telegram-bot splits a command's arguments at whitespace: a word holds none.
WORD = st.text(st.characters(blacklist_categories=("Z", "Cc", "Cs")), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(WORD, max_size=6))
def test_any_typed_words_give_a_request_or_a_one_line_refusal(words: list[str]) -> None:
    """Whatever is typed after /latest, the answer is a request or a LatestError, never a crash."""
    refusal = ""
    try:
        request = parse_latest(words)
    except LatestError as exc:
        refusal = exc.message
    else:
        assert 1 <= request.count <= 20
        return
    assert refusal
    assert "\n" not in refusal
