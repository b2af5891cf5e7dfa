"""Health: whether polling or delivery has stalled, and `python -m bot healthcheck` for Docker.

The check asks the running bot's ``/healthz`` when METRICS_PORT is set; otherwise it reads the
database (the SQLite file without the instance lock, or PostgreSQL when DATABASE_URL is set).
Exit status 0 means healthy, 1 unhealthy.
"""

from __future__ import annotations

import asyncio
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from bot.config import Settings, redact
from bot.core.errors import BotError
from bot.service.database import configured_store
from bot.store import HealthFigures

PROBE_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class HealthReport:
    """The /healthz verdict: ok, or what has stalled."""

    ok: bool
    problems: tuple[str, ...] = ()

    def text(self) -> str:
        """The response body."""
        return "ok\n" if self.ok else "".join(f"{problem}\n" for problem in self.problems)


class Health:
    """Decides whether polling or delivery has stalled."""

    def __init__(self, stall_after: float) -> None:
        self.stall_after = stall_after

    def judge(
        self, figures: HealthFigures, *, now: float, last_send_at: float | None
    ) -> HealthReport:
        """Stalled: a source overdue too long, or due rows waiting too long with no send since."""
        problems: list[str] = []
        if figures.poll_overdue_s > self.stall_after:
            problems.append(
                f"polling stalled: source {figures.overdue_source!r} is "
                f"{figures.poll_overdue_s:.0f} s overdue"
            )
        idle = last_send_at is None or now - last_send_at > self.stall_after
        if figures.oldest_due_age_s > self.stall_after and idle:
            problems.append(
                f"delivery stalled: {figures.queued} queued, the oldest due for "
                f"{figures.oldest_due_age_s:.0f} s"
            )
        return HealthReport(ok=not problems, problems=tuple(problems))


def probe(url: str, timeout: float = PROBE_TIMEOUT) -> HealthReport:
    """GET a /healthz URL: 200 is healthy, anything else (or no answer) is not."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 - our own URL
            return HealthReport(ok=True, problems=())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip()
        return HealthReport(ok=False, problems=tuple(body.splitlines()) or (str(exc),))
    except (urllib.error.URLError, OSError) as exc:
        return HealthReport(ok=False, problems=(f"no answer from {url}: {exc}",))


async def check_database(settings: Settings, now: float | None = None) -> HealthReport:
    """Judge health from the database alone (no running bot needed to read it).

    The SQLite file (DATABASE_PATH), or PostgreSQL when DATABASE_URL is set.
    """
    if settings.database_url is None and not settings.database_path.is_file():
        return HealthReport(ok=False, problems=(f"no database at {settings.database_path}",))
    async with configured_store(settings, connect_timeout=PROBE_TIMEOUT) as store:
        at = time.time() if now is None else now
        figures = await store.stats.health_figures(at)
        health = Health(settings.health_stall_seconds)
        report = health.judge(figures, now=at, last_send_at=at)
        if report.ok and figures.oldest_due_age_s > settings.health_stall_seconds:
            report = health.judge(figures, now=at, last_send_at=await store.stats.last_sent_at())
        return report


def healthcheck(settings: Settings) -> HealthReport:
    """The bot's health: from its endpoint when it has one, else from the database."""
    if settings.metrics_port is not None:
        host = settings.metrics_listen
        if host in ("0.0.0.0", "::", ""):  # noqa: S104 - a wildcard is reached via loopback
            host = "127.0.0.1"
        return probe(f"http://{host}:{settings.metrics_port}/healthz")
    try:
        return asyncio.run(check_database(settings))
    except BotError as exc:  # one line, never the password
        return HealthReport(ok=False, problems=(redact(str(exc), settings.secrets),))
