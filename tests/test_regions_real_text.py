"""Mechanisms the real teasers in five languages asked for (issue 23), each with both readings."""

from __future__ import annotations

import pytest

from bot.core.regions import classify
from bot.core.regions.foreign import city_adjectives


@pytest.mark.parametrize(
    ("language", "title", "countries"),
    [
        ("de", "Gewalt in der Leipziger Silvesternacht", ("DE",)),
        ("de", "Die Wiener Polizei ermittelt", ("AT",)),
        ("ru", "Министра здравоохранения Омской области нашли живым", ("RU",)),
        ("ru", "Учащимся казанской гимназии предложат закончить год", ("RU",)),
        ("ru", "В одесском порту горит склад", ("UA",)),  # noqa: RUF001
        ("ru", "Власти Ленинградской области ввели ограничения", ("RU",)),
    ],
)
def test_town_adjectives_made_by_rule_name_the_country(
    language: str, title: str, countries: tuple[str, ...]
) -> None:
    """German "-er" and Russian "-ский" adjectives of listed towns count, in every case."""
    assert classify(title, language=language).countries == countries


def test_town_adjectives_follow_each_languages_rule() -> None:
    """'Leipzig' makes 'Leipziger'; 'Омск' makes 'омский' and its cases; names no rule fits none."""
    assert city_adjectives("de", "Leipzig") == ["Leipziger"]
    assert city_adjectives("de", "Bremen") == []  # "Bremer" is not made by appending
    assert "омскои" in city_adjectives("ru", "Омск")  # folded "омской"
    assert "казанскии" in city_adjectives("ru", "Казань")
    assert city_adjectives("ru", "Сочи") == []  # not declined
    assert city_adjectives("ru", "США") == []  # an abbreviation
    assert city_adjectives("es", "Madrid") == []


def test_german_dative_plural_of_a_country_name() -> None:
    """'aus den Niederlanden' names the Netherlands, as 'die Niederlande' does."""
    assert classify("Schmuggel aus den Niederlanden", language="de").countries == ("NL",)
    assert classify("Die Niederlande wählen", language="de").countries == ("NL",)


@pytest.mark.parametrize(
    ("language", "title", "countries"),
    [
        ("de", "FC Augsburg zittert bis zum Schluss", ()),
        ("de", "Augsburg: Brand in der Altstadt", ("DE",)),
        ("de", "Mats Hummels kehrt zu Borussia Dortmund zurück", ()),
        ("de", "Streik in Dortmund", ("DE",)),
        ("de", "Wechsel vom FC Bayern München zum BVB", ()),
        ("fr", "AS Monaco : le club change d'entraîneur", ()),
        ("fr", "Le prince de Monaco en visite", ("MC",)),
    ],
)
def test_a_club_named_for_a_town_is_no_place(
    language: str, title: str, countries: tuple[str, ...]
) -> None:
    """'FC Augsburg', 'Borussia Dortmund', 'AS Monaco' are clubs; the bare town is a place."""
    assert classify(title, language=language).countries == countries


@pytest.mark.parametrize(
    ("title", "countries"),
    [
        ("Овечкин высказался о новом контракте с «Вашингтоном»", ()),  # noqa: RUF001
        ("Пожар в Вашингтоне: эвакуированы сотни людей", ("US",)),
        ("Алекс Крал рассказал, в чём «Спартак» уступил «Зениту»", ()),
    ],
)
def test_a_name_alone_in_guillemets_is_a_team_or_title(
    title: str, countries: tuple[str, ...]
) -> None:
    """«Вашингтон» is the hockey club; Washington outside guillemets is the city."""
    assert classify(title, language="ru").countries == countries


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        ("fr", "Bruxelles approuve le rachat", "La Commission a tranché mardi.", ()),
        ("fr", "Attentat à Bruxelles", "Deux morts près de la gare du Midi.", ("BE",)),
        ("es", "Bruselas multa a Google", "La Comisión impone 2.000 millones.", ()),
        ("es", "Inundaciones en Bruselas", "El metro cerrado.", ("BE",)),
        ("en", "Brussels approves the merger", "The EU's competition arm agreed.", ()),
    ],
)
def test_brussels_for_the_eu_is_no_evidence_of_belgium(
    language: str, title: str, summary: str, countries: tuple[str, ...]
) -> None:
    """Brussels beside the Commission or the EU stands for the Union; alone it is the city."""
    assert classify(title, summary, language=language).countries == countries


@pytest.mark.parametrize(
    ("summary", "countries"),
    [
        ("Los daños superan los dos millones de euros.", ("ES",)),
        ("Los daños superan los dos millones de soles.", ("PE",)),
        ("Los vecinos piden ayuda.", ("PE",)),  # no evidence: the default stands
    ],
)
def test_the_currency_decides_a_town_two_countries_share(
    summary: str, countries: tuple[str, ...]
) -> None:
    """Trujillo (Peru or Spain) is decided by euros or soles in the teaser."""
    assert classify("Lluvias torrenciales en Trujillo", summary, language="es").countries == (
        countries
    )


@pytest.mark.parametrize(
    ("language", "title", "countries"),
    [
        ("fr", "Domaines de chasse : en Sologne, les grillages de la discorde", ("FR",)),
        ("fr", "Un député flamand soupçonné d'espionnage", ("BE",)),
        ("fr", "Un vaisseau russe décolle de Baïkonour", ("RU", "KZ")),
        ("pt", "Chuva forte em Maceió deixa desabrigados", ("BR",)),
        ("pt", "Flamengo vence o Palmeiras", ()),  # the club, not Flemish
        ("pt", "Os trabalhadores gaúchos em greve", ("BR",)),
        ("ru", "В Челябинске прошёл митинг", ("RU",)),  # noqa: RUF001
        ("de", "Kassel: Tatverdächtiger festgenommen", ("DE",)),
        ("de", "Er will zu ihr nach Malle", ("ES",)),
    ],
)
def test_more_towns_regions_and_demonyms(
    language: str, title: str, countries: tuple[str, ...]
) -> None:
    """Regions, départements, states and towns of about 100,000 people and more are known."""
    assert classify(title, language=language).countries == countries
