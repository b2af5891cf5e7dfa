"""The classifier reads Spanish, Portuguese, French and German teasers (issue 14)."""

from __future__ import annotations

import pytest

from bot.regions import classify
from bot.regions.foreign import inflect, normalise


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        (
            "es",
            "Huelga general contra la reforma",
            "Los obreros franceses paralizan París.",
            ("FR",),
        ),
        ("es", "Los estibadores rusos en lucha", "", ("RU",)),
        ("pt", "Greve dos professores na Alemanha", "", ("DE",)),
        ("pt", "Os metroviários paulistas e a greve", "Em São Paulo, a greve continua.", ("BR",)),
        ("fr", "La grève des cheminots britanniques", "", ("GB",)),
        ("fr", "Manifestation à Moscou", "", ("RU",)),
        ("de", "Russische Arbeiter gegen den Krieg", "", ("RU",)),
        ("de", "Streik in Kopenhagen", "", ("DK",)),
    ],
)
def test_countries_found_in_other_languages(
    language: str, title: str, summary: str, countries: tuple[str, ...]
) -> None:
    """CLDR names, inflected demonyms (any case) and cities count in the teaser's language."""
    assert classify(title, summary, language=language).countries == countries


def test_english_teasers_do_not_read_foreign_demonyms() -> None:
    """Without a language, 'rusos' and 'Moscú' mean nothing: English tables as before."""
    assert classify("Los estibadores rusos en lucha").countries == ()
    assert classify("Los estibadores rusos en lucha", language="es").countries == ("RU",)


def test_a_demonym_is_a_word_not_part_of_one() -> None:
    """Lowercase demonyms match whole words only ('rusa' is not in 'Prusia')."""
    assert classify("Historia de Prusia y de su ejército", language="es").countries != ("RU",)


@pytest.mark.parametrize(
    ("language", "base", "forms"),
    [
        ("es", "ruso", ["ruso", "rusa", "rusos", "rusas"]),
        ("es", "francés", ["frances", "francesa", "franceses", "francesas"]),
        ("pt", "espanhol", ["espanhol", "espanhola", "espanhois", "espanholas"]),
        ("fr", "italien", ["italien", "italienne", "italiens", "italiennes"]),
        ("fr", "russe", ["russe", "russes"]),
        ("de", "russisch", ["russisch", "russische", "russischen", "russischer", "russisches"]),
    ],
)
def test_demonyms_are_inflected_by_each_languages_rules(
    language: str, base: str, forms: list[str]
) -> None:
    """Gender and number forms come from the base form."""
    assert inflect(language, base) == forms


@pytest.mark.parametrize(
    ("tag", "language"),
    [("es", "es"), ("es-AR", "es"), ("pt_BR", "pt"), ("FR", "fr"), ("en-US", None), (None, None)],
)
def test_feed_language_tags_map_to_classifier_languages(
    tag: str | None, language: str | None
) -> None:
    """A feed's <language> or a source's setting picks the tables; English and unknown: none."""
    assert normalise(tag) == language
