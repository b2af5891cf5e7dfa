"""Starting while the Bot API cannot be reached, and a token Telegram rejects."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.telegram.startup import delays
from tests.support.bot_process import REPO, BotProcess
from tests.support.deadlines import deadline
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss

READER = 4004


def free_port() -> int:
    """A port nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_backoff_doubles_up_to_a_cap() -> None:
    """Waits between attempts double from 1 s and stop growing at 60 s."""
    assert delays() == [1, 2, 4, 8, 16, 32, 60]


def test_a_start_with_the_bot_api_down_recovers_when_it_comes_up(
    tmp_path: Path, feeds: FeedServer, bot_env: dict[str, str]
) -> None:
    """No traceback: a line per attempt, sources polled meanwhile, normal start when it answers."""
    port = free_port()
    feeds.set("/feed.xml", rss([{"title": "Early story", "link": "https://news.example/1"}]))
    env = {**bot_env, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}"}
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"cannot reach the Bot API at http://127\.0\.0\.1:\d+ .*retrying in 1 s")
        bot.wait_for(r"poll source=127\.0\.0\.1 status=ok .*baseline=True")
        attempts = bot.wait_for(r"cannot reach the Bot API", count=2)
        assert "retrying in 2 s; set TELEGRAM_PROXY if Telegram is blocked here" in attempts[1]
        with FakeTelegram(token=bot_env["BOT_TOKEN"], port=port) as telegram:
            telegram.add_private_chat(READER)
            bot.wait_for(r"running as @", timeout=20)
            telegram.send_message(READER, READER, "/start")
            telegram.wait_for_messages(READER, 1)
            assert bot.terminate() == 0
        output = "\n".join(bot.lines)
    assert "Traceback" not in output
    assert bot_env["BOT_TOKEN"] not in output


def test_a_rejected_token_exits_with_status_2_and_one_sentence(
    tmp_path: Path, telegram: FakeTelegram, bot_env: dict[str, str]
) -> None:
    """Telegram's 401 ends the run with exit status 2 and one sentence that hides the token."""
    other = "999999:" + "B" * 35  # well-formed, but not the token the server knows
    env = {**bot_env, "BOT_TOKEN": other, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert result.returncode == 2
    assert "Telegram rejected BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert other not in result.stderr + result.stdout
    assert "B" * 35 not in result.stderr + result.stdout


@pytest.mark.parametrize("fault", ["401", "404"])
def test_a_refused_start_is_one_sentence_naming_the_status_without_noise(
    tmp_path: Path, telegram: FakeTelegram, bot_env: dict[str, str], fault: str
) -> None:
    """401 (token unknown) and 404 (no Bot API at that address): exit status 2, one sentence
    naming the real status, and no "Unclosed client session" from the connections it opened."""
    env = dict(bot_env)
    if fault == "401":
        env["BOT_TOKEN"] = "999999:" + "B" * 35
    else:
        env["TELEGRAM_API_BASE_URL"] = f"{telegram.root_url}/not-the-bot-api"
    with BotProcess(env, cwd=tmp_path) as bot:
        assert bot.wait_exit(60) == 2
        output = bot.output
    [line] = [row for row in output.splitlines() if row.startswith("teaserbot:")]
    if fault == "401":
        assert "Telegram rejected BOT_TOKEN (401 Unauthorized)" in line
    else:
        assert "answered 404 Not Found" in line
        assert "TELEGRAM_API_BASE_URL" in line
        assert "401" not in line
    assert "Unclosed" not in output
    assert " ERROR " not in output
    assert "Traceback" not in output


def test_ctrl_c_during_the_start_up_retry_stops_cleanly_without_noise(
    tmp_path: Path, bot_env: dict[str, str]
) -> None:
    """Ctrl-C while the Bot API is out of reach: exit 0, and no "Unclosed client session"."""
    env = {**bot_env, "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{free_port()}"}
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"cannot reach the Bot API", count=2)
        assert bot.proc is not None
        bot.proc.send_signal(signal.SIGINT)
        assert bot.wait_exit(15) == 0
        output = bot.output
    assert "stopped cleanly" in output
    assert "Unclosed" not in output
    assert " ERROR " not in output
