"""What the operators are told about sources: a notice made in each reader's language, and the
short durations such notices and /sources speak in."""

from __future__ import annotations

from collections.abc import Callable

Notice = Callable[[str], str]
"""One notice as HTML, made in the language it is given (each operator reads their own)."""


def duration(seconds: float) -> str:
    """A short human duration: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
