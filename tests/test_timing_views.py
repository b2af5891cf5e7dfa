"""The views of /schedule, /quiet and /format stay within Telegram's limits for any input."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core import i18n
from bot.core.chat_schedule import DailyAt, EveryHours, Instant, QuietHours
from bot.core.chat_settings import ChatSettings
from bot.core.models import Article, Chat, ChatKind, RegionFilter
from bot.core.post_format import SIGNATURE_CHARS, PostFormat, render_post
from bot.telegram.timing_views import format_view, quiet_view, schedule_view
from bot.telegram.views import View
from tests.support.tg_objects import parse_html, utf16_len

NOW = datetime(2026, 3, 29, 0, 30, tzinfo=UTC).timestamp()  # the night Europe's clocks change
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
ZONES = st.sampled_from(["UTC", "Europe/Madrid", "America/Sao_Paulo", "Asia/Kolkata"])
SCHEDULES = st.one_of(
    st.just(Instant()),
    st.integers(1, 24).map(EveryHours),
    st.builds(DailyAt, st.integers(0, 23), st.integers(0, 59), ZONES),
)
QUIETS = st.none() | st.builds(
    QuietHours, st.integers(0, 1439), st.integers(0, 1439), ZONES, st.booleans()
).filter(lambda q: q.start != q.end)
FORMATS = st.builds(
    PostFormat,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.none() | TEXT.map(lambda t: t[:SIGNATURE_CHARS] or None),
)


def _chat(title: str, username: str | None, settings_: ChatSettings, kind: ChatKind) -> Chat:
    return Chat(
        -1001234567890123,
        kind,
        title or None,
        username,
        None,
        False,
        RegionFilter(),
        True,
        settings=settings_,
    )


def _within_limits(view: View) -> None:
    plain, _ = parse_html(view.text)  # raises on markup Telegram would refuse
    assert 0 < utf16_len(plain) <= 4096
    assert view.keyboard is not None
    for row in view.keyboard.inline_keyboard:
        for button in row:
            assert button.callback_data is None or len(str(button.callback_data).encode()) <= 64
            assert 0 < len(button.text) <= 120


@settings(max_examples=150, deadline=None)
@given(
    title=TEXT.map(lambda t: t[:255]),
    username=st.none() | st.from_regex(r"[A-Za-z][A-Za-z0-9_]{4,31}", fullmatch=True),
    schedule=SCHEDULES,
    quiet=QUIETS,
    zone=st.none() | ZONES,
    fmt=FORMATS,
    headline=TEXT,
    summary=TEXT,
    source=TEXT,
    kind=st.sampled_from([ChatKind.PRIVATE, ChatKind.SUPERGROUP, ChatKind.CHANNEL]),
    language=st.sampled_from(sorted(i18n.LANGUAGES)),
    remote=st.booleans(),
)
def test_views_fit_telegrams_limits(
    title: str,
    username: str | None,
    schedule: DailyAt | EveryHours | Instant,
    quiet: QuietHours | None,
    zone: str | None,
    fmt: PostFormat,
    headline: str,
    summary: str,
    source: str,
    kind: ChatKind,
    language: str,
    remote: bool,
) -> None:
    """Whatever the chat's name, choices and the latest story: valid HTML within 4,096
    characters, and button data within 64 bytes, in every language."""
    try:
        _check_views(
            title,
            username,
            schedule,
            quiet,
            zone,
            fmt,
            (headline, summary, source),
            kind,
            language,
            remote,
        )
    finally:
        i18n.use("en")


def _check_views(
    title: str,
    username: str | None,
    schedule: DailyAt | EveryHours | Instant,
    quiet: QuietHours | None,
    zone: str | None,
    fmt: PostFormat,
    story: tuple[str, str, str],
    kind: ChatKind,
    language: str,
    remote: bool,
) -> None:
    headline, summary, source = story
    i18n.use(language)
    chosen = ChatSettings(schedule=schedule, quiet=quiet, post_format=fmt, time_zone=zone)
    chat = _chat(title, username, chosen, kind)
    article = Article(
        1,
        1,
        source,
        "k",
        headline,
        summary,
        "https://news.example/a?b=1&c=<2>",
        None,
        datetime.fromtimestamp(NOW, UTC),
        image="https://news.example/a.jpg",
    )
    post = render_post(article, fmt, tags=["#Spain", "#Europe"])
    for back in (None, "settings"):
        _within_limits(schedule_view(chat, NOW, back=back, remote=remote))
        _within_limits(quiet_view(chat, NOW, back=back, remote=remote))
        _within_limits(format_view(chat, post, back=back, remote=remote, note="✅"))
