"""The webhook server against connections that never finish their request (slowloris)."""

from __future__ import annotations

import json
import os
import select
import socket
import time
from pathlib import Path

import httpx

from bot.telegram.webhook import HEADER_TIMEOUT, MAX_CONNECTIONS_PER_ADDRESS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.test_webhook import SECRET, free_port

READER = 811
HALF_OPEN = 1000


def _half_open(port: int, count: int) -> list[socket.socket]:
    """``count`` connections from 127.0.0.2 that send the start of a request, never its end."""
    socks = []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.2", 0))
        sock.connect(("127.0.0.1", port))
        sock.sendall(b"POST /telegram/hook HTTP/1.1\r\nHost: bot.example\r\nX-Slow: 1")
        sock.setblocking(False)
        socks.append(sock)
    return socks


def _wait_closed(socks: list[socket.socket], timeout: float) -> list[socket.socket]:
    """Wait until the server closed every connection (or ``timeout``); those still open."""
    open_ = {sock.fileno(): sock for sock in socks}
    poller = select.poll()
    for fd in open_:
        poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    deadline = time.monotonic() + timeout
    while open_ and time.monotonic() < deadline:
        for fd, _event in poller.poll(500):
            try:
                data = open_[fd].recv(4096)
            except (ConnectionResetError, BlockingIOError):
                data = b"" if fd in open_ else b"?"
            if not data:
                poller.unregister(fd)
                del open_[fd]
    return list(open_.values())


def test_half_open_connections_are_capped_timed_out_and_never_lock_telegram_out(
    telegram: FakeTelegram, bot_env: dict[str, str], tmp_path: Path
) -> None:
    """1,000 connections with unfinished headers from one address: all but a capped few are
    closed at once, the rest within the header timeout, the bot's file handles stay few, and
    Telegram's update (from another address) is answered meanwhile."""
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
    with BotProcess(env, cwd=tmp_path) as bot:
        bot.wait_for(r"running as @\w+ \(webhook\)")
        assert bot.proc is not None
        socks = _half_open(port, HALF_OPEN)
        try:
            started = time.monotonic()
            kept = _wait_closed(socks, 3)
            handles = len(os.listdir(f"/proc/{bot.proc.pid}/fd"))
            update = telegram.send_message(READER, READER, "/start")
            answer = httpx.post(
                url,
                content=json.dumps(update),
                headers={
                    "Content-Type": "application/json",
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                },
                timeout=5,
            )
            left = _wait_closed(kept, HEADER_TIMEOUT + 20)
            elapsed = time.monotonic() - started
        finally:
            for sock in socks:
                sock.close()
        assert answer.status_code == 200
        telegram.wait_for_messages(READER, 1)
        assert bot.terminate() == 0
    print(f"kept at first={len(kept)}, left={len(left)} after {elapsed:.1f} s; handles={handles}")
    assert len(kept) <= MAX_CONNECTIONS_PER_ADDRESS
    assert left == []  # every one closed, none kept for good
    assert handles < MAX_CONNECTIONS_PER_ADDRESS + 100
