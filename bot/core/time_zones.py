"""Time zones a person can name: an IANA name, a city in one, or a country with one zone.

Pure: reads the tz database's table of zones by country (``zone.tab``), from the ``tzdata``
package or the system's copy, once.
"""

from __future__ import annotations

import importlib.resources
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

from bot.core import i18n, texts
from bot.core.errors import BotError
from bot.core.regions.filters import resolve_name
from bot.core.regions.text import words

_SYSTEM = Path("/usr/share/zoneinfo")
_SHOWN = 5


def _table(name: str) -> str:
    try:
        return importlib.resources.files("tzdata").joinpath("zoneinfo", name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return (_SYSTEM / name).read_text("utf-8")


@cache
def zones_by_country() -> dict[str, tuple[str, ...]]:
    """ISO country code → the zones a person there may mean (``zone.tab``), the principal first;
    one zone when the others keep the same clock all year or the principal is the mainland's."""
    listed: dict[str, list[tuple[str, str]]] = {}
    for line in _table("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        listed.setdefault(fields[0], []).append((fields[2], fields[3] if len(fields) > 3 else ""))
    return {code: _meant(zones) for code, zones in listed.items()}


def _meant(zones: list[tuple[str, str]]) -> tuple[str, ...]:
    principal, comment = zones[0]
    clocks = {_clock_of(zone) for zone, _ in zones}
    if len(clocks) == 1 or "mainland" in comment:
        return (principal,)
    return tuple(zone for zone, _ in zones)


def _clock_of(zone: str) -> tuple[timedelta | None, timedelta | None]:
    """A zone's UTC offsets in January and July (a fixed year): its clock over a year."""
    tz = ZoneInfo(zone)
    return datetime(2026, 1, 15, tzinfo=tz).utcoffset(), datetime(
        2026, 7, 15, tzinfo=tz
    ).utcoffset()


@cache
def _by_key() -> dict[str, str]:
    """Folded IANA names and city names (the last part: ``sao paulo``) → the zone."""
    keys: dict[str, str] = {}
    zones = sorted(z for z in available_timezones() if "/" in z or z == "UTC")
    for zone in zones:
        keys.setdefault(" ".join(words(zone.replace("/", " / "))), zone)
        city = zone.rsplit("/", 1)[-1].replace("_", " ")
        keys.setdefault(" ".join(words(city)), zone)
    for alias in ("utc", "gmt", "z"):
        keys[alias] = "UTC"
    return keys


def resolve_zone(typed: str, error: type[BotError]) -> str:
    """The IANA zone a person means by ``Europe/Madrid``, ``Madrid``, ``São Paulo``, ``UTC`` or
    a country with a single zone (``Spain``, ``Alemania``); raises ``error`` quoting ``typed``
    when it is unknown, or when a country has several zones (naming a few)."""
    key = " ".join(words(typed.replace("/", " / ")))
    zone = _by_key().get(key)
    if zone is not None:
        ZoneInfo(zone)
        return zone
    countries = [c for c in resolve_name(typed) if len(c) == 2 and c.isalpha()]
    if len(countries) == 1:
        zones = zones_by_country().get(countries[0], ())
        if len(zones) == 1:
            return zones[0]
        if zones:
            shown = ", ".join(zones[:_SHOWN])
            raise error(i18n.tr(texts.ZONE_SEVERAL).format(typed=_shown(typed), zones=shown))
    raise error(i18n.tr(texts.ZONE_UNKNOWN).format(typed=_shown(typed)))


def _shown(typed: str) -> str:
    typed = typed.strip()
    return typed if len(typed) <= 64 else typed[:63] + "…"
