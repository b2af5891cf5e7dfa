"""Digest packing: every story exactly once, in order, each message within Telegram's limit."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.delivery_plan import digest_heading
from bot.core.digest import pack_digest, utf16_len
from bot.core.models import Article
from bot.core.render import MESSAGE_LIMIT
from tests.support.tg_objects import parse_html

SEEN = datetime(2026, 1, 1, tzinfo=UTC)


def article(number: int, title: str, summary: str, source: str = "News") -> Article:
    return Article(
        id=number,
        source_id=1,
        source_name=source,
        key=str(number),
        title=title,
        summary=summary,
        url=f"https://news.example/{number}?q=<&>",
        published=None,
        seen_at=SEEN,
    )


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=700)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, texts, st.text(max_size=60)), min_size=1, max_size=120))
def test_every_story_lands_in_exactly_one_part_within_the_limit(
    stories: list[tuple[str, str, str]],
) -> None:
    """For any stories (emoji, markup characters, long text), parts fit and lose nothing."""
    articles = [article(n, t, s, src or "News") for n, (t, s, src) in enumerate(stories)]
    parts = pack_digest(articles, digest_heading)
    assert [a.id for part in parts for a in part.articles] == [a.id for a in articles]
    for part in parts:
        assert utf16_len(part.plain) <= MESSAGE_LIMIT
        visible, entities = parse_html(part.html)  # raises on markup Telegram would refuse
        assert utf16_len(visible) <= MESSAGE_LIMIT
        assert sum(e["type"] == "text_link" for e in entities) == len(part.articles)


def test_many_short_stories_share_few_messages() -> None:
    """Two hundred teasers fit in a handful of messages, each numbered as a part."""
    articles = [article(n, f"Headline {n}", "One sentence of summary. " * 5) for n in range(200)]
    parts = pack_digest(articles, digest_heading)
    assert 5 <= len(parts) <= 25
    count = len(parts[0].articles)
    assert parts[0].plain.startswith(f"🗞 News digest: {count} stories (part 1 of {len(parts)})")
    assert '<a href="https://news.example/0?q=&lt;&amp;&gt;">Headline 0</a>' in parts[0].html


HOSTILE_URLS = [
    'https://news.example/a"><b>x</b>',
    "https://news.example/b?x=1&y='2'",
    'https://news.example/c" onclick="alert(1)',
    "https://news.example/d<script>",
]


def test_a_digest_with_hostile_links_keeps_each_links_whole_target() -> None:
    """A link with quotes, ampersands or tags lands intact in the digest's href, as in teasers."""
    articles = [
        Article(
            id=n,
            source_id=1,
            source_name="News",
            key=str(n),
            title=f"Story {n}",
            summary="",
            url=url,
            published=None,
            seen_at=SEEN,
        )
        for n, url in enumerate(HOSTILE_URLS, start=1)
    ]
    [part] = pack_digest(articles, digest_heading)
    text, entities = parse_html(part.html)
    links = [entity["url"] for entity in entities if entity["type"] == "text_link"]
    assert links == HOSTILE_URLS
    assert "onclick" not in text


def test_a_digest_writes_no_link_for_a_non_web_url() -> None:
    """A javascript: or relative link becomes plain bold text, never an href."""
    bad = Article(
        id=1,
        source_id=1,
        source_name="News",
        key="1",
        title="Trap",
        summary="",
        url="javascript:alert(1)",
        published=None,
        seen_at=SEEN,
    )
    [part] = pack_digest([bad, article(2, "Fine", "")], digest_heading)
    assert "javascript" not in part.html
    assert "<b>Trap</b>" in part.html


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            texts, texts, st.sampled_from(["Latin America", "Europe", "<Asia> & co", "x" * 90])
        ),
        min_size=1,
        max_size=80,
    )
)
def test_a_digest_grouped_by_section_fits_and_keeps_each_section_together(
    stories: list[tuple[str, str, str]],
) -> None:
    """Grouped by region, every story appears once, sections stay contiguous and in the order
    they first appear, each part fits and names the section it continues."""
    articles = [article(n, t, s, source=sec) for n, (t, s, sec) in enumerate(stories)]
    parts = pack_digest(articles, digest_heading, section=lambda a: a.source_name)
    ids = [a.id for part in parts for a in part.articles]
    assert sorted(ids) == [a.id for a in articles]
    sections = [a.source_name for part in parts for a in part.articles]
    first_seen = list(dict.fromkeys(a.source_name for a in articles))
    assert list(dict.fromkeys(sections)) == first_seen
    assert sections == sorted(sections, key=first_seen.index)
    for part in parts:
        assert utf16_len(part.plain) <= MESSAGE_LIMIT
        visible, _ = parse_html(part.html)
        assert utf16_len(visible) <= MESSAGE_LIMIT
        assert part.plain.split("\n\n")[1] == part.articles[0].source_name


def test_a_digest_names_each_section_once() -> None:
    """Two regions, three stories: two section lines, each above its own stories."""
    articles = [
        article(1, "Strike in Santos", "", source="Latin America"),
        article(2, "Vote in Berlin", "", source="Europe"),
        article(3, "March in Lima", "", source="Latin America"),
    ]
    (part,) = pack_digest(articles, digest_heading, section=lambda a: a.source_name)
    lines = part.plain.split("\n\n")
    assert lines[1] == "Latin America"
    assert lines[2].startswith("• Strike in Santos")
    assert lines[3].startswith("• March in Lima")
    assert lines[4] == "Europe"
    assert lines[5].startswith("• Vote in Berlin")
