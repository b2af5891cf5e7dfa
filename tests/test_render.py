"""Teaser rendering: escaping, cutting, and Telegram's limits."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.core.models import Article
from bot.core.render import MESSAGE_LIMIT, article_list, shorten, teaser, teaser_plain


def article(
    title: str = "Title", summary: str = "Summary", url: str | None = "https://x.example/a"
) -> Article:
    return Article(
        id=1,
        source_id=1,
        source_name="Socialist Revolution",
        key="k",
        title=title,
        summary=summary,
        url=url,
        published=None,
        seen_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def visible(html_text: str) -> str:
    """What Telegram shows: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_teaser_has_bold_linked_title_summary_and_source() -> None:
    """A teaser is the bold linked title, the summary, then the source name and hashtags."""
    text = teaser(article(), tags=["#Russia", "#EasternEurope"])
    assert text.startswith('<b><a href="https://x.example/a">Title</a></b>\n\nSummary\n\n')
    assert text.endswith("<i>Socialist Revolution</i> #Russia #EasternEurope")


def test_feed_text_is_escaped() -> None:
    """Feed text with <, & and Telegram tags is shown as text, never as markup."""
    text = teaser(article(title="<b>Bold</b> & co", summary="<a href='x'>link</a>"))
    assert "<b>Bold</b>" not in text
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in text
    assert "&lt;a href='x'&gt;link&lt;/a&gt;" in text


def test_link_with_quotes_cannot_break_out_of_the_attribute() -> None:
    """A URL containing a quote is escaped inside href."""
    text = teaser(article(url='https://x.example/a"><b>pwn'))
    assert 'href="https://x.example/a&quot;&gt;&lt;b&gt;pwn"' in text


def test_non_http_links_are_not_linked() -> None:
    """A javascript: URL is never put into a link."""
    text = teaser(article(url="javascript:alert(1)"))
    assert "href" not in text


def test_summary_is_cut_at_a_word_boundary_near_300_chars() -> None:
    """Long summaries are cut at a word boundary to about 300 characters, with an ellipsis."""
    words = " ".join(f"word{i}" for i in range(200))
    cut = shorten(words, 300)
    assert len(cut) <= 300
    assert cut.endswith("…")
    assert cut[:-1].split(" ")[-1] in words.split(" ")


def test_short_text_is_unchanged_but_whitespace_collapsed() -> None:
    """Text within the limit is kept whole, with whitespace collapsed."""
    assert shorten("  a\n\n b  c ", 300) == "a b c"


def test_sentence_end_is_preferred_when_close_to_the_limit() -> None:
    """A cut prefers the end of a sentence in the last third of the window."""
    text = "A" * 250 + ". Next sentence continues for a while beyond the limit of the summary."
    assert shorten(text, 300) == "A" * 250 + "."


def test_plain_teaser_has_the_link_as_text() -> None:
    """The plain-text fallback carries the title, summary and URL without markup."""
    text = teaser_plain(article(title="<b>T</b>"))
    assert text.splitlines()[0] == "<b>T</b>"
    assert "https://x.example/a" in text


@given(st.text(max_size=3000), st.text(max_size=6000))
def test_teaser_always_fits_telegram(title: str, summary: str) -> None:
    """Whatever the feed sends, a teaser fits in one Telegram message."""
    assert len(visible(teaser(article(title=title, summary=summary)))) <= MESSAGE_LIMIT


@given(st.lists(st.tuples(st.text(max_size=400), st.text(max_size=800)), max_size=25))
def test_article_list_always_fits_telegram(entries: list[tuple[str, str]]) -> None:
    """A /latest list never exceeds Telegram's message limit."""
    articles = [article(title=t, summary=s) for t, s in entries]
    assert len(visible(article_list(articles, heading="Latest"))) <= MESSAGE_LIMIT
