"""/start, /stop, /help, /about and /latest, and the hello to a mention in a group."""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.core import regions, texts
from bot.core.i18n import tr, trn
from bot.core.models import ChatKind, RegionFilter
from bot.core.render import article_list
from bot.telegram.deps import Context, Deps
from bot.telegram.permissions import check_here, check_remote
from bot.telegram.replies import GROUPS, echo, reply
from bot.telegram.settings_view import settings_for
from bot.telegram.targets import command_target
from bot.telegram.views import (
    View,
    add_me_row,
    channel_added_view,
    filter_text,
    label_of,
    ref_of,
    welcome_keyboard,
)

log = logging.getLogger("bot.handlers")

_NUMBER = re.compile(r"^[+-]?\d+$")


@dataclass(frozen=True, slots=True)
class LatestRequest:
    """A parsed ``/latest`` command.

    ``region`` None: the chat's own regions (everything when it has none). ``asked`` is the
    number typed when it was above the most shown at once (then ``count`` is that most).
    """

    count: int
    region: RegionFilter | None = None
    asked: int | None = None


class UsageError(Exception):
    """The command's arguments are wrong; the message is the reply."""


_MAX_DIGITS = 9
_BILLION = 1_000_000_000


def _number(word: str) -> int:
    """A typed count; one of more than nine digits counts as a billion (Python refuses to read
    numbers of thousands of digits, and nobody means one)."""
    digits = word.lstrip("+-").lstrip("0")
    if len(digits) > _MAX_DIGITS:
        return -_BILLION if word.startswith("-") else _BILLION
    return int(word)


def parse_latest_args(args: list[str]) -> LatestRequest:
    """Read ``/latest [region…|all] [N]``; raise UsageError with a one-line reply when wrong."""
    words = list(args)
    count = texts.LATEST_DEFAULT
    if words and _NUMBER.match(words[-1]):
        count = _number(words.pop())
    elif words and _NUMBER.match(words[0]):
        count = _number(words.pop(0))
    if count < 1:
        raise UsageError(tr(texts.LATEST_USAGE).format(max=texts.LATEST_MAX))
    asked = count if count > texts.LATEST_MAX else None
    count = min(count, texts.LATEST_MAX)
    region: RegionFilter | None = None
    if words:
        try:
            region = regions.parse_filter(" ".join(words))
        except regions.FilterError as exc:
            raise UsageError(exc.message) from None
    return LatestRequest(count=count, region=region, asked=asked)


def commands_for(chat_type: str, *, admin: bool = True) -> str:
    """The command list for a help text in a chat of this type (a group's members see what
    members can do, and what admins can do besides)."""
    if chat_type == ChatType.PRIVATE:
        return texts.command_list(texts.PRIVATE_COMMANDS)
    if not admin:
        return texts.command_list(texts.GROUP_COMMANDS) + "\n\n" + tr(texts.MEMBERS_HELP_NOTE)
    return texts.command_list(texts.GROUP_ADMIN_COMMANDS)


def sites_text(sites: list[tuple[str, str]], limit: int = 25) -> str:
    """The news sites the bot follows, as lines for a help text."""
    if not sites:
        return tr(texts.SITES_NONE)
    lines = [
        tr(texts.SITE_LINE).format(
            name=html.escape(name), host=html.escape(urlsplit(url).hostname or url)
        )
        for name, url in sites[:limit]
    ]
    if len(sites) > limit:
        lines.append(trn(texts.SITES_MORE, len(sites) - limit).format(count=len(sites) - limit))
    return tr(texts.SITES).format(lines="\n".join(lines))


def any_word(args: list[str]) -> bool:
    """For commands whose only argument is a chat: any first word may name one."""
    return True


async def start(deps: Deps, update: Update, context: Context) -> None:
    """/start: subscribe the chat (admins only outside private chats)."""
    found = await command_target(deps, update, context, bare=any_word)
    if found is None:
        return
    chat, message, _ = found
    here = chat.id == message.chat.id
    thread_id = message.message_thread_id if here and message.is_topic_message else None
    changed = await deps.store.set_subscribed(chat.id, True, now=deps.clock(), thread_id=thread_id)
    log.info(
        "command=start chat=%d kind=%s new=%s thread=%s", chat.id, chat.kind, changed, thread_id
    )
    names = filter_text(chat)
    filtered = not chat.region_filter.is_everything
    if not here:
        fresh = await deps.store.chat(chat.id)
        assert fresh is not None
        await reply(deps, message, "", await settings_for(deps, fresh))
    elif message.chat.type != ChatType.PRIVATE:
        back = tr(texts.GROUP_WELCOME_BACK).format(regions=names)
        await reply(deps, message, back if filtered else tr(texts.GROUP_WELCOME))
    else:
        if not changed:
            text = tr(texts.ALREADY_SUBSCRIBED).format(regions=names)
        elif filtered:  # coming back after /stop: the old regions apply again
            text = tr(texts.WELCOME_BACK).format(regions=names)
        else:
            text = tr(texts.WELCOME)
        # Channels added before this first /start: teasers would come twice, here and there.
        runs = 0
        if changed:
            runs = len(await deps.store.pending_setups(chat.id))
            runs += len(await deps.store.waiting_channels(chat.id))
        if runs:
            text += trn(texts.WELCOME_CHANNELS_NOTE, runs).format(count=runs)
        keyboard = welcome_keyboard(chat.id, channels=runs, bot_username=context.bot.username)
        await reply(deps, message, "", View(text, keyboard))
        await tell_waiting_channels(deps, context, message)


async def tell_waiting_channels(deps: Deps, context: Context, message: Message) -> None:
    """After a first /start: the channels this person added the bot to before, to set up."""
    user = message.from_user
    if user is None:
        return
    waiting = []
    for chat in await deps.store.pending_setups(user.id):
        if await check_remote(context.bot, user.id, chat.id) is None:
            waiting.append(chat)
        await deps.store.set_setup_pending(chat.id, False, deps.clock())
    for chat in await deps.store.waiting_channels(user.id):
        # Added without the right to post before the bot could write to him: said now.
        text = tr(texts.CHANNEL_NEEDS_POST_RIGHT).format(chat=label_of(chat))
        await reply(deps, message, text)
    if not waiting:
        return
    await reply(deps, message, trn(texts.CHANNELS_WAITING, len(waiting)).format(count=len(waiting)))
    for chat in waiting:
        await reply(deps, message, "", channel_added_view(chat))


async def stop(deps: Deps, update: Update, context: Context) -> None:
    """/stop [@channel]: unsubscribe the chat and say how to come back."""
    found = await command_target(deps, update, context, bare=any_word)
    if found is None:
        return
    chat, message, _ = found
    remote = chat.id != message.chat.id
    ref = html.escape(ref_of(chat))
    if not chat.subscribed:
        text = (
            tr(texts.NOT_SUBSCRIBED_REMOTE).format(chat=label_of(chat), ref=ref)
            if remote
            else tr(texts.NOT_SUBSCRIBED)
        )
        await reply(deps, message, text)
        return
    await deps.store.set_subscribed(chat.id, False, now=deps.clock())
    log.info("command=stop chat=%d kind=%s", chat.id, chat.kind)
    stopped = tr(texts.STOPPED_REMOTE).format(chat=label_of(chat), ref=ref)
    here = tr(texts.STOPPED) if chat.kind is ChatKind.PRIVATE else tr(texts.STOPPED_CHAT)
    await reply(deps, message, stopped if remote else here)


async def mentioned(deps: Deps, update: Update, context: Context) -> None:
    """A group message that mentions the bot (not a command): a short hello, quoting it."""
    message = update.effective_message
    if message is None or not context.bot.username:
        return
    me = "@" + context.bot.username.lower()
    mentions = message.parse_entities([MessageEntity.MENTION]).values()
    if any(name.lower() == me for name in mentions):
        log.info("mention chat=%d", message.chat.id)
        await reply(deps, message, tr(texts.GROUP_MENTION))


async def show_help(deps: Deps, update: Update, context: Context) -> None:
    """/help [command]: what the bot does, its commands and the sites it follows."""
    message = update.effective_message
    if message is None:
        return
    args = context.args or []
    if args:
        name = args[0].lstrip("/").split("@", 1)[0].lower()
        known = name in texts.COMMAND_HELP
        text = texts.command_help(name) if known else tr(texts.HELP_UNKNOWN).format(name=echo(name))
        await reply(deps, message, text)
        return
    sites = sites_text(await deps.store.followed_sites())
    admin = message.chat.type not in GROUPS or await check_here(context.bot, message) is None
    commands = commands_for(message.chat.type, admin=admin)
    user = message.from_user
    if message.chat.type == ChatType.PRIVATE and user is not None and user.id in deps.operators:
        operator = texts.command_list(texts.OPERATOR_COMMANDS)
        commands += tr(texts.OPERATOR_HELP).format(commands=operator)
    text = tr(texts.HELP).format(commands=commands, sites=sites)
    add = add_me_row(context.bot.username) if message.chat.type == ChatType.PRIVATE else []
    await reply(deps, message, "", View(text, InlineKeyboardMarkup([add]) if add else None))


async def about(deps: Deps, update: Update, context: Context) -> None:
    """/about: what the bot does and the news sites it follows."""
    message = update.effective_message
    if message is None:
        return
    sites = sites_text(await deps.store.followed_sites())
    await reply(deps, message, tr(texts.ABOUT).format(sites=sites))


async def latest(deps: Deps, update: Update, context: Context) -> None:
    """/latest [region|all] [N]: the most recent teasers (anyone may ask)."""
    message = update.effective_message
    if message is None:
        return
    try:
        request = parse_latest_args(list(context.args or []))
    except UsageError as exc:
        await reply(deps, message, str(exc), html=False)
        return
    await reply_latest(deps, message, request)


async def reply_latest(deps: Deps, message: Message, request: LatestRequest) -> None:
    """Answer a /latest request in the message's chat (its own regions by default)."""
    region = request.region
    chat_default = False
    if region is None:
        stored = await deps.store.chat(message.chat.id)
        region = stored.region_filter if stored is not None else RegionFilter()
        chat_default = not region.is_everything
    if region.is_everything:
        articles = await deps.store.latest_articles(request.count)
    else:
        recent = await deps.store.latest_articles(request.count, scan=2000)
        articles = [a for a in recent if regions.matches(region, a.countries, a.regions)][
            : request.count
        ]
    name = regions.format_filter(region)
    notes = []
    if request.asked is not None:
        notes.append(tr(texts.LATEST_CAPPED).format(asked=request.asked, max=texts.LATEST_MAX))
    if not articles:
        if region.is_everything:
            empty = tr(texts.LATEST_EMPTY)
        elif chat_default:
            empty = tr(texts.LATEST_EMPTY_CHAT).format(region=html.escape(name))
        else:
            empty = html.escape(tr(texts.LATEST_EMPTY_REGION).format(region=name))
        await reply(deps, message, "\n".join([empty, *notes]))
        return

    def heading(count: int) -> str:
        if region.is_everything:
            return trn(texts.LATEST_HEADING, count).format(count=count)
        return trn(texts.LATEST_HEADING_REGION, count).format(count=count, region=name)

    if chat_default:
        notes.append(tr(texts.LATEST_CHAT_NOTE))
    await reply(deps, message, article_list(articles, heading=heading, notes=notes))
