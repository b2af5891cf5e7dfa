"""When a chat's teasers go out: its schedule and its quiet hours, decided without I/O.

Pure. A teaser found for a chat becomes an outbox row due at :func:`arrival_at`: at once for an
instant chat, else at the chat's next digest time; quiet hours that hold teasers move it to
their end. The rows wait in the outbox (the only truth), so a restart or a failover neither
loses nor doubles a digest. At send time :func:`quiet_now` says whether quiet hours hold or
silence the message, and :func:`digest_slot` whether a row read as due is really due (a row
queued before the chat chose its schedule waits for the digest it belongs to).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.chat_schedule import (
    DailyAt,
    Instant,
    QuietHours,
    Schedule,
    next_digest_at,
    quiet_until,
)
from bot.core.chat_settings import DEFAULT_SETTINGS, ChatSettings
from bot.core.models import Chat, Delivery


def scheduled(settings: ChatSettings) -> bool:
    """Whether the chat gets digests (its rows wait for its digest times)."""
    return settings is not DEFAULT_SETTINGS and not isinstance(settings.schedule, Instant)


@lru_cache(maxsize=512)
def _known_zone(zone: str) -> bool:
    """Whether this machine knows the IANA zone (its tz database may lack a stored one)."""
    try:
        ZoneInfo(zone)
    except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _sound(schedule: Schedule, quiet: QuietHours | None) -> tuple[Schedule, QuietHours | None]:
    """The schedule and quiet hours with a zone this machine does not know read as UTC, so one
    chat's stored zone never stops delivery."""
    if isinstance(schedule, DailyAt) and not _known_zone(schedule.zone):
        schedule = replace(schedule, zone="UTC")
    if quiet is not None and not _known_zone(quiet.zone):
        quiet = replace(quiet, zone="UTC")
    return schedule, quiet


def arrival_at(schedule: Schedule, quiet: QuietHours | None, now: float) -> float:
    """When a teaser found at ``now`` is due: now (instant), or the next digest time; moved to
    the end of quiet hours that hold teasers when it falls inside them."""
    schedule, quiet = _sound(schedule, quiet)
    digest = next_digest_at(schedule, now)
    at = now if digest is None else digest
    if quiet is not None and quiet.hold:
        end = quiet_until(quiet, at)
        if end is not None:
            return end
    return at


def settings_arrival(settings: ChatSettings, now: float) -> float:
    """:func:`arrival_at` for a chat's settings."""
    if settings is DEFAULT_SETTINGS:
        return now
    return arrival_at(settings.schedule, settings.quiet, now)


def arrivals(chats: Iterable[Chat], now: float) -> dict[int, float]:
    """The chats whose new rows wait (a schedule, or quiet hours that hold now), with when each
    is due; every other chat's rows are due ``now``. Chats with the default settings cost an
    identity test each."""
    later: dict[int, float] = {}
    for chat in chats:
        settings = chat.settings
        if settings is DEFAULT_SETTINGS:
            continue
        if isinstance(settings.schedule, Instant) and not (settings.quiet and settings.quiet.hold):
            continue
        at = arrival_at(settings.schedule, settings.quiet, now)
        if at > now:
            later[chat.id] = at
    return later


def digest_slot(schedule: Schedule, queued_at: float) -> float | None:
    """The digest a row queued at ``queued_at`` belongs to (None: instant, no digest)."""
    schedule, _ = _sound(schedule, None)
    return next_digest_at(schedule, queued_at)


@dataclass(frozen=True, slots=True)
class Quiet:
    """Inside quiet hours: send without a sound (``hold_until`` None), or hold the chat's
    teasers until ``hold_until``."""

    hold_until: float | None = None


def quiet_now(quiet: QuietHours | None, now: float) -> Quiet | None:
    """What the chat's quiet hours ask of a message sent at ``now``; None outside them."""
    _, quiet = _sound(Instant(), quiet)
    end = quiet_until(quiet, now)
    if end is None or quiet is None:
        return None
    return Quiet(end if quiet.hold else None)


def early_rows(rows: Iterable[Delivery], now: float) -> list[tuple[Delivery, float]]:
    """The rows of chats with a digest schedule that were read as due before the digest they
    belong to (queued before the chat chose its schedule, say), each with that digest's time."""
    early: list[tuple[Delivery, float]] = []
    for row in rows:
        settings = row.chat.settings
        if not scheduled(settings):
            continue
        slot = digest_slot(settings.schedule, row.created_at)
        if slot is not None and slot > now:
            early.append((row, slot))
    return early
