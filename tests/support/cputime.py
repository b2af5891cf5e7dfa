"""Where the suite's CPU goes: a pytest plugin recording each test's CPU, with its processes.

Load it with ``-p tests.support.cputime`` and name a directory in ``TEST_CPU_LOG``; every pytest
process (each xdist worker, and the controller) then writes ``<worker>.jsonl`` there: one line per
test and one ``session`` line at the end. ``python -m tests.support.cputime DIR`` sums them up.

A test's CPU is measured from the start of its set-up to the end of its tear-down, in three parts:

- ``self``: the pytest process (all its threads: the fake servers run in threads of their own);
- ``children``: the processes it started and waited for (bot processes, CLI runs, ``psql``,
  ``initdb``, ``pg_ctl``), from ``RUSAGE_CHILDREN``;
- ``postgres``: the worker's PostgreSQL server, which ``pg_ctl`` detaches from the process tree
  (its postmaster, its ended backends and the ones still running; ``/proc``).

So the figures add up to the whole suite's CPU, which ``/usr/bin/time`` alone undercounts (it
never sees the detached PostgreSQL servers).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.support import postgres

_TICK = os.sysconf("SC_CLK_TCK")


def _rusage(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _proc_times(pid: int) -> tuple[float, float, int] | None:
    """(own CPU, reaped children's CPU, parent pid) of a process, from /proc (None: gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()
    own = (int(fields[11]) + int(fields[12])) / _TICK
    reaped = (int(fields[13]) + int(fields[14])) / _TICK
    return own, reaped, int(fields[1])


def postgres_cpu() -> float:
    """CPU used so far by the PostgreSQL servers this process started (stopped ones too)."""
    total = postgres.STOPPED_CPU[0]
    pids = {server.postmaster_pid() for server in postgres.RUNNING}
    pids.discard(None)
    if not pids:
        return total
    for pid in pids:
        times = _proc_times(pid)  # type: ignore[arg-type]
        if times is not None:
            total += times[0] + times[1]
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            times = _proc_times(int(entry.name))
            if times is not None and times[2] in pids:
                total += times[0]  # a backend still running (its CPU is not reaped yet)
    return total


class CpuLog:
    """Per-test CPU figures, written to one JSON-lines file per pytest process."""

    def __init__(self, directory: Path, worker: str) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self._worker = worker
        self._file = (directory / f"{worker}.jsonl").open("a", encoding="utf-8")
        self._start: dict[str, tuple[float, float, float, float]] = {}
        self._outcomes: dict[str, str] = {}
        self._session = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float, float]:
        return (
            time.monotonic(),
            _rusage(resource.RUSAGE_SELF),
            _rusage(resource.RUSAGE_CHILDREN),
            postgres_cpu(),
        )

    def _write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record) + "\n")
        self._file.flush()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        self._start[item.nodeid] = self._now()

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            self._outcomes[report.nodeid] = report.outcome

    @pytest.hookimpl(hookwrapper=True, trylast=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Any:
        yield
        start = self._start.pop(item.nodeid, None)
        if start is None:
            return
        end = self._now()
        self._write(
            {
                "test": item.nodeid,
                "slow": item.get_closest_marker("slow") is not None,
                "outcome": self._outcomes.pop(item.nodeid, "?"),
                "wall": end[0] - start[0],
                "self": end[1] - start[1],
                "children": end[2] - start[2],
                "postgres": end[3] - start[3],
            }
        )

    def pytest_sessionfinish(self) -> None:
        end = self._now()
        self._write(
            {
                "session": True,
                "worker": self._worker,
                "wall": end[0] - self._session[0],
                "self": _rusage(resource.RUSAGE_SELF),  # from the process's start (collection too)
                "children": _rusage(resource.RUSAGE_CHILDREN),
                "postgres": end[3],
            }
        )
        self._file.close()


def pytest_configure(config: pytest.Config) -> None:
    """Record per-test CPU when TEST_CPU_LOG names a directory."""
    directory = os.environ.get("TEST_CPU_LOG")
    if directory:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        config.pluginmanager.register(CpuLog(Path(directory), worker), "teaserbot-cpu-log")


# ------------------------------------------------------------------------------------ summary


def summarize(directory: Path, top: int = 40) -> str:
    """The suite's CPU from a TEST_CPU_LOG directory: totals, by file, and the costliest tests."""
    tests: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for path in sorted(directory.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            record.setdefault("worker", path.stem)
            (sessions if record.get("session") else tests).append(record)

    def cpu(record: dict[str, Any]) -> float:
        return float(record["self"] + record["children"] + record["postgres"])

    lines = []
    workers = [s for s in sessions if s.get("worker") != "main"]
    main = [s for s in sessions if s.get("worker") == "main"]
    if workers:  # the controller's children are the workers: count its own CPU only
        own = sum(s["self"] for s in sessions)
        kids = sum(s["children"] for s in workers)
    else:
        own = sum(s["self"] for s in main)
        kids = sum(s["children"] for s in main)
    pg = sum(s["postgres"] for s in sessions)
    lines.append(
        f"sessions: {len(sessions)}; CPU {own + kids + pg:.1f} s "
        f"(pytest {own:.1f} + children {kids:.1f} + postgres {pg:.1f})"
    )
    outcomes: dict[str, int] = defaultdict(int)
    for record in tests:
        outcomes[record["outcome"]] += 1
    for label, chosen in (
        ("slow", [t for t in tests if t["slow"]]),
        ("fast", [t for t in tests if not t["slow"]]),
    ):
        lines.append(
            f"{label}: {len(chosen)} tests, CPU {sum(map(cpu, chosen)):.1f} s "
            f"(self {sum(t['self'] for t in chosen):.1f}, children "
            f"{sum(t['children'] for t in chosen):.1f}, postgres "
            f"{sum(t['postgres'] for t in chosen):.1f}), "
            f"wall {sum(t['wall'] for t in chosen):.1f} s"
        )
    lines.append(f"outcomes: {dict(outcomes)}")
    by_file: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for record in tests:
        entry = by_file[record["test"].split("::")[0]]
        entry[0] += cpu(record)
        entry[1] += record["wall"]
        entry[2] += 1
    lines.append("\nby file (CPU s, wall s, tests):")
    for name, (c, w, n) in sorted(by_file.items(), key=lambda kv: -kv[1][0])[:top]:
        lines.append(f"  {c:7.1f} {w:7.1f} {int(n):4d}  {name}")
    lines.append("\ncostliest tests (CPU s = self + children + postgres, wall s):")
    lines.extend(
        f"  {cpu(record):6.2f} = {record['self']:5.2f} + {record['children']:5.2f} + "
        f"{record['postgres']:5.2f}  {record['wall']:6.2f}  {record['test']}"
        for record in sorted(tests, key=cpu, reverse=True)[:top]
    )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summarize(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 40))
