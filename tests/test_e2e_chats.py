"""End to end with the real bot process: private, group and channel set-up, then delivery."""

from __future__ import annotations

import time

import pytest

from bot.core import texts
from bot.telegram.views import Action, ButtonData
from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram, SentMessage
from tests.support.feed_server import FeedServer, rss

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER, OWNER, MEMBER = 1101, 1102, 1103
GROUP, CHANNEL = -1001100, -1001200
TOPIC = 7

OLD = {
    "title": "An old story from before the bot started",
    "link": "https://news.example/old",
    "guid": "old",
    "description": "Nothing new here.",
}
RUSSIA = {
    "title": "Winter of Russian Discontent: 5 < 6 & <tg-spoiler>protests</tg-spoiler> grow",
    "link": "https://news.example/russia",
    "guid": "russia",
    "description": "The social crisis in Russia has reached new levels & <b>more</b>.",
    "category": "Russia",
}
MYANMAR = {
    "title": "Myanmar Coup: Another Nail in the Coffin of Liberalism",
    "link": "https://news.example/myanmar",
    "guid": "myanmar",
    "description": "In organizing a swift coup against Aung San Suu Kyi, Myanmar's generals acted.",
    "category": "Myanmar",
}
LATER = {
    "title": "Moscow court jails opposition leader",
    "link": "https://news.example/moscow",
    "guid": "moscow",
    "description": "A court in Moscow, Russia, sentenced him on Tuesday.",
    "category": "Russia",
}


def _button(message: SentMessage, action: str, *args: str) -> str:
    assert message.reply_markup is not None
    for row in message.reply_markup["inline_keyboard"]:
        for button in row:
            data = ButtonData.decode(button.get("callback_data"))
            if data and data.action == action and data.args[: len(args)] == args:
                return str(button["callback_data"])
    raise AssertionError(f"no {action} button under {message.text!r}")


def _press(telegram: FakeTelegram, user: int, message: SentMessage, data: str) -> None:
    """Press a button in a private chat and wait until the message has been edited."""

    def edits() -> int:
        return next(m.edits for m in telegram.messages(user) if m.message_id == message.message_id)

    before = edits()
    telegram.press_button(user, user, message.message_id, data)
    assert telegram.wait_until(lambda: edits() > before)


def _titles(telegram: FakeTelegram, chat_id: int) -> list[str]:
    return [
        m.text.split("\n")[0] for m in telegram.messages(chat_id) if "news.example" in m.raw_text
    ]


def _start_bot(telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess) -> None:
    feeds.set("/feed.xml", rss([OLD], title="Example News"))
    bot_process.start()
    bot_process.wait_for(r"poll source=.* status=ok .*baseline=True")


def test_private_group_and_channel_set_up_then_delivery(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A reader, a group (admins only, in a topic) and a channel set by buttons get their picks."""
    telegram.add_user(READER, "Rosa")
    telegram.add_private_chat(READER)
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_group(
        GROUP, "Asia desk", forum=True, creator=OWNER, members=[MEMBER], bot_status="left"
    )
    telegram.add_channel(CHANNEL, "Europe Watch", "europewatch", creator=OWNER, bot_status="left")
    _start_bot(telegram, feeds, bot_process)

    # A reader subscribes in private.
    telegram.send_message(READER, READER, "/start")
    assert "subscribed" in telegram.wait_for_messages(READER, 1)[0].text

    # The owner adds the bot to the group: hello once. A member is refused; the owner configures.
    telegram.bot_membership_changed(GROUP, OWNER, new_status="member")
    assert "/start" in telegram.wait_for_messages(GROUP, 1)[0].text
    telegram.send_message(GROUP, MEMBER, "/start", message_thread_id=TOPIC)
    assert telegram.wait_for_messages(GROUP, 2)[1].text == texts.ADMINS_ONLY
    telegram.send_message(GROUP, OWNER, "/start", message_thread_id=TOPIC)
    assert "subscribed" in telegram.wait_for_messages(GROUP, 3)[2].text
    telegram.send_message(GROUP, OWNER, "/region asia", message_thread_id=TOPIC)
    assert "Asia" in telegram.wait_for_messages(GROUP, 4)[3].text

    # The owner adds the bot to the channel; the bot writes to them; they use the buttons.
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="administrator")
    dm = telegram.wait_for_messages(OWNER, 1)[0]
    assert "Europe Watch" in dm.text
    _press(telegram, OWNER, dm, _button(dm, Action.CHANNEL_TOGGLE))
    _press(telegram, OWNER, dm, _button(telegram.messages(OWNER)[0], Action.REGION_PAGE))
    chooser = telegram.messages(OWNER)[0]
    _press(telegram, OWNER, chooser, _button(chooser, Action.REGION_TOGGLE, "150"))
    assert "<b>Regions for Europe Watch</b>: Europe" in telegram.messages(OWNER)[0].raw_text
    assert all(not a.show_alert for a in telegram.callback_answers)

    # Two new stories: each chat gets what it chose.
    feeds.set("/feed.xml", rss([RUSSIA, MYANMAR, OLD], title="Example News"))
    assert telegram.wait_until(lambda: len(_titles(telegram, READER)) == 2, timeout=15)
    assert telegram.wait_until(
        lambda: bool(_titles(telegram, CHANNEL) and _titles(telegram, GROUP))
    )
    time.sleep(0.5)  # anything wrongly queued would be sent by now
    assert sorted(_titles(telegram, READER))[0].startswith("Myanmar Coup")
    [to_channel] = [m for m in telegram.messages(CHANNEL) if "news.example" in m.raw_text]
    assert to_channel.text.startswith("Winter of Russian Discontent")
    assert "#Russia #EasternEurope" in to_channel.text
    # the title is plain text (no known HTML in it): shown as it reads, never as markup
    assert "5 &lt; 6 &amp; &lt;tg-spoiler&gt;protests&lt;/tg-spoiler&gt;" in to_channel.raw_text
    assert "5 &lt; 6 &amp;" in to_channel.raw_text
    assert {e["type"] for e in to_channel.entities} <= {"bold", "text_link", "italic", "hashtag"}
    [to_group] = [m for m in telegram.messages(GROUP) if "news.example" in m.raw_text]
    assert to_group.text.startswith("Myanmar Coup")
    assert to_group.message_thread_id == TOPIC

    # The bot is removed from the channel: nothing more goes there.
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="left")
    bot_process.wait_for(rf"membership chat={CHANNEL} .*->left")
    feeds.set("/feed.xml", rss([LATER, RUSSIA, MYANMAR, OLD], title="Example News"))
    tried = len([c for c in telegram.calls("sendMessage") if c.params["chat_id"] == CHANNEL])
    assert telegram.wait_until(lambda: len(_titles(telegram, READER)) == 3, timeout=15)
    time.sleep(0.5)
    assert len(_titles(telegram, CHANNEL)) == 1
    assert tried == len(
        [c for c in telegram.calls("sendMessage") if c.params["chat_id"] == CHANNEL]
    )
    assert bot_process.terminate() == 0


def test_channel_filtered_to_europe_gets_russia_not_myanmar(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """A channel set to Europe by typing /region @channel europe receives only the Russia story."""
    telegram.add_user(OWNER, "Olga")
    telegram.add_private_chat(OWNER)
    telegram.add_channel(CHANNEL, "Europe Watch", "europewatch", creator=OWNER, bot_status="left")
    _start_bot(telegram, feeds, bot_process)
    telegram.bot_membership_changed(CHANNEL, OWNER, new_status="administrator")
    telegram.wait_for_messages(OWNER, 1)
    telegram.send_message(OWNER, OWNER, "/start @europewatch")
    telegram.wait_for_messages(OWNER, 2)
    telegram.send_message(OWNER, OWNER, "/region @europewatch europe")
    assert "Europe" in telegram.wait_for_messages(OWNER, 3)[2].text

    feeds.set("/feed.xml", rss([MYANMAR, RUSSIA, OLD], title="Example News"))
    assert telegram.wait_until(lambda: bool(_titles(telegram, CHANNEL)), timeout=15)
    bot_process.wait_for(r"deliver batch sent=")
    time.sleep(0.5)
    titles = _titles(telegram, CHANNEL)
    assert len(titles) == 1
    assert titles[0].startswith("Winter of Russian Discontent")
    assert bot_process.terminate() == 0
