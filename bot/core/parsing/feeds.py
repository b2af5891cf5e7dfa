"""RSS 0.9x/1.0/1.1/2.0, Atom 0.3/1.0 and JSON Feed 1.0/1.1 documents to `ParsedFeed`.

Pure: bytes in, records out. XML goes through a hardened lxml parser: no DTD, no entity
expansion, no network; the prolog's DOCTYPE is removed before parsing so nothing can be declared.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
from collections.abc import Callable
from html.entities import html5
from typing import Any

from lxml import etree

from bot.core.errors import ParseError
from bot.core.models import ParsedFeed, ParsedItem
from bot.core.parsing.clean import (
    PLAIN_URL,
    XML_DECL_ENC,
    Draft,
    absolute_url,
    canonical_url,
    charset_from_content_type,
    clean_title,
    decode_body,
    finish_items,
    item_url,
    looks_like_html,
    parse_date,
    text_as_markup,
)

NS_PREFIX = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "https://purl.org/dc/elements/1.1/": "dc",
    "http://purl.org/dc/terms/": "dcterms",
    "http://search.yahoo.com/mrss/": "media",
    "http://search.yahoo.com/mrss": "media",
    "http://www.itunes.com/dtds/podcast-1.0.dtd": "itunes",
    "http://www.w3.org/1999/xhtml": "xhtml",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/XML/1998/namespace": "xml",
}
CORE_NS = frozenset(
    {
        "http://www.w3.org/2005/Atom",
        "http://purl.org/atom/ns#",
        "http://purl.org/rss/1.0/",
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://purl.org/net/rss1.1#",
        "http://backend.userland.com/rss2",
        "http://blogs.law.harvard.edu/tech/rss",
    }
)
# Namespace URIs are compared case-insensitively too: feeds write the iTunes one as
# ".../DTDs/Podcast-1.0.dtd" as often as Apple's ".../dtds/podcast-1.0.dtd".
_NS_FOLDED = {ns.lower(): prefix for ns, prefix in NS_PREFIX.items()}
_CORE_FOLDED = frozenset(ns.lower() for ns in CORE_NS)
ATOM03_NS = "http://purl.org/atom/ns#"
RSS09_NS = "http://my.netscape.com/rdf/simple/0.9/"
IMAGE_EXT = re.compile(r"\.(?:jpe?g|png|gif|webp|avif)(?:$|[?#])", re.IGNORECASE)


def _hardened_parser(*, recover: bool) -> etree.XMLParser:
    """No entity expansion, no DTD, no network, no huge text nodes. Also see prepare_text()."""
    return etree.XMLParser(
        recover=recover,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        encoding="utf-8",
    )


_STRICT = _hardened_parser(recover=False)
_RECOVER = _hardened_parser(recover=True)

_XML_DECL = re.compile(r"^<\?xml[^>]*>")
_DOCTYPE_START = re.compile(r"<!DOCTYPE\s[^\[>]*", re.IGNORECASE)
_SUBSET_END = re.compile(r"\]\s*>")
_ELEMENT_START = re.compile(r"<[A-Za-z]")
_ROOT_START = re.compile(r"<(?:rss|feed|rdf:RDF|RDF|Channel|channel)\b")
_NAMED_REF = re.compile(r"&(?!(?:amp|lt|gt|quot|apos);)([A-Za-z][A-Za-z0-9]{0,31});")
_UPPER_HEX_REF = re.compile(r"&#X(?=[0-9A-Fa-f]{1,6};)")
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)")
_RAW_HTML = re.compile(
    r"(<((?:[a-z]+:)?(?:description|encoded|summary|content|title))\b[^>]*>)(.*?)(</\2\s*>)",
    re.DOTALL,
)
_BAD_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


# ---------------------------------------------------------------- document preparation


# Two to four references to bytes 0x80-0xF4 in a row (&#226;&#128;&#166;): maybe UTF-8 that was
# read as Latin-1 and written out as references, one per byte.
_BYTE_REF = rb"&#(?:1[2-9][0-9]|2[0-4][0-9]|[xX][89a-fA-F][0-9a-fA-F]);"
_BYTE_REFS = re.compile(rb"(?:" + _BYTE_REF + rb"){2,}")
_REF_VALUE = re.compile(rb"&#([xX]?)([0-9a-fA-F]+);")


def _undouble(match: re.Match[bytes]) -> bytes:
    """The run of byte references as the characters they spell in UTF-8, when they do."""
    raw = bytes(int(v, 16 if x else 10) for x, v in _REF_VALUE.findall(match.group(0)))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)  # really Latin-1 characters: kept
    return "".join(f"&#{ord(c)};" for c in text).encode("ascii")


def undouble_utf8_refs(body: bytes) -> bytes:
    """Repair UTF-8 double-encoded as character references (``&#226;&#128;&#166;`` is "…")."""
    return _BYTE_REFS.sub(_undouble, body) if b"&#" in body else body


def _blank(part: str) -> str:
    """Newlines standing in for removed prolog text, so error line numbers stay true."""
    return "\n" * part.count("\n")


def prepare_text(text: str) -> str:
    """Leading junk, the XML declaration and any DOCTYPE (with its internal subset) blanked out."""
    text = text.lstrip("\ufeff \t\r\n")
    if not text.startswith("<?xml"):
        decl_at = text.find("<?xml", 0, 8192)
        if decl_at > 0:
            text = text[decl_at:]
    decl = _XML_DECL.match(text)
    if decl:
        text = _blank(decl.group(0)) + text[decl.end() :]
    doctype = _DOCTYPE_START.search(text, 0, 65536) if "<!" in text[:65536] else None
    if doctype and not _ELEMENT_START.search(text, 0, doctype.start()):
        end = doctype.end()
        if text.startswith("[", end):
            subset_end = _SUBSET_END.search(text, end)
            end = subset_end.end() if subset_end else len(text)
        elif text.startswith(">", end):
            end += 1
        text = text[: doctype.start()] + _blank(text[doctype.start() : end]) + text[end:]
    return text


def _named_ref(match: re.Match[str]) -> str:
    chars = html5.get(match.group(1) + ";")
    if chars is None:
        return ""  # an undeclared, unknown entity: dropped, never expanded
    return "".join(f"&#{ord(c)};" for c in chars)


def _cdata(match: re.Match[str]) -> str:
    inner = match.group(3)
    if "<" not in inner or inner.lstrip().startswith("<![CDATA[") or "xhtml" in match.group(1):
        return match.group(0)
    return match.group(1) + "<![CDATA[" + inner.replace("]]>", "]]&gt;") + "]]>" + match.group(4)


def repair_text(text: str) -> str:
    """Fix what breaks XML in real feeds: HTML entities, bare "&", control chars, leading junk."""
    text = _NAMED_REF.sub(_named_ref, text)
    text = _UPPER_HEX_REF.sub("&#x", text)  # HTML allows &#X41;, XML only &#x41;
    text = _BARE_AMP.sub("&amp;", text)
    text = _BAD_XML_CHARS.sub("", text)
    head = text[:64].lstrip()
    if not head.startswith("<") or head.startswith(("<b>", "<br", "<p>", "<div")):
        root = _ROOT_START.search(text, 0, 16384)
        if root:
            text = text[root.start() :]
    return text


def looks_like_html_text(text: str) -> bool:
    """True when decoded text starts like an HTML page rather than a feed."""
    head = text[:2048].lstrip("\ufeff \t\r\n")
    root = _ROOT_START.search(head)
    page = _HTML_START.search(head)
    if page is None:
        return False
    return root is None or (page.start() < root.start() and not head.startswith("<?xml"))


def _xml_root(text: str, url: str) -> etree._Element:
    data = text.encode("utf-8")
    try:
        return etree.fromstring(data, _STRICT, base_url=url)
    except etree.XMLSyntaxError as exc:
        first = exc
    repaired_text = repair_text(text)
    repaired = repaired_text.encode("utf-8")
    try:
        return etree.fromstring(repaired, _STRICT, base_url=url)
    except etree.XMLSyntaxError:
        pass
    repaired = _RAW_HTML.sub(_cdata, repaired_text).encode("utf-8")  # unescaped HTML in text
    try:
        return etree.fromstring(repaired, _STRICT, base_url=url)
    except etree.XMLSyntaxError:
        pass
    try:
        root = etree.fromstring(repaired, _RECOVER, base_url=url)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        line = first.lineno or 1
        message = (first.msg or str(first)).split(", line ")[0]
        raise ParseError(f"invalid XML at line {line}: {message}")
    return root


# ---------------------------------------------------------------- element helpers


class _Names:
    """Maps Clark-notation tags to short names ("title", "dc:date", "media:thumbnail")."""

    __slots__ = ("cache",)

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, tag: object) -> str:
        if not isinstance(tag, str):
            return ""
        name = self.cache.get(tag)
        if name is None:
            if tag[0] == "{":
                ns, _, local = tag[1:].partition("}")
                name = _short_name(ns, local)
            else:
                name = tag
            self.cache[tag] = name
        return name


def _short_name(ns: str, local: str) -> str:
    """``local`` for the core namespaces, else ``prefix:local`` (the URI itself when unknown)."""
    if ns in CORE_NS:
        return local
    prefix = NS_PREFIX.get(ns)
    if prefix is None:
        folded = ns.lower()
        if folded in _CORE_FOLDED:
            return local
        prefix = _NS_FOLDED.get(folded, ns)
    return f"{prefix}:{local}"


def _inner(el: etree._Element) -> str:
    """The element's content as markup text: its text, or text plus serialised children."""
    if len(el) == 0:
        return el.text or ""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
        elif child.tail:  # an unexpanded entity reference or comment: only its tail text
            parts.append(child.tail)
    return "".join(parts)


_ATOM_TEXT_TYPES = frozenset({"text", "text/plain"})


def _atom_content(el: etree._Element) -> str:
    """Atom text construct as markup: text escaped, xhtml serialised, 0.3 base64 decoded."""
    plain = (el.get("type") or "text").strip().lower() in _ATOM_TEXT_TYPES
    if el.get("mode") == "base64":
        try:
            value = base64.b64decode(el.text or "").decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            return ""
    elif plain:  # text holds no elements; where a feed puts some anyway, their text is meant
        value = _text_content(el)
    else:
        value = _inner(el)
    return text_as_markup(value) if plain else value


def _text_content(el: etree._Element) -> str:
    """The element's text with that of its child elements (entity references: their tail only)."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            parts.append(_text_content(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _text_or_html(value: str) -> str:
    """Markup for a value that may be either: HTML when it looks like HTML (as feedparser
    decides: a close tag or an entity, and only known HTML tags), else plain text."""
    return value if looks_like_html(value) else text_as_markup(value)


def _rss_title(el: etree._Element) -> str:
    """An RSS title as markup (plain text unless it looks like HTML)."""
    return _text_or_html(_inner(el))


def _is_image(el: etree._Element) -> bool:
    medium = el.get("medium")
    mime = el.get("type") or ""
    if medium:
        return medium == "image"
    if mime:
        return mime.startswith("image/")
    return bool(IMAGE_EXT.search(el.get("url") or el.get("href") or ""))


# ---------------------------------------------------------------- items


_PUBLISHED = frozenset(
    {"pubDate", "dc:date", "published", "issued", "created", "dcterms:issued", "dcterms:created"}
)
_UPDATED = frozenset({"updated", "modified", "dcterms:modified", "lastBuildDate"})


class _Resolver:
    """Resolves hrefs against xml:base (only computed when the document uses it) or the URL."""

    __slots__ = ("has_base", "url")

    def __init__(self, url: str, has_base: bool) -> None:
        self.url = url
        self.has_base = has_base

    def base(self, el: etree._Element) -> str:
        return (el.base or self.url) if self.has_base else self.url

    def absolute(self, href: str | None, el: etree._Element) -> str | None:
        if href and PLAIN_URL.match(href):
            return href
        return absolute_url(href, self.base(el)) if href else None

    def link(self, href: str | None, el: etree._Element) -> str | None:
        if href and PLAIN_URL.match(href):
            return canonical_url(href)
        return item_url(href, self.base(el)) if href else None


class _Entry:
    """Reading one RSS item or Atom entry: the draft and what decides between rivals."""

    __slots__ = (
        "atom",
        "draft",
        "fallback_summary",
        "fallback_title",
        "guid_is_link",
        "link_rank",
        "res",
        "stack",
    )

    def __init__(self, res: _Resolver, atom: bool) -> None:
        self.res = res
        self.atom = atom
        self.draft = Draft(base=res.url)
        self.link_rank = 99
        self.guid_is_link = False
        self.fallback_summary: str | None = None
        self.fallback_title = ""
        self.stack: list[etree._Element] = []

    def title(self, _name: str, child: etree._Element) -> None:
        if not self.draft.title:
            self.draft.title = _atom_content(child) if self.atom else _rss_title(child)

    def link(self, _name: str, child: etree._Element) -> None:
        draft, res = self.draft, self.res
        href = child.get("href")
        if href is None:
            if child.text and self.link_rank > 0:
                resolved = res.link(child.text.strip(), child)
                if resolved:
                    draft.link, self.link_rank = resolved, 0
            return
        rel = child.get("rel", "alternate")
        mime = child.get("type") or ""
        if rel == "alternate":
            rank = 1 if mime in {"", "text/html", "application/xhtml+xml"} else 3
            if rank < self.link_rank:
                resolved = res.link(href, child)
                if resolved:
                    draft.link, self.link_rank = resolved, rank
        elif rel == "enclosure" and mime.startswith("image/"):
            draft.offer_image(res.absolute(href, child), 3)

    def guid(self, name: str, child: etree._Element) -> None:
        if self.draft.guid is None and child.text:
            self.draft.guid = child.text.strip()
            self.guid_is_link = name == "guid" and child.get("isPermaLink", "true") != "false"

    def summary(self, _name: str, child: etree._Element) -> None:
        draft = self.draft
        if draft.summary is None:
            draft.summary = _atom_content(child) if self.atom else _inner(child)
            if self.res.has_base and "<img" in draft.summary and draft.content is None:
                draft.base = self.res.base(child)

    def content(self, name: str, child: etree._Element) -> None:
        draft, res = self.draft, self.res
        if draft.content is None:
            draft.content = _atom_content(child) if name == "content" else _inner(child)
            if res.has_base and "<img" in draft.content:
                draft.base = res.base(child)
            if name == "content" and not draft.content and child.get("src") and self.link_rank > 2:
                draft.link = res.link(child.get("src"), child) or draft.link

    def published(self, _name: str, child: etree._Element) -> None:
        if self.draft.published is None:
            self.draft.published = parse_date(child.text)

    def updated(self, _name: str, child: etree._Element) -> None:
        if self.draft.updated is None:
            self.draft.updated = parse_date(child.text)

    def category(self, name: str, child: etree._Element) -> None:
        if name == "category":
            value = child.get("label") or child.get("term") or child.text
        else:
            value = child.text
        if value and name == "media:keywords":  # one comma-separated list: "strike, chile"
            self.draft.categories.extend(k.strip() for k in value.split(",") if k.strip())
        elif value:
            self.draft.categories.append(value)

    def image(self, name: str, child: etree._Element) -> None:
        draft, res = self.draft, self.res
        if name == "media:thumbnail":
            draft.offer_image(res.absolute(child.get("url"), child), 0)
        elif name == "media:content":
            if _is_image(child):
                draft.offer_image(res.absolute(child.get("url"), child), 1)
            self.stack.extend(reversed(child))
        elif name == "media:group":
            self.stack.extend(reversed(child))
        elif name == "enclosure":
            if _is_image(child):
                draft.offer_image(res.absolute(child.get("url"), child), 2)
        else:  # itunes:image
            draft.offer_image(res.absolute(child.get("href"), child), 4)

    def fallback(self, name: str, child: etree._Element) -> None:
        if name in {"media:title", "dc:title"}:
            self.fallback_title = self.fallback_title or _rss_title(child)
        elif self.fallback_summary is None:
            self.fallback_summary = _inner(child)

    def finish(self, entry: etree._Element) -> Draft:
        draft = self.draft
        if (
            draft.link is None
            and draft.guid
            and (self.guid_is_link or self.atom or "://" in draft.guid)
        ):
            draft.link = self.res.link(draft.guid, entry)
        if not draft.summary and self.fallback_summary:
            draft.summary = self.fallback_summary
        if not draft.title and self.fallback_title:
            draft.title = self.fallback_title
        return draft


_EntryStep = Callable[[_Entry, str, etree._Element], None]
_STEPS: dict[str, _EntryStep] = {
    "title": _Entry.title,
    "link": _Entry.link,
    "guid": _Entry.guid,
    "id": _Entry.guid,
    "description": _Entry.summary,
    "summary": _Entry.summary,
    **dict.fromkeys(("content:encoded", "content", "xhtml:body", "xhtml:div"), _Entry.content),
    **dict.fromkeys(_PUBLISHED, _Entry.published),
    **dict.fromkeys(_UPDATED, _Entry.updated),
    **dict.fromkeys(("category", "dc:subject", "media:keywords"), _Entry.category),
    **dict.fromkeys(
        ("media:thumbnail", "media:content", "media:group", "enclosure", "itunes:image"),
        _Entry.image,
    ),
    **dict.fromkeys(
        ("media:description", "itunes:summary", "dc:description", "media:title", "dc:title"),
        _Entry.fallback,
    ),
}


def _read_entry(entry: etree._Element, names: _Names, res: _Resolver, atom: bool) -> Draft:
    """One RSS item or Atom entry as a Draft: one flat dispatch over the children."""
    state = _Entry(res, atom)
    cache = names.cache
    stack = state.stack
    stack.extend(reversed(entry))
    while stack:
        child = stack.pop()
        tag = child.tag
        name = cache.get(tag) if isinstance(tag, str) else ""
        if name is None:
            name = names(tag)
        step = _STEPS.get(name) if name else None
        if step is not None:
            step(state, name, child)
    return state.finish(entry)


def _channel_meta(
    channel: etree._Element, names: _Names, url: str, has_base: bool
) -> tuple[str | None, str | None]:
    title: str | None = None
    link: str | None = None
    rank = 99
    for child in channel:
        name = names(child.tag)
        if name == "title" and title is None:
            markup = _rss_title(child) if child.get("type") is None else _atom_content(child)
            title = clean_title(markup) or None
        elif name == "link":
            href = child.get("href")
            if href is None and child.text and rank > 0:
                link, rank = absolute_url(child.text, (child.base or url) if has_base else url), 0
            elif href is not None and child.get("rel", "alternate") == "alternate" and rank > 1:
                link, rank = absolute_url(href, (child.base or url) if has_base else url), 1
    return title, link


def _rss_format(root: etree._Element, local: str) -> str:
    if local == "RDF":
        return "rss0.90" if any(RSS09_NS in str(c.tag) for c in root) else "rss1.0"
    if local == "Channel":
        return "rss1.1"
    version = (root.get("version") or "").strip()
    if re.fullmatch(r"\d\.\d{1,2}", version):
        return "rss" + version
    return "rss2.0" if local == "rss" else "rss"


def parse_xml_feed(text: str, *, url: str) -> ParsedFeed:
    """Parse prepared XML text (see `prepare_text`) as RSS or Atom."""
    return read_tree(_xml_root(text, url), url=url, has_base="xml:base" in text)


def read_tree(root: etree._Element, *, url: str, has_base: bool) -> ParsedFeed:
    """Read a parsed RSS or Atom tree into a ParsedFeed."""
    names = _Names()
    root_name = names(root.tag)
    local = root_name.rsplit(":", 1)[-1]
    if local == "feed":
        is_03 = str(root.tag).startswith("{" + ATOM03_NS) or root.get("version") == "0.3"
        fmt = "atom0.3" if is_03 else "atom1.0"
        title, link = _channel_meta(root, names, url, has_base)
        entries = [c for c in root if names(c.tag) == "entry"]
        atom = True
    elif local in {"rss", "RDF", "Channel", "channel"}:
        fmt = _rss_format(root, local)
        channel = root
        if local != "channel":
            channel = next((c for c in root if names(c.tag) == "channel"), root)
        title, link = _channel_meta(channel, names, url, has_base)
        entries = [c for c in channel if names(c.tag) == "item"]
        if channel is not root:
            entries.extend(c for c in root if names(c.tag) == "item")
        items_el = next((c for c in channel if names(c.tag) == "items"), None)
        if not entries and items_el is not None:  # RSS 1.1 puts items in <items>
            entries = [c for c in items_el if names(c.tag) == "item"]
        atom = False
    elif local.lower() in {"html", "head", "body"}:
        raise ParseError("not a feed: looks like an HTML page")
    else:
        raise ParseError(f"not a feed: unexpected root element <{local}>")
    res = _Resolver(url, has_base)
    drafts = [_read_entry(e, names, res, atom) for e in entries]
    items = finish_items(drafts, feed_link=link)
    language = _feed_language(root if atom else channel, names)
    return ParsedFeed(format=fmt, title=title, link=link, items=with_language(items, language))


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _feed_language(channel: etree._Element, names: _Names) -> str | None:
    """RSS <language> (or dc:language), else the xml:lang of the channel or feed element."""
    for child in channel:
        if names(child.tag).rsplit(":", 1)[-1] == "language" and child.text and child.text.strip():
            return child.text.strip()[:35]
    lang = channel.get(_XML_LANG)
    return lang.strip()[:35] if lang and lang.strip() else None


def with_language(items: tuple[ParsedItem, ...], language: str | None) -> tuple[ParsedItem, ...]:
    """The items, each marked with the feed's language (unchanged when it names none)."""
    if not language:
        return items
    return tuple(dataclasses.replace(item, language=language) for item in items)


# ---------------------------------------------------------------- JSON Feed


def _json_str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _json_item(raw: dict[str, Any], base: str) -> Draft:
    draft = Draft(base=base)
    draft.guid = _json_str(raw.get("id"))
    draft.link = item_url(_json_str(raw.get("url")), base) or item_url(
        _json_str(raw.get("external_url")), base
    )
    draft.title = _text_or_html(_json_str(raw.get("title")) or "")
    summary = _json_str(raw.get("summary"))
    draft.summary = _text_or_html(summary) if summary is not None else None
    text = _json_str(raw.get("content_text"))
    draft.content = _json_str(raw.get("content_html")) or (
        text_as_markup(text) if text is not None else None
    )
    draft.published = parse_date(_json_str(raw.get("date_published")))
    draft.updated = parse_date(_json_str(raw.get("date_modified")))
    tags = raw.get("tags")
    if isinstance(tags, list):
        draft.categories = [t for t in tags if isinstance(t, str)]
    draft.offer_image(absolute_url(_json_str(raw.get("image")), base), 0)
    draft.offer_image(absolute_url(_json_str(raw.get("banner_image")), base), 1)
    attachments = raw.get("attachments")
    if isinstance(attachments, list):
        for att in attachments:
            if isinstance(att, dict) and str(att.get("mime_type", "")).startswith("image/"):
                draft.offer_image(absolute_url(_json_str(att.get("url")), base), 2)
    return draft


def parse_json_feed(text: str, *, url: str) -> ParsedFeed:
    """Parse JSON Feed 1.0/1.1 text."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ParseError(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ParseError("not a feed: JSON without a JSON Feed items list")
    version = str(data.get("version", ""))
    fmt = "json1.1" if version.rstrip("/").endswith("1.1") else "json1.0"
    link = absolute_url(_json_str(data.get("home_page_url")), url)
    drafts = [_json_item(i, url) for i in data["items"] if isinstance(i, dict)]
    title = clean_title(_text_or_html(_json_str(data.get("title")) or "")) or None
    items = with_language(finish_items(drafts, feed_link=link), _json_str(data.get("language")))
    return ParsedFeed(format=fmt, title=title, link=link, items=items)


_FAST_START = re.compile(rb"\s*<(?:\?xml|rss|feed|rdf:RDF)\b")
_UTF8_LABELS = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii"})


def _fast_root(body: bytes, url: str, content_type: str | None) -> etree._Element | None:
    """The tree of a clean UTF-8 feed parsed straight from the bytes, else None (slow path)."""
    head = body[:1024]
    if not _FAST_START.match(head) or (b"<!" in head.upper() and b"<!DOCTYPE" in head.upper()):
        return None
    declared = XML_DECL_ENC.match(head)
    if declared and declared.group(1).lower() not in _UTF8_LABELS:
        return None
    charset = charset_from_content_type(content_type)
    if charset and charset.lower() not in {"utf-8", "utf8", "us-ascii"}:
        return None
    try:
        return etree.fromstring(body.lstrip(), _STRICT, base_url=url)
    except etree.XMLSyntaxError:
        return None


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document of any supported format, detected from its content."""
    body = undouble_utf8_refs(body)
    root = _fast_root(body, url, content_type)
    if root is not None:
        return read_tree(root, url=url, has_base=b"xml:base" in body)
    text = prepare_text(decode_body(body, content_type))
    start = text[:256].lstrip()[:1]
    if not start:
        raise ParseError("empty document")
    if start in "{[":
        return parse_json_feed(text, url=url)
    if looks_like_html_text(text):
        raise ParseError("not a feed: looks like an HTML page")
    return parse_xml_feed(text, url=url)


__all__ = ["looks_like_html_text", "parse_feed", "parse_json_feed", "parse_xml_feed"]
