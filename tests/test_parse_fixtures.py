"""Fixture documents in tests/fixtures/feeds/ parse to their paired expected-output files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.core.models import ParsedFeed, SourceKind
from bot.core.parsing.parse import parse_document

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "feeds"
DOCUMENTS = sorted(p for p in FIXTURES.iterdir() if not p.name.endswith(".expected.json"))


def as_json(feed: ParsedFeed) -> dict[str, Any]:
    """The comparable form of a parsed document, as stored in the .expected.json files."""
    return {
        "format": feed.format,
        "title": feed.title,
        "link": feed.link,
        "items": [
            {
                "key": item.key,
                "title": item.title,
                "summary": item.summary,
                "url": item.url,
                "published": item.published.isoformat() if item.published else None,
                "categories": list(item.categories),
                "image": item.image,
            }
            for item in feed.items
        ],
    }


def test_every_fixture_has_an_expected_file() -> None:
    """Each fixture document is paired with a name.expected.json file."""
    missing = [p.name for p in DOCUMENTS if not (FIXTURES / f"{p.stem}.expected.json").exists()]
    assert DOCUMENTS
    assert missing == []


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_fixture_parses_to_expected(path: Path) -> None:
    """The document parses to exactly the items recorded in its expected-output file."""
    kind = SourceKind.HTML if path.suffix == ".html" else SourceKind.FEED
    feed = parse_document(
        path.read_bytes(), url=f"https://fixtures.example/feeds/{path.name}", kind=kind
    )
    expected = json.loads((FIXTURES / f"{path.stem}.expected.json").read_text(encoding="utf-8"))
    assert as_json(feed) == expected
