"""HTML pages: feed discovery from a home page, and teasers from a listing page.

Listing pages are read with CSS selectors when configured, else from schema.org JSON-LD,
else from OpenGraph meta tags (one item for the page).
"""

from __future__ import annotations

import json
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from bot.core.errors import ParseError
from bot.core.models import HtmlSelectors, ParsedFeed
from bot.core.parsing.clean import (
    Draft,
    absolute_url,
    clean_title,
    decode_body,
    finish_items,
    item_url,
    parse_date,
)
from bot.core.parsing.feeds import looks_like_html_text

FEED_TYPES = {
    "application/rss+xml": 0,
    "application/atom+xml": 0,
    "application/feed+json": 1,
    "application/json": 2,
    "application/rdf+xml": 2,
    "application/xml": 3,
    "text/xml": 3,
}
ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "LiveBlogPosting",
        "TechArticle",
        "ScholarlyArticle",
        "Report",
        "SocialMediaPosting",
    }
)
_JSONLD_MAX_DEPTH = 8


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """True when the body is an HTML page rather than a feed (the body decides, then the header)."""
    head = body[:4096]
    text = decode_body(head, content_type)
    if looks_like_html_text(text):
        return True
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("<?xml", "<rss", "<feed", "<rdf:RDF", "{")):
        return False
    return bool(content_type and "html" in content_type.lower())


def _page(body: bytes, content_type: str | None) -> LexborHTMLParser:
    return LexborHTMLParser(decode_body(body, content_type))


def _base_url(page: LexborHTMLParser, url: str) -> str:
    base = page.css_first("base[href]")
    href = base.attributes.get("href") if base is not None else None
    return absolute_url(href, url) or url


# ---------------------------------------------------------------- discovery


def discover_feed_urls(body: bytes, *, url: str) -> list[str]:
    """Feed URLs a home page announces, absolute, best first; "/feed/" for a silent WordPress."""
    page = _page(body, None)
    base = _base_url(page, url)
    found: list[tuple[int, int, str]] = []
    seen: set[str] = set()
    for index, link in enumerate(page.css("link[href]")):
        attrs = link.attributes
        rels = (attrs.get("rel") or "").lower().split()
        mime = (attrs.get("type") or "").lower().split(";")[0].strip()
        if "alternate" not in rels or mime not in FEED_TYPES:
            continue
        if (
            mime in {"application/json", "application/xml", "text/xml"}
            and "feed" not in ((attrs.get("href") or "") + (attrs.get("title") or "")).lower()
        ):
            continue
        href = absolute_url(attrs.get("href"), base)
        if href is None or href in seen:
            continue
        seen.add(href)
        hint = ((attrs.get("title") or "") + " " + href).lower()
        comments = "comment" in hint
        found.append((FEED_TYPES[mime] + (10 if comments else 0), index, href))
    if found:
        return [href for _, _, href in sorted(found)]
    html_text = page.html or ""
    generator = page.css_first('meta[name="generator"]')
    gen = (generator.attributes.get("content") or "") if generator is not None else ""
    if "wordpress" in gen.lower() or "/wp-content/" in html_text or "/wp-includes/" in html_text:
        guess = absolute_url("/feed/", url)
        return [guess] if guess else []
    return []


# ---------------------------------------------------------------- listing pages


def _node_text(node: LexborNode | None) -> str:
    return node.text(separator=" ") if node is not None else ""


def _select_items(page: LexborHTMLParser, sel: HtmlSelectors, base: str) -> list[Draft]:
    drafts: list[Draft] = []
    for node in page.css(sel.item):
        title_node = node.css_first(sel.title)
        draft = Draft(base=base, title=_node_text(title_node))
        link_node = node.css_first(sel.link) if sel.link else None
        if link_node is None and title_node is not None:
            link_node = title_node if title_node.tag == "a" else title_node.css_first("a[href]")
        if link_node is None and sel.link is None:
            link_node = node if node.tag == "a" else node.css_first("a[href]")
        if link_node is not None:
            href = link_node.attributes.get("href")
            if href is None and link_node.tag != "a":
                inner = link_node.css_first("a[href]")
                href = inner.attributes.get("href") if inner is not None else None
            draft.link = item_url(href, base)
        if sel.summary:
            draft.summary = _node_text(node.css_first(sel.summary))
        if sel.date:
            date_node = node.css_first(sel.date)
            if date_node is not None:
                stamp = date_node.attributes.get("datetime") or date_node.text()
                draft.published = parse_date(stamp)
        img = node.css_first("img[src]")
        if img is not None:
            draft.offer_image(absolute_url(img.attributes.get("src"), base), 5)
        drafts.append(draft)
    return drafts


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind.rsplit("/", 1)[-1]}
    if isinstance(kind, list):
        return {k.rsplit("/", 1)[-1] for k in kind if isinstance(k, str)}
    return set()


def _ld_str(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _ld_str(value.get("@id") or value.get("url") or value.get("name"))
    if isinstance(value, list) and value:
        return _ld_str(value[0])
    return None


def _ld_draft(obj: dict[str, Any], base: str) -> Draft:
    draft = Draft(base=base)
    draft.title = _ld_str(obj.get("headline")) or _ld_str(obj.get("name")) or ""
    draft.link = item_url(_ld_str(obj.get("url")) or _ld_str(obj.get("mainEntityOfPage")), base)
    draft.summary = _ld_str(obj.get("description")) or _ld_str(obj.get("abstract"))
    draft.published = parse_date(_ld_str(obj.get("datePublished")))
    draft.updated = parse_date(_ld_str(obj.get("dateModified")))
    draft.offer_image(absolute_url(_ld_str(obj.get("image")) or "", base), 0)
    keywords = obj.get("keywords")
    if isinstance(keywords, str):
        draft.categories.extend(k for k in keywords.split(",") if k.strip())
    elif isinstance(keywords, list):
        draft.categories.extend(k for k in keywords if isinstance(k, str))
    section = obj.get("articleSection")
    if isinstance(section, str):
        draft.categories.append(section)
    elif isinstance(section, list):
        draft.categories.extend(s for s in section if isinstance(s, str))
    return draft


def _walk_ld(node: object, base: str, out: list[Draft], depth: int = 0) -> None:
    if depth > _JSONLD_MAX_DEPTH:
        return
    if isinstance(node, list):
        for value in node:
            _walk_ld(value, base, out, depth + 1)
        return
    if not isinstance(node, dict):
        return
    types = _types(node)
    if types & ARTICLE_TYPES:
        out.append(_ld_draft(node, base))
        return
    if "ListItem" in types:
        inner = node.get("item")
        if isinstance(inner, dict) and _types(inner) & ARTICLE_TYPES:
            out.append(_ld_draft(inner, base))
        else:
            link = item_url(_ld_str(inner) or _ld_str(node.get("url")), base)
            name = _ld_str(node.get("name")) or (
                _ld_str(inner.get("name")) if isinstance(inner, dict) else None
            )
            if link and name:
                out.append(Draft(base=base, title=name, link=link))
        return
    for key in ("@graph", "itemListElement", "mainEntity", "hasPart"):
        if key in node:
            _walk_ld(node[key], base, out, depth + 1)


def _jsonld_items(page: LexborHTMLParser, base: str) -> list[Draft]:
    drafts: list[Draft] = []
    for script in page.css('script[type="application/ld+json"]'):
        raw = script.text(deep=True)
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        _walk_ld(data, base, drafts)
    return drafts


def _meta(page: LexborHTMLParser, *names: str) -> str | None:
    for name in names:
        node = page.css_first(f'meta[property="{name}"]') or page.css_first(f'meta[name="{name}"]')
        if node is not None:
            content = node.attributes.get("content")
            if content and content.strip():
                return content.strip()
    return None


def _opengraph_item(page: LexborHTMLParser, base: str, url: str) -> Draft | None:
    title = _meta(page, "og:title", "twitter:title")
    if not title:
        return None
    canonical = page.css_first('link[rel="canonical"]')
    href = _meta(page, "og:url") or (
        canonical.attributes.get("href") if canonical is not None else None
    )
    draft = Draft(base=base, title=title, link=item_url(href, base) or item_url(url, None))
    draft.summary = _meta(page, "og:description", "description", "twitter:description")
    draft.published = parse_date(_meta(page, "article:published_time", "datePublished"))
    draft.updated = parse_date(_meta(page, "article:modified_time", "og:updated_time"))
    draft.offer_image(absolute_url(_meta(page, "og:image", "twitter:image"), base), 0)
    for tag in page.css('meta[property="article:tag"]'):
        content = tag.attributes.get("content")
        if content:
            draft.categories.append(content)
    section = _meta(page, "article:section")
    if section:
        draft.categories.append(section)
    return draft


def parse_listing(
    body: bytes, *, url: str, content_type: str | None = None, selectors: HtmlSelectors | None
) -> ParsedFeed:
    """Teasers from an HTML listing page: selectors, else JSON-LD, else OpenGraph."""
    page = _page(body, content_type)
    base = _base_url(page, url)
    title_node = page.css_first("title")
    page_title = clean_title(title_node.text()) if title_node is not None else ""
    if selectors is not None:
        try:
            drafts = _select_items(page, selectors, base)
        except ValueError as exc:  # selectolax rejects an invalid CSS selector
            raise ParseError(f"bad CSS selector: {exc}") from exc
        fmt = "html-selectors"
    else:
        drafts = _jsonld_items(page, base)
        fmt = "html-jsonld"
        if not drafts:
            og = _opengraph_item(page, base, url)
            drafts = [og] if og else []
            fmt = "html-opengraph"
    items = finish_items(drafts)
    if not items and selectors is None:
        raise ParseError("no teasers found: the page has no JSON-LD articles or OpenGraph tags")
    return ParsedFeed(format=fmt, title=page_title or None, link=url, items=items)


__all__ = ["discover_feed_urls", "looks_like_html", "parse_listing"]
