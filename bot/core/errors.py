"""The project's exception hierarchy: one root, one subclass per boundary."""


class BotError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(BotError):
    """The configuration is invalid; the message lists every problem at once."""


class SourceError(BotError):
    """Fetching or parsing one source failed; the poller records it and moves on."""


class FetchError(SourceError):
    """The HTTP exchange for a source failed (network, status, size, timeout)."""


class ParseError(SourceError):
    """A document could not be read as a feed or listing page."""


class StoreError(BotError):
    """The database cannot be used (wrong schema version, locked by another process)."""


class InstanceLockedError(StoreError):
    """Another bot process holds the SQLite database's instance lock."""


class FatalError(BotError):
    """The running bot met a fault it cannot work around; it was logged, the bot stopped."""


class TokenRejectedError(ConfigError):
    """Telegram answered 401 to the bot token: the operator must fix BOT_TOKEN."""
