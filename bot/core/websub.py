"""WebSub (W3C Recommendation), the pure part: discovery, secrets, signatures, leases.

A feed names its hub with ``<atom:link rel="hub" href="…">`` (and its topic URL with
``rel="self"``) or with an HTTP ``Link: <…>; rel="hub"`` header. The bot subscribes with a
callback URL under its public WEBHOOK_URL that carries a token derived from a key (the bot
token) and the source's id, and a per-subscription secret derived the same way: any process of
the bot that shares the key can verify the hub's intent check and the
``X-Hub-Signature-256`` of a notification, and nothing needs to be stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

LEASE_SECONDS = 10 * 24 * 3600
"""The lease asked of a hub (it may grant another; the intent check says which)."""
RENEW_FRACTION = 0.8
"""A subscription is renewed once this share of its lease has passed."""
FALLBACK_FACTOR = 6.0
"""A source pushed by a hub is still polled, this many times less often."""

_LINK_TAG = re.compile(rb"<(?:[A-Za-z0-9_-]+:)?link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([A-Za-z_:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HEADER_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)
DISCOVERY_BYTES = 64 * 1024
"""Only the start of a document is searched (the feed's own links come before its items)."""


@dataclass(frozen=True, slots=True)
class HubLink:
    """Where to subscribe (hub) and to what (topic, the feed's self URL)."""

    hub: str
    topic: str


def _unescape(value: str) -> str:
    return value.replace("&amp;", "&").replace("&quot;", '"').replace("&#39;", "'")


def _document_links(body: bytes) -> dict[str, str]:
    """rel → href of the document's first links (the first of each rel wins)."""
    found: dict[str, str] = {}
    for tag in _LINK_TAG.finditer(body[:DISCOVERY_BYTES]):
        attrs = {
            m.group(1).lower().decode(): (m.group(2) or m.group(3) or b"").decode(
                "utf-8", "replace"
            )
            for m in _ATTR.finditer(tag.group(0))
        }
        href = attrs.get("href")
        for rel in attrs.get("rel", "").lower().split():
            if href and rel in {"hub", "self"}:
                found.setdefault(rel, _unescape(href.strip()))
    return found


def _header_links(value: str | None) -> dict[str, str]:
    """rel → URL of a Link header's entries."""
    found: dict[str, str] = {}
    for match in _HEADER_LINK.finditer(value or ""):
        rel = _REL.search(match.group(2))
        if rel is None:
            continue
        for name in (rel.group(1) or rel.group(2) or "").lower().split():
            found.setdefault(name, match.group(1).strip())
    return found


def discover_hub(body: bytes, links: str | None, url: str) -> HubLink | None:
    """The hub a document (or its Link header) names, with the topic; None without a hub.

    The Link header wins over the document, as WebSub's discovery says; the topic is the
    ``self`` link, else the URL the document was fetched from.
    """
    header = _header_links(links)
    document = _document_links(body) if "hub" not in header else {}
    hub = header.get("hub") or document.get("hub")
    if not hub or not hub.startswith(("http://", "https://")):
        return None
    topic = header.get("self") or document.get("self") or url
    return HubLink(hub=hub, topic=topic)


def _derive(key: str, purpose: str, source_id: int) -> str:
    message = f"{purpose}\n{source_id}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def callback_token(key: str, source_id: int) -> str:
    """The token in a source's callback path (32 hex digits): only its hub learns it."""
    return _derive(key, "websub-callback", source_id)[:32]


def subscription_secret(key: str, source_id: int) -> str:
    """The ``hub.secret`` of a source's subscription (64 hex digits; the hub signs with it)."""
    return _derive(key, "websub-secret", source_id)


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """True when ``X-Hub-Signature-256`` (``sha256=<hex>``) is the body's HMAC-SHA256."""
    if not header or not header.lower().startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[7:].strip().lower().encode(), expected.encode())


def renew_at(verified_at: float, lease_seconds: float) -> float:
    """When a subscription granted for ``lease_seconds`` at ``verified_at`` is renewed."""
    return verified_at + max(60.0, lease_seconds * RENEW_FRACTION)
