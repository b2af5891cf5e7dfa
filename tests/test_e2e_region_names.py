"""End to end with the real bot process: readers in six languages type places as they say them.

Short forms (EE. UU., EEUU, EUA, США), demonyms (ruso, russisch), region forms (Europa del Este,
Leste Europeu), spellings (Großbritannien, Grande-Bretagne), a flag emoji and an ambiguous name,
each through /region or /latest against the fake Bot API; a Spanish feed's story is read in
Spanish and reaches the readers who chose its country, in whatever language they chose it.
"""

from __future__ import annotations

import pytest

from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer, rss
from tests.test_e2e_people import FEED_TITLE, OLD, _say, _start

pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READERS = {"es": 2301, "pt": 2302, "fr": 2303, "de": 2304, "ru": 2305, "en": 2306}
GERMANY = {
    "title": "Huelga general en Alemania",
    "link": "https://news.example/alemania",
    "guid": "alemania",
    "description": "Los sindicatos llaman a parar el país el lunes.",
}
# Typed by each reader: (what they send, the start of the bot's answer).
EXCHANGES = {
    "es": [
        ("/region EE. UU.", "Estás suscrito: Estados Unidos."),
        (
            "/region EEUU Europa del Este ruso",
            "Estás suscrito: Europa del Este, Rusia, Estados Unidos.",
        ),
        ("/region 🇨🇱", "Estás suscrito: Chile."),
        ("/region Alemania", "Estás suscrito: Alemania."),
    ],
    "pt": [
        ("/region EUA Leste Europeu", "Você está inscrito: Europa Oriental, Estados Unidos."),
        ("/region russa", "Você está inscrito: Rússia."),
        ("/region Alemanha", "Você está inscrito: Alemanha."),
    ],
    "fr": [
        ("/region Grande-Bretagne", "Vous êtes abonné\u00a0: Royaume-Uni."),
        ("/region Grande Bretagne russe", "Vous êtes abonné\u00a0: Russie, Royaume-Uni."),
        ("/region Allemagne", "Vous êtes abonné\u00a0: Allemagne."),
    ],
    "de": [
        ("/region Großbritannien russisch", "Du bist abonniert: Russland, Vereinigtes Königreich."),
        ("/region Grossbritannien", "Du bist abonniert: Vereinigtes Königreich."),
        ("/region Deutschland", "Du bist abonniert: Deutschland."),
    ],
    "ru": [
        ("/region США", "Вы подписаны: США."),
        ("/region РФ Восточная Европа", "Вы подписаны: Восточная Европа, Россия."),
        ("/region Германия", "Вы подписаны: Германия."),
    ],
    "en": [
        ("/region korea", "Korea: did you mean North Korea or South Korea?"),
        ("/region 🇰🇷", "You are subscribed: South Korea."),
        ("/region Narnïa", "I don't know 'Narnïa'."),
        ("/region germany", "You are subscribed: Germany."),
    ],
}


def test_readers_type_places_in_their_own_language(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Every reader is understood in their language; a Spanish story reaches all who chose
    Germany, whichever name they typed; /latest takes the same names."""
    for language, user in READERS.items():
        telegram.add_user(user, f"Reader {language}", language_code=language)
        telegram.add_private_chat(user)
    _start(telegram, feeds, bot_process)
    for language, exchanges in EXCHANGES.items():
        for typed, answer in exchanges:
            reply = _say(telegram, READERS[language], typed)
            assert reply.text.startswith(answer), (language, typed, reply.text)

    feeds.set("/feed.xml", rss([GERMANY, OLD], title=FEED_TITLE, language="es-ES"))
    for user in READERS.values():
        assert telegram.wait_until(
            lambda user=user: any("alemania" in m.raw_text for m in telegram.messages(user)),
            timeout=120,
        ), user
    [teaser] = [m for m in telegram.messages(READERS["en"]) if "alemania" in m.raw_text]
    assert "#Germany" in teaser.text

    latest = _say(telegram, READERS["ru"], "/latest Германии")
    assert "Huelga general en Alemania" in latest.text
    latest = _say(telegram, READERS["es"], "/latest alemanes")
    assert "Huelga general en Alemania" in latest.text
