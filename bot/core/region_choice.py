"""What tapping a region in the chooser does to a chat's filter, decided once for every keyboard.

Pure: a chosen continent covers its parts, so its parts show as chosen; tapping one of them
narrows the continent to its other parts; tapping a continent takes in the parts already chosen
inside it. Removing the last region leaves no regions (never "everything" by accident).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core import regions
from bot.core.models import RegionFilter


@dataclass(frozen=True, slots=True)
class Toggled:
    """The filter after a tap, and what the tap did: "added", "removed" or "emptied" (the last
    region went, so the chat has none)."""

    filter: RegionFilter
    change: str


def ancestors(region_id: str) -> list[str]:
    """The continent and sub-regions that contain a region in the chooser's tree, nearest first."""
    infos = regions.tables().regions
    out: list[str] = []
    info = infos.get(region_id)
    while info is not None and info.parent and info.parent in infos and info.parent not in out:
        out.append(info.parent)
        info = infos.get(info.parent)
    return out


def covered_by(chosen: RegionFilter, region_id: str) -> str | None:
    """The chosen region that covers ``region_id`` from above (its continent, say), if any."""
    return next((a for a in ancestors(region_id) if a in chosen.ids), None)


def is_chosen(chosen: RegionFilter, region_id: str) -> bool:
    """Whether the chooser shows a region as chosen: itself, or a region above it, is chosen."""
    return region_id in chosen.ids or covered_by(chosen, region_id) is not None


def _without(container: str, part: str) -> set[str]:
    """The parts of ``container`` that make up all of it except ``part`` (and what is inside)."""
    kept: set[str] = set()
    for child in regions.subregions_of(container):
        if child == part:
            continue
        if part in ancestors(child) or child in ancestors(part):
            kept |= _without(child, part)
        else:
            kept.add(child)
    return kept


def toggle(chosen: RegionFilter, region_id: str) -> Toggled:
    """The filter after tapping ``region_id`` in the chooser."""
    ids = set(chosen.ids)
    if region_id in ids:
        ids.discard(region_id)
        change = "removed"
    elif (container := covered_by(chosen, region_id)) is not None:
        ids.discard(container)
        ids |= _without(container, region_id)
        change = "removed"
    else:
        inside = {rid for rid in ids if rid != region_id and region_id in ancestors(rid)}
        ids = (ids - inside) | {region_id}
        change = "added"
    if not ids:
        change = "emptied"
    return Toggled(RegionFilter(frozenset(ids)), change)
