"""The buttons of /topic, /keywords and /sites.

Called by :func:`bot.telegram.callbacks.on_button` after it re-authorised the person who pressed
for the chat the button names; ``chat`` is that chat, fresh from the store. Each change is read
and written in one transaction (``store.change_settings``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from telegram import Message

from bot.core import keywords, site_choice, texts, topics
from bot.core.chat_filters import SiteFilter
from bot.core.chat_settings import ChatSettings
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.telegram.deps import Deps
from bot.telegram.filter_commands import keywords_line, sites_line, topics_line
from bot.telegram.filter_views import SETTINGS, keywords_view, known_sites, sites_view, topic_view
from bot.telegram.views import Action, ButtonData, Outcome

log = logging.getLogger("bot.callbacks")

ACTIONS = frozenset(
    {
        Action.TOPIC_VIEW,
        Action.TOPIC_TOGGLE,
        Action.TOPIC_ALL,
        Action.KEYWORDS_VIEW,
        Action.KEYWORD_REMOVE,
        Action.KEYWORDS_CLEAR,
        Action.SITES_VIEW,
        Action.SITE_TOGGLE,
        Action.SITES_ALL,
    }
)
KINDS = frozenset({"topics", "keywords", "sites"})
"""What a Done button under one of these views names: its summary line replaces the view."""


def handles(data: ButtonData) -> bool:
    """Whether this module answers the press."""
    return data.action in ACTIONS or (
        data.action == Action.DONE and bool(data.args) and data.args[0] in KINDS
    )


def _back(data: ButtonData) -> str | None:
    return SETTINGS if data.args[-1:] == (SETTINGS,) else None


async def apply(deps: Deps, chat: Chat, message: Message, data: ButtonData) -> Outcome:
    """Apply a press on ``chat`` (already authorised); what the message shows next."""
    if data.action == Action.DONE:
        return await _done(deps, chat, data.args[0])
    if data.action in (Action.TOPIC_VIEW, Action.TOPIC_TOGGLE, Action.TOPIC_ALL):
        return await _topics(deps, chat, data)
    if data.action in (Action.KEYWORDS_VIEW, Action.KEYWORD_REMOVE, Action.KEYWORDS_CLEAR):
        return await _keywords(deps, chat, data)
    return await _sites(deps, chat, data)


async def _fresh(deps: Deps, chat: Chat) -> Chat:
    fresh = await deps.store.chats.chat(chat.id)
    assert fresh is not None
    return fresh


async def _save(deps: Deps, chat: Chat, change: Callable[[ChatSettings], ChatSettings]) -> Chat:
    saved = await deps.store.chats.change_settings(chat.id, change, deps.clock())
    return replace(chat, settings=saved)


async def _done(deps: Deps, chat: Chat, kind: str) -> Outcome:
    if kind == "topics":
        line = topics_line(chat)
    elif kind == "keywords":
        line = keywords_line(chat)
    else:
        line = sites_line(chat, await known_sites(deps))
    return Outcome(toast=tr(texts.TOAST_DONE), summary="✅ " + line)


async def _topics(deps: Deps, chat: Chat, data: ButtonData) -> Outcome:
    back = _back(data)
    current = chat.settings.topics
    if data.action == Action.TOPIC_VIEW:
        return Outcome(topic_view(chat, back_to=back), tr(texts.TOAST_TOPICS))
    if data.action == Action.TOPIC_ALL:
        chat = await _save(deps, chat, lambda s: replace(s, topics=topics.TopicFilter()))
        return Outcome(topic_view(chat, back_to=back), tr(texts.TOAST_EVERY_TOPIC))
    topic = data.args[0] if data.args else ""
    if topic not in topics.TOPICS:
        return Outcome(topic_view(chat, back_to=back), tr(texts.BUTTON_EXPIRED))
    name = topics.display_name(topic)
    toggled = topics.toggle(current, topic)
    if toggled is None:
        toast = tr(texts.TOAST_TOPIC_LAST).format(name=name)
        return Outcome(topic_view(chat, back_to=back), toast)
    chat = await _save(deps, chat, lambda s: replace(s, topics=toggled))
    added = topic in toggled.ids and (current.is_everything or topic not in current.ids)
    toast = tr(texts.TOAST_TOPIC_ADDED if added else texts.TOAST_TOPIC_REMOVED).format(name=name)
    return Outcome(topic_view(chat, back_to=back), toast)


def _stored_word(current: keywords.KeywordFilter, signed: str) -> str | None:
    """The stored word a remove button means: the same signed word, else the one word its cut
    form begins (a long word's button carries only its start)."""
    words = [*(f"+{w}" for w in current.include), *(f"-{w}" for w in current.exclude)]
    if signed in words:
        return signed[1:]
    begun = [w for w in words if signed and w.startswith(signed)]
    return begun[0][1:] if len(begun) == 1 else None


async def _keywords(deps: Deps, chat: Chat, data: ButtonData) -> Outcome:
    back = _back(data)
    if data.action == Action.KEYWORDS_VIEW:
        return Outcome(keywords_view(chat, back_to=back), tr(texts.TOAST_KEYWORDS))
    if data.action == Action.KEYWORDS_CLEAR:
        chat = await _save(deps, chat, lambda s: replace(s, keywords=keywords.KeywordFilter()))
        return Outcome(keywords_view(chat, back_to=back), tr(texts.TOAST_KEYWORDS_CLEARED))
    word = _stored_word(chat.settings.keywords, data.args[0] if data.args else "")
    if word is None:
        return Outcome(keywords_view(chat, back_to=back), tr(texts.BUTTON_EXPIRED))
    chat = await _save(
        deps, chat, lambda s: replace(s, keywords=keywords.without(s.keywords, word))
    )
    return Outcome(
        keywords_view(chat, back_to=back), tr(texts.TOAST_KEYWORD_REMOVED).format(word=word)
    )


async def _sites(deps: Deps, chat: Chat, data: ButtonData) -> Outcome:
    back = _back(data)
    sites = await known_sites(deps)
    if data.action == Action.SITES_VIEW:
        return Outcome(sites_view(chat, sites, back_to=back), tr(texts.TOAST_SITES))
    if data.action == Action.SITES_ALL:
        chat = await _save(deps, chat, lambda s: replace(s, sites=SiteFilter()))
        return Outcome(sites_view(chat, sites, back_to=back), tr(texts.TOAST_EVERY_SITE))
    site = next((s for s in sites if data.args[:1] == (str(s.id),)), None)
    if site is None:
        return Outcome(sites_view(chat, sites, back_to=back), tr(texts.BUTTON_EXPIRED))
    current = chat.settings.sites
    toggled = site_choice.toggle(current, site.id, sites)
    if toggled is None:
        toast = tr(texts.TOAST_SITE_LAST).format(name=site.name)
        return Outcome(sites_view(chat, sites, back_to=back), toast)
    chat = await _save(deps, chat, lambda s: replace(s, sites=toggled))
    added = toggled.ids is not None and site.id in toggled.ids
    toast = tr(texts.TOAST_SITE_ADDED if added else texts.TOAST_SITE_REMOVED).format(name=site.name)
    return Outcome(sites_view(chat, sites, back_to=back), toast)
