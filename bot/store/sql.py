"""One way to run SQL on either backend: each storage verb's statement is written once.

Statements use ``?`` marks for their parameters; the PostgreSQL side numbers them (``$1``, ``$2``,
…) once per statement text (:func:`numbered`). What truly differs between SQLite and PostgreSQL
in the text of a statement is a :class:`Dialect` fragment (a list parameter, ``LEAST`` against
``min``, row locks), so a verb reads the same on both. What differs in more than a fragment
(leases, full-text search, NOTIFY, bulk copies) sits in one small module per backend.

Rows are read by column name or by index (``sqlite3.Row`` and ``asyncpg.Record`` both allow
it); :mod:`bot.store.rows` turns them into records. Inside :meth:`Database.transaction`, run
every statement on the :class:`Session` it yields, never on the database itself (on PostgreSQL
that would wait for the transaction's own turn).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from bot.store.reachability import Reachability

Row = Any
"""A row: ``sqlite3.Row`` or ``asyncpg.Record``, read by column name or index."""


class Session(Protocol):
    """Statements run one after another: on their own, or inside one transaction."""

    async def one(self, sql: str, *params: Any) -> Row | None:
        """The first row, or None."""
        ...

    async def all(self, sql: str, *params: Any) -> list[Row]:
        """Every row."""
        ...

    async def value(self, sql: str, *params: Any) -> Any:
        """The first column of the first row, or None."""
        ...

    async def execute(self, sql: str, *params: Any) -> int:
        """Run one statement; the number of rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement once per parameter row."""
        ...


class Database(Session, Protocol):
    """A backend's connection: statements on their own (each atomic) or in a transaction."""

    dialect: Dialect
    reachability: Reachability

    def transaction(self) -> AbstractAsyncContextManager[Session]:
        """A block run as one write transaction: committed at its end, rolled back on error."""
        ...


@dataclass(frozen=True, slots=True)
class Dialect:
    """The pieces of statement text that differ between the backends.

    ``least``/``greatest``: the scalar minimum and maximum of two values. ``for_update``: the
    row lock a read-then-write transaction takes (empty on SQLite, whose write transactions
    already exclude each other). ``skip_locked``: the same lock on the rows a claim takes, passing
    over the rows another transaction holds (so claims made at once never overlap; empty on
    SQLite, where there is no other).
    """

    name: str
    least: str
    greatest: str
    for_update: str
    skip_locked: str

    def any_of(self, column: str) -> str:
        """``column`` is one of a list passed as one parameter (:meth:`array`)."""
        if self.name == "sqlite":
            return f"{column} IN (SELECT value FROM json_each(?))"  # noqa: S608
        return f"{column} = ANY(?)"

    def each(self, alias: str, sql_type: str) -> str:
        """A list passed as one parameter (:meth:`array`) as a table ``alias`` with the column
        ``value`` of ``sql_type`` (``bigint``, ``text``, ``double precision``)."""
        if self.name == "sqlite":
            return f"json_each(?) AS {alias}"
        return f"unnest(?::{sql_type}[]) AS {alias} (value)"

    def whole(self, expr: str) -> str:
        """The whole part of a non-negative number as an integer (SQLite's CAST truncates;
        PostgreSQL's rounds)."""
        if self.name == "sqlite":
            return f"CAST({expr} AS INTEGER)"
        return f"floor({expr})::int"

    def array(self, values: Iterable[Any]) -> Any:
        """The one parameter that :meth:`any_of` and :meth:`each` read a list from."""
        if self.name == "sqlite":
            return json.dumps(list(values))
        return list(values)

    def text(self, value: str) -> str:
        """Text from a feed as the backend stores it: PostgreSQL's text cannot hold NUL, so it
        is dropped there (SQLite keeps the text as it came)."""
        if self.name == "sqlite":
            return value
        return value.replace("\x00", "")


SQLITE = Dialect(name="sqlite", least="min", greatest="max", for_update="", skip_locked="")
POSTGRES = Dialect(
    name="postgres",
    least="LEAST",
    greatest="GREATEST",
    for_update=" FOR UPDATE",
    skip_locked=" FOR UPDATE SKIP LOCKED",
)


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """A statement's ``?`` marks as PostgreSQL's ``$1``, ``$2``, … (outside quoted text)."""
    out: list[str] = []
    count = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            count += 1
            out.append(f"${count}")
            continue
        out.append(char)
    return "".join(out)


class Verbs:
    """The base of one group of storage verbs (a table's), written once for both backends.

    A backend's store builds each group on its :class:`Database` (``store.chats``,
    ``store.outbox``, …); the verbs use nothing else.
    """

    def __init__(self, sql: Database) -> None:
        self._sql = sql

    @property
    def _dialect(self) -> Dialect:
        return self._sql.dialect
