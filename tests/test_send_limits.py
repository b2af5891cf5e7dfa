"""What the delivery engine sends passes Telegram's checks for any feed text and any format:
the teaser in the chat's format (a photo's caption, the text without the photo, the plain-text
fallback) and scheduled digests grouped by region, checked by the fake Bot API's own rules."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.chat_settings import ChatSettings
from bot.core.delivery_plan import Unit, digest_heading
from bot.core.digest import pack_digest, region_section
from bot.core.models import Article, Chat, ChatKind, Delivery, RegionFilter
from bot.core.post_format import PostFormat
from bot.service.delivery import _Teasers
from tests.support.fake_telegram import MAX_CAPTION_LENGTH, MAX_TEXT_LENGTH, FakeTelegram

SEEN = datetime(2026, 12, 1, tzinfo=UTC)
FAKE = FakeTelegram()  # not started: only its checks of a message's text are used
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=3000)
countries = st.lists(st.sampled_from(["RU", "FR", "IQ", "US", "BR", "XX"]), max_size=3)
formats = st.builds(
    PostFormat,
    summary=st.booleans(),
    hashtags=st.booleans(),
    source=st.booleans(),
    photo=st.booleans(),
    button=st.booleans(),
    signature=st.one_of(st.none(), st.text(min_size=1, max_size=200)),
)


def article(number: int, title: str, summary: str, source: str, places: list[str]) -> Article:
    return Article(
        id=number,
        source_id=1,
        source_name=source,
        key=str(number),
        title=title,
        summary=summary,
        url=f"https://news.example/{number}?a=<&b>",
        published=None,
        seen_at=SEEN,
        image="https://news.example/i.jpg?x=<&>",
        countries=tuple(places),
    )


def chat(fmt: PostFormat) -> Chat:
    return Chat(1, ChatKind.CHANNEL, "C", None, None, True, RegionFilter(), True,
                settings=ChatSettings(post_format=fmt))  # fmt: skip


def accepted(text: str, *, html: bool, caption: bool) -> None:
    """Raise as Telegram would refuse the text (markup, length) of a message or a caption."""
    field = "caption" if caption else "text"
    limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
    FAKE._format_text(
        {field: text, "parse_mode": "HTML" if html else None}, field=field, limit=limit
    )


@settings(max_examples=150, deadline=None)
@given(texts, texts, st.text(max_size=300), st.lists(texts, max_size=6), formats, st.booleans())
def test_a_teaser_in_any_format_passes_telegrams_checks(
    title: str, summary: str, source: str, tags: list[str], fmt: PostFormat, refused: bool
) -> None:
    """The message, the caption, the text sent when the photo is refused and the plain text
    sent when the HTML is refused each pass the Bot API's checks of markup and length."""
    story = article(1, title, summary, source, [])
    teasers = _Teasers(lambda _article: tags)
    row = Delivery(1, chat(fmt), story, 0, 0.0)
    unit = Unit((row,), 0, text_only=refused)
    text, photo, _ = teasers.message(unit, row.chat)
    assert (photo is not None) == (fmt.photo and not refused)
    accepted(text, html=True, caption=photo is not None)
    plain, no_photo, _ = teasers.message(Unit((row,), 1, as_plain=True), row.chat)
    assert no_photo is None
    accepted(plain, html=False, caption=False)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(texts, texts, st.text(max_size=60), countries), min_size=1, max_size=80),
    st.sampled_from(["en", "de", "ru", None]),
    st.one_of(st.none(), st.text(min_size=1, max_size=200)),
)
def test_a_scheduled_digest_by_region_passes_telegrams_checks(
    stories: list[tuple[str, str, str, list[str]]], language: str | None, signature: str | None
) -> None:
    """Any stories grouped by region, with any signature: every part passes the checks (HTML
    and plain), every story is in exactly one part, each title a link."""
    articles = [article(n, t, s, src, c) for n, (t, s, src, c) in enumerate(stories)]
    section = region_section(language)
    parts = pack_digest(articles, digest_heading, section=section, signature=signature)
    assert sorted(a.id for part in parts for a in part.articles) == list(range(len(articles)))
    for part in parts:
        accepted(part.html, html=True, caption=False)
        accepted(part.plain, html=False, caption=False)
        assert part.html.count("<a href=") == len(part.articles)
