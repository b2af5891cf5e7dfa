"""DATABASE_URL: a postgresql:// URL selects PostgreSQL; its password never shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import REDACTED, Settings, SettingsError, load_settings
from bot.logs import Redactor

TOKEN = "123456789:AAE_test-token-for-the-fake-server-0"


def load(tmp_path: Path, **env: str) -> Settings:
    """Settings from ``env`` with a token, ``tmp_path`` as the working directory."""
    return load_settings({"BOT_TOKEN": TOKEN, **env}, cwd=tmp_path)


def problems(tmp_path: Path, **env: str) -> list[str]:
    """The problem lines for ``env``."""
    with pytest.raises(SettingsError) as caught:
        load(tmp_path, **env)
    return list(caught.value.problems)


def test_unset_keeps_sqlite(tmp_path: Path) -> None:
    """Without DATABASE_URL there is no URL and DATABASE_PATH names the SQLite file."""
    settings = load(tmp_path, DATABASE_URL="  ")
    assert settings.database_url is None
    assert settings.database_path == tmp_path / "data" / "teaserbot.sqlite3"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://bot:pw@db.example:5432/teaserbot",
        "postgres://bot@db.example/teaserbot?sslmode=require",
        "postgresql:///teaserbot?host=/var/run/postgresql",
        "postgresql://bot:p%40ss@[::1]:6432/news",
    ],
)
def test_a_postgresql_url_is_taken_as_given(tmp_path: Path, url: str) -> None:
    """postgresql:// and postgres:// URLs, with ports, IPv6, sockets and options, are accepted."""
    assert load(tmp_path, DATABASE_URL=url).database_url == url


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mysql://bot:hunter2@db/news", "must start with postgresql://"),
        ("data/teaserbot.sqlite3", "must start with postgresql://"),
        ("postgresql://bot:hunter2@db:99999/news", "is not a valid URL"),
        ("postgresql://bot:hunter2@db:port/news", "is not a valid URL"),
        ("postgresql://bot:hunter2@db/news#x", "must not have a #fragment"),
        ("postgresql://bot:hunter2@db/my news", "contains whitespace"),
    ],
)
def test_a_bad_url_is_a_problem_that_hides_the_password(tmp_path: Path, url: str, why: str) -> None:
    """A URL that is not PostgreSQL's is reported in one line, the password replaced."""
    [line] = problems(tmp_path, DATABASE_URL=url)
    assert line.startswith("DATABASE_URL: ")
    assert why in line
    assert "hunter2" not in line


def test_a_bad_url_is_reported_with_the_other_problems(tmp_path: Path) -> None:
    """DATABASE_URL's problem comes with every other one, in the usual order."""
    found = problems(tmp_path, DATABASE_URL="sqlite:///x", LOG_LEVEL="loud")
    assert [line.split(":")[0] for line in found] == ["DATABASE_URL", "LOG_LEVEL"]


def test_the_password_is_a_secret_for_the_logs(tmp_path: Path) -> None:
    """The password, as written and percent-decoded, is redacted from log lines; repr hides it."""
    settings = load(tmp_path, DATABASE_URL="postgresql://bot:s%2Fcret-Pw@db/news")
    assert "s%2Fcret-Pw" in settings.secrets
    assert "s/cret-Pw" in settings.secrets
    redact = Redactor(settings.secrets)
    assert redact("connect postgresql://bot:s%2Fcret-Pw@db/news") == (
        f"connect postgresql://bot:{REDACTED}@db/news"
    )
    assert redact("password s/cret-Pw refused") == f"password {REDACTED} refused"
    assert "s%2Fcret" not in repr(settings)
