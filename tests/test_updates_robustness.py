"""Receiving updates survives an update the library cannot read and a second instance polling.

Real bot processes against the fake Bot API server.
"""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import httpx
import pytest

from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram

READER = 2801


def test_an_unreadable_update_is_skipped_once_and_the_bot_keeps_answering(
    telegram: FakeTelegram, bot_process: BotProcess
) -> None:
    """A message whose chat has no type: one log line with its update_id, the updates after it
    are answered, the log does not flood, and SIGTERM ends the run cleanly."""
    telegram.add_user(READER, "Ann")
    telegram.add_private_chat(READER)
    bot_process.start()
    bot_process.wait_for(r"running as @")
    poison = telegram.push_update(
        "message", {"message_id": 1, "date": 1, "chat": {"id": READER}, "text": "hi"}
    )
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1, timeout=20)
    bot_process.wait_for(rf"skipped update_id={poison['update_id']}\b")
    telegram.send_message(READER, READER, "/help")
    telegram.wait_for_messages(READER, 2, timeout=20)
    assert bot_process.terminate() == 0
    output = bot_process.output
    assert output.count("skipped update_id=") == 1
    assert len(bot_process.lines) < 300, len(bot_process.lines)  # was 400,000 lines in 20 s
    assert "Traceback" not in output
    assert "still running" not in output
    assert "stopped cleanly" in output
    assert telegram.pending_updates == []  # the poison update was confirmed too


def _instance(env: dict[str, str], telegram: FakeTelegram, tmp_path: Path, name: str) -> BotProcess:
    """A bot process with its own SQLite file whose Bot API calls are logged as ``name``."""
    folder = tmp_path / name
    folder.mkdir()
    own = {
        **env,
        "DATABASE_PATH": str(folder / "bot.sqlite3"),
        "TELEGRAM_API_BASE_URL": f"{telegram.root_url}/as/{name}",
    }
    return BotProcess(own, cwd=folder)


def _first_to_exit(processes: list[BotProcess], timeout: float) -> BotProcess:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            assert process.proc is not None
            if process.proc.poll() is not None:
                return process
        time.sleep(0.2)
    raise AssertionError("neither process stopped:\n" + "\n".join(p.output for p in processes))


@pytest.mark.parametrize("gap", [2.5, 0.0], ids=["2.5 s apart", "together"])
def test_a_rolling_deploy_leaves_exactly_one_instance_polling(
    telegram: FakeTelegram, bot_env: dict[str, str], tmp_path: Path, gap: float
) -> None:
    """Two processes, one token, two databases, started 2.5 s apart (or together): one exits 1
    with one line, the other (the first one, when they did not start together) answers on."""
    telegram.add_user(READER, "Ann")
    telegram.add_private_chat(READER)
    old = _instance(bot_env, telegram, tmp_path, "old")
    new = _instance(bot_env, telegram, tmp_path, "new")
    try:
        old.start()
        if gap:
            old.wait_for(r"running as @", timeout=60)
            time.sleep(gap)
        new.start()
        loser = _first_to_exit([old, new], timeout=90)
        assert loser.wait_exit() == 1
        survivor = new if loser is old else old
        if gap:
            assert survivor is old
        time.sleep(3)  # the survivor goes on polling alone
        assert survivor.proc is not None
        assert survivor.proc.poll() is None
        telegram.send_message(READER, READER, "/help")
        telegram.wait_for_messages(READER, 1, timeout=20)
        [reply] = [call for call in telegram.calls("sendMessage") if call.status == 200]
        assert reply.client == ("old" if survivor is old else "new")
        assert survivor.terminate() == 0
        loser_output, survivor_output = loser.output, survivor.output
    finally:
        old.__exit__()
        new.__exit__()
    [fatal] = [line for line in loser_output.splitlines() if "stopped after" in line]
    assert "another bot instance is already polling Telegram with this token" in fatal
    assert "Traceback" not in loser_output
    assert "Traceback" not in survivor_output


def test_an_unreadable_update_posted_to_the_webhook_is_acknowledged_and_skipped(
    telegram: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """Webhook mode: the unreadable update gets 200 (Telegram would resend it otherwise) and
    one log line with its update_id; the next update is answered."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    env = {
        **bot_env,
        "WEBHOOK_URL": url,
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "webhook-secret",
    }
    telegram.add_user(READER, "Ann")
    headers = {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": "webhook-secret",
    }
    poison = {"update_id": 77, "message": {"message_id": 1, "date": 1, "chat": {"id": READER}}}
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"running as @\w+ \(webhook\)")
        with httpx.Client(timeout=10) as client:
            skipped = client.post(url, content=json.dumps(poison), headers=headers)
            update = telegram.send_message(READER, READER, "/start")
            handled = client.post(url, content=json.dumps(update), headers=headers)
        telegram.wait_for_messages(READER, 1, timeout=20)
        assert bot.terminate() == 0
        output = bot.output
    assert skipped.status_code == 200
    assert handled.status_code == 200
    assert output.count("skipped update_id=77") == 1
    assert "Traceback" not in output
