"""Polls due sources: claim → read (fetch → parse, off the event loop) → decide → apply.

Each poll reads what the store knows, hands it with the fetch outcome to the pure
:func:`bot.core.polling.decide_poll`, and applies the resulting intent in one transaction.
One source's failure is recorded against that source and never stops the others.

Several pollers (processes) may share one database: each claims due sources with a lease
(``claim_due_sources``) in small batches, so no source is polled by two at once and every one
gets its share; a poll's result ends its lease (``apply_poll``), a poll still running has its
lease renewed, and a poller that stops gives back what it had not polled. The lease of a poller
that died runs out, and the others take its sources. On SQLite (one process) the same calls
cost nothing more than the due-sources query did.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import os
import random
import secrets
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

from bot.core.errors import DatabaseUnreachableError, SourceError
from bot.core.models import Source
from bot.core.polling import (
    Classifier,
    Fetched,
    FetchFailure,
    FetchOutcome,
    PollIntent,
    PollKnowledge,
    PollNotice,
    PollRules,
    decide_poll,
)
from bot.core.routing import classify_item
from bot.core.websub import FALLBACK_FACTOR, HubLink
from bot.net.http import Fetcher
from bot.service.reader import SourceReader, failure_of
from bot.store import AppliedPoll, StoreVerbs, storage_fault

log = logging.getLogger("bot.poller")

_T = TypeVar("_T")
MAX_IDLE = 30.0
"""Seconds between looks at the store when no source is due sooner (sources added meanwhile)."""
SLOW_POLL = 1.0
"""Seconds after which a poll still running gives up its shared slot (see Poller._poll_slot)."""
MAX_RUNNING = 256
"""Polls under way at once, slow ones included."""
STOP_GRACE = 2.0
"""Seconds the polls under way get to finish once the poller is told to stop."""
LEASE_SECONDS = 60.0
"""How long a claimed source stays with its poller unless renewed.

The longest a dead process's sources wait for another process to take them. The poller renews
the leases of its polls every third of it, so a poll may take longer (a fetch alone may take a
minute, plus waiting for its host's turn) without anyone else polling the source meanwhile.
"""


def default_owner() -> str:
    """A lease owner id that names this process and is unique even across restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class PollReport:
    """The outcome of polling one source."""

    source: Source
    status: str  # "ok", "not_modified", "error", "paused" (the database out of reach)
    items: int = 0
    new: int = 0
    queued: int = 0
    error: str | None = None
    ms: float = 0.0
    same_body: bool = False  # a 200 whose document had not changed (not parsed again)
    next_poll_at: float | None = None  # when the source is due again (None: state unchanged)


def interleave_hosts(sources: Sequence[Source]) -> list[Source]:
    """Reorder sources round-robin by host (order kept within a host).

    The poller's slots then go to different hosts first, instead of all waiting on one host's
    per-host limit while other hosts idle.
    """
    queues: dict[str, deque[Source]] = {}
    for source in sources:
        host = (urlsplit(source.url).hostname or "").lower()
        queues.setdefault(host, deque()).append(source)
    ordered: list[Source] = []
    while queues:
        for host in list(queues):
            queue = queues[host]
            ordered.append(queue.popleft())
            if not queue:
                del queues[host]
    return ordered


class Poller:
    """Polls every due source, at most ``concurrency`` at once.

    Parsing and deciding (classifying, routing) run in a small thread pool (``parse_workers``
    threads), never on the event loop; a 200 whose body has the digest stored from the last
    poll is not parsed again.
    """

    def __init__(
        self,
        store: StoreVerbs,
        fetcher: Fetcher,
        *,
        interval: float,
        classify: Classifier = classify_item,
        on_queued: Callable[[], None] = lambda: None,
        on_fan_out: Callable[[], None] = lambda: None,
        clock: Callable[[], float] = time.time,
        concurrency: int = 16,
        parse_workers: int = 2,
        rng: random.Random | None = None,
        owner: str | None = None,
        lease_s: float = LEASE_SECONDS,
        stop_grace: float = STOP_GRACE,
    ) -> None:
        self.store = store
        self.reader = SourceReader(fetcher, classify=classify, off_loop=self._off_loop)
        self.rules = PollRules(
            interval=interval,
            classify=classify,
            rng=rng or random.Random(),  # noqa: S311 - jitter, not security
        )
        self.on_queued = on_queued
        self.on_fan_out = on_fan_out  # a poll recorded a fan-out: its rest is routed in slices
        self.clock = clock
        self.owner = owner or default_owner()
        self.lease_s = lease_s
        self.stop_grace = stop_grace
        self._concurrency = concurrency
        self._slots = asyncio.Semaphore(concurrency)
        self._slow: set[int] = set()  # sources whose poll gave up its slot (see _poll_slot)
        self._pool = ThreadPoolExecutor(max_workers=parse_workers, thread_name_prefix="parse")
        self._changed: asyncio.Event | None = None  # run's wake-up, while it runs
        self._poked = False
        self._pinged: set[int] = set()  # pinged sources whose poll has not started yet
        self.on_hub: Callable[[Source, HubLink], None] | None = None  # WebSub: a hub named
        self.pushed: Callable[[int], bool] = lambda _source_id: False  # WebSub: subscribed
        self._fallback = dataclasses.replace(self.rules, interval=interval * FALLBACK_FACTOR)

    def wake(self, source_id: int | None = None) -> None:
        """Look for due sources now (a ping made ``source_id`` due); a source pinged while its
        poll is under way is polled once more right after (that poll may have missed the story)."""
        if source_id is not None:
            self._pinged.add(source_id)
        self._poked = True
        if self._changed is not None:
            self._changed.set()

    def close(self) -> None:
        """Let the parse threads end once idle."""
        self._pool.shutdown(wait=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Poll each source on its own schedule until ``stop`` is set.

        A source's poll starts when it is due, whatever other polls are doing: a slow or
        hanging source delays only its own next poll, never another source's. Due sources are
        claimed at most twice ``concurrency`` at a time (the rest stay free for other
        processes). On ``stop`` the polls under way get ``stop_grace`` seconds to finish, then
        are cancelled (their transaction rolls back) and their sources given back.
        """
        running: dict[int, asyncio.Task[PollReport]] = {}
        changed = self._changed = asyncio.Event()
        failed: list[BaseException] = []
        due_again: list[float] = []  # when the sources of this poller's finished polls are due
        paused: list[int] = []  # sources whose poll met the database out of reach

        def finished(task: asyncio.Task[PollReport]) -> None:
            running.pop(int(task.get_name().removeprefix("poll-")), None)
            if task.cancelled():
                pass
            elif task.exception() is not None:
                failed.append(task.exception())  # type: ignore[arg-type]
            elif task.result().status == "paused":
                paused.append(task.result().source.id)
            elif (due := task.result().next_poll_at) is not None:
                due_again.append(due)
            changed.set()

        renew_at = self.clock() + self.lease_s / 3
        look_at: float | None = None  # None: claim once a slot is free; else not before then
        try:
            while not stop.is_set():
                if failed:  # a fault no source causes (the disk is full): the poller stops
                    raise failed[0]
                changed.clear()
                if paused or self._poked:  # made due from outside, or given back: look now
                    self._poked, look_at = False, None
                    await self._resume(paused, stop)
                if look_at is not None and due_again:  # one of ours may be due sooner
                    look_at = min(look_at, *due_again)
                due_again.clear()
                active = len(running) - len(self._slow)
                room = active <= self._concurrency and len(running) < MAX_RUNNING
                if room and self.clock() >= (look_at or 0.0):
                    look_at = await _start_due(self, running, finished, stop)
                if running and self.clock() >= renew_at:
                    await _patiently(
                        self.store, functools.partial(_renew, self, list(running)), stop
                    )
                    renew_at = self.clock() + self.lease_s / 3
                wait = MAX_IDLE if look_at is None else look_at - self.clock()
                if running:
                    wait = min(wait, renew_at - self.clock())
                await _first_of(stop, changed, seconds=min(MAX_IDLE, max(0.05, wait)))
        finally:
            held = list(running)
            try:
                await _finish(list(running.values()), self.stop_grace)
            finally:
                await self._give_back(held)

    async def _resume(self, paused: list[int], stop: asyncio.Event) -> None:
        """Give back the sources whose poll met the database out of reach, once it answers."""
        if not paused:
            return
        giving, paused[:] = list(paused), []
        release = functools.partial(self.store.sources.release_sources, giving, owner=self.owner)
        await _patiently(self.store, release, stop)

    async def _claim(self, held: int) -> tuple[list[Source], float | None]:
        """Claim due sources up to twice the concurrency; and when to claim again.

        Batches keep a slot ready for each poll that ends, without taking every due source
        from the other processes. A full batch: claim again once a slot is free (None). Fewer:
        nothing else can be claimed before the store's next claim time (looked up at most
        :data:`MAX_IDLE` seconds ahead, for sources added meanwhile), or before a source this
        poller polls meanwhile is due again (``run`` lowers the time by their reports).
        """
        want = 2 * self._concurrency - held
        claimed = await self.store.sources.claim_due_sources(
            self.clock(), owner=self.owner, lease_s=self.lease_s, limit=want
        )
        if len(claimed) == want:
            return interleave_hosts(claimed), None
        upcoming = await self.store.sources.next_claim_time()
        latest = self.clock() + MAX_IDLE
        return interleave_hosts(claimed), latest if upcoming is None else min(upcoming, latest)

    async def _give_back(self, source_ids: list[int]) -> None:
        """Release the leases of sources claimed but not polled (a stop); logged if it fails."""
        if not source_ids:
            return
        try:
            released = await self.store.sources.release_sources(source_ids, owner=self.owner)
        except Exception as exc:  # whatever it is, their leases run out instead
            log.warning("poller could not give back %d sources: %s", len(source_ids), exc)
            return
        if released:
            log.info("poller gave back %d sources it had not polled", released)

    async def poll_due(self) -> list[PollReport]:
        """Poll every source that is due now."""
        return await self.poll_many(await self.store.sources.due_sources(self.clock()))

    async def poll_many(self, sources: Sequence[Source]) -> list[PollReport]:
        """Poll the given sources concurrently, spread over their hosts."""
        ordered = interleave_hosts(sources)
        return list(await asyncio.gather(*(self._poll_slot(source) for source in ordered)))

    async def _poll_slot(self, source: Source) -> PollReport:
        """Poll in one of the shared slots; a poll still running after :data:`SLOW_POLL`
        seconds (a source dripping its answer) gives its slot up and no longer counts against
        the concurrency, so slow sources never hold up healthy ones for their whole timeout."""
        poll: asyncio.Task[PollReport] | None = None
        try:
            async with self._slots:
                poll = asyncio.create_task(_guarded_poll(self, source))
                await asyncio.wait([poll], timeout=SLOW_POLL)
            if not poll.done():
                self._slow.add(source.id)
                if self._changed is not None:
                    self._changed.set()  # the run loop may claim more now
            return await poll
        finally:
            self._slow.discard(source.id)
            if poll is not None and not poll.done():
                poll.cancel()

    async def _off_loop(self, func: Callable[..., _T], *args: object) -> _T:
        """Run ``func(*args)`` in the parse threads."""
        return await asyncio.get_running_loop().run_in_executor(
            self._pool, functools.partial(func, *args)
        )

    async def poll(self, source: Source) -> PollReport:
        """Poll one source and record the outcome; never raises for the source's own faults."""
        started = time.perf_counter()
        outcome: FetchOutcome
        try:
            outcome = await self.reader.read(source)
        except SourceError as exc:
            outcome = failure_of(exc)
        if isinstance(outcome, Fetched) and outcome.hub is not None and self.on_hub is not None:
            self.on_hub(source, outcome.hub)
        return await self._decide_and_apply(source, outcome, started)

    async def apply_pushed(self, source: Source, body: bytes, content_type: str | None) -> None:
        """A WebSub notification: the pushed document handled as this source's poll result."""
        started = time.perf_counter()
        try:
            outcome = await self.reader.read_pushed(source, body, content_type)
        except SourceError as exc:
            log.warning("websub source=%s pushed document refused: %s", source.name, exc)
            return
        await self._decide_and_apply(source, outcome, started)

    async def _decide_and_apply(
        self, source: Source, outcome: FetchOutcome, started: float, *, logged: bool = False
    ) -> PollReport:
        """Read what the store knows, decide (off the loop when there is a document), apply."""
        feed = outcome.feed if isinstance(outcome, Fetched) else None
        rules = self._fallback if self.pushed(source.id) else self.rules  # WebSub: poll less
        known = PollKnowledge()
        if feed is not None:
            known = await self.store.polls.poll_knowledge(source, feed.items)
        if feed is not None and len(known.known) < len(feed.items):  # items to classify
            intent = await self._off_loop(decide_poll, source, outcome, known, self.clock(), rules)
        else:
            intent = decide_poll(source, outcome, known, self.clock(), rules)
        applied = await self.store.polls.apply_poll(intent)
        if applied.queued:
            self.on_queued()
        if applied.fanning_out:
            self.on_fan_out()
        report = _report(source, outcome, intent, applied, started)
        if not logged:
            _log(report, intent, outcome)
        return report


def _report(
    source: Source, outcome: FetchOutcome, intent: PollIntent, applied: AppliedPoll, started: float
) -> PollReport:
    """The poll's report, from what was decided and what the store wrote."""
    ms = (time.perf_counter() - started) * 1000
    due = intent.update.next_poll_at if intent.update is not None else None
    if isinstance(outcome, FetchFailure):
        return PollReport(
            source=source, status="error", error=outcome.reason, ms=ms, next_poll_at=due
        )
    return PollReport(
        next_poll_at=due,
        source=source,
        status="ok" if outcome.feed is not None else "not_modified",
        items=intent.items,
        new=applied.new_articles,
        queued=applied.queued,
        ms=ms,
        same_body=PollNotice.SAME_BODY in intent.notices,
    )


def _log(report: PollReport, intent: PollIntent, outcome: FetchOutcome) -> None:
    """One line per poll."""
    name = report.source.label
    if isinstance(outcome, FetchFailure):
        update = intent.update
        log.warning(
            "poll source=%s status=error failures=%d reason=%r next_in_s=%.0f%s ms=%.0f",
            name,
            report.source.failures + 1,
            outcome.reason,
            (update.next_poll_at - intent.now) if update is not None else 0.0,
            " disabled=410" if outcome.gone else "",
            report.ms,
        )
        return
    log.info(
        "poll source=%s status=%s items=%d new=%d queued=%d baseline=%s ms=%.0f%s%s",
        name,
        report.status,
        report.items,
        report.new,
        report.queued,
        intent.baseline,
        report.ms,
        " same_body=True" if report.same_body else "",
        f" moved_to={outcome.moved_to}" if outcome.moved_to else "",
    )


async def _renew(poller: Poller, source_ids: list[int]) -> None:
    """Extend the leases of the sources ``poller`` is still polling.

    A lease not renewed was either ended by its poll's result just now (fine) or ran out and
    was taken by another process (this poll was too slow: both may poll the source).
    """
    store, owner = poller.store, poller.owner
    until = poller.clock() + poller.lease_s
    kept = set(await store.sources.renew_leases(source_ids, owner=owner, until=until))
    if len(kept) == len(source_ids):
        return
    holders = await store.sources.leases()
    for source_id in source_ids:
        holder = holders.get(source_id, (owner, 0.0))[0]
        if source_id not in kept and holder != owner:
            log.warning(
                "poll source_id=%d lease ran out and %s took it: both may poll it",
                source_id,
                holder,
            )


async def _start_due(
    poller: Poller,
    running: dict[int, asyncio.Task[PollReport]],
    finished: Callable[[asyncio.Task[PollReport]], None],
    stop: asyncio.Event,
) -> float | None:
    """Claim due sources and start their polls; when to claim again (see ``_claim``).

    While the database is out of reach no poll starts: the claim is tried again until it
    answers (or ``stop``).
    """
    active = len(running) - len(poller._slow)
    got = await _patiently(poller.store, functools.partial(poller._claim, active), stop)
    if got is None:
        return None
    claimed, look_at = got
    for source in claimed:
        task = asyncio.create_task(poller._poll_slot(source), name=f"poll-{source.id}")
        running[source.id] = task
        task.add_done_callback(finished)
    return look_at


async def _guarded_poll(poller: Poller, source: Source) -> PollReport:
    """Poll ``source``; the database out of reach pauses it, a bug is recorded against it."""
    started = time.perf_counter()
    poller._pinged.discard(source.id)  # this poll answers the pings before it
    try:
        report = await poller.poll(source)
    except DatabaseUnreachableError:
        # Not the source's fault: nothing was recorded; the source is given back and polled
        # again once the database answers (the outage is logged once, by the store).
        return PollReport(source=source, status="paused")
    except Exception as exc:
        if storage_fault(exc) is not None:
            raise  # the database's disk, not this source: the bot must stop
        # A bug met by one source's data must not stop the others, nor the bot: it is
        # logged with its traceback and recorded against the source like any failure.
        log.exception("poll source=%s status=error reason=internal error", source.label)
        reason = f"internal error: {type(exc).__name__}: {exc}"[:200]
        failure = FetchFailure(reason)
        return await poller._decide_and_apply(source, failure, started, logged=True)
    if source.id in poller._pinged:  # pinged meanwhile: poll again at once
        await poller.store.sources.make_source_due(source.id, poller.clock())
        return dataclasses.replace(report, next_poll_at=poller.clock())
    return report


async def _patiently(
    store: StoreVerbs, call: Callable[[], Awaitable[_T]], stop: asyncio.Event
) -> _T | None:
    """``call()``, tried again while the database is out of reach; None when ``stop`` came
    first."""
    try:
        return await store.reachability.retry(call, stop)
    except DatabaseUnreachableError:
        return None


async def _first_of(stop: asyncio.Event, changed: asyncio.Event, *, seconds: float) -> None:
    """Wait until either event is set, or ``seconds`` pass."""
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(changed.wait())]
    try:
        await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()


async def _finish(tasks: Sequence[asyncio.Task[PollReport]], grace: float) -> None:
    """Give the polls under way ``grace`` seconds, then cancel the rest and wait for them."""
    if not tasks:
        return
    _, pending = await asyncio.wait(tasks, timeout=grace)
    for task in pending:
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
            raise result
