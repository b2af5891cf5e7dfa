"""Settings read once from the environment and an optional `.env` file.

Every problem is collected and reported at once in one `ConfigError`, one per line.
The bot token is a secret: it is left out of `repr`/`str` and never echoed in a message.
`.env` is read by python-dotenv; proxy URLs are checked by :mod:`bot.net.proxies`.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from dotenv.parser import parse_stream

from bot.core.credentials import hide_credentials, url_secrets
from bot.core.errors import ConfigError
from bot.net.proxies import proxy_problem

# The variables Settings reads, in the order of the README table and `.env.example`.
ENV_VARS: tuple[str, ...] = (
    "BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_PATH",
    "DATABASE_URL",
    "SOURCES_FILE",
    "FEED_URLS",
    "POLL_INTERVAL_SECONDS",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "BROADCAST_RATE",
    "ADMIN_USER_IDS",
    "HTTP_TIMEOUT_SECONDS",
    "MAX_FEED_BYTES",
    "WEBHOOK_URL",
    "WEBHOOK_LISTEN",
    "WEBHOOK_PORT",
    "WEBHOOK_SECRET",
    "METRICS_PORT",
    "METRICS_LISTEN",
    "PING_SECRET",
    "HEALTH_STALL_SECONDS",
    "PRUNE_AFTER_DAYS",
    "OUTAGE_NOTICE_AFTER_SECONDS",
    "DIGEST_AFTER_SECONDS",
    "GIVE_UP_HOURS",
    "CHANNEL_CLEANUP_SECONDS",
    "TELEGRAM_PROXY",
    "FEED_PROXY",
    "ALLOW_PRIVATE_SOURCES",
)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
DEFAULT_DATABASE_PATH = Path("data/teaserbot.sqlite3")
DOTENV_NAME = ".env"

# Ranges (inclusive). Poll intervals below 10 s are meant for tests against local servers.
POLL_INTERVAL_RANGE = (0.2, 7 * 24 * 3600.0)
BROADCAST_RATE_RANGE = (1.0, 1000.0)
HTTP_TIMEOUT_RANGE = (0.1, 600.0)
MAX_FEED_BYTES_RANGE = (1_000, 1_000_000_000)
PORT_RANGE = (1, 65535)
HEALTH_STALL_RANGE = (1.0, 7 * 24 * 3600.0)
PRUNE_AFTER_DAYS_RANGE = (0.0, 100 * 365.0)
OUTAGE_NOTICE_RANGE = (0.0, 30 * 24 * 3600.0)
DIGEST_AFTER_RANGE = (1.0, 7 * 24 * 3600.0)
GIVE_UP_HOURS_RANGE = (0.0001, 30 * 24.0)
CHANNEL_CLEANUP_RANGE = (0.0, 24 * 3600.0)
DEFAULT_LISTEN = "127.0.0.1"
_WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
REDACTED = "<redacted>"

_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")
_TOKEN_LIKE_RE = re.compile(r"\d+:[A-Za-z0-9_-]{20,}")
_ECHO_LIMIT = 80

_BOTFATHER_STEPS = """\
BOT_TOKEN is not set: the bot needs a token to talk to Telegram.

  1. In Telegram, open a chat with @BotFather and send /newbot; it answers with a token
     that looks like 123456789:AAE...
  2. Put it in a file named .env in the directory you run the bot from:
         BOT_TOKEN=123456789:AAE...
     (copy .env.example to .env to start), or set it in the environment:
         export BOT_TOKEN=123456789:AAE...
  3. Run `python -m bot` again.
"""
# What the CLI prints (to stderr, exit status 2) when BOT_TOKEN is missing for `run`.
NO_TOKEN_HELP: str = _BOTFATHER_STEPS


class SettingsError(ConfigError):
    """A `ConfigError` from `load_settings` that also says whether the token was missing."""

    def __init__(self, problems: Iterable[str], *, missing_token: bool = False) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.missing_token = missing_token
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True, slots=True)
class Settings:
    """The bot's configuration, validated; see `ENV_VARS` for where each field comes from."""

    bot_token: str = field(default="", repr=False)
    telegram_api_base_url: str = DEFAULT_API_BASE_URL
    database_path: Path = DEFAULT_DATABASE_PATH
    database_url: str | None = field(default=None, repr=False)  # postgresql://…; None: SQLite
    sources_file: Path | None = None  # None: the packaged bot/default_sources.toml
    feed_urls: tuple[str, ...] = ()  # when non-empty they replace the sources file
    poll_interval_seconds: float = 300.0
    log_level: str = "INFO"
    log_format: str = "text"
    broadcast_rate: float = 30.0
    admin_user_ids: frozenset[int] = frozenset()
    http_timeout_seconds: float = 20.0
    max_feed_bytes: int = 5_000_000
    webhook_url: str | None = None  # None: long polling (the default)
    webhook_listen: str = DEFAULT_LISTEN
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)  # None: a new one per start
    metrics_port: int | None = None  # None: no metrics or /healthz endpoint
    metrics_listen: str = DEFAULT_LISTEN
    ping_secret: str | None = field(default=None, repr=False)  # None: pings are off
    health_stall_seconds: float = 300.0
    prune_after_days: float = 90.0  # 0: never prune
    outage_notice_after_seconds: float = 1800.0
    digest_after_seconds: float = 300.0  # a backlog that would take longer to drain: a digest
    give_up_hours: float = 24.0  # network errors and 5xx are retried this long, then failed
    channel_cleanup_seconds: float = 60.0  # channel commands and answers removed after; 0: never
    telegram_proxy: str | None = field(default=None, repr=False)  # may hold a password
    feed_proxy: str | None = field(default=None, repr=False)  # None: HTTPS_PROXY & co. decide
    allow_private_sources: bool = False  # True: sources may be on loopback/private addresses

    @property
    def bot_api_url(self) -> str:
        """The `base_url` python-telegram-bot takes: `<root>/bot` (PTB appends the token)."""
        return f"{self.telegram_api_base_url}/bot"

    @property
    def secrets(self) -> tuple[str, ...]:
        """The values that must never appear in output (for `redact` and `setup_logging`)."""
        urls = (self.telegram_proxy, self.feed_proxy, self.database_url, *self.feed_urls)
        passwords = [p for url in urls if url is not None for p in _url_secrets(url)]
        passwords += [unquote(p) for p in passwords if p]  # as written and as decoded
        return tuple(
            dict.fromkeys(
                s for s in (self.bot_token, self.webhook_secret, self.ping_secret, *passwords) if s
            )
        )


def redact(text: str, secrets: Iterable[str]) -> str:
    """Replace every secret (and its percent-encoded form) in `text` with `<redacted>`.

    For a secret shaped like a bot token (`digits:key`) the key half alone is redacted too.
    Empty secrets are ignored.
    """
    variants: set[str] = set()
    for secret in secrets:
        if not secret:
            continue
        variants.add(secret)
        variants.add(quote(secret, safe=""))
        _, colon, key = secret.rpartition(":")
        if colon and len(key) >= 20:
            variants.add(key)
    for variant in sorted(variants, key=len, reverse=True):
        text = text.replace(variant, REDACTED)
    return text


def http_url_problem(url: str) -> str | None:
    """Say what is wrong with `url` as an absolute http(s) URL, or None when it is fine."""
    if not url:
        return "is empty"
    if any(ch.isspace() for ch in url):
        return f"{_echo(url)} contains whitespace"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError:
        return f"{_echo(url)} is not a valid URL"
    del port
    if parts.scheme.lower() not in ("http", "https"):
        return f"{_echo(url)} must start with http:// or https://"
    if not parts.hostname:
        return f"{_echo(url)} has no host"
    return None


def read_dotenv(path: Path) -> dict[str, str]:
    """Read a `.env` file: KEY=VALUE lines, `#` comments, `export `, quotes; no expansion."""
    values, problems = _read_dotenv(path)
    if problems:
        raise ConfigError("\n".join(problems))
    return values


def load_settings(environ: Mapping[str, str], *, cwd: Path, require_token: bool = True) -> Settings:
    """Build `Settings` from `environ` over `cwd/.env`; raise `SettingsError` listing every problem.

    An empty environment value counts as unset (the `.env` value or the default applies).
    With `require_token=False` a missing or malformed token is not a problem (the token is "").
    """
    env = _Environment(cwd)
    env.read(environ)
    token, missing_token = _token(env.get("BOT_TOKEN"), require_token, env.problems)
    settings = Settings(
        bot_token=token,
        telegram_api_base_url=_base_url(env.get("TELEGRAM_API_BASE_URL"), env.problems),
        database_path=_database_path(env.get("DATABASE_PATH"), cwd, env.problems),
        database_url=_database_url(env.get("DATABASE_URL"), env.problems),
        sources_file=_sources_file(env.get("SOURCES_FILE"), cwd, env.problems),
        feed_urls=_feed_urls(env.get("FEED_URLS"), env.problems),
        poll_interval_seconds=env.number("POLL_INTERVAL_SECONDS", 300.0, POLL_INTERVAL_RANGE),
        log_level=env.choice("LOG_LEVEL", "INFO", LOG_LEVELS, str.upper),
        log_format=env.choice("LOG_FORMAT", "text", LOG_FORMATS, str.lower),
        broadcast_rate=env.number("BROADCAST_RATE", 30.0, BROADCAST_RATE_RANGE),
        admin_user_ids=_admin_ids(env.get("ADMIN_USER_IDS"), env.problems),
        http_timeout_seconds=env.number("HTTP_TIMEOUT_SECONDS", 20.0, HTTP_TIMEOUT_RANGE),
        max_feed_bytes=env.integer("MAX_FEED_BYTES", 5_000_000, MAX_FEED_BYTES_RANGE),
        webhook_url=_webhook_url(env.get("WEBHOOK_URL"), env.problems),
        webhook_listen=_listen("WEBHOOK_LISTEN", env.get("WEBHOOK_LISTEN"), env.problems),
        webhook_port=env.integer("WEBHOOK_PORT", 8443, PORT_RANGE),
        webhook_secret=_webhook_secret(env.get("WEBHOOK_SECRET"), env.problems),
        metrics_port=_optional_port("METRICS_PORT", env.get("METRICS_PORT"), env.problems),
        metrics_listen=_listen("METRICS_LISTEN", env.get("METRICS_LISTEN"), env.problems),
        ping_secret=_ping_secret(env.get("PING_SECRET"), env.problems),
        health_stall_seconds=env.number("HEALTH_STALL_SECONDS", 300.0, HEALTH_STALL_RANGE),
        prune_after_days=env.number("PRUNE_AFTER_DAYS", 90.0, PRUNE_AFTER_DAYS_RANGE),
        outage_notice_after_seconds=env.number(
            "OUTAGE_NOTICE_AFTER_SECONDS", 1800.0, OUTAGE_NOTICE_RANGE
        ),
        digest_after_seconds=env.number("DIGEST_AFTER_SECONDS", 300.0, DIGEST_AFTER_RANGE),
        give_up_hours=env.number("GIVE_UP_HOURS", 24.0, GIVE_UP_HOURS_RANGE),
        channel_cleanup_seconds=env.number("CHANNEL_CLEANUP_SECONDS", 60.0, CHANNEL_CLEANUP_RANGE),
        telegram_proxy=_proxy("TELEGRAM_PROXY", env.get("TELEGRAM_PROXY"), env.problems),
        feed_proxy=_proxy("FEED_PROXY", env.get("FEED_PROXY"), env.problems),
        allow_private_sources=_flag(
            "ALLOW_PRIVATE_SOURCES", env.get("ALLOW_PRIVATE_SOURCES"), env.problems
        ),
    )
    if env.problems:
        secrets = [env.get("BOT_TOKEN")]
        for name in ("DATABASE_URL", "TELEGRAM_PROXY", "FEED_PROXY", "FEED_URLS"):
            secrets += _url_secrets(env.get(name))
        problems = (redact(p, secrets) for p in env.problems)
        raise SettingsError(problems, missing_token=missing_token)
    return settings


class _Environment:
    """The merged settings (the environment over `.env`) and every problem found reading them."""

    def __init__(self, cwd: Path) -> None:
        self.values: dict[str, str] = {}
        self.problems: list[str] = []
        dotenv = cwd / DOTENV_NAME
        if dotenv.exists():
            file_values, file_problems = _read_dotenv(dotenv)
            self.values.update(file_values)
            self.problems.extend(file_problems)

    def read(self, environ: Mapping[str, str]) -> None:
        self.values.update({k: v for k, v in environ.items() if v.strip()})

    def get(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def number(self, name: str, default: float, bounds: tuple[float, float]) -> float:
        return _number(name, self.get(name), default, bounds, self.problems)

    def integer(self, name: str, default: int, bounds: tuple[int, int]) -> int:
        return _integer(name, self.get(name), default, bounds, self.problems)

    def choice(
        self, name: str, default: str, choices: tuple[str, ...], normalise: Callable[[str], str]
    ) -> str:
        return _choice(
            name,
            self.get(name),
            default=default,
            choices=choices,
            normalise=normalise,
            problems=self.problems,
        )


def _token(token: str, required: bool, problems: list[str]) -> tuple[str, bool]:
    """The bot token, or "" with a problem noted; the flag says it is missing altogether."""
    if not token:
        if required:
            problems.append("BOT_TOKEN: not set (get a token from @BotFather)")
        return "", required
    if not _TOKEN_RE.match(token):
        if required:
            problems.append(
                "BOT_TOKEN: does not look like a token from @BotFather (expected digits, a colon, "
                "then at least 20 letters, digits, '_' or '-'; the value is not shown)"
            )
        return "", False
    return token, False


# --- helpers -------------------------------------------------------------------------------


def _echo(value: str) -> str:
    """Quote a user-supplied value for a message: token-like text and credentials hidden, cut to
    a short length."""
    value = _TOKEN_LIKE_RE.sub(REDACTED, _without_password(hide_credentials(value)))
    if len(value) > _ECHO_LIMIT:
        value = value[: _ECHO_LIMIT - 1] + "…"
    return repr(value)


def _base_url(value: str, problems: list[str]) -> str:
    if not value:
        return DEFAULT_API_BASE_URL
    url = value.rstrip("/")
    problem = http_url_problem(url)
    if problem is None:
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            problem = f"{_echo(value)} must not have a query or fragment"
        elif re.search(r"/bot[^/]*$", parts.path):
            problem = (
                f"{_echo(value)} must be the server root (e.g. {DEFAULT_API_BASE_URL}), "
                "without /bot<token>"
            )
    if problem is not None:
        problems.append(f"TELEGRAM_API_BASE_URL: {problem}")
        return DEFAULT_API_BASE_URL
    return url


def _resolve(value: str, cwd: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else cwd / path


def _database_path(value: str, cwd: Path, problems: list[str]) -> Path:
    path = _resolve(value, cwd) if value else cwd / DEFAULT_DATABASE_PATH
    if path.is_dir():
        problems.append(f"DATABASE_PATH: {_echo(str(path))} is a directory, not a file")
    elif path.parent.exists() and not path.parent.is_dir():
        problems.append(f"DATABASE_PATH: {_echo(str(path.parent))} is not a directory")
    return path


def _url_secrets(url: str) -> list[str]:
    """Every secret written in a URL: its password (up to the authority's last "@", or the
    URL's) and its secret-named query values; for a malformed URL too."""
    found = url_secrets(url)
    _, sep, rest = url.partition("://")
    userinfo, at, _ = rest.rpartition("@")
    if sep and at and ":" in userinfo:
        found.append(userinfo.split(":", 1)[1])
    return [secret for secret in found if secret]


def _without_password(url: str) -> str:
    """The URL with its user information cut to the user name (for messages)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    if not sep or not at:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:{REDACTED}@{hostpart}" if ":" in userinfo else url


def _database_url(value: str, problems: list[str]) -> str | None:
    """DATABASE_URL: a ``postgresql://`` URL selects PostgreSQL; empty keeps SQLite."""
    if not value:
        return None
    shown = _echo(value)
    problem = None
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError when out of range or not a number
    except ValueError:
        problem = f"{shown} is not a valid URL"
    else:
        del port
        if any(ch.isspace() for ch in value):
            problem = f"{shown} contains whitespace"
        elif parts.scheme.lower() not in ("postgresql", "postgres"):
            problem = (
                f"{shown} must start with postgresql:// (postgresql://user:password@host/database);"
                " leave it empty to use the SQLite file DATABASE_PATH"
            )
        elif parts.fragment:
            problem = f"{shown} must not have a #fragment"
    if problem is not None:
        problems.append(f"DATABASE_URL: {problem}")
        return None
    return value


def _sources_file(value: str, cwd: Path, problems: list[str]) -> Path | None:
    if not value:
        return None
    path = _resolve(value, cwd)
    if not path.exists():
        problems.append(f"SOURCES_FILE: {_echo(str(path))} does not exist")
    elif not path.is_file():
        problems.append(f"SOURCES_FILE: {_echo(str(path))} is not a file")
    return path


def _feed_urls(value: str, problems: list[str]) -> tuple[str, ...]:
    urls: list[str] = []
    for raw in value.split(","):
        url = raw.strip()
        if not url:
            continue
        problem = http_url_problem(url)
        if problem is not None:
            problems.append(f"FEED_URLS: {problem}")
        elif url not in urls:
            urls.append(url)
    return tuple(urls)


def _number(
    name: str,
    value: str,
    default: float,
    bounds: tuple[float, float],
    problems: list[str],
) -> float:
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        problems.append(f"{name}: {_echo(value)} is not a number")
        return default
    if not math.isfinite(number):
        problems.append(f"{name}: {_echo(value)} is not a finite number")
        return default
    low, high = bounds
    if not low <= number <= high:
        problems.append(f"{name}: {_echo(value)} is out of range ({low:g} to {high:g})")
        return default
    return number


def _integer(
    name: str, value: str, default: int, bounds: tuple[int, int], problems: list[str]
) -> int:
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        problems.append(f"{name}: {_echo(value)} is not a whole number")
        return default
    low, high = bounds
    if not low <= number <= high:
        problems.append(f"{name}: {_echo(value)} is out of range ({low} to {high})")
        return default
    return number


def _choice(
    name: str,
    value: str,
    *,
    default: str,
    choices: tuple[str, ...],
    normalise: Callable[[str], str],
    problems: list[str],
) -> str:
    if not value:
        return default
    chosen = normalise(value)
    if chosen == "WARN":
        chosen = "WARNING"
    if chosen not in choices:
        problems.append(f"{name}: {_echo(value)} is not one of {', '.join(choices)}")
        return default
    return chosen


def _admin_ids(value: str, problems: list[str]) -> frozenset[int]:
    ids: set[int] = set()
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        if not item.isascii() or not item.isdigit() or int(item) == 0:
            problems.append(f"ADMIN_USER_IDS: {_echo(item)} is not a Telegram user id")
            continue
        ids.add(int(item))
    return frozenset(ids)


def _webhook_url(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    problem = http_url_problem(value)
    if problem is not None:
        problems.append(f"WEBHOOK_URL: {problem}")
        return None
    return value


def _webhook_secret(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    if not _WEBHOOK_SECRET_RE.match(value):
        problems.append(
            "WEBHOOK_SECRET: must be 1 to 256 letters, digits, '_' or '-' (the value is not shown)"
        )
        return None
    return value


def _ping_secret(value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    if len(value) < 16 or not _WEBHOOK_SECRET_RE.match(value):
        problems.append(
            "PING_SECRET: must be 16 to 256 letters, digits, '_' or '-' (the value is not shown)"
        )
        return None
    return value


def _optional_port(name: str, value: str, problems: list[str]) -> int | None:
    if not value:
        return None
    return _integer(name, value, 0, PORT_RANGE, problems) or None


def _listen(name: str, value: str, problems: list[str]) -> str:
    if not value:
        return DEFAULT_LISTEN
    if any(ch.isspace() for ch in value) or "/" in value:
        problems.append(f"{name}: {_echo(value)} is not an address to listen on")
        return DEFAULT_LISTEN
    return value


def _read_dotenv(path: Path) -> tuple[dict[str, str], list[str]]:
    """Parse a `.env` file with python-dotenv, returning its values and every problem found.

    Problem descriptions never quote the line, which may hold the token.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return {}, [f"{path}: not UTF-8 text"]
    except OSError as exc:
        return {}, [f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})"]
    values: dict[str, str] = {}
    problems: list[str] = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.error:
            problems.append(f"{path} line {binding.original.line}: expected KEY=VALUE")
        elif binding.key is not None:
            values[binding.key] = binding.value or ""
    return values, problems


def _proxy(name: str, value: str, problems: list[str]) -> str | None:
    if not value:
        return None
    problem = proxy_problem(value)
    if problem is not None:
        problems.append(f"{name}: {_echo(value)} {problem}")  # _echo hides the password
        return None
    return value


def _flag(name: str, value: str, problems: list[str]) -> bool:
    lowered = value.lower()
    if lowered in {"", "0", "false", "no", "off"}:
        return False
    if lowered in {"1", "true", "yes", "on"}:
        return True
    problems.append(f"{name}: {_echo(value)} is not true or false")
    return False
