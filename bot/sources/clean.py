"""Text cleaning, URL canonicalisation, identity keys and date parsing for parsed items.

Pure: no I/O. Fast on purpose (regular expressions, no DOM) because every polled item passes here.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

from bot.models import ParsedItem

SUMMARY_MAX = 600
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
_BLOCK_TAG = re.compile(
    r"</?(?:p|br|div|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|blockquote|figure|section|article"
    r"|header|footer|hr|pre|img)\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![^<>]*>|<\?[^<>]*>")
_WS = re.compile(r"\s+")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u200b\u00ad]")


def collapse_ws(text: str) -> str:
    """Collapse runs of whitespace (also no-break spaces) into single spaces and trim."""
    return _WS.sub(" ", text).strip()


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    if not fragment:
        return ""
    text = fragment
    if "<" in text:
        text = _DROP_BLOCKS.sub(" ", text)
        text = _BLOCK_TAG.sub(" ", text)
        text = _ANY_TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
        if "<" in text:  # escaped markup inside the text ("&lt;b&gt;")
            text = _ANY_TAG.sub("", _BLOCK_TAG.sub(" ", _DROP_BLOCKS.sub(" ", text)))
        if "&" in text:  # double-escaped entities ("&amp;#8217;")
            text = html.unescape(text)
    text = _CTRL.sub("", text)
    return collapse_ws(text)


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
_ELLIPSIS_TAIL = re.compile(r"\s*(?:…|\.\.\.|\.\s\.\s\.|\[…\]|\[\.\.\.\])\s*$")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s)")


_BOILER_HINTS = (
    "appeared first", "originally published", "reading", "read ", "full article", "full story",
    "weiterlesen", "suite", "leer más", "leggi", "mehr lesen",
)  # fmt: skip
_TAIL_WINDOW = 500


def strip_boilerplate(text: str) -> str:
    """Remove "Read more", "[…]", "The post X appeared first on Y." and trailing "…" fragments."""
    if not text:
        return ""
    if "[" in text:
        text = _BOILER_ANYWHERE.sub("", text)
    cut_at = max(0, len(text) - _TAIL_WINDOW)
    tail = text[cut_at:]
    lowered = tail.lower()
    if any(hint in lowered for hint in _BOILER_HINTS):
        previous = None
        while previous != tail:
            previous = tail
            tail = _BOILER_TAIL.sub("", tail).rstrip()
        text = text[:cut_at] + tail
    ell = _ELLIPSIS_TAIL.search(text, max(0, len(text) - 20))
    if ell:
        body = text[: ell.start()]
        ends = [m.end() for m in _SENTENCE_END.finditer(body)]
        if ends and ends[-1] >= 20:
            text = body[: ends[-1]]  # drop the unfinished sentence after the last full one
        else:
            text = body.rstrip(" ,;:-\u2013\u2014") + "…" if body else ""
    return text.strip()


def cut_text(text: str, limit: int = SUMMARY_MAX) -> str:
    """Cut text to at most `limit` characters at a sentence end, else a word boundary plus "…"."""
    if len(text) <= limit:
        return text
    window = text[: limit + 1]
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] >= limit // 3:
        return window[: ends[-1]].rstrip()
    head = window[:limit]
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:-\u2013\u2014(") + "…"


def _head(markup: str, size: int) -> str:
    """The first `size` characters of markup, without a tag cut in half at the end."""
    if len(markup) <= size:
        return markup
    head = markup[:size]
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    return head


def clean_title(raw: str | None) -> str:
    """A title as one line of plain text (HTML and escaped HTML stripped)."""
    return html_to_text(raw)


def clean_summary(raw_html: str | None, *, title: str = "") -> str:
    """Plain-text summary without boilerplate, cut to SUMMARY_MAX; empty if it repeats the title."""
    if not raw_html:
        return ""
    text = html_to_text(_head(raw_html, SUMMARY_MAX * 4))
    if len(text) <= SUMMARY_MAX and len(raw_html) > SUMMARY_MAX * 4:  # markup-heavy start
        text = html_to_text(_head(raw_html, SUMMARY_MAX * 40))
    text = strip_boilerplate(text)
    if len(text) > SUMMARY_MAX:
        text = cut_text(text)
    if title and text.rstrip(".…") == title.rstrip(".…"):
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


PLAIN_URL = re.compile(r"https?://[A-Za-z0-9\[][^\s\\]*\Z")


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
    """Canonical form: lowercase scheme and host, no default port, no fragment, no trackers."""
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
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


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
    match = _RFC822.match(value) or _MDY.match(value)
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
        path = urlsplit(link).path.rstrip("/")
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
    for draft, guid in zip(drafts, guids, strict=True):
        title = clean_title(draft.title)
        summary = clean_summary(draft.summary, title=title)
        if not summary and draft.content:
            summary = clean_summary(draft.content, title=title)
        if not title:
            if not summary and not draft.link:
                continue
            title = cut_text(summary, TITLE_FALLBACK_MAX) if summary else ""
            title = title or fallback_title(draft.content or draft.summary, draft.link)
        published = draft.published or draft.updated
        if guid is not None and counts[guid] == 1:
            key = guid
        elif draft.link:
            key = draft.link
        else:
            key = hash_key(title, published)
        if key in keys:
            continue
        keys.add(key)
        image = draft.image or first_image(draft.content or draft.summary, draft.base)
        items.append(
            ParsedItem(
                key=key,
                title=title,
                summary=summary,
                url=draft.link,
                published=published,
                categories=_unique(draft.categories) if draft.categories else (),
                image=image,
            )
        )
    return tuple(items)


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
    "parse_date",
    "strip_boilerplate",
    "usable_guid",
]
