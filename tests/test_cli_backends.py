"""`sources`, `reclassify`, `backup` and `healthcheck` on either backend, and their failures.

Each command runs as a real process (`python -m bot …`) on a SQLite file or, with DATABASE_URL,
on a fresh database of the session's own PostgreSQL server. A bad URL, a wrong password or a
server nobody answers on gives one clear line: no traceback, never the password.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from bot.core.models import Classification, NewArticle, ParsedItem, SourceSpec
from bot.service.healthcheck import Health
from bot.service.metrics import Metrics, MetricsServer
from bot.store.postgres import PostgresStore
from tests.support.backends import BACKENDS, database_env, store_of
from tests.support.deadlines import deadline
from tests.support.postgres import PostgresServer, free_port
from tests.support.seeding import poll_error, poll_ok, record_articles
from tests.support.store_rows import add_article

REPO = Path(__file__).resolve().parents[1]
HEADER = ["ID", "NAME", "URL", "STATUS", "LAST", "SUCCESS", "LAST", "ERROR", "NEXT", "POLL"]
_OURS = ("BOT_", "TELEGRAM_", "DATABASE_", "FEED_", "SOURCES_", "METRICS_", "PG")


def command_env(env: Mapping[str, str]) -> dict[str, str]:
    """The process environment for a command: ours only, no token, no PG* variables."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    full.update({"PYTHONPATH": str(REPO), **env})
    return full


def cli(env: Mapping[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot ARGS` with this environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=command_env(env),
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """The environment naming a fresh database on each backend."""
    return database_env(request.param, tmp_path, request)


def uses_the_backend(database: Mapping[str, str]) -> None:
    """On PostgreSQL the SQLite file DATABASE_PATH is never made."""
    if "DATABASE_URL" in database:
        assert not Path(database["DATABASE_PATH"]).exists()


# ------------------------------------------------------------------------------ sources


async def test_sources_command_shows_each_sources_status(
    database: dict[str, str], tmp_path: Path
) -> None:
    """Healthy, failing and unpolled sources show their status, times and last error."""
    now = time.time()
    async with store_of(database) as store:
        ok, down, _later = await store.sources.sync_sources(
            [SourceSpec(name=n, url=f"https://{n}.example/feed") for n in ("ok", "down", "later")]
        )
        await poll_ok(store, ok.id, now=now, next_poll_at=now + 600)
        for _ in range(2):
            await poll_error(
                store, down.id, now=now, next_poll_at=now + 600, error="HTTP 500 Server Error"
            )

    result = cli(database, "sources", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == HEADER
    by_name = {row.split()[1]: row for row in rows}
    assert set(by_name) == {"ok", "down", "later"}
    assert " ok " in by_name["ok"]
    assert by_name["ok"].count("Z") == 2  # last success and next poll
    assert "failing x2" in by_name["down"]
    assert "HTTP 500 Server Error" in by_name["down"]
    assert by_name["later"].split()[-4:] == ["new", "-", "-", "due"]
    uses_the_backend(database)


# ------------------------------------------------------------------------------ reclassify


async def test_reclassify_command_reports_how_many_changed(
    database: dict[str, str], tmp_path: Path
) -> None:
    """Articles stored without countries get them; the command says how many changed."""
    titles = ["Protests in Russia", "Coup in Myanmar", "Happy New Year"]
    stale = [
        NewArticle(
            ParsedItem(f"k{i}", t, "", None, datetime(2021, 2, 1, tzinfo=UTC)), Classification()
        )
        for i, t in enumerate(titles)
    ]
    async with store_of(database) as store:
        [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
        await record_articles(store, source.id, stale, now=1e9, baseline=True)

    result = cli(database, "reclassify", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "reclassified 3 articles: 2 changed"
    async with store_of(database) as store:
        countries = sorted(a.countries for a in await store.articles.latest_articles(3))
    assert countries == [(), ("MM",), ("RU",)]
    uses_the_backend(database)


# ------------------------------------------------------------------------------ healthcheck


async def test_healthcheck_reads_the_database_without_an_endpoint(
    database: dict[str, str], tmp_path: Path
) -> None:
    """Without METRICS_PORT the command judges from the database: an overdue source fails it."""
    now = time.time()
    async with store_of(database) as store:
        [source] = await store.sources.sync_sources(
            [SourceSpec("Example", "https://example.org/f")]
        )
        await poll_ok(store, source.id, now=now, next_poll_at=now + 60)
    healthy = cli(database, "healthcheck", cwd=tmp_path)
    assert (healthy.returncode, healthy.stdout) == (0, "ok\n")
    async with store_of(database) as store:
        await poll_ok(store, source.id, now=now - 1000, next_poll_at=now - 900)
    stalled = cli(database, "healthcheck", cwd=tmp_path)
    assert stalled.returncode == 1
    assert stalled.stderr.startswith("polling stalled: source 'Example' is ")
    uses_the_backend(database)


async def test_healthcheck_asks_the_endpoint_when_the_metrics_port_is_set(
    database: dict[str, str], tmp_path: Path
) -> None:
    """With METRICS_PORT the command asks /healthz (served from this backend), not the database."""
    now = time.time()
    clock = [now]
    async with store_of(database) as store:
        [source] = await store.sources.sync_sources(
            [SourceSpec("Example", "https://example.org/f")]
        )
        await poll_ok(store, source.id, now=now, next_poll_at=now + 60)
        server = MetricsServer(store, Metrics(clock=lambda: clock[0]), Health(stall_after=300))
        port = await server.start("127.0.0.1", 0)
        # The database the command would read is unreachable: only the endpoint can answer.
        env = {**database, "METRICS_PORT": str(port), "DATABASE_PATH": str(tmp_path / "none")}
        if "DATABASE_URL" in env:
            env["DATABASE_URL"] = f"postgresql://nobody:x@127.0.0.1:{free_port()}/none"
        try:
            healthy = await asyncio.to_thread(cli, env, "healthcheck", cwd=tmp_path)
            assert (healthy.returncode, healthy.stdout) == (0, "ok\n")
            clock[0] = now + 1000
            stalled = await asyncio.to_thread(cli, env, "healthcheck", cwd=tmp_path)
        finally:
            await server.stop()
    assert stalled.returncode == 1
    assert "polling stalled: source 'Example'" in stalled.stderr


# ------------------------------------------------------------------------------ backup


def pg_tool(name: str) -> str:
    """A PostgreSQL client tool on PATH (the test skips without it)."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def restore(dump: Path, server: PostgresServer) -> str:
    """pg_restore the dump into a new database of the server; that database's URL."""
    url = server.create_database()
    done = subprocess.run(
        [pg_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={url}", str(dump)],
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return url


async def test_backup_on_postgresql_is_a_pg_dump_of_one_moment(
    postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    """`backup DIR` dumps one moment while rows are added: restored, it holds what it printed."""
    pg_tool("pg_dump")
    env = {"DATABASE_URL": postgres_url, "DATABASE_PATH": str(tmp_path / "unused.sqlite3")}
    out = tmp_path / "backups"
    out.mkdir()
    store = await PostgresStore.open(postgres_url)
    [source] = await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
    written = 0
    started = asyncio.Event()

    async def write() -> None:
        nonlocal written
        while True:
            await add_article(store, source.id, f"k{written}")
            written += 1
            if written == 50:
                started.set()

    writer = asyncio.create_task(write())
    try:
        await started.wait()
        done = await asyncio.to_thread(cli, env, "backup", str(out), cwd=tmp_path)
        during = written
    finally:
        writer.cancel()
        await asyncio.gather(writer, return_exceptions=True)
        await store.close()
    assert done.returncode == 0, done.stderr
    [dump] = out.glob("teaserbot-*.dump")
    assert not list(out.glob(".*partial*"))
    line = re.fullmatch(
        r"backed up postgresql://teaserbot@127\.0\.0\.1:\d+/\w+ to (.+): (\d+) bytes, "
        r"schema version (\d+), (\d+) articles\n",
        done.stdout,
    )
    assert line is not None, done.stdout
    assert line[1] == str(dump)
    assert int(line[2]) == dump.stat().st_size
    printed = int(line[4])
    assert 50 <= printed <= during
    copy = await PostgresStore.open(restore(dump, postgres_server))
    try:
        assert await copy.articles.article_count() == printed
        assert await copy.schema_version() == int(line[3])
        assert [s.url for s in await copy.sources.sources()] == ["https://s.example/feed"]
    finally:
        await copy.close()
    assert postgres_server.password not in done.stdout + done.stderr


async def test_backup_to_a_new_folder_writes_dated_files_and_keeps_the_newest(
    database: dict[str, str], tmp_path: Path
) -> None:
    """`backup /data/backups --keep 2`: a new name without an extension is a folder of dated
    backups, and only the newest two stay (other files in it are left alone)."""
    if "DATABASE_URL" in database:
        pg_tool("pg_dump")
    suffix = ".dump" if "DATABASE_URL" in database else ".sqlite3"
    async with store_of(database) as store:
        await store.sources.sync_sources([SourceSpec("S", "https://s.example/feed")])
    folder = tmp_path / "data" / "backups"
    first = cli(database, "backup", str(folder), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    [made] = folder.iterdir()
    assert re.fullmatch(rf"teaserbot-\d{{8}}-\d{{6}}{re.escape(suffix)}", made.name)
    made.rename(folder / f"teaserbot-20200102-000000{suffix}")
    for name in (f"teaserbot-20200101-000000{suffix}", f"teaserbot-20191231-235959{suffix}"):
        (folder / name).write_bytes(b"old")
    (folder / "notes.txt").write_text("mine")
    second = cli(database, "backup", f"{folder}/", "--keep", "2", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[-1] == "removed 2 older backups (--keep 2)"
    kept = sorted(p.name for p in folder.iterdir())
    assert kept[:2] == ["notes.txt", f"teaserbot-20200102-000000{suffix}"]
    assert kept[2].startswith(f"teaserbot-{datetime.now(UTC):%Y}")
    assert len(kept) == 3


def test_backup_keep_needs_a_folder(tmp_path: Path) -> None:
    """`--keep` with a file target (it has an extension) is refused before anything is written."""
    env = {"DATABASE_PATH": str(tmp_path / "bot.sqlite3")}
    done = cli(env, "backup", str(tmp_path / "copy.sqlite3"), "--keep", "3", cwd=tmp_path)
    assert done.returncode == 2
    assert "--keep needs a folder of dated backups" in done.stderr
    assert cli(env, "backup", str(tmp_path / "b"), "--keep", "0", cwd=tmp_path).returncode == 2


def test_backup_on_postgresql_without_pg_dump_says_which_command_to_run(
    postgres_url: str, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    """With no pg_dump installed the command names the one to run, without the password."""
    env = {"DATABASE_URL": postgres_url, "PATH": str(tmp_path / "empty-bin")}
    done = cli(env, "backup", str(tmp_path / "bot.dump"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("teaserbot: pg_dump is not installed here")
    hint = line.split("back up PostgreSQL with: ", 1)[1]
    assert shlex.split(hint) == [
        "PGPASSWORD=…",
        "pg_dump",
        "--format=custom",
        f"--file={tmp_path / 'bot.dump'}",
        postgres_url.replace(f":{quote(postgres_server.password, safe='')}@", "@"),
    ]
    assert postgres_server.password not in line
    assert not (tmp_path / "bot.dump").exists()


# ------------------------------------------------------------------------------ failures

COMMANDS = [["sources"], ["reclassify"], ["backup", "out.dump"], ["healthcheck"]]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_bad_url_wrong_password_or_unreachable_server_is_one_line(
    args: list[str], postgres_server: PostgresServer, postgres_url: str, tmp_path: Path
) -> None:
    """Each database command answers a bad URL, a refused login or no server in one line."""
    secret = "s3cret-Pa55"
    database = postgres_url.rsplit("/", 1)[1]
    cases = {
        "bad": (f"postgresql://teaserbot:{secret}@127.0.0.1:99999/x", 2, "DATABASE_URL"),
        "refused": (postgres_server.url(database, password=secret), 1, "refused the login"),
        "down": (f"postgresql://u:{secret}@127.0.0.1:{free_port()}/x", 1, "cannot reach"),
    }
    for case, (url, status, says) in cases.items():
        done = cli({"DATABASE_URL": url}, *args, cwd=tmp_path)
        shown = done.stdout + done.stderr
        assert done.returncode == status, (case, shown)
        assert says in shown, (case, shown)
        assert "Traceback" not in shown, (case, shown)
        assert secret not in shown, (case, shown)
        assert postgres_server.password not in shown, (case, shown)
        if status == 1:
            assert len(shown.strip().splitlines()) == 1, (case, shown)
    assert not (tmp_path / "out.dump").exists()


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
def test_a_damaged_sqlite_file_is_one_line(args: list[str], tmp_path: Path) -> None:
    """Each database command answers a SQLite file that is no database in one line."""
    database = tmp_path / "bot.sqlite3"
    database.write_bytes(b"this is no database, just some bytes\n" * 200)
    done = cli({"DATABASE_PATH": str(database)}, *args, cwd=tmp_path)
    shown = done.stdout + done.stderr
    assert done.returncode == 1, shown
    assert "Traceback" not in shown
    assert len(shown.strip().splitlines()) == 1, shown
    assert str(database) in shown
