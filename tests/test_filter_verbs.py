"""The verbs /region, /topic and /sites share: set, add, remove, by word or sign."""

from __future__ import annotations

import pytest

from bot.core.filter_verbs import split_verb


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("europe asia", ("set", "europe asia")),
        ("add economy", ("add", "economy")),
        ("Añadir guerra", ("add", "guerra")),
        ("hinzufügen Krieg", ("add", "Krieg")),
        ("remove war", ("remove", "war")),
        ("УДАЛИТЬ война", ("remove", "война")),
        ("only labour", ("set", "labour")),
        ("+economy", ("add", "economy")),
        (" - war", ("remove", " war")),
        ("++war", ("set", "++war")),
        ("add", ("set", "add")),
        ("", ("set", "")),
    ],
)
def test_split_verb(typed: str, expected: tuple[str, str]) -> None:
    """A verb or a sign in front says what to do with the names; anything else sets them."""
    assert split_verb(typed) == expected
