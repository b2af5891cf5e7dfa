"""When a chat gets its teasers: at once, or one digest per period; and its quiet hours.

Pure: times are POSIX seconds, time zones IANA names read with :mod:`zoneinfo`. A daily time is
a wall-clock time in the chat's zone, so it stays 07:30 across daylight-saving changes: the next
day's occurrence is computed from the next local date, never by adding 24 hours. A wall time
that does not exist (the hour skipped in spring) falls after the gap; one that happens twice
(the hour repeated in autumn) counts its first occurrence.

Typed forms (``/schedule``, ``/quiet``) are accepted in the bot's six languages:
``instant``, ``every 3 h``, ``daily 07:30 Europe/Madrid`` (or a city, or a country with one
time zone), ``/quiet 22:00-07:00 [hold]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import i18n, texts
from bot.core.errors import BotError
from bot.core.regions.text import words
from bot.core.time_zones import resolve_zone

HOUR = 3600.0


class ScheduleError(BotError):
    """A schedule, quiet hours or a time zone the bot cannot read; ``message`` (plain text)
    quotes what was typed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Instant:
    """Every teaser as soon as it is found (the default)."""


@dataclass(frozen=True, slots=True)
class EveryHours:
    """One digest every ``hours`` hours (1 to 24), at whole multiples of that period in UTC."""

    hours: int


@dataclass(frozen=True, slots=True)
class DailyAt:
    """One digest a day at ``hour``:``minute`` in the IANA time zone ``zone``."""

    hour: int
    minute: int
    zone: str


Schedule = Instant | EveryHours | DailyAt


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From ``start`` to ``end`` (minutes after local midnight; may cross midnight) in ``zone``,
    teasers are sent silently, or held until the end when ``hold``."""

    start: int
    end: int
    zone: str
    hold: bool = False


_INSTANT = {
    "instant", "now", "instantly", "immediately", "sofort", "direkt", "instantaneo", "inmediato",
    "ya", "immediat", "instantane", "imediato", "сразу", "мгновенно", "немедленно",
}  # fmt: skip
_EVERY = {"every", "alle", "cada", "toutes", "tous", "les", "a", "каждые", "каждый", "раз", "в",
          "jede", "jeden"}  # fmt: skip
_HOURLY = {"hourly", "stundlich", "ежечасно"}
_HOURS = {
    "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "hora", "horas", "heure",
    "heures", "ч", "час", "часа", "часов",
}  # fmt: skip
_DAILY = {
    "daily", "day", "every day", "taglich", "jeden tag", "diario", "diariamente", "cada dia",
    "todos los dias", "quotidien", "chaque jour", "tous les jours", "todo dia", "todos os dias",
    "ежедневно", "каждый день",
}  # fmt: skip
_HOLD = {"hold", "wait", "later", "halten", "warten", "retener", "esperar", "retenir",
         "attendre", "reter", "segurar", "держать", "задержать", "ждать"}  # fmt: skip
_SILENT = {"silent", "silently", "leise", "still", "silencio", "silencioso", "silencieux",
           "silencieusement", "тихо", "беззвучно"}  # fmt: skip
_OFF = {"off", "aus", "no", "non", "nao", "desligado", "apagado", "desactive", "выкл", "нет"}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?h?$")
_RANGE = re.compile(r"^\s*(\S+?)\s*[-\u2013\u2014]\s*(\S+?)(?:\s+(.*))?$")


def _phrase(text: str) -> str:
    return " ".join(words(text))


# The words as they are compared: folded like what is typed ("stündlich", "каждый" -> "каждыи").
_INSTANT, _EVERY, _HOURLY, _HOURS, _DAILY, _HOLD, _SILENT, _OFF = (
    {_phrase(w) for w in group}
    for group in (_INSTANT, _EVERY, _HOURLY, _HOURS, _DAILY, _HOLD, _SILENT, _OFF)
)


def _clock(token: str, typed: str) -> tuple[int, int]:
    """``07:30``, ``7:30``, ``7.30``, ``7h30``, ``7h`` or ``19`` as (hour, minute)."""
    m = _CLOCK.match(token.strip().lower())
    if m is None or int(m.group(1)) > 23 or int(m.group(2) or 0) > 59:
        raise ScheduleError(i18n.tr(texts.SCHEDULE_BAD_TIME).format(typed=_shown(typed)))
    return int(m.group(1)), int(m.group(2) or 0)


def _shown(typed: str) -> str:
    """What someone typed, as repeated in an answer (escaped by the caller's template)."""
    typed = typed.strip()
    return typed if len(typed) <= 64 else typed[:63] + "…"


def parse_schedule(typed: str, *, zone: str = "UTC") -> Schedule:
    """The schedule a person typed after ``/schedule``; ``zone`` is the chat's zone so far.

    Raises :class:`ScheduleError` quoting what was typed when it cannot be read.
    """
    tokens = typed.split()
    phrase = _phrase(typed)
    if phrase in _INSTANT:
        return Instant()
    every = _every(tokens)
    if every is not None:
        return every
    for cut in (2, 1):
        if _phrase(" ".join(tokens[:cut])) in _DAILY and len(tokens) > cut:
            hour, minute = _clock(tokens[cut], typed)
            rest = " ".join(tokens[cut + 1 :])
            return DailyAt(hour, minute, resolve_zone(rest, ScheduleError) if rest else zone)
    raise ScheduleError(i18n.tr(texts.SCHEDULE_UNKNOWN).format(typed=_shown(typed)))


def _every(tokens: list[str]) -> EveryHours | None:
    """``every 3 h``, ``alle 3 Std``, ``cada 3 horas``, ``toutes les 3 h``, ``каждые 3 ч``,
    ``every 3h``, ``every hour``, ``hourly``; None when the words are not of that shape."""
    rest = list(tokens)
    while rest and _phrase(rest[0]) in _EVERY:
        rest.pop(0)
    stripped = 0 < len(rest) < len(tokens)
    if _phrase(" ".join(tokens)) in _HOURLY or (stripped and _phrase(" ".join(rest)) in _HOURS):
        return EveryHours(1)  # "hourly", "every hour", "cada hora", "каждый час"
    if len(rest) == len(tokens) or not rest:
        return None
    m = re.fullmatch(r"(\d{1,3})\s*([^\d\s]*)", " ".join(rest).strip())
    if m is None or (m.group(2) and _phrase(m.group(2)) not in _HOURS):
        return None
    hours = int(m.group(1))
    if not 1 <= hours <= 24:
        typed = _shown(" ".join(tokens))
        raise ScheduleError(i18n.tr(texts.SCHEDULE_BAD_HOURS).format(typed=typed))
    return EveryHours(hours)


def schedule_to_text(schedule: Schedule) -> str:
    """How a schedule is stored: ``instant``, ``every 3``, ``daily 07:30 Europe/Madrid``."""
    match schedule:
        case Instant():
            return "instant"
        case EveryHours(hours):
            return f"every {hours}"
        case DailyAt(hour, minute, zone):
            return f"daily {hour:02d}:{minute:02d} {zone}"


def schedule_from_text(text: str | None) -> Schedule:
    """The stored form back (anything unreadable, or nothing, is :class:`Instant`)."""
    parts = (text or "").split()
    if len(parts) == 2 and parts[0] == "every" and parts[1].isdigit():
        return EveryHours(min(24, max(1, int(parts[1]))))
    if len(parts) == 3 and parts[0] == "daily":
        hour, _, minute = parts[1].partition(":")
        if hour.isdigit() and minute.isdigit():
            return DailyAt(int(hour), int(minute), parts[2])
    return Instant()


def next_digest_at(schedule: Schedule, after: float) -> float | None:
    """The first digest time strictly after ``after``; None for :class:`Instant`."""
    match schedule:
        case Instant():
            return None
        case EveryHours(hours):
            period = hours * HOUR
            return (after // period + 1) * period
        case DailyAt(hour, minute, zone):
            tz = ZoneInfo(zone)
            day = datetime.fromtimestamp(after, tz).date()
            for offset in range(3):
                at = _wall(day + timedelta(days=offset), hour * 60 + minute, tz)
                if at > after:
                    return at
            raise AssertionError("a wall time recurs within three days")  # pragma: no cover


def _wall(day: date, minutes: int, tz: ZoneInfo) -> float:
    """The POSIX time of a wall-clock time on a local date. ``fold=0`` reads a skipped time
    with the offset before the gap (so it lands after it) and a repeated one as its first."""
    return datetime.combine(day, time(minutes // 60, minutes % 60), tz).timestamp()


def parse_quiet(typed: str, *, zone: str = "UTC") -> QuietHours | None:
    """``22:00-07:00``, ``22-7 hold``, ``23:00-06:30 Europe/Berlin silent``; ``off`` is None."""
    if _phrase(typed) in _OFF:
        return None
    m = _RANGE.match(typed)
    if m is None:
        raise ScheduleError(i18n.tr(texts.QUIET_UNKNOWN).format(typed=_shown(typed)))
    start_h, start_m = _clock(m.group(1), typed)
    end_h, end_m = _clock(m.group(2), typed)
    start, end = start_h * 60 + start_m, end_h * 60 + end_m
    if start == end:
        raise ScheduleError(i18n.tr(texts.QUIET_EMPTY).format(typed=_shown(typed)))
    hold, rest = False, []
    for token in (m.group(3) or "").split():
        if _phrase(token) in _HOLD:
            hold = True
        elif _phrase(token) not in _SILENT:
            rest.append(token)
    chosen = resolve_zone(" ".join(rest), ScheduleError) if rest else zone
    return QuietHours(start, end, chosen, hold)


def quiet_text(quiet: QuietHours | None) -> str:
    """How quiet hours are stored: ``22:00-07:00 Europe/Berlin hold`` (or ``silent``); ``""``."""
    if quiet is None:
        return ""
    mode = "hold" if quiet.hold else "silent"
    return f"{_hhmm(quiet.start)}-{_hhmm(quiet.end)} {quiet.zone} {mode}"


def quiet_from_text(text: str | None) -> QuietHours | None:
    """The stored form back; None when there is none (or it cannot be read)."""
    parts = (text or "").split()
    if len(parts) != 3:
        return None
    start, _, end = parts[0].partition("-")
    try:
        (sh, sm), (eh, em) = (_clock(start, text or ""), _clock(end, text or ""))
    except ScheduleError:
        return None
    return QuietHours(sh * 60 + sm, eh * 60 + em, parts[1], parts[2] == "hold")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def quiet_until(quiet: QuietHours | None, now: float) -> float | None:
    """When the quiet hours that hold at ``now`` end; None when ``now`` is not in them."""
    if quiet is None:
        return None
    tz = ZoneInfo(quiet.zone)
    local = datetime.fromtimestamp(now, tz)
    minute = local.hour * 60 + local.minute
    crosses = quiet.start > quiet.end
    inside = (quiet.start <= minute < quiet.end) or (
        crosses and (minute >= quiet.start or minute < quiet.end)
    )
    if not inside:
        return None
    day = local.date()
    if crosses and minute >= quiet.start:
        day += timedelta(days=1)
    end = _wall(day, quiet.end, tz)
    return end if end > now else _wall(day + timedelta(days=1), quiet.end, tz)
