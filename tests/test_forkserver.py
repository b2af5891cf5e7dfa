"""The tests' bot fork server (tests/support/forkserver.py) runs `python -m bot` as a fresh
`python` does: same output, same exit status, the requested environment and directory only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import forkserver
from tests.support.bot_process import REPO

pytestmark = pytest.mark.skipif(not forkserver.enabled(), reason="no fork server here")


def _env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "FEED_", "SOURCES_", "POLL_"))
    }
    env.update(PYTHONPATH=str(REPO), PYTHONUNBUFFERED="1", **extra)
    return env


def _both(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[tuple[int, str], ...]:
    """(status, output) of ``python -m bot *argv`` from the fork server and as a plain process."""
    forked = forkserver.spawn(argv, env, cwd)
    assert forked is not None
    assert forked.stdout is not None
    output = forked.stdout.read()
    forked.stdout.close()
    plain = subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    return (forked.wait(60), output), (plain.returncode, plain.stdout)


def test_a_forked_bot_prints_and_exits_as_a_plain_one(tmp_path: Path) -> None:
    """`--version`, `--help` and a start without a token: same output and exit status."""
    for argv in (["--version"], ["--help"], ["run"]):
        forked, plain = _both(argv, _env(BOT_TOKEN=""), tmp_path)
        assert forked == plain, argv
    forked, _ = _both(["run"], _env(BOT_TOKEN=""), tmp_path)
    assert forked[0] == 2


def test_a_forked_bot_runs_in_the_requested_directory_with_the_requested_environment(
    tmp_path: Path,
) -> None:
    """`sources` opens DATABASE_PATH from the request, relative to the requested directory."""
    forked, plain = _both(["sources"], _env(DATABASE_PATH="here.sqlite3"), tmp_path)
    assert forked == plain
    assert forked[0] == 0
    assert (tmp_path / "here.sqlite3").exists()
