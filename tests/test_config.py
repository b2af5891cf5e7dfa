"""Settings: every variable's default, every bad value reported (all at once), `.env` handling."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from bot.config import (
    ENV_VARS,
    NO_TOKEN_HELP,
    REDACTED,
    Settings,
    SettingsError,
    load_settings,
    read_dotenv,
    redact,
)
from bot.core.errors import ConfigError

TOKEN = "123456789:AAEhBOweik6ad9r_Q3zVxWfA-kLm0nOpQrS"
REPO = Path(__file__).resolve().parents[1]


def load(tmp_path: Path, **env: str) -> Settings:
    """Load settings from `env` (plus the token unless given) with `tmp_path` as cwd."""
    env.setdefault("BOT_TOKEN", TOKEN)
    return load_settings(env, cwd=tmp_path)


def problems(tmp_path: Path, **env: str) -> list[str]:
    """The problem lines `load_settings` reports for `env` (with the token unless given)."""
    env.setdefault("BOT_TOKEN", TOKEN)
    with pytest.raises(SettingsError) as caught:
        load_settings(env, cwd=tmp_path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return list(caught.value.problems)


def quoted(path: Path) -> str:
    """A path as a problem line quotes it: whole, or cut to 80 characters with "…" (a deep
    temporary directory, as under pytest-xdist, makes it that long)."""
    text = str(path)
    return repr(text if len(text) <= 80 else text[:79] + "…")


# --- defaults and good values -----------------------------------------------------------------


def test_defaults_with_only_a_token(tmp_path: Path) -> None:
    """With only BOT_TOKEN set every other field takes its documented default."""
    settings = load(tmp_path)
    assert settings.bot_token == TOKEN
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.bot_api_url == "https://api.telegram.org/bot"
    assert settings.database_path == tmp_path / "data" / "teaserbot.sqlite3"
    assert settings.sources_file is None
    assert settings.feed_urls == ()
    assert settings.poll_interval_seconds == 300
    assert settings.log_level == "INFO"
    assert settings.log_format == "text"
    assert settings.broadcast_rate == 30
    assert settings.admin_user_ids == frozenset()
    assert settings.http_timeout_seconds == 20
    assert settings.max_feed_bytes == 5_000_000


def test_every_variable_is_read(tmp_path: Path) -> None:
    """Each variable in ENV_VARS changes its field when set to a valid value."""
    (tmp_path / "sources.toml").write_text("")
    settings = load(
        tmp_path,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:8081/",
        DATABASE_PATH="db/bot.sqlite3",
        SOURCES_FILE="sources.toml",
        FEED_URLS=" https://a.example/feed , http://b.example/rss,,https://a.example/feed",
        POLL_INTERVAL_SECONDS="0.5",
        LOG_LEVEL="debug",
        LOG_FORMAT="JSON",
        BROADCAST_RATE="1000",
        ADMIN_USER_IDS="42, 7,42",
        HTTP_TIMEOUT_SECONDS="2.5",
        MAX_FEED_BYTES="1_000_000",
    )
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081"
    assert settings.bot_api_url == "http://127.0.0.1:8081/bot"
    assert settings.database_path == tmp_path / "db" / "bot.sqlite3"
    assert settings.sources_file == tmp_path / "sources.toml"
    assert settings.feed_urls == ("https://a.example/feed", "http://b.example/rss")
    assert settings.poll_interval_seconds == 0.5
    assert settings.log_level == "DEBUG"
    assert settings.log_format == "json"
    assert settings.broadcast_rate == 1000
    assert settings.admin_user_ids == frozenset({42, 7})
    assert settings.http_timeout_seconds == 2.5
    assert settings.max_feed_bytes == 1_000_000
    assert len(ENV_VARS) == len(dataclasses.fields(Settings))


def test_absolute_paths_are_kept(tmp_path: Path) -> None:
    """Absolute DATABASE_PATH and SOURCES_FILE are used as given, not joined to cwd."""
    sources = tmp_path / "s.toml"
    sources.write_text("")
    settings = load(
        tmp_path / "elsewhere",
        DATABASE_PATH=str(tmp_path / "x.sqlite3"),
        SOURCES_FILE=str(sources),
    )
    assert settings.database_path == tmp_path / "x.sqlite3"
    assert settings.sources_file == sources


def test_settings_are_frozen(tmp_path: Path) -> None:
    """Settings cannot be changed after loading."""
    settings = load(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.log_level = "DEBUG"  # type: ignore[misc]


# --- the token ----------------------------------------------------------------------------------


def test_missing_token_is_reported(tmp_path: Path) -> None:
    """Without BOT_TOKEN the error names it and flags it as missing for the CLI's help text."""
    with pytest.raises(SettingsError) as caught:
        load_settings({}, cwd=tmp_path)
    assert caught.value.missing_token
    assert caught.value.problems == ("BOT_TOKEN: not set (get a token from @BotFather)",)
    assert isinstance(caught.value, ConfigError)


def test_blank_token_counts_as_missing(tmp_path: Path) -> None:
    """A BOT_TOKEN of only spaces is reported as missing."""
    assert problems(tmp_path, BOT_TOKEN="   ") == [
        "BOT_TOKEN: not set (get a token from @BotFather)"
    ]


def test_token_not_required_for_preview(tmp_path: Path) -> None:
    """With require_token=False a missing token is fine and the token is empty."""
    settings = load_settings({"LOG_LEVEL": "warning"}, cwd=tmp_path, require_token=False)
    assert settings.bot_token == ""
    assert settings.secrets == ()
    assert settings.log_level == "WARNING"


def test_malformed_token_is_reported_without_echoing_it(tmp_path: Path) -> None:
    """A token of the wrong shape is a problem whose message does not contain the token text."""
    bad = "123456789-AAEhBOweik6ad9r_Q3zVxWfA"
    found = problems(tmp_path, BOT_TOKEN=bad)
    assert len(found) == 1
    assert found[0].startswith("BOT_TOKEN: does not look like a token")
    assert bad not in found[0]
    assert "AAEhBOweik6ad9r" not in found[0]


def test_malformed_token_is_not_echoed_when_other_values_hold_it(tmp_path: Path) -> None:
    """Even a value that embeds the token (a base URL with /bot<token>) is reported redacted."""
    found = problems(tmp_path, TELEGRAM_API_BASE_URL=f"https://api.telegram.org/bot{TOKEN}")
    assert len(found) == 1
    assert found[0].startswith("TELEGRAM_API_BASE_URL:")
    assert "without /bot<token>" in found[0]
    assert TOKEN not in found[0]
    assert TOKEN.split(":")[1] not in found[0]


def test_token_never_in_repr_or_str(tmp_path: Path) -> None:
    """repr(settings) and str(settings) leave the token out."""
    settings = load(tmp_path)
    for text in (repr(settings), str(settings), f"{settings}"):
        assert TOKEN not in text
        assert "bot_token" not in text
        assert "telegram_api_base_url=" in text


def test_settings_secrets_is_the_token(tmp_path: Path) -> None:
    """Settings.secrets hands the token to the log redaction."""
    assert load(tmp_path).secrets == (TOKEN,)


def test_no_token_help_says_how_to_get_one() -> None:
    """The help text names @BotFather, the .env file and the BOT_TOKEN= line."""
    assert "@BotFather" in NO_TOKEN_HELP
    assert ".env" in NO_TOKEN_HELP
    assert "BOT_TOKEN=" in NO_TOKEN_HELP
    assert 3 <= len(NO_TOKEN_HELP.splitlines()) <= 15


# --- one test per bad value ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ftp://api.telegram.org", "must start with http:// or https://"),
        ("api.telegram.org", "must start with http:// or https://"),
        ("https://", "has no host"),
        ("https://api.telegram.org/?x=1", "must not have a query or fragment"),
        ("http://127.0.0.1:99999", "is not a valid URL"),
        ("https://api.telegram.org/bot", "without /bot<token>"),
        ("https://api telegram.org", "contains whitespace"),
    ],
)
def test_bad_base_url(tmp_path: Path, value: str, expected: str) -> None:
    """A TELEGRAM_API_BASE_URL that is not an http(s) server root is reported."""
    found = problems(tmp_path, TELEGRAM_API_BASE_URL=value)
    assert len(found) == 1
    assert found[0].startswith("TELEGRAM_API_BASE_URL: ")
    assert expected in found[0]


def test_poll_interval_not_a_number(tmp_path: Path) -> None:
    """A non-numeric POLL_INTERVAL_SECONDS is reported with the value quoted."""
    assert problems(tmp_path, POLL_INTERVAL_SECONDS="abc") == [
        "POLL_INTERVAL_SECONDS: 'abc' is not a number"
    ]


@pytest.mark.parametrize("value", ["0.1", "0", "-5", "604801"])
def test_poll_interval_out_of_range(tmp_path: Path, value: str) -> None:
    """A POLL_INTERVAL_SECONDS below 0.2 s or above a week is reported with the range."""
    assert problems(tmp_path, POLL_INTERVAL_SECONDS=value) == [
        f"POLL_INTERVAL_SECONDS: {value!r} is out of range (0.2 to 604800)"
    ]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_poll_interval_not_finite(tmp_path: Path, value: str) -> None:
    """NaN and infinities are not accepted as intervals."""
    assert problems(tmp_path, POLL_INTERVAL_SECONDS=value) == [
        f"POLL_INTERVAL_SECONDS: {value!r} is not a finite number"
    ]


def test_bad_log_level(tmp_path: Path) -> None:
    """An unknown LOG_LEVEL is reported with the accepted levels."""
    assert problems(tmp_path, LOG_LEVEL="loud") == [
        "LOG_LEVEL: 'loud' is not one of DEBUG, INFO, WARNING, ERROR"
    ]


def test_log_level_warn_means_warning(tmp_path: Path) -> None:
    """LOG_LEVEL=warn is read as WARNING."""
    assert load(tmp_path, LOG_LEVEL="warn").log_level == "WARNING"


def test_bad_log_format(tmp_path: Path) -> None:
    """A LOG_FORMAT other than text or json is reported."""
    assert problems(tmp_path, LOG_FORMAT="xml") == ["LOG_FORMAT: 'xml' is not one of text, json"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("fast", "BROADCAST_RATE: 'fast' is not a number"),
        ("0.5", "BROADCAST_RATE: '0.5' is out of range (1 to 1000)"),
        ("1001", "BROADCAST_RATE: '1001' is out of range (1 to 1000)"),
    ],
)
def test_bad_broadcast_rate(tmp_path: Path, value: str, expected: str) -> None:
    """A BROADCAST_RATE that is not a number from 1 to 1000 is reported."""
    assert problems(tmp_path, BROADCAST_RATE=value) == [expected]


def test_bad_admin_user_ids(tmp_path: Path) -> None:
    """Every ADMIN_USER_IDS entry that is not a positive integer is reported, each on its line."""
    assert problems(tmp_path, ADMIN_USER_IDS="12, abc, -5, 0, 7") == [
        "ADMIN_USER_IDS: 'abc' is not a Telegram user id",
        "ADMIN_USER_IDS: '-5' is not a Telegram user id",
        "ADMIN_USER_IDS: '0' is not a Telegram user id",
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("soon", "HTTP_TIMEOUT_SECONDS: 'soon' is not a number"),
        ("0", "HTTP_TIMEOUT_SECONDS: '0' is out of range (0.1 to 600)"),
    ],
)
def test_bad_http_timeout(tmp_path: Path, value: str, expected: str) -> None:
    """An HTTP_TIMEOUT_SECONDS that is not a number from 0.1 to 600 is reported."""
    assert problems(tmp_path, HTTP_TIMEOUT_SECONDS=value) == [expected]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("5MB", "MAX_FEED_BYTES: '5MB' is not a whole number"),
        ("1.5", "MAX_FEED_BYTES: '1.5' is not a whole number"),
        ("999", "MAX_FEED_BYTES: '999' is out of range (1000 to 1000000000)"),
    ],
)
def test_bad_max_feed_bytes(tmp_path: Path, value: str, expected: str) -> None:
    """A MAX_FEED_BYTES that is not a whole number from 1000 to 10^9 is reported."""
    assert problems(tmp_path, MAX_FEED_BYTES=value) == [expected]


def test_sources_file_that_does_not_exist(tmp_path: Path) -> None:
    """A SOURCES_FILE path that does not exist is reported with the resolved path."""
    assert problems(tmp_path, SOURCES_FILE="missing.toml") == [
        f"SOURCES_FILE: {quoted(tmp_path / 'missing.toml')} does not exist"
    ]


def test_sources_file_that_is_a_directory(tmp_path: Path) -> None:
    """A SOURCES_FILE naming a directory is reported."""
    (tmp_path / "dir").mkdir()
    assert problems(tmp_path, SOURCES_FILE="dir") == [
        f"SOURCES_FILE: {quoted(tmp_path / 'dir')} is not a file"
    ]


def test_database_path_that_is_a_directory(tmp_path: Path) -> None:
    """A DATABASE_PATH naming an existing directory is reported."""
    assert problems(tmp_path, DATABASE_PATH=".") == [
        f"DATABASE_PATH: {quoted(tmp_path / '.')} is a directory, not a file"
    ]


def test_database_path_under_a_file(tmp_path: Path) -> None:
    """A DATABASE_PATH whose parent is a file is reported."""
    (tmp_path / "plain").write_text("x")
    found = problems(tmp_path, DATABASE_PATH="plain/bot.sqlite3")
    assert found == [f"DATABASE_PATH: {quoted(tmp_path / 'plain')} is not a directory"]


def test_bad_feed_urls(tmp_path: Path) -> None:
    """Each FEED_URLS entry that is not an http(s) URL is reported."""
    assert problems(tmp_path, FEED_URLS="https://ok.example/feed, file:///etc/passwd, nohost") == [
        "FEED_URLS: 'file:///etc/passwd' must start with http:// or https://",
        "FEED_URLS: 'nohost' must start with http:// or https://",
    ]


def test_long_values_are_cut_in_messages(tmp_path: Path) -> None:
    """An echoed value is cut to a readable length."""
    found = problems(tmp_path, LOG_FORMAT="x" * 500)
    assert len(found[0]) < 150
    assert "…" in found[0]


def test_every_problem_reported_together(tmp_path: Path) -> None:
    """Several bad values produce one error with one line per problem, in ENV_VARS order."""
    with pytest.raises(SettingsError) as caught:
        load_settings(
            {
                "BOT_TOKEN": "nope",
                "TELEGRAM_API_BASE_URL": "ftp://x",
                "POLL_INTERVAL_SECONDS": "abc",
                "LOG_LEVEL": "loud",
                "LOG_FORMAT": "xml",
                "BROADCAST_RATE": "0",
                "ADMIN_USER_IDS": "x",
                "SOURCES_FILE": "nope.toml",
            },
            cwd=tmp_path,
        )
    lines = str(caught.value).splitlines()
    assert [line.split(":", 1)[0] for line in lines] == [
        "BOT_TOKEN",
        "TELEGRAM_API_BASE_URL",
        "SOURCES_FILE",
        "POLL_INTERVAL_SECONDS",
        "LOG_LEVEL",
        "LOG_FORMAT",
        "BROADCAST_RATE",
        "ADMIN_USER_IDS",
    ]
    assert not caught.value.missing_token


# --- .env ---------------------------------------------------------------------------------------


def test_read_dotenv_syntax(tmp_path: Path) -> None:
    """`.env` lines: comments, blanks, `export`, both quotes, inline comments, no expansion."""
    path = tmp_path / ".env"
    path.write_text(
        "\ufeff# a comment\n"
        "\n"
        "PLAIN=value\n"
        "  SPACED =  padded value  \n"
        "export EXPORTED=yes\n"
        "SINGLE='has # hash and \"double\"'\n"
        "LITERAL='a\\nb $HOME'\n"
        'DOUBLE="line\\nnext \\"quoted\\" $HOME" # trailing comment\n'
        "INLINE=abc # comment\n"
        "HASH=abc#def\n"
        "EMPTY=\n"
        "EQUALS=a=b=c\n"
        "PLAIN=second wins\n",
        encoding="utf-8",
    )
    assert read_dotenv(path) == {
        "PLAIN": "second wins",
        "SPACED": "padded value",
        "EXPORTED": "yes",
        "SINGLE": 'has # hash and "double"',
        "LITERAL": "a\\nb $HOME",
        "DOUBLE": 'line\nnext "quoted" $HOME',
        "INLINE": "abc",
        "HASH": "abc#def",
        "EMPTY": "",
        "EQUALS": "a=b=c",
    }


def test_read_dotenv_single_quotes_are_literal(tmp_path: Path) -> None:
    """Single-quoted values keep backslashes and dollar signs as written."""
    path = tmp_path / ".env"
    path.write_text("A='x\\ny $B # z'\n")
    assert read_dotenv(path) == {"A": "x\\ny $B # z"}


def test_read_dotenv_reports_malformed_lines_by_number(tmp_path: Path) -> None:
    """Each line python-dotenv cannot parse is reported by number, without its content."""
    path = tmp_path / ".env"
    path.write_text(f"OK=1\njust words {TOKEN}\nB=x\nQ='unterminated {TOKEN}\n")
    with pytest.raises(ConfigError) as caught:
        read_dotenv(path)
    assert str(caught.value).splitlines() == [
        f"{path} line 2: expected KEY=VALUE",
        f"{path} line 4: expected KEY=VALUE",
    ]
    assert TOKEN not in str(caught.value)


def test_read_dotenv_rejects_non_utf8(tmp_path: Path) -> None:
    """A `.env` that is not UTF-8 is a ConfigError naming the file."""
    path = tmp_path / ".env"
    path.write_bytes(b"A=\xff\xfe\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        read_dotenv(path)


def test_dotenv_in_cwd_is_read(tmp_path: Path) -> None:
    """load_settings reads `.env` from cwd when present."""
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nLOG_LEVEL=ERROR\n")
    settings = load_settings({}, cwd=tmp_path)
    assert settings.bot_token == TOKEN
    assert settings.log_level == "ERROR"


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    """A variable set in the environment overrides the same one in `.env`."""
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nLOG_LEVEL=ERROR\nLOG_FORMAT=json\n")
    settings = load_settings({"LOG_LEVEL": "debug"}, cwd=tmp_path)
    assert settings.log_level == "DEBUG"
    assert settings.log_format == "json"


def test_empty_environment_value_does_not_hide_dotenv(tmp_path: Path) -> None:
    """An empty environment variable counts as unset, so the `.env` value applies."""
    (tmp_path / ".env").write_text(f"BOT_TOKEN={TOKEN}\nLOG_LEVEL=ERROR\n")
    settings = load_settings({"BOT_TOKEN": "", "LOG_LEVEL": ""}, cwd=tmp_path)
    assert settings.bot_token == TOKEN
    assert settings.log_level == "ERROR"


def test_bad_dotenv_reported_with_other_problems(tmp_path: Path) -> None:
    """A malformed `.env` line and a bad value are reported in the same error."""
    (tmp_path / ".env").write_text("LOG_LEVEL=loud\nthis is not valid\n")
    assert problems(tmp_path) == [
        f"{tmp_path / '.env'} line 2: expected KEY=VALUE",
        "LOG_LEVEL: 'loud' is not one of DEBUG, INFO, WARNING, ERROR",
    ]


def test_dotenv_bad_value_from_file_is_reported(tmp_path: Path) -> None:
    """A bad value that comes from `.env` is reported like one from the environment."""
    (tmp_path / ".env").write_text(f"BOT_TOKEN='{TOKEN}'\nPOLL_INTERVAL_SECONDS=abc\n")
    assert problems(tmp_path, BOT_TOKEN="") == ["POLL_INTERVAL_SECONDS: 'abc' is not a number"]


# --- redact -------------------------------------------------------------------------------------


def test_redact_replaces_every_form_of_the_secret() -> None:
    """redact hides the token, its percent-encoded form and its key half."""
    key = TOKEN.split(":")[1]
    text = f"a {TOKEN} b {TOKEN.replace(':', '%3A')} c {key} d"
    assert redact(text, [TOKEN]) == f"a {REDACTED} b {REDACTED} c {REDACTED} d"


def test_redact_ignores_empty_secrets() -> None:
    """An empty secret leaves the text unchanged."""
    assert redact("hello", ["", ""]) == "hello"


# --- .env.example -------------------------------------------------------------------------------


def _example_lines() -> list[str]:
    example = REPO / ".env.example"
    return example.read_text(encoding="utf-8").splitlines()


def test_env_example_lists_exactly_what_settings_reads() -> None:
    """`.env.example` names every variable Settings reads, once each, in ENV_VARS order."""
    names = [
        match.group(1)
        for line in _example_lines()
        if (match := re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line))
    ]
    assert tuple(names) == ENV_VARS
    assert names[0] == "BOT_TOKEN"


def test_env_example_defaults_are_the_real_defaults(tmp_path: Path) -> None:
    """With every example line uncommented (and a token), the settings equal the defaults."""
    lines = [
        line.lstrip("# ") if re.match(r"^#\s*[A-Z][A-Z0-9_]*=", line) else line
        for line in _example_lines()
    ]
    lines = [line for line in lines if not line.startswith("SOURCES_FILE=")]
    (tmp_path / ".env").write_text("\n".join(lines) + "\n")
    from_example = load_settings({"BOT_TOKEN": TOKEN}, cwd=tmp_path)
    defaults = load_settings({"BOT_TOKEN": TOKEN}, cwd=tmp_path / "empty")
    assert dataclasses.replace(from_example, database_path=Path("x")) == dataclasses.replace(
        defaults, database_path=Path("x")
    )
    assert from_example.database_path == tmp_path / "data" / "teaserbot.sqlite3"
