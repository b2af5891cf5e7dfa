"""What stories are about: a small fixed list of topics, the classifier, the chats' filters.

Pure: imports nothing from telegram, httpx or a database driver. Topic ids are the English
words in ``TOPICS`` ("labour", "politics", "war", "economy", "environment", "rights",
"theory", "culture"); people see and type them in their own language.
"""

from bot.core.topics.classify import topic_scores, topics_of
from bot.core.topics.taxonomy import (
    TOPICS,
    TopicError,
    TopicFilter,
    display_name,
    edit_filter,
    filter_from_text,
    filter_to_text,
    format_filter,
    hashtag,
    matches,
    parse_filter,
    resolve_name,
    teaser_hashtags,
    toggle,
)

__all__ = [
    "TOPICS",
    "TopicError",
    "TopicFilter",
    "display_name",
    "edit_filter",
    "filter_from_text",
    "filter_to_text",
    "format_filter",
    "hashtag",
    "matches",
    "parse_filter",
    "resolve_name",
    "teaser_hashtags",
    "toggle",
    "topic_scores",
    "topics_of",
]
