"""Keywords: what /keywords accepts, and how a chat's words let stories through or stop them."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import i18n
from bot.core.keywords import (
    MAX_KEYWORDS,
    KeywordError,
    KeywordFilter,
    format_keywords,
    keywords_from_text,
    keywords_to_text,
    matcher,
    matches,
    parse_keywords,
    story_words,
    without,
)


@pytest.fixture(autouse=True)
def _english() -> None:
    i18n.use("en")


def _passes(keywords: str, title: str, language: str | None = "en", summary: str = "") -> bool:
    return matches(parse_keywords(keywords), story_words(title, summary, (), language))


def test_plus_includes_minus_excludes() -> None:
    """+word includes, -word excludes, a bare word includes, in the order typed."""
    f = parse_keywords("+strike +huelga -football greve")
    assert f.include == ("strike", "huelga", "greve")
    assert f.exclude == ("football",)
    assert format_keywords(f) == "+strike +huelga +greve -football"


def test_words_are_kept_folded() -> None:
    """Case and accents are dropped when a word is stored: +Grève is stored as greve."""
    assert parse_keywords("+Grève -FÚTBOL") == KeywordFilter(("greve",), ("futbol",))


def test_changes_add_to_what_the_chat_has() -> None:
    """A second /keywords adds; a word typed with the other sign moves to the other list."""
    f = parse_keywords("+strike -football")
    f = parse_keywords("+huelga -strike", f)
    assert f == KeywordFilter(("huelga",), ("football", "strike"))


def test_remove_and_clear() -> None:
    """'remove word' forgets a word, 'clear' forgets them all, a button removes one."""
    f = parse_keywords("+strike +huelga -football")
    assert parse_keywords("remove huelga football", f) == KeywordFilter(("strike",), ())
    assert parse_keywords("clear", f) == KeywordFilter()
    assert without(f, "strike") == KeywordFilter(("huelga",), ("football",))


def test_removing_an_unknown_word_is_refused_as_typed() -> None:
    """Removing a word the chat does not have quotes it back."""
    with pytest.raises(KeywordError, match="'Tennis' is not among"):
        parse_keywords("remove Tennis", parse_keywords("+strike"))


def test_clear_with_words_is_refused() -> None:
    """'clear' stands alone."""
    with pytest.raises(KeywordError):
        parse_keywords("clear strike")


def test_nothing_typed_explains_the_command() -> None:
    """An empty change answers with an example."""
    with pytest.raises(KeywordError, match=r"/keywords \+strike"):
        parse_keywords("   ")


def test_at_most_thirty_words() -> None:
    """The 31st word is refused with the limit and the count, and nothing changes."""
    thirty = parse_keywords(" ".join(f"+w{i}" for i in range(MAX_KEYWORDS)))
    assert len(thirty) == MAX_KEYWORDS
    with pytest.raises(KeywordError, match="at most 30 keywords, and this would make 31"):
        parse_keywords("-one", thirty)
    assert len(parse_keywords("-w3", thirty)) == MAX_KEYWORDS  # moving a word adds nothing


@pytest.mark.parametrize("typed", ["+climate-change", "+don't", "-c++x"])
def test_one_word_at_a_time(typed: str) -> None:
    """Something that is several words is refused, quoted as typed."""
    with pytest.raises(KeywordError) as caught:
        parse_keywords(typed)
    assert f"'{typed}'" in caught.value.message


def test_a_word_without_letters_is_refused() -> None:
    """'+!!!' has nothing to look for."""
    with pytest.raises(KeywordError, match=r"'\+!!!' has no letters"):
        parse_keywords("+!!!")


def test_a_very_long_word_is_refused() -> None:
    """A keyword longer than 40 letters is refused."""
    with pytest.raises(KeywordError, match="too long"):
        parse_keywords("+" + "a" * 41)


def test_errors_speak_the_chat_language() -> None:
    """In a German chat the error is German."""
    i18n.use("de")
    with pytest.raises(KeywordError, match="Stichwort"):
        parse_keywords("remove x", KeywordFilter(("y",), ()))


@pytest.mark.parametrize(
    ("keyword", "title", "language"),
    [
        ("strike", "Dockers on strike", "en"),
        ("strike", "Strikes spread across France", "en"),
        ("strike", "Striking nurses win", "en"),
        ("Strikes", "A strike in Lyon", "en"),
        ("huelga", "Huelgas en Chile", "es"),
        ("HUELGAS", "La huelga continúa", "es"),
        ("Streik", "Streiks bei der Bahn", "de"),
        ("greve", "Les grèves continuent", "fr"),
        ("grève", "GRÈVE à Paris", "fr"),
        ("greve", "Greves em São Paulo", "pt"),
        ("забастовка", "Забастовки шахтёров", "ru"),
        ("шахтеры", "Забастовка шахтёров", "ru"),
        ("Erdogan", "Erdoğan's crackdown", "en"),
    ],
)
def test_whole_words_match_in_any_form(keyword: str, title: str, language: str) -> None:
    """Case, accents and the word's forms in the story's language do not matter."""
    assert _passes(f"+{keyword}", title, language)


@pytest.mark.parametrize(
    ("keyword", "title"),
    [
        ("war", "Warm weather and an award"),
        ("strike", "Strikebreakers cross the line"),
        ("art", "Party starts early"),
        ("ice", "Police arrive"),
    ],
)
def test_parts_of_words_do_not_match(keyword: str, title: str) -> None:
    """A keyword never matches inside another word."""
    assert not _passes(f"+{keyword}", title)


def test_excluded_beats_included() -> None:
    """A story with an included and an excluded word is not sent."""
    assert not _passes("+strike -football", "Football players strike")
    assert _passes("+strike -football", "Teachers strike")
    assert not _passes("+strike -football", "Teachers march")


def test_tags_count_as_words() -> None:
    """The feed's tags are searched too."""
    f = parse_keywords("+chile")
    assert matches(f, story_words("Copper miners walk out", "", ("Chile", "Labour"), "en"))


def test_an_undeclared_language_is_guessed() -> None:
    """A Spanish story from a feed that declares no language still matches plural forms."""
    assert _passes("+huelga", "Las huelgas de los trabajadores en el puerto", None)


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàéñüßçёжщ", min_size=1, max_size=12)


@given(
    st.lists(WORD, max_size=5),
    st.lists(WORD, min_size=1, max_size=5),
    st.text(max_size=200),
    st.sampled_from(["en", "es", "pt", "fr", "de", "ru", None]),
)
@settings(deadline=None)
def test_an_excluded_word_in_the_story_always_wins(
    include: list[str], exclude: list[str], text: str, language: str | None
) -> None:
    """Whatever else the chat includes, a story holding one of its excluded words is refused."""
    typed = " ".join([*(f"+{w}" for w in include), *(f"-{w}" for w in exclude)])
    f = parse_keywords(typed)
    story = story_words(f"{text} {exclude[0]}", "", (), language)
    assert not matches(f, story)


@given(st.lists(WORD, min_size=1, max_size=5), st.text(max_size=200))
@settings(deadline=None)
def test_an_included_word_in_the_story_lets_it_through(include: list[str], text: str) -> None:
    """With nothing excluded, a story holding an included word passes."""
    f = parse_keywords(" ".join(f"+{w}" for w in include))
    assert matches(f, story_words(f"{text} {include[-1]}", "", (), "en"))


@given(st.text(max_size=300), st.text(max_size=300), st.sampled_from(["en", "ru", None, "zz"]))
@settings(max_examples=200, deadline=None)
def test_matching_never_fails(title: str, summary: str, language: str | None) -> None:
    """Any story text can be tested against any filter without an error."""
    f = parse_keywords("+strike -football +забастовка")
    assert matches(f, story_words(title, summary, ("x",), language)) in {True, False}


@given(st.text(max_size=200))
@settings(max_examples=300, deadline=None)
def test_any_typed_text_parses_or_is_refused(typed: str) -> None:
    """What a person types either gives a filter of at most 30 words or a KeywordError."""
    refused: KeywordError | None = None
    try:
        f = parse_keywords(typed)
    except KeywordError as exc:
        refused = exc
    if refused is not None:
        assert refused.message
    else:
        assert len(f) <= MAX_KEYWORDS


@given(st.lists(st.tuples(st.sampled_from("+-"), WORD), max_size=30))
@settings(deadline=None)
def test_the_stored_form_round_trips(signed: list[tuple[str, str]]) -> None:
    """A filter written to the database reads back the same."""
    f = parse_keywords(" ".join(s + w for s, w in signed)) if signed else KeywordFilter()
    assert keywords_from_text(keywords_to_text(f)) == f


HOSTILE = [
    "a" * 1000,
    "a-" * 500,
    "+" * 1000,
    "é" * 1000,
    "a\u0301" * 500,
    ("ab" * 20 + " ") * 25,
    "(" * 500 + ")" * 500,
]


@pytest.mark.parametrize("unit", HOSTILE, ids=range(len(HOSTILE)))
def test_matching_is_linear_on_hostile_text(unit: str) -> None:
    """Ten times the hostile text takes about ten times as long, never a blow-up (the best of
    five timings, with a generous bound for a busy machine)."""
    f = matcher(parse_keywords("+strike -football +aaaa"))

    def best(text: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            f.allows(story_words(text, text, (), "en"))
            times.append(time.perf_counter() - start)
        return min(times)

    best(unit * 4)  # warm the stem cache for this text's words
    small, large = best(unit * 4), best(unit * 40)
    assert large < 100 * max(small, 1e-3)
