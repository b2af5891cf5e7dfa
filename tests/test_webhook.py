"""Webhook mode: updates arrive over HTTP, and only with Telegram's secret-token header."""

from __future__ import annotations

import json
import logging
import socket
from pathlib import Path

import httpx
import pytest
from telegram.error import NetworkError

from bot.telegram.webhook import PollingErrors, webhook_path
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram

READER = 801
INTRUDER = 802
SECRET = "s3cret_Token-for-tests"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_webhook_answers_403_without_the_secret_and_handles_updates_with_it(
    telegram: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """Without (or with a wrong) secret header a post gets 403 and is ignored; with it, handled."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    env = {
        **bot_env,
        "WEBHOOK_URL": url,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    telegram.add_user(READER, "Rosa")
    telegram.add_user(INTRUDER, "Mallory")
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"running as @\w+ \(webhook\)")
        [registered] = telegram.calls("setWebhook")
        assert registered.params["url"] == url
        assert registered.params["secret_token"] == SECRET

        forged = telegram.send_message(INTRUDER, INTRUDER, "/start")
        body = json.dumps(forged)
        plain = {"Content-Type": "application/json"}
        with httpx.Client(timeout=5) as client:
            missing = client.post(url, content=body, headers=plain)
            wrong = client.post(
                url,
                content=body,
                headers={**plain, "X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            update = telegram.send_message(READER, READER, "/start")
            good = client.post(
                url,
                content=json.dumps(update),
                headers={**plain, "X-Telegram-Bot-Api-Secret-Token": SECRET},
            )
        assert missing.status_code == 403
        assert wrong.status_code == 403
        assert good.status_code == 200
        [welcome] = telegram.wait_for_messages(READER, 1)
        assert "subscribed" in welcome.text
        assert telegram.messages(INTRUDER) == []
        assert telegram.calls("getUpdates") == []  # no long polling in webhook mode
        assert bot.terminate() == 0
    assert SECRET not in bot.output


def test_webhook_path_is_the_url_path() -> None:
    """The local server answers on WEBHOOK_URL's path (a reverse proxy forwards it unchanged)."""
    assert webhook_path("https://bot.example.org/telegram/hook") == "telegram/hook"
    assert webhook_path("https://bot.example.org") == ""


def raw_post(port: int, headers: dict[str, str], body: bytes = b"") -> str:
    """Send a POST's headers (and ``body``) on a raw socket; the status line of the answer."""
    head = "POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in headers.items()) + "\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode() + body)
        answer = sock.recv(200).decode("latin-1")
    return answer.split("\r\n", 1)[0]


def send_chunked(port: int, secret: str, megabytes: int) -> str:
    """Stream a chunked body of ``megabytes`` MiB with the right secret; the status line."""
    head = (
        "POST /telegram/hook HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
        f"Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: {secret}\r\n\r\n"
    )
    chunk = b"%x\r\n%s\r\n" % (65536, b" " * 65536)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.encode())
        try:
            for _ in range(megabytes * 16):
                sock.sendall(chunk)
        except OSError:  # the server closed the connection once the cap was passed
            pass
        answer = sock.recv(200).decode("latin-1")
    return answer.split("\r\n", 1)[0]


def rss_mb(pid: int) -> float:
    """The resident memory of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_webhook_checks_the_secret_before_the_body_and_caps_its_size(
    telegram: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """A wrong secret is refused from the headers alone (the 90 MB body is never sent), a body
    over the cap gets 413, and large posts leave the bot's memory where it was."""
    port = free_port()
    env = {
        **bot_env,
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/telegram/hook",
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": SECRET,
    }
    huge = str(90 * 1024 * 1024)
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"running as @\w+ \(webhook\)")
        assert bot.proc is not None
        before = rss_mb(bot.proc.pid)
        forged = raw_post(port, {"Content-Length": huge, "X-Telegram-Bot-Api-Secret-Token": "x"})
        unsigned = raw_post(port, {"Content-Length": huge})
        too_big = raw_post(
            port, {"Content-Length": huge, "X-Telegram-Bot-Api-Secret-Token": SECRET}
        )
        streamed = [send_chunked(port, SECRET, 30) for _ in range(3)]
        after = rss_mb(bot.proc.pid)
        bot.wait_for('webhook refused status=413 reason="?body over the limit')
        assert bot.terminate() == 0
    assert forged.endswith("403 Forbidden")
    assert unsigned.endswith("403 Forbidden")
    assert too_big.endswith("413 Request Entity Too Large")
    assert all(line.endswith("413 Request Entity Too Large") for line in streamed)
    assert after - before < 20, (before, after)
    assert SECRET not in bot.output


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_polling_errors_log_one_line_per_run_of_errors(caplog: pytest.LogCaptureFixture) -> None:
    """Fifty failed getUpdates in a row are one line; the same error an hour later is another."""
    clock = Clock()
    errors = PollingErrors(clock=clock)
    with caplog.at_level(logging.WARNING, logger="bot.webhook"):
        for _ in range(50):
            clock.now += 5
            errors(NetworkError("Bad Gateway"))
        clock.now += 3600
        errors(NetworkError("Bad Gateway"))
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.webhook"]
    assert lines == ["updates: getUpdates failed (Bad Gateway); retrying with backoff"] * 2
