"""The classifier's phrases for teasers in Spanish, Portuguese, French and German.

Each language's table is the English one plus that language's names: countries and M49 regions
from CLDR (Babel) and pycountry's ISO 3166 translations, and the demonyms and cities CLDR does not
carry from ``data/demonyms_i18n.txt`` (lowercase demonyms inflected by each language's rules and
matched in any case: "los obreros rusos", "la grève française", "russische Arbeiter").
"""

from __future__ import annotations

import dataclasses
from functools import cache
from importlib import resources

from bot.core.regions import names
from bot.core.regions.tables import NONE_ID, Entry, Tables, tables
from bot.core.regions.text import fold, words

CLASSIFIED = ("es", "pt", "fr", "de")  # teaser languages with their own phrases
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
    if b.endswith(("s", "n", "l", "z")):
        return [b, b + "a", b + "es", b + "as"]
    return [b, b + "s"]


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
        entry = (
            Entry(kind="country", codes=(rid,))
            if t.regions[rid].kind == "country"
            else Entry(kind="region", region=rid)
        )
        found.append((words(name), entry))
    for code, demonyms, cities in _demonyms().get(language, []):
        for demonym in demonyms:
            lower = demonym[:1].islower()
            country = Entry(kind="country", codes=(code,), weight=_DEMONYM_WEIGHT, anycase=lower)
            forms = inflect(language, demonym) if lower else [demonym]
            found.extend((words(form), country) for form in forms)
        city = Entry(kind="country", codes=(code,), weight=_CITY_WEIGHT)
        found.extend((words(name), city) for name in cities)
    return found


@cache
def tables_for(language: str | None) -> Tables:
    """The classifier's tables for teasers in ``language`` (English ones for any other)."""
    t = tables()
    code = normalise(language)
    if code is None:
        return t
    seen = {phrase for listed in t.phrases.values() for phrase, _ in listed}
    extra: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for phrase, entry in _entries(code, t):
        if phrase and phrase not in seen:
            seen.add(phrase)
            extra.setdefault(phrase[0], []).append((phrase, entry))
    phrases = dict(t.phrases)
    for first, listed in extra.items():
        merged = [*phrases.get(first, ()), *listed]
        phrases[first] = tuple(sorted(merged, key=lambda pe: -len(pe[0])))
    return dataclasses.replace(t, phrases=phrases)
