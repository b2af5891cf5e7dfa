"""Unit behaviour of the parsing helpers: dates, URLs, boilerplate, keys, encodings, HTML pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selectolax.lexbor import LexborHTMLParser

from bot.core.errors import ParseError
from bot.core.models import HtmlSelectors, SourceKind
from bot.core.parsing.clean import (
    canonical_url,
    cut_text,
    decode_body,
    hash_key,
    html_to_text,
    parse_date,
    strip_boilerplate,
)
from bot.core.parsing.parse import discover_feed_urls, looks_like_html, parse_document


def utc(*args: int) -> datetime:
    """A UTC datetime."""
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed, 10 Feb 2021 12:00:00 +0000", utc(2021, 2, 10, 12)),
        ("Wed, 10 Feb 2021 12:00:00 GMT", utc(2021, 2, 10, 12)),
        ("Wed, 10 Feb 2021 07:00:00 EST", utc(2021, 2, 10, 12)),
        ("Wed, 10 Feb 2021 05:00:00 PDT", utc(2021, 2, 10, 12)),
        ("Wed, 10 Feb 2021 13:00 CET", utc(2021, 2, 10, 12)),
        ("10 Feb 2021 12:00:00 Z", utc(2021, 2, 10, 12)),
        ("Mon, 10 Feb 21 12:00:00 +0000", utc(2021, 2, 10, 12)),  # wrong day name, 2-digit year
        ("Wednesday, 10 February 2021 14:30:00 +0230", utc(2021, 2, 10, 12)),
        ("Wed, 10 Feb 2021 12:00:00 +00:00", utc(2021, 2, 10, 12)),
        ("Wed,10 Feb 2021 12:00:00", utc(2021, 2, 10, 12)),
        ("10 Feb 99 00:00 UT", utc(1999, 2, 10)),
        ("2021-02-10T12:00:00Z", utc(2021, 2, 10, 12)),
        ("2021-02-10T14:00:00+02:00", utc(2021, 2, 10, 12)),
        ("2021-02-10T12:00:00.123456-00:00", utc(2021, 2, 10, 12, 0, 0, 123456)),
        ("2021-02-10 12:00:00 +0000", utc(2021, 2, 10, 12)),
        ("2021-02-10", utc(2021, 2, 10)),
        ("2021-02", utc(2021, 2, 1)),
        ("February 10, 2021", utc(2021, 2, 10)),
        ("Feb 10, 2021 12:00 PM", utc(2021, 2, 10, 12)),
        ("", None),
        ("not a date", None),
        ("Wed, 31 Feb 2021 12:00:00 GMT", None),
        ("2021-13-45T99:00:00Z", None),
    ],
)
def test_dates_parse_to_utc(text: str, expected: datetime | None) -> None:
    """RFC 822 variants and ISO 8601 become aware UTC datetimes; junk becomes None."""
    parsed = parse_date(text)
    assert parsed == expected
    if parsed is not None:
        assert parsed.utcoffset() is not None
        assert parsed.tzinfo == UTC


def test_published_preferred_over_updated() -> None:
    """An item's published date wins over its updated date, which is the fallback."""
    doc = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><title>a</title><id>1</id><updated>2021-03-01T00:00:00Z</updated>"
        b"<published>2021-02-01T00:00:00Z</published></entry>"
        b"<entry><title>b</title><id>2</id><updated>2021-03-02T00:00:00Z</updated></entry></feed>"
    )
    items = parse_document(doc, url="https://e.example/").items
    assert [i.published for i in items] == [utc(2021, 2, 1), utc(2021, 3, 2)]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTPS://Example.COM/Path?a=1#frag", "https://example.com/Path?a=1#frag"),
        ("https://e.com/x?utm_source=rss&b=2&utm_medium=feed&a=1", "https://e.com/x?b=2&a=1"),
        ("https://e.com/x?fbclid=1&gclid=2&mc_cid=3&mc_eid=4", "https://e.com/x"),
        ("https://e.com/x?igshid=1&ref_src=2&_ga=3&yclid=4&msclkid=5&id=9", "https://e.com/x?id=9"),
        ("http://e.com:80/a", "http://e.com/a"),
        ("https://e.com:443/a", "https://e.com/a"),
        ("https://e.com:8443/a", "https://e.com:8443/a"),
        ("https://e.com", "https://e.com/"),
        ("https://e.com/a?z=1&y=2", "https://e.com/a?z=1&y=2"),
    ],
)
def test_canonical_urls(url: str, expected: str) -> None:
    """Tracking parameters, fragments, default ports and host case are normalised away."""
    assert canonical_url(url) == expected


def test_item_links_are_resolved_and_javascript_dropped() -> None:
    """Relative links resolve against the document URL; non-http links are not item URLs."""
    doc = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>a</title><link>/news/a?utm_source=x</link></item>"
        b"<item><title>b</title><link>javascript:alert(1)</link></item>"
        b"<item><title>c</title><link>mailto:x@example.com</link></item></channel></rss>"
    )
    items = parse_document(doc, url="https://site.example/feed/").items
    assert [i.url for i in items] == ["https://site.example/news/a", None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Floods hit the north. Read more", "Floods hit the north."),
        ("Floods hit the north. Read more »", "Floods hit the north."),
        ("Floods hit the north. Continue reading →", "Floods hit the north."),
        ("Floods hit the north. Continue reading Floods →", "Floods hit the north."),
        ("Floods hit the north. Read the full article", "Floods hit the north."),
        ("Floods hit the north. […]", "Floods hit the north. …"),
        ("Floods hit the north [...]", "Floods hit the north…"),
        ("Floods hit. The post Floods appeared first on Daily News.", "Floods hit."),
        ("Floods hit the north. Rivers rose and the army was…", "Floods hit the north. …"),
        ("Floods hit the north and the army was...", "Floods hit the north and the army was…"),
        ("Read more about the floods in the north.", "Read more about the floods in the north."),
    ],
)
def test_boilerplate_is_removed(text: str, expected: str) -> None:
    """Teaser boilerplate and trailing unfinished fragments are removed, real text kept."""
    assert strip_boilerplate(text) == expected


def test_long_text_is_cut_at_a_sentence_or_word() -> None:
    """Cutting prefers a sentence end, else a word boundary with an ellipsis."""
    sentences = "A short sentence here. " * 40
    cut = cut_text(sentences.strip(), 100)
    assert cut.endswith("here. …")
    assert len(cut) <= 100
    words = cut_text("word " * 100, 50)
    assert words.endswith("word…")
    assert len(words) <= 51


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>Hello <b>world</b></p><p>Again</p>", "Hello world Again"),
        ("AT&amp;T &hellip; caf&eacute;&nbsp;bar", "AT&T … café bar"),
        ("&lt;b&gt;escaped&lt;/b&gt; markup", "<b>escaped</b> markup"),
        ("Workers&amp;#8217; Control", "Workers’ Control"),  # noqa: RUF001
        ("line<br>break<script>alert(1)</script>", "line break"),
        ("a < b and c > d", "a < b and c > d"),
        ("  spaced \n\t out  ", "spaced out"),
    ],
)
def test_html_to_text(fragment: str, expected: str) -> None:
    """HTML fragments become one line of plain text."""
    assert html_to_text(fragment) == expected


def test_html_to_text_agrees_with_selectolax_on_plain_markup() -> None:
    """The fast regex stripper gives the same words as a real HTML parser."""
    fragment = '<div><p>One <a href="x">two</a>,</p><ul><li>three</li><li>four</li></ul></div>'
    tree = LexborHTMLParser(fragment)
    assert html_to_text(fragment).split() == tree.text(separator=" ").replace(" ,", ",").split()


def test_undeclared_html_entities_parse() -> None:
    """A document using HTML named entities XML does not know still parses, text decoded."""
    doc = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>T&nbsp;t</title>'
        b"<item><title>Caf&eacute; &ndash; news&hellip;</title><link>https://e.example/1</link>"
        b"</item></channel></rss>"
    )
    feed = parse_document(doc, url="https://e.example/")
    assert feed.title == "T t"
    assert feed.items[0].title == "Café – news…"  # noqa: RUF001


def test_key_is_guid_and_survives_title_edits() -> None:
    """The identity key comes from the guid, so editing title or summary keeps it."""
    template = (
        '<rss version="2.0"><channel><title>t</title><item><title>{}</title>'
        "<guid>urn:x:42</guid><description>{}</description></item></channel></rss>"
    )
    first = parse_document(template.format("Old", "one").encode(), url="https://e.example/")
    second = parse_document(template.format("New", "two").encode(), url="https://e.example/")
    assert first.items[0].key == second.items[0].key == "urn:x:42"


def test_hash_key_without_guid_or_link() -> None:
    """Items with neither guid nor link get a sha1 key from title and date."""
    doc = (
        b'<rss version="2.0"><channel><title>t</title><item><title>Only a title</title>'
        b"<pubDate>Wed, 10 Feb 2021 12:00:00 GMT</pubDate></item></channel></rss>"
    )
    item = parse_document(doc, url="https://e.example/").items[0]
    assert item.key == hash_key("Only a title", utc(2021, 2, 10, 12))
    assert item.key.startswith("sha1:")
    assert len(item.key) == 45


def test_items_keep_document_order() -> None:
    """Items come back in the order of the document, not sorted by date."""
    doc = (
        b'<rss version="2.0"><channel><title>t</title>'
        b"<item><title>old</title><link>https://e.example/1</link>"
        b"<pubDate>Mon, 01 Feb 2021 00:00:00 GMT</pubDate></item>"
        b"<item><title>new</title><link>https://e.example/2</link>"
        b"<pubDate>Wed, 10 Feb 2021 00:00:00 GMT</pubDate></item></channel></rss>"
    )
    assert [i.title for i in parse_document(doc, url="https://e.example/").items] == [
        "old",
        "new",
    ]


def _rss(title: str, encoding: str) -> bytes:
    decl = f'<?xml version="1.0" encoding="{encoding}"?>'
    doc = (
        f'{decl}<rss version="2.0"><channel><title>t</title><item><title>{title}</title>'
        "<link>https://e.example/1</link></item></channel></rss>"
    )
    return doc.encode(encoding)


@pytest.mark.parametrize(
    ("title", "encoding"),
    [
        ("Привет, мир", "koi8-r"),
        ("東京のニュース", "shift_jis"),
        ("台灣新聞報導", "big5"),
        ("Zürich Straße", "iso-8859-1"),
        ("Ελληνικά νέα", "iso-8859-7"),
        ("Zürich – “news”", "windows-1252"),  # noqa: RUF001
        ("日本語 UTF-16", "utf-16"),
        ("日本語 UTF-32", "utf-32"),
    ],
)
def test_declared_encodings(title: str, encoding: str) -> None:
    """Documents in the charset their XML declaration names decode correctly."""
    feed = parse_document(_rss(title, encoding), url="https://e.example/")
    assert feed.items[0].title == title


def test_http_charset_is_used_when_the_body_does_not_say() -> None:
    """The Content-Type charset decodes a body without a declaration."""
    body = '<rss version="2.0"><channel><title>Новости</title></channel></rss>'.encode("koi8-r")
    feed = parse_document(body, url="https://e.example/", content_type="text/xml; charset=KOI8-R")
    assert feed.title == "Новости"


def test_cp1252_declared_as_utf8_and_mixed_bytes() -> None:
    """Bytes that are not UTF-8 are read as Windows-1252, valid UTF-8 around them kept."""
    body = "“quoted” and é".encode() + b" then \x93cp1252\x94 caf\xe9"
    assert decode_body(body) == "“quoted” and é then “cp1252” café"


def test_bom_and_leading_junk() -> None:
    """A UTF-8 BOM, whitespace and a PHP notice before the declaration are skipped."""
    doc = _rss("Café", "utf-8")
    body = b"\xef\xbb\xbf\n  <b>Warning</b>: something in feed.php<br />\n" + doc
    assert parse_document(body, url="https://e.example/").items[0].title == "Café"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty document"),
        (b"   \n ", "empty document"),
        (b"<!DOCTYPE html><html><body>Oops</body></html>", "not a feed: looks like an HTML page"),
        (b"<html><head><title>x</title></head></html>", "not a feed: looks like an HTML page"),
        (b"<?xml version='1.0'?>\n<<<", "invalid XML at line 2"),
        (b"<unknown><x/></unknown>", "not a feed: unexpected root element <unknown>"),
        (b'{"not": "a feed"}', "not a feed: JSON"),
        (b"{broken json", "invalid JSON"),
    ],
)
def test_unusable_documents_raise_parse_error(body: bytes, reason: str) -> None:
    """Unusable documents raise ParseError with a short human reason."""
    with pytest.raises(ParseError, match=reason):
        parse_document(body, url="https://e.example/")


def test_truncated_document_recovers_complete_items() -> None:
    """A document cut off mid-item still yields the items before the cut."""
    doc = _rss("First", "utf-8").replace(
        b"</channel>",
        b"<item><title>Second</title><link>https://e.example/2</link></item><item><title>Thi",
    )
    cut = doc[: doc.index(b"<title>Thi") + 10]
    titles = [i.title for i in parse_document(cut, url="https://e.example/").items]
    assert titles[:2] == ["First", "Second"]


def test_looks_like_html() -> None:
    """HTML pages are told apart from feeds by the body, the header as a tiebreak."""
    assert looks_like_html(b"<!doctype html><html></html>", "text/html")
    assert looks_like_html(b"<html lang=en>", None)
    assert not looks_like_html(b'<?xml version="1.0"?><rss version="2.0"/>', "text/html")
    assert not looks_like_html(b'<feed xmlns="http://www.w3.org/2005/Atom"/>', None)
    assert not looks_like_html(b'{"version": "https://jsonfeed.org/version/1.1"}', None)


def test_discover_feed_urls_best_first() -> None:
    """Announced feeds come back absolute, main feeds before comment feeds."""
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" title="Comments" href="/comments/feed/">
    <link rel="alternate" type="application/rss+xml" title="Main" href="/feed/">
    <link rel="alternate" type="application/atom+xml" href="https://cdn.example.org/atom.xml">
    <link rel="alternate" type="application/feed+json" href="feed.json">
    <link rel="stylesheet" href="/style.css">
    </head></html>"""
    assert discover_feed_urls(page, url="https://site.example/blog/") == [
        "https://site.example/feed/",
        "https://cdn.example.org/atom.xml",
        "https://site.example/blog/feed.json",
        "https://site.example/comments/feed/",
    ]


def test_discover_guesses_wordpress_feed() -> None:
    """A WordPress page that announces no feed gets the /feed/ guess; others get nothing."""
    wp = b'<html><head><meta name="generator" content="WordPress 6.4"></head></html>'
    assert discover_feed_urls(wp, url="https://wp.example/about/") == ["https://wp.example/feed/"]
    assert discover_feed_urls(b"<html><head></head></html>", url="https://x.example/") == []


def test_listing_with_selectors() -> None:
    """CSS selectors pick teasers from a listing page, dates from datetime attributes."""
    page = b"""<html><body>
    <article class="teaser"><h2><a href="/a/1?utm_source=home">First story</a></h2>
      <p class="lede">First lede.</p><time datetime="2021-02-10T12:00:00Z">Feb 10</time></article>
    <article class="teaser"><h2><a href="https://other.example/2">Second story</a></h2>
      <p class="lede">Second lede.</p><span class="date">February 9, 2021</span></article>
    </body></html>"""
    selectors = HtmlSelectors(
        item="article.teaser", title="h2", summary=".lede", date="time, .date"
    )
    feed = parse_document(
        page, url="https://site.example/news/", kind=SourceKind.HTML, selectors=selectors
    )
    assert feed.format == "html-selectors"
    assert [(i.title, i.url, i.summary, i.published) for i in feed.items] == [
        ("First story", "https://site.example/a/1", "First lede.", utc(2021, 2, 10, 12)),
        ("Second story", "https://other.example/2", "Second lede.", utc(2021, 2, 9)),
    ]


def test_html_page_without_teasers_is_a_parse_error() -> None:
    """A listing page without selectors, JSON-LD or OpenGraph is rejected with a reason."""
    with pytest.raises(ParseError, match="no teasers found"):
        parse_document(b"<html><body>hi</body></html>", url="https://e/", kind=SourceKind.HTML)
