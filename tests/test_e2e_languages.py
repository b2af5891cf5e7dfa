"""End to end with the real bot process: a reader whose Telegram speaks Spanish (issue 14).

/start, /help, /region and the region buttons answer in Spanish; /language en switches the chat
to English; the choice is in the database and survives a restart of the bot.
"""

from __future__ import annotations

import pytest

from bot.telegram.views import Action
from tests.support.backends import BACKENDS
from tests.support.bot_process import BotProcess
from tests.support.chat_harness import button_data, button_labels
from tests.support.fake_telegram import FakeTelegram
from tests.support.feed_server import FeedServer
from tests.test_e2e_people import _current, _say, _start, _tap

# Every test here runs the bot on SQLite and on PostgreSQL (DATABASE_URL).
pytestmark = pytest.mark.parametrize("backend", BACKENDS)

READER = 1401


def test_spanish_reader_gets_spanish_switches_to_english_and_it_survives_a_restart(
    telegram: FakeTelegram, feeds: FeedServer, bot_process: BotProcess
) -> None:
    """Command lists per language; Spanish /start, /help, /region and buttons; /language en;
    English after a restart."""
    telegram.add_user(READER, "Lucía", language_code="es")
    telegram.add_private_chat(READER)
    _start(telegram, feeds, bot_process)
    # The menus are set before this line, not necessarily before the first poll ends.
    bot_process.wait_for(r"running as @")

    private = {"type": "all_private_chats"}
    spanish = {c["command"]: c["description"] for c in telegram.commands(private, "es")}
    assert spanish["language"] == "Elegir el idioma en que hablo aquí"
    assert spanish["start"] == "Suscribirse a los avances de noticias"
    russian = telegram.commands({"type": "all_chat_administrators"}, "ru")
    assert {"command": "stop", "description": "Отписать этот чат"} in russian
    english = {c["command"]: c["description"] for c in telegram.commands(private)}
    assert english["language"] == "Choose the language I speak here"

    welcome = _say(telegram, READER, "/start")
    assert welcome.text.startswith("¡Bienvenido! Ya estás suscrito")
    assert button_labels(welcome) == [
        "🌍 Elegir regiones",
        "⚙️ Configuración",
        "👥 Añadir a un grupo",
        "📢 Añadir a un canal",
    ]
    assert telegram.profile_text("description", "es").startswith("Publico un avance breve")

    helped = _say(telegram, READER, "/help")
    assert "Regiones: elegir regiones suscribe un chat a ellas" in helped.text
    assert "/language - Elegir el idioma en que hablo aquí" in helped.text

    chosen = _say(telegram, READER, "/region Rusia América Latina")
    assert chosen.text == "Estás suscrito: América Latina, Rusia."
    unknown = _say(telegram, READER, "/region Rusai")
    assert unknown.text.startswith("No conozco 'Rusai'. ¿Querías decir")
    assert "Rusia" in unknown.text

    chooser = _say(telegram, READER, "/region")
    assert chooser.text.startswith("Regiones de este chat: América Latina, Rusia\nSuscrito.")
    assert "◐ Europa · 1 parte elegida" in button_labels(chooser)
    assert "☐ Asia" in button_labels(chooser)
    toast = _tap(telegram, READER, chooser, button_data(chooser, Action.REGION_TOGGLE, "142"))
    assert toast.text == "Región añadida: Asia"
    chooser = _current(telegram, READER, chooser.message_id)
    assert "☑ Asia" in button_labels(chooser)

    switched = _say(telegram, READER, "/language en")
    assert switched.text == "From now on I speak English here."
    assert _say(telegram, READER, "/start").text.startswith("You are already subscribed.")

    assert bot_process.terminate() == 0
    bot_process.start()
    bot_process.wait_for(r"poll source=")
    helped = _say(telegram, READER, "/help")
    assert "Regions: choosing regions subscribes a chat to them" in helped.text
    assert "Choose the language I speak here" in helped.text
    settings = _say(telegram, READER, "/settings")
    assert "🗣 Language: English" in button_labels(settings)
    assert bot_process.terminate() == 0
