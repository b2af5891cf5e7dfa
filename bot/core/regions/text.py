"""Folding and tokenising text the same way for names, teasers and typed filters."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "\u0131": "i",
        "þ": "th",
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_DOTTED = re.compile(r"(?<![\w.])((?:[A-Z]\.){2,})")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def fold(text: str) -> str:
    """Strip accents and odd letters, keep case: 'Erdoğan' -> 'Erdogan', 'U.S.' -> 'US'."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_SPECIAL)))
    if "." in text:
        text = _DOTTED.sub(lambda m: m.group(1).replace(".", ""), text)
    return text


@dataclass(frozen=True, slots=True)
class Token:
    """One word of folded text: its lowercase key, original spelling and neighbours' joints."""

    key: str  # lowercase, possessive "'s" removed
    raw: str  # folded text with case, possessive removed
    start: int
    end: int  # end of the word in the folded text (after any possessive)
    possessive: bool
    hyphen_before: bool  # joined to the previous word by a hyphen
    hyphen_after: bool
    gap_after: str  # the characters between this word and the next (stripped of spaces)


def tokenize(folded: str) -> list[Token]:
    """Split folded text into words, noting possessives and hyphen joints."""
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(folded)]
    tokens: list[Token] = []
    n = len(spans)
    for i, (start, end) in enumerate(spans):
        raw = folded[start:end]
        possessive = raw.endswith(("'s", "'S"))
        if possessive:
            raw = raw[:-2]
        nxt = spans[i + 1][0] if i + 1 < n else len(folded)
        gap = folded[end:nxt]
        prev_gap = folded[spans[i - 1][1] : start] if i else ""
        tokens.append(
            Token(
                key=raw.lower(),
                raw=raw,
                start=start,
                end=end,
                possessive=possessive,
                hyphen_before=prev_gap == "-",
                hyphen_after=gap == "-" and i + 1 < n,
                gap_after=gap.strip(),
            )
        )
    return tokens


@lru_cache(maxsize=65536)
def words(text: str) -> tuple[str, ...]:
    """The lowercase words of a name or typed text, accents and punctuation ignored.

    The keys ``tokenize`` gives, without its bookkeeping (the tables call this 60,000 times).
    """
    keys = []
    for m in _TOKEN.finditer(fold(text)):
        raw = m.group()
        keys.append((raw[:-2] if raw.endswith(("'s", "'S")) else raw).lower())
    return tuple(keys)


_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc`\u00b4", "'"))
_FLAG = re.compile("([\U0001f1e6-\U0001f1ff])([\U0001f1e6-\U0001f1ff])")


def flags_to_codes(text: str) -> str:
    """Flag emoji as the country codes they stand for: '🇨🇱' -> ' CL '."""
    if not any("\U0001f1e6" <= ch <= "\U0001f1ff" for ch in text):
        return text
    return _FLAG.sub(
        lambda m: " " + "".join(chr(ord(c) - 0x1F1E6 + ord("A")) for c in m.groups()) + " ", text
    )


@dataclass(frozen=True, slots=True)
class Typed:
    """One typed word: its key (folded, lowercase) and where it stands in what was typed."""

    key: str
    start: int
    end: int


def typed_words(text: str) -> list[Typed]:
    """The words of typed text with their places in it, so an answer can quote them exactly."""
    return [
        Typed(key, m.start(), m.end())
        for m in _TOKEN.finditer(text.translate(_APOSTROPHES))
        for key in words(m.group())
    ]
