"""The fixed list of topics, their names in every language, and the topic filters people type.

``/topic labour war``, ``/topic add economy``, ``/topic remove war``, ``/topic all``: a name is
understood in any of the six languages, in any case, with or without accents, singular or
plural or inflected ("Streiks", "guerres", "войны"), as the region names are. A name the bot
does not know is refused with the words exactly as typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from bot.core import i18n, stems, texts
from bot.core.errors import BotError
from bot.core.filter_verbs import FilterOp, split_verb

TOPICS: tuple[str, ...] = (
    "labour",
    "politics",
    "war",
    "economy",
    "environment",
    "rights",
    "theory",
    "culture",
)

# What people type for a topic, per language, besides its shown name (texts.TOPIC_NAMES).
# Matched after folding and stemming in each language, so plurals and cases come free.
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "labour": {
        "en": ("labour", "labor", "work", "workers", "unions", "strikes", "jobs"),
        "de": ("Arbeit", "Arbeitswelt", "Gewerkschaften", "Streiks", "Arbeiter"),
        "es": ("trabajo", "laboral", "sindicatos", "huelgas", "trabajadores"),
        "fr": ("travail", "syndicats", "grèves", "travailleurs"),
        "pt": ("trabalho", "sindicatos", "greves", "trabalhadores"),
        "ru": ("труд", "работа", "профсоюзы", "забастовки", "рабочие"),
    },
    "politics": {
        "en": ("politics", "political", "elections", "government"),
        "de": ("Politik", "Wahlen", "Regierung"),
        "es": ("política", "elecciones", "gobierno"),
        "fr": ("politique", "élections", "gouvernement"),
        "pt": ("política", "eleições", "governo"),
        "ru": ("политика", "выборы", "правительство"),
    },
    "war": {
        "en": ("war", "wars", "military", "conflicts"),
        "de": ("Krieg", "Militär"),
        "es": ("guerra", "militar"),
        "fr": ("guerre", "militaire"),
        "pt": ("guerra", "militar"),
        "ru": ("война", "военные"),
    },
    "economy": {
        "en": ("economy", "economics", "business"),
        "de": ("Wirtschaft", "Ökonomie"),
        "es": ("economía",),
        "fr": ("économie",),
        "pt": ("economia",),
        "ru": ("экономика",),
    },
    "environment": {
        "en": ("environment", "climate", "ecology"),
        "de": ("Umwelt", "Klima", "Ökologie"),
        "es": ("medio ambiente", "ambiente", "clima", "ecología"),
        "fr": ("environnement", "climat", "écologie"),
        "pt": ("meio ambiente", "ambiente", "clima", "ecologia"),
        "ru": ("экология", "климат", "окружающая среда"),
    },
    "rights": {
        "en": ("rights", "human rights", "civil rights", "repression"),
        "de": ("Rechte", "Menschenrechte", "Grundrechte"),
        "es": ("derechos", "derechos humanos"),
        "fr": ("droits", "droits humains", "droits de l'homme"),
        "pt": ("direitos", "direitos humanos"),
        "ru": ("права", "права человека"),
    },
    "theory": {
        "en": ("theory", "history", "philosophy", "marxism"),
        "de": ("Theorie", "Geschichte", "Philosophie"),
        "es": ("teoría", "historia", "filosofía"),
        "fr": ("théorie", "histoire", "philosophie"),
        "pt": ("teoria", "história", "filosofia"),
        "ru": ("теория", "история", "философия"),
    },
    "culture": {
        "en": ("culture", "arts", "sport", "sports", "media"),
        "de": ("Kultur", "Kunst", "Sport", "Medien"),
        "es": ("cultura", "arte", "deporte", "deportes"),
        "fr": ("culture", "art", "sport", "médias"),
        "pt": ("cultura", "arte", "esporte", "esportes"),
        "ru": ("культура", "искусство", "спорт"),
    },
}
_EVERYTHING = frozenset(
    (
        *("all", "every", "everything", "any", "todo", "todos", "todas", "tout", "tous"),
        *("toutes", "tudo", "alle", "alles", "все", "всё"),
    )
)
_CONNECTORS = frozenset(
    {"and", "or", "plus", "the", "y", "e", "o", "ou", "et", "und", "oder", "и", "или", "de", "l"}
)
_ECHO_LIMIT = 64


class TopicError(BotError):
    """A typed topic name is unknown or the edit makes no sense; ``message`` is one line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class TopicFilter:
    """A chat's choice of topics. Empty means every story, whatever its topics."""

    ids: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_everything(self) -> bool:
        """True when the filter lets every story through."""
        return not self.ids


def display_name(topic: str, language: str | None = None) -> str:
    """A topic's name in ``language`` (default: the language of the update being handled)."""
    source = texts.TOPIC_NAMES.get(topic)
    return i18n.tr(source, language) if source is not None else topic


def hashtag(topic: str) -> str:
    """The hashtag under a teaser: "#Labour", "#Environment" (English, like the place tags)."""
    return "#" + "".join(part.capitalize() for part in display_name(topic, "en").split())


def teaser_hashtags(topics: Sequence[str]) -> list[str]:
    """The hashtags of a story's topics, in the taxonomy's order."""
    return [hashtag(t) for t in TOPICS if t in topics]


def _phrase_keys(text: str, language: str) -> tuple[str, ...]:
    return tuple(stems.stem(k, language) for k in _typed_keys(text))


def _typed_keys(text: str) -> list[str]:
    # French elision ("droits de l'homme") and connectors inside a name are dropped the same
    # way for the names and for what is typed.
    return [k for k in stems.keys(text) if k not in _CONNECTORS]


@cache
def _names() -> tuple[dict[tuple[str, ...], frozenset[str]], int]:
    """Every name and alias, stemmed in every language -> the topics it names; longest name."""
    found: dict[tuple[str, ...], set[str]] = {}
    longest = 1
    for topic in TOPICS:
        written = [display_name(topic, lang) for lang in i18n.LANGUAGES]
        written += [alias for aliases in ALIASES[topic].values() for alias in aliases]
        written.append(topic)
        # Russian typed without its short i ("воина" for "война"), as accents are dropped.
        written += [n.replace("й", "и") for n in written if "й" in n]
        for name in written:
            for lang in stems.LANGUAGES:
                phrase = _phrase_keys(name, lang)
                if phrase:
                    found.setdefault(phrase, set()).add(topic)
                    longest = max(longest, len(phrase))
            plain = tuple(_typed_keys(name))
            if plain:
                found.setdefault(plain, set()).add(topic)
    return {k: frozenset(v) for k, v in found.items()}, longest


def resolve_name(name: str) -> frozenset[str]:
    """The topics a typed name can mean (empty: unknown)."""
    keys = _typed_keys(name)
    return _lookup(keys) if keys else frozenset()


def _lookup(keys: Sequence[str]) -> frozenset[str]:
    table, _ = _names()
    exact = table.get(tuple(keys))
    if exact is not None:
        return exact
    found: set[str] = set()
    for lang in stems.LANGUAGES:
        found |= table.get(tuple(stems.stem(k, lang) for k in keys), frozenset())
    return frozenset(found)


@dataclass(frozen=True, slots=True)
class _Word:
    key: str
    start: int
    end: int


def _words(text: str) -> list[_Word]:
    return [
        _Word(stems.key(m.group()), m.start(), m.end())
        for m in stems.WORD.finditer(text)
        if stems.key(m.group()) not in _CONNECTORS
    ]


def _shown(typed: str) -> str:
    return typed if len(typed) <= _ECHO_LIMIT else typed[: _ECHO_LIMIT - 1] + "…"


def _parse_names(text: str) -> list[str] | None:
    """The topics named in ``text`` in order; None for "all". Unknown names are refused."""
    words = _words(unicodedata.normalize("NFC", text))
    _, longest = _names()
    ids: list[str] = []
    everything = False
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            found = _lookup([w.key for w in words[i : i + size]])
            if found:
                break
        else:
            found, size = frozenset(), 1
        if len(found) == 1:
            ids.append(next(iter(found)))
        elif found:
            raise _ambiguous(text[words[i].start : words[i + size - 1].end], found)
        elif words[i].key in _EVERYTHING:
            everything = True
        else:
            j = i + 1
            while j < len(words) and not _known(words[j].key):
                j += 1
            raise _unknown(text[words[i].start : words[j - 1].end])
        i += size
    if everything:
        if ids:
            raise TopicError(i18n.tr(texts.TOPIC_ALL_ALONE))
        return None
    if not ids:
        raise TopicError(i18n.tr(texts.TOPIC_NONE_NAMED).format(topics=_all_names()))
    return list(dict.fromkeys(ids))


def _known(key: str) -> bool:
    return key in _EVERYTHING or bool(_lookup([key]))


def _all_names() -> str:
    return ", ".join(display_name(t) for t in TOPICS)


def _unknown(typed: str) -> TopicError:
    return TopicError(i18n.tr(texts.TOPIC_UNKNOWN).format(typed=_shown(typed), topics=_all_names()))


def _ambiguous(typed: str, found: Iterable[str]) -> TopicError:
    ideas = f" {i18n.tr(texts.OR)} ".join(display_name(t) for t in TOPICS if t in found)
    return TopicError(i18n.tr(texts.TOPIC_AMBIGUOUS).format(typed=_shown(typed), ideas=ideas))


def edit_filter(current: TopicFilter, op: FilterOp, names: str) -> TopicFilter:
    """Set, add to or remove from a filter the topics named in ``names``."""
    ids = _parse_names(names)
    if ids is None:
        return TopicFilter()
    if op == "set":
        return TopicFilter(frozenset(ids))
    if op == "add":
        if current.is_everything:
            return TopicFilter(frozenset(ids))
        return TopicFilter(current.ids | frozenset(ids))
    chosen = current.ids if not current.is_everything else frozenset(TOPICS)
    gone = chosen & frozenset(ids)
    if not gone:
        named = ", ".join(display_name(t) for t in ids)
        raise TopicError(
            i18n.tr(texts.TOPIC_NOT_IN).format(named=named, current=format_filter(current))
        )
    left = chosen - gone
    if not left:
        raise TopicError(i18n.tr(texts.TOPIC_LAST_REMOVED))
    return TopicFilter(left)


def parse_filter(text: str, current: TopicFilter | None = None) -> TopicFilter:
    """Read a typed topic filter: "labour war", "add economy", "remove war", "-war", "all"."""
    op, names = split_verb(text)
    return edit_filter(current if current is not None else TopicFilter(), op, names)


def format_filter(f: TopicFilter) -> str:
    """A filter for people: "Labour, War"; "every topic" when it lets everything through."""
    if f.is_everything:
        return i18n.tr(texts.EVERY_TOPIC)
    return ", ".join(display_name(t) for t in TOPICS if t in f.ids)


def filter_to_text(f: TopicFilter) -> str:
    """The stored form: topic ids in the taxonomy's order separated by spaces ("" for all)."""
    return " ".join(t for t in TOPICS if t in f.ids)


def filter_from_text(s: str) -> TopicFilter:
    """Read the stored form back; ids the taxonomy no longer has are dropped."""
    return TopicFilter(frozenset(t for t in s.split() if t in TOPICS))


def matches(f: TopicFilter, topics: Iterable[str]) -> bool:
    """True when a story with these topics passes the filter (any chosen topic; empty: all)."""
    return f.is_everything or not f.ids.isdisjoint(topics)


def toggle(f: TopicFilter, topic: str) -> TopicFilter | None:
    """The filter with one topic switched (a tap on its button); None when that would leave no
    topic at all. From every topic, tapping one chooses it alone."""
    if f.is_everything:
        return TopicFilter(frozenset({topic}))
    if topic not in f.ids:
        return TopicFilter(f.ids | {topic})
    left = f.ids - {topic}
    return TopicFilter(left) if left else None
