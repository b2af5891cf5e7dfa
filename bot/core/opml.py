"""OPML 2.0 (opml.org/spec2): the subscription lists feed readers import and export.

:func:`read_opml` finds every ``<outline>`` with an ``xmlUrl`` (at any depth: readers nest them in
folders); :func:`write_opml` writes the sources as one flat list. Pure: bytes in, text out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import quoteattr

from lxml import etree

from bot.core.errors import ParseError

MAX_FEEDS = 5000  # outlines read from one file; an import is not a way to flood the poller


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    """One feed in an OPML file: its address and the name the file gives it (may be empty)."""

    url: str
    title: str


def read_opml(body: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML document, in document order, each address once.

    Raises :class:`ParseError` when the body is not XML or not OPML. Entities are not expanded
    and nothing is fetched (no DTDs), so a hostile file cannot make the parser do work.
    """
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not an OPML file: {exc}") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname != "opml":
        raise ParseError("not an OPML file: its root element is not <opml>")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter("{*}outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url or url in seen:
            continue
        seen.add(url)
        title = outline.get("title") or outline.get("text") or ""
        feeds.append(OpmlFeed(url=url, title=" ".join(title.split())))
        if len(feeds) > MAX_FEEDS:
            raise ParseError(f"the file lists more than {MAX_FEEDS} feeds")
    return feeds


def write_opml(feeds: Iterable[OpmlFeed], *, title: str, created: datetime) -> str:
    """An OPML 2.0 document listing ``feeds`` (every attribute escaped)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_text(title)}</title>",
        f"    <dateCreated>{format_datetime(created)}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    for feed in feeds:
        title = " ".join(_clean(feed.title).split()) or feed.url
        name, url = quoteattr(title), quoteattr(_clean(feed.url))
        lines.append(f'    <outline type="rss" text={name} title={name} xmlUrl={url}/>')
    lines += ["  </body>", "</opml>"]
    return "\n".join(lines) + "\n"


def _clean(value: str) -> str:
    """Only characters XML 1.0 allows (a control character in a name would break the file)."""
    return "".join(ch for ch in value if ch in "\t\n\r" or _XML_CHAR(ord(ch)))


def _XML_CHAR(code: int) -> bool:  # noqa: N802 (named as the XML 1.0 production "Char")
    return 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


def _text(value: str) -> str:
    return quoteattr(_clean(value))[1:-1]
