"""The bot's languages: gettext catalogs (bot/locale, managed with Babel) and the current one.

Texts in ``bot.core.texts`` are the English source, marked with ``N_`` so Babel extracts them. A
handler looks a text up with ``tr(texts.X)``: the translation into the language of the chat the
update came from, which the handlers set once per update with ``use()``.
"""

from __future__ import annotations

import gettext
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import NamedTuple

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).parent.parent / "locale"
DEFAULT = "en"
# Shipped languages, each complete (a test checks the catalogs), with their own names.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Español",
    "pt": "Português",
    "fr": "Français",
    "de": "Deutsch",
    "ru": "Русский",
}

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def N_(text: str) -> str:  # noqa: N802 (gettext's conventional name for a marker)
    """Mark a text for extraction; it is translated where it is used, with ``tr``."""
    return text


class Plural(NamedTuple):
    """A text with a count in it, in its English singular and plural; each language picks its
    own form for the count (Russian has three) with :func:`trn`."""

    singular: str
    plural: str


def NP_(singular: str, plural: str) -> Plural:  # noqa: N802 (gettext's naming, like N_)
    """Mark a text with a count for extraction (Babel keyword ``NP_:1,2``)."""
    return Plural(singular, plural)


FOLLOWED = "~"
"""Marks a stored language that is the person's Telegram language, remembered rather than
chosen with /language: "~es". A later change of the app's language is followed."""


def followed(code: str) -> str:
    """How a language remembered from Telegram (not chosen) is stored."""
    return FOLLOWED + code


def stored_language(value: str | None) -> tuple[str | None, bool]:
    """A stored language as (code, chosen): "es" -> ("es", True), "~es" -> ("es", False)."""
    if value is None:
        return None, False
    if value.startswith(FOLLOWED):
        return value[len(FOLLOWED) :], False
    return value, True


def normalise(code: str | None) -> str | None:
    """A shipped language for a Telegram ``language_code`` ("pt-br" -> "pt"), else None."""
    if not code:
        return None
    base = code.replace("_", "-").split("-", maxsplit=1)[0].lower()
    return base if base in LANGUAGES else None


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The compiled catalog of one language (English: the texts as they are)."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def use(language: str | None) -> str:
    """Make ``language`` (or English) the language of the texts of the update being handled."""
    chosen = language if language in LANGUAGES else DEFAULT
    assert chosen is not None
    _current.set(chosen)
    return chosen


def current() -> str:
    """The language of the update being handled."""
    return _current.get()


def tr(text: str, language: str | None = None) -> str:
    """``text`` (an English source text) in the current language, or in ``language``."""
    return catalog(language or _current.get()).gettext(text)


def trn(text: Plural, count: int, language: str | None = None) -> str:
    """The form of ``text`` for ``count`` in the current language (or ``language``), with
    ``{count}`` left for the caller to fill."""
    return catalog(language or _current.get()).ngettext(text.singular, text.plural, count)
