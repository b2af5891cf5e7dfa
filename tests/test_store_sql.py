"""The statement text shared by both backends: ``?`` marks and dialect fragments."""

from __future__ import annotations

from bot.store.sql import POSTGRES, SQLITE, numbered


def test_marks_are_numbered_in_order_for_postgresql() -> None:
    """Each ``?`` becomes ``$1``, ``$2``, … in the order it appears."""
    assert numbered("UPDATE t SET a = ?, b = ? WHERE id = ?") == (
        "UPDATE t SET a = $1, b = $2 WHERE id = $3"
    )


def test_a_mark_inside_quoted_text_stays_as_it_is() -> None:
    """A ``?`` in a string literal or a quoted name is text, not a parameter."""
    assert numbered("SELECT '?', \"a?\" FROM t WHERE x = ?") == (
        "SELECT '?', \"a?\" FROM t WHERE x = $1"
    )


def test_a_list_parameter_reads_the_same_on_both_backends() -> None:
    """``any_of`` and ``array`` make one parameter of a list: JSON for SQLite, an array for
    PostgreSQL."""
    assert SQLITE.any_of("c.id") == "c.id IN (SELECT value FROM json_each(?))"
    assert SQLITE.array([1, 2]) == "[1, 2]"
    assert POSTGRES.any_of("c.id") == "c.id = ANY(?)"
    assert POSTGRES.array((1, 2)) == [1, 2]
    assert POSTGRES.each("r", "bigint") == "unnest(?::bigint[]) AS r (value)"


def test_the_whole_part_of_a_number_truncates_on_both_backends() -> None:
    """``whole`` truncates on both backends (a bare CAST rounds on PostgreSQL)."""
    assert SQLITE.whole("x / 3600") == "CAST(x / 3600 AS INTEGER)"
    assert POSTGRES.whole("x / 3600") == "floor(x / 3600)::int"


def test_claims_pass_over_locked_rows_only_on_postgresql() -> None:
    """``skip_locked`` locks a claim's rows and skips the locked ones; SQLite needs nothing."""
    assert SQLITE.skip_locked == ""
    assert POSTGRES.skip_locked == " FOR UPDATE SKIP LOCKED"


def test_feed_text_loses_nul_only_where_the_backend_cannot_store_it() -> None:
    """``text`` drops NUL on PostgreSQL and keeps SQLite's text as it came."""
    assert SQLITE.text("a\x00b") == "a\x00b"
    assert POSTGRES.text("a\x00b") == "ab"
