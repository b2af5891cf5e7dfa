"""Region and country names in the bot's languages: CLDR (Babel) and pycountry, plus a few.

CLDR names every country and M49 region in each language; pycountry's ISO 3166 translations add
official forms ("Russische Föderation"). Groupings CLDR lacks ("Oriente Medio") and the names
people prefer over CLDR's are in ``data/regions_i18n.tsv``.
"""

from __future__ import annotations

import gettext
import re
from functools import cache
from importlib import resources

import pycountry
from babel import Locale

LANGUAGES = ("es", "pt", "fr", "de", "ru")  # besides English, which the tables speak


@cache
def _overrides() -> dict[str, dict[str, list[str]]]:
    text = resources.files("bot.core.regions").joinpath("data/regions_i18n.tsv").read_text("utf-8")
    out: dict[str, dict[str, list[str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, rid, names = line.split("\t")
        out.setdefault(lang, {})[rid] = [n.strip() for n in names.split("|") if n.strip()]
    return out


@cache
def typed_ambiguities() -> list[tuple[str, tuple[str, ...]]]:
    """Names that mean several countries, in every language; typed, they ask which one."""
    text = resources.files("bot.core.regions").joinpath("data/ambiguous_typed.txt")
    out: list[tuple[str, tuple[str, ...]]] = []
    for line in text.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        listed, _, codes = line.partition("=>")
        out.extend((n.strip(), tuple(codes.split())) for n in listed.split("|") if n.strip())
    return out


def _clean(name: str) -> str:
    return re.sub(r"\s*\(.*?\)", "", name).strip()


@cache
def display_names(language: str) -> dict[str, str]:
    """Region id -> the name shown in ``language`` (CLDR, or the override table)."""
    if language not in LANGUAGES:
        return {}
    territories = Locale.parse(language).territories
    names = {rid: _clean(name) for rid, name in territories.items() if not rid.isdigit()}
    # Where dropping "(…)" makes two places one ("Saint-Martin"), they keep it.
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    names = {
        rid: territories[rid] if seen[name] > 1 and rid in territories else name
        for rid, name in names.items()
    }
    names.update({rid: name for rid, name in territories.items() if rid.isdigit()})
    names["eu"] = territories["EU"]
    names.update({rid: listed[0] for rid, listed in _overrides().get(language, {}).items()})
    return names


@cache
def _iso_translation(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def typed_names(language: str, region_ids: frozenset[str]) -> list[tuple[str, str]]:
    """(name, region id) pairs people may type in ``language``, preferred names first."""
    pairs: list[tuple[str, str]] = []
    for rid, listed in _overrides().get(language, {}).items():
        pairs.extend((name, rid) for name in listed)
    territories = Locale.parse(language).territories
    pairs.extend(
        (_clean(name), rid)
        for rid, name in territories.items()
        if rid in region_ids and not rid.isdigit()
    )
    pairs.extend((name, rid) for rid, name in territories.items() if rid in region_ids)
    pairs.extend([(territories["EU"], "eu"), ("UE", "eu"), ("\u0415\u0421", "eu")])
    iso = _iso_translation(language)
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and country.alpha_2 in region_ids:
                local = iso.gettext(value)
                if local != value and "," not in local:
                    pairs.append((_clean(local), country.alpha_2))
    return pairs
