"""The pure core: parsing, regions, rendering, pacing and texts. No Telegram, HTTP or database."""
