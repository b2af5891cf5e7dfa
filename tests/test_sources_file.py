"""The sources file: the packaged default, FEED_URLS, and every kind of mistake in a TOML file."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.core.errors import ConfigError
from bot.core.models import HtmlSelectors, SourceKind, SourceSpec
from bot.sources_file import load_sources, parse_sources_toml, sources_from_urls

TOKEN = "123456789:AAEhBOweik6ad9r_Q3zVxWfA-kLm0nOpQrS"
DEFAULT = SourceSpec(name="Socialist Revolution", url="https://socialistrevolution.org/feed/")


def problems(text: str) -> list[str]:
    """The problem lines parse_sources_toml reports for `text` (origin "s.toml")."""
    with pytest.raises(ConfigError) as caught:
        parse_sources_toml(text, "s.toml")
    return str(caught.value).splitlines()


def test_packaged_default_loads() -> None:
    """Without FEED_URLS or SOURCES_FILE the packaged file lists Socialist Revolution's feed."""
    assert load_sources(Settings()) == [DEFAULT]


def test_default_used_after_load_settings(tmp_path: Path) -> None:
    """Settings loaded from an empty environment lead to the packaged default sources."""
    settings = load_settings({}, cwd=tmp_path, require_token=False)
    assert load_sources(settings) == [DEFAULT]


def test_feed_urls_replace_the_file(tmp_path: Path) -> None:
    """FEED_URLS give one feed source per URL, named after its host, ignoring SOURCES_FILE."""
    (tmp_path / "s.toml").write_text('[[source]]\nname = "X"\nurl = "https://x.example/"\n')
    settings = load_settings(
        {
            "SOURCES_FILE": "s.toml",
            "FEED_URLS": "https://news.example/rss,http://127.0.0.1:8000/feed.xml",
        },
        cwd=tmp_path,
        require_token=False,
    )
    assert load_sources(settings) == [
        SourceSpec(name="news.example", url="https://news.example/rss"),
        SourceSpec(name="127.0.0.1", url="http://127.0.0.1:8000/feed.xml"),
    ]


def test_feed_urls_on_one_host_get_distinct_names() -> None:
    """Several URLs on one host are told apart by their paths."""
    names = [
        spec.name
        for spec in sources_from_urls(
            ["https://a.example/one/", "https://a.example/two", "http://a.example/two"]
        )
    ]
    assert names == ["a.example", "a.example/two", "a.example/two (2)"]


def test_sources_file_from_settings(tmp_path: Path) -> None:
    """SOURCES_FILE is read relative to cwd and every field of a source is kept."""
    (tmp_path / "my.toml").write_text(
        """
[[source]]
name = "Socialist Revolution"
url = "https://socialistrevolution.org/feed/"
kind = "feed"
region = "Britain"

[[source]]
name = " Listing "
url = "https://example.org/news"
kind = "HTML"
[source.selectors]
item = "article"
title = "h2"
link = "h2 a"
summary = "p.lead"
date = "time"

[[source]]
name = "Home"
url = "https://example.net/"
kind = "auto"

[[source]]
name = "Page without selectors"
url = "https://example.com/list"
kind = "html"
""",
        encoding="utf-8",
    )
    settings = load_settings({"SOURCES_FILE": "my.toml"}, cwd=tmp_path, require_token=False)
    assert load_sources(settings) == [
        SourceSpec(
            name="Socialist Revolution",
            url="https://socialistrevolution.org/feed/",
            kind=SourceKind.FEED,
            region="Britain",
        ),
        SourceSpec(
            name="Listing",
            url="https://example.org/news",
            kind=SourceKind.HTML,
            selectors=HtmlSelectors(
                item="article", title="h2", link="h2 a", summary="p.lead", date="time"
            ),
        ),
        SourceSpec(name="Home", url="https://example.net/", kind=SourceKind.AUTO),
        SourceSpec(name="Page without selectors", url="https://example.com/list", kind="html"),
    ]


def test_empty_file_means_no_sources() -> None:
    """A file without [[source]] tables is valid and lists nothing."""
    assert parse_sources_toml("# nothing yet\n", "s.toml") == []


def test_sources_file_removed_after_loading_settings(tmp_path: Path) -> None:
    """A sources file that disappears before it is read is a ConfigError naming it."""
    path = tmp_path / "gone.toml"
    with pytest.raises(ConfigError, match=r"SOURCES_FILE: .*gone\.toml: cannot be read"):
        load_sources(Settings(sources_file=path))


def test_sources_file_not_utf8(tmp_path: Path) -> None:
    """A sources file that is not UTF-8 is a ConfigError."""
    path = tmp_path / "latin.toml"
    path.write_bytes(b'[[source]]\nname = "Caf\xe9"\n')
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_sources(Settings(sources_file=path))


def test_invalid_toml_syntax() -> None:
    """A TOML syntax error is reported with the origin and the parser's position."""
    found = problems('[[source]]\nname = "x\n')
    assert len(found) == 1
    assert found[0].startswith("s.toml: invalid TOML: ")
    assert "line 2" in found[0]


def test_missing_name_and_url() -> None:
    """A source without name or url is reported for each."""
    assert problems("[[source]]\nkind = 'feed'\n") == [
        "s.toml: source 1: missing name",
        "s.toml: source 1: missing url",
    ]


def test_wrong_types() -> None:
    """Non-string or empty names, urls and regions are reported."""
    assert problems('[[source]]\nname = 3\nurl = ""\nregion = ["a"]\n') == [
        "s.toml: source 1: name must be a non-empty string",
        "s.toml: source 1: url must be a non-empty string",
        "s.toml: source 1: region must be a non-empty string",
    ]


def test_bad_url_scheme() -> None:
    """A url that is not http(s) is reported."""
    assert problems('[[source]]\nname = "A"\nurl = "ftp://a.example/feed"\n') == [
        "s.toml: source 1 ('A'): url 'ftp://a.example/feed' must start with http:// or https://"
    ]


def test_unknown_kind() -> None:
    """A kind other than feed, html or auto is reported."""
    assert problems('[[source]]\nname = "A"\nurl = "https://a.example/"\nkind = "rss"\n') == [
        "s.toml: source 1 ('A'): kind 'rss' is not one of feed, html, auto"
    ]


def test_selectors_without_item_and_title() -> None:
    """Selectors missing item or title are reported for each."""
    text = '[[source]]\nname = "A"\nurl = "https://a.example/"\nkind = "html"\n'
    text += '[source.selectors]\nlink = "a"\n'
    assert problems(text) == [
        "s.toml: source 1 ('A'): selectors: missing item",
        "s.toml: source 1 ('A'): selectors: missing title",
    ]


def test_selectors_on_a_feed() -> None:
    """Selectors on a source whose kind is not html are reported."""
    text = '[[source]]\nname = "A"\nurl = "https://a.example/"\n'
    text += '[source.selectors]\nitem = "li"\ntitle = "a"\n'
    assert problems(text) == ["s.toml: source 1 ('A'): selectors apply only to kind = \"html\""]


def test_selectors_not_a_table() -> None:
    """A selectors value that is not a table is reported."""
    text = '[[source]]\nname = "A"\nurl = "https://a.example/"\nkind = "html"\nselectors = "li"\n'
    assert problems(text) == [
        "s.toml: source 1 ('A'): selectors must be a table ([source.selectors])"
    ]


def test_duplicate_urls() -> None:
    """The same URL twice (ignoring host case and a trailing slash) is reported."""
    text = '[[source]]\nname = "A"\nurl = "https://a.example/feed/"\n'
    text += '[[source]]\nname = "B"\nurl = "https://A.EXAMPLE/feed"\n'
    assert problems(text) == [
        "s.toml: source 2 ('B'): url 'https://A.EXAMPLE/feed' repeats source 1"
    ]


def test_unknown_keys() -> None:
    """Unknown keys at the top, in a source and in its selectors are all reported."""
    text = 'title = "mine"\n[[sources]]\nname = "typo"\n'
    text += '[[source]]\nname = "A"\nurl = "https://a.example/"\nkind = "html"\nregoin = "X"\n'
    text += '[source.selectors]\nitem = "li"\ntitle = "a"\nauthor = "span"\n'
    assert problems(text) == [
        "s.toml: unknown key 'title' (expected [[source]] tables)",
        "s.toml: unknown key 'sources' (expected [[source]] tables)",
        "s.toml: source 1 ('A'): unknown key 'regoin' "
        "(expected one of kind, language, name, region, selectors, url)",
        "s.toml: source 1 ('A'): selectors: unknown key 'author' "
        "(expected one of item, title, link, summary, date)",
    ]


def test_source_not_an_array_of_tables() -> None:
    """`source` written as a plain value is reported."""
    assert problems('source = "https://a.example/"\n') == [
        "s.toml: 'source' must be written as [[source]] tables"
    ]


def test_every_problem_reported_together() -> None:
    """Problems in several sources come back in one ConfigError, one per line, in file order."""
    text = '[[source]]\nurl = "https://a.example/"\n'
    text += '[[source]]\nname = "B"\nurl = "gopher://b"\nkind = "x"\n'
    text += '[[source]]\nname = "C"\nurl = "https://a.example"\n'
    assert problems(text) == [
        "s.toml: source 1: missing name",
        "s.toml: source 2 ('B'): url 'gopher://b' must start with http:// or https://",
        "s.toml: source 2 ('B'): kind 'x' is not one of feed, html, auto",
    ]
