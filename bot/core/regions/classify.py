"""Which countries a teaser is about: names, demonyms, cities, leaders and parties, weighed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.models import Classification
from bot.core.regions.foreign import tables_for
from bot.core.regions.tables import Entry, Tables, is_country_code, tables
from bot.core.regions.text import _TOKEN, fold

TITLE_WEIGHT = 3.0  # a title mention weighs three summary mentions
SUMMARY_WEIGHT = 1.0
TAG_WEIGHT = 4.0  # a category/tag that is exactly a place name
PREFIX_BONUS = 3.0  # "Pakistan: Amar Fayaz Released!"
TITLE_KEEP = 2.0  # a full title mention keeps its country whatever the others score
RELATIVE_KEEP = 0.6  # otherwise a country needs this share of the best country's score
MIN_SCORE = 0.5
REGION_BOOST = 2.0  # countries inside a region the title or tags name ("Latin American women")
COMPOUND_FACTOR = 0.3  # "Russian-style", "Singapore-on-Thames", "US-backed"
WEAK_NEXT = frozenset({"flag", "flags"})  # "waving Russian flags" is a symbol, not a place
# Special administrative regions imply their sovereign.
IMPLIES = {"HK": "CN", "MO": "CN"}
# Capitalised words that stand before a leader's surname without being another first name.
_TITLES = frozenset(
    (
        *("president", "presidente", "presidenta", "expresidente", "expresidenta", "ex"),
        *("prime", "minister", "ministro", "ministra", "ministre", "chancellor", "kanzler"),
        *("senator", "senador", "senadora", "governor", "gobernador", "mayor", "alcalde"),
        *("general", "king", "rey", "queen", "reina", "pope", "papa", "premier", "leader"),
        *("former", "mr", "mrs", "ms", "dr", "sir", "don", "dona", "senor", "senora", "herr"),
        *("frau", "madame", "monsieur", "praesident", "prasident", "president", "lider"),
    )
)

# Abbreviations and words that make a town's name a club's: "FC Augsburg", "Borussia Dortmund",
# "AS Monaco", "VfB Stuttgart". The club is no evidence of a place ("1. FC Köln", "SSC Napoli").
_CLUB_MARKS = frozenset(
    (
        *("FC", "SC", "SV", "VfB", "VfL", "TSG", "TSV", "SpVgg", "AS", "AC", "SSC", "OGC"),
        *("RC", "CF", "CD", "UD", "RCD", "SD", "Borussia"),
    )
)
# Guillemets round a name alone make it a title or a team: «Вашингтон», „Travemünde“.
_OPEN_QUOTES = ("«", "„")
_CLOSE_QUOTES = ("»", "“", '"')

_NOT_SURNAMES = frozenset(
    (
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("january", "february", "march", "april", "may", "june", "july", "august"),
        *("september", "october", "november", "december"),
    )
)


@dataclass(frozen=True, slots=True)
class _Mention:
    entry: Entry
    weight: float  # already multiplied by the segment's factor
    position: int
    unconfirmed: bool = False  # a first-name place in a Title-Case title: needs other evidence
    qualifier: str | None = None  # the country named just before: "New Zealand Labour Party"


def _is_title_case(tokens: list[str]) -> bool:
    long = [w for w in tokens if len(w) >= 4]
    return len(long) >= 3 and sum(w[0].isupper() for w in long) >= 0.75 * len(long)


@dataclass(frozen=True, slots=True)
class _Words:
    """One piece of text cut into words: the matches, their raw forms and lower-case keys."""

    folded: str
    found: list[re.Match[str]]
    raws: list[str]
    keys: list[str]


# French (and Italian) elision: "l'Ukraine", "d'Israël", "qu'Haïti" name Ukraine, Israel, Haiti.
_ELIDED = re.compile(r"^(?:[lLdDjJnNsScCmMtT]|[qQ]u|[jJ]usqu|[lL]orsqu|[pP]uisqu)'(?=[A-Z])")


def _words(text: str) -> _Words:
    folded = fold(text)
    found = list(_TOKEN.finditer(folded))
    raws: list[str] = []
    for m in found:
        raw = m.group()
        raws.append(raw[:-2] if raw.endswith(("'s", "'S")) else raw)
    return _Words(folded, found, raws, [raw.lower() for raw in raws])


def _hits(w: _Words, t: Tables) -> list[tuple[int, int, Entry]]:
    """The place phrases among the words, longest match first, left to right.

    A word with an elided article ("l'Ukraine", "d'Israël") is also tried without it, unless
    it is a name as it stands ("Côte d'Ivoire").
    """
    n = len(w.keys)
    hits: list[tuple[int, int, Entry]] = []
    i = 0
    phrases = t.phrases
    while i < n:
        hit = _hit_at(w.keys, w.raws, i, t) if w.keys[i] in phrases else None
        if hit is None and "'" in w.raws[i] and (bare := _ELIDED.sub("", w.raws[i])) != w.raws[i]:
            raws = [*w.raws[:i], bare, *w.raws[i + 1 :]]
            hit = _hit_at([*w.keys[:i], bare.lower(), *w.keys[i + 1 :]], raws, i, t)
        if hit is None:
            i += 1
            continue
        hits.append((i, hit[0], hit[1]))
        i += hit[0]
    return hits


def _hit_at(keys: list[str], raws: list[str], i: int, t: Tables) -> tuple[int, Entry] | None:
    """The longest place phrase starting at word ``i``: its size and entry."""
    for phrase, entry in t.phrases.get(keys[i], ()):
        size = len(phrase)
        if size > 1 and tuple(keys[i : i + size]) != phrase:
            continue
        if _case_ok(raws, i, size, entry):
            return size, entry
    return None


def _scan(
    text: str, factor: float, offset: int, t: Tables, *, is_title: bool = False, whole: bool = False
) -> tuple[list[_Mention], list[str], list[str]]:
    """Find the place phrases in one piece of text (longest match wins)."""
    w = _words(text)
    hits = _hits(w, t)
    if whole and not (len(hits) == 1 and hits[0][0] == 0 and hits[0][1] == len(w.keys)):
        return [], w.keys, w.raws
    covered = {j for (s, size, _e) in hits for j in range(s, s + size)}
    title_case = is_title and _is_title_case(w.raws)
    mentions: list[_Mention] = []
    prev_end = -1
    prev_code: str | None = None
    for start, size, entry in hits:
        qualifier = prev_code if prev_end == start else None
        prev_end, prev_code = start + size, entry.codes[0] if entry.kind == "country" else None
        if entry.kind == "stop":
            continue
        mention = _mention(w, (start, size, entry), factor, covered, (title_case, is_title))
        if mention is not None:
            weight, unconfirmed = mention
            mentions.append(_Mention(entry, weight, offset + start, unconfirmed, qualifier))
    return mentions, w.keys, w.raws


def _mention(
    w: _Words,
    hit: tuple[int, int, Entry],
    factor: float,
    covered: set[int],
    title: tuple[bool, bool],
) -> tuple[float, bool] | None:
    """The weight of one place phrase and whether it is unconfirmed (a title in Title Case).

    ``title``: whether the text is in title case, and whether it is a title.

    None when its surroundings say it is not a place ("Chad Smith", a vetoed next word).
    """
    keys, raws, found, folded, n = w.keys, w.raws, w.found, w.folded, len(w.keys)
    start, size, entry = hit
    title_case, is_title = title
    end = start + size  # index of the next word
    last = found[end - 1]
    nxt_key = keys[end] if end < n else ""
    if nxt_key and nxt_key in entry.veto_next:
        return None
    if _named_thing(w, start, end):
        return None
    weight = entry.weight * factor
    unconfirmed = False
    possessive = last.group().endswith(("'s", "'S"))
    if (
        entry.first_name
        and end < n
        and not possessive
        and raws[end][:1].isupper()
        and end not in covered
        and nxt_key not in _NOT_SURNAMES
        and folded[last.end() : found[end].start()].isspace()
    ):
        if not title_case:
            return None  # "Chad Smith", "Santiago Peña": a person
        unconfirmed = True
    if entry.surname and not title_case and _other_first_name(w, start, covered):
        return None  # "Francisco Correa" is not Rafael Correa
    if nxt_key in WEAK_NEXT:
        weight *= COMPOUND_FACTOR
    if _joined(w, start, end, covered):
        weight *= COMPOUND_FACTOR
    elif is_title and start == 0 and folded[last.end() :].lstrip().startswith(":"):
        weight += PREFIX_BONUS * entry.weight
    return weight, unconfirmed


def _named_thing(w: _Words, start: int, end: int) -> bool:
    """The place name is a club's ("FC Augsburg") or stands alone in guillemets («Вашингтон»)."""
    found, folded = w.found, w.folded
    first, last = found[start], found[end - 1]
    if (
        start > 0
        and w.raws[start - 1] in _CLUB_MARKS
        and folded[found[start - 1].end() : first.start()].isspace()
    ):
        return True
    before = folded[: first.start()].rstrip()
    after = folded[last.end() :].lstrip()
    return before.endswith(_OPEN_QUOTES) and after.startswith(_CLOSE_QUOTES)


def _other_first_name(w: _Words, start: int, covered: set[int]) -> bool:
    """A capitalised word other than a title stands before this surname, inside a sentence.

    The first word of a sentence is capitalised anyway, so it says nothing ("Según Correa").
    """
    found, folded, before = w.found, w.folded, start - 1
    if before < 1 or before in covered or not w.raws[before][:1].isupper():
        return False
    if w.keys[before] in _TITLES:
        return False
    between = folded[found[before].end() : found[start].start()]
    previous = folded[found[before - 1].end() : found[before].start()]
    return between.isspace() and not any(c in previous for c in '.:!?¡¿"«“')


def _joined(w: _Words, start: int, end: int, covered: set[int]) -> bool:
    """The phrase is hyphenated to a neighbouring word ("Russia-backed", "pro-China")."""
    found, folded, n = w.found, w.folded, len(w.keys)
    first, last = found[start], found[end - 1]
    before = (
        start > 0
        and first.start() > 0
        and folded[first.start() - 1] == "-"
        and found[start - 1].end() == first.start() - 1
        and start - 1 not in covered
    )
    after = (
        end < n
        and folded[last.end() : last.end() + 1] == "-"
        and found[end].start() == last.end() + 1
        and end not in covered
    )
    return before or after


def _case_ok(raws: list[str], i: int, size: int, entry: Entry) -> bool:
    if entry.anycase:
        return True
    first = raws[i]
    if not first[:1].isupper():
        return False
    if entry.upper:
        if not all(r.isupper() for r in raws[i : i + size]):
            return False
        before = raws[i - 1] if i else ""
        after = raws[i + size] if i + size < len(raws) else ""
        # "TELL US NOW": a word in a run of capitals is not an abbreviation
        return not (len(before) > 1 and before.isupper() and len(after) > 1 and after.isupper())
    return not (size == 1 and len(first) <= 3 and first.isupper())


def _default_ids(default_region: str | None) -> tuple[str, ...]:
    if not default_region:
        return ()
    t = tables()
    if default_region in t.regions:
        return (default_region,)
    from bot.core.regions.filters import FilterError, resolve_name  # noqa: PLC0415 (avoids a cycle)

    try:
        ids = resolve_name(default_region)
    except FilterError:
        return ()
    return tuple(ids) if len(ids) == 1 else ()


@dataclass(slots=True)
class _Evidence:
    """What the mentions in one teaser add up to, country by country."""

    scores: dict[str, float] = field(default_factory=dict)
    title_scores: dict[str, float] = field(default_factory=dict)
    first_seen: dict[str, int] = field(default_factory=dict)
    forced: list[str] = field(default_factory=list)
    context_regions: set[str] = field(default_factory=set)

    def credit(self, code: str, m: _Mention) -> None:
        self.scores[code] = self.scores.get(code, 0.0) + m.weight
        self.first_seen.setdefault(code, m.position)
        if 0 <= m.position < 10_000:
            self.title_scores[code] = self.title_scores.get(code, 0.0) + m.weight
        if m.position < 0 and m.weight >= TAG_WEIGHT * 0.75 and code not in self.forced:
            self.forced.append(code)

    def known(self) -> set[str]:
        return set(self.scores) | set(self.forced)


def classify(
    title: str,
    summary: str = "",
    categories: Sequence[str] = (),
    default_region: str | None = None,
    language: str | None = None,
) -> Classification:
    """Countries a teaser is about (most relevant first) and their region ids.

    ``language``: the teaser's language ("es", "pt-BR"); its own names count too.
    """
    t = tables_for(language)
    evidence = _Evidence()
    default_ids = _default_ids(default_region)
    for rid in default_ids:
        if is_country_code(rid):
            evidence.forced.append(rid)
        elif rid != "none":
            evidence.context_regions.add(rid)
    mentions, context_words = _mentions(title, summary, categories, t)
    deferred = _credit_plain(evidence, mentions, context_words)
    _credit_deferred(evidence, deferred, context_words)
    countries = _ranked(evidence, t)
    regions = region_ids_for(countries)
    if not countries and evidence.context_regions and default_ids:
        regions = _with_ancestors([r for r in default_ids if r in evidence.context_regions], t)
    return Classification(countries=tuple(countries), regions=regions)


def _mentions(
    title: str, summary: str, categories: Sequence[str], t: Tables
) -> tuple[list[_Mention], set[str]]:
    """Every place mention in the tags, title and summary, and every word they hold."""
    context_words: set[str] = set()
    tag_mentions: list[_Mention] = []
    for k, cat in enumerate(categories):
        found, keys, _ = _scan(cat, TAG_WEIGHT, -1000 + k, t, whole=True)
        tag_mentions.extend(found)
        context_words.update(keys)
    title_mentions, keys, _ = _scan(title, TITLE_WEIGHT, 0, t, is_title=True)
    context_words.update(keys)
    summary_mentions, keys, _ = _scan(summary, SUMMARY_WEIGHT, 10_000, t)
    context_words.update(keys)
    return tag_mentions + title_mentions + summary_mentions, context_words


def _credit_plain(
    evidence: _Evidence, mentions: list[_Mention], context_words: set[str]
) -> list[_Mention]:
    """Credit the unambiguous country mentions; return the ones that need that evidence first."""
    deferred: list[_Mention] = []
    for m in mentions:
        e = m.entry
        if e.veto_context and e.veto_context & context_words:
            continue
        if e.kind == "region":
            if m.position < 10_000 and e.region:
                evidence.context_regions.add(e.region)
        elif e.kind == "country" and not m.unconfirmed:
            evidence.credit(e.codes[0], m)
        else:
            deferred.append(m)
    return deferred


def _credit_deferred(
    evidence: _Evidence, deferred: list[_Mention], context_words: set[str]
) -> None:
    """Credit ambiguous names (Georgia, "Labour") to the country the rest of the text points at."""
    known = evidence.known()
    for m in deferred:
        e = m.entry
        if m.unconfirmed:
            if e.codes[0] in known:
                evidence.credit(e.codes[0], m)
            continue
        chosen = [m.qualifier] if m.qualifier in e.codes else []
        chosen = chosen or [c for c in e.codes if c in known]
        if not chosen:
            chosen = [c for c, cue in e.cues if cue & context_words]
        if not chosen and e.default:
            chosen = [e.default]
        if len(chosen) == 1 or (chosen and len(chosen) < len(e.codes)):
            for code in chosen:
                evidence.credit(code, m)


def _ranked(evidence: _Evidence, t: Tables) -> list[str]:
    """The countries kept, most relevant first, with the wholes their parts imply."""
    scores = evidence.scores
    if evidence.context_regions:
        for code in scores:
            if evidence.context_regions.intersection(t.country_regions.get(code, ())):
                scores[code] *= REGION_BOOST
    best = max(scores.values(), default=0.0)
    keep = [
        c
        for c, s in scores.items()
        if c not in evidence.forced
        and s >= MIN_SCORE
        and (evidence.title_scores.get(c, 0.0) >= TITLE_KEEP or s >= RELATIVE_KEEP * best)
    ]
    keep.sort(key=lambda c: (-scores[c], evidence.first_seen[c]))
    countries = list(dict.fromkeys(evidence.forced + keep))
    for part, whole in IMPLIES.items():
        if part in countries and whole not in countries:
            countries.insert(countries.index(part) + 1, whole)
    return countries


def _with_ancestors(ids: Sequence[str], t: Tables) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for rid in ids:
        cur: str | None = rid
        while cur is not None:
            out[cur] = None
            cur = t.regions[cur].parent if cur in t.regions else None
    return tuple(out)


def region_ids_for(countries: Sequence[str]) -> tuple[str, ...]:
    """Region ids (M49 intermediate, sub-region, continent, then groupings) of these countries."""
    t = tables()
    out: dict[str, None] = {}
    for code in countries:
        for rid in t.country_regions.get(code, ()):
            out[rid] = None
    return tuple(out)


def subregion_names(countries: Sequence[str]) -> tuple[str, ...]:
    """The M49 sub-region names of these countries, sorted, for the CLI and the benchmark.

    Where M49 has an intermediate region (Central America, Western Africa) that is the name used.
    """
    t = tables()
    return tuple(sorted({t.subregion_names[c] for c in countries if c in t.subregion_names}))
