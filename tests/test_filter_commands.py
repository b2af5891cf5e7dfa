"""/topic, /keywords and /sites typed and by buttons: in a private chat, in a group (admins
change, members see), for a channel from its admin's private chat, and in other languages."""

from __future__ import annotations

from pathlib import Path

from bot.core import texts
from bot.core.chat_settings import ChatSettings
from bot.core.models import SourceSpec
from bot.telegram.views import Action
from tests.support.chat_harness import Harness, harness
from tests.support.fake_telegram import FakeTelegram

ANN = 811
GROUP = -100600
OWNER, MEMBER = 611, 613
CHANNEL = -100911
ALICE, EVE = 711, 713
SITES = (
    SourceSpec("Socialist Revolution", "https://socialistrevolution.org/feed/"),
    SourceSpec("In Defence of Marxism", "https://www.marxist.com/feed"),
    SourceSpec("Socialist Appeal", "https://socialist.net/feed/"),
)


async def _settings(h: Harness, chat_id: int) -> ChatSettings:
    chat = await h.store.chats.chat(chat_id)
    assert chat is not None
    return chat.settings


async def _site_ids(h: Harness) -> dict[str, int]:
    sources = await h.store.sources.sync_sources(list(SITES))
    return {s.name: s.id for s in sources}


def _world(telegram: FakeTelegram) -> None:
    telegram.add_group(GROUP, "Readers' club", creator=OWNER, members=[MEMBER])
    for user, name in ((ALICE, "Alice"), (EVE, "Eve")):
        telegram.add_user(user, name)
        telegram.add_private_chat(user)
    telegram.add_channel(CHANNEL, "Alpha News", "alphanews", creator=ALICE)


async def test_topic_typed_forms(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Set, add, remove and all by typing; each answer names the chat's topics."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/start")
        await h.send(ANN, ANN, "/topic labour war")
        assert (await _settings(h, ANN)).topics.ids == {"labour", "war"}
        assert h.last(ANN).text == "Topics for this chat: Labour, War."
        await h.send(ANN, ANN, "/topic add economy")
        assert (await _settings(h, ANN)).topics.ids == {"labour", "war", "economy"}
        await h.send(ANN, ANN, "/topic remove war")
        assert (await _settings(h, ANN)).topics.ids == {"labour", "economy"}
        await h.send(ANN, ANN, "/topic -economy")
        assert (await _settings(h, ANN)).topics.ids == {"labour"}
        await h.send(ANN, ANN, "/topic all")
        assert (await _settings(h, ANN)).topics.is_everything
        assert h.last(ANN).text == "Topics for this chat: every topic."


async def test_topic_refusals_quote_what_was_typed(telegram: FakeTelegram, tmp_path: Path) -> None:
    """An unknown name is quoted exactly as typed (as plain text) and nothing changes; a verb
    alone asks which topics; removing the last topic is refused."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/topic labour")
        await h.send(ANN, ANN, "/topic Gärdening & <stuff>")
        answer = h.last(ANN)
        assert answer.parse_mode is None
        assert "'Gärdening & <stuff'" in answer.text
        await h.send(ANN, ANN, "/topic add")
        assert h.last(ANN).text.startswith("Name the topics after 'add'")
        await h.send(ANN, ANN, "/topic remove labour")
        assert h.last(ANN).text.startswith("That would leave no topic")
        assert (await _settings(h, ANN)).topics.ids == {"labour"}


async def test_topic_keyboard_toggles(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/topic shows a toggle per topic; taps choose and unchoose in place, the last one stays,
    Every topic clears, Done leaves a summary line."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/topic")
        view = h.last(ANN)
        assert "☐ Labour" in h.labels(view)
        assert "☑ 🌐 Every topic" in h.labels(view)
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "labour"))
        assert (await _settings(h, ANN)).topics.ids == {"labour"}
        assert telegram.callback_answers[-1].text == "Topic added: Labour"
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "war"))
        assert "☑ War" in h.labels(h.last(ANN))
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "labour"))
        assert (await _settings(h, ANN)).topics.ids == {"war"}
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "war"))
        assert (await _settings(h, ANN)).topics.ids == {"war"}
        assert "only topic chosen" in (telegram.callback_answers[-1].text or "")
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.TOPIC_ALL))
        assert (await _settings(h, ANN)).topics.is_everything
        await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.DONE, "topics"))
        done = h.last(ANN)
        assert done.message_id == view.message_id
        assert done.text == "✅ Topics for this chat: every topic."
        assert done.reply_markup is None
        assert len(telegram.messages(ANN)) == 1


async def test_keywords_typed_listed_and_removed(telegram: FakeTelegram, tmp_path: Path) -> None:
    """+ and - words are stored folded; /keywords lists them with a button each that removes
    it; clear removes every one."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/keywords +strike +Huelga -football")
        words = (await _settings(h, ANN)).keywords
        assert words.include == ("strike", "huelga")
        assert words.exclude == ("football",)
        assert h.last(ANN).text.startswith("Keywords for this chat: +strike +huelga -football.")
        await h.send(ANN, ANN, "/keywords")
        view = h.last(ANN)
        assert "Included: +strike +huelga" in view.text
        assert "Excluded: -football" in view.text
        assert h.labels(view)[:3] == ["✖ +strike", "✖ +huelga", "✖ -football"]
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.KEYWORD_REMOVE, "+huelga"))
        assert (await _settings(h, ANN)).keywords.include == ("strike",)
        assert "✖ +huelga" not in h.labels(h.last(ANN))
        await h.send(ANN, ANN, "/keywords remove football")
        assert (await _settings(h, ANN)).keywords.exclude == ()
        await h.send(ANN, ANN, "/keywords clear")
        assert (await _settings(h, ANN)).keywords.is_empty
        assert h.last(ANN).text.startswith("Keywords for this chat: none.")


async def test_keywords_errors_are_clear_and_change_nothing(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """Too many words, a phrase, a word without letters: each refused with the reason."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/keywords -football")
        many = " ".join(f"+w{n}" for n in range(30))
        await h.send(ANN, ANN, f"/keywords {many}")
        assert h.last(ANN).text.startswith("A chat can have at most 30 keywords")
        await h.send(ANN, ANN, "/keywords +general-strike")
        assert h.last(ANN).text.startswith("'+general-strike' is more than one word")
        await h.send(ANN, ANN, "/keywords +<!!>")
        assert h.last(ANN).text == "'+<!!>' has no letters or digits to look for."
        assert (await _settings(h, ANN)).keywords.exclude == ("football",)
        assert (await _settings(h, ANN)).keywords.include == ()


async def test_long_keyword_button_still_removes_it(telegram: FakeTelegram, tmp_path: Path) -> None:
    """A long Cyrillic word's button carries only its start, within 64 bytes, and removes it."""
    word = "забастовочнейшими" * 2
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, f"/keywords +{word} +strike")
        await h.send(ANN, ANN, "/keywords")
        view = h.last(ANN)
        assert view.reply_markup is not None
        [data] = [
            str(b["callback_data"])
            for row in view.reply_markup["inline_keyboard"]
            for b in row
            if str(b["text"]).startswith("✖ +заб")
        ]
        assert len(data.encode()) <= 64
        await h.press(ANN, ANN, view.message_id, data)
        assert (await _settings(h, ANN)).keywords.include == ("strike",)


async def test_sites_keyboard_and_typed_choice(telegram: FakeTelegram, tmp_path: Path) -> None:
    """/sites lists the operator's sites; a word of a name chooses it, an ambiguous word lists
    the candidates, an unknown one is quoted; taps toggle; all brings every site back."""
    async with harness(telegram, tmp_path) as h:
        ids = await _site_ids(h)
        await h.send(ANN, ANN, "/sites")
        view = h.last(ANN)
        assert "every site" in view.text
        assert "☐ Socialist Revolution" in h.labels(view)
        await h.send(ANN, ANN, "/sites marxist")
        assert (await _settings(h, ANN)).sites.ids == {ids["In Defence of Marxism"]}
        assert h.last(ANN).text.startswith("Sites for this chat: In Defence of Marxism.")
        await h.send(ANN, ANN, "/sites socialist")
        assert "Socialist Appeal, Socialist Revolution" in h.last(ANN).text
        assert "Type more of the name" in h.last(ANN).text
        await h.send(ANN, ANN, "/sites <i>tass")
        assert "'<i>tass'" in h.last(ANN).text
        await h.send(ANN, ANN, "/sites add socialist revolution")
        both = {ids["In Defence of Marxism"], ids["Socialist Revolution"]}
        assert (await _settings(h, ANN)).sites.ids == both
        appeal = str(ids["Socialist Appeal"])
        await h.press(ANN, ANN, view.message_id, h.button(view, Action.SITE_TOGGLE, appeal))
        assert (await _settings(h, ANN)).sites.ids == {*both, ids["Socialist Appeal"]}
        await h.send(ANN, ANN, "/sites all")
        assert (await _settings(h, ANN)).sites.ids is None


async def test_a_chat_that_chose_sites_is_not_switched_to_new_ones(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """A site the operator adds later is among a default chat's sites, not a choosing one's."""
    async with harness(telegram, tmp_path) as h:
        ids = await _site_ids(h)
        await h.send(ANN, ANN, "/sites marxist")
        await h.send(OWNER, OWNER, "/sites")
        later = SourceSpec("Later News", "https://later.example/feed")
        [*_, added] = await h.store.sources.sync_sources([*SITES, later])
        assert (await _settings(h, ANN)).sites.ids == {ids["In Defence of Marxism"]}
        assert (await _settings(h, OWNER)).sites.ids is None
        await h.send(ANN, ANN, "/sites")
        assert f"☐ {added.name}" in h.labels(h.last(ANN))


async def test_group_admin_changes_and_member_sees(telegram: FakeTelegram, tmp_path: Path) -> None:
    """In a group the admin changes topics, words and sites; a member is refused a change,
    sees the choice read only, and his tap on the admin's keyboard changes nothing."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await _site_ids(h)
        await h.send(GROUP, OWNER, "/topic labour")
        await h.send(GROUP, OWNER, "/keywords -football")
        await h.send(GROUP, OWNER, "/sites marxist")
        assert h.last(GROUP).text.startswith("Sites for Readers' club: In Defence of Marxism.")
        await h.send(GROUP, MEMBER, "/topic war")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        await h.send(GROUP, MEMBER, "/keywords clear")
        assert h.last(GROUP).text == texts.ADMINS_ONLY
        await h.send(GROUP, MEMBER, "/topic")
        seen = h.last(GROUP)
        assert seen.text == "Topics for Readers' club: Labour.\n" + texts.MEMBERS_READ_ONLY
        assert seen.reply_markup is None
        await h.send(GROUP, MEMBER, "/keywords")
        assert h.last(GROUP).text.startswith("Keywords for Readers' club: -football.")
        await h.send(GROUP, MEMBER, "/settings")
        seen = h.last(GROUP)
        assert "Topics: Labour\nKeywords: -football\nSites: In Defence of Marxism" in seen.text
        assert seen.text.endswith(texts.MEMBERS_READ_ONLY)
        assert seen.reply_markup is None
        await h.send(GROUP, OWNER, "/topic")
        view = h.last(GROUP)
        await h.press(GROUP, MEMBER, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "war"))
        assert telegram.callback_answers[-1].show_alert
        settings = await _settings(h, GROUP)
        assert settings.topics.ids == {"labour"}
        assert settings.keywords.exclude == ("football",)


async def test_channel_configured_from_the_admins_private_chat(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """The channel's admin sets its topics, words and sites from her private chat; the views
    lead back to the channel's settings; someone else is refused."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        ids = await _site_ids(h)
        await h.send(ALICE, ALICE, "/topic @alphanews labour")
        assert h.last(ALICE).text.startswith("Topics for Alpha News: Labour.")
        assert "/start @alphanews" in h.last(ALICE).text  # not subscribed yet
        await h.send(ALICE, ALICE, "/keywords @alphanews -football")
        await h.send(ALICE, ALICE, "/sites @alphanews marxist")
        await h.send(EVE, EVE, "/topic @alphanews war")
        assert "not an administrator of" in h.last(EVE).text
        settings = await _settings(h, CHANNEL)
        assert settings.topics.ids == {"labour"}
        assert settings.keywords.exclude == ("football",)
        assert settings.sites.ids == {ids["In Defence of Marxism"]}
        await h.send(ALICE, ALICE, "/topic @alphanews")
        view = h.last(ALICE)
        await h.press(ALICE, ALICE, view.message_id, h.button(view, Action.TOPIC_TOGGLE, "war"))
        assert (await _settings(h, CHANNEL)).topics.ids == {"labour", "war"}
        await h.press(ALICE, ALICE, view.message_id, h.button(h.last(ALICE), Action.SETTINGS))
        assert h.last(ALICE).text.startswith("Settings for Alpha News")


async def test_settings_shows_every_filter_and_opens_each(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/settings lists the filters together (regions, topics, keywords, sites), then the
    timing, previews and silent posts; each filter's button opens its view with a way back."""
    async with harness(telegram, tmp_path) as h:
        await _site_ids(h)
        await h.send(ANN, ANN, "/region europe")
        await h.send(ANN, ANN, "/topic labour")
        await h.send(ANN, ANN, "/keywords +strike")
        await h.send(ANN, ANN, "/settings")
        view = h.last(ANN)
        lines = view.text.split("\n")
        filters = ["Regions: Europe", "Topics: Labour", "Keywords: +strike", "Sites: every site"]
        assert lines[2:6] == filters
        assert lines[6].startswith("Schedule: ")
        assert "Link previews: on (for teasers with an image)" in lines
        assert "🔑 Keywords: 1 word" in h.labels(view)
        for action, heading in (
            (Action.TOPIC_VIEW, "Topics for this chat"),
            (Action.KEYWORDS_VIEW, "Keywords for this chat"),
            (Action.SITES_VIEW, "Sites for this chat"),
        ):
            await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), action))
            assert h.last(ANN).text.startswith(heading)
            await h.press(ANN, ANN, view.message_id, h.button(h.last(ANN), Action.SETTINGS))
        assert len(telegram.messages(ANN)) == 4


async def test_filters_in_spanish_and_russian(telegram: FakeTelegram, tmp_path: Path) -> None:
    """Topic names are understood and shown in the chat's language; answers are translated."""
    lucia, ivan = 821, 822
    telegram.add_user(lucia, "Lucía", language_code="es")
    telegram.add_private_chat(lucia)
    telegram.add_user(ivan, "Иван", language_code="ru")
    telegram.add_private_chat(ivan)
    async with harness(telegram, tmp_path) as h:
        await h.send(lucia, lucia, "/topic huelgas guerra")
        assert (await _settings(h, lucia)).topics.ids == {"labour", "war"}
        assert h.last(lucia).text.startswith("Temas para este chat: Trabajo, Guerra.")
        await h.send(lucia, lucia, "/keywords +huelga -fútbol")
        assert (await _settings(h, lucia)).keywords.exclude == ("futbol",)
        await h.send(ivan, ivan, "/topic экономика")
        assert (await _settings(h, ivan)).topics.ids == {"economy"}
        await h.send(ivan, ivan, "/topic")
        assert "☑ Экономика" in h.labels(h.last(ivan))
        await h.send(ivan, ivan, "/keywords " + " ".join(f"+с{n}" for n in range(31)))  # noqa: RUF001
        assert h.last(ivan).text.startswith("В чате может быть не больше 30 ключевых слов")  # noqa: RUF001


async def test_help_and_command_lists_name_the_new_commands(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/help mentions topics, keywords and sites; /help keywords explains with an example."""
    async with harness(telegram, tmp_path) as h:
        await h.send(ANN, ANN, "/help")
        overview = h.last(ANN).text
        for command in ("/topic", "/keywords", "/sites"):
            assert command in overview
        await h.send(ANN, ANN, "/help keywords")
        assert "/keywords +strike +huelga -football" in h.last(ANN).text
        assert "at most 30 per chat" in h.last(ANN).text
    names = {name for name, _ in texts.PRIVATE_COMMANDS}
    assert {"topic", "keywords", "sites"} <= names
    assert {"topic", "keywords", "sites"} <= {name for name, _ in texts.GROUP_ADMIN_COMMANDS}


async def test_commands_posted_in_the_channel_itself(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    """/topic and /keywords posted in a channel the bot administers change that channel; the
    keywords view's Done leaves its summary line."""
    _world(telegram)
    async with harness(telegram, tmp_path) as h:
        await h.post(CHANNEL, "/topic war")
        assert h.last(CHANNEL).text.startswith("Topics for Alpha News: War.")
        await h.post(CHANNEL, "/keywords +ceasefire")
        await h.post(CHANNEL, "/keywords")
        view = h.last(CHANNEL)
        await h.press(CHANNEL, ALICE, view.message_id, h.button(view, Action.DONE, "keywords"))
        assert h.last(CHANNEL).text == "✅ Keywords for Alpha News: +ceasefire."
        settings = await _settings(h, CHANNEL)
        assert settings.topics.ids == {"war"}
        assert settings.keywords.include == ("ceasefire",)
