"""All update handlers, bound to the store, and their registration on the application.

The handlers live in modules named for what they hold: ``commands`` (/start /stop /help
/latest), ``region_commands`` (/region /regions), ``settings``, ``channels``, ``callbacks``
(inline buttons), ``membership`` (my_chat_member, migrations); ``permissions`` decides who may
change a chat. Settings of a group or channel can be changed only by its creator and
administrators, checked against Telegram at the time of every change.
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
from bot.telegram.callbacks import Callbacks
from bot.telegram.commands import Commands, LatestRequest, UsageError, parse_latest_args
from bot.telegram.conversation import Conversation
from bot.telegram.deps import Callback, Context, Deps
from bot.telegram.format import FormatCommands
from bot.telegram.inline import InlineSearch
from bot.telegram.membership import Membership
from bot.telegram.operator import OperatorCommands
from bot.telegram.opml_upload import OpmlUpload
from bot.telegram.region_commands import RegionCommands
from bot.telegram.search import SearchCommands
from bot.telegram.settings import SettingsCommands

log = logging.getLogger("bot.handlers")

# An edited command is handled like a new one (a typo fixed in place gets its answer).
COMMAND_UPDATES = filters.UpdateType.MESSAGES | filters.UpdateType.CHANNEL_POSTS
OPERATOR_UPDATES = filters.UpdateType.MESSAGES

ALIASES = {
    "sub": "start",
    "subscribe": "start",
    "unsub": "stop",
    "unsubscribe": "stop",
    "menu": "settings",
}
"""Commands people bring from other bots, and ours they mean."""
ADDSOURCE_CAPTION = r"^/addsource(@\w+)?(\s|$)"  # the caption of an .opml file to import

__all__ = ["Handlers", "LatestRequest", "UsageError", "install", "parse_latest_args"]


def install(app: Application, deps: Deps) -> Handlers:  # type: ignore[type-arg]
    """Register every handler, bound to ``deps``, and the error handler on the application."""
    handlers = Handlers(deps)
    handlers.install(app)
    return handlers


class Handlers(
    Commands,
    RegionCommands,
    SettingsCommands,
    Callbacks,
    Membership,
    Conversation,
    OperatorCommands,
    OpmlUpload,
    SearchCommands,
    InlineSearch,
    FormatCommands,
):
    """The bot's update handlers, bound to the store."""

    def handled_commands(self) -> frozenset[str]:
        """Every command a handler of its own answers: ours and the operators'."""
        return frozenset(self.command_table()) | frozenset(self.operator_table())

    def command_table(self) -> dict[str, Callback]:
        """Command name -> handler."""
        table: dict[str, Callback] = {
            "start": self.start,
            "stop": self.stop,
            "help": self.help,
            "about": self.about,
            "latest": self.latest,
            "search": self.search,
            "format": self.format,
            "region": self.region,
            "regions": self.regions_list,
            "settings": self.settings,
            "channels": self.channels,
            "language": self.language,
        }
        # What people bring from other bots.
        table.update({alias: table[name] for alias, name in ALIASES.items()})
        return table

    def install(self, app: Application) -> None:  # type: ignore[type-arg]
        """Register every handler and the error handler on the application."""
        # First of all: the language this update is answered in.
        app.add_handler(TypeHandler(Update, self.set_language), group=-100)
        # Group -1, before the chat handlers: the operator commands, behind their guard.
        for name, callback in self.operator_table().items():
            guarded = self.operators_only(name, callback)
            app.add_handler(CommandHandler(name, guarded, filters=OPERATOR_UPDATES), group=-1)
        opml = filters.Document.FileExtension("opml") & filters.CaptionRegex(ADDSOURCE_CAPTION)
        upload = self.operators_only("addsource", self.addsource_file)
        app.add_handler(MessageHandler(opml & filters.UpdateType.MESSAGE, upload), group=-1)
        for name, callback in self.command_table().items():
            app.add_handler(CommandHandler(name, callback, filters=COMMAND_UPDATES))
        app.add_handler(CallbackQueryHandler(self.on_search_more, pattern=f"^{MORE_PREFIX}"))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(InlineQueryHandler(self.on_inline_query))
        app.add_handler(ChatMemberHandler(self.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
        app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, self.migrated))
        # Group 1: runs after any command handler; answers only what none of them did.
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
        app.add_handler(MessageHandler(private, self.private_fallback), group=1)
        mention = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE & filters.Entity("mention")
        app.add_handler(MessageHandler(mention & ~filters.COMMAND, self.mentioned), group=1)
        app.add_error_handler(self.on_error)

    async def on_error(self, update: object, context: Context) -> None:
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
