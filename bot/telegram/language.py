"""Which language the bot speaks in each update's chat, and /language to choose it."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.core.regions.text import fold
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import echo, reply
from bot.telegram.targets import command_target
from bot.telegram.views import label_of, language_view

log = logging.getLogger("bot.handlers")


def find_language(typed: str) -> str | None:
    """A shipped language by code or name, in any of them: "es", "Español", "spanish"."""
    key = fold(typed).strip().lower()
    if i18n.normalise(key):
        return i18n.normalise(key)
    for code, own in i18n.LANGUAGES.items():
        names = {fold(own).lower()} | {
            fold(tr(texts.LANGUAGE_NAMES[code], lang)).lower() for lang in i18n.LANGUAGES
        }
        if key in names:
            return code
    return None


def _not_a_language(args: list[str]) -> bool:
    """/language's first word names a chat only when it is no language: "/language worlddesk es"."""
    return len(args) > 1 and find_language(args[0]) is None


async def set_language(deps: Deps, update: Update, context: Context) -> None:
    """Before any handler: make the chat's language the language of this update's texts.

    A private chat speaks its own choice, else its person's Telegram language; other chats
    speak their choice, else English. Someone adding the bot to a channel is answered in
    their private chat, so in their language.
    """
    chat = update.effective_chat
    user = update.effective_user
    stored: str | None = None
    chosen = False
    app = None
    if update.my_chat_member is not None and user is not None:
        stored, chosen = i18n.stored_language(await deps.store.chats.language(user.id))
        app = i18n.normalise(user.language_code)
    elif chat is not None:
        stored, chosen = i18n.stored_language(await deps.store.chats.language(chat.id))
        if chat.type == ChatType.PRIVATE and user is not None and user.id == chat.id:
            app = i18n.normalise(user.language_code)
            if stored is not None and not chosen and app is not None and app != stored:
                # The person changed Telegram's language and never chose one here: follow.
                await deps.store.chats.set_language(chat.id, i18n.followed(app), deps.clock())
                log.info("language chat=%d followed=%s", chat.id, app)
                stored = app
    i18n.use(stored if chosen else (app or stored))


async def language(deps: Deps, update: Update, context: Context) -> None:
    """/language [@chat] [code]: the chooser, or switch straight to the language named."""
    found = await command_target(deps, update, context, bare=_not_a_language)
    if found is None:
        return
    chat, message, args = found
    if not args:
        await reply(deps, message, "", language_view(chat))
        return
    typed = " ".join(args)
    code = find_language(typed)
    if code is None:
        names = ", ".join(f"{name} (<code>{c}</code>)" for c, name in i18n.LANGUAGES.items())
        text = tr(texts.LANGUAGE_UNKNOWN).format(typed=echo(typed), languages=names)
        await reply(deps, message, text)
        return
    await choose_language(deps, chat, message, (code,))
    if chat.id == message.chat.id:
        await reply(deps, message, tr(texts.LANGUAGE_SET, code))
        return
    # Set up from a private chat: confirmed in the owner's language, naming the chat.
    language = tr(texts.LANGUAGE_NAMES[code])
    text = tr(texts.LANGUAGE_SET_REMOTE).format(chat=label_of(chat), language=language)
    await reply(deps, message, text)


async def choose_language(deps: Deps, chat: Chat, message: Message, args: tuple[str, ...]) -> str:
    """Store the chat's language; answers in the chat itself switch to it at once."""
    code = i18n.normalise(args[0] if args else None) or i18n.DEFAULT
    await deps.store.chats.set_language(chat.id, code, deps.clock())
    log.info("language chat=%d language=%s", chat.id, code)
    if chat.id == message.chat.id:
        i18n.use(code)
    return code
