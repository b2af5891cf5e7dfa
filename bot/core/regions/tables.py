"""The country and region tables: M49 membership, groupings, names, and the classifier's phrases.

Loaded once from `data/m49.tsv`, `data/places.txt` and pycountry; see those files for the formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

import pycountry

from bot.core.regions import names as names_i18n
from bot.core.regions import stored
from bot.core.regions.text import fold, words

RegionKind = Literal["continent", "subregion", "intermediate", "grouping", "country", "none"]
EntryKind = Literal["country", "ambiguous", "region", "stop"]

NONE_ID = "none"
NONE_NAME = "International"

# The names people use, shown on buttons, in replies and in hashtags. The M49 names stay the
# internal model (and what the labelled data and ``subregion_names`` speak).
FAMILIAR_NAMES: dict[str, str] = {
    "015": "North Africa",
    "014": "East Africa",
    "017": "Central Africa",
    "011": "West Africa",
    "021": "USA and Canada",
    "030": "East Asia",
    "035": "Southeast Asia",
    "034": "South Asia",
    "145": "West Asia",
    "US": "USA",
    "GB": "UK",
    "AE": "UAE",
    "nordic": "Nordics",
    "gulf": "Gulf states",
}
NONE_WORDS = (
    "none",
    "international",
    "world",
    "global",
    "worldwide",
    "no region",
    "no country",
    "no particular country",
    "international / no region",
    "nowhere",
)
EVERYTHING_WORDS = (
    *("all", "everything", "clear", "any", "anything", "everywhere", "reset"),
    *("todo", "todas", "todos", "tudo", "tout", "toutes", "tous", "alle", "alles", "все", "всё"),
)

KIND_ORDER: dict[str, int] = {
    "continent": 0,
    "subregion": 1,
    "intermediate": 2,
    "grouping": 3,
    "country": 4,
    "none": 5,
}
_HASHTAG_DROPS = frozenset({"and", "y", "e", "et", "und", "и"})  # "#USACanada"
_WEIGHTS = {"n": 1.0, "d": 0.8, "c": 0.8, "s": 0.8, "p": 0.9, "o": 0.8}
_AMBIGUOUS_WEIGHT = 0.9
_CODE = re.compile(r"^[A-Z]{2}$")


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """A region the bot understands: a continent, M49 sub-region, grouping, country or 'none'."""

    id: str
    name: str
    kind: RegionKind
    parent: str | None = None
    countries: tuple[
        str, ...
    ] = ()  # ISO alpha-2 codes inside it (the country itself for a country)
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The name people use ("Southeast Asia", "UK"); ``name`` keeps the M49 name."""
        return FAMILIAR_NAMES.get(self.id, self.name)


@dataclass(frozen=True, slots=True)
class Entry:
    """What one phrase in a teaser can mean."""

    kind: EntryKind
    codes: tuple[str, ...] = ()  # candidate countries
    weight: float = 1.0
    upper: bool = False  # must be written in capitals ("US")
    first_name: bool = False  # also a first name ("Chad Smith")
    surname: bool = False  # a leader's bare surname, borne by others too ("Francisco Correa")
    veto_next: frozenset[str] = frozenset()
    veto_context: frozenset[str] = frozenset()
    cues: tuple[tuple[str, frozenset[str]], ...] = ()
    default: str | None = None
    region: str | None = None  # for kind "region"
    anycase: bool = False  # a lowercase demonym in another language ("rusos", "russische")


@dataclass(slots=True)
class Tables:
    """Everything the classifier and the filter parser look up."""

    regions: dict[str, RegionInfo] = field(default_factory=dict)
    country_regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    subregion_names: dict[str, str] = field(default_factory=dict)
    # classifier: first word -> (phrase words, entry), longest phrase first
    phrases: dict[str, tuple[tuple[tuple[str, ...], Entry], ...]] = field(default_factory=dict)
    # filter parser: phrase words -> ids it can mean
    filter_names: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    # the same names written together ("eeuu", "grandebretagne"), for "EE. UU." and "EEUU"
    compact_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_filter_words: int = 1
    # typed forms made by rule ("rusas", "России"): understood, never suggested
    inflected: frozenset[tuple[str, ...]] = frozenset()
    # phrase -> (next words, context words) that say it is not a place ("Rosa Luxemburg")
    vetoes: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)


def _data(name: str) -> str:
    return (
        resources.files("bot.core.regions")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )


def _lines(text: str) -> list[str]:
    return [ln.rstrip("\n") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _split(names: str) -> list[str]:
    return [n.strip() for n in names.split("|") if n.strip()]


def _load_m49(t: Tables) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for line in _lines(_data("m49.tsv")):
        cols = line.split("\t")
        if cols[0] == "region":
            rid, parent, kind, name = cols[1], cols[2], cols[3], cols[4]
            aliases = tuple(_split(cols[5])) if len(cols) > 5 else ()
            assert kind in ("continent", "subregion", "intermediate", "grouping")
            t.regions[rid] = RegionInfo(
                id=rid,
                name=name,
                kind=kind,  # type: ignore[arg-type]
                parent=None if parent == "-" else parent,
                aliases=aliases,
            )
        elif cols[0] == "member":
            members.setdefault(cols[1], []).extend(cols[2].split())
    return members


def _ancestors(t: Tables, rid: str) -> list[str]:
    chain: list[str] = []
    cur: str | None = rid
    while cur is not None:
        chain.append(cur)
        cur = t.regions[cur].parent
    return chain


def _pycountry_names(country: object) -> list[str]:
    names = []
    for attr in ("name", "official_name", "common_name"):
        value = getattr(country, attr, None)
        if not value or "," in value:
            continue
        value = re.sub(r"\s*\(.*?\)", "", value).strip()
        if value.lower().startswith("the "):
            value = value[4:]
        names.append(value)
    return names


@dataclass(slots=True)
class _Places:
    names: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # code -> field -> names
    ambiguous: list[tuple[bool, list[str], list[str], str | None, dict[str, list[str]]]] = field(
        default_factory=list
    )
    vetoes: dict[str, tuple[set[str], set[str]]] = field(default_factory=dict)
    stops: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)


def _load_places() -> _Places:
    p = _Places()
    for line in _lines(_data("places.txt")):
        if line.startswith("?"):
            org = line.startswith("?o")
            head, _, rest = line[2 if org else 1 :].partition("=>")
            parts = [s.strip() for s in rest.split(";")]
            codes = parts[0].split()
            default: str | None = None
            cues: dict[str, list[str]] = {}
            for part in parts[1:]:
                if part.startswith("default"):
                    default = part.split()[1]
                elif part.startswith("cue"):
                    label, _, cue_words = part.partition(":")
                    cues[label.split()[1]] = cue_words.split()
            p.ambiguous.append((org, _split(head), codes, default, cues))
        elif line.startswith("!"):
            parts = [s.strip() for s in line[1:].split(";")]
            nxt: set[str] = set()
            ctx: set[str] = set()
            for part in parts[1:]:
                label, _, vals = part.partition(":")
                (nxt if label.strip() == "next" else ctx).update(v.lower() for v in vals.split())
            p.vetoes[parts[0].lower()] = (nxt, ctx)
        elif line.startswith("-"):
            p.stops.extend(_split(line[1:]))
        elif line.startswith("@"):
            _, code, name = line.split(maxsplit=2)
            p.display[code] = name
        else:
            code, _, rest = line.partition(" ")
            fields = p.names.setdefault(code, {})
            for part in rest.split(";"):
                label, _, names = part.partition(":")
                fields.setdefault(label.strip(), []).extend(_split(names))
    return p


def _display_name(code: str, country: object, places: _Places) -> str:
    if code in places.display:
        return places.display[code]
    common = getattr(country, "common_name", None)
    name = str(getattr(country, "name", code))
    if common:
        return str(common)
    if "," in name or "(" in name:
        official = getattr(country, "official_name", None)
        if official and "," not in official:
            return str(official)
        return re.sub(r"\s*\(.*?\)", "", name.split(",", maxsplit=1)[0]).strip()
    return name


def _phrase(name: str) -> tuple[tuple[str, ...], bool, bool]:
    """The words of a table name, whether it must be in capitals, and whether it is a first name."""
    first_name = name.startswith("~")
    name = name.lstrip("~=")
    letters = re.sub(r"[^A-Za-z]", "", fold(name))
    upper = len(letters) >= 2 and letters.isupper()
    return words(name), upper, first_name


def _plural_demonyms(names: list[str]) -> list[str]:
    return names + [n + "s" for n in names if n[-1] in "nio" and " " not in n]


class _PhraseBuilder:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, ...], Entry] = {}
        self.priority: dict[tuple[str, ...], int] = {}
        self.conflicts: list[str] = []

    def add(self, name: str, entry: Entry, priority: int) -> None:
        phrase, upper, first_name = _phrase(name)
        if not phrase:
            return
        entry = Entry(
            kind=entry.kind,
            codes=entry.codes,
            weight=entry.weight,
            upper=upper,
            first_name=first_name,
            surname=entry.surname,
            cues=entry.cues,
            default=entry.default,
            region=entry.region,
        )
        old = self.entries.get(phrase)
        old_priority = self.priority.get(phrase, -1)
        if old is not None and old_priority == priority and old.codes != entry.codes:
            if entry.kind == old.kind == "country":
                self.conflicts.append(f"{' '.join(phrase)}: {old.codes} vs {entry.codes}")
            return
        if old is not None and old_priority > priority:
            return
        if old is not None and old_priority == priority and old.weight >= entry.weight:
            return
        self.entries[phrase] = entry
        self.priority[phrase] = priority


@cache
def tables() -> Tables:
    """Every table, indexed: built once per process, or read as an earlier process built it
    (``stored.py``: about 0.05 s of CPU instead of about 0.45 s)."""
    return stored.load_or_build("en", Tables, _build_tables)


def _build_tables() -> Tables:
    """Load and index every table."""
    t = Tables()
    members = _load_m49(t)
    places = _load_places()

    # Countries: every ISO code pycountry knows, with its M49 parents and groupings.
    country_parent: dict[str, str] = {}
    groupings: dict[str, list[str]] = {}
    for rid, codes in members.items():
        for code in codes:
            if t.regions[rid].kind == "grouping":
                groupings.setdefault(code, []).append(rid)
            else:
                country_parent[code] = rid
    region_countries: dict[str, list[str]] = {rid: [] for rid in t.regions}
    countries = {c.alpha_2: c for c in pycountry.countries}
    for code, country in sorted(countries.items()):
        parent = country_parent.get(code)
        chain = _ancestors(t, parent) if parent else []
        chain += groupings.get(code, [])
        t.country_regions[code] = tuple(chain)
        for rid in chain:
            region_countries[rid].append(code)
        if parent:
            sub = parent if t.regions[parent].id != "830" else t.regions[parent].parent
            assert sub is not None
            t.subregion_names[code] = t.regions[sub].name
        aliases = tuple(places.names.get(code, {}).get("n", ()))
        t.regions[code] = RegionInfo(
            id=code,
            name=_display_name(code, country, places),
            kind="country",
            parent=parent,
            countries=(code,),
            aliases=tuple(a.lstrip("~=") for a in aliases),
        )
    for rid, codes in region_countries.items():
        info = t.regions[rid]
        t.regions[rid] = RegionInfo(
            id=info.id,
            name=info.name,
            kind=info.kind,
            parent=info.parent,
            countries=tuple(sorted(codes)),
            aliases=info.aliases,
        )
    t.regions[NONE_ID] = RegionInfo(id=NONE_ID, name=NONE_NAME, kind="none")

    t.vetoes = {k: (frozenset(n), frozenset(c)) for k, (n, c) in places.vetoes.items()}
    _build_phrases(t, places, countries)
    _build_filter_names(t, places, countries)
    return t


def _build_phrases(t: Tables, places: _Places, countries: Mapping[str, object]) -> None:
    b = _PhraseBuilder()
    for code, country in countries.items():
        for name in _pycountry_names(country):
            b.add(name, Entry(kind="country", codes=(code,)), 1)
    for code, fields in places.names.items():
        for label, listed in fields.items():
            # "Correa" alone, listed beside "Rafael Correa": after another first name it is
            # someone else.
            surnames = {n.split()[-1] for n in listed if " " in n} if label == "p" else set()
            for name in _plural_demonyms(listed) if label == "d" else listed:
                entry = Entry(
                    kind="country",
                    codes=(code,),
                    weight=_WEIGHTS[label],
                    surname=name in surnames,
                )
                b.add(name, entry, 2)
    for rid, info in t.regions.items():
        if info.kind in ("continent", "subregion", "intermediate", "grouping"):
            for name in (info.name, *info.aliases):
                b.add(name, Entry(kind="region", region=rid), 3)
    for name in places.stops:
        b.add(name, Entry(kind="stop"), 4)
    for _org, names, codes, default, cues in places.ambiguous:
        cue_sets = tuple((c, frozenset(w.lower() for w in ws)) for c, ws in cues.items())
        for name in names:
            entry = Entry(
                kind="ambiguous",
                codes=tuple(codes),
                weight=_AMBIGUOUS_WEIGHT,
                cues=cue_sets,
                default=default,
            )
            b.add(name, entry, 5)
    if b.conflicts:
        raise ValueError("conflicting place names: " + "; ".join(b.conflicts))
    by_first: dict[str, list[tuple[tuple[str, ...], Entry]]] = {}
    for phrase, found in b.entries.items():
        entry = found
        veto = places.vetoes.get(" ".join(phrase))
        if veto:
            entry = Entry(
                kind=entry.kind,
                codes=entry.codes,
                weight=entry.weight,
                upper=entry.upper,
                first_name=entry.first_name,
                surname=entry.surname,
                veto_next=frozenset(veto[0]),
                veto_context=frozenset(veto[1]),
                cues=entry.cues,
                default=entry.default,
                region=entry.region,
            )
        by_first.setdefault(phrase[0], []).append((phrase, entry))
    t.phrases = {
        k: tuple(sorted(v, key=lambda pe: -len(pe[0]))) for k, v in sorted(by_first.items())
    }


def _build_filter_names(t: Tables, places: _Places, countries: Mapping[str, object]) -> None:
    names: dict[tuple[str, ...], dict[str, None]] = {}
    primary: dict[tuple[str, ...], dict[str, None]] = {}

    def add(name: str, rid: str, *, first: bool = False) -> None:
        phrase = words(name.lstrip("~="))
        if phrase:
            (primary if first else names).setdefault(phrase, {})[rid] = None

    for rid, info in t.regions.items():
        add(info.name, rid, first=True)
        add(info.label, rid, first=True)
        for alias in info.aliases:
            add(alias, rid)
    for code, country in countries.items():
        add(code, code, first=True)
        for name in _pycountry_names(country):
            add(name, code)
        fields = places.names.get(code, {})
        for name in _plural_demonyms(fields.get("d", [])):
            add(name, code)
    for org, amb_names, codes, default, _cues in places.ambiguous:
        if org:
            continue
        for name in amb_names:
            for code in [default] if default else codes:
                add(name, code)
    for word in NONE_WORDS:
        add(word, NONE_ID)
    # A region's or country's own name beats another's alias; otherwise several ids = ambiguous.
    merged = {k: tuple(v) for k, v in names.items()}
    merged.update({k: tuple(v) for k, v in primary.items()})
    t.inflected = _add_other_languages(merged, frozenset(t.regions))
    t.filter_names = merged
    compact: dict[str, tuple[str, ...]] = {}
    for phrase, ids in sorted(merged.items(), key=lambda kv: len(kv[0])):
        compact.setdefault(compact_key(phrase), ids)
    for phrase, ids in sorted(merged.items(), key=lambda kv: len(kv[0])):
        # as a hashtag writes it: "#USACanada", "#BosniaHerzegovina"
        compact.setdefault(compact_key(w for w in phrase if w not in _HASHTAG_DROPS), ids)
    t.compact_names = compact
    t.max_filter_words = max(len(k) for k in merged)


def _add_other_languages(
    merged: dict[tuple[str, ...], tuple[str, ...]], known: frozenset[str]
) -> frozenset[tuple[str, ...]]:
    """Names in the bot's other languages fill in where English has none ("Rusia", "России"),
    then their demonyms in every form ("rusas", "russische", "русские"); a name that means
    several countries asks which one ("korea": North or South?)."""
    from bot.core.regions.foreign import name_forms, typed_demonyms  # noqa: PLC0415 (a cycle)

    forms: set[tuple[str, ...]] = set()
    for language in names_i18n.LANGUAGES:
        for name, rid in names_i18n.typed_names(language, known):
            for form in name_forms(language, name) if language == "ru" else [name]:
                phrase = words(form)
                if phrase and phrase not in merged:
                    merged[phrase] = (rid,)
                    if form != name:
                        forms.add(phrase)
    for phrase, code in typed_demonyms():
        if phrase and phrase not in merged:
            merged[phrase] = (code,)
            forms.add(phrase)
    for name, asked in names_i18n.typed_ambiguities():
        merged[words(name)] = asked
    return frozenset(forms)


def compact_key(phrase: Iterable[str]) -> str:
    """A name's words written together, apostrophes dropped: "eeuu", "cotedivoire"."""
    return "".join(phrase).replace("'", "")


def is_country_code(rid: str) -> bool:
    """True for an ISO alpha-2 code the tables know."""
    return bool(_CODE.match(rid)) and rid in tables().regions
