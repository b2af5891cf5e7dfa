"""Which of the operator's news sites a chat gets: ``/sites``, ``/sites marxist``, ``/sites all``.

Pure. A site is named by its name for people (the feed's own title, else the source's name), a
word of it, or its host ("socialistrevolution.org", "socialistrevolution"), in any case and
with or without accents. A chat that chose sites keeps exactly those: a site the operator adds
later reaches only chats that get every site (:class:`SiteFilter` ``None``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.core import i18n, stems, texts
from bot.core.chat_filters import SiteFilter
from bot.core.errors import BotError
from bot.core.filter_verbs import ADD_WORDS, REMOVE_WORDS, SET_WORDS, FilterOp, split_verb, verb_key
from bot.core.models import Source

_EVERYTHING = frozenset({"all", "every", "everything", "todo", "todos", "todas", "tout", "tous"})
_EVERYTHING |= frozenset({"toutes", "tudo", "alle", "alles", "все", "всё"})
_ECHO_LIMIT = 64
_LISTED = 12  # sites named in an answer that lists them


class SiteError(BotError):
    """A typed site name is unknown or ambiguous; ``message`` is one plain-text line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Site:
    """One of the operator's sources as people choose it."""

    id: int
    name: str
    host: str

    @property
    def keys(self) -> frozenset[str]:
        """The words it answers to: its name's and its host's ("www" and the ending aside)."""
        labels = self.host.split(".")
        return frozenset(stems.keys(self.name)) | frozenset(k for k in labels[:-1] if k != "www")


def site_of(source: Source) -> Site:
    """A source as a choosable site: its feed's own title (else its name) and host."""
    host = (urlsplit(source.url).hostname or source.url).lower()
    return Site(source.id, source.feed_title or source.name, host.removeprefix("www."))


def choosable(sources: Iterable[Source]) -> list[Site]:
    """The enabled sources as sites, by name."""
    sites = [site_of(s) for s in sources if s.enabled]
    return sorted(sites, key=lambda s: (s.name.casefold(), s.id))


def is_chosen(f: SiteFilter, site_id: int) -> bool:
    """Whether the chat gets this site."""
    return f.ids is None or site_id in f.ids


def chosen_sites(f: SiteFilter, sites: Sequence[Site]) -> list[Site]:
    """The sites of ``sites`` the chat gets."""
    return [s for s in sites if is_chosen(f, s.id)]


def toggle(f: SiteFilter, site_id: int, sites: Sequence[Site]) -> SiteFilter | None:
    """The filter with one site switched; None when that would leave no site at all.

    From every site, tapping one chooses it alone (as a region or a topic does).
    """
    if f.ids is None:
        return SiteFilter(frozenset({site_id}))
    ids = set(f.ids)
    if site_id in ids:
        ids.discard(site_id)
        if not ids & {s.id for s in sites}:
            return None
    else:
        ids.add(site_id)
    return SiteFilter(frozenset(ids))


def format_sites(f: SiteFilter, sites: Sequence[Site]) -> str:
    """A chat's sites for people: "every site" or "Socialist Revolution, In Defence of Marxism"."""
    if f.ids is None:
        return i18n.tr(texts.EVERY_SITE)
    names = [s.name for s in chosen_sites(f, sites)]
    return ", ".join(names) if names else i18n.tr(texts.NO_SITES)


def _shown(typed: str) -> str:
    return typed if len(typed) <= _ECHO_LIMIT else typed[: _ECHO_LIMIT - 1] + "…"


def _names(sites: Sequence[Site]) -> str:
    names = [s.name for s in sites[:_LISTED]]
    return ", ".join(names) + (", …" if len(sites) > _LISTED else "")


def _matches(query: str, sites: Sequence[Site]) -> list[Site]:
    """The sites one typed name means: its whole name or host, else every one of its words."""
    folded = " ".join(stems.keys(query))
    host = query.strip().lower().removeprefix("www.")
    whole = [s for s in sites if " ".join(stems.keys(s.name)) == folded or s.host == host]
    if whole or not folded:
        return whole
    words = set(folded.split())
    return [s for s in sites if words <= s.keys]


def _one(query: str, sites: Sequence[Site]) -> Site:
    found = _matches(query, sites)
    if len(found) == 1:
        return found[0]
    if found:
        raise SiteError(
            i18n.tr(texts.SITE_AMBIGUOUS).format(typed=_shown(query.strip()), sites=_names(found))
        )
    raise SiteError(
        i18n.tr(texts.SITE_UNKNOWN).format(typed=_shown(query.strip()), sites=_names(sites))
    )


def find_sites(typed: str, sites: Sequence[Site]) -> list[Site]:
    """The sites named in ``typed``: one name, or several separated by commas or spaces.

    The whole text is tried as one name first ("socialist revolution"), then each part.
    """
    if not typed.strip():
        raise SiteError(i18n.tr(texts.SITE_NONE_NAMED).format(sites=_names(sites)))
    if _matches(typed, sites):
        return [_one(typed, sites)]
    parts = typed.split(",") if "," in typed else typed.split()
    return list(dict.fromkeys(_one(p, sites) for p in parts if p.strip()))


def edit_sites(current: SiteFilter, op: FilterOp, typed: str, sites: Sequence[Site]) -> SiteFilter:
    """Set, add to or remove from a chat's sites the ones named in ``typed``."""
    named = frozenset(s.id for s in find_sites(typed, sites))
    if op == "set":
        return SiteFilter(named)
    if op == "add":
        return current if current.ids is None else SiteFilter(current.ids | named)
    base = frozenset(s.id for s in sites) if current.ids is None else current.ids
    if base.isdisjoint(named):
        listed = ", ".join(s.name for s in sites if s.id in named)
        raise SiteError(
            i18n.tr(texts.SITE_NOT_IN).format(named=listed, current=format_sites(current, sites))
        )
    left = base - named
    if left.isdisjoint(s.id for s in sites):
        raise SiteError(i18n.tr(texts.SITE_LAST_REMOVED))
    return SiteFilter(left)


def says_everything(typed: str) -> bool:
    """Whether the typed words ask for every site ("all", "todos", "все")."""
    words = stems.keys(typed)
    return bool(words) and all(w in _EVERYTHING for w in words)


def parse_sites(typed: str, current: SiteFilter, sites: Sequence[Site]) -> SiteFilter:
    """Read ``/sites`` arguments: "all", names ("marxist"), "add …", "remove …", "-…"."""
    if says_everything(typed):
        return SiteFilter()
    if verb_key(typed.strip()) in ADD_WORDS | REMOVE_WORDS | SET_WORDS:
        typed = ""  # a verb alone: which sites?
    op, names = split_verb(typed)
    return edit_sites(current, op, names, sites)
