"""Places in every language (issue 23): names the bot shows are names it understands, typed
short forms and demonyms, refusals that quote what was typed, morphology, ambiguity by evidence."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import i18n, texts
from bot.core.models import RegionFilter
from bot.core.regions import (
    FilterError,
    all_regions,
    classify,
    display_name,
    format_filter,
    hashtag,
    parse_filter,
    suggest,
)

LANGUAGES = ("en", "es", "pt", "fr", "de", "ru")
REGION_IDS = [info.id for info in all_regions()]


@pytest.fixture(autouse=True)
def _english_after() -> Iterator[None]:
    yield
    i18n.use("en")


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _variants(name: str) -> set[str]:
    return {
        name,
        name.upper(),
        name.lower(),
        _plain(name),
        name.replace("-", " "),
        name.replace(".", ""),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_name_shown_is_understood_back(language: str) -> None:
    """Each region's shown name in a language, in any case, without diacritics, hyphens or dots,
    is read back by /region and /latest as that region (the /regions list, buttons, suggestions
    and confirmations show these names)."""
    i18n.use(language)
    wrong = []
    for rid in REGION_IDS:
        for typed in _variants(display_name(rid, language)):
            try:
                ids = parse_filter(typed).ids
            except FilterError as exc:
                wrong.append((rid, typed, exc.message))
                continue
            if ids != {rid}:
                wrong.append((rid, typed, sorted(ids)))
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_hashtag_is_understood_back(language: str) -> None:
    """A hashtag under a teaser ("#EasternEurope", "#USACanada") typed as it is names its region."""
    i18n.use(language)
    for rid in REGION_IDS:
        if rid != "none":
            assert parse_filter(hashtag(rid)).ids == {rid}, hashtag(rid)


@settings(max_examples=150, deadline=None)
@given(
    language=st.sampled_from(LANGUAGES),
    ids=st.sets(st.sampled_from(REGION_IDS), min_size=1, max_size=4),
)
def test_a_confirmation_read_back_is_the_same_filter(language: str, ids: set[str]) -> None:
    """What a confirmation lists ("Europa del Este, Rusia") typed back gives the same filter."""
    i18n.use(language)
    shown = format_filter(RegionFilter(frozenset(ids)))
    assert parse_filter(shown).ids == frozenset(ids)


@pytest.mark.parametrize("language", LANGUAGES)
def test_suggestions_are_names_the_bot_understands(language: str) -> None:
    """Every "did you mean" idea, as shown, is accepted back."""
    i18n.use(language)
    for typo in ("Rusai", "Alemanai", "Ucrania del", "Eurasia", "Brasiil", "Росия"):
        for rid in suggest(typo):
            assert parse_filter(display_name(rid)).ids == {rid}


TYPED = [
    ("es", "EE. UU.", {"US"}),
    ("es", "EEUU", {"US"}),
    ("es", "EE.UU.", {"US"}),
    ("es", "Europa del Este", {"151"}),
    ("es", "ruso", {"RU"}),
    ("es", "rusas", {"RU"}),
    ("es", "alemanes", {"DE"}),
    ("es", "Palestina", {"PS"}),
    ("pt", "EUA", {"US"}),
    ("pt", "Leste Europeu", {"151"}),
    ("pt", "russa", {"RU"}),
    ("pt", "moçambicanos", {"MZ"}),
    ("fr", "Grande-Bretagne", {"GB"}),
    ("fr", "Grande Bretagne", {"GB"}),
    ("fr", "russe", {"RU"}),
    ("fr", "EAU", {"AE"}),
    ("fr", "Centrafrique", {"CF"}),
    ("fr", "camerounaises", {"CM"}),
    ("de", "Großbritannien", {"GB"}),
    ("de", "Grossbritannien", {"GB"}),
    ("de", "russisch", {"RU"}),
    ("de", "russische", {"RU"}),
    ("de", "VAE", {"AE"}),
    ("de", "Osteuropa", {"151"}),
    ("de", "slowakischer", {"SK"}),
    ("ru", "США", {"US"}),
    ("ru", "Штаты", {"US"}),
    ("ru", "РФ", {"RU"}),
    ("ru", "русский", {"RU"}),
    ("ru", "российские", {"RU"}),
    ("ru", "Восточная Европа", {"151"}),
    ("ru", "ОАЭ", {"AE"}),
    ("ru", "России", {"RU"}),
    ("en", "USA", {"US"}),
    ("en", "U.S.", {"US"}),
    ("en", "UK", {"GB"}),
    ("en", "Britain", {"GB"}),
    ("en", "UAE", {"AE"}),
    ("en", "russian", {"RU"}),
    ("en", "🇨🇱", {"CL"}),
    ("es", "🇨🇱 🇦🇷", {"CL", "AR"}),
    ("ru", "🇺🇦", {"UA"}),
]


@pytest.mark.parametrize(("language", "typed", "ids"), TYPED)
def test_everyday_short_forms_demonyms_and_flags(language: str, typed: str, ids: set[str]) -> None:
    """Short forms, demonyms in any form, region forms and flag emoji name their places."""
    i18n.use(language)
    assert parse_filter(typed).ids == ids


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("en", "korea", "Korea: did you mean North Korea or South Korea?"),
        ("es", "Corea", "Corea: ¿querías decir Corea del Norte o Corea del Sur?"),
        ("ru", "Корея", "Корея: вы имели в виду Северная Корея или Южная Корея?"),
    ],
)
def test_an_ambiguous_name_asks_which_one(language: str, typed: str, answer: str) -> None:
    """ "korea" is neither refused nor guessed: the answer asks North or South."""
    i18n.use(language)
    with pytest.raises(FilterError) as caught:
        parse_filter(typed)
    assert caught.value.message.startswith(answer.split(":", maxsplit=1)[0] + ":")
    assert display_name("KP") in caught.value.message
    assert display_name("KR") in caught.value.message


@pytest.mark.parametrize(
    ("language", "typed", "quoted"),
    [
        ("de", "europa Großbrittanien", "Großbrittanien"),
        ("ru", "Мордор и Россия", "Мордор"),
        ("fr", "Terre du Milieu’s", "Terre du Milieu’s"),
        ("es", "Narnïa, Chile", "Narnïa"),
        ("en", "RUSSIA ATLANTIS", "ATLANTIS"),
    ],
)
def test_a_refusal_quotes_exactly_what_was_typed(language: str, typed: str, quoted: str) -> None:
    """The unknown part is repeated as typed: its case, accents, ß and apostrophes, not folded."""
    i18n.use(language)
    with pytest.raises(FilterError) as caught:
        parse_filter(typed)
    message = caught.value.message
    assert quoted in message
    assert quoted.lower() not in message or quoted.lower() == quoted


# ---------------------------------------------------------------- teasers: morphology


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        ("fr", "L'Ukraine et l'Iran", "", {"UA", "IR"}),
        ("fr", "Les présidents d'Argentine et d'Israël", "", {"AR", "IL"}),
        ("fr", "Grève en Côte d’Ivoire", "", {"CI"}),
        ("de", "Russlands Krieg", "", {"RU"}),
        ("de", "Chinas Wirtschaft", "", {"CN"}),
        ("de", "Malawis Bauern", "", {"MW"}),
        ("de", "Die slowakischer Regierung", "", {"SK"}),
        ("de", "Moldauer protestieren", "", {"MD"}),
        ("ru", "Забастовка в Москве", "", {"RU"}),
        ("ru", "Выборы во Франции", "", {"FR"}),
        ("ru", "Протесты в Южной Корее", "", {"KR"}),
        ("ru", "Кризис на Украине", "", {"UA"}),
        ("ru", "Украинские беженцы", "", {"UA"}),
        ("es", "Las trabajadoras argentinas", "", {"AR"}),
        ("es", "Protestas en EE.UU.", "", {"US"}),
        ("es", "Huelga en Cataluña", "", {"ES"}),
        ("pt", "Os trabalhadores moçambicanos", "", {"MZ"}),
        ("pt", "Greve nos EUA", "", {"US"}),
        ("fr", "Élections en Centrafrique", "", {"CF"}),
        ("fr", "Les ouvriers camerounais", "", {"CM"}),
    ],
)
def test_morphology_is_generated_per_language(
    language: str, title: str, summary: str, countries: set[str]
) -> None:
    """Elision, German genitive and endings, Russian cases, es/pt plural and feminine forms."""
    assert set(classify(title, summary, language=language).countries) == countries


# ---------------------------------------------------------------- teasers: both readings


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        ("es", "Protesta en Valencia", "Maduro responde a los trabajadores de Venezuela", {"VE"}),
        ("es", "Huelga en Valencia", "Los estibadores del puerto paran", {"ES"}),
        ("es", "Córdoba: huelga docente", "Los maestros de Argentina reclaman", {"AR"}),
        ("es", "Córdoba: huelga en la sanidad", "Andalucía recorta", {"ES"}),
        ("es", "Manifestación en Santiago", "Galicia y Compostela", {"ES"}),
        ("es", "Manifestación en Santiago", "Los estudiantes marchan", {"CL"}),
        ("en", "Georgia Senate runoff", "Warnock leads", {"US"}),
        ("en", "Georgia protests", "Tbilisi", {"GE"}),
        ("pt", "Podemos dizer que a crise chegou", "Os salários caem", set()),
        ("es", "Podemos rompe con el PSOE", "Sánchez", {"ES"}),
        ("de", "Rosa Luxemburg und Karl Liebknecht", "Luxemburg-Liebknecht-Demo", set()),
        ("de", "Luxemburg wählt ein neues Parlament", "", {"LU"}),
        ("es", "Varoufakis habla de la deuda europea", "", set()),
        ("es", "Varoufakis: Grecia no puede pagar", "Atenas", {"GR"}),
    ],
)
def test_ambiguous_places_are_decided_by_the_rest_of_the_teaser(
    language: str, title: str, summary: str, countries: set[str]
) -> None:
    """Valencia, Córdoba, Santiago, Georgia, Podemos, Luxemburg, Varoufakis: both readings."""
    assert set(classify(title, summary, language=language).countries) == countries


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        ("es", "Inundaciones en Cartagena", "La Región de Murcia activa la alerta", {"ES"}),
        ("es", "Inundaciones en Cartagena", "Colombia declara la emergencia", {"CO"}),
        ("es", "El tren de Cuenca a Madrid cierra", "", {"ES"}),
        ("es", "Protestas en Cuenca", "Los indígenas de Ecuador marchan", {"EC"}),
        ("es", "Feria en Trujillo", "La Junta de Extremadura la financia", {"ES"}),
        ("en", "Floods hit Trujillo", "Thousands are homeless", {"PE"}),
        ("es", "Guadalajara recibe la cumbre", "El gobernador de Jalisco", {"MX"}),
    ],
)
def test_town_names_shared_by_spain_and_latin_america_follow_the_teaser(
    language: str, title: str, summary: str, countries: set[str]
) -> None:
    """Cartagena, Cuenca, Trujillo, Guadalajara: Spain when the teaser says so, else the default."""
    assert set(classify(title, summary, language=language).countries) == countries


@pytest.mark.parametrize(
    ("title", "summary", "countries"),
    [
        ("El Gobierno asturiano aprueba el presupuesto", "", {"ES"}),
        ("Los andaluces vuelven a votar", "", {"ES"}),
        ("Extremadura limita la movilidad nocturna", "", {"ES"}),
        ("El PP y el PSOE chocan en el Congreso", "", {"ES"}),
        ("Incendio en Nuevo México", "Los bomberos no logran contenerlo", {"US"}),
        ("Tormenta en Carolina del Norte", "", {"US"}),
    ],
)
def test_spanish_regions_demonyms_and_us_states_in_spanish(
    title: str, summary: str, countries: set[str]
) -> None:
    """Spain's regions and their demonyms name Spain; 'Nuevo México' is a US state, not Mexico."""
    assert set(classify(title, summary, language="es").countries) == countries


@pytest.mark.parametrize(
    ("language", "title", "summary", "countries"),
    [
        ("es", "Declara el empresario", "Lo dijo Francisco Correa ante el juez", set()),
        ("es", "La entrevista", "El expresidente Correa critica a Noboa", {"EC"}),
        ("es", "Correa responde", "Según Correa, el país no crece", {"EC"}),
        ("en", "Interview", "Former President Correa attacks the government", {"EC"}),
        ("en", "Rafael Correa speaks", "", {"EC"}),
    ],
)
def test_a_leaders_bare_surname_after_another_first_name_is_someone_else(
    language: str, title: str, summary: str, countries: set[str]
) -> None:
    """'Francisco Correa' is not Rafael Correa; 'Correa' alone, after a title or at a sentence's
    start still is."""
    assert set(classify(title, summary, language=language).countries) == countries


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_regions_footer_examples_are_understood_in_each_language(language: str) -> None:
    """Every example the translated /regions footer and /help region give is a name the bot
    reads in that language, none left in English where the language has its own word."""
    i18n.use(language)
    for text in (texts.REGIONS_FOOTER,):
        shown = i18n.tr(text)
        examples = re.findall(r"<code>([^<]+)</code>", shown)
        assert examples
        for example in examples:
            assert parse_filter(example).ids, example
        if language != "en":
            assert "russian" not in shown


_WORD = st.text(alphabet="abzßéñçüøœåАБЖзйёšł'’-", min_size=2, max_size=9)


@settings(max_examples=40, deadline=None)
@given(typed=st.lists(_WORD, min_size=1, max_size=3).map(" ".join))
def test_any_refusal_quotes_a_part_of_what_was_typed(typed: str) -> None:
    """Whatever is typed, a refusal's quote is a piece of the text exactly as typed, never a
    folded form ("Großbrittanien", not "grossbrittanien")."""
    i18n.use("en")
    try:
        parse_filter(typed)
    except FilterError as exc:
        quoted = re.match(r"I don't know '(.*)'\.", exc.message)
        if quoted:
            assert quoted.group(1) in unicodedata.normalize("NFC", typed)
