"""Parsing feeds and listing pages into articles (pure)."""
