"""Routing one story to 100,000 chats with mixed filters (issue 24: target ≤ 100 ms).

Run: .venv/bin/python bench/routing.py [--chats 100000] [--runs 7] [--naive]

The chats are drawn with a fixed seed: a third chose nothing, the others regions, topics,
keywords (included and excluded words), sites, alone and combined. The stories are teasers
written for this bench in the six languages. Three ways side by side, each the median of
``--runs`` passes over every story:
  * ``ChatIndex.recipients``: chats grouped by identical filter, each filter compiled once,
    region and keyword answers shared between filters (what the bot is meant to use);
  * ``recipients``: one pass over the chats, compiling each distinct filter on the way;
  * naive: ``allows(filter, story)`` for every chat, nothing shared.
The story's side (``story_facts``: topics and the words' stems) is timed apart: it is paid
once per story, whatever the number of chats.

Then the bot's own path: ``decide_poll`` of a poll with one new item, given the same chats as
``Chat`` records read back as the store reads them (each poll a fresh tuple of fresh records,
settings shared as ``settings_from_text`` shares them), with the poller's ``PollRules`` and its
``Router``: the first poll (the index built), later polls (the chats compared, one story
classified and routed), and a poll after one chat changed its filter.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace

from bot.core import keywords, regions
from bot.core.chat_filters import (
    ChatFilter,
    ChatIndex,
    SiteFilter,
    StoryFacts,
    allows,
    recipients,
    story_facts,
)
from bot.core.chat_settings import ChatSettings, settings_from_text, settings_to_text
from bot.core.models import Chat, ChatKind, ParsedFeed, ParsedItem, Source
from bot.core.polling import Fetched, PollKnowledge, PollRules, decide_poll
from bot.core.topics import TOPICS, TopicFilter

STORIES = (
    ("en", "Chile: copper miners strike at Escondida", "Workers walk out over wages."),
    ("en", "Ukraine peace talks stall in Geneva", "Russian shelling goes on as envoys meet."),
    ("en", "Britain: inflation squeezes working families", "Prices rise faster than wages."),
    ("es", "Argentina: huelga general contra el ajuste de Milei", "Los sindicatos paralizan."),
    ("pt", "Brasil: greve dos metroviários paralisa São Paulo", "Trabalhadores exigem reajuste."),
    ("fr", "France : grève contre la réforme des retraites", "Les syndicats appellent à agir."),
    ("de", "Warnstreik bei der Bahn", "Die GDL ruft zum Streik auf, der Verkehr steht still."),
    ("ru", "Забастовка шахтёров в Кузбассе", "Рабочие требуют повышения зарплаты."),
    ("en", "Floods devastate Pakistan's Sindh province", "Climate disaster displaces millions."),
    ("en", "Football: Liverpool win the league", "A season to remember for the fans."),
)
REGION_NAMES = (
    "europe",
    "latin america",
    "asia",
    "africa",
    "middle east",
    "russia",
    "usa",
    "uk",
    "chile brazil argentina",
    "eastern europe",
    "south asia",
    "france germany",
    "north america",
    "none",
    "ukraine russia",
)
WORDS = tuple(
    " ".join(
        (
            "strike huelga greve grève Streik забастовка union sindicato wages salario",
            "inflation football futebol fútbol election elecciones war guerra climate clima",
            "police racism miners teachers nurses dockers pension pensiones Milei Macron Putin",
            "Trump Lula oil gas rent housing students university protest protesta refugees",
            "migrants gaza ukraine chile bank debt imf austerity privatisation nationalise",
            "army nato drone sanctions",
        )
    ).split()
)


def _chats(n: int, seed: int = 24) -> list[tuple[int, ChatFilter]]:
    """``n`` chats with a realistic mix of filters (fixed seed)."""
    rnd = random.Random(seed)
    region_filters = [regions.parse_filter(name) for name in REGION_NAMES]
    chats = []
    for i in range(n):
        roll = rnd.random()
        f = ChatFilter()
        if roll >= 0.33:
            if rnd.random() < 0.55:
                f = ChatFilter(regions=rnd.choice(region_filters))
            if rnd.random() < 0.4:
                chosen = frozenset(rnd.sample(TOPICS, rnd.randint(1, 3)))
                f = ChatFilter(f.regions, TopicFilter(chosen), f.keywords, f.sites)
            if rnd.random() < 0.25:
                signed = [("-" if rnd.random() < 0.3 else "+") + w for w in rnd.sample(WORDS, 4)]
                words = keywords.parse_keywords(" ".join(signed[: rnd.randint(1, 4)]))
                f = ChatFilter(f.regions, f.topics, words, f.sites)
            if rnd.random() < 0.1:
                sites = SiteFilter(frozenset(rnd.sample(range(1, 11), rnd.randint(1, 3))))
                f = ChatFilter(f.regions, f.topics, f.keywords, sites)
        chats.append((-1_000_000_000_000 - i, f))
    return chats


def _stories() -> list[StoryFacts]:
    out = []
    for source_id, (language, title, summary) in enumerate(STORIES, 1):
        places = regions.classify(title, summary, (), None, language)
        out.append(
            story_facts(
                source_id=source_id,
                title=title,
                summary=summary,
                language=language,
                places=places,
            )
        )
    return out


def _median_ms(route: Callable[[StoryFacts], int], stories: list[StoryFacts], runs: int) -> float:
    """Median over ``runs`` of the mean time to route one story, in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for story in stories:
            route(story)
        times.append((time.perf_counter() - start) / len(stories) * 1000)
    return statistics.median(times)


def _records(chats: list[tuple[int, ChatFilter]]) -> tuple[Chat, ...]:
    """The chats as the store gives them: fresh records, filters parsed from their stored text."""
    out = []
    for chat_id, f in chats:
        stored = settings_to_text(ChatSettings(topics=f.topics, keywords=f.keywords, sites=f.sites))
        out.append(
            Chat(
                id=chat_id,
                kind=ChatKind.CHANNEL,
                title=None,
                username=None,
                thread_id=None,
                subscribed=True,
                region_filter=regions.filter_from_text(regions.filter_to_text(f.regions)),
                link_previews=True,
                settings=settings_from_text(stored),
            )
        )
    return tuple(out)


def _poll(n: int) -> tuple[Source, Fetched]:
    """A baselined source's poll that reads one new item (story ``n`` of ``STORIES``)."""
    language, title, summary = STORIES[n % len(STORIES)]
    source = replace(Source.unsaved("https://news.example/feed", name="News"), id=1 + n % 10)
    url = f"https://news.example/{n}"
    item = ParsedItem(f"k{n}", title, summary, url, None, language=language)
    feed = ParsedFeed(format="rss2.0", title=None, link=None, items=(item,))
    return replace(source, baseline_done=True), Fetched(feed=feed)


def _real_path(chats: list[tuple[int, ChatFilter]], runs: int) -> None:
    """decide_poll's routing as the poller runs it, chats read afresh for every poll."""
    rules = PollRules(interval=300)
    known = PollKnowledge(chats=_records(chats))  # the store's read: not timed
    start = time.perf_counter()
    decide_poll(*_poll(0), known, 0.0, rules)
    first = (time.perf_counter() - start) * 1000
    print(f"decide_poll, first poll (index built): {first:.0f} ms")
    times: list[float] = []
    reached = []
    for n in range(max(runs, len(STORIES))):
        known = PollKnowledge(chats=_records(chats))  # the store's read: not timed
        start = time.perf_counter()
        intent = decide_poll(*_poll(n), known, 0.0, rules)
        times.append((time.perf_counter() - start) * 1000)
        reached.append(len(intent.articles[0].recipients))
    median = statistics.median(times)
    print(
        f"decide_poll, one new item, later polls: **{median:.1f} ms** median of {len(times)} "
        f"(min {min(times):.1f}, max {max(times):.1f}; {min(reached):,}-{max(reached):,} chats)"
    )
    changed = list(chats)
    changed[len(changed) // 2] = (
        changed[len(changed) // 2][0],
        ChatFilter(topics=TopicFilter(frozenset({"war"}))),
    )
    known = PollKnowledge(chats=_records(changed))
    start = time.perf_counter()
    decide_poll(*_poll(1), known, 0.0, rules)
    after = (time.perf_counter() - start) * 1000
    print(f"decide_poll after one chat changed its filter: {after:.1f} ms")


def main() -> None:
    """Print the figures."""
    n = int(sys.argv[sys.argv.index("--chats") + 1]) if "--chats" in sys.argv else 100_000
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 7
    chats = _chats(n)
    start = time.perf_counter()
    index = ChatIndex(chats)
    built = (time.perf_counter() - start) * 1000
    _stories()  # the first story of each language builds that language's tables
    start = time.perf_counter()
    stories = _stories()
    facts_ms = (time.perf_counter() - start) / len(STORIES) * 1000
    reach = [len(index.recipients(s)) for s in stories]
    print(
        f"{n:,} chats, {index.distinct_filters:,} distinct filters; index built in {built:.0f} ms"
    )
    print(f"story facts (places, topics, words): {facts_ms:.2f} ms per story, tables warm")
    middle = statistics.median(reach)
    print(f"recipients per story: {min(reach):,} to {max(reach):,} (median {middle:,.0f})")
    indexed = _median_ms(lambda s: len(index.recipients(s)), stories, runs)
    print(f"ChatIndex.recipients: **{indexed:.1f} ms** per story (median of {runs} runs)")
    one_pass = _median_ms(lambda s: len(recipients(s, chats)), stories, max(3, runs // 2))
    print(f"recipients (one pass, filters compiled on the way): {one_pass:.1f} ms per story")
    if "--naive" in sys.argv:
        naive = _median_ms(lambda s: sum(allows(f, s) for _i, f in chats), stories[:3], 3)
        print(f"naive allows() per chat: {naive:.1f} ms per story")
    for s in stories:
        assert sorted(index.recipients(s)) == sorted(recipients(s, chats))
    _real_path(chats, runs)


if __name__ == "__main__":
    main()
