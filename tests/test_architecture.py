"""The folders keep their promise: the pure core imports no I/O, each folder imports exactly what
its row of the folder table in docs/architecture.md says, and the code stays small."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = BOT / "core"
ARCHITECTURE = BOT.parent / "docs" / "architecture.md"

# Third-party and standard modules that do I/O the core must not do.
FORBIDDEN = (
    "telegram",
    "httpx",
    "httpx_socks",
    "python_socks",
    "aiohttp",
    "aiosqlite",
    "sqlite3",
    "asyncpg",
    "psycopg",
    "psycopg2",
    "tornado",
    "prometheus_client",
    "asyncio",
    "socket",
    "urllib.request",
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def _core_modules() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(BOT)))
def test_core_module_imports_no_io(path: Path) -> None:
    """A module under bot/core imports neither Telegram, HTTP, a database driver nor the shell."""
    bad = [
        name
        for name in _imports(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
        or (name.startswith("bot.") and not name.startswith("bot.core"))
        or name == "bot"
    ]
    assert bad == [], f"{path.relative_to(BOT)} imports {bad}"


def test_the_core_is_not_empty() -> None:
    """The import check has something to check (the core holds the parsing, regions and texts)."""
    names = {p.stem for p in _core_modules()}
    assert {"models", "render", "texts", "feeds", "classify", "pacing", "delivery_plan"} <= names


def _shell_modules() -> list[Path]:
    return sorted(p for p in BOT.rglob("*.py") if not p.is_relative_to(BOT / "store"))


def test_only_the_store_package_is_imported_for_storage() -> None:
    """Outside bot/store, code reaches the database through `bot.store` (or its PostgreSQL
    backend package), never through the store's inner modules."""
    inner = [
        f"{path.relative_to(BOT)} imports {name}"
        for path in _shell_modules()
        for name in _imports(path)
        if name.startswith("bot.store.") and name != "bot.store.postgres"
    ]
    assert inner == []


def _sizes() -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    for path in sorted(BOT.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                assert node.end_lineno is not None
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                where = f"{path.relative_to(BOT)}:{node.lineno} {node.name}"
                found.append((kind, where, node.end_lineno - node.lineno + 1))
    return found


def test_functions_stay_under_60_lines_and_classes_under_250() -> None:
    """No function in bot/ reaches 60 lines and no class 250 (split what grows past them)."""
    limits = {"function": 60, "class": 250}
    too_long = [
        f"{kind} {where}: {size} lines" for kind, where, size in _sizes() if size >= limits[kind]
    ]
    assert too_long == []


# ---------------------------------------------------------------- the folder table


def _table() -> list[tuple[tuple[str, ...], frozenset[str]]]:
    """The folder table of docs/architecture.md: each row's folders or files (``bot/core/``,
    ``bot/app.py``) and the modules it may import (every `code` module name in its last column;
    a folder named there, like `bot/telegram/`, is not one)."""
    text = ARCHITECTURE.read_text(encoding="utf-8")
    section = text.split("## The folders", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`bot"):
            continue
        places = tuple(re.findall(r"`([^`]+)`", cells[0]))
        names = re.findall(r"`([^`]+)`", cells[2])
        # Module names may be capitalised (PyStemmer's module is `Stemmer`).
        modules = frozenset(n for n in names if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", n))
        rows.append((places, modules))
    return rows


ROWS = _table()


def _row_of(path: Path) -> tuple[str, ...] | None:
    relative = "bot/" + path.relative_to(BOT).as_posix()
    for places, _ in ROWS:
        if any(relative == place or relative.startswith(place) for place in places):
            return places
    return None


def _unit(name: str) -> str:
    """What an import names, as the table does: ``bot.service`` for ``bot.service.poller``,
    ``bot.config`` for ``bot.config``, the top-level name for a third-party module."""
    parts = name.split(".")
    return ".".join(parts[:2]) if parts[0] == "bot" else parts[0]


def _own(places: tuple[str, ...]) -> set[str]:
    """The modules a row holds, as import names (its own imports need no mention)."""
    names = {place.removesuffix("/").removesuffix(".py").replace("/", ".") for place in places}
    return {"bot" if name == "bot.__init__" else _unit(name) for name in names}


def test_the_folder_table_covers_every_module_once() -> None:
    """Every module under bot/ falls under exactly one row of the folder table."""
    assert len(ROWS) >= 7, "the folder table in docs/architecture.md was not found"
    orphans = [str(p.relative_to(BOT)) for p in BOT.rglob("*.py") if _row_of(p) is None]
    assert orphans == []
    places = [place for row, _ in ROWS for place in row]
    assert len(places) == len(set(places))


@pytest.mark.parametrize("row", ROWS, ids=lambda row: " ".join(row[0]))
def test_a_folder_imports_exactly_what_its_row_allows(
    row: tuple[tuple[str, ...], frozenset[str]],
) -> None:
    """A folder imports only what its row of the table allows (besides the standard library and
    itself), and the row lists nothing the folder no longer imports."""
    places, allowed = row
    own = _own(places)
    found: dict[str, set[str]] = {}
    for path in sorted(BOT.rglob("*.py")):
        if _row_of(path) != places:
            continue
        for name in _imports(path):
            unit = _unit(name)
            if unit not in own and unit not in sys.stdlib_module_names:
                found.setdefault(unit, set()).add(str(path.relative_to(BOT)))
    not_allowed = {unit: sorted(paths) for unit, paths in found.items() if unit not in allowed}
    assert not_allowed == {}, f"{places} imports what its row does not allow"
    assert allowed - set(found) == set(), f"{places}: the row lists imports no module makes"


def test_service_and_telegram_never_import_each_other() -> None:
    """bot/service and bot/telegram meet only in the composition root (bot/app.py)."""
    crossing = [
        f"{path.relative_to(BOT)} imports {name}"
        for folder, other in (("service", "bot.telegram"), ("telegram", "bot.service"))
        for path in sorted((BOT / folder).rglob("*.py"))
        for name in _imports(path)
        if name == other or name.startswith(other + ".")
    ]
    assert crossing == []


MANY_BASES = 4


def test_no_class_has_four_or_more_base_classes() -> None:
    """Classes are composed, not stacked: none in bot/ has four or more base classes."""
    stacked = [
        f"{path.relative_to(BOT).as_posix()} {node.name}"
        for path in sorted(BOT.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef) and len(node.bases) >= MANY_BASES
    ]
    assert stacked == []


REGISTRATION = {"add_handler", "add_handlers", "add_error_handler"}


def test_handlers_are_registered_in_one_place() -> None:
    """Only bot/telegram/handlers.py registers handlers on the application; feature modules
    hold handler functions and never register themselves."""
    registering = sorted(
        {
            str(path.relative_to(BOT))
            for path in BOT.rglob("*.py")
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Attribute) and node.attr in REGISTRATION
        }
    )
    assert registering == ["telegram/handlers.py"]


def test_handler_modules_hold_no_class_hierarchy() -> None:
    """The Telegram side composes: no class there inherits from another class of the bot."""
    ours = {
        node.name
        for path in (BOT / "telegram").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    }
    inheriting = [
        f"{path.relative_to(BOT)} {node.name}"
        for path in sorted((BOT / "telegram").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        for base in node.bases
        if isinstance(base, ast.Name) and base.id in ours
    ]
    assert inheriting == []
