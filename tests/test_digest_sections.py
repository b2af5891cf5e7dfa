"""How a scheduled digest is grouped: by region, or by topic for a chat that chose topics only."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.core.chat_settings import ChatSettings
from bot.core.delivery_plan import digest_heading
from bot.core.digest import chat_section, pack_digest
from bot.core.models import Article, Chat, ChatKind, RegionFilter
from bot.core.topics import TopicFilter, display_name

SEEN = datetime(2026, 1, 1, tzinfo=UTC)


def article(number: int, **changes: object) -> Article:
    story = Article(number, 1, "News", str(number), "T", "S", None, None, SEEN)
    return replace(story, **changes)  # type: ignore[arg-type]


def test_a_chat_that_chose_topics_only_gets_its_digest_by_topic() -> None:
    """Topics chosen and every region: sections are the chat's topics in its language; a story
    without topics goes under its region."""
    chosen = ChatSettings(topics=TopicFilter(frozenset({"labour", "war"})))
    chat = Chat(1, ChatKind.PRIVATE, None, None, None, True, RegionFilter(), True,
                language="de", settings=chosen)  # fmt: skip
    strike = article(1, topics=("economy", "labour"), countries=("RU",))
    assert chat_section(chat)(strike) == display_name("labour", "de")
    assert chat_section(chat)(article(2, countries=("RU",))) == "Osteuropa"


def test_a_chat_that_chose_regions_gets_its_digest_by_region() -> None:
    """Regions chosen (with or without topics): sections are regions; none known: International."""
    chosen = ChatSettings(topics=TopicFilter(frozenset({"labour"})))
    chat = Chat(1, ChatKind.CHANNEL, None, None, None, True, RegionFilter(frozenset({"150"})),
                True, settings=chosen)  # fmt: skip
    assert chat_section(chat)(article(1, topics=("labour",), countries=("FR",))) == "Western Europe"
    assert chat_section(chat)(article(2)) == "International"


def test_every_digest_part_ends_with_the_chats_signature() -> None:
    """A signature (escaped) is the last line of each part of a digest."""
    stories = [article(n, title=f"Story {n}", summary="Long words. " * 30) for n in range(80)]
    parts = pack_digest(stories, digest_heading, signature="— Our <paper>")
    assert len(parts) > 1
    for part in parts:
        assert part.html.endswith("\n\n— Our &lt;paper&gt;")
        assert part.plain.endswith("\n\n— Our <paper>")
