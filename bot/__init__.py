"""teaserbot: posts news teasers from feeds to Telegram chats, filtered by world region."""

__version__ = "0.1.0"
