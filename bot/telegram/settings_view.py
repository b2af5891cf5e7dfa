"""The /settings view: everything about a chat in one message, with buttons to change it.

The view is made of sections, each a small function giving its lines and its rows of buttons
(subscription; what the chat gets: regions, topics, keywords, sites; when and how teasers
arrive: schedule, quiet hours, format with the share button; previews, silent posts; language).
A new setting is one more section function in :func:`sections`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import regions, site_choice, texts, topics
from bot.core.i18n import tr, trn
from bot.core.models import Chat
from bot.core.site_choice import Site
from bot.telegram.deps import Deps
from bot.telegram.filter_views import (
    SETTINGS,
    keywords_text,
    known_sites,
    short,
    sites_text,
    topics_text,
)
from bot.telegram.views import (
    ROOT,
    Action,
    View,
    button,
    filter_text,
    language_name,
    name_of,
    timing_section,
)

_BUTTON_TEXT = 30  # characters of a filter shown on its button


@dataclass(frozen=True, slots=True)
class Section:
    """Part of the settings view: lines of its text and rows of its buttons."""

    lines: list[str] = field(default_factory=list)
    rows: list[list[InlineKeyboardButton]] = field(default_factory=list)


def subscription_section(chat: Chat) -> Section:
    """Whether the chat is subscribed, with a button to switch it."""
    line = tr(texts.SETTINGS_SUBSCRIBED).format(
        subscribed=tr(texts.YES) if chat.subscribed else tr(texts.NO)
    )
    label = tr(texts.BUTTON_UNSUBSCRIBE) if chat.subscribed else tr(texts.BUTTON_SUBSCRIBE)
    return Section([line], [[button(label, Action.SUBSCRIBE_TOGGLE, chat.id)]])


def filters_section(chat: Chat, sites: Sequence[Site]) -> Section:
    """What the chat gets (regions AND topics AND keywords AND sites), each opening its view."""
    s = chat.settings
    words = len(s.keywords)
    count = trn(texts.KEYWORD_COUNT, words).format(count=words) if words else tr(texts.NO_KEYWORDS)
    shown = {
        "regions": regions.format_filter(chat.region_filter),
        "topics": topics.format_filter(s.topics),
        "sites": site_choice.format_sites(s.sites, sites),
    }
    short_of = {k: short(v, _BUTTON_TEXT) for k, v in shown.items()}
    lines = [
        tr(texts.SETTINGS_REGIONS).format(regions=filter_text(chat)),
        tr(texts.SETTINGS_TOPICS).format(topics=topics_text(chat)),
        tr(texts.SETTINGS_KEYWORDS).format(keywords=keywords_text(s.keywords)),
        tr(texts.SETTINGS_SITES).format(sites=sites_text(chat, list(sites))),
    ]
    cid = chat.id
    regions_label = tr(texts.BUTTON_REGIONS).format(regions=short_of["regions"])
    rows = [
        [button(regions_label, Action.REGION_PAGE, cid, ROOT, SETTINGS)],
        [
            button(
                tr(texts.BUTTON_TOPICS).format(topics=short_of["topics"]),
                Action.TOPIC_VIEW,
                cid,
                SETTINGS,
            )
        ],
        [
            button(
                tr(texts.BUTTON_KEYWORDS).format(keywords=count),
                Action.KEYWORDS_VIEW,
                cid,
                SETTINGS,
            )
        ],
        [
            button(
                tr(texts.BUTTON_SITES).format(sites=short_of["sites"]),
                Action.SITES_VIEW,
                cid,
                SETTINGS,
            )
        ],
    ]
    return Section(lines, rows)


def timing_section_of(chat: Chat) -> Section:
    """When and how teasers arrive: schedule, quiet hours, format (with the share button), each
    opening its view (:func:`bot.telegram.views.timing_section`)."""
    lines, rows = timing_section(chat)
    return Section(lines, rows)


def delivery_section(chat: Chat) -> Section:
    """Link previews and silent posts, a toggle each."""
    lines = [
        tr(texts.SETTINGS_PREVIEWS).format(
            previews=tr(texts.PREVIEWS_ON) if chat.link_previews else tr(texts.PREVIEWS_OFF)
        ),
        tr(texts.SETTINGS_SILENT).format(
            silent=tr(texts.SILENT_ON) if chat.silent else tr(texts.SILENT_OFF)
        ),
    ]
    previews = tr(texts.BUTTON_PREVIEWS_ON if chat.link_previews else texts.BUTTON_PREVIEWS_OFF)
    silent = tr(texts.BUTTON_SILENT_ON if chat.silent else texts.BUTTON_SILENT_OFF)
    rows = [
        [button(previews, Action.PREVIEWS_TOGGLE, chat.id)],
        [button(silent, Action.SILENT_TOGGLE, chat.id)],
    ]
    return Section(lines, rows)


def language_section(chat: Chat) -> Section:
    """The language the bot speaks in the chat, a button to the chooser."""
    label = tr(texts.BUTTON_LANGUAGE).format(language=language_name(chat))
    return Section(rows=[[button(label, Action.LANGUAGE, chat.id)]])


def sections(chat: Chat, sites: Sequence[Site]) -> list[Section]:
    """The settings view's sections, top to bottom."""
    return [
        subscription_section(chat),
        filters_section(chat, sites),
        timing_section_of(chat),
        delivery_section(chat),
        language_section(chat),
    ]


def settings_view(chat: Chat, sites: Sequence[Site] = ()) -> View:
    """Everything about a chat, with buttons to change it (``sites``: the operator's, to name
    the chat's choice)."""
    parts = sections(chat, sites)
    heading = tr(texts.SETTINGS_HEADING).format(chat=name_of(chat))
    text = "\n".join([heading, *(line for part in parts for line in part.lines)])
    rows = [row for part in parts for row in part.rows]
    rows.append([button(tr(texts.BUTTON_DONE), Action.DONE, chat.id)])
    return View(text, InlineKeyboardMarkup(rows))


async def settings_for(deps: Deps, chat: Chat) -> View:
    """The settings view of a chat, naming its sites from the store."""
    return settings_view(chat, await known_sites(deps))
