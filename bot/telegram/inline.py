"""Inline mode: ``@bot words`` in any chat offers the matching stored stories to share.

Each answer holds up to 20 articles (title, summary as description, image as thumbnail, the
teaser's HTML as the message sent), best matches first, paged with ``next_offset``. An empty
query offers the latest stories in the person's own regions (their private chat's filter), and
that answer is personal. Inline mode must be switched on in @BotFather (/setinline).
"""

from __future__ import annotations

import logging

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.core.models import Article
from bot.core.render import safe_href, shorten, teaser
from bot.core.routing import hashtags
from bot.core.search import INLINE_PAGE, SearchQuery, next_offset, parse_query, read_offset
from bot.telegram.deps import Context, Deps

log = logging.getLogger("bot.inline")

CACHE_TIME = 30
"""Seconds Telegram may reuse an inline answer (new stories arrive every few minutes)."""

_TITLE_CHARS = 120
_DESCRIPTION_CHARS = 200


def inline_result(article: Article) -> InlineQueryResultArticle:
    """One stored article as an inline result whose message is its teaser."""
    return InlineQueryResultArticle(
        id=str(article.id),
        title=shorten(article.title, _TITLE_CHARS) or "…",
        description=shorten(article.summary, _DESCRIPTION_CHARS) or None,
        thumbnail_url=article.image if safe_href(article.image) else None,
        url=article.url if safe_href(article.url) else None,
        input_message_content=InputTextMessageContent(
            teaser(article, tags=hashtags(article)),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(url=article.url)
            if safe_href(article.url)
            else None,
        ),
    )


async def on_inline_query(deps: Deps, update: Update, context: Context) -> None:
    """Answer ``@bot words`` with the best matching stories (empty: the person's latest)."""
    inline = update.inline_query
    if inline is None:
        return
    query = parse_query(inline.query, inline.from_user.language_code)
    personal = False
    if query.is_empty:
        stored = await deps.store.chats.chat(inline.from_user.id)
        if stored is not None and not stored.region_filter.is_everything:
            query = SearchQuery(places=stored.region_filter)
            personal = True
    offset = read_offset(inline.offset)
    found = await deps.store.search.search_articles(query, INLINE_PAGE + 1, offset)
    results = [inline_result(article) for article in found[:INLINE_PAGE]]
    try:
        await inline.answer(
            results,
            cache_time=CACHE_TIME,
            is_personal=personal,
            # None, not "": PTB's Defaults turn an empty string into [] (sent as "[]").
            next_offset=next_offset(offset, len(found), INLINE_PAGE) or None,
        )
    except TelegramError as exc:
        log.info("inline answer refused user=%d reason=%r", inline.from_user.id, exc.message)
