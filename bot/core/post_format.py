"""How a chat's teasers look: which parts they show, a photo, a Read button, a signature.

Pure. ``/format`` options (typed in any of the six languages): ``summary``, ``hashtags``,
``source``, ``photo``, ``button`` with ``on``/``off``, and ``signature <text>`` or
``signature off``. :func:`render_post` makes the message: Telegram HTML (everything from a feed
and the signature escaped) that fits a message (4,096) or, with a photo, a caption (1,024),
counted as Telegram counts: the visible text in UTF-16 code units.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core import i18n, texts
from bot.core.errors import BotError
from bot.core.models import Article
from bot.core.regions.text import words
from bot.core.render import (
    MESSAGE_LIMIT,
    SUMMARY_CHARS,
    TITLE_CHARS,
    cut_utf16,
    escape,
    safe_href,
    shorten,
    utf16_len,
)

CAPTION_LIMIT = 1024
SIGNATURE_CHARS = 200
_TAG = re.compile(r"<[^>]*>")


class FormatError(BotError):
    """A ``/format`` request the bot cannot read; ``message`` (plain text) quotes it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class PostFormat:
    """A chat's choices; the defaults are the teaser as it always was."""

    summary: bool = True
    hashtags: bool = True
    source: bool = True
    photo: bool = False
    button: bool = False
    signature: str | None = None


DEFAULT_FORMAT = PostFormat()


@dataclass(frozen=True, slots=True)
class Post:
    """One teaser ready to send: ``html`` is the text, or the caption when ``photo`` is set;
    ``button_url`` is the Read button's target (None: no button)."""

    html: str
    photo: str | None = None
    button_url: str | None = None


_SWITCHES: dict[str, str] = {
    **dict.fromkeys(["summary", "zusammenfassung", "resumen", "resume", "resumo", "анонс"],
                    "summary"),
    **dict.fromkeys(["hashtags", "hashtag", "tags", "хэштеги", "хештеги", "теги"], "hashtags"),
    **dict.fromkeys(["source", "quelle", "fuente", "fonte", "источник"], "source"),
    **dict.fromkeys(["photo", "foto", "image", "bild", "imagen", "imagem", "фото"], "photo"),
    **dict.fromkeys(["button", "knopf", "boton", "bouton", "botao", "кнопка"], "button"),
}  # fmt: skip
_SWITCH_FIELDS = ("summary", "hashtags", "source", "photo", "button")
_SIGNATURE = {"signature", "signatur", "firma", "assinatura", "подпись"}
_ON = {"on", "an", "ein", "si", "oui", "sim", "вкл", "да", "yes", "ja"}
_OFF = {"off", "aus", "no", "non", "nao", "выкл", "нет", "nein"}


def parse_format(typed: str, current: PostFormat) -> PostFormat:
    """``current`` changed as typed (``photo on``, ``Quelle aus``, ``signature — Our paper``).

    Raises :class:`FormatError` quoting what was typed when it cannot be read.
    """
    name, _, rest = typed.strip().partition(" ")
    key = " ".join(words(name))
    if key in _SIGNATURE:
        return _with_signature(current, rest.strip())
    field = _SWITCHES.get(key)
    state = " ".join(words(rest))
    if field is None or state not in _ON | _OFF:
        raise FormatError(i18n.tr(texts.FORMAT_UNKNOWN).format(typed=_shown(typed)))
    return _switched(current, field, state in _ON)


def _switched(fmt: PostFormat, field: str, on: bool) -> PostFormat:
    """``fmt`` with one of its switches set."""
    switches = {name: getattr(fmt, name) for name in _SWITCH_FIELDS}
    switches[field] = on
    return PostFormat(**switches, signature=fmt.signature)


def _with_signature(current: PostFormat, text: str) -> PostFormat:
    if not text:
        raise FormatError(i18n.tr(texts.FORMAT_SIGNATURE_EMPTY))
    if " ".join(words(text)) in _OFF:
        return replace(current, signature=None)
    text = " ".join(text.split())
    if len(text) > SIGNATURE_CHARS:
        raise FormatError(i18n.tr(texts.FORMAT_SIGNATURE_LONG).format(limit=SIGNATURE_CHARS))
    return replace(current, signature=text)


def _shown(typed: str) -> str:
    typed = typed.strip()
    return typed if len(typed) <= 64 else typed[:63] + "…"


def format_to_text(fmt: PostFormat) -> str:
    """How a format is stored: the switches that differ from the default, then the signature
    (``photo button -source | — Our paper``); ``""`` for the default."""
    flags = [
        ("" if value else "-") + name
        for name, value, default in (
            ("summary", fmt.summary, True),
            ("hashtags", fmt.hashtags, True),
            ("source", fmt.source, True),
            ("photo", fmt.photo, False),
            ("button", fmt.button, False),
        )
        if value != default
    ]
    text = " ".join(flags)
    return f"{text} | {fmt.signature}" if fmt.signature else text


def format_from_text(text: str | None) -> PostFormat:
    """The stored form back (unknown words are ignored)."""
    flags, _, signature = (text or "").partition(" | ")
    fields = {name.lstrip("-"): not name.startswith("-") for name in flags.split()}
    fmt = PostFormat(signature=signature.strip() or None)
    for name, on in fields.items():
        if name in _SWITCH_FIELDS:
            fmt = _switched(fmt, name, on)
    return fmt


def visible_len(markup: str) -> int:
    """The length Telegram counts for a text with HTML markup: the visible text, UTF-16."""
    return utf16_len(html.unescape(_TAG.sub("", markup)))


def render_post(article: Article, fmt: PostFormat, *, tags: Sequence[str] = ()) -> Post:
    """The teaser as ``fmt`` asks; a photo caption when the chat wants photos and the article
    has an http(s) image, else a text message (the Read button's label is the shell's)."""
    photo = safe_href(article.image) if fmt.photo else None
    limit = CAPTION_LIMIT if photo else MESSAGE_LIMIT
    href = safe_href(article.url)
    for summary_chars, title_chars in _budgets():
        text = _compose(article, fmt, tags, summary_chars, title_chars)
        if visible_len(text) <= limit:
            break
    return Post(html=text, photo=html.unescape(photo) if photo else None,
                button_url=html.unescape(href) if fmt.button and href else None)  # fmt: skip


def post_plain(article: Article, fmt: PostFormat) -> str:
    """The teaser as ``fmt`` asks, without markup (for when Telegram refuses the HTML): the
    title, the summary, the link (unless a Read button carries it), the source, the signature."""
    lines = [shorten(article.title, TITLE_CHARS) or "(untitled)"]
    summary = shorten(article.summary, SUMMARY_CHARS) if fmt.summary else ""
    if summary:
        lines.append(summary)
    if article.url and not (fmt.button and safe_href(article.url)):
        lines.append(article.url)
    if fmt.source:
        lines.append(shorten(article.source_name, 100))
    if fmt.signature:
        lines.append(fmt.signature[:SIGNATURE_CHARS])
    return cut_utf16("\n\n".join(lines), MESSAGE_LIMIT)


def _budgets() -> list[tuple[int, int]]:
    """Summary and title lengths to try, from the usual ones down to the bare minimum."""
    return [(SUMMARY_CHARS, TITLE_CHARS), (200, TITLE_CHARS), (100, 200), (0, 120), (0, 60)]


def _compose(
    article: Article,
    fmt: PostFormat,
    tags: Sequence[str],
    summary_chars: int,
    title_chars: int,
) -> str:
    title = escape(shorten(article.title, title_chars) or "(untitled)")
    href = safe_href(article.url)
    linked = href and not fmt.button
    parts = [f'<b><a href="{href}">{title}</a></b>' if linked else f"<b>{title}</b>"]
    summary = shorten(article.summary, summary_chars) if fmt.summary and summary_chars else ""
    if summary:
        parts.append(escape(summary))
    footer = [f"<i>{escape(shorten(article.source_name, 100))}</i>"] if fmt.source else []
    if fmt.hashtags and tags:
        footer.extend(escape(tag[:40]) for tag in tags[:5])
    if footer:
        parts.append(" ".join(footer))
    if fmt.signature:
        parts.append(escape(fmt.signature[:SIGNATURE_CHARS]))
    return "\n\n".join(parts)
