"""Logging to stdout: key=value text or JSON lines, with every secret redacted.

Text:  `2026-11-24T20:55:32Z INFO poller poll source=… status=not_modified ms=12`
JSON:  `{"ts": "2026-11-24T20:55:32.123Z", "level": "INFO", "logger": "poller", "msg": "…"}`
(plus `exc` when there is a traceback). Loggers under `bot.` are shown without that prefix.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterable
from typing import TextIO

from bot.config import REDACTED, redact
from bot.core.credentials import hide_credentials

# The second fence: anything shaped like `bot<id>:<key>` (a Bot API URL path) is hidden
# even when the token was not passed in as a secret.
_BOT_URL_TOKEN_RE = re.compile(r"bot\d+:[A-Za-z0-9_-]+")
_QUOTE_NEEDED_RE = re.compile(r'[\s"=\\]')

# Always WARNING: httpx logs every request URL, and every Bot API URL holds the token.
_ALWAYS_QUIET = ("httpx", "httpcore")
# WARNING unless the level is DEBUG.
_QUIET_UNLESS_DEBUG = ("telegram", "apscheduler")


class Redactor:
    """Removes the given secrets, any `bot<digits>:<key>` pattern and every credential written in
    a URL (`user:password@`, `?password=…`) from text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(s for s in secrets if s)

    def __call__(self, text: str) -> str:
        """Return `text` with every secret replaced by `<redacted>`."""
        text = hide_credentials(redact(text, self._secrets))
        return _BOT_URL_TOKEN_RE.sub(f"bot{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A handler filter that redacts the message (with its args), traceback and stack text."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redact = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place with secrets removed; never drops a record."""
        message = record.getMessage()
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True


class TextFormatter(logging.Formatter):
    """`<UTC time>Z LEVEL logger message`, traceback on the following lines; redacted."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(shortname)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%SZ"
        )
        self._redact = redactor

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 - overrides logging's name
        """The record's time in UTC, to the second."""
        return time.strftime(datefmt or "%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))

    def format(self, record: logging.LogRecord) -> str:
        """Format the record and redact the whole result."""
        record.shortname = short_name(record.name)
        return self._redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, and exc/stack when present; redacted."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self._redact = redactor

    def format(self, record: logging.LogRecord) -> str:
        """Format the record as one JSON line and redact the whole result."""
        seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
        entry: dict[str, str] = {
            "ts": f"{seconds}.{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": short_name(record.name),
            "msg": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        entry = {key: self._redact(value) for key, value in entry.items()}
        return json.dumps(entry, ensure_ascii=False)


class _BotHandler(logging.StreamHandler[TextIO]):
    """The handler `setup_logging` installs (so a second call replaces it)."""


def setup_logging(
    level: str, fmt: str, secrets: Iterable[str], *, stream: TextIO | None = None
) -> None:
    """Log to stdout (or `stream`) at `level` as "text" or "json", redacting `secrets`."""
    redactor = Redactor(secrets)
    handler = _BotHandler(sys.stdout if stream is None else stream)
    handler.setFormatter(JsonFormatter(redactor) if fmt == "json" else TextFormatter(redactor))
    handler.addFilter(RedactingFilter(redactor))
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _BotHandler)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    level_number = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    root.setLevel(level_number)
    for name in _ALWAYS_QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    quiet = logging.NOTSET if level_number <= logging.DEBUG else logging.WARNING
    for name in _QUIET_UNLESS_DEBUG:
        logging.getLogger(name).setLevel(quiet)


_LAYERS = ("bot.service.", "bot.core.", "bot.net.", "bot.")
"""Prefixes left out of log lines: the package, and the layer folders that only group modules."""


def short_name(logger_name: str) -> str:
    """A logger's name without the `bot.` package prefix (`bot.service.poller` -> `poller`)."""
    for prefix in _LAYERS:
        if logger_name.startswith(prefix):
            return logger_name.removeprefix(prefix)
    return logger_name


def kv(**fields: object) -> str:
    """Format fields as `key=value` pairs; values with spaces, quotes or `=` are JSON-quoted.

    `None` is written as `-`, booleans as `true`/`false`.
    """
    return " ".join(f"{key}={_kv_value(value)}" for key, value in fields.items())


def _kv_value(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if not text or _QUOTE_NEEDED_RE.search(text):
        return json.dumps(text, ensure_ascii=False)
    return text
