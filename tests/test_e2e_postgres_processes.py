"""`python -m bot run` on PostgreSQL: real bot processes sharing one database, one leader.

Each process reaches the fake Bot API at ``<root>/as/pN``, so the fake tells their calls apart
(who called getUpdates). Skipped where PostgreSQL is not installed (see tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.core.models import ChatKind
from bot.store.postgres import PostgresStore
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.support.postgres import PostgresServer, free_port

READER = 1001
OLD = {
    "title": "Dockers walk out in Rotterdam",
    "link": "https://news.example/rotterdam",
    "guid": "https://news.example/?p=1",
    "description": "The port stood still for a day.",
    "pubDate": "Mon, 01 Feb 2021 10:00:00 +0000",
}
NEW = {
    "title": "Rail workers vote to strike across the country",
    "link": "https://news.example/rail-strike",
    "guid": "https://news.example/?p=2",
    "description": "Ninety per cent voted yes on a high turnout.",
    "pubDate": "Tue, 02 Feb 2021 10:00:00 +0000",
}
TAKEOVER_LIMIT_S = 15.0  # the bound: another process leads this soon after a SIGKILL
FANOUT_CHATS = 300
SHUTDOWN_GRACE_S = 8.0  # the longest a stopping bot waits for its sends in flight


@pytest.fixture
def processes() -> Iterator[list[BotProcess]]:
    """Bot processes a test starts; any still running at the end are killed."""
    started: list[BotProcess] = []
    try:
        yield started
    finally:
        for process in started:
            process.__exit__()


def start(processes: list[BotProcess], bot_env: dict[str, str], cwd: Path, url: str) -> BotProcess:
    """Start one more bot process on the database at ``url``, named pN at the fake Bot API."""
    name = f"p{len(processes) + 1}"
    env = {
        **bot_env,
        "DATABASE_URL": url,
        "TELEGRAM_API_BASE_URL": f"{bot_env['TELEGRAM_API_BASE_URL']}/as/{name}",
    }
    process = BotProcess(env, cwd=cwd).start()
    processes.append(process)
    return process


async def subscribe(url: str, chat_ids: list[int]) -> None:
    """Subscribed private chats, as /start leaves them."""
    store = await PostgresStore.open(url)
    try:
        now = time.time()
        for chat_id in chat_ids:
            await store.chats.upsert_chat(chat_id, ChatKind.PRIVATE, now=now)
            await store.chats.set_subscribed(chat_id, True, now=now)
    finally:
        await store.close()


def leader_of(processes: list[BotProcess]) -> BotProcess:
    """The one process whose log says it was elected (and that has not stopped)."""
    leaders = [
        p for p in processes if p.proc and p.proc.poll() is None and "leader elected" in p.output
    ]
    assert len(leaders) == 1, [p.output for p in processes]
    return leaders[0]


def a_reader_and_a_feed(telegram: FakeTelegram, feeds: FeedServer) -> None:
    """The reader Rosa in a private chat with the bot, and a feed holding only the old story."""
    feeds.set("/feed.xml", rss([OLD], title="Example News"))
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)


def teasers(telegram: FakeTelegram, chat_id: int) -> int:
    """How many teasers of the NEW story the chat received."""
    return sum(NEW["title"] in m.text for m in telegram.messages(chat_id))


def test_run_on_postgresql_delivers_a_new_article_and_answers_commands(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """One process on PostgreSQL: /start subscribes, a new item arrives once, SIGTERM is clean."""
    a_reader_and_a_feed(telegram, feeds)
    bot = start(processes, bot_env, tmp_path, postgres_url)
    bot.wait_for(r"leader elected")
    bot.wait_for(r"poll source=.* status=ok .*baseline=True", timeout=30)
    telegram.send_message(READER, READER, "/start")
    (welcome,) = telegram.wait_for_messages(READER, 1, timeout=20)
    assert "subscribed" in welcome.text

    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    teaser = telegram.wait_for_messages(READER, 2, timeout=30)[1]
    assert NEW["title"] in teaser.text
    assert bot.terminate() == 0
    assert "stopped cleanly" in bot.output
    assert re.search(r"start database=postgresql://\S+@127\.0\.0\.1:\d+/\w+ ", bot.output)
    assert "Traceback" not in bot.output
    assert teasers(telegram, READER) == 1


@pytest.mark.parametrize("problem", ["password", "database", "pasted"])
def test_a_refused_login_or_missing_database_is_one_line_and_exit(
    postgres_server: PostgresServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    processes: list[BotProcess],
    problem: str,
) -> None:
    """A wrong password or a missing database (even one whose name holds the password, as a URL
    pasted twice does): one clear line, status 1, no password shown."""
    names = {"database": "no_such_db", "pasted": f"db_{postgres_server.password}"}
    url = (
        postgres_server.url("postgres", password="Wr0ng-secret-pw")
        if problem == "password"
        else postgres_server.url(names[problem])
    )
    bot = start(processes, bot_env, tmp_path, url)
    assert bot.wait_exit(30) == 1
    lines = [line for line in bot.lines if "PostgreSQL" in line]
    assert len(lines) == 1, bot.output
    expected = "refused the login" if problem == "password" else "create it (createdb)"
    assert expected in lines[0]
    assert "Traceback" not in bot.output
    assert "Wr0ng-secret-pw" not in bot.output
    assert postgres_server.password not in bot.output


def test_an_unreachable_server_is_retried_until_sigterm(
    bot_env: dict[str, str], tmp_path: Path, processes: list[BotProcess]
) -> None:
    """Nobody listening: one line per attempt with backoff, then SIGTERM ends it cleanly."""
    url = f"postgresql://bot:Hidden-pw-9@127.0.0.1:{free_port()}/news"
    bot = start(processes, bot_env, tmp_path, url)
    tries = bot.wait_for(r"cannot reach PostgreSQL at bot@127\.0\.0\.1:\d+/news", count=2)
    assert "retrying in 1 s" in tries[0]
    assert "retrying in 2 s" in tries[1]
    assert bot.terminate() == 0
    assert "stopped cleanly" in bot.output
    assert "Traceback" not in bot.output
    assert "Hidden-pw-9" not in bot.output


def test_two_processes_one_receives_updates_and_each_message_goes_once(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """Two processes on one database: only the leader calls getUpdates; replies and teasers once."""
    a_reader_and_a_feed(telegram, feeds)
    first = start(processes, bot_env, tmp_path, postgres_url)
    first.wait_for(r"leader elected")
    second = start(processes, bot_env, tmp_path, postgres_url)
    second.wait_for(r"following: waiting for the leader lock")
    second.wait_for(r"running as @")
    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1, timeout=20)
    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    telegram.wait_for_messages(READER, 2, timeout=30)
    time.sleep(2.0)  # several more polls (by either process): none queues the story again
    assert teasers(telegram, READER) == 1
    assert len(telegram.messages(READER)) == 2
    pollers = {call.client for call in telegram.calls("getUpdates")}
    assert pollers == {"p1"}
    assert {call.client for call in telegram.calls("sendMessage")} == {"p1"}
    assert "leader elected" not in second.output
    assert [p.terminate() for p in processes] == [0, 0]


def test_the_leader_is_killed_mid_fan_out_and_another_finishes_it(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """3 processes, leader SIGKILLed mid fan-out to 300 chats: a new leader within 15 s, every
    chat gets the story, none more than twice."""
    chats = list(range(5001, 5001 + FANOUT_CHATS))
    for chat_id in chats:
        telegram.add_user(chat_id, f"Reader {chat_id}")
        telegram.add_private_chat(chat_id)
    asyncio.run(subscribe(postgres_url, chats))
    feeds.set("/feed.xml", rss([OLD], title="Example News"))
    start(processes, bot_env, tmp_path, postgres_url).wait_for(r"leader elected", timeout=30)
    for _ in range(2):
        start(processes, bot_env, tmp_path, postgres_url).wait_for(r"following:", timeout=30)
    assert _any_logs(processes, r"poll source=.* status=ok .*baseline=True", timeout=30)

    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    assert telegram.wait_until(lambda: sum(map(bool, _delivered(telegram, chats))) >= 60, 60)
    old = leader_of(processes)
    killed_at = time.monotonic()
    old.kill()
    survivors = [p for p in processes if p is not old]
    took = _takeover(survivors, deadline=killed_at + 60) - killed_at
    assert took <= TAKEOVER_LIMIT_S, took

    assert telegram.wait_until(lambda: all(_delivered(telegram, chats)), 120)
    time.sleep(2.0)  # anything sent twice would show by now
    counts = [teasers(telegram, chat_id) for chat_id in chats]
    assert min(counts) == 1  # none lost
    assert max(counts) <= 2  # at most one duplicate per chat
    assert [p.terminate(30) for p in survivors] == [0, 0]


def _delivered(telegram: FakeTelegram, chats: list[int]) -> list[int]:
    return [teasers(telegram, chat_id) for chat_id in chats]


def _any_logs(processes: list[BotProcess], pattern: str, *, timeout: float) -> bool:
    """Whether one of ``processes`` logs a line matching ``pattern`` within ``timeout`` s."""
    regex = re.compile(pattern)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(regex.search(line) for p in processes for line in list(p.lines)):
            return True
        time.sleep(0.05)
    return False


def _takeover(survivors: list[BotProcess], *, deadline: float) -> float:
    """When one of ``survivors`` logged "leader elected" (monotonic); fails at ``deadline``."""
    while time.monotonic() < deadline:
        for process in survivors:
            if "leader elected" in process.output:
                return time.monotonic()
        time.sleep(0.02)
    raise AssertionError("no process took over:\n" + "\n".join(p.output for p in survivors))


def test_webhooks_are_answered_by_every_process_and_only_the_leader_delivers(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """Webhook mode: a follower answers /start itself; teasers come from the leader alone; both
    processes register the same secret (derived from the token when WEBHOOK_SECRET is unset)."""
    a_reader_and_a_feed(telegram, feeds)
    hooks = []
    for _ in range(2):
        port = free_port()
        url = f"http://127.0.0.1:{port}/telegram/hook"
        hooks.append(url)
        env = {**bot_env, "WEBHOOK_URL": url, "WEBHOOK_LISTEN": "127.0.0.1"}
        env["WEBHOOK_PORT"] = str(port)
        start(processes, env, tmp_path, postgres_url).wait_for(r"running as @\w+ \(webhook\)")
    processes[0].wait_for(r"leader elected")
    processes[1].wait_for(r"following: waiting for the leader lock")
    secrets = {call.params["secret_token"] for call in telegram.calls("setWebhook")}
    assert len(secrets) == 1
    (secret,) = secrets

    update = telegram.send_message(READER, READER, "/start")
    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret}
    answer = httpx.post(hooks[1], content=json.dumps(update), headers=headers, timeout=10)
    assert answer.status_code == 200
    (welcome,) = telegram.wait_for_messages(READER, 1, timeout=20)
    assert "subscribed" in welcome.text
    assert [call.client for call in telegram.calls("sendMessage")] == ["p2"]

    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    telegram.wait_for_messages(READER, 2, timeout=30)
    time.sleep(1.0)
    assert teasers(telegram, READER) == 1
    assert [call.client for call in telegram.calls("sendMessage")] == ["p2", "p1"]
    assert telegram.calls("getUpdates") == []
    assert [p.terminate() for p in processes] == [0, 0]
    assert secret not in processes[0].output + processes[1].output


def test_a_leader_that_loses_its_lock_steps_down_and_follows_without_exiting(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_server: PostgresServer,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """The server ends the leader's lock session: it stops polling updates and delivering, keeps
    running as a follower; the other process leads, answers and delivers."""
    a_reader_and_a_feed(telegram, feeds)
    first = start(processes, bot_env, tmp_path, postgres_url)
    first.wait_for(r"leader elected")
    second = start(processes, bot_env, tmp_path, postgres_url)
    second.wait_for(r"following: waiting for the leader lock")
    second.wait_for(r"running as @")
    database = postgres_url.rsplit("/", 1)[1]
    postgres_server.psql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'teaserbot-leader'",
        database,
    )
    first.wait_for(r"leadership lost")
    first.wait_for(r"stepped down")
    assert _any_logs([second], "leader elected", timeout=TAKEOVER_LIMIT_S)
    first.wait_for(r"following: waiting for the leader lock")
    handover = len(telegram.calls())

    telegram.send_message(READER, READER, "/start")
    telegram.wait_for_messages(READER, 1, timeout=20)
    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    telegram.wait_for_messages(READER, 2, timeout=30)
    time.sleep(1.0)
    assert teasers(telegram, READER) == 1
    later = telegram.calls()[handover:]
    assert {c.client for c in later if c.method in ("getUpdates", "sendMessage")} == {"p2"}
    assert first.proc is not None
    assert first.proc.poll() is None
    assert "Traceback" not in first.output
    assert [p.terminate() for p in processes] == [0, 0]


def test_a_leader_stopped_with_sigterm_hands_over_at_once(
    telegram: FakeTelegram,
    feeds: FeedServer,
    bot_env: dict[str, str],
    tmp_path: Path,
    postgres_url: str,
    processes: list[BotProcess],
) -> None:
    """SIGTERM on the leader: it exits 0 and releases the lock; the follower leads within a few
    seconds and delivers the next story."""
    a_reader_and_a_feed(telegram, feeds)
    asyncio.run(subscribe(postgres_url, [READER]))
    first = start(processes, bot_env, tmp_path, postgres_url)
    first.wait_for(r"leader elected")
    second = start(processes, bot_env, tmp_path, postgres_url)
    second.wait_for(r"following: waiting for the leader lock")
    assert _any_logs(processes, r"baseline=True", timeout=30)
    stopped_at = time.monotonic()
    assert first.terminate() == 0
    second.wait_for(r"leader elected", timeout=TAKEOVER_LIMIT_S)
    assert time.monotonic() - stopped_at < 5.0 + SHUTDOWN_GRACE_S
    feeds.set("/feed.xml", rss([NEW, OLD], title="Example News"))
    telegram.wait_for_messages(READER, 1, timeout=30)
    assert [c.client for c in telegram.calls("sendMessage")] == ["p2"]
    assert second.terminate() == 0
