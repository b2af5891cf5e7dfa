"""A database that fails while the bot starts (syncing its sources): one line naming the fault,
exit status 1, no traceback. The real bot process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.core.models import SourceSpec
from bot.store import Store
from tests.support.bot_process import BotProcess


async def _database_with_sources(path: Path, count: int) -> None:
    """A migrated database file holding ``count`` sources."""
    store = await Store.open(path)
    try:
        specs = [
            SourceSpec(name=f"Site {n}", url=f"https://site{n}.example/feed") for n in range(count)
        ]
        await store.sources.sync_sources(specs)
    finally:
        await store.close()


def _damage_pages(path: Path) -> None:
    """Overwrite every page after the first (the header, with the schema version, stays)."""
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for at in range(page, len(data)):
        data[at] = 0xA5
    path.write_bytes(bytes(data))


def test_a_database_damaged_past_its_header_stops_the_start_with_one_line(
    bot_env: dict[str, str], tmp_path: Path
) -> None:
    """Tables damaged, header intact: the start reads the sources, meets the damage, and ends
    with exit status 1 and one line naming it, no traceback."""
    database = Path(bot_env["DATABASE_PATH"])
    asyncio.run(_database_with_sources(database, 40))
    _damage_pages(database)
    with BotProcess(bot_env, cwd=tmp_path) as bot:
        status = bot.wait_exit(30)
        output = bot.output
    assert status == 1
    assert "Traceback" not in output
    [line] = [row for row in output.splitlines() if row.startswith("teaserbot: ")]
    assert line.startswith("teaserbot: cannot use the database ")
    assert "the database file is damaged" in line
    assert "restore it from a backup" in line


def test_a_full_disk_while_syncing_the_sources_stops_the_start_with_one_line(
    bot_env: dict[str, str], tmp_path: Path
) -> None:
    """The disk fills up while the start writes the sources file's 400 sources: exit status 1
    and one line saying the disk is full, no traceback."""
    database = Path(bot_env["DATABASE_PATH"])
    asyncio.run(_database_with_sources(database, 1))
    lines = [
        f'[[source]]\nname = "Site {n}"\nurl = "https://site{n}.example/feed"\n' for n in range(400)
    ]
    sources = tmp_path / "sources.toml"
    sources.write_text("\n".join(lines), encoding="utf-8")
    env = {**bot_env, "SOURCES_FILE": str(sources)}
    env.pop("FEED_URLS")
    limit = database.stat().st_size  # room to open, none for 400 more sources
    with BotProcess(env, cwd=tmp_path, file_size_limit=limit) as bot:
        status = bot.wait_exit(30)
        output = bot.output
    assert status == 1, output
    assert "Traceback" not in output
    # The start's writes, or the first ones after it, meet the full disk: one line either way.
    [line] = [row for row in output.splitlines() if "I/O error" in row or "is full" in row]
    assert line.startswith("teaserbot: cannot use the database ") or "stopped after" in line
