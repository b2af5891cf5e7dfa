"""`python -m bot preview URL_OR_FILE [--json]`, run as a real subprocess without a token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer, rss

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures" / "feeds"
JSON_KEYS = {
    *("title", "summary", "url", "published", "categories", "image", "key", "countries"),
    "topics",
}


def preview(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the preview command with no bot configuration in the environment (local test
    servers allowed: ALLOW_PRIVATE_SOURCES=true)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env["PYTHONPATH"] = str(REPO)
    env["ALLOW_PRIVATE_SOURCES"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "bot", "preview", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(30),
        check=False,
    )


def json_lines(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def expected(name: str) -> list[dict[str, Any]]:
    data = json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))
    items: list[dict[str, Any]] = data["items"]
    return items


def comparable(item: dict[str, Any]) -> tuple[Any, ...]:
    published = item["published"]
    if published is not None:
        published = published.replace("+00:00", "Z")
    return (item["key"], item["title"], item["summary"], published, item["categories"])


@pytest.mark.parametrize(
    "name",
    ["rss2_wordpress.xml", "atom03.xml", "rss10_rdf.xml", "rss091_netscape.xml", "jsonfeed11.json"],
)
def test_json_preview_of_a_local_feed_file(name: str, tmp_path: Path) -> None:
    """--json prints one object per item with categories, image and key, as the parser reads it."""
    lines = json_lines(preview(str(FIXTURES / name), "--json", cwd=tmp_path))
    assert lines
    assert all(set(line) == JSON_KEYS for line in lines)
    # A file has no web address: items whose link is relative to it are left out of the check.
    want = [
        item
        for item in expected(name.rsplit(".", 1)[0])
        if "fixtures.example" not in json.dumps([item["key"], item["url"]])
    ]
    assert want
    got = {line["key"]: line for line in lines}
    assert [comparable(got[item["key"]]) for item in want] == [comparable(item) for item in want]
    images = [(i["key"], i["image"]) for i in want if "fixtures.example" not in str(i["image"])]
    assert [(key, got[key]["image"]) for key, _ in images] == images


def test_text_preview_prints_teasers_and_a_summary_line(tmp_path: Path) -> None:
    """Without --json the teasers are printed as posted (topic hashtags too), and the count and
    format on stderr."""
    result = preview(str(FIXTURES / "rss2_wordpress.xml"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Strike spreads to ports &amp; rail" in result.stdout
    assert "<i>Example &amp; Co News</i> #Politics #Economy" in result.stdout
    assert '<a href="https://news.example.com/2021/02/strike/?id=7#comments">' in result.stdout
    assert "(2 items, format rss2.0)" in result.stderr


def test_preview_of_a_local_html_listing(tmp_path: Path) -> None:
    """A saved listing page without a feed link is read through its JSON-LD."""
    lines = json_lines(preview(str(FIXTURES / "html_jsonld.html"), "--json", cwd=tmp_path))
    assert [line["title"] for line in lines] == ["Graph article", "Listed post", "Bare list item"]
    assert lines[0]["categories"] == ["Africa", "Health"]


def test_preview_of_a_feed_url(feeds: FeedServer, tmp_path: Path) -> None:
    """A feed URL is fetched and previewed; tracking parameters are gone from the links."""
    feeds.set(
        "/feed.xml",
        rss(
            [
                {
                    "title": "Strike in Lagos",
                    "link": "https://news.example/lagos?utm_source=rss",
                    "guid": "g-1",
                    "category": ["Africa", "Labour"],
                    "description": '<img src="https://img.example/l.jpg"> Workers struck.',
                }
            ]
        ),
    )
    (line,) = json_lines(preview(feeds.url("/feed.xml"), "--json", cwd=tmp_path))
    assert (line["key"], line["url"]) == ("g-1", "https://news.example/lagos")
    assert (line["categories"], line["image"]) == (
        ["Africa", "Labour"],
        "https://img.example/l.jpg",
    )
    assert line["countries"] == ["NG"]
    assert "teaserbot" in feeds.requests("/feed.xml")[0].headers["user-agent"]


def test_preview_of_a_home_page_url_discovers_its_feed(feeds: FeedServer, tmp_path: Path) -> None:
    """A home page URL leads to the feed it announces."""
    page = (
        '<html><head><link rel="alternate" type="application/atom+xml" href="/atom"></head></html>'
    )
    feeds.set("/", page, content_type="text/html")
    feeds.set(
        "/atom",
        (FIXTURES / "atom03.xml").read_bytes(),
        content_type="application/atom+xml",
    )
    lines = json_lines(preview(feeds.url("/"), "--json", cwd=tmp_path))
    assert [line["key"] for line in lines] == [i["key"] for i in expected("atom03")]


def test_preview_of_an_html_listing_url(feeds: FeedServer, tmp_path: Path) -> None:
    """An HTML listing URL is read with --kind html; relative links resolve against the page."""
    feeds.set("/news", (FIXTURES / "html_jsonld.html").read_bytes(), content_type="text/html")
    lines = json_lines(preview(feeds.url("/news"), "--json", "--kind", "html", cwd=tmp_path))
    assert lines[0]["url"] == feeds.url("/news/graph")
    assert lines[0]["image"] == feeds.url("/img/graph.jpg")


def test_preview_failure_is_one_line_not_a_traceback(feeds: FeedServer, tmp_path: Path) -> None:
    """An unreadable source ends with status 1 and one explanatory line."""
    feeds.set("/broken", "<html><body>Oops</body></html>", content_type="text/html")
    result = preview(feeds.url("/broken"), "--kind", "feed", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("teaserbot: cannot preview")
    missing = preview(str(tmp_path / "nope.xml"), cwd=tmp_path)
    assert missing.returncode == 1
    assert "nope.xml" in missing.stderr
