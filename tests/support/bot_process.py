"""Runs the real bot (`python -m bot`) as a child process and follows its log output."""

from __future__ import annotations

import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Self

from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[2]


# A proxy set where the tests run must not come between the bot and the local test servers.
_PROXY_VARIABLES = frozenset({"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"})


class BotProcess:
    """One run of the bot: start, read its log lines, kill or stop it.

    Its database is the one ``env`` names: the SQLite file DATABASE_PATH, or PostgreSQL when
    DATABASE_URL is set (``tests/support/backends.py``; the ``bot_env`` fixture on ``backend``).
    """

    def __init__(
        self,
        env: Mapping[str, str],
        cwd: Path,
        *,
        file_size_limit: int | None = None,
        clock: Path | None = None,
    ) -> None:
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "FEED_", "SOURCES_", "POLL_"))
            and key.upper() not in _PROXY_VARIABLES
        }
        # The test servers listen on 127.0.0.1: a test about private addresses says "false".
        self.env["ALLOW_PRIVATE_SOURCES"] = "true"
        self.env.update(env)
        self.env["PYTHONPATH"] = str(REPO)
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        self.cwd = cwd
        self.file_size_limit = file_size_limit  # RLIMIT_FSIZE: a disk that fills up
        self.clock = clock  # a fake wall clock's file (tests/support/fake_clock.py)
        self.lines: list[str] = []
        self._seen = threading.Condition()
        self.proc: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None

    def start(self) -> Self:
        """Start the process and begin collecting its output."""
        self.lines = []
        command = [sys.executable, "-m", "bot"]
        if self.clock is not None:
            command = [sys.executable, "-m", "tests.support.fake_clock", str(self.clock)]
        self.proc = subprocess.Popen(
            command,
            cwd=self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            preexec_fn=self._limit if self.file_size_limit is not None else None,  # noqa: PLW1509
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _limit(self) -> None:
        """In the child: no file may grow past ``file_size_limit`` bytes (writes fail EFBIG)."""
        assert self.file_size_limit is not None
        resource.setrlimit(resource.RLIMIT_FSIZE, (self.file_size_limit, self.file_size_limit))

    def _read(self) -> None:
        assert self.proc is not None
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self._seen:
                self.lines.append(line.rstrip("\n"))
                self._seen.notify_all()

    @property
    def output(self) -> str:
        """Everything the process printed so far."""
        with self._seen:
            return "\n".join(self.lines)

    def wait_for(self, pattern: str, timeout: float = 20.0, *, count: int = 1) -> list[str]:
        """Wait until ``count`` output lines match the regex; fail with the output otherwise."""
        regex = re.compile(pattern)
        timeout = deadline(timeout)
        until = time.monotonic() + timeout
        with self._seen:
            while True:
                found = [line for line in self.lines if regex.search(line)]
                if len(found) >= count:
                    return found
                remaining = until - time.monotonic()
                exited = self.proc is not None and self.proc.poll() is not None
                if remaining <= 0 or exited:
                    if exited:
                        self._seen.wait(0.2)
                    raise AssertionError(
                        f"no {count} line(s) matching {pattern!r} within {timeout} s; "
                        f"output:\n" + "\n".join(self.lines)
                    )
                self._seen.wait(min(remaining, 0.2))

    def _reap(self) -> None:
        """After the process ended: finish reading its output and close the pipe."""
        assert self.proc is not None
        if self._reader is not None:
            self._reader.join(5)
        if self.proc.stdout is not None:
            self.proc.stdout.close()

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to clean up."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self._reap()

    def terminate(self, timeout: float = 15.0) -> int:
        """SIGTERM and wait for a clean exit; returns the exit status."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        status = self.proc.wait(deadline(timeout))
        self._reap()
        return status

    def wait_exit(self, timeout: float = 15.0) -> int:
        """Wait for the process to end by itself."""
        assert self.proc is not None
        status = self.proc.wait(deadline(timeout))
        self._reap()
        return status

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait(10)
            self._reap()
