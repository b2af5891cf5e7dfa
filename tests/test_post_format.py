"""A chat's teaser format: /format's switches and signature, and the message they make."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.models import Article
from bot.core.post_format import (
    CAPTION_LIMIT,
    FormatError,
    PostFormat,
    format_from_text,
    format_to_text,
    parse_format,
    render_post,
    visible_len,
)
from bot.core.render import MESSAGE_LIMIT, utf16_len
from tests.support.tg_objects import parse_html

SEEN = datetime(2026, 12, 1, tzinfo=UTC)
OUR_TAGS = re.compile(r'</?b>|</?i>|<a href="[^"<>]*">|</a>')


def article(**changes: object) -> Article:
    """A stored article with a title, summary, link and image."""
    fields: dict[str, object] = {
        "id": 1,
        "source_id": 1,
        "source_name": "Socialist Revolution",
        "key": "k",
        "title": "Dockers strike in Santos",
        "summary": "Port workers walked out on Monday.",
        "url": "https://news.example/santos",
        "published": SEEN,
        "seen_at": SEEN,
        "image": "https://news.example/santos.jpg",
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("summary off", PostFormat(summary=False)),
        ("Zusammenfassung aus", PostFormat(summary=False)),
        ("hashtags off", PostFormat(hashtags=False)),
        ("fuente no", PostFormat(source=False)),
        ("photo on", PostFormat(photo=True)),
        ("фото вкл", PostFormat(photo=True)),
        ("bouton oui", PostFormat(button=True)),
        ("signature — Our paper", PostFormat(signature="— Our paper")),
        ("assinatura  Nosso   jornal ", PostFormat(signature="Nosso jornal")),
    ],
)
def test_a_format_switch_is_read_in_every_language(typed: str, expected: PostFormat) -> None:
    """Switch names and on/off read in six languages; a signature keeps its words."""
    assert parse_format(typed, PostFormat()) == expected


def test_signature_off_removes_the_signature_and_keeps_the_rest() -> None:
    """``signature off`` drops only the signature."""
    before = PostFormat(photo=True, signature="Ours")
    assert parse_format("signature off", before) == PostFormat(photo=True)


@pytest.mark.parametrize(
    "typed", ["colour red", "photo maybe", "signature", "signature " + "x" * 201]
)
def test_a_format_request_that_cannot_be_read_is_refused(typed: str) -> None:
    """Unknown switches, states, an empty or over-long signature are refused with a message."""
    with pytest.raises(FormatError) as caught:
        parse_format(typed, PostFormat())
    assert caught.value.message


def test_a_refusal_quotes_what_was_typed() -> None:
    """The refusal repeats exactly what the person typed."""
    with pytest.raises(FormatError) as caught:
        parse_format("Colour <red>", PostFormat())
    assert "'Colour <red>'" in caught.value.message


formats = st.builds(
    PostFormat,
    summary=st.booleans(),
    hashtags=st.booleans(),
    source=st.booleans(),
    photo=st.booleans(),
    button=st.booleans(),
    signature=st.one_of(
        st.none(),
        st.text(min_size=1, max_size=200).map(lambda s: " ".join(s.split()) or None),
    ),
)


@given(fmt=formats)
def test_a_stored_format_reads_back_the_same(fmt: PostFormat) -> None:
    """Every format survives storage as text."""
    assert format_from_text(format_to_text(fmt)) == fmt


def test_the_default_format_is_stored_as_nothing() -> None:
    """The default format needs no stored text."""
    assert format_to_text(PostFormat()) == ""
    assert format_from_text(None) == PostFormat()


@given(
    title=st.text(max_size=2000),
    summary=st.text(max_size=6000),
    source=st.text(max_size=500),
    tags=st.lists(st.text(max_size=80), max_size=8),
    fmt=formats,
)
def test_every_post_fits_telegram_and_escapes_the_feed(
    title: str, summary: str, source: str, tags: list[str], fmt: PostFormat
) -> None:
    """Any feed text and format give a message within 4,096 (a caption within 1,024) visible
    characters, with no markup but ours."""
    post = render_post(article(title=title, summary=summary, source_name=source), fmt, tags=tags)
    limit = CAPTION_LIMIT if post.photo else MESSAGE_LIMIT
    assert visible_len(post.html) <= limit
    assert "<" not in OUR_TAGS.sub("", post.html)
    visible, _ = parse_html(post.html)  # raises on markup Telegram would refuse
    assert utf16_len(visible) == visible_len(post.html)


def test_photo_on_makes_a_caption_for_an_article_with_an_image() -> None:
    """``photo on``: the image is sent with the teaser as its caption; without an image, text."""
    post = render_post(article(summary="word " * 400), PostFormat(photo=True))
    assert post.photo == "https://news.example/santos.jpg"
    assert visible_len(post.html) <= CAPTION_LIMIT
    assert render_post(article(image=None), PostFormat(photo=True)).photo is None
    assert render_post(article(), PostFormat()).photo is None


def test_parts_switched_off_are_left_out() -> None:
    """Summary, source and hashtags each disappear when switched off; the signature is last."""
    full = render_post(article(), PostFormat(), tags=["#Brazil"]).html
    for part in ("Port workers", "Socialist Revolution", "#Brazil"):
        assert part in full
    bare = render_post(
        article(),
        PostFormat(summary=False, source=False, hashtags=False, signature="— <Ours> & co"),
        tags=["#Brazil"],
    ).html
    for part in ("Port workers", "Socialist Revolution", "#Brazil"):
        assert part not in bare
    assert bare.endswith("— &lt;Ours&gt; &amp; co")


def test_button_on_moves_the_link_from_the_title_to_a_read_button() -> None:
    """``button on``: the title is not a link; the post carries the article's URL for a button."""
    post = render_post(article(), PostFormat(button=True))
    assert "<a href" not in post.html
    assert post.button_url == "https://news.example/santos"
    assert render_post(article(), PostFormat()).button_url is None
