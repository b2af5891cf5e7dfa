"""An operator sends an OPML file with the caption /addsource: each feed is added by /addsource's
rules (through the ``Deps`` record's ``sources``: bot/service/importing.py in the bot, as
`python -m bot sources import` does), and one answer lists what became of each."""

from __future__ import annotations

import html
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.core import texts
from bot.core.adding import Added, AddOutcome, AlreadyThere, BadAddress, Unreadable
from bot.core.credentials import hide_credentials
from bot.core.errors import ParseError
from bot.core.i18n import tr
from bot.core.opml import OpmlFeed, read_opml
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import echo

log = logging.getLogger("bot.sources")

OPML_LIMIT = 1_000_000  # bytes of an OPML file taken from Telegram
LINES_SHOWN = 40  # one line per feed in the answer, up to this many (a message holds 4096)


def outcome_line(feed: OpmlFeed, outcome: AddOutcome) -> str:
    """One feed's line in the answer, in the operator's language."""
    match outcome:
        case Added(source, _):
            return tr(texts.OPML_ADDED).format(id=source.id, name=html.escape(source.name))
        case AlreadyThere(source):
            return tr(texts.OPML_EXISTS).format(id=source.id, name=html.escape(source.name))
        case BadAddress(reason) | Unreadable(reason):
            return tr(texts.OPML_FAILED).format(
                url=echo(hide_credentials(feed.url), 120),
                reason=echo(hide_credentials(reason), 200),
            )


async def addsource_file(deps: Deps, update: Update, context: Context) -> None:
    """Read the file, add its feeds, and answer with one line per feed and the counts."""
    message = update.effective_message
    user = update.effective_user
    assert message is not None
    assert message.document is not None
    assert user is not None
    document = message.document
    name = echo(document.file_name or "feeds.opml", 80)

    async def answer(text: str) -> None:
        await context.bot.send_message(user.id, text, disable_web_page_preview=True)

    if (document.file_size or 0) > OPML_LIMIT:
        await answer(tr(texts.OPML_TOO_LARGE).format(file=name, limit=OPML_LIMIT // 1000))
        return
    try:
        body = bytes(await (await context.bot.get_file(document.file_id)).download_as_bytearray())
        feeds = read_opml(body[: OPML_LIMIT + 1])
    except (ParseError, TelegramError) as exc:
        reason = getattr(exc, "message", None) or str(exc)
        await answer(tr(texts.OPML_UNREADABLE).format(file=name, reason=echo(reason, 200)))
        return
    if not feeds:
        await answer(tr(texts.OPML_EMPTY).format(file=name))
        return
    if deps.sources is None:
        raise RuntimeError("the handlers were built without a way to add sources")
    await answer(tr(texts.OPML_READING).format(count=len(feeds), file=name))
    lines: list[str] = []
    summary = await deps.sources.add_feeds(
        feeds, each=lambda f, o: lines.append(outcome_line(f, o))
    )
    log.info(
        "addsource file=%r added=%d existing=%d failed=%d",
        document.file_name,
        summary.added,
        summary.existing,
        summary.failed,
    )
    shown = lines[:LINES_SHOWN]
    if len(lines) > LINES_SHOWN:
        shown.append(tr(texts.OPML_MORE).format(count=len(lines) - LINES_SHOWN))
    done = tr(texts.OPML_DONE).format(
        file=name, added=summary.added, existing=summary.existing, failed=summary.failed
    )
    await answer(done + "\n\n" + "\n".join(shown))
