"""compose.postgres.yaml, the PostgreSQL variant of compose.yaml, checked without a Docker engine.

No YAML parser is a dependency, so the file is read line by line (two-space indents, as written);
the same file was loaded with PyYAML by hand when it was made.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.config import load_settings

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "compose.postgres.yaml"


def blocks(text: str, indent: int) -> dict[str, str]:
    """The keys at one indentation level, each with the lines under it."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        depth = len(line) - len(line.lstrip(" "))
        key = re.match(r"^ *([\w-]+):", line)
        if depth == indent and key:
            current = found.setdefault(key[1], [])
        elif depth < indent:
            current = None
        if current is not None:
            current.append(line)
    return {key: "\n".join(lines) for key, lines in found.items()}


def services() -> dict[str, str]:
    text = COMPOSE.read_text()
    assert "\t" not in text
    top = blocks(text, 0)
    assert set(top) == {"services", "volumes"}
    return blocks(top["services"], 2)


def test_postgres_service_uses_the_official_image_a_named_volume_and_pg_isready() -> None:
    """The database runs the official image, keeps its data on a named volume, reports health."""
    postgres = services()["postgres"]
    assert re.search(r"^    image: postgres:\d+$", postgres, re.M)
    assert re.search(r"^      - teaserbot-postgres:/var/lib/postgresql/data$", postgres, re.M)
    assert re.search(r"^volumes:\n  teaserbot-postgres:", COMPOSE.read_text(), re.M)
    assert re.search(r"^    healthcheck:\n      test: \[.*pg_isready -U teaserbot", postgres, re.M)
    assert "POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?" in postgres  # no default password


def test_bot_waits_for_a_healthy_database_and_reaches_it_by_database_url(tmp_path: Path) -> None:
    """The bot starts once PostgreSQL is healthy; its DATABASE_URL is one the bot accepts."""
    bot = services()["teaserbot"]
    assert re.search(r"^    build: \.$", bot, re.M)
    assert re.search(r"^    env_file: \.env$", bot, re.M)
    assert re.search(
        r"^    depends_on:\n      postgres:\n        condition: service_healthy$", bot, re.M
    )
    [url] = re.findall(r"^      DATABASE_URL: (\S+)$", bot, re.M)
    assert "@postgres:5432/teaserbot" in url
    filled = url.replace("${POSTGRES_PASSWORD}", "Secret123")
    settings = load_settings({"DATABASE_URL": filled}, cwd=tmp_path, require_token=False)
    assert settings.database_url == filled
    assert "Secret123" in settings.secrets  # kept out of every log line
    assert "ports:" not in bot.replace("# ports:", "")  # so --scale teaserbot=3 works


def test_readme_shows_the_postgresql_variant_beside_the_sqlite_one() -> None:
    """The README's Docker section names both compose files and links docs/operations.md."""
    readme = (REPO / "README.md").read_text()
    docker = readme.split("## Docker", 1)[1].split("\n## ", 1)[0]
    assert "docker compose up -d" in docker
    assert "docker compose -f compose.postgres.yaml up -d" in docker
    assert "docs/operations.md" in docker
