"""The one place every handler is registered: feature modules of handler functions, each bound
to the dependencies record (:class:`bot.telegram.deps.Deps`) here.

The feature modules are named for what they hold: ``commands`` (/start /stop /help /about
/latest), ``region_commands`` (/region /regions), ``filter_commands`` (/topic /keywords /sites;
their buttons in ``filter_buttons``), ``settings``, ``channels``, ``language``,
``callbacks`` (inline buttons), ``membership`` (my_chat_member, migrations), ``conversation``
(private messages no command took), ``operator`` (the operators' commands, behind their guard),
``opml_upload``, ``search`` (/search), ``inline`` (inline mode), ``format`` (/format) and
``timing`` (/schedule, /quiet).
``targets`` and ``permissions`` decide who may change a chat: settings of a group or channel
can be changed only by its creator and administrators, checked against Telegram at the time of
every change; ``replies`` answers.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.core import texts
from bot.core.errors import DatabaseUnreachableError
from bot.core.i18n import tr
from bot.core.search import MORE_PREFIX
from bot.telegram import (
    callbacks,
    channels,
    commands,
    conversation,
    filter_commands,
    format,
    inline,
    language,
    membership,
    operator,
    opml_upload,
    region_commands,
    search,
    settings,
    timing,
)
from bot.telegram.deps import Context, Deps, Handler, bind

log = logging.getLogger("bot.handlers")

# An edited command is handled like a new one (a typo fixed in place gets its answer).
COMMAND_UPDATES = filters.UpdateType.MESSAGES | filters.UpdateType.CHANNEL_POSTS
OPERATOR_UPDATES = filters.UpdateType.MESSAGES

COMMANDS: dict[str, Handler] = {
    "start": commands.start,
    "stop": commands.stop,
    "help": commands.show_help,
    "about": commands.about,
    "latest": commands.latest,
    "search": search.search,
    "format": format.format_command,
    "schedule": timing.schedule,
    "quiet": timing.quiet,
    "region": region_commands.region,
    "regions": region_commands.regions_list,
    "topic": filter_commands.topic,
    "keywords": filter_commands.keywords_command,
    "sites": filter_commands.sites_command,
    "settings": settings.settings,
    "channels": channels.channels,
    "language": language.language,
}
"""Command name -> handler."""
ALIASES = {
    "sub": "start",
    "subscribe": "start",
    "unsub": "stop",
    "unsubscribe": "stop",
    "menu": "settings",
    "topics": "topic",
    "keyword": "keywords",
    "site": "sites",
}
"""Commands people bring from other bots, and ours they mean."""
ADDSOURCE_CAPTION = r"^/addsource(@\w+)?(\s|$)"  # the caption of an .opml file to import


def command_table() -> dict[str, Handler]:
    """Command name -> handler, with the aliases people bring from other bots."""
    return COMMANDS | {alias: COMMANDS[name] for alias, name in ALIASES.items()}


def handled_commands() -> frozenset[str]:
    """Every command a handler of its own answers: ours and the operators'."""
    return frozenset(command_table()) | frozenset(operator.OPERATOR_TABLE)


def install(app: Application, deps: Deps) -> None:  # type: ignore[type-arg]
    """Register every handler, bound to ``deps``, and the error handler on the application."""
    # First of all: the language this update is answered in.
    app.add_handler(TypeHandler(Update, bind(deps, language.set_language)), group=-100)
    # Group -1, before the chat handlers: the operator commands, behind their guard.
    for name, handler in operator.OPERATOR_TABLE.items():
        guarded = operator.operators_only(deps, name, bind(deps, handler))
        app.add_handler(CommandHandler(name, guarded, filters=OPERATOR_UPDATES), group=-1)
    opml = filters.Document.FileExtension("opml") & filters.CaptionRegex(ADDSOURCE_CAPTION)
    upload = operator.operators_only(deps, "addsource", bind(deps, opml_upload.addsource_file))
    app.add_handler(MessageHandler(opml & filters.UpdateType.MESSAGE, upload), group=-1)
    for name, handler in command_table().items():
        app.add_handler(CommandHandler(name, bind(deps, handler), filters=COMMAND_UPDATES))
    more = bind(deps, search.on_search_more)
    app.add_handler(CallbackQueryHandler(more, pattern=f"^{MORE_PREFIX}"))
    app.add_handler(CallbackQueryHandler(bind(deps, callbacks.on_button)))
    app.add_handler(InlineQueryHandler(bind(deps, inline.on_inline_query)))
    member = bind(deps, membership.my_chat_member)
    app.add_handler(ChatMemberHandler(member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, bind(deps, membership.migrated)))
    # Group 1: runs after any command handler; answers only what none of them did.
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
    fallback = bind(deps, conversation.private_fallback(handled_commands()))
    app.add_handler(MessageHandler(private, fallback), group=1)
    mention = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.Entity("mention")
    app.add_handler(
        MessageHandler(mention & ~filters.COMMAND, bind(deps, commands.mentioned)), group=1
    )
    app.add_error_handler(on_error)


async def on_error(update: object, context: Context) -> None:
    """Log unexpected errors once, with the update's chat, and apologise to the user.

    Telegram unreachable or failing (network error, 5xx) is foreseeable: one line, and no
    apology (it could not be delivered either).
    """
    error = context.error
    if isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        chat = update.effective_chat if isinstance(update, Update) else None
        log.warning("reply failed chat=%s reason=%r", chat.id if chat else None, error.message)
        return
    if isinstance(error, DatabaseUnreachableError):  # foreseeable: one line, an apology
        chat = update.effective_chat if isinstance(update, Update) else None
        log.warning("update not handled chat=%s: %s", chat.id if chat else None, error)
    else:
        log.error("unhandled error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(tr(texts.ERROR), parse_mode=None)
        except TelegramError:
            log.warning("could not tell the user about the error")
