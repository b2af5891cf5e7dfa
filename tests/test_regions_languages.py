"""The classifier reads Spanish, Portuguese, French and German teasers (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.errors import ConfigError
from bot.core.models import Source, SourceKind
from bot.core.parsing.feeds import parse_json_feed, parse_xml_feed
from bot.core.regions import classify
from bot.core.regions.foreign import inflect, normalise
from bot.core.routing import classify_item
from bot.sources_file import parse_sources_toml


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
        ("es", "andaluz", ["andaluz", "andaluza", "andaluces", "andaluzas"]),
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


RSS_ES = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Lucha de Clases</title><link>https://es.example/</link>
<language>es-ES</language>
<item><title>Los mineros bolivianos en huelga</title><link>https://es.example/1</link>
<guid>1</guid><description>Bloqueos en las carreteras.</description></item>
</channel></rss>"""
ATOM_FR = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><title>Révolution</title>
<id>urn:x</id><updated>2025-01-01T00:00:00Z</updated>
<entry><title>Grève des cheminots allemands</title><id>urn:1</id>
<link href="https://fr.example/1"/><updated>2025-01-01T00:00:00Z</updated></entry></feed>"""


def _source(language: str | None = None) -> Source:
    return Source(
        id=1, name="s", url="https://x.example/feed", kind=SourceKind.FEED, region=None,
        selectors=None, enabled=True, etag=None, last_modified=None, baseline_done=True,
        failures=0, last_error=None, last_success_at=None, last_polled_at=None, next_poll_at=0,
        language=language,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("document", "parse", "language", "countries"),
    [
        (RSS_ES, parse_xml_feed, "es-ES", ("BO",)),
        (ATOM_FR, parse_xml_feed, "fr", ("DE",)),
        (
            '{"version": "https://jsonfeed.org/version/1.1", "title": "T", "language": "pt-BR",'
            ' "items": [{"id": "1", "url": "https://pt.example/1",'
            ' "title": "Greve dos petroleiros argentinos"}]}',
            parse_json_feed,
            "pt-BR",
            ("AR",),
        ),
    ],
)
def test_the_feeds_own_language_picks_the_classifier_tables(
    document: str, parse: Any, language: str, countries: tuple[str, ...]
) -> None:
    """RSS <language>, Atom xml:lang and JSON Feed "language" reach the classifier."""
    [item] = parse(document, url="https://x.example/feed").items
    assert item.language == language
    assert classify_item(item, _source()).countries == countries


def test_a_declared_source_language_wins_over_the_feeds() -> None:
    """A source declared Spanish is read as Spanish even when its feed claims English."""
    [item] = parse_xml_feed(RSS_ES.replace("es-ES", "en"), url="https://x.example/f").items
    assert classify_item(item, _source()).countries == ()
    assert classify_item(item, _source("es")).countries == ("BO",)


def test_sources_file_accepts_a_language_and_rejects_nonsense() -> None:
    """language = "es" is read into the spec; a malformed tag is reported, nothing loaded."""
    entry = '[[source]]\nname = "A"\nurl = "https://a.example/feed"\nlanguage = "{}"\n'
    [spec] = parse_sources_toml(entry.format("es"), "sources.toml")
    assert spec.language == "es"
    with pytest.raises(ConfigError, match="language '!!' is not a language tag"):
        parse_sources_toml(entry.format("!!"), "sources.toml")
