"""Cases from feedparser's test suite that the parser once got wrong (inline, written here)."""

from __future__ import annotations

from bot.core.parsing.feeds import undouble_utf8_refs
from bot.core.parsing.parse import parse_document

URL = "https://feed.example/"


def first_item(body: str) -> tuple[str, str, str | None]:
    """Title, summary and image of the document's first item."""
    [item, *_] = parse_document(body.encode(), url=URL).items
    return item.title, item.summary, item.image


def test_child_elements_in_an_atom_text_title_are_read_as_text() -> None:
    """`<title>Example <b>Atom</b></title>` (type text) is "Example Atom", not escaped markup."""
    for ns in (
        'version="0.3" xmlns="http://purl.org/atom/ns#"',
        'xmlns="http://www.w3.org/2005/Atom"',
    ):
        body = f"<feed {ns}><entry><title>Example <b>Atom</b> <i>now</i></title></entry></feed>"
        title, _, _ = first_item(body)
        assert title == "Example Atom now"


def test_double_encoded_utf8_character_references_are_repaired() -> None:
    """`&#226;&#128;&#166;` (UTF-8 bytes of "…" as references) reads as "…"; é as é."""
    body = (
        '<rss version="2.0"><channel><item><title>Caf&#195;&#169; news</title>'
        "<description>It goes on &#226;&#128;&#166; and on</description></item></channel></rss>"
    )
    title, summary, _ = first_item(body)
    assert title == "Café news"
    assert summary.startswith("It goes on … and on")


def test_latin1_character_references_that_are_not_utf8_are_kept() -> None:
    """`&#233;&#169;` is not UTF-8 (é©): left as written."""
    assert undouble_utf8_refs(b"a&#233;&#169;b") == b"a&#233;&#169;b"
    assert undouble_utf8_refs(b"&#xE2;&#x80;&#xA6;") == b"&#8230;"


def test_an_uppercase_itunes_namespace_uri_is_recognised() -> None:
    """`…/DTDs/Podcast-1.0.dtd` counts as iTunes: the item keeps its summary and image."""
    body = (
        '<rss xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel><item>'
        "<title>Episode</title><link>https://feed.example/e1</link>"
        "<itunes:summary>Example summary</itunes:summary>"
        '<itunes:image href="http://example.com/logo.jpg"/></item></channel></rss>'
    )
    title, summary, image = first_item(body)
    assert (title, summary, image) == ("Episode", "Example summary", "http://example.com/logo.jpg")


def test_an_item_with_only_an_uppercase_namespace_itunes_summary_is_kept() -> None:
    """An item whose only text is `itunes:summary` (namespace in other case) is not lost."""
    body = (
        '<rss xmlns:itunes="http://www.itunes.com/DTDs/Podcast-1.0.dtd"><channel><item>'
        "<itunes:summary>Example summary</itunes:summary></item></channel></rss>"
    )
    _, summary, _ = first_item(body)
    assert summary == "Example summary"


def test_a_hex_character_reference_with_a_capital_x_is_read() -> None:
    """`&#X41;` is "A" (HTML allows the capital X; XML does not), in Atom and in RSS."""
    atom = (
        '<feed version="0.3" xmlns="http://purl.org/atom/ns#"><entry>'
        '<title type="application/xhtml+xml" mode="xml">&#X41;</title></entry></feed>'
    )
    assert first_item(atom)[0] == "A"
    rss = '<rss version="2.0"><channel><item><title>&#X42;ee</title></item></channel></rss>'
    assert first_item(rss)[0] == "Bee"
