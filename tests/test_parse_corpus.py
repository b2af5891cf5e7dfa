"""Every shared test feed parses safely (skipped where /work/shared is absent)."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.core.errors import ParseError
from bot.core.models import ParsedFeed
from bot.core.parsing.parse import parse_document

FEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "feeds"
SKIP_NAMES = {"LICENSE", "README", "README.md", "README.txt"}

# Real feeds that are well-formed but whose items genuinely lack something, with the reason.
REAL_WITHOUT_LINKS = {
    "cc314ce5dfbb3adc": "AreWeAntiCheatYet change log: items have title/date/description only, "
    "no <link> and no <guid>",
}


def corpus(folder: str) -> list[Path]:
    """The data files under one folder of the shared feed corpus, recursively."""
    root = FEEDS / folder
    if not root.is_dir():
        pytest.skip(f"shared test data absent: {root}")
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name not in SKIP_NAMES)


def parse_or_none(path: Path) -> ParsedFeed | None:
    """Parse one file; None when it is rejected with a ParseError (the only allowed error)."""
    try:
        return parse_document(path.read_bytes(), url=f"https://corpus.example/{path.name}")
    except ParseError:
        return None


def all_text(feed: ParsedFeed) -> str:
    """Every string a parsed feed carries, joined, for leak checks."""
    parts = [feed.title or "", feed.link or ""]
    for item in feed.items:
        parts += [item.key, item.title, item.summary, item.url or "", item.image or ""]
        parts += item.categories
    return "\n".join(parts)


@pytest.mark.parametrize("folder", ["feedparser", "w3c", "malformed", "synthetic", "hostile"])
def test_no_exception_but_parse_error_escapes(folder: str) -> None:
    """Every file in the folder yields a ParsedFeed or a ParseError, never another exception."""
    files = corpus(folder)
    parsed = [parse_or_none(p) for p in files]
    assert files
    assert any(feed is not None for feed in parsed)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Records every request the hostile documents could provoke."""

    hits: list[str] = []  # noqa: RUF012 - shared by the handler instances on purpose

    def do_GET(self) -> None:
        """Record the path and answer with text that must never reach the output."""
        self.hits.append(self.path)
        body = b'<!ENTITY leaked "FETCHED-SECRET">FETCHED-SECRET'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet."""


@pytest.fixture
def trap_server() -> Iterator[list[str]]:
    """The 127.0.0.1:8765 server the hostile files point at, recording any request."""
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 8765), _Recorder)
    except OSError:
        pytest.skip("port 8765 is busy; cannot watch for requests")
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_documents_expand_and_fetch_nothing(trap_server: list[str]) -> None:
    """XML attacks parse without expanding entities, reading files or making requests."""
    passwd = Path("/etc/passwd")
    secret_lines = [ln for ln in passwd.read_text().splitlines() if ln] if passwd.exists() else []
    for path in corpus("hostile"):
        feed = parse_or_none(path)
        if feed is None:
            continue
        text = all_text(feed)
        assert "lollol" not in text, path.name
        assert "AAAAAAAAAA" not in text, path.name
        assert "FETCHED-SECRET" not in text, path.name
        assert "root:" not in text, path.name
        assert not any(line in text for line in secret_lines[:3]), path.name
        assert len(text) < 2000, path.name
    assert trap_server == []


def test_real_feeds_yield_items_with_title_and_link() -> None:
    """Each real feed yields items, all with a title and a link (known exceptions named)."""
    problems = []
    for path in corpus("real"):
        feed = parse_or_none(path)
        if feed is None or not feed.items:
            problems.append(f"{path.name}: no items")
            continue
        untitled = [i.key for i in feed.items if not i.title]
        unlinked = [i.key for i in feed.items if not i.url]
        if path.name in REAL_WITHOUT_LINKS:
            assert not untitled
            assert len(unlinked) == len(feed.items)
            continue
        if untitled or unlinked:
            problems.append(f"{path.name}: untitled={untitled[:2]} unlinked={unlinked[:2]}")
    assert problems == []


def test_malformed_feeds_recover_their_items() -> None:
    """The common breakages still give the twenty items with correctly decoded text."""
    files = {p.name: p for p in corpus("malformed")}
    for name, path in files.items():
        if name == "12_html_error_page.xml":
            with pytest.raises(ParseError, match="not a feed: looks like an HTML page"):
                parse_document(path.read_bytes(), url="https://corpus.example/")
            continue
        feed = parse_document(path.read_bytes(), url="https://corpus.example/")
        assert feed.format == "rss2.0", name
        if name == "04_truncated_60pct.xml":
            assert 5 <= len(feed.items) < 20, name
        else:
            assert len(feed.items) == 20, name
        titles = [item.title for item in feed.items]
        assert "Café workers strike in São Paulo" in titles, name
        assert "AT&T layoffs: 10,000 jobs cut" in titles, name
        assert all(
            item.url and item.url.startswith("https://example.org/a?id=") for item in feed.items
        )


def test_synthetic_feeds_give_the_item_count_in_their_name() -> None:
    """Each synthetic feed yields as many items as its file name says, with title and link."""
    for path in corpus("synthetic"):
        match = re.search(r"_(\d+)(?:_|$)", path.stem)
        assert match, path.name
        count = int(match.group(1))
        feed = parse_document(path.read_bytes(), url="https://corpus.example/")
        assert len(feed.items) == count, path.name
        assert all(item.title and item.url for item in feed.items), path.name
