"""Channels: registered when the bot may post, set up from a private chat by their admins only."""

from __future__ import annotations

from pathlib import Path

from bot.core import texts
from bot.telegram.views import Action, ButtonData
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import FakeTelegram

CHANNEL_A, CHANNEL_B = -100111, -100222
ALICE, BOB, EVE = 701, 702, 703  # admin of A, admin of B, nobody's admin


def _world(telegram: FakeTelegram) -> None:
    for user, name in ((ALICE, "Alice"), (BOB, "Bob"), (EVE, "Eve")):
        telegram.add_user(user, name)
        telegram.add_private_chat(user)
    telegram.add_channel(CHANNEL_A, "Alpha News", "alphanews", creator=ALICE, bot_status="left")
    telegram.add_channel(CHANNEL_B, "Beta <News> & Co", "betanews", creator=BOB)


async def _added(h: Harness) -> None:
    """Alice, who has talked to the bot, adds it to channel A as an admin that can post."""
    await h.send(ALICE, ALICE, "/help")
    await h.membership(CHANNEL_A, ALICE, "administrator", can_post_messages=True)


async def test_added_as_admin_registers_and_tells_the_adder(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The channel is registered (not yet subscribed) and Alice gets a DM with set-up buttons."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert not chat.subscribed
        assert await h.store.chats.added_by(CHANNEL_A) == ALICE
        dm = h.last(ALICE)
        assert "Alpha News" in dm.text
        h.button(dm, Action.CHANNEL_TOGGLE)
        h.button(dm, Action.REGION_PAGE)
        assert telegram.messages(CHANNEL_A) == []


async def test_adder_without_private_chat_gets_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """An admin who never started the bot is not messaged; the channel is still registered."""
    _world(telegram)
    carol = 704
    telegram.add_user(carol, "Carol")
    telegram.set_member(CHANNEL_A, carol, "administrator")
    async with harness(telegram, tmp_path) as h:
        await h.membership(CHANNEL_A, carol, "administrator", can_post_messages=True)
        assert await h.store.chats.chat(CHANNEL_A) is not None
        assert await h.store.chats.added_by(CHANNEL_A) == carol
        assert telegram.messages(carol) == []
        assert [c.status for c in telegram.calls("sendMessage")] == [403]


async def test_losing_the_right_to_post_or_being_removed_deactivates(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Taking the bot's right to post unsubscribes the channel and drops it from /channels."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        await h.send(ALICE, ALICE, f"/start {CHANNEL_A}")
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.subscribed
        await h.membership(CHANNEL_A, ALICE, "administrator", can_post_messages=False)
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert not chat.subscribed
        assert await h.store.chats.channels() == []
        await h.membership(CHANNEL_A, ALICE, "administrator", can_post_messages=True)
        assert [c.id for c in await h.store.chats.channels()] == [CHANNEL_A]
        await h.membership(CHANNEL_A, ALICE, "left")
        assert await h.store.chats.channels() == []


async def test_channels_lists_only_what_the_person_administers(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/channels shows Alice channel A only, Bob channel B only (escaped), Eve none."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        await h.membership(CHANNEL_B, BOB, "administrator", can_post_messages=True)
        await h.send(ALICE, ALICE, "/channels")
        listing = h.last(ALICE)
        assert "Alpha News" in listing.text
        assert "Beta" not in listing.text
        await h.send(BOB, BOB, "/channels")
        bob = h.last(BOB)
        assert "Beta <News> & Co" in bob.text
        assert "Alpha" not in bob.text
        assert "&lt;News&gt; &amp; Co" in bob.raw_text
        await h.send(EVE, EVE, "/channels")
        assert h.last(EVE).text == texts.CHANNELS_NONE


async def test_configure_by_name_or_id_needs_admin_rights(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/region @channel subscribes it for its admin; Eve (by @name) and Bob (by id) are refused."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        await h.send(ALICE, ALICE, "/region @alphanews europe asia")
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.region_filter.ids == {"150", "142"}
        await h.send(EVE, EVE, "/region @alphanews africa")
        assert "not an administrator" in h.last(EVE).text
        await h.send(BOB, BOB, f"/start {CHANNEL_A}")
        assert "not an administrator" in h.last(BOB).text
        await h.send(ALICE, ALICE, f"/region {CHANNEL_B} africa")
        assert "not an administrator" in h.last(ALICE).text
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.region_filter.ids == {"150", "142"}
        assert chat.subscribed
        other = await h.store.chats.chat(CHANNEL_B)
        assert other is None or other.region_filter.is_everything


async def test_change_refused_when_bot_cannot_post(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Even the channel's admin is refused, with the reason, once the bot may not post there."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        telegram.set_member(CHANNEL_A, telegram.bot_id, "administrator", can_post_messages=False)
        await h.send(ALICE, ALICE, "/region @alphanews europe")
        assert "can't post" in h.last(ALICE).text
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.region_filter.is_everything


async def test_buttons_from_the_dm_configure_the_channel(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Subscribe and region buttons in Alice's DM change channel A, editing the same message."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        dm = h.last(ALICE)
        await h.press(ALICE, ALICE, dm.message_id, h.button(dm, Action.CHANNEL_TOGGLE))
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.subscribed
        listing = h.last(ALICE)
        assert listing.message_id == dm.message_id
        assert "subscribed" in listing.text
        await h.press(ALICE, ALICE, dm.message_id, h.button(listing, Action.REGION_PAGE))
        chooser = h.last(ALICE)
        toggle = h.button(chooser, Action.REGION_TOGGLE, "150")
        await h.press(ALICE, ALICE, dm.message_id, toggle)
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.region_filter.ids == {"150"}
        assert "☑ Europe" in h.labels(h.last(ALICE))


async def test_button_for_another_channel_is_refused_and_changes_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A button (even with forged data naming channel B) pressed by Alice or Eve is refused."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        await h.membership(CHANNEL_B, BOB, "administrator", can_post_messages=True)
        dm = h.last(ALICE)
        forged = ButtonData(Action.CHANNEL_TOGGLE, CHANNEL_B).encode()
        await h.press(ALICE, ALICE, dm.message_id, forged)
        answer = telegram.callback_answers[-1]
        assert answer.show_alert
        assert answer.text
        assert "not an administrator" in answer.text
        await h.press(ALICE, EVE, dm.message_id, h.button(dm, Action.CHANNEL_TOGGLE))
        assert telegram.callback_answers[-1].show_alert
        for channel in (CHANNEL_A, CHANNEL_B):
            chat = await h.store.chats.chat(channel)
            assert chat is not None
            assert not chat.subscribed
        assert h.last(ALICE).edits == 0


async def test_demoted_channel_admin_cannot_press_old_buttons(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Alice demoted in channel A: her earlier buttons are refused at once."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        dm = h.last(ALICE)
        telegram.set_member(CHANNEL_A, ALICE, "member")
        await h.press(ALICE, ALICE, dm.message_id, h.button(dm, Action.CHANNEL_TOGGLE))
        assert telegram.callback_answers[-1].show_alert
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert not chat.subscribed


async def test_malformed_button_data_is_refused(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Button data that is not ours gets an alert and no change."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        dm = h.last(ALICE)
        await h.press(ALICE, ALICE, dm.message_id, "ss|not-a-number")
        assert telegram.callback_answers[-1].text == texts.BUTTON_EXPIRED


async def test_command_posted_in_the_channel_is_obeyed(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel post "/start" then "/region europe" subscribes and filters the channel."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        await h.post(CHANNEL_A, "/start")
        await h.post(CHANNEL_A, "/region europe")
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert chat.subscribed
        assert chat.region_filter.ids == {"150"}
        assert "Europe" in h.last(CHANNEL_A).text


async def test_channel_post_without_sender_chat_is_refused(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A channel post whose sender chat is missing or another chat changes nothing."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _added(h)
        update = telegram.channel_post(CHANNEL_A, "/start")
        assert update is not None
        del update["channel_post"]["sender_chat"]
        await h.process(update)
        chat = await h.store.chats.chat(CHANNEL_A)
        assert chat is not None
        assert not chat.subscribed
        assert h.last(CHANNEL_A).text == texts.FORGED_SENDER
