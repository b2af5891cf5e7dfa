"""The shared base of the handler groups still being moved to feature modules (transitional)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from telegram import Bot, ChatFullInfo, Message, Update
from telegram import Chat as TgChat
from telegram.error import Forbidden
from telegram.ext import ApplicationHandlerStop

from bot.core import texts
from bot.core.i18n import tr
from bot.core.models import Chat
from bot.store import StoreVerbs
from bot.telegram import replies, targets
from bot.telegram.deps import Callback, Context, Deps
from bot.telegram.permissions import Refusal
from bot.telegram.replies import REFUSED, answer_or_explain, refusal_kind
from bot.telegram.targets import NameCheck
from bot.telegram.views import View

log = logging.getLogger("bot.handlers")


class HandlerBase:
    """The dependencies the handler groups share, and the helpers they call on ``self``."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.store: StoreVerbs = deps.store
        self.clock: Callable[[], float] = deps.clock
        self.operators = frozenset(deps.operators)

    def operators_only(self, name: str, callback: Callback) -> Callback:
        """The guard in front of every operator command: the user ids in ADMIN_USER_IDS run it,
        anyone else is refused with one log line. The answer goes to the operator's private chat;
        the update ends here (:class:`ApplicationHandlerStop`)."""

        async def guarded(update: Update, context: Context) -> None:
            message = update.effective_message
            if message is None:
                return
            user = update.effective_user
            if user is None or user.id not in self.operators:
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

    async def remember(self, chat: TgChat | ChatFullInfo) -> Chat:
        """See :func:`bot.telegram.targets.remember`."""
        return await targets.remember(self.deps, chat)

    async def resolve_target(self, bot: Bot, word: str) -> int | None:
        """See :func:`bot.telegram.targets.resolve_target`."""
        return await targets.resolve_target(bot, word)

    async def authorised_target(
        self, bot: Bot, user_id: int, chat_id: int
    ) -> tuple[Chat | None, Refusal | None]:
        """See :func:`bot.telegram.targets.authorised_target`."""
        return await targets.authorised_target(self.deps, bot, user_id, chat_id)

    async def reply(
        self, message: Message, text: str, view: View | None = None, *, html: bool = True
    ) -> Message | None:
        """See :func:`bot.telegram.replies.reply`."""
        return await replies.reply(self.deps, message, text, view, html=html)

    @staticmethod
    async def show(message: Message, view: View) -> None:
        """See :func:`bot.telegram.replies.show`."""
        await replies.show(message, view)

    async def command_target(
        self,
        update: Update,
        context: Context,
        *,
        members_see: bool = False,
        bare: NameCheck | None = None,
    ) -> tuple[Chat, Message, list[str]] | None:
        """See :func:`bot.telegram.targets.command_target`."""
        return await targets.command_target(
            self.deps, update, context, members_see=members_see, bare=bare
        )

    async def channel_may_post(self, bot: Bot, message: Message) -> bool:
        """See :func:`bot.telegram.targets.channel_may_post`."""
        return await targets.channel_may_post(self.deps, bot, message)


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
