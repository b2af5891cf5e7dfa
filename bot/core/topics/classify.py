"""Which topics a story is about: the feed's own categories first, then its words, weighed.

A category or tag that names a topic outright ("Labour", "Human Rights", "Sports",
"Conflict, Peace and Security") decides that topic. Every other word of the categories, the
title and the summary is looked up, stemmed in the article's language, in that language's
lexicon (``lexicon_data``): phrases first (longest match, and a phrase hides its words:
"Labour Party" is politics, not labour), then single words, and in German the last part of a
compound ("Warnstreik", "Bürgerkrieg"). A word counts once per part (title, summary,
categories); title words weigh more. A topic is kept when its score reaches ``KEEP`` and a
share of the best topic's score. Linear in the text: one pass over the words, dictionary
lookups only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bot.core import stems
from bot.core.topics.lexicon_data import CATEGORY_PHRASES, LEXICON, OUTLET_PARTS, STEM_SPLITS
from bot.core.topics.taxonomy import ALIASES, TOPICS

TITLE_WEIGHT = 1.5
SUMMARY_WEIGHT = 1.0
CATEGORY_WEIGHT = 1.0  # a word inside a longer category ("Economy, Business and Finance")
CATEGORY_TOPIC = 4.0  # a category that names a topic outright
CATEGORY_FEW = 1  # more topic-naming categories than this share the weight
KEEP = 3.0  # the least score a topic needs
RELATIVE_KEEP = 0.4  # and this share of the best topic's score
BODY_KEEP = 0.7  # or this share, for a topic that neither the title nor a category names
MAX_TOPICS = 3
MIN_HEAD = 4  # the shortest German compound tail looked up ("lohn", "wahl")
STRONG = 2.0  # a topic needs one word (or category) at least this strong: hints alone never do
OUTLET_WEIGHT = 1.5  # an outlet named for a topic ("Sport-Express", "VIP.de") hints at it
# What none of the topics covers (health, crime, science, gadgets, travel) is scored too, as a
# pseudo-topic: a story mostly about a vaccine or a murder keeps only topics that are strong
# beside it ("Merkel warns of the mutation" is a health story, not politics).
OTHER = "other"
Scores = dict[str, float]
# " - Frankfurter Allgemeine Zeitung", " | tagesschau.de": the outlet's name that aggregators put
# after a title says nothing of the story ("Zeitung" is not a story about the press).
_OUTLET = re.compile(r"\s[-\u2013\u2014|]\s([^-\u2013\u2014|]{1,60})$")
_OUTLET_WORDS = 5
_QUALIFIER = re.compile(r"\s*\([^()]{0,80}\)")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One language's table: stemmed phrases (1 to 3 words) -> weight per topic, compound tails."""

    grams: dict[tuple[str, ...], dict[str, float]]
    longest: int
    heads: dict[str, dict[str, float]]


def _entries(spec: str) -> Iterable[tuple[str, float, bool]]:
    for item in spec.split():
        word, _, weight = item.partition(":")
        head = word.startswith("*")
        yield word.lstrip("*").replace("_", " "), float(weight) if weight else 2.0, head


def word_stems(text: str, language: str) -> list[str]:
    """The stems of ``text`` as the topic tables key them: Snowball's, except for the forms in
    ``STEM_SPLITS`` (a word whose stem would meet an unrelated word's)."""
    splits = STEM_SPLITS.get(language)
    if not splits:
        return stems.stems(text, language)
    keys = stems.keys(text)
    if language == "fr":  # French drops its elided articles ("l'usine"): stems.stems does that
        if not any(k in splits for k in keys):
            return stems.stems(text, language)
        return [s for k in keys for s in ([splits[k]] if k in splits else stems.stems(k, "fr"))]
    return [splits.get(k) or stems.stem(k, language) for k in keys]


@cache
def lexicon(language: str) -> Lexicon:
    """The table of one of the six languages (others: English), built once."""
    code = language if language in LEXICON else "en"
    grams: dict[tuple[str, ...], dict[str, float]] = {}
    heads: dict[str, dict[str, float]] = {}
    for topic, spec in LEXICON[code].items():
        for phrase, weight, head in _entries(spec):
            key = tuple(word_stems(phrase, code))
            if not key:
                continue
            slot = heads if head else grams
            target = slot.setdefault(key[-1] if head else key, {})  # type: ignore[arg-type]
            target[topic] = max(target.get(topic, 0.0), weight)
            if head:  # a compound tail is also a word of its own
                grams.setdefault(key, {}).setdefault(topic, weight)
    return Lexicon(grams, max(len(k) for k in grams), heads)


def _score_words(
    words: Sequence[str],
    table: Lexicon,
    weight: float,
    evidence: Evidence,
    seen: set[tuple[str, ...]] | None = None,
) -> None:
    """Add the topics of one part's words (each phrase counted once in the part: ``seen`` is
    shared by the parts that count as one, like a story's categories) to ``evidence``."""
    seen = set() if seen is None else seen
    i, n = 0, len(words)
    while i < n:
        for size in range(min(table.longest, n - i), 0, -1):
            key = tuple(words[i : i + size])
            found = table.grams.get(key)
            if found is not None:
                break
        else:
            size, key, found = 1, (words[i],), _compound(words[i], table)
        if found and key not in seen:
            seen.add(key)
            evidence.add(found, weight)
        i += size


class Evidence:
    """What the words of one story say: each topic's summed score and its strongest word."""

    __slots__ = ("headline", "scores", "strongest")

    def __init__(self) -> None:
        self.scores: Scores = {}
        self.strongest: Scores = {}
        self.headline: frozenset[str] = frozenset()  # topics the title or categories name

    def add(self, found: dict[str, float], weight: float) -> None:
        """Count one word's (or category's) topics at ``weight`` for the part it is in."""
        for topic, w in found.items():
            self.scores[topic] = self.scores.get(topic, 0.0) + w * weight
            self.strongest[topic] = max(self.strongest.get(topic, 0.0), w)


def _compound(word: str, table: Lexicon) -> dict[str, float] | None:
    """A German compound's topics by its last part: "warnstreik" -> labour (via "streik")."""
    if not table.heads or len(word) <= MIN_HEAD:
        return None
    for start in range(1, len(word) - MIN_HEAD + 1):
        found = table.heads.get(word[start:])
        if found is not None:
            return found
    return None


@cache
def _category_topics() -> dict[str, str]:
    """Whole categories that name a topic ("human rights", "sports") -> the topic."""
    names: dict[str, set[str]] = {}
    for topic in TOPICS:
        phrases = [*CATEGORY_PHRASES.get(topic, ()), topic]
        phrases += [a for aliases in ALIASES[topic].values() for a in aliases]
        for phrase in phrases:
            names.setdefault(" ".join(stems.keys(phrase)), set()).add(topic)
    return {name: next(iter(ts)) for name, ts in names.items() if len(ts) == 1}


def _score_categories(categories: Sequence[str], language: str, evidence: Evidence) -> None:
    """A category naming a topic decides it; a feed that gives many such categories to every
    story (news wires: "Economy, Business and Finance", "Governance", ...) weighs each less."""
    table = lexicon(language)
    named = _category_topics()
    topics: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for category in categories[:30]:
        # "Populism (Theory and Philosophy)", "Sanchez, Pedro (1972- )": the parenthesis says
        # what kind of tag it is, not what the story is about.
        tag = _QUALIFIER.sub("", category)
        topic = named.get(" ".join(stems.keys(tag)))
        if topic is not None:
            topics.append(topic)
        else:
            words = word_stems(tag, language)
            _score_words(words, table, CATEGORY_WEIGHT, evidence, seen)
    weight = (
        CATEGORY_TOPIC
        if len(topics) <= CATEGORY_FEW
        else CATEGORY_TOPIC * CATEGORY_FEW / len(topics)
    )
    for topic in topics:
        evidence.add({topic: weight}, 1.0)


def split_outlet(title: str) -> tuple[str, str]:
    """A title and the outlet name an aggregator put after it: "Streik bei der Bahn - WELT" ->
    ("Streik bei der Bahn", "WELT"). Only a short, capitalised tail after at least three words
    is taken for one (two at most: "… - Sport - Lenta.ru")."""
    outlets: list[str] = []
    for _ in range(2):
        found = _OUTLET.search(title)
        if found is None:
            break
        tail, head = found.group(1).split(), title[: found.start()]
        named = all(w[:1].isupper() or w[:1].isdigit() or "." in w for w in tail)
        if not (tail and len(tail) <= _OUTLET_WORDS and named and len(head.split()) >= 3):
            break
        title = head
        outlets.append(found.group(1))
    return title, " ".join(reversed(outlets))


def without_outlet(title: str) -> str:
    """The title without a trailing outlet name (see ``split_outlet``)."""
    return split_outlet(title)[0]


def _score_outlet(outlet: str, evidence: Evidence) -> None:
    """An outlet named for a topic ("Championat", "Sport-Express", "VIP.de", "FootRadio",
    "Handelsblatt") hints at it: its folded name is searched for the parts in ``OUTLET_PARTS``."""
    name = " ".join(stems.keys(outlet))
    for part, topic in OUTLET_PARTS.items():
        if part in name:
            evidence.add({topic: STRONG}, OUTLET_WEIGHT)


def evidence_of(
    title: str, summary: str, categories: Sequence[str] = (), language: str | None = None
) -> Evidence:
    """What the categories, the title (and its outlet's name) and the summary say."""
    code = stems.language_code(language) or stems.guess_language(f"{title} {summary}")
    table = lexicon(code)
    evidence = Evidence()
    _score_categories(categories, code, evidence)
    head, outlet = split_outlet(title)
    _score_words(word_stems(head, code), table, TITLE_WEIGHT, evidence)
    evidence.headline = frozenset(evidence.scores)
    _score_words(word_stems(summary, code), table, SUMMARY_WEIGHT, evidence)
    if outlet:
        _score_outlet(outlet, evidence)
    return evidence


def topic_scores(
    title: str, summary: str, categories: Sequence[str] = (), language: str | None = None
) -> Scores:
    """Each topic's score for a story (topics with no evidence are left out)."""
    scores = evidence_of(title, summary, categories, language).scores
    return {t: s for t, s in scores.items() if t != OTHER}


def topics_of(
    title: str, summary: str, categories: Sequence[str] = (), language: str | None = None
) -> tuple[str, ...]:
    """The topics of a story, in the taxonomy's order (at most three; none when nothing tells).

    ``language``: the article's (a feed's ``<language>`` or the source's), "en-US" and the like
    accepted; without it the language is guessed from the text. A topic is kept when its score
    reaches ``KEEP`` and ``RELATIVE_KEEP`` of the best one's, and one of its words (or a
    category) is ``STRONG``: a pile of hints ("police", "arrested") does not make a topic.
    """
    evidence = evidence_of(title, summary, categories, language)
    scores = evidence.scores
    if not scores:
        return ()
    best = max(scores.values())
    kept = [
        t
        for t, s in scores.items()
        if t != OTHER
        and s >= KEEP
        and s >= (RELATIVE_KEEP if t in evidence.headline else BODY_KEEP) * best
        and evidence.strongest[t] >= STRONG
    ]
    kept = sorted(kept, key=lambda t: -scores[t])[:MAX_TOPICS]
    return tuple(t for t in TOPICS if t in kept)
