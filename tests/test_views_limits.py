"""Keyboards and texts of the region chooser and settings stay within Telegram's limits."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core import regions, topics
from bot.core.chat_filters import SiteFilter
from bot.core.chat_settings import ChatSettings
from bot.core.keywords import KeywordFilter
from bot.core.models import Chat, ChatKind, RegionFilter
from bot.core.render import MESSAGE_LIMIT
from bot.core.site_choice import Site
from bot.telegram.filter_views import keywords_view, sites_view, topic_view
from bot.telegram.settings_view import settings_view
from bot.telegram.views import ROOT, Action, channels_view, region_view, subscription_line

BUTTON_DATA_BYTES = 64
MAX_BUTTONS = 100


def _channel(ids: frozenset[str]) -> Chat:
    return Chat(
        id=-1009999999999,
        kind=ChatKind.CHANNEL,
        title="A channel with a long title " * 4,
        username="long_channel_name_for_limits",
        thread_id=None,
        subscribed=True,
        region_filter=RegionFilter(ids),
        link_previews=True,
    )


def test_every_region_page_fits_for_a_filter_with_every_country() -> None:
    """With every country typed, each page's text, button data and button count fit."""
    countries = frozenset(r.id for r in regions.all_regions() if r.kind == "country")
    chat = _channel(countries | {"150", "035", "none"})
    pages = [ROOT, "002", "019", "142", "150", "009"]
    for back in (None, "settings", "channels"):
        for page in pages:
            view = region_view(chat, page, back_to=back)
            assert view.keyboard is not None
            buttons = [b for row in view.keyboard.inline_keyboard for b in row]
            assert len(buttons) <= MAX_BUTTONS
            assert all(len(str(b.callback_data).encode()) <= BUTTON_DATA_BYTES for b in buttons)
            assert len(view.text) < MESSAGE_LIMIT
    settings = settings_view(chat)
    assert len(settings.text) < MESSAGE_LIMIT


def _nested_bold(raw: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?b>", raw):
        depth += 1 if tag == "<b>" else -1
        if depth > 1:
            return True
    return False


def test_no_heading_nests_bold_inside_bold() -> None:
    """Chat names inside bold headings are plain: Telegram shows no bold-in-bold."""
    chat = _channel(frozenset({"150"}))
    views = [region_view(chat), region_view(chat, "150"), settings_view(chat)]
    texts = [view.text for view in views] + [subscription_line(chat, remote=True)]
    assert not any(_nested_bold(text) for text in texts)
    assert all("A channel with a long title" in text for text in texts)


def test_a_long_channel_list_fits_one_message_and_says_how_many_more() -> None:
    """/channels for someone with 150 channels lists what fits, within Telegram's limits, and
    tells how many more there are."""
    channels = [
        Chat(
            id=-1001000000000 - n,
            kind=ChatKind.CHANNEL,
            title=f"Workers' news from region number {n} " * 2,
            username=f"workers_news_{n}",
            thread_id=None,
            subscribed=n % 2 == 0,
            region_filter=RegionFilter(frozenset({"150", "RU"})),
            link_previews=True,
        )
        for n in range(150)
    ]
    view = channels_view(channels, owner_id=42)
    assert view.keyboard is not None
    buttons = [b for row in view.keyboard.inline_keyboard for b in row]
    assert len(view.text) <= MESSAGE_LIMIT
    assert len(buttons) <= MAX_BUTTONS
    shown = len(view.keyboard.inline_keyboard) - 1  # the last row is Done
    assert f"… and {150 - shown} more" in view.text
    assert 0 < shown < 150


def test_filter_views_fit_with_every_word_and_many_sites() -> None:
    """30 long Cyrillic keywords, 150 sites with long names all chosen, every topic chosen: the
    views' texts, button data and button counts fit Telegram's limits."""
    sites = [
        Site(n, f"Workers' news from region number {n} " * 3, f"s{n}.example") for n in range(150)
    ]
    words = tuple(f"забастовочнейшими{n:02}" for n in range(30))
    settings = ChatSettings(
        topics=topics.TopicFilter(frozenset(topics.TOPICS)),
        keywords=KeywordFilter(words[:15], words[15:]),
        sites=SiteFilter(frozenset(s.id for s in sites)),
    )
    chat = replace(_channel(frozenset({"150"})), settings=settings)
    for back in (None, "settings"):
        views = [
            topic_view(chat, back_to=back),
            keywords_view(chat, back_to=back),
            sites_view(chat, sites, back_to=back),
        ]
        for view in [*views, settings_view(chat, sites)]:
            assert view.keyboard is not None
            buttons = [b for row in view.keyboard.inline_keyboard for b in row]
            assert len(buttons) <= MAX_BUTTONS
            assert all(len(str(b.callback_data).encode()) <= BUTTON_DATA_BYTES for b in buttons)
            assert len(view.text) < MESSAGE_LIMIT
            assert not _nested_bold(view.text)


def test_button_actions_are_distinct() -> None:
    """No two button actions share a code (a press would be taken for the other one)."""
    codes = [code for name, code in vars(Action).items() if name.isupper()]
    assert len(codes) == len(set(codes))
