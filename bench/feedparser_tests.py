"""Our parser against feedparser's own test files (run by `bench/parity.py --feedparser-tests`).

Each file of feedparser's suite starts with a comment holding `Expect: <Python expression>` (and
sometimes `Header: Name: value` lines for the HTTP answer), evaluated by feedparser's harness
against its result. Here the same expression is evaluated against OUR result shaped like
feedparser's: `entries[i]` with title, title_detail.value, summary, description,
summary_detail.value, content[j].value, link, id, guid, tags[j].term, image.href,
published_parsed and updated_parsed; `feed` with title, title_detail.value and link; `not bozo`
is true (we report no "bozo" flag).

A test is applicable when its expression reads only those names (checked on its syntax tree,
before running it), and not when it reads an item we drop by design: one with no title, link or
text (feedparser, run on the same bytes, says so), since a teaser needs something to show.

Text is compared as plain text: feedparser's with tags stripped and entities decoded (it keeps
sanitised HTML where we keep plain text), white space collapsed on both sides, a summary we cut
("…") agreeing with any text it begins; links after our canonicalisation. An applicable test
whose expression fails or raises (say, we kept no item) counts as a disagreement.

Every document is also parsed on its own: a crash is any exception but ParseError.
"""

from __future__ import annotations

import ast
import calendar
import codecs
import html
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser  # dev dependency only

from bot.core.errors import ParseError
from bot.core.models import ParsedFeed, ParsedItem
from bot.core.parsing.clean import canonical_url
from bot.core.parsing.parse import parse_document

_TAG = re.compile(r"<[^>]*>")
_WS = re.compile(r"\s+")
_EXPECT = re.compile(r"^\s*Expect:\s*(.+?)\s*$", re.M)
_HEADER = re.compile(r"^\s*Header:\s*([\w-]+):\s*(.+?)\s*$", re.M)
HARNESS_URL = "http://127.0.0.1:8097/tests/"  # where feedparser's harness serves these files

# What a path under entries[i] / feed may read: key -> what may follow it.
_LEAF: dict[str, Any] = {}
ENTRY_KEYS: dict[str, Any] = {
    "title": _LEAF,
    "title_detail": {"value": _LEAF},
    "summary": _LEAF,
    "description": _LEAF,
    "summary_detail": {"value": _LEAF},
    "content": {int: {"value": _LEAF}},
    "link": _LEAF,
    "id": _LEAF,
    "guid": _LEAF,
    "tags": {int: {"term": _LEAF}},
    "image": {"href": _LEAF},
    "published_parsed": _LEAF,
    "updated_parsed": _LEAF,
}
FEED_KEYS: dict[str, Any] = {
    "title": _LEAF,
    "title_detail": {"value": _LEAF},
    "link": _LEAF,
}
SAFE_BUILTINS = {"ord": ord, "len": len, "str": str, "int": int, "tuple": tuple, "list": list}


def plain(value: str) -> str:
    """Text as a reader sees it: tags stripped, entities decoded, white space collapsed."""
    return _WS.sub(" ", html.unescape(_TAG.sub("", value))).strip()


class Text(str):
    """Our plain text; equal to feedparser's value when both read the same as plain text."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        ours, theirs = _WS.sub(" ", str(self)).strip(), plain(other)  # ours is plain text already
        if ours == theirs:
            return True
        return ours.endswith("…") and theirs.startswith(ours[:-1].rstrip())

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__


class Link(str):
    """Our canonical link; equal to feedparser's once that is canonicalised the same way."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, str):
            return NotImplemented
        return str(self) == other or (bool(other) and str(self) == canonical_url(other))

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = str.__hash__


class Shaped(dict[str, Any]):
    """A dict readable as attributes too, as feedparser's FeedParserDict is."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc


def shaped_entry(item: ParsedItem) -> Shaped:
    """One of our items with feedparser's key names."""
    summary = Text(item.summary)
    parsed = time.gmtime(calendar.timegm(item.published.utctimetuple())) if item.published else None
    entry = Shaped(
        title=Text(item.title),
        title_detail=Shaped(value=Text(item.title)),
        summary=summary,
        description=summary,
        summary_detail=Shaped(value=summary),
        content=[Shaped(value=summary)],
        id=Text(item.key),
        guid=Text(item.key),
        tags=[Shaped(term=Text(c)) for c in item.categories],
    )
    if item.url:
        entry["link"] = Link(item.url)
    if item.image:
        entry["image"] = Shaped(href=Link(item.image))
    if parsed is not None:
        entry["published_parsed"] = entry["updated_parsed"] = parsed
    return entry


def shaped(feed: ParsedFeed) -> dict[str, Any]:
    """Our whole result as the names an `Expect:` expression reads."""
    head = Shaped(title=Text(feed.title or ""), title_detail=Shaped(value=Text(feed.title or "")))
    if feed.link:
        head["link"] = Link(feed.link)
    return {"entries": [shaped_entry(i) for i in feed.items], "feed": head, "bozo": False}


def _path(node: ast.expr) -> tuple[str | None, list[object]] | None:
    """A subscript/attribute chain as (root name, [keys]); None when a key is not a constant."""
    keys: list[object] = []
    while isinstance(node, ast.Subscript | ast.Attribute):
        if isinstance(node, ast.Attribute):
            keys.append(node.attr)
        elif isinstance(node.slice, ast.Constant):
            keys.append(node.slice.value)
        else:
            return None
        node = node.value
    root = node.id if isinstance(node, ast.Name) else None
    return root, keys[::-1]


def _allowed(keys: list[object], spec: dict[Any, Any]) -> bool:
    for key in keys:
        nxt = spec.get(int) if isinstance(key, int) else spec.get(key)
        if nxt is None:
            return spec is _LEAF and False
        spec = nxt
    return True


def applicable(expression: str) -> bool:
    """Whether the expression reads only what our result has (see the module docstring)."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        return False
    chains: set[int] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.Not)
            and isinstance(node.operand, ast.Name)
            and node.operand.id == "bozo"
        ):
            chains.add(id(node.operand))
        if isinstance(node, ast.Subscript | ast.Attribute) and id(node) not in chains:
            found = _path(node)
            if found is None:
                return False
            root, keys = found
            spec = {"entries": {int: ENTRY_KEYS}, "feed": FEED_KEYS}.get(root or "")
            if spec is None or not _allowed(keys, spec):
                return False
            _mark_inner(node, chains)
        if (
            isinstance(node, ast.Name)
            and id(node) not in chains
            and node.id not in SAFE_BUILTINS
            and node.id != "entries"
        ):
            return False
    return True


def _mark_inner(node: ast.expr, chains: set[int]) -> None:
    """Mark the rest of a checked chain so that its parts are not checked again."""
    inner: ast.expr = node
    while isinstance(inner, ast.Subscript | ast.Attribute):
        inner = inner.value
        chains.add(id(inner))


@dataclass
class Outcome:
    """The counts for one run over the suite."""

    documents: int = 0
    parse_errors: int = 0
    crashes: list[tuple[str, str]] = field(default_factory=list)
    slowest: tuple[float, str] = (0.0, "")
    tests: int = 0
    applicable: int = 0
    empty_items: int = 0  # tests on an item with nothing to show, which we drop
    agree: int = 0
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)


def read_document(path: Path) -> tuple[bytes, str]:
    """The document's bytes and its leading comment as text (UTF-16/32 files too)."""
    body = path.read_bytes()
    for encoding in ("utf-8", "utf-16", "utf-32", "utf-16-be", "utf-16-le", "utf-32-be"):
        head = codecs.decode(body[:4096], encoding, errors="ignore")
        if "Expect:" in head or "Description:" in head:
            return body, head
    return body, body[:4096].decode("latin-1")


def run_one(path: Path, relative: str, outcome: Outcome) -> None:
    """Parse one test file and judge its expectation."""
    body, head = read_document(path)
    headers = {name.lower(): value for name, value in _HEADER.findall(head)}
    url = urljoin(HARNESS_URL + relative, headers.get("content-location", ""))
    outcome.documents += 1
    started = time.perf_counter()
    try:
        feed: ParsedFeed | None = parse_document(
            body, url=url, content_type=headers.get("content-type")
        )
    except ParseError:
        feed = None
        outcome.parse_errors += 1
    except Exception as exc:
        feed = None
        outcome.crashes.append((relative, f"{type(exc).__name__}: {exc}"))
    took = time.perf_counter() - started
    outcome.slowest = max(outcome.slowest, (took, relative))
    expect = _EXPECT.search(head)
    if expect is None:
        return
    outcome.tests += 1
    expression = expect.group(1)
    if not applicable(expression):
        return
    names = shaped(feed) if feed is not None else {"entries": [], "feed": Shaped(), "bozo": False}
    try:
        ok = bool(eval(expression, {"__builtins__": SAFE_BUILTINS}, names))
    except IndexError:
        if only_empty_items(body, url, headers, len(names["entries"])):
            outcome.empty_items += 1
            return
        ok = False
        expression += "  [IndexError]"
    except Exception as exc:
        ok = False
        expression += f"  [{type(exc).__name__}]"
    outcome.applicable += 1
    if ok:
        outcome.agree += 1
    else:
        titles = [i.title for i in feed.items][:2] if feed is not None else "parse error"
        outcome.disagreements.append((relative, expression, repr(titles)))


def only_empty_items(body: bytes, url: str, headers: dict[str, str], kept: int) -> bool:
    """Whether feedparser's items past the ones we kept have no title, link or text."""
    theirs = feedparser.parse(body, response_headers={"content-location": url, **headers})
    extra = theirs.entries[kept:]
    return bool(extra) and all(
        not plain(e.get("title", "")) and not e.get("link") and not plain(e.get("summary", ""))
        for e in extra
    )


def run(folder: Path, *, show: int) -> Outcome | None:
    """Run the whole suite in ``folder`` and print the figures."""
    if not folder.is_dir():
        print(f"no feedparser test files at {folder}: nothing to compare")
        return None
    outcome = Outcome()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "LICENSE"):
        run_one(path, path.relative_to(folder).as_posix(), outcome)
    share = 100 * outcome.agree / outcome.applicable if outcome.applicable else 0.0
    print(
        f"documents: {outcome.documents}, ParseError on {outcome.parse_errors}, "
        f"crashes: {len(outcome.crashes)}, slowest: {outcome.slowest[0] * 1000:.0f} ms "
        f"({outcome.slowest[1]})"
    )
    print(
        f"tests: {outcome.tests}, applicable: {outcome.applicable}, "
        f"agree: {outcome.agree}/{outcome.applicable} = {share:.2f}% "
        f"(+{outcome.empty_items} on items with nothing to show, which we drop)"
    )
    for where, error in outcome.crashes[:show]:
        print(f"  crash {where}: {error[:150]}")
    for where, expression, ours in outcome.disagreements[:show]:
        print(f"  {where}\n    expect: {expression[:150]}\n    ours:   {ours[:150]}")
    return outcome
