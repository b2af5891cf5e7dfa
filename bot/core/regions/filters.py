"""The region filters people type ("/region latin america asia") and how stories pass them."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import cache, lru_cache

from bot.core import i18n, texts
from bot.core.errors import BotError
from bot.core.filter_verbs import FilterOp, split_verb
from bot.core.models import RegionFilter
from bot.core.regions import names as names_i18n
from bot.core.regions.tables import (
    EVERYTHING_WORDS,
    KIND_ORDER,
    NONE_ID,
    RegionInfo,
    compact_key,
    tables,
)
from bot.core.regions.text import Typed, flags_to_codes, typed_words, words

_CONNECTORS = frozenset(
    {"and", "or", "plus", "the", "also", "y", "e", "o", "ou", "et", "und", "oder", "и", "или"}
)
_EVERYTHING = frozenset(words(w)[0] for w in EVERYTHING_WORDS)
_ARTICLE_START = ("Republic ", "DR ", "United ", "Democratic ", "Federated ", "Central African")
_ARTICLE_END = ("Islands", "Republic", "Netherlands", "Philippines", "Bahamas", "Emirates")


class FilterError(BotError):
    """A typed region name is unknown or ambiguous; `message` is one line with suggestions."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def display_name(region_id: str, language: str | None = None) -> str:
    """The name people use for a region id ("035" -> "Southeast Asia", "GB" -> "UK").

    In ``language`` (default: the language of the update being handled). Unknown ids come back
    as they are.
    """
    local = names_i18n.display_names(language or i18n.current()).get(region_id)
    if local is not None:
        return local
    info = tables().regions.get(region_id)
    return info.label if info else region_id


def hashtag(region_id: str) -> str:
    """A Telegram hashtag for a region id: "RU" -> "#Russia", "035" -> "#SoutheastAsia"."""
    parts = re.split(r"[\W_]+", display_name(region_id, "en").replace(" and ", " "))
    return "#" + "".join(p[:1].upper() + p[1:] for p in parts if p)


# Groupings people name a country's part of the world by, before its M49 sub-region.
_FAMILIAR_GROUPINGS = ("middle-east", "latin-america", "north-america", "caucasus", "nordic")
_EXTRA_TAGS: dict[str, tuple[str, ...]] = {"GB": ("#Britain",)}


def familiar_region(code: str) -> str | None:
    """The part of the world people name a country by: Iraq -> Middle East, Brazil -> Latin
    America, Myanmar -> Southeast Asia, UK -> Europe (M49's "Northern Europe" is jargon there)."""
    t = tables()
    chain = t.country_regions.get(code, ())
    for grouping in _FAMILIAR_GROUPINGS:
        if grouping in chain:
            return grouping
    info = t.regions.get(code)
    parent = info.parent if info else None
    if parent == "830":
        parent = "154"
    if parent == "154":
        return "150"
    return parent


def teaser_hashtags(countries: Sequence[str], limit: int = 3) -> list[str]:
    """The hashtags under a teaser: its countries (at most ``limit``), then their regions.

    ``#Russia #EasternEurope``, ``#UK #Britain #Europe``, ``#Iraq #MiddleEast``.
    """
    known = tables().regions
    codes = [code for code in countries if code in known][:limit]
    tags = [tag for code in codes for tag in (hashtag(code), *_EXTRA_TAGS.get(code, ()))]
    places = dict.fromkeys(r for code in codes if (r := familiar_region(code)) is not None)
    return list(dict.fromkeys([*tags, *(hashtag(r) for r in places)]))


def subregions_of(region_id: str) -> list[str]:
    """The M49 sub-regions directly inside a continent or sub-region, by familiar name."""
    infos = tables().regions.values()
    found = [
        info
        for info in infos
        if info.parent == region_id and info.kind in ("subregion", "intermediate")
    ]
    return [info.id for info in sorted(found, key=lambda info: info.label)]


def all_regions() -> list[RegionInfo]:
    """Every region the bot knows: continents, sub-regions, groupings, countries, "none"."""
    return sorted(tables().regions.values(), key=lambda r: (KIND_ORDER[r.kind], r.label))


def resolve_name(name: str) -> list[str]:
    """The ids a typed name can mean: none (unknown), one, or several (ambiguous)."""
    phrase = words(flags_to_codes(name))
    if not phrase:
        return []
    return list(_lookup(phrase) or ())


@cache
def _suggestion_names(language: str) -> tuple[tuple[str, str, bool], ...]:
    t = tables()
    primary = {" ".join(words(info.label)): rid for rid, info in t.regions.items()}
    for rid, name in names_i18n.display_names(language).items():  # the language's own names
        primary.setdefault(" ".join(words(name)), rid)
    out = []
    for phrase, ids in t.filter_names.items():
        if phrase in t.inflected:
            continue
        if len(ids) == 1 and (len(phrase) > 1 or len(phrase[0]) > 2):
            known = " ".join(phrase)
            out.append((known, ids[0], primary.get(known) == ids[0]))
    return tuple(out)


_LIKE = 0.7  # the least score a suggestion needs


def _matchers(language: str) -> tuple[tuple[str, str, bool, SequenceMatcher[str]], ...]:
    """The suggestion names with a matcher each, indexed once (per thread: matchers are not
    shared between threads)."""
    held: dict[str, tuple[tuple[str, str, bool, SequenceMatcher[str]], ...]]
    held = _MATCHERS.__dict__.setdefault("by_language", {})
    if language not in held:
        held[language] = tuple(
            (known, rid, is_primary, SequenceMatcher(None, "", known))
            for known, rid, is_primary in _suggestion_names(language)
        )
    return held[language]


_MATCHERS = threading.local()


def suggest(name: str) -> list[str]:
    """Up to three region ids whose names look like a mistyped or unknown name.

    "Eurasia" -> Europe, Asia (in the order they appear in the typed word).
    """
    query = " ".join(words(name))
    if not query:
        return []
    best: dict[str, tuple[float, int]] = {}
    for known, rid, is_primary, matcher in _matchers(i18n.current()):
        matcher.set_seq1(query)
        # ratio() only counts when it reaches _LIKE (below, another rule's score or none is
        # kept), and the quick ratios are upper bounds of it: only then is it worked out.
        likely = matcher.real_quick_ratio() >= _LIKE and matcher.quick_ratio() >= _LIKE
        score = matcher.ratio() if likely else 0.0
        pos = 0
        if len(known) >= 4 and known in query:
            score, pos = max(score, 0.85), query.index(known)
        elif len(query) >= 4 and known.startswith(query):
            score = max(score, 0.8)
        elif len(query) >= 4 and known[:3] == query[:3]:
            score = max(score, 0.6 + 0.05 * _common_prefix(query, known) - 0.005 * len(known))
        if not is_primary:
            score *= 0.9
        if score >= _LIKE and score > best.get(rid, (0.0, 0))[0]:
            best[rid] = (score, pos)
    if not best:
        return []
    top = max(score for score, _ in best.values())
    ranked = sorted(
        (kv for kv in best.items() if kv[1][0] >= top - 0.15),
        key=lambda kv: (-kv[1][0], KIND_ORDER[_kind(kv[0])], kv[0]),
    )[:3]
    return [rid for rid, _ in sorted(ranked, key=lambda kv: kv[1][1])]


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _kind(rid: str) -> str:
    info = tables().regions.get(rid)
    return info.kind if info else "country"


def _or_list(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {i18n.tr(texts.OR)} " + names[-1]


def _with_article(name: str) -> str:
    if i18n.current() != "en":
        return name
    if name.startswith(_ARTICLE_START) or name.endswith(_ARTICLE_END):
        return "the " + name
    return name


_ECHO_LIMIT = 64


def _shown(typed: str) -> str:
    """What someone typed, as repeated in an answer: at most 64 characters."""
    return typed if len(typed) <= _ECHO_LIMIT else typed[: _ECHO_LIMIT - 1] + "…"


def _unknown(typed: str) -> FilterError:
    typed = _shown(typed)
    ideas = [display_name(r) for r in suggest(typed)]
    if ideas:
        return FilterError(
            i18n.tr(texts.REGION_UNKNOWN_GUESS).format(typed=typed, ideas=_or_list(ideas))
        )
    return FilterError(i18n.tr(texts.REGION_UNKNOWN).format(typed=typed))


def _ambiguous(typed: str, ids: Sequence[str]) -> FilterError:
    names = [_with_article(display_name(r)) for r in ids]
    typed = _shown(typed[:1].upper() + typed[1:])  # it opens the question
    return FilterError(i18n.tr(texts.REGION_AMBIGUOUS).format(typed=typed, ideas=_or_list(names)))


@cache
def _shown_names(language: str) -> dict[str, str]:
    """Every name the bot shows in ``language`` (written together) -> its region id."""
    return {compact_key(words(display_name(rid, language))): rid for rid in tables().regions}


def _lookup(keys: Sequence[str], language: str | None = None) -> tuple[str, ...] | None:
    """The ids a run of typed words names: first as the bot shows names in the chat's language
    (``language``: English for a hashtag), then by any name in any language, by its words or
    written together ("EE. UU.", "#EasternEurope")."""
    t = tables()
    shown = _shown_names(language or i18n.current()).get(compact_key(keys))
    if shown is not None:
        return (shown,)
    found = t.filter_names.get(tuple(keys))
    if found is None:
        found = t.compact_names.get(compact_key(keys))
    return found


def _parse_names(text: str) -> list[str] | None:
    """The ids named in `text`, in order; None when it says "all"/"everything"/"clear"."""
    t = tables()
    text = flags_to_codes(unicodedata.normalize("NFC", text))
    ids: list[str] = []
    everything = False
    for chunk in re.finditer(r"[^,;/|+]+", text):
        toks = typed_words(chunk.group())
        keys = [tok.key for tok in toks]

        def quoted(i: int, j: int, toks: list[Typed] = toks, at: int = chunk.start()) -> str:
            return text[at + toks[i].start : at + toks[j - 1].end]

        i = 0
        while i < len(keys):
            tag = toks[i].start > 0 and chunk.group()[toks[i].start - 1] == "#"
            for size in range(min(t.max_filter_words, len(keys) - i), 0, -1):
                found = _lookup(keys[i : i + size], "en" if tag else None)
                if found is not None:
                    break
            else:
                found, size = None, 1
            if found is None:
                if keys[i] in _EVERYTHING:
                    everything = True
                elif keys[i] not in _CONNECTORS:
                    j = i + 1
                    while j < len(keys) and not _known_at(keys, j):
                        j += 1
                    raise _unknown(quoted(i, j))
            elif len(found) > 1:
                raise _ambiguous(quoted(i, i + size), found)
            else:
                ids.append(found[0])
            i += size
    if everything:
        if ids:
            raise FilterError(i18n.tr(texts.REGION_ALL_ALONE))
        return None
    if not ids:
        raise FilterError(i18n.tr(texts.REGION_NONE_NAMED))
    return ids


def _known_at(keys: list[str], j: int) -> bool:
    t = tables()
    if keys[j] in _CONNECTORS or keys[j] in _EVERYTHING:
        return True
    return any(
        _lookup(keys[j : j + size]) is not None
        for size in range(1, min(t.max_filter_words, len(keys) - j) + 1)
    )


def _inside(rid: str, container: str) -> bool:
    """True when region/country `rid` lies within `container` (or is it)."""
    if rid == container:
        return True
    t = tables()
    info = t.regions.get(rid)
    cont = t.regions.get(container)
    if info is None or cont is None or not cont.countries:
        return False
    return bool(info.countries) and set(info.countries) <= set(cont.countries)


def within(rid: str, container: str) -> bool:
    """True when region/country ``rid`` lies inside ``container`` (or is it)."""
    return _inside(rid, container)


def edit_filter(current: RegionFilter, op: FilterOp, names: str) -> RegionFilter:
    """Set, add to or remove from a filter the regions named in `names`."""
    ids = _parse_names(names)
    if ids is None:
        return RegionFilter()
    if op == "set":
        return RegionFilter(frozenset(ids))
    if op == "add":
        return RegionFilter(current.ids | frozenset(ids))
    gone = {r for r in current.ids if any(_inside(r, named) for named in ids)}
    if not gone:
        named = ", ".join(display_name(r) for r in dict.fromkeys(ids))
        return _raise_not_in(named, current)
    return RegionFilter(current.ids - gone)


def _raise_not_in(named: str, current: RegionFilter) -> RegionFilter:
    raise FilterError(
        i18n.tr(texts.REGION_NOT_IN).format(named=named, current=format_filter(current))
    )


def parse_filter(text: str, current: RegionFilter | None = None) -> RegionFilter:
    """Read a typed filter: "europe asia", "add ru", "remove asia", "all"."""
    op, names = split_verb(text)
    return edit_filter(current if current is not None else RegionFilter(), op, names)


def format_filter(f: RegionFilter) -> str:
    """A filter for people: "Europe, Middle East, Russia"; "everything" when empty."""
    if f.is_everything:
        return i18n.tr(texts.EVERYTHING)
    t = tables()

    def order(rid: str) -> tuple[int, str]:
        info = t.regions.get(rid)
        return (KIND_ORDER[info.kind], info.label) if info else (9, rid)

    return ", ".join(display_name(r) for r in sorted(f.ids, key=order))


def filter_to_text(f: RegionFilter) -> str:
    """The canonical stored form: sorted ids separated by spaces ("" for everything)."""
    return " ".join(sorted(f.ids))


@lru_cache(maxsize=4096)
def filter_from_text(s: str) -> RegionFilter:
    """Read the stored form back; ids the tables no longer know are kept (they match nothing).

    Cached: a fan-out reads every subscribed chat's filter, and most chats share a few.
    """
    return RegionFilter(frozenset(s.split()))


def matches(f: RegionFilter, countries: Sequence[str], regions: Sequence[str] = ()) -> bool:
    """True when a story with these countries passes the filter.

    Empty filter: everything. "none": stories with no country. Otherwise any country of the story
    inside any id of the filter (or one of the story's own region ids in it).
    """
    if f.is_everything:
        return True
    ids = f.ids
    if not countries and NONE_ID in ids:
        return True
    country_regions = tables().country_regions
    for code in countries:
        if code in ids or not ids.isdisjoint(country_regions.get(code, ())):
            return True
    return not ids.isdisjoint(regions)
