"""Chats and their subscription settings (both backends: see :mod:`bot.store.sql`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple

from bot.core.chat_settings import ChatSettings, SettingsText, settings_to_text
from bot.core.errors import StoreError
from bot.core.models import Chat, ChatKind, RegionFilter
from bot.core.regions.filters import filter_to_text
from bot.store.outbox import retime
from bot.store.rows import CANNOT_POST, CHAT_COLUMNS, chat_row
from bot.store.sql import Session, Verbs

_BY_TITLE = "ORDER BY lower(coalesce(c.title, '')), c.id"
_SETTINGS = ", ".join(f"{name} = ?" for name in SettingsText.__dataclass_fields__)
_MOVED = (
    "subscribed, region_filter, link_previews, thread_id, topic_filter, keywords, sites, "
    "schedule, quiet, post_format, time_zone"
)  # what a group's settings are when it moves into a supergroup the bot already knew


async def _write_settings(
    db: Session, chat_id: int, before: ChatSettings, settings: ChatSettings, now: float
) -> None:
    """Store a chat's new settings; a new schedule or new quiet hours retime its queued rows."""
    await db.execute(
        f"UPDATE chats SET {_SETTINGS}, updated_at = ? WHERE id = ?",  # noqa: S608
        *astuple(settings_to_text(settings)),
        float(now),
        chat_id,
    )
    if (before.schedule, before.quiet) != (settings.schedule, settings.quiet):
        await retime(db, chat_id, settings, now)


class ChatsStore(Verbs):
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
        async with self._sql.transaction() as db:
            await db.execute(
                "INSERT INTO chats (id, kind, title, username, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "kind = excluded.kind, title = excluded.title, username = excluded.username, "
                "updated_at = excluded.updated_at",
                chat_id,
                kind.value,
                title,
                username,
                float(now),
                float(now),
            )
            row = await db.one(
                f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.id = ?",  # noqa: S608
                chat_id,
            )
        return chat_row(row)

    async def chat(self, chat_id: int) -> Chat | None:
        """One chat by id."""
        row = await self._sql.one(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.id = ?",  # noqa: S608
            chat_id,
        )
        return chat_row(row) if row else None

    async def set_subscribed(
        self, chat_id: int, subscribed: bool, *, now: float, thread_id: int | None = None
    ) -> bool:
        """Subscribe or unsubscribe; returns whether the state changed.

        Unsubscribing cancels what was still queued for the chat.
        """
        async with self._sql.transaction() as db:
            before = await db.value(
                f"SELECT subscribed FROM chats WHERE id = ?{self._dialect.for_update}",  # noqa: S608
                chat_id,
            )
            if before is None:
                raise StoreError(f"unknown chat {chat_id}")
            await db.execute(
                "UPDATE chats SET subscribed = ?, thread_id = ?, deactivated_reason = NULL, "
                "updated_at = ? WHERE id = ?",
                subscribed,
                thread_id,
                float(now),
                chat_id,
            )
            if not subscribed:
                await db.execute(
                    "UPDATE outbox SET state = 'cancelled', last_error = 'unsubscribed' "
                    "WHERE chat_id = ? AND state = 'queued'",
                    chat_id,
                )
        return bool(before) != subscribed

    async def _set(self, chat_id: int, column: str, value: object, now: float) -> None:
        """Set one of the chat's settings (``column`` is one of this module's names)."""
        await self._sql.execute(
            f"UPDATE chats SET {column} = ?, updated_at = ? WHERE id = ?",  # noqa: S608
            value,
            float(now),
            chat_id,
        )

    async def set_region_filter(
        self, chat_id: int, region_filter: RegionFilter, now: float
    ) -> None:
        """Store a chat's region filter."""
        await self._set(chat_id, "region_filter", filter_to_text(region_filter), now)

    async def change_settings(
        self, chat_id: int, change: Callable[[ChatSettings], ChatSettings], now: float
    ) -> ChatSettings:
        """Change a chat's :class:`ChatSettings` to ``change(stored)``; read and written in one
        transaction, so two commands at once both count. A new schedule or new quiet hours
        retime the chat's queued rows in the same transaction (see ``retime_queued``)."""
        async with self._sql.transaction() as db:
            row = await db.one(
                f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.id = ?{self._dialect.for_update}",  # noqa: S608
                chat_id,
            )
            if row is None:
                raise StoreError(f"unknown chat {chat_id}")
            before = chat_row(row).settings
            settings = change(before)
            await _write_settings(db, chat_id, before, settings, now)
        return settings

    async def set_share_button(self, chat_id: int, on: bool, now: float) -> None:
        """Show or hide the share button under the chat's teasers (/format share on|off)."""
        await self._set(chat_id, "share_button", on, now)

    async def set_silent(self, chat_id: int, silent: bool, now: float) -> None:
        """Send this chat's teasers without a notification sound, or with one."""
        await self._set(chat_id, "silent", silent, now)

    async def set_language(self, chat_id: int, language: str | None, now: float) -> None:
        """Remember the language the chat chose (None: back to the default)."""
        await self._set(chat_id, "language", language, now)

    async def language(self, chat_id: int) -> str | None:
        """The language a chat chose, if it did."""
        value = await self._sql.value("SELECT language FROM chats WHERE id = ?", chat_id)
        return str(value) if value else None

    async def set_setup_pending(self, chat_id: int, pending: bool, now: float) -> None:
        """Note whether the person who added the bot to a chat is still to hear how to set it up."""
        await self._set(chat_id, "setup_pending", pending, now)

    async def pending_setups(self, user_id: int) -> list[Chat]:
        """Chats this person added the bot to that still wait for the person to hear of them."""
        rows = await self._sql.all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.added_by = ? "  # noqa: S608
            f"AND c.setup_pending AND c.bot_can_post {_BY_TITLE}",
            user_id,
        )
        return [chat_row(r) for r in rows]

    async def set_link_previews(self, chat_id: int, enabled: bool, now: float) -> None:
        """Turn link previews on or off for a chat."""
        await self._set(chat_id, "link_previews", enabled, now)

    async def deactivate_chat(self, chat_id: int, reason: str, now: float) -> int:
        """Unsubscribe a chat Telegram will not deliver to and cancel its queue; rows cancelled."""
        async with self._sql.transaction() as db:
            await db.execute(
                "UPDATE chats SET subscribed = false, deactivated_reason = ?, updated_at = ? "
                "WHERE id = ?",
                reason,
                float(now),
                chat_id,
            )
            return await db.execute(
                "UPDATE outbox SET state = 'cancelled', last_error = ? "
                "WHERE chat_id = ? AND state = 'queued'",
                reason,
                chat_id,
            )

    async def migrate_chat(self, old_id: int, new_id: int, now: float) -> bool:
        """Move a group's id, settings and queue to its new supergroup id; False if unknown."""
        async with self._sql.transaction() as db:
            found = await db.all(
                f"SELECT id FROM chats WHERE {self._dialect.any_of('id')} "  # noqa: S608
                f"ORDER BY id{self._dialect.for_update}",
                self._dialect.array([old_id, new_id]),
            )
            ids = {int(r[0]) for r in found}
            if old_id not in ids:
                return False
            if new_id not in ids:
                await db.execute(
                    "UPDATE chats SET id = ?, kind = 'supergroup', updated_at = ? WHERE id = ?",
                    new_id,
                    float(now),
                    old_id,
                )
                return True
            await db.execute(
                f"UPDATE chats SET ({_MOVED}) = (SELECT {_MOVED} FROM chats "  # noqa: S608
                "WHERE id = ?), kind = 'supergroup', updated_at = ? WHERE id = ?",
                old_id,
                float(now),
                new_id,
            )
            await db.execute(
                "UPDATE outbox SET chat_id = ? WHERE chat_id = ? AND NOT EXISTS ("
                "SELECT 1 FROM outbox x WHERE x.chat_id = ? AND x.article_id = outbox.article_id)",
                new_id,
                old_id,
                new_id,
            )
            await db.execute("DELETE FROM outbox WHERE chat_id = ?", old_id)
            await db.execute("DELETE FROM chats WHERE id = ?", old_id)
        return True

    async def chats(self, chat_ids: Sequence[int]) -> list[Chat]:
        """The known chats among these ids, in order (tests and benches; the bot never asks)."""
        wanted = list(dict.fromkeys(chat_ids))
        rows = await self._sql.all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE {self._dialect.any_of('c.id')}",  # noqa: S608
            self._dialect.array(wanted),
        )
        found = {chat.id: chat for chat in map(chat_row, rows)}
        return [found[i] for i in wanted if i in found]

    async def channels(self) -> list[Chat]:
        """Channels where the bot is present and may post, by title."""
        rows = await self._sql.all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.kind = 'channel' "  # noqa: S608
            f"AND c.bot_can_post {_BY_TITLE}"
        )
        return [chat_row(r) for r in rows]

    async def waiting_channels(self, user_id: int) -> list[Chat]:
        """Channels this person added the bot to as an administrator without the right to post
        (they wait for that right), by title."""
        rows = await self._sql.all(
            f"SELECT {CHAT_COLUMNS} FROM chats c WHERE c.kind = 'channel' "  # noqa: S608
            f"AND NOT c.bot_can_post AND c.added_by = ? AND c.deactivated_reason = ? {_BY_TITLE}",
            user_id,
            CANNOT_POST,
        )
        return [chat_row(r) for r in rows]

    async def set_bot_rights(
        self, chat_id: int, *, can_post: bool, added_by: int | None, now: float
    ) -> None:
        """Record whether the bot may post in a chat and who last added it (None keeps it)."""
        await self._sql.execute(
            "UPDATE chats SET bot_can_post = ?, added_by = coalesce(?, added_by), "
            "updated_at = ? WHERE id = ?",
            can_post,
            added_by,
            float(now),
            chat_id,
        )

    async def added_by(self, chat_id: int) -> int | None:
        """The user who added the bot to a chat, when known."""
        value = await self._sql.value("SELECT added_by FROM chats WHERE id = ?", chat_id)
        return int(value) if value is not None else None

    async def mark_greeted(self, chat_id: int, now: float) -> bool:
        """Note that the bot said hello in a chat; False when it already had."""
        changed = await self._sql.execute(
            "UPDATE chats SET greeted = true, updated_at = ? WHERE id = ? AND NOT greeted",
            float(now),
            chat_id,
        )
        return changed == 1
