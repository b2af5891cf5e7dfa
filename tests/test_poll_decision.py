"""Deciding a poll (bot.core.polling.decide_poll): pure, no HTTP, no database, ``now`` given."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.chat_filters import story_facts
from bot.core.models import (
    Chat,
    ChatKind,
    Classification,
    ParsedFeed,
    ParsedItem,
    RegionFilter,
    Source,
)
from bot.core.polling import (
    Fetched,
    FetchFailure,
    PollFailed,
    PollKnowledge,
    PollNotice,
    PollRules,
    PollSucceeded,
    decide_poll,
)
from bot.core.routing import Router, recipients

NOW = 1_800_000_000.0
RUSSIA = Classification(("RU",), ("151", "150"))


def story(n: int, *, day: int | None = None, url: str | None = None) -> ParsedItem:
    return ParsedItem(
        key=f"k{n}",
        title=f"Story {n}",
        summary="",
        url=url if url is not None else f"https://news.example/{n}",
        published=datetime(2026, 1, day, tzinfo=UTC) if day is not None else None,
    )


def feed(*items: ParsedItem, title: str | None = "Example News") -> Fetched:
    return Fetched(feed=ParsedFeed(format="rss2.0", title=title, link=None, items=items))


def chat(chat_id: int, *ids: str) -> Chat:
    return Chat(
        id=chat_id,
        kind=ChatKind.PRIVATE,
        title=None,
        username=None,
        thread_id=None,
        subscribed=True,
        region_filter=RegionFilter(frozenset(ids)),
        link_previews=True,
    )


SOURCE = replace(Source.unsaved("https://news.example/feed", name="Example"), id=3)
POLLED = replace(SOURCE, baseline_done=True)
RULES = PollRules(interval=60, classify=lambda _item, _source: RUSSIA, rng=random.Random(1))
CHATS = (chat(1), chat(2, "RU"), chat(3, "latin-america"))


def test_the_first_document_is_a_baseline_sent_to_nobody() -> None:
    """A source's first document: every item recorded, oldest first, none queued for any chat."""
    intent = decide_poll(
        SOURCE, feed(story(2, day=2), story(1, day=1)), PollKnowledge(), NOW, RULES
    )
    assert intent.baseline
    assert PollNotice.BASELINE in intent.notices
    assert [a.item.key for a in intent.articles] == ["k1", "k2"]
    assert all(a.recipients == () for a in intent.articles)
    assert (intent.items, intent.source_id) == (2, 3)


def test_new_items_go_to_the_chats_whose_filter_lets_them_through() -> None:
    """After the baseline a new item is routed by region: all and Russia, not Latin America."""
    known = PollKnowledge(known=frozenset({"k1"}), chats=CHATS)
    intent = decide_poll(POLLED, feed(story(2), story(1)), known, NOW, RULES)
    assert not intent.baseline
    [article] = intent.articles
    assert (article.item.key, article.classification, article.recipients) == ("k2", RUSSIA, (1, 2))


def test_items_arriving_out_of_order_are_decided_oldest_first() -> None:
    """Dated items are ordered by date; undated ones keep the reverse of the document order."""
    dated = feed(story(5, day=5), story(7, day=7), story(2, day=2))
    undated = feed(story(3), story(2), story(1))
    assert [
        a.item.key for a in decide_poll(POLLED, dated, PollKnowledge(), NOW, RULES).articles
    ] == [
        "k2",
        "k5",
        "k7",
    ]
    assert [
        a.item.key for a in decide_poll(POLLED, undated, PollKnowledge(), NOW, RULES).articles
    ] == [
        "k1",
        "k2",
        "k3",
    ]


def test_a_link_repeated_within_a_document_is_one_article() -> None:
    """Two items with the same canonical link (a duplicated guid) make one new article."""
    twice = feed(
        story(1, url="https://news.example/same"), story(2, url="https://news.example/same")
    )
    intent = decide_poll(POLLED, twice, PollKnowledge(chats=CHATS), NOW, RULES)
    assert [a.item.key for a in intent.articles] == ["k2"]


def test_pruned_items_are_not_new_again() -> None:
    """An item whose key outlived its pruned row is not recorded or sent again."""
    known = PollKnowledge(pruned=frozenset({"k1"}), chats=CHATS)
    intent = decide_poll(POLLED, feed(story(2), story(1)), known, NOW, RULES)
    assert [a.item.key for a in intent.articles] == ["k2"]


def test_a_chat_that_has_the_link_from_another_source_is_left_out() -> None:
    """A chat with the same link queued or sent (through another source) does not get it again."""
    known = PollKnowledge(chats=CHATS, have_url={"https://news.example/1": frozenset({1})})
    [article] = decide_poll(POLLED, feed(story(1)), known, NOW, RULES).articles
    assert article.recipients == (2,)


def test_a_successful_poll_stores_validators_and_schedules_the_next() -> None:
    """A 200: validators, digest and feed title kept; next poll one interval (or max-age) later."""
    fetched = replace(feed(story(1)), etag='"v2"', body_hash="abc", max_age=600)
    intent = decide_poll(replace(POLLED, failures=3), fetched, PollKnowledge(), NOW, RULES)
    assert intent.update == PollSucceeded(
        next_poll_at=NOW + 600,
        etag='"v2"',
        last_modified=None,
        body_hash="abc",
        feed_title="Example News",
    )


def test_not_modified_records_nothing_but_the_poll() -> None:
    """A 304 (or the same body as last time) adds no article and says the body was the same."""
    same = Fetched(feed=None, etag='"v1"', body_hash="abc")
    intent = decide_poll(POLLED, same, PollKnowledge(), NOW, RULES)
    assert (intent.articles, intent.baseline, intent.items) == ((), False, 0)
    assert intent.notices == (PollNotice.SAME_BODY,)
    assert isinstance(intent.update, PollSucceeded)
    assert intent.update.next_poll_at == NOW + 60


def test_a_moved_source_is_polled_at_its_new_address() -> None:
    """A permanent redirect (or a discovered feed) moves the source for good."""
    moved = replace(feed(story(1)), moved_to="https://news.example/feed.xml")
    intent = decide_poll(POLLED, moved, PollKnowledge(), NOW, RULES)
    assert isinstance(intent.update, PollSucceeded)
    assert intent.update.moved_to == "https://news.example/feed.xml"
    assert PollNotice.MOVED in intent.notices


def test_a_failure_backs_off_and_keeps_when_the_outage_began() -> None:
    """One more failure: counted, the reason kept, backed off, the outage's start unchanged."""
    failing = replace(POLLED, failures=2, failing_since=NOW - 500)
    intent = decide_poll(failing, FetchFailure("HTTP 503"), PollKnowledge(), NOW, RULES)
    update = intent.update
    assert isinstance(update, PollFailed)
    assert (update.failures, update.error, update.failing_since) == (3, "HTTP 503", NOW - 500)
    assert NOW + 120 <= update.next_poll_at <= NOW + 240  # equal jitter over 60 s x 2**2
    assert intent.articles == ()


def test_a_first_failure_starts_the_outage_and_retry_after_is_a_floor() -> None:
    """The first failure starts the outage now; a server's Retry-After is waited at least."""
    intent = decide_poll(
        POLLED, FetchFailure("HTTP 429", retry_after=3600), PollKnowledge(), NOW, RULES
    )
    update = intent.update
    assert isinstance(update, PollFailed)
    assert (update.failures, update.failing_since, update.next_poll_at) == (1, NOW, NOW + 3600)


def test_a_gone_source_is_disabled() -> None:
    """410 Gone disables the source and says so."""
    intent = decide_poll(POLLED, FetchFailure("HTTP 410", gone=True), PollKnowledge(), NOW, RULES)
    assert isinstance(intent.update, PollFailed)
    assert intent.update.disable
    assert intent.notices == (PollNotice.DISABLED,)


def test_recipients_follow_each_chats_region_filter() -> None:
    """Routing: an empty filter takes everything; a region filter only stories inside it."""
    in_russia = story_facts(source_id=3, title="", summary="", places=RUSSIA)
    brazil = Classification(("BR",), ("419", "latin-america"))
    in_brazil = story_facts(source_id=3, title="", summary="", places=brazil)
    assert recipients(in_russia, CHATS) == (1, 2)
    assert recipients(in_brazil, CHATS) == (1, 3)
    assert recipients(in_russia, CHATS, have_url={2}) == (1,)
    assert recipients(in_russia, CHATS, have_url={2}, router=Router()) == (1,)


keys = st.integers(min_value=0, max_value=12)


@settings(max_examples=200, deadline=None)
@given(
    document=st.lists(st.tuples(keys, keys), max_size=12),
    known=st.frozensets(keys),
    pruned=st.frozensets(keys),
    have=st.dictionaries(keys, st.frozensets(st.sampled_from([1, 2, 3]))),
    baselined=st.booleans(),
)
def test_no_article_is_decided_twice_or_sent_twice(
    document: list[tuple[int, int]],
    known: frozenset[int],
    pruned: frozenset[int],
    have: dict[int, frozenset[int]],
    baselined: bool,
) -> None:
    """Whatever the document and the store know: no known or pruned item is new, each link is
    new once, a baseline queues nothing, and no chat gets a link it already has."""
    items = tuple(story(key, url=f"https://news.example/{link}") for key, link in document)
    facts = PollKnowledge(
        known=frozenset(f"k{k}" for k in known),
        pruned=frozenset(f"k{k}" for k in pruned),
        chats=CHATS,
        have_url={f"https://news.example/{link}": chats for link, chats in have.items()},
    )
    source = replace(SOURCE, baseline_done=baselined)
    intent = decide_poll(source, feed(*items), facts, NOW, RULES)
    new_keys = [a.item.key for a in intent.articles]
    urls = [a.item.url for a in intent.articles]
    assert not set(new_keys) & (facts.known | facts.pruned)
    assert len(set(urls)) == len(urls)
    for article in intent.articles:
        if not baselined:
            assert article.recipients == ()
        assert not set(article.recipients) & facts.have_url.get(article.item.url or "", frozenset())
