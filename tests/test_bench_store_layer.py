"""bench/store_layer.py: its ways of running the store's SQL do the same work (issue 29)."""

from __future__ import annotations

from pathlib import Path

from bench import store_layer


async def test_every_way_of_the_store_layer_bench_does_the_same_work_on_sqlite(
    tmp_path: Path,
) -> None:
    """Today's driver calls and our shared layer (bot/store/sql.py, also with one trip to the
    driver per statement) poll and deliver alike on SQLite: the same articles, queued rows and
    delivered messages. (SQLAlchemy's ways are checked by the bench itself, every round.)"""
    ways = ["raw", "ours", "ours-1trip"]
    load = store_layer.Workload(rounds=1, chats=3, polls=2, filler=0, warm=False)
    figures = await store_layer.bench_backend("sqlite", None, tmp_path, load, ways, say=print)
    expected = (
        load.polls * store_layer.NEW_ITEMS,
        load.polls * store_layer.NEW_ITEMS * load.chats,
        load.polls * store_layer.NEW_ITEMS * load.chats,
    ) * 2
    for way in ways:
        assert figures[way].work == [expected], way
        assert len(figures[way].poll) == 2
