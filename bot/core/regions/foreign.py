"""The classifier's phrases for teasers in Spanish, Portuguese, French, German and Russian.

Each language's table is the English one plus that language's names: countries and M49 regions
from CLDR (Babel) and pycountry's ISO 3166 translations, and the demonyms and cities CLDR does not
carry from ``data/demonyms_i18n.txt`` (lowercase demonyms inflected by each language's rules and
matched in any case: "los obreros rusos", "la grève française", "russische Arbeiter").

Morphology is generated, language by language (``inflect`` for demonyms, ``name_forms`` for
names): Spanish and Portuguese plurals and feminines, German adjective endings and the genitive
-s/-es ("Russlands", "Chinas"), Russian case endings of nouns and adjectives ("России",
"в Москве", "российских"). French elision ("l'Ukraine", "d'Israël") is undone when a teaser is
cut into words (``classify``).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from importlib import resources

from bot.core.regions import names, stored
from bot.core.regions.tables import NONE_ID, Entry, Tables, tables
from bot.core.regions.text import fold, words

CLASSIFIED = ("es", "pt", "fr", "de", "ru")  # teaser languages with their own phrases
# Phrases that hold a demonym but name no country: the language something is in ("em português",
# "RT на русском"), a club, an ocean. They only stop the demonym matching inside them.
_STOPS: dict[str, tuple[str, ...]] = {
    "es": tuple(f"en {w}" for w in ("español", "inglés", "francés", "alemán", "ruso", "portugués")),
    "pt": tuple(
        f"em {w}" for w in ("português", "inglês", "espanhol", "francês", "alemão", "russo")
    ),
    "fr": (
        *(f"en {w}" for w in ("français", "anglais", "espagnol", "allemand", "russe", "portugais")),
        "variant indien",
        "variant anglais",
    ),
    "de": (
        *(f"auf {w}" for w in ("Deutsch", "Englisch", "Französisch", "Spanisch", "Russisch")),
        "FC Bayern",
        "FC Bayern München",
        "Bayern München",
    ),
    "ru": (
        *(f"на {w}" for w in ("русском", "английском", "немецком", "французском", "испанском")),
        *("по-русски", "по-английски", "Русская служба", "русская служба"),
        *("Индийский океан", "Индийского океана", "Индийском океане", "Индийскому океану"),
    ),
}
_DEMONYM_WEIGHT = 0.8
_CITY_WEIGHT = 0.8


def normalise(language: str | None) -> str | None:
    """The teaser language the classifier knows for a feed's or source's tag ("es-AR" -> "es")."""
    if not language:
        return None
    base = language.strip().replace("_", "-").split("-", maxsplit=1)[0].lower()
    return base if base in CLASSIFIED else None


def inflect(language: str, base: str) -> list[str]:
    """A lowercase demonym's forms: 'ruso' -> ruso, rusa, rusos, rusas ('francés' -> ...)."""
    if language == "ru":
        return [fold(form).lower() for form in _ru_adjective(base.lower())]
    b = fold(base).lower()
    if language == "de":
        return [b, b + "e", b + "en", b + "er", b + "es"] if b.endswith("sch") else [b]
    if language == "fr":
        if b.endswith("e"):
            return [b, b + "s"]
        if b.endswith("en"):
            return [b, b + "ne", b + "s", b + "nes"]
        if b.endswith("s"):
            return [b, b + "e", b + "es"]
        return [b, b + "e", b + "s", b + "es"]
    if b.endswith("o"):
        return [b, b[:-1] + "a", b + "s", b[:-1] + "as"]
    if b.endswith(("e", "a")):
        return [b, b + "s"]
    if b.endswith("i"):
        return [b, b + "es", b + "s"]
    if language == "pt" and b.endswith("l"):
        return [b, b + "a", b[:-1] + "is", b + "as"]
    if language == "es" and b.endswith("z"):  # andaluz -> andaluces
        return [b, b + "a", b[:-1] + "ces", b + "as"]
    if b.endswith(("s", "n", "l", "z")):
        return [b, b + "a", b + "es", b + "as"]
    return [b, b + "s"]


_RU_ADJ_ENDINGS = (
    *("ий", "ый", "ой", "ая", "ое", "ее", "ие", "ые", "ого", "его", "ому", "ему"),
    *("ым", "им", "ом", "ем", "ую", "ых", "их", "ыми", "ими", "ей"),
)
_RU_SOFT = frozenset("кгхжшщч")


def _ru_adjective(base: str) -> list[str]:
    """A Russian adjective in every case, gender and number: 'русский' -> 'русская', 'русских'."""
    if base[-2:] not in ("ий", "ый", "ой"):
        return [base]
    stem = base[:-2]
    return [base, *(stem + ending for ending in _RU_ADJ_ENDINGS)]


def _ru_noun(word: str) -> list[str]:
    """A Russian place name in its cases: 'Россия' -> 'России', 'Россию', 'Россией'."""
    low = word[-1:]
    if word.isupper() or low in "оеиуюэы" or len(word) < 3:
        return [word]  # США, Сан-Паулу, Токио: not declined
    if word.endswith("ия"):
        stem = word[:-2]
        return [word, stem + "ии", stem + "ию", stem + "ией"]
    if low == "а":
        stem = word[:-1]
        vowel = "и" if stem[-1:] in _RU_SOFT else "ы"
        return [word, stem + vowel, stem + "е", stem + "у", stem + "ой", stem + "ою"]
    if low == "я":
        stem = word[:-1]
        return [word, stem + "и", stem + "е", stem + "ю", stem + "ей"]
    if low == "й":
        stem = word[:-1]
        return [word, stem + "я", stem + "ю", stem + "ем", stem + "е"]
    if low == "ь":
        stem = word[:-1]
        return [word, stem + "и", stem + "ью", stem + "я", stem + "ю", stem + "ем", stem + "е"]
    return [word, word + "а", word + "у", word + "ом", word + "е"]


def name_forms(language: str, name: str) -> list[str]:
    """A place name as it appears in running text: German genitive and dative plural, Russian
    cases ("Russlands", "den Niederlanden", "России")."""
    if language == "de":
        if name[-1:] in "sßxzSXZ" or not name[-1:].isalpha():
            return [name]
        if name.endswith("e"):
            return [name, name + "n", name + "s"]
        return [name, name + "s"]
    if language != "ru" or len(name.split()) > 2:
        return [name]
    parts = name.split()
    if len(parts) == 1:
        return _ru_noun(name)
    first, last = parts
    if first[-2:] in ("ая", "ий", "ый", "ое", "ые"):
        adjective = {"ая": "ий"}.get(first[-2:], first[-2:])
        firsts = _ru_adjective(first[:-2] + adjective)
        return [f"{a} {n}" for a in firsts for n in _ru_noun(last)]
    return [f"{first} {n}" for n in _ru_noun(last)]


@cache
def _demonyms() -> dict[str, list[tuple[str, list[str], list[str]]]]:
    """language -> [(country code, demonyms, cities)]."""
    text = resources.files("bot.core.regions").joinpath("data/demonyms_i18n.txt").read_text("utf-8")
    out: dict[str, list[tuple[str, list[str], list[str]]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, _, rest = line.partition(" ")
        for part in rest.split("|"):
            language, _, fields = part.strip().partition(":")
            demonyms, _, cities = fields.partition(";")
            out.setdefault(language.strip(), []).append(
                (
                    code,
                    [d.strip() for d in demonyms.split(",") if d.strip()],
                    [c.strip() for c in cities.split(",") if c.strip()],
                )
            )
    return out


def _entries(language: str, t: Tables) -> list[tuple[tuple[str, ...], Entry]]:
    found: list[tuple[tuple[str, ...], Entry]] = []
    known = frozenset(t.regions)
    for name, rid in names.typed_names(language, known):
        if rid == NONE_ID:
            continue
        upper = _capitals(name)  # "EUA", "США"
        entry = (
            Entry(kind="country", codes=(rid,), upper=upper)
            if t.regions[rid].kind == "country"
            else Entry(kind="region", region=rid, upper=upper)
        )
        found.extend((words(form), entry) for form in name_forms(language, name))
    stop = Entry(kind="stop", anycase=True)
    found.extend((words(phrase), stop) for phrase in _STOPS.get(language, ()))
    for code, demonyms, cities in _demonyms().get(language, []):
        for demonym in demonyms:
            lower = demonym[:1].islower()
            country = Entry(kind="country", codes=(code,), weight=_DEMONYM_WEIGHT, anycase=lower)
            forms = inflect(language, demonym) if lower else [demonym]
            found.extend((words(form), country) for form in forms)
        for name in cities:
            city = Entry(kind="country", codes=(code,), weight=_CITY_WEIGHT, upper=_capitals(name))
            found.extend((words(form), city) for form in name_forms(language, name))
            adjective = Entry(
                kind="country", codes=(code,), weight=_DEMONYM_WEIGHT, anycase=language == "ru"
            )
            found.extend((words(form), adjective) for form in city_adjectives(language, name))
    return found


def city_adjectives(language: str, name: str) -> list[str]:
    """The adjectives a language makes of a town's name, in all their forms: German "-er"
    ("Leipzig" -> "Leipziger Silvesternacht"), Russian "-ский" ("Омск" -> "Омской области",
    "Казань" -> "казанской гимназии"). Irregular ones ("Münchner", "московский") are listed."""
    if " " in name or "-" in name or _capitals(name) or not name[:1].isupper():
        return []
    if language == "de":
        last = fold(name[-1:]).lower()
        if not last.isalpha() or last in "aeiouy" or name.endswith("en"):
            return []
        return [name + "er"]
    if language != "ru" or len(name) < 4:
        return []
    low = name.lower()
    if low.endswith(("ск", "цк")):
        base = low + "ий"
    elif low[-1] in "ьая":
        base = _ru_skiy(low[:-1])
    elif low[-1] in "оеиуюэыйё":
        return []
    else:
        base = _ru_skiy(low)
    return [fold(form).lower() for form in _ru_adjective(base)]


def _ru_skiy(stem: str) -> str:
    """'одесс' -> 'одесский', 'самар' -> 'самарский'."""
    return stem + ("кий" if stem.endswith("с") else "ский")


def _capitals(name: str) -> bool:
    """A short form written in capitals ("EUA", "ФСБ") matches only in capitals."""
    letters = "".join(c for c in fold(name) if c.isalpha())
    return len(letters) >= 2 and letters.isupper()


@cache
def typed_demonyms() -> tuple[tuple[tuple[str, ...], str], ...]:
    """(words, country code) for every form of every demonym people may type, in any language."""
    out: list[tuple[tuple[str, ...], str]] = []
    for language, listed in _demonyms().items():
        for code, demonyms, _cities in listed:
            for demonym in demonyms:
                forms = inflect(language, demonym) if demonym[:1].islower() else [demonym]
                out.extend((words(form), code) for form in forms)
    return tuple(out)


@cache
def tables_for(language: str | None) -> Tables:
    """The classifier's tables for teasers in ``language`` (English ones for any other)."""
    t = tables()
    code = normalise(language)
    if code is None:
        return t
    extra = stored.load_or_build(code, dict, lambda: _extra_phrases(code, t))
    phrases = dict(t.phrases)
    for first, listed in extra.items():
        merged = [*phrases.get(first, ()), *listed]
        phrases[first] = tuple(sorted(merged, key=lambda pe: -len(pe[0])))
    return dataclasses.replace(t, phrases=phrases)


def _extra_phrases(code: str, t: Tables) -> dict[str, list[tuple[tuple[str, ...], Entry]]]:
    """The phrases ``code``'s teasers add to the English tables, by their first word."""
    seen = {phrase for listed in t.phrases.values() for phrase, _ in listed}
    extra: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for phrase, found in _entries(code, t):
        veto = t.vetoes.get(" ".join(phrase))
        entry = found
        if veto:
            entry = dataclasses.replace(found, veto_next=veto[0], veto_context=veto[1])
        if phrase and phrase not in seen:
            seen.add(phrase)
            extra.setdefault(phrase[0], []).append((phrase, entry))
    return extra
