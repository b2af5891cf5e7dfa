"""Region filters people type, their stored and human forms, and which stories pass them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import BotError
from bot.core.models import RegionFilter
from bot.core.regions import (
    FilterError,
    all_regions,
    classify,
    display_name,
    edit_filter,
    filter_from_text,
    filter_to_text,
    format_filter,
    hashtag,
    matches,
    parse_filter,
    resolve_name,
    suggest,
    teaser_hashtags,
)

ALL_IDS = sorted(r.id for r in all_regions())

PARSES = [
    ("europe asia", {"150", "142"}),
    ("Europe, Asia", {"150", "142"}),
    ("ru", {"RU"}),
    ("GB", {"GB"}),
    ("UK", {"GB"}),
    ("Britain", {"GB"}),
    ("USA", {"US"}),
    ("Burma", {"MM"}),
    ("russian", {"RU"}),
    ("eastern europe", {"151"}),
    ("south-eastern asia", {"035"}),
    ("Southeast Asia", {"035"}),
    ("latin america and the caribbean", {"419"}),
    ("latin america asia", {"latin-america", "142"}),
    ("latam", {"latin-america"}),
    ("mena", {"mena"}),
    ("middle east", {"middle-east"}),
    ("EU", {"eu"}),
    ("balkans", {"balkans"}),
    ("north america", {"north-america"}),
    ("sub-saharan africa", {"202"}),
    ("Central America", {"013"}),
    ("cote d'ivoire", {"CI"}),
    ("C\u00d4TE D\u2019IVOIRE!", {"CI"}),
    ("international", {"none"}),
    ("world", {"none"}),
    ("global", {"none"}),
    ("none", {"none"}),
    ("Europe and the Middle East", {"150", "middle-east"}),
    ("all", set()),
    ("everything", set()),
    ("clear", set()),
]


@pytest.mark.parametrize(("text", "ids"), PARSES)
def test_parse(text: str, ids: set[str]) -> None:
    """Typed names, codes, demonyms, M49 names and aliases map to their ids."""
    assert parse_filter(text).ids == frozenset(ids)


ERRORS = [
    ("Eurasia", "I don't know 'Eurasia'. Did you mean Europe or Asia?"),
    ("congo", "Congo: did you mean the Republic of the Congo or the DR Congo?"),
    ("Punjab", "Punjab: did you mean India or Pakistan?"),
    ("all europe", "'all' means every region; send it on its own."),
]


@pytest.mark.parametrize(("text", "message"), ERRORS)
def test_unknown_or_ambiguous_names(text: str, message: str) -> None:
    """Unknown and ambiguous names raise FilterError with a one-line message."""
    with pytest.raises(FilterError) as caught:
        parse_filter(text)
    assert caught.value.message == message
    assert "\n" not in caught.value.message
    assert isinstance(caught.value, BotError)


def test_unknown_word_among_known_ones() -> None:
    """The unknown words are quoted, the known ones around them are not."""
    with pytest.raises(FilterError, match="I don't know 'Atlantis'"):
        parse_filter("europe Atlantis asia")


def test_empty_text_is_an_error() -> None:
    """A filter with no names at all is refused."""
    with pytest.raises(FilterError):
        parse_filter("   ")


def test_suggest_finds_typos() -> None:
    """A mistyped name gets the nearest names as suggestions."""
    assert suggest("Eurpoe")[0] == "150"
    assert "RU" in suggest("Rusia")
    assert suggest("") == []


def test_resolve_name() -> None:
    """resolve_name gives one id for a clear name, several for an ambiguous one, none if unknown."""
    assert resolve_name("Russia") == ["RU"]
    assert sorted(resolve_name("Congo")) == ["CD", "CG"]
    assert resolve_name("Atlantis") == []


def test_add_and_remove() -> None:
    """'add' and 'remove' edit the current filter; remove takes regions inside a named one too."""
    current = parse_filter("europe")
    assert parse_filter("add ru", current).ids == {"150", "RU"}
    assert parse_filter("+ myanmar", current).ids == {"150", "MM"}
    both = parse_filter("asia europe")
    assert parse_filter("remove asia", both).ids == {"150"}
    with_countries = parse_filter("asia RU MM")
    assert parse_filter("remove asia", with_countries).ids == {"RU"}
    assert edit_filter(both, "set", "africa").ids == {"002"}


def test_remove_absent_name_is_an_error() -> None:
    """Removing a region that is not in the filter says so and changes nothing."""
    current = parse_filter("europe asia")
    with pytest.raises(FilterError, match="Africa is not in the filter"):
        parse_filter("remove africa", current)


def test_format_filter() -> None:
    """The human form lists continents, then sub-regions, groupings and countries."""
    f = parse_filter("russia middle east europe")
    assert format_filter(f) == "Europe, Middle East, Russia"
    assert format_filter(RegionFilter()) == "everything"


def test_stored_form() -> None:
    """The stored form is the sorted ids separated by spaces."""
    f = parse_filter("russia middle east europe")
    assert filter_to_text(f) == "150 RU middle-east"
    assert filter_from_text("150 RU middle-east") == f
    assert filter_from_text("") == RegionFilter()


def test_every_display_name_parses_back() -> None:
    """Every region's display name resolves to that region alone."""
    for rid in ALL_IDS:
        assert resolve_name(display_name(rid)) == [rid], rid


@given(st.frozensets(st.sampled_from(ALL_IDS), max_size=8))
def test_human_form_round_trip(ids: frozenset[str]) -> None:
    """Formatting a filter for people and parsing it back gives the same filter."""
    f = RegionFilter(ids)
    assert parse_filter(format_filter(f)) == f


@given(st.frozensets(st.sampled_from(ALL_IDS), max_size=8))
def test_stored_form_round_trip(ids: frozenset[str]) -> None:
    """The canonical stored text reads back to the same filter."""
    f = RegionFilter(ids)
    assert filter_from_text(filter_to_text(f)) == f


MATCHES = [
    ("", ("RU",), True),
    ("", (), True),
    ("europe", ("RU",), True),
    ("europe", ("MM",), False),
    ("europe", ("MM", "RU"), True),
    ("eastern europe", ("RU",), True),
    ("western europe", ("RU",), False),
    ("RU", ("RU",), True),
    ("RU", ("UA",), False),
    ("middle east", ("TR",), True),
    ("latin america", ("MX",), True),
    ("latin america", ("JM",), False),
    ("latin america and the caribbean", ("JM",), True),
    ("none", (), True),
    ("none", ("RU",), False),
    ("europe", (), False),
    ("none europe", ("FR",), True),
]


@pytest.mark.parametrize(("typed", "countries", "passes"), MATCHES)
def test_matches(typed: str, countries: tuple[str, ...], passes: bool) -> None:
    """Empty matches all; 'none' matches no-country stories; else any country inside any id."""
    f = parse_filter(typed) if typed else RegionFilter()
    assert matches(f, countries) is passes


def test_matches_story_regions_without_countries() -> None:
    """A story with only a region (from its source) passes a filter naming that region."""
    f = parse_filter("latin america")
    assert matches(f, (), regions=("latin-america",))


def test_europe_channel_gets_russia_not_myanmar() -> None:
    """A chat filtered to Europe receives the Russia story and not the Myanmar one."""
    europe = parse_filter("europe")
    russia = classify("Winter of Russian Discontent Begins", "The social crisis in Russia deepens.")
    myanmar = classify("Myanmar Coup: Another Nail in the Coffin", "Aung San Suu Kyi was detained.")
    assert matches(europe, russia.countries)
    assert not matches(europe, myanmar.countries)


def test_hashtags() -> None:
    """Hashtags are the familiar name in CamelCase without punctuation."""
    assert hashtag("RU") == "#Russia"
    assert hashtag("151") == "#EasternEurope"
    assert hashtag("035") == "#SoutheastAsia"
    assert hashtag("US") == "#USA"
    assert hashtag("GB") == "#UK"
    assert hashtag("none") == "#International"


def test_teaser_hashtags_use_the_names_people_search_for() -> None:
    """A teaser's tags: short country names and the familiar region, never M49 jargon."""
    assert teaser_hashtags(["US"]) == ["#USA", "#NorthAmerica"]
    assert teaser_hashtags(["GB"]) == ["#UK", "#Britain", "#Europe"]
    assert teaser_hashtags(["MM"]) == ["#Myanmar", "#SoutheastAsia"]
    assert teaser_hashtags(["BR", "MX"]) == ["#Brazil", "#Mexico", "#LatinAmerica"]
    assert teaser_hashtags(["IQ"]) == ["#Iraq", "#MiddleEast"]
    assert teaser_hashtags(["RU"]) == ["#Russia", "#EasternEurope"]


def test_familiar_names_are_typeable_and_shown() -> None:
    """The familiar names work in a filter and are what a filter is shown as."""
    typed = parse_filter("usa, uk, southeast asia, north africa, northern america")
    assert typed.ids == {"US", "GB", "035", "015", "021"}
    assert format_filter(typed) == "North Africa, Southeast Asia, USA and Canada, UK, USA"


def test_all_regions_lists_members() -> None:
    """all_regions lists every kind, each with its member countries."""
    regions = {r.id: r for r in all_regions()}
    assert regions["150"].kind == "continent"
    assert "RU" in regions["151"].countries
    assert regions["middle-east"].kind == "grouping"
    assert regions["RU"].countries == ("RU",)
    assert regions["none"].kind == "none"
    assert all(regions[code].parent for code in regions if code.isupper() and code != "AQ")
