"""Messages with inline keyboards (regions, settings, channels) and the button data they carry.

Every button's data names the chat it acts on; the data is only a request: the callback handler
re-authorises the person who pressed it before anything changes.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import delivery_words, i18n, region_choice, regions, texts
from bot.core.i18n import tr, trn
from bot.core.models import Chat, ChatKind
from bot.core.render import MESSAGE_LIMIT, utf16_len
from bot.core.search import shares
from bot.telegram.permissions import chat_label

ROOT = "root"
_SEP = "|"
_CONTINENTS = ("150", "142", "002", "019", "009")  # Europe, Asia, Africa, Americas, Oceania
_MAX_EXTRAS = 30  # typed countries shown as buttons; Telegram allows 100 buttons in all
_TOO_SMALL = frozenset({"830"})  # Channel Islands: two islands, folded into Northern Europe
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
    REGION_NEW = "rn"  # the region chooser as a new message (from the welcome)
    REGION_CLEAR = "rc"  # arg: page
    SETTINGS = "sv"
    SETTINGS_NEW = "sn"  # the settings as a new message (from the welcome)
    SUBSCRIBE_TOGGLE = "ss"
    PREVIEWS_TOGGLE = "sp"
    SILENT_TOGGLE = "sq"
    SCHEDULE_VIEW = "tv"  # /schedule's choices; arg: back ("settings")
    SCHEDULE_SET = "ts"  # args: "i" | "e", hours | "d", "HHMM"; back
    QUIET_VIEW = "qv"  # /quiet's choices; arg: back
    QUIET_SET = "qs"  # args: "HHMM-HHMM" | "off" | "hold" | "silent"; back
    FORMAT_VIEW = "fv"  # /format's preview and switches; arg: back
    FORMAT_TOGGLE = "ft"  # args: a switch ("summary", …, "share") or "signature"; back
    CHANNELS = "cl"
    CHANNEL_TOGGLE = "cs"
    LANGUAGE = "lv"  # the language chooser
    LANGUAGE_SET = "ls"  # arg: language code
    STOP_HERE = "sx"  # unsubscribe this private chat: the person's channels get the teasers
    TOPIC_VIEW = "ov"  # arg: back
    TOPIC_TOGGLE = "ot"  # arg: topic id, back
    TOPIC_ALL = "oa"  # arg: back
    KEYWORDS_VIEW = "kv"  # arg: back
    KEYWORD_REMOVE = "kr"  # arg: signed word (cut to fit), back
    KEYWORDS_CLEAR = "kc"  # arg: back
    SITES_VIEW = "wv"  # arg: back
    SITE_TOGGLE = "wt"  # arg: source id, back
    SITES_ALL = "wa"  # arg: back
    DONE = "ok"  # arg: "channels", or the filter view it closes ("topics", "keywords", "sites")


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


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a button press leads to: a view to show (in place, or as a new message), a toast."""

    view: View | None = None
    toast: str | None = None
    as_new: bool = False
    summary: str | None = None  # Done: the message becomes this line, without buttons


def button(label: str, action: str, chat_id: int, *args: str) -> InlineKeyboardButton:
    """A button asking for ``action`` on a chat (its data is only a request)."""
    return InlineKeyboardButton(label, callback_data=ButtonData(action, chat_id, args).encode())


_button = button  # the name this module's own views use


def label_of(chat: Chat) -> str:
    """The chat's name for people (HTML, bold); a private chat is "this chat"."""
    if chat.kind is ChatKind.PRIVATE:
        return tr(texts.THIS_CHAT)
    return chat_label(chat.title, chat.username, chat.id)


def name_of(chat: Chat) -> str:
    """The chat's name, escaped, without markup: for headings that are bold already."""
    if chat.kind is ChatKind.PRIVATE:
        return tr(texts.THIS_CHAT)
    if chat.title:
        return html.escape(chat.title)
    return f"@{html.escape(chat.username)}" if chat.username else str(chat.id)


def ref_of(chat: Chat) -> str:
    """How to name the chat in a command: ``@username`` or its id."""
    return f"@{chat.username}" if chat.username else str(chat.id)


def filter_text(chat: Chat) -> str:
    """The chat's region filter for people, escaped."""
    return html.escape(regions.format_filter(chat.region_filter))


def subscription_line(chat: Chat, *, remote: bool = False) -> str:
    """One line saying what the chat gets: "World News Digest is subscribed: Europe."

    ``remote`` (the chat is set up from a private chat) adds how to unsubscribe it.
    """
    you = chat.kind is ChatKind.PRIVATE
    names = filter_text(chat)
    if not chat.subscribed:
        if you:
            return tr(texts.NOT_SUBSCRIBED_YOU).format(regions=names)
        return tr(texts.NOT_SUBSCRIBED_SUMMARY).format(chat=label_of(chat), regions=names)
    if you:
        return tr(texts.SUBSCRIBED_YOU).format(regions=names)
    line = tr(texts.SUBSCRIBED_CHAT).format(chat=label_of(chat), regions=names)
    if remote:
        line += tr(texts.SUBSCRIBED_STOP_HINT).format(ref=" " + html.escape(ref_of(chat)))
    return line


def _chosen_inside(chat: Chat, region_id: str) -> int:
    return sum(
        1 for rid in chat.region_filter.ids if rid != region_id and regions.within(rid, region_id)
    )


def _mark(chat: Chat, region_id: str, *, partial: bool = False) -> str:
    name = regions.display_name(region_id)
    if region_choice.is_chosen(chat.region_filter, region_id):
        return texts.CHECKED + name
    inside = _chosen_inside(chat, region_id) if partial else 0
    if inside:
        return texts.PARTLY + name + trn(texts.PARTLY_COUNT, inside).format(count=inside)
    return texts.UNCHECKED + name


def _children(page: str) -> list[str]:
    out: list[str] = []

    def walk(parent: str) -> None:
        for rid in regions.subregions_of(parent):
            if rid in _TOO_SMALL:
                continue
            out.append(rid)
            walk(rid)

    if page in regions.tables().regions:
        walk(page)
    return out


def _extras(chat: Chat) -> list[str]:
    """Chosen ids the root page has no button for: typed countries (so they can be removed)."""
    shown = {*_CONTINENTS, *_GROUPINGS, regions.NONE_ID}
    infos = regions.tables().regions
    extra = [
        rid
        for rid in chat.region_filter.ids
        if rid not in shown and (info := infos.get(rid)) is not None and info.kind == "country"
    ]
    return sorted(extra, key=regions.display_name)[:_MAX_EXTRAS]


def pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    """Buttons two to a row."""
    return [buttons[i : i + 2] for i in range(0, len(buttons), 2)]


_pairs = pairs  # the name this module's own views use


def region_view(chat: Chat, page: str = ROOT, *, back_to: str | None = None) -> View:
    """The region chooser for a chat: continents and groupings, or one continent's parts.

    ``back_to`` adds a button back to the settings ("settings") or channel list ("channels").
    """
    extra = (back_to,) if back_to else ()
    state = tr(texts.REGION_STATE_ON) if chat.subscribed else tr(texts.REGION_STATE_OFF)
    chosen = (
        filter_text(chat) if chat.subscribed or chat.region_filter.ids else tr(texts.NO_REGIONS)
    )
    if page == ROOT:
        text = tr(texts.REGION_VIEW).format(chat=name_of(chat), regions=chosen, state=state)
        return View(text, InlineKeyboardMarkup(_root_rows(chat, extra, back_to)))
    text = tr(texts.REGION_VIEW_PAGE).format(
        chat=name_of(chat),
        regions=chosen,
        state=state,
        page=html.escape(regions.display_name(page)),
    )
    return View(text, InlineKeyboardMarkup(_page_rows(chat, page, extra)))


def _root_rows(
    chat: Chat, extra: tuple[str, ...], back_to: str | None
) -> list[list[InlineKeyboardButton]]:
    """Continents (each with a ▸ to its parts), groupings and typed countries, then the last row."""
    cid = chat.id
    rows: list[list[InlineKeyboardButton]] = [
        [
            _button(_mark(chat, rid, partial=True), Action.REGION_TOGGLE, cid, rid, ROOT, *extra),
            _button(regions.display_name(rid) + " ▸", Action.REGION_PAGE, cid, rid, *extra),
        ]
        for rid in _CONTINENTS
    ]
    toggles = [*_GROUPINGS, regions.NONE_ID, *_extras(chat)]
    rows.extend(
        _pairs(
            [
                _button(_mark(chat, rid), Action.REGION_TOGGLE, cid, rid, ROOT, *extra)
                for rid in toggles
            ]
        )
    )
    everything = tr(texts.BUTTON_EVERYTHING)
    if chat.subscribed and chat.region_filter.is_everything:
        everything = texts.CHECKED + everything
    last = [_button(everything, Action.REGION_CLEAR, cid, ROOT, *extra)]
    if back_to == "settings":
        last.append(_button(tr(texts.BUTTON_BACK), Action.SETTINGS, cid))
    elif back_to == "channels":
        last.append(_button(tr(texts.BUTTON_CHANNELS), Action.CHANNELS, cid))
    else:
        last.append(_button(tr(texts.BUTTON_DONE), Action.DONE, cid))
    rows.append(last)
    return rows


def _page_rows(chat: Chat, page: str, extra: tuple[str, ...]) -> list[list[InlineKeyboardButton]]:
    """One continent: the whole of it, its parts, and a way back."""
    cid = chat.id
    whole = _mark(chat, page, partial=True)
    rows = [[_button(whole, Action.REGION_TOGGLE, cid, page, page, *extra)]]
    parts = [
        _button(_mark(chat, rid, partial=True), Action.REGION_TOGGLE, cid, rid, page, *extra)
        for rid in _children(page)
    ]
    rows.extend(_pairs(parts))
    rows.append([_button(tr(texts.BUTTON_BACK), Action.REGION_PAGE, cid, ROOT, *extra)])
    return rows


def language_name(chat: Chat) -> str:
    """The name of the language the bot speaks in a chat (its choice, else the current one)."""
    return i18n.LANGUAGES.get(chat.language or i18n.current(), i18n.LANGUAGES[i18n.DEFAULT])


def language_view(chat: Chat) -> View:
    """The languages the bot speaks, each a button; the chat's own is ticked."""
    chosen = chat.language or i18n.current()
    buttons = [
        _button(
            (texts.CHECKED if code == chosen else texts.UNCHECKED) + name,
            Action.LANGUAGE_SET,
            chat.id,
            code,
        )
        for code, name in i18n.LANGUAGES.items()
    ]
    rows = [*_pairs(buttons), [_button(tr(texts.BUTTON_SETTINGS), Action.SETTINGS, chat.id)]]
    text = tr(texts.LANGUAGE_VIEW).format(chat=name_of(chat), language=language_name(chat))
    return View(text, InlineKeyboardMarkup(rows))


def welcome_keyboard(
    chat_id: int, *, channels: int = 0, bot_username: str | None = None
) -> InlineKeyboardMarkup:
    """The buttons under the private /start answer: each opens a new message below it.

    ``channels``: how many channels the person runs with the bot; then a button to keep the
    teasers there only."""
    rows = [
        [
            _button(tr(texts.BUTTON_CHOOSE_REGIONS), Action.REGION_NEW, chat_id, ROOT),
            _button(tr(texts.BUTTON_SETTINGS), Action.SETTINGS_NEW, chat_id),
        ]
    ]
    if channels:
        only = trn(texts.BUTTON_ONLY_CHANNELS, channels)
        rows.append([_button(only, Action.STOP_HERE, chat_id)])
    if add := add_me_row(bot_username):
        rows.append(add)
    return InlineKeyboardMarkup(rows)


def no_regions_view(chat: Chat, *, remote: bool = False) -> View:
    """What a chat hears when its last region is removed: it gets nothing now; Everything or
    Choose regions."""
    if chat.kind is ChatKind.PRIVATE:
        text = tr(texts.NO_REGIONS_LEFT_YOU)
    else:
        text = tr(texts.NO_REGIONS_LEFT).format(chat=label_of(chat))
    back = ("settings",) if remote else ()
    row = [
        _button(tr(texts.BUTTON_EVERYTHING), Action.REGION_CLEAR, chat.id, ROOT, *back),
        _button(tr(texts.BUTTON_CHOOSE_REGIONS), Action.REGION_PAGE, chat.id, ROOT, *back),
    ]
    return View(text, InlineKeyboardMarkup([row]))


CHANNEL_RIGHTS = "post_messages+delete_messages"
"""The administrator rights the bot asks for in a channel: posting, and tidying up commands."""


def add_me_row(bot_username: str | None) -> list[InlineKeyboardButton]:
    """Buttons that add the bot to a group or (as an admin with the rights it needs) a channel."""
    if not bot_username:
        return []
    link = f"https://t.me/{bot_username}"
    return [
        InlineKeyboardButton(tr(texts.BUTTON_ADD_GROUP), url=f"{link}?startgroup=true"),
        InlineKeyboardButton(
            tr(texts.BUTTON_ADD_CHANNEL), url=f"{link}?startchannel=true&admin={CHANNEL_RIGHTS}"
        ),
    ]


def channel_keyboard(chat: Chat) -> list[InlineKeyboardButton]:
    """One row of buttons for a channel: subscribe or unsubscribe, regions."""
    state = tr(texts.BUTTON_UNSUBSCRIBE) if chat.subscribed else tr(texts.BUTTON_SUBSCRIBE)
    title = chat.title or chat.username or str(chat.id)
    return [
        _button(f"{state}: {title}"[:60], Action.CHANNEL_TOGGLE, chat.id),
        _button("🌍", Action.REGION_PAGE, chat.id, ROOT, "channels"),
    ]


MAX_CHANNEL_ROWS = 40
"""Channels listed in one /channels message: two buttons each, with Done within Telegram's 100."""


def _waiting_text(waiting: list[Chat]) -> str:
    lines = [
        tr(texts.CHANNEL_WAITING_LINE).format(title=label_of(chat))
        for chat in waiting[:MAX_CHANNEL_ROWS]
    ]
    return tr(texts.CHANNEL_WAITING_HEADING).format(lines="\n".join(lines))


def channels_view(channels: list[Chat], owner_id: int, waiting: list[Chat] | None = None) -> View:
    """The channels a person administers, one row of buttons each; a long list is cut to what
    one message can hold, and says how many more there are. ``waiting``: channels he added the
    bot to that it may not post in yet, listed without buttons."""
    later = _waiting_text(waiting) if waiting else ""
    if not channels:
        if later:
            done = [[_button(tr(texts.BUTTON_DONE), Action.DONE, owner_id, "channels")]]
            return View(later, InlineKeyboardMarkup(done))
        return View(tr(texts.CHANNELS_NONE), None)
    lines = [
        tr(texts.CHANNEL_LINE).format(
            title=label_of(chat),
            state=tr(texts.CHANNEL_SUBSCRIBED)
            if chat.subscribed
            else tr(texts.CHANNEL_NOT_SUBSCRIBED),
            regions=filter_text(chat),
        )
        for chat in channels[:MAX_CHANNEL_ROWS]
    ]
    while True:
        hidden = len(channels) - len(lines)
        shown = [*lines, trn(texts.SITES_MORE, hidden).format(count=hidden)] if hidden else lines
        text = tr(texts.CHANNELS_HEADING).format(lines="\n".join(shown))
        if later:
            text += "\n\n" + later
        if utf16_len(text) <= MESSAGE_LIMIT or len(lines) == 1:
            break
        lines.pop()
    rows = [channel_keyboard(chat) for chat in channels[: len(lines)]]
    rows.append([_button(tr(texts.BUTTON_DONE), Action.DONE, owner_id, "channels")])
    return View(text, InlineKeyboardMarkup(rows))


def channel_added_view(chat: Chat) -> View:
    """The private message to the admin who added the bot to a channel."""
    ref = ref_of(chat)
    text = tr(texts.CHANNEL_ADDED).format(chat=html.escape(chat.title or ref), ref=html.escape(ref))
    return View(text, InlineKeyboardMarkup([channel_keyboard(chat)]))


def timing_section(chat: Chat) -> tuple[list[str], list[list[InlineKeyboardButton]]]:
    """The settings' part on when and how teasers arrive (schedule, quiet hours, format): its
    lines, and its buttons to the /schedule, /quiet and /format views (each back to the
    settings)."""
    s, cid = chat.settings, chat.id
    schedule = delivery_words.schedule_short(s.schedule)
    quiet = delivery_words.quiet_short(s.quiet)
    parts = delivery_words.format_words(s.post_format, share=shares(chat))
    line = tr(texts.SETTINGS_TIMING).format(
        schedule=html.escape(schedule), quiet=html.escape(quiet), format=html.escape(parts)
    )
    fmt = tr(texts.BUTTON_FORMAT).format(parts=parts if len(parts) <= 30 else parts[:29] + "…")
    rows = [
        [
            _button(
                tr(texts.BUTTON_SCHEDULE).format(schedule=schedule),
                Action.SCHEDULE_VIEW,
                cid,
                "settings",
            )
        ],
        [_button(tr(texts.BUTTON_QUIET).format(quiet=quiet), Action.QUIET_VIEW, cid, "settings")],
        [_button(fmt, Action.FORMAT_VIEW, cid, "settings")],
    ]
    return [line], rows
