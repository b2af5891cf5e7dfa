"""The words a chat wants or refuses: ``/keywords +strike +huelga -football``.

A keyword is one word. It matches a story when the same word stands in its title, summary or
tags: whole words only, case and accents ignored, and stemmed in the story's language, so
``+strike`` matches "strikes" and "striking", ``+huelga`` "huelgas", ``+Streik`` "Streiks",
``+забастовка`` "забастовки". Nothing a person types becomes a pattern: the text is cut into
words with one fixed linear pattern and the words' stems are compared, so no input can make
matching slow (no ReDoS). An excluded word beats everything; included words narrow the chat's
news to stories with at least one of them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.core import i18n, stems, texts
from bot.core.errors import BotError

MAX_KEYWORDS: Final = texts.MAX_KEYWORDS  # per chat, included and excluded together
MAX_LETTERS: Final = stems.MAX_WORD
_CLEAR = frozenset({"clear", "reset", "none", "borrar", "limpar", "effacer", "loschen", "очистить"})
_REMOVE = frozenset({"remove", "rm", "del", "delete", "quitar", "remover", "retirer", "entfernen"})
_REMOVE |= frozenset({"убрать", "удалить"})
_ECHO_LIMIT = 64


class KeywordError(BotError):
    """A typed keyword list cannot be applied; ``message`` is one plain-text line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class KeywordFilter:
    """A chat's words: ``include`` narrows (any one of them), ``exclude`` refuses.

    Words are kept folded and lowercase ("greve", "streik"), each in one list only, in the
    order they were added.
    """

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the filter lets every story through."""
        return not self.include and not self.exclude

    def __len__(self) -> int:
        return len(self.include) + len(self.exclude)


@dataclass(frozen=True, slots=True)
class _Typed:
    sign: str  # "+", "-" or "" (a bare word is included)
    word: str  # as typed, for answers
    key: str


def _shown(typed: str) -> str:
    return typed if len(typed) <= _ECHO_LIMIT else typed[: _ECHO_LIMIT - 1] + "…"


def _typed_items(text: str) -> list[_Typed]:
    """The signed words of ``text``; a word that is not one word is refused as typed."""
    items: list[_Typed] = []
    for chunk in text.replace(",", " ").replace(";", " ").split():
        sign = chunk[0] if chunk[0] in "+-" else ""
        word = chunk[len(sign) :]
        parts = stems.WORD.findall(word)
        if not parts:
            raise KeywordError(i18n.tr(texts.KEYWORD_NO_LETTERS).format(typed=_shown(chunk)))
        if len(parts) > 1:
            raise KeywordError(i18n.tr(texts.KEYWORD_ONE_WORD).format(typed=_shown(chunk)))
        if len(parts[0]) > MAX_LETTERS:
            raise KeywordError(
                i18n.tr(texts.KEYWORD_TOO_LONG).format(typed=_shown(chunk), limit=MAX_LETTERS)
            )
        items.append(_Typed(sign, word, stems.key(parts[0])))
    return items


def parse_keywords(text: str, current: KeywordFilter | None = None) -> KeywordFilter:
    """Apply a typed change: ``+strike -football`` (a bare word is included; a word moves
    between the lists when its sign changes), ``remove strike`` (forget a word), ``clear``.

    Raises KeywordError with a one-line answer for anything it cannot apply.
    """
    current = current if current is not None else KeywordFilter()
    text = unicodedata.normalize("NFC", text).strip()
    if not text:
        raise KeywordError(i18n.tr(texts.KEYWORD_NONE_NAMED))
    first, _, rest = text.partition(" ")
    verb = stems.key(first)
    if verb in _CLEAR:
        if rest.strip():
            raise KeywordError(i18n.tr(texts.KEYWORD_CLEAR_ALONE))
        return KeywordFilter()
    if verb in _REMOVE and rest.strip():
        return _removed(current, _typed_items(rest))
    return _added(current, _typed_items(text))


def _added(current: KeywordFilter, items: Sequence[_Typed]) -> KeywordFilter:
    include, exclude = list(current.include), list(current.exclude)
    for item in items:
        mine, other = (exclude, include) if item.sign == "-" else (include, exclude)
        if item.key in other:
            other.remove(item.key)
        if item.key not in mine:
            mine.append(item.key)
    count = len(include) + len(exclude)
    if count > MAX_KEYWORDS:
        raise KeywordError(i18n.tr(texts.KEYWORDS_TOO_MANY).format(limit=MAX_KEYWORDS, count=count))
    return KeywordFilter(tuple(include), tuple(exclude))


def _removed(current: KeywordFilter, items: Sequence[_Typed]) -> KeywordFilter:
    gone = set()
    for item in items:
        if item.key not in current.include and item.key not in current.exclude:
            raise KeywordError(i18n.tr(texts.KEYWORD_NOT_IN).format(typed=_shown(item.word)))
        gone.add(item.key)
    return KeywordFilter(
        tuple(w for w in current.include if w not in gone),
        tuple(w for w in current.exclude if w not in gone),
    )


def without(current: KeywordFilter, word: str) -> KeywordFilter:
    """The filter without one stored word (a "remove" button); unknown words change nothing."""
    return KeywordFilter(
        tuple(w for w in current.include if w != word),
        tuple(w for w in current.exclude if w != word),
    )


def format_keywords(f: KeywordFilter) -> str:
    """The words as people read them: "+strike +huelga -football" ("" when there are none)."""
    return " ".join([*(f"+{w}" for w in f.include), *(f"-{w}" for w in f.exclude)])


def keywords_to_text(f: KeywordFilter) -> str:
    """The stored form: the same signed words separated by spaces ("" for none)."""
    return format_keywords(f)


def keywords_from_text(s: str) -> KeywordFilter:
    """Read the stored form back (words that no longer read as one word are dropped)."""
    include: list[str] = []
    exclude: list[str] = []
    for chunk in s.split():
        words = stems.WORD.findall(chunk[1:])
        if chunk[:1] in "+-" and len(words) == 1:
            (exclude if chunk[0] == "-" else include).append(stems.key(words[0]))
    return KeywordFilter(tuple(dict.fromkeys(include)), tuple(dict.fromkeys(exclude)))


@dataclass(frozen=True, slots=True)
class StoryWords:
    """A story's words, computed once per story for every chat: folded keys and their stems in
    the story's language."""

    language: str | None
    keys: frozenset[str]
    stems: frozenset[str]


def story_words(
    title: str, summary: str, categories: Iterable[str] = (), language: str | None = None
) -> StoryWords:
    """The words of a story as keywords are compared with them (one linear pass)."""
    code = stems.language_code(language) or stems.guess_language(f"{title} {summary}")
    keys = stems.keys(" ".join((title, summary, *categories)))
    return StoryWords(code, frozenset(keys), frozenset(stems.stem(k, code) for k in keys))


@dataclass(frozen=True, slots=True)
class KeywordMatcher:
    """A chat's keywords ready to test stories (each word's stem per language, computed once)."""

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    _stems: dict[str | None, tuple[frozenset[str], frozenset[str]]] = field(
        default_factory=dict, compare=False
    )

    def _for(self, language: str | None) -> tuple[frozenset[str], frozenset[str]]:
        found = self._stems.get(language)
        if found is None:
            found = (
                frozenset(stems.stem(w, language) for w in self.include),
                frozenset(stems.stem(w, language) for w in self.exclude),
            )
            self._stems[language] = found
        return found

    def allows(self, story: StoryWords) -> bool:
        """True when no excluded word is in the story and, if any are included, one of them is."""
        include, exclude = self._for(story.language)
        if not exclude.isdisjoint(story.stems) or not story.keys.isdisjoint(self.exclude):
            return False
        if not self.include:
            return True
        return not include.isdisjoint(story.stems) or not story.keys.isdisjoint(self.include)


def matcher(f: KeywordFilter) -> KeywordMatcher:
    """The compiled form of a chat's keywords."""
    return KeywordMatcher(f.include, f.exclude)


def matches(f: KeywordFilter, story: StoryWords) -> bool:
    """True when a story passes the chat's keywords (an empty filter passes everything)."""
    return f.is_empty or matcher(f).allows(story)
