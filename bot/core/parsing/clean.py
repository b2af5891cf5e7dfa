"""Text cleaning, URL canonicalisation, identity keys and date parsing for parsed items.

Pure: no I/O. Markup is turned into text by lxml's HTML parser (never by pattern matching), over a
window of the fragment that comments, styles and scripts do not use up.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html.entities import name2codepoint
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree

from bot.core.models import ParsedItem

log = logging.getLogger(__name__)

SUMMARY_MAX = 300
TITLE_FALLBACK_MAX = 140

# ---------------------------------------------------------------- decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_NO_BOM_SNIFF: tuple[tuple[bytes, str], ...] = (
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
XML_DECL_ENC = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_UNICODE_WIDE = frozenset({"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode the bytes that are not UTF-8 as Windows-1252 (latin-1 for its five holes)."""
    assert isinstance(exc, UnicodeDecodeError)
    bad = exc.object[exc.start : exc.end]
    return bad.decode("cp1252", errors="ignore") or bad.decode("latin-1"), exc.end


codecs.register_error("teaserbot-cp1252", _cp1252_fallback)


def _codec(name: str | None) -> str | None:
    """The canonical Python codec name for a charset label, or None when unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, if any."""
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return match.group(1) if match else None


def decode_body(body: bytes, content_type: str | None = None) -> str:
    """Decode a document: BOM, then valid UTF-8, then the declared charsets, else cp1252."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8) :]  # then decoded exactly as the same bytes without it
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(enc, errors="replace")
    for prefix, enc in _NO_BOM_SNIFF:
        if body.startswith(prefix):
            return body.decode(enc, errors="replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = body[:2048]
    declared = XML_DECL_ENC.match(head) or _META_CHARSET.search(head)
    labels = [charset_from_content_type(content_type)]
    if declared:
        labels.append(declared.group(1).decode("ascii"))
    for label in labels:
        codec = _codec(label)
        if codec is None or codec in _UNICODE_WIDE or codec == "utf-8":
            continue
        # what every browser does with these labels
        enc = "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec
        try:
            return body.decode(enc)
        except UnicodeDecodeError:
            continue
    return body.decode("utf-8", errors="teaserbot-cp1252")


# ---------------------------------------------------------------- HTML to text

_DROP_BLOCKS = re.compile(
    r"<(script|style|noscript|template|iframe|svg|figcaption)\b[^>]*>.*?(?:</\1\s*>|$)"
    r"|<!--.*?(?:-->|$)",
    re.IGNORECASE | re.DOTALL,
)
_DROP_ELEMENTS = frozenset(
    {"script", "style", "noscript", "template", "iframe", "svg", "figcaption", "head", "object"}
)
_BLOCK_ELEMENTS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
     "tr", "td", "th", "table", "blockquote", "figure", "section", "article", "header", "footer",
     "hr", "pre", "img", "body"}
)  # fmt: skip
_WS = re.compile(r"\s+")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b\u00ad\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_C1 = re.compile(r"[\x80-\x9f]")
# C1 controls stand for the Windows-1252 characters they were meant as (feedparser does the same)
_C1_TABLE = {c: bytes([c]).decode("cp1252", errors="ignore") or None for c in range(0x80, 0xA0)}
_HTML_PARSER = etree.HTMLParser(
    recover=True, no_network=True, remove_comments=True, remove_pis=True
)


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace (also no-break spaces) into single spaces and trim."""
    return _WS.sub(" ", text).strip()


def _tidy(text: str) -> str:
    """Windows-1252 stand-ins mapped, invisible controls dropped, whitespace collapsed."""
    if _C1.search(text):
        text = text.translate(_C1_TABLE)
    return collapse_ws(_CTRL.sub("", text))


def _markup_text(fragment: str) -> str:
    """The visible text of an HTML fragment, read with lxml's HTML parser; blocks become spaces."""
    try:
        root = etree.fromstring(_CTRL.sub("", fragment), _HTML_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    if root is None:
        return ""
    parts: list[str] = []
    hidden = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _DROP_ELEMENTS:
                hidden += 1
            elif not hidden:
                if tag in _BLOCK_ELEMENTS:
                    parts.append(" ")
                if el.text and tag:
                    parts.append(el.text)
            continue
        if tag in _DROP_ELEMENTS:
            hidden -= 1
        elif not hidden and tag in _BLOCK_ELEMENTS:
            parts.append(" ")
        if not hidden and el.tail:
            parts.append(el.tail)
    return "".join(parts)


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed.

    Markup that appears only after its entities are decoded ("&lt;blink&gt;") is text.
    """
    if not fragment:
        return ""
    if "<" in fragment:
        text = _markup_text(fragment)
    elif "&" in fragment:
        text = html.unescape(fragment)
    else:
        text = fragment
    if "&" in text and _ENTITY_REF.search(text):  # double-escaped entities ("&amp;#8217;")
        text = html.unescape(text)  # decoded, but what they spell stays text
    return _tidy(text)


def text_as_markup(text: str) -> str:
    """Plain text as an HTML fragment that reads back as exactly that text."""
    return html.escape(text, quote=False) if ("<" in text or "&" in text) else text


_CLOSE_TAG = re.compile(r"</(\w+)>")
_ENTITY_REF = re.compile(r"&#?\w+;")
_ANY_TAG_NAME = re.compile(r"</?(\w+)")
_NAMED_ENTITY = re.compile(r"&(\w+);")
_HTML_ELEMENTS = frozenset(
    {"a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big",
     "blockquote", "br", "button", "canvas", "caption", "center", "cite", "code", "col",
     "colgroup", "command", "datagrid", "datalist", "dd", "del", "details", "dfn", "dialog", "dir",
     "div", "dl", "dt", "em", "event-source", "fieldset", "figcaption", "figure", "font",
     "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "input",
     "ins", "kbd", "keygen", "label", "legend", "li", "m", "map", "menu", "meter", "multicol",
     "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre", "progress",
     "q", "s", "samp", "section", "select", "small", "sound", "source", "spacer", "span",
     "strike", "strong", "sub", "sup", "table", "tbody", "td", "textarea", "tfoot", "th",
     "thead", "time", "tr", "tt", "u", "ul", "var", "video"}
)  # fmt: skip


def looks_like_html(value: str) -> bool:
    """feedparser's test for RSS text that may be HTML: a close tag or entity, known tags only."""
    if not (_CLOSE_TAG.search(value) or _ENTITY_REF.search(value)):
        return False
    if any(t.lower() not in _HTML_ELEMENTS for t in _ANY_TAG_NAME.findall(value)):
        return False
    return all(e in name2codepoint for e in _NAMED_ENTITY.findall(value))


_IMG_TAG = re.compile(r"<img\b([^>]*)>", re.IGNORECASE)
_ATTR = re.compile(r"""([A-Za-z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def first_image(fragment: str | None, base: str | None) -> str | None:
    """The absolute src of the first real <img> in an HTML fragment (tracking pixels skipped)."""
    if not fragment or "<" not in fragment:
        return None
    for match in _IMG_TAG.finditer(fragment):
        attrs = {
            m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
            for m in _ATTR.finditer(match.group(1))
        }
        if attrs.get("width") in {"0", "1"} or attrs.get("height") in {"0", "1"}:
            continue
        src = attrs.get("src") or attrs.get("data-src") or ""
        if "feedburner.com/~" in src or "/~ff/" in src or "/~r/" in src:
            continue
        url = absolute_url(src, base)
        if url:
            return url
    return None


# ---------------------------------------------------------------- boilerplate

_BOILER_ANYWHERE = re.compile(
    r"\s*\[\s*(?:…|\.\.\.|&hellip;|&#8230;|more|read more)\s*\]", re.IGNORECASE
)
_BOILER_TAIL = re.compile(
    r"(?:\s*(?:"
    r"The post\s.{1,300}?\sappeared first on\s.{1,200}?"
    r"|This (?:entry|article|post) was originally published (?:on|at)\s.{1,200}?"
    r"|(?:Continue|Keep) reading(?:\s[^.!?]{0,160}?\s*(?:→|»|\u203a|>>|\.\.\.|…))?"
    r"|Read (?:more|on|the (?:full|rest of the|whole) (?:article|story|post|piece)"
    r"|full (?:article|story|post))"
    r"|(?:Click|Tap) here to read (?:more|the (?:full )?(?:article|story|post))"
    r"|Full (?:article|story)(?: here)?"
    r"|Weiterlesen|Lire la suite|Leer más|Leggi tutto|Mehr lesen"
    r")\s*(?:[.:!]|→|»|\u203a|>>|\.\.\.|…)*\s*)+$",
    re.IGNORECASE | re.DOTALL,
)
# what a site puts where it cut its own excerpt: "[…]", "[...]", "[more]", "…", "..."
_CUT_MARK = re.compile(
    r"\s*(?:\[\s*(?:…|\.\.\.|more|read more)\s*\]|…|\.\.\.|\.\s\.\s\.)\s*$", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s)")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "cpt", "gov",
     "sen", "rep", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc", "no", "nos", "jan", "feb",
     "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "fig", "pp",
     "cf", "al", "ed", "vol", "mt", "ft", "rev", "hon", "pres", "maj", "adm", "dept", "univ",
     "bros", "ave", "blvd", "min", "sec", "est", "govt", "intl", "natl"}
)  # fmt: skip
_WORD_OPENERS = "([{\"'\u201c\u2018"

_BOILER_HINTS = (
    "appeared first", "originally published", "reading", "read ", "full article", "full story",
    "weiterlesen", "suite", "leer más", "leggi", "mehr lesen",
)  # fmt: skip
_TAIL_WINDOW = 500


def _after_abbreviation(text: str, dot: int) -> bool:
    """True when the period at `dot` ends an abbreviation or an initial ("U.N.", "Dr.", "J.")."""
    start = dot
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in _WORD_OPENERS:
        start -= 1
    word = text[start:dot]
    if not word:
        return False
    if len(word) == 1:
        return word.isalpha()
    return "." in word or word.lower() in _ABBREVIATIONS


def sentence_ends(text: str) -> list[int]:
    """Offsets just past each sentence end in `text`; a period after an abbreviation is none."""
    return [
        m.end()
        for m in _SENTENCE_END.finditer(text)
        if text[m.start()] != "." or not _after_abbreviation(text, m.start())
    ]


def _mark_cut(body: str) -> str:
    """Text known to be cut short: ended at a near sentence end, else as it is, always with "…"."""
    body = body.rstrip()
    if not body:
        return ""
    ends = sentence_ends(body + " ")
    if ends and ends[-1] >= len(body) - 1:
        return body + " …"  # the cut fell on a sentence end
    if ends and len(body) - ends[-1] <= max(40, len(body) // 4):
        return body[: ends[-1]].rstrip() + " …"
    return body.rstrip(" ,;:-\u2013\u2014(") + "…"


def strip_boilerplate(text: str) -> str:
    """Remove "Read more", "The post X appeared first on Y." and the like; a site's cut gets "…"."""
    if not text:
        return ""
    cut_at = max(0, len(text) - _TAIL_WINDOW)
    tail = text[cut_at:]
    lowered = tail.lower()
    if any(hint in lowered for hint in _BOILER_HINTS):
        previous = None
        while previous != tail:
            previous = tail
            tail = _BOILER_TAIL.sub("", tail).rstrip()
        text = text[:cut_at] + tail
    mark = _CUT_MARK.search(text, max(0, len(text) - 20))
    if mark:
        text = text[: mark.start()]
    if "[" in text:
        text = _BOILER_ANYWHERE.sub("", text)
    return _mark_cut(text) if mark else text.strip()


def cut_text(text: str, limit: int = SUMMARY_MAX) -> str:
    """At most `limit` characters: whole when it fits, else cut at a near sentence end or a word
    boundary, always ending with "…"."""
    if len(text) <= limit:
        return text
    probe = text[: limit + 1]
    ends = [e for e in sentence_ends(probe) if e <= limit - 2]
    if ends and ends[-1] >= limit * 2 // 3:
        return text[: ends[-1]].rstrip() + " …"
    head = text[: limit - 1]
    if not text[limit - 1].isspace():
        space = head.rfind(" ")
        if space >= limit // 2:
            head = head[:space]
    return head.rstrip(" ,;:-\u2013\u2014(") + "…"


def _visible_head(markup: str, size: int) -> str:
    """About the first `size` characters of markup, not counting comments, styles and scripts
    (a Word-pasted post can open with kilobytes of them), and no tag cut in half at the end."""
    if len(markup) <= size:
        return markup
    parts: list[str] = []
    have = pos = 0
    for match in _DROP_BLOCKS.finditer(markup):
        gap = markup[pos : match.start()]
        pos = match.end()
        if have + len(gap) >= size:
            break
        parts.append(gap)
        have += len(gap)
    else:
        gap = markup[pos:]
    parts.append(gap[: size - have])
    head = "".join(parts)
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    return head


def clean_title(raw: str | None) -> str:
    """A title as one line of plain text (markup stripped; plain text is escaped by the reader)."""
    return html_to_text(raw)


def clean_summary(raw_html: str | None, *, title: str = "") -> str:
    """Plain-text summary without boilerplate, cut to SUMMARY_MAX; empty if it repeats the title."""
    if not raw_html:
        return ""
    text = html_to_text(_visible_head(raw_html, SUMMARY_MAX * 8))
    text = strip_boilerplate(text)
    if len(text) > SUMMARY_MAX:
        text = cut_text(text)
    if title and text.rstrip(" .…") == title.rstrip(" .…"):
        return ""
    return text


# ---------------------------------------------------------------- URLs

_TRACKING_EXACT = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "mc_cid", "mc_eid", "igshid", "igsh", "ref_src", "ref_url",
        "_ga", "_gl", "_hsenc", "_hsmi", "__hstc", "__hssc", "__hsfp", "hsctatracking",
        "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "vero_conv", "wickedid", "rb_clickid",
        "s_cid", "ncid", "sr_share", "cmpid", "at_medium", "at_campaign", "spm", "soc_src",
        "soc_trk", "trk", "guccounter", "guce_referrer", "guce_referrer_sig", "fb_action_ids",
        "fb_action_types", "fb_source", "action_object_map", "action_type_map", "action_ref_map",
        "xtor", "cid_source", "ito", "smid", "feature",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hmb_", "at_custom")
_DEFAULT_PORTS = {"http": ":80", "https": ":443"}


def _is_tracking(param: str) -> bool:
    name = param.split("=", 1)[0].lower()
    return name in _TRACKING_EXACT or name.startswith(_TRACKING_PREFIXES)


PLAIN_URL = re.compile(r"https?://[A-Za-z0-9][^\s\\\[\]]*\Z")  # "[" needs a real check


def absolute_url(href: str | None, base: str | None) -> str | None:
    """`href` resolved against `base`, if the result is an http(s) URL; else None."""
    if not href:
        return None
    href = href.strip()
    if PLAIN_URL.match(href):  # already absolute: the common case, no parsing needed
        return href
    if not href:
        return None
    href = re.sub(r"[\n\r\t]", "", href)
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return url.replace(" ", "%20")


def canonical_url(url: str) -> str:
    """Canonical form: lowercase scheme and host, no default port, no trackers (fragments kept:
    they point into the page, and entries of one page differ only by them)."""
    if "?" not in url and "#" not in url:  # fast path for the common plain link
        host_end = url.find("/", url.find("://") + 3)
        head = url[:host_end] if host_end > 0 else url
        if head == head.lower() and not head.endswith((":80", ":443")) and "@" not in head:
            return url if host_end > 0 else url + "/"
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if "@" not in netloc:
        netloc = netloc.lower()
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port and netloc.endswith(default_port):
        netloc = netloc[: -len(default_port)]
    query = parts.query
    if query:
        query = "&".join(p for p in query.split("&") if p and not _is_tracking(p))
    fragment = parts.fragment
    if fragment and ("=" in fragment and all(_is_tracking(p) for p in fragment.split("&") if p)):
        fragment = ""  # "#xtor=RSS-1", "#utm_source=feed": tracking, not a place in the page
    return urlunsplit((scheme, netloc, parts.path or "/", query, fragment))


def item_url(href: str | None, base: str | None) -> str | None:
    """An item link made absolute and canonical; None unless it is http(s)."""
    url = absolute_url(href, base)
    return canonical_url(url) if url else None


# ---------------------------------------------------------------- identity

_GENERIC_IDS = frozenset(
    {"", "null", "none", "undefined", "nil", "n/a", "na", "-", "#", "/", "guid", "id",
     "permalink", "about:blank", "false", "true", "0000", "tag:", "urn:uuid:"}
)  # fmt: skip


def usable_guid(guid: str | None, *, feed_link: str | None = None) -> str | None:
    """The guid stripped, or None when it is empty or a generic placeholder."""
    if guid is None:
        return None
    guid = guid.strip()
    if guid.lower() in _GENERIC_IDS or (feed_link and guid.rstrip("/") == feed_link.rstrip("/")):
        return None
    return guid


def hash_key(title: str, published: datetime | None) -> str:
    """The fallback identity: sha1 of the title and the publication time."""
    stamp = published.isoformat() if published else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}".encode(), usedforsecurity=False).hexdigest()


# ---------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12, "sept": 9, "mrz": 3, "mär": 3, "mai": 5, "okt": 10,
    "dez": 12, "janv": 1, "févr": 2, "fevr": 2, "mars": 3, "avr": 4, "juin": 6, "juil": 7,
    "août": 8, "aout": 8, "déc": 12, "ene": 1, "abr": 4, "ago": 8, "dic": 12, "set": 9,
    "out": 10, "gen": 1, "giu": 6, "lug": 7,
}  # fmt: skip
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 330, "cet": 60,
    "met": 60, "cest": 120, "mest": 120, "eet": 120, "eest": 180, "msk": 180, "msd": 240,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360, "pst": -480,
    "pdt": -420, "akst": -540, "akdt": -480, "hst": -600, "ast": -240, "adt": -180,
    "nst": -210, "ndt": -150, "jst": 540, "kst": 540, "hkt": 480, "sgt": 480, "awst": 480,
    "acst": 570, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780, "brt": -180, "art": -180,
    "a": 60, "m": 720, "n": -60, "y": -720,
}  # fmt: skip
_RFC822 = re.compile(
    r"""^\s*(?:[A-Za-z\u00c0-\u024f]+\.?,?\s*)?          # day name, possibly wrong or unpunctuated
    (?P<day>\d{1,2})(?:st|nd|rd|th)?[\s\-/]+
    (?P<mon>[A-Za-z\u00c0-\u024f]{3,9})\.?,?[\s\-/]+
    (?P<year>\d{2,4}),?
    (?:[\sT]+(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?:[:.](?P<s>\d{2})(?:\.\d+)?)?)?
    \s*(?P<ampm>[AaPp]\.?[Mm]\.?)?
    \s*(?P<tz>[A-Za-z]{1,5}(?:\s*[+-]\d{1,2}:?\d{2})?|[+-]\d{1,2}(?::?\d{2})?)?""",
    re.VERBOSE,
)
_MDY = re.compile(
    r"""^\s*(?:[A-Za-z]+,?\s+)?(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+
    (?P<year>\d{4}),?(?:\s+(?:at\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?
    \s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?P<tz>[A-Za-z]{1,5}|[+-]\d{2}:?\d{2})?""",
    re.VERBOSE,
)
_ASCTIME = re.compile(
    r"""^\s*(?:[A-Za-z]{3},?\s+)?(?P<mon>[A-Za-z]{3})\s+(?P<day>\d{1,2})\s+
    (?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?P<ampm>(?!))?\s+(?:(?P<tz>[A-Za-z]{1,5})\s+)?
    (?P<year>\d{4})\s*$""",
    re.VERBOSE,
)
_ISO = re.compile(
    r"""^\s*(?P<year>\d{4})(?:-?(?P<mon>\d{2})(?:-?(?P<day>\d{2}))?)?
    (?:[Tt\s]+(?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?)?
    \s*(?P<tz>[Zz]|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?\s*$""",
    re.VERBOSE,
)


def _offset(tz: str | None) -> int | None:
    """Minutes east of UTC for a zone token; 0 when absent or unknown, None when invalid."""
    if not tz:
        return 0
    tz = tz.strip()
    sign_at = max(tz.rfind("+"), tz.rfind("-"))
    if sign_at >= 0:
        name, num = tz[:sign_at].strip().lower(), tz[sign_at:].replace(":", "")
        base = _ZONES.get(name, 0) if name else 0
        digits = num[1:]
        if len(digits) <= 2:
            hours, minutes = int(digits), 0
        else:
            hours, minutes = int(digits[:-2]), int(digits[-2:])
        if hours > 14 or minutes > 59:
            return None
        total = hours * 60 + minutes
        return base + (total if num[0] == "+" else -total)
    return _ZONES.get(tz.lower(), 0)


def _build(fields: tuple[int, int, int, int, int, int], offset: int | None) -> datetime | None:
    year, month, day, hour, minute, second = fields
    if offset is None or not 1900 <= year <= 2200:
        return None
    if second == 60:
        second = 59
    try:
        if hour == 24 and minute == 0 and second == 0:
            local = datetime(year, month, day, 0, 0, 0) + timedelta(days=1)
        else:
            local = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(timedelta(minutes=offset))).astimezone(UTC)


def _hour12(hour: int, ampm: str | None) -> int:
    if not ampm:
        return hour
    pm = ampm[0] in "pP"
    if hour == 12:
        return 12 if pm else 0
    return hour + 12 if pm else hour


def parse_date(value: str | None) -> datetime | None:
    """A date in RFC 822/2822 (with real-world variants) or ISO 8601/W3CDTF, as aware UTC."""
    if not value:
        return None
    value = value.strip()
    if not value or len(value) > 80:
        return None
    if value[0].isdigit():
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if parsed.tzinfo is None:
                return parsed.replace(tzinfo=UTC) if parsed.year >= 1900 else None
            return parsed.astimezone(UTC) if parsed.year >= 1900 else None
        iso = _ISO.match(value)
        if iso:
            fields = (
                int(iso["year"]),
                int(iso["mon"] or 1),
                int(iso["day"] or 1),
                int(iso["h"] or 0),
                int(iso["mi"] or 0),
                int(iso["s"] or 0),
            )
            return _build(fields, _offset(iso["tz"]))
    match = _RFC822.match(value) or _MDY.match(value) or _ASCTIME.match(value)
    if not match:
        return None
    month = _MONTHS.get(match["mon"].lower()[:4]) or _MONTHS.get(match["mon"].lower()[:3])
    if month is None:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:
        year += 2000 if year < 50 else 1900
    elif len(match["year"]) == 3:
        year += 1900
    tz = match["tz"]
    if tz and tz.lower() in {"at"}:
        tz = None
    fields = (
        year,
        month,
        int(match["day"]),
        _hour12(int(match["h"] or 0), match["ampm"]),
        int(match["mi"] or 0),
        int(match["s"] or 0),
    )
    return _build(fields, _offset(tz))


# ---------------------------------------------------------------- drafts to items

_CAPTION_TAG = re.compile(r"<(?:img|iframe|video|figure|a)\b([^>]*)>", re.IGNORECASE)
_SLUG_WORDS = re.compile(r"[-_+.]+")


def fallback_title(fragment: str | None, link: str | None) -> str:
    """A title for an item without one: an embed's title/alt text, else the link's slug."""
    if fragment and "<" in fragment:
        for match in _CAPTION_TAG.finditer(fragment):
            for attr in _ATTR.finditer(match.group(1)):
                if attr.group(1).lower() in {"title", "alt", "aria-label"}:
                    text = html_to_text(attr.group(2) or attr.group(3) or attr.group(4))
                    if len(text) > 3:
                        return cut_text(text, TITLE_FALLBACK_MAX)
    if link:
        try:
            path = urlsplit(link).path.rstrip("/")
        except ValueError:
            return ""
        slug = path.rsplit("/", 1)[-1].rsplit(".", 1)[0] if path else ""
        words = _SLUG_WORDS.sub(" ", slug).strip()
        if sum(c.isalpha() for c in words) >= 3:
            return words[:1].upper() + words[1:]
    return ""


@dataclass(slots=True)
class Draft:
    """An item as read from a document, before cleaning: raw HTML text, resolved URLs."""

    guid: str | None = None
    title: str = ""
    link: str | None = None
    summary: str | None = None
    content: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    categories: list[str] = field(default_factory=list)
    image: str | None = None
    image_rank: int = 99
    base: str | None = None

    def offer_image(self, url: str | None, rank: int) -> None:
        """Keep `url` as the image if it ranks better (lower) than the current one."""
        if url and rank < self.image_rank:
            self.image, self.image_rank = url, rank


def _unique(values: list[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for raw in values:
        value = html_to_text(raw) if ("<" in raw or "&" in raw) else collapse_ws(raw)
        folded = value.casefold()
        if value and folded not in seen:
            seen.add(folded)
            out.append(value)
    return tuple(out)


def finish_items(drafts: list[Draft], *, feed_link: str | None = None) -> tuple[ParsedItem, ...]:
    """Clean drafts into items: text, summary, image, identity key; duplicates dropped."""
    guids = [usable_guid(d.guid, feed_link=feed_link) for d in drafts]
    counts: dict[str, int] = {}
    for guid in guids:
        if guid is not None:
            counts[guid] = counts.get(guid, 0) + 1
    items: list[ParsedItem] = []
    keys: set[str] = set()
    skipped: list[str] = []
    for draft, guid in zip(drafts, guids, strict=True):
        try:
            item = _finish_item(draft, guid, counts)
        except (ValueError, TypeError, RecursionError) as exc:  # one bad item costs only itself
            skipped.append(f"{type(exc).__name__}: {exc}")
            continue
        if item is None or item.key in keys:
            continue
        keys.add(item.key)
        items.append(item)
    if skipped:
        log.warning("feed items skipped count=%d first=%r", len(skipped), skipped[0][:200])
    return tuple(items)


def _finish_item(draft: Draft, guid: str | None, counts: dict[str, int]) -> ParsedItem | None:
    """One draft cleaned into an item, or None when it has nothing to show."""
    title = clean_title(draft.title)
    summary = clean_summary(draft.summary, title=title)
    if not summary and draft.content:
        summary = clean_summary(draft.content, title=title)
    if not title:
        if not summary and not draft.link:
            return None
        title = cut_text(summary, TITLE_FALLBACK_MAX) if summary else ""
        title = title or fallback_title(draft.content or draft.summary, draft.link)
    published = draft.published or draft.updated
    if guid is not None and counts[guid] == 1:
        key = guid
    elif draft.link:
        key = draft.link
    else:
        key = hash_key(title, published)
    item = ParsedItem(
        key=key,
        title=title,
        summary=summary,
        url=draft.link,
        published=published,
        categories=_unique([_SURROGATE.sub("", c) for c in draft.categories]),
        image=draft.image or first_image(draft.content or draft.summary, draft.base),
    )
    for what, value in (("id", item.key), ("url", item.url), ("image", item.image)):
        if value and _SURROGATE.search(value):  # cannot be stored or sent: the item is skipped
            raise ValueError(f"a lone UTF-16 surrogate in the item's {what}")
    return item


__all__ = [
    "PLAIN_URL",
    "SUMMARY_MAX",
    "XML_DECL_ENC",
    "Draft",
    "absolute_url",
    "canonical_url",
    "charset_from_content_type",
    "clean_summary",
    "clean_title",
    "collapse_ws",
    "cut_text",
    "decode_body",
    "finish_items",
    "first_image",
    "hash_key",
    "html_to_text",
    "item_url",
    "looks_like_html",
    "parse_date",
    "sentence_ends",
    "strip_boilerplate",
    "text_as_markup",
    "usable_guid",
]
