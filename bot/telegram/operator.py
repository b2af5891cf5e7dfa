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

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
)

from bot.core import regions, texts
from bot.core.adding import Added, AddOutcome, AlreadyThere, BadAddress, Unreadable
from bot.core.credentials import hide_credentials
from bot.core.i18n import DEFAULT, stored_language, tr, trn
from bot.core.models import ParsedFeed, RegionFilter, Source
from bot.core.notices import Notice, duration
from bot.core.render import utf16_len
from bot.store import ORIGIN_OPERATOR, SourceStatus
from bot.telegram.base import HandlerBase
from bot.telegram.deps import Callback, Context
from bot.telegram.replies import echo

log = logging.getLogger("bot.operator")

PREVIEW_ITEMS = 3
_SOURCE_ID = re.compile(r"^#?[0-9]{1,18}$")
MESSAGE_LIMIT = 3800  # below Telegram's 4096, leaving room for the heading


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


class OperatorCommands(HandlerBase):
    """The operator commands, one group of the bot's handlers; each runs behind
    :meth:`~bot.telegram.base.HandlerBase.operators_only`."""

    def operator_table(self) -> dict[str, Callback]:
        """Operator command name -> handler (registered behind the operator guard)."""
        return {
            "sources": self.sources,
            "addsource": self.addsource,
            "removesource": self.removesource,
            "pausesource": self.pausesource,
            "resumesource": self.resumesource,
            "stats": self.stats,
        }

    async def register_operator_menu(self, app: Application) -> None:  # type: ignore[type-arg]
        """Show the operator commands in each operator's private-chat menu (best effort)."""
        commands = [
            BotCommand(name, description)
            for name, description in (*texts.PRIVATE_COMMANDS, *texts.OPERATOR_COMMANDS)
        ]
        for admin_id in sorted(self.operators):
            try:
                await app.bot.set_my_commands(commands, scope=BotCommandScopeChat(admin_id))
            except TelegramError as exc:
                log.info("operator menu not set user=%d reason=%r", admin_id, exc.message)

    async def tell(self, app: Application, notice: Notice) -> None:  # type: ignore[type-arg]
        """Send a notice to every operator in their chat's language; failures are logged."""
        for admin_id in sorted(self.operators):
            text = notice(stored_language(await self.store.language(admin_id))[0] or DEFAULT)
            try:
                await app.bot.send_message(admin_id, text, disable_web_page_preview=True)
            except TelegramError as exc:
                log.warning("operator notice failed user=%d reason=%r", admin_id, exc.message)

    # ---------------------------------------------------------------- commands

    @staticmethod
    async def _answer_privately(update: Update, text: str, **options: Any) -> None:
        """Answer an operator in their private chat, wherever the command was sent.

        Operator figures and source lists are not for the members of the group the command was
        typed in.
        """
        user = update.effective_user
        assert user is not None
        await update.get_bot().send_message(user.id, text, **options)

    async def sources(self, update: Update, context: Context) -> None:
        """/sources: every source and its status."""
        assert update.effective_message is not None
        statuses = await self.store.source_statuses()
        await self._answer_privately(
            update, sources_text(statuses, self.clock()), disable_web_page_preview=True
        )

    async def addsource(self, update: Update, context: Context) -> None:
        """/addsource URL [name]: fetch once, preview, and add."""
        message = update.effective_message
        assert message is not None
        args = list(context.args or [])
        if not args:
            usage = tr(texts.ADDSOURCE_USAGE) + "\n\n" + tr(texts.ADDSOURCE_OPML_HINT)
            await self._answer_privately(update, usage, parse_mode=None)
            return
        if self.deps.sources is None:
            raise RuntimeError("the handlers were built without a way to add sources")
        url, name = args[0], " ".join(args[1:]).strip()
        await self._tell_added(update, url, await self.deps.sources.add(url, name))

    async def _tell_added(self, update: Update, url: str, outcome: AddOutcome) -> None:
        """Word the outcome of adding one source for the operator."""
        match outcome:
            case BadAddress(problem):
                await self._answer_privately(
                    update, tr(texts.ADDSOURCE_BAD_URL).format(problem=problem), parse_mode=None
                )
            case Unreadable(reason):
                await self._answer_privately(
                    update,
                    tr(texts.ADDSOURCE_FAILED).format(
                        url=echo(hide_credentials(url), 200),
                        reason=echo(hide_credentials(reason), 300),
                    ),
                    disable_web_page_preview=True,
                )
            case AlreadyThere(source):
                await self._answer_privately(
                    update,
                    tr(texts.ADDSOURCE_EXISTS).format(id=source.id, name=html.escape(source.name)),
                )
            case Added(source, feed):
                await self._tell_new(update, source, feed)

    async def _tell_new(self, update: Update, source: Source, feed: ParsedFeed) -> None:
        preview = "\n".join(
            f"• {echo(item.title, 200)}" for item in feed.items[:PREVIEW_ITEMS]
        ) or tr(texts.NO_ITEMS_YET)
        await self._answer_privately(
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

    async def _source_arg(self, update: Update, context: Context, command: str) -> Source | None:
        message = update.effective_message
        assert message is not None
        args = list(context.args or [])
        if len(args) != 1 or not _SOURCE_ID.match(args[0]):
            await self._answer_privately(
                update, tr(texts.SOURCE_ID_USAGE).format(command=command), parse_mode=None
            )
            return None
        source_id = int(args[0].lstrip("#"))
        source = await self.store.source(source_id)
        if source is None:
            await self._answer_privately(
                update, tr(texts.SOURCE_UNKNOWN).format(id=source_id), parse_mode=None
            )
        return source

    async def removesource(self, update: Update, context: Context) -> None:
        """/removesource ID: delete a source an operator added."""
        message = update.effective_message
        assert message is not None
        source = await self._source_arg(update, context, "removesource")
        if source is None:
            return
        name = html.escape(source.name)
        if await self.store.remove_operator_source(source.id):
            log.info("removesource source=%s", source.name)
            await self._answer_privately(
                update, tr(texts.SOURCE_REMOVED).format(id=source.id, name=name)
            )
        else:
            await self._answer_privately(
                update, tr(texts.SOURCE_FROM_CONFIG).format(id=source.id, name=name)
            )

    async def pausesource(self, update: Update, context: Context) -> None:
        """/pausesource ID: stop polling a source until /resumesource."""
        await self._set_paused(update, context, "pausesource", paused=True)

    async def resumesource(self, update: Update, context: Context) -> None:
        """/resumesource ID: poll a paused source again."""
        await self._set_paused(update, context, "resumesource", paused=False)

    async def _set_paused(
        self, update: Update, context: Context, command: str, *, paused: bool
    ) -> None:
        message = update.effective_message
        assert message is not None
        source = await self._source_arg(update, context, command)
        if source is None:
            return
        await self.store.set_source_paused(source.id, paused)
        log.info("%s source=%s", command, source.name)
        reply = tr(texts.SOURCE_PAUSED) if paused else tr(texts.SOURCE_RESUMED)
        await self._answer_privately(
            update, reply.format(id=source.id, name=html.escape(source.name))
        )

    async def stats(self, update: Update, context: Context) -> None:
        """/stats: chats by kind, subscriptions by region, messages today, queue depth."""
        assert update.effective_message is not None
        now = self.clock()
        midnight = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0)
        figures = await self.store.ops_stats(midnight.replace(microsecond=0).timestamp())
        chats = ", ".join(f"{kind} {count}" for kind, count in figures.chats_by_kind.items())
        by_region = ", ".join(
            f"{html.escape(_region_name(region))} {count}"
            for region, count in list(figures.subscriptions_by_region.items())[:12]
        )
        await self._answer_privately(
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
