"""Logging: the text and JSON line shapes, quiet third-party loggers, and the token redacted."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator

import pytest

from bot.logs import kv, setup_logging, short_name

TOKEN = "123456789:AAEhBOweik6ad9r_Q3zVxWfA-kLm0nOpQrS"
KEY = TOKEN.split(":")[1]
API_URL = f"https://api.telegram.org/bot{TOKEN}/sendMessage"
NAMED = ("httpx", "httpcore", "telegram", "apscheduler")
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ (DEBUG|INFO|WARNING|ERROR) \S+ .*$")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and the named loggers back as they were after each test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in NAMED}
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


def capture(
    fmt: str = "text", level: str = "INFO", secrets: tuple[str, ...] = (TOKEN,)
) -> io.StringIO:
    """Set up logging into a fresh buffer and return it."""
    stream = io.StringIO()
    setup_logging(level, fmt, secrets, stream=stream)
    return stream


def boom() -> None:
    """Raise an error whose message holds the token, like a failed request to its URL."""
    raise RuntimeError(f"request to {API_URL} failed")


def test_text_line_shape() -> None:
    """A text line is `<UTC time>Z LEVEL <logger without bot.> <message>`."""
    stream = capture()
    logging.getLogger("bot.poller").info("poll %s", kv(source="Socialist Revolution", ms=12))
    line = stream.getvalue().rstrip("\n")
    assert TEXT_LINE.match(line), line
    assert line.endswith(' INFO poller poll source="Socialist Revolution" ms=12')


def test_json_line_shape() -> None:
    """A JSON line is one object with ts, level, logger and msg."""
    stream = capture("json")
    logging.getLogger("bot.delivery").warning("deliver %s", kv(chat=-100, outcome="retry"))
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert set(entry) == {"ts", "level", "logger", "msg"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", entry["ts"])
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "delivery"
    assert entry["msg"] == "deliver chat=-100 outcome=retry"


def test_json_has_exc_for_tracebacks() -> None:
    """A logged exception adds `exc` with the traceback to the JSON object."""
    stream = capture("json", secrets=())
    try:
        raise ValueError("bad feed")
    except ValueError:
        logging.getLogger("bot.poller").exception("poll failed")
    entry = json.loads(stream.getvalue())
    assert entry["msg"] == "poll failed"
    assert entry["exc"].startswith("Traceback (most recent call last):")
    assert entry["exc"].endswith("ValueError: bad feed")


def test_level_filters_lines() -> None:
    """Records below the configured level are not written."""
    stream = capture(level="WARNING")
    logging.getLogger("bot.x").info("hidden")
    logging.getLogger("bot.x").error("shown")
    assert [line.split(" ", 3)[3] for line in stream.getvalue().splitlines()] == ["shown"]


def test_token_in_args_is_redacted_in_text() -> None:
    """A token passed as a %-argument never reaches the text output."""
    stream = capture()
    logging.getLogger("bot.app").info("token is %s, url %s", TOKEN, API_URL)
    out = stream.getvalue()
    assert TOKEN not in out
    assert KEY not in out
    assert "token is <redacted>, url https://api.telegram.org/bot<redacted>/sendMessage" in out


def test_token_in_message_is_redacted_in_json() -> None:
    """A token in the message never reaches the JSON output."""
    stream = capture("json")
    logging.getLogger("bot.app").info(f"starting with {TOKEN}")
    out = stream.getvalue()
    assert KEY not in out
    assert json.loads(out)["msg"] == "starting with <redacted>"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_token_in_traceback_is_redacted(fmt: str) -> None:
    """A token inside an exception's message is redacted from the logged traceback."""
    stream = capture(fmt)
    try:
        boom()
    except RuntimeError:
        logging.getLogger("bot.telegram.app").exception("update failed")
    out = stream.getvalue()
    assert "RuntimeError: request to https://api.telegram.org/bot<redacted>/sendMessage" in out
    assert KEY not in out


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_httpx_style_url_redacted_without_the_secret(fmt: str) -> None:
    """The `bot<id>:<key>` pattern is redacted even when the token was not given as a secret."""
    stream = capture(fmt, secrets=())
    logging.getLogger("bot.sender").warning(
        'HTTP Request: %s %s "%s"', "POST", API_URL, "HTTP/1.1 200 OK"
    )
    out = stream.getvalue()
    assert KEY not in out
    assert "https://api.telegram.org/bot<redacted>/sendMessage" in out


def test_percent_encoded_token_is_redacted() -> None:
    """A token whose colon was percent-encoded in a URL is redacted too."""
    stream = capture()
    logging.getLogger("bot.x").info("GET /x?t=%s", TOKEN.replace(":", "%3A"))
    assert KEY not in stream.getvalue()


def test_redaction_also_protects_other_handlers(caplog: pytest.LogCaptureFixture) -> None:
    """The filter rewrites the record itself, so records other handlers keep are redacted too."""
    capture()
    with caplog.at_level(logging.INFO):
        logging.getLogger("bot.x").info("t=%s", TOKEN)
    assert caplog.messages == ["t=<redacted>"]


def test_httpx_and_httpcore_stay_quiet_even_at_debug() -> None:
    """httpx and httpcore are held at WARNING at every level: their request lines hold the token."""
    stream = capture(level="DEBUG", secrets=())
    logging.getLogger("httpx").info('HTTP Request: POST %s "HTTP/1.1 200 OK"', API_URL)
    logging.getLogger("httpcore.http11").debug("send_request_headers.started")
    assert stream.getvalue() == ""
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING


def test_telegram_and_apscheduler_quiet_unless_debug() -> None:
    """telegram and apscheduler log at WARNING unless the level is DEBUG."""
    stream = capture(level="INFO")
    logging.getLogger("telegram.ext.Application").info("Application started")
    logging.getLogger("apscheduler.scheduler").info("Scheduler started")
    assert stream.getvalue() == ""
    stream = capture(level="DEBUG")
    logging.getLogger("telegram.ext.Application").debug("Application started")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert " DEBUG telegram.ext.Application Application started" in lines[0]


def test_setup_twice_keeps_one_handler() -> None:
    """Calling setup_logging again replaces its handler instead of adding a second."""
    first = capture()
    second = capture("json")
    logging.getLogger("bot.x").warning("once")
    assert first.getvalue() == ""
    assert len(second.getvalue().splitlines()) == 1


def test_setup_writes_to_stdout_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a stream, lines go to stdout and nothing to stderr."""
    setup_logging("INFO", "text", [TOKEN])
    logging.getLogger("bot.x").warning("to stdout %s", TOKEN)
    out, err = capsys.readouterr()
    assert out.endswith(" WARNING x to stdout <redacted>\n")
    assert err == ""


def test_kv_formats_pairs() -> None:
    """kv writes key=value pairs, quoting values with spaces, quotes, `=` or newlines."""
    assert kv(source="a b", status=304, ms=12.5, ok=True, new=None, empty="") == (
        'source="a b" status=304 ms=12.5 ok=true new=- empty=""'
    )
    assert kv(title='say "hi"\nnow', q="a=b") == r'title="say \"hi\"\nnow" q="a=b"'


def test_short_name_drops_the_package_prefix() -> None:
    """Logger names lose the `bot.` prefix and nothing else."""
    assert short_name("bot.poller") == "poller"
    assert short_name("bot.telegram.sender") == "telegram.sender"
    assert short_name("telegram.ext.Updater") == "telegram.ext.Updater"
