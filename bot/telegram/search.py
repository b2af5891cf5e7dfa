"""Finding stories: /search in any chat (ten at a time, a button for the next ten).

Anyone may search and press "Next 10": the button changes nothing, so it needs no authority.
Its data holds the offset and the query; a query too long for Telegram's 64 bytes is kept in
memory (the ``Deps`` record's ``long_queries``), for the last few hundred searches.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot.core import i18n, texts
from bot.core.i18n import tr
from bot.core.render import article_list
from bot.core.search import PAGE, more_data, parse_query, read_more_data
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import echo, reply
from bot.telegram.views import View

log = logging.getLogger("bot.search")

_SHOWN = 48  # characters of the query repeated in a heading


async def search(deps: Deps, update: Update, context: Context) -> None:
    """/search words: the ten best matches among the stored stories (anyone may ask)."""
    message = update.effective_message
    if message is None:
        return
    text = " ".join(context.args or [])
    if parse_query(text, i18n.current()).is_empty:
        await reply(deps, message, tr(texts.SEARCH_USAGE))
        return
    await reply_search(deps, message, text, 0)


async def reply_search(deps: Deps, message: Message, text: str, offset: int) -> None:
    """Answer a search for ``text`` from the ``offset``-th match on, in the message's chat."""
    query = parse_query(text, i18n.current())
    found = await deps.store.search.search_articles(query, PAGE + 1, offset)
    shown = echo(text, _SHOWN)
    if not found:
        template = texts.SEARCH_NONE if offset == 0 else texts.SEARCH_NO_MORE
        await reply(deps, message, tr(template).format(query=shown))
        return
    page = found[:PAGE]
    heading = tr(texts.SEARCH_HEADING).format(
        query=text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…",
        first=offset + 1,
        last=offset + len(page),
    )
    body = article_list(page, heading=heading, start=offset + 1)
    keyboard = None
    if len(found) > PAGE:
        button = InlineKeyboardButton(
            tr(texts.SEARCH_MORE), callback_data=_more_data(deps, text, offset + PAGE)
        )
        keyboard = InlineKeyboardMarkup([[button]])
    await reply(deps, message, body, View(body, keyboard) if keyboard else None)


def _more_data(deps: Deps, text: str, offset: int) -> str:
    data = more_data(text, offset)
    if data is None:
        data = more_data(deps.long_queries.keep(text), offset)
    assert data is not None  # a key and an offset fit
    return data


async def on_search_more(deps: Deps, update: Update, context: Context) -> None:
    """ "Next 10" under a search: the next matches as a new message; the button goes."""
    query = update.callback_query
    if query is None:
        return
    read = read_more_data(query.data or "")
    message = query.message
    if read is not None and read[1].startswith("#"):
        text = deps.long_queries.get(read[1])
        read = (read[0], text) if text else None
    if read is None or not isinstance(message, Message):
        await _answer(query.answer(tr(texts.SEARCH_EXPIRED), show_alert=True))
        return
    await _answer(query.answer())
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramError as exc:
        log.info("search button kept chat=%d reason=%r", message.chat.id, exc.message)
    await reply_search(deps, message, read[1], read[0])


async def _answer(answering: Awaitable[bool]) -> None:
    """Await a press's answer; a refused one (too late) is one log line."""
    try:
        await answering
    except TelegramError as exc:
        log.info("search button answer refused reason=%r", exc.message)
