"""The sources file (TOML): which feeds and pages the bot polls.

```toml
[[source]]
name = "Socialist Revolution"
url = "https://socialistrevolution.org/feed/"
kind = "feed"          # feed | html | auto (optional, default feed)
region = "Britain"     # optional default country/region for every item
language = "es"        # optional: the language its teasers are written in (else the feed's own)
[source.selectors]     # optional, for kind = "html": item, title, link, summary, date
```

`FEED_URLS` replaces the file; without either, the packaged `bot/default_sources.toml` is used.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.config import Settings, http_url_problem
from bot.core.errors import ConfigError
from bot.core.models import HtmlSelectors, SourceKind, SourceSpec

DEFAULT_SOURCES_RESOURCE = "default_sources.toml"

_SOURCE_KEYS = frozenset({"name", "url", "kind", "region", "selectors", "language"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")
_SELECTOR_KEYS = ("item", "title", "link", "summary", "date")
_KINDS = tuple(kind.value for kind in SourceKind)


def load_sources(settings: Settings) -> list[SourceSpec]:
    """The configured sources: FEED_URLS, else SOURCES_FILE, else the packaged default file."""
    if settings.feed_urls:
        return sources_from_urls(settings.feed_urls)
    if settings.sources_file is not None:
        path = settings.sources_file
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"SOURCES_FILE: {path}: not UTF-8 text") from None
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            raise ConfigError(f"SOURCES_FILE: {path}: cannot be read ({reason})") from None
        return parse_sources_toml(text, str(path))
    return parse_sources_toml(default_sources_text(), f"bot/{DEFAULT_SOURCES_RESOURCE}")


def default_sources_text() -> str:
    """The text of the packaged `bot/default_sources.toml`."""
    try:
        resource = resources.files("bot").joinpath(DEFAULT_SOURCES_RESOURCE)
    except NotADirectoryError:
        # Python 3.11 fails this way when a stale editable install (made before
        # bot/__init__.py existed) makes `bot` a namespace package; the file sits beside us.
        return Path(__file__).with_name(DEFAULT_SOURCES_RESOURCE).read_text(encoding="utf-8")
    return resource.read_text(encoding="utf-8")


def sources_from_urls(urls: tuple[str, ...] | list[str]) -> list[SourceSpec]:
    """One feed `SourceSpec` per URL, named after its host (host and path when hosts repeat)."""
    specs: list[SourceSpec] = []
    used: set[str] = set()
    for url in urls:
        parts = urlsplit(url)
        host = parts.hostname or url
        name = host
        if name in used:
            name = f"{host}{parts.path.rstrip('/')}"
        base, n = name, 2
        while name in used:
            name, n = f"{base} ({n})", n + 1
        used.add(name)
        specs.append(SourceSpec(name=name, url=url))
    return specs


def parse_sources_toml(text: str, origin: str) -> list[SourceSpec]:
    """Read a sources file's text; raise `ConfigError` listing every problem, each with `origin`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{origin}: invalid TOML: {exc}") from None
    problems: list[str] = [
        f"{origin}: unknown key {key!r} (expected [[source]] tables)"
        for key in data
        if key != "source"
    ]
    entries = data.get("source", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(f"{origin}: 'source' must be written as [[source]] tables")
        entries = []
    specs: list[SourceSpec] = []
    seen_urls: dict[str, int] = {}
    for index, entry in enumerate(entries, start=1):
        label = _label(origin, index, entry)
        spec = _source(entry, label, problems)
        if spec is None:
            continue
        key = _url_key(spec.url)
        if key in seen_urls:
            problems.append(f"{label}: url {spec.url!r} repeats source {seen_urls[key]}")
            continue
        seen_urls[key] = index
        specs.append(spec)
    if problems:
        raise ConfigError("\n".join(problems))
    return specs


def _label(origin: str, index: int, entry: dict[str, Any]) -> str:
    name = entry.get("name")
    if isinstance(name, str) and name.strip():
        return f"{origin}: source {index} ({name.strip()!r})"
    return f"{origin}: source {index}"


def _source(entry: dict[str, Any], label: str, problems: list[str]) -> SourceSpec | None:
    before = len(problems)
    problems.extend(
        f"{label}: unknown key {key!r} (expected one of {', '.join(sorted(_SOURCE_KEYS))})"
        for key in entry
        if key not in _SOURCE_KEYS
    )
    name = _text(entry, "name", label, problems, required=True)
    url = _text(entry, "url", label, problems, required=True)
    if url is not None:
        problem = http_url_problem(url)
        if problem is not None:
            problems.append(f"{label}: url {problem}")
    kind = SourceKind.FEED
    kind_text = _text(entry, "kind", label, problems, required=False)
    if kind_text is not None:
        if kind_text.lower() in _KINDS:
            kind = SourceKind(kind_text.lower())
        else:
            problems.append(f"{label}: kind {kind_text!r} is not one of {', '.join(_KINDS)}")
    region = _text(entry, "region", label, problems, required=False)
    language = _text(entry, "language", label, problems, required=False)
    if language is not None and not _LANGUAGE_TAG.match(language):
        problems.append(f'{label}: language {language!r} is not a language tag like "es"')
    selectors = _selectors(entry.get("selectors"), label, problems)
    if selectors is not None and kind is not SourceKind.HTML:
        problems.append(f'{label}: selectors apply only to kind = "html"')
    if len(problems) > before or name is None or url is None:
        return None
    return SourceSpec(
        name=name, url=url, kind=kind, region=region, selectors=selectors, language=language
    )


def _text(
    table: dict[str, Any], key: str, label: str, problems: list[str], *, required: bool
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            problems.append(f"{label}: missing {key}")
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{label}: {key} must be a non-empty string")
        return None
    return value.strip()


def _selectors(value: object, label: str, problems: list[str]) -> HtmlSelectors | None:
    if value is None:
        return None
    where = f"{label}: selectors"
    if not isinstance(value, dict):
        problems.append(f"{where} must be a table ([source.selectors])")
        return None
    before = len(problems)
    problems.extend(
        f"{where}: unknown key {key!r} (expected one of {', '.join(_SELECTOR_KEYS)})"
        for key in value
        if key not in _SELECTOR_KEYS
    )
    found = {
        key: _text(value, key, where, problems, required=key in ("item", "title"))
        for key in _SELECTOR_KEYS
    }
    item, title = found["item"], found["title"]
    if len(problems) > before or item is None or title is None:
        return None
    return HtmlSelectors(
        item=item,
        title=title,
        link=found["link"],
        summary=found["summary"],
        date=found["date"],
    )


def _url_key(url: str) -> str:
    """A URL with its scheme and host lower-cased and a trailing slash dropped, for comparison."""
    parts = urlsplit(url)
    rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{rest.rstrip('/')}"
