"""Words as the filters compare them: folded, lowercase, stemmed in a language.

Topics and keywords both cut text into words with one linear pattern (a run of letters and
digits: no user text ever becomes a pattern, so nothing here can backtrack), fold accents
("grève" -> "greve", "Łódź" -> "lodz") and stem each word with the Snowball stemmer of the
article's language (PyStemmer, in C: about 1 µs a word), so "strikes", "striking" and "strike"
meet, as do "huelgas" and "huelga", "Streiks" and "Streik", "забастовки" and "забастовка".
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import Stemmer

from bot.core.regions.text import fold

LANGUAGES = ("en", "de", "es", "fr", "pt", "ru")
_ALGORITHMS = {
    "en": "english",
    "de": "german",
    "es": "spanish",
    "fr": "french",
    "pt": "portuguese",
    "ru": "russian",
    "it": "italian",
    "nl": "dutch",
    "ca": "catalan",
    "pl": "polish",
    "tr": "turkish",
    "sv": "swedish",
    "da": "danish",
    "no": "norwegian",
    "nb": "norwegian",
    "fi": "finnish",
    "ro": "romanian",
    "hu": "hungarian",
    "el": "greek",
    "id": "indonesian",
}
WORD = re.compile(r"[^\W_]+")  # one character class, repeated: linear on any input
MAX_WORD = 40  # longer runs of letters are no word anyone filters by; cut, not stemmed whole
# Words whose elided article French and Italian write with an apostrophe: l'usine, d'Israël.
_ELISION = re.compile(r"^(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu)$")


def language_code(language: str | None) -> str | None:
    """The two-letter code of a feed's or chat's language: "en-US" -> "en", "pt_BR" -> "pt"."""
    if not language:
        return None
    code = language.strip().lower().replace("_", "-").split("-")[0]
    return code or None


@cache
def _stemmer(code: str) -> Stemmer.Stemmer | None:
    algorithm = _ALGORITHMS.get(code)
    return Stemmer.Stemmer(algorithm, 0) if algorithm else None


@lru_cache(maxsize=200_000)
def key(word: str) -> str:
    """One word as compared: folded and lowercase ("Grève" -> "greve", "ЁЛКА" -> "елка").

    Cyrillic keeps its "й" (the Russian stemmer needs it), and "ё" is written "е" as most
    Russian text does.
    """
    if "\u0400" <= word[:1] <= "\u04ff":
        return word.lower().replace("ё", "е")[:MAX_WORD]
    return fold(word).lower()[:MAX_WORD]


@lru_cache(maxsize=200_000)
def stem(word_key: str, language: str | None) -> str:
    """The stem of a folded lowercase word in ``language`` (unknown languages: the word)."""
    stemmer = _stemmer(language_code(language) or "")
    return stemmer.stemWord(word_key) if stemmer is not None else word_key


def keys(text: str) -> list[str]:
    """The folded lowercase words of ``text`` in order, apostrophes and hyphens splitting them."""
    return [key(m.group()) for m in WORD.finditer(text)]


def stems(text: str, language: str | None) -> list[str]:
    """The stems of the words of ``text`` in order (elided French articles dropped)."""
    code = language_code(language)
    return [stem(k, code) for k in keys(text) if not (code == "fr" and _ELISION.match(k))]


_FUNCTION_LINES = (
    ("en", "the and of to in is for on with that are was by from has as its a an will be"),
    ("en", "his her after over says said at it this not have who were been"),
    ("de", "der die das und ist nicht mit den dem ein eine auf fur von zu sich im des"),
    ("de", "bei nach auch wird sind hat wie aus uber zur zum"),
    ("es", "el la los las y de del en que por con una para se es al lo como mas pero su"),
    ("es", "sus fue este esta"),
    ("fr", "le la les et des du en un une est dans pour sur par au aux qui de ce cette"),
    ("fr", "avec ne pas il elle sont ont a"),
    ("pt", "o a os as e do da dos das em um uma para com no na por que nao mais ao se"),
    ("pt", "sua seu foi"),
)
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    code: frozenset(w for c, line in _FUNCTION_LINES if c == code for w in line.split())
    for code in dict.fromkeys(c for c, _ in _FUNCTION_LINES)
}


def guess_language(text: str) -> str:
    """The likeliest of the six languages for a text that declares none (function words; Cyrillic
    means Russian). English when nothing tells."""
    words = keys(text[:2000])
    if not words:
        return "en"
    cyrillic = sum(1 for w in words if "\u0400" <= w[0] <= "\u04ff")
    if cyrillic >= 2 and cyrillic * 4 >= len(words):
        return "ru"
    best, best_count = "en", 0
    for code, function_words in _FUNCTION_WORDS.items():
        count = sum(1 for w in words if w in function_words)
        if count > best_count:
            best, best_count = code, count
    return best
