"""Words for how a chat's teasers arrive: its schedule, its quiet hours and its post format.

Pure: texts in the current language (:mod:`bot.core.i18n`), times shown on the chat's own clock
(``HH:MM``, with the date in the language's short form when it is not today or tomorrow).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton

from bot.core import i18n, texts
from bot.core.chat_schedule import (
    DailyAt,
    EveryHours,
    Instant,
    QuietHours,
    Schedule,
    next_digest_at,
    quiet_until,
)
from bot.core.i18n import tr, trn
from bot.core.models import Article
from bot.core.post_format import PostFormat, parse_format

SWITCHES: tuple[tuple[str, str], ...] = (
    ("summary", texts.FORMAT_PART_SUMMARY),
    ("hashtags", texts.FORMAT_PART_HASHTAGS),
    ("source", texts.FORMAT_PART_SOURCE),
    ("photo", texts.FORMAT_PART_PHOTO),
    ("button", texts.FORMAT_PART_BUTTON),
)
"""/format's switches (a :class:`PostFormat` field each) and their names for people."""


def clock(minutes: int) -> str:
    """Minutes after midnight as ``07:30``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def zone_of(zone: str | None) -> str:
    """The chat's time zone, UTC when it has named none."""
    return zone or "UTC"


def schedule_words(schedule: Schedule) -> str:
    """The schedule as part of a sentence: "one digest every 3 hours"."""
    match schedule:
        case Instant():
            return tr(texts.SCHEDULE_INSTANT)
        case EveryHours(hours):
            return trn(texts.SCHEDULE_EVERY, hours).format(count=hours)
        case DailyAt(hour, minute, zone):
            return tr(texts.SCHEDULE_DAILY).format(clock=clock(hour * 60 + minute), zone=zone)


def schedule_short(schedule: Schedule) -> str:
    """The schedule in a word or two, for a button: "every 3 h", "daily 07:30"."""
    match schedule:
        case Instant():
            return tr(texts.SCHEDULE_SHORT_INSTANT)
        case EveryHours(hours):
            return trn(texts.SCHEDULE_SHORT_EVERY, hours).format(count=hours)
        case DailyAt(hour, minute, _):
            return tr(texts.SCHEDULE_SHORT_DAILY).format(clock=clock(hour * 60 + minute))


def when_words(at: float, now: float, zone: str) -> str:
    """A moment on the chat's clock: "today at 15:00", "tomorrow at 07:30", "on Wed, Dec 9 at
    07:30" (the date in the current language)."""
    tz = ZoneInfo(zone)
    local = datetime.fromtimestamp(at, tz)
    hhmm = clock(local.hour * 60 + local.minute)
    days = (local.date() - datetime.fromtimestamp(now, tz).date()).days
    if days == 0:
        return tr(texts.WHEN_TODAY).format(clock=hhmm)
    if days == 1:
        return tr(texts.WHEN_TOMORROW).format(clock=hhmm)
    day = format_skeleton("MMMEd", local.replace(tzinfo=None), locale=i18n.current())
    return tr(texts.WHEN_DATE).format(date=day, clock=hhmm)


def next_digest_words(schedule: Schedule, now: float, chat_zone: str | None) -> str:
    """ "The next digest comes today at 15:00 (UTC)…" for a digest schedule; "" for instant.

    A daily digest is told on its own zone's clock, a digest every few hours on the chat's.
    """
    at = next_digest_at(schedule, now)
    if at is None:
        return ""
    zone = schedule.zone if isinstance(schedule, DailyAt) else zone_of(chat_zone)
    return tr(texts.SCHEDULE_NEXT).format(when=when_words(at, now, zone), zone=zone)


def quiet_words(quiet: QuietHours | None) -> str:
    """Quiet hours as part of a sentence: "22:00-07:00 (Europe/Berlin): teasers wait until
    07:00"; "none"."""
    if quiet is None:
        return tr(texts.QUIET_NONE)
    template = texts.QUIET_HOLD if quiet.hold else texts.QUIET_SILENT
    return tr(template).format(start=clock(quiet.start), end=clock(quiet.end), zone=quiet.zone)


def quiet_short(quiet: QuietHours | None) -> str:
    """Quiet hours for a button: "22:00-07:00", "none"."""
    if quiet is None:
        return tr(texts.QUIET_NONE)
    return f"{clock(quiet.start)}-{clock(quiet.end)}"


def quiet_now_words(quiet: QuietHours | None, now: float) -> str:
    """ "They are on now, until 07:00." while the quiet hours hold; else ""."""
    until = quiet_until(quiet, now)
    if quiet is None or until is None:
        return ""
    local = datetime.fromtimestamp(until, ZoneInfo(quiet.zone))
    return tr(texts.QUIET_NOW).format(end=clock(local.hour * 60 + local.minute))


def format_words(fmt: PostFormat, *, share: bool) -> str:
    """The parts a teaser shows, by name: "Summary, Hashtags, Source, Share button"."""
    parts = [tr(name) for field, name in SWITCHES if getattr(fmt, field)]
    if share:
        parts.append(tr(texts.FORMAT_PART_SHARE))
    if fmt.signature:
        parts.append(tr(texts.FORMAT_PART_SIGNATURE))
    return ", ".join(parts) if parts else tr(texts.FORMAT_TITLE_ONLY)


def named_part(typed: str) -> str:
    """The part of a teaser a valid ``/format`` request names: a switch or "signature"."""
    everything = PostFormat(True, True, True, True, True, "-")
    nothing = PostFormat(False, False, False, False, False, None)
    for base in (everything, nothing):
        changed = parse_format(typed, base)
        for field in (*(name for name, _ in SWITCHES), "signature"):
            if getattr(changed, field) != getattr(base, field):
                return field
    return "signature"


def sample_article(now: float) -> Article:
    """A made-up story in the current language, to preview a format before any is stored."""
    return Article(
        id=0,
        source_id=0,
        source_name=tr(texts.SAMPLE_SOURCE),
        key="sample",
        title=tr(texts.SAMPLE_TITLE),
        summary=tr(texts.SAMPLE_SUMMARY),
        url="https://example.org/",
        published=datetime.fromtimestamp(now, UTC),
        seen_at=datetime.fromtimestamp(now, UTC),
        countries=("ES",),
    )
