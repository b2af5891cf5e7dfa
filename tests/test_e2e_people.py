"""End to end with the real bot process: the conversation as readers and admins meet it (issue 10).

Each test walks one flow the way a reader, a group admin or a channel admin would, against the
fake Bot API, and checks the reply's key facts and the buttons' state.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from bot.core import texts
from bot.telegram.views import Action
from tests.support.backends import BACKENDS
from tests.support.bot_process import REPO, BotProcess
from tests.support.chat_harness import button_data, button_labels
from tests.support.deadlines import deadline
from tests.support.fake_telegram import CallbackAnswer, FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER, OWNER, OPERATOR = 1201, 1202, 1203
CHANNEL = -1001300
FEED_TITLE = "Socialist Revolution"

OLD = {"title": "An old story", "link": "https://news.example/old", "guid": "old"}
RUSSIA = {
    "title": "Winter of Russian Discontent Begins",
    "link": "https://news.example/russia",
    "guid": "russia",
    "description": "The social crisis in Russia has reached new levels.",
    "category": "Russia",
}
MYANMAR = {
    "title": "Myanmar Coup: Another Nail in the Coffin of Liberalism",
    "link": "https://news.example/myanmar",
    "guid": "myanmar",
    "description": "Myanmar's generals have killed the illusion of a peaceful transition.",
    "category": "Myanmar",
    "image": "https://news.example/myanmar.jpg",
}
BRITAIN = {
    "title": "Strike wave in Britain",
    "link": "https://news.example/britain",
    "guid": "britain",
    "description": "Rail workers in the United Kingdom walked out again.",
    "category": "United Kingdom",
}
USA = {
    "title": "Teachers strike across the United States",
    "link": "https://news.example/usa",
    "guid": "usa",
    "description": "Teachers in the United States demand higher pay.",
    "category": "United States",
}


# ---------------------------------------------------------------- helpers


def _start(telegram: FakeTelegram, feeds: FeedServer, bot: BotProcess, **env: str) -> None:
    feeds.set("/feed.xml", rss([OLD], title=FEED_TITLE))
    bot.env.update(env)
    bot.start()
    bot.wait_for(r"poll source=.* status=ok .*baseline=True")


def _publish(feeds: FeedServer, *items: dict[str, str]) -> None:
    feeds.set("/feed.xml", rss([*items, OLD], title=FEED_TITLE))


def _say(telegram: FakeTelegram, user: int, text: str) -> SentMessage:
    """A user writes in their private chat; return the bot's (first) answer."""
    before = len(telegram.messages(user))
    telegram.send_message(user, user, text)
    return telegram.wait_for_messages(user, before + 1)[before]


def _current(telegram: FakeTelegram, chat: int, message_id: int) -> SentMessage:
    return next(m for m in telegram.messages(chat) if m.message_id == message_id)


def _tap(telegram: FakeTelegram, user: int, message: SentMessage, data: str) -> CallbackAnswer:
    """Press a button under a private message; wait for the answer and the edit or new message."""
    answers = len(telegram.callback_answers)
    edits = _current(telegram, user, message.message_id).edits
    sent = len(telegram.messages(user))
    telegram.press_button(user, user, message.message_id, data)
    assert telegram.wait_until(
        lambda: (
            len(telegram.callback_answers) > answers
            and (
                _current(telegram, user, message.message_id).edits > edits
                or len(telegram.messages(user)) > sent
            )
        )
    )
    return telegram.callback_answers[answers]


def _teasers(telegram: FakeTelegram, chat: int) -> list[SentMessage]:
    return [m for m in telegram.messages(chat) if "news.example" in m.raw_text]


def _bold_nested(raw: str) -> bool:
    depth = 0
    for tag in re.findall(r"</?b>", raw):
        depth += 1 if tag == "<b>" else -1
        if depth > 1:
            return True
    return False


# ---------------------------------------------------------------- 1. choosing regions subscribes


def test_channel_admin_types_regions_and_the_channel_gets_its_posts(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/region @channel europe subscribes the channel (it then gets the Europe story only);
    /stop @channel unsubscribes it and nothing more arrives."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(
        CHANNEL, "World News Digest", "worldnews", creator=OWNER, bot_status="left"
    )
    _start(telegram, feeds, bot_process)
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="administrator")
    welcome = telegram.wait_for_messages(OWNER, 1)[0]
    assert "World News Digest" in welcome.text
    assert "/region @worldnews europe asia" in welcome.text
    assert button_labels(welcome) == ["🔔 Subscribe: World News Digest", "🌍"]

    answer = _say(telegram, OWNER, "/region @worldnews europe")
    assert answer.text == (
        "World News Digest is subscribed: Europe. /stop @worldnews unsubscribes."
    )
    _publish(feeds, MYANMAR, RUSSIA)
    assert telegram.wait_until(lambda: bool(_teasers(telegram, CHANNEL)), timeout=15)
    bot_process.wait_for(r"deliver batch sent=")
    time.sleep(0.5)
    [teaser] = _teasers(telegram, CHANNEL)
    assert teaser.text.startswith("Winter of Russian Discontent")

    stopped = _say(telegram, OWNER, "/stop @worldnews")
    assert stopped.text.startswith("World News Digest is unsubscribed")
    assert "/start @worldnews" in stopped.text
    _publish(feeds, BRITAIN, MYANMAR, RUSSIA)
    bot_process.wait_for(r"poll source=.* new=1 queued=0")
    time.sleep(0.5)
    assert len(_teasers(telegram, CHANNEL)) == 1
    assert bot_process.terminate() == 0


def test_region_buttons_for_a_channel_subscribe_it(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """🌍 under the channel welcome, then a region tap: the channel is subscribed, and the toast
    and the text say so; Unsubscribe in /channels stops it again."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(
        CHANNEL, "World News Digest", "worldnews", creator=OWNER, bot_status="left"
    )
    _start(telegram, feeds, bot_process)
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="administrator")
    welcome = telegram.wait_for_messages(OWNER, 1)[0]
    _tap(telegram, OWNER, welcome, button_data(welcome, Action.REGION_PAGE, "root"))
    chooser = _current(telegram, OWNER, welcome.message_id)
    assert "Not subscribed yet" in chooser.text
    toast = _tap(telegram, OWNER, chooser, button_data(chooser, Action.REGION_TOGGLE, "150"))
    assert toast.text == "Europe added; subscribed"
    assert not toast.show_alert
    chooser = _current(telegram, OWNER, welcome.message_id)
    assert "Regions for World News Digest: Europe\nSubscribed." in chooser.text
    assert "☑ Europe" in button_labels(chooser)
    _publish(feeds, RUSSIA, MYANMAR)
    assert telegram.wait_until(lambda: bool(_teasers(telegram, CHANNEL)), timeout=15)
    assert _teasers(telegram, CHANNEL)[0].text.startswith("Winter of Russian Discontent")

    _tap(telegram, OWNER, chooser, button_data(chooser, Action.CHANNELS))
    listing = _current(telegram, OWNER, welcome.message_id)
    assert "World News Digest: subscribed, regions: Europe" in listing.text
    toast = _tap(telegram, OWNER, listing, button_data(listing, Action.CHANNEL_TOGGLE))
    assert toast.text == texts.TOAST_UNSUBSCRIBED
    listing = _current(telegram, OWNER, welcome.message_id)
    assert "World News Digest: not subscribed, regions: Europe" in listing.text
    assert "🔔 Subscribe: World News Digest" in button_labels(listing)
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 2. never silent


def test_every_private_message_gets_a_useful_answer(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A typo'd command gets "Did you mean", plain text the main commands, a link the list of
    sites; only an operator is pointed to /addsource."""
    telegram.add_user(READER, "Rosa")
    telegram.add_user(OPERATOR, "Otto")
    _start(telegram, feeds, bot_process, ADMIN_USER_IDS=str(OPERATOR))
    bot_process.wait_for(r"poll source=.* status=(ok|not_modified)", count=2)

    assert _say(telegram, READER, "/regoin").text == "I don't know /regoin. Did you mean /region?"
    assert _say(telegram, READER, "/lates 5").text == "I don't know /lates. Did you mean /latest?"
    assert (
        _say(telegram, READER, "/xyzzy").text == "I don't know /xyzzy. /help lists what I can do."
    )
    hint = _say(telegram, READER, "hello")
    for command in ("/latest", "/region", "/settings", "/help"):
        assert command in hint.text
    link = "https://example.com/2024/some-article"
    about_link = _say(telegram, READER, f"Can you post this? {link}")
    assert "fixed list of news sites" in about_link.text
    assert f"• {FEED_TITLE} (127.0.0.1)" in about_link.text
    assert "/addsource" not in about_link.text
    for_operator = _say(telegram, OPERATOR, link)
    assert f"/addsource {link}" in for_operator.text
    assert f"• {FEED_TITLE} (127.0.0.1)" in for_operator.text
    # Commands with their own handlers get one answer, not a second from the fallback.
    count = len(telegram.messages(READER))
    telegram.send_message(READER, READER, "/help")
    telegram.wait_for_messages(READER, count + 1)
    time.sleep(0.5)
    assert len(telegram.messages(READER)) == count + 1
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 4 and 5. names people use


def test_regions_tree_and_hashtags_use_the_names_people_use(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/regions is continent -> parts with no zero counts; teasers carry #UK #Britain #Europe,
    #USA #NorthAmerica, #Myanmar #SoutheastAsia, then their topics (#Labour); "International"
    is one name everywhere."""
    telegram.add_user(READER, "Rosa")
    _start(telegram, feeds, bot_process)
    _say(telegram, READER, "/start")
    _publish(feeds, RUSSIA, MYANMAR, BRITAIN, USA)
    assert telegram.wait_until(lambda: len(_teasers(telegram, READER)) == 4, timeout=15)
    tags = {m.text.split("\n")[0]: m.text.rsplit("\n", 1)[-1] for m in _teasers(telegram, READER)}
    # Places first, then topics (which topics: tests/test_topics.py).
    assert tags["Strike wave in Britain"] == f"{FEED_TITLE} #UK #Britain #Europe #Labour"
    usa = tags["Teachers strike across the United States"]
    assert usa.startswith(f"{FEED_TITLE} #USA #NorthAmerica #Labour")
    assert tags[MYANMAR["title"]].startswith(f"{FEED_TITLE} #Myanmar #SoutheastAsia")
    assert tags[RUSSIA["title"]].startswith(f"{FEED_TITLE} #Russia #EasternEurope")
    assert not any("Northern" in t or "Eastern Asia" in t for t in tags.values())

    listing = _say(telegram, READER, "/regions")
    lines = listing.text.split("\n")
    assert "Europe 2: Eastern Europe 1, Northern Europe 1, Southern Europe, Western Europe" in lines
    assert any(line.startswith("Asia 1: ") and "Southeast Asia 1" in line for line in lines)
    assert "Oceania: Australia and New Zealand, Melanesia, Micronesia, Polynesia" in lines
    assert "Americas 1: Latin America and the Caribbean, USA and Canada 1" in lines
    assert ": 0" not in listing.text
    assert "International (stories about no particular country)" in listing.text
    assert "No particular country" not in listing.text
    assert len(listing.text) < 4096

    chooser = _say(telegram, READER, "/region")
    assert "☐ International" in button_labels(chooser)
    assert "International means stories about no particular country" in chooser.text
    assert "international" in _say(telegram, READER, "/help").text
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 6. the region keyboard


def test_region_keyboard_shows_state_answers_taps_and_leaves_a_summary(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Choose regions opens a new message; ☑/☐ and ◐ show state; every tap gets a toast; a typed
    country can be untapped; Done leaves one summary line."""
    telegram.add_user(READER, "Rosa")
    _start(telegram, feeds, bot_process)
    welcome = _say(telegram, READER, "/start")
    _tap(telegram, READER, welcome, button_data(welcome, Action.REGION_NEW))
    chooser = telegram.messages(READER)[-1]
    assert chooser.message_id != welcome.message_id
    assert _current(telegram, READER, welcome.message_id).text == welcome.text
    labels = button_labels(chooser)
    assert labels[:2] == ["☐ Europe", "Europe ▸"]
    assert "☐ International" in labels
    assert "International means stories about no particular country" in chooser.text

    toast = _tap(telegram, READER, chooser, button_data(chooser, Action.REGION_TOGGLE, "150"))
    assert toast.text == "Europe added"
    chooser = _current(telegram, READER, chooser.message_id)
    assert "☑ Europe" in button_labels(chooser)
    _tap(telegram, READER, chooser, button_data(chooser, Action.REGION_PAGE, "142"))
    page = _current(telegram, READER, chooser.message_id)
    assert "☐ Southeast Asia" in button_labels(page)
    toast = _tap(telegram, READER, page, button_data(page, Action.REGION_TOGGLE, "035"))
    assert toast.text == "Southeast Asia added"
    page = _current(telegram, READER, chooser.message_id)
    assert "☑ Southeast Asia" in button_labels(page)
    assert "◐ Asia · 1 part chosen" in button_labels(page)
    _tap(telegram, READER, page, button_data(page, Action.REGION_PAGE, "root"))
    root = _current(telegram, READER, chooser.message_id)
    assert "◐ Asia · 1 part chosen" in button_labels(root)

    assert _say(telegram, READER, "/region add russia").text == (
        "You are subscribed: Europe, Southeast Asia, Russia."
    )
    typed = _say(telegram, READER, "/region")
    assert "☑ Russia" in button_labels(typed)
    toast = _tap(telegram, READER, typed, button_data(typed, Action.REGION_TOGGLE, "RU"))
    assert toast.text == "Russia removed"
    typed = _current(telegram, READER, typed.message_id)
    assert not any("Russia" in label for label in button_labels(typed))
    toast = _tap(telegram, READER, typed, button_data(typed, Action.DONE))
    assert toast.text == texts.TOAST_DONE
    done = _current(telegram, READER, typed.message_id)
    assert done.text == "✅ You are subscribed: Europe, Southeast Asia."
    assert done.reply_markup is None
    assert all(a.text for a in telegram.callback_answers)
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 7. coming back, waiting channels


def test_welcome_back_and_channels_waiting_since_before_the_first_start(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A channel added before its admin ever opened the bot is offered at their first /start,
    with its buttons; /start after /stop says the old regions are active again."""
    telegram.add_user(OWNER, "Olga")  # no private chat with the bot yet
    telegram.add_channel(
        CHANNEL, "World News Digest", "worldnews", creator=OWNER, bot_status="left"
    )
    _start(telegram, feeds, bot_process)
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="administrator")
    bot_process.wait_for(rf"could not tell user={OWNER} about channel={CHANNEL}")

    telegram.send_message(OWNER, OWNER, "/start")
    welcome, waiting, channel = telegram.wait_for_messages(OWNER, 3)
    assert welcome.text.startswith("Welcome! You are subscribed")
    assert waiting.text == texts.CHANNELS_WAITING.singular
    assert "read every story twice" in welcome.text  # and one tap keeps the channel only
    assert "📢 Only the channel" in button_labels(welcome)
    assert "World News Digest" in channel.text
    assert button_labels(channel) == ["🔔 Subscribe: World News Digest", "🌍"]
    toast = _tap(telegram, OWNER, channel, button_data(channel, Action.CHANNEL_TOGGLE))
    assert toast.text == texts.TOAST_SUBSCRIBED
    assert "World News Digest: subscribed" in _current(telegram, OWNER, channel.message_id).text

    _say(telegram, OWNER, "/region europe")
    assert _say(telegram, OWNER, "/stop").text.startswith("Unsubscribed")
    back = _say(telegram, OWNER, "/start")
    assert back.text.startswith("Welcome back! You are subscribed again.")
    assert "Your regions are still set: Europe." in back.text
    time.sleep(0.3)
    assert len(telegram.messages(OWNER)) == 6  # the channel is not offered a second time
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 8. naming the sources


def test_help_names_the_sites_and_teasers_show_the_feed_title_as_preview_prints(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """/help and /about list the feed by its own title; a FEED_URLS teaser's source line is that
    title, and `python -m bot preview` prints exactly the HTML the chat received."""
    telegram.add_user(READER, "Rosa")
    _start(telegram, feeds, bot_process)
    help_text = _say(telegram, READER, "/help").text
    assert f"News sites I follow\n• {FEED_TITLE} (127.0.0.1)" in help_text
    assert f"• {FEED_TITLE} (127.0.0.1)" in _say(telegram, READER, "/about").text
    _say(telegram, READER, "/start")
    _publish(feeds, RUSSIA)
    assert telegram.wait_until(lambda: bool(_teasers(telegram, READER)), timeout=15)
    [teaser] = _teasers(telegram, READER)
    assert teaser.text.endswith(f"{FEED_TITLE} #Russia #EasternEurope")
    assert "127.0.0.1" not in teaser.text
    assert bot_process.terminate() == 0

    printed = subprocess.run(
        [sys.executable, "-m", "bot", "preview", feeds.url("/feed.xml")],
        capture_output=True,
        text=True,
        timeout=deadline(60),
        cwd=REPO,
        env={**os.environ, "ALLOW_PRIVATE_SOURCES": "true"},  # the feed server is on 127.0.0.1
        check=True,
    ).stdout
    assert printed.split("\n" + "-" * 40 + "\n")[0].strip() == teaser.raw_text


# ---------------------------------------------------------------- 9. /latest in a filtered chat


def test_latest_follows_the_chats_regions_and_caps_the_count(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """In a chat filtered to Europe /latest shows Europe only and says so; /latest all shows
    everything; /latest 50 shows (at most) 20 and says so instead of a usage error."""
    telegram.add_user(READER, "Rosa")
    _start(telegram, feeds, bot_process)
    _say(telegram, READER, "/region europe")
    _publish(feeds, RUSSIA, MYANMAR, USA)
    assert telegram.wait_until(lambda: bool(_teasers(telegram, READER)), timeout=15)
    bot_process.wait_for(r"poll source=.* new=3")

    mine = _say(telegram, READER, "/latest")
    assert mine.text.startswith("The latest story: Europe\nThis chat's regions. /latest all shows")
    assert "Winter of Russian Discontent" in mine.text
    assert "Myanmar" not in mine.text
    everything = _say(telegram, READER, "/latest all")
    assert everything.text.startswith("Latest 4\n")
    assert "Myanmar" in everything.text
    capped = _say(telegram, READER, "/latest all 50")
    assert capped.text.startswith("Latest 4\nYou asked for 50; I show at most 20 at a time.")
    capped_mine = _say(telegram, READER, "/latest 50")
    assert "You asked for 50; I show at most 20 at a time." in capped_mine.text
    assert "Usage" not in capped_mine.text
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 10. clean, quiet channels


def test_channel_silent_posts_previews_and_command_clean_up(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Silent posts go out with disable_notification; only teasers with an image get a preview;
    a command posted in the channel is answered, then both posts vanish; headings never nest
    bold."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "World News Digest", "worldnews", creator=OWNER)
    _start(telegram, feeds, bot_process, CHANNEL_CLEANUP_SECONDS="0.5")
    settings = _say(telegram, OWNER, "/settings @worldnews")
    assert "Silent posts: off" in settings.text
    assert not _bold_nested(settings.raw_text)
    toast = _tap(telegram, OWNER, settings, button_data(settings, Action.SUBSCRIBE_TOGGLE))
    assert toast.text == texts.TOAST_SUBSCRIBED
    settings = _current(telegram, OWNER, settings.message_id)
    toast = _tap(telegram, OWNER, settings, button_data(settings, Action.SILENT_TOGGLE))
    assert toast.text == "Silent posts on"
    settings = _current(telegram, OWNER, settings.message_id)
    assert "Silent posts: on" in settings.text
    assert "🔇 Silent posts: on" in button_labels(settings)
    assert "Link previews: on (for teasers with an image)" in settings.text

    _publish(feeds, RUSSIA, MYANMAR)
    assert telegram.wait_until(lambda: len(_teasers(telegram, CHANNEL)) == 2, timeout=15)
    by_title = {m.text.split("\n")[0]: m for m in _teasers(telegram, CHANNEL)}
    russia, myanmar = by_title[RUSSIA["title"]], by_title[MYANMAR["title"]]
    assert russia.silent
    assert myanmar.silent
    assert russia.link_preview_options == {"is_disabled": True}
    assert myanmar.link_preview_options is not None
    assert myanmar.link_preview_options.get("url") == MYANMAR["image"]
    assert not myanmar.link_preview_options.get("is_disabled")

    post = telegram.channel_post(CHANNEL, "/latest 1")
    assert post is not None
    post_id = post["channel_post"]["message_id"]
    answer = telegram.wait_for_messages(CHANNEL, 3)[2]
    assert answer.text.startswith("The latest story")
    assert telegram.wait_until(
        lambda: (
            telegram.chat_message(CHANNEL, post_id) is None
            and telegram.chat_message(CHANNEL, answer.message_id) is None
        ),
        timeout=10,
    )
    assert telegram.chat_message(CHANNEL, russia.message_id) is not None  # teasers stay

    # Without the right to delete, the bot answers and leaves both in place.
    telegram.set_member(
        CHANNEL,
        telegram.bot_id,
        "administrator",
        can_post_messages=True,
        can_delete_messages=False,
    )
    post = telegram.channel_post(CHANNEL, "/help")
    assert post is not None
    post_id = post["channel_post"]["message_id"]
    kept = telegram.wait_for_messages(CHANNEL, 4)[3]
    bot_process.wait_for(rf"cleanup chat={CHANNEL} skipped: the bot may not delete")
    time.sleep(1.0)
    assert telegram.chat_message(CHANNEL, post_id) is not None
    assert telegram.chat_message(CHANNEL, kept.message_id) is not None
    assert bot_process.terminate() == 0


# ---------------------------------------------------------------- 1. a group admin


def test_group_admin_types_regions_and_the_group_gets_its_posts(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """In a forum group a member is refused; the admin's /region asia (in a topic) subscribes the
    group to Asia in that topic, and /latest there shows Asia by default."""
    group, member, topic = -1001400, 1204, 9
    telegram.add_user(OWNER, "Olga")
    telegram.add_group(
        group, "Asia desk", forum=True, creator=OWNER, members=[member], bot_status="left"
    )
    _start(telegram, feeds, bot_process)
    telegram.bot_membership_changed(group, OWNER, new_status="member")
    hello = telegram.wait_for_messages(group, 1)[0]
    assert "/region" in hello.text
    telegram.send_message(group, member, "/region asia", message_thread_id=topic)
    assert telegram.wait_for_messages(group, 2)[1].text == texts.ADMINS_ONLY
    telegram.send_message(group, OWNER, "/region asia", message_thread_id=topic)
    answer = telegram.wait_for_messages(group, 3)[2]
    assert answer.text == "Asia desk is subscribed: Asia."
    assert answer.message_thread_id == topic
    _publish(feeds, RUSSIA, MYANMAR)
    assert telegram.wait_until(lambda: bool(_teasers(telegram, group)), timeout=15)
    bot_process.wait_for(r"deliver batch sent=")
    time.sleep(0.5)
    [teaser] = _teasers(telegram, group)
    assert teaser.text.startswith("Myanmar Coup")
    assert teaser.message_thread_id == topic
    telegram.send_message(group, member, "/latest", message_thread_id=topic)
    latest = telegram.wait_for_messages(group, 5)[4]
    assert latest.text.startswith("The latest story: Asia\nThis chat's regions.")
    assert "Russian" not in latest.text
    assert bot_process.terminate() == 0
