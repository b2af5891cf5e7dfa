"""The verbs every typed filter shares: ``europe asia`` (set), ``add ru``, ``remove war``,
``+economy``, ``-asia``, in any of the six languages.

Pure. ``/region``, ``/topic`` and ``/sites`` read their arguments with :func:`split_verb`, then
apply the names to the chat's filter their own way.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

FilterOp = Literal["set", "add", "remove"]
ADD_WORDS = frozenset({"add", "plus", "anadir", "agregar", "adicionar", "ajouter", "hinzufugen"})
REMOVE_WORDS = frozenset(
    {"remove", "rm", "del", "delete", "drop", "minus", "without", "quitar", "remover"}
    | {"retirer", "entfernen", "убрать", "удалить"}
)
SET_WORDS = frozenset({"set", "only", "just"})
_SIGNS = ("+", "-")


def verb_key(word: str) -> str:
    """A typed verb as compared: folded, lowercase ("Añadir" -> "anadir")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_verb(text: str) -> tuple[FilterOp, str]:
    """What a typed filter asks (set, add or remove) and the names it applies to.

    A leading ``+`` adds and ``-`` removes ("+economy", "- war"; "++" is no sign); a first word
    in ADD_WORDS, REMOVE_WORDS or SET_WORDS followed by names is the verb; anything else sets.
    """
    stripped = text.strip()
    if stripped[:1] in _SIGNS and stripped[1:2] not in _SIGNS:
        return ("add" if stripped[0] == "+" else "remove"), stripped[1:]
    first, _, rest = stripped.partition(" ")
    if rest.strip():
        verb = verb_key(first)
        if verb in ADD_WORDS:
            return "add", rest
        if verb in REMOVE_WORDS:
            return "remove", rest
        if verb in SET_WORDS:
            return "set", rest
    return "set", stripped
