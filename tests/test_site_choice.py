"""Choosing sites: by name, a word of it or its host; toggles; every site and later ones."""

from __future__ import annotations

import pytest

from bot.core import topics
from bot.core.chat_filters import SiteFilter
from bot.core.site_choice import (
    Site,
    SiteError,
    format_sites,
    parse_sites,
    toggle,
)

SITES = [
    Site(1, "Socialist Revolution", "socialistrevolution.org"),
    Site(2, "In Defence of Marxism", "marxist.com"),
    Site(3, "Socialist Appeal", "socialist.net"),
    Site(4, "Révolution Permanente", "revolutionpermanente.fr"),
]
EVERY = SiteFilter()


@pytest.mark.parametrize(
    ("typed", "ids"),
    [
        ("marxist", {2}),
        ("MARXISM", {2}),
        ("socialist revolution", {1}),
        ("socialistrevolution.org", {1}),
        ("www.marxist.com", {2}),
        ("revolution permanente", {4}),
        ("RÉVOLUTION permanente", {4}),
        ("marxist appeal", {2, 3}),
        ("marxist, socialist appeal", {2, 3}),
    ],
)
def test_names_words_and_hosts_choose_sites(typed: str, ids: set[int]) -> None:
    """A whole name, a word of it (any case, any accents) or its host names a site; several
    names (spaces or commas) choose several."""
    assert parse_sites(typed, EVERY, SITES).ids == ids


def test_ambiguous_and_unknown_names_are_refused_with_the_candidates() -> None:
    """A word shared by sites lists them; an unknown name is quoted with the list of sites."""
    with pytest.raises(SiteError) as ambiguous:
        parse_sites("socialist", EVERY, SITES)
    assert ambiguous.value.message.startswith("'socialist' could be several sites")
    assert "Socialist Revolution, Socialist Appeal" in ambiguous.value.message
    with pytest.raises(SiteError) as unknown:
        parse_sites("<b>tass</b>", EVERY, SITES)
    assert unknown.value.message.startswith("I don't follow a site called '<b>tass</b>'")
    with pytest.raises(SiteError) as alone:
        parse_sites("add", EVERY, SITES)
    assert alone.value.message.startswith("Name a site")


def test_add_remove_and_all() -> None:
    """add widens a choice (every site stays every site), remove narrows it (from every site
    too), never to nothing; all comes back to every site, also later ones."""
    chosen = parse_sites("marxist", EVERY, SITES)
    assert parse_sites("add appeal", chosen, SITES).ids == {2, 3}
    assert parse_sites("add appeal", EVERY, SITES).ids is None
    assert parse_sites("remove marxist", EVERY, SITES).ids == {1, 3, 4}
    assert parse_sites("-appeal", SiteFilter(frozenset({2, 3})), SITES).ids == {2}
    with pytest.raises(SiteError):
        parse_sites("remove marxist", chosen, SITES)
    with pytest.raises(SiteError):
        parse_sites("remove appeal", chosen, SITES)
    assert parse_sites("todos", chosen, SITES).ids is None


def test_toggles_and_names() -> None:
    """From every site a tap chooses that one alone; the last one is never switched off; a
    removed source's id names nothing."""
    one = toggle(EVERY, 2, SITES)
    assert one == SiteFilter(frozenset({2}))
    both = toggle(one, 3, SITES)
    assert both == SiteFilter(frozenset({2, 3}))
    assert toggle(both, 2, SITES) == SiteFilter(frozenset({3}))
    assert toggle(SiteFilter(frozenset({3})), 3, SITES) is None
    assert format_sites(EVERY, SITES) == "every site"
    assert format_sites(both, SITES) == "In Defence of Marxism, Socialist Appeal"
    assert format_sites(SiteFilter(frozenset({99})), SITES) == "no site"


def test_topic_toggles() -> None:
    """From every topic a tap chooses that one; taps add and remove; the last one stays."""
    labour = topics.toggle(topics.TopicFilter(), "labour")
    assert labour == topics.TopicFilter(frozenset({"labour"}))
    both = topics.toggle(labour, "war")
    assert both == topics.TopicFilter(frozenset({"labour", "war"}))
    assert topics.toggle(both, "labour") == topics.TopicFilter(frozenset({"war"}))
    assert topics.toggle(labour, "labour") is None
