"""Command line: `python -m bot [run|preview|classify|sources|backup|…] …`. Wiring only.

`sources`, `reclassify`, `backup` and `healthcheck` read the configured database: PostgreSQL when
DATABASE_URL is set, else the SQLite file DATABASE_PATH.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import uvloop

from bot import __version__
from bot.config import NO_TOKEN_HELP, Settings, SettingsError, load_settings, redact
from bot.core import regions
from bot.core.credentials import hide_credentials
from bot.core.errors import BotError, ConfigError, FatalError
from bot.core.models import Article, ParsedFeed, Source, SourceKind
from bot.core.progress import ProgressHook
from bot.logs import setup_logging
from bot.sources_file import load_sources

EXIT_CONFIG = 2
EXIT_FAILURE = 1
LOOP_FACTORY: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
"""The running bot's event loop: uvloop (libuv) spends about a tenth less CPU per delivered
message than asyncio's own loop (issue 27, docs/performance.md); ``bench/fanout.py --loop
asyncio`` runs the bot on the stock loop to compare."""


def progress_bar(label: str, unit: str) -> AbstractContextManager[ProgressHook]:
    """:func:`bot.progress.progress_bar`, imported by the commands that draw one: rich costs
    the running bot 1.4 MB of memory it never uses (issue 27)."""
    from bot.progress import progress_bar as bar  # noqa: PLC0415

    return bar(label, unit)


def _add_classify(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `classify` command: JSON lines in, each read in its own language."""
    classify = commands.add_parser(
        "classify", help="read teasers as JSON lines on stdin, write them with their regions"
    )
    classify.add_argument("--json", action="store_true", help="JSON lines out (the default)")
    classify.add_argument(
        "--language",
        metavar="CODE",
        help='the teasers\' language ("es", "pt-BR") where a line names none in "language"',
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="teaserbot: posts news teasers from feeds to Telegram chats, by region.",
    )
    parser.add_argument("--version", action="version", version=f"teaserbot {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot (the default)")
    preview = commands.add_parser(
        "preview", help="print the teasers of a feed (URL or file) as the bot would post them"
    )
    preview.add_argument("target", metavar="URL_OR_FILE")
    preview.add_argument("--json", action="store_true", help="one JSON object per line")
    preview.add_argument(
        "--kind",
        choices=[kind.value for kind in SourceKind],
        default=SourceKind.AUTO.value,
        help="how to read the document (default: auto, a feed or a page that names one)",
    )
    _add_classify(commands)
    sources = commands.add_parser(
        "sources", help="show every source with its polling status; export or import OPML"
    )
    actions = sources.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("export", help="print every source as OPML 2.0")
    importing = actions.add_parser(
        "import", help="add the feeds of an OPML file, each checked and read as /addsource does"
    )
    importing.add_argument("file", metavar="FILE.opml", type=Path)
    backup = commands.add_parser(
        "backup",
        help="copy the database consistently while the bot runs: to a file, or to a dated file "
        "in a folder (a directory, a name ending with /, or a new name without an extension)",
    )
    backup.add_argument("path", metavar="PATH")
    backup.add_argument(
        "--keep", type=_positive, metavar="N", help="in a folder, keep only the newest N backups"
    )
    commands.add_parser(
        "healthcheck", help="exit 0 when the running bot is healthy (asks /healthz or the database)"
    )
    commands.add_parser(
        "stats",
        help="summarise chats, subscriptions, articles per source and deliveries (no chat ids)",
    )
    commands.add_parser(
        "reclassify", help="re-run the region and topic classifiers over every stored article"
    )
    copy_store = commands.add_parser(
        "copy-store",
        help="copy every table of the SQLite file (DATABASE_PATH) into an empty PostgreSQL "
        "database; run it while the bot is stopped",
    )
    copy_store.add_argument("--to", required=True, metavar="postgresql://…", dest="to")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit status."""
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "run":
            return _run()
        if command == "preview":
            return _preview(args.target, as_json=args.json, kind=SourceKind(args.kind))
        if command == "classify":
            return _classify(sys.stdin, sys.stdout, args.language)
        if command == "sources":
            return _sources(args.action, getattr(args, "file", None))
        if command == "backup":
            return _backup(args.path, keep=args.keep)
        if command == "healthcheck":
            return _healthcheck()
        if command == "reclassify":
            return _reclassify()
        if command == "stats":
            return _stats()
        if command == "copy-store":
            return _copy_store(args.to)
    except KeyboardInterrupt:
        return 130
    raise AssertionError(command)  # pragma: no cover - argparse limits the choices


def _settings(*, require_token: bool) -> Settings | int:
    try:
        return load_settings(os.environ, cwd=Path.cwd(), require_token=require_token)
    except SettingsError as exc:
        if exc.missing_token and len(exc.problems) == 1:
            print(NO_TOKEN_HELP, file=sys.stderr)
        else:
            print("teaserbot: invalid configuration:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            if exc.missing_token:
                print(file=sys.stderr)
                print(NO_TOKEN_HELP, file=sys.stderr)
        return EXIT_CONFIG


def _run() -> int:
    from bot.app import run  # noqa: PLC0415 - keeps `preview` and `--help` free of PTB

    settings = _settings(require_token=True)
    if isinstance(settings, int):
        return settings
    try:
        specs = load_sources(settings)
    except ConfigError as exc:
        print(f"teaserbot: invalid sources:\n{exc}", file=sys.stderr)
        return EXIT_CONFIG
    if settings.webhook_url and not settings.webhook_secret:
        # Made here, before logging starts, so the log redaction knows it too.
        settings = dataclasses.replace(settings, webhook_secret=_webhook_secret(settings))
    setup_logging(settings.log_level, settings.log_format, settings.secrets)
    try:
        with asyncio.Runner(loop_factory=LOOP_FACTORY) as runner:
            runner.run(run(settings, specs))
    except FatalError:  # logged already, in one line
        return EXIT_FAILURE
    except ConfigError as exc:  # a token Telegram rejects, found once it answers
        print(f"teaserbot: {redact(str(exc), settings.secrets)}", file=sys.stderr)
        return EXIT_CONFIG
    except BotError as exc:  # the server's words may quote the URL (a database name, say)
        print(f"teaserbot: {redact(str(exc), settings.secrets)}", file=sys.stderr)
        return EXIT_FAILURE
    return 0


def _webhook_secret(settings: Settings) -> str:
    """The secret Telegram sends with each webhook request, when WEBHOOK_SECRET is unset.

    One process: a new random one per start. Processes sharing PostgreSQL must all accept what
    the latest setWebhook told Telegram, so they derive the same one from the bot token.
    """
    if not settings.database_url:
        return secrets.token_urlsafe(32)
    key = settings.bot_token.encode()
    return hmac.new(key, b"teaserbot webhook secret", hashlib.sha256).hexdigest()


def _read_file(path: Path, kind: SourceKind) -> ParsedFeed:
    from bot.core.parsing.parse import discover_feed_urls, looks_like_html, parse_document  # noqa: PLC0415

    body = path.read_bytes()
    url = path.resolve().as_uri()
    if kind is SourceKind.AUTO and looks_like_html(body, None):
        found = discover_feed_urls(body, url=url)
        if found:
            raise BotError(f"{path} is a web page; its feed is at {found[0]}")
        return parse_document(body, url=url, kind=SourceKind.HTML)
    return parse_document(body, url=url, kind=SourceKind.FEED if kind is SourceKind.AUTO else kind)


async def _fetch(url: str, kind: SourceKind) -> ParsedFeed:
    from bot.net.http import USER_AGENT, Fetcher  # noqa: PLC0415
    from bot.service.reader import SourceReader  # noqa: PLC0415

    try:  # FEED_PROXY and ALLOW_PRIVATE_SOURCES apply to a preview too
        settings = load_settings(os.environ, cwd=Path.cwd(), require_token=False)
    except SettingsError:
        settings = Settings()
    async with Fetcher(
        user_agent=USER_AGENT,
        allow_private=settings.allow_private_sources,
        proxy=settings.feed_proxy,
    ) as fetcher:
        _, feed = await SourceReader(fetcher).read_new(
            Source.unsaved(url, name="preview", kind=kind)
        )
    return feed


def _preview(target: str, *, as_json: bool, kind: SourceKind) -> int:
    try:
        if target.startswith(("http://", "https://")):
            feed = asyncio.run(_fetch(target, kind))
        else:
            feed = _read_file(Path(target), kind)
    except (BotError, OSError) as exc:
        print(f"teaserbot: cannot preview {hide_credentials(f'{target}: {exc}')}", file=sys.stderr)
        return EXIT_FAILURE
    from bot.core.polling import source_title  # noqa: PLC0415
    from bot.service.reader import teasers  # noqa: PLC0415

    # Read, classified and rendered as the poller and delivery do (bot.service.reader): the
    # teasers printed are the messages a subscribed chat receives.
    source = Source.unsaved(target, name=target, kind=kind)
    name = source_title(feed) or target
    for shown in teasers(feed, source, source_name=name, seen_at=datetime.now(UTC)):
        if as_json:
            print(json.dumps(_preview_record(shown.article), ensure_ascii=False))
            continue
        if shown.article.id > 1:
            print("\n" + "-" * 40 + "\n")
        print(shown.html)
    if not as_json:
        print(f"\n({len(feed.items)} items, format {feed.format})", file=sys.stderr)
    return 0


def _preview_record(article: Article) -> dict[str, object]:
    """One previewed item as a JSON object (``--json``)."""
    published = article.published
    return {
        "title": article.title,
        "summary": article.summary,
        "url": article.url,
        "published": published.isoformat().replace("+00:00", "Z") if published else None,
        "categories": list(article.categories),
        "image": article.image,
        "key": article.key,
        "countries": list(article.countries),
        "topics": list(article.topics),
    }


def _teaser_record(line: str) -> dict[str, object]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise TypeError("not a JSON object")
    return record


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


def _classify(stdin: TextIO, stdout: TextIO, language: str | None = None) -> int:
    """Classify JSON lines, each in its own "language" (else ``language``), as the bot would."""
    status = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            record = _teaser_record(line)
            found = regions.classify(
                str(record.get("title") or ""),
                str(record.get("summary") or ""),
                [str(tag) for tag in _as_list(record.get("categories"))],
                None,
                str(record.get("language") or language or "") or None,
            )
        except (ValueError, TypeError) as exc:
            print(f"teaserbot: line {number}: {exc}", file=sys.stderr)
            status = EXIT_FAILURE
            continue
        record["countries"] = list(found.countries)
        record["regions"] = regions.subregion_names(found.countries)
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return status


def _sources(action: str | None, file: Path | None) -> int:
    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings
    if action == "export":
        return _export_sources(settings)
    if action == "import":
        assert file is not None
        return _import_sources(settings, file)
    rows = _stored_sources(settings)
    if isinstance(rows, int):
        return rows
    print(_sources_table(rows))
    return 0


def _stored_sources(settings: Settings) -> list[Source] | int:
    """Every stored source, or the exit status after one line naming the database's fault."""
    from bot.service.database import configured_store  # noqa: PLC0415

    async def read() -> list[Source]:
        async with configured_store(settings) as store:
            return await store.sources.sources()

    try:
        return asyncio.run(read())
    except BotError as exc:
        return _failed(settings, exc)


def _export_sources(settings: Settings) -> int:
    from bot.core.opml import OpmlFeed, write_opml  # noqa: PLC0415

    rows = _stored_sources(settings)
    if isinstance(rows, int):
        return rows
    feeds = [OpmlFeed(url=row.url, title=row.name) for row in rows]
    sys.stdout.write(write_opml(feeds, title="teaserbot sources", created=datetime.now(UTC)))
    return 0


def _import_sources(settings: Settings, file: Path) -> int:
    from bot.core.adding import ImportSummary  # noqa: PLC0415
    from bot.core.opml import read_opml  # noqa: PLC0415
    from bot.net.http import USER_AGENT, Fetcher  # noqa: PLC0415
    from bot.service.database import configured_store  # noqa: PLC0415
    from bot.service.importing import describe, import_feeds  # noqa: PLC0415
    from bot.service.reader import SourceReader  # noqa: PLC0415

    try:
        feeds = read_opml(file.read_bytes())
    except (BotError, OSError) as exc:
        print(f"teaserbot: cannot import {file}: {exc}", file=sys.stderr)
        return EXIT_FAILURE

    async def run() -> ImportSummary:
        async with (
            configured_store(settings) as store,
            Fetcher(
                user_agent=USER_AGENT,
                allow_private=settings.allow_private_sources,
                proxy=settings.feed_proxy,
            ) as fetcher,
        ):
            with progress_bar("import", "feeds") as progress:
                return await import_feeds(
                    store,
                    SourceReader(fetcher),
                    feeds,
                    each=lambda feed, outcome: print(hide_credentials(describe(feed, outcome))),
                    progress=progress,
                )

    try:
        summary = asyncio.run(run())
    except BotError as exc:
        return _failed(settings, exc)
    print(summary.line(str(file)))
    return EXIT_FAILURE if summary.failed else 0


def _stats() -> int:
    from bot.core.usage import UsageStats, usage_text  # noqa: PLC0415
    from bot.service.database import configured_store  # noqa: PLC0415

    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings

    async def read() -> UsageStats:
        async with configured_store(settings) as store:
            return await store.stats.usage_stats(datetime.now(UTC).timestamp())

    try:
        stats = asyncio.run(read())
    except BotError as exc:
        return _failed(settings, exc)
    print(usage_text(stats))
    return 0


def _reclassify() -> int:
    from bot.service.database import configured_store  # noqa: PLC0415

    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings

    async def run() -> tuple[int, int]:
        async with configured_store(settings) as store:
            with progress_bar("reclassify", "articles") as progress:
                return await store.articles.reclassify(regions.classify, progress=progress)

    try:
        seen, changed = asyncio.run(run())
    except BotError as exc:
        return _failed(settings, exc)
    print(f"reclassified {seen} articles: {changed} changed")
    return 0


def _positive(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return int(value)


def _backup(path: str, *, keep: int | None = None) -> int:
    from bot.service.database import database_name  # noqa: PLC0415
    from bot.store import backup_database, is_backup_folder  # noqa: PLC0415

    if keep is not None and not is_backup_folder(path):
        print(
            f"teaserbot: --keep needs a folder of dated backups, not the file {path}",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings
    try:
        if settings.database_url:
            from bot.store.postgres import backup_postgres  # noqa: PLC0415

            with progress_bar("backup", "tables") as progress:
                result = asyncio.run(
                    backup_postgres(settings.database_url, path, progress=progress, keep=keep)
                )
        else:
            with progress_bar("backup", "pages") as progress:
                result = backup_database(settings.database_path, path, progress=progress, keep=keep)
    except BotError as exc:
        return _failed(settings, exc)
    print(
        f"backed up {database_name(settings)} to {result.path}: {result.bytes} bytes, "
        f"schema version {result.schema_version}, {result.articles} articles"
    )
    if result.pruned:
        print(f"removed {len(result.pruned)} older backups (--keep {keep})")
    return 0


def _failed(settings: Settings, exc: BotError) -> int:
    """A command that could not use the database: one line, never the password."""
    from bot.config import redact  # noqa: PLC0415

    print(f"teaserbot: {redact(str(exc), settings.secrets)}", file=sys.stderr)
    return EXIT_FAILURE


def _healthcheck() -> int:
    from bot.service.healthcheck import healthcheck  # noqa: PLC0415

    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings
    report = healthcheck(settings)
    print(report.text(), end="", file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else EXIT_FAILURE


def _copy_store(to: str) -> int:
    from bot.config import redact  # noqa: PLC0415
    from bot.store.postgres import copy_store  # noqa: PLC0415

    settings = _settings(require_token=False)
    if isinstance(settings, int):
        return settings
    try:
        checked = load_settings(
            {**os.environ, "DATABASE_URL": to}, cwd=Path.cwd(), require_token=False
        )
    except SettingsError as exc:
        for problem in exc.problems:
            print(f"teaserbot: --to: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    assert checked.database_url is not None
    try:
        with progress_bar("copy-store", "rows") as progress:
            result = asyncio.run(
                copy_store(settings.database_path, checked.database_url, progress=progress)
            )
    except BotError as exc:
        print(f"teaserbot: {redact(str(exc), checked.secrets)}", file=sys.stderr)
        return EXIT_FAILURE
    counts = ", ".join(f"{table}={rows}" for table, rows in result.rows.items())
    print(
        f"copied {settings.database_path} to {result.target}: {counts} "
        "(row counts verified on both sides)"
    )
    return 0


def _when(ts: float | None) -> str:
    if ts is None:
        return "-"
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M:%SZ")


def _next_poll(ts: float) -> str:
    """When a source is polled next; "due" once that time has come."""
    return "due" if ts <= datetime.now(UTC).timestamp() else _when(ts)


def _sources_table(rows: Sequence[Source]) -> str:
    header = ("ID", "NAME", "URL", "STATUS", "LAST SUCCESS", "LAST ERROR", "NEXT POLL")
    table: list[tuple[str, ...]] = [header]
    for row in rows:
        if not row.enabled:
            status = "disabled"
        elif row.failures:
            status = f"failing x{row.failures}"
        elif row.last_success_at is None:
            status = "new"
        else:
            status = "ok"
        table.append(
            (
                str(row.id),
                row.label,
                hide_credentials(row.url),
                status,
                _when(row.last_success_at),
                hide_credentials(row.last_error or "-")[:60],
                _next_poll(row.next_poll_at) if row.enabled else "-",
            )
        )
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    )


if __name__ == "__main__":
    sys.exit(main())
