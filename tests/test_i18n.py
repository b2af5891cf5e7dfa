"""Languages: complete catalogs in step with the texts; lookups and region names per language."""

from __future__ import annotations

import gettext
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from bot.core import i18n, texts
from bot.core.delivery_plan import digest_heading
from bot.core.models import ChatKind
from bot.core.regions import FilterError, display_name, parse_filter
from bot.store import Store

LOCALE = i18n.LOCALE_DIR
SHIPPED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
_PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
_TAG = re.compile(r"</?[a-z]+>")


def _po(language: str) -> Catalog:
    with (LOCALE / language / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f)


def _key(msgid: str | tuple[str, ...]) -> str:
    """A message's key: its text, or its singular for a text with plural forms."""
    return msgid if isinstance(msgid, str) else msgid[0]


def _forms(string: str | tuple[str, ...] | None) -> list[str]:
    if not string:
        return []
    return [string] if isinstance(string, str) else list(string)


def catalog_problems(catalog: Catalog, source_ids: set[str]) -> list[str]:
    """Every message missing, untranslated, fuzzy, or with other placeholders or tags.

    A text with plural forms needs every form; each form keeps the tags, and the placeholders of
    the English singular or plural (a singular may say "a channel" instead of "{count}")."""
    problems = []
    translated = {_key(m.id): m for m in catalog if m.id}
    for msgid in sorted(source_ids):
        message = translated.get(msgid)
        forms = _forms(message.string) if message is not None else []
        if message is None or not forms or not all(forms):
            problems.append(f"missing: {msgid[:50]!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {msgid[:50]!r}")
        english = [msgid] if isinstance(message.id, str) else list(message.id)
        allowed = [Counter(_PLACEHOLDER.findall(e)) for e in english]
        allowed += [sum(allowed, Counter())]
        for text in forms:
            if Counter(_PLACEHOLDER.findall(text)) not in allowed:
                problems.append(f"placeholders differ: {msgid[:50]!r}")
            if Counter(_TAG.findall(msgid)) != Counter(_TAG.findall(text)):
                problems.append(f"tags differ: {msgid[:50]!r}")
            if (msgid.startswith("\n"), msgid.endswith("\n")) != (
                text.startswith("\n"),
                text.endswith("\n"),
            ):
                problems.append(f"line breaks differ: {msgid[:50]!r}")
    return sorted(set(problems), key=problems.index)


KEYWORDS = {"N_": None, "NP_": (1, 2)}


def _source_ids() -> set[str]:
    path = Path(texts.__file__)
    return {_key(msgid) for _, msgid, _, _ in extract_from_file("python", path, keywords=KEYWORDS)}


def test_template_lists_exactly_the_marked_texts() -> None:
    """messages.pot holds every N_-marked text of bot/core/texts.py and nothing else."""
    with (LOCALE / "messages.pot").open("rb") as f:
        template = {_key(m.id) for m in read_po(f) if m.id}
    assert template == _source_ids()


@pytest.mark.parametrize("language", SHIPPED)
def test_catalog_is_complete_and_keeps_placeholders_and_tags(language: str) -> None:
    """Every text is translated, not fuzzy, with the same {placeholders} and HTML tags."""
    assert catalog_problems(_po(language), _source_ids()) == []


def test_checker_catches_a_missing_message_and_a_broken_placeholder() -> None:
    """The completeness check fails a catalog that lacks a text or renames a placeholder."""
    catalog = Catalog(locale="es")
    catalog.add("Hello {name}", "Hola {nombre}")
    catalog.add("<b>Bold</b>", "<b>Negrita")
    problems = catalog_problems(catalog, {"Hello {name}", "<b>Bold</b>", "Bye"})
    assert problems == [
        "tags differ: '<b>Bold</b>'",
        "missing: 'Bye'",
        "placeholders differ: 'Hello {name}'",
    ]


@pytest.mark.parametrize("language", SHIPPED)
def test_compiled_catalog_matches_its_po_file(language: str) -> None:
    """The shipped .mo says exactly what the .po says (run pybabel compile after editing)."""
    with (LOCALE / language / "LC_MESSAGES" / "messages.mo").open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    catalog = _po(language)
    singles = {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}
    assert {msgid: compiled.gettext(msgid) for msgid in singles} == singles
    for message in catalog:
        if message.id and not isinstance(message.id, str):
            singular, plural = message.id[0], message.id[1]
            for n in (1, 2, 5, 21, 1_000_000):
                index = compiled.plural(n)  # type: ignore[attr-defined]
                assert compiled.ngettext(singular, plural, n) == message.string[index]


# Words that give away an English text left in a translated catalog (matched as whole words).
_ENGLISH = re.compile(
    r"\b(the|and|you|your|this|that|with|from|here|there|not|will|can't|don't|please|"
    r"subscribe|subscribed|unsubscribe|channels?|everything|stories|story|added|"
    r"removed|only|send|tap|choose)\b",
    re.IGNORECASE,
)
# Where an English word is right in another language too, or is a name or a command.
_ENGLISH_OK = re.compile(r"<code>.*?</code>|/[a-z_]+|\{[a-z_]+\}|teaserbot|@\w+|https?://\S+")


@pytest.mark.parametrize("language", SHIPPED)
def test_translated_catalogs_have_no_leftover_english(language: str) -> None:
    """No translation is the English text itself or keeps English words (outside commands,
    <code> examples and placeholders)."""
    leftovers = []
    for message in _po(language):
        if not message.id:
            continue
        english = [message.id] if isinstance(message.id, str) else list(message.id)
        for english_text, text in zip(english * 3, _forms(message.string), strict=False):
            bare = _ENGLISH_OK.sub(" ", text)
            if (text == english_text and _ENGLISH.search(bare)) or _ENGLISH.search(bare):
                leftovers.append(f"{_key(message.id)[:40]!r}: {text[:60]!r}")
    assert leftovers == []


def test_leftover_english_check_catches_an_untranslated_text() -> None:
    """The leftover-English check notices an English word in a translation."""
    assert _ENGLISH.search(_ENGLISH_OK.sub(" ", "Tippe auf <b>Subscribe</b>"))
    assert not _ENGLISH.search(_ENGLISH_OK.sub(" ", "Sende <code>/region add russia</code>"))


def test_texts_come_in_the_chosen_language() -> None:
    """tr() looks a text up in the current language; English is the source itself."""
    assert i18n.tr(texts.BUTTON_SETTINGS, "es") == "⚙️ Configuración"
    assert i18n.tr(texts.BUTTON_SETTINGS, "ru") == "⚙️ Настройки"
    assert i18n.tr(texts.BUTTON_SETTINGS, "en") == texts.BUTTON_SETTINGS
    i18n.use("de")
    try:
        assert i18n.tr(texts.YES) == "ja"
        assert texts.command_help("latest").startswith("/latest [Region] [Thema] [N] zeigt die N")
    finally:
        i18n.use(None)
    assert i18n.current() == "en"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("es", "es"), ("pt-br", "pt"), ("de-AT", "de"), ("zh-hans", None), ("", None), (None, None)],
)
def test_telegram_language_codes_map_to_shipped_languages(
    code: str | None, expected: str | None
) -> None:
    """Telegram's IETF tags fall back to their base language; unknown ones to none."""
    assert i18n.normalise(code) == expected


@pytest.mark.parametrize(
    ("typed", "ids"),
    [
        ("Rusia", {"RU"}),
        ("América Latina", {"latin-america"}),
        ("Europa", {"150"}),
        ("Россия", {"RU"}),
        ("Alemanha e França", {"DE", "FR"}),
        ("Naher Osten", {"middle-east"}),
        ("Asie de l\u2019Ouest", {"145"}),
        ("Südostasien", {"035"}),
        ("Russische Föderation", {"RU"}),
        ("add Brasil", {"BR"}),
    ],
)
def test_regions_typed_in_other_languages(typed: str, ids: set[str]) -> None:
    """/region understands CLDR and ISO names in every shipped language."""
    assert parse_filter(typed).ids == frozenset(ids)


@pytest.mark.parametrize(
    ("typed", "ids"),
    [
        ("georgia", {"GE"}),
        ("chad", {"TD"}),
        ("latin america", {"latin-america"}),
        ("eu", {"eu"}),
        ("uk", {"GB"}),
        ("india", {"IN"}),
    ],
)
def test_english_names_keep_their_meaning(typed: str, ids: set[str]) -> None:
    """A foreign name never takes over an English one ("India" is not Spanish "Indias")."""
    assert parse_filter(typed).ids == frozenset(ids)


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("es", "Rusai", "¿Querías decir"),
        ("pt", "Alemanhia", "Você quis dizer"),
        ("fr", "Allemagnee", "Vouliez-vous dire"),
        ("de", "Frankreic", "Meintest du"),
        ("ru", "Расия", "Может быть"),
    ],
)
def test_suggestions_in_every_language(language: str, typed: str, answer: str) -> None:
    """An unknown name gets a "Did you mean" in the chat's language, naming regions in it."""
    i18n.use(language)
    try:
        with pytest.raises(FilterError) as caught:
            parse_filter(typed)
    finally:
        i18n.use(None)
    assert answer in caught.value.message


def test_region_names_shown_in_the_chats_language() -> None:
    """Buttons and replies name regions in the language (CLDR or the override table)."""
    assert display_name("RU", "es") == "Rusia"
    assert display_name("150", "de") == "Europa"
    assert display_name("middle-east", "fr") == "Moyen-Orient"
    assert display_name("RU", "en") == "Russia"
    assert display_name("035", "en") == "Southeast Asia"


async def test_chat_language_is_stored_and_read_back(tmp_path: Path) -> None:
    """A chat's chosen language is in the database, and None goes back to the default."""
    path = tmp_path / "bot.sqlite3"
    store = await Store.open(path)
    try:
        await store.chats.upsert_chat(5, ChatKind.PRIVATE, now=1.0)
        assert await store.chats.language(5) is None
        await store.chats.set_language(5, "pt", 2.0)
    finally:
        await store.close()
    store = await Store.open(path)
    try:
        assert await store.chats.language(5) == "pt"
        chat = await store.chats.chat(5)
        assert chat is not None
        assert chat.language == "pt"
    finally:
        await store.close()


def test_digest_headings_speak_the_chats_language() -> None:
    """The delivery loop heads a digest in the chat's stored language, English by default."""
    assert digest_heading(3, 1, 1, "es") == "🗞 Resumen de noticias: 3 noticias"
    assert digest_heading(9, 2, 3, "de") == "🗞 Nachrichtenüberblick: 9 Meldungen (Teil 2 von 3)"
    assert digest_heading(3, 1, 1) == "🗞 News digest: 3 stories"
