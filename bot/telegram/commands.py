"""/start, /stop, /help, /about and /latest, and the hello to a mention in a group."""

from __future__ import annotations

import html
import logging
from urllib.parse import urlsplit

from telegram import InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.core import texts
from bot.core.chat_filters import ChatFilter
from bot.core.chat_settings import chat_filter
from bot.core.i18n import tr, trn
from bot.core.latest import (
    LatestError,
    LatestRequest,
    beyond_regions,
    describe,
    parse_latest,
)
from bot.core.models import ChatKind
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
    changed = await deps.store.chats.set_subscribed(
        chat.id, True, now=deps.clock(), thread_id=thread_id
    )
    log.info(
        "command=start chat=%d kind=%s new=%s thread=%s", chat.id, chat.kind, changed, thread_id
    )
    names = filter_text(chat)
    filtered = not chat.region_filter.is_everything
    if not here:
        fresh = await deps.store.chats.chat(chat.id)
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
            runs = len(await deps.store.chats.pending_setups(chat.id))
            runs += len(await deps.store.chats.waiting_channels(chat.id))
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
    for chat in await deps.store.chats.pending_setups(user.id):
        if await check_remote(context.bot, user.id, chat.id) is None:
            waiting.append(chat)
        await deps.store.chats.set_setup_pending(chat.id, False, deps.clock())
    for chat in await deps.store.chats.waiting_channels(user.id):
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
    await deps.store.chats.set_subscribed(chat.id, False, now=deps.clock())
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
    sites = sites_text(await deps.store.sources.followed_sites())
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
    sites = sites_text(await deps.store.sources.followed_sites())
    await reply(deps, message, tr(texts.ABOUT).format(sites=sites))


async def latest(deps: Deps, update: Update, context: Context) -> None:
    """/latest [region] [topic] [N]: the most recent teasers (anyone may ask)."""
    message = update.effective_message
    if message is None:
        return
    try:
        request = parse_latest(list(context.args or []))
    except LatestError as exc:
        await reply(deps, message, exc.message, html=False)
        return
    await reply_latest(deps, message, request)


async def _latest_filter(deps: Deps, message: Message, request: LatestRequest) -> ChatFilter:
    """What the request asks for: what it names, else the chat's own filter."""
    if request.named is not None:
        return request.named
    stored = await deps.store.chats.chat(message.chat.id)
    return chat_filter(stored) if stored is not None else ChatFilter()


async def _site_names(deps: Deps, f: ChatFilter) -> dict[int, str]:
    """The names of the sources a filter chose (none read when it chose none)."""
    if f.sites.ids is None:
        return {}
    sources = await deps.store.sources.sources()
    return {source.id: source.feed_title or source.name for source in sources}


async def reply_latest(deps: Deps, message: Message, request: LatestRequest) -> None:
    """Answer a /latest request in the message's chat (the chat's own filter by default)."""
    f = await _latest_filter(deps, message, request)
    chat_default = request.named is None and not f.is_everything
    articles = await deps.store.articles.latest_passing(f, request.count)
    name = describe(f, await _site_names(deps, f))
    notes = []
    if request.asked is not None:
        notes.append(tr(texts.LATEST_CAPPED).format(asked=request.asked, max=texts.LATEST_MAX))
    if not articles:
        await reply(
            deps, message, "\n".join([_nothing(f, name, chat_default=chat_default), *notes])
        )
        return

    def heading(count: int) -> str:
        if f.is_everything:
            return trn(texts.LATEST_HEADING, count).format(count=count)
        return trn(texts.LATEST_HEADING_REGION, count).format(count=count, region=name)

    if chat_default:
        notes.append(
            tr(texts.LATEST_CHAT_FILTERS_NOTE if beyond_regions(f) else texts.LATEST_CHAT_NOTE)
        )
    await reply(deps, message, article_list(articles, heading=heading, notes=notes))


def _nothing(f: ChatFilter, name: str, *, chat_default: bool) -> str:
    """The answer when no stored article passes (HTML)."""
    if f.is_everything:
        return tr(texts.LATEST_EMPTY)
    if chat_default and beyond_regions(f):
        return tr(texts.LATEST_EMPTY_CHAT_FILTERS).format(what=html.escape(name))
    if chat_default:
        return tr(texts.LATEST_EMPTY_CHAT).format(region=html.escape(name))
    return html.escape(tr(texts.LATEST_EMPTY_REGION).format(region=name))
