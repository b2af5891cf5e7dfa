"""A fork server for the tests' bot processes: `python -m bot` without paying its imports each time.

Every ``python -m bot`` a test starts spends about a second of CPU importing python-telegram-bot,
aiohttp, asyncpg, uvloop… before it does anything (issue 29). Each pytest process therefore keeps
one long-lived *zygote* (started on first use, killed at exit): a fresh ``python`` that has imported
what ``bot.__main__`` and ``bot.app`` import, with no thread and no event loop running, listening
on a Unix socket. To start a bot, :func:`spawn` sends it the environment, the directory, the
optional file size limit and the child's stdin and stdout pipe; the zygote forks, the fork forks
the bot and exits at once, so the bot is re-parented to the test process (a child subreaper,
``PR_SET_CHILD_SUBREAPER``) which waits for it like any child (:class:`ForkedProcess`, the part of
``subprocess.Popen`` the tests use). The bot then sets its environment exactly, changes directory,
and runs ``bot`` as ``python -m bot`` does (``runpy``), ending with its exit status.

Nothing in ``bot/`` reads the environment while it is imported except ``bot/telegram`` setting a
default for ``PTB_TIMEDELTA``: the variables the imports added are set again (as defaults) in each
bot. What Python itself reads from the environment at start (``PYTHON*``, the locale) must match
the zygote's, otherwise :func:`usable` says no and the caller starts a plain process; so does
``TEST_FORKSERVER=0`` and a platform without ``prctl``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import io
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_PR_SET_CHILD_SUBREAPER = 36
# What Python (or a module at import) reads from the environment once, at start.
_STARTUP_PREFIXES = ("PYTHON", "LC_", "AIOHTTP_")
_STARTUP_NAMES = frozenset({"LANG"})


def _startup_part(env: Mapping[str, str]) -> dict[str, str]:
    return {
        key: value
        for key, value in env.items()
        if key.startswith(_STARTUP_PREFIXES) or key in _STARTUP_NAMES
    }


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None
    return libc if hasattr(libc, "prctl") else None


# ------------------------------------------------------------------------------ the zygote side


def _send_json(conn: socket.socket, message: object) -> None:
    data = json.dumps(message).encode()
    conn.sendall(struct.pack("!I", len(data)) + data)


def _recv_exact(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _preimport() -> dict[str, str]:
    """Import what the bot imports; the environment variables the imports added."""
    before = dict(os.environ)
    import bot.__main__  # noqa: PLC0415
    import bot.app  # noqa: F401, PLC0415

    # runpy runs bot/__main__.py afresh as __main__ (and warns when it is already imported).
    sys.modules.pop("bot.__main__", None)
    with contextlib.suppress(AttributeError):
        delattr(sys.modules["bot"], "__main__")
    return {key: value for key, value in os.environ.items() if key not in before}


def _reseed() -> None:
    """Fresh randomness in each bot: the module-level generators were seeded in the zygote."""
    import random  # noqa: PLC0415

    random.seed()
    for module in list(sys.modules.values()):
        for value in list(getattr(module, "__dict__", {}).values()):
            if type(value) is random.Random:
                value.seed()


def _exit_status(exc: SystemExit) -> int:
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _run_bot(request: dict[str, object], fds: list[int], added: Mapping[str, str]) -> None:
    """In the bot process: become ``python -m bot`` with the request's settings; never returns."""
    import atexit as atexit_module  # noqa: PLC0415
    import runpy  # noqa: PLC0415
    import traceback  # noqa: PLC0415

    status = 1
    try:
        stdin, stdout = fds
        os.dup2(stdin, 0)
        os.dup2(stdout, 1)
        os.dup2(stdout, 2)
        os.close(stdin)
        os.close(stdout)
        env = request["env"]
        assert isinstance(env, dict)
        os.environ.clear()
        os.environ.update(env)
        for key, value in added.items():
            os.environ.setdefault(key, value)
        time.tzset()
        cwd = request["cwd"]
        assert isinstance(cwd, str)
        os.chdir(cwd)
        limit = request.get("file_size_limit")
        if isinstance(limit, int):
            import resource  # noqa: PLC0415

            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        _reseed()
        sys.path[0] = os.getcwd()
        argv = request["argv"]
        assert isinstance(argv, list)
        sys.argv = ["-m", *argv]
        try:
            runpy.run_module("bot", run_name="__main__", alter_sys=True)
            status = 0
        except SystemExit as exc:
            status = _exit_status(exc)
        except KeyboardInterrupt:
            traceback.print_exc()
            status = -signal.SIGINT
        except BaseException:  # as Python does with an uncaught exception
            traceback.print_exc()
            status = 1
        # What the interpreter does at its end: wait for threads, run atexit, flush.
        shutdown = getattr(threading, "_shutdown", None)
        if shutdown is not None:
            shutdown()
        atexit_module._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        if status < 0:
            signal.signal(-status, signal.SIG_DFL)
            os.kill(os.getpid(), -status)
    except BaseException:
        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        os._exit(status if status >= 0 else 1)


def _serve_one(conn: socket.socket, listener: socket.socket, added: Mapping[str, str]) -> None:
    """Fork (twice) a bot for the request on ``conn``; reply with its pid once it is re-parented."""
    (size,) = struct.unpack("!I", _recv_exact(conn, 4))
    message, fds, _flags, _addr = socket.recv_fds(conn, size, 2)
    while len(message) < size:
        message += _recv_exact(conn, size - len(message))
    request = json.loads(message)
    try:
        reader, writer = os.pipe()
        intermediate = os.fork()
        if intermediate == 0:
            os.close(reader)
            pid = os.fork()
            if pid == 0:
                os.close(writer)
                listener.close()
                conn.close()
                _run_bot(request, fds, added)
            os.write(writer, str(pid).encode())
            os._exit(0)
        os.close(writer)
        with os.fdopen(reader, "rb") as pipe:
            text = pipe.read()
        os.waitpid(intermediate, 0)
        _send_json(conn, {"pid": int(text)})
    finally:
        for fd in fds:
            os.close(fd)


def serve(path: str, parent: int) -> None:
    """The zygote: import, then fork a bot for each request until the test process is gone."""
    added = _preimport()
    assert threading.active_count() == 1, "an import started a thread"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    listener.settimeout(1.0)
    print("ready", flush=True)
    while os.getppid() == parent:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        with conn:
            conn.settimeout(None)
            try:
                _serve_one(conn, listener, added)
            except Exception as exc:  # the caller falls back to a plain process
                with contextlib.suppress(OSError):
                    _send_json(conn, {"error": repr(exc)})


# ------------------------------------------------------------------------ the test process side


class ForkedProcess:
    """A bot process the zygote forked, now a child of this process: what tests use of Popen."""

    def __init__(self, pid: int, stdout: io.TextIOWrapper, args: list[str]) -> None:
        self.pid = pid
        self.stdout: io.TextIOWrapper | None = stdout
        self.args = args
        self.returncode: int | None = None
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        """The exit status (negative: the signal that ended it), or None while it runs."""
        with self._lock:
            if self.returncode is None:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid == self.pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the end (subprocess.TimeoutExpired after ``timeout`` seconds)."""
        until = None if timeout is None else time.monotonic() + timeout
        pause = 0.002
        while (status := self.poll()) is None:
            if until is not None and time.monotonic() >= until:
                raise subprocess.TimeoutExpired(self.args, timeout or 0.0)
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        return status

    def send_signal(self, sig: int) -> None:
        with self._lock:
            if self.returncode is None:  # not yet reaped: the pid is still ours
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class _Zygote:
    def __init__(self, env: Mapping[str, str]) -> None:
        self.directory = tempfile.mkdtemp(prefix="zygote-")
        self.path = os.path.join(self.directory, "socket")
        self.startup = _startup_part(env)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.support.forkserver", self.path, str(os.getpid())],
            cwd=REPO,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError(f"the bot fork server did not start: {line!r}")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        with contextlib.suppress(OSError):
            os.rmdir(self.directory)


_lock = threading.Lock()
_zygote: list[_Zygote | None] = []  # [] not tried yet; [None] unavailable
_libc_handle = _libc()


def enabled() -> bool:
    """Whether bot processes may come from the fork server (``TEST_FORKSERVER=0``: never)."""
    return os.environ.get("TEST_FORKSERVER", "1") != "0" and _libc_handle is not None


def _get(env: Mapping[str, str]) -> _Zygote | None:
    if not _zygote:
        try:
            zygote: _Zygote | None = _Zygote(env)
        except (OSError, RuntimeError):
            zygote = None
        _zygote.append(zygote)
        if zygote is not None:
            atexit.register(zygote.close)
    return _zygote[0]


def _subreaper(on: bool) -> None:
    assert _libc_handle is not None
    if _libc_handle.prctl(_PR_SET_CHILD_SUBREAPER, int(on), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def spawn(
    argv: list[str], env: Mapping[str, str], cwd: Path, *, file_size_limit: int | None = None
) -> ForkedProcess | None:
    """``python -m bot *argv`` from the fork server, its output (stdout and stderr) on ``stdout``.

    None when the fork server cannot run it as a fresh ``python`` would (the caller starts one).
    """
    if not enabled():
        return None
    request = {
        "argv": argv,
        "env": dict(env),
        "cwd": str(cwd),
        "file_size_limit": file_size_limit,
    }
    data = json.dumps(request).encode()
    with _lock:
        zygote = _get(env)
        if zygote is None or _startup_part(env) != zygote.startup:
            return None
        sys.audit("os.fork")  # tests/support/slow.py: a process starts
        reader, writer = os.pipe()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                try:
                    conn.connect(zygote.path)
                except OSError:  # the fork server is gone: plain processes from now on
                    _zygote[0] = None
                    zygote.close()
                    os.close(reader)
                    return None
                # Orphans re-parent to this process only while the bot is being forked.
                _subreaper(True)
                try:
                    conn.sendall(struct.pack("!I", len(data)))
                    socket.send_fds(conn, [data], [0, writer])
                    (size,) = struct.unpack("!I", _recv_exact(conn, 4))
                    reply = json.loads(_recv_exact(conn, size))
                finally:
                    _subreaper(False)
        except BaseException:
            os.close(reader)
            raise
        finally:
            os.close(writer)
    if "pid" not in reply:
        os.close(reader)
        raise RuntimeError(f"the bot fork server failed: {reply.get('error')}")
    stdout = open(reader, encoding=None)  # noqa: SIM115 - as Popen(text=True): the caller closes
    return ForkedProcess(int(reply["pid"]), stdout, [sys.executable, "-m", "bot", *argv])


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
