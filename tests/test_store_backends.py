"""The store's verbs behave the same on both backends: SQLite and a real PostgreSQL server.

Every test runs twice (``[sqlite]`` and ``[postgresql]``). Articles and outbox rows are seeded
with plain SQL, or through a poll (``tests/support/seeding.py``) where the poll is what is tested.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime

import asyncpg
import pytest

from bot.core.chat_filters import ChatFilter, SiteFilter
from bot.core.chat_schedule import DailyAt, QuietHours
from bot.core.chat_settings import ChatSettings
from bot.core.errors import StoreError
from bot.core.keywords import parse_keywords
from bot.core.models import (
    ChatKind,
    Classification,
    HtmlSelectors,
    NewArticle,
    ParsedFeed,
    ParsedItem,
    RegionFilter,
    Source,
    SourceKind,
    SourceSpec,
)
from bot.core.polling import Fetched, PollIntent, PollRules, decide_poll
from bot.core.post_format import PostFormat
from bot.core.topics import TopicFilter
from bot.store import CANNOT_POST, AppliedPoll
from bot.store.postgres import PostgresStore
from bot.store.protocol import StoreVerbs
from tests.support.seeding import poll_error, poll_items, poll_ok
from tests.support.store_rows import NOW, add_article, pruned_key_count, queue, sent_count, sql

FEED = "https://news.example/feed"
OTHER = "https://other.example/feed"


@pytest.fixture
def store(backend_store: StoreVerbs) -> StoreVerbs:
    """A fresh store on each backend (tests/conftest.py)."""
    return backend_store


# ------------------------------------------------------------------------------ seeding


async def add_source(store: StoreVerbs, url: str = FEED, name: str = "News") -> int:
    """The one configured source; its id."""
    [source] = await store.sources.sync_sources([SourceSpec(name=name, url=url)])
    return source.id


async def add_sources(store: StoreVerbs, *names_and_urls: tuple[str, str]) -> list[int]:
    """The configured sources; their ids."""
    specs = [SourceSpec(name=name, url=url) for name, url in names_and_urls]
    return [source.id for source in await store.sources.sync_sources(specs)]


async def subscriber(store: StoreVerbs, chat_id: int, kind: ChatKind = ChatKind.PRIVATE) -> None:
    """A subscribed chat."""
    await store.chats.upsert_chat(chat_id, kind, now=NOW, title=f"chat {chat_id}")
    await store.chats.set_subscribed(chat_id, True, now=NOW)


# ------------------------------------------------------------------------------ sources


async def test_sync_adds_updates_and_disables_configured_sources(store: StoreVerbs) -> None:
    """Syncing makes the configured sources present and disables those no longer configured."""
    selectors = HtmlSelectors(item="article", title="h2", link="a")
    first = await store.sources.sync_sources(
        [
            SourceSpec(name="News", url=FEED, region="Britain", language="en"),
            SourceSpec(name="Page", url=OTHER, kind=SourceKind.HTML, selectors=selectors),
        ]
    )
    assert [(s.name, s.enabled) for s in first] == [("News", True), ("Page", True)]
    assert first[1].selectors == selectors
    assert first[0].region == "Britain"
    assert first[0].language == "en"
    second = await store.sources.sync_sources([SourceSpec(name="Renamed", url=FEED)])
    assert [(s.id, s.name, s.enabled) for s in second] == [
        (first[0].id, "Renamed", True),
        (first[1].id, "Page", False),
    ]
    third = await store.sources.sync_sources([SourceSpec(name="Page", url=OTHER)])
    assert [s.enabled for s in third] == [False, True]
    assert await store.sources.source(first[1].id) == third[1]
    assert await store.sources.source(999_999) is None


async def test_due_sources_and_the_next_claim_time(store: StoreVerbs) -> None:
    """New sources are due at once; paused ones do not count."""
    first, second = await add_sources(store, ("News", FEED), ("Other", OTHER))
    assert [s.id for s in await store.sources.due_sources(NOW)] == [first, second]
    assert await store.sources.next_claim_time() == 0.0
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW + 60, first)
    assert [s.id for s in await store.sources.due_sources(NOW)] == [second]
    assert await store.sources.set_source_paused(second, True)
    assert await store.sources.due_sources(NOW) == []
    assert await store.sources.next_claim_time() == NOW + 60


async def test_a_ping_makes_an_active_source_due_now(store: StoreVerbs) -> None:
    """make_source_due moves an active source's next poll to now; never a paused or unknown one."""
    ids = await add_sources(store, ("A", FEED), ("B", OTHER))
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id IN (?, ?)", NOW + 600, *ids)
    assert await store.sources.make_source_due(ids[0], NOW)
    assert [s.id for s in await store.sources.due_sources(NOW)] == [ids[0]]
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW - 5, ids[0])
    assert await store.sources.make_source_due(ids[0], NOW)  # already due sooner: kept
    assert await store.sources.next_claim_time() == NOW - 5
    await store.sources.set_source_paused(ids[1], True)
    assert not await store.sources.make_source_due(ids[1], NOW)
    assert not await store.sources.make_source_due(999, NOW)
    assert [s.id for s in await store.sources.due_sources(NOW)] == [ids[0]]


LEASE = 60.0


async def test_claiming_leases_the_most_overdue_due_sources_until_the_lease_runs_out(
    store: StoreVerbs,
) -> None:
    """A claim takes due sources no one holds, most overdue first; a run-out lease frees them."""
    ids = await add_sources(store, ("A", FEED), ("B", OTHER), ("C", "https://c.example/feed"))
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW - 5, ids[2])
    first = await store.sources.claim_due_sources(NOW, owner="p1", lease_s=LEASE, limit=2)
    assert [s.id for s in first] == [ids[0], ids[1]]  # next_poll_at 0 before NOW - 5
    second = await store.sources.claim_due_sources(NOW + 1, owner="p2", lease_s=LEASE, limit=5)
    assert [s.id for s in second] == [ids[2]]
    assert await store.sources.claim_due_sources(NOW + 2, owner="p3", lease_s=LEASE, limit=5) == []
    assert await store.sources.leases() == {
        ids[0]: ("p1", NOW + LEASE),
        ids[1]: ("p1", NOW + LEASE),
        ids[2]: ("p2", NOW + 1 + LEASE),
    }
    late = await store.sources.claim_due_sources(NOW + LEASE, owner="p3", lease_s=LEASE, limit=5)
    assert [s.id for s in late] == [ids[0], ids[1]]  # p1 died: its leases ran out


async def test_claims_skip_sources_not_due_paused_or_disabled(store: StoreVerbs) -> None:
    """A source not due yet, paused or disabled is never claimed."""
    ids = await add_sources(store, *((f"S{n}", f"https://s{n}.example/feed") for n in range(4)))
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW + 5, ids[0])
    await store.sources.set_source_paused(ids[1], True)
    await store.sources.sync_sources(
        [SourceSpec(name=f"S{n}", url=f"https://s{n}.example/feed") for n in (0, 1, 3)]
    )
    claimed = await store.sources.claim_due_sources(NOW, owner="p", lease_s=LEASE, limit=10)
    assert [s.id for s in claimed] == [ids[3]]


async def test_only_the_owner_renews_or_releases_a_lease(store: StoreVerbs) -> None:
    """Renewing and releasing touch the owner's leases only; a released source is free at once."""
    ids = await add_sources(store, ("News", FEED), ("Other", OTHER))
    await store.sources.claim_due_sources(NOW, owner="a", lease_s=LEASE, limit=2)
    assert await store.sources.renew_leases(ids, owner="b", until=NOW + 999) == []
    assert await store.sources.renew_leases(ids, owner="a", until=NOW + 999) == ids
    assert await store.sources.release_sources(ids, owner="b") == 0
    assert await store.sources.release_sources(ids[:1], owner="a") == 1
    again = await store.sources.claim_due_sources(NOW, owner="b", lease_s=LEASE, limit=5)
    assert [s.id for s in again] == ids[:1]
    assert await store.sources.leases() == {ids[0]: ("b", NOW + LEASE), ids[1]: ("a", NOW + 999)}


async def test_a_polls_result_ends_its_lease(store: StoreVerbs) -> None:
    """Recording a poll (success or failure) ends the lease; the source is due at its new time."""
    ids = await add_sources(store, ("News", FEED), ("Other", OTHER))
    await store.sources.claim_due_sources(NOW, owner="a", lease_s=LEASE, limit=2)
    await poll_ok(store, ids[0], now=NOW + 1, next_poll_at=NOW + 30)
    await poll_error(store, ids[1], now=NOW + 1, next_poll_at=NOW + 40, error="timed out")
    assert await store.sources.leases() == {}
    assert await store.sources.next_claim_time() == NOW + 30
    claimed = await store.sources.claim_due_sources(NOW + 30, owner="b", lease_s=LEASE, limit=5)
    assert [s.id for s in claimed] == ids[:1]


async def test_the_next_claim_time_waits_for_leases_held(store: StoreVerbs) -> None:
    """While every due source is held, the next claim is when the first lease runs out."""
    ids = await add_sources(store, ("News", FEED), ("Other", OTHER))
    assert await store.sources.next_claim_time() == 0.0
    await store.sources.claim_due_sources(NOW, owner="a", lease_s=LEASE, limit=1)
    assert await store.sources.next_claim_time() == 0.0  # the other one is free
    await store.sources.claim_due_sources(NOW + 1, owner="a", lease_s=LEASE, limit=1)
    assert await store.sources.next_claim_time() == NOW + LEASE
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW + 500, ids[0])
    assert await store.sources.next_claim_time() == NOW + 1 + LEASE
    for source_id in ids:
        await store.sources.set_source_paused(source_id, True)
    assert await store.sources.next_claim_time() is None


async def test_followed_sites_show_feed_titles_of_enabled_unpaused_sources(
    store: StoreVerbs,
) -> None:
    """People see each enabled source by its feed's own title when known, sorted by name."""
    first, _ = await add_sources(store, ("zeta", FEED), ("Alpha", OTHER))
    await sql(store, "UPDATE sources SET feed_title = ? WHERE id = ?", "Morning Star", first)
    assert await store.sources.followed_sites() == [("Alpha", OTHER), ("Morning Star", FEED)]
    await store.sources.set_source_paused(first, True)
    assert await store.sources.followed_sites() == [("Alpha", OTHER)]


# -------------------------------------------------------------------------------- chats


async def test_upsert_creates_then_refreshes_a_chat(store: StoreVerbs) -> None:
    """A chat is created with defaults; a second upsert refreshes title and username only."""
    chat = await store.chats.upsert_chat(-100, ChatKind.GROUP, now=NOW, title="Old", username="old")
    assert (chat.kind, chat.title, chat.subscribed, chat.link_previews) == (
        ChatKind.GROUP,
        "Old",
        False,
        True,
    )
    await store.chats.set_subscribed(-100, True, now=NOW, thread_id=7)
    again = await store.chats.upsert_chat(-100, ChatKind.SUPERGROUP, now=NOW + 1, title="New")
    assert (again.kind, again.title, again.username) == (ChatKind.SUPERGROUP, "New", None)
    assert (again.subscribed, again.thread_id) == (True, 7)
    assert await store.chats.chat(-101) is None


async def test_settings_of_a_chat_are_stored(store: StoreVerbs) -> None:
    """Region filter, silence, language and link previews are kept per chat."""
    await store.chats.upsert_chat(5, ChatKind.PRIVATE, now=NOW)
    await store.chats.set_region_filter(5, RegionFilter(frozenset({"europe", "africa"})), NOW)
    await store.chats.set_silent(5, True, NOW)
    await store.chats.set_language(5, "es", NOW)
    await store.chats.set_link_previews(5, False, NOW)
    chat = await store.chats.chat(5)
    assert chat is not None
    assert chat.region_filter.ids == frozenset({"europe", "africa"})
    assert (chat.silent, chat.language, chat.link_previews) == (True, "es", False)
    assert await store.chats.language(5) == "es"
    await store.chats.set_language(5, None, NOW)
    assert await store.chats.language(5) is None
    assert await store.chats.language(6) is None


async def test_a_chats_other_choices_are_stored_and_changed_in_one_step(
    store: StoreVerbs,
) -> None:
    """Topics, words, sites, schedule, quiet hours, format and zone round-trip per chat."""
    await store.chats.upsert_chat(5, ChatKind.PRIVATE, now=NOW)
    chosen = ChatSettings(
        topics=TopicFilter(frozenset({"labour", "war"})),
        keywords=parse_keywords("+strike +huelga -football"),
        sites=SiteFilter(frozenset({3, 1})),
        schedule=DailyAt(7, 30, "Europe/Madrid"),
        quiet=QuietHours(22 * 60, 7 * 60, "Europe/Madrid", hold=True),
        post_format=PostFormat(photo=True, hashtags=False, signature="Our <paper>"),
        time_zone="Europe/Madrid",
    )
    assert await store.chats.change_settings(5, lambda _: chosen, NOW) == chosen
    chat = await store.chats.chat(5)
    assert chat is not None
    assert chat.settings == chosen
    back = await store.chats.change_settings(5, lambda s: replace(s, sites=SiteFilter()), NOW)
    assert back == replace(chosen, sites=SiteFilter())
    again = await store.chats.chat(5)
    assert again is not None
    assert again.settings.sites.is_everything
    other = await store.chats.upsert_chat(6, ChatKind.PRIVATE, now=NOW)
    assert other.settings == ChatSettings()
    with pytest.raises(StoreError):
        await store.chats.change_settings(7, lambda s: s, NOW)


async def test_subscribing_reports_changes_and_unsubscribing_cancels_the_queue(
    store: StoreVerbs,
) -> None:
    """set_subscribed says whether anything changed; leaving cancels what was queued."""
    source = await add_source(store)
    await store.chats.upsert_chat(9, ChatKind.PRIVATE, now=NOW)
    assert await store.chats.set_subscribed(9, True, now=NOW)
    assert not await store.chats.set_subscribed(9, True, now=NOW)
    await queue(store, await add_article(store, source, "a"), 9)
    assert await store.chats.set_subscribed(9, False, now=NOW)
    counts = await store.outbox.outbox_counts()
    assert (counts.queued, counts.cancelled) == (0, 1)


async def test_subscribing_an_unknown_chat_is_an_error(store: StoreVerbs) -> None:
    """A chat must be known before it can subscribe."""
    with pytest.raises(Exception, match="unknown chat 77"):
        await store.chats.set_subscribed(77, True, now=NOW)


async def test_setup_pending_lists_chats_for_the_person_who_added_the_bot(
    store: StoreVerbs,
) -> None:
    """pending_setups lists the person's chats still to explain, where the bot may post."""
    for chat_id, title in ((-1, "beta"), (-2, "Alpha"), (-3, "gamma")):
        await store.chats.upsert_chat(chat_id, ChatKind.CHANNEL, now=NOW, title=title)
        await store.chats.set_bot_rights(chat_id, can_post=True, added_by=42, now=NOW)
        await store.chats.set_setup_pending(chat_id, True, NOW)
    await store.chats.set_bot_rights(-3, can_post=False, added_by=None, now=NOW)
    assert [c.id for c in await store.chats.pending_setups(42)] == [-2, -1]
    await store.chats.set_setup_pending(-2, False, NOW)
    assert [c.id for c in await store.chats.pending_setups(42)] == [-1]
    assert await store.chats.pending_setups(43) == []


async def test_channels_rights_and_who_added_the_bot(store: StoreVerbs) -> None:
    """channels() lists channels the bot may post in, by title; added_by survives a None."""
    await store.chats.upsert_chat(-3, ChatKind.CHANNEL, now=NOW, title="beta")
    await store.chats.upsert_chat(-2, ChatKind.CHANNEL, now=NOW, title="Alpha")
    await store.chats.upsert_chat(-1, ChatKind.SUPERGROUP, now=NOW, title="Group")
    assert [c.id for c in await store.chats.channels()] == [-2, -3]
    await store.chats.set_bot_rights(-2, can_post=False, added_by=7, now=NOW)
    assert [c.id for c in await store.chats.channels()] == [-3]
    await store.chats.set_bot_rights(-2, can_post=True, added_by=None, now=NOW)
    assert await store.chats.added_by(-2) == 7
    assert await store.chats.added_by(-3) is None
    assert [c.id for c in await store.chats.chats([-3, -2, -99, -3])] == [-3, -2]


async def test_waiting_channels_are_those_the_person_added_without_the_right_to_post(
    store: StoreVerbs,
) -> None:
    """waiting_channels(user) lists the channels he added the bot to that it may not post in."""
    for chat_id, title in ((-4, "Delta"), (-5, "Echo"), (-6, "Foxtrot")):
        await store.chats.upsert_chat(chat_id, ChatKind.CHANNEL, now=NOW, title=title)
        await store.chats.set_bot_rights(chat_id, can_post=False, added_by=7, now=NOW)
    await store.chats.deactivate_chat(-4, CANNOT_POST, NOW)
    await store.chats.deactivate_chat(-5, "bot removed", NOW)
    await store.chats.deactivate_chat(-6, CANNOT_POST, NOW)
    assert [c.id for c in await store.chats.waiting_channels(7)] == [-4, -6]
    assert await store.chats.waiting_channels(8) == []
    await store.chats.set_bot_rights(-6, can_post=True, added_by=None, now=NOW)
    assert [c.id for c in await store.chats.waiting_channels(7)] == [-4]


async def test_greeting_is_marked_once(store: StoreVerbs) -> None:
    """mark_greeted is true the first time only."""
    await store.chats.upsert_chat(-1, ChatKind.GROUP, now=NOW)
    assert await store.chats.mark_greeted(-1, NOW)
    assert not await store.chats.mark_greeted(-1, NOW)
    assert not await store.chats.mark_greeted(-404, NOW)


async def test_deactivating_a_chat_cancels_its_queue(store: StoreVerbs) -> None:
    """A chat Telegram refuses is unsubscribed with its reason; its queued rows are cancelled."""
    source = await add_source(store)
    await subscriber(store, 3)
    await queue(store, await add_article(store, source, "a"), 3)
    await queue(store, await add_article(store, source, "b"), 3)
    assert await store.chats.deactivate_chat(3, "blocked", NOW) == 2
    chat = await store.chats.chat(3)
    assert chat is not None
    assert (chat.subscribed, chat.deactivated_reason) == (False, "blocked")
    assert await store.chats.set_subscribed(3, True, now=NOW)
    chat = await store.chats.chat(3)
    assert chat is not None
    assert chat.deactivated_reason is None


async def test_migrating_a_group_moves_its_settings_and_queue(store: StoreVerbs) -> None:
    """A group that became a supergroup keeps its subscription, filter and queue."""
    source = await add_source(store)
    await subscriber(store, -5, ChatKind.GROUP)
    await store.chats.set_region_filter(-5, RegionFilter(frozenset({"asia"})), NOW)
    topics = ChatSettings(topics=TopicFilter(frozenset({"labour"})))
    await store.chats.change_settings(-5, lambda _: topics, NOW)
    await queue(store, await add_article(store, source, "a"), -5)
    assert await store.chats.migrate_chat(-5, -1005, NOW)
    assert await store.chats.chat(-5) is None
    moved = await store.chats.chat(-1005)
    assert moved is not None
    assert (moved.kind, moved.subscribed) == (ChatKind.SUPERGROUP, True)
    assert moved.region_filter.ids == frozenset({"asia"})
    assert moved.settings == topics
    assert [d.chat.id for d in await store.outbox.due_deliveries(NOW, 10)] == [-1005]
    assert not await store.chats.migrate_chat(-5, -1005, NOW)


async def test_migrating_into_a_known_supergroup_merges_without_duplicates(
    store: StoreVerbs,
) -> None:
    """When the new id is known already, the old settings win and each article stays once."""
    source = await add_source(store)
    shared = await add_article(store, source, "shared")
    only_old = await add_article(store, source, "old", sort_at=NOW + 1)
    await subscriber(store, -5, ChatKind.GROUP)
    words = ChatSettings(keywords=parse_keywords("-football"), time_zone="Asia/Karachi")
    await store.chats.change_settings(-5, lambda _: words, NOW)
    await store.chats.upsert_chat(-1005, ChatKind.SUPERGROUP, now=NOW)
    await queue(store, shared, -5)
    await queue(store, only_old, -5)
    await queue(store, shared, -1005)
    assert await store.chats.migrate_chat(-5, -1005, NOW)
    assert await store.chats.chat(-5) is None
    merged = await store.chats.chat(-1005)
    assert merged is not None
    assert merged.subscribed
    assert merged.settings == words
    due = await store.outbox.due_deliveries(NOW, 10)
    assert sorted((d.chat.id, d.article.key) for d in due) == [(-1005, "old"), (-1005, "shared")]


# ------------------------------------------------------------------------------- outbox


async def test_due_deliveries_come_in_publication_order_and_read_on(store: StoreVerbs) -> None:
    """Due rows come oldest story first; ``after`` reads on where a batch ended."""
    source = await add_source(store)
    await subscriber(store, 1)
    late = await add_article(store, source, "late", sort_at=NOW - 10)
    early = await add_article(store, source, "early", sort_at=NOW - 100)
    future = await add_article(store, source, "future", sort_at=NOW - 5)
    await queue(store, late, 1)
    await queue(store, early, 1)
    await queue(store, future, 1, due=NOW + 60)
    rows = await store.outbox.due_deliveries(NOW, 10)
    assert [d.article.key for d in rows] == ["early", "late"]
    first = rows[0]
    assert (first.chat.id, first.attempts, first.sort_at) == (1, 0, NOW - 100)
    assert first.article.source_name == "News"
    assert first.article.categories == ("Politics",)
    key = (first.sort_at, first.article.id, first.id)
    assert [d.article.key for d in await store.outbox.due_deliveries(NOW, 10, after=key)] == [
        "late"
    ]
    assert [d.article.key for d in await store.outbox.due_deliveries(NOW, 1)] == ["early"]


async def test_due_for_chats_gives_each_chat_its_first_rows(store: StoreVerbs) -> None:
    """due_for_chats returns up to ``per_chat`` due rows per asked chat, in order."""
    source = await add_source(store)
    for chat_id in (1, 2, 3):
        await subscriber(store, chat_id)
    for n in range(3):
        article = await add_article(store, source, f"a{n}", sort_at=NOW - 10 + n)
        for chat_id in (1, 2, 3):
            await queue(store, article, chat_id)
    rows = await store.outbox.due_for_chats([2, 1, 2], NOW, per_chat=2)
    assert [(d.chat.id, d.article.key) for d in rows] == [
        (1, "a0"),
        (1, "a1"),
        (2, "a0"),
        (2, "a1"),
    ]
    assert await store.outbox.due_for_chats([], NOW, per_chat=2) == []


async def test_backlogs_count_due_rows_per_chat(store: StoreVerbs) -> None:
    """backlogs lists chats with at least the given number of due rows."""
    source = await add_source(store)
    await subscriber(store, 1)
    await subscriber(store, -2, ChatKind.CHANNEL)
    for n in range(3):
        article = await add_article(store, source, f"a{n}")
        await queue(store, article, -2)
        if n == 0:
            await queue(store, article, 1)
    assert await store.outbox.backlogs(NOW, 2) == [(-2, ChatKind.CHANNEL, 3)]
    assert sorted(await store.outbox.backlogs(NOW, 1)) == [
        (-2, ChatKind.CHANNEL, 3),
        (1, ChatKind.PRIVATE, 1),
    ]


async def test_outcomes_are_applied_together(store: StoreVerbs) -> None:
    """Sent, retried and failed rows change state; a retry holds back the chat's later rows."""
    source = await add_source(store)
    await subscriber(store, 1)
    await subscriber(store, 2)
    ids = [await add_article(store, source, f"a{n}", sort_at=NOW + n) for n in range(3)]
    sent = await queue(store, ids[0], 1)
    retried = await queue(store, ids[1], 1)
    held = await queue(store, ids[2], 1)
    failed = await queue(store, ids[0], 2)
    await store.outbox.record_outcomes(
        sent=[(sent, 555, NOW)],
        retries=[(retried, 1, NOW + 30, "429")],
        failed=[(failed, "chat not found")],
    )
    assert await store.outbox.outbox_counts() == type(await store.outbox.outbox_counts())(
        queued=2, sent=1, failed=1, cancelled=0
    )
    assert await store.outbox.due_deliveries(NOW + 29, 10) == []
    assert [d.id for d in await store.outbox.due_deliveries(NOW + 30, 10)] == [retried, held]
    assert await store.outbox.next_delivery_time() == NOW + 30
    assert await sent_count(store, 1) == 1
    assert await sent_count(store, 2) == 0
    assert await store.stats.last_sent_at() == NOW


async def test_an_empty_outbox_has_no_next_time(store: StoreVerbs) -> None:
    """With nothing queued there is no next delivery time and nothing was sent."""
    assert await store.outbox.next_delivery_time() is None
    assert await store.stats.last_sent_at() is None
    counts = await store.outbox.outbox_counts()
    assert (counts.queued, counts.sent, counts.failed, counts.cancelled) == (0, 0, 0, 0)


# --------------------------------------------------------------------------- maintenance


async def test_pruning_keeps_identity_keys_and_queued_articles(store: StoreVerbs) -> None:
    """Old articles go with their key digests kept; one still queued somewhere stays."""
    source = await add_source(store)
    await subscriber(store, 1)
    old = await add_article(store, source, "old", seen_at=NOW - 1000)
    queued = await add_article(store, source, "queued", seen_at=NOW - 1000)
    await add_article(store, source, "new", seen_at=NOW)
    sent = await queue(store, old, 1)
    await queue(store, queued, 1)
    await store.outbox.record_outcomes(sent=[(sent, 1, NOW)])
    result = await store.articles.prune_articles(NOW - 10)
    assert (result.articles, result.keys_kept) == (1, 2)  # its key and its URL
    assert await pruned_key_count(store) == 2
    assert await store.articles.article_count() == 2
    assert (await store.outbox.outbox_counts()).sent == 0
    again = await store.articles.prune_articles(NOW - 10)
    assert (again.articles, again.keys_kept) == (0, 0)


async def test_health_figures_name_the_most_overdue_source_and_oldest_row(
    store: StoreVerbs,
) -> None:
    """health_figures reads how late polling and delivery are."""
    empty = await store.stats.health_figures(NOW)
    assert (empty.overdue_source, empty.poll_overdue_s, empty.queued) == (None, 0.0, 0)
    source = await add_source(store)
    await sql(store, "UPDATE sources SET next_poll_at = ? WHERE id = ?", NOW - 40, source)
    await subscriber(store, 1)
    await queue(store, await add_article(store, source, "a"), 1, due=NOW - 25)
    figures = await store.stats.health_figures(NOW)
    assert (figures.overdue_source, figures.poll_overdue_s) == ("News", 40.0)
    assert (figures.queued, figures.oldest_due_age_s) == (1, 25.0)


async def test_operator_sources_are_added_readded_paused_and_removed(store: StoreVerbs) -> None:
    """Operator sources: added once, re-enabled when added again, removable; config ones not."""
    config = await add_source(store, OTHER, "Config")
    spec = SourceSpec(name="Ops", url=FEED, region="Chile")
    added, created = await store.sources.add_operator_source(spec)
    assert created
    assert (added.name, added.region, added.enabled) == ("Ops", "Chile", True)
    assert await store.sources.set_source_paused(added.id, True)
    again, created = await store.sources.add_operator_source(spec)
    assert not created
    assert again.id == added.id
    statuses = {s.source.id: s for s in await store.sources.source_statuses()}
    assert (statuses[added.id].origin, statuses[added.id].paused) == ("operator", False)
    assert statuses[config].origin == "config"
    assert not await store.sources.set_source_paused(999_999, True)
    assert not await store.sources.remove_operator_source(config)
    assert await store.sources.remove_operator_source(added.id)
    assert [s.id for s in await store.sources.sources()] == [config]


async def test_outages_and_recoveries_to_announce(store: StoreVerbs) -> None:
    """A long outage is announced once; its recovery once the source works again."""
    source = await add_source(store)
    await sql(store, "UPDATE sources SET failing_since = ? WHERE id = ?", NOW - 3600, source)
    assert await store.sources.outages_to_announce(NOW - 7200) == []
    [outage] = await store.sources.outages_to_announce(NOW - 1800)
    assert (outage.source.id, outage.failing_since) == (source, NOW - 3600)
    await store.sources.set_outage_notified(source, NOW)
    assert await store.sources.outages_to_announce(NOW) == []
    assert await store.sources.recoveries_to_announce() == []
    await sql(store, "UPDATE sources SET failing_since = NULL WHERE id = ?", source)
    [recovery] = await store.sources.recoveries_to_announce()
    assert recovery.outage_notified_at == NOW
    await store.sources.set_outage_notified(source, None)
    assert await store.sources.recoveries_to_announce() == []


async def test_ops_stats_count_chats_regions_and_sends(store: StoreVerbs) -> None:
    """ops_stats counts subscribed chats by kind and region, sends since a time and the queue."""
    source = await add_source(store)
    await subscriber(store, 1)
    await subscriber(store, 2)
    await subscriber(store, -3, ChatKind.CHANNEL)
    await store.chats.upsert_chat(4, ChatKind.PRIVATE, now=NOW)
    await store.chats.set_region_filter(2, RegionFilter(frozenset({"europe", "asia"})), NOW)
    await store.chats.set_region_filter(-3, RegionFilter(frozenset({"europe"})), NOW)
    article = await add_article(store, source, "a")
    sent = await queue(store, article, 1)
    await queue(store, article, 2)
    await store.outbox.record_outcomes(sent=[(sent, 9, NOW)])
    stats = await store.stats.ops_stats(NOW - 1)
    assert stats.chats_by_kind == {"channel": 1, "private": 2}
    assert stats.subscriptions_by_region == {"europe": 2, "asia": 1, "": 1}
    assert (stats.sent_since, stats.queued, stats.articles, stats.sources) == (1, 1, 1, 1)
    assert (await store.stats.ops_stats(NOW + 1)).sent_since == 0


# ----------------------------------------------------------------------------- articles


async def test_latest_articles_count_and_places(store: StoreVerbs) -> None:
    """Articles read back newest first with their source's name and places."""
    source = await add_source(store)
    await add_article(store, source, "old", sort_at=NOW - 100, countries="FR", regions="europe")
    await add_article(store, source, "new", sort_at=NOW, countries="CL AR", regions="americas")
    latest = await store.articles.latest_articles(5)
    assert [a.key for a in latest] == ["new", "old"]
    assert (latest[0].countries, latest[0].source_name) == (("CL", "AR"), "News")
    assert [a.key for a in await store.articles.latest_articles(1)] == ["new"]
    assert await store.articles.article_count() == 2
    assert await store.articles.recent_places(NOW - 50) == [(("CL", "AR"), ("americas",))]


async def test_reclassify_stores_only_what_changed(store: StoreVerbs) -> None:
    """reclassify runs the classifier over every article and writes the changes."""
    source = await add_source(store)
    await add_article(store, source, "a", countries="FR", regions="europe")
    await add_article(store, source, "b", countries="", regions="")

    def to_france(
        _title: str, _summary: str, _tags: object, _region: object, _language: object
    ) -> Classification:
        return Classification(countries=("FR",), regions=("europe",))

    def no_topics(*_text: object) -> tuple[str, ...]:
        return ()

    assert await store.articles.reclassify(to_france, topics=no_topics, batch=1) == (2, 1)
    assert {a.key: a.countries for a in await store.articles.latest_articles(5)} == {
        "a": ("FR",),
        "b": ("FR",),
    }


async def test_latest_articles_of_some_sites_and_topics(store: StoreVerbs) -> None:
    """latest_articles narrows to the given sources and to articles with one of the topics."""
    red, blue = await add_sources(store, ("Red", FEED), ("Blue", OTHER))
    for key, source, topics, at in [
        ("strike", red, "labour economy", 1),
        ("war", red, "war", 2),
        ("vote", blue, "politics", 3),
        ("dock", blue, "labour", 4),
        ("none", red, "", 5),
    ]:
        article_id = await add_article(store, source, key, sort_at=NOW + at)
        await sql(store, "UPDATE articles SET topics = ? WHERE id = ?", topics, article_id)

    async def keys(sites: set[int] | None = None, topics: set[str] | None = None) -> list[str]:
        return [a.key for a in await store.articles.latest_articles(10, sites=sites, topics=topics)]

    assert await keys(sites={red}) == ["none", "war", "strike"]
    assert await keys(topics={"labour"}) == ["dock", "strike"]
    assert await keys(topics={"labour", "war"}, sites={red}) == ["war", "strike"]
    assert await keys(topics={"econ"}) == []  # whole topic ids only
    assert await keys(sites=set()) == []
    [dock] = await store.articles.latest_articles(1, topics={"labour"})
    assert (dock.topics, dock.source_name) == (("labour",), "Blue")
    labour = TopicFilter(frozenset({"labour"}))
    no_dock = ChatFilter(topics=labour, keywords=parse_keywords("-dock"))
    assert [a.key for a in await store.articles.latest_passing(no_dock, 5)] == ["strike"]
    assert [a.key for a in await store.articles.latest_passing(ChatFilter(), 2)] == ["none", "dock"]


async def test_reclassify_recomputes_topics(store: StoreVerbs) -> None:
    """reclassify stores each article's topics as the classifier finds them now."""
    source = await add_source(store)
    await add_article(store, source, "a", countries="FR", regions="europe")

    def same_places(*_text: object) -> Classification:
        return Classification(countries=("FR",), regions=("europe",))

    def strike(*_text: object) -> tuple[str, ...]:
        return ("labour", "economy")

    assert await store.articles.reclassify(same_places, topics=strike) == (1, 1)
    [article] = await store.articles.latest_articles(5)
    assert article.topics == ("labour", "economy")
    assert await store.articles.reclassify(same_places, topics=strike) == (1, 0)


async def test_polled_articles_keep_their_topics(store: StoreVerbs) -> None:
    """A poll stores each new article's topics (the first poll's bulk write and a later poll's
    queued one alike), read back in ``Article.topics``."""
    [source] = await baselined(store)
    await subscriber(store, 1)
    strike = ParsedItem(
        key="strike",
        title="Dockers strike over wages as the union calls a walkout",
        summary="Workers at the port stopped work.",
        url="https://news.example/strike",
        published=datetime.fromtimestamp(NOW - 30, UTC),
    )
    intent = await decided(store, source, [NewArticle(strike, Classification())])
    assert intent.articles[0].topics == ("labour",)
    assert await store.polls.apply_poll(intent) == AppliedPoll(new_articles=1, queued=1)
    by_key = {a.key: a.topics for a in await store.articles.latest_articles(5)}
    assert by_key == {"strike": ("labour",), "old-News": ("politics",)}


async def test_operations_complete_in_the_order_they_were_issued(store: StoreVerbs) -> None:
    """A read issued before a write answers first, from before the write (delivery relies on it).

    The delivery engine forgets a row it holds once its outcome is written: a read that began
    before that write but answered after it would hand the sent row back, to be sent twice.
    """
    source = await add_source(store)
    await subscriber(store, 1)
    rows = []
    for n in range(300):
        await subscriber(store, 1000 + n)
        rows.append(await queue(store, await add_article(store, source, f"a{n}"), 1000 + n))
    finished: list[str] = []

    async def read() -> int:
        due = await store.outbox.due_deliveries(NOW, 1000)
        finished.append("read")
        return len(due)

    async def write() -> None:
        await store.outbox.record_outcomes(sent=[(rows[-1], 1, NOW)])
        finished.append("write")

    seen = []
    for _ in range(3):
        reading = asyncio.create_task(read())
        writing = asyncio.create_task(write())
        seen.append((await asyncio.gather(reading, writing))[0])
        assert finished[-2:] == ["read", "write"]
    assert seen == [300, 299, 299]


# --------------------------------------------------------------------------------- polls


def story(
    key: str, *, url: str | None = None, countries: Sequence[str] = (), regions: Sequence[str] = ()
) -> NewArticle:
    """A feed item and where it happens."""
    item = ParsedItem(
        key=key,
        title=f"Title {key}",
        summary=f"Summary {key}",
        url=url or f"https://news.example/{key}",
        published=datetime.fromtimestamp(NOW - 60, UTC),
        categories=("Politics",),
    )
    return NewArticle(item, Classification(tuple(countries), tuple(regions)))


async def current(store: StoreVerbs, source_id: int) -> Source:
    """The source as stored now."""
    source = await store.sources.source(source_id)
    assert source is not None
    return source


async def baselined(store: StoreVerbs, *names_and_urls: tuple[str, str]) -> list[Source]:
    """Configured sources (default: one) whose first polls (one old item each) are recorded."""
    ids = await add_sources(store, *(names_and_urls or (("News", FEED),)))
    for source_id in ids:
        source = await current(store, source_id)
        await poll_items(store, source, [story(f"old-{source.name}")], now=NOW)
    return [await current(store, source_id) for source_id in ids]


async def decided(store: StoreVerbs, source: Source, articles: Sequence[NewArticle]) -> PollIntent:
    """A poll of ``source`` that read ``articles``, decided from the store's facts, not applied."""
    feed = ParsedFeed(format="rss2.0", title=None, link=None, items=tuple(a.item for a in articles))
    places = {entry.item.key: entry.classification for entry in articles}
    rules = PollRules(interval=60, classify=lambda item, _source: places[item.key])
    known = await store.polls.poll_knowledge(source, feed.items)
    return decide_poll(source, Fetched(feed=feed), known, NOW + 60, rules)


@asynccontextmanager
async def another_process(
    store: StoreVerbs, request: pytest.FixtureRequest
) -> AsyncIterator[StoreVerbs]:
    """Another process's handle on the same database: its own connection on PostgreSQL.

    SQLite serves one process (its lock file refuses a second), so there it is the same store.
    """
    if not isinstance(store, PostgresStore):
        yield store
        return
    other = await PostgresStore.open(request.getfixturevalue("postgres_url"))
    try:
        yield other
    finally:
        await other.close()


async def queued_pairs(store: StoreVerbs) -> list[tuple[int, str]]:
    """(chat, article key) of every due outbox row, sorted."""
    return sorted(
        (d.chat.id, d.article.key) for d in await store.outbox.due_deliveries(NOW + 3600, 1000)
    )


async def test_a_first_poll_records_its_items_but_queues_nothing(store: StoreVerbs) -> None:
    """The baseline poll stores the feed's items, marks the source baselined and sends nothing."""
    await subscriber(store, 1)
    source = await current(store, await add_source(store))
    assert not source.baseline_done
    applied = await poll_items(store, source, [story("a"), story("b")], now=NOW)
    assert applied == AppliedPoll(new_articles=2, queued=0)
    assert await store.articles.article_count() == 2
    assert await queued_pairs(store) == []
    after = await current(store, source.id)
    assert after.baseline_done
    assert (after.last_success_at, after.last_polled_at) == (NOW, NOW)
    assert after.next_poll_at > NOW


async def test_new_articles_are_queued_for_the_chats_whose_filter_lets_them_through(
    store: StoreVerbs,
) -> None:
    """After the baseline each new item is queued for every subscribed chat its region suits."""
    for chat_id in (1, 2, 3):
        await subscriber(store, chat_id)
    await store.chats.set_region_filter(2, RegionFilter(frozenset({"FR"})), NOW)
    await store.chats.set_subscribed(3, False, now=NOW)
    [source] = await baselined(store)
    assert [chat.id for chat in await store.polls.subscribed_chats()] == [1, 2]
    applied = await poll_items(
        store,
        source,
        [
            story("old-News"),
            story("fr", countries=["FR"], regions=["europe"]),
            story("cl", countries=["CL"], regions=["americas"]),
        ],
        now=NOW + 60,
    )
    assert applied == AppliedPoll(new_articles=2, queued=3)
    assert await queued_pairs(store) == [(1, "cl"), (1, "fr"), (2, "fr")]
    [delivery] = [d for d in await store.outbox.due_deliveries(NOW + 60, 10) if d.chat.id == 2]
    assert (delivery.article.countries, delivery.article.title) == (("FR",), "Title fr")


async def test_a_known_item_is_not_new_twice(store: StoreVerbs) -> None:
    """An item the source has, by key or by link under a new key, is neither stored nor queued."""
    await subscriber(store, 1)
    [source] = await baselined(store)
    first = await poll_items(store, source, [story("a")], now=NOW + 60)
    again = await poll_items(store, source, [story("a")], now=NOW + 120)
    new_key = await poll_items(
        store, source, [story("a-renamed", url="https://news.example/a")], now=NOW + 180
    )
    assert (first, again, new_key) == (AppliedPoll(1, 1), AppliedPoll(0, 0), AppliedPoll(0, 0))
    assert await store.articles.article_count() == 2
    assert await queued_pairs(store) == [(1, "a")]


async def test_a_link_from_two_sources_reaches_a_chat_once(store: StoreVerbs) -> None:
    """The same link from a second source is stored but not queued for a chat that has it."""
    await subscriber(store, 1)
    first, second, third = await baselined(
        store, ("News", FEED), ("Other", OTHER), ("Third", "https://third.example/feed")
    )
    link = "https://shared.example/story"
    assert await poll_items(store, first, [story("x", url=link)], now=NOW + 60) == AppliedPoll(1, 1)
    assert await poll_items(store, second, [story("y", url=link)], now=NOW + 60) == AppliedPoll(
        1, 0
    )
    await subscriber(store, 2)  # a chat without the link still gets the next source's copy
    assert await poll_items(store, third, [story("z", url=link)], now=NOW + 60) == AppliedPoll(1, 1)
    assert await queued_pairs(store) == [(1, "x"), (2, "z")]


async def test_the_link_guard_holds_against_facts_read_before_another_source_queued(
    store: StoreVerbs,
) -> None:
    """A decision made before another source queued the same link still sends it only once."""
    await subscriber(store, 1)
    first, second = await baselined(store, ("News", FEED), ("Other", OTHER))
    link = "https://shared.example/story"
    stale = await decided(store, second, [story("y", url=link)])
    assert stale.articles[0].recipients == (1,)
    await store.polls.apply_poll(await decided(store, first, [story("x", url=link)]))
    assert await store.polls.apply_poll(stale) == AppliedPoll(new_articles=1, queued=0)
    assert await queued_pairs(store) == [(1, "x")]


async def test_an_item_with_nul_characters_is_recorded_and_known_once(store: StoreVerbs) -> None:
    """A hostile item with NUL in its key, link and text is stored, queued once, then known."""
    await subscriber(store, 1)
    [source] = await baselined(store)
    hostile = NewArticle(
        ParsedItem(
            key="k\x00ey",
            title="Ti\x00tle",
            summary="Sum\x00mary",
            url="https://news.example/n\x00ul",
            published=None,
            categories=("Po\x00litics",),
        ),
        Classification(),
    )
    assert await poll_items(store, source, [hostile], now=NOW + 60) == AppliedPoll(1, 1)
    assert await poll_items(store, source, [hostile], now=NOW + 120) == AppliedPoll(0, 0)
    [delivery] = await store.outbox.due_deliveries(NOW + 3600, 10)
    assert delivery.article.title.replace("\x00", "") == "Title"
    assert delivery.article.categories in {("Po\x00litics",), ("Politics",)}
    assert (await current(store, source.id)).failures == 0
    await poll_error(store, source.id, now=NOW, next_poll_at=NOW + 60, error="bad \x00 byte")
    assert (await current(store, source.id)).last_error in {"bad \x00 byte", "bad  byte"}


async def test_a_failed_poll_counts_failures_and_sets_the_next_poll(store: StoreVerbs) -> None:
    """Failures count up from the first one's time, a 410 disables, a success clears them."""
    source_id = await add_source(store)
    await poll_error(store, source_id, now=NOW, next_poll_at=NOW + 120, error="HTTP 500")
    await poll_error(store, source_id, now=NOW + 120, next_poll_at=NOW + 360, error="timeout")
    failing = await current(store, source_id)
    assert (failing.failures, failing.last_error, failing.failing_since) == (2, "timeout", NOW)
    assert (failing.next_poll_at, failing.last_polled_at) == (NOW + 360, NOW + 120)
    assert failing.last_error_at == NOW + 120
    assert failing.enabled
    assert failing.last_success_at is None
    await poll_ok(store, source_id, now=NOW + 400, next_poll_at=NOW + 460, etag='"v2"')
    ok = await current(store, source_id)
    assert (ok.failures, ok.last_error, ok.failing_since) == (0, None, None)
    assert (ok.etag, ok.last_success_at, ok.next_poll_at) == ('"v2"', NOW + 400, NOW + 460)
    await poll_error(
        store, source_id, now=NOW + 500, next_poll_at=NOW + 560, error="410", disable=True
    )
    gone = await current(store, source_id)
    assert (gone.enabled, gone.failures, gone.failing_since) == (False, 1, NOW + 500)
    assert await store.articles.article_count() == 0


async def test_one_intent_applied_twice_at_once_queues_each_row_once(
    store: StoreVerbs, request: pytest.FixtureRequest
) -> None:
    """Two processes applying the same poll at the same time store and queue everything once."""
    for chat_id in range(1, 6):
        await subscriber(store, chat_id)
    [source] = await baselined(store)
    intent = await decided(store, source, [story(f"n{n}") for n in range(20)])
    async with another_process(store, request) as other:
        results = await asyncio.gather(
            store.polls.apply_poll(intent), other.polls.apply_poll(intent)
        )
    assert sum(r.new_articles for r in results) == 20
    assert sum(r.queued for r in results) == 100
    assert await store.articles.article_count() == 21
    assert (await store.outbox.outbox_counts()).queued == 100
    assert len(set(await queued_pairs(store))) == 100


async def test_two_sources_with_the_same_links_applied_at_once_queue_each_link_once(
    store: StoreVerbs, request: pytest.FixtureRequest
) -> None:
    """Two processes polling two sources that share links at the same time queue each link once.

    Both decisions are made before either is applied, so only the store's guard can stop the
    second copy.
    """
    for chat_id in range(1, 6):
        await subscriber(store, chat_id)
    first, second = await baselined(store, ("News", FEED), ("Other", OTHER))
    links = [f"https://shared.example/{n}" for n in range(20)]
    one = await decided(store, first, [story(f"a{n}", url=u) for n, u in enumerate(links)])
    two = await decided(store, second, [story(f"b{n}", url=u) for n, u in enumerate(links)])
    async with another_process(store, request) as other:
        results = await asyncio.gather(store.polls.apply_poll(one), other.polls.apply_poll(two))
    assert [r.new_articles for r in results] == [20, 20]
    assert sum(r.queued for r in results) == 100
    rows = await store.outbox.due_deliveries(NOW + 3600, 1000)
    assert sorted({(d.chat.id, d.article.url) for d in rows}) == sorted(
        (chat_id, url) for chat_id in range(1, 6) for url in links
    )
    assert len(rows) == 100


async def waiting_on_locks(conn: asyncpg.Connection, count: int) -> None:
    """Return once ``count`` other sessions of this database wait for a lock (10 s at most)."""
    async with asyncio.timeout(10):
        while True:
            waiting = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'"
            )
            if waiting >= count:
                return
            await asyncio.sleep(0.01)


async def test_shared_links_stay_single_while_both_polls_are_in_flight(postgres_url: str) -> None:
    """PostgreSQL: two sources' polls of one link, held mid-transaction together, queue it once.

    A third session locks the chats so that whichever poll reaches its outbox insert first waits
    there, uncommitted; the other must not queue the link beside it when both are let go.
    """
    stores = [await PostgresStore.open(postgres_url) for _ in range(2)]
    locker = await asyncpg.connect(postgres_url)
    try:
        store = stores[0]
        for chat_id in (1, 2):
            await subscriber(store, chat_id)
        first, second = await baselined(store, ("News", FEED), ("Other", OTHER))
        links = [f"https://shared.example/{n}" for n in range(3)]
        one = await decided(store, first, [story(f"a{n}", url=u) for n, u in enumerate(links)])
        two = await decided(store, second, [story(f"b{n}", url=u) for n, u in enumerate(links)])
        async with locker.transaction():
            await locker.execute("SELECT id FROM chats FOR UPDATE")
            applying = [
                asyncio.create_task(s.polls.apply_poll(i))
                for s, i in zip(stores, (one, two), strict=True)
            ]
            await waiting_on_locks(locker, 2)
        results = await asyncio.gather(*applying)
        assert sum(r.queued for r in results) == 6
        assert len(await store.outbox.due_deliveries(NOW + 3600, 100)) == 6
    finally:
        await locker.close()
        for opened in stores:
            await opened.close()
