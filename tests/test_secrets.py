"""Credentials in URLs (`user:password@`, `?password=`) are never shown or logged."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings
from bot.core.credentials import hide_credentials
from bot.core.models import SourceSpec
from bot.logs import setup_logging
from bot.service.notify import outage_text
from bot.store import Store
from bot.telegram.operator import sources_text
from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[1]
TOKEN = "123456789:AAEhBOweik6ad9r_Q3zVxWfA-kLm0nOpQrS"
SECRET = "s3cr3tPw"


def cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with only these settings (no token)."""
    full = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BOT_", "TELEGRAM_", "DATABASE_", "FEED_", "SOURCES_"))
    }
    full.update({"PYTHONPATH": str(REPO), "DATABASE_PATH": str(cwd / "bot.sqlite3"), **env})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://tb:pw@h/d", "postgresql://tb:<redacted>@h/d"),
        ("http://user:pa@ss@proxy.example:99999", "http://user:<redacted>@proxy.example:99999"),
        ("postgresql://tb@h:5432/d?password=pw&sslmode=require",
         "postgresql://tb@h:5432/d?password=<redacted>&sslmode=require"),
        ("https://news.example/feed?KEY=abc#top", "https://news.example/feed?KEY=<redacted>#top"),
        ("failed: https://u:p@a.example/f and socks5://x:y@b:1",
         "failed: https://u:<redacted>@a.example/f and socks5://x:<redacted>@b:1"),
        ("https://medium.com/feed/@someone", "https://medium.com/feed/@someone"),
        ("http://host:8080/feed?page=2", "http://host:8080/feed?page=2"),
        ("postgresql://tb@h/d", "postgresql://tb@h/d"),
    ],
)  # fmt: skip
def test_hide_credentials_hides_passwords_and_secret_query_values(text: str, shown: str) -> None:
    """Every credential written in a URL is hidden; user names, ports and paths stay."""
    assert hide_credentials(text) == shown


def test_an_invalid_database_url_with_a_query_password_is_not_echoed(tmp_path: Path) -> None:
    """`DATABASE_URL=…?password=…` with a bad port: the error names the URL without the password."""
    result = cli(tmp_path, "sources", DATABASE_URL=f"postgresql://tb@h:99999/d?password={SECRET}")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr
    assert "postgresql://tb@h:99999/d?password=<redacted>" in result.stderr
    assert SECRET not in result.stderr + result.stdout


def test_a_proxy_password_holding_an_at_sign_is_not_partly_echoed(tmp_path: Path) -> None:
    """`FEED_PROXY=http://user:pa@ss@host:99999`: no part of the password is printed."""
    result = cli(tmp_path, "sources", FEED_PROXY="http://user:pa@ss@proxy.example:99999")
    assert result.returncode == 2
    assert "'http://user:<redacted>@proxy.example:99999' has an invalid port" in result.stderr
    assert "pa@" not in result.stderr
    assert "ss@" not in result.stderr


def test_a_proxy_password_holding_a_slash_is_not_echoed(tmp_path: Path) -> None:
    """A password that breaks the URL apart (`pa/ss`) is not printed either."""
    result = cli(tmp_path, "sources", TELEGRAM_PROXY="socks5://user:pa/ss@proxy.example")
    assert result.returncode == 2
    assert "TELEGRAM_PROXY" in result.stderr
    assert "pa/ss" not in result.stderr
    assert "/ss" not in result.stderr


async def test_sources_command_hides_credentials_in_feed_urls(tmp_path: Path) -> None:
    """`python -m bot sources` shows a feed URL with its password and key hidden."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        await store.sources.sync_sources(
            [SourceSpec(name="private", url=f"https://reader:{SECRET}@news.example/f?key={SECRET}")]
        )
    finally:
        await store.close()
    result = cli(tmp_path, "sources")
    assert result.returncode == 0, result.stderr
    assert "https://reader:<redacted>@news.example/f?key=<redacted>" in result.stdout
    assert SECRET not in result.stdout


async def test_operator_texts_hide_credentials_in_feed_urls(tmp_path: Path) -> None:
    """/sources and the outage notice show a source's URL and last error without credentials."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    try:
        url = f"https://reader:{SECRET}@news.example/f"
        await store.sources.sync_sources([SourceSpec(name="private", url=url)])
        [status] = await store.sources.source_statuses()
    finally:
        await store.close()
    now = time.time()
    for text in (sources_text([status], now), outage_text(status, now)):
        assert "reader:&lt;redacted&gt;@news.example/f" in text
        assert SECRET not in text


def test_settings_secrets_hold_every_credential_form(tmp_path: Path) -> None:
    """The log redaction knows query passwords and feed URL passwords, not only proxy ones."""
    settings = load_settings(
        {
            "BOT_TOKEN": TOKEN,
            "DATABASE_URL": "postgresql://tb@db.example/d?password=q%40ery",
            "FEED_URLS": "https://u:feedpw@news.example/rss",
        },
        cwd=tmp_path,
    )
    assert {"q%40ery", "q@ery", "feedpw"} <= set(settings.secrets)


def test_every_problem_hides_the_password_of_a_malformed_url(tmp_path: Path) -> None:
    """All of DATABASE_URL, proxies and FEED_URLS: no password reaches a problem line."""
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "BOT_TOKEN": TOKEN,
                "DATABASE_URL": f"mysql://tb:{SECRET}@h/d",
                "FEED_PROXY": f"ftp://u:{SECRET}@p.example:21",
                "FEED_URLS": f"https://u:{SECRET}@h.example:0x50/rss",
            },
            cwd=tmp_path,
        )
    assert len(caught.value.problems) == 3
    assert SECRET not in str(caught.value)


@pytest.mark.usefixtures("restore_logging")
def test_log_lines_hide_url_credentials_nobody_declared_secret() -> None:
    """A URL with a password in a log line (a source's error, say) is redacted as a second fence."""
    stream = io.StringIO()
    setup_logging("INFO", "text", (TOKEN,), stream=stream)
    logging.getLogger("bot.service.poller").warning(
        "poll failed url=%s", f"https://u:{SECRET}@news.example/f?token={SECRET}"
    )
    line = stream.getvalue()
    assert "https://u:<redacted>@news.example/f?token=<redacted>" in line
    assert SECRET not in line


def test_preview_errors_hide_credentials_in_the_url(tmp_path: Path) -> None:
    """`python -m bot preview https://u:pw@host/…` that fails names the URL without the password."""
    result = cli(tmp_path, "preview", f"http://reader:{SECRET}@127.0.0.1:9/feed.xml")
    assert result.returncode == 1
    assert "cannot preview http://reader:<redacted>@127.0.0.1:9/feed.xml" in result.stderr
    assert SECRET not in result.stderr + result.stdout
