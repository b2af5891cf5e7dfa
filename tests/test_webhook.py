"""Webhook mode: updates arrive over HTTP, and only with Telegram's secret-token header."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import httpx

from bot.webhook import webhook_path
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
