"""/region (show or change a chat's filter) and /regions (every region, with recent counts)."""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable, Sequence

from telegram import Update

from bot import regions, texts
from bot.models import RegionFilter
from bot.render import MESSAGE_LIMIT
from bot.telegram.base import Context, HandlerBase
from bot.telegram.views import label_of, region_view

log = logging.getLogger("bot.handlers")

Places = Sequence[tuple[Sequence[str], Sequence[str]]]


def count_by_region(places: Places) -> Counter[str]:
    """How many articles fall in each region id (countries count once per article)."""
    country_regions = regions.tables().country_regions
    counts: Counter[str] = Counter()
    for countries, own in places:
        ids: set[str] = set(own)
        for code in countries:
            ids.add(code)
            ids.update(country_regions.get(code, ()))
        if not countries:
            ids.add(regions.NONE_ID)
        counts.update(ids)
    return counts


def regions_listing(counts: Counter[str]) -> list[str]:
    """The /regions answer as messages: every named region with its count, then countries."""
    lines = [texts.REGIONS_HEADING.format(days=texts.REGIONS_RECENT_DAYS)]
    countries: list[str] = []
    for info in regions.all_regions():
        name = html.escape(info.name if info.id != regions.NONE_ID else texts.NO_COUNTRY)
        if info.kind == "country":
            if counts[info.id]:
                countries.append(f"{name}: {counts[info.id]}")
            continue
        indent = "    " if info.kind in ("subregion", "intermediate") else ""
        lines.append(f"{indent}{name}: {counts[info.id]}")
    if countries:
        lines += ["", texts.REGIONS_COUNTRIES, ", ".join(countries)]
    lines += ["", texts.REGIONS_FOOTER]
    return _pack(lines)


def _pack(lines: Iterable[str], limit: int = MESSAGE_LIMIT - 96) -> list[str]:
    messages: list[str] = []
    current = ""
    for line in lines:
        if current and len(current) + len(line) + 1 > limit:
            messages.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        messages.append(current)
    return messages


class RegionCommands(HandlerBase):
    """/region and /regions."""

    async def region(self, update: Update, context: Context) -> None:
        """/region [@chat] [names]: show the filter with buttons, or set/add/remove/clear it."""
        found = await self.command_target(update, context)
        if found is None:
            return
        chat, message, args = found
        remote = chat.id != message.chat.id
        back = "settings" if remote else None
        if not args:
            await self.reply(message, "", region_view(chat, back_to=back))
            return
        try:
            new = regions.parse_filter(" ".join(args), chat.region_filter)
        except regions.FilterError as exc:
            await message.reply_text(exc.message, parse_mode=None, do_quote=False)
            return
        await self.store.set_region_filter(chat.id, new, self.clock())
        log.info("command=region chat=%d filter=%s", chat.id, regions.filter_to_text(new) or "all")
        await self.reply(
            message,
            texts.REGION_SET.format(chat=label_of(chat), regions=_names(new)),
        )

    async def regions_list(self, update: Update, context: Context) -> None:
        """/regions: every region name the bot understands, with recent article counts."""
        message = update.effective_message
        if message is None:
            return
        since = self.clock() - texts.REGIONS_RECENT_DAYS * 86400
        counts = count_by_region(await self.store.recent_places(since))
        for text in regions_listing(counts):
            await self.reply(message, text)


def _names(f: RegionFilter) -> str:
    return html.escape(regions.format_filter(f))
