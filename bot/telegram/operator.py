"""Operator commands, for the user ids in ADMIN_USER_IDS only; everyone else is refused.

``/sources``, ``/addsource URL [name]`` (fetched once and previewed before it is added),
``/removesource ID``, ``/pausesource ID``, ``/resumesource ID``, ``/stats``. Sources added here
live in the database (origin "operator") and survive restarts; the sources file never touches them.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeChat, Message, Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.core import regions, texts
from bot.core.adding import Added, AddOutcome, AlreadyThere, BadAddress, Unreadable
from bot.core.credentials import hide_credentials
from bot.core.i18n import DEFAULT, stored_language, tr, trn
from bot.core.models import ParsedFeed, RegionFilter, Source
from bot.core.notices import Notice, duration
from bot.core.render import utf16_len
from bot.store import ORIGIN_OPERATOR, SourceStatus
from bot.telegram.deps import Callback, Context, Deps, Handler
from bot.telegram.replies import REFUSED, answer_or_explain, echo, refusal_kind

log = logging.getLogger("bot.operator")

PREVIEW_ITEMS = 3
_SOURCE_ID = re.compile(r"^#?[0-9]{1,18}$")
MESSAGE_LIMIT = 3800  # below Telegram's 4096, leaving room for the heading


def operators_only(deps: Deps, name: str, callback: Callback) -> Callback:
    """The guard in front of every operator command: the user ids in ADMIN_USER_IDS run it,
    anyone else is refused with one log line. The answer goes to the operator's private chat;
    the update ends here (:class:`ApplicationHandlerStop`)."""

    async def guarded(update: Update, context: Context) -> None:
        message = update.effective_message
        if message is None:
            return
        user = update.effective_user
        if user is None or user.id not in deps.operators:
            chat = update.effective_chat
            log.warning(
                "operator command refused command=%s user=%s chat=%s",
                name,
                user.id if user else None,
                chat.id if chat else None,
            )
            await answer_or_explain(message, tr(texts.OPERATORS_ONLY), html_text=False)
            raise ApplicationHandlerStop
        log.info("operator command=%s user=%d", name, user.id)
        await _run_for_operator(callback, update, context, message, user.id)
        raise ApplicationHandlerStop

    return guarded


async def _run_for_operator(
    callback: Callback, update: Update, context: Context, message: Message, user_id: int
) -> None:
    """Run an operator command; a refused answer is explained where the command was typed."""
    try:
        await callback(update, context)
    except Forbidden:  # the operator never started a private chat with the bot
        await answer_or_explain(message, tr(texts.OPERATOR_START_PRIVATE), html_text=False)
    except REFUSED as exc:  # the answer itself refused (too long, say)
        log.warning("operator answer refused user=%d reason=%r", user_id, exc.message)
        if refusal_kind(exc) == "too_long":
            await answer_or_explain(message, tr(texts.REPLY_TOO_LONG), html_text=False)
    else:
        if message.chat.id != user_id:
            await answer_or_explain(message, tr(texts.OPERATOR_ANSWERED_PRIVATELY), html_text=False)


def status_word(status: SourceStatus, now: float) -> str:
    """One source's state for /sources: paused, disabled, failing, new or ok."""
    source = status.source
    if not source.enabled:
        return tr(texts.STATUS_DISABLED)
    if status.paused:
        return tr(texts.STATUS_PAUSED)
    if source.failures:
        since = status.failing_since if status.failing_since is not None else now
        error = html.escape(hide_credentials(source.last_error or "error")[:80])
        return tr(texts.STATUS_FAILING).format(
            failures=source.failures, duration=duration(now - since), error=error
        )
    if source.last_success_at is None:
        return tr(texts.STATUS_NEW)
    return tr(texts.STATUS_OK).format(duration=duration(now - source.last_success_at))


def sources_text(statuses: Iterable[SourceStatus], now: float) -> str:
    """The /sources reply, cut to fit one message."""
    rows = list(statuses)
    if not rows:
        return tr(texts.SOURCES_EMPTY)
    lines: list[str] = []
    size = 0
    for status in rows:
        line = tr(texts.SOURCE_LINE).format(
            id=status.source.id,
            name=html.escape(status.source.label),
            status=status_word(status, now),
            origin=tr(texts.BY_AN_OPERATOR) if status.origin == ORIGIN_OPERATOR else "",
            url=html.escape(hide_credentials(status.source.url)),
        )
        if size + utf16_len(line) > MESSAGE_LIMIT:
            hidden = len(rows) - len(lines)
            lines.append(trn(texts.SITES_MORE, hidden).format(count=hidden))
            break
        lines.append(line)
        size += utf16_len(line) + 2
    return tr(texts.SOURCES_HEADING).format(count=len(rows)) + "\n\n" + "\n\n".join(lines)


def _region_name(region_id: str) -> str:
    if not region_id:
        return tr(texts.EVERYTHING)
    return regions.format_filter(RegionFilter(frozenset({region_id})))


async def register_operator_menu(deps: Deps, bot: Bot) -> None:
    """Show the operator commands in each operator's private-chat menu (best effort)."""
    commands = [
        BotCommand(name, description)
        for name, description in (*texts.PRIVATE_COMMANDS, *texts.OPERATOR_COMMANDS)
    ]
    for admin_id in sorted(deps.operators):
        try:
            await bot.set_my_commands(commands, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:
            log.info("operator menu not set user=%d reason=%r", admin_id, exc.message)


async def tell_operators(deps: Deps, bot: Bot, notice: Notice) -> None:
    """Send a notice to every operator in their chat's language; failures are logged."""
    for admin_id in sorted(deps.operators):
        text = notice(stored_language(await deps.store.chats.language(admin_id))[0] or DEFAULT)
        try:
            await bot.send_message(admin_id, text, disable_web_page_preview=True)
        except TelegramError as exc:
            log.warning("operator notice failed user=%d reason=%r", admin_id, exc.message)


async def _answer_privately(update: Update, text: str, **options: Any) -> None:
    """Answer an operator in their private chat, wherever the command was sent.

    Operator figures and source lists are not for the members of the group the command was
    typed in.
    """
    user = update.effective_user
    assert user is not None
    await update.get_bot().send_message(user.id, text, **options)


async def sources(deps: Deps, update: Update, context: Context) -> None:
    """/sources: every source and its status."""
    assert update.effective_message is not None
    statuses = await deps.store.sources.source_statuses()
    await _answer_privately(
        update, sources_text(statuses, deps.clock()), disable_web_page_preview=True
    )


async def addsource(deps: Deps, update: Update, context: Context) -> None:
    """/addsource URL [name]: fetch once, preview, and add."""
    message = update.effective_message
    assert message is not None
    args = list(context.args or [])
    if not args:
        usage = tr(texts.ADDSOURCE_USAGE) + "\n\n" + tr(texts.ADDSOURCE_OPML_HINT)
        await _answer_privately(update, usage, parse_mode=None)
        return
    if deps.sources is None:
        raise RuntimeError("the handlers were built without a way to add sources")
    url, name = args[0], " ".join(args[1:]).strip()
    await _tell_added(update, url, await deps.sources.add(url, name))


async def _tell_added(update: Update, url: str, outcome: AddOutcome) -> None:
    """Word the outcome of adding one source for the operator."""
    match outcome:
        case BadAddress(problem):
            await _answer_privately(
                update, tr(texts.ADDSOURCE_BAD_URL).format(problem=problem), parse_mode=None
            )
        case Unreadable(reason):
            await _answer_privately(
                update,
                tr(texts.ADDSOURCE_FAILED).format(
                    url=echo(hide_credentials(url), 200),
                    reason=echo(hide_credentials(reason), 300),
                ),
                disable_web_page_preview=True,
            )
        case AlreadyThere(source):
            await _answer_privately(
                update,
                tr(texts.ADDSOURCE_EXISTS).format(id=source.id, name=html.escape(source.name)),
            )
        case Added(source, feed):
            await _tell_new(update, source, feed)


async def _tell_new(update: Update, source: Source, feed: ParsedFeed) -> None:
    preview = "\n".join(f"• {echo(item.title, 200)}" for item in feed.items[:PREVIEW_ITEMS]) or tr(
        texts.NO_ITEMS_YET
    )
    await _answer_privately(
        update,
        trn(texts.ADDSOURCE_ADDED, len(feed.items)).format(
            id=source.id,
            name=html.escape(source.name),
            format=html.escape(feed.format),
            items=len(feed.items),
            preview=preview,
        ),
        disable_web_page_preview=True,
    )


async def _source_arg(deps: Deps, update: Update, context: Context, command: str) -> Source | None:
    message = update.effective_message
    assert message is not None
    args = list(context.args or [])
    if len(args) != 1 or not _SOURCE_ID.match(args[0]):
        await _answer_privately(
            update, tr(texts.SOURCE_ID_USAGE).format(command=command), parse_mode=None
        )
        return None
    source_id = int(args[0].lstrip("#"))
    source = await deps.store.sources.source(source_id)
    if source is None:
        await _answer_privately(
            update, tr(texts.SOURCE_UNKNOWN).format(id=source_id), parse_mode=None
        )
    return source


async def removesource(deps: Deps, update: Update, context: Context) -> None:
    """/removesource ID: delete a source an operator added."""
    message = update.effective_message
    assert message is not None
    source = await _source_arg(deps, update, context, "removesource")
    if source is None:
        return
    name = html.escape(source.name)
    if await deps.store.sources.remove_operator_source(source.id):
        log.info("removesource source=%s", source.name)
        await _answer_privately(update, tr(texts.SOURCE_REMOVED).format(id=source.id, name=name))
    else:
        await _answer_privately(
            update, tr(texts.SOURCE_FROM_CONFIG).format(id=source.id, name=name)
        )


async def pausesource(deps: Deps, update: Update, context: Context) -> None:
    """/pausesource ID: stop polling a source until /resumesource."""
    await _set_paused(deps, update, context, "pausesource", paused=True)


async def resumesource(deps: Deps, update: Update, context: Context) -> None:
    """/resumesource ID: poll a paused source again."""
    await _set_paused(deps, update, context, "resumesource", paused=False)


async def _set_paused(
    deps: Deps, update: Update, context: Context, command: str, *, paused: bool
) -> None:
    message = update.effective_message
    assert message is not None
    source = await _source_arg(deps, update, context, command)
    if source is None:
        return
    await deps.store.sources.set_source_paused(source.id, paused)
    log.info("%s source=%s", command, source.name)
    reply = tr(texts.SOURCE_PAUSED) if paused else tr(texts.SOURCE_RESUMED)
    await _answer_privately(update, reply.format(id=source.id, name=html.escape(source.name)))


async def stats(deps: Deps, update: Update, context: Context) -> None:
    """/stats: chats by kind, subscriptions by region, messages today, queue depth."""
    assert update.effective_message is not None
    now = deps.clock()
    midnight = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0)
    figures = await deps.store.stats.ops_stats(midnight.replace(microsecond=0).timestamp())
    chats = ", ".join(f"{kind} {count}" for kind, count in figures.chats_by_kind.items())
    by_region = ", ".join(
        f"{html.escape(_region_name(region))} {count}"
        for region, count in list(figures.subscriptions_by_region.items())[:12]
    )
    await _answer_privately(
        update,
        tr(texts.STATS).format(
            chats=f"{sum(figures.chats_by_kind.values())} ({chats})" if chats else "0",
            regions=by_region or "none",
            sent_today=figures.sent_since,
            queued=figures.queued,
            articles=figures.articles,
            sources=figures.sources,
        ),
    )


OPERATOR_TABLE: dict[str, Handler] = {
    "sources": sources,
    "addsource": addsource,
    "removesource": removesource,
    "pausesource": pausesource,
    "resumesource": resumesource,
    "stats": stats,
}
"""Operator command name -> handler (registered behind :func:`operators_only`)."""
