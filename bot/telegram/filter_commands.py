"""/topic, /keywords and /sites: what a chat gets besides its regions, typed or by buttons.

Each works like /region: without arguments a keyboard; with them a change (``/topic labour
war``, ``/keywords +strike -football``, ``/sites marxist``), in a private chat, in a group by
its admins (members see the choice, read only), and for a channel from its admin's private chat
(``/topic @channel labour``). A change is read and written in one transaction
(``store.change_settings``); a refusal quotes what was typed, as plain text.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import replace

from telegram import Message, Update

from bot.core import keywords, site_choice, texts, topics
from bot.core.chat_settings import ChatSettings
from bot.core.filter_verbs import ADD_WORDS, REMOVE_WORDS, SET_WORDS, verb_key
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.core.site_choice import Site
from bot.telegram.deps import Context, Deps
from bot.telegram.filter_views import (
    SETTINGS,
    keywords_text,
    keywords_view,
    known_sites,
    sites_text,
    sites_view,
    topic_view,
    topics_text,
)
from bot.telegram.replies import reply
from bot.telegram.targets import command_target
from bot.telegram.views import label_of, ref_of

log = logging.getLogger("bot.handlers")

_VERBS = ADD_WORDS | REMOVE_WORDS | SET_WORDS


def topics_line(chat: Chat) -> str:
    """ "Topics for Readers' club: Labour, War." (HTML)."""
    return tr(texts.TOPICS_SAVED).format(chat=label_of(chat), topics=topics_text(chat))


def keywords_line(chat: Chat) -> str:
    """ "Keywords for this chat: +strike -football." (HTML)."""
    words = chat.settings.keywords
    if words.is_empty:
        return tr(texts.KEYWORDS_CLEARED).format(chat=label_of(chat))
    return tr(texts.KEYWORDS_SAVED).format(chat=label_of(chat), words=keywords_text(words))


def sites_line(chat: Chat, sites: list[Site]) -> str:
    """ "Sites for this chat: Socialist Revolution." (HTML)."""
    return tr(texts.SITES_SAVED).format(chat=label_of(chat), sites=sites_text(chat, sites))


def _not_subscribed(chat: Chat, *, remote: bool) -> str:
    if chat.subscribed:
        return ""
    ref = " " + html.escape(ref_of(chat)) if remote else ""
    return tr(texts.FILTER_NOT_SUBSCRIBED).format(ref=ref)


async def _saved(deps: Deps, message: Message, chat: Chat, line: str) -> None:
    remote = chat.id != message.chat.id
    await reply(deps, message, line + _not_subscribed(chat, remote=remote))


_Refusal = topics.TopicError | keywords.KeywordError | site_choice.SiteError


async def _changed(
    deps: Deps,
    message: Message,
    chat: Chat,
    change: Callable[[ChatSettings], ChatSettings],
    refusal: type[_Refusal],
) -> Chat | None:
    """The chat with ``change`` made to its settings and stored; None when the typed words were
    refused (``refusal``), after telling the person why in the parser's words."""
    try:
        saved = await deps.store.chats.change_settings(chat.id, change, deps.clock())
    except refusal as exc:
        await reply(deps, message, exc.message, html=False)
        return None
    return replace(chat, settings=saved)


def _not_topics(args: list[str]) -> bool:
    """/topic's first word names a chat only when the words are no topic filter."""
    try:
        topics.parse_filter(" ".join(args))
    except topics.TopicError:
        return len(args) > 1 and not topics.resolve_name(args[0])
    return False


async def topic(deps: Deps, update: Update, context: Context) -> None:
    """/topic [@chat] [names]: the topics with buttons, or a change of them."""
    found = await command_target(
        deps, update, context, members_see=True, bare=_not_topics, member_line=topics_line
    )
    if found is None:
        return
    chat, message, args = found
    back = SETTINGS if chat.id != message.chat.id else None
    if not args:
        await reply(deps, message, "", topic_view(chat, back_to=back))
        return
    typed = " ".join(args)
    if verb_key(typed.strip()) in _VERBS:
        names = ", ".join(topics.display_name(t) for t in topics.TOPICS)
        alone = tr(texts.TOPIC_VERB_ALONE).format(verb=typed.strip(), topics=names)
        await reply(deps, message, alone, html=False)
        return

    def change(s: ChatSettings) -> ChatSettings:
        return replace(s, topics=topics.parse_filter(typed, s.topics))

    fresh = await _changed(deps, message, chat, change, topics.TopicError)
    if fresh is None:
        return
    chosen = topics.filter_to_text(fresh.settings.topics) or "all"
    log.info("command=topic chat=%d topics=%s", chat.id, chosen)
    await _saved(deps, message, fresh, topics_line(fresh))


def _keywords_bare(args: list[str]) -> bool:
    """/keywords's first word names a chat only before signed words: "/keywords news -football"."""
    return len(args) > 1 and args[0][:1] not in "+-" and args[1][:1] in "+-"


async def keywords_command(deps: Deps, update: Update, context: Context) -> None:
    """/keywords [@chat] [+word -word | remove word | clear]: the words, or a change of them."""
    found = await command_target(
        deps, update, context, members_see=True, bare=_keywords_bare, member_line=keywords_line
    )
    if found is None:
        return
    chat, message, args = found
    back = SETTINGS if chat.id != message.chat.id else None
    if not args:
        await reply(deps, message, "", keywords_view(chat, back_to=back))
        return
    typed = " ".join(args)

    def change(s: ChatSettings) -> ChatSettings:
        return replace(s, keywords=keywords.parse_keywords(typed, s.keywords))

    fresh = await _changed(deps, message, chat, change, keywords.KeywordError)
    if fresh is None:
        return
    log.info("command=keywords chat=%d count=%d", chat.id, len(fresh.settings.keywords))
    await _saved(deps, message, fresh, keywords_line(fresh))


async def sites_command(deps: Deps, update: Update, context: Context) -> None:
    """/sites [@chat] [names | all]: the operator's sites with toggles, or a choice of them."""
    sites = await known_sites(deps)
    found = await command_target(
        deps, update, context, members_see=True, member_line=lambda c: sites_line(c, sites)
    )
    if found is None:
        return
    chat, message, args = found
    if not sites:
        await reply(deps, message, tr(texts.SITES_NONE_FOLLOWED))
        return
    back = SETTINGS if chat.id != message.chat.id else None
    if not args:
        await reply(deps, message, "", sites_view(chat, sites, back_to=back))
        return
    typed = " ".join(args)

    def change(s: ChatSettings) -> ChatSettings:
        return replace(s, sites=site_choice.parse_sites(typed, s.sites, sites))

    fresh = await _changed(deps, message, chat, change, site_choice.SiteError)
    if fresh is None:
        return
    ids = fresh.settings.sites.ids
    chosen = "all" if ids is None else " ".join(map(str, sorted(ids)))
    log.info("command=sites chat=%d sites=%s", chat.id, chosen)
    await _saved(deps, message, fresh, sites_line(fresh, sites))
