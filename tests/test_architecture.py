"""The folders keep their promise: the pure core imports no I/O, and the code stays small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"
CORE = BOT / "core"

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
