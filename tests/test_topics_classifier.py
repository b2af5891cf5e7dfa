"""The topic classifier's mechanisms: strong words, outlet names, headline topics, categories,
stems kept apart."""

from __future__ import annotations

from bot.core.topics import topic_scores, topics_of
from bot.core.topics.classify import evidence_of, lexicon, split_outlet, word_stems


def test_hints_alone_never_make_a_topic() -> None:
    """ "Police" and "arrested" are hints of rights: together they reach the score but no
    strong word says rights, so a crime story gets no topic."""
    title = "Police say a man was arrested"
    assert topic_scores(title, "", (), "en")["rights"] >= 3
    assert topics_of(title, "", (), "en") == ()
    assert topics_of("Police crackdown: a man was arrested", "", (), "en") == ("rights",)


def test_an_outlet_named_for_a_topic_hints_at_it() -> None:
    """A sports outlet's name after the title ("… - Championat") gives culture to a match report
    whose words name no sport; the same title without the outlet gets nothing."""
    title = "Zenit beat Spartak in St Petersburg"
    assert topics_of(f"{title} - Championat", "", (), "en") == ("culture",)
    assert topics_of(title, "", (), "en") == ()
    assert topics_of(f"{title} - Sport-Express", "", (), "en") == ("culture",)


def test_the_outlet_is_split_off_the_title() -> None:
    """The outlet's name is split off a title of three words or more; a dash inside a short
    title is left alone."""
    assert split_outlet("Streik bei der Bahn - WELT") == ("Streik bei der Bahn", "WELT")
    assert split_outlet("A - B") == ("A - B", "")
    news = "Neukölln wehrt sich gegen Spekulanten - FAZ - Frankfurter Allgemeine"
    assert split_outlet(news) == (
        "Neukölln wehrt sich gegen Spekulanten",
        "FAZ Frankfurter Allgemeine",
    )


def test_a_side_topic_the_headline_names_needs_a_smaller_share() -> None:
    """A second topic named in the title is kept at a smaller share of the best one's score
    than one only the summary names."""
    assert topics_of("Strike", "Voters.", (), "en") == ("labour",)
    assert topics_of("Strike: voters", "", (), "en") == ("labour", "politics")
    evidence = evidence_of("Strike", "Voters.", (), "en")
    assert evidence.headline == frozenset({"labour"})
    assert evidence.strongest == {"labour": 3.0, "politics": 2.0}


def test_a_category_qualifier_says_nothing_of_the_story() -> None:
    """ "Populism (Theory and Philosophy)" is a tag about populism, not a theory article."""
    scores = topic_scores("Notes", "", ("Populism (Theory and Philosophy)",), "en")
    assert "theory" not in scores
    assert scores["politics"] > 0


def test_the_categories_count_a_word_once() -> None:
    """A word repeated across a story's many tags counts once, as in a title."""
    one = topic_scores("Notes", "", ("Philosophy of mind",), "en")
    two = topic_scores("Notes", "", ("Philosophy of mind", "Philosophy of art"), "en")
    assert two["theory"] == one["theory"]


def test_stems_that_meet_unrelated_words_are_kept_apart() -> None:
    """Spanish "deportes" (sport) and "deportaciones" share Snowball's stem; the classifier
    keeps them apart, so each story gets its own topic."""
    assert word_stems("deportes y deportaciones", "es") == ["deport", "y", "deportacion"]
    assert topics_of("Las deportaciones masivas", "", (), "es") == ("rights",)
    assert topics_of("La sección de deportes", "", (), "es") == ("culture",)
    assert "droite" in word_stems("les élus de la droite", "fr")
    assert word_stems("l'usine", "fr") == word_stems("usine", "fr")


def test_a_story_mostly_about_something_else_keeps_only_strong_topics() -> None:
    """Health, crime or gadget words weigh as a topic of their own that is never shown: a
    minister at a vaccination drive is a health story, a minister at the port is politics."""
    health = "Minister visits hospital as covid vaccine rollout starts"
    assert topics_of(health, "", (), "en") == ()
    assert "other" not in topic_scores(health, "", (), "en")
    assert topics_of("Minister visits the port", "", (), "en") == ("politics",)


COMMON_WORDS = {
    "en": "right general national important success population private race box organization logs",
    "es": "para solo dan modo celebrado ocupantes florida",
    "pt": "tem temos câmera missas opera ocupa modo entrega",
    "fr": "partir sera coup",
    "de": "kriegen gewinnen mal",
    "ru": "после свою своим стихи правила",
}


def test_common_words_name_no_topic() -> None:
    """Everyday words whose stem meets a topic word's ("para" and "paro", "после" and "посла",
    "right" and "rights") are not read as that topic."""
    for language, words in COMMON_WORDS.items():
        table = lexicon(language)
        for word in words.split():
            assert tuple(word_stems(word, language)) not in table.grams, (language, word)
