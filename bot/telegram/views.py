"""Messages with inline keyboards (regions, settings, channels) and the button data they carry.

Every button's data names the chat it acts on; the data is only a request: the callback handler
re-authorises the person who pressed it before anything changes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import regions, texts
from bot.models import Chat, ChatKind
from bot.telegram.permissions import chat_label

ROOT = "root"
_SEP = "|"
_CONTINENTS = ("150", "142", "002", "019", "009")  # Europe, Asia, Africa, Americas, Oceania
_GROUPINGS = (
    "middle-east",
    "mena",
    "latin-america",
    "north-america",
    "eu",
    "balkans",
    "caucasus",
    "nordic",
    "gulf",
)


class Action:
    """Button actions (short: Telegram allows 64 bytes of data)."""

    REGION_TOGGLE = "rt"  # arg: region id, page
    REGION_PAGE = "rv"  # arg: page
    REGION_CLEAR = "rc"  # arg: page
    SETTINGS = "sv"
    SUBSCRIBE_TOGGLE = "ss"
    PREVIEWS_TOGGLE = "sp"
    CHANNELS = "cl"
    CHANNEL_TOGGLE = "cs"
    DONE = "ok"


ALL_ACTIONS = frozenset(v for k, v in vars(Action).items() if k.isupper())


@dataclass(frozen=True, slots=True)
class ButtonData:
    """What a button asks for: an action on a chat, with up to two arguments."""

    action: str
    chat_id: int
    args: tuple[str, ...] = ()

    def encode(self) -> str:
        """The callback_data string."""
        return _SEP.join((self.action, str(self.chat_id), *self.args))

    @classmethod
    def decode(cls, data: str | None) -> ButtonData | None:
        """Read callback_data back; None when it is not ours or malformed."""
        if not data:
            return None
        parts = data.split(_SEP)
        if len(parts) < 2 or parts[0] not in ALL_ACTIONS:
            return None
        try:
            chat_id = int(parts[1])
        except ValueError:
            return None
        return cls(parts[0], chat_id, tuple(parts[2:]))


@dataclass(frozen=True, slots=True)
class View:
    """A message's text and keyboard."""

    text: str
    keyboard: InlineKeyboardMarkup | None


def _button(label: str, action: str, chat_id: int, *args: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=ButtonData(action, chat_id, args).encode())


def label_of(chat: Chat) -> str:
    """The chat's name for people (HTML); a private chat is "this chat"."""
    if chat.kind is ChatKind.PRIVATE:
        return texts.THIS_CHAT
    return chat_label(chat.title, chat.username, chat.id)


def filter_text(chat: Chat) -> str:
    """The chat's region filter for people, escaped."""
    return html.escape(regions.format_filter(chat.region_filter))


def _mark(chat: Chat, region_id: str) -> str:
    checked = region_id in chat.region_filter.ids
    return (texts.CHECKED if checked else "") + regions.display_name(region_id)


def _children(page: str) -> list[str]:
    infos = regions.tables().regions
    out: list[str] = []

    def walk(parent: str) -> None:
        for info in regions.all_regions():
            if info.parent == parent and info.kind in ("subregion", "intermediate"):
                out.append(info.id)
                walk(info.id)

    if page in infos:
        walk(page)
    return out


def region_view(chat: Chat, page: str = ROOT, *, back_to: str | None = None) -> View:
    """The region chooser for a chat: continents and groupings, or one continent's sub-regions.

    ``back_to`` adds a button back to the settings ("settings") or channel list ("channels").
    """
    cid = chat.id
    rows: list[list[InlineKeyboardButton]] = []
    extra = (back_to,) if back_to else ()
    if page == ROOT:
        text = texts.REGION_VIEW.format(chat=label_of(chat), regions=filter_text(chat))
        rows.extend(
            [
                _button(_mark(chat, rid), Action.REGION_TOGGLE, cid, rid, ROOT, *extra),
                _button(regions.display_name(rid) + " ▸", Action.REGION_PAGE, cid, rid, *extra),
            ]
            for rid in _CONTINENTS
        )
        toggles = [*_GROUPINGS, regions.NONE_ID]
        rows.extend(
            [
                _button(_mark(chat, rid), Action.REGION_TOGGLE, cid, rid, ROOT, *extra)
                for rid in toggles[i : i + 2]
            ]
            for i in range(0, len(toggles), 2)
        )
        last = [_button(texts.BUTTON_EVERYTHING, Action.REGION_CLEAR, cid, ROOT, *extra)]
        if back_to == "settings":
            last.append(_button(texts.BUTTON_BACK, Action.SETTINGS, cid))
        elif back_to == "channels":
            last.append(_button(texts.BUTTON_CHANNELS, Action.CHANNELS, cid))
        else:
            last.append(_button(texts.BUTTON_DONE, Action.DONE, cid))
        rows.append(last)
    else:
        text = texts.REGION_VIEW_PAGE.format(
            chat=label_of(chat),
            regions=filter_text(chat),
            page=html.escape(regions.display_name(page)),
        )
        rows.append([_button(_mark(chat, page), Action.REGION_TOGGLE, cid, page, page, *extra)])
        rows.extend(
            [_button(_mark(chat, rid), Action.REGION_TOGGLE, cid, rid, page, *extra)]
            for rid in _children(page)
        )
        rows.append([_button(texts.BUTTON_BACK, Action.REGION_PAGE, cid, ROOT, *extra)])
    return View(text, InlineKeyboardMarkup(rows))


def settings_view(chat: Chat) -> View:
    """Everything about a chat, with buttons to change it."""
    text = texts.SETTINGS.format(
        chat=label_of(chat),
        subscribed=texts.YES if chat.subscribed else texts.NO,
        regions=filter_text(chat),
        previews=texts.ON if chat.link_previews else texts.OFF,
    )
    cid = chat.id
    subscribe = texts.BUTTON_UNSUBSCRIBE if chat.subscribed else texts.BUTTON_SUBSCRIBE
    previews = texts.BUTTON_PREVIEWS_ON if chat.link_previews else texts.BUTTON_PREVIEWS_OFF
    short = regions.format_filter(chat.region_filter)
    if len(short) > 30:
        short = short[:29] + "…"
    rows = [
        [_button(subscribe, Action.SUBSCRIBE_TOGGLE, cid)],
        [
            _button(
                texts.BUTTON_REGIONS.format(regions=short),
                Action.REGION_PAGE,
                cid,
                ROOT,
                "settings",
            )
        ],
        [_button(previews, Action.PREVIEWS_TOGGLE, cid)],
        [_button(texts.BUTTON_DONE, Action.DONE, cid)],
    ]
    return View(text, InlineKeyboardMarkup(rows))


def welcome_keyboard(chat_id: int) -> InlineKeyboardMarkup:
    """The buttons under the private /start answer."""
    return InlineKeyboardMarkup(
        [
            [
                _button(texts.BUTTON_CHOOSE_REGIONS, Action.REGION_PAGE, chat_id, ROOT),
                _button(texts.BUTTON_SETTINGS, Action.SETTINGS, chat_id),
            ]
        ]
    )


def channel_keyboard(chat: Chat) -> list[InlineKeyboardButton]:
    """One row of buttons for a channel: subscribe or unsubscribe, regions."""
    state = texts.BUTTON_UNSUBSCRIBE if chat.subscribed else texts.BUTTON_SUBSCRIBE
    title = chat.title or chat.username or str(chat.id)
    return [
        _button(f"{state}: {title}"[:60], Action.CHANNEL_TOGGLE, chat.id),
        _button("🌍", Action.REGION_PAGE, chat.id, ROOT, "channels"),
    ]


def channels_view(channels: list[Chat], owner_id: int) -> View:
    """The channels a person administers, one row of buttons each."""
    if not channels:
        return View(texts.CHANNELS_NONE, None)
    lines = [
        texts.CHANNEL_LINE.format(
            title=label_of(chat),
            state=texts.CHANNEL_SUBSCRIBED if chat.subscribed else texts.CHANNEL_NOT_SUBSCRIBED,
            regions=filter_text(chat),
        )
        for chat in channels
    ]
    rows = [channel_keyboard(chat) for chat in channels]
    rows.append([_button(texts.BUTTON_DONE, Action.DONE, owner_id)])
    return View(texts.CHANNELS_HEADING.format(lines="\n".join(lines)), InlineKeyboardMarkup(rows))


def channel_added_view(chat: Chat) -> View:
    """The private message to the admin who added the bot to a channel."""
    ref = f"@{chat.username}" if chat.username else str(chat.id)
    text = texts.CHANNEL_ADDED.format(chat=html.escape(chat.title or ref), ref=html.escape(ref))
    return View(text, InlineKeyboardMarkup([channel_keyboard(chat)]))
