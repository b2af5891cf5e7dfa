"""An article keeps its language: the poll stores it, `reclassify` and `classify` read in it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core import regions
from bot.core.models import ParsedFeed, ParsedItem, SourceSpec
from bot.core.parsing.feeds import with_language
from bot.core.polling import Fetched, PollRules, decide_poll
from bot.store.protocol import StoreVerbs
from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[1]
# Spanish teasers the English tables read wrongly: "Alemania" and "Estados Unidos" are unknown
# there ("Podemos" here is a verb, not the party).
SPANISH = (
    ("Huelga general en Alemania", "Los sindicatos llaman a parar el país", ("DE",)),
    ("Podemos decir que la crisis llegó a Estados Unidos", "", ("US",)),
)


@pytest.fixture
def store(backend_store: StoreVerbs) -> StoreVerbs:
    """A fresh store on each backend (tests/conftest.py)."""
    return backend_store


def _feed(language: str | None) -> ParsedFeed:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    items = tuple(
        ParsedItem(f"k{i}", title, summary, f"https://n.example/{i}", when)
        for i, (title, summary, _want) in enumerate(SPANISH)
    )
    return ParsedFeed("rss2.0", "Noticias", None, with_language(items, language))


async def test_reclassify_reads_each_article_in_its_feeds_language(store: StoreVerbs) -> None:
    """A Spanish feed's articles keep 'es': reclassify gives the running bot's answer, unchanged."""
    [source] = await store.sources.sync_sources([SourceSpec("Noticias", "https://n.example/feed")])
    feed = _feed("es-ES")
    known = await store.polls.poll_knowledge(source, feed.items)
    await store.polls.apply_poll(decide_poll(source, Fetched(feed=feed), known, 1e9, PollRules(60)))
    stored = {a.title: a.countries for a in await store.articles.latest_articles(10)}
    assert stored == {title: want for title, _summary, want in SPANISH}
    assert await store.articles.reclassify(regions.classify) == (2, 0)
    # Read as English, the same teasers would lose their countries.
    assert all(regions.classify(t, s).countries == () for t, s, _want in SPANISH)


async def test_reclassify_uses_the_sources_language_for_older_articles(
    store: StoreVerbs,
) -> None:
    """A source declared Spanish classifies its articles in Spanish, whatever the feed says."""
    spec = SourceSpec("Noticias", "https://n.example/feed", language="es")
    [source] = await store.sources.sync_sources([spec])
    feed = _feed(None)
    known = await store.polls.poll_knowledge(source, feed.items)
    await store.polls.apply_poll(decide_poll(source, Fetched(feed=feed), known, 1e9, PollRules(60)))
    assert await store.articles.reclassify(regions.classify) == (2, 0)
    assert {a.countries for a in await store.articles.latest_articles(10)} == {("DE",), ("US",)}


def _classify_cli(lines: list[dict[str, object]], *args: str) -> list[dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env["PYTHONPATH"] = str(REPO)
    run = subprocess.run(
        [sys.executable, "-m", "bot", "classify", *args],
        input="".join(json.dumps(line) + "\n" for line in lines),
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_classify_command_honours_each_lines_language() -> None:
    """`classify` reads a line in its "language", as the bot reads an article in its own."""
    title, summary, want = SPANISH[0]
    out = _classify_cli(
        [
            {"title": title, "summary": summary, "language": "es"},
            {"title": title, "summary": summary},
        ]
    )
    assert [line["countries"] for line in out] == [list(want), []]
    assert out[0]["countries"] == list(regions.classify(title, summary, (), None, "es").countries)


def test_classify_command_language_option_is_the_default_for_lines() -> None:
    """`--language ru` classifies lines that name none as Russian; a line's own language wins."""
    out = _classify_cli(
        [
            {"title": "Забастовка в Москве", "summary": "Рабочие российских заводов"},
            {"title": "Huelga en Alemania", "language": "es"},
        ],
        "--language",
        "ru",
    )
    assert [line["countries"] for line in out] == [["RU"], ["DE"]]
