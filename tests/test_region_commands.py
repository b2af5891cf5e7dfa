"""/region typed and by buttons, /regions with recent counts, /latest with a region."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bot.core import regions
from bot.core.models import NewArticle, ParsedItem, SourceSpec
from bot.core.routing import classify_item
from bot.store import Store
from bot.telegram.views import Action
from tests.support.chat_harness import harness
from tests.support.fake_telegram import FakeTelegram
from tests.support.seeding import by_region, record_articles

ANN = 801
STORIES = (
    ("Winter of Russian Discontent Begins", "The social crisis in Russia has reached new levels."),
    ("Myanmar Coup: Another Nail in the Coffin", "Myanmar's generals acted swiftly."),
    ("Happy New Year, for Some", "Best wishes to all our readers."),
)


async def _articles(store: Store) -> None:
    [source] = await store.sources.sync_sources(
        [SourceSpec("Example News", "https://news.example/feed")]
    )
    entries = []
    for number, (title, summary) in enumerate(STORIES):
        item = ParsedItem(
            key=f"k{number}",
            title=title,
            summary=summary,
            url=f"https://news.example/{number}",
            published=datetime.now(UTC),
        )
        entries.append(NewArticle(item, classify_item(item, source)))
    await record_articles(
        store, source.id, entries, now=time.time(), baseline=False, route=by_region
    )


async def _filter(store: Store) -> frozenset[str]:
    chat = await store.chats.chat(ANN)
    assert chat is not None
    return chat.region_filter.ids


async def test_typed_region_commands(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Set, add, remove and clear the filter by typing; each answer names the new filter."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/region europe asia")
        assert await _filter(h.store) == {"150", "142"}
        assert "Asia, Europe" in h.last(ANN).text
        await h.send(ANN, ANN, "/region add ru")
        assert await _filter(h.store) == {"150", "142", "RU"}
        await h.send(ANN, ANN, "/region remove asia")
        assert await _filter(h.store) == {"150", "RU"}
        await h.send(ANN, ANN, "/region all")
        assert await _filter(h.store) == frozenset()
        assert "everything" in h.last(ANN).text


async def test_unknown_region_gets_suggestions_and_no_change(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An unknown name is answered with suggestions; the filter stays as it was."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/region europe")
        await h.send(ANN, ANN, "/region eurasia")
        assert "Did you mean Europe or Asia" in h.last(ANN).text
        await h.send(ANN, ANN, "/region congo")
        assert "did you mean" in h.last(ANN).text
        assert await _filter(h.store) == {"150"}


async def test_region_chooser_updates_in_place(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/region shows buttons; toggling a continent and a sub-region edits the same message."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/region")
        chooser = h.last(ANN)
        assert "everything" in chooser.text
        assert "☐ Europe" in h.labels(chooser)
        await h.press(ANN, ANN, chooser.message_id, h.button(chooser, Action.REGION_TOGGLE, "142"))
        assert await _filter(h.store) == {"142"}
        await h.press(ANN, ANN, chooser.message_id, h.button(chooser, Action.REGION_PAGE, "150"))
        page = h.last(ANN)
        assert "☐ Eastern Europe" in h.labels(page)
        assert page.message_id == chooser.message_id
        await h.press(ANN, ANN, page.message_id, h.button(page, Action.REGION_TOGGLE, "151"))
        assert await _filter(h.store) == {"142", "151"}
        assert "☑ Eastern Europe" in h.labels(h.last(ANN))
        await h.press(ANN, ANN, page.message_id, h.button(h.last(ANN), Action.REGION_TOGGLE, "151"))
        assert await _filter(h.store) == {"142"}
        await h.press(ANN, ANN, page.message_id, h.button(h.last(ANN), Action.REGION_PAGE, "root"))
        await h.press(ANN, ANN, page.message_id, h.button(h.last(ANN), Action.REGION_CLEAR))
        assert await _filter(h.store) == frozenset()
        assert h.last(ANN).edits == 6
        assert len(telegram.messages(ANN)) == 2


async def test_regions_lists_names_with_recent_counts(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/regions: each continent on one line with its parts, counts only where there are some."""
    async with harness(telegram, tmp_path) as h:
        await _articles(h.store)
        await h.send(ANN, ANN, "/regions")
        text = "\n".join(m.text for m in telegram.messages(ANN))
        lines = text.split("\n")
        europe = next(line for line in lines if line.startswith("Europe "))
        assert europe.startswith("Europe 1: Eastern Europe 1, Northern Europe,")
        asia = next(line for line in lines if line.startswith("Asia "))
        assert "Southeast Asia 1" in asia
        assert "Africa: North Africa, Sub-Saharan Africa" in lines
        assert ": 0" not in text
        assert "Russia 1" in text
        assert "Myanmar 1" in text
        for info in regions.all_regions():
            if info.kind in ("continent", "subregion", "grouping"):
                assert info.label in text
        assert all(len(m.text) <= 4096 for m in telegram.messages(ANN))


async def test_latest_with_a_region(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/latest russia lists the Russia story only; /latest latin america says there is none."""
    async with harness(telegram, tmp_path) as h:
        await _articles(h.store)
        await h.send(ANN, ANN, "/latest russia")
        answer = h.last(ANN).text
        assert "Winter of Russian Discontent" in answer
        assert "Myanmar" not in answer
        await h.send(ANN, ANN, "/latest latin america 10")
        assert h.last(ANN).text == "No recent articles about Latin America."
        await h.send(ANN, ANN, "/latest 2")
        assert h.last(ANN).text.startswith("Latest 2")
        await h.send(ANN, ANN, "/latest 0")
        assert h.last(ANN).text.startswith("Usage")
