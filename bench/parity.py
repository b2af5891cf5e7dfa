"""Compare the feed parser with feedparser: on real feeds, and on feedparser's own test files.

    .venv/bin/python bench/parity.py [--show N] [--shared DIR]
    .venv/bin/python bench/parity.py --feedparser-tests [--show N] [--shared DIR]

Real feeds (../shared/data/feeds/real): the agreement per field (titles, links, dates) over the
items both parsers found, the items only one of them found, every remaining difference (up to
--show per field), and the speed ratio (median of 3 timed passes over all documents, each parser
on the same bytes).

--feedparser-tests (../shared/data/feeds/feedparser, feedparser's test suite): every document is
parsed (a crash is any exception but ParseError; the slowest document is named), and each
test's `Expect:` expression is evaluated against our result shaped as feedparser's (see
bench/feedparser_tests.py).
"""

from __future__ import annotations

import argparse
import calendar
import contextlib
import html
import re
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser  # dev dependency only

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.errors import ParseError
from bot.core.models import ParsedFeed
from bot.core.parsing.clean import canonical_url
from bot.core.parsing.parse import parse_document

SHARED = Path(__file__).resolve().parents[2] / "shared"
_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")
MISSING = frozenset({"", "-", "0001-01-01T00:00:00+00:00"})


@dataclass
class Tally:
    """Agreement counts for one field, with the differing examples."""

    same: int = 0
    theirs_missing: int = (
        0  # feedparser has no usable value (no title, a year-1 date): ours fills in
    )
    diffs: list[tuple[str, str, str]] | None = None

    def add(self, where: str, ours: str, theirs: str) -> None:
        if self.diffs is None:
            self.diffs = []
        if ours == theirs:
            self.same += 1
        elif theirs in MISSING:
            self.theirs_missing += 1
        else:
            self.diffs.append((where, ours, theirs))

    @property
    def total(self) -> int:
        return self.same + len(self.diffs or [])


def fp_text(detail: Any, value: str) -> str:
    """feedparser's value as plain text: HTML values stripped and unescaped."""
    kind = getattr(detail, "type", "text/plain") if detail is not None else "text/plain"
    if kind in {"text/html", "application/xhtml+xml"}:
        value = html.unescape(_TAG.sub("", value))
    return _WS.sub(" ", value).strip()


def fp_date(entry: Any) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return "-"
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()


def our_date(value: datetime | None) -> str:
    return value.replace(microsecond=0).isoformat() if value else "-"


def fp_link(entry: Any) -> str:
    link = entry.get("link")
    return canonical_url(link) if link else "-"


def compare(path: Path, ours: ParsedFeed, theirs: Any, tallies: dict[str, Tally]) -> int:
    """Pair items by position when counts agree, else by link; return unpaired item count."""
    entries = list(theirs.entries)
    pairs: list[tuple[Any, Any]] = []
    if len(entries) == len(ours.items):
        pairs = list(zip(ours.items, entries, strict=True))
    else:
        by_link = {fp_link(e): e for e in entries}
        pairs = [(i, by_link[i.url]) for i in ours.items if i.url in by_link]
    for n, (item, entry) in enumerate(pairs):
        where = f"{path.name[:12]}#{n}"
        tallies["titles"].add(
            where, item.title, fp_text(entry.get("title_detail"), entry.get("title", ""))
        )
        tallies["links"].add(where, item.url or "-", fp_link(entry))
        tallies["dates"].add(where, our_date(item.published), fp_date(entry))
    return abs(len(entries) - len(ours.items)) + (min(len(entries), len(ours.items)) - len(pairs))


def timed(paths: list[Path], bodies: dict[Path, bytes], fn: Any) -> float:
    start = time.perf_counter()
    for path in paths:
        with contextlib.suppress(ParseError):
            fn(path, bodies[path])
    return time.perf_counter() - start


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--show", type=int, default=40, help="differences listed per field")
    args.add_argument("--shared", type=Path, default=SHARED, help="the shared data folder")
    args.add_argument(
        "--feedparser-tests", action="store_true", help="feedparser's own test files instead"
    )
    opts = args.parse_args()
    if opts.feedparser_tests:
        from feedparser_tests import run  # noqa: PLC0415 - bench/ is on sys.path as the script's

        run(opts.shared / "data" / "feeds" / "feedparser", show=opts.show)
        return
    real = opts.shared / "data" / "feeds" / "real"
    if not real.is_dir():
        print(f"no corpus at {real}: nothing to compare")
        return
    paths = sorted(p for p in real.iterdir() if p.is_file())
    bodies = {p: p.read_bytes() for p in paths}
    tallies = {"titles": Tally(), "links": Tally(), "dates": Tally()}
    unpaired = failed = items = 0
    for path in paths:
        url = f"https://corpus.example/{path.name}"
        try:
            ours = parse_document(bodies[path], url=url)
        except ParseError:
            failed += 1
            continue
        theirs = feedparser.parse(bodies[path], response_headers={"content-location": url})
        items += len(ours.items)
        unpaired += compare(path, ours, theirs, tallies)
    print(f"documents: {len(paths)}, ours failed on {failed}; items: {items}, unpaired: {unpaired}")
    for name, tally in tallies.items():
        share = 100 * tally.same / tally.total if tally.total else 0.0
        print(
            f"{name:7} agreement: {tally.same}/{tally.total} = {share:.2f}% "
            f"(+{tally.theirs_missing} where feedparser has none and ours fills in)"
        )
    for name, tally in tallies.items():
        for where, ours_v, theirs_v in (tally.diffs or [])[: opts.show]:
            print(f"  {name} {where}")
            print(f"    ours:       {ours_v[:150]!r}")
            print(f"    feedparser: {theirs_v[:150]!r}")

    def ours_fn(path: Path, body: bytes) -> object:
        return parse_document(body, url=f"https://corpus.example/{path.name}")

    def theirs_fn(path: Path, body: bytes) -> object:
        return feedparser.parse(body)

    runs = [(timed(paths, bodies, ours_fn), timed(paths, bodies, theirs_fn)) for _ in range(3)]
    ours_s = statistics.median(r[0] for r in runs)
    theirs_s = statistics.median(r[1] for r in runs)
    print(
        f"speed (median of 3 passes): ours {ours_s:.2f} s, feedparser {theirs_s:.2f} s, "
        f"ratio {theirs_s / ours_s:.1f}x"
    )


if __name__ == "__main__":
    main()
