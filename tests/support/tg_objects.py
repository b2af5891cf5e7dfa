"""Builders of Telegram Bot API JSON objects (plain dicts) and Telegram's HTML entity parser.

Used by the fake Bot API server (`tests.support.fake_telegram`) and by tests that need
an update or a message shaped exactly like the ones Telegram sends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

JSON: TypeAlias = dict[str, Any]

GROUP_ANONYMOUS_BOT: JSON = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}
CHANNEL_BOT: JSON = {
    "id": 136817688,
    "is_bot": True,
    "first_name": "Channel",
    "username": "Channel_Bot",
}

# Rights every administrator object carries (Bot API ChatMemberAdministrator's required fields).
_ADMIN_REQUIRED = (
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)
_ADMIN_CHANNEL_ONLY = ("can_post_messages", "can_edit_messages")
_ADMIN_GROUP_ONLY = ("can_pin_messages", "can_manage_topics")
DEFAULT_ADMIN_RIGHTS: Mapping[str, bool] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_post_messages": True,
    "can_edit_messages": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}
_RESTRICTED_FIELDS = (
    "is_member",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_send_messages",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_manage_topics",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_edit_tag",
    "can_react_to_messages",
)
MEMBER_STATUSES = frozenset({"creator", "administrator", "member", "restricted", "left", "kicked"})


def utf16_len(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def user_json(
    user_id: int,
    first_name: str,
    username: str | None = None,
    *,
    is_bot: bool = False,
    language_code: str | None = None,
) -> JSON:
    """A `User` object."""
    user: JSON = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    return user


def bot_user_json(bot_id: int, first_name: str, username: str) -> JSON:
    """The `User` object getMe answers for the bot."""
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": first_name,
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def chat_json(
    chat_id: int,
    chat_type: str,
    *,
    title: str | None = None,
    username: str | None = None,
    first_name: str | None = None,
    is_forum: bool = False,
) -> JSON:
    """A `Chat` object (the short form that messages and updates carry)."""
    chat: JSON = {"id": chat_id, "type": chat_type}
    if title is not None:
        chat["title"] = title
    if username:
        chat["username"] = username
    if first_name is not None:
        chat["first_name"] = first_name
    if is_forum:
        chat["is_forum"] = True
    return chat


def chat_full_info_json(chat: JSON) -> JSON:
    """A `ChatFullInfo` object (what getChat answers) built from a short `Chat` object."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


def chat_member_json(
    user: JSON, status: str, rights: Mapping[str, Any] | None = None, *, chat_type: str = "group"
) -> JSON:
    """A `ChatMember` object of the given status, with the required fields of that status."""
    rights = dict(rights or {})
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = bool(rights.get("is_anonymous", False))
        if "custom_title" in rights:
            member["custom_title"] = rights["custom_title"]
    elif status == "administrator":
        names = list(_ADMIN_REQUIRED)
        names += _ADMIN_CHANNEL_ONLY if chat_type == "channel" else _ADMIN_GROUP_ONLY
        for name in names:
            member[name] = bool(rights.get(name, DEFAULT_ADMIN_RIGHTS[name]))
        if "custom_title" in rights:
            member["custom_title"] = rights["custom_title"]
    elif status == "restricted":
        for name in _RESTRICTED_FIELDS:
            member[name] = bool(rights.get(name, True))
        member["until_date"] = int(rights.get("until_date", 0))
    elif status == "kicked":
        member["until_date"] = int(rights.get("until_date", 0))
    elif status not in ("member", "left"):
        raise ValueError(f"unknown chat member status {status!r}")
    return member


_COMMAND_RE = re.compile(r"(?<![^\s])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")


def command_entities(text: str) -> list[JSON]:
    """The `bot_command` entities Telegram marks in a user's text (`/cmd`, `/cmd@SomeBot`)."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _COMMAND_RE.finditer(text)
    ]


_MENTION_RE = re.compile(r"(?<![\w@/])@[A-Za-z][A-Za-z0-9_]{4,31}(?![\w@])")


def message_entities(text: str) -> list[JSON]:
    """The entities Telegram marks in a user's text: commands and @username mentions, in order."""
    mentions = [
        {
            "type": "mention",
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group(0)),
        }
        for m in _MENTION_RE.finditer(text)
    ]
    return sorted([*command_entities(text), *mentions], key=lambda e: int(e["offset"]))


# --- Telegram's HTML parse mode ----------------------------------------------------------------


class EntityParseError(ValueError):
    """The text is not valid Telegram HTML; the message follows "can't parse entities: "."""


_TAG_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_SPECIAL_RE = re.compile(r"[<&]")
_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_RE = re.compile(r"""\s*([A-Za-z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_CHAR_REF_RE = re.compile(r"&(#[xX][0-9a-fA-F]{1,8}|#[0-9]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass(slots=True)
class _OpenTag:
    name: str
    start: int  # UTF-16 offset in the output text
    entity: JSON | None


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _parse_attrs(raw: str, tag_offset: int) -> dict[str, str]:
    attrs: dict[str, str] = {}
    pos = 0
    raw = raw.rstrip().removesuffix("/")
    while pos < len(raw) and raw[pos:].strip():
        m = _ATTR_RE.match(raw, pos)
        if not m or m.end() == pos:
            raise EntityParseError(
                "Expected equal sign in declaration of an attribute of the tag "
                f"at byte offset {tag_offset}"
            )
        value = next((g for g in m.groups()[1:] if g is not None), "")
        attrs[m.group(1).lower()] = _decode_refs(value)
        pos = m.end()
    return attrs


def _decode_refs(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref[0] == "#":
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            return chr(code) if 0 < code <= 0x10FFFF else m.group(0)
        return _NAMED_REFS.get(ref, m.group(0))

    return _CHAR_REF_RE.sub(one, text)


def _start_entity(
    name: str, attrs: dict[str, str], at: int, parent: _OpenTag | None
) -> JSON | None:
    kind = _TAG_ENTITY[name]
    if name == "a":
        href = attrs.get("href", "")
        if not href:
            return None
        user_match = re.fullmatch(r"tg://user\?id=(\d+)", href)
        if user_match:
            return {"type": "text_mention", "user": {"id": int(user_match.group(1))}}
        return {"type": "text_link", "url": href}
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
    if name == "tg-emoji":
        if "emoji-id" not in attrs:
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {at}'
            )
        return {"type": kind, "custom_emoji_id": attrs["emoji-id"]}
    if name == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if name == "code" and parent is not None and parent.name == "pre" and parent.entity:
        language = attrs.get("class", "")
        if language.startswith("language-") and len(language) > len("language-"):
            parent.entity["language"] = language.removeprefix("language-")
        return None  # <pre><code> is one pre entity
    return {"type": kind}


def parse_html(text: str) -> tuple[str, list[JSON]]:
    """Parse Telegram HTML into (plain text, entities); raise EntityParseError like Telegram."""
    out: list[str] = []
    u16 = 0
    stack: list[_OpenTag] = []
    entities: list[JSON] = []
    i = 0
    n = len(text)
    while i < n:
        m = _SPECIAL_RE.search(text, i)
        stop = m.start() if m else n
        if stop > i:
            chunk = text[i:stop]
            out.append(chunk)
            u16 += utf16_len(chunk)
            i = stop
            continue
        if text[i] == "&":
            ref = _CHAR_REF_RE.match(text, i)
            if ref:
                decoded = _decode_refs(ref.group(0))
                out.append(decoded)
                u16 += utf16_len(decoded)
                i = ref.end()
            else:
                out.append("&")
                u16 += 1
                i += 1
            continue
        # text[i] == "<"
        at = _byte_offset(text, i)
        end = text.find(">", i)
        if text.startswith("</", i):
            if end < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {at}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {at}")
            top = stack[-1]
            if name != top.name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {at}, expected "</{top.name}>", '
                    f'found "</{name}>"'
                )
            stack.pop()
            if top.entity is not None and u16 > top.start:
                entities.append({**top.entity, "offset": top.start, "length": u16 - top.start})
            i = end + 1
            continue
        name_match = _TAG_NAME_RE.match(text, i + 1, end if end >= 0 else n)
        name = name_match.group(0).lower() if name_match else ""
        if name not in _TAG_ENTITY:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {at}')
        if end < 0 or name_match is None:
            raise EntityParseError(f"Unclosed start tag at byte offset {at}")
        attrs = _parse_attrs(text[name_match.end() : end], at)
        parent = stack[-1] if stack else None
        stack.append(_OpenTag(name, u16, _start_entity(name, attrs, at, parent)))
        i = end + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities
