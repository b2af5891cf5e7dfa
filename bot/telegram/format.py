"""/format: how a chat's teasers look, typed and by buttons.

``/format`` shows the latest story as the chat would get it, with a toggle for each part;
``/format hashtags off`` (``summary``, ``source``, ``photo``, ``button``, ``share``) switches
one, ``/format signature Our paper`` adds a last line, ``/format signature off`` removes it.
"""

from __future__ import annotations

import html
import logging
from dataclasses import replace

from telegram import Update

from bot.core import texts
from bot.core.chat_settings import ChatSettings
from bot.core.delivery_words import SWITCHES, format_words, named_part, sample_article
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.core.post_format import FormatError, PostFormat, parse_format, render_post
from bot.core.routing import hashtags
from bot.core.search import shares
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.targets import command_target
from bot.telegram.timing import names_chat
from bot.telegram.timing_views import BACK, format_view
from bot.telegram.views import Action, ButtonData, View

log = logging.getLogger("bot.format")

_ON = frozenset({"on", "yes", "true", "1", "an", "ein", "sí", "si", "sim", "oui", "вкл", "да"})
_OFF = frozenset({"off", "no", "false", "0", "aus", "non", "não", "nao", "выкл", "нет"})
_SHARE = frozenset({"share", "teilen", "compartir", "partager", "compartilhar", "поделиться"})
_NAMES = dict(SWITCHES)


def _share_switch(words: list[str]) -> bool | None:
    """``share on`` / ``share off`` (the share button has its own setting): on, off or None."""
    lowered = [w.lower() for w in words]
    if len(lowered) != 2 or lowered[0] not in _SHARE or lowered[1] not in _ON | _OFF:
        return None
    return lowered[1] in _ON


def _read_format(typed: str) -> PostFormat:
    words = typed.split()
    if _share_switch(words) is not None:
        return PostFormat()
    return parse_format(typed, PostFormat())


async def format_view_for(
    deps: Deps, chat: Chat, *, back: str | None = None, remote: bool = False, note: str = ""
) -> View:
    """The chat's format shown with the latest story (a made-up one before any is stored)."""
    latest = await deps.store.articles.latest_articles(1)
    article = latest[0] if latest else sample_article(deps.clock())
    post = render_post(article, chat.settings.post_format, tags=hashtags(article))
    return format_view(chat, post, sample=not latest, back=back, remote=remote, note=note)


def changed_note(after: PostFormat, typed: str) -> str:
    """ "✅ Hashtags: off" for the part ``typed`` names, as it is now."""
    field = named_part(typed)
    if field == "signature" and after.signature:
        return tr(texts.FORMAT_SIGNATURE_SET).format(signature=html.escape(after.signature))
    on = bool(getattr(after, field))
    changed = texts.FORMAT_CHANGED_ON if on else texts.FORMAT_CHANGED_OFF
    return tr(changed).format(part=tr(_NAMES.get(field, texts.FORMAT_PART_SIGNATURE)))


async def format_command(deps: Deps, update: Update, context: Context) -> None:
    """/format [@chat] [part on|off | signature text|off]: show the format, or change it."""
    found = await command_target(deps, update, context, bare=names_chat(_read_format))
    if found is None:
        return
    chat, message, args = found
    remote = chat.id != message.chat.id
    if not args:
        await reply(deps, message, "", await format_view_for(deps, chat, remote=remote))
        return
    share = _share_switch(args)
    if share is not None:
        await deps.store.chats.set_share_button(chat.id, share, deps.clock())
        log.info("format chat=%d share=%s", chat.id, "on" if share else "off")
        await reply(deps, message, tr(texts.FORMAT_SHARE_ON if share else texts.FORMAT_SHARE_OFF))
        return
    typed = " ".join(args)
    try:
        parse_format(typed, chat.settings.post_format)
    except FormatError as exc:
        await reply(deps, message, exc.message, html=False)
        return

    def change(s: ChatSettings) -> ChatSettings:
        return replace(s, post_format=parse_format(typed, s.post_format))

    chat = replace(
        chat, settings=await deps.store.chats.change_settings(chat.id, change, deps.clock())
    )
    log.info("format chat=%d typed=%r", chat.id, typed[:80])
    note = changed_note(chat.settings.post_format, typed)
    await reply(deps, message, "", await format_view_for(deps, chat, remote=remote, note=note))


async def press(deps: Deps, chat: Chat, data: ButtonData, *, remote: bool) -> tuple[View, str]:
    """A /format button (already re-authorised): switch a part; the view and a toast."""
    back = BACK if data.args[-1:] == (BACK,) else None
    part = data.args[0] if data.args and data.action == Action.FORMAT_TOGGLE else None
    toast = format_words(chat.settings.post_format, share=shares(chat))
    now = deps.clock()
    if part == "share":
        on = not shares(chat)
        await deps.store.chats.set_share_button(chat.id, on, now)
        chat = replace(chat, share_button=on)
        toast = _toast(texts.FORMAT_PART_SHARE, on)
    elif part in _NAMES or part == "signature":
        on = part != "signature" and not getattr(chat.settings.post_format, part)

        def change(s: ChatSettings) -> ChatSettings:
            fmt = s.post_format
            new = switch(fmt, part, on) if part in _NAMES else replace(fmt, signature=None)
            return replace(s, post_format=new)

        chat = replace(chat, settings=await deps.store.chats.change_settings(chat.id, change, now))
        toast = _toast(_NAMES.get(part, texts.FORMAT_PART_SIGNATURE), on)
        log.info("button format chat=%d %s=%s", chat.id, part, "on" if on else "off")
    return await format_view_for(deps, chat, back=back, remote=remote), toast


def switch(fmt: PostFormat, part: str, on: bool) -> PostFormat:
    """``fmt`` with one switch (a field named in ``SWITCHES``) turned on or off."""
    switches = {name: getattr(fmt, name) for name in _NAMES}
    switches[part] = on
    return PostFormat(**switches, signature=fmt.signature)


def _toast(name: str, on: bool) -> str:
    return tr(texts.TOAST_FORMAT_ON if on else texts.TOAST_FORMAT_OFF).format(part=tr(name))
