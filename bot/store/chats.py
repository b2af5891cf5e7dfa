"""Chats and their subscription settings."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.errors import StoreError
from bot.core.models import Chat, ChatKind, RegionFilter
from bot.core.regions.filters import filter_to_text
from bot.store.base import StoreBase
from bot.store.rows import CANNOT_POST, CHAT_COLUMNS, chat_row


class ChatsStore(StoreBase):
    """Chats and their subscription settings."""

    async def upsert_chat(
        self,
        chat_id: int,
        kind: ChatKind,
        *,
        now: float,
        title: str | None = None,
        username: str | None = None,
    ) -> Chat:
        """Create the chat or refresh its title and username."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, kind, title, username, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                "title = excluded.title, username = excluded.username, "
                "updated_at = excluded.updated_at",
                (chat_id, kind.value, title, username, now, now),
            )
        chat = await self.chat(chat_id)
        assert chat is not None
        return chat

    async def chat(self, chat_id: int) -> Chat | None:
        """One chat by id."""
        row = await self._one(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.id = ?",  # noqa: S608
            (chat_id,),
        )
        return chat_row(row) if row else None

    async def set_subscribed(
        self, chat_id: int, subscribed: bool, *, now: float, thread_id: int | None = None
    ) -> bool:
        """Subscribe or unsubscribe; returns whether the state changed.

        Unsubscribing cancels what was still queued for the chat.
        """
        async with self.transaction() as db:
            row = await self._one("SELECT subscribed FROM chats WHERE id = ?", (chat_id,))
            if row is None:
                raise StoreError(f"unknown chat {chat_id}")
            changed = bool(row[0]) != subscribed
            await db.execute(
                "UPDATE chats SET subscribed = ?, thread_id = ?, deactivated_reason = NULL, "
                "updated_at = ? WHERE id = ?",
                (subscribed, thread_id, now, chat_id),
            )
            if not subscribed:
                await db.execute(
                    "UPDATE outbox SET state = 'cancelled', last_error = 'unsubscribed' "
                    "WHERE chat_id = ? AND state = 'queued'",
                    (chat_id,),
                )
        return changed

    async def set_region_filter(
        self, chat_id: int, region_filter: RegionFilter, now: float
    ) -> None:
        """Store a chat's region filter."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET region_filter = ?, updated_at = ? WHERE id = ?",
                (filter_to_text(region_filter), now, chat_id),
            )

    async def set_share_button(self, chat_id: int, on: bool, now: float) -> None:
        """Show or hide the share button under the chat's teasers (/format share on|off)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET share_button = ?, updated_at = ? WHERE id = ?", (on, now, chat_id)
            )

    async def set_silent(self, chat_id: int, silent: bool, now: float) -> None:
        """Send this chat's teasers without a notification sound, or with one."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET silent = ?, updated_at = ? WHERE id = ?",
                (silent, now, chat_id),
            )

    async def set_language(self, chat_id: int, language: str | None, now: float) -> None:
        """Remember the language the chat chose (None: back to the default)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET language = ?, updated_at = ? WHERE id = ?",
                (language, now, chat_id),
            )

    async def language(self, chat_id: int) -> str | None:
        """The language a chat chose, if it did."""
        row = await self._one("SELECT language FROM chats WHERE id = ?", (chat_id,))
        return str(row[0]) if row and row[0] else None

    async def set_setup_pending(self, chat_id: int, pending: bool, now: float) -> None:
        """Note whether the person who added the bot to a chat is still to hear how to set it up."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET setup_pending = ?, updated_at = ? WHERE id = ?",
                (pending, now, chat_id),
            )

    async def pending_setups(self, user_id: int) -> list[Chat]:
        """Chats this person added the bot to that still wait for the person to hear of them."""
        rows = await self._all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.added_by = ? "  # noqa: S608
            "AND c.setup_pending = 1 AND c.bot_can_post = 1 "
            "ORDER BY lower(coalesce(c.title, '')), c.id",
            (user_id,),
        )
        return [chat_row(r) for r in rows]

    async def set_link_previews(self, chat_id: int, enabled: bool, now: float) -> None:
        """Turn link previews on or off for a chat."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET link_previews = ?, updated_at = ? WHERE id = ?",
                (enabled, now, chat_id),
            )

    async def deactivate_chat(self, chat_id: int, reason: str, now: float) -> int:
        """Unsubscribe a chat Telegram will not deliver to and cancel its queue; rows cancelled."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET subscribed = 0, deactivated_reason = ?, updated_at = ? "
                "WHERE id = ?",
                (reason, now, chat_id),
            )
            cur = await db.execute(
                "UPDATE outbox SET state = 'cancelled', last_error = ? "
                "WHERE chat_id = ? AND state = 'queued'",
                (reason, chat_id),
            )
            return cur.rowcount

    async def migrate_chat(self, old_id: int, new_id: int, now: float) -> bool:
        """Move a group's id, settings and queue to its new supergroup id; False if unknown."""
        async with self.transaction() as db:
            if await self._one("SELECT 1 FROM chats WHERE id = ?", (old_id,)) is None:
                return False
            exists = await self._one("SELECT 1 FROM chats WHERE id = ?", (new_id,))
            if exists:
                await db.execute(
                    "UPDATE chats SET (subscribed, region_filter, link_previews, thread_id) = "
                    "(SELECT subscribed, region_filter, link_previews, thread_id FROM chats "
                    "WHERE id = ?), kind = 'supergroup', updated_at = ? WHERE id = ?",
                    (old_id, now, new_id),
                )
                await db.execute(
                    "UPDATE OR IGNORE outbox SET chat_id = ? WHERE chat_id = ?", (new_id, old_id)
                )
                await db.execute("DELETE FROM outbox WHERE chat_id = ?", (old_id,))
                await db.execute("DELETE FROM chats WHERE id = ?", (old_id,))
            else:
                await db.execute(
                    "UPDATE chats SET id = ?, kind = 'supergroup', updated_at = ? WHERE id = ?",
                    (new_id, now, old_id),
                )
        return True

    async def chats(self, chat_ids: Sequence[int]) -> list[Chat]:
        """The known chats among these ids, in the order given."""
        found: dict[int, Chat] = {}
        for chat_id in dict.fromkeys(chat_ids):
            chat = await self.chat(chat_id)
            if chat is not None:
                found[chat_id] = chat
        return [found[i] for i in dict.fromkeys(chat_ids) if i in found]

    async def channels(self) -> list[Chat]:
        """Channels where the bot is present and may post, by title."""
        rows = await self._all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.kind = 'channel' "  # noqa: S608
            "AND c.bot_can_post = 1 ORDER BY lower(coalesce(c.title, '')), c.id"
        )
        return [chat_row(r) for r in rows]

    async def waiting_channels(self, user_id: int) -> list[Chat]:
        """Channels this person added the bot to as an administrator without the right to post
        (they wait for that right), by title."""
        rows = await self._all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.kind = 'channel' "  # noqa: S608
            "AND c.bot_can_post = 0 AND c.added_by = ? AND c.deactivated_reason = ? "
            "ORDER BY lower(coalesce(c.title, '')), c.id",
            (user_id, CANNOT_POST),
        )
        return [chat_row(r) for r in rows]

    async def set_bot_rights(
        self, chat_id: int, *, can_post: bool, added_by: int | None, now: float
    ) -> None:
        """Record whether the bot may post in a chat and who last added it (None keeps it)."""
        async with self.transaction() as db:
            await db.execute(
                "UPDATE chats SET bot_can_post = ?, added_by = coalesce(?, added_by), "
                "updated_at = ? WHERE id = ?",
                (can_post, added_by, now, chat_id),
            )

    async def added_by(self, chat_id: int) -> int | None:
        """The user who added the bot to a chat, when known."""
        row = await self._one("SELECT added_by FROM chats WHERE id = ?", (chat_id,))
        return int(row[0]) if row and row[0] is not None else None

    async def mark_greeted(self, chat_id: int, now: float) -> bool:
        """Note that the bot said hello in a chat; False when it already had."""
        async with self.transaction() as db:
            cur = await db.execute(
                "UPDATE chats SET greeted = 1, updated_at = ? WHERE id = ? AND greeted = 0",
                (now, chat_id),
            )
            return cur.rowcount == 1
