"""The keyboards of /topic, /keywords and /sites: a toggle per topic or site, a button per word.

Like the region chooser, every button names the chat it acts on and is only a request: the
callback handler re-authorises the person who pressed it (:mod:`bot.telegram.filter_buttons`).
"""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import site_choice, stems, texts, topics
from bot.core.i18n import tr, trn
from bot.core.keywords import KeywordFilter, format_keywords
from bot.core.models import Chat
from bot.core.site_choice import Site
from bot.telegram.deps import Deps
from bot.telegram.views import Action, ButtonData, View, button, name_of, pairs

SETTINGS = "settings"  # a view opened from /settings has a Back button instead of Done
MAX_SITE_BUTTONS = 80  # Telegram shows at most 100 buttons under a message
_DATA_LIMIT = 64  # bytes of callback data
_TEXT_LIMIT = 1500  # characters of a list of names in a view's text


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return pairs(buttons) if len(buttons) > 8 else [[b] for b in buttons]


def _last_row(chat: Chat, kind: str, back_to: str | None) -> list[InlineKeyboardButton]:
    if back_to == SETTINGS:
        return [button(tr(texts.BUTTON_BACK), Action.SETTINGS, chat.id)]
    return [button(tr(texts.BUTTON_DONE), Action.DONE, chat.id, kind)]


def _mark(chosen: bool, name: str) -> str:
    return (texts.CHECKED if chosen else texts.UNCHECKED) + name


def short(text: str, limit: int) -> str:
    """A text cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def topics_text(chat: Chat) -> str:
    """The chat's topics for people, escaped."""
    return html.escape(topics.format_filter(chat.settings.topics))


def topic_view(chat: Chat, *, back_to: str | None = None) -> View:
    """A toggle per topic (in the chat's language) and Every topic."""
    extra = (back_to,) if back_to else ()
    chosen = chat.settings.topics
    toggles = [
        button(
            _mark(t in chosen.ids, topics.display_name(t)), Action.TOPIC_TOGGLE, chat.id, t, *extra
        )
        for t in topics.TOPICS
    ]
    every = _mark(chosen.is_everything, tr(texts.BUTTON_EVERY_TOPIC))
    rows = [
        *pairs(toggles),
        [button(every, Action.TOPIC_ALL, chat.id, *extra)],
        _last_row(chat, "topics", back_to),
    ]
    text = tr(texts.TOPIC_VIEW).format(chat=name_of(chat), topics=topics_text(chat))
    return View(text, InlineKeyboardMarkup(rows))


def keywords_text(words: KeywordFilter) -> str:
    """A chat's words for people ("+strike -football"), escaped; "none" when there are none."""
    return html.escape(format_keywords(words)) if not words.is_empty else tr(texts.NO_KEYWORDS)


def fit_word(signed: str, chat_id: int, back_to: str | None) -> str:
    """A signed word cut (by whole characters) so its remove button's data fits 64 bytes."""
    extra = (back_to,) if back_to else ()
    room = _DATA_LIMIT - len(ButtonData(Action.KEYWORD_REMOVE, chat_id, ("", *extra)).encode())
    while len(signed.encode()) > room:
        signed = signed[:-1]
    return signed


def keywords_view(chat: Chat, *, back_to: str | None = None) -> View:
    """The chat's words, each a button that removes it, and one that removes them all."""
    extra = (back_to,) if back_to else ()
    words = chat.settings.keywords
    signed = [*(f"+{w}" for w in words.include), *(f"-{w}" for w in words.exclude)]
    removes = [
        button("✖ " + w, Action.KEYWORD_REMOVE, chat.id, fit_word(w, chat.id, back_to), *extra)
        for w in signed
    ]
    rows = pairs(removes)
    if signed:
        rows.append(
            [button(tr(texts.BUTTON_CLEAR_KEYWORDS), Action.KEYWORDS_CLEAR, chat.id, *extra)]
        )
    rows.append(_last_row(chat, "keywords", back_to))
    lines = []
    if words.include:
        included = html.escape(" ".join(f"+{w}" for w in words.include))
        lines.append(tr(texts.KEYWORDS_INCLUDED).format(words=included))
    if words.exclude:
        excluded = html.escape(" ".join(f"-{w}" for w in words.exclude))
        lines.append(tr(texts.KEYWORDS_EXCLUDED).format(words=excluded))
    text = tr(texts.KEYWORDS_VIEW).format(
        chat=name_of(chat), lines="\n".join(lines) or tr(texts.KEYWORDS_NONE)
    )
    return View(text, InlineKeyboardMarkup(rows))


async def known_sites(deps: Deps) -> list[Site]:
    """The operator's enabled sources, as a chat chooses them."""
    return site_choice.choosable(await deps.store.sources.sources())


def sites_text(chat: Chat, sites: list[Site]) -> str:
    """The chat's sites for people, escaped (a long list cut)."""
    return html.escape(short(site_choice.format_sites(chat.settings.sites, sites), _TEXT_LIMIT))


def _example(sites: list[Site]) -> str:
    for site in sites:
        words = [w for w in stems.keys(site.name) if len(w) > 3]
        if words:
            return words[0]
    return "…"


def sites_view(chat: Chat, sites: list[Site], *, back_to: str | None = None) -> View:
    """A toggle per site (the first 80) and Every site (which also brings later ones)."""
    extra = (back_to,) if back_to else ()
    chosen = chat.settings.sites
    toggles = [
        button(
            _mark(chosen.ids is not None and s.id in chosen.ids, short(s.name, 40)),
            Action.SITE_TOGGLE,
            chat.id,
            str(s.id),
            *extra,
        )
        for s in sites[:MAX_SITE_BUTTONS]
    ]
    every = _mark(chosen.is_everything, tr(texts.BUTTON_EVERY_SITE))
    rows = [
        *_rows(toggles),
        [button(every, Action.SITES_ALL, chat.id, *extra)],
        _last_row(chat, "sites", back_to),
    ]
    text = tr(texts.SITES_VIEW).format(
        chat=name_of(chat), sites=sites_text(chat, sites), example=html.escape(_example(sites))
    )
    hidden = len(sites) - MAX_SITE_BUTTONS
    if hidden > 0:
        text += trn(texts.SITES_VIEW_MORE, hidden).format(count=hidden)
    return View(text, InlineKeyboardMarkup(rows))
