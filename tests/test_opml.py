"""OPML: `sources export` prints every source as OPML 2.0; `sources import` adds a file's feeds
by the rules of /addsource, one line per feed and a summary; the two round-trip."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import ParseError
from bot.core.models import SourceSpec
from bot.core.opml import OpmlFeed, read_opml, write_opml
from bot.store import Store
from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer

REPO = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def rss(title: str, items: int = 2) -> str:
    """A small RSS 2.0 feed."""
    entries = "".join(
        f"<item><title>Story {n}</title><link>https://n.example/{n}</link></item>"
        for n in range(items)
    )
    head = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
    return f"{head}{entries}</channel></rss>"


names = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


def clean(text: str) -> str:
    """What XML 1.0 can hold of a text (control characters and U+FFFE/U+FFFF cannot)."""
    return "".join(c for c in text if c in "\t\n\r" or 0x20 <= ord(c) <= 0xFFFD or ord(c) > 0xFFFF)


@given(st.lists(st.tuples(st.integers(0, 10**6), names), max_size=8, unique_by=lambda t: t[0]))
def test_written_opml_reads_back_the_same_feeds(rows: list[tuple[int, str]]) -> None:
    """Whatever the names hold (quotes, <, &, any script), the file reads back the same feeds."""
    feeds = [OpmlFeed(url=f"https://f.example/feed?id={n}&x=<y>", title=t) for n, t in rows]
    again = read_opml(write_opml(feeds, title="t & <t>", created=WHEN).encode())
    assert again == [
        OpmlFeed(url=f.url, title=" ".join(clean(f.title).split()) or f.url) for f in feeds
    ]


def test_feeds_in_folders_are_found_once_each() -> None:
    """Outlines nested in folders count, a repeated address once, folders without xmlUrl not."""
    body = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="News"><outline text="A" xmlUrl="https://a.example/rss"/>
        <outline text="Deeper"><outline title="B" text="b" xmlUrl="https://b.example/atom"/></outline>
      </outline><outline text="A again" xmlUrl="https://a.example/rss"/></body></opml>"""
    assert read_opml(body) == [
        OpmlFeed("https://a.example/rss", "A"),
        OpmlFeed("https://b.example/atom", "B"),
    ]


@pytest.mark.parametrize("body", [b"not xml at all", b"<rss><channel/></rss>", b""])
def test_a_file_that_is_not_opml_is_refused(body: bytes) -> None:
    """A file that is not XML, or XML that is not OPML, is a ParseError saying so."""
    with pytest.raises(ParseError, match="not an OPML file"):
        read_opml(body)


def cli(cwd: Path, database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` on ``database``, private (127.0.0.1) sources allowed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update(
        {"DATABASE_PATH": str(database), "PYTHONPATH": str(REPO), "ALLOW_PRIVATE_SOURCES": "true"}
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(120),
        check=False,
    )


async def _one_source(database: Path, url: str) -> None:
    store = await Store.open(database)
    try:
        await store.sources.sync_sources([SourceSpec(name="Known", url=url)])
    finally:
        await store.close()


def test_import_adds_checks_and_skips_then_export_round_trips(tmp_path: Path) -> None:
    """Import adds the readable feeds (named by the file or the feed), skips one held already,
    reports a dead and a bad address, one line each and a summary; exported and imported into a
    new database, the same sources come back."""
    with FeedServer() as feeds:
        feeds.set("/a.rss", rss("Alpha News", 3))
        feeds.set("/b.rss", rss("Beta Daily"))
        feeds.set("/known.rss", rss("Known"))
        feeds.redirect("/old-c.rss", "/c.rss", status=301)
        feeds.set("/c.rss", rss("Gamma"))
        first = tmp_path / "first.sqlite3"
        asyncio.run(_one_source(first, feeds.url("/known.rss")))
        outlines = [
            ("", feeds.url("/a.rss")),
            ("My &amp; Beta", feeds.url("/b.rss")),
            ("Known again", feeds.url("/known.rss")),
            ("Moved", feeds.url("/old-c.rss")),
            ("Dead", feeds.url("/gone.rss")),
            ("Bad", "ftp://x.example/feed"),
        ]
        body = "".join(f'<outline text="{t}" xmlUrl="{u}"/>' for t, u in outlines)
        opml = tmp_path / "mine.opml"
        opml.write_text(f'<opml version="2.0"><head/><body>{body}</body></opml>')

        run = cli(tmp_path, first, "sources", "import", str(opml))
        lines = run.stdout.splitlines()
        assert run.returncode == 1, run.stderr  # some feeds failed
        assert run.stderr == ""
        assert len(lines) == 7
        assert lines[0].startswith("added #2 Alpha News: ")
        assert "(rss2.0, 3 items)" in lines[0]
        assert lines[1].startswith("added #3 My & Beta: ")
        assert lines[2] == f"skipped {feeds.url('/known.rss')}: already there as #1 Known"
        assert lines[3].startswith("added #4 Moved: ")
        assert lines[4].startswith(f"failed {feeds.url('/gone.rss')}: ")
        assert "404" in lines[4]
        assert lines[5].startswith("failed ftp://x.example/feed: ")
        assert lines[6] == f"imported {opml}: 3 added, 1 already there, 2 failed (6 feeds)"

        exported = cli(tmp_path, first, "sources", "export")
        assert exported.returncode == 0, exported.stderr
        held = read_opml(exported.stdout.encode())
        assert held == [
            OpmlFeed(feeds.url("/known.rss"), "Known"),
            OpmlFeed(feeds.url("/a.rss"), "Alpha News"),
            OpmlFeed(feeds.url("/b.rss"), "My & Beta"),
            OpmlFeed(feeds.url("/c.rss"), "Moved"),  # stored at the address it moved to
        ]
        again = tmp_path / "again.opml"
        again.write_text(exported.stdout)
        second = tmp_path / "second.sqlite3"
        run = cli(tmp_path, second, "sources", "import", str(again))
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout.splitlines()[-1].endswith("4 added, 0 already there, 0 failed (4 feeds)")
        assert read_opml(cli(tmp_path, second, "sources", "export").stdout.encode()) == held


def test_import_of_a_file_that_is_not_opml_says_so_in_one_line(tmp_path: Path) -> None:
    """A broken file is refused with one line naming it, and nothing is added."""
    broken = tmp_path / "broken.opml"
    broken.write_text("<opml><body><outline")
    run = cli(tmp_path, tmp_path / "bot.sqlite3", "sources", "import", str(broken))
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.startswith(f"teaserbot: cannot import {broken}: not an OPML file")
    assert len(run.stderr.splitlines()) == 1
