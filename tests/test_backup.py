"""`python -m bot backup PATH`: a consistent, verified copy taken while another process writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.errors import StoreError
from bot.store.backup import backup_database, backup_target
from bot.store.schema import LATEST_VERSION
from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[1]
BATCH = 50

WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from bot.core.models import ChatKind, Classification, NewArticle, ParsedItem, SourceSpec
    from bot.store import Store
    from tests.support.seeding import record_articles

    async def main(path: Path, batch: int) -> None:
        store = await Store.open(path)
        [source] = await store.sources.sync_sources([SourceSpec(name="S", url="https://s.example/f")])
        await store.chats.upsert_chat(42, ChatKind.PRIVATE, now=1.0)
        await store.chats.set_subscribed(42, True, now=1.0)
        n = 0
        while True:
            entries = [
                NewArticle(
                    ParsedItem(key=f"k{n + i}", title="T" * 80, summary="S" * 400,
                               url=f"https://s.example/{n + i}", published=None),
                    Classification(),
                )
                for i in range(batch)
            ]
            n += batch
            await record_articles(store, source.id, entries, now=2.0)
            if n == batch * 4:
                print("writing", flush=True)

    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2])))
    """
)


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[Path]:
    """A separate process that keeps recording batches of articles, each queued in one commit."""
    database = tmp_path / "bot.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(database), str(BATCH)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        yield database
    finally:
        proc.kill()
        proc.wait(deadline(10))
        if proc.stdout is not None:
            proc.stdout.close()


def counts(path: Path) -> tuple[int, int, str]:
    with sqlite3.connect(path) as db:
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        queued = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    return articles, queued, check


def test_backup_while_another_process_writes_is_consistent(writer: Path, tmp_path: Path) -> None:
    """Copies taken mid-write hold whole transactions only: every article has its outbox row."""
    seen: list[int] = []
    deadline = time.monotonic() + 10
    number = 0
    while len(set(seen)) < 3 and time.monotonic() < deadline:
        number += 1
        target = tmp_path / f"copy{number}.sqlite3"
        result = backup_database(writer, target)
        articles, queued, check = counts(target)
        assert check == "ok"
        assert articles > 0
        assert articles % BATCH == 0
        assert queued == articles
        assert result.articles == articles
        assert result.schema_version == LATEST_VERSION
        seen.append(articles)
    assert len(set(seen)) >= 3  # the writer kept going while the copies were taken
    assert not list(tmp_path.glob(".*partial*"))


def test_backup_command_writes_a_dated_copy_into_a_directory(writer: Path, tmp_path: Path) -> None:
    """`python -m bot backup DIR` prints what it did and leaves a verified copy in DIR."""
    out = tmp_path / "backups"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DATABASE_"))}
    env.update({"DATABASE_PATH": str(writer), "PYTHONPATH": str(REPO)})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=deadline(30),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    [copy] = out.glob("teaserbot-*.sqlite3")
    assert f"to {copy}" in done.stdout
    articles, queued, check = counts(copy)
    assert (check, queued) == ("ok", articles)


def test_backup_refuses_a_missing_database_and_overwriting_itself(tmp_path: Path) -> None:
    """No database is an error, and so is a target that is the database itself."""
    with pytest.raises(StoreError, match="no database"):
        backup_database(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    database = tmp_path / "bot.sqlite3"
    sqlite3.connect(database).close()
    with pytest.raises(StoreError, match="must not overwrite"):
        backup_database(database, database)


def test_backup_target_names_a_file_inside_a_directory(tmp_path: Path) -> None:
    """A directory target gets a dated file name; a file target is used as given."""
    assert backup_target(tmp_path / "x.sqlite3") == tmp_path / "x.sqlite3"
    assert backup_target(tmp_path).name.startswith("teaserbot-")


def test_a_folder_target_is_a_directory_a_trailing_slash_or_a_new_name_without_extension(
    tmp_path: Path,
) -> None:
    """Dated files go into a directory, `name/`, or a new extension-less name; else the file."""
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    dated = "teaserbot-20260102-030405.sqlite3"
    assert backup_target(tmp_path / "backups", now) == tmp_path / "backups" / dated
    assert backup_target(f"{tmp_path}/b.d/", now) == tmp_path / "b.d" / dated
    assert backup_target(tmp_path / "copy.sqlite3", now) == tmp_path / "copy.sqlite3"
    (tmp_path / "plain").write_bytes(b"")  # an existing file stays a file, extension or not
    assert backup_target(tmp_path / "plain", now) == tmp_path / "plain"


def test_backup_into_a_new_folder_makes_it_and_prunes_old_dated_copies(tmp_path: Path) -> None:
    """`backup_database(db, folder, keep=1)` creates the folder and removes older dated copies."""
    database = tmp_path / "bot.sqlite3"
    sqlite3.connect(database).close()
    folder = tmp_path / "backups"
    first = backup_database(database, folder)
    assert first.path.parent == folder
    old = folder / "teaserbot-20000101-000000.sqlite3"
    first.path.rename(old)
    second = backup_database(database, folder, keep=1)
    assert second.pruned == (old,)
    assert list(folder.iterdir()) == [second.path]


def test_a_backup_in_many_steps_reports_progress_and_stays_one_snapshot(
    writer: Path, tmp_path: Path
) -> None:
    """Copied a page at a time while another process writes, the copy is still one moment's
    database, and the progress hook sees the pages done rise to the total."""
    reports: list[tuple[int, int | None]] = []
    target = tmp_path / "stepped.sqlite3"
    result = backup_database(
        writer, target, progress=lambda done, total: reports.append((done, total)), pages_per_step=1
    )
    articles, queued, check = counts(target)
    assert check == "ok"
    assert articles % BATCH == 0
    assert queued == articles == result.articles
    assert len(reports) > 10
    done = [d for d, _ in reports]
    assert done == sorted(done)
    assert reports[-1][0] == reports[-1][1]
