"""/region (show or change a chat's filter) and /regions (every region, with recent counts)."""

from __future__ import annotations

import html
import logging
from collections import Counter
from collections.abc import Iterable, Sequence

from telegram import Message, Update

from bot.core import regions, texts
from bot.core.i18n import tr
from bot.core.models import Chat, RegionFilter
from bot.core.regions.text import fold
from bot.core.render import MESSAGE_LIMIT, utf16_len
from bot.telegram.deps import Context, Deps
from bot.telegram.replies import reply
from bot.telegram.targets import command_target
from bot.telegram.views import no_regions_view, region_view, subscription_line

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


_CONTINENTS = ("002", "019", "142", "150", "009")  # Africa, Americas, Asia, Europe, Oceania


def _counted(rid: str, counts: Counter[str]) -> str:
    name = html.escape(regions.display_name(rid))
    return f"{name} {counts[rid]}" if counts[rid] else name


def _part(rid: str, counts: Counter[str]) -> str:
    """A sub-region with its own parts that have articles folded in: "Sub-Saharan Africa 5
    (West Africa 3, East Africa 2)"."""
    inner = [p for p in regions.subregions_of(rid) if counts[p]]
    text = _counted(rid, counts)
    if inner:
        text += " (" + ", ".join(_counted(p, counts) for p in inner) + ")"
    return text


def regions_listing(counts: Counter[str]) -> list[str]:
    """The /regions answer: continent -> its parts, groupings, International, countries.

    Counts are articles in the last days; zero counts are left out rather than shown.
    """
    lines = [tr(texts.REGIONS_HEADING).format(days=texts.REGIONS_RECENT_DAYS), ""]
    for continent in _CONTINENTS:
        parts = ", ".join(_part(rid, counts) for rid in regions.subregions_of(continent))
        lines.append(f"<b>{_counted(continent, counts)}</b>: {parts}")
    infos = regions.all_regions()
    groupings = [info.id for info in infos if info.kind == "grouping"]
    items = ", ".join(_counted(g, counts) for g in groupings)
    lines += ["", tr(texts.REGIONS_GROUPINGS).format(items=items)]
    none_count = counts[regions.NONE_ID]
    lines.append(tr(texts.REGIONS_NONE).format(count=f": {none_count}" if none_count else ""))
    countries = sorted(
        (info for info in infos if info.kind == "country" and counts[info.id]),
        key=lambda info: (-counts[info.id], info.label),
    )
    if countries:
        items = ", ".join(_counted(info.id, counts) for info in countries)
        lines += ["", tr(texts.REGIONS_COUNTRIES).format(items=items)]
    lines += ["", tr(texts.REGIONS_FOOTER)]
    return _pack(lines)


def _pack(lines: Iterable[str], limit: int = MESSAGE_LIMIT - 96) -> list[str]:
    messages: list[str] = []
    current = ""
    for line in lines:
        if current and utf16_len(current) + utf16_len(line) + 1 > limit:
            messages.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        messages.append(current)
    return messages


def _not_regions(args: list[str]) -> bool:
    """/region's first word names a chat only when the words are no filter: "/region worlddesk
    europe" (a misspelt region still gets its "Did you mean")."""
    try:
        regions.parse_filter(" ".join(args))
    except regions.FilterError:
        return len(args) > 1 and not regions.resolve_name(args[0])
    return False


ADD_WORDS = frozenset({"add", "+", "plus", "anadir", "agregar", "adicionar", "ajouter"})
REMOVE_WORDS = frozenset({"remove", "-", "rm", "del", "delete", "drop", "quitar", "retirer"})
"""A verb sent alone (``/region add``): explained rather than taken for a region's name."""
NOTHING_WORDS = frozenset({"none", "nothing", "no regions"})
"""What `/region` understands as "no regions at all" (International is `international`)."""


def _says_everything(typed: str) -> bool:
    """Whether a typed filter asks for everything ("all"), rather than removing the last region."""
    try:
        return regions.parse_filter(typed).is_everything
    except regions.FilterError:
        return False


async def region(deps: Deps, update: Update, context: Context) -> None:
    """/region [@chat] [names]: show the regions with buttons, or choose them (subscribing)."""
    found = await command_target(deps, update, context, members_see=True, bare=_not_regions)
    if found is None:
        return
    chat, message, args = found
    remote = chat.id != message.chat.id
    back = "settings" if remote else None
    if not args:
        await reply(deps, message, "", region_view(chat, back_to=back))
        return
    typed = " ".join(args)
    verb = fold(typed).strip().lower()
    if verb in ADD_WORDS or verb in REMOVE_WORDS:
        current = html.escape(regions.format_filter(chat.region_filter))
        alone = texts.REGION_ADD_ALONE if verb in ADD_WORDS else texts.REGION_REMOVE_ALONE
        await reply(deps, message, tr(alone).format(current=current))
        return
    try:
        new = (
            RegionFilter()
            if fold(typed).strip().lower() in NOTHING_WORDS
            else regions.parse_filter(typed, chat.region_filter)
        )
    except regions.FilterError as exc:
        await reply(deps, message, exc.message, html=False)
        return
    if new.is_everything and not _says_everything(typed):
        await _no_regions(deps, chat, message, remote=remote)
        return
    # The filter first, then the subscription: nothing is routed to the chat unfiltered.
    await deps.store.chats.set_region_filter(chat.id, new, deps.clock())
    if not chat.subscribed:
        here = not remote and message.is_topic_message
        thread_id = message.message_thread_id if here else chat.thread_id
        await deps.store.chats.set_subscribed(chat.id, True, now=deps.clock(), thread_id=thread_id)
    log.info(
        "command=region chat=%d filter=%s subscribed_now=%s",
        chat.id,
        regions.filter_to_text(new) or "all",
        not chat.subscribed,
    )
    fresh = await deps.store.chats.chat(chat.id)
    assert fresh is not None
    await reply(deps, message, subscription_line(fresh, remote=remote))


async def _no_regions(deps: Deps, chat: Chat, message: Message, *, remote: bool) -> None:
    """The last region removed (or "none"): the chat has no regions and gets nothing until
    it picks some or everything; it is never widened to everything silently."""
    now = deps.clock()
    await deps.store.chats.set_subscribed(chat.id, False, now=now)
    await deps.store.chats.set_region_filter(chat.id, RegionFilter(), now)
    log.info("command=region chat=%d filter=none subscribed=False", chat.id)
    await reply(deps, message, "", no_regions_view(chat, remote=remote))


async def regions_list(deps: Deps, update: Update, context: Context) -> None:
    """/regions: every region name the bot understands, with recent article counts."""
    message = update.effective_message
    if message is None:
        return
    since = deps.clock() - texts.REGIONS_RECENT_DAYS * 86400
    counts = count_by_region(await deps.store.articles.recent_places(since))
    for text in regions_listing(counts):
        await reply(deps, message, text)
