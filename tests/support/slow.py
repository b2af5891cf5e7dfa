"""The ``slow`` marker: which tests start a process or a server, decided and then checked.

``pytest -m "not slow"`` is the fast loop: every test that starts no process and no server. A test
is marked ``slow`` at collection, without an edit to the test, when

- it uses a fixture that starts one (``SERVER_FIXTURES``: the fake Bot API, the feed server, the
  PostgreSQL server, a bot process), directly or through other fixtures;
- it is parametrized on the ``postgresql`` backend (its fixtures reach the PostgreSQL server
  through ``request.getfixturevalue``, which collection cannot see);
- its code, its fixtures' code, or the test helpers they call (functions and classes of the
  ``tests`` package, followed through their global names) name a starter (``STARTERS``: the
  support servers, ``subprocess``, ``asyncio.create_subprocess_exec``, ``asyncio.start_server``,
  …).

A test can also say so itself with ``@pytest.mark.slow``.

The marking is checked while the tests run: an audit hook (:func:`sys.addaudithook`) sees every
process started (``subprocess.Popen``, ``os.fork``, ``os.posix_spawn``, ``os.exec``, ``os.system``)
and every socket bound (``socket.bind``: a server) during a test's set-up, call and tear-down. In
the fast loop, a test that is not marked ``slow`` yet starts one fails at tear-down with a line
saying what it started and how to mark it.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Iterable, Iterator
from typing import Any

import pytest

MARKER = "slow"
MARKER_HELP = (
    "slow: the test starts a process or a server (set automatically from its fixtures and "
    "code, see tests/support/slow.py); `pytest -m 'not slow'` is the fast loop"
)

# Fixtures that start a server or a process (their dependants are in item.fixturenames too).
SERVER_FIXTURES = frozenset(
    {"telegram", "feeds", "bot_env", "bot_process", "postgres_server", "postgres_url"}
)

# Names that start a process or a server when a test (or a helper it calls) uses them.
STARTERS = frozenset(
    {
        "FakeTelegram",
        "FeedServer",
        "BotProcess",
        "PostgresServer",
        "HttpProxy",
        "Socks5Proxy",
        "subprocess",
        "Popen",
        "create_subprocess_exec",
        "create_subprocess_shell",
        "start_server",
        "start_unix_server",
        "create_server",
        "HTTPServer",
        "ThreadingHTTPServer",
        "TCPServer",
        "TCPSite",
        "AppRunner",
        "free_port",
        "MetricsServer",  # bot/service/metrics.py: /metrics and /healthz over HTTP
    }
)

# Parameter values that reach a server through request.getfixturevalue.
SERVER_PARAMS = frozenset({"postgresql"})

# Audit events that mean "a process started" or "a server socket was bound".
_PROCESS_EVENTS = frozenset(
    {"subprocess.Popen", "os.fork", "os.forkpty", "os.posix_spawn", "os.exec", "os.system"}
)
_BIND_EVENT = "socket.bind"


# ------------------------------------------------------------------------- marking (collection)


def starts_something(item: pytest.Item) -> bool:
    """Whether the test, judged before it runs, starts a process or a server."""
    if item.get_closest_marker(MARKER) is not None:
        return True
    if SERVER_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    callspec = getattr(item, "callspec", None)
    if callspec is not None and any(
        isinstance(value, str) and value in SERVER_PARAMS for value in callspec.params.values()
    ):
        return True
    return any(STARTERS.intersection(_names_reached(obj)) for obj in _code_of(item))


def _code_of(item: pytest.Item) -> Iterator[object]:
    """The test function and the functions of the fixtures it uses."""
    function = getattr(item, "function", None)
    if function is not None:
        yield function
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return
    for name in getattr(item, "fixturenames", ()):
        for definition in info.name2fixturedefs.get(name, ()):
            yield definition.func


_reached: dict[int, frozenset[str]] = {}


def _names_reached(obj: object) -> frozenset[str]:
    """Every global and attribute name used by ``obj`` and by the tests' own helpers it uses."""
    key = id(obj)
    if key not in _reached:
        _reached[key] = frozenset()  # a cycle sees no names until the walk is done
        names: set[str] = set()
        seen: set[int] = set()
        _walk(obj, names, seen)
        _reached[key] = frozenset(names)
    return _reached[key]


def _walk(obj: object, names: set[str], seen: set[int]) -> None:
    obj = getattr(obj, "__wrapped__", obj)
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, type):
        for member in vars(obj).values():
            function = getattr(member, "__func__", member)
            if isinstance(function, types.FunctionType):
                _walk(function, names, seen)
        return
    if not isinstance(obj, types.FunctionType):
        return
    module_globals = obj.__globals__
    for name in _code_names(obj.__code__):
        names.add(name)
        target = module_globals.get(name)
        if _is_test_helper(target):
            _walk(target, names, seen)


def _code_names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _code_names(constant)


def _is_test_helper(target: Any) -> bool:
    """A function or class of the ``tests`` package (helpers are followed; libraries are not)."""
    module = getattr(target, "__module__", None) or ""
    is_code = isinstance(target, type | types.FunctionType)
    return is_code and (module == "tests" or module.startswith(("tests.", "test_", "conftest")))


def mark_slow_tests(items: Iterable[pytest.Item]) -> None:
    """Add the ``slow`` marker to every collected test that starts a process or a server."""
    for item in items:
        if item.get_closest_marker(MARKER) is None and starts_something(item):
            item.add_marker(pytest.mark.slow)


# ---------------------------------------------------------------------------- checking (runtime)


class StartWatch:
    """Records, per running test, the processes it starts and the sockets it binds."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: str | None = None
        self._seen: dict[str, list[str]] = {}
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self._current is None:
            return
        if event in _PROCESS_EVENTS:
            what = f"{event} {_describe_process(args)}"
        elif event == _BIND_EVENT:
            what = f"socket.bind {args[1]!r}" if len(args) > 1 else "socket.bind"
        else:
            return
        with self._lock:
            if self._current is not None:
                self._seen.setdefault(self._current, []).append(what)

    def begin(self, nodeid: str) -> None:
        """A test's set-up starts: what happens now is its doing."""
        with self._lock:
            self._current = nodeid
            self._seen.pop(nodeid, None)

    def end(self) -> None:
        """The test's tear-down is over."""
        with self._lock:
            self._current = None

    def started(self, nodeid: str) -> list[str]:
        """What the test started so far (empty: nothing)."""
        with self._lock:
            return list(self._seen.get(nodeid, ()))


def _describe_process(args: tuple[Any, ...]) -> str:
    if len(args) > 1 and isinstance(args[1], list | tuple):
        return " ".join(str(part) for part in args[1][:4])
    return str(args[0]) if args else ""


def deselects_slow(config: pytest.Config) -> bool:
    """Whether this run is the fast loop (its ``-m`` expression leaves the slow tests out)."""
    expression = " ".join(str(config.getoption("markexpr", "") or "").split())
    return "not slow" in expression


def complaint(started: list[str]) -> str:
    """The tear-down failure of a test in the fast loop that started a process or a server."""
    shown = "; ".join(dict.fromkeys(started))
    return (
        f"this test starts a process or a server ({shown}) but is not marked slow, so it ran in "
        "the fast loop (`pytest -m 'not slow'`): use one of the server fixtures, or add "
        "@pytest.mark.slow, or name its starter in tests/support/slow.py (STARTERS)"
    )
